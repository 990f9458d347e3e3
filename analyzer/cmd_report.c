/*
 * cmd_report.c - irkit-analyze report: one self-contained HTML file
 * (inline CSS and SVG, no script, nothing fetched) from a case database:
 * case summary, findings ranked by score with their reasons, records and
 * a timeline window, YARA and IOC hits, the flagged processes, services,
 * tasks, certificates and keys, and the activity chart.
 *
 * Every table names the host and the evidence item of each row, the rows
 * grouped by host; the problems section is report_problems.c, the chart
 * report_chart.c.  Every value from the database is HTML-escaped
 * (textout.h).  Every table is capped; what is left out is counted ("N
 * more in the database").  The database is opened read-only.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include <sqlite3.h>

#include "irkit/err.h"
#include "irkit/fe.h"
#include "irkit/timeutil.h"
#include "irkit/version.h"
#include "export.h"
#include "report.h"
#include "textout.h"
#include "db.h"
#include "out_util.h"
#include "records/record.h"
#include "irkit/banned.h"

#define CAP_FINDINGS	100
#define CAP_ROWS	100
#define CAP_LINKS	20
#define CAP_CELL	600	/* bytes of one value shown */

/*
 * Every table names the host and the evidence item of each row: the
 * host's name (alias h) and "#id file name" of the evidence (alias e).
 */
#define HOST_COL	"coalesce(h.hostname, '(unknown host)')"
#define EV_COL		"irk_evname(e.id, e.path)"
#define WHERE_COLS	{ "Host", K_SHORT }, { "Evidence", K_MONO }

struct rep {
	sqlite3 *db;
	FILE *out;
	const char *dbpath;
};

/* Column kinds of a table. */
enum kind { K_TEXT, K_SHORT, K_MONO, K_TIME, K_NUM, K_FLAG, K_VERIFY, K_JSONLIST };

struct col {
	const char *label;
	enum kind kind;
};

static void
usage(FILE *fp)
{
	fprintf(fp, "usage: irkit-analyze report [--db FILE] [-o FILE]\n\n"
	    "  --db FILE   case database (default case.db)\n"
	    "  -o FILE     write the HTML here (default report.html; '-' "
	    "standard output);\n"
	    "              replaced only when complete (written under a "
	    "temporary name\n              beside it)\n");
}

static void
h(struct rep *r, const char *s)
{
	irk_out_htmls(r->out, s);
}

static void
hcol(struct rep *r, sqlite3_stmt *st, int i, size_t max)
{
	const char *s;

	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return;
	s = (const char *)sqlite3_column_text(st, i);
	if (s != NULL)
		irk_out_html(r->out, s, (size_t)sqlite3_column_bytes(st, i),
		    max);
}

static void
htime(struct rep *r, int64_t us)
{
	irk_report_time(r->out, us);
}

static sqlite3_stmt *
prep(struct rep *r, const char *sql)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(r->db, sql, -1, &st, NULL) != SQLITE_OK) {
		irk_fe_error("%s", sqlite3_errmsg(r->db));
		return NULL;
	}
	return st;
}

