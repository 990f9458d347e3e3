/*
 * dnf_history.c - dnf's transaction history (/var/lib/dnf/history.sqlite)
 * as package_event records (docs/logs.md, "Packages"): each package a
 * transaction installed, upgraded, downgraded, removed or reinstalled,
 * with the transaction's id, user id and command line, at its begin
 * time (UTC: dnf stores seconds since 1970).  The file is read whole
 * into memory and handed to the db layer's reader (db_dnf.c), which
 * treats it as hostile; with a write-ahead log beside it
 * (history.sqlite-wal: the transactions not yet checkpointed), both are
 * copied into a private folder (tmpcopy.h) and read there by SQLite,
 * which applies the log, and the folder removed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db_dnf.h"
#include "tmpcopy.h"
#include "logs_common.h"
#include "irkit/json.h"
#include "irkit/banned.h"

#define HISTORY_MAX	(256ull << 20)	/* bytes of one history.sqlite */
#define BEGIN_MAX	(1ll << 37)	/* a begin time past year 6000: none */

struct dnf_read {
	struct irk_logctx *x;
	const struct irk_logfile *lf;
};

static void
set_span(json_t *rec, const char *key, struct irk_span s)
{
	if (s.p != NULL && s.n > 0)
		irk_json_set_strn(rec, key, s.p, s.n);
}

/* a span for "%.*s": its length (at most max) and never NULL */
#define SPAN_ARG(s, max) \
	(int)((s).n > (max) ? (max) : (s).n), ((s).p != NULL ? (s).p : "")

/* "trans item name version arch action": the identity's bytes */
static void
item_hash(struct irk_logctx *x, json_t *rec, int64_t t,
    const struct irk_dnf_item *it)
{
	char id[1600];
	int n = snprintf(id, sizeof(id), "dnf-history %lld %lld %.*s %.*s "
	    "%.*s %s", (long long)it->trans, (long long)it->item,
	    SPAN_ARG(it->name, 1024), SPAN_ARG(it->version, 300),
	    SPAN_ARG(it->arch, 64), it->action);

	if (n < 0)
		n = 0;
	irk_logctx_line_hash(x, rec, t, id, (size_t)n < sizeof(id) ?
	    (size_t)n : sizeof(id) - 1);
}

static int
item_record(void *arg, const struct irk_dnf_item *it)
{
	struct dnf_read *d = arg;
	json_t *rec = irk_record_new("package_event");
	int64_t t;

	if (rec == NULL)
		return IRK_FATAL;
	irk_json_set_str(rec, "path", d->lf->path);
	irk_json_set_str(rec, "log", d->lf->source);
	irk_json_set_str(rec, "source", "dnf-history");
	irk_json_set_str(rec, "action", it->action);
	set_span(rec, "package", it->name);
	set_span(rec, "arch", it->arch);
	set_span(rec, "version", it->version);
	set_span(rec, "old_version", it->old_version);
	set_span(rec, "command", it->cmdline);
	irk_json_set_int(rec, "trans_id", it->trans);
	irk_json_set_int(rec, "uid", it->uid);
	if (it->begin > 0 && it->begin < BEGIN_MAX) {
		t = it->begin * 1000000;
		irk_logctx_set_time(d->x, rec, t, "utc", NULL);
	} else {
		t = d->lf->st.mtime;
		irk_logctx_set_time(d->x, rec, t, "mtime-only", NULL);
	}
	item_hash(d->x, rec, t, it);
	return irk_collect_record(d->x->c, rec) == IRK_FATAL ? IRK_FATAL :
	    IRK_OK;
}

/* The file's bytes, malloc'd; NULL logged. */
static void *
read_whole(struct irk_collect *c, const struct irk_logfile *lf, size_t *len)
{
	struct irk_file *f;
	struct irk_err err;
	uint64_t off = 0, size = lf->st.size;
	unsigned char *buf;
	ssize_t n = 1;

	if (size > HISTORY_MAX) {
		irk_collect_log(c, IRK_LOG_WARN, lf->path, 0, "larger than %llu "
		    "bytes: not read", (unsigned long long)HISTORY_MAX);
		return NULL;
	}
	if (irk_fs_open(c->fs, lf->path, &f, &err) != IRK_OK) {
		irk_collect_log_err(c, IRK_LOG_ERROR, lf->path, &err);
		return NULL;
	}
	if ((buf = malloc(size > 0 ? size : 1)) != NULL)
		while (off < size && (n = irk_fs_pread(c->fs, f, buf + off,
		    (size_t)(size - off), off)) > 0)
			off += (uint64_t)n;
	irk_fs_close(c->fs, f);
	if (buf == NULL || n < 0) {
		irk_collect_log(c, IRK_LOG_ERROR, lf->path, buf == NULL ?
		    ENOMEM : errno, "cannot read");
		free(buf);
		return NULL;
	}
	*len = (size_t)off;
	return buf;
}

