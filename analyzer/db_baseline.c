/*
 * db_baseline.c - a host's known-good collection (irkit-analyze
 * baseline, docs/analyze.md "baseline").  A later collection of that
 * host gets a finding (category "baseline") for every row of a type with
 * a baseline score that is new or changed since it (db_diff.c does the
 * comparing): a unit or task added, a kernel module loaded, a trusted
 * root or private key added, a new listening socket, a program replaced.
 * Removals and volatile differences are not findings.
 */
#include <stdio.h>
#include <string.h>

#include "db.h"
#include "db_priv.h"
#include "db_merge.h"
#include "db_diff.h"
#include "records/record.h"
#include "irkit/fs.h"
#include "irkit/timeutil.h"
#include "irkit/banned.h"

struct baseline_run {
	struct irk_db *db;
	int64_t base_id;
	char base_time[IRK_TIME_LEN];
	uint64_t added;		/* findings */
	int r;
};

/* The values of o as "a  b  c" (nulls and "" left out) into buf. */
static void
values_text(const json_t *o, char *buf, size_t len)
{
	const char *k;
	json_t *v;
	size_t n = 0;

	buf[0] = '\0';
	json_object_foreach((json_t *)o, k, v) {
		char *s;
		const char *t = irk_diff_value_text(v, &s);

		if (t != NULL && n < len)
			n += (size_t)snprintf(buf + n, len - n, "%s%s",
			    n ? "  " : "", t);
		free(s);
		(void)k;
	}
}

/* "field: before -> after; ..." of a change into buf. */
static void
changes_text(const struct irk_diff_change *c, char *buf, size_t len)
{
	const char *k;
	json_t *v;
	size_t n = 0;

	buf[0] = '\0';
	json_object_foreach(c->after, k, v) {
		char *a = json_dumps(json_object_get(c->before, k),
		    JSON_ENCODE_ANY | JSON_COMPACT);
		char *b = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);

		if (n < len)
			n += (size_t)snprintf(buf + n, len - n, "%s%s: %s -> %s",
			    n ? "; " : "", k, a ? a : "null", b ? b : "null");
		free(a);
		free(b);
	}
}

/* Does row id of t pass its baseline_rows? */
static int
row_counts(struct irk_db *db, const struct irk_record_type *t, int64_t id)
{
	sqlite3_stmt *s;
	char *q;
	int yes = 0;

	if (t->baseline_rows == NULL)
		return 1;
	q = sqlite3_mprintf("SELECT 1 FROM \"%w\" t WHERE t.id = ?1 AND (%s)",
	    t->table, t->baseline_rows);
	if (q != NULL && sqlite3_prepare_v2(db->h, q, -1, &s, NULL) ==
	    SQLITE_OK) {
		(void)sqlite3_bind_int64(s, 1, id);
		yes = sqlite3_step(s) == SQLITE_ROW;
		sqlite3_finalize(s);
	}
	sqlite3_free(q);
	return yes;
}

static int
on_change(void *arg, const struct irk_diff_change *c)
{
	struct baseline_run *b = arg;
	const struct irk_record_type *t = c->type;
	char key[600], title[700], what[900], reason[1200];
	const char *path;
	int added = strcmp(c->change, "added") == 0;

	if (c->volatile_ || t->baseline_score <= 0 || c->new_row == 0 ||
	    !row_counts(b->db, t, c->new_row))
		return 0;
	values_text(c->key, key, sizeof(key));
	(void)snprintf(title, sizeof(title), "%s %s since the baseline: %s",
	    added ? "new" : "changed", t->type, key);
	if (added)
		values_text(c->after, what, sizeof(what));
	else
		changes_text(c, what, sizeof(what));
	(void)snprintf(reason, sizeof(reason), "%s %s since the baseline "
	    "(evidence %lld, collected %s)%s%s", t->type, c->change,
	    (long long)b->base_id, b->base_time, *what ? ": " : "", what);
	path = json_string_value(json_object_get(c->key, "path"));
	if (irk_db_finding_add(b->db, t->table, c->new_row, "baseline",
	    title, t->baseline_score, reason, IRK_TIME_NONE, path) != IRK_OK) {
		b->r = IRK_FATAL;
		return 1;
	}
	b->added++;
	return 0;
}

