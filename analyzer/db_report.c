/*
 * db_report.c - the reads of irkit-analyze report (db_report.h) and the
 * SQL functions they use.  Part of the db layer: it never prints.
 */
#include <stdio.h>
#include <string.h>

#include "db_priv.h"
#include "db_report.h"
#include "irkit/banned.h"

#define KIND_INPUT	4096	/* bytes of a message read for its kind */

/*
 * Every table names the host and the evidence item of each row: the
 * host's name (alias h) and "#id file name" of the evidence (alias e).
 */
#define HOST_COL	"coalesce(h.hostname, '(unknown host)')"
#define EV_COL		"irk_evname(e.id, e.path)"

/* irk_evname(id, path): "#id basename" */
static void
sql_evname(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *p = (const char *)sqlite3_value_text(argv[1]);
	int n = sqlite3_value_bytes(argv[1]), b;
	char *s;

	(void)argc;
	if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
		sqlite3_result_null(ctx);
		return;
	}
	if (p == NULL)
		n = 0;
	while (n > 1 && p[n - 1] == '/')
		n--;
	for (b = n; b > 0 && p[b - 1] != '/'; b--)
		;
	s = sqlite3_mprintf("#%lld %.*s", (long long)sqlite3_value_int64(
	    argv[0]), n - b, p != NULL ? p + b : "");
	if (s == NULL) {
		sqlite3_result_error_nomem(ctx);
		return;
	}
	sqlite3_result_text(ctx, s, -1, sqlite3_free);
}

static int
word_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_';
}

/*
 * irk_problem_kind(msg): numbers as N (not digits inside a word: base64,
 * sha256 stay), 'quoted' or "quoted" as '...'
 */
static void
sql_problem_kind(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *m = (const char *)sqlite3_value_text(argv[0]);
	int n = sqlite3_value_bytes(argv[0]), i, o = 0;
	char out[KIND_INPUT + 8];

	(void)argc;
	if (m == NULL) {
		sqlite3_result_null(ctx);
		return;
	}
	if (n > KIND_INPUT)
		n = KIND_INPUT;
	for (i = 0; i < n && o < KIND_INPUT; i++) {
		const char *close;

		if (m[i] >= '0' && m[i] <= '9' && !word_char(i > 0 ?
		    m[i - 1] : ' ')) {
			while (i + 1 < n && m[i + 1] >= '0' && m[i + 1] <= '9')
				i++;
			out[o++] = 'N';
		} else if ((m[i] == '\'' || m[i] == '"') && (close =
		    memchr(m + i + 1, m[i], (size_t)(n - i - 1))) != NULL) {
			memcpy(out + o, "'...'", 5);
			o += 5;
			i = (int)(close - m);
		} else
			out[o++] = m[i];
	}
	sqlite3_result_text(ctx, out, o, SQLITE_TRANSIENT);
}

int
irk_db_report_init(struct irk_db *db)
{
	int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC;

	if (sqlite3_create_function(db->h, "irk_evname", 2, flags, NULL,
	    sql_evname, NULL, NULL) != SQLITE_OK ||
	    sqlite3_create_function(db->h, "irk_problem_kind", 1, flags, NULL,
	    sql_problem_kind, NULL, NULL) != SQLITE_OK)
		return IRK_FAIL;
	return IRK_OK;
}

int64_t
irk_db_report_count(struct irk_db *db, enum irk_db_rcount which)
{
	static const char *const sql[] = {
		[IRK_RCOUNT_FINDINGS] = "SELECT count(*) FROM findings",
		[IRK_RCOUNT_FINDINGS_70] = "SELECT count(*) FROM findings "
		    "WHERE score >= 70",
		[IRK_RCOUNT_YARA] = "SELECT count(*) FROM yara_matches",
		[IRK_RCOUNT_IOC] = "SELECT count(*) FROM ioc_hits",
		[IRK_RCOUNT_HOSTS] = "SELECT count(*) FROM hosts",
		[IRK_RCOUNT_EVIDENCE] = "SELECT count(*) FROM evidence",
		[IRK_RCOUNT_FILES] = "SELECT count(*) FROM files",
		[IRK_RCOUNT_EVENTS] = "SELECT count(*) FROM events",
	};

	return irk_db_scalar(db, sql[which]);
}

