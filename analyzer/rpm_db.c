/*
 * rpm_db.c - an rpm database read with librpm from a private copy
 * (rpm_db.h).  librpm opens databases in a real folder only, so the
 * files read through the collector's irk_fs (an image, a root) are
 * copied into a private folder (tmpcopy.h), opened read-only with that
 * folder as librpm's root and %_dbpath /var/lib/rpm under it, and
 * removed afterwards: the analyst's own rpm database is never named.
 * An ndb Packages.db (SUSE), which Debian's librpm cannot open, is read
 * with irkit's own reader (rpm_ndb.c) and each of its header blobs
 * checked and imported with librpm as its rpmdb iterator does.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rpm/header.h>
#include <rpm/rpmdb.h>
#include <rpm/rpmlib.h>
#include <rpm/rpmlog.h>
#include <rpm/rpmmacro.h>
#include <rpm/rpmts.h>

#include "rpm_db.h"
#include "rpm_ndb.h"
#include "tmpcopy.h"
#include "irkit/pkgcheck.h"
#include "irkit/io.h"
#include "irkit/banned.h"

#define COPY_CHUNK	(1u << 20)

/* The files copied: sqlite (rpm 4.16 and later), BerkeleyDB, or ndb's
 * Packages.db (its Index.db is not needed: every header is read). */
static const struct {
	const char *name;
	const char *backend;
	int main;		/* the database itself, not its journal */
} db_files[] = {
	{ "rpmdb.sqlite", "sqlite", 1 },
	{ "rpmdb.sqlite-wal", "sqlite", 0 },
	{ "Packages", "bdb_ro", 1 },
	{ IRK_RPM_NDB, IRK_RPMDB_NDB, 1 },
	{ NULL, NULL, 0 },
};

int
irk_rpmdb_copy_new(struct irk_rpmdb_copy *cp, struct irk_err *err)
{
	char p[PATH_MAX];
	size_t n;

	memset(cp, 0, sizeof(*cp));
	if (irk_tmp_dir_new(cp->root, "irkit-rpm", err) != IRK_OK)
		return IRK_FAIL;
	n = strlen(cp->root);
	memcpy(p, cp->root, n + 1);
	/* root/var, root/var/lib, root/var/lib/rpm */
	for (const char *s = "/var\0/lib\0/rpm\0"; *s != '\0';
	    s += strlen(s) + 1) {
		memcpy(p + n, s, strlen(s) + 1);
		n += strlen(s);
		if (mkdir(p, 0700) != 0) {
			irk_err_set(err, errno, "mkdir '%s'", p);
			irk_rpmdb_copy_remove(cp);
			return IRK_FAIL;
		}
	}
	memcpy(cp->dir, p, n + 1);
	return IRK_OK;
}

void
irk_rpmdb_copy_remove(struct irk_rpmdb_copy *cp)
{
	char p[PATH_MAX];
	size_t n;

	if (cp->root[0] == '\0')
		return;
	/* the database folder: the copies, and what librpm and sqlite made
	 * there (-shm, a lock); then the folders above it, then the root */
	if (cp->dir[0] != '\0')
		irk_tmp_dir_remove(cp->dir);
	n = strlen(cp->root);
	memcpy(p, cp->root, n + 1);
	if (n + sizeof("/var/lib") <= sizeof(p)) {
		memcpy(p + n, "/var/lib", sizeof("/var/lib"));
		(void)rmdir(p);
		p[n + sizeof("/var") - 1] = '\0';
		(void)rmdir(p);
	}
	irk_tmp_dir_remove(cp->root);
}

int
irk_rpmdb_copy_bytes(struct irk_rpmdb_copy *cp, const char *name,
    const void *data, size_t len, struct irk_err *err)
{
	int fd = irk_tmp_create(cp->dir, name, err);

	if (fd < 0)
		return IRK_FAIL;
	if (irk_write_all(fd, data, len) != 0 || close(fd) != 0) {
		irk_err_set(err, errno, "write '%s/%s'", cp->dir, name);
		return IRK_FAIL;
	}
	cp->bytes += len;
	return IRK_OK;
}

