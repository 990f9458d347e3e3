/*
 * rpm_states.c - an rpm root in irkit-collect, which has no librpm
 * (static): the packages collector calls irk_rpm_states() where the
 * root has an rpm database (docs/integrity.md, "rpm").  It copies the
 * database files into the evidence and records, for every name in the
 * default integrity scope (irk_pkg_state_scope: executables, libraries,
 * PAM and kernel modules, units, anything under /etc), what `rpm -V`
 * compares: type and mode, owner and group (with the root's names),
 * size, mtime, a link's target and a regular file's SHA-256 (read on two
 * threads, pkg_probe.c).  At ingest the analyzer's rpm_packages reads
 * the copied database with librpm and compares each package file with
 * these file_state records (docs/FORMAT.md 4.20).
 *
 * The folders walked: /bin, /sbin, /etc and /lib* at the top, /usr/bin,
 * /usr/sbin and /usr/lib* (irk_pkg_state_root), each once by its real
 * path; links are never followed inside them.  A folder's own record
 * says whether its walk was complete: a name not recorded under a
 * complete walk is missing, under a truncated one not checked.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "opool.h"
#include "pkg_probe.h"
#include "rpm_states.h"
#include "irkit/json.h"
#include "irkit/pkgcheck.h"
#include "irkit/str.h"
#include "irkit/strmap.h"
#include "irkit/banned.h"

#define NAMES_MAX	(2u * 1000 * 1000)	/* names looked at in all */
#define ETC_MAX		100000			/* names under /etc */
#define DEPTH_MAX	32
#define PROBERS		2

struct rs {
	struct irk_collect *c;
	struct irk_opool *pool;		/* NULL: looked at here */
	struct irk_pkg_probe *probe;	/* without a pool, and the roots */
	unsigned char *chunk;
	struct irk_strmap walked;	/* real folders walked */
	uint64_t names, root_names, root_max, records, bytes;
	size_t unreadable, truncated;
	int root_cut;			/* this root's walk was cut short */
};

static const char *
kind_of(uint32_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG:
		return "file";
	case S_IFDIR:
		return "dir";
	case S_IFLNK:
		return "link";
	case S_IFIFO:
		return "fifo";
	case S_IFSOCK:
		return "socket";
	case S_IFCHR:
		return "char";
	case S_IFBLK:
		return "block";
	default:
		return "unknown";
	}
}

/* The record of a name looked at (item); walk: the folder's walk, or
 * NULL. */
static int
state_record(struct rs *k, struct irk_pkg_probe *p, const char *walk)
{
	const struct irk_users *u = irk_collect_users(k->c);
	char mode[16];
	json_t *rec;

	k->bytes += p->bytes;
	if ((rec = irk_record_new("file_state")) == NULL)
		return IRK_FATAL;
	irk_json_set_str(rec, "path", p->path);
	if (p->lr == IRK_OK) {
		(void)snprintf(mode, sizeof(mode), "%07o", p->lst.mode &
		    0177777);
		irk_json_set_str(rec, "kind", kind_of(p->lst.mode));
		irk_json_set_str(rec, "mode", mode);
		irk_json_set_int(rec, "uid", p->lst.uid);
		irk_json_set_int(rec, "gid", p->lst.gid);
		irk_json_set_str(rec, "user", u != NULL ? irk_users_name(u,
		    p->lst.uid) : NULL);
		irk_json_set_str(rec, "group", u != NULL ? irk_users_group(u,
		    p->lst.gid) : NULL);
		irk_json_set_int(rec, "size", (int64_t)p->lst.size);
		irk_json_set_time(rec, "mtime", p->lst.mtime);
	}
	if (p->link[0] != '\0')
		irk_json_set_str(rec, "target", p->link);
	if (p->hashed)
		irk_json_set_str(rec, "sha256", p->digest);
	else if (p->lr != IRK_OK || S_ISREG(p->lst.mode)) {
		k->unreadable++;
		irk_json_set_str(rec, "error", p->err.msg[0] ? p->err.msg :
		    "not read");
	}
	if (walk != NULL)
		irk_json_set_str(rec, "walk", walk);
	k->records++;
	return irk_collect_record(k->c, rec) == IRK_FATAL ? IRK_FATAL : IRK_OK;
}

static int
emit_state(void *arg, void *item)
{
	return state_record(arg, item, NULL);
}

/* Look at path: on the pool when there is one, else here. */
static int
probe(struct rs *k, const char *path)
{
	struct irk_pkg_probe *p = k->probe;

	if (k->pool != NULL &&
	    (p = irk_opool_next(k->pool, emit_state, k)) == NULL)
		return IRK_FATAL;
	(void)snprintf(p->path, sizeof(p->path), "%s", path);
	(void)snprintf(p->real, sizeof(p->real), "%s", path);
	p->sha256 = 1;
	if (k->pool != NULL) {
		irk_opool_submit(k->pool);
		return IRK_OK;
	}
	irk_pkg_probe_run(k->c->fs, k->chunk, p);
	return emit_state(k, p);
}