static int64_t
scalar(struct rep *r, const char *sql)
{
	sqlite3_stmt *st = NULL;
	int64_t v = -1;

	if (sqlite3_prepare_v2(r->db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* A JSON array of strings (or anything) as an HTML list / inline text. */
static void
json_list(struct rep *r, const char *s, size_t n, int as_ul)
{
	json_t *j;
	size_t i;
	json_t *v;

	j = json_loadb(s, n, JSON_DECODE_ANY, NULL);
	if (j == NULL || !json_is_array(j)) {
		irk_out_html(r->out, s, n, CAP_CELL);
		json_decref(j);
		return;
	}
	if (as_ul)
		fputs("<ul>", r->out);
	json_array_foreach(j, i, v) {
		if (i >= 30) {
			fprintf(r->out, as_ul ? "<li class=\"more\">%zu more"
			    "</li>" : " <span class=\"more\">(%zu more)"
			    "</span>", json_array_size(j) - i);
			break;
		}
		fputs(as_ul ? "<li>" : (i > 0 ? ", " : ""), r->out);
		if (json_is_string(v))
			irk_out_html(r->out, json_string_value(v),
			    json_string_length(v), CAP_CELL);
		else {
			char *d = json_dumps(v, JSON_COMPACT);

			h(r, d);
			free(d);
		}
		if (as_ul)
			fputs("</li>", r->out);
	}
	if (as_ul)
		fputs("</ul>", r->out);
	json_decref(j);
}

static void
cell(struct rep *r, sqlite3_stmt *st, int i, enum kind k)
{
	int null = sqlite3_column_type(st, i) == SQLITE_NULL;
	const char *s;

	switch (k) {
	case K_TIME:
		fputs("<td class=\"time\">", r->out);
		if (!null)
			htime(r, sqlite3_column_int64(st, i));
		break;
	case K_NUM:
		fputs("<td class=\"num\">", r->out);
		hcol(r, st, i, CAP_CELL);
		break;
	case K_FLAG:
		fputs("<td>", r->out);
		if (!null)
			fputs(sqlite3_column_int64(st, i) ? "yes" : "no", r->out);
		break;
	case K_VERIFY:
		fputs("<td>", r->out);
		s = null ? "" : (const char *)sqlite3_column_text(st, i);
		fprintf(r->out, "<span class=\"badge %s\">",
		    strcmp(s, "intact") == 0 ? "b-ok" :
		    strcmp(s, "damaged") == 0 ? "b-bad" :
		    strcmp(s, "no-manifest") == 0 ? "b-warn" : "b-na");
		h(r, *s != '\0' ? s : "unknown");
		fputs("</span>", r->out);
		break;
	case K_JSONLIST:
		fputs("<td>", r->out);
		if (!null)
			json_list(r, (const char *)sqlite3_column_text(st, i),
			    (size_t)sqlite3_column_bytes(st, i), 0);
		break;
	case K_SHORT:
		fputs("<td class=\"short\">", r->out);
		hcol(r, st, i, CAP_CELL);
		break;
	case K_MONO:
		fputs("<td class=\"mono\">", r->out);
		hcol(r, st, i, CAP_CELL);
		break;
	default:
		fputs("<td>", r->out);
		hcol(r, st, i, CAP_CELL);
		break;
	}
	fputs("</td>", r->out);
}

/*
 * A table from sql (no LIMIT), capped at cap rows, with "N more" from a
 * count of the same query.  Columns as given (one per result column).
 * With by_host, the first column is the host: the rows kept (the first
 * cap in the query's order) are shown grouped by it, in that order within
 * each host.
 */
static void
table(struct rep *r, const char *sql, const struct col *cols, int cap,
    const char *empty, int by_host)
{
	sqlite3_stmt *st;
	char *q;
	int64_t total, n = 0;
	int i, s;

	if ((q = sqlite3_mprintf("SELECT count(*) FROM (%s)", sql)) == NULL)
		return;
	total = scalar(r, q);
	sqlite3_free(q);
	if (total <= 0) {
		fprintf(r->out, "<p class=\"note\">%s</p>\n", empty);
		return;
	}
	if ((q = by_host ? sqlite3_mprintf("SELECT * FROM (SELECT *, "
	    "row_number() OVER () AS irk_rn FROM (%s LIMIT %d)) ORDER BY 1 = "
	    "'(unknown host)', 1, irk_rn", sql, cap) : sqlite3_mprintf("%s "
	    "LIMIT %d", sql, cap)) == NULL)
		return;
	st = prep(r, q);
	sqlite3_free(q);
	if (st == NULL)
		return;
	fputs("<table><thead><tr>", r->out);
	for (i = 0; cols[i].label != NULL; i++)
		fprintf(r->out, "<th>%s</th>", cols[i].label);
	fputs("</tr></thead><tbody>\n", r->out);
	while ((s = sqlite3_step(st)) == SQLITE_ROW) {
		fputs("<tr>", r->out);
		for (i = 0; cols[i].label != NULL; i++)
			cell(r, st, i, cols[i].kind);
		fputs("</tr>\n", r->out);
		n++;
	}
	sqlite3_finalize(st);
	fputs("</tbody></table>\n", r->out);
	if (total > n)
		fprintf(r->out, "<p class=\"more\">%lld more in the database"
		    "</p>\n", (long long)(total - n));
}

static void
card(struct rep *r, const char *label, int64_t n, int alert)
{
	fprintf(r->out, "<div class=\"card%s\"><div class=\"n\">%lld</div>"
	    "<div class=\"l\">%s</div></div>\n", alert && n > 0 ? " alert" :
	    "", (long long)(n < 0 ? 0 : n), label);
}

static void
summary(struct rep *r)
{
	static const struct col ev[] = {
		WHERE_COLS, { "Kind", K_SHORT }, { "Integrity", K_VERIFY },
		{ "Problems", K_JSONLIST }, { "Status", K_SHORT },
		{ "Collected from", K_TIME }, { "to", K_TIME },
		{ "Tool", K_TEXT }, { "Case / examiner", K_TEXT },
		{ NULL, 0 },
	};
	static const struct col ho[] = {
		{ "Host", K_TEXT }, { "Evidence", K_MONO }, { "OS", K_TEXT },
		{ "Kernel", K_TEXT },
		{ "Arch", K_TEXT }, { "Boot time", K_TIME },
		{ "Time zone", K_TEXT }, { "Machine id", K_MONO },
		{ NULL, 0 },
	};

	fputs("<div class=\"cards\">\n", r->out);
	card(r, "findings", scalar(r, "SELECT count(*) FROM findings"), 1);
	card(r, "findings scored 70+", scalar(r, "SELECT count(*) FROM "
	    "findings WHERE score >= 70"), 1);
	card(r, "YARA matches", scalar(r, "SELECT count(*) FROM "
	    "yara_matches"), 1);
	card(r, "IOC hits", scalar(r, "SELECT count(*) FROM ioc_hits"), 1);
	card(r, "hosts", scalar(r, "SELECT count(*) FROM hosts"), 0);
	card(r, "evidence items", scalar(r, "SELECT count(*) FROM evidence"),
	    0);
	card(r, "files", scalar(r, "SELECT count(*) FROM files"), 0);
	card(r, "timeline events", scalar(r, "SELECT count(*) FROM events"),
	    0);
	fputs("</div>\n", r->out);
	fputs("<h2 id=\"evidence\">Evidence</h2>\n", r->out);
	table(r, "SELECT " HOST_COL ", '#' || e.id || ' ' || e.path || "
	    "char(10) || 'sha256 ' || e.sha256, e.kind, e.verify, "
	    "e.verify_detail, e.status, e.collected_start, e.collected_end, "
	    "e.tool, trim(coalesce(e.case_id, '') || ' / ' || "
	    "coalesce(e.examiner, ''), ' /') FROM evidence e "
	    "LEFT JOIN hosts h ON h.id = e.host_id ORDER BY h.id IS NULL, "
	    "h.hostname, h.id, e.id", ev, CAP_ROWS,
	    "No evidence in this database.", 0);
	fputs("<h2 id=\"hosts\">Hosts</h2>\n", r->out);
	table(r, "SELECT hostname, (SELECT group_concat(irk_evname(e.id, "
	    "e.path), char(10)) FROM evidence e WHERE e.host_id = h.id), os, "
	    "kernel, arch, boot_time, timezone, machine_id FROM hosts h "
	    "ORDER BY hostname, id", ho, CAP_ROWS,
	    "No hosts in this database.", 0);
}

static const char *
sev(int score)
{
	return score >= 90 ? "crit" : score >= 70 ? "high" : score >= 40 ?
	    "med" : "low";
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

/* One line describing a record behind a finding: kind, what, detail,
 * time (each record type's report.link). */
static void
link_row(struct rep *r, const char *tbl, int64_t id)
{
	const char *q = tbl != NULL ? link_sql(tbl) : NULL;
	sqlite3_stmt *st = NULL;

	fputs("<tr>", r->out);
	if (q != NULL && (st = prep(r, q)) != NULL) {
		sqlite3_bind_int64(st, 1, id);
		if (sqlite3_step(st) == SQLITE_ROW) {
			cell(r, st, 0, K_SHORT);
			cell(r, st, 1, K_MONO);
			cell(r, st, 2, K_MONO);
			cell(r, st, 3, K_TIME);
			sqlite3_finalize(st);
			fputs("</tr>\n", r->out);
			return;
		}
		sqlite3_finalize(st);
	}
	fputs("<td>", r->out);
	h(r, tbl != NULL ? tbl : "?");
	fprintf(r->out, "</td><td class=\"mono\">row %lld</td><td></td>"
	    "<td></td></tr>\n", (long long)id);
}

static void
finding_links(struct rep *r, int64_t fid)
{
	sqlite3_stmt *st;
	int n = 0;

	if ((st = prep(r, "SELECT record_table, record_id FROM finding_links "
	    "WHERE finding_id = ? ORDER BY rowid")) == NULL)
		return;
	sqlite3_bind_int64(st, 1, fid);
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (n == 0)
			fputs("<h4>Records behind it</h4><table><thead><tr>"
			    "<th>Kind</th><th>What</th><th>Detail</th>"
			    "<th>Time</th></tr></thead><tbody>\n", r->out);
		if (n++ >= CAP_LINKS)
			continue;
		link_row(r, (const char *)sqlite3_column_text(st, 0),
		    sqlite3_column_int64(st, 1));
	}
	sqlite3_finalize(st);
	if (n > 0)
		fputs("</tbody></table>\n", r->out);
	if (n > CAP_LINKS)
		fprintf(r->out, "<p class=\"more\">%d more in the database "
		    "(finding_links)</p>\n", n - CAP_LINKS);
}

/* Five events before and after the finding's time, same host. */
static void
window(struct rep *r, int64_t ts, const char *host)
{
	static const char sql[] =
	    "SELECT * FROM (SELECT ts, host, source, ts_desc, "
	    "coalesce(nullif(message, ''), path) FROM events WHERE ts <= ?1 "
	    "AND (?2 IS NULL OR +host = ?2) ORDER BY ts DESC, id DESC "
	    "LIMIT 6) UNION ALL SELECT * FROM (SELECT ts, host, source, "
	    "ts_desc, coalesce(nullif(message, ''), path) FROM events WHERE "
	    "ts > ?1 AND (?2 IS NULL OR +host = ?2) ORDER BY ts, id LIMIT 5) "
	    "ORDER BY 1";
	sqlite3_stmt *st;
	int n = 0, marked = 0;

	if ((st = prep(r, sql)) == NULL)
		return;
	sqlite3_bind_int64(st, 1, ts);
	if (host != NULL)
		sqlite3_bind_text(st, 2, host, -1, SQLITE_TRANSIENT);
	while (sqlite3_step(st) == SQLITE_ROW) {
		int64_t t = sqlite3_column_int64(st, 0);

		if (n++ == 0)
			fputs("<h4>Timeline around it</h4><table><thead><tr>"
			    "<th>Time (UTC)</th><th>Host</th><th>Source</th>"
			    "<th>What</th><th>Event</th></tr></thead><tbody>\n",
			    r->out);
		if (!marked && t > ts) {
			fputs("<tr class=\"hit\"><td class=\"time\">", r->out);
			htime(r, ts);
			fputs("</td><td colspan=\"4\">&#9664; the finding"
			    "</td></tr>\n", r->out);
			marked = 1;
		}
		fprintf(r->out, "<tr%s>", t == ts ? " class=\"hit\"" : "");
		cell(r, st, 0, K_TIME);
		cell(r, st, 1, K_SHORT);
		cell(r, st, 2, K_SHORT);
		cell(r, st, 3, K_TEXT);
		cell(r, st, 4, K_MONO);
		fputs("</tr>\n", r->out);
	}
	sqlite3_finalize(st);
	if (n > 0 && !marked) {
		fputs("<tr class=\"hit\"><td class=\"time\">", r->out);
		htime(r, ts);
		fputs("</td><td colspan=\"4\">&#9664; the finding</td></tr>\n",
		    r->out);
	}
	if (n > 0)
		fputs("</tbody></table>\n", r->out);
}

/* Findings per host: read the case host by host. */
static void
findings_by_host(struct rep *r)
{
	static const struct col fc[] = {
		WHERE_COLS, { "Findings", K_NUM }, { "Scored 70+", K_NUM },
		{ "Top score", K_NUM }, { "Top finding", K_TEXT },
		{ NULL, 0 },
	};

	fputs("<p class=\"note\">Per host; each finding below names its host "
	    "and evidence.</p>\n", r->out);
	table(r, "SELECT " HOST_COL ", (SELECT group_concat(" EV_COL ", "
	    "char(10)) FROM evidence e WHERE e.id IN (SELECT evidence_id FROM "
	    "findings x WHERE x.host_id IS f.host_id)), count(*), count(*) "
	    "FILTER (WHERE f.score >= 70), max(f.score), (SELECT 'finding ' "
	    "|| x.id || ': ' || x.title FROM findings x WHERE x.host_id IS "
	    "f.host_id ORDER BY x.score DESC, x.id LIMIT 1) FROM findings f "
	    "LEFT JOIN hosts h ON h.id = f.host_id GROUP BY f.host_id ORDER BY "
	    "h.id IS NULL, h.hostname, h.id", fc, CAP_ROWS, "No findings.", 0);
}

static void
findings(struct rep *r)
{
	sqlite3_stmt *st;
	int64_t total;
	int n = 0;

	fputs("<h2 id=\"findings\">Findings, by score</h2>\n", r->out);
	total = scalar(r, "SELECT count(*) FROM findings");
	if (total <= 0) {
		fputs("<p class=\"note\">No findings: nothing matched the rules, "
		    "IOC lists or heuristics.  That is not proof of a clean host;"
		    " review the tables below and the timeline.</p>\n", r->out);
		return;
	}
	findings_by_host(r);
	if ((st = prep(r, "SELECT f.id, f.score, f.title, f.category, "
	    "f.reasons, f.ts, h.hostname, " EV_COL " FROM findings f "
	    "LEFT JOIN hosts h ON h.id = f.host_id LEFT JOIN evidence e ON "
	    "e.id = f.evidence_id ORDER BY f.score DESC, f.id LIMIT ?")) ==
	    NULL)
		return;
	sqlite3_bind_int(st, 1, CAP_FINDINGS);
	while (sqlite3_step(st) == SQLITE_ROW) {
		int score = sqlite3_column_int(st, 1);
		const char *host = (const char *)sqlite3_column_text(st, 6);
		char *hostcopy = host != NULL ? strdup(host) : NULL;

		n++;
		fprintf(r->out, "<section class=\"finding %s\" id=\"f%lld\">"
		    "<h3><span class=\"score s-%s\">%d</span>", sev(score),
		    (long long)sqlite3_column_int64(st, 0), sev(score), score);
		hcol(r, st, 2, CAP_CELL);
		fputs("</h3><div class=\"meta\">", r->out);
		if (sqlite3_column_type(st, 3) != SQLITE_NULL) {
			hcol(r, st, 3, 80);
			fputs(" &middot; ", r->out);
		}
		fputs("host ", r->out);
		h(r, host != NULL ? host : "unknown");
		if (sqlite3_column_type(st, 5) != SQLITE_NULL) {
			fputs(" &middot; ", r->out);
			htime(r, sqlite3_column_int64(st, 5));
		}
		fprintf(r->out, " &middot; finding %lld, evidence ",
		    (long long)sqlite3_column_int64(st, 0));
		if (sqlite3_column_type(st, 7) != SQLITE_NULL)
			hcol(r, st, 7, 300);
		else
			fputs("unknown", r->out);
		fputs("</div>\n", r->out);
		if (sqlite3_column_type(st, 4) != SQLITE_NULL) {
			fputs("<h4>Why</h4>", r->out);
			json_list(r, (const char *)sqlite3_column_text(st, 4),
			    (size_t)sqlite3_column_bytes(st, 4), 1);
		}
		finding_links(r, sqlite3_column_int64(st, 0));
		if (sqlite3_column_type(st, 5) != SQLITE_NULL)
			window(r, sqlite3_column_int64(st, 5), hostcopy);
		free(hostcopy);
		fputs("</section>\n", r->out);
	}
	sqlite3_finalize(st);
	if (total > n)
		fprintf(r->out, "<p class=\"more\">%lld more findings in the "
		    "database (lower scores): <code>SELECT * FROM findings "
		    "ORDER BY score DESC</code></p>\n", (long long)(total - n));
}

/* rule metadata: {"k": v, ...} as "k: v" lines */
static void
meta_cell(struct rep *r, sqlite3_stmt *st, int i)
{
	json_t *j, *v;
	const char *k;
	int n = 0;

	fputs("<td>", r->out);
	if (sqlite3_column_type(st, i) != SQLITE_NULL) {
		j = json_loadb((const char *)sqlite3_column_text(st, i),
		    (size_t)sqlite3_column_bytes(st, i), 0, NULL);
		if (j == NULL || !json_is_object(j))
			hcol(r, st, i, CAP_CELL);
		else
			json_object_foreach(j, k, v) {
				if (n++ >= 12)
					break;
				fputs("<b>", r->out);
				h(r, k);
				fputs("</b>: ", r->out);
				if (json_is_string(v))
					irk_out_html(r->out,
					    json_string_value(v),
					    json_string_length(v), 300);
				else {
					char *d = json_dumps(v,
					    JSON_COMPACT | JSON_ENCODE_ANY);

					h(r, d);
					free(d);
				}
				fputs("<br>", r->out);
			}
		json_decref(j);
	}
	fputs("</td>", r->out);
}

/* matched strings: [{id, offset, data}] */
static void
strings_cell(struct rep *r, sqlite3_stmt *st, int i)
{
	json_t *j, *v;
	size_t k;

	fputs("<td class=\"mono\">", r->out);
	if (sqlite3_column_type(st, i) != SQLITE_NULL) {
		j = json_loadb((const char *)sqlite3_column_text(st, i),
		    (size_t)sqlite3_column_bytes(st, i), 0, NULL);
		if (j == NULL || !json_is_array(j))
			hcol(r, st, i, CAP_CELL);
		else
			json_array_foreach(j, k, v) {
				json_t *d = json_object_get(v, "data");

				if (k >= 10) {
					fprintf(r->out, "<span class=\"more\">"
					    "%zu more</span>",
					    json_array_size(j) - k);
					break;
				}
				h(r, json_string_value(json_object_get(v,
				    "id")));
				fprintf(r->out, " @%lld: ", (long long)
				    json_integer_value(json_object_get(v,
				    "offset")));
				if (json_is_string(d))
					irk_out_html(r->out,
					    json_string_value(d),
					    json_string_length(d), 200);
				fputs("<br>", r->out);
			}
		json_decref(j);
	}
	fputs("</td>", r->out);
}

static void
yara(struct rep *r)
{
	sqlite3_stmt *st;
	int64_t total;
	int n = 0;

	fputs("<h2 id=\"yara\">YARA matches</h2>\n", r->out);
	total = scalar(r, "SELECT count(*) FROM yara_matches");
	if (total <= 0) {
		fputs("<p class=\"note\">No YARA matches.</p>\n", r->out);
		return;
	}
	/* the best CAP_ROWS, shown host by host */
	if ((st = prep(r, "SELECT * FROM (SELECT *, row_number() OVER () AS "
	    "rn FROM (SELECT " HOST_COL ", " EV_COL ", y.rule, y.namespace, "
	    "y.tags, f.path, coalesce(y.sha256, f.sha256), y.meta, y.strings, "
	    "y.score FROM yara_matches y LEFT JOIN files f ON f.id = y.file_id "
	    "LEFT JOIN evidence e ON e.id = f.evidence_id LEFT JOIN hosts h ON "
	    "h.id = coalesce(f.host_id, e.host_id) ORDER BY y.score DESC, "
	    "y.rule, y.id LIMIT ?)) ORDER BY 1 = '(unknown host)', 1, rn")) ==
	    NULL)
		return;
	sqlite3_bind_int(st, 1, CAP_ROWS);
	fputs("<table><thead><tr><th>Host</th><th>Evidence</th><th>Rule</th>"
	    "<th>File</th><th>Rule metadata</th><th>Matched strings</th></tr>"
	    "</thead><tbody>\n", r->out);
	while (sqlite3_step(st) == SQLITE_ROW) {
		n++;
		fputs("<tr>", r->out);
		cell(r, st, 0, K_SHORT);
		cell(r, st, 1, K_MONO);
		fputs("<td><b>", r->out);
		hcol(r, st, 2, 300);
		fputs("</b><br><span class=\"note\">", r->out);
		hcol(r, st, 3, 100);
		if (sqlite3_column_type(st, 4) != SQLITE_NULL) {
			fputs("<br>tags: ", r->out);
			json_list(r, (const char *)sqlite3_column_text(st, 4),
			    (size_t)sqlite3_column_bytes(st, 4), 0);
		}
		if (sqlite3_column_type(st, 9) != SQLITE_NULL)
			fprintf(r->out, "<br>score %d", sqlite3_column_int(st,
			    9));
		fputs("</span></td><td class=\"mono\">", r->out);
		hcol(r, st, 5, CAP_CELL);
		fputs("<br><span class=\"note\">", r->out);
		hcol(r, st, 6, 80);
		fputs("</span></td>", r->out);
		meta_cell(r, st, 7);
		strings_cell(r, st, 8);
		fputs("</tr>\n", r->out);
	}
	sqlite3_finalize(st);
	fputs("</tbody></table>\n", r->out);
	if (total > n)
		fprintf(r->out, "<p class=\"more\">%lld more in the database"
		    "</p>\n", (long long)(total - n));
}

/*
 * Rows of tbl behind a finding, best score first, or flagged by extra;
 * each with its host and evidence first.
 */
static char *
flagged(const char *cols, const char *tbl, const char *extra)
{
	return sqlite3_mprintf("SELECT " HOST_COL ", " EV_COL ", (SELECT "
	    "max(f.score) FROM finding_links l JOIN findings f ON f.id = "
	    "l.finding_id WHERE l.record_table = '%q' AND l.record_id = t.id) "
	    "AS score, %s FROM %s t LEFT JOIN evidence e ON e.id = "
	    "t.evidence_id LEFT JOIN hosts h ON h.id = coalesce(t.host_id, "
	    "e.host_id) WHERE t.id IN (SELECT record_id FROM finding_links "
	    "WHERE record_table = '%q')%s%s ORDER BY score DESC, t.id", tbl,
	    cols, tbl, tbl, extra != NULL ? " OR " : "", extra != NULL ?
	    extra : "");
}

/*
 * 1 when the case has t's table: a case made before a record type was
 * declared (and opened read-only here) has none, and no such rows.
 */
static int
has_table(struct rep *r, const struct irk_record_type *t)
{
	char *q = sqlite3_mprintf("SELECT count(*) FROM sqlite_master WHERE "
	    "type = 'table' AND name = %Q", t->table);
	int64_t n = q != NULL ? scalar(r, q) : -1;

	sqlite3_free(q);
	return n > 0;
}

/* 1 when t has a report section this case can fill. */
static int
shows_section(struct rep *r, const struct irk_record_type *t)
{
	return t->report != NULL && t->report->title != NULL &&
	    has_table(r, t);
}

/* The report's kind of a column the registry declares. */
static enum kind
rc_kind(enum irk_rc_kind k)
{
	switch (k) {
	case IRK_RC_SHORT:
		return K_SHORT;
	case IRK_RC_MONO:
		return K_MONO;
	case IRK_RC_TIME:
		return K_TIME;
	case IRK_RC_NUM:
		return K_NUM;
	case IRK_RC_FLAG:
		return K_FLAG;
	case IRK_RC_TEXT:
		break;
	}
	return K_TEXT;
}

#define SECTION_COLS	24

/* A record type's section: its rows behind a finding, or flagged. */
static void
record_section(struct rep *r, const struct irk_record_type *t)
{
	const struct irk_record_report *rp = t->report;
	struct col c[SECTION_COLS + 4] = { WHERE_COLS, { "Score", K_NUM } };
	sqlite3_str *cols = sqlite3_str_new(NULL);
	char *sql, *q;
	int64_t all;
	int i;

	for (i = 0; rp->cols[i].title != NULL && i < SECTION_COLS; i++) {
		c[3 + i].label = rp->cols[i].title;
		c[3 + i].kind = rc_kind(rp->cols[i].kind);
		sqlite3_str_appendf(cols, "%s%s", i ? ", " : "",
		    rp->cols[i].sql);
	}
	if ((sql = sqlite3_str_finish(cols)) == NULL)
		return;
	if ((q = sqlite3_mprintf("SELECT count(*) FROM %s", t->table)) !=
	    NULL) {
		all = scalar(r, q);
		sqlite3_free(q);
		fprintf(r->out, "<h2 id=\"%s\">%s</h2>\n<p class=\"note\">"
		    "Shown: those %s, host by host. %lld in the database "
		    "(<code>SELECT * FROM %s</code>).</p>\n", rp->id,
		    rp->title, rp->why, (long long)(all < 0 ? 0 : all),
		    t->table);
		if ((q = flagged(sql, t->table, rp->flag)) != NULL) {
			table(r, q, c, CAP_ROWS, "None flagged.", 1);
			sqlite3_free(q);
		}
	}
	sqlite3_free(sql);
}

/* IOC hits: a hit on a record has its evidence through the record. */
static void
ioc_hits(struct rep *r)
{
	static const struct col ic[] = {
		WHERE_COLS, { "Kind", K_SHORT }, { "Value", K_MONO },
		{ "List", K_MONO }, { "Description", K_TEXT },
		{ "File or record", K_MONO }, { NULL, 0 },
	};
	sqlite3_str *ev = sqlite3_str_new(NULL);
	char *cases, *q;

	for (size_t i = 0; irk_record_types[i] != NULL; i++)
		if ((irk_record_types[i]->ioc_name != NULL ||
		    irk_record_types[i]->ioc_text != NULL) &&
		    has_table(r, irk_record_types[i]))
			sqlite3_str_appendf(ev, " WHEN '%s' THEN (SELECT "
			    "evidence_id FROM %s WHERE id = i.record_id)",
			    irk_record_types[i]->table,
			    irk_record_types[i]->table);
	if ((cases = sqlite3_str_finish(ev)) == NULL)
		return;
	q = sqlite3_mprintf("SELECT " HOST_COL ", " EV_COL ", i.kind, "
	    "i.value, i.ioc_source, i.description, coalesce(f.path, "
	    "i.record_table || ' row ' || i.record_id) FROM ioc_hits i LEFT "
	    "JOIN files f ON f.id = i.file_id LEFT JOIN evidence e ON e.id = "
	    "coalesce(f.evidence_id, CASE i.record_table%s END) LEFT JOIN "
	    "hosts h ON h.id = coalesce(f.host_id, e.host_id) ORDER BY i.id",
	    cases);
	sqlite3_free(cases);
	fputs("<h2 id=\"iocs\">IOC hits</h2>\n", r->out);
	if (q != NULL)
		table(r, q, ic, CAP_ROWS, "No IOC hits.", 1);
	sqlite3_free(q);
}

/* A section per record type that has one (the registry), then IOCs. */
static void
artifacts(struct rep *r)
{
	for (size_t i = 0; irk_record_types[i] != NULL; i++)
		if (shows_section(r, irk_record_types[i]))
			record_section(r, irk_record_types[i]);
	ioc_hits(r);
}

static void
title(struct rep *r)
{
	sqlite3_stmt *st;
	int n = 0;

	fputs("irkit case report", r->out);
	if ((st = prep(r, "SELECT DISTINCT case_id FROM evidence WHERE "
	    "case_id IS NOT NULL AND case_id != '' LIMIT 4")) == NULL)
		return;
	while (sqlite3_step(st) == SQLITE_ROW) {
		fputs(n++ == 0 ? ": " : ", ", r->out);
		hcol(r, st, 0, 100);
	}
	sqlite3_finalize(st);
}

static void
subtitle(struct rep *r)
{
	sqlite3_stmt *st;
	int n = 0;

	if ((st = prep(r, "SELECT hostname FROM hosts ORDER BY hostname "
	    "LIMIT 9")) == NULL)
		return;
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (n++ == 8) {
			fputs(", &hellip;", r->out);
			break;
		}
		fputs(n == 1 ? "Hosts: " : ", ", r->out);
		hcol(r, st, 0, 100);
	}
	sqlite3_finalize(st);
	if (n == 0)
		fputs("No host information", r->out);
}

static void
body(struct rep *r)
{
	fputs("<nav class=\"toc\"><a href=\"#evidence\">Evidence</a>"
	    "<a href=\"#activity\">Activity</a><a href=\"#findings\">Findings"
	    "</a><a href=\"#yara\">YARA</a>", r->out);
	for (size_t i = 0; irk_record_types[i] != NULL; i++)
		if (shows_section(r, irk_record_types[i]))
			fprintf(r->out, "<a href=\"#%s\">%s</a>",
			    irk_record_types[i]->report->id,
			    irk_record_types[i]->report->nav);
	fputs("<a href=\"#iocs\">IOCs</a><a href=\"#log\">Problems</a>"
	    "</nav>\n", r->out);
	summary(r);
	fputs("<h2 id=\"activity\">Activity</h2>\n", r->out);
	if (irk_report_chart(r->db, r->out) != 0)
		fputs("<p class=\"note\">The timeline could not be read.</p>\n",
		    r->out);
	findings(r);
	yara(r);
	artifacts(r);
	(void)irk_report_problems(r->db, r->out);
}

/* The template with its @NAME@ placeholders filled. */
static void
render(struct rep *r)
{
	const char *p = irk_report_template, *q, *e;
	char t[IRK_TIME_LEN];

	if (irk_report_sql_init(r->db) != 0)
		irk_fe_error("cannot register the report's SQL functions: %s",
		    sqlite3_errmsg(r->db));
	while ((q = strchr(p, '@')) != NULL) {
		fwrite(p, 1, (size_t)(q - p), r->out);
		e = q + 1;
		while ((*e >= 'A' && *e <= 'Z') || *e == '_')
			e++;
		if (*e != '@' || e == q + 1) {
			putc('@', r->out);
			p = q + 1;
			continue;
		}
#define IS(name) ((size_t)(e - q - 1) == strlen(name) && \
	strncmp(q + 1, name, strlen(name)) == 0)
		if (IS("CSS"))
			fputs(irk_report_css, r->out);
		else if (IS("TITLE"))
			title(r);
		else if (IS("SUBTITLE"))
			subtitle(r);
		else if (IS("BODY"))
			body(r);
		else if (IS("GENERATOR"))
			fputs("irkit-analyze " IRK_VERSION, r->out);
		else if (IS("GENERATED"))
			fputs(irk_time_fmt(irk_now_us(), t), r->out);
		else if (IS("DB"))
			h(r, r->dbpath);
		else
			fwrite(q, 1, (size_t)(e - q + 1), r->out);
#undef IS
		p = e + 1;
	}
	fputs(p, r->out);
}

int
irk_cmd_report(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct rep r;
	struct irk_outfile out;
	const char *outpath = "report.html";
	int c, rc;

	memset(&r, 0, sizeof(r));
	r.dbpath = "case.db";
	optind = 1;
	while ((c = getopt_long(argc, argv, "d:o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			r.dbpath = optarg;
			break;
		case 'o':
			outpath = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	if (irk_db_being_loaded(r.dbpath)) {
		irk_say_being_loaded(r.dbpath, "report");
		return 1;
	}
	if (irk_export_open_db(r.dbpath, &r.db) != 0)
		return 3;
	if (scalar(&r, "SELECT count(*) FROM events") < 0) {
		irk_fe_error("'%s' is not a case database: %s", r.dbpath,
		    sqlite3_errmsg(r.db));
		sqlite3_close(r.db);
		return 3;
	}
	if (irk_export_open_out(&out, outpath) != 0) {
		sqlite3_close(r.db);
		return 3;
	}
	r.out = out.fp;
	setvbuf(r.out, NULL, _IOFBF, 1 << 16);
	render(&r);
	rc = irk_export_finish_out(&out, 1);
	sqlite3_close(r.db);
	if (rc == IRK_WARN)	/* `-o - | head`: the reader has enough */
		return 0;
	if (rc != 0)
		return 3;
	if (strcmp(outpath, "-") != 0)
		irk_fe_error("wrote '%s'", outpath);
	return 0;
}
