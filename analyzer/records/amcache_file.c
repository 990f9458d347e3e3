/*
 * amcache_file.c - a file Windows inventoried in Amcache.hve, with its
 * SHA-1 (analyzer/win_amcache.c, docs/windows-artifacts.md).
 */
#include <stdio.h>

#include "record.h"
#include "irkit/banned.h"

static const struct irk_record_field fields[] = {
	{ "evidence_id", "INTEGER", IRK_RF_EVIDENCE, { NULL } },
	{ "host_id", "INTEGER", IRK_RF_HOST, { NULL } },
	{ "hive", "TEXT", IRK_RF_TEXT, { "hive" } },
	{ "layout", "TEXT", IRK_RF_TEXT, { "layout" } },
	{ "key", "TEXT", IRK_RF_TEXT, { "key" } },
	{ "path", "TEXT", IRK_RF_TEXT, { "path" } },
	{ "name", "TEXT", IRK_RF_TEXT, { "name" } },
	{ "sha1", "TEXT", IRK_RF_TEXT, { "sha1" } },
	{ "size", "INTEGER", IRK_RF_JSON, { "size" } },
	{ "link_date", "INTEGER", IRK_RF_TIME, { "link_date" } },
	{ "product", "TEXT", IRK_RF_TEXT, { "product" } },
	{ "publisher", "TEXT", IRK_RF_TEXT, { "publisher" } },
	{ "version", "TEXT", IRK_RF_TEXT, { "version" } },
	{ "program_id", "TEXT", IRK_RF_TEXT, { "program_id" } },
	{ "first_seen", "INTEGER", IRK_RF_TIME, { "first_seen" } },
	{ "modified", "INTEGER", IRK_RF_TIME, { "modified", "modified2" } },
	{ "record", "TEXT", IRK_RF_RECORD, { NULL } },
	{ NULL, NULL, 0, { NULL } },
};

static const struct irk_record_event events[] = {
	{ "first_seen", "First Seen (Amcache)", NULL, "AMCACHE", "path" },
	{ "link_date", "PE Link Time (Amcache)", NULL, "AMCACHE", "path" },
	{ NULL, NULL, NULL, NULL, NULL },
};

static const char *const identity[] = { "hive", "key", NULL };
static const char *const compare[] = { "path", "sha1", "size",
    "first_seen", NULL };
static const char *const not_stored[] = { "type", "created",
    "os_component", NULL };

static const struct irk_record_report_col cols[] = {
	{ "Path", "t.path", IRK_RC_MONO },
	{ "SHA-1", "t.sha1", IRK_RC_MONO },
	{ "Size", "t.size", IRK_RC_NUM },
	{ "Publisher", "t.publisher", IRK_RC_TEXT },
	{ "First seen", "t.first_seen", IRK_RC_TIME },
	{ NULL, NULL, 0 },
};

static const struct irk_record_report report = {
	.id = "amcache",
	.nav = "Amcache",
	.title = "Amcache files behind a finding",
	.why = "behind a finding: an IOC hash or name",
	.cols = cols,
	.link = "SELECT 'amcache file', path, coalesce(sha1, ''), first_seen "
	    "FROM amcache_files WHERE id = ?",
};

static void
message(const struct irk_record_row *row, char *buf, size_t len)
{
	const char *path = irk_record_text(row, "path");
	const char *sha1 = irk_record_text(row, "sha1");

	(void)snprintf(buf, len, "Amcache %s (SHA-1 %s)", path ? path : "?",
	    sha1 ? sha1 : "?");
}

const struct irk_record_type irk_record_amcache_file = {
	.type = "amcache_file",
	.table = "amcache_files",
	.doc = "a file Windows inventoried in Amcache.hve, with its SHA-1",
	.fields = fields,
	.events = events,
	.ioc_name = "path",
	.ioc_label = "path",
	.ioc_time = "first_seen",
	.ioc_hash = "sha1",
	.identity = identity,
	.compare = compare,
	.not_stored = not_stored,
	.report = &report,
	.message = message,
};