/* The host's baseline for the current evidence, if it is a later one. */
static int
baseline_of(struct irk_db *db, int64_t *base, int64_t *base_time)
{
	sqlite3_stmt *s;
	int r = IRK_FATAL;

	*base = 0;
	if (sqlite3_prepare_v2(db->h, "SELECT b.evidence_id, "
	    "coalesce(be.collected_start, be.ingested_at), "
	    "coalesce(ce.collected_start, ce.ingested_at) FROM baselines b "
	    "JOIN evidence be ON be.id = b.evidence_id JOIN evidence ce ON "
	    "ce.id = ?2 WHERE b.host_id = ?1", -1, &s, NULL) != SQLITE_OK)
		return IRK_FATAL;
	(void)sqlite3_bind_int64(s, 1, db->host_id);
	(void)sqlite3_bind_int64(s, 2, db->evidence_id);
	switch (sqlite3_step(s)) {
	case SQLITE_ROW:
		/* an earlier collection than the baseline: nothing is new */
		if (sqlite3_column_int64(s, 0) != db->evidence_id &&
		    sqlite3_column_int64(s, 2) >= sqlite3_column_int64(s, 1)) {
			*base = sqlite3_column_int64(s, 0);
			*base_time = sqlite3_column_int64(s, 1);
		}
		/* FALLTHROUGH */
	case SQLITE_DONE:
		r = IRK_OK;
		break;
	}
	sqlite3_finalize(s);
	return r;
}

static int
baseline_findings(struct irk_db *db, uint64_t *n)
{
	struct baseline_run b;
	struct irk_diff d;
	struct irk_err err;
	int64_t base, t;

	if (db->evidence_id <= 0 || db->host_id <= 0)
		return IRK_OK;
	if (baseline_of(db, &base, &t) != IRK_OK)
		return IRK_FATAL;
	if (base == 0)
		return IRK_OK;
	memset(&b, 0, sizeof(b));
	b.db = db;
	b.base_id = base;
	b.r = IRK_OK;
	irk_time_fmt(t, b.base_time);
	memset(&d, 0, sizeof(d));
	d.db = db;
	d.old_id = base;
	d.new_id = db->evidence_id;
	d.cb = on_change;
	d.arg = &b;
	if (irk_db_diff(&d, &err) != IRK_OK)
		return IRK_FATAL;
	if (n != NULL)
		*n += b.added;
	return b.r;
}

int
irk_db_baseline_findings(struct irk_db *db)
{
	return baseline_findings(db, NULL);
}

/* Remove the baseline findings of evidence id (its events, links). */
static int
forget_baseline_findings(struct irk_db *db, int64_t id)
{
	static const char *const q[] = {
		"DELETE FROM events WHERE record_table = 'findings' AND "
		    "record_id IN (SELECT id FROM findings WHERE evidence_id = "
		    "?1 AND category = 'baseline')",
		"DELETE FROM finding_links WHERE finding_id IN (SELECT id "
		    "FROM findings WHERE evidence_id = ?1 AND category = "
		    "'baseline')",
		"DELETE FROM findings WHERE evidence_id = ?1 AND category = "
		    "'baseline'",
	};

	for (size_t i = 0; i < sizeof(q) / sizeof(q[0]); i++) {
		sqlite3_stmt *s;
		int rc;

		if (sqlite3_prepare_v2(db->h, q[i], -1, &s, NULL) != SQLITE_OK)
			return IRK_FATAL;
		(void)sqlite3_bind_int64(s, 1, id);
		rc = sqlite3_step(s);
		sqlite3_finalize(s);
		if (rc != SQLITE_DONE)
			return IRK_FATAL;
	}
	return IRK_OK;
}

/* The baseline findings of every collection of host, again. */
static int
redo(struct irk_db *db, int64_t host, int64_t evidence,
    struct irk_baseline_result *res)
{
	sqlite3_stmt *s;
	int r = IRK_OK;

