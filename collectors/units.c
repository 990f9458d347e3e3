/*
 * units.c - the systemd unit loader over struct irk_fs (see units.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "units.h"
#include "irkit/json.h"
#include "irkit/str.h"
#include "irkit/banned.h"

#define UNIT_FILE_MAX	(4u << 20)	/* bytes of one unit file read */
#define DIR_ENTRIES_MAX	100000		/* entries of one directory */

/* systemd's lookup paths, in priority order (systemd-analyze unit-paths). */
static const struct {
	const char *path;
	int cls;
} system_dirs[] = {
	{ "/etc/systemd/system.control", IRK_UDIR_CONFIG },
	{ "/run/systemd/system.control", IRK_UDIR_RUNTIME },
	{ "/run/systemd/transient", IRK_UDIR_TRANSIENT },
	{ "/run/systemd/generator.early", IRK_UDIR_GENERATOR },
	{ "/etc/systemd/system", IRK_UDIR_CONFIG },
	{ "/etc/systemd/system.attached", IRK_UDIR_CONFIG },
	{ "/run/systemd/system", IRK_UDIR_RUNTIME },
	{ "/run/systemd/system.attached", IRK_UDIR_RUNTIME },
	{ "/run/systemd/generator", IRK_UDIR_GENERATOR },
	{ "/usr/local/lib/systemd/system", IRK_UDIR_VENDOR },
	{ "/lib/systemd/system", IRK_UDIR_VENDOR },
	{ "/usr/lib/systemd/system", IRK_UDIR_VENDOR },
	{ "/run/systemd/generator.late", IRK_UDIR_GENERATOR },
};

/*
 * User scope: "~" is the owner's home, "@" the owner's runtime dir
 * (/run/user/UID); both are left out of the global user pass.
 */
static const struct {
	const char *path;
	int cls;
} user_dirs[] = {
	{ "~/.config/systemd/user.control", IRK_UDIR_CONFIG },
	{ "@/systemd/user.control", IRK_UDIR_RUNTIME },
	{ "@/systemd/transient", IRK_UDIR_TRANSIENT },
	{ "@/systemd/generator.early", IRK_UDIR_GENERATOR },
	{ "~/.config/systemd/user", IRK_UDIR_CONFIG },
	{ "/etc/xdg/systemd/user", IRK_UDIR_CONFIG },
	{ "/etc/systemd/user", IRK_UDIR_CONFIG },
	{ "@/systemd/user", IRK_UDIR_RUNTIME },
	{ "/run/systemd/user", IRK_UDIR_RUNTIME },
	{ "@/systemd/generator", IRK_UDIR_GENERATOR },
	{ "~/.local/share/systemd/user", IRK_UDIR_VENDOR },
	{ "/usr/local/share/systemd/user", IRK_UDIR_VENDOR },
	{ "/usr/share/systemd/user", IRK_UDIR_VENDOR },
	{ "/usr/local/lib/systemd/user", IRK_UDIR_VENDOR },
	{ "/usr/lib/systemd/user", IRK_UDIR_VENDOR },
	{ "@/systemd/generator.late", IRK_UDIR_GENERATOR },
};

/* A name seen in a search directory (first directory wins). */
struct found {
	int dir;
	char *path;
};

/* One .wants/ or .requires/ link. */
struct deplink {
	char *unit;		/* the link's name: the unit wanted */
	char *by;		/* the unit whose .wants/ it is in */
	char *path;
	int requires;
	int dir;
};

struct loader {
	struct irk_collect *c;
	struct irk_units *u;
	struct irk_strmap found;	/* name -> struct found */
	struct deplink *links;
	size_t nlinks;
	int warn;
};

static void
found_free(void *p)
{
	struct found *f = p;

	if (f != NULL)
		free(f->path);
	free(f);
}

static const char *
base_name(const char *p)
{
	const char *s = strrchr(p, '/');

	return s ? s + 1 : p;
}

static int
valid_unit_name(const char *name)
{
	struct irk_unit_name un;
	static const char *types[] = { "service", "socket", "target",
	    "device", "mount", "automount", "swap", "timer", "path",
	    "slice", "scope" };

	if (irk_unit_name_parse(name, &un) != 0)
		return 0;
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(un.type, types[i]) == 0)
			return 1;
	return 0;
}

