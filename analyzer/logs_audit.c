/*
 * logs_audit.c - the audit collector of the analyzer: the root's
 * /var/log/audit/audit.log and its rotations, one audit_event record per
 * event (docs/logs.md, "Audit").  The records of one event (a SYSCALL
 * with its EXECVE, CWD, PATH, PROCTITLE...) share "msg=audit(TIME:
 * SERIAL)" and are grouped; a user-space record (USER_*, CRED_*,
 * ADD_USER, LOGIN...) is an event of its own, as ausearch groups them.
 * Events may interleave: up to OPEN_MAX are open at once, the oldest
 * handed over when one more opens; EOE closes one.  Every field is kept
 * (hex-encoded ones decoded, the ENRICHED format's interpreted fields
 * under "enriched"); the common ones are lifted to the record's top.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit_parse.h"
#include "logs_common.h"
#include "irkit/json.h"
#include "irkit/sha256.h"
#include "irkit/banned.h"

#define OPEN_MAX	8
#define RECORDS_MAX	256	/* records of one event kept */
#define ARGV_MAX	4096

struct au_event {
	json_t *rec;
	json_t *records;
	char key[48];
	struct irk_hash h;
	size_t nrec;
	uint64_t age;
};

struct au_file {
	struct irk_logctx *x;
	const struct irk_logfile *lf;
	struct irk_logread *r;
	struct au_event open[OPEN_MAX];
	uint64_t clock;
	uint64_t dropped;
	int fatal;
	/* the record whose fields are being read */
	struct au_event *ev;
	json_t *fields;
	const char *type;
};

/* Top-level copies of the fields the findings and the table use. */
static const char *const lifted[] = { "pid", "ppid", "uid", "auid", "ses",
	"syscall", "exe", "comm", "key", "acct", "addr", "hostname",
	"terminal", "op", "cmd", "cwd", NULL };

static int
is_key(const char *k, size_t n, const char *name)
{
	return strlen(name) == n && memcmp(k, name, n) == 0;
}

/* aN or aN[i]: N, else -1 */
static long
arg_index(const char *k, size_t n)
{
	long v = 0;
	size_t i;

	if (n < 2 || k[0] != 'a')
		return -1;
	for (i = 1; i < n && k[i] >= '0' && k[i] <= '9' && v < ARGV_MAX; i++)
		v = v * 10 + (k[i] - '0');
	if (i == 1 || (i < n && k[i] != '['))
		return -1;
	return v < ARGV_MAX ? v : -1;
}

static void
add_arg(json_t *rec, long idx, const char *v, size_t n)
{
	json_t *argv = json_object_get(rec, "argv"), *s;

	if (argv == NULL) {
		argv = json_array();
		json_object_set_new(rec, "argv", argv);
	}
	while ((long)json_array_size(argv) <= idx)
		json_array_append_new(argv, json_string(""));
	s = json_array_get(argv, (size_t)idx);
	if (json_string_length(s) == 0)
		json_array_set_new(argv, (size_t)idx, irk_json_strn(v, n));
	else {
		/* a long argument split in aN[0], aN[1]... */
		json_t *piece = irk_json_strn(v, n);
		size_t a = json_string_length(s), b = json_string_length(piece);
		char *cat = malloc(a + b + 1);

		if (cat != NULL) {
			memcpy(cat, json_string_value(s), a);
			memcpy(cat + a, json_string_value(piece), b);
			cat[a + b] = '\0';
			json_array_set_new(argv, (size_t)idx,
			    json_stringn(cat, a + b));
			free(cat);
		}
		json_decref(piece);
	}
}

static void
lift(json_t *rec, const char *type, const char *k, size_t kn, const char *v,
    size_t vn)
{
	char key[32];
	long idx;

	if (strcmp(type, "EXECVE") == 0 && (idx = arg_index(k, kn)) >= 0) {
		add_arg(rec, idx, v, vn);
		return;
	}
	if (strcmp(type, "PATH") == 0 && is_key(k, kn, "name")) {
		json_t *names = json_object_get(rec, "names");

		if (names == NULL) {
			names = json_array();
			json_object_set_new(rec, "names", names);
		}
		json_array_append_new(names, irk_json_strn(v, vn));
		return;
	}
	if (is_key(k, kn, "proctitle")) {
		irk_json_set_strn(rec, "proctitle", v, vn);
		return;
	}
	if (is_key(k, kn, "success") || is_key(k, kn, "res")) {
		int ok = (vn == 3 && memcmp(v, "yes", 3) == 0) ||
		    (vn == 7 && memcmp(v, "success", 7) == 0) ||
		    (vn == 1 && v[0] == '1');

		irk_json_set_str(rec, "result", ok ? "success" : "failed");
		return;
	}
	for (size_t i = 0; lifted[i] != NULL; i++)
		if (is_key(k, kn, lifted[i])) {
			(void)snprintf(key, sizeof(key), "%s", lifted[i]);
			if (json_object_get(rec, key) == NULL)
				irk_json_set_strn(rec, key, v, vn);
			return;
		}
}

static void
on_field(void *arg, const char *k, size_t kn, const char *v, size_t vn,
    int enriched)
{
	struct au_file *f = arg;
	json_t *rec = f->ev->rec;
	char key[128];

	if (kn == 0 || kn >= sizeof(key))
		return;
	memcpy(key, k, kn);
	key[kn] = '\0';
	if (enriched) {
		json_t *e = json_object_get(rec, "enriched");

		if (e == NULL) {
			e = json_object();
			json_object_set_new(rec, "enriched", e);
		}
		if (json_object_get(e, key) == NULL)
			json_object_set_new(e, key, irk_json_strn(v, vn));
		return;
	}
	if (f->fields != NULL && json_object_get(f->fields, key) == NULL)
		json_object_set_new(f->fields, key, irk_json_strn(v, vn));
	lift(rec, f->type, k, kn, v, vn);
}

