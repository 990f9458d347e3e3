/*
 * log_line.c - one line of a syslog-family text log (auth.log, secure,
 * syslog, messages, kern.log, cron), parsed by the analyzer's syslog
 * collector (analyzer/logs_syslog.c; docs/logs.md), with the typed
 * fields of the messages logmsg.c knows.
 */
#include <stdio.h>

#include "log_fields.h"
#include "log_findings.h"
#include "record.h"
#include "irkit/banned.h"

static const struct irk_record_field fields[] = {
	IRK_LOG_FIELDS,
	{ "format", "TEXT", IRK_RF_TEXT, { "format" } },
	{ "hostname", "TEXT", IRK_RF_TEXT, { "hostname" } },
	{ "program", "TEXT", IRK_RF_TEXT, { "program" } },
	{ "pid", "INTEGER", IRK_RF_JSON, { "pid" } },
	{ "priority", "INTEGER", IRK_RF_JSON, { "priority" } },
	{ "msgid", "TEXT", IRK_RF_TEXT, { "msgid" } },
	{ "sdata", "TEXT", IRK_RF_TEXT, { "sdata" } },
	{ "message", "TEXT", IRK_RF_TEXT, { "message" } },
	{ "cut", "INTEGER", IRK_RF_JSON, { "cut" } },
	{ "event", "TEXT", IRK_RF_TEXT, { "event" } },
	{ "user", "TEXT", IRK_RF_TEXT, { "user" } },
	{ "method", "TEXT", IRK_RF_TEXT, { "method" } },
	{ "address", "TEXT", IRK_RF_TEXT, { "address" } },
	{ "port", "INTEGER", IRK_RF_JSON, { "port" } },
	{ "key", "TEXT", IRK_RF_TEXT, { "key" } },
	{ "tty", "TEXT", IRK_RF_TEXT, { "tty" } },
	{ "cwd", "TEXT", IRK_RF_TEXT, { "cwd" } },
	{ "run_as", "TEXT", IRK_RF_TEXT, { "run_as" } },
	{ "command", "TEXT", IRK_RF_TEXT, { "command" } },
	{ "group_name", "TEXT", IRK_RF_TEXT, { "group" } },
	{ "uid", "INTEGER", IRK_RF_JSON, { "uid" } },
	{ "shell", "TEXT", IRK_RF_TEXT, { "shell" } },
	{ "unit", "TEXT", IRK_RF_TEXT, { "unit" } },
	{ "note", "TEXT", IRK_RF_TEXT, { "note" } },
	{ "line_hash", "TEXT", IRK_RF_TEXT, { "line_hash" } },
	{ NULL, NULL, 0, { NULL } },
};

static const struct irk_record_event events[] = {
	{ "time", "Log Entry", NULL, "LOG", "path" },
	{ NULL, NULL, NULL, NULL, NULL },
};

/* the line's text and UTC time (the text names its host) */
static const char *const identity[] = { "line_hash", NULL };
static const char *const compare[] = { "path", NULL };
static const char *const not_stored[] = { "type", NULL };

static const struct irk_record_report_col cols[] = {
	{ "Time", "t.time", IRK_RC_TIME },
	{ "Time from", "t.ts_how", IRK_RC_SHORT },
	{ "Event", "t.event", IRK_RC_SHORT },
	{ "User", "t.user", IRK_RC_TEXT },
	{ "From", "t.address", IRK_RC_MONO },
	{ "Message", "coalesce(t.program, '') || ': ' || t.message",
	    IRK_RC_MONO },
	{ "File", "t.path || ':' || t.line", IRK_RC_MONO },
	{ NULL, NULL, 0 },
};

static const struct irk_record_report report = {
	.id = "log-lines",
	.nav = "Log lines",
	.title = "Log lines behind a finding",
	.why = IRK_LOG_FINDINGS_WHY,
	.cols = cols,
	.link = "SELECT 'log line', coalesce(event, program, ''), "
	    "substr(message, 1, 300) || '  (' || path || ':' || line || ')', "
	    "time FROM log_lines WHERE id = ?",
};

static const struct irk_record_finding findings[] = {
	IRK_LOG_FINDINGS("log_lines", ""),
	/* the first line of rotation N with no line of rotation N-1 */
	{ 40, "SELECT l.id, 'log rotation missing: ' || l.log || '.' || "
	    "(l.rotation - 1) AS title, l.path || ' is there but no line of "
	    "rotation ' || (l.rotation - 1) || ' of ' || l.log || ' (deleted "
	    "or emptied?)' AS reason, l.time AS ts, l.path FROM log_lines l "
	    "WHERE l.evidence_id = ?1 AND l.line = 1 AND l.rotation > 1 AND "
	    "NOT EXISTS (SELECT 1 FROM log_lines m WHERE m.evidence_id = "
	    "l.evidence_id AND m.log = l.log AND m.rotation = l.rotation - 1)"
	},
	{ 0, NULL },
};

static void
message(const struct irk_record_row *row, char *buf, size_t len)
{
	const char *prog = irk_record_text(row, "program");
	const char *msg = irk_record_text(row, "message");
	const char *how = irk_record_text(row, "ts_how");

	(void)snprintf(buf, len, "%s%s%.*s%s%s%s", prog ? prog : "",
	    prog ? ": " : "", (int)len, msg ? msg : "", how ? " [time " : "",
	    how ? how : "", how ? "]" : "");
}

const struct irk_record_type irk_record_log_line = {
	.type = "log_line",
	/* activity, not state: new lines are no change (diff) */
	.diff_volatile = "1",
	.table = "log_lines",
	.doc = "a line of a syslog-family text log",
	.fields = fields,
	.events = events,
	.ioc_text = "message",
	.ioc_label = "path || ':' || line",
	.ioc_time = "time",
	.identity = identity,
	.compare = compare,
	.unique = "line_hash",
	.not_stored = not_stored,
	.report = &report,
	.flagged = IRK_LOG_FINDINGS_FLAGGED ", a missing rotation",
	.category = "logs",
	.findings = findings,
	.message = message,
};
