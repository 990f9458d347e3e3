/*
 * report_windows.c - the report's "Windows event logs" section: for
 * each host with event-log records, its logons by source, the services
 * installed, the scheduled tasks changed and the logs cleared (read
 * through db_windows.h).  Nothing when the case has no such records.
 * Every value from the database is HTML-escaped (textout.h).
 */
#include <stdio.h>
#include <string.h>

#include "irkit/err.h"
#include "irkit/fe.h"
#include "db_windows.h"
#include "report.h"
#include "textout.h"
#include "irkit/banned.h"

#define CAP_HOSTS	50
#define CAP_ROWS	100
#define CELL		400

/* How a column is shown: text, fixed-width, a number, a time. */
enum wk { W_TEXT, W_MONO, W_NUM, W_TIME };

struct wtable {
	enum irk_db_wtable which;
	const char *title;
	const char *empty;
	const char *const *heads;
	const enum wk *kinds;
};

static const char *const logon_heads[] = { "Source", "Logon type",
    "Outcome", "Accounts", "Count", "First", "Last", NULL };
static const enum wk logon_kinds[] = { W_MONO, W_NUM, W_TEXT, W_TEXT,
    W_NUM, W_TIME, W_TIME };
static const char *const svc_heads[] = { "Time", "Service", "Image",
    "Account", "Event", NULL };
static const enum wk svc_kinds[] = { W_TIME, W_TEXT, W_MONO, W_TEXT,
    W_NUM };
static const char *const task_heads[] = { "Time", "Task", "Change", "By",
    "Event", NULL };
static const enum wk task_kinds[] = { W_TIME, W_MONO, W_TEXT, W_TEXT,
    W_NUM };
static const char *const clear_heads[] = { "Time", "Log", "By", "Event",
    NULL };
static const enum wk clear_kinds[] = { W_TIME, W_TEXT, W_TEXT, W_NUM };

static const struct wtable wtables[] = {
	{ IRK_WT_LOGONS, "Logons by source", "No logon events (4624, 4625).",
	    logon_heads, logon_kinds },
	{ IRK_WT_SERVICES, "Services installed",
	    "No service installed (7045, 4697).", svc_heads, svc_kinds },
	{ IRK_WT_TASKS, "Scheduled tasks changed",
	    "No task created, changed or deleted (4698-4702, 106, 140, 141).",
	    task_heads, task_kinds },
	{ IRK_WT_CLEARED, "Logs cleared", "No log cleared (1102, 104).",
	    clear_heads, clear_kinds },
};

static void
wcell(FILE *fp, struct irk_db_rows *st, int i, enum wk k)
{
	static const char *const cls[] = { "", " class=\"mono\"",
	    " class=\"num\"", " class=\"time\"" };
	size_t n;
	const char *s;

	fprintf(fp, "<td%s>", cls[k]);
	if (irk_db_rows_isnull(st, i))
		;
	else if (k == W_TIME)
		irk_report_time(fp, irk_db_rows_int(st, i));
	else if ((s = irk_db_rows_text(st, i, &n)) != NULL)
		irk_out_html(fp, s, n, CELL);
	fputs("</td>", fp);
}

/* One table of one host; 0, or IRK_FAIL when it could not be read. */
static int
host_table(struct irk_db *db, FILE *fp, const char *host,
    const struct wtable *w)
{
	struct irk_db_rows *st;
	struct irk_err err;
	int64_t total, n = 0;
	int i, s;

	fprintf(fp, "<h4>%s</h4>\n", w->title);
	if (irk_db_windows_table(db, w->which, host, CAP_ROWS, &total, &st,
	    &err) != IRK_OK) {
		irk_fe_error("cannot read the Windows event logs: %s", err.msg);
		fputs("<p class=\"note\">It could not be read.</p>\n", fp);
		return IRK_FAIL;
	}
	if (total == 0) {
		irk_db_rows_close(st);
		fprintf(fp, "<p class=\"note\">%s</p>\n", w->empty);
		return 0;
	}
	fputs("<table><thead><tr>", fp);
	for (i = 0; w->heads[i] != NULL; i++)
		fprintf(fp, "<th>%s</th>", w->heads[i]);
	fputs("</tr></thead><tbody>\n", fp);
	while ((s = irk_db_rows_next(st)) == 1) {
		fputs("<tr>", fp);
		for (i = 0; w->heads[i] != NULL; i++)
			wcell(fp, st, i, w->kinds[i]);
		fputs("</tr>\n", fp);
		n++;
	}
	irk_db_rows_close(st);
	fputs("</tbody></table>\n", fp);
	if (total > n)
		fprintf(fp, "<p class=\"more\">%lld more in the database</p>\n",
		    (long long)(total - n));
	return s == 0 ? 0 : IRK_FAIL;
}

int
irk_report_windows_any(struct irk_db *db)
{
	struct irk_db_rows *st;
	struct irk_err err;
	int any;

	if (irk_db_windows_hosts(db, &st, &err) != IRK_OK)
		return 0;
	any = irk_db_rows_next(st) == 1;
	irk_db_rows_close(st);
	return any;
}

int
irk_report_windows(struct irk_db *db, FILE *fp)
{
	struct irk_db_rows *st;
	struct irk_err err;
	int hosts = 0, r = 0, s;

	if (irk_db_windows_hosts(db, &st, &err) != IRK_OK) {
		irk_fe_error("cannot read the Windows event logs: %s", err.msg);
		return IRK_FAIL;
	}
	while ((s = irk_db_rows_next(st)) == 1) {
		const char *host = irk_db_rows_text(st, 0, NULL);

		if (hosts++ == 0)
			fputs("<h2 id=\"windows\">Windows event logs</h2>\n"
			    "<p class=\"note\">Host by host, from the event "
			    "logs read (<code>SELECT * FROM win_events</code>"
			    "; docs/windows-events.md).</p>\n", fp);
		if (hosts > CAP_HOSTS)
			continue;
		fputs("<h3>", fp);
		irk_out_htmls(fp, host);
		fprintf(fp, "</h3>\n<p class=\"note\">%lld records from %lld "
		    "logs.</p>\n", (long long)irk_db_rows_int(st, 1),
		    (long long)irk_db_rows_int(st, 2));
		for (size_t i = 0; i < sizeof(wtables) / sizeof(wtables[0]);
		    i++)
			if (host_table(db, fp, host != NULL ? host : "",
			    &wtables[i]) != 0)
				r = IRK_FAIL;
	}
	irk_db_rows_close(st);
	if (hosts > CAP_HOSTS)
		fprintf(fp, "<p class=\"more\">%d more hosts in the database"
		    "</p>\n", hosts - CAP_HOSTS);
	return s == 0 ? r : IRK_FAIL;
}