/* Copy the file dir/name of the fs into the copy folder (bounded). */
static int
copy_file(struct irk_fs *fs, struct irk_rpmdb_copy *cp, const char *name,
    unsigned char *buf, struct irk_err *err)
{
	char path[PATH_MAX];
	struct irk_file *f;
	struct irk_stat st;
	uint64_t off = 0;
	ssize_t n = 0;
	int fd, r = IRK_OK;

	if (irk_path_join(path, sizeof(path), cp->from, name) != IRK_OK ||
	    irk_fs_open(fs, path, &f, err) != IRK_OK)
		return IRK_FAIL;
	if (fs->ops->fstat(f, &st) != 0 || !S_ISREG(st.mode)) {
		irk_err_set(err, 0, "'%s' is not a regular file", path);
		irk_fs_close(fs, f);
		return IRK_FAIL;
	}
	if ((fd = irk_tmp_create(cp->dir, name, err)) < 0) {
		irk_fs_close(fs, f);
		return IRK_FAIL;
	}
	while (r == IRK_OK && (n = irk_fs_pread(fs, f, buf, COPY_CHUNK,
	    off)) > 0) {
		off += (uint64_t)n;
		if (cp->bytes + off > IRK_RPMDB_BYTES_MAX) {
			irk_err_set(err, EFBIG, "the rpm database in '%s' is "
			    "larger than %llu bytes", cp->from,
			    (unsigned long long)IRK_RPMDB_BYTES_MAX);
			r = IRK_FAIL;
		} else if (irk_write_all(fd, buf, (size_t)n) != 0) {
			irk_err_set(err, errno, "write '%s/%s'", cp->dir, name);
			r = IRK_FAIL;
		}
	}
	if (r == IRK_OK && n < 0) {
		irk_err_set(err, errno, "read '%s'", path);
		r = IRK_FAIL;
	}
	cp->bytes += off;
	irk_fs_close(fs, f);
	if (close(fd) != 0 && r == IRK_OK) {
		irk_err_set(err, errno, "write '%s/%s'", cp->dir, name);
		r = IRK_FAIL;
	}
	return r;
}

/*
 * The first database folder holding a database (irk_rpmdb_find; /var/lib/rpm
 * is a link to the other on Fedora 36 and later): its backend, NULL with
 * err set when there is none (ENOENT).
 */
static const char *
find_db(struct irk_fs *fs, struct irk_rpmdb_copy *cp, struct irk_err *err)
{
	const char *dir, *file;

	if (irk_rpmdb_find(fs, &dir, &file) != IRK_OK) {
		irk_err_set(err, ENOENT, "no rpm database");
		return NULL;
	}
	(void)snprintf(cp->from, sizeof(cp->from), "%s", dir);
	for (int j = 0; db_files[j].name != NULL; j++)
		if (db_files[j].main && strcmp(file, db_files[j].name) == 0)
			return db_files[j].backend;
	irk_err_set(err, ENOENT, "no rpm database");
	return NULL;
}

int
irk_rpmdb_copy(struct irk_fs *fs, struct irk_rpmdb_copy *cp,
    struct irk_err *err)
{
	struct irk_rpmdb_copy found;
	unsigned char *buf;
	const char *backend;
	int r = IRK_OK;

	memset(&found, 0, sizeof(found));
	memset(cp, 0, sizeof(*cp));
	if ((backend = find_db(fs, &found, err)) == NULL) {
		memcpy(cp->from, found.from, sizeof(cp->from));
		return IRK_FAIL;
	}
	if ((buf = malloc(COPY_CHUNK)) == NULL) {
		irk_err_set(err, ENOMEM, "copy buffer");
		return IRK_FAIL;
	}
	if (irk_rpmdb_copy_new(cp, err) != IRK_OK) {
		free(buf);
		return IRK_FAIL;
	}
	memcpy(cp->from, found.from, sizeof(cp->from));
	cp->backend = backend;
	for (int j = 0; db_files[j].name != NULL && r == IRK_OK; j++) {
		struct irk_err e2;

		memset(&e2, 0, sizeof(e2));
		if (strcmp(db_files[j].backend, backend) != 0)
			continue;
		r = copy_file(fs, cp, db_files[j].name, buf, &e2);
		/* a journal may be absent */
		if (r != IRK_OK && !db_files[j].main && e2.errnum == ENOENT)
			r = IRK_OK;
		else if (r != IRK_OK)
			*err = e2;
	}
	free(buf);
	if (r != IRK_OK)
		irk_rpmdb_copy_remove(cp);
	return r;
}

