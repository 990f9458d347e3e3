/*
 * logs_common.c - the time zone, the file walk and the line identity of
 * the analyzer's log collectors (logs_common.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "logs_common.h"
#include "syslog_parse.h"
#include "irkit/json.h"
#include "irkit/sha256.h"
#include "irkit/banned.h"

/* Load the target's zone (logged when there is none: UTC is taken). */
static int
irk_logctx_init(struct irk_logctx *x, struct irk_collect *c)
{
	struct irk_err err;

	memset(x, 0, sizeof(*x));
	x->c = c;
	x->seen_time = IRK_TIME_NONE;
	if (irk_tzif_load(c->fs, &x->tz, x->tzname, sizeof(x->tzname),
	    &err) == IRK_OK) {
		x->tz_known = 1;
		return IRK_OK;
	}
	if ((x->tz = irk_tzif_utc()) == NULL) {
		irk_collect_log(c, IRK_LOG_ERROR, NULL, ENOMEM, "out of memory");
		return IRK_FAIL;
	}
	(void)snprintf(x->tzname, sizeof(x->tzname), "UTC (no zone found)");
	return IRK_OK;
}

static void
irk_logctx_release(struct irk_logctx *x)
{
	irk_tzif_free(x->tz);
	x->tz = NULL;
}

int64_t
irk_logctx_local(const struct irk_logctx *x, int64_t local, int usec,
    int64_t prev, const char **note)
{
	int64_t u[2];
	int n = irk_tzif_to_utc(x->tz, local, u);

	*note = NULL;
	if (n == 0)
		*note = "gap";
	else if (n == 2) {
		*note = "overlap-earlier";
		if (prev != IRK_TIME_NONE && u[0] * 1000000 + usec < prev) {
			*note = "overlap-later";
			u[0] = u[1];
		}
	}
	return u[0] * 1000000 + usec;
}

/* The local civil year and month of a UTC µs time (a file's mtime). */
static void
irk_logctx_year(const struct irk_logctx *x, int64_t us, int *year, int *mon)
{
	int64_t s = us / 1000000;
	int d;

	irk_tzif_civil(s + irk_tzif_offset(x->tz, s, NULL), year, mon, &d);
}

void
irk_logctx_set_time(const struct irk_logctx *x, json_t *rec, int64_t us,
    const char *how, const char *note)
{
	irk_json_set_time(rec, "time", us);
	irk_json_set_str(rec, "ts_how", how);
	if (strcmp(how, "utc") != 0 && strcmp(how, "mtime-only") != 0)
		irk_json_set_str(rec, "tz", x->tzname);
	if (note != NULL)
		irk_json_set_str(rec, "ts_note", note);
}

/* How many times the line of hash h came before at this time. */
static unsigned
seen_before(struct irk_logctx *x, int64_t us, const char *h)
{
	size_t i;

	if (us != x->seen_time) {
		x->seen_time = us;
		x->nseen = 0;
	}
	for (i = 0; i < x->nseen; i++)
		if (strcmp(x->seen[i], h) == 0)
			return x->seen_count[i]++;
	if (x->nseen < IRK_LINE_HASH_SEEN) {
		memcpy(x->seen[x->nseen], h, 33);
		x->seen_count[x->nseen++] = 1;
	}
	return 0;
}

void
irk_logctx_line_hash(struct irk_logctx *x, json_t *rec, int64_t us,
    const char *line, size_t len)
{
	char head[48], sha[IRK_SHA256_HEX];
	struct irk_hash h;
	unsigned n;

	(void)snprintf(head, sizeof(head), "%lld\n", (long long)us);
	if (irk_hash_init(&h, 0) != 0)
		return;
	irk_hash_update(&h, head, strlen(head));
	irk_hash_update(&h, line, len);
	irk_hash_final(&h, sha, NULL, NULL);
	sha[32] = '\0';
	if ((n = seen_before(x, us, sha)) > 0) {
		char more[96];

		(void)snprintf(more, sizeof(more), "%.32s#%u", sha, n);
		irk_sha256_hex(more, strlen(more), sha);
		sha[32] = '\0';
	}
	irk_json_set_str(rec, "line_hash", sha);
}

json_t *
irk_log_record(const char *type, const struct irk_logfile *lf,
    const struct irk_logread *r)
{
	json_t *rec = irk_record_new(type);

	irk_json_set_str(rec, "path", lf->path);
	irk_json_set_str(rec, "log", lf->source);
	if (lf->rotation >= 0)
		irk_json_set_int(rec, "rotation", lf->rotation);
	irk_json_set_int(rec, "line", (int64_t)r->lineno);
	irk_json_set_int(rec, "offset", (int64_t)r->line_off);
	return rec;
}

int
irk_logs_years(struct irk_logctx *x, const struct irk_logfile *lf,
    struct irk_logread *r, struct irk_tzif_years *years)
{
	struct irk_syslog s;
	struct irk_err err;
	const char *line;
	size_t len;
	int cut, y, m;

