/*
 * audit_event.c - one event of a Linux audit log: its records grouped
 * by serial (analyzer/logs_audit.c; docs/logs.md, "Audit").
 */
#include <stdio.h>

#include "record.h"
#include "irkit/banned.h"

static const struct irk_record_field fields[] = {
	{ "evidence_id", "INTEGER", IRK_RF_EVIDENCE, { NULL } },
	{ "host_id", "INTEGER", IRK_RF_HOST, { NULL } },
	{ "path", "TEXT", IRK_RF_TEXT, { "path" } },
	{ "line", "INTEGER", IRK_RF_JSON, { "line" } },
	{ "offset", "INTEGER", IRK_RF_JSON, { "offset" } },
	{ "time", "INTEGER", IRK_RF_TIME, { "time" } },
	{ "ts_how", "TEXT", IRK_RF_TEXT, { "ts_how" } },
	{ "serial", "INTEGER", IRK_RF_JSON, { "serial" } },
	{ "event_type", "TEXT", IRK_RF_TEXT, { "event_type" } },
	{ "record_types", "TEXT", IRK_RF_TEXT, { "record_types" } },
	{ "result", "TEXT", IRK_RF_TEXT, { "result" } },
	{ "pid", "TEXT", IRK_RF_TEXT, { "pid" } },
	{ "ppid", "TEXT", IRK_RF_TEXT, { "ppid" } },
	{ "uid", "TEXT", IRK_RF_TEXT, { "uid" } },
	{ "auid", "TEXT", IRK_RF_TEXT, { "auid" } },
	{ "ses", "TEXT", IRK_RF_TEXT, { "ses" } },
	{ "syscall", "TEXT", IRK_RF_TEXT, { "syscall" } },
	{ "exe", "TEXT", IRK_RF_TEXT, { "exe" } },
	{ "comm", "TEXT", IRK_RF_TEXT, { "comm" } },
	{ "key", "TEXT", IRK_RF_TEXT, { "key" } },
	{ "acct", "TEXT", IRK_RF_TEXT, { "acct" } },
	{ "addr", "TEXT", IRK_RF_TEXT, { "addr" } },
	{ "hostname", "TEXT", IRK_RF_TEXT, { "hostname" } },
	{ "terminal", "TEXT", IRK_RF_TEXT, { "terminal" } },
	{ "op", "TEXT", IRK_RF_TEXT, { "op" } },
	{ "cwd", "TEXT", IRK_RF_TEXT, { "cwd" } },
	{ "cmd", "TEXT", IRK_RF_TEXT, { "cmd" } },
	{ "argv", "TEXT", IRK_RF_JOIN, { "argv" } },
	{ "proctitle", "TEXT", IRK_RF_TEXT, { "proctitle" } },
	{ "names", "TEXT", IRK_RF_JOIN, { "names" } },
	{ "records_dropped", "INTEGER", IRK_RF_JSON, { "records_dropped" } },
	{ "event_hash", "TEXT", IRK_RF_TEXT, { "event_hash" } },
	{ "record", "TEXT", IRK_RF_RECORD, { NULL } },
	{ NULL, NULL, 0, { NULL } },
};

static const struct irk_record_event events[] = {
	{ "time", "Audit Event", NULL, "AUDIT", "path" },
	{ NULL, NULL, NULL, NULL, NULL },
};

static const char *const identity[] = { "event_hash", NULL };
static const char *const compare[] = { "path", NULL };
static const char *const not_stored[] = { "type", "log", "rotation",
	"records", "enriched", "tz", "ts_note", NULL };

static const struct irk_record_report_col cols[] = {
	{ "Time", "t.time", IRK_RC_TIME },
	{ "Type", "t.event_type", IRK_RC_SHORT },
	{ "Result", "t.result", IRK_RC_SHORT },
	{ "Command", "coalesce(t.argv, t.proctitle, t.cmd)", IRK_RC_MONO },
	{ "Executable", "t.exe", IRK_RC_MONO },
	{ "auid/uid", "t.auid || '/' || t.uid", IRK_RC_SHORT },
	{ "File", "t.path || ':' || t.line", IRK_RC_MONO },
	{ NULL, NULL, 0 },
};