/* Log what the reading said: an error, more rows than read. */
static int
read_said(struct irk_logctx *x, const struct irk_logfile *lf, int r,
    int cut, const struct irk_err *err)
{
	if (r == IRK_FATAL)
		return r;
	if (r != IRK_OK) {
		irk_collect_log_err(x->c, IRK_LOG_ERROR, lf->path, err);
		r = IRK_WARN;
	}
	if (cut) {
		irk_collect_log(x->c, IRK_LOG_WARN, lf->path, 0, "more than "
		    "%d packages: the rest is not read", IRK_DNF_ROWS_MAX);
		r = IRK_WARN;
	}
	return r;
}

/* Copy path (at most HISTORY_MAX bytes) as name into the folder dir. */
static int
copy_in(struct irk_collect *c, const char *path, const char *dir,
    const char *name)
{
	struct irk_err err;
	uint64_t size;
	int fd, r;

	if ((fd = irk_tmp_create(dir, name, &err)) < 0) {
		irk_collect_log_err(c, IRK_LOG_ERROR, path, &err);
		return IRK_FAIL;
	}
	r = irk_tmp_copy(c, path, fd, HISTORY_MAX, &size);
	(void)close(fd);
	return r;
}

/* What SQLite made of the -wal, logged against it. */
static void
wal_said(struct irk_collect *c, const char *wal, uint64_t size,
    int64_t frames)
{
	if (frames > 0)
		irk_collect_log(c, IRK_LOG_INFO, wal, 0, "%lld frame(s) of "
		    "the write-ahead log read with the database",
		    (long long)frames);
	else if (size > 0)
		irk_collect_log(c, IRK_LOG_WARN, wal, 0, "write-ahead log "
		    "ignored by SQLite: no frame of it matches the database "
		    "(another salt, a bad checksum or header, or the database "
		    "is not in WAL mode)");
}

/*
 * The history with its write-ahead log (lf's path "-wal", of wst): both
 * copied into a private folder, read there, the folder removed.
 */
static int
read_with_wal(struct irk_logctx *x, const struct irk_logfile *lf,
    const char *wal, const struct irk_stat *wst)
{
	struct dnf_read d = { x, lf };
	struct irk_err err;
	char dir[PATH_MAX], db[PATH_MAX + 32];
	int64_t frames = -1;
	int r, cut = 0;

	if (lf->st.size > HISTORY_MAX || wst->size > HISTORY_MAX) {
		irk_collect_log(x->c, IRK_LOG_WARN, lf->st.size > HISTORY_MAX ?
		    lf->path : wal, 0, "larger than %llu bytes: not read",
		    (unsigned long long)HISTORY_MAX);
		return IRK_WARN;
	}
	if (irk_tmp_dir_new(dir, "irkit-dnf", &err) != IRK_OK) {
		irk_collect_log_err(x->c, IRK_LOG_ERROR, lf->path, &err);
		return IRK_WARN;
	}
	(void)snprintf(db, sizeof(db), "%s/history.sqlite", dir);
	if (copy_in(x->c, lf->path, dir, "history.sqlite") != IRK_OK ||
	    copy_in(x->c, wal, dir, "history.sqlite-wal") != IRK_OK) {
		irk_tmp_dir_remove(dir);
		return IRK_WARN;
	}
	irk_err_clear(&err);
	r = irk_dnf_history_read_path(db, item_record, &d, &cut, &frames,
	    &err);
	irk_tmp_dir_remove(dir);
	if (r != IRK_FATAL && r != IRK_FAIL)
		wal_said(x->c, wal, wst->size, frames);
	return read_said(x, lf, r, cut, &err);
}

int
irk_dnf_history_file(struct irk_logctx *x, const struct irk_logfile *lf)
{
	struct dnf_read d = { x, lf };
	struct irk_stat wst;
	struct irk_err err;
	char wal[sizeof(lf->path) + 8];
	size_t len = 0;
	void *buf;
	int r, cut;

	if ((size_t)snprintf(wal, sizeof(wal), "%s-wal", lf->path) <
	    sizeof(wal) && x->c->fs->ops->stat(x->c->fs, wal, 0, &wst,
	    &err) == IRK_OK && S_ISREG(wst.mode))
		return read_with_wal(x, lf, wal, &wst);
	if ((buf = read_whole(x->c, lf, &len)) == NULL)
		return IRK_WARN;
	/* a database in WAL mode (header bytes 18 and 19: 2) without its
	 * log: SQLite opens no WAL database from memory, read it as the
	 * rollback database it then is */
	if (len >= 20 && ((unsigned char *)buf)[18] == 2 &&
	    ((unsigned char *)buf)[19] == 2)
		((unsigned char *)buf)[18] = ((unsigned char *)buf)[19] = 1;
	irk_err_clear(&err);
	r = irk_dnf_history_read(buf, len, item_record, &d, &cut, &err);
	free(buf);
	return read_said(x, lf, r, cut, &err);
}
