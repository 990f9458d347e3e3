/*
 * preload.c - the preload collector: what makes code load into every
 * program or the kernel, or hides it (docs/FORMAT.md 4.6).  One
 * "preload" record per
 *   - entry of /etc/ld.so.preload (the library's presence and SHA-256:
 *     it is copied into the evidence);
 *   - LD_PRELOAD, LD_LIBRARY_PATH or LD_AUDIT in a process environment
 *     (/proc/PID/environ; a running host, or a root holding a /proc);
 *   - folder of /etc/ld.so.conf and the files it includes;
 *   - module with an initstate in /sys/module (a loadable one) that
 *     /proc/modules does not list: hidden (built-in modules have none);
 *   - modprobe.d install or remove hook;
 *   - module an /etc/pam.d file names, where it lies and whether that is
 *     outside the system's PAM folders.
 * The line formats are parsed by preload_parse.c.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "preload_parse.h"
#include "irkit/collect.h"
#include "irkit/json.h"
#include "irkit/str.h"
#include "irkit/strmap.h"
#include "irkit/banned.h"

#define CONF_MAX	(1u << 20)	/* a configuration file */
#define LINE_MAX_JOINED	(64u << 10)	/* a line with its continuations */
#define ENVIRON_MAX	(256u << 10)
#define MODULES_MAX	(4u << 20)
#define DIR_ENTRIES_MAX	65536
#define INCLUDE_DEPTH	3

/* A new preload record of kind from source (line 0: none). */
static json_t *
preload_new(const char *kind, const char *source, size_t line)
{
	json_t *rec = irk_record_new("preload");

	irk_json_set_str(rec, "kind", kind);
	irk_json_set_str(rec, "source", source);
	if (line > 0)
		irk_json_set_int(rec, "line", (int64_t)line);
	return rec;
}

static int
emit(struct irk_collect *c, json_t *rec)
{
	if (rec == NULL)
		return IRK_FATAL;
	return irk_collect_record(c, rec) == IRK_FATAL ? IRK_FATAL : IRK_OK;
}

static void
set_span(json_t *rec, const char *key, const struct irk_span *s)
{
	irk_json_set_strn(rec, key, s->s, s->len);
}

/* Whether path exists in the root (links followed inside it). */
static int
exists(struct irk_collect *c, const char *path, struct irk_stat *st)
{
	struct irk_err err;

	return c->fs->ops->stat(c->fs, path, 1, st, &err) == IRK_OK;
}

/* dir/name into path (4096 bytes), when it is a file (links followed). */
static int
regular(struct irk_collect *c, const char *dir, const char *name, char *path)
{
	struct irk_stat st;

	return irk_path_join(path, 4096, dir, name) == IRK_OK &&
	    exists(c, path, &st) && S_ISREG(st.mode);
}

typedef int (*line_fn)(struct irk_collect *c, const char *path, size_t line,
    const char *s, size_t len, void *arg);

/*
 * Each line of path (joined with the next when it ends in a backslash,
 * as kmod reads modprobe.d, when join is set).  A missing file is
 * IRK_OK and says nothing.
 */
static int
each_line(struct irk_collect *c, const char *path, int join, line_fn fn,
    void *arg)
{
	struct irk_buf b, l;
	struct irk_err err;
	size_t pos = 0, start = 0, n = 0, len;
	const char *line;
	int r;

	irk_buf_init(&b, CONF_MAX);
	irk_buf_init(&l, LINE_MAX_JOINED);
	r = irk_fs_read_file(c->fs, path, &b, NULL, &err);
	if (r == IRK_FAIL) {
		irk_buf_release(&b);
		if (err.errnum == ENOENT || err.errnum == ENOTDIR)
			return IRK_OK;
		irk_collect_log_err(c, IRK_LOG_ERROR, path, &err);
		return IRK_FAIL;
	}
	if (r == IRK_TOOBIG) {
		irk_collect_log(c, IRK_LOG_WARN, path, 0, "longer than %u "
		    "bytes: the rest is not read", CONF_MAX);
		r = IRK_WARN;
	}
	while (irk_buf_next_line(&b, &pos, &line, &len) && !c->fatal) {
		n++;
		if (l.len == 0)
			start = n;
		if (join && len > 0 && line[len - 1] == '\\') {
			if (irk_buf_add(&l, line, len - 1) == IRK_OK)
				continue;
		} else if (irk_buf_add(&l, line, len) == IRK_OK) {
			r = irk_worst(r, fn(c, path, start, l.data, l.len,
			    arg));
			irk_buf_reset(&l);
			continue;
		}
		irk_collect_log(c, IRK_LOG_WARN, path, 0, "line %zu longer "
		    "than %u bytes: not read", start, LINE_MAX_JOINED);
		irk_buf_reset(&l);
		r = irk_worst(r, IRK_WARN);
	}
	if (l.len > 0)
		r = irk_worst(r, fn(c, path, start, l.data, l.len, arg));
	irk_buf_release(&l);
	irk_buf_release(&b);
	return c->fatal ? IRK_FATAL : r;
}