/* Sorted names of a directory; ENOENT is silent, other errors logged. */
static int
list_dir(struct loader *l, const char *path, struct irk_strv *names,
    int quiet_missing)
{
	struct irk_dirent de;
	struct irk_dir *d;
	struct irk_err err;
	int r;

	irk_err_clear(&err);
	if (l->c->fs->ops->opendir(l->c->fs, path, &d, &err) != IRK_OK) {
		if (err.errnum == ENOENT && quiet_missing)
			return IRK_FAIL;
		if (err.errnum == ENOTDIR)
			irk_collect_log(l->c, IRK_LOG_WARN, path, ENOTDIR,
			    "unit directory is not a directory, skipped");
		else
			irk_collect_log_err(l->c, IRK_LOG_WARN, path, &err);
		l->warn = 1;
		return IRK_FAIL;
	}
	while ((r = l->c->fs->ops->readdir(d, &de)) == 1) {
		if (names->n >= DIR_ENTRIES_MAX) {
			irk_collect_log(l->c, IRK_LOG_WARN, path, 0,
			    "more than %d entries, the rest skipped",
			    DIR_ENTRIES_MAX);
			l->warn = 1;
			break;
		}
		if (irk_strv_add(names, de.name) != 0) {
			r = -1;
			break;
		}
	}
	if (r < 0) {
		irk_collect_log(l->c, IRK_LOG_WARN, path, errno,
		    "cannot read directory");
		l->warn = 1;
	}
	l->c->fs->ops->closedir(d);
	irk_strv_sort(names);
	return IRK_OK;
}

static int
add_dir(struct irk_units *u, struct irk_collect *c, const char *path,
    int cls, int home)
{
	struct irk_unit_dir *nd;
	struct irk_buf real;
	struct irk_err err;

	/* The same directory twice (/lib -> usr/lib): keep the first. */
	irk_buf_init(&real, 4096);
	if (irk_fs_resolve(c->fs, path, &real, &err) == IRK_OK) {
		for (size_t i = 0; i < u->ndirs; i++) {
			struct irk_buf o;
			int same;

			irk_buf_init(&o, 4096);
			same = irk_fs_resolve(c->fs, u->dirs[i].path, &o,
			    &err) == IRK_OK && strcmp(o.data, real.data) == 0;
			irk_buf_release(&o);
			if (same) {
				irk_buf_release(&real);
				return IRK_OK;
			}
		}
	}
	irk_buf_release(&real);
	nd = realloc(u->dirs, (u->ndirs + 1) * sizeof(*nd));
	if (nd == NULL)
		return IRK_FAIL;
	u->dirs = nd;
	if ((nd[u->ndirs].path = strdup(path)) == NULL)
		return IRK_FAIL;
	nd[u->ndirs].cls = cls;
	nd[u->ndirs].home = home;
	nd[u->ndirs].missing = 0;
	u->ndirs++;
	return IRK_OK;
}

static int
search_path(struct irk_units *u, struct irk_collect *c)
{
	char p[4096];

	if (!u->user_scope) {
		for (size_t i = 0; i < sizeof(system_dirs) /
		    sizeof(system_dirs[0]); i++)
			if (add_dir(u, c, system_dirs[i].path,
			    system_dirs[i].cls, 0) != IRK_OK)
				return IRK_FAIL;
		return IRK_OK;
	}
	for (size_t i = 0; i < sizeof(user_dirs) / sizeof(user_dirs[0]); i++) {
		const char *d = user_dirs[i].path;
		int home = d[0] == '~' || d[0] == '@';

		if (home && u->owner == NULL)
			continue;
		if (d[0] == '~')
			(void)snprintf(p, sizeof(p), "%s%s", u->owner->home,
			    d + 1);
		else if (d[0] == '@')
			(void)snprintf(p, sizeof(p), "/run/user/%u%s",
			    (unsigned)u->owner->uid, d + 1);
		else
			(void)snprintf(p, sizeof(p), "%s", d);
		if (add_dir(u, c, p, user_dirs[i].cls, home) != IRK_OK)
			return IRK_FAIL;
	}
	return IRK_OK;
}

static int
add_link(struct loader *l, const char *unit, const char *by,
    const char *path, int requires, int dir)
{
	struct deplink *nl = realloc(l->links, (l->nlinks + 1) * sizeof(*nl));

	if (nl == NULL)
		return IRK_FAIL;
	l->links = nl;
	nl[l->nlinks].unit = strdup(unit);
	nl[l->nlinks].by = strdup(by);
	nl[l->nlinks].path = strdup(path);
	nl[l->nlinks].requires = requires;
	nl[l->nlinks].dir = dir;
	l->nlinks++;
	return IRK_OK;
}

static int
scan_deps(struct loader *l, const char *dirpath, const char *entry, int dir)
{
	struct irk_strv names = { 0 };
	char by[256], p[4096];
	int requires = irk_has_suffix(entry, ".requires");
	size_t bl = strlen(entry) - (requires ? 9 : 6);

	if (bl == 0 || bl >= sizeof(by))
		return IRK_OK;
	memcpy(by, entry, bl);
	by[bl] = '\0';
	if (irk_path_join(p, sizeof(p), dirpath, entry) != IRK_OK)
		return IRK_OK;
	if (list_dir(l, p, &names, 1) != IRK_OK)
		return IRK_OK;
	for (size_t i = 0; i < names.n; i++) {
		char lp[4096];

		if (!valid_unit_name(names.v[i]))
			continue;
		if (irk_path_join(lp, sizeof(lp), p, names.v[i]) != IRK_OK)
			continue;
		if (add_link(l, names.v[i], by, lp, requires, dir) != IRK_OK) {
			irk_strv_release(&names);
			return IRK_FAIL;
		}
	}
	irk_strv_release(&names);
	return IRK_OK;
}

