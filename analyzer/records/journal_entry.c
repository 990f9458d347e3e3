/*
 * journal_entry.c - one entry of a systemd journal file, read by the
 * analyzer's journal collector (analyzer/journal.c) with libsystemd.
 * Its cursor is its identity: an entry reached twice (a .journal and
 * its .journal~ copy, the same file in two collections) is stored once.
 */
#include <stdio.h>

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
	(void)snprintf(buf, len, "%s%s%s%s%s: %s", id ? id : "?", p,
	    unit ? " (" : "", unit ? unit : "", unit ? ")" : "",
	    msg ? msg : "");
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
	.message = message,
};
