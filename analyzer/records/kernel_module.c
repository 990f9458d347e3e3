/*
 * kernel_module.c - a loaded kernel module (collectors/kernel_modules.c,
 * one line of /proc/modules).
 */
#include "record.h"
#include "irkit/banned.h"

static const struct irk_record_field fields[] = {
	{ "evidence_id", "INTEGER", IRK_RF_EVIDENCE, { NULL } },
	{ "host_id", "INTEGER", IRK_RF_HOST, { NULL } },
	{ "name", "TEXT", IRK_RF_TEXT, { "name" } },
	{ "size", "INTEGER", IRK_RF_JSON, { "size" } },
	{ "refcount", "INTEGER", IRK_RF_JSON, { "refcount" } },
	{ "dependencies", "TEXT", IRK_RF_JSON, { "dependencies" } },
	{ "state", "TEXT", IRK_RF_JSON, { "state" } },
	{ "address", "TEXT", IRK_RF_JSON, { "address" } },
	{ "taint", "TEXT", IRK_RF_JSON, { "taint" } },
	{ "kernel_tainted", "INTEGER", IRK_RF_JSON, { "kernel_tainted" } },
	{ "kernel_taint_flags", "TEXT", IRK_RF_JSON,
	    { "kernel_taint_flags" } },
	{ "record", "TEXT", IRK_RF_RECORD, { NULL } },
	{ NULL, NULL, 0, { NULL } },
};

/* /proc/modules has no time */
static const struct irk_record_event events[] = {
	{ NULL, NULL, NULL, NULL, NULL },
};

/* a module name is unique in a running kernel */
static const char *const identity[] = { "name", NULL };
static const char *const compare[] = { "size", "dependencies", "state",
    "taint", NULL };
static const char *const not_stored[] = { "type", NULL };

static const struct irk_record_report_col cols[] = {
	{ "Name", "t.name", IRK_RC_MONO },
	{ "Size", "t.size", IRK_RC_NUM },
	{ "Used by", "t.refcount", IRK_RC_NUM },
	{ "Taint", "t.taint", IRK_RC_SHORT },
	{ "State", "t.state", IRK_RC_SHORT },
	{ NULL, NULL, 0 },
};

static const struct irk_record_report report = {
	.id = "modules",
	.nav = "Modules",
	.title = "Suspicious kernel modules",
	.why = "behind a finding, or out of tree or unsigned (taint O or E)",
	.flag = "t.taint GLOB '*[OE]*'",
	.cols = cols,
	.link = "SELECT 'kernel module', name, coalesce('taint ' || taint, "
	    "''), NULL FROM kernel_modules WHERE id = ?",
};

const struct irk_record_type irk_record_kernel_module = {
	.type = "kernel_module",
	.baseline_score = 60,
	.table = "kernel_modules",
	.count_label = "kernel modules",
	.doc = "a loaded kernel module",
	.fields = fields,
	.events = events,
	.ioc_name = "name",
	.ioc_label = "name",
	.identity = identity,
	.compare = compare,
	.not_stored = not_stored,
	.report = &report,
	.flagged = "out of tree or unsigned: taint O or E (the report)",
};
