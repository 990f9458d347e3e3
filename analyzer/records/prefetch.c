/*
 * prefetch.c - a Windows Prefetch file (analyzer/prefetch.c): a program
 * that ran, how often, the files it used.  Its last run times are
 * prefetch_run rows (one timeline event each).
 */
#include <stdio.h>

#include "record.h"
#include "../db_util.h"
#include "irkit/banned.h"

extern const struct irk_record_type irk_record_prefetch_run;
extern const struct irk_record_type irk_record_prefetch_file;

static const struct irk_record_field fields[] = {
	{ "evidence_id", "INTEGER", IRK_RF_EVIDENCE, { NULL } },
	{ "host_id", "INTEGER", IRK_RF_HOST, { NULL } },
	{ "path", "TEXT", IRK_RF_TEXT, { "path" } },
	{ "executable", "TEXT", IRK_RF_TEXT, { "executable" } },
	{ "prefetch_hash", "TEXT", IRK_RF_JSON, { "prefetch_hash" } },
	{ "program", "TEXT", IRK_RF_TEXT, { "program" } },
	{ "exe_path", "TEXT", IRK_RF_TEXT, { "exe_path" } },
	{ "version", "INTEGER", IRK_RF_JSON, { "version" } },
	{ "compressed", "INTEGER", IRK_RF_JSON, { "compressed" } },
	{ "run_count", "INTEGER", IRK_RF_JSON, { "run_count" } },
	{ "last_run", "INTEGER", IRK_RF_TIME, { "last_run" } },
	{ "volumes", "TEXT", IRK_RF_JSON, { "volumes" } },
	{ "file_count", "INTEGER", IRK_RF_JSON, { "file_count" } },
	{ "files", "TEXT", IRK_RF_JSON, { "files" } },
	{ "size", "INTEGER", IRK_RF_JSON, { "size" } },
	{ "mtime", "INTEGER", IRK_RF_TIME, { "mtime" } },
	{ "btime", "INTEGER", IRK_RF_TIME, { "btime" } },
	{ "record", "TEXT", IRK_RF_RECORD, { NULL } },
	{ NULL, NULL, 0, { NULL } },
};

/* the runs are events of their own rows (prefetch_run) */
static const struct irk_record_event events[] = {
	{ NULL, NULL, NULL, NULL, NULL },
};

static const struct irk_record_child children[] = {
	{ "runs", &irk_record_prefetch_run },
	{ "refs", &irk_record_prefetch_file },
	{ NULL, NULL },
};

/* one file per program path (the hash is of the path) */
static const char *const identity[] = { "executable", "prefetch_hash",
    NULL };
static const char *const compare[] = { "run_count", "last_run",
    "exe_path", NULL };
static const char *const not_stored[] = { "type", "runs", "refs", NULL };

static const struct irk_record_report_col cols[] = {
	{ "Executable", "t.executable", IRK_RC_MONO },
	{ "Path", "coalesce(t.exe_path, t.path)", IRK_RC_MONO },
	{ "Runs", "t.run_count", IRK_RC_NUM },
	{ "Last run", "t.last_run", IRK_RC_TIME },
	{ "Files", "t.file_count", IRK_RC_NUM },
	{ NULL, NULL, 0 },
};

static const struct irk_record_report report = {
	.id = "prefetch",
	.nav = "Prefetch",
	.title = "Programs run (Prefetch)",
	.why = "behind a finding: in the IOC lists, or run from a temp or "
	    "user folder",
	.cols = cols,
	.link = "SELECT 'prefetch', coalesce(exe_path, executable), "
	    "coalesce(run_count, '?') || ' runs', last_run FROM prefetch "
	    "WHERE id = ?",
};

/*
 * Run from where programs are dropped: a temp folder, a download or
 * desktop folder, Public, ProgramData's top, the recycle bin (the
 * prefetch paths are upper case, \VOLUME{...}\ or \DEVICE\...\ first).
 */
#define PF_DROP_GLOBS \
	"(lower(exe_path) GLOB '*\\temp\\*' OR lower(exe_path) GLOB " \
	"'*\\tmp\\*' OR lower(exe_path) GLOB '*\\users\\public\\*' OR " \
	"lower(exe_path) GLOB '*\\downloads\\*' OR lower(exe_path) GLOB " \
	"'*\\desktop\\*' OR lower(exe_path) GLOB '*\\$recycle.bin\\*' OR " \
	"lower(exe_path) GLOB '*\\perflogs\\*' OR (lower(exe_path) GLOB " \
	"'*\\programdata\\*' AND NOT lower(exe_path) GLOB " \
	"'*\\programdata\\microsoft\\*'))"

static const struct irk_record_finding findings[] = {
	{ 40, "SELECT id, 'program run from a temp or user folder: ' || "
	    "executable AS title, 'prefetch ' || path || ' says ' || "
	    "exe_path || ' ran ' || coalesce(run_count, '?') || ' times' AS "
	    "reason, last_run AS ts, exe_path AS path FROM prefetch WHERE "
	    "evidence_id = ?1 AND " PF_DROP_GLOBS },
	{ 0, NULL },
};

static void
message(const struct irk_record_row *row, char *buf, size_t len)
{
	(void)snprintf(buf, len, "prefetch: %s", irk_j_str(row->rec,
	    "executable") ? irk_j_str(row->rec, "executable") : "?");
}

const struct irk_record_type irk_record_prefetch = {
	.type = "prefetch",
	.baseline_score = 40,
	.table = "prefetch",
	.doc = "a Windows Prefetch file: a program that ran",
	.fields = fields,
	.events = events,
	.children = children,
	.ioc_name = "program",
	.ioc_label = "executable",
	.ioc_time = "last_run",
	.identity = identity,
	.compare = compare,
	.not_stored = not_stored,
	.report = &report,
	.flagged = "in the IOC lists (by name or path), or run from a temp "
	    "or user folder",
	.category = "execution",
	.findings = findings,
	.message = message,
};
