/*
 * other.c - a record of a type the registry does not list (or with no
 * "type"): kept whole in the records table.
 */
#include "record.h"
#include "irkit/banned.h"

static const struct irk_record_field fields[] = {
	{ "evidence_id", "INTEGER", IRK_RF_EVIDENCE, { NULL } },
	{ "host_id", "INTEGER", IRK_RF_HOST, { NULL } },
	{ "type", "TEXT", IRK_RF_TEXT, { "type" } },
	{ "record", "TEXT", IRK_RF_RECORD, { NULL } },
	{ NULL, NULL, 0, { NULL } },
};

static const struct irk_record_event events[] = {
	{ NULL, NULL, NULL, NULL, NULL },
};

/* nothing is known of it but its content */
static const char *const identity[] = { "type", "record", NULL };
static const char *const compare[] = { NULL };
static const char *const not_stored[] = { NULL };

static const struct irk_record_report report = {
	.link = "SELECT type, 'record ' || id, substr(record, 1, 400), NULL "
	    "FROM records WHERE id = ?",
};

const struct irk_record_type irk_record_other = {
	.type = NULL,
	.table = "records",
	.doc = "a record of a kind without a table of its own",
	.fields = fields,
	.events = events,
	.identity = identity,
	.compare = compare,
	.not_stored = not_stored,
	.report = &report,
};
