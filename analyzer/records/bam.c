/*
 * bam.c - a program a Windows 10/11 user ran, with the time of its last
 * run, from the Background or Desktop Activity Moderator of SYSTEM
 * (analyzer/win_bam.c, docs/windows-artifacts.md).
 */
#include <stdio.h>

#include "record.h"
#include "irkit/banned.h"

static const struct irk_record_field fields[] = {
	{ "evidence_id", "INTEGER", IRK_RF_EVIDENCE, { NULL } },
	{ "host_id", "INTEGER", IRK_RF_HOST, { NULL } },
	{ "kind", "TEXT", IRK_RF_TEXT, { "kind" } },
	{ "hive", "TEXT", IRK_RF_TEXT, { "hive" } },
	{ "key", "TEXT", IRK_RF_TEXT, { "key" } },
	{ "sid", "TEXT", IRK_RF_TEXT, { "sid" } },
	{ "user", "TEXT", IRK_RF_TEXT, { "user" } },
	{ "path", "TEXT", IRK_RF_TEXT, { "path" } },
	{ "last_run", "INTEGER", IRK_RF_TIME, { "last_run" } },
	{ "record", "TEXT", IRK_RF_RECORD, { NULL } },
	{ NULL, NULL, 0, { NULL } },
};

static const struct irk_record_event events[] = {
	{ "last_run", "Last Run (BAM)", NULL, "BAM", "path" },
	{ NULL, NULL, NULL, NULL, NULL },
};

static const char *const identity[] = { "kind", "sid", "path", NULL };
static const char *const compare[] = { "last_run", NULL };
static const char *const not_stored[] = { "type", NULL };

static void
message(const struct irk_record_row *row, char *buf, size_t len)
{
	const char *user = irk_record_text(row, "user");
	const char *sid = irk_record_text(row, "sid");
	const char *path = irk_record_text(row, "path");

	(void)snprintf(buf, len, "%s ran %s (BAM)", user ? user : sid ? sid :
	    "?", path ? path : "?");
}

const struct irk_record_type irk_record_bam = {
	.type = "bam",
	.diff_volatile = "1",
	.table = "bam",
	.doc = "a program a Windows user ran, with its last run (BAM, DAM)",
	.fields = fields,
	.events = events,
	.ioc_name = "path",
	.ioc_label = "coalesce(user, sid) || ': ' || path",
	.ioc_time = "last_run",
	.identity = identity,
	.compare = compare,
	.not_stored = not_stored,
	.message = message,
};