typedef int (*entry_fn)(struct irk_collect *c, const char *dir,
    const char *name, void *arg);

/* Each entry of dir (sorted by the fs as it lists them); no dir: OK. */
static int
each_entry(struct irk_collect *c, const char *dir, entry_fn fn, void *arg)
{
	struct irk_dir *d;
	struct irk_dirent de;
	struct irk_err err;
	size_t n = 0;
	int r = IRK_OK, rd;

	if (c->fs->ops->opendir(c->fs, dir, &d, &err) != IRK_OK) {
		if (err.errnum == ENOENT || err.errnum == ENOTDIR)
			return IRK_OK;
		irk_collect_log_err(c, IRK_LOG_ERROR, dir, &err);
		return IRK_FAIL;
	}
	while ((rd = c->fs->ops->readdir(d, &de)) == 1 && !c->fatal) {
		if (++n > DIR_ENTRIES_MAX) {
			irk_collect_log(c, IRK_LOG_WARN, dir, 0, "more than %u "
			    "entries: the rest is not read", DIR_ENTRIES_MAX);
			r = irk_worst(r, IRK_WARN);
			break;
		}
		r = irk_worst(r, fn(c, dir, de.name, arg));
	}
	if (rd < 0) {
		irk_collect_log(c, IRK_LOG_ERROR, dir, errno, "cannot list");
		r = irk_worst(r, IRK_FAIL);
	}
	c->fs->ops->closedir(d);
	return c->fatal ? IRK_FATAL : r;
}

/* ---- /etc/ld.so.preload ---- */

static int
preload_entry(struct irk_collect *c, const char *text, size_t len)
{
	struct irk_span e;
	struct irk_stat st;
	size_t pos = 0;
	int r = IRK_OK;

	while (irk_preload_next(text, len, &pos, &e) && !c->fatal) {
		char path[4096], sha[IRK_SHA256_HEX];
		size_t line = 1;
		int have;
		json_t *rec;

		for (const char *p = text; p < e.s; p++)
			line += *p == '\n';
		(void)snprintf(path, sizeof(path), "%.*s", (int)e.len, e.s);
		rec = preload_new("ld.so.preload", "/etc/ld.so.preload", line);
		set_span(rec, "value", &e);
		irk_json_set_str(rec, "path", path);
		have = path[0] == '/' && exists(c, path, &st);
		irk_json_set_bool(rec, "exists", have);
		sha[0] = '\0';
		if (have && S_ISREG(st.mode) && irk_collect_file(c, path,
		    "ld.so.preload entry", sha) == IRK_FATAL) {
			json_decref(rec);
			return IRK_FATAL;
		}
		irk_json_set_str(rec, "sha256", sha[0] ? sha : NULL);
		r = irk_worst(r, emit(c, rec));
	}
	return r;
}

