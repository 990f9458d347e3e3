/*
 * service.c - a service: systemd unit, SysV script, rc.local, XDG
 * autostart entry (collectors/services.c), Windows service
 * (analyzer/win_services.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record.h"
#include "../db_util.h"
#include "irkit/banned.h"

static const struct irk_record_field fields[] = {
	{ "evidence_id", "INTEGER", IRK_RF_EVIDENCE, { NULL } },
	{ "host_id", "INTEGER", IRK_RF_HOST, { NULL } },
	{ "name", "TEXT", IRK_RF_TEXT, { "name" } },
	{ "kind", "TEXT", IRK_RF_JSON, { "kind" } },
	{ "scope", "TEXT", IRK_RF_JSON, { "scope" } },
	{ "user", "TEXT", IRK_RF_JSON, { "user" } },
	{ "description", "TEXT", IRK_RF_JSON, { "description" } },
	{ "unit_type", "TEXT", IRK_RF_JSON, { "unit_type" } },
	{ "image_path", "TEXT", IRK_RF_DERIVED,
	    { "image_path", "exec_start" } },
	{ "exec_start", "TEXT", IRK_RF_JSON, { "exec_start" } },
	{ "command", "TEXT", IRK_RF_DERIVED, { "exec_start", "command" } },
	{ "service_dll", "TEXT", IRK_RF_JSON, { "service_dll" } },
	{ "start_mode", "TEXT", IRK_RF_JSON, { "start_mode" } },
	{ "account", "TEXT", IRK_RF_JSON, { "account", "run_as" } },
	{ "enabled", "INTEGER", IRK_RF_JSON, { "enabled" } },
	{ "masked", "INTEGER", IRK_RF_JSON, { "masked" } },
	{ "active", "INTEGER", IRK_RF_JSON, { "active" } },
	{ "pids", "TEXT", IRK_RF_JSON, { "pids" } },
	{ "wanted_by", "TEXT", IRK_RF_JSON, { "wanted_by" } },
	{ "fragment_path", "TEXT", IRK_RF_TEXT, { "fragment_path", "path" } },
	{ "dropins", "TEXT", IRK_RF_JSON, { "dropins" } },
	{ "sha256", "TEXT", IRK_RF_JSON, { "sha256" } },
	{ "mtime", "INTEGER", IRK_RF_TIME, { "mtime" } },
	{ "record", "TEXT", IRK_RF_RECORD, { NULL } },
	{ NULL, NULL, 0, { NULL } },
};

static const struct irk_record_event events[] = {
	{ "mtime", "Service File Modification", "M...", "SERVICE",
	    "fragment_path" },
	{ NULL, NULL, NULL, NULL, NULL },
};

/* a unit name is unique in its scope (system, a user's, a hive) */
static const char *const identity[] = { "kind", "scope", "name", NULL };
static const char *const compare[] = { "image_path", "command",
    "service_dll", "start_mode", "account", "user", "enabled", "masked",
    "fragment_path", "sha256", "mtime", NULL };
/* kept in the record column only */
static const char *const not_stored[] = { "type", "aliases", "commands",
    "display_name", "enabled_by", "enablement", "environment",
    "environment_files", "exec_condition", "exec_missing", "exec_raw",
    "exec_reload", "exec_start_post", "exec_start_pre", "exec_start_raw",
    "exec_stop", "exec_stop_post", "executable", "group", "has_native_unit",
    "install_required_by", "install_wanted_by", "key_last_written", "listen",
    "only_show_in", "overridden_for", "provides", "required_by",
    "service_type", "source_path", "start", "start_runlevels",
    "stop_runlevels", "template", "triggers", "try_exec", "unit_path", "watch",
    "working_directory", NULL };

static const struct irk_record_report_col cols[] = {
	{ "Name", "t.name", IRK_RC_TEXT },
	{ "Kind", "t.kind", IRK_RC_SHORT },
	{ "Runs", "coalesce(t.command, t.image_path)", IRK_RC_MONO },
	{ "Unit file", "t.fragment_path", IRK_RC_MONO },
	{ "Enabled", "t.enabled", IRK_RC_FLAG },
	{ "Active", "t.active", IRK_RC_FLAG },
	{ "Modified", "t.mtime", IRK_RC_TIME },
	{ NULL, NULL, 0 },
};

static const struct irk_record_report report = {
	.id = "services",
	.nav = "Services",
	.title = "Suspicious services",
	.why = "behind a finding",
	.cols = cols,
	.link = "SELECT 'service', name, coalesce(command, image_path, "
	    "fragment_path), mtime FROM services WHERE id = ?",
};

/*
 * command: the first command of exec_start (a list of argv arrays, one
 * argv, or a string) joined, else "command"; image_path: "image_path",
 * else the program of that first command.
 */
static int
derive(struct irk_record_row *row)
{
	json_t *exec = json_object_get(row->rec, "exec_start"), *first = NULL;
	const char *image, *command;
	char *owned = NULL;

	if (json_is_array(exec) && json_array_size(exec) > 0) {
		first = json_array_get(exec, 0);
		if (json_is_string(first))	/* one argv, not a list */
			first = exec;
		owned = irk_j_join(first);
	} else if (json_is_string(exec)) {
		owned = strdup(json_string_value(exec));
	}
	command = irk_j_str(row->rec, "command");
	if (owned == NULL && command != NULL &&
	    (owned = strdup(command)) == NULL)
		return -1;
	irk_record_set(row, "command", NULL, owned);
	image = irk_j_str(row->rec, "image_path");
	if (image == NULL && json_is_array(first))
		image = json_string_value(json_array_get(first, 0));
	irk_record_set(row, "image_path", image, NULL);
	return 0;
}

static void
message(const struct irk_record_row *row, char *buf, size_t len)
{
	const char *name = irk_record_text(row, "name");
	const char *command = irk_record_text(row, "command");

	(void)snprintf(buf, len, "service %s: %.*s", name ? name : "?",
	    (int)len, command ? command : "");
}

const struct irk_record_type irk_record_service = {
	.type = "service",
	.baseline_score = 60,
	.table = "services",
	.doc = "a service or autostart entry",
	.fields = fields,
	.events = events,
	.ioc_name = "image_path",
	.ioc_text = "command",
	.ioc_label = "name",
	.identity = identity,
	.compare = compare,
	.not_stored = not_stored,
	.report = &report,
	.flagged = "runs from a writable place, pipes a download to a "
	    "shell, a Windows service from a user folder (findings.c "
	    "persistence_findings)",
	.count_label = "services",
	.derive = derive,
	.message = message,
};
