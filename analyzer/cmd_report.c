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

#include "irkit/err.h"
#include "irkit/fe.h"
#include "irkit/timeutil.h"
#include "irkit/version.h"
#include "export.h"
#include "report.h"
#include "textout.h"
#include "db_report.h"
#include "out_util.h"
#include "records/record.h"
#include "irkit/banned.h"

#define CAP_FINDINGS	100
#define CAP_ROWS	100
#define CAP_LINKS	20
#define CAP_CELL	600	/* bytes of one value shown */

#define WHERE_COLS	{ "Host", K_SHORT }, { "Evidence", K_MONO }

struct rep {
	struct irk_db *db;
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
hcol(struct rep *r, struct irk_db_rows *st, int i, size_t max)
{
	const char *s;
	size_t n;

	if (irk_db_rows_isnull(st, i))
		return;
	s = irk_db_rows_text(st, i, &n);
	if (s != NULL)
		irk_out_html(r->out, s, n, max);
}

static void
htime(struct rep *r, int64_t us)
{
	irk_report_time(r->out, us);
}

/* 1 (said) when a read did not open: rc not IRK_OK. */
static int
failed(int rc, const struct irk_err *err)
{
	if (rc != IRK_OK) {
		irk_fe_error("%s", err->msg);
		return 1;
	}
	return 0;
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
cell(struct rep *r, struct irk_db_rows *st, int i, enum kind k)
{
	int null = irk_db_rows_isnull(st, i);
	const char *s;
	size_t n;

	switch (k) {
	case K_TIME:
		fputs("<td class=\"time\">", r->out);
		if (!null)
			htime(r, irk_db_rows_int(st, i));
		break;
	case K_NUM:
		fputs("<td class=\"num\">", r->out);
		hcol(r, st, i, CAP_CELL);
		break;
	case K_FLAG:
		fputs("<td>", r->out);
		if (!null)
			fputs(irk_db_rows_int(st, i) ? "yes" : "no", r->out);
		break;
	case K_VERIFY:
		fputs("<td>", r->out);
		s = null ? "" : irk_db_rows_text(st, i, NULL);
		fprintf(r->out, "<span class=\"badge %s\">",
		    strcmp(s, "intact") == 0 ? "b-ok" :
		    strcmp(s, "damaged") == 0 ? "b-bad" :
		    strcmp(s, "no-manifest") == 0 ? "b-warn" : "b-na");
		h(r, *s != '\0' ? s : "unknown");
		fputs("</span>", r->out);
		break;
	case K_JSONLIST:
		fputs("<td>", r->out);
		if (!null && (s = irk_db_rows_text(st, i, &n)) != NULL)
			json_list(r, s, n, 0);
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
table(struct rep *r, enum irk_db_rtable which, const struct irk_record_type *t,
    const struct col *cols, int cap, const char *empty, int by_host)
{
	struct irk_db_rows *st;
	struct irk_err err;
	int64_t total, n = 0;
	int i, rc;

	rc = irk_db_report_table(r->db, which, t, cap, by_host, &total, &st,
	    &err);
	if (rc == IRK_OK && total <= 0) {
		fprintf(r->out, "<p class=\"note\">%s</p>\n", empty);
		return;
	}
	if (failed(rc, &err))
		return;
	fputs("<table><thead><tr>", r->out);
	for (i = 0; cols[i].label != NULL; i++)
		fprintf(r->out, "<th>%s</th>", cols[i].label);
	fputs("</tr></thead><tbody>\n", r->out);
	while (irk_db_rows_next(st) == 1) {
		fputs("<tr>", r->out);
		for (i = 0; cols[i].label != NULL; i++)
			cell(r, st, i, cols[i].kind);
		fputs("</tr>\n", r->out);
		n++;
	}
	irk_db_rows_close(st);
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
	static const struct {
		const char *label;
		enum irk_db_rcount which;
		int alert;
	} cards[] = {
		{ "findings", IRK_RCOUNT_FINDINGS, 1 },
		{ "findings scored 70+", IRK_RCOUNT_FINDINGS_70, 1 },
		{ "YARA matches", IRK_RCOUNT_YARA, 1 },
		{ "IOC hits", IRK_RCOUNT_IOC, 1 },
		{ "hosts", IRK_RCOUNT_HOSTS, 0 },
		{ "evidence items", IRK_RCOUNT_EVIDENCE, 0 },
		{ "files", IRK_RCOUNT_FILES, 0 },
		{ "timeline events", IRK_RCOUNT_EVENTS, 0 },
	};

	fputs("<div class=\"cards\">\n", r->out);
	for (size_t i = 0; i < sizeof(cards) / sizeof(cards[0]); i++)
		card(r, cards[i].label, irk_db_report_count(r->db,
		    cards[i].which), cards[i].alert);
	fputs("</div>\n", r->out);
	fputs("<h2 id=\"evidence\">Evidence</h2>\n", r->out);
	table(r, IRK_RTABLE_EVIDENCE, NULL, ev, CAP_ROWS,
	    "No evidence in this database.", 0);
	fputs("<h2 id=\"hosts\">Hosts</h2>\n", r->out);
	table(r, IRK_RTABLE_HOSTS, NULL, ho, CAP_ROWS,
	    "No hosts in this database.", 0);
}

static const char *
sev(int score)
{
	return score >= 90 ? "crit" : score >= 70 ? "high" : score >= 40 ?
	    "med" : "low";
}

/* One line describing a record behind a finding: kind, what, detail,
 * time (each record type's report.link). */
static void
link_row(struct rep *r, const char *tbl, int64_t id)
{
	struct irk_db_rows *st = NULL;
	struct irk_err err;
	int rc;

	fputs("<tr>", r->out);
	rc = irk_db_report_link(r->db, tbl, id, &st, &err);
	if (rc != IRK_FAIL && !failed(rc, &err)) {
		if (irk_db_rows_next(st) == 1) {
			cell(r, st, 0, K_SHORT);
			cell(r, st, 1, K_MONO);
			cell(r, st, 2, K_MONO);
			cell(r, st, 3, K_TIME);
			irk_db_rows_close(st);
			fputs("</tr>\n", r->out);
			return;
		}
		irk_db_rows_close(st);
	}
	fputs("<td>", r->out);
	h(r, tbl != NULL ? tbl : "?");
	fprintf(r->out, "</td><td class=\"mono\">row %lld</td><td></td>"
	    "<td></td></tr>\n", (long long)id);
}

static void
finding_links(struct rep *r, int64_t fid)
{
	struct irk_db_rows *st;
	struct irk_err err;
	int n = 0;

	if (failed(irk_db_report_finding_links(r->db, fid, &st, &err), &err))
		return;
	while (irk_db_rows_next(st) == 1) {
		if (n == 0)
			fputs("<h4>Records behind it</h4><table><thead><tr>"
			    "<th>Kind</th><th>What</th><th>Detail</th>"
			    "<th>Time</th></tr></thead><tbody>\n", r->out);
		if (n++ >= CAP_LINKS)
			continue;
		link_row(r, irk_db_rows_text(st, 0, NULL),
		    irk_db_rows_int(st, 1));
	}
	irk_db_rows_close(st);
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
	struct irk_db_rows *st;
	struct irk_err err;
	int n = 0, marked = 0;

	if (failed(irk_db_report_window(r->db, ts, host, &st, &err), &err))
		return;
	while (irk_db_rows_next(st) == 1) {
		int64_t t = irk_db_rows_int(st, 0);

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
	irk_db_rows_close(st);
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
	table(r, IRK_RTABLE_FINDINGS_BY_HOST, NULL, fc, CAP_ROWS, "No findings.",
	    0);
}

static void
findings(struct rep *r)
{
	struct irk_db_rows *st;
	struct irk_err err;
	int64_t total;
	int n = 0;

	fputs("<h2 id=\"findings\">Findings, by score</h2>\n", r->out);
	total = irk_db_report_count(r->db, IRK_RCOUNT_FINDINGS);
	if (total <= 0) {
		fputs("<p class=\"note\">No findings: nothing matched the rules, "
		    "IOC lists or heuristics.  That is not proof of a clean host;"
		    " review the tables below and the timeline.</p>\n", r->out);
		return;
	}
	findings_by_host(r);
	if (failed(irk_db_report_findings(r->db, CAP_FINDINGS, &st,
	    &err), &err))
		return;
	while (irk_db_rows_next(st) == 1) {
		int score = (int)irk_db_rows_int(st, 1);
		const char *host = irk_db_rows_text(st, 6, NULL);
		const char *why;
		size_t wn;
		char *hostcopy = host != NULL ? strdup(host) : NULL;

		n++;
		fprintf(r->out, "<section class=\"finding %s\" id=\"f%lld\">"
		    "<h3><span class=\"score s-%s\">%d</span>", sev(score),
		    (long long)irk_db_rows_int(st, 0), sev(score), score);
		hcol(r, st, 2, CAP_CELL);
		fputs("</h3><div class=\"meta\">", r->out);
		if (!irk_db_rows_isnull(st, 3)) {
			hcol(r, st, 3, 80);
			fputs(" &middot; ", r->out);
		}
		fputs("host ", r->out);
		h(r, host != NULL ? host : "unknown");
		if (!irk_db_rows_isnull(st, 5)) {
			fputs(" &middot; ", r->out);
			htime(r, irk_db_rows_int(st, 5));
		}
		fprintf(r->out, " &middot; finding %lld, evidence ",
		    (long long)irk_db_rows_int(st, 0));
		if (!irk_db_rows_isnull(st, 7))
			hcol(r, st, 7, 300);
		else
			fputs("unknown", r->out);
		fputs("</div>\n", r->out);
		if ((why = irk_db_rows_text(st, 4, &wn)) != NULL) {
			fputs("<h4>Why</h4>", r->out);
			json_list(r, why, wn, 1);
		}
		finding_links(r, irk_db_rows_int(st, 0));
		if (!irk_db_rows_isnull(st, 5))
			window(r, irk_db_rows_int(st, 5), hostcopy);
		free(hostcopy);
		fputs("</section>\n", r->out);
	}
	irk_db_rows_close(st);
	if (total > n)
		fprintf(r->out, "<p class=\"more\">%lld more findings in the "
		    "database (lower scores): <code>SELECT * FROM findings "
		    "ORDER BY score DESC</code></p>\n", (long long)(total - n));
}

/* rule metadata: {"k": v, ...} as "k: v" lines */
static void
meta_cell(struct rep *r, struct irk_db_rows *st, int i)
{
	json_t *j, *v;
	const char *k, *s;
	size_t n;
	int shown = 0;

	fputs("<td>", r->out);
	if ((s = irk_db_rows_text(st, i, &n)) != NULL) {
		j = json_loadb(s, n, 0, NULL);
		if (j == NULL || !json_is_object(j))
			hcol(r, st, i, CAP_CELL);
		else
			json_object_foreach(j, k, v) {
				if (shown++ >= 12)
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
strings_cell(struct rep *r, struct irk_db_rows *st, int i)
{
	json_t *j, *v;
	const char *s;
	size_t k, n;

	fputs("<td class=\"mono\">", r->out);
	if ((s = irk_db_rows_text(st, i, &n)) != NULL) {
		j = json_loadb(s, n, 0, NULL);
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
	struct irk_db_rows *st;
	struct irk_err err;
	const char *tags;
	size_t tn;
	int64_t total;
	int n = 0;

	fputs("<h2 id=\"yara\">YARA matches</h2>\n", r->out);
	total = irk_db_report_count(r->db, IRK_RCOUNT_YARA);
	if (total <= 0) {
		fputs("<p class=\"note\">No YARA matches.</p>\n", r->out);
		return;
	}
	/* the best CAP_ROWS, shown host by host */
	if (failed(irk_db_report_yara(r->db, CAP_ROWS, &st, &err), &err))
		return;
	fputs("<table><thead><tr><th>Host</th><th>Evidence</th><th>Rule</th>"
	    "<th>File</th><th>Rule metadata</th><th>Matched strings</th></tr>"
	    "</thead><tbody>\n", r->out);
	while (irk_db_rows_next(st) == 1) {
		n++;
		fputs("<tr>", r->out);
		cell(r, st, 0, K_SHORT);
		cell(r, st, 1, K_MONO);
		fputs("<td><b>", r->out);
		hcol(r, st, 2, 300);
		fputs("</b><br><span class=\"note\">", r->out);
		hcol(r, st, 3, 100);
		if ((tags = irk_db_rows_text(st, 4, &tn)) != NULL) {
			fputs("<br>tags: ", r->out);
			json_list(r, tags, tn, 0);
		}
		if (!irk_db_rows_isnull(st, 9))
			fprintf(r->out, "<br>score %d", (int)irk_db_rows_int(st,
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
	irk_db_rows_close(st);
	fputs("</tbody></table>\n", r->out);
	if (total > n)
		fprintf(r->out, "<p class=\"more\">%lld more in the database"
		    "</p>\n", (long long)(total - n));
}

/* 1 when t has a report section this case can fill. */
static int
shows_section(struct rep *r, const struct irk_record_type *t)
{
	return t->report != NULL && t->report->title != NULL &&
	    irk_db_report_has_table(r->db, t);
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

/* A record type's section: its rows behind a finding, or flagged. */
static void
record_section(struct rep *r, const struct irk_record_type *t)
{
	const struct irk_record_report *rp = t->report;
	struct col c[IRK_REPORT_SECTION_COLS + 4] = { WHERE_COLS,
	    { "Score", K_NUM } };
	int64_t all;
	int i;

	for (i = 0; rp->cols[i].title != NULL && i < IRK_REPORT_SECTION_COLS;
	    i++) {
		c[3 + i].label = rp->cols[i].title;
		c[3 + i].kind = rc_kind(rp->cols[i].kind);
	}
	all = irk_db_report_rows(r->db, t);
	fprintf(r->out, "<h2 id=\"%s\">%s</h2>\n<p class=\"note\">"
	    "Shown: those %s, host by host. %lld in the database "
	    "(<code>SELECT * FROM %s</code>).</p>\n", rp->id,
	    rp->title, rp->why, (long long)(all < 0 ? 0 : all),
	    t->table);
	table(r, IRK_RTABLE_RECORDS, t, c, CAP_ROWS, "None flagged.", 1);
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
	fputs("<h2 id=\"iocs\">IOC hits</h2>\n", r->out);
	table(r, IRK_RTABLE_IOC_HITS, NULL, ic, CAP_ROWS, "No IOC hits.", 1);
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
	struct irk_db_rows *st;
	struct irk_err err;
	int n = 0;

	fputs("irkit case report", r->out);
	if (failed(irk_db_report_case_ids(r->db, &st, &err), &err))
		return;
	while (irk_db_rows_next(st) == 1) {
		fputs(n++ == 0 ? ": " : ", ", r->out);
		hcol(r, st, 0, 100);
	}
	irk_db_rows_close(st);
}

static void
subtitle(struct rep *r)
{
	struct irk_db_rows *st;
	struct irk_err err;
	int n = 0;

	if (failed(irk_db_report_hostnames(r->db, &st, &err), &err))
		return;
	while (irk_db_rows_next(st) == 1) {
		if (n++ == 8) {
			fputs(", &hellip;", r->out);
			break;
		}
		fputs(n == 1 ? "Hosts: " : ", ", r->out);
		hcol(r, st, 0, 100);
	}
	irk_db_rows_close(st);
	if (n == 0)
		fputs("No host information", r->out);
}

static void
body(struct rep *r)
{
	fputs("<nav class=\"toc\"><a href=\"#evidence\">Evidence</a>",
	    r->out);
	if (irk_report_hosts_any(r->db))
		fputs("<a href=\"#host-summary\">Hosts</a><a href=\""
		    "#across-hosts\">Across hosts</a><a href=\"#login-graph\">"
		    "Logins between hosts</a>", r->out);
	fputs("<a href=\"#activity\">Activity</a><a href=\"#findings\">"
	    "Findings</a><a href=\"#yara\">YARA</a>", r->out);
	for (size_t i = 0; irk_record_types[i] != NULL; i++)
		if (shows_section(r, irk_record_types[i]))
			fprintf(r->out, "<a href=\"#%s\">%s</a>",
			    irk_record_types[i]->report->id,
			    irk_record_types[i]->report->nav);
	if (irk_report_windows_any(r->db))
		fputs("<a href=\"#windows\">Windows</a>", r->out);
	fputs("<a href=\"#iocs\">IOCs</a><a href=\"#log\">Problems</a>"
	    "</nav>\n", r->out);
	summary(r);
	if (irk_report_hosts(r->db, r->out) != 0)
		fputs("<p class=\"note\">The hosts could not be compared.</p>\n",
		    r->out);
	fputs("<h2 id=\"activity\">Activity</h2>\n", r->out);
	if (irk_report_chart(r->db, r->out) != 0)
		fputs("<p class=\"note\">The timeline could not be read.</p>\n",
		    r->out);
	findings(r);
	if (irk_report_diff(r->db, r->out) != 0)
		fputs("<p class=\"note\">The changes between collections could "
		    "not be read.</p>\n", r->out);
	yara(r);
	if (irk_report_windows(r->db, r->out) != 0)
		fputs("<p class=\"note\">The Windows event logs could not be "
		    "read.</p>\n", r->out);
	artifacts(r);
	(void)irk_report_problems(r->db, r->out);
}

/* The template with its @NAME@ placeholders filled. */
static void
render(struct rep *r)
{
	const char *p = irk_report_template, *q, *e;
	char t[IRK_TIME_LEN];

	if (irk_db_report_init(r->db) != IRK_OK)
		irk_fe_error("cannot register the report's SQL functions: %s",
		    irk_db_errmsg(r->db));
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
	if (irk_db_report_count(r.db, IRK_RCOUNT_EVENTS) < 0) {
		irk_fe_error("'%s' is not a case database: %s", r.dbpath,
		    irk_db_errmsg(r.db));
		irk_db_close(r.db);
		return 3;
	}
	if (irk_export_open_out(&out, outpath) != 0) {
		irk_db_close(r.db);
		return 3;
	}
	r.out = out.fp;
	setvbuf(r.out, NULL, _IOFBF, 1 << 16);
	render(&r);
	rc = irk_export_finish_out(&out, 1);
	irk_db_close(r.db);
	if (rc == IRK_WARN)	/* `-o - | head`: the reader has enough */
		return 0;
	if (rc != 0)
		return 3;
	if (strcmp(outpath, "-") != 0)
		irk_fe_error("wrote '%s'", outpath);
	return 0;
}