/* A folder's own record, after the records of what was submitted. */
static int
probe_now(struct rs *k, const char *path, const char *walk)
{
	if (k->pool != NULL && irk_opool_flush(k->pool, emit_state, k) ==
	    IRK_FATAL)
		return IRK_FATAL;
	memset(k->probe, 0, sizeof(*k->probe));
	(void)snprintf(k->probe->path, sizeof(k->probe->path), "%s", path);
	(void)snprintf(k->probe->real, sizeof(k->probe->real), "%s", path);
	k->probe->sha256 = 1;
	irk_pkg_probe_run(k->c->fs, k->chunk, k->probe);
	return state_record(k, k->probe, walk);
}

/* Walk dir (a real path): the names in scope looked at, folders entered
 * (links never followed). */
static int
walk(struct rs *k, const char *dir, int depth)
{
	struct irk_fs *fs = k->c->fs;
	char path[IRK_PKG_PATH_MAX];
	struct irk_dirent de;
	struct irk_stat st;
	struct irk_dir *d;
	struct irk_err err;
	int r = IRK_OK;

	if (fs->ops->opendir(fs, dir, &d, &err) != IRK_OK) {
		irk_collect_log_err(k->c, IRK_LOG_WARN, dir, &err);
		k->root_cut = 1;
		return IRK_OK;
	}
	while (r != IRK_FATAL && fs->ops->readdir(d, &de) == 1) {
		if (k->names >= NAMES_MAX || k->root_names >= k->root_max) {
			k->root_cut = 1;
			break;
		}
		k->names++;
		k->root_names++;
		if (irk_path_join(path, sizeof(path), dir, de.name) !=
		    IRK_OK) {
			k->root_cut = 1;
			continue;
		}
		if (irk_pkg_state_scope(path))
			r = probe(k, path);
		if (de.type == 0 && fs->ops->stat(fs, path, 0, &st, &err) ==
		    IRK_OK)
			de.type = st.mode & S_IFMT;
		if (r == IRK_FATAL || de.type != S_IFDIR)
			continue;
		if (depth >= DEPTH_MAX)
			k->root_cut = 1;
		else
			r = walk(k, path, depth + 1);
	}
	fs->ops->closedir(d);
	return r;
}

/* One folder walked: a link is recorded and its real folder walked
 * (once); the folder's record says whether the walk was complete. */
static int
walk_root(struct rs *k, const char *listed)
{
	struct irk_fs *fs = k->c->fs;
	struct irk_stat st;
	struct irk_err err;
	struct irk_buf real;
	int r = IRK_OK;

	if (fs->ops->stat(fs, listed, 0, &st, &err) != IRK_OK)
		return IRK_OK;
	irk_buf_init(&real, IRK_PKG_PATH_MAX);
	if (S_ISLNK(st.mode) && (r = probe_now(k, listed, NULL)) == IRK_OK &&
	    (irk_fs_resolve(fs, listed, &real, &err) != IRK_OK ||
	    fs->ops->stat(fs, real.data, 0, &st, &err) != IRK_OK))
		st.mode = 0;
	if (r == IRK_OK && S_ISDIR(st.mode)) {
		const char *dir = real.len > 0 ? real.data : listed;

		if (!irk_strmap_has(&k->walked, dir)) {
			if (irk_strmap_put(&k->walked, dir, NULL) != 0)
				r = IRK_FATAL;
			k->root_names = 0;
			k->root_cut = 0;
			k->root_max = strcmp(dir, "/etc") == 0 ? ETC_MAX :
			    NAMES_MAX;
			if (r == IRK_OK)
				r = walk(k, dir, 0);
			if (k->root_cut)
				k->truncated++;
			if (r == IRK_OK)
				r = probe_now(k, dir, k->root_cut ?
				    "truncated" : "complete");
		}
	}
	irk_buf_release(&real);
	return r;
}

/* The folders of / (top) or /usr walked: bin, sbin, etc, lib*. */
static int
walk_roots(struct rs *k, const char *parent)
{
	struct irk_fs *fs = k->c->fs;
	char path[IRK_PKG_PATH_MAX], root[IRK_PKG_PATH_MAX];
	struct irk_dirent de;
	struct irk_dir *d;
	struct irk_err err;
	int r = IRK_OK;

	if (fs->ops->opendir(fs, parent, &d, &err) != IRK_OK)
		return IRK_OK;
	while (r != IRK_FATAL && fs->ops->readdir(d, &de) == 1) {
		if (irk_path_join(path, sizeof(path), parent, de.name) !=
		    IRK_OK || strchr(de.name, '/') != NULL)
			continue;
		/* path/x: is path a folder walked? */
		if (strlen(path) + 3 > sizeof(path))
			continue;
		memcpy(path + strlen(path), "/x", 3);
		if (!irk_pkg_state_root(path, root, sizeof(root)))
			continue;
		r = walk_root(k, root);
	}
	fs->ops->closedir(d);
	return r;
}