static int
ld_so_preload(struct irk_collect *c)
{
	struct irk_buf b;
	struct irk_err err;
	int r;

	irk_buf_init(&b, CONF_MAX);
	r = irk_fs_read_file(c->fs, "/etc/ld.so.preload", &b, NULL, &err);
	if (r == IRK_FAIL) {
		irk_buf_release(&b);
		if (err.errnum == ENOENT)
			return IRK_OK;
		irk_collect_log_err(c, IRK_LOG_ERROR, "/etc/ld.so.preload",
		    &err);
		return IRK_FAIL;
	}
	if (r == IRK_TOOBIG)
		irk_collect_log(c, IRK_LOG_WARN, "/etc/ld.so.preload", 0,
		    "longer than %u bytes: the rest is not read", CONF_MAX);
	r = irk_worst(r == IRK_TOOBIG ? IRK_WARN : IRK_OK,
	    preload_entry(c, b.data, b.len));
	irk_buf_release(&b);
	return r;
}

/* ---- process environments ---- */

static const char *const loader_vars[] = { "LD_PRELOAD", "LD_LIBRARY_PATH",
    "LD_AUDIT", NULL };

struct environ_walk {
	size_t unreadable;
	char first[16];		/* the first pid refused */
	struct irk_buf env, comm;
};

static int
one_environ(struct irk_collect *c, const char *dir, const char *name,
    void *arg)
{
	struct environ_walk *w = arg;
	struct irk_err err;
	struct irk_span v;
	char path[64], cpath[64];
	uint64_t pid = 0;
	int r = IRK_OK, rr;

	(void)dir;
	for (const char *p = name; *p; p++)
		if (*p < '0' || *p > '9' || (pid = pid * 10 + (uint64_t)(*p -
		    '0')) > 0x7fffffff)
			return IRK_OK;
	(void)snprintf(path, sizeof(path), "/proc/%s/environ", name);
	(void)snprintf(cpath, sizeof(cpath), "/proc/%s/comm", name);
	irk_buf_reset(&w->env);
	irk_buf_reset(&w->comm);
	rr = irk_fs_read_file(c->fs, path, &w->env, NULL, &err);
	if (rr == IRK_FAIL) {
		/* a process that ended meanwhile is no loss */
		if (err.errnum != ENOENT && err.errnum != ESRCH &&
		    w->unreadable++ == 0)
			(void)snprintf(w->first, sizeof(w->first), "%s", name);
		return IRK_OK;
	}
	if (rr == IRK_TOOBIG) {
		irk_collect_log(c, IRK_LOG_WARN, path, 0, "longer than %u "
		    "bytes: the rest is not read", ENVIRON_MAX);
		r = IRK_WARN;
	}
	(void)irk_fs_read_file(c->fs, cpath, &w->comm, NULL, &err);
	while (w->comm.len > 0 && w->comm.data[w->comm.len - 1] == '\n')
		w->comm.data[--w->comm.len] = '\0';
	for (int k = 0; loader_vars[k] != NULL; k++) {
		json_t *rec;

		if (!irk_environ_get(w->env.data ? w->env.data : "",
		    w->env.len, loader_vars[k], &v))
			continue;
		rec = preload_new("environ", path, 0);
		irk_json_set_int(rec, "pid", (int64_t)pid);
		irk_json_set_strn(rec, "process", w->comm.data ?
		    w->comm.data : "", w->comm.len);
		irk_json_set_str(rec, "name", loader_vars[k]);
		set_span(rec, "value", &v);
		r = irk_worst(r, emit(c, rec));
	}
	return r;
}

static int
environments(struct irk_collect *c)
{
	struct environ_walk w;
	int r;

	memset(&w, 0, sizeof(w));
	irk_buf_init(&w.env, ENVIRON_MAX);
	irk_buf_init(&w.comm, 64);
	r = each_entry(c, "/proc", one_environ, &w);
	/* as the processes collector: refused to root (a sandbox's init,
	 * an LSM) is a warning to look at; refused to a user, an error */
	if (w.unreadable > 0)
		irk_collect_log(c, geteuid() == 0 ? IRK_LOG_WARN :
		    IRK_LOG_ERROR, "/proc", EACCES, "the environment of %zu "
		    "process(es) could not be read (first: %s)", w.unreadable,
		    w.first);
	irk_buf_release(&w.env);
	irk_buf_release(&w.comm);
	return r;
}

/* ---- ld.so.conf ---- */