/* --- librpm ------------------------------------------------------------ */

struct log_to {
	irk_rpmdb_log_fn fn;
	void *arg;
};

/*
 * BerkeleyDB: only Packages is copied (the packages are read from it
 * alone), so librpm's "could not open /var/lib/rpm/Name: No such file
 * or directory" for each of its index files says nothing about the
 * evidence.
 */
static int
bdb_index_missing(const char *msg)
{
	static const char pre[] = "could not open ";
	static const char post[] = ": No such file or directory";
	static const char pk[] = "Packages";
	size_t n = strlen(msg), np = sizeof(pre) - 1, nq = sizeof(post) - 1;
	size_t len;
	const char *slash, *name;

	while (n > 0 && msg[n - 1] == '\n')
		n--;
	if (n <= np + nq || strncmp(msg, pre, np) != 0 ||
	    strncmp(msg + n - nq, post, nq) != 0)
		return 0;
	if ((slash = memrchr(msg + np, '/', n - nq - np)) == NULL)
		return 0;
	name = slash + 1;
	len = (size_t)(msg + n - nq - name);
	return !(len == sizeof(pk) - 1 && memcmp(name, pk, len) == 0);
}

/* What librpm says goes to the collector's log, not to stderr. */
static int
on_rpmlog(rpmlogRec rec, rpmlogCallbackData data)
{
	struct log_to *lt = data;
	rpmlogLvl lvl = rpmlogRecPriority(rec);
	const char *msg = rpmlogRecMessage(rec);
	char out[600];

	if (lvl == RPMLOG_WARNING && msg != NULL && bdb_index_missing(msg))
		return 0;
	if (lvl <= RPMLOG_WARNING && lt->fn != NULL && msg != NULL) {
		/* longer: cut (the receiver bounds it anyway) */
		(void)snprintf(out, sizeof(out), "librpm: %s", msg);
		lt->fn(lt->arg, lvl <= RPMLOG_ERR, out);
	}
	return 0;
}

static int
read_config(struct irk_err *err)
{
	static int done, ok;

	if (!done) {
		done = 1;
		ok = rpmReadConfigFiles(NULL, NULL) == 0;
	}
	if (!ok)
		irk_err_set(err, 0, "librpm: cannot read its configuration");
	return ok ? IRK_OK : IRK_FAIL;
}

/* Iterate the packages of an open ts. */
static int
each_header(rpmts ts, irk_rpmdb_pkg_fn fn, void *arg)
{
	rpmdbMatchIterator mi = rpmtsInitIterator(ts, RPMDBI_PACKAGES, NULL,
	    0);
	size_t n = 0;
	Header h;
	int r = IRK_OK;

	if (mi == NULL)
		return IRK_OK;
	while (r == IRK_OK && (h = rpmdbNextIterator(mi)) != NULL) {
		if (++n > IRK_RPMDB_PACKAGES_MAX) {
			r = IRK_WARN;
			break;
		}
		r = fn(arg, h);
	}
	rpmdbFreeIterator(mi);
	return r;
}

/* --- ndb: irkit's reader, librpm's headers --------------------------- */

struct ndb_walk {
	rpmts ts;
	irk_rpmdb_pkg_fn fn;
	void *arg;
	struct log_to *lt;
	size_t n;
};

static void
on_ndb_bad(void *arg, const char *msg)
{
	struct ndb_walk *w = arg;
	char out[600];

	(void)snprintf(out, sizeof(out), "ndb " IRK_RPM_NDB " %s", msg);
	w->lt->fn(w->lt->arg, 1, out);
}