int
irk_db_report_has_table(struct irk_db *db, const struct irk_record_type *t)
{
	char *q = sqlite3_mprintf("SELECT count(*) FROM sqlite_master WHERE "
	    "type = 'table' AND name = %Q", t->table);
	int64_t n = q != NULL ? irk_db_scalar(db, q) : -1;

	sqlite3_free(q);
	return n > 0;
}

int64_t
irk_db_report_rows(struct irk_db *db, const struct irk_record_type *t)
{
	char *q = sqlite3_mprintf("SELECT count(*) FROM %s", t->table);
	int64_t n = q != NULL ? irk_db_scalar(db, q) : -1;

	sqlite3_free(q);
	return n;
}

/*
 * Rows of tbl behind a finding, best score first, or flagged by extra;
 * each with its host and evidence first: the type's report columns.
 */
static char *
records_sql(const struct irk_record_type *t)
{
	const struct irk_record_report *rp = t->report;
	sqlite3_str *cols = sqlite3_str_new(NULL);
	const char *extra = rp->flag;
	char *c, *q;

	for (int i = 0; rp->cols[i].title != NULL &&
	    i < IRK_REPORT_SECTION_COLS; i++)
		sqlite3_str_appendf(cols, "%s%s", i ? ", " : "",
		    rp->cols[i].sql);
	if ((c = sqlite3_str_finish(cols)) == NULL)
		return NULL;
	q = sqlite3_mprintf("SELECT " HOST_COL ", " EV_COL ", (SELECT "
	    "max(f.score) FROM finding_links l JOIN findings f ON f.id = "
	    "l.finding_id WHERE l.record_table = '%q' AND l.record_id = t.id) "
	    "AS score, %s FROM %s t LEFT JOIN evidence e ON e.id = "
	    "t.evidence_id LEFT JOIN hosts h ON h.id = coalesce(t.host_id, "
	    "e.host_id) WHERE t.id IN (SELECT record_id FROM finding_links "
	    "WHERE record_table = '%q')%s%s ORDER BY score DESC, t.id",
	    t->table, c, t->table, t->table, extra != NULL ? " OR " : "",
	    extra != NULL ? extra : "");
	sqlite3_free(c);
	return q;
}

/* IOC hits: a hit on a record has its evidence through the record. */
static char *
ioc_hits_sql(struct irk_db *db)
{
	sqlite3_str *ev = sqlite3_str_new(NULL);
	char *cases, *q;

	for (size_t i = 0; irk_record_types[i] != NULL; i++)
		if ((irk_record_types[i]->ioc_name != NULL ||
		    irk_record_types[i]->ioc_text != NULL ||
		    irk_record_types[i]->ioc_hash != NULL) &&
		    irk_db_report_has_table(db, irk_record_types[i]))
			sqlite3_str_appendf(ev, " WHEN '%s' THEN (SELECT "
			    "evidence_id FROM %s WHERE id = i.record_id)",
			    irk_record_types[i]->table,
			    irk_record_types[i]->table);
	if ((cases = sqlite3_str_finish(ev)) == NULL)
		return NULL;
	q = sqlite3_mprintf("SELECT " HOST_COL ", " EV_COL ", i.kind, "
	    "i.value, i.ioc_source, i.description, coalesce(f.path, "
	    "i.record_table || ' row ' || i.record_id) FROM ioc_hits i LEFT "
	    "JOIN files f ON f.id = i.file_id LEFT JOIN evidence e ON e.id = "
	    "coalesce(f.evidence_id, CASE i.record_table%s END) LEFT JOIN "
	    "hosts h ON h.id = coalesce(f.host_id, e.host_id) ORDER BY i.id",
	    cases);
	sqlite3_free(cases);
	return q;
}

