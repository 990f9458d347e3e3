/*
 * shimcache.c - an entry of the ShimCache (AppCompatCache) of a SYSTEM
 * hive: a file Windows checked for compatibility shims, in the cache's
 * order (analyzer/win_shimcache.c, docs/windows-artifacts.md).
 */
#include <stdio.h>

#include "record.h"
#include "irkit/banned.h"

static const struct irk_record_field fields[] = {
	{ "evidence_id", "INTEGER", IRK_RF_EVIDENCE, { NULL } },
	{ "host_id", "INTEGER", IRK_RF_HOST, { NULL } },
	{ "hive", "TEXT", IRK_RF_TEXT, { "hive" } },
	{ "key", "TEXT", IRK_RF_TEXT, { "key" } },
	{ "control_set", "TEXT", IRK_RF_TEXT, { "control_set" } },
	{ "format", "TEXT", IRK_RF_TEXT, { "format" } },
	{ "entry", "INTEGER", IRK_RF_JSON, { "entry" } },
	{ "path", "TEXT", IRK_RF_TEXT, { "path" } },
	{ "mtime", "INTEGER", IRK_RF_TIME, { "mtime" } },
	{ "executed", "INTEGER", IRK_RF_JSON, { "executed" } },
	{ "record", "TEXT", IRK_RF_RECORD, { NULL } },
	{ NULL, NULL, 0, { NULL } },
};

/* the file's own modification time, as the cache kept it */
static const struct irk_record_event events[] = {
	{ "mtime", "File Modification (ShimCache)", "M...", "SHIMCACHE",
	    "path" },
	{ NULL, NULL, NULL, NULL, NULL },
};

/* a path is cached once; its place in the cache moves */
static const char *const identity[] = { "hive", "path", NULL };
static const char *const compare[] = { "mtime", "executed", NULL };
static const char *const not_stored[] = { "type", NULL };

static void
message(const struct irk_record_row *row, char *buf, size_t len)
{
	const char *path = irk_record_text(row, "path");

	(void)snprintf(buf, len, "ShimCache entry %s", path ? path : "?");
}

const struct irk_record_type irk_record_shimcache = {
	.type = "shimcache",
	.diff_volatile = "1",
	.table = "shimcache",
	.doc = "an entry of the ShimCache (AppCompatCache) of a SYSTEM hive",
	.fields = fields,
	.events = events,
	.ioc_name = "path",
	.ioc_label = "path",
	.ioc_time = "mtime",
	.identity = identity,
	.compare = compare,
	.not_stored = not_stored,
	.message = message,
};
