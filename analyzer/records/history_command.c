/*
 * history_command.c - one command of a shell or tool history
 * (collectors/history.c): bash, zsh, fish, python, mysql, psql, less.
 */
#include <stdio.h>

#include "record.h"
#include "irkit/banned.h"

static const struct irk_record_field fields[] = {
	{ "evidence_id", "INTEGER", IRK_RF_EVIDENCE, { NULL } },
	{ "host_id", "INTEGER", IRK_RF_HOST, { NULL } },
	{ "user", "TEXT", IRK_RF_JSON, { "user" } },
	{ "shell", "TEXT", IRK_RF_TEXT, { "shell" } },
	{ "path", "TEXT", IRK_RF_TEXT, { "path" } },
	{ "entry", "INTEGER", IRK_RF_JSON, { "order" } },
	{ "line", "INTEGER", IRK_RF_JSON, { "line" } },
	{ "command", "TEXT", IRK_RF_TEXT, { "command" } },
	{ "time", "INTEGER", IRK_RF_TIME, { "time" } },
	{ "time_source", "TEXT", IRK_RF_JSON, { "time_source" } },
	{ "file_mtime", "INTEGER", IRK_RF_TIME, { "file_mtime" } },
	{ "duration", "INTEGER", IRK_RF_JSON, { "duration" } },
	{ "cut", "INTEGER", IRK_RF_JSON, { "cut" } },
	{ "record", "TEXT", IRK_RF_RECORD, { NULL } },
	{ NULL, NULL, 0, { NULL } },
};

/* only a time the shell wrote: a file's mtime is not when each ran */
static const struct irk_record_event events[] = {
	{ "time", "Command Run", NULL, "HIST", "path" },
	{ NULL, NULL, NULL, NULL, NULL },
};

/* the same command at the same place of the same file */
/* not the line: a history cut at its head moves every line (diff) */
static const char *const identity[] = { "path", "command", NULL };
static const char *const compare[] = { "time", "duration", NULL };
static const char *const not_stored[] = { "type", "section", NULL };

static const struct irk_record_report_col cols[] = {
	{ "User", "t.user", IRK_RC_TEXT },
	{ "Shell", "t.shell", IRK_RC_SHORT },
	{ "Command", "t.command", IRK_RC_MONO },
	{ "Time", "coalesce(t.time, t.file_mtime)", IRK_RC_TIME },
	{ "Time from", "t.time_source", IRK_RC_SHORT },
	{ "File", "t.path || ':' || t.line", IRK_RC_MONO },
	{ NULL, NULL, 0 },
};

static const struct irk_record_report report = {
	.id = "history",
	.nav = "History",
	.title = "Suspicious shell commands",
	.why = "behind a finding: history cleared or disabled, a download "
	    "run",
	.cols = cols,
	.link = "SELECT 'command', coalesce(shell, '') || ' ' || "
	    "coalesce(user, ''), command || '  (' || path || ':' || line || "
	    "')', coalesce(time, file_mtime) FROM history_commands WHERE "
	    "id = ?",
};

/* a command piped to a shell or an interpreter */
#define TO_SHELL \
	"(command GLOB '*|sh' OR command GLOB '*|sh[ ;&)]*' OR " \
	"command GLOB '*| sh' OR command GLOB '*| sh[ ;&)]*' OR " \
	"command GLOB '*|*bash*' OR command GLOB '*|*/sh*' OR " \
	"command GLOB '*| sudo sh*' OR command GLOB '*|*zsh*' OR " \
	"command GLOB '*|*dash*' OR command GLOB '*|*python*' OR " \
	"command GLOB '*|*perl*')"
#define FETCH "(command GLOB '*curl*' OR command GLOB '*wget*')"
/* then run on the same line: "&& sh /tmp/x", "; ./x", "&& chmod +x" */
#define THEN_RUN \
	"command GLOB '*[;&] sh *' OR command GLOB '*[;&] bash *' OR " \
	"command GLOB '*[;&] ./*' OR command GLOB '*[;&] /tmp/*' OR " \
	"command GLOB '*[;&] chmod *+x*'"

