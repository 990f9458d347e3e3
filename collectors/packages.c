/*
 * packages.c - the packages collector: the files of the installed dpkg
 * packages checked against the package database, as `dpkg --verify`
 * does (docs/integrity.md, docs/FORMAT.md 4.11).
 *
 * It reads /var/lib/dpkg/status (the packages, their versions and the
 * MD5 of their conffiles), /var/lib/dpkg/info/PKG[:ARCH].md5sums (the MD5
 * of the other files), .list (the paths a package owns) and
 * /var/lib/dpkg/diversions, hashes each file in scope and emits one
 * package_file record per file checked, then one per executable in a
 * system folder that no package owns ("not-owned", with its SHA-256).
 *
 * Scope by default: what an intruder replaces (irk_pkg_in_scope);
 * --integrity full: every file with a digest.  A merged /usr (/bin ->
 * usr/bin) is resolved: ownership is kept by the canonical path, and a
 * folder is listed once (packages_common.c).  Everything is read through
 * c->fs, inside the root.
 *
 * In irkit-collect (no librpm) a root with an rpm database, alone or
 * beside dpkg's, has its database copied and the state of its files in
 * scope recorded for ingest to check (rpm_states.c).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "dpkg_parse.h"
#include "opool.h"
#include "pkg_probe.h"
#include "rpm_states.h"
#include "irkit/buf.h"
#include "irkit/collect.h"
#include "irkit/collectors.h"
#include "irkit/json.h"
#include "irkit/pkgcheck.h"
#include "irkit/str.h"
#include "irkit/strmap.h"
#include "irkit/banned.h"

#define STATUS_MAX	(256u << 20)	/* the status file */
#define INFO_MAX	(64u << 20)	/* one .list or .md5sums */
#define INFO_CHUNK	(256u << 10)	/* of it read at a time */
#define DIVERSIONS_MAX	(16u << 20)
#define PROBERS		2		/* threads reading and hashing */
#define INFO_DIR	"/var/lib/dpkg/info/"

/* A diversion: the file of other packages is at `to`. */
struct diversion {
	char *to;
	char pkg[IRK_DPKG_NAME_MAX];	/* the diverting package, ":" local */
};

struct pk {
	struct irk_collect *c;
	struct irk_pkgcheck ck;		/* scope, ownership, counts */
	struct irk_strmap divert;	/* path -> struct diversion */
	struct irk_strmap hashed;	/* the package's paths with an MD5 */
	char *info;			/* INFO_CHUNK bytes: each_info_line */
	struct irk_opool *pool;	/* NULL: files looked at here */
	struct irk_pkg_probe *probe;	/* without a pool */
	size_t packages, bad_lines, bad_pkgs, no_list;
	int worst;
};

static void
free_diversion(void *v)
{
	struct diversion *d = v;

	if (d != NULL)
		free(d->to);
	free(d);
}

/* Where the file path of package pkg is: a diversion by another package
 * (or a local one) moves it, as dpkg's namenodetouse. */
static const char *
diverted(struct pk *k, const char *pkg, const char *path)
{
	const struct diversion *d = irk_strmap_get(&k->divert, path);

	if (d == NULL || strcmp(d->pkg, pkg) == 0)
		return path;
	return d->to;
}

/* --- reading the database -------------------------------------------- */

typedef int (*info_line_fn)(struct pk *, const struct irk_dpkg_pkg *,
    const char *, size_t);

/* One line of an info file to fn ('\r' dropped); too long: counted bad. */
static int
info_line(struct pk *k, info_line_fn fn, const struct irk_dpkg_pkg *p,
    const char *line, size_t len)
{
	if (len > 0 && line[len - 1] == '\r')
		len--;
	if (len > IRK_DPKG_PATH_MAX + 64) {
		k->bad_lines++;
		return IRK_OK;
	}
	return fn(k, p, line, len);
}

/*
 * Call fn for each line of p's info file EXT ("list", "md5sums"),
 * PKG:ARCH.EXT or PKG.EXT, read INFO_CHUNK at a time into k->info, so
 * that memory does not grow with the largest package (google-cloud-cli's
 * .md5sums is 5 MB); a line longer than the chunk is counted bad, bytes
 * past INFO_MAX are not read (a warning).  IRK_FAIL when neither file
 * can be opened (not logged), IRK_FATAL when fn says so, else IRK_OK
 * (a line fn could not take, IRK_FAIL, does not stop the others).
 */
