/*
 * history_file.c - a shell or tool history file of a home
 * (collectors/history.c): where it is, what it is (a file, a link to
 * /dev/null), how much of it was read.
 */
#include <stdio.h>

#include "record.h"
#include "../db_util.h"
#include "irkit/banned.h"

static const struct irk_record_field fields[] = {
	{ "evidence_id", "INTEGER", IRK_RF_EVIDENCE, { NULL } },
	{ "host_id", "INTEGER", IRK_RF_HOST, { NULL } },
	{ "user", "TEXT", IRK_RF_JSON, { "user" } },
	{ "home", "TEXT", IRK_RF_JSON, { "home" } },
	{ "shell", "TEXT", IRK_RF_JSON, { "shell" } },
	{ "path", "TEXT", IRK_RF_TEXT, { "path" } },
	{ "file_type", "TEXT", IRK_RF_JSON, { "file_type" } },
	{ "link_target", "TEXT", IRK_RF_JSON, { "link_target" } },
	{ "size", "INTEGER", IRK_RF_JSON, { "size" } },
	{ "mtime", "INTEGER", IRK_RF_TIME, { "mtime" } },
	{ "entries", "INTEGER", IRK_RF_JSON, { "entries" } },
	{ "entries_cut", "INTEGER", IRK_RF_JSON, { "entries_cut" } },
	{ "bytes_left", "INTEGER", IRK_RF_JSON, { "bytes_left" } },
	{ "record", "TEXT", IRK_RF_RECORD, { NULL } },
	{ NULL, NULL, 0, { NULL } },
};

static const struct irk_record_event events[] = {
	{ "mtime", "History File Modification", "M...", "HIST", "path" },
	{ NULL, NULL, NULL, NULL, NULL },
};

static const char *const identity[] = { "path", NULL };
static const char *const compare[] = { "file_type", "link_target", "size",
    "mtime", "entries", NULL };
static const char *const not_stored[] = { "type", "bytes_read", NULL };

static const struct irk_record_report_col cols[] = {
	{ "User", "t.user", IRK_RC_TEXT },
	{ "File", "t.path", IRK_RC_MONO },
	{ "Is", "t.file_type || coalesce(' to ' || t.link_target, '')",
	    IRK_RC_MONO },
	{ "Commands", "t.entries", IRK_RC_NUM },
	{ "Modified", "t.mtime", IRK_RC_TIME },
	{ NULL, NULL, 0 },
};

static const struct irk_record_report report = {
	.id = "histfiles",
	.nav = "History files",
	.title = "History files that hide",
	.why = "behind a finding, or with commands left out",
	.flag = "t.bytes_left > 0 OR t.entries_cut > 0",
	.cols = cols,
	.link = "SELECT 'history file', path, file_type || coalesce(' to ' "
	    "|| link_target, ''), mtime FROM history_files WHERE id = ?",
};

static const struct irk_record_finding findings[] = {
	{ 40, "SELECT id, 'history disabled for ' || coalesce(user, '?') AS "
	    "title, path || ' is ' || CASE WHEN link_target IS NOT NULL THEN "
	    "'a link to ' || link_target ELSE 'a device' END || ': nothing "
	    "typed is kept' AS reason, mtime AS ts, path FROM history_files "
	    "WHERE "
	    "evidence_id = ?1 AND (link_target = '/dev/null' OR "
	    "file_type = 'char')" },
	/* the user logged in (wtmp, lastlog) more than 30 days after the
	 * history was last written: cleared, or not kept since */
	{ 30, "SELECT t.id, 'history of ' || t.user || ' older than its "
	    "logins' AS title, t.path || ' was last written ' || "
	    "strftime('%Y-%m-%dT%H:%M:%SZ', t.mtime / 1000000, 'unixepoch') "
	    "|| ' but ' || t.user || ' logged in at ' || "
	    "strftime('%Y-%m-%dT%H:%M:%SZ', l.last / 1000000, 'unixepoch') || "
	    "': nothing typed since was kept' AS reason, t.mtime AS ts, "
	    "t.path FROM history_files t JOIN (SELECT user, max(time) AS last "
	    "FROM logins WHERE evidence_id = ?1 AND kind IN ('login', "
	    "'lastlog') AND user IS NOT NULL GROUP BY user) l ON l.user = "
	    "t.user WHERE t.evidence_id = ?1 AND t.file_type = 'file' AND "
	    "t.mtime IS NOT NULL AND l.last - t.mtime > 30 * 86400000000" },
	{ 0, NULL },
};

static void
message(const struct irk_record_row *row, char *buf, size_t len)
{
	const char *shell = irk_j_str(row->rec, "shell");
	const char *user = irk_j_str(row->rec, "user");

	(void)snprintf(buf, len, "%s history of %s: %lld command(s)",
	    shell ? shell : "?", user ? user : "?",
	    (long long)irk_j_int(row->rec, "entries", 0));
}

const struct irk_record_type irk_record_history_file = {
	.type = "history_file",
	.table = "history_files",
	.doc = "a shell or tool history file",
	.fields = fields,
	.events = events,
	.identity = identity,
	.compare = compare,
	.not_stored = not_stored,
	.report = &report,
	.flagged = "a link to /dev/null or a device; commands left out "
	    "(the report)",
	.category = "history",
	.findings = findings,
	.message = message,
};