static int
scan_dirs(struct loader *l)
{
	struct irk_units *u = l->u;

	for (size_t d = 0; d < u->ndirs; d++) {
		struct irk_strv names = { 0 };

		if (list_dir(l, u->dirs[d].path, &names, 1) != IRK_OK) {
			u->dirs[d].missing = 1;
			continue;
		}
		for (size_t i = 0; i < names.n; i++) {
			const char *n = names.v[i];
			struct found *f;
			char p[4096];

			if (irk_has_suffix(n, ".wants") ||
			    irk_has_suffix(n, ".requires")) {
				if (scan_deps(l, u->dirs[d].path, n,
				    (int)d) != IRK_OK)
					goto fail;
				continue;
			}
			if (!valid_unit_name(n) ||
			    irk_strmap_has(&l->found, n))
				continue;
			if (irk_path_join(p, sizeof(p), u->dirs[d].path, n) !=
			    IRK_OK)
				continue;
			if ((f = calloc(1, sizeof(*f))) == NULL ||
			    (f->path = strdup(p)) == NULL) {
				free(f);
				goto fail;
			}
			f->dir = (int)d;
			if (irk_strmap_put(&l->found, n, f) != 0) {
				found_free(f);
				goto fail;
			}
		}
		irk_strv_release(&names);
		continue;
fail:
		irk_strv_release(&names);
		return IRK_FAIL;
	}
	return IRK_OK;
}

static struct irk_unit *
new_unit(struct irk_units *u, const char *name)
{
	struct irk_unit *nv = realloc(u->v, (u->n + 1) * sizeof(*nv));
	struct irk_unit_name un;

	if (nv == NULL)
		return NULL;
	u->v = nv;
	memset(&nv[u->n], 0, sizeof(nv[u->n]));
	if ((nv[u->n].name = strdup(name)) == NULL)
		return NULL;
	nv[u->n].dir = -1;
	nv[u->n].link_class = -1;
	nv[u->n].alias_class = -1;
	if (irk_unit_name_parse(name, &un) == 0) {
		nv[u->n].is_template = un.is_template;
		nv[u->n].is_instance = un.is_instance;
	}
	return &nv[u->n++];
}

struct irk_unit_resolved {
	int masked;
	char *real;		/* resolved path */
	char *error;
};

/*
 * What a search-path entry is: a mask, a file (real path), or a link
 * whose target name tells an alias.
 */
static void
resolve_entry(struct loader *l, const char *path, struct irk_unit_resolved *r)
{
	struct irk_fs *fs = l->c->fs;
	struct irk_stat st;
	struct irk_err err;
	struct irk_buf b;
	char msg[600];

	memset(r, 0, sizeof(*r));
	irk_buf_init(&b, 4096);
	if (fs->ops->stat(fs, path, 0, &st, &err) != IRK_OK)
		goto fail;
	if (S_ISLNK(st.mode)) {
		if (fs->ops->readlink(fs, path, &b, &err) != IRK_OK)
			goto fail;
		if (strcmp(b.data, "/dev/null") == 0) {
			r->masked = 1;
			goto out;
		}
		irk_buf_reset(&b);
		if (irk_fs_resolve(fs, path, &b, &err) != IRK_OK)
			goto fail;
		if (strcmp(b.data, "/dev/null") == 0) {
			r->masked = 1;
			goto out;
		}
		if (fs->ops->stat(fs, b.data, 1, &st, &err) != IRK_OK)
			goto fail;
	} else if (irk_buf_addstr(&b, path) != IRK_OK)
		goto fail;
	if (S_ISCHR(st.mode)) {
		r->masked = 1;		/* /dev/null on a live root */
		goto out;
	}
	if (!S_ISREG(st.mode)) {
		irk_err_set(&err, S_ISDIR(st.mode) ? EISDIR : EINVAL,
		    "unit file is not a regular file");
		goto fail;
	}
	if (st.size == 0) {
		r->masked = 1;		/* systemd.unit(5): empty is masked */
		goto out;
	}
	r->real = strdup(b.data);
	goto out;
fail:
	(void)irk_err_str(&err, msg, sizeof(msg));
	irk_collect_log(l->c, IRK_LOG_WARN, path, err.errnum,
	    "cannot load unit: %s", err.msg);
	l->warn = 1;
	r->error = strdup(msg);
out:
	irk_buf_release(&b);
}