static int
each_info_line(struct pk *k, const struct irk_dpkg_pkg *p, const char *ext,
    info_line_fn fn)
{
	char path[IRK_DPKG_PATH_MAX], *buf = k->info;
	struct irk_file *f = NULL;
	struct irk_err err;
	uint64_t off = 0;
	size_t have = 0, start;
	int r = IRK_OK, skipping = 0;
	const char *nl;
	ssize_t n;

	for (int i = 0; i < 2 && f == NULL; i++) {
		int qualified = (i == 0) == (p->multiarch_same != 0);

		if (qualified && p->arch[0] == '\0')
			continue;
		if (snprintf(path, sizeof(path), INFO_DIR "%s%s%s.%s", p->name,
		    qualified ? ":" : "", qualified ? p->arch : "", ext) >=
		    (int)sizeof(path))
			return IRK_FAIL;
		if (irk_fs_open(k->c->fs, path, &f, &err) != IRK_OK)
			f = NULL;
	}
	if (f == NULL)
		return IRK_FAIL;
	for (;;) {
		if (off >= INFO_MAX) {
			irk_collect_log(k->c, IRK_LOG_WARN, path, 0, "longer "
			    "than %u bytes: the rest is not read", INFO_MAX);
			k->worst = irk_worst(k->worst, IRK_WARN);
			break;
		}
		n = irk_fs_pread(k->c->fs, f, buf + have, INFO_CHUNK - have,
		    off);
		if (n < 0) {
			irk_collect_log(k->c, IRK_LOG_WARN, path, errno,
			    "cannot read the rest");
			k->worst = irk_worst(k->worst, IRK_WARN);
		}
		if (n <= 0) {
			/* the last line, without its newline */
			if (have > 0 && !skipping)
				r = info_line(k, fn, p, buf, have) ==
				    IRK_FATAL ? IRK_FATAL : IRK_OK;
			else if (skipping)
				k->bad_lines++;
			break;
		}
		off += (uint64_t)n;
		have += (size_t)n;
		start = 0;
		while ((nl = memchr(buf + start, '\n', have - start)) != NULL) {
			size_t len = (size_t)(nl - (buf + start));

			if (skipping) {
				skipping = 0;
				k->bad_lines++;
			} else if (info_line(k, fn, p, buf + start, len) ==
			    IRK_FATAL) {
				r = IRK_FATAL;
				goto out;
			}
			start += len + 1;
		}
		memmove(buf, buf + start, have - start);
		have -= start;
		if (have == INFO_CHUNK) {
			skipping = 1;	/* a line longer than the chunk */
			have = 0;
		}
	}
out:
	irk_fs_close(k->c->fs, f);
	return r;
}

static int check_listed(struct pk *k, const struct irk_dpkg_pkg *p,
    const char *listed);

/*
 * A .list line: a path in a system folder is owned; one in scope without
 * an MD5 (a folder, a link) must at least be there, as dpkg --verify
 * says.
 */
static int
list_line(struct pk *k, const struct irk_dpkg_pkg *p, const char *line,
    size_t len)
{
	char path[IRK_DPKG_PATH_MAX];

	if (len == 0 || (len == 2 && memcmp(line, "/.", 2) == 0))
		return IRK_OK;
	if (irk_dpkg_path(line, len, path) != IRK_DPKG_OK) {
		k->bad_lines++;
		return IRK_OK;
	}
	if (!irk_strmap_has(&k->hashed, path) && (k->ck.full ||
	    irk_pkg_in_scope(path, 0)) && check_listed(k, p, path) ==
	    IRK_FATAL)
		return IRK_FATAL;
	return irk_pkgcheck_own(&k->ck, diverted(k, p->name, path));
}

/* --- checking a file --------------------------------------------------- */

/* The record's status for a file read (or not) as lst and got say. */
static const char *
file_status(const char *expected, int conffile, int lstat_r,
    const struct irk_stat *lst, int errnum, int hashed, const char *md5)
{
	if (lstat_r != IRK_OK)
		return errnum == ENOENT || errnum == ENOTDIR ? "missing" :
		    "unreadable";
	if (S_ISLNK(lst->mode))
		return "replaced-by-link";
	if (!hashed)
		return "unreadable";
	if (strcmp(md5, expected) == 0)
		return "ok";
	return conffile ? "conffile-changed" : "changed";
}