static int ldconf_file(struct irk_collect *c, const char *path, int depth);

struct include_glob {
	const char *prefix, *suffix;	/* of the last component */
	int depth;
};

static int
include_match(struct irk_collect *c, const char *dir, const char *name,
    void *arg)
{
	struct include_glob *g = arg;
	size_t nl = strlen(name), pl = strlen(g->prefix), sl = strlen(g->suffix);
	char path[4096];

	if (nl < pl + sl || strncmp(name, g->prefix, pl) != 0 ||
	    strcmp(name + nl - sl, g->suffix) != 0 ||
	    irk_path_join(path, sizeof(path), dir, name) != IRK_OK)
		return IRK_OK;
	return ldconf_file(c, path, g->depth + 1);
}

/* "include DIR/PREFIX*SUFFIX" (relative to /etc), one '*' at most. */
static int
ldconf_include(struct irk_collect *c, const char *from, size_t line,
    const struct irk_span *pat, int depth)
{
	char p[4096], *slash, *star;
	struct include_glob g;

	if (snprintf(p, sizeof(p), "%s%.*s", pat->s[0] == '/' ? "" : "/etc/",
	    (int)pat->len, pat->s) >= (int)sizeof(p))
		return IRK_OK;
	slash = strrchr(p, '/');
	*slash = '\0';
	star = strchr(slash + 1, '*');
	if (strpbrk(p, "*?[") != NULL || (star != NULL &&
	    strpbrk(star + 1, "*?[") != NULL)) {
		irk_collect_log(c, IRK_LOG_WARN, from, 0, "line %zu: include "
		    "pattern not followed (only one '*', in the file name)",
		    line);
		return IRK_WARN;
	}
	if (star == NULL) {
		*slash = '/';
		return ldconf_file(c, p, depth + 1);
	}
	*star = '\0';
	g.prefix = slash + 1;
	g.suffix = star + 1;
	g.depth = depth;
	return each_entry(c, p[0] ? p : "/", include_match, &g);
}

static int
ldconf_line(struct irk_collect *c, const char *path, size_t line,
    const char *s, size_t len, void *arg)
{
	struct irk_span v;
	struct irk_stat st;
	char dir[4096];
	json_t *rec;
	int kind = irk_ldconf_line(s, len, &v);

	if (kind == IRK_LDCONF_INCLUDE)
		return ldconf_include(c, path, line, &v, *(int *)arg);
	if (kind != IRK_LDCONF_DIR)
		return IRK_OK;
	(void)snprintf(dir, sizeof(dir), "%.*s", (int)v.len, v.s);
	rec = preload_new("ld.so.conf", path, line);
	set_span(rec, "value", &v);
	irk_json_set_str(rec, "path", dir);
	irk_json_set_bool(rec, "exists", dir[0] == '/' && exists(c, dir, &st));
	return emit(c, rec);
}

static int
ldconf_file(struct irk_collect *c, const char *path, int depth)
{
	if (depth > INCLUDE_DEPTH) {
		irk_collect_log(c, IRK_LOG_WARN, path, 0, "included more than "
		    "%d deep: not read", INCLUDE_DEPTH);
		return IRK_WARN;
	}
	return each_line(c, path, 0, ldconf_line, &depth);
}

/* ---- modules hidden from /proc/modules ---- */

static int
hidden_module(struct irk_collect *c, const char *dir, const char *name,
    void *arg)
{
	const struct irk_strmap *listed = arg;
	struct irk_buf b;
	struct irk_err err;
	char path[512];
	json_t *rec;
	int r;

	(void)dir;
	if (irk_strmap_has(listed, name))
		return IRK_OK;
	/* only a loadable module has an initstate */
	(void)snprintf(path, sizeof(path), "/sys/module/%s/initstate", name);
	irk_buf_init(&b, 64);
	if (irk_fs_read_file(c->fs, path, &b, NULL, &err) == IRK_FAIL) {
		irk_buf_release(&b);
		return IRK_OK;
	}
	while (b.len > 0 && b.data[b.len - 1] == '\n')
		b.data[--b.len] = '\0';
	(void)snprintf(path, sizeof(path), "/sys/module/%s", name);
	rec = preload_new("hidden_module", path, 0);
	irk_json_set_str(rec, "name", name);
	irk_json_set_strn(rec, "value", b.data ? b.data : "", b.len);
	irk_buf_release(&b);
	r = emit(c, rec);
	return r;
}