/* librpm's lines joined with "; " into out (cut at its size), the last
 * newline dropped. */
static void
one_line(char *out, size_t size, const char *s)
{
	size_t o = 0;

	for (; *s != '\0' && o + 3 < size; s++) {
		if (*s != '\n')
			out[o++] = *s;
		else if (s[1] != '\0') {
			out[o++] = ';';
			out[o++] = ' ';
		}
	}
	out[o] = '\0';
}

/* A blob checked (its digests) and imported as rpmdbNextIterator does. */
static int
on_ndb_blob(void *arg, const struct irk_ndb_blob *b)
{
	struct ndb_walk *w = arg;
	char *msg = NULL, why[400], out[500];
	Header h = NULL;
	int r;

	if (++w->n > IRK_RPMDB_PACKAGES_MAX)
		return IRK_WARN;
	if (headerCheck(w->ts, b->data, b->len, &msg) != RPMRC_FAIL)
		h = headerImport(b->data, (unsigned)b->len, HEADERIMPORT_COPY);
	if (h == NULL) {
		one_line(why, sizeof(why), msg != NULL ? msg + strspn(msg,
		    "\n ") : "not a header");
		(void)snprintf(out, sizeof(out), "slot %u (package %u): "
		    "librpm refuses the header: %s", b->slot, b->pkgidx, why);
		free(msg);
		on_ndb_bad(w, out);
		return 0;
	}
	free(msg);
	r = w->fn(w->arg, h);
	headerFree(h);
	return r;
}

static int
each_ndb(const struct irk_rpmdb_copy *cp, rpmts ts, irk_rpmdb_pkg_fn fn,
    void *arg, struct log_to *lt, struct irk_err *err)
{
	struct ndb_walk w = { ts, fn, arg, lt, 0 };
	int dfd, fd, r;

	if ((dfd = open(cp->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		irk_err_set(err, errno, "open '%s'", cp->dir);
		return IRK_FAIL;
	}
	fd = openat(dfd, IRK_RPM_NDB, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	close(dfd);
	if (fd < 0) {
		irk_err_set(err, errno, "open '%s/%s'", cp->dir, IRK_RPM_NDB);
		return IRK_FAIL;
	}
	r = irk_ndb_each(fd, on_ndb_blob, on_ndb_bad, &w, err);
	close(fd);
	return r;
}

int
irk_rpmdb_each(const struct irk_rpmdb_copy *cp, irk_rpmdb_pkg_fn fn,
    irk_rpmdb_log_fn logfn, void *arg, struct irk_err *err)
{
	struct log_to lt = { logfn, arg };
	int ndb = cp->backend != NULL && strcmp(cp->backend,
	    IRK_RPMDB_NDB) == 0;
	rpmlogCallback oldcb;
	rpmts ts;
	int r;

	if (read_config(err) != IRK_OK)
		return IRK_FAIL;
	oldcb = rpmlogSetCallback(on_rpmlog, &lt);
	rpmPushMacro(NULL, "_dbpath", NULL, "/var/lib/rpm", RMIL_CMDLINE);
	/* ndb: no database opened by librpm (it has no such backend) */
	rpmPushMacro(NULL, "_db_backend", NULL, cp->backend != NULL && !ndb ?
	    cp->backend : "sqlite", RMIL_CMDLINE);
	ts = rpmtsCreate();
	rpmtsSetRootDir(ts, cp->root);
	/* headers' digests checked; no keyring read (signatures) */
	rpmtsSetVSFlags(ts, _RPMVSF_NOSIGNATURES);
	if (ndb) {
		r = each_ndb(cp, ts, fn, arg, &lt, err);
	} else if (rpmtsOpenDB(ts, O_RDONLY) != 0) {
		irk_err_set(err, 0, "librpm cannot open the rpm database");
		r = IRK_FAIL;
	} else {
		r = each_header(ts, fn, arg);
	}
	rpmtsFree(ts);
	rpmPopMacro(NULL, "_db_backend");
	rpmPopMacro(NULL, "_dbpath");
	rpmlogSetCallback(oldcb, NULL);
	return r;
}
