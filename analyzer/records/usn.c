/*
 * usn.c - an entry of an NTFS volume's change journal ($UsnJrnl:$J,
 * analyzer/usn.c): what happened to a file name, when.
 */
#include <stdio.h>

#include "record.h"
#include "../db_util.h"
#include "irkit/banned.h"

static const struct irk_record_field fields[] = {
	{ "evidence_id", "INTEGER", IRK_RF_EVIDENCE, { NULL } },
	{ "host_id", "INTEGER", IRK_RF_HOST, { NULL } },
	{ "volume", "TEXT", IRK_RF_TEXT, { "volume" } },
	{ "usn", "INTEGER", IRK_RF_JSON, { "usn" } },
	{ "offset", "INTEGER", IRK_RF_JSON, { "offset" } },
	{ "major", "INTEGER", IRK_RF_JSON, { "major" } },
	{ "time", "INTEGER", IRK_RF_TIME, { "time" } },
	{ "name", "TEXT", IRK_RF_TEXT, { "name" } },
	{ "path", "TEXT", IRK_RF_TEXT, { "path" } },
	{ "reason", "INTEGER", IRK_RF_JSON, { "reason" } },
	{ "reasons", "TEXT", IRK_RF_TEXT, { "reasons" } },
	{ "attributes", "INTEGER", IRK_RF_JSON, { "attributes" } },
	{ "source_info", "INTEGER", IRK_RF_JSON, { "source_info" } },
	{ "security_id", "INTEGER", IRK_RF_JSON, { "security_id" } },
	{ "file_entry", "INTEGER", IRK_RF_JSON, { "file_entry" } },
	{ "file_seq", "INTEGER", IRK_RF_JSON, { "file_seq" } },
	{ "parent_entry", "INTEGER", IRK_RF_JSON, { "parent_entry" } },
	{ "parent_seq", "INTEGER", IRK_RF_JSON, { "parent_seq" } },
	{ NULL, NULL, 0, { NULL } },
};

static const struct irk_record_event events[] = {
	{ "time", "USN Journal Entry", NULL, "USN", "path" },
	{ NULL, NULL, NULL, NULL, NULL },
};

/* a USN is the entry's offset in its volume's journal */
static const char *const identity[] = { "volume", "usn", NULL };
static const char *const not_stored[] = { "type", NULL };

static void
message(const struct irk_record_row *row, char *buf, size_t len)
{
	const json_t *r = row->rec;
	const char *name = irk_j_str(r, "name");
	const char *why = irk_j_str(r, "reasons");

	(void)snprintf(buf, len, "%s: %s (file %lld-%lld, parent %lld-%lld)",
	    name ? name : "?", why ? why : "?",
	    (long long)irk_j_int(r, "file_entry", -1),
	    (long long)irk_j_int(r, "file_seq", -1),
	    (long long)irk_j_int(r, "parent_entry", -1),
	    (long long)irk_j_int(r, "parent_seq", -1));
}

const struct irk_record_type irk_record_usn = {
	.type = "usn",
	.table = "usn_journal",
	.doc = "an entry of an NTFS change journal",
	.fields = fields,
	.events = events,
	.identity = identity,
	.not_stored = not_stored,
	.message = message,
};