static int
hidden_modules(struct irk_collect *c)
{
	struct irk_strmap listed;
	struct irk_buf b;
	struct irk_err err;
	struct irk_stat st;
	size_t pos = 0, len;
	const char *line;
	int r;

	irk_buf_init(&b, MODULES_MAX);
	if (irk_fs_read_file(c->fs, "/proc/modules", &b, NULL, &err) !=
	    IRK_OK || !exists(c, "/sys/module", &st)) {
		irk_buf_release(&b);
		irk_collect_log(c, IRK_LOG_INFO, "/proc/modules", 0, "no "
		    "/proc/modules and /sys/module to compare: hidden modules "
		    "not looked for");
		return IRK_OK;
	}
	irk_strmap_init(&listed, NULL);
	while (irk_buf_next_line(&b, &pos, &line, &len)) {
		const char *sp = memchr(line, ' ', len);
		char *name = irk_dupn(line, sp ? (size_t)(sp - line) : len);

		if (name != NULL)
			(void)irk_strmap_put(&listed, name, NULL);
		free(name);
	}
	irk_buf_release(&b);
	r = each_entry(c, "/sys/module", hidden_module, &listed);
	irk_strmap_release(&listed);
	return r;
}

/* ---- modprobe.d ---- */

static int
modprobe_line(struct irk_collect *c, const char *path, size_t line,
    const char *s, size_t len, void *arg)
{
	struct irk_modprobe_hook h;
	json_t *rec;

	(void)arg;
	if (!irk_modprobe_line(s, len, &h))
		return IRK_OK;
	rec = preload_new("modprobe", path, line);
	set_span(rec, "name", &h.verb);
	set_span(rec, "module", &h.module);
	set_span(rec, "value", &h.command);
	set_span(rec, "program", &h.program);
	return emit(c, rec);
}

static int
modprobe_file(struct irk_collect *c, const char *dir, const char *name,
    void *arg)
{
	char path[4096];

	(void)arg;
	if (!irk_has_suffix(name, ".conf") || !regular(c, dir, name, path))
		return IRK_OK;
	return each_line(c, path, 1, modprobe_line, NULL);
}

static int
modprobe_hooks(struct irk_collect *c)
{
	static const char *const dirs[] = { "/etc/modprobe.d",
	    "/run/modprobe.d", "/usr/local/lib/modprobe.d", "/lib/modprobe.d",
	    "/usr/lib/modprobe.d", NULL };
	char seen[5][4096];
	size_t nseen = 0;
	int r = IRK_OK;

	for (int i = 0; dirs[i] != NULL; i++) {
		struct irk_buf real;
		struct irk_err err;
		size_t k;

		/* /lib is /usr/lib on a merged /usr: read it once */
		irk_buf_init(&real, 4096);
		if (irk_fs_resolve(c->fs, dirs[i], &real, &err) != IRK_OK) {
			irk_buf_release(&real);
			continue;
		}
		for (k = 0; k < nseen && strcmp(seen[k], real.data) != 0; k++)
			;
		if (k == nseen) {
			(void)snprintf(seen[nseen++], sizeof(seen[0]), "%s",
			    real.data);
			r = irk_worst(r, each_entry(c, dirs[i], modprobe_file,
			    NULL));
		}
		irk_buf_release(&real);
	}
	return r;
}

/* ---- PAM ---- */

struct pam_dirs {
	char dir[16][128];
	size_t n;
};

static int
multiarch_dir(struct irk_collect *c, const char *dir, const char *name,
    void *arg)
{
	struct pam_dirs *d = arg;

	(void)c;
	if (strstr(name, "-linux") != NULL && d->n < 16)
		(void)snprintf(d->dir[d->n++], sizeof(d->dir[0]),
		    "%s/%s/security", dir, name);
	return IRK_OK;
}

