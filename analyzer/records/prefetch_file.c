/*
 * prefetch_file.c - a file a Prefetch file says its program used (its
 * "refs": the first 1024 names, as stored), matched against the
 * file-name IOC lists: a program that loaded a listed DLL.
 */
#include "record.h"
#include "irkit/banned.h"

static const struct irk_record_field fields[] = {
	{ "evidence_id", "INTEGER", IRK_RF_EVIDENCE, { NULL } },
	{ "host_id", "INTEGER", IRK_RF_HOST, { NULL } },
	{ "prefetch_id", "INTEGER", IRK_RF_PARENT_ID, { NULL } },
	{ "executable", "TEXT", IRK_RF_PARENT, { "executable" } },
	{ "path", "TEXT", IRK_RF_TEXT, { "path" } },
	{ NULL, NULL, 0, { NULL } },
};

static const struct irk_record_event events[] = {
	{ NULL, NULL, NULL, NULL, NULL },
};

static const char *const identity[] = { "executable", "path", NULL };
static const char *const not_stored[] = { NULL };

static const struct irk_record_report report = {
	.link = "SELECT 'file used by a program (prefetch)', path, "
	    "executable, NULL FROM prefetch_files WHERE id = ?",
};

/* only as a prefetch record's child */
static int
accept(const json_t *rec)
{
	(void)rec;
	return 0;
}

const struct irk_record_type irk_record_prefetch_file = {
	.type = "prefetch_file",
	.table = "prefetch_files",
	.doc = "a file a Prefetch file's program used",
	.fields = fields,
	.events = events,
	.ioc_name = "path",
	.ioc_label = "executable || ' used ' || path",
	.identity = identity,
	.not_stored = not_stored,
	.report = &report,
	.accept = accept,
};
