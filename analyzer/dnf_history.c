/*
 * dnf_history.c - dnf's transaction history (/var/lib/dnf/history.sqlite)
 * as package_event records (docs/logs.md, "Packages"): each package a
 * transaction installed, upgraded, downgraded, removed or reinstalled,
 * with the transaction's id, user id and command line, at its begin
 * time (UTC: dnf stores seconds since 1970).  The file is read whole
 * into memory, never to disk, and handed to the db layer's reader
 * (db_dnf.c), which treats it as hostile.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_dnf.h"
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

int
irk_dnf_history_file(struct irk_logctx *x, const struct irk_logfile *lf)
{
	struct dnf_read d = { x, lf };
	struct irk_err err;
	size_t len = 0;
	void *buf;
	int r, cut;

	if ((buf = read_whole(x->c, lf, &len)) == NULL)
		return IRK_WARN;
	irk_err_clear(&err);
	r = irk_dnf_history_read(buf, len, item_record, &d, &cut, &err);
	free(buf);
	if (r == IRK_FATAL)
		return r;
	if (r != IRK_OK) {
		irk_collect_log_err(x->c, IRK_LOG_ERROR, lf->path, &err);
		r = IRK_WARN;
	}
	if (cut) {
		irk_collect_log(x->c, IRK_LOG_WARN, lf->path, 0, "more than "
		    "%d packages: the rest is not read", IRK_DNF_ROWS_MAX);
		r = IRK_WARN;
	}
	return r;
}