static const struct irk_record_report report = {
	.id = "audit",
	.nav = "Audit",
	.title = "Audit events behind a finding",
	.why = "behind a finding: a download run by a shell, base64 "
	    "decoded, a reverse shell, a file made immutable",
	.cols = cols,
	.link = "SELECT 'audit event', event_type || ' ' || serial, "
	    "substr(coalesce(argv, proctitle, cmd, ''), 1, 300) || '  (' || "
	    "path || ':' || line || ')', time FROM audit_events WHERE id = ?",
};

/* the command as run: execve's argv, else the process title */
#define CMD "coalesce(argv, proctitle, '')"

static const struct irk_record_finding findings[] = {
	{ 60, "SELECT id, 'download run by a shell (audit)' AS title, "
	    "'execve: ' || substr(" CMD ", 1, 200) AS reason, time AS ts, "
	    "path FROM audit_events WHERE evidence_id = ?1 AND (" CMD
	    " GLOB '*curl*|*sh*' OR " CMD " GLOB '*wget*|*sh*')" },
	{ 50, "SELECT id, 'base64 decoded (audit)' AS title, 'execve: ' || "
	    "substr(" CMD ", 1, 200) AS reason, time AS ts, path FROM "
	    "audit_events WHERE evidence_id = ?1 AND (" CMD " GLOB "
	    "'*base64 -d*' OR " CMD " GLOB '*base64 --decode*')" },
	{ 70, "SELECT id, 'netcat with -e, a reverse shell (audit)' AS "
	    "title, 'execve: ' || substr(" CMD ", 1, 200) AS reason, time AS "
	    "ts, path FROM audit_events WHERE evidence_id = ?1 AND (" CMD
	    " GLOB 'nc *-e*' OR " CMD " GLOB '*/nc *-e*' OR " CMD " GLOB "
	    "'ncat *-e*' OR " CMD " GLOB '*/ncat *-e*' OR " CMD " GLOB "
	    "'*netcat *-e*' OR " CMD " GLOB '*[ ;|&]nc *-e *')" },
	{ 50, "SELECT id, 'file made immutable (audit)' AS title, 'execve: ' "
	    "|| substr(" CMD ", 1, 200) AS reason, time AS ts, path FROM "
	    "audit_events WHERE evidence_id = ?1 AND " CMD " GLOB "
	    "'*chattr *+i*'" },
	{ 0, NULL },
};

static void
message(const struct irk_record_row *row, char *buf, size_t len)
{
	const char *type = irk_record_text(row, "event_type");
	const char *argv = irk_record_text(row, "argv");
	const char *exe = irk_record_text(row, "exe");
	const char *res = irk_record_text(row, "result");

	(void)snprintf(buf, len, "%s %s%s%s%s", type ? type : "?",
	    argv ? argv : exe ? exe : "", res ? " (" : "", res ? res : "",
	    res ? ")" : "");
}

const struct irk_record_type irk_record_audit_event = {
	.type = "audit_event",
	.diff_volatile = "1",
	.table = "audit_events",
	.doc = "an event of a Linux audit log",
	.fields = fields,
	.events = events,
	.ioc_name = "exe",
	.ioc_text = "argv",
	.ioc_label = "path || ':' || line",
	.ioc_time = "time",
	.identity = identity,
	.compare = compare,
	.unique = "event_hash",
	.not_stored = not_stored,
	.report = &report,
	.flagged = "a download piped to a shell, base64 decoded, netcat -e, "
	    "chattr +i, run as audit saw them",
	.category = "audit",
	.findings = findings,
	.message = message,
};
