/*
 * logs_syslog.c - the syslog collector of the analyzer: every line of
 * the root's auth.log, secure, syslog, messages, kern.log and cron logs
 * (rotated, compressed) as a log_line record, with its time in UTC and
 * how it was had (docs/logs.md):
 *   utc            RFC 3339 or RFC 5424 with an offset;
 *   local          RFC 3339 without one, read in the target's zone;
 *   year-inferred  traditional "Mmm dd hh:mm:ss": the year from the
 *                  file's mtime and the order of its lines (tzif.h),
 *                  then the target's zone;
 *   mtime-only     a line with no time before any timed line.
 * A line without a time after a timed one continues it (a multi-line
 * message).  The typed fields come from logmsg.c.
 *
 * It runs on a Linux root of an image and over the copied files of a
 * collection (IRK_SRC_COPIED); irkit-collect's logs collector copies
 * the files.
 */
#include <stdlib.h>
#include <string.h>

#include "logmsg.h"
#include "logs_common.h"
#include "syslog_parse.h"
#include "irkit/buf.h"
#include "irkit/json.h"
#include "irkit/sha256.h"
#include "irkit/timeutil.h"
#include "irkit/banned.h"

/* One file being read, second pass. */
struct sl_file {
	struct irk_logctx *x;
	const struct irk_logfile *lf;
	struct irk_logread *r;
	struct irk_tzif_years years;
	int64_t prev;			/* UTC µs of the line before */
	json_t *pending;		/* the record continuation lines join */
	struct irk_buf msg;		/* its message */
	int bad_dates;
	/* the file's log_file record */
	int64_t first, last;		/* UTC µs of its first and last
					   timed lines */
	char first_hash[IRK_SHA256_HEX];	/* of its first line */
};

static const char *const form_names[] = {
	"none", "traditional", "rfc3339", "rfc5424",
};