	memset(years, 0, sizeof(*years));
	while (irk_logread_line(r, &line, &len, &cut) == 1) {
		irk_syslog_parse(line, len, &s);
		if (s.form == IRK_SYSLOG_TRAD)
			irk_tzif_years_scan(years, s.mon);
	}
	irk_logctx_year(x, lf->st.mtime, &y, &m);
	irk_tzif_years_start(years, y, m);
	if (irk_logread_rewind(r, &err) != IRK_OK) {
		irk_collect_log_err(x->c, IRK_LOG_ERROR, lf->path, &err);
		return IRK_WARN;
	}
	return IRK_OK;
}

/* What the reader could not do, in the log. */
static int
reader_log(struct irk_logctx *x, const struct irk_logfile *lf,
    const struct irk_logread *r)
{
	if (r->cut > 0)
		irk_collect_log(x->c, IRK_LOG_WARN, lf->path, 0, "%llu lines "
		    "longer than %u bytes cut there (the first: line %llu; "
		    "the rest of the file read)", (unsigned long long)r->cut,
		    IRK_LOGREAD_LINE_MAX, (unsigned long long)r->first_cut);
	if (r->capped)
		irk_collect_log(x->c, IRK_LOG_WARN, lf->path, 0, "%s output "
		    "stopped after %llu bytes, %u times the file's size (a "
		    "compression bomb?): the rest is not read", r->compression,
		    (unsigned long long)r->out, IRK_LOGREAD_RATIO);
	if (r->error) {
		irk_collect_log_err(x->c, IRK_LOG_ERROR, lf->path, &r->err);
		return IRK_WARN;
	}
	return IRK_OK;
}

/*
 * Call fn on each log file of kind, open in a reader; logs what the
 * reader cut, stopped or could not read.  Returns the worst result.
 */
static int
irk_logs_each(struct irk_logctx *x, enum irk_log_kind kind,
    int (*fn)(struct irk_logctx *x, const struct irk_logfile *lf,
    struct irk_logread *r, void *arg), void *arg)
{
	struct irk_logfile *v;
	struct irk_logread r;
	struct irk_err err;
	size_t n = irk_logfiles_list(x->c->fs, &v);
	int worst = IRK_OK;

	if (v == NULL)
		return IRK_FAIL;
	for (size_t i = 0; i < n && !x->c->fatal; i++) {
		if (v[i].kind != kind)
			continue;
		if (irk_logread_open(&r, x->c->fs, v[i].path, &err) != IRK_OK) {
			irk_collect_log_err(x->c, IRK_LOG_ERROR, v[i].path, &err);
			worst = irk_worst(worst, IRK_WARN);
			continue;
		}
		if (!x->tz_known && !x->tz_said) {
			x->tz_said = 1;
			irk_collect_log(x->c, IRK_LOG_WARN, "/etc/localtime", 0,
			    "no time zone file on the target: the logs' local "
			    "times are read as UTC");
		}
		x->seen_time = IRK_TIME_NONE;
		worst = irk_worst(worst, fn(x, &v[i], &r, arg));
		worst = irk_worst(worst, reader_log(x, &v[i], &r));
		irk_logread_close(&r);
	}
	free(v);
	return worst;
}

int
irk_logs_collect(struct irk_collect *c, const enum irk_log_kind *kinds,
    size_t nkinds, int (*fn)(struct irk_logctx *x,
    const struct irk_logfile *lf, struct irk_logread *r, void *arg),
    void *const *args)
{
	struct irk_logctx x;
	int r = IRK_OK;

	if (irk_logctx_init(&x, c) != IRK_OK)
		return IRK_FAIL;
	for (size_t i = 0; i < nkinds && !c->fatal; i++)
		r = irk_worst(r, irk_logs_each(&x, kinds[i], fn, args != NULL ?
		    args[i] : NULL));
	irk_logctx_release(&x);
	return r;
}

static void
set_span(json_t *rec, const char *key, struct irk_span s)
{
	if (s.p != NULL && s.n > 0)
		irk_json_set_strn(rec, key, s.p, s.n);
}

/* a number span as an integer key, when it is one */
static void
set_num(json_t *rec, const char *key, struct irk_span s)
{
	int64_t v = 0;
	size_t i;

	for (i = 0; i < s.n && s.p[i] >= '0' && s.p[i] <= '9' &&
	    v < 1000000000LL; i++)
		v = v * 10 + (s.p[i] - '0');
	if (s.p != NULL && i == s.n && i > 0)
		irk_json_set_int(rec, key, v);
}

void
irk_logmsg_json(json_t *rec, const struct irk_logmsg *m,
    const char *uid_key, const char *unit_key)
{
	irk_json_set_str(rec, "event", m->event);
	set_span(rec, "user", m->user);
	set_span(rec, "method", m->method);
	set_span(rec, "address", m->address);
	set_num(rec, "port", m->port);
	set_span(rec, "key", m->key);
	set_span(rec, "tty", m->tty);
	set_span(rec, "cwd", m->cwd);
	set_span(rec, "run_as", m->run_as);
	set_span(rec, "command", m->command);
	set_span(rec, "group", m->group);
	set_num(rec, uid_key, m->uid);
	set_span(rec, "shell", m->shell);
	set_span(rec, unit_key, m->unit);
	set_span(rec, "note", m->note);
}