/* The query of a table (sqlite3_malloc'd), or NULL. */
static char *
table_sql(struct irk_db *db, enum irk_db_rtable which,
    const struct irk_record_type *t)
{
	switch (which) {
	case IRK_RTABLE_EVIDENCE:
		return sqlite3_mprintf("%s", "SELECT " HOST_COL ", '#' || "
		    "e.id || ' ' || e.path || char(10) || 'sha256 ' || "
		    "e.sha256, e.kind, e.verify, e.verify_detail, e.status, "
		    "e.collected_start, e.collected_end, e.tool, "
		    "trim(coalesce(e.case_id, '') || ' / ' || "
		    "coalesce(e.examiner, ''), ' /') FROM evidence e "
		    "LEFT JOIN hosts h ON h.id = e.host_id ORDER BY "
		    "h.id IS NULL, h.hostname, h.id, e.id");
	case IRK_RTABLE_HOSTS:
		return sqlite3_mprintf("%s", "SELECT hostname, (SELECT "
		    "group_concat(irk_evname(e.id, e.path), char(10)) FROM "
		    "evidence e WHERE e.host_id = h.id), os, kernel, arch, "
		    "boot_time, timezone, machine_id FROM hosts h "
		    "ORDER BY hostname, id");
	case IRK_RTABLE_FINDINGS_BY_HOST:
		return sqlite3_mprintf("%s", "SELECT " HOST_COL ", (SELECT "
		    "group_concat(" EV_COL ", char(10)) FROM evidence e "
		    "WHERE e.id IN (SELECT evidence_id FROM findings x WHERE "
		    "x.host_id IS f.host_id)), count(*), count(*) FILTER "
		    "(WHERE f.score >= 70), max(f.score), (SELECT 'finding ' "
		    "|| x.id || ': ' || x.title FROM findings x WHERE "
		    "x.host_id IS f.host_id ORDER BY x.score DESC, x.id "
		    "LIMIT 1) FROM findings f LEFT JOIN hosts h ON h.id = "
		    "f.host_id GROUP BY f.host_id ORDER BY h.id IS NULL, "
		    "h.hostname, h.id");
	case IRK_RTABLE_RECORDS:
		return t != NULL && t->report != NULL ? records_sql(t) : NULL;
	case IRK_RTABLE_IOC_HITS:
		return ioc_hits_sql(db);
	}
	return NULL;
}

int
irk_db_report_table(struct irk_db *db, enum irk_db_rtable which,
    const struct irk_record_type *t, int cap, int by_host, int64_t *total,
    struct irk_db_rows **out, struct irk_err *err)
{
	char *sql, *q;
	int rc;

	*out = NULL;
	*total = 0;
	if ((sql = table_sql(db, which, t)) == NULL) {
		irk_err_set(err, 0, "out of memory");
		return IRK_FATAL;
	}
	if ((q = sqlite3_mprintf("SELECT count(*) FROM (%s)", sql)) != NULL)
		*total = irk_db_scalar(db, q);
	sqlite3_free(q);
	if (*total <= 0) {
		sqlite3_free(sql);
		return IRK_OK;
	}
	q = by_host ? sqlite3_mprintf("SELECT * FROM (SELECT *, "
	    "row_number() OVER () AS irk_rn FROM (%s LIMIT %d)) ORDER BY 1 = "
	    "'(unknown host)', 1, irk_rn", sql, cap) : sqlite3_mprintf("%s "
	    "LIMIT %d", sql, cap);
	sqlite3_free(sql);
	if (q == NULL) {
		irk_err_set(err, 0, "out of memory");
		return IRK_FATAL;
	}
	rc = irk_db_rows_prepare(db, q, out, err);
	sqlite3_free(q);
	return rc;
}