/* The system's PAM folders, multiarch ones first. */
static void
pam_dirs(struct irk_collect *c, struct pam_dirs *d)
{
	static const char *const plain[] = { "/lib/security",
	    "/lib64/security", "/usr/lib/security", "/usr/lib64/security",
	    NULL };

	d->n = 0;
	(void)each_entry(c, "/lib", multiarch_dir, d);
	(void)each_entry(c, "/usr/lib", multiarch_dir, d);
	for (int i = 0; plain[i] != NULL && d->n < 16; i++)
		(void)snprintf(d->dir[d->n++], sizeof(d->dir[0]), "%s",
		    plain[i]);
}

/* A path with ".." in it where it leads inside the root. */
static void
canonical(struct irk_collect *c, char *path, size_t len)
{
	struct irk_buf real;
	struct irk_err err;

	if (strstr(path, "..") == NULL)
		return;
	irk_buf_init(&real, 4096);
	if (irk_fs_resolve(c->fs, path, &real, &err) == IRK_OK)
		(void)snprintf(path, len, "%s", real.data);
	irk_buf_release(&real);
}

static void
pam_module(struct irk_collect *c, const struct pam_dirs *d, json_t *rec,
    const struct irk_span *m)
{
	struct irk_stat st;
	char name[1024], path[4096];

	(void)snprintf(name, sizeof(name), "%.*s", (int)m->len, m->s);
	if (name[0] == '/') {
		irk_json_set_str(rec, "path", name);
		irk_json_set_bool(rec, "exists", exists(c, name, &st));
		irk_json_set_bool(rec, "outside", !irk_pam_system_path(name));
		return;
	}
	/* a name is looked for in the system folders; ".." leaves them */
	for (size_t i = 0; i < d->n; i++)
		if (irk_path_join(path, sizeof(path), d->dir[i], name) ==
		    IRK_OK && exists(c, path, &st)) {
			canonical(c, path, sizeof(path));
			irk_json_set_str(rec, "path", path);
			irk_json_set_bool(rec, "exists", 1);
			irk_json_set_bool(rec, "outside", strstr(name, "..") !=
			    NULL);
			return;
		}
	irk_json_set_str(rec, "path", NULL);
	irk_json_set_bool(rec, "exists", 0);
	irk_json_set_bool(rec, "outside", strstr(name, "..") != NULL);
}

static int
pam_line(struct irk_collect *c, const char *path, size_t line,
    const char *s, size_t len, void *arg)
{
	struct irk_pam_line p;
	json_t *rec;

	if (!irk_pam_line(s, len, &p))
		return IRK_OK;
	rec = preload_new("pam", path, line);
	set_span(rec, "name", &p.type);
	set_span(rec, "value", &p.module);
	pam_module(c, arg, rec, &p.module);
	return emit(c, rec);
}

static int
pam_file(struct irk_collect *c, const char *dir, const char *name, void *arg)
{
	char path[4096];

	if (!regular(c, dir, name, path))
		return IRK_OK;
	return each_line(c, path, 0, pam_line, arg);
}

static int
pam_modules(struct irk_collect *c)
{
	struct pam_dirs d;

	pam_dirs(c, &d);
	return each_entry(c, "/etc/pam.d", pam_file, &d);
}

static int
collect_preload(struct irk_collect *c)
{
	int r = ld_so_preload(c);

	if (!c->fatal)
		r = irk_worst(r, environments(c));
	if (!c->fatal)
		r = irk_worst(r, ldconf_file(c, "/etc/ld.so.conf", 0));
	if (!c->fatal)
		r = irk_worst(r, hidden_modules(c));
	if (!c->fatal)
		r = irk_worst(r, modprobe_hooks(c));
	if (!c->fatal)
		r = irk_worst(r, pam_modules(c));
	return c->fatal ? IRK_FATAL : r;
}

const struct irk_collector irk_collector_preload = {
	"preload", "ld.so.preload, LD_PRELOAD in processes, ld.so.conf, "
	"hidden kernel modules, modprobe hooks, PAM modules",
	IRK_SRC_LIVE | IRK_SRC_LINUX_ROOT, collect_preload,
};