static struct irk_unit *
find_unit(struct irk_units *u, const char *name)
{
	for (size_t i = 0; i < u->n; i++)
		if (strcmp(u->v[i].name, name) == 0)
			return &u->v[i];
	return NULL;
}

/* Decide every name: unit, instance, alias or mask. */
static int
resolve_names(struct loader *l)
{
	struct irk_units *u = l->u;
	struct irk_strv names = { 0 }, alias_names = { 0 }, alias_targets = { 0 };
	const char *key;
	void *val;
	size_t it = 0;
	int r = IRK_FAIL;

	while (irk_strmap_next(&l->found, &it, &key, &val))
		if (irk_strv_add(&names, key) != 0)
			goto out;
	/* instances known only through their .wants/ links */
	for (size_t i = 0; i < l->nlinks; i++) {
		struct irk_unit_name un;

		if (irk_unit_name_parse(l->links[i].unit, &un) == 0 &&
		    un.is_instance && !irk_strmap_has(&l->found,
		    l->links[i].unit) && !irk_strv_has(&names,
		    l->links[i].unit) && irk_strv_add(&names,
		    l->links[i].unit) != 0)
			goto out;
	}
	irk_strv_sort(&names);
	for (size_t i = 0; i < names.n; i++) {
		const char *name = names.v[i];
		struct found *f = irk_strmap_get(&l->found, name);
		struct irk_unit_resolved res;
		struct irk_unit_name un;
		struct irk_unit *unit;
		char tmpl[300];

		(void)irk_unit_name_parse(name, &un);
		tmpl[0] = '\0';
		if (un.is_instance)
			(void)snprintf(tmpl, sizeof(tmpl), "%s@.%s", un.prefix,
			    un.type);
		if (f == NULL) {
			/* an instance: load its template */
			struct found *t = irk_strmap_get(&l->found, tmpl);

			if ((unit = new_unit(u, name)) == NULL)
				goto out;
			if (t == NULL) {
				unit->error = strdup("no unit file (neither "
				    "the instance nor its template)");
				continue;
			}
			resolve_entry(l, t->path, &res);
			unit->unit_path = strdup(t->path);
			unit->dir = t->dir;
			unit->masked = res.masked;
			unit->fragment = res.real;
			unit->error = res.error;
			continue;
		}
		resolve_entry(l, f->path, &res);
		if (res.real != NULL && strcmp(base_name(res.real), name) != 0 &&
		    strcmp(base_name(res.real), tmpl) != 0) {
			/* an alias: foo.service -> bar.service */
			if (irk_strv_add(&alias_names, name) != 0 ||
			    irk_strv_add(&alias_targets, res.real) != 0) {
				free(res.real);
				goto out;
			}
			free(res.real);
			continue;
		}
		if ((unit = new_unit(u, name)) == NULL) {
			free(res.real);
			free(res.error);
			goto out;
		}
		unit->unit_path = strdup(f->path);
		unit->dir = f->dir;
		unit->masked = res.masked;
		unit->fragment = res.real;
		unit->error = res.error;
	}
	for (size_t i = 0; i < alias_names.n; i++) {
		const char *target = base_name(alias_targets.v[i]);
		struct irk_unit *unit = find_unit(u, target);

		if (unit == NULL) {
			/* linked from outside the search path */
			if ((unit = new_unit(u, target)) == NULL)
				goto out;
			unit->fragment = strdup(alias_targets.v[i]);
			unit->unit_path = strdup(((struct found *)
			    irk_strmap_get(&l->found, alias_names.v[i]))->path);
			unit->dir = ((struct found *)irk_strmap_get(&l->found,
			    alias_names.v[i]))->dir;
		}
		if (irk_strv_add(&unit->aliases, alias_names.v[i]) != 0)
			goto out;
		{
			struct found *af = irk_strmap_get(&l->found,
			    alias_names.v[i]);
			int cls = u->dirs[af->dir].cls;

			if (unit->alias_class < 0 || cls < unit->alias_class)
				unit->alias_class = cls;
		}
	}
	r = IRK_OK;
out:
	irk_strv_release(&names);
	irk_strv_release(&alias_names);
	irk_strv_release(&alias_targets);
	return r;
}

