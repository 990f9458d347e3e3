/*
 * journal_entry.c - one entry of a systemd journal file, read by the
 * analyzer's journal collector (analyzer/journal.c) with libsystemd.
 * Its cursor is its identity: an entry reached twice (a .journal and
 * its .journal~ copy, the same file in two collections) is stored once.
 */
#include <stdio.h>

#include "log_findings.h"
#include "record.h"
#include "../db_util.h"
#include "irkit/banned.h"

static const struct irk_record_field fields[] = {
	{ "evidence_id", "INTEGER", IRK_RF_EVIDENCE, { NULL } },
	{ "host_id", "INTEGER", IRK_RF_HOST, { NULL } },
	{ "time", "INTEGER", IRK_RF_TIME, { "time" } },
	{ "ts_how", "TEXT", IRK_RF_TEXT, { "ts_how" } },
	{ "monotonic_us", "INTEGER", IRK_RF_JSON, { "monotonic_us" } },
	{ "boot_id", "TEXT", IRK_RF_TEXT, { "boot_id" } },
	{ "hostname", "TEXT", IRK_RF_TEXT, { "hostname" } },
	{ "unit", "TEXT", IRK_RF_TEXT, { "unit" } },
	{ "user_unit", "TEXT", IRK_RF_TEXT, { "user_unit" } },
	{ "identifier", "TEXT", IRK_RF_TEXT, { "identifier" } },
	{ "pid", "INTEGER", IRK_RF_JSON, { "pid" } },
	{ "uid", "INTEGER", IRK_RF_JSON, { "uid" } },
	{ "gid", "INTEGER", IRK_RF_JSON, { "gid" } },
	{ "comm", "TEXT", IRK_RF_TEXT, { "comm" } },
	{ "exe", "TEXT", IRK_RF_TEXT, { "exe" } },
	{ "cmdline", "TEXT", IRK_RF_TEXT, { "cmdline" } },
	{ "priority", "INTEGER", IRK_RF_JSON, { "priority" } },
	{ "transport", "TEXT", IRK_RF_TEXT, { "transport" } },
	{ "message", "TEXT", IRK_RF_TEXT, { "message" } },
	{ "message_cut", "INTEGER", IRK_RF_JSON, { "message_cut" } },
	{ "cursor", "TEXT", IRK_RF_TEXT, { "cursor" } },
	{ "path", "TEXT", IRK_RF_TEXT, { "path" } },
	/* the message typed as a syslog line's (logmsg.c) */
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
	{ "account_uid", "INTEGER", IRK_RF_JSON, { "account_uid" } },
	{ "shell", "TEXT", IRK_RF_TEXT, { "shell" } },
	{ "target_unit", "TEXT", IRK_RF_TEXT, { "target_unit" } },
	{ "note", "TEXT", IRK_RF_TEXT, { "note" } },
	{ NULL, NULL, 0, { NULL } },
};

static const struct irk_record_event events[] = {
	{ "time", "Journal Entry", NULL, "JOURNAL", "path" },
	{ NULL, NULL, NULL, NULL, NULL },
};

static const char *const identity[] = { "cursor", NULL };
static const char *const compare[] = { "message", NULL };
/* the number of fields the entry had: kept nowhere */
static const char *const not_stored[] = { "type", "fields", NULL };

static const struct irk_record_report_col cols[] = {
	{ "Time", "t.time", IRK_RC_TIME },
	{ "Event", "t.event", IRK_RC_SHORT },
	{ "User", "t.user", IRK_RC_TEXT },
	{ "From", "t.address", IRK_RC_MONO },
	{ "Message", "coalesce(t.identifier, t.comm, '') || ': ' || "
	    "t.message", IRK_RC_MONO },
	{ "Journal", "t.path", IRK_RC_MONO },
	{ NULL, NULL, 0 },
};

static const struct irk_record_report report = {
	.id = "journal-entries",
	.nav = "Journal entries",
	.title = "Journal entries behind a finding",
	.why = IRK_LOG_FINDINGS_WHY,
	.cols = cols,
	.link = "SELECT 'journal entry', coalesce(event, identifier, ''), "
	    "substr(message, 1, 300) || '  (' || path || ')', time FROM "
	    "journal_entries WHERE id = ?",
};

/* the typed messages' findings, as for the syslog lines */
static const struct irk_record_finding findings[] = {
	IRK_LOG_FINDINGS("journal_entries", IRK_LOG_IN_SYSLOG),
	{ 0, NULL },
};

/* "sshd[812] (ssh.service): Accepted publickey for al ..." */
static void
message(const struct irk_record_row *row, char *buf, size_t len)
{
	const char *id = irk_record_text(row, "identifier");
	const char *unit = irk_record_text(row, "unit");
	const char *msg = irk_record_text(row, "message");
	const json_t *pid = json_object_get(row->rec, "pid");
	char p[32] = "";

	if (id == NULL || *id == '\0')
		id = irk_record_text(row, "comm");
	if (unit == NULL || *unit == '\0')
		unit = irk_record_text(row, "user_unit");
	if (unit != NULL && *unit == '\0')
		unit = NULL;
	if (json_is_integer(pid))
		(void)snprintf(p, sizeof(p), "[%lld]",
		    (long long)json_integer_value(pid));
	(void)snprintf(buf, len, "%s%s%s%s%s: %.*s", id ? id : "?", p,
	    unit ? " (" : "", unit ? unit : "", unit ? ")" : "",
	    (int)len, msg ? msg : "");
}

const struct irk_record_type irk_record_journal_entry = {
	.type = "journal_entry",
	/* activity, not state: new entries are no change (diff) */
	.diff_volatile = "1",
	.table = "journal_entries",
	.doc = "an entry of a systemd journal file",
	.fields = fields,
	.events = events,
	.identity = identity,
	.compare = compare,
	/* an entry reached twice is stored once */
	.once = 1,
	.not_stored = not_stored,
	.report = &report,
	.flagged = IRK_LOG_FINDINGS_FLAGGED,
	.category = "logs",
	.findings = findings,
	.message = message,
};