	if (sqlite3_prepare_v2(db->h, "SELECT id FROM evidence WHERE "
	    "host_id = ?1 ORDER BY id", -1, &s, NULL) != SQLITE_OK)
		return IRK_FATAL;
	(void)sqlite3_bind_int64(s, 1, host);
	while (r == IRK_OK && sqlite3_step(s) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(s, 0);
		uint64_t before = res->findings;

		db->evidence_id = id;
		db->host_id = host;
		if (forget_baseline_findings(db, id) != IRK_OK ||
		    baseline_findings(db, &res->findings) != IRK_OK)
			r = IRK_FATAL;
		else if (id != evidence)
			res->later += res->findings > before ? 1 : 0;
	}
	sqlite3_finalize(s);
	return r;
}

/* Mark, then redo the baseline findings of every collection of host. */
static int
mark(struct irk_db *db, int64_t evidence, int64_t host,
    struct irk_baseline_result *res)
{
	sqlite3_stmt *s;
	int r = IRK_OK;

	if (sqlite3_prepare_v2(db->h, "INSERT OR REPLACE INTO baselines "
	    "(host_id, evidence_id, marked_at) VALUES (?1, ?2, ?3)", -1, &s,
	    NULL) != SQLITE_OK)
		return IRK_FATAL;
	(void)sqlite3_bind_int64(s, 1, host);
	(void)sqlite3_bind_int64(s, 2, evidence);
	(void)sqlite3_bind_int64(s, 3, irk_now_us());
	r = sqlite3_step(s) == SQLITE_DONE ? IRK_OK : IRK_FATAL;
	sqlite3_finalize(s);
	return r != IRK_OK ? r : redo(db, host, evidence, res);
}

int
irk_db_baseline_redo(struct irk_db *db, int64_t host)
{
	struct irk_baseline_result res;

	memset(&res, 0, sizeof(res));
	return redo(db, host, 0, &res);
}

int
irk_db_baseline_mark(struct irk_db *db, const char *ref,
    struct irk_baseline_result *res, struct irk_err *err)
{
	struct irk_diff_side side;
	int64_t host, evidence;
	int r;

	memset(res, 0, sizeof(*res));
	if ((r = irk_db_evidence_ref(db, ref, &side, err)) != IRK_OK)
		return r;
	evidence = res->evidence_id = side.id;
	host = side.host_id;
	(void)snprintf(res->path, sizeof(res->path), "%s", side.path);
	if (host <= 0) {
		irk_err_set(err, 0, "evidence %lld has no host: nothing to "
		    "compare its later collections with", (long long)evidence);
		return IRK_FAIL;
	}
	res->host_id = host;
	if (irk_db_begin(db) != IRK_OK)
		r = IRK_FATAL;
	else
		r = mark(db, evidence, host, res);
	db->evidence_id = 0;
	db->host_id = 0;
	if (r == IRK_OK && irk_db_commit(db) != IRK_OK)
		r = IRK_FATAL;
	if (r != IRK_OK) {
		irk_err_set(err, 0, "database: %s", sqlite3_errmsg(db->h));
		(void)irk_db_rollback(db);
	}
	return r;
}

int
irk_db_baselines(struct irk_db *db, void (*cb)(void *arg, const char *host,
    int64_t evidence, const char *path, int64_t marked_at), void *arg)
{
	sqlite3 *h = db->h;
	sqlite3_stmt *s;
	int rc;

	if (sqlite3_prepare_v2(h, "SELECT coalesce(o.hostname, '?'), "
	    "b.evidence_id, e.path, b.marked_at FROM baselines b JOIN "
	    "evidence e ON e.id = b.evidence_id LEFT JOIN hosts o ON o.id = "
	    "b.host_id ORDER BY b.host_id", -1, &s, NULL) != SQLITE_OK)
		return IRK_FATAL;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		cb(arg, (const char *)sqlite3_column_text(s, 0),
		    sqlite3_column_int64(s, 1),
		    (const char *)sqlite3_column_text(s, 2),
		    sqlite3_column_int64(s, 3));
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? IRK_OK : IRK_FATAL;
}