/* The database files copied: the journal with it when there is one,
 * ndb's Index.db with its Packages.db. */
static int
copy_db(struct irk_collect *c, const char *dir, const char *file)
{
	char path[IRK_PKG_PATH_MAX], other[IRK_PKG_PATH_MAX];
	struct irk_stat st;
	struct irk_err err;
	int r = IRK_OK;

	if (strcmp(file, IRK_RPM_NDB) == 0)
		(void)snprintf(other, sizeof(other), "%s", IRK_RPM_NDB_INDEX);
	else if ((size_t)snprintf(other, sizeof(other), "%s-wal", file) >=
	    sizeof(other))
		other[0] = '\0';
	for (int i = 0; i < 2 && r != IRK_FATAL; i++) {
		if (i == 1 && other[0] == '\0')
			break;
		if (irk_path_join(path, sizeof(path), dir, i == 0 ? file :
		    other) != IRK_OK)
			break;
		if (c->fs->ops->stat(c->fs, path, 1, &st, &err) != IRK_OK)
			continue;
		if (c->opts != NULL && c->opts->max_file_size > 0 &&
		    st.size > c->opts->max_file_size) {
			irk_collect_log(c, IRK_LOG_WARN, path, 0, "%s",
			    i == 1 && strcmp(other, IRK_RPM_NDB_INDEX) == 0 ?
			    "ndb's index is larger than --max-file-size: not "
			    "copied (not needed to check the rpm packages)" :
			    "the rpm database is larger than --max-file-size: "
			    "not copied, the rpm packages cannot be checked at "
			    "ingest");
			r = IRK_WARN;
			continue;
		}
		r = irk_worst(r, irk_collect_file(c, path, "rpm database",
		    NULL));
	}
	return r;
}

/* A file the check at ingest asks about, recorded when it is there. */
static int
walk_root_file(struct rs *k, const char *path)
{
	struct irk_stat st;
	struct irk_err err;

	if (k->c->fs->ops->stat(k->c->fs, path, 0, &st, &err) != IRK_OK)
		return IRK_OK;
	return probe_now(k, path, NULL);
}

static int
record_states(struct rs *k)
{
	int r;

	irk_strmap_init(&k->walked, NULL);
	if ((k->probe = malloc(sizeof(*k->probe))) == NULL ||
	    (k->chunk = malloc(IRK_PKG_CHUNK)) == NULL) {
		irk_strmap_release(&k->walked);
		return IRK_FATAL;
	}
	k->pool = irk_opool_open(k->c->fs, PROBERS,
	    sizeof(struct irk_pkg_probe), IRK_PKG_CHUNK, irk_pkg_probe_run);
	r = walk_roots(k, "/");
	if (r != IRK_FATAL)
		r = walk_roots(k, "/usr");
	/* a dpkg database too: its collector lists the unowned files */
	if (r != IRK_FATAL)
		r = walk_root_file(k, "/var/lib/dpkg/status");
	if (k->pool != NULL && irk_opool_flush(k->pool, emit_state, k) ==
	    IRK_FATAL)
		r = IRK_FATAL;
	irk_opool_close(k->pool);
	irk_strmap_release(&k->walked);
	free(k->probe);
	free(k->chunk);
	return r;
}

int
irk_rpm_states(struct irk_collect *c)
{
	const char *dir, *file;
	char path[IRK_PKG_PATH_MAX];
	struct rs k;
	int r;

	if (irk_rpmdb_find(c->fs, &dir, &file) != IRK_OK)
		return IRK_OK;
	if (irk_path_join(path, sizeof(path), dir, file) != IRK_OK)
		return IRK_OK;
	memset(&k, 0, sizeof(k));
	k.c = c;
	if ((r = copy_db(c, dir, file)) == IRK_FATAL)
		return IRK_FATAL;
	r = irk_worst(r, record_states(&k));
	if (r == IRK_FATAL || c->fatal)
		return IRK_FATAL;
	if (k.truncated > 0)
		irk_collect_log(c, IRK_LOG_WARN, NULL, 0, "%zu folder(s) not "
		    "walked to the end (more than %u names, %u under /etc, or "
		    "%u deep): what they hold past that is not checked",
		    k.truncated, NAMES_MAX, ETC_MAX, DEPTH_MAX);
	if (k.unreadable > 0)
		irk_collect_log(c, IRK_LOG_WARN, NULL, 0, "%zu file(s) in "
		    "scope could not be read", k.unreadable);
	irk_collect_log(c, IRK_LOG_INFO, path, 0, "an rpm database: copied, "
	    "and the state of %" PRIu64 " file(s) recorded (%" PRIu64
	    " byte(s) read) for irkit-analyze ingest to check",
	    k.records, k.bytes);
	if (k.truncated > 0 || k.unreadable > 0)
		r = irk_worst(r, IRK_WARN);
	return r;
}
