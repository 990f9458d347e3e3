/*
 * dir_list.c - the sorted names of a folder (dir_list.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dir_list.h"
#include "irkit/banned.h"

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void
irk_dir_list_free(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

char **
irk_dir_list(struct irk_collect *c, const char *dir, size_t *count, int quiet)
{
	struct irk_dir *d;
	struct irk_dirent de;
	struct irk_err err;
	char **names = NULL;
	size_t n = 0;
	int r;

	*count = 0;
	if (c->fs->ops->opendir(c->fs, dir, &d, &err) != IRK_OK) {
		if (err.errnum == ENOTDIR)
			irk_collect_log(c, IRK_LOG_WARN, dir, ENOTDIR,
			    "expected a directory");
		else if (err.errnum != ENOENT && !quiet)
			irk_collect_log_err(c, IRK_LOG_ERROR, dir, &err);
		return NULL;
	}
	while ((r = c->fs->ops->readdir(d, &de)) == 1 &&
	    n < IRK_DIR_LIST_MAX) {
		char **nn = realloc(names, (n + 1) * sizeof(*names));

		if (nn == NULL)
			break;
		names = nn;
		if ((names[n] = strdup(de.name)) != NULL)
			n++;
	}
	if (r < 0)
		irk_collect_log(c, IRK_LOG_ERROR, dir, errno, "cannot list");
	c->fs->ops->closedir(d);
	if (n > 0)
		qsort(names, n, sizeof(*names), cmp_names);
	*count = n;
	return names;
}
