/*
 * sudo_rule.c - a line of sudoers or a file it includes
 * (collectors/sudoers.c): one command of a user specification, an
 * alias, or a Defaults line.
 */
#include <stdio.h>

#include "record.h"
#include "../db_util.h"
#include "irkit/banned.h"

static const struct irk_record_field fields[] = {
	{ "evidence_id", "INTEGER", IRK_RF_EVIDENCE, { NULL } },
	{ "host_id", "INTEGER", IRK_RF_HOST, { NULL } },
	{ "kind", "TEXT", IRK_RF_TEXT, { "kind" } },
	{ "file", "TEXT", IRK_RF_JSON, { "file" } },
	{ "line", "INTEGER", IRK_RF_JSON, { "line" } },
	{ "users", "TEXT", IRK_RF_JSON, { "users" } },
	{ "hosts", "TEXT", IRK_RF_JSON, { "hosts" } },
	{ "runas_users", "TEXT", IRK_RF_JSON, { "runas_users" } },
	{ "runas_groups", "TEXT", IRK_RF_JSON, { "runas_groups" } },
	{ "tags", "TEXT", IRK_RF_JSON, { "tags" } },
	{ "nopasswd", "INTEGER", IRK_RF_JSON, { "nopasswd" } },
	{ "command", "TEXT", IRK_RF_JSON, { "command" } },
	{ "commands_expanded", "TEXT", IRK_RF_JSON,
	    { "commands_expanded" } },
	{ "alias_type", "TEXT", IRK_RF_JSON, { "alias_type" } },
	{ "name", "TEXT", IRK_RF_JSON, { "name" } },
	{ "members", "TEXT", IRK_RF_JSON, { "members" } },
	{ "binding", "TEXT", IRK_RF_JSON, { "binding" } },
	{ "settings", "TEXT", IRK_RF_JSON, { "settings" } },
	{ "record", "TEXT", IRK_RF_RECORD, { NULL } },
	{ NULL, NULL, 0, { NULL } },
};

/* sudoers keeps no time */
static const struct irk_record_event events[] = {
	{ NULL, NULL, NULL, NULL, NULL },
};

/* a line of a file, and which command of it */
/* not the line: a rule added above moves the others (diff) */
static const char *const identity[] = { "file", "command", "name", NULL };
static const char *const compare[] = { "users", "hosts", "runas_users",
    "tags", "commands_expanded", "members", "settings", NULL };
static const char *const not_stored[] = { "type", NULL };

static const struct irk_record_report_col cols[] = {
	{ "File", "t.file || ':' || t.line", IRK_RC_MONO },
	{ "Who", "t.users", IRK_RC_MONO },
	{ "Hosts", "t.hosts", IRK_RC_SHORT },
	{ "As", "t.runas_users", IRK_RC_SHORT },
	{ "NOPASSWD", "t.nopasswd", IRK_RC_FLAG },
	{ "Command", "t.command", IRK_RC_MONO },
	{ NULL, NULL, 0 },
};

static const struct irk_record_report report = {
	.id = "sudo",
	.nav = "sudo",
	.title = "sudo rules",
	.why = "every rule that is not root's own",
	.flag = "t.kind = 'rule' AND t.users <> '[\"root\"]'",
	.cols = cols,
	.link = "SELECT 'sudo rule', file || ':' || line, users || ' ' || "
	    "hosts || ' = ' || coalesce(runas_users, '') || CASE WHEN "
	    "nopasswd THEN ' NOPASSWD: ' ELSE ' ' END || coalesce(command, "
	    "''), NULL FROM sudo_rules WHERE id = ?",
};

/* a command (first word) that is a shell */
#define SHELL_CMD "(j.value || ' ') GLOB '*/' || s.value || ' *'"
#define SHELLS "(SELECT 'sh' AS value UNION VALUES ('bash'), ('dash'), " \
	"('zsh'), ('ksh'), ('mksh'), ('csh'), ('tcsh'), ('fish'), " \
	"('ash'), ('busybox'))"

static const struct irk_record_finding findings[] = {
	{ 50, "SELECT t.id, 'sudo without a password for ' || t.users AS "
	    "title, 'NOPASSWD for all commands (' || t.file || ':' || t.line "
	    "|| ')' AS reason, NULL AS ts, t.file AS path FROM sudo_rules t "
	    "WHERE t.evidence_id = ?1 AND t.kind = 'rule' AND t.nopasswd AND EXISTS (SELECT 1 FROM "
	    "json_each(t.commands_expanded) j WHERE j.value = 'ALL')" },
	{ 50, "SELECT t.id, 'sudo without a password for ' || t.users AS "
	    "title, 'NOPASSWD for a shell: ' || t.command || ' (' || t.file "
	    "|| ':' || t.line || ')' AS reason, NULL AS ts, t.file AS path "
	    "FROM sudo_rules t WHERE t.evidence_id = ?1 AND t.kind = 'rule' "
	    "AND t.nopasswd AND "
	    "EXISTS (SELECT 1 FROM json_each(t.commands_expanded) j, " SHELLS
	    " s WHERE " SHELL_CMD ")" },
	{ 0, NULL },
};

static void
message(const struct irk_record_row *row, char *buf, size_t len)
{
	const char *k = irk_j_str(row->rec, "kind");

	(void)snprintf(buf, len, "sudoers %s", k ? k : "?");
}

const struct irk_record_type irk_record_sudo_rule = {
	.type = "sudo_rule",
	.baseline_score = 60,
	.table = "sudo_rules",
	.doc = "a sudo rule, alias or Defaults line",
	.fields = fields,
	.events = events,
	.identity = identity,
	.compare = compare,
	.not_stored = not_stored,
	.report = &report,
	.flagged = "a rule for another user than root (the report)",
	.category = "sudo",
	.findings = findings,
	.count_label = "sudo rules",
	.message = message,
};
