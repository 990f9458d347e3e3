/*
 * report_problems.c - the report's "collection and analysis problems":
 * the log's errors and warnings, grouped (report.h), and the report's
 * time cells; the log is read through db_report.h.
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

#include "irkit/err.h"
#include "irkit/fe.h"
#include "irkit/timeutil.h"
#include "db_report.h"
#include "report.h"
#include "textout.h"
#include "irkit/banned.h"

#define CAP_GROUPS	100
#define EX_WARNING	3	/* examples shown per group */
#define EX_ERROR	5
#define CELL		600

void
irk_report_time(FILE *fp, int64_t us)
{
	char t[IRK_TIME_LEN];

	irk_time_fmt(us, t);
	/* 2026-11-21 22:29:21Z, the full value in the tooltip */
	fprintf(fp, "<span title=\"%s\">%.10s %.8sZ</span>", t, t, t + 11);
}

static void
text(FILE *fp, struct irk_db_rows *st, int i, size_t max)
{
	size_t n;
	const char *s = irk_db_rows_text(st, i, &n);

	if (s != NULL)
		irk_out_html(fp, s, n, max);
}

static void
time_cell(FILE *fp, struct irk_db_rows *st, int i)
{
	fputs("<td class=\"time\">", fp);
	if (!irk_db_rows_isnull(st, i))
		irk_report_time(fp, irk_db_rows_int(st, i));
	fputs("</td>", fp);
}

/* The group's cells up to the examples cell, which stays open. */
static void
group_start(FILE *fp, struct irk_db_rows *st)
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
	    (long long)irk_db_rows_int(st, 5));
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
summary(struct irk_db *db, FILE *fp)
{
	int64_t errors, warnings;

	if (irk_db_report_problem_counts(db, &errors, &warnings))
		fprintf(fp, "<p class=\"note\">%lld errors and %lld warnings in "
		    "the log, grouped: errors with the same message, warnings "
		    "of one kind (the same message but for numbers and quoted "
		    "names).  All of them: <code>SELECT * FROM log</code>.</p>\n",
		    (long long)errors, (long long)warnings);
}

int
irk_report_problems(struct irk_db *db, FILE *fp)
{
	struct irk_db_rows *st = NULL;
	struct irk_err err;
	int64_t n = 0, more = 0;
	int groups = 0, shown = 0, s;

	fputs("<h2 id=\"log\">Collection and analysis problems</h2>\n", fp);
	if (irk_db_report_problems(db, EX_ERROR, EX_WARNING, &st, &err) !=
	    IRK_OK) {
		irk_fe_error("cannot read the log: %s", err.msg);
		fputs("<p class=\"note\">The log could not be read.</p>\n", fp);
		return IRK_FAIL;
	}
	while ((s = irk_db_rows_next(st)) == 1) {
		int first = irk_db_rows_int(st, 10) == 1;

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
			n = irk_db_rows_int(st, 5);
			shown = 0;
		}
		if (shown++ > 0)
			fputs("<br>", fp);
		if (!irk_db_rows_isnull(st, 8)) {
			text(fp, st, 8, 300);
			fputs(": ", fp);
		}
		text(fp, st, 9, 300);
	}
	if (groups > 0 && groups <= CAP_GROUPS)
		group_end(fp, n, shown);
	irk_db_rows_close(st);
	if (groups > 0)
		fputs("</tbody></table>\n", fp);
	else
		fputs("<p class=\"note\">None recorded.</p>\n", fp);
	if (more > 0)
		fprintf(fp, "<p class=\"more\">%lld more kinds of problem in the "
		    "database</p>\n", (long long)more);
	return s == 0 ? 0 : IRK_FAIL;
}