/* Prepare sql and bind ?1 (and ?2 when i2 is given) as integers. */
static int
open_ints(struct irk_db *db, const char *sql, int64_t i1, const int64_t *i2,
    struct irk_db_rows **out, struct irk_err *err)
{
	if (irk_db_rows_prepare(db, sql, out, err) != IRK_OK)
		return IRK_FATAL;
	(void)sqlite3_bind_int64((*out)->st, 1, i1);
	if (i2 != NULL)
		(void)sqlite3_bind_int64((*out)->st, 2, *i2);
	return IRK_OK;
}

int
irk_db_report_findings(struct irk_db *db, int cap, struct irk_db_rows **out,
    struct irk_err *err)
{
	return open_ints(db, "SELECT f.id, f.score, f.title, f.category, "
	    "f.reasons, f.ts, h.hostname, " EV_COL " FROM findings f "
	    "LEFT JOIN hosts h ON h.id = f.host_id LEFT JOIN evidence e ON "
	    "e.id = f.evidence_id ORDER BY f.score DESC, f.id LIMIT ?", cap,
	    NULL, out, err);
}

int
irk_db_report_finding_links(struct irk_db *db, int64_t fid,
    struct irk_db_rows **out, struct irk_err *err)
{
	return open_ints(db, "SELECT record_table, record_id FROM "
	    "finding_links WHERE finding_id = ? ORDER BY rowid", fid, NULL,
	    out, err);
}

/* The description of a finding's row of a table outside the registry. */
static const char *
link_sql(const char *tbl)
{
	const struct irk_record_type *t = irk_record_by_table(tbl);

	if (t != NULL)
		return t->report != NULL ? t->report->link : NULL;
	if (strcmp(tbl, "yara_matches") == 0)
		return "SELECT 'YARA match', y.rule, f.path, NULL FROM "
		    "yara_matches y LEFT JOIN files f ON f.id = y.file_id "
		    "WHERE y.id = ?";
	if (strcmp(tbl, "ioc_hits") == 0)
		return "SELECT 'IOC hit', kind || ' ' || value, ioc_source, "
		    "NULL FROM ioc_hits WHERE id = ?";
	return NULL;
}

int
irk_db_report_link(struct irk_db *db, const char *table, int64_t id,
    struct irk_db_rows **out, struct irk_err *err)
{
	const char *q = table != NULL ? link_sql(table) : NULL;

	*out = NULL;
	if (q == NULL)
		return IRK_FAIL;
	return open_ints(db, q, id, NULL, out, err);
}

int
irk_db_report_window(struct irk_db *db, int64_t ts, const char *host,
    struct irk_db_rows **out, struct irk_err *err)
{
	static const char sql[] =
	    "SELECT * FROM (SELECT ts, host, source, ts_desc, "
	    "coalesce(nullif(message, ''), path) FROM events WHERE ts <= ?1 "
	    "AND (?2 IS NULL OR +host = ?2) ORDER BY ts DESC, id DESC "
	    "LIMIT 6) UNION ALL SELECT * FROM (SELECT ts, host, source, "
	    "ts_desc, coalesce(nullif(message, ''), path) FROM events WHERE "
	    "ts > ?1 AND (?2 IS NULL OR +host = ?2) ORDER BY ts, id LIMIT 5) "
	    "ORDER BY 1";

	if (open_ints(db, sql, ts, NULL, out, err) != IRK_OK)
		return IRK_FATAL;
	if (host != NULL)
		(void)sqlite3_bind_text((*out)->st, 2, host, -1,
		    SQLITE_TRANSIENT);
	return IRK_OK;
}

