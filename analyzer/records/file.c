/*
 * file.c - a file a collector copied (or would copy): its record
 * completes the files row its archive member made, or adds one.  The
 * fields say where each column comes from; the load hook does the
 * loading, as a files row is shared with the members and the images.
 */
#include <string.h>

#include "record.h"
#include "../db.h"
#include "../db_util.h"
#include "irkit/banned.h"

static const struct irk_record_field fields[] = {
	{ "evidence_id", "INTEGER", IRK_RF_EVIDENCE, { NULL } },
	{ "host_id", "INTEGER", IRK_RF_HOST, { NULL } },
	{ "path", "TEXT", IRK_RF_TEXT, { "path" } },
	{ "size", "INTEGER", IRK_RF_JSON, { "size" } },
	{ "sha256", "TEXT", IRK_RF_TEXT, { "sha256" } },
	{ "mode", "TEXT", IRK_RF_TEXT, { "mode" } },
	{ "uid", "INTEGER", IRK_RF_JSON, { "uid" } },
	{ "gid", "INTEGER", IRK_RF_JSON, { "gid" } },
	{ "owner", "TEXT", IRK_RF_TEXT, { "owner" } },
	{ "inode", "INTEGER", IRK_RF_JSON, { "inode" } },
	{ "atime", "INTEGER", IRK_RF_TIME, { "atime" } },
	{ "mtime", "INTEGER", IRK_RF_TIME, { "mtime" } },
	{ "ctime", "INTEGER", IRK_RF_TIME, { "ctime" } },
	{ "btime", "INTEGER", IRK_RF_TIME, { "btime" } },
	{ "why", "TEXT", IRK_RF_TEXT, { "why" } },
	/* "skipped", else "duplicate content" when "stored_as" */
	{ "skipped_reason", "TEXT", IRK_RF_DERIVED,
	    { "skipped", "stored_as" } },
	{ NULL, NULL, 0, { NULL } },
};

/* the MACB times, as for every files row (irk_db_file_events) */
static const struct irk_record_event events[] = {
	{ NULL, NULL, NULL, NULL, NULL },
};

static const char *const identity[] = { "path", NULL };
static const char *const compare[] = { "size", "sha256", "mode", "uid",
    "gid", "owner", "inode", "mtime", "ctime", "btime", NULL };
static const char *const not_stored[] = { "type", "collector", "error",
    "stored", "stored_as", "symlink", "target", NULL };

static const struct irk_record_report report = {
	.link = "SELECT 'file', path, coalesce('sha256 ' || sha256, ''), "
	    "mtime FROM files WHERE id = ?",
};

static int
load(struct irk_db *db, json_t *rec, int64_t *id)
{
	struct irk_db_file f;

	memset(&f, 0, sizeof(f));
	f.path = irk_j_str(rec, "path");
	f.size = irk_j_int(rec, "size", -1);
	f.sha256 = irk_j_str(rec, "sha256");
	f.mode = irk_j_str(rec, "mode");
	f.uid = irk_j_int(rec, "uid", -1);
	f.gid = irk_j_int(rec, "gid", -1);
	f.owner = irk_j_str(rec, "owner");
	f.inode = irk_j_int(rec, "inode", -1);
	f.atime = irk_j_time(rec, "atime");
	f.mtime = irk_j_time(rec, "mtime");
	f.ctime = irk_j_time(rec, "ctime");
	f.btime = irk_j_time(rec, "btime");
	f.skipped_reason = irk_j_str(rec, "skipped");
	f.origin = "collected";
	f.why = irk_j_str(rec, "why");
	if (f.skipped_reason == NULL && irk_j_str(rec, "stored_as") != NULL)
		f.skipped_reason = "duplicate content";
	return irk_db_file_collected(db, &f, id);
}

/*
 * Timestomping (docs/prefetch-usn.md): an NTFS executable or driver in
 * use whose $STANDARD_INFORMATION times (the files row) look set back
 * against its $FILE_NAME times (the row image adds as "PATH
 * ($FILE_NAME)", which only the kernel writes): created before its name
 * was, or created and modified on whole seconds.
 */
#define TS_US(x) "strftime('%Y-%m-%d %H:%M:%S', " x " / 1000000, " \
	"'unixepoch') || printf('.%06d', " x " % 1000000)"
#define TS_FROM "FROM files f JOIN files n ON n.evidence_id = " \
	"f.evidence_id AND n.path = f.path || ' ($FILE_NAME)' AND " \
	"n.stream = '$FILE_NAME' AND n.volume IS f.volume AND n.inode = " \
	"f.inode WHERE f.evidence_id = ?1 AND f.stream IS NULL AND " \
	"NOT f.deleted AND (lower(f.path) GLOB '*.exe' OR lower(f.path) " \
	"GLOB '*.dll' OR lower(f.path) GLOB '*.sys') AND "
#define TS_TITLE "'timestamps set back on ' || f.path AS title, "

static const struct irk_record_finding findings[] = {
	{ 50, "SELECT f.id, " TS_TITLE "'$STANDARD_INFORMATION created "
	    "' || " TS_US("f.btime") " || ', before its $FILE_NAME created "
	    "' || " TS_US("n.btime") " AS reason, f.btime AS ts, f.path "
	    TS_FROM "f.btime < n.btime" },
	{ 30, "SELECT f.id, " TS_TITLE "'$STANDARD_INFORMATION created "
	    "and modified on whole seconds (' || " TS_US("f.btime") " || ', "
	    "' || " TS_US("f.mtime") " || ')' AS reason, f.btime AS ts, "
	    "f.path " TS_FROM "f.btime % 1000000 = 0 AND f.mtime % 1000000 "
	    "= 0" },
	{ 0, NULL },
};

const struct irk_record_type irk_record_file = {
	.type = "file",
	/* a program replaced or added (units, crontabs, certificates
	 * and keys are their own records) */
	.baseline_score = 70,
	.table = "files",
	.doc = "a file a collector copied, or would have copied",
	.fields = fields,
	.events = events,
	.identity = identity,
	.compare = compare,
	.not_stored = not_stored,
	.report = &report,
	.flagged = "a YARA match or an IOC hit on its content or name "
	    "(findings.c files_findings); an NTFS executable whose "
	    "$STANDARD_INFORMATION times look set back (timestomp)",
	.category = "timestomp",
	.findings = findings,
	.count_label = "files",
	/* what the collectors copied, not archive members nor a walk; a
	 * file whose own record is compared (a unit, a crontab, a
	 * certificate, a key) is not compared twice */
	.diff_rows = "t.origin = 'collected' AND t.path NOT IN (SELECT "
	    "fragment_path FROM services WHERE evidence_id = t.evidence_id "
	    "AND fragment_path IS NOT NULL UNION SELECT source_path FROM "
	    "tasks WHERE evidence_id = t.evidence_id AND source_path IS NOT "
	    "NULL UNION SELECT path FROM certificates WHERE evidence_id = "
	    "t.evidence_id UNION SELECT path FROM private_keys WHERE "
	    "evidence_id = t.evidence_id)",
	/* a running program's executable comes and goes with it */
	.diff_volatile = "t.why IN ('process executable', "
	    "'deleted process executable')",
	.load = load,
};
