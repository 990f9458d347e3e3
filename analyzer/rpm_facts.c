/*
 * rpm_facts.c - the file states of a live rpm collection, by path
 * (rpm_facts.h): kept from the case's file_state rows at ingest, a
 * package's path resolved through the links the collection recorded,
 * and whether a name not recorded is missing or was not looked for.
 * The states come from evidence: every string is copied, every path
 * bounded, a link's ".." never climbs above "/".
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "rpm_facts.h"
#include "irkit/pkgcheck.h"
#include "irkit/banned.h"

void
irk_rpm_facts_init(struct irk_rpm_facts *f)
{
	irk_strmap_init(&f->map, free);
	f->over = 0;
}

void
irk_rpm_facts_release(struct irk_rpm_facts *f)
{
	irk_strmap_release(&f->map);
}

const struct irk_rpm_fact *
irk_rpm_facts_get(const struct irk_rpm_facts *f, const char *path)
{
	return irk_strmap_get(&f->map, path);
}

int
irk_rpm_facts_add(void *arg, const struct irk_file_state *fs)
{
	struct irk_rpm_facts *k = arg;
	const char *strs[5] = { fs->user, fs->group, fs->target, fs->sha256,
	    fs->error };
	const char **dst[5];
	size_t need = sizeof(struct irk_rpm_fact), len[5];
	struct irk_rpm_fact *f;
	char *p;

	if (k->map.count >= IRK_RPM_FACTS_MAX) {
		k->over++;
		return IRK_OK;
	}
	for (int i = 0; i < 5; i++) {
		len[i] = strs[i] != NULL ? strlen(strs[i]) + 1 : 0;
		need += len[i];
	}
	if ((f = calloc(1, need)) == NULL)
		return IRK_FATAL;
	f->st = fs->st;
	f->read = fs->st.mode != 0;
	f->walk = fs->walk == NULL ? IRK_WALK_NONE : strcmp(fs->walk,
	    "complete") == 0 ? IRK_WALK_COMPLETE : IRK_WALK_CUT;
	dst[0] = &f->user, dst[1] = &f->group, dst[2] = &f->target;
	dst[3] = &f->sha256, dst[4] = &f->error;
	p = (char *)(f + 1);
	for (int i = 0; i < 5; i++)
		if (strs[i] != NULL) {
			memcpy(p, strs[i], len[i]);
			*dst[i] = p;
			p += len[i];
		}
	if (irk_strmap_put(&k->map, fs->path, f) != 0) {
		free(f);
		return IRK_FATAL;
	}
	return IRK_OK;
}

/* dir + "/" + name into out, "." and ".." resolved (never above "/"). */
static int
norm_join(char *out, size_t outsz, const char *dir, const char *name)
{
	char in[IRK_PKG_PATH_MAX * 2];
	size_t o = 0;
	char *save = in, *c;

	if ((size_t)snprintf(in, sizeof(in), "%s/%s", name[0] == '/' ? "" :
	    dir, name) >= sizeof(in))
		return IRK_FAIL;
	out[0] = '\0';
	while ((c = save) != NULL) {
		if ((save = strchr(c, '/')) != NULL)
			*save++ = '\0';
		if (c[0] == '\0' || strcmp(c, ".") == 0)
			continue;
		if (strcmp(c, "..") == 0) {
			while (o > 0 && out[--o] != '/')
				;
			out[o] = '\0';
			continue;
		}
		if (o + strlen(c) + 2 > outsz)
			return IRK_FAIL;
		out[o++] = '/';
		memcpy(out + o, c, strlen(c) + 1);
		o += strlen(c);
	}
	if (o == 0)
		memcpy(out, "/", 2);
	return IRK_OK;
}

int
irk_rpm_facts_canon(const struct irk_rpm_facts *k, const char *path,
    char *out, size_t outsz)
{
	char cur[IRK_PKG_PATH_MAX], next[IRK_PKG_PATH_MAX];
	const struct irk_rpm_fact *f;
	int hops = 0, again = 1;

	if (path[0] != '/' || (size_t)snprintf(cur, sizeof(cur), "%s",
	    path) >= sizeof(cur))
		return IRK_FAIL;
	while (again && hops++ < 16) {
		again = 0;
		for (char *sl = strchr(cur + 1, '/'); sl != NULL && !again;
		    sl = strchr(sl + 1, '/')) {
			*sl = '\0';
			f = irk_strmap_get(&k->map, cur);
			if (f != NULL && S_ISLNK(f->st.mode) &&
			    f->target != NULL) {
				char *dir = strrchr(cur, '/');

				*dir = '\0';
				if (norm_join(next, sizeof(next), cur,
				    f->target) != IRK_OK || norm_join(cur,
				    sizeof(cur), next, sl + 1) != IRK_OK)
					return IRK_FAIL;
				again = 1;
				break;
			}
			*sl = '/';
		}
	}
	return (size_t)snprintf(out, outsz, "%s", cur) >= outsz ? IRK_FAIL :
	    IRK_OK;
}

int
irk_rpm_facts_covered(const struct irk_rpm_facts *k, const char *real)
{
	char root[IRK_PKG_PATH_MAX];
	const struct irk_rpm_fact *f;

	if (k->over > 0 || !irk_pkg_state_scope(real) ||
	    !irk_pkg_state_root(real, root, sizeof(root)))
		return 0;
	f = irk_strmap_get(&k->map, root);
	return f == NULL || f->walk != IRK_WALK_CUT;
}