int
irk_db_report_yara(struct irk_db *db, int cap, struct irk_db_rows **out,
    struct irk_err *err)
{
	return open_ints(db, "SELECT * FROM (SELECT *, row_number() OVER () "
	    "AS rn FROM (SELECT " HOST_COL ", " EV_COL ", y.rule, "
	    "y.namespace, y.tags, f.path, coalesce(y.sha256, f.sha256), "
	    "y.meta, y.strings, y.score FROM yara_matches y LEFT JOIN files f "
	    "ON f.id = y.file_id LEFT JOIN evidence e ON e.id = f.evidence_id "
	    "LEFT JOIN hosts h ON h.id = coalesce(f.host_id, e.host_id) "
	    "ORDER BY y.score DESC, y.rule, y.id LIMIT ?)) ORDER BY 1 = "
	    "'(unknown host)', 1, rn", cap, NULL, out, err);
}

int
irk_db_report_case_ids(struct irk_db *db, struct irk_db_rows **out,
    struct irk_err *err)
{
	return irk_db_rows_prepare(db, "SELECT DISTINCT case_id FROM evidence "
	    "WHERE case_id IS NOT NULL AND case_id != '' LIMIT 4", out, err);
}

int
irk_db_report_hostnames(struct irk_db *db, struct irk_db_rows **out,
    struct irk_err *err)
{
	return irk_db_rows_prepare(db, "SELECT hostname FROM hosts ORDER BY "
	    "hostname LIMIT 9", out, err);
}

/*
 * One row per example, the group's facts repeated: sev 0 fatal, 1 error,
 * 2 warning; rn numbers the examples of a group in time order.
 */
static const char problems_sql[] =
    "WITH p AS (SELECT id, ts, level, component, path, message, "
    "  evidence_id, CASE WHEN level = 'fatal' THEN 0 WHEN level = 'error' "
    "  THEN 1 ELSE 2 END AS sev, CASE WHEN level IN ('fatal', 'error') "
    "  THEN coalesce(message, '') ELSE coalesce(irk_problem_kind(message), "
    "  '') END AS kind FROM log WHERE level IN ('fatal', 'error', "
    "  'warning', 'warn')), "
    "g AS (SELECT p.*, count(*) OVER w AS n, min(ts) OVER w AS t0, "
    "  max(ts) OVER w AS t1, row_number() OVER (w ORDER BY ts, id) AS rn "
    "  FROM p WINDOW w AS (PARTITION BY evidence_id, sev, component, "
    "  kind)) "
    "SELECT CASE WHEN g.evidence_id IS NULL THEN '(analysis, no host)' "
    "  ELSE coalesce(h.hostname, '(unknown host)') END, "
    "  irk_evname(e.id, e.path), g.level, g.component, g.kind, g.n, "
    "  g.t0, g.t1, g.path, g.message, g.rn, g.sev "
    "FROM g LEFT JOIN evidence e ON e.id = g.evidence_id "
    "LEFT JOIN hosts h ON h.id = e.host_id "
    "WHERE g.rn <= CASE WHEN g.sev < 2 THEN ?1 ELSE ?2 END "
    "ORDER BY g.evidence_id IS NOT NULL, h.id IS NOT NULL, h.hostname, "
    "  h.id, g.sev, g.n DESC, g.evidence_id, g.component, g.kind, g.rn";

int
irk_db_report_problems(struct irk_db *db, int ex_error, int ex_warning,
    struct irk_db_rows **out, struct irk_err *err)
{
	int64_t w = ex_warning;

	return open_ints(db, problems_sql, ex_error, &w, out, err);
}

int
irk_db_report_problem_counts(struct irk_db *db, int64_t *errors,
    int64_t *warnings)
{
	sqlite3_stmt *st = NULL;
	int r = 0;

	if (sqlite3_prepare_v2(db->h, "SELECT count(*) FILTER (WHERE level IN "
	    "('fatal', 'error')), count(*) FILTER (WHERE level IN ('warning',"
	    " 'warn')) FROM log", -1, &st, NULL) != SQLITE_OK)
		return 0;
	if (sqlite3_step(st) == SQLITE_ROW) {
		*errors = sqlite3_column_int64(st, 0);
		*warnings = sqlite3_column_int64(st, 1);
		r = 1;
	}
	sqlite3_finalize(st);
	return r;
}