/* Drop-in directory names of one name, most specific first. */
static void
dropin_dir_names(const char *name, struct irk_strv *out)
{
	struct irk_unit_name un;
	char b[600];

	if (irk_unit_name_parse(name, &un) != 0)
		return;
	(void)snprintf(b, sizeof(b), "%s.d", name);
	(void)irk_strv_add(out, b);
	if (un.is_instance) {
		(void)snprintf(b, sizeof(b), "%s@.%s.d", un.prefix, un.type);
		(void)irk_strv_add(out, b);
	}
	/* prefix drop-ins: foo-bar-baz.service -> foo-bar-.service.d ... */
	for (size_t i = strlen(un.prefix); i-- > 1;) {
		if (un.prefix[i - 1] != '-' || i == strlen(un.prefix))
			continue;
		(void)snprintf(b, sizeof(b), "%.*s.%s.d", (int)i, un.prefix,
		    un.type);
		if (!irk_strv_has(out, b))
			(void)irk_strv_add(out, b);
	}
	(void)snprintf(b, sizeof(b), "%s.d", un.type);
	if (!irk_strv_has(out, b))
		(void)irk_strv_add(out, b);
}

struct dropin {
	char *base;
	char *path;
	int masked;
	int dir;
};

static int
cmp_dropin(const void *a, const void *b)
{
	return strcmp(((const struct dropin *)a)->base,
	    ((const struct dropin *)b)->base);
}

static void
diag_cb(void *arg, const char *path, unsigned line, const char *msg)
{
	struct loader *l = arg;

	irk_collect_log(l->c, IRK_LOG_WARN, path, 0, "line %u: %s", line, msg);
	l->warn = 1;
}

/* Read and parse one unit file or drop-in into the unit's settings. */
static void
parse_file(struct loader *l, struct irk_unit *unit, const char *path)
{
	struct irk_buf b;
	struct irk_err err;
	size_t len;
	int r;

	irk_buf_init(&b, UNIT_FILE_MAX);
	r = irk_fs_read_file(l->c->fs, path, &b, NULL, &err);
	if (r == IRK_FAIL) {
		irk_collect_log_err(l->c, IRK_LOG_WARN, path, &err);
		l->warn = 1;
		irk_buf_release(&b);
		return;
	}
	len = b.len;
	if (r == IRK_TOOBIG) {
		const char *nl;

		irk_collect_log(l->c, IRK_LOG_WARN, path, EFBIG,
		    "unit file over %u bytes, only its first whole lines read",
		    UNIT_FILE_MAX);
		l->warn = 1;
		nl = memrchr(b.data, '\n', b.len);
		len = nl ? (size_t)(nl - b.data) : 0;
	}
	if (irk_unitfile_parse(&unit->uf, b.data, len, path, 0, diag_cb,
	    l) != 0)
		irk_collect_log(l->c, IRK_LOG_ERROR, path, ENOMEM,
		    "out of memory");
	irk_buf_release(&b);
}

static void
load_dropins(struct loader *l, struct irk_unit *unit)
{
	struct irk_units *u = l->u;
	struct irk_strv dnames = { 0 };
	struct dropin *v = NULL;
	size_t nv = 0;

	dropin_dir_names(unit->name, &dnames);
	for (size_t i = 0; i < unit->aliases.n; i++)
		dropin_dir_names(unit->aliases.v[i], &dnames);
	for (size_t d = 0; d < u->ndirs; d++) {
		if (u->dirs[d].missing)
			continue;
		for (size_t k = 0; k < dnames.n; k++) {
			struct irk_strv files = { 0 };
			char dp[4096];

			if (irk_path_join(dp, sizeof(dp), u->dirs[d].path,
			    dnames.v[k]) != IRK_OK ||
			    list_dir(l, dp, &files, 1) != IRK_OK)
				continue;
			for (size_t i = 0; i < files.n; i++) {
				struct irk_unit_resolved res;
				struct dropin *nd;
				char fp[4096];
				size_t j;

				if (!irk_has_suffix(files.v[i], ".conf"))
					continue;
				for (j = 0; j < nv; j++)
					if (strcmp(v[j].base, files.v[i]) == 0)
						break;
				if (j < nv)
					continue;	/* shadowed */
				if (irk_path_join(fp, sizeof(fp), dp,
				    files.v[i]) != IRK_OK)
					continue;
				resolve_entry(l, fp, &res);
				if ((nd = realloc(v, (nv + 1) *
				    sizeof(*v))) == NULL) {
					free(res.real);
					free(res.error);
					break;
				}
				v = nd;
				v[nv].base = strdup(files.v[i]);
				v[nv].path = strdup(fp);
				/* an empty drop-in changes nothing */
				v[nv].masked = res.masked || res.real == NULL;
				v[nv].dir = (int)d;
				nv++;
				free(res.real);
				free(res.error);
			}
			irk_strv_release(&files);
		}
	}
	if (nv > 1)
		qsort(v, nv, sizeof(*v), cmp_dropin);
	for (size_t i = 0; i < nv; i++) {
		if (!v[i].masked && !unit->masked) {
			(void)irk_strv_add(&unit->dropins, v[i].path);
			if (!unit->masked)
				parse_file(l, unit, v[i].path);
			if (u->dirs[v[i].dir].home)
				unit->in_home = 1;
		}
		free(v[i].base);
		free(v[i].path);
	}
	free(v);
	irk_strv_release(&dnames);
}