/* The record of a file looked at (item), handed over. */
static int
emit_probe(void *arg, void *item)
{
	struct irk_pkg_probe *p = item;
	struct pk *k = arg;
	const char *status;
	json_t *rec;

	status = file_status(p->md5_expected, p->conffile, p->lr, &p->lst,
	    p->err.errnum, p->hashed, p->digest);
	k->ck.checked++;
	k->ck.bytes += p->bytes;
	if ((rec = irk_pkgcheck_record(&k->ck, p->pkg, p->version, p->arch,
	    p->path)) == NULL)
		return IRK_FATAL;
	irk_json_set_str(rec, "md5_expected", p->md5_expected);
	irk_json_set_str(rec, "md5_actual", p->hashed ? p->digest : NULL);
	irk_json_set_bool(rec, "conffile", p->conffile);
	irk_json_set_str(rec, "status", status);
	if (p->hashed) {
		irk_json_set_int(rec, "size", (int64_t)p->st.size);
		irk_json_set_time(rec, "mtime", p->st.mtime);
	}
	if (p->link[0] != '\0')
		irk_json_set_str(rec, "link_target", p->link);
	if (strcmp(status, "unreadable") == 0) {
		k->ck.unreadable++;
		irk_json_set_str(rec, "error", p->err.msg);
	}
	if (strcmp(status, "ok") != 0)
		k->ck.flagged++;
	return irk_collect_record(k->c, rec) == IRK_FATAL ? IRK_FATAL : IRK_OK;
}

/*
 * Check one file of p against its MD5 and emit its record: on the pool
 * when there is one (the record comes later, in order), else here.
 */
static int
check_file(struct pk *k, const struct irk_dpkg_pkg *p,
    const struct irk_dpkg_file *f, int conffile)
{
	struct irk_pkg_probe *pr = k->probe;
	const char *path = diverted(k, p->name, f->path);

	if (k->pool != NULL &&
	    (pr = irk_opool_next(k->pool, emit_probe, k)) == NULL)
		return IRK_FATAL;
	if (irk_pkgcheck_canon(&k->ck, path, pr->real, sizeof(pr->real)) !=
	    IRK_OK)
		return IRK_OK;
	(void)snprintf(pr->pkg, sizeof(pr->pkg), "%s", p->name);
	(void)snprintf(pr->version, sizeof(pr->version), "%s", p->version);
	(void)snprintf(pr->arch, sizeof(pr->arch), "%s", p->arch);
	(void)snprintf(pr->md5_expected, sizeof(pr->md5_expected), "%s",
	    f->md5);
	if (snprintf(pr->path, sizeof(pr->path), "%s", path) >=
	    (int)sizeof(pr->path))
		return IRK_OK;
	pr->conffile = conffile;
	if (k->pool != NULL) {
		irk_opool_submit(k->pool);
		return IRK_OK;
	}
	irk_pkg_probe_run(k->c->fs, k->ck.chunk, pr);
	return emit_probe(k, pr);
}

/*
 * A path the package lists with no MD5: a record only when it is
 * missing (dpkg --verify names it).
 */
static int
check_listed(struct pk *k, const struct irk_dpkg_pkg *p, const char *listed)
{
	char real[IRK_DPKG_PATH_MAX];
	const char *path = diverted(k, p->name, listed);
	struct irk_stat lst;
	struct irk_err err;
	json_t *rec;

	memset(&err, 0, sizeof(err));
	if (irk_pkgcheck_canon(&k->ck, path, real, sizeof(real)) != IRK_OK)
		return IRK_OK;
	k->ck.checked++;
	if (k->c->fs->ops->stat(k->c->fs, real, 0, &lst, &err) == IRK_OK ||
	    (err.errnum != ENOENT && err.errnum != ENOTDIR))
		return IRK_OK;
	/* after the records of the files submitted before it */
	if (k->pool != NULL && irk_opool_flush(k->pool, emit_probe, k) ==
	    IRK_FATAL)
		return IRK_FATAL;
	if ((rec = irk_pkgcheck_record(&k->ck, p->name, p->version, p->arch,
	    path)) == NULL)
		return IRK_FATAL;
	k->ck.flagged++;
	irk_json_set_str(rec, "md5_expected", NULL);
	irk_json_set_str(rec, "md5_actual", NULL);
	irk_json_set_bool(rec, "conffile", 0);
	irk_json_set_str(rec, "status", "missing");
	return irk_collect_record(k->c, rec) == IRK_FATAL ? IRK_FATAL : IRK_OK;
}