static const struct irk_record_finding findings[] = {
	{ 40, "SELECT id, 'history cleared or disabled by ' || "
	    "coalesce(user, '?') AS title, 'history cleared or switched off: ' "
	    "|| substr(command, 1, 200) AS reason, time AS ts, path "
	    "FROM history_commands WHERE evidence_id = ?1 AND ("
	    "command GLOB '*history -c*' OR "
	    "command GLOB '*unset HISTFILE*' OR "
	    "command GLOB '*HISTFILE=/dev/null*' OR "
	    "command GLOB '*HISTSIZE=0' OR "
	    "command GLOB '*HISTSIZE=0[^0-9]*' OR "
	    "command GLOB '*HISTFILESIZE=0' OR "
	    "command GLOB '*HISTFILESIZE=0[^0-9]*' OR "
	    "command GLOB '*set +o history*')" },
	{ 50, "SELECT id, 'download and run by ' || coalesce(user, '?') AS "
	    "title, 'a download piped to a shell: ' || substr(command, 1, "
	    "200) AS reason, time AS ts, path FROM history_commands WHERE "
	    "evidence_id = ?1 AND ((" FETCH " AND (" TO_SHELL " OR "
	    THEN_RUN ")) OR command GLOB '*sh -c*$(curl*' OR "
	    "command GLOB '*sh -c*$(wget*' OR command GLOB '*<(curl*' OR "
	    "command GLOB '*<(wget*')" },
	{ 50, "SELECT id, 'decoded and run by ' || coalesce(user, '?') AS "
	    "title, 'base64 decoded into a shell: ' || substr(command, 1, "
	    "200) AS reason, time AS ts, path FROM history_commands WHERE "
	    "evidence_id = ?1 AND (command GLOB '*base64 -d*' OR "
	    "command GLOB '*base64 --decode*' OR command GLOB '*base64 -D*') "
	    "AND " TO_SHELL },
	/* downloaded, then made executable: on one line or within the
	 * next three commands of the same file */
	{ 40, "SELECT d.id AS id, 'download made executable by ' || "
	    "coalesce(d.user, '?') AS title, 'a download then ' || "
	    "substr(x.command, 1, 100) || ': ' || substr(d.command, 1, 150) "
	    "AS reason, d.time AS ts, d.path AS path FROM history_commands d "
	    "JOIN history_commands x ON x.evidence_id = d.evidence_id AND "
	    "x.path = d.path AND x.entry BETWEEN d.entry AND d.entry + 3 "
	    "WHERE d.evidence_id = ?1 AND (d.command GLOB '*curl*' OR "
	    "d.command GLOB '*wget*') AND (x.command GLOB '*chmod *+x*' OR "
	    "x.command GLOB '*chmod *7[0-7][0-7]*') GROUP BY d.id" },
	{ 0, NULL },
};

static void
message(const struct irk_record_row *row, char *buf, size_t len)
{
	const char *shell = irk_record_text(row, "shell");
	const char *command = irk_record_text(row, "command");

	(void)snprintf(buf, len, "%s: %.*s", shell ? shell : "?",
	    (int)len, command ? command : "");
}

const struct irk_record_type irk_record_history_command = {
	.type = "history_command",
	/* activity, not state: new commands are no change (diff) */
	.diff_volatile = "1",
	.table = "history_commands",
	.doc = "a command of a shell or tool history",
	.fields = fields,
	.events = events,
	.ioc_text = "command",
	.ioc_label = "path || ':' || line",
	.ioc_time = "time",
	.identity = identity,
	.compare = compare,
	.not_stored = not_stored,
	.report = &report,
	.flagged = "history cleared or disabled, a download piped to a shell "
	    "or made executable, base64 decoded into a shell",
	.category = "history",
	.findings = findings,
	.message = message,
};