static int
days_in(int y, int m)
{
	static const int d[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30,
	    31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return d[m - 1];
}

static void
set_span(json_t *rec, const char *key, struct irk_span s)
{
	if (s.p != NULL && s.n > 0)
		irk_json_set_strn(rec, key, s.p, s.n);
}

/* Hand the pending record over, its message complete. */
static int
flush(struct sl_file *f)
{
	json_t *rec = f->pending;

	if (rec == NULL)
		return IRK_OK;
	f->pending = NULL;
	irk_json_set_strn(rec, "message", f->msg.data, f->msg.len);
	return irk_collect_record(f->x->c, rec) == IRK_FATAL ? IRK_FATAL :
	    IRK_OK;
}

/* The line's UTC time and how it was had; IRK_TIME_NONE: none. */
static int64_t
line_time(struct sl_file *f, const struct irk_syslog *s, const char **how,
    const char **note)
{
	int year = s->year;
	int64_t local;

	*note = NULL;
	if (s->form == IRK_SYSLOG_NONE)
		return IRK_TIME_NONE;
	if (s->form == IRK_SYSLOG_TRAD)
		year = irk_tzif_years_next(&f->years, s->mon);
	if (s->mday > days_in(year, s->mon)) {
		f->bad_dates++;
		return IRK_TIME_NONE;
	}
	local = irk_timegm(year, s->mon, s->mday, s->hour, s->min,
	    s->sec > 59 ? 59 : s->sec);
	if (s->has_off) {
		*how = "utc";
		return (local - s->off) * 1000000 + s->usec;
	}
	*how = s->form == IRK_SYSLOG_TRAD ? "year-inferred" : "local";
	return irk_logctx_local(f->x, local, s->usec, f->prev, note);
}

static json_t *
line_record(struct sl_file *f, const struct irk_syslog *s, int cut)
{
	json_t *rec = irk_log_record("log_line", f->lf, f->r);
	struct irk_logmsg m;

	irk_json_set_str(rec, "format", form_names[s->form]);
	set_span(rec, "hostname", s->host);
	set_span(rec, "program", s->prog);
	if (s->pid >= 0)
		irk_json_set_int(rec, "pid", s->pid);
	if (s->pri >= 0)
		irk_json_set_int(rec, "priority", s->pri);
	set_span(rec, "msgid", s->msgid);
	set_span(rec, "sdata", s->sdata);
	if (cut)
		irk_json_set_bool(rec, "cut", 1);
	if (irk_logmsg_classify(s->prog.p, s->prog.n, s->msg.p, s->msg.n,
	    &m))
		irk_logmsg_json(rec, &m, "uid", "unit");
	return rec;
}

static int
one_line(struct sl_file *f, const char *line, size_t len, int cut)
{
	struct irk_syslog s;
	const char *how = "mtime-only", *note;
	int64_t t;
	json_t *rec;

	irk_syslog_parse(line, len, &s);
	t = line_time(f, &s, &how, &note);
	if (f->r->lineno == 1)
		irk_sha256_hex(line, len, f->first_hash);
	if (t != IRK_TIME_NONE) {
		if (f->first == IRK_TIME_NONE)
			f->first = t;
		f->last = t;
	}
	if (s.form == IRK_SYSLOG_NONE && f->pending != NULL) {
		/* a continuation: "\n" and the line, within the bound */
		if (irk_buf_addch(&f->msg, '\n') != IRK_OK ||
		    irk_buf_add(&f->msg, line, len) != IRK_OK)
			json_object_set_new(f->pending, "cut", json_true());
		return IRK_OK;
	}
	if (flush(f) != IRK_OK)
		return IRK_FATAL;
	if (t == IRK_TIME_NONE) {
		t = f->lf->st.mtime;
		how = "mtime-only";
	} else
		f->prev = t;
	rec = line_record(f, &s, cut);
	irk_logctx_set_time(f->x, rec, t, how, note);
	irk_logctx_line_hash(f->x, rec, t, line, len);
	irk_buf_reset(&f->msg);
	(void)irk_buf_add(&f->msg, s.msg.p, s.msg.n);
	f->pending = rec;
	return IRK_OK;
}

/*
 * The file as a whole (docs/logs.md, "Findings of the syslog lines"):
 * what a later collection or the next rotation is compared with.
 */
static int
file_record(struct sl_file *f)
{
	json_t *rec = irk_record_new("log_file");

	if (rec == NULL)
		return IRK_FATAL;
	irk_json_set_str(rec, "path", f->lf->path);
	irk_json_set_str(rec, "log", f->lf->source);
	if (f->lf->rotation >= 0)
		irk_json_set_int(rec, "rotation", f->lf->rotation);
	irk_json_set_int(rec, "size", (int64_t)f->lf->st.size);
	irk_json_set_int(rec, "bytes", (int64_t)f->r->out);
	irk_json_set_int(rec, "lines", (int64_t)f->r->lineno);
	irk_json_set_time(rec, "first_time", f->first);
	irk_json_set_time(rec, "last_time", f->last);
	irk_json_set_str(rec, "first_hash", f->first_hash[0] ?
	    f->first_hash : NULL);
	return irk_collect_record(f->x->c, rec) == IRK_FATAL ? IRK_FATAL :
	    IRK_OK;
}

static int
syslog_file(struct irk_logctx *x, const struct irk_logfile *lf,
    struct irk_logread *r, void *arg)
{
	struct sl_file f;
	const char *line;
	size_t len;
	int cut, res = IRK_OK;

	(void)arg;
	memset(&f, 0, sizeof(f));
	f.x = x;
	f.lf = lf;
	f.r = r;
	f.prev = f.first = f.last = IRK_TIME_NONE;
	if (irk_logs_years(x, lf, r, &f.years) != IRK_OK)
		return IRK_WARN;
	irk_buf_init(&f.msg, IRK_LOGREAD_LINE_MAX);
	while (res == IRK_OK && irk_logread_line(r, &line, &len, &cut) == 1)
		res = one_line(&f, line, len, cut);
	if (res == IRK_OK)
		res = flush(&f);
	if (res == IRK_OK)
		res = file_record(&f);
	json_decref(f.pending);
	irk_buf_release(&f.msg);
	if (f.bad_dates > 0)
		irk_collect_log(x->c, IRK_LOG_WARN, lf->path, 0, "%d lines "
		    "with a date that does not exist (as Feb 29 of a year "
		    "that is not a leap year): dated by the file's mtime",
		    f.bad_dates);
	return res;
}

static int
collect_syslog(struct irk_collect *c)
{
	static const enum irk_log_kind kind = IRK_LOG_SYSLOG;

	return irk_logs_collect(c, &kind, 1, syslog_file, NULL);
}

const struct irk_collector irk_collector_syslog = {
	"syslog", "syslog and auth logs parsed (lines, logins, sudo, su, "
	"account changes, units, cron)",
	IRK_SRC_LINUX_ROOT | IRK_SRC_COPIED, collect_syslog,
};