static void
attach_links(struct loader *l, struct irk_unit *unit)
{
	for (size_t i = 0; i < l->nlinks; i++) {
		struct deplink *dl = &l->links[i];
		struct irk_strv *by;
		int cls;

		if (unit->is_template) {
			struct irk_unit_name a, b;

			if (irk_unit_name_parse(dl->unit, &a) == 0 &&
			    a.is_instance && irk_unit_name_parse(unit->name,
			    &b) == 0 && strcmp(a.prefix, b.prefix) == 0 &&
			    strcmp(a.type, b.type) == 0 &&
			    l->u->dirs[dl->dir].cls != IRK_UDIR_VENDOR) {
				unit->indirect = 1;
				if (!irk_strv_has(&unit->instances, dl->unit))
					(void)irk_strv_add(&unit->instances,
					    dl->unit);
			}
		}
		if (strcmp(dl->unit, unit->name) != 0 &&
		    !irk_strv_has(&unit->aliases, dl->unit))
			continue;
		by = dl->requires ? &unit->required_by : &unit->wanted_by;
		if (!irk_strv_has(by, dl->by))
			(void)irk_strv_add(by, dl->by);
		(void)irk_strv_add(&unit->links, dl->path);
		cls = l->u->dirs[dl->dir].cls;
		if (unit->link_class < 0 || cls < unit->link_class)
			unit->link_class = cls;
		if (l->u->dirs[dl->dir].home)
			unit->in_home = 1;
	}
}

static char *
first_line(struct irk_collect *c, const char *path)
{
	struct irk_buf b;
	char *s = NULL;

	irk_buf_init(&b, 4096);
	if (irk_fs_read_file(c->fs, path, &b, NULL, NULL) != IRK_FAIL &&
	    b.len > 0) {
		size_t n = strcspn(b.data, "\r\n");

		if (n > 0 && (s = malloc(n + 1)) != NULL) {
			memcpy(s, b.data, n);
			s[n] = '\0';
		}
	}
	irk_buf_release(&b);
	return s;
}

static void
fill_spec(struct irk_units *u, struct irk_unit *unit)
{
	struct irk_unit_spec *s = &unit->spec;

	memset(s, 0, sizeof(*s));
	s->name = unit->name;
	s->hostname = u->hostname;
	s->machine_id = u->machine_id;
	s->boot_id = u->boot_id;
	s->fragment = unit->fragment;
	s->user_scope = u->user_scope;
	if (!u->user_scope) {
		s->user = "root";
		s->uid = "0";
		s->group = "root";
		s->gid = "0";
		s->home = "/root";
		s->shell = "/bin/sh";
	} else if (u->owner != NULL) {
		s->user = u->owner->name;
		s->uid = u->uid;
		s->gid = u->gid;
		s->group = u->group;
		s->home = u->owner->home;
		s->shell = u->owner->shell;
		s->runtime_dir = u->runtime_dir;
	}
}

/*
 * Load every unit of a scope: system (user_scope 0), the global user
 * units (user_scope 1, owner NULL), or one account's user units
 * (user_scope 1, owner set: its home directories come first in the
 * search path; in_home tells which units are that account's own).
 * Returns IRK_OK, IRK_WARN (something logged), or IRK_FAIL (memory).
 */
static int
units_load(struct irk_collect *c, int user_scope,
    const struct irk_user *owner, struct irk_units *u)
{
	struct loader l;
	int r = IRK_FAIL;

	memset(u, 0, sizeof(*u));
	memset(&l, 0, sizeof(l));
	l.c = c;
	l.u = u;
	u->user_scope = user_scope;
	u->owner = owner;
	if (owner != NULL) {
		(void)snprintf(u->uid, sizeof(u->uid), "%u",
		    (unsigned)owner->uid);
		(void)snprintf(u->gid, sizeof(u->gid), "%u",
		    (unsigned)owner->gid);
		(void)snprintf(u->runtime_dir, sizeof(u->runtime_dir),
		    "/run/user/%u", (unsigned)owner->uid);
		u->group = irk_users_group(irk_collect_users(c), owner->gid);
	}
	u->hostname = first_line(c, "/etc/hostname");
	u->machine_id = first_line(c, "/etc/machine-id");
	if (c->fs->live)
		u->boot_id = first_line(c, "/proc/sys/kernel/random/boot_id");
	irk_strmap_init(&l.found, found_free);
	if (search_path(u, c) != IRK_OK || scan_dirs(&l) != IRK_OK ||
	    resolve_names(&l) != IRK_OK)
		goto out;
	for (size_t i = 0; i < u->n; i++) {
		struct irk_unit *unit = &u->v[i];

		if (unit->dir >= 0 && u->dirs[unit->dir].home)
			unit->in_home = 1;
		if (unit->fragment != NULL && !unit->masked)
			parse_file(&l, unit, unit->fragment);
		load_dropins(&l, unit);
		attach_links(&l, unit);
	}
	for (size_t i = 0; i < u->n; i++) {
		struct irk_unit *unit = &u->v[i];

		fill_spec(u, unit);
		if (unit->fragment != NULL) {
			const char *b = strrchr(unit->fragment, '/');
			size_t dl = b ? (size_t)(b - unit->fragment) : 0;

			unit->outside = 1;
			for (size_t d = 0; d < u->ndirs; d++)
				if (strlen(u->dirs[d].path) == dl &&
				    strncmp(u->dirs[d].path, unit->fragment,
				    dl) == 0)
					unit->outside = 0;
		}
	}
	r = l.warn ? IRK_WARN : IRK_OK;
out:
	irk_strmap_release(&l.found);
	for (size_t i = 0; i < l.nlinks; i++) {
		free(l.links[i].unit);
		free(l.links[i].by);
		free(l.links[i].path);
	}
	free(l.links);
	return r;
}

