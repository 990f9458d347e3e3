/*
 * task.c - a scheduled task: crontab line, cron script, anacron job,
 * systemd timer, at job (collectors/tasks.c, timers.c), Windows task
 * (analyzer/win_tasks.c).
 */
#include <stdio.h>

#include "record.h"
#include "irkit/banned.h"

static const struct irk_record_field fields[] = {
	{ "evidence_id", "INTEGER", IRK_RF_EVIDENCE, { NULL } },
	{ "host_id", "INTEGER", IRK_RF_HOST, { NULL } },
	{ "kind", "TEXT", IRK_RF_TEXT, { "kind" } },
	{ "name", "TEXT", IRK_RF_JSON, { "name" } },
	{ "schedule", "TEXT", IRK_RF_JSON, { "schedule" } },
	{ "user", "TEXT", IRK_RF_JSON, { "user" } },
	{ "command", "TEXT", IRK_RF_JOIN, { "command" } },
	{ "source_path", "TEXT", IRK_RF_TEXT, { "source_path", "path" } },
	{ "line", "INTEGER", IRK_RF_JSON, { "line" } },
	{ "unit", "TEXT", IRK_RF_JSON, { "unit" } },
	{ "next_run", "INTEGER", IRK_RF_TIME, { "next_run" } },
	{ "last_run", "INTEGER", IRK_RF_TIME, { "last_run" } },
	{ "run_at", "INTEGER", IRK_RF_TIME, { "run_at" } },
	{ "sha256", "TEXT", IRK_RF_JSON, { "sha256" } },
	{ "mtime", "INTEGER", IRK_RF_TIME, { "mtime" } },
	{ "record", "TEXT", IRK_RF_RECORD, { NULL } },
	{ NULL, NULL, 0, { NULL } },
};

static const struct irk_record_event events[] = {
	{ "mtime", "Task File Modification", "M...", "TASK", "source_path" },
	{ "last_run", "Last Run", NULL, "TASK", "source_path" },
	{ "run_at", "Scheduled Run", NULL, "TASK", "source_path" },
	{ NULL, NULL, NULL, NULL, NULL },
};

/* where it is defined: a file (and its line), a timer unit, a task */
/*
 * An entry by where it is, its name (a timer, a Windows task) and what
 * it runs: not by line number (a line added above moves the others) nor
 * by its file's hash (an edit of one line changes it for all).
 */
static const char *const identity[] = { "kind", "source_path", "name",
    "command", NULL };
static const char *const compare[] = { "schedule", "user", "unit", NULL };
/* kept in the record column only */
static const char *const not_stored[] = { "type", "accuracy", "actions",
    "arguments", "at_boot", "atrun_uid", "author", "btime", "cwd",
    "description", "dropins", "enabled", "enabled_by", "enablement", "env",
    "exec_start", "executable", "fragment_path", "hidden",
    "ignored_by_debian_cron", "ignored_by_run_parts", "in_task_cache", "input",
    "job", "last_run_source", "mail_user", "masked", "next_run_not_computed",
    "persistent", "principal", "program", "queue", "randomized_delay",
    "registration_date", "run_as", "schedules", "scope", "source_mode",
    "source_uid", "task_id", "triggers", "uid", "unit_error",
    "unit_fragment_path", "unit_path", "uri", "wake_system", "wanted_by",
    "xml_missing", NULL };

static const struct irk_record_report_col cols[] = {
	{ "Kind", "t.kind", IRK_RC_SHORT },
	{ "Schedule", "t.schedule", IRK_RC_MONO },
	{ "User", "t.user", IRK_RC_TEXT },
	{ "Command", "t.command", IRK_RC_MONO },
	{ "Defined in", "t.source_path || coalesce(':' || t.line, '')",
	    IRK_RC_MONO },
	{ "Modified", "t.mtime", IRK_RC_TIME },
	{ NULL, NULL, 0 },
};

static const struct irk_record_report report = {
	.id = "tasks",
	.nav = "Tasks",
	.title = "Suspicious scheduled tasks",
	.why = "behind a finding",
	.cols = cols,
	.link = "SELECT 'task', coalesce(kind, '') || ' ' || coalesce("
	    "schedule, ''), coalesce(command, '') || coalesce('  (' || "
	    "source_path || coalesce(':' || line, '') || ')', ''), mtime "
	    "FROM tasks WHERE id = ?",
};

static void
message(const struct irk_record_row *row, char *buf, size_t len)
{
	const char *kind = irk_record_text(row, "kind");
	const char *command = irk_record_text(row, "command");

	(void)snprintf(buf, len, "%s task: %.*s", kind ? kind : "?",
	    (int)len, command ? command : "");
}

const struct irk_record_type irk_record_task = {
	.type = "task",
	.baseline_score = 60,
	.table = "tasks",
	.doc = "a scheduled task",
	.fields = fields,
	.events = events,
	.ioc_text = "command",
	.ioc_label = "coalesce(source_path, name)",
	.identity = identity,
	.compare = compare,
	.not_stored = not_stored,
	.report = &report,
	.flagged = "runs from a writable place, pipes a download to a "
	    "shell (findings.c persistence_findings)",
	.count_label = "tasks",
	.message = message,
};