/* A .md5sums line: the file checked when in scope. */
static int
md5sums_line(struct pk *k, const struct irk_dpkg_pkg *p, const char *line,
    size_t len)
{
	struct irk_dpkg_file f;
	int r = irk_dpkg_md5sums_line(line, len, &f);

	if (r == IRK_DPKG_BAD)
		k->bad_lines++;
	if (r != IRK_DPKG_OK)
		return IRK_OK;
	if (!k->ck.full && !irk_pkg_in_scope(f.path, 0))
		return IRK_OK;
	/* only what list_line() asks about: memory stays small for a
	 * package of 50,000 files */
	if (irk_strmap_put(&k->hashed, f.path, NULL) != 0)
		return IRK_FATAL;
	return check_file(k, p, &f, 0);
}

static int
check_conffiles(struct pk *k, const struct irk_dpkg_pkg *p)
{
	struct irk_dpkg_file f;
	size_t pos = 0;
	int r, rr = IRK_OK;

	while (rr != IRK_FATAL && (r = irk_dpkg_conffile_next(p->conffiles,
	    p->conffiles_len, &pos, &f)) != -1) {
		if (r == IRK_DPKG_BAD)
			k->bad_lines++;
		if (r == IRK_DPKG_OK && (k->ck.full ||
		    irk_pkg_in_scope(f.path, 0)) &&
		    irk_strmap_put(&k->hashed, f.path, NULL) != 0)
			return IRK_FATAL;
		if (r != IRK_DPKG_OK || f.obsolete ||
		    (!k->ck.full && !irk_pkg_in_scope(f.path, 1)))
			continue;
		rr = check_file(k, p, &f, 1);
	}
	return rr;
}

/*
 * One stanza of the status file: its conffiles and .md5sums first (the
 * paths with an MD5), then its .list.
 */
static int
on_package(void *arg, const struct irk_dpkg_pkg *p)
{
	struct pk *k = arg;
	int r = 0;

	if (k->c->fatal)
		return IRK_FATAL;
	if (p->bad) {
		k->bad_pkgs++;
		return 0;
	}
	if (!p->installed)
		return 0;
	k->packages++;
	irk_strmap_init(&k->hashed, NULL);
	if (check_conffiles(k, p) == IRK_FATAL ||
	    each_info_line(k, p, "md5sums", md5sums_line) == IRK_FATAL)
		r = IRK_FATAL;
	else if ((r = each_info_line(k, p, "list", list_line)) == IRK_FAIL) {
		k->no_list++;
		r = 0;
	}
	irk_strmap_release(&k->hashed);
	return r;
}

/* /var/lib/dpkg/diversions: FROM, TO, PACKAGE, three lines each. */
static void
load_diversions(struct pk *k)
{
	static const char path[] = "/var/lib/dpkg/diversions";
	char from[IRK_DPKG_PATH_MAX], to[IRK_DPKG_PATH_MAX];
	const char *l[3];
	size_t ll[3], pos = 0;
	struct irk_err err;
	struct irk_buf b;
	struct diversion *d;

	irk_buf_init(&b, DIVERSIONS_MAX);
	if (irk_fs_read_file(k->c->fs, path, &b, NULL, &err) == IRK_FAIL) {
		irk_buf_release(&b);
		return;
	}
	while (irk_buf_next_line(&b, &pos, &l[0], &ll[0]) == 1 &&
	    irk_buf_next_line(&b, &pos, &l[1], &ll[1]) == 1 &&
	    irk_buf_next_line(&b, &pos, &l[2], &ll[2]) == 1) {
		if (irk_dpkg_path(l[0], ll[0], from) != IRK_DPKG_OK ||
		    irk_dpkg_path(l[1], ll[1], to) != IRK_DPKG_OK ||
		    ll[2] == 0 || ll[2] >= IRK_DPKG_NAME_MAX) {
			k->bad_lines++;
			continue;
		}
		if ((d = calloc(1, sizeof(*d))) == NULL ||
		    (d->to = strdup(to)) == NULL) {
			free(d);
			break;
		}
		memcpy(d->pkg, l[2], ll[2]);
		if (irk_strmap_put(&k->divert, from, d) != 0)
			free_diversion(d);
	}
	irk_buf_release(&b);
}

/* --- the collector ----------------------------------------------------- */