static void
units_release(struct irk_units *u)
{
	for (size_t i = 0; i < u->n; i++) {
		struct irk_unit *x = &u->v[i];

		free(x->name);
		free(x->unit_path);
		free(x->fragment);
		free(x->error);
		irk_strv_release(&x->aliases);
		irk_strv_release(&x->dropins);
		irk_strv_release(&x->wanted_by);
		irk_strv_release(&x->required_by);
		irk_strv_release(&x->links);
		irk_strv_release(&x->instances);
		irk_unitfile_release(&x->uf);
	}
	free(u->v);
	for (size_t i = 0; i < u->ndirs; i++)
		free(u->dirs[i].path);
	free(u->dirs);
	free(u->hostname);
	free(u->machine_id);
	free(u->boot_id);
	memset(u, 0, sizeof(*u));
}

const struct irk_unit *
irk_units_find(const struct irk_units *u, const char *name)
{
	for (size_t i = 0; i < u->n; i++)
		if (strcmp(u->v[i].name, name) == 0 ||
		    irk_strv_has(&u->v[i].aliases, name))
			return &u->v[i];
	return NULL;
}

#define EXEC_LINES_MAX 1024

json_t *
irk_unit_exec_json(struct irk_collect *c, const struct irk_unit *un,
    const char *section, const char *key, json_t **lines,
    struct irk_strv *programs, struct irk_strv *paths)
{
	size_t idx[EXEC_LINES_MAX], n;
	json_t *arr = json_array();

	if (lines != NULL)
		*lines = json_array();
	n = irk_unitfile_list(&un->uf, section, key, idx, EXEC_LINES_MAX);
	for (size_t i = 0; i < n; i++) {
		const struct irk_unit_setting *s = &un->uf.v[idx[i]];
		struct irk_execv ev;
		char msg[128];

		if (lines != NULL)
			json_array_append_new(*lines, irk_json_str(s->value));
		if (irk_exec_split(s->value, un->is_template ? NULL : &un->spec,
		    &ev, msg, sizeof(msg)) != 0) {
			irk_collect_log(c, IRK_LOG_WARN, s->path, 0,
			    "line %u: %s=: %s, ignoring it", s->line, key, msg);
			continue;
		}
		for (size_t j = 0; j < ev.n; j++) {
			json_t *argv = json_array();

			for (size_t k = 0; k < ev.v[j].argv.n; k++)
				json_array_append_new(argv,
				    irk_json_str(ev.v[j].argv.v[k]));
			if (ev.v[j].flags & IRK_EXEC_ARGV0) {
				/* keep the program in front: path, then argv */
				json_array_insert_new(argv, 0,
				    irk_json_str(ev.v[j].path));
			}
			json_array_append_new(arr, argv);
			if (programs != NULL &&
			    !irk_strv_has(programs, ev.v[j].path))
				(void)irk_strv_add(programs, ev.v[j].path);
			for (size_t k = 1; paths != NULL &&
			    k < ev.v[j].argv.n; k++)
				if (ev.v[j].argv.v[k][0] == '/' &&
				    !irk_strv_has(paths, ev.v[j].argv.v[k]))
					(void)irk_strv_add(paths,
					    ev.v[j].argv.v[k]);
		}
		irk_execv_release(&ev);
	}
	return arr;
}

char *
irk_unit_get_expanded(const struct irk_unit *un, const char *section,
    const char *key)
{
	const char *v = irk_unitfile_get(&un->uf, section, key);
	struct irk_buf b;
	char *s;

	if (v == NULL)
		return NULL;
	if (un->is_template)
		return strdup(v);
	irk_buf_init(&b, IRK_UNIT_LINE_MAX);
	if (irk_unit_specifiers(&un->spec, v, &b) < 0) {
		irk_buf_release(&b);
		return strdup(v);
	}
	s = irk_buf_detach(&b, NULL);
	irk_buf_release(&b);
	return s;
}

