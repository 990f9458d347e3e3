/*
 * journal_file.c - a systemd journal file the analyzer's journal
 * collector read (analyzer/journal.c): its ids, how many entries its
 * header counts and how many were read, the damage found.  A file with
 * entries that could not be read or that are out of order is a finding.
 */
#include <stdio.h>

#include "record.h"
#include "../db_util.h"
#include "irkit/banned.h"

static const struct irk_record_field fields[] = {
	{ "evidence_id", "INTEGER", IRK_RF_EVIDENCE, { NULL } },
	{ "host_id", "INTEGER", IRK_RF_HOST, { NULL } },
	{ "path", "TEXT", IRK_RF_TEXT, { "path" } },
	{ "file_id", "TEXT", IRK_RF_TEXT, { "file_id" } },
	{ "seqnum_id", "TEXT", IRK_RF_TEXT, { "seqnum_id" } },
	{ "state", "TEXT", IRK_RF_TEXT, { "state" } },
	{ "size", "INTEGER", IRK_RF_JSON, { "size" } },
	{ "declared_size", "INTEGER", IRK_RF_JSON, { "declared_size" } },
	{ "truncated", "INTEGER", IRK_RF_JSON, { "truncated" } },
	{ "header_entries", "INTEGER", IRK_RF_JSON, { "header_entries" } },
	{ "entries", "INTEGER", IRK_RF_JSON, { "entries" } },
	{ "unreadable", "INTEGER", IRK_RF_JSON, { "unreadable" } },
	{ "out_of_order", "INTEGER", IRK_RF_JSON, { "out_of_order" } },
	{ "first", "INTEGER", IRK_RF_TIME, { "first" } },
	{ "last", "INTEGER", IRK_RF_TIME, { "last" } },
	{ "cut", "TEXT", IRK_RF_TEXT, { "cut" } },
	{ "error", "TEXT", IRK_RF_TEXT, { "error" } },
	{ "record", "TEXT", IRK_RF_RECORD, { NULL } },
	{ NULL, NULL, 0, { NULL } },
};

static const struct irk_record_event events[] = {
	{ NULL, NULL, NULL, NULL, NULL },
};

static const char *const identity[] = { "path", "file_id", NULL };
static const char *const compare[] = { "state", "size", "entries",
    "unreadable", "out_of_order", "last", NULL };
static const char *const not_stored[] = { "type", NULL };

static const struct irk_record_report_col cols[] = {
	{ "File", "t.path", IRK_RC_MONO },
	{ "Entries", "t.entries || ' of ' || t.header_entries", IRK_RC_SHORT },
	{ "Unreadable", "t.unreadable", IRK_RC_NUM },
	{ "Out of order", "t.out_of_order", IRK_RC_NUM },
	{ "Truncated", "t.truncated", IRK_RC_FLAG },
	{ "Last entry", "t.last", IRK_RC_TIME },
	{ "Damage", "t.error", IRK_RC_TEXT },
	{ NULL, NULL, 0 },
};

static const struct irk_record_report report = {
	.id = "journals",
	.nav = "Journal files",
	.title = "Journal files damaged or out of order",
	.why = "with entries that could not be read, out of order, or cut "
	    "by a limit",
	.flag = "t.unreadable > 0 OR t.out_of_order > 0 OR t.truncated = 1 "
	    "OR t.cut IS NOT NULL",
	.cols = cols,
	.link = "SELECT 'journal file', path, entries || ' entries read, ' "
	    "|| unreadable || ' unreadable, ' || out_of_order || ' out of "
	    "order', last FROM journal_files WHERE id = ?",
};

/*
 * Damage (entries the header counts that cannot be read, a file cut
 * short) and disorder (an entry whose sequence number is not above the
 * one before it, or whose time goes back within one boot): a journal
 * edited, or cut, after it was written.
 */
static const struct irk_record_finding findings[] = {
	{ 40, "SELECT id, 'journal file damaged' AS title, path || ': ' || "
	    "unreadable || ' of the ' || header_entries || ' entries its "
	    "header counts cannot be read' || CASE WHEN truncated = 1 THEN "
	    "' (cut short: ' || size || ' of ' || declared_size || ' bytes)' "
	    "ELSE '' END || coalesce(': ' || error, '') AS reason, last AS ts, "
	    "path FROM journal_files WHERE evidence_id = ?1 AND "
	    "(unreadable > 0 OR truncated = 1)" },
	{ 40, "SELECT id, 'journal entries out of order' AS title, path || "
	    "': ' || out_of_order || ' entries written after one that is "
	    "later in time within the same boot, or out of sequence' AS "
	    "reason, last AS ts, path FROM journal_files WHERE "
	    "evidence_id = ?1 AND out_of_order > 0" },
	{ 0, NULL },
};

const struct irk_record_type irk_record_journal_file = {
	.type = "journal_file",
	.table = "journal_files",
	.doc = "a systemd journal file read by the analyzer",
	.fields = fields,
	.events = events,
	.identity = identity,
	.compare = compare,
	.not_stored = not_stored,
	.report = &report,
	.flagged = "entries unreadable, out of order, the file cut short or "
	    "read only up to a limit (the report); damage and disorder are "
	    "findings",
	.category = "journal",
	.findings = findings,
};