/* Hand an open event over and free its slot. */
static void
close_event(struct au_file *f, struct au_event *ev)
{
	char sha[IRK_SHA256_HEX];

	if (ev->rec == NULL)
		return;
	irk_hash_final(&ev->h, sha, NULL, NULL);
	sha[32] = '\0';
	irk_json_set_str(ev->rec, "event_hash", sha);
	json_object_set_new(ev->rec, "records", ev->records);
	if (ev->nrec > RECORDS_MAX)
		irk_json_set_int(ev->rec, "records_dropped",
		    (int64_t)(ev->nrec - RECORDS_MAX));
	if (irk_collect_record(f->x->c, ev->rec) == IRK_FATAL)
		f->fatal = 1;
	memset(ev, 0, sizeof(*ev));
}

/* The open event of key, or a new one (the oldest closed for it). */
static struct au_event *
event_for(struct au_file *f, const struct irk_audit_rec *a, const char *key,
    int standalone)
{
	struct au_event *ev = NULL, *oldest = &f->open[0];

	for (size_t i = 0; i < OPEN_MAX && !standalone; i++) {
		if (f->open[i].rec != NULL && strcmp(f->open[i].key, key) == 0)
			return &f->open[i];
		if (ev == NULL && f->open[i].rec == NULL)
			ev = &f->open[i];
		if (f->open[i].age < oldest->age)
			oldest = &f->open[i];
	}
	if (ev == NULL) {
		ev = oldest;
		close_event(f, ev);
	}
	ev->rec = irk_log_record("audit_event", f->lf, f->r);
	ev->records = json_array();
	(void)snprintf(ev->key, sizeof(ev->key), "%s", key);
	ev->age = ++f->clock;
	(void)irk_hash_init(&ev->h, 0);
	irk_logctx_set_time(f->x, ev->rec, a->sec * 1000000 + a->msec * 1000,
	    "utc", NULL);
	irk_json_set_int(ev->rec, "serial", (int64_t)a->serial);
	irk_json_set_str(ev->rec, "event_type", a->type);
	return ev;
}

static void
append_type(json_t *rec, const char *type)
{
	const char *old = json_string_value(json_object_get(rec,
	    "record_types"));
	size_t a = old != NULL ? strlen(old) : 0, b = strlen(type);
	char buf[4096];

	if (a + b + 2 > sizeof(buf))
		return;
	if (a > 0) {
		memcpy(buf, old, a);
		buf[a++] = ',';
	}
	memcpy(buf + a, type, b + 1);
	irk_json_set_str(rec, "record_types", buf);
}

static void
one_record(struct au_file *f, const char *line, size_t len)
{
	struct irk_audit_rec a;
	struct au_event *ev;
	char key[48];
	json_t *r;
	int standalone;

	if (irk_audit_header(line, len, &a) != 0) {
		f->dropped++;
		return;
	}
	(void)snprintf(key, sizeof(key), "%lld.%03d:%llu", (long long)a.sec,
	    a.msec, (unsigned long long)a.serial);
	if (strcmp(a.type, "EOE") == 0) {
		for (size_t i = 0; i < OPEN_MAX; i++)
			if (f->open[i].rec != NULL &&
			    strcmp(f->open[i].key, key) == 0)
				close_event(f, &f->open[i]);
		return;
	}
	standalone = irk_audit_standalone(a.type);
	ev = event_for(f, &a, key, standalone);
	irk_hash_update(&ev->h, line, len);
	irk_hash_update(&ev->h, "\n", 1);
	append_type(ev->rec, a.type);
	f->ev = ev;
	f->type = a.type;
	f->fields = NULL;
	if (ev->nrec++ < RECORDS_MAX) {
		r = json_object();
		irk_json_set_str(r, "type", a.type);
		f->fields = json_object();
		json_object_set_new(r, "fields", f->fields);
		json_array_append_new(ev->records, r);
	}
	irk_audit_fields(&a, on_field, f);
	if (standalone)
		close_event(f, ev);
}

static int
audit_file(struct irk_logctx *x, const struct irk_logfile *lf,
    struct irk_logread *r, void *arg)
{
	struct au_file f;
	const char *line;
	size_t len;
	int cut;

	(void)arg;
	memset(&f, 0, sizeof(f));
	f.x = x;
	f.lf = lf;
	f.r = r;
	while (!f.fatal && irk_logread_line(r, &line, &len, &cut) == 1)
		one_record(&f, line, len);
	/* the open events, oldest first */
	for (;;) {
		struct au_event *old = NULL;

		for (size_t i = 0; i < OPEN_MAX; i++)
			if (f.open[i].rec != NULL && (old == NULL ||
			    f.open[i].age < old->age))
				old = &f.open[i];
		if (old == NULL)
			break;
		close_event(&f, old);
	}
	if (f.dropped > 0)
		irk_collect_log(x->c, IRK_LOG_WARN, lf->path, 0, "%llu lines "
		    "that are not audit records skipped",
		    (unsigned long long)f.dropped);
	return f.fatal ? IRK_FATAL : IRK_OK;
}

static int
collect_audit(struct irk_collect *c)
{
	static const enum irk_log_kind kind = IRK_LOG_AUDIT;

	return irk_logs_collect(c, &kind, 1, audit_file, NULL);
}

const struct irk_collector irk_collector_audit = {
	"audit", "audit logs parsed (events with their records, execve "
	"arguments, logins, account changes)",
	IRK_SRC_LINUX_ROOT | IRK_SRC_COPIED, collect_audit,
};
