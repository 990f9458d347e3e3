/*
 * prefetch_run.c - one last run time of a Prefetch file (its "runs"
 * array: up to 8 on Windows 8 and later, 1 before), a timeline event.
 */
#include <stdio.h>

#include "record.h"
#include "../db_util.h"
#include "irkit/banned.h"

static const struct irk_record_field fields[] = {
	{ "evidence_id", "INTEGER", IRK_RF_EVIDENCE, { NULL } },
	{ "host_id", "INTEGER", IRK_RF_HOST, { NULL } },
	{ "prefetch_id", "INTEGER", IRK_RF_PARENT_ID, { NULL } },
	{ "executable", "TEXT", IRK_RF_PARENT, { "executable" } },
	{ "program", "TEXT", IRK_RF_PARENT, { "program" } },
	{ "idx", "INTEGER", IRK_RF_JSON, { "index" } },
	{ "time", "INTEGER", IRK_RF_TIME, { "time" } },
	{ NULL, NULL, 0, { NULL } },
};

static const struct irk_record_event events[] = {
	{ "time", "Program Run (Prefetch)", NULL, "PREFETCH", "program" },
	{ NULL, NULL, NULL, NULL, NULL },
};

static const char *const identity[] = { "executable", "program", "time",
    NULL };
static const char *const not_stored[] = { NULL };

static void
message(const struct irk_record_row *row, char *buf, size_t len)
{
	const char *exe = irk_j_str(row->parent, "executable");
	const char *path = irk_j_str(row->parent, "path");

	(void)snprintf(buf, len, "%s ran (run count %lld, prefetch %s)",
	    exe ? exe : "?", (long long)irk_j_int(row->parent, "run_count",
	    -1), path ? path : "?");
}

/* only as a prefetch record's child */
static int
accept(const json_t *rec)
{
	(void)rec;
	return 0;
}

const struct irk_record_type irk_record_prefetch_run = {
	.type = "prefetch_run",
	.table = "prefetch_runs",
	.doc = "a last run time of a Prefetch file",
	.fields = fields,
	.events = events,
	.identity = identity,
	.not_stored = not_stored,
	.message = message,
	.accept = accept,
};
