/*
 * psreadline.c - a command of a Windows user's PowerShell history
 * (PSReadLine's ConsoleHost_history.txt; analyzer/win_psreadline.c,
 * docs/windows-artifacts.md).
 */
#include <stdio.h>

#include "record.h"
#include "irkit/banned.h"

static const struct irk_record_field fields[] = {
	{ "evidence_id", "INTEGER", IRK_RF_EVIDENCE, { NULL } },
	{ "host_id", "INTEGER", IRK_RF_HOST, { NULL } },
	{ "user", "TEXT", IRK_RF_TEXT, { "user" } },
	{ "sid", "TEXT", IRK_RF_TEXT, { "sid" } },
	{ "path", "TEXT", IRK_RF_TEXT, { "path" } },
	{ "host", "TEXT", IRK_RF_TEXT, { "host" } },
	{ "entry", "INTEGER", IRK_RF_JSON, { "entry" } },
	{ "line", "INTEGER", IRK_RF_JSON, { "line" } },
	{ "command", "TEXT", IRK_RF_TEXT, { "command" } },
	{ "cut", "INTEGER", IRK_RF_JSON, { "cut" } },
	{ "file_mtime", "INTEGER", IRK_RF_TIME, { "file_mtime" } },
	{ "record", "TEXT", IRK_RF_RECORD, { NULL } },
	{ NULL, NULL, 0, { NULL } },
};

/* no time of its own: PSReadLine writes none */
static const struct irk_record_event events[] = {
	{ NULL, NULL, NULL, NULL, NULL },
};

/* the same command at the same place of the same file (not the line:
 * a history cut at its head moves every line) */
static const char *const identity[] = { "path", "command", NULL };
static const char *const compare[] = { "cut", NULL };
static const char *const not_stored[] = { "type", NULL };

static const struct irk_record_report_col cols[] = {
	{ "User", "t.user", IRK_RC_TEXT },
	{ "Command", "t.command", IRK_RC_MONO },
	{ "File", "t.path || ':' || t.line", IRK_RC_MONO },
	{ "File written", "t.file_mtime", IRK_RC_TIME },
	{ NULL, NULL, 0 },
};

static const struct irk_record_report report = {
	.id = "psreadline",
	.nav = "PowerShell",
	.title = "Suspicious PowerShell commands",
	.why = "behind a finding: a download cradle, an encoded command, "
	    "reflection, defences switched off",
	.cols = cols,
	.link = "SELECT 'PowerShell command', coalesce(user, ''), command || "
	    "'  (' || path || ':' || line || ')', file_mtime FROM "
	    "psreadline_commands WHERE id = ?",
};

#define LC "lower(command)"
#define FINDING(what) \
	"SELECT id, '" what " in the PowerShell history of ' || " \
	"coalesce(user, '?') AS title, '" what ": ' || substr(command, 1, " \
	"200) AS reason, NULL AS ts, path || ':' || line AS path FROM " \
	"psreadline_commands WHERE evidence_id = ?1 AND "

static const struct irk_record_finding findings[] = {
	{ 50, FINDING("download cradle") "(" LC " GLOB '*downloadstring*' OR "
	    LC " GLOB '*downloadfile*' OR " LC " GLOB '*downloaddata*' OR "
	    LC " GLOB '*net.webclient*' OR " LC " GLOB '*invoke-webrequest*' "
	    "OR " LC " GLOB '*invoke-restmethod*' OR " LC " GLOB 'iwr *' OR "
	    LC " GLOB '*[|(; ]iwr *' OR " LC " GLOB 'irm *' OR " LC " GLOB "
	    "'*[|(; ]irm *' OR " LC " GLOB '*start-bitstransfer*' OR " LC
	    " GLOB '*bitsadmin*/transfer*' OR " LC " GLOB "
	    "'*certutil*-urlcache*')" },
	{ 50, FINDING("encoded command") "(" LC " GLOB '*frombase64string*' "
	    "OR ((" LC " GLOB '*powershell*' OR " LC " GLOB '*pwsh*') AND ("
	    LC " GLOB '* -e *' OR " LC " GLOB '* -ec *' OR " LC " GLOB "
	    "'* -en *' OR " LC " GLOB '* -enc *' OR " LC " GLOB '* -enco *' "
	    "OR " LC " GLOB '* -encod *' OR " LC " GLOB '* -encode*')))" },
	{ 40, FINDING("reflection") "(" LC " GLOB '*reflection.assembly*' OR "
	    LC " GLOB '*::load(*' OR " LC " GLOB '*virtualalloc*' OR " LC
	    " GLOB '*getdelegateforfunctionpointer*' OR " LC " GLOB "
	    "'*amsiutils*')" },
	{ 40, FINDING("defences switched off") "((" LC " GLOB "
	    "'*set-mppreference*-disable*' OR " LC " GLOB "
	    "'*add-mppreference*-exclusion*' OR " LC " GLOB "
	    "'*clear-eventlog*' OR " LC " GLOB '*wevtutil* cl *' OR " LC
	    " GLOB '*remove-item*consolehost_history*' OR " LC " GLOB "
	    "'*set-psreadlineoption*-historysavestyle*savenothing*'))" },
	{ 0, NULL },
};

static void
message(const struct irk_record_row *row, char *buf, size_t len)
{
	const char *user = irk_record_text(row, "user");
	const char *command = irk_record_text(row, "command");

	(void)snprintf(buf, len, "PowerShell (%s): %.*s", user ? user : "?",
	    (int)len, command ? command : "");
}

const struct irk_record_type irk_record_psreadline = {
	.type = "psreadline",
	.diff_volatile = "1",
	.table = "psreadline_commands",
	.doc = "a command of a Windows user's PowerShell (PSReadLine) history",
	.fields = fields,
	.events = events,
	.ioc_text = "command",
	.ioc_label = "coalesce(user, '?') || ': ' || path || ':' || line",
	.identity = identity,
	.compare = compare,
	.not_stored = not_stored,
	.report = &report,
	.flagged = "a download cradle, an encoded command, reflection, "
	    "defences or logging switched off",
	.category = "powershell",
	.findings = findings,
	.message = message,
};
