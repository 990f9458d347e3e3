/*
 * login_file.c - a login accounting file the logins collector read
 * (wtmp, btmp, utmp: collectors/logins.c): its size and how many entries
 * it gave.  An empty wtmp beside a lastlog that remembers logins is a
 * sign the wtmp was emptied (docs/logs.md, "Findings of the syslog
 * lines"; docs/FORMAT.md 4.10).
 */
#include <stdio.h>

#include "record.h"
#include "irkit/banned.h"

static const struct irk_record_field fields[] = {
	{ "evidence_id", "INTEGER", IRK_RF_EVIDENCE, { NULL } },
	{ "host_id", "INTEGER", IRK_RF_HOST, { NULL } },
	{ "path", "TEXT", IRK_RF_TEXT, { "path" } },
	{ "kind", "TEXT", IRK_RF_TEXT, { "kind" } },
	{ "size", "INTEGER", IRK_RF_JSON, { "size" } },
	{ "mtime", "INTEGER", IRK_RF_TIME, { "mtime" } },
	{ "entries", "INTEGER", IRK_RF_JSON, { "entries" } },
	{ NULL, NULL, 0, { NULL } },
};

static const struct irk_record_event events[] = {
	{ NULL, NULL, NULL, NULL, NULL },
};

static const char *const identity[] = { "path", NULL };
static const char *const compare[] = { "size", "entries", NULL };
static const char *const not_stored[] = { "type", NULL };

/*
 * The live wtmp with no entry (size 0, or only empty slots) while
 * lastlog has last logins: wtmp emptied (a wtmp rotated with no boot
 * or login since gives it too).
 */
static const struct irk_record_finding findings[] = {
	{ 50, "SELECT f.id AS id, 'empty wtmp with a non-empty lastlog' AS "
	    "title, f.path || ' has no entries (' || coalesce(f.size, '?') "
	    "|| ' bytes) while lastlog has ' || (SELECT count(*) FROM "
	    "logins l WHERE l.evidence_id = ?1 AND l.kind = 'lastlog') || "
	    "' last logins (wtmp emptied?)' AS reason, (SELECT max(l.time) "
	    "FROM logins l WHERE l.evidence_id = ?1 AND l.kind = 'lastlog') "
	    "AS ts, f.path AS path FROM login_files f WHERE f.evidence_id = "
	    "?1 AND f.kind = 'wtmp' AND f.path = '/var/log/wtmp' AND "
	    "f.entries = 0 AND EXISTS (SELECT 1 FROM logins l WHERE "
	    "l.evidence_id = ?1 AND l.kind = 'lastlog')" },
	{ 0, NULL },
};

static void
message(const struct irk_record_row *row, char *buf, size_t len)
{
	const char *path = irk_record_text(row, "path");

	(void)snprintf(buf, len, "%s", path ? path : "?");
}

const struct irk_record_type irk_record_login_file = {
	.type = "login_file",
	.table = "login_files",
	.doc = "a login accounting file read (wtmp, btmp, utmp)",
	.fields = fields,
	.events = events,
	.identity = identity,
	.compare = compare,
	.not_stored = not_stored,
	.flagged = "an empty wtmp while lastlog has last logins",
	.category = "logins",
	.findings = findings,
	.message = message,
};
