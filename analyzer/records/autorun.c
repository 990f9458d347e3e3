/*
 * autorun.c - a program Windows starts by itself: a Run or RunOnce
 * value, Winlogon Shell/Userinit/Taskman, an Image File Execution
 * Options Debugger, AppInit_DLLs, a user's Windows\Load or Run
 * (analyzer/win_autorun.c, docs/windows-artifacts.md).
 */
#include <stdio.h>

#include "record.h"
#include "irkit/banned.h"

static const struct irk_record_field fields[] = {
	{ "evidence_id", "INTEGER", IRK_RF_EVIDENCE, { NULL } },
	{ "host_id", "INTEGER", IRK_RF_HOST, { NULL } },
	{ "kind", "TEXT", IRK_RF_TEXT, { "kind" } },
	{ "hive", "TEXT", IRK_RF_TEXT, { "hive" } },
	{ "key", "TEXT", IRK_RF_TEXT, { "key" } },
	{ "name", "TEXT", IRK_RF_TEXT, { "name" } },
	{ "command", "TEXT", IRK_RF_TEXT, { "command" } },
	{ "user", "TEXT", IRK_RF_TEXT, { "user" } },
	{ "sid", "TEXT", IRK_RF_TEXT, { "sid" } },
	{ "key_time", "INTEGER", IRK_RF_TIME, { "key_time" } },
	{ "record", "TEXT", IRK_RF_RECORD, { NULL } },
	{ NULL, NULL, 0, { NULL } },
};

static const struct irk_record_event events[] = {
	{ "key_time", "Autorun Key Modification", "M...", "REG", "hive" },
	{ NULL, NULL, NULL, NULL, NULL },
};

/* one value of one key of one hive */
static const char *const identity[] = { "hive", "key", "name", NULL };
static const char *const compare[] = { "command", "key_time", NULL };
static const char *const not_stored[] = { "type", NULL };

static const struct irk_record_report_col cols[] = {
	{ "Kind", "t.kind", IRK_RC_SHORT },
	{ "User", "t.user", IRK_RC_TEXT },
	{ "Key", "t.key || ' : ' || t.name", IRK_RC_MONO },
	{ "Runs", "t.command", IRK_RC_MONO },
	{ "Key written", "t.key_time", IRK_RC_TIME },
	{ NULL, NULL, 0 },
};

static const struct irk_record_report report = {
	.id = "autoruns",
	.nav = "Autoruns",
	.title = "Suspicious Windows autoruns",
	.why = "behind a finding",
	.cols = cols,
	.link = "SELECT 'autorun', key || ' : ' || name, command, key_time "
	    "FROM autoruns WHERE id = ?",
};

/* an executable, script or library under a folder anyone may write */
#define LOWCMD "lower(replace(command, '/', '\\'))"
#define USER_FOLDER \
	"(" LOWCMD " GLOB '*\\appdata\\*' OR " LOWCMD " GLOB '*\\temp\\*' OR " \
	LOWCMD " GLOB '*\\users\\public\\*' OR " LOWCMD \
	" GLOB '*\\programdata\\*' OR " LOWCMD " GLOB '*%temp%*' OR " \
	LOWCMD " GLOB '*%appdata%*' OR " LOWCMD " GLOB '*%localappdata%*' " \
	"OR " LOWCMD " GLOB '*%public%*' OR " LOWCMD " GLOB '*%programdata%*')"

static const struct irk_record_finding findings[] = {
	{ 60, "SELECT id, 'debugger set for ' || name AS title, "
	    "'Image File Execution Options ' || name || ' Debugger = ' || "
	    "substr(command, 1, 200) || ': it runs instead of the program' "
	    "AS reason, key_time AS ts, hive AS path FROM autoruns WHERE "
	    "evidence_id = ?1 AND kind = 'ifeo-debugger' AND "
	    "trim(command) <> ''" },
	{ 60, "SELECT id, 'Winlogon ' || name || ' changed' AS title, "
	    "'Winlogon ' || name || ' = ' || substr(command, 1, 200) || "
	    "', not the default' AS reason, key_time AS ts, hive AS path FROM "
	    "autoruns WHERE evidence_id = ?1 AND kind = 'winlogon' AND ("
	    "(name = 'Shell' AND lower(trim(command)) NOT IN ('explorer.exe', "
	    "'explorer.exe,', '')) OR (name = 'Userinit' AND "
	    "lower(trim(rtrim(trim(command), ','))) NOT IN "
	    "('c:\\windows\\system32\\userinit.exe', 'userinit.exe', "
	    "'userinit', '%systemroot%\\system32\\userinit.exe', "
	    "'%windir%\\system32\\userinit.exe', '')) OR "
	    "(name = 'Taskman' AND trim(command) <> ''))" },
	{ 50, "SELECT id, 'AppInit_DLLs set' AS title, key || ' AppInit_DLLs "
	    "= ' || substr(command, 1, 200) || ': loaded into every program "
	    "that loads user32' AS reason, key_time AS ts, hive AS path FROM "
	    "autoruns WHERE evidence_id = ?1 AND kind = 'appinit-dlls' AND "
	    "trim(command) <> ''" },
	{ 50, "SELECT id, 'autorun from a user folder: ' || name AS title, "
	    "kind || ' ' || key || ' runs ' || substr(command, 1, 200) || "
	    "' from a temp or user folder' AS reason, key_time AS ts, hive "
	    "AS path FROM autoruns WHERE evidence_id = ?1 AND kind <> "
	    "'appinit-dlls' AND " USER_FOLDER },
	{ 0, NULL },
};

static void
message(const struct irk_record_row *row, char *buf, size_t len)
{
	const char *kind = irk_record_text(row, "kind");
	const char *key = irk_record_text(row, "key");
	const char *name = irk_record_text(row, "name");
	const char *cmd = irk_record_text(row, "command");

	(void)snprintf(buf, len, "%s %s : %s = %s", kind ? kind : "?",
	    key ? key : "?", name ? name : "", cmd ? cmd : "");
}

const struct irk_record_type irk_record_autorun = {
	.type = "autorun",
	.baseline_score = 60,
	.table = "autoruns",
	.doc = "a program Windows starts by itself (Run keys, Winlogon, "
	    "IFEO, AppInit_DLLs)",
	.fields = fields,
	.events = events,
	.ioc_name = "command",
	.ioc_text = "command",
	.ioc_label = "key || ' : ' || name",
	.ioc_time = "key_time",
	.identity = identity,
	.compare = compare,
	.not_stored = not_stored,
	.report = &report,
	.flagged = "runs from a temp or user folder, an IFEO debugger, "
	    "AppInit_DLLs set, Winlogon Shell or Userinit not the default",
	.category = "persistence",
	.findings = findings,
	.message = message,
};
