/*
 * report_problems.c - the report's "collection and analysis problems":
 * the log's errors and warnings, grouped, and the SQL helpers the other
 * report sections share (report.h).
 *
 * A group is one evidence item (so one host), one severity, one
 * component and one kind of message: for warnings the message with its
 * numbers and quoted names left out (irk_problem_kind), so 96 lines of
 * "PEM block 3 'CERTIFICATE': bad base64" from test fixtures are one row
 * with a count; errors are grouped only when their messages are
 * identical, so no distinct error (a rule file that does not compile) is
 * folded into another.  Each group shows its count, first and last time
 * and its first examples (path and message).  Rows are grouped by host,
 * problems not tied to a host first (the analyzer's own: rules, the
 * database), and in each host errors before warnings.  Every value from
 * the database is HTML-escaped (textout.h).
 */
#include <stdio.h>
#include <string.h>
#include <sqlite3.h>

#include "irkit/err.h"
#include "irkit/fe.h"
#include "irkit/timeutil.h"
#include "report.h"
#include "textout.h"
#include "irkit/banned.h"

#define CAP_GROUPS	100
#define EX_WARNING	3	/* examples shown per group */
#define EX_ERROR	5
#define KIND_INPUT	4096	/* bytes of a message read for its kind */
#define CELL		600

void
irk_report_time(FILE *fp, int64_t us)
{
	char t[IRK_TIME_LEN];

	irk_time_fmt(us, t);
	/* 2026-11-21 22:29:21Z, the full value in the tooltip */
	fprintf(fp, "<span title=\"%s\">%.10s %.8sZ</span>", t, t, t + 11);
}

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
irk_report_sql_init(sqlite3 *db)
{
	int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC;

	if (sqlite3_create_function(db, "irk_evname", 2, flags, NULL,
	    sql_evname, NULL, NULL) != SQLITE_OK ||
	    sqlite3_create_function(db, "irk_problem_kind", 1, flags, NULL,
	    sql_problem_kind, NULL, NULL) != SQLITE_OK)
		return IRK_FAIL;
	return 0;
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

static void
text(FILE *fp, sqlite3_stmt *st, int i, size_t max)
{
	const char *s = (const char *)sqlite3_column_text(st, i);

	if (s != NULL)
		irk_out_html(fp, s, (size_t)sqlite3_column_bytes(st, i), max);
}

static void
time_cell(FILE *fp, sqlite3_stmt *st, int i)
{
	fputs("<td class=\"time\">", fp);
	if (sqlite3_column_type(st, i) != SQLITE_NULL)
		irk_report_time(fp, sqlite3_column_int64(st, i));
	fputs("</td>", fp);
}

/* The group's cells up to the examples cell, which stays open. */
static void
group_start(FILE *fp, sqlite3_stmt *st)
{
	static const char *const cls[] = { "short", "mono", "short",
	    "short", "", };
	int i;

	fputs("<tr>", fp);
	for (i = 0; i < 5; i++) {
		fprintf(fp, "<td%s%s%s>", *cls[i] ? " class=\"" : "", cls[i],
		    *cls[i] ? "\"" : "");
		text(fp, st, i, i == 4 ? CELL : 200);
		fputs("</td>", fp);
	}
	fprintf(fp, "<td class=\"num\">%lld</td>",
	    (long long)sqlite3_column_int64(st, 5));
	time_cell(fp, st, 6);
	time_cell(fp, st, 7);
	fputs("<td class=\"mono\">", fp);
}

static void
group_end(FILE *fp, int64_t n, int shown)
{
	if (n > shown)
		fprintf(fp, "<span class=\"more\">%lld more</span>",
		    (long long)(n - shown));
	fputs("</td></tr>\n", fp);
}

static void
summary(sqlite3 *db, FILE *fp)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(db, "SELECT count(*) FILTER (WHERE level IN "
	    "('fatal', 'error')), count(*) FILTER (WHERE level IN ('warning',"
	    " 'warn')) FROM log", -1, &st, NULL) != SQLITE_OK)
		return;
	if (sqlite3_step(st) == SQLITE_ROW)
		fprintf(fp, "<p class=\"note\">%lld errors and %lld warnings in "
		    "the log, grouped: errors with the same message, warnings "
		    "of one kind (the same message but for numbers and quoted "
		    "names).  All of them: <code>SELECT * FROM log</code>.</p>\n",
		    (long long)sqlite3_column_int64(st, 0),
		    (long long)sqlite3_column_int64(st, 1));
	sqlite3_finalize(st);
}

int
irk_report_problems(sqlite3 *db, FILE *fp)
{
	sqlite3_stmt *st = NULL;
	int64_t n = 0, more = 0;
	int groups = 0, shown = 0, s;

	fputs("<h2 id=\"log\">Collection and analysis problems</h2>\n", fp);
	if (sqlite3_prepare_v2(db, problems_sql, -1, &st, NULL) != SQLITE_OK) {
		irk_fe_error("cannot read the log: %s", sqlite3_errmsg(db));
		fputs("<p class=\"note\">The log could not be read.</p>\n", fp);
		return IRK_FAIL;
	}
	sqlite3_bind_int(st, 1, EX_ERROR);
	sqlite3_bind_int(st, 2, EX_WARNING);
	while ((s = sqlite3_step(st)) == SQLITE_ROW) {
		int first = sqlite3_column_int(st, 10) == 1;

		if (first && groups > 0 && groups <= CAP_GROUPS)
			group_end(fp, n, shown);
		if (first && ++groups > CAP_GROUPS)
			more++;
		if (groups > CAP_GROUPS)
			continue;
		if (groups == 1 && first) {
			summary(db, fp);
			fputs("<table class=\"problems\"><thead><tr><th>Host</th>"
			    "<th>Evidence</th><th>Level</th><th>Component</th>"
			    "<th>Problem</th><th>Count</th><th>First</th>"
			    "<th>Last</th><th>Examples</th></tr></thead>"
			    "<tbody>\n", fp);
		}
		if (first) {
			group_start(fp, st);
			n = sqlite3_column_int64(st, 5);
			shown = 0;
		}
		if (shown++ > 0)
			fputs("<br>", fp);
		if (sqlite3_column_type(st, 8) != SQLITE_NULL) {
			text(fp, st, 8, 300);
			fputs(": ", fp);
		}
		text(fp, st, 9, 300);
	}
	if (groups > 0 && groups <= CAP_GROUPS)
		group_end(fp, n, shown);
	sqlite3_finalize(st);
	if (groups > 0)
		fputs("</tbody></table>\n", fp);
	else
		fputs("<p class=\"note\">None recorded.</p>\n", fp);
	if (more > 0)
		fprintf(fp, "<p class=\"more\">%lld more kinds of problem in the "
		    "database</p>\n", (long long)more);
	return s == SQLITE_DONE ? 0 : IRK_FAIL;
}