int
irk_units_homes(struct irk_collect *c, const struct irk_user ***out,
    size_t *n)
{
	const struct irk_users *us = irk_collect_users(c);
	const struct irk_user **v;
	size_t k = 0;

	*out = NULL;
	*n = 0;
	if (us->nusers == 0)
		return IRK_OK;
	if ((v = calloc(us->nusers, sizeof(*v))) == NULL)
		return IRK_FAIL;
	for (size_t i = 0; i < us->nusers; i++) {
		const struct irk_user *x = &us->users[i];
		size_t j;

		if (x->home == NULL || x->home[0] != '/' ||
		    strcmp(x->home, "/") == 0)
			continue;
		for (j = 0; j < k; j++)
			if (strcmp(v[j]->home, x->home) == 0)
				break;
		if (j == k)
			v[k++] = x;
	}
	*out = v;
	*n = k;
	return IRK_OK;
}

/* systemctl is-enabled's words, from files (install.c's rules). */
const char *
irk_unit_enablement(const struct irk_units *u, const struct irk_unit *un)
{
	int cls = un->dir >= 0 ? u->dirs[un->dir].cls : -1;
	int rules = 0, also = 0;

	if (un->masked)
		return cls == IRK_UDIR_RUNTIME ? "masked-runtime" : "masked";
	if (cls == IRK_UDIR_TRANSIENT)
		return "transient";
	if (cls == IRK_UDIR_GENERATOR)
		return "generated";
	for (size_t i = 0; i < un->uf.n; i++) {
		const struct irk_unit_setting *s = &un->uf.v[i];

		if (strcmp(s->section, "Install") != 0 || s->value[0] == '\0')
			continue;
		if (strcmp(s->key, "WantedBy") == 0 ||
		    strcmp(s->key, "RequiredBy") == 0 ||
		    strcmp(s->key, "UpheldBy") == 0 ||
		    strcmp(s->key, "Alias") == 0)
			rules = 1;
		else if (strcmp(s->key, "Also") == 0)
			also = 1;
	}
	if (un->link_class == IRK_UDIR_CONFIG)
		return "enabled";
	if (un->link_class == IRK_UDIR_RUNTIME)
		return "enabled-runtime";
	if (rules && un->alias_class == IRK_UDIR_CONFIG)
		return "enabled";
	if (rules && un->alias_class == IRK_UDIR_RUNTIME)
		return "enabled-runtime";
	if (un->outside && cls == IRK_UDIR_CONFIG)
		return "linked";
	if (un->outside && cls == IRK_UDIR_RUNTIME)
		return "linked-runtime";
	if (un->indirect) {
		const char *di = irk_unitfile_get(&un->uf, "Install",
		    "DefaultInstance");
		struct irk_unit_name n;
		char in[600];

		/* the default instance enabled: "enabled" */
		if (di != NULL && irk_unit_name_parse(un->name, &n) == 0) {
			(void)snprintf(in, sizeof(in), "%s@%s.%s", n.prefix, di,
			    n.type);
			if (irk_strv_has(&un->instances, in))
				return "enabled";
		}
		return "indirect";
	}
	if (rules)
		return "disabled";
	return also ? "indirect" : "static";
}

static int
each_in_scope(struct irk_collect *c, int user_scope,
    const struct irk_user *owner, int (*keep)(const char *name),
    int (*fn)(void *arg, const struct irk_units *u,
    const struct irk_unit *un), void *arg)
{
	struct irk_units u;
	int r = units_load(c, user_scope, owner, &u);

	for (size_t i = 0; i < u.n && r != IRK_FAIL && r != IRK_FATAL; i++) {
		const struct irk_unit *un = &u.v[i];

		if (!keep(un->name) || (owner != NULL && !un->in_home))
			continue;
		r = irk_worst(r, fn(arg, &u, un));
	}
	units_release(&u);
	return r;
}

int
irk_units_each(struct irk_collect *c, const struct irk_user *const *homes,
    size_t nh, int (*keep)(const char *name),
    int (*fn)(void *arg, const struct irk_units *u,
    const struct irk_unit *un), void *arg)
{
	int r = each_in_scope(c, 0, NULL, keep, fn, arg);

	if (r != IRK_FATAL)
		r = irk_worst(r, each_in_scope(c, 1, NULL, keep, fn, arg));
	for (size_t i = 0; i < nh && r != IRK_FATAL; i++)
		r = irk_worst(r, each_in_scope(c, 1, homes[i], keep, fn, arg));
	return r;
}
