/*
 * log_file.c - a syslog-family log file as a whole (analyzer/
 * logs_syslog.c): its size, lines, first and last times and the hash of
 * its first line, for the findings that compare a file with itself in
 * another collection (it shrank) and with its next rotation (a gap
 * between them): docs/logs.md, "Findings of the syslog lines".
 */
#include <stdio.h>

#include "record.h"
#include "irkit/banned.h"

static const struct irk_record_field fields[] = {
	{ "evidence_id", "INTEGER", IRK_RF_EVIDENCE, { NULL } },
	{ "host_id", "INTEGER", IRK_RF_HOST, { NULL } },
	{ "path", "TEXT", IRK_RF_TEXT, { "path" } },
	{ "log", "TEXT", IRK_RF_TEXT, { "log" } },
	{ "rotation", "INTEGER", IRK_RF_JSON, { "rotation" } },
	{ "size", "INTEGER", IRK_RF_JSON, { "size" } },
	{ "bytes", "INTEGER", IRK_RF_JSON, { "bytes" } },
	{ "lines", "INTEGER", IRK_RF_JSON, { "lines" } },
	{ "first_time", "INTEGER", IRK_RF_TIME, { "first_time" } },
	{ "last_time", "INTEGER", IRK_RF_TIME, { "last_time" } },
	{ "first_hash", "TEXT", IRK_RF_TEXT, { "first_hash" } },
	{ NULL, NULL, 0, { NULL } },
};

static const struct irk_record_event events[] = {
	{ NULL, NULL, NULL, NULL, NULL },
};

static const char *const identity[] = { "path", "first_hash", NULL };
static const char *const compare[] = { "size", "bytes", "lines",
    "last_time", NULL };
static const char *const not_stored[] = { "type", NULL };

/* the later of two evidence rows a and b of one case: the collection
 * times of their manifests, else the order they were loaded in */
#define LATER(a, b) \
	"(CASE WHEN " a ".collected_start IS NOT NULL AND " b \
	".collected_start IS NOT NULL THEN " a ".collected_start > " b \
	".collected_start ELSE " a ".id > " b ".id END)"

#define GAP_HOURS	"24"

static const struct irk_record_finding findings[] = {
	/* the same file (path, first line) of one host smaller in a later
	 * collection: cut or lines deleted */
	{ 50, "SELECT f.id AS id, 'log shrank: ' || f.path AS title, f.path "
	    "|| ' has ' || f.bytes || ' bytes (' || f.lines || ' lines) in "
	    "evidence ' || f.evidence_id || ' but ' || g.bytes || ' bytes (' "
	    "|| g.lines || ' lines) in the earlier evidence ' || "
	    "g.evidence_id || ', from the same first line (cut or lines "
	    "deleted?)' AS reason, f.last_time AS ts, f.path AS path FROM "
	    "log_files f JOIN log_files g ON g.path = f.path AND "
	    "g.first_hash = f.first_hash AND g.host_id IS f.host_id AND "
	    "g.evidence_id <> f.evidence_id AND g.bytes > f.bytes JOIN "
	    "evidence ef ON ef.id = f.evidence_id JOIN evidence eg ON eg.id "
	    "= g.evidence_id WHERE (f.evidence_id = ?1 OR g.evidence_id = "
	    "?1) AND " LATER("ef", "eg") " GROUP BY f.id" },
	/* rotation N ends more than GAP_HOURS before rotation N-1 begins,
	 * with no boot or shutdown in wtmp between */
	{ 30, "SELECT o.id AS id, 'gap between log rotations: ' || o.log "
	    "AS title, o.path || ' ends ' || ((n.first_time - o.last_time) / "
	    "3600000000) || ' hours before ' || n.path || ' begins, with no "
	    "boot or shutdown between (lines deleted?)' AS reason, "
	    "o.last_time AS ts, o.path AS path FROM log_files o JOIN "
	    "log_files n ON n.evidence_id = o.evidence_id AND n.log = o.log "
	    "AND n.rotation = o.rotation - 1 WHERE o.evidence_id = ?1 AND "
	    "o.rotation >= 1 AND n.first_time - o.last_time > " GAP_HOURS
	    " * 3600000000 AND NOT EXISTS (SELECT 1 FROM logins b WHERE "
	    "b.evidence_id = ?1 AND b.kind IN ('boot', 'shutdown', "
	    "'runlevel') AND b.time BETWEEN o.last_time AND n.first_time) "
	    "GROUP BY o.id" },
	{ 0, NULL },
};

static void
message(const struct irk_record_row *row, char *buf, size_t len)
{
	const char *path = irk_record_text(row, "path");

	(void)snprintf(buf, len, "%s", path ? path : "?");
}

const struct irk_record_type irk_record_log_file = {
	.type = "log_file",
	.table = "log_files",
	.doc = "a syslog-family log file read, as a whole",
	.fields = fields,
	.events = events,
	.identity = identity,
	.compare = compare,
	.not_stored = not_stored,
	.flagged = "a log that shrank between two collections, a gap "
	    "between two rotations",
	.category = "logs",
	.findings = findings,
	.message = message,
};
