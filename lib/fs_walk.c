/*
 * fs_walk.c - the walk of a path inside a root, shared by irk_fs_resolve
 * (any irk_fs) and fs_host's open on kernels without openat2 (see
 * irkit/fs.h): one component at a time, "." skipped, ".." never above
 * the root, links expanded in place (an absolute target restarts at the
 * root), at most IRK_WALK_MAXLINKS links.  The looking is done by the
 * caller's step; the walker only keeps the names.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "irkit/fs.h"
#include "irkit/banned.h"

/* ".." from cur: drop its last name; nothing above the root. */
static void
walk_up(const struct irk_walk_ops *ops, void *ctx, char *cur)
{
	char *s = strrchr(cur, '/');

	if (s == NULL)
		return;
	*s = '\0';
	ops->up(ctx, cur);
}

/* Put the link's target in front of what is left of the path (in rest). */
static int
walk_expand(char *rest, size_t restsz, const struct irk_buf *link,
    const char *p)
{
	char tmp[2 * IRK_WALK_PATH_MAX];
	int n;

	if (link->len == 0) {
		errno = ENOENT;		/* an empty target names nothing */
		return -1;
	}
	/* p is "" or "/...": "a/" stays a directory, "a" does not become one */
	n = snprintf(tmp, sizeof(tmp), "%s%s", link->data, p);
	if (n < 0 || (size_t)n >= restsz) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(rest, tmp, (size_t)n + 1);
	return 0;
}

/* Take the next component of *pp into comp; 0 at the end, -1 too long. */
static int
walk_next(const char **pp, char *comp, size_t compsz)
{
	const char *p = *pp + strspn(*pp, "/");
	size_t cl = strcspn(p, "/");

	*pp = p + cl;
	if (cl == 0)
		return 0;
	if (cl >= compsz) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(comp, p, cl);
	comp[cl] = '\0';
	return 1;
}

int
irk_fs_walk(const char *path, int follow_last, const struct irk_walk_ops *ops,
    void *ctx, char *cur, size_t cursz)
{
	char rest[IRK_WALK_PATH_MAX], comp[IRK_WALK_NAME_MAX];
	struct irk_buf link;
	const char *p = rest;
	int links = 0, r, saved;

	if (cursz == 0 || strlen(path) >= sizeof(rest)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(rest, path, strlen(path) + 1);
	cur[0] = '\0';			/* "" is the root */
	irk_buf_init(&link, IRK_WALK_PATH_MAX);
	while ((r = walk_next(&p, comp, sizeof(comp))) > 0) {
		size_t curlen = strlen(cur), cl = strlen(comp);
		int last = *p == '\0';	/* "a/" is a directory: a followed */

		if (strcmp(comp, ".") == 0)
			continue;
		if (strcmp(comp, "..") == 0) {
			walk_up(ops, ctx, cur);
			continue;
		}
		if (curlen + 1 + cl >= cursz) {
			errno = ENAMETOOLONG;
			r = -1;
			break;
		}
		irk_buf_reset(&link);
		r = ops->step(ctx, cur, comp, last, follow_last || !last, &link);
		if (r < 0)
			break;
		if (r == 0) {
			cur[curlen] = '/';
			memcpy(cur + curlen + 1, comp, cl + 1);
			continue;
		}
		if (++links > IRK_WALK_MAXLINKS) {
			errno = ELOOP;
			r = -1;
			break;
		}
		if ((r = walk_expand(rest, sizeof(rest), &link, p)) < 0)
			break;
		p = rest;
		if (link.data[0] == '/' && cur[0] != '\0') {
			cur[0] = '\0';
			ops->up(ctx, cur);
		}
	}
	saved = errno;
	irk_buf_release(&link);
	errno = saved;
	return r < 0 ? -1 : 0;
}
