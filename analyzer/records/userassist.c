/*
 * userassist.c - a program a Windows user started from the shell, with
 * how often and when last (UserAssist in NTUSER.DAT,
 * analyzer/win_autorun.c, docs/windows-artifacts.md).
 */
#include <stdio.h>

#include "record.h"
#include "irkit/banned.h"

static const struct irk_record_field fields[] = {
	{ "evidence_id", "INTEGER", IRK_RF_EVIDENCE, { NULL } },
	{ "host_id", "INTEGER", IRK_RF_HOST, { NULL } },
	{ "user", "TEXT", IRK_RF_TEXT, { "user" } },
	{ "sid", "TEXT", IRK_RF_TEXT, { "sid" } },
	{ "hive", "TEXT", IRK_RF_TEXT, { "hive" } },
	{ "guid", "TEXT", IRK_RF_TEXT, { "guid" } },
	{ "name", "TEXT", IRK_RF_TEXT, { "name" } },
	{ "format", "TEXT", IRK_RF_TEXT, { "format" } },
	{ "count", "INTEGER", IRK_RF_JSON, { "count" } },
	{ "focus_count", "INTEGER", IRK_RF_JSON, { "focus_count" } },
	{ "focus_ms", "INTEGER", IRK_RF_JSON, { "focus_ms" } },
	{ "last_run", "INTEGER", IRK_RF_TIME, { "last_run" } },
	{ "record", "TEXT", IRK_RF_RECORD, { NULL } },
	{ NULL, NULL, 0, { NULL } },
};

static const struct irk_record_event events[] = {
	{ "last_run", "Last Run (UserAssist)", NULL, "USERASSIST", "name" },
	{ NULL, NULL, NULL, NULL, NULL },
};

static const char *const identity[] = { "hive", "guid", "name", NULL };
static const char *const compare[] = { "count", "last_run", NULL };
static const char *const not_stored[] = { "type", NULL };

static void
message(const struct irk_record_row *row, char *buf, size_t len)
{
	const char *user = irk_record_text(row, "user");
	const char *name = irk_record_text(row, "name");

	(void)snprintf(buf, len, "%s ran %s (UserAssist)", user ? user : "?",
	    name ? name : "?");
}

const struct irk_record_type irk_record_userassist = {
	.type = "userassist",
	/* activity, not state: a count that grows is no change (diff) */
	.diff_volatile = "1",
	.table = "userassist",
	.doc = "a program a Windows user started from the shell (UserAssist)",
	.fields = fields,
	.events = events,
	.ioc_name = "name",
	.ioc_label = "user || ': ' || name",
	.ioc_time = "last_run",
	.identity = identity,
	.compare = compare,
	.not_stored = not_stored,
	.message = message,
};