static void
say_counts(struct pk *k, const struct irk_dpkg_stats *st)
{
	struct irk_collect *c = k->c;

	if (st->long_lines > 0)
		irk_collect_log(c, IRK_LOG_WARN, "/var/lib/dpkg/status", 0,
		    "%zu line(s) longer than %u bytes skipped", st->long_lines,
		    IRK_DPKG_LINE_MAX);
	if (k->bad_pkgs > 0)
		irk_collect_log(c, IRK_LOG_WARN, "/var/lib/dpkg/status", 0,
		    "%zu stanza(s) with a bad name, architecture or version "
		    "skipped", k->bad_pkgs);
	if (k->bad_lines > 0)
		irk_collect_log(c, IRK_LOG_WARN, INFO_DIR, 0, "%zu line(s) "
		    "with a bad path (\"..\") or digest, or too long, skipped",
		    k->bad_lines);
	if (k->no_list > 0)
		irk_collect_log(c, IRK_LOG_WARN, INFO_DIR, 0, "%zu installed "
		    "package(s) without a .list", k->no_list);
	if (k->ck.unreadable > 0)
		irk_collect_log(c, IRK_LOG_WARN, NULL, 0, "%zu file(s) could "
		    "not be read (status 'unreadable')", k->ck.unreadable);
	irk_collect_log(c, IRK_LOG_INFO, NULL, 0, "%zu package(s), %" PRIu64
	    " file(s) checked (%s), %" PRIu64 " byte(s) read, %" PRIu64
	    " not ok", k->packages, k->ck.checked, k->ck.full ? "full" :
	    "default scope", k->ck.bytes, k->ck.flagged);
	if (st->long_lines > 0 || k->bad_pkgs > 0 || k->bad_lines > 0 ||
	    k->no_list > 0 || k->ck.unreadable > 0)
		k->worst = irk_worst(k->worst, IRK_WARN);
}

/*
 * An rpm database is read by irkit-analyze only (rpm_packages, librpm):
 * where this collector runs without it (irkit-collect), the database is
 * copied and the state of the files in scope recorded for ingest to
 * check (rpm_states.c, docs/integrity.md).
 */
static int
check_rpm(struct irk_collect *c)
{
	if (irk_collector_find("rpm_packages") != NULL)
		return IRK_OK;
	return irk_rpm_states(c);
}

static int
collect_packages(struct irk_collect *c)
{
	struct irk_dpkg_stats st;
	struct irk_err err;
	struct irk_buf status;
	struct pk k;
	int r;

	memset(&k, 0, sizeof(k));
	k.c = c;
	irk_buf_init(&status, STATUS_MAX);
	r = irk_fs_read_file(c->fs, "/var/lib/dpkg/status", &status, NULL,
	    &err);
	if (r == IRK_FAIL) {
		irk_buf_release(&status);
		if (err.errnum == ENOENT) {
			irk_collect_log(c, IRK_LOG_INFO, "/var/lib/dpkg/status",
			    0, "no dpkg database here");
			return check_rpm(c);
		}
		irk_collect_log_err(c, IRK_LOG_ERROR, "/var/lib/dpkg/status",
		    &err);
		return IRK_FAIL;
	}
	if (r == IRK_TOOBIG) {
		irk_collect_log(c, IRK_LOG_WARN, "/var/lib/dpkg/status", 0,
		    "longer than %u bytes: the rest is not read", STATUS_MAX);
		k.worst = IRK_WARN;
	}
	if ((k.probe = malloc(sizeof(*k.probe))) == NULL ||
	    (k.info = malloc(INFO_CHUNK)) == NULL ||
	    irk_pkgcheck_init(&k.ck, c, "dpkg") != IRK_OK) {
		free(k.probe);
		free(k.info);
		irk_buf_release(&status);
		return IRK_FATAL;
	}
	k.pool = irk_opool_open(c->fs, PROBERS, sizeof(struct irk_pkg_probe),
	    IRK_PKG_CHUNK, irk_pkg_probe_run);
	irk_strmap_init(&k.divert, free_diversion);
	load_diversions(&k);
	r = irk_dpkg_status_parse(status.data, status.len, on_package, &k,
	    &st);
	if (k.pool != NULL && irk_opool_flush(k.pool, emit_probe, &k) ==
	    IRK_FATAL)
		r = IRK_FATAL;
	irk_opool_close(k.pool);
	if (r == 0)
		r = irk_pkgcheck_unowned(&k.ck);
	say_counts(&k, &st);
	irk_buf_release(&status);
	free(k.info);
	irk_strmap_release(&k.divert);
	irk_pkgcheck_release(&k.ck);
	free(k.probe);
	if (r != IRK_FATAL && !c->fatal)
		k.worst = irk_worst(k.worst, check_rpm(c));
	if (r == IRK_FATAL || c->fatal)
		return IRK_FATAL;
	return k.worst;
}

const struct irk_collector irk_collector_packages = {
	"packages", "package files checked against the dpkg database",
	IRK_SRC_LIVE | IRK_SRC_LINUX_ROOT, collect_packages,
};
