/*
 * db.h - the case database (SQLite, schema in analyzer/schema.sql and
 * docs/SCHEMA.md).  One writer: ingest and image load through this API,
 * in large transactions with prepared statements.  Readers (export,
 * report, findings, counts) open it read-only (irk_db_open_reader) and
 * walk named reads (db_read.h).
 */
#ifndef IRKIT_DB_H
#define IRKIT_DB_H

#include <stdint.h>
#include <jansson.h>

#include "irkit/err.h"
#include "irkit/strmap.h"

struct irk_scan;
struct irk_scan_item;

/*
 * The case database, opaque: its fields and SQLite handle are the db
 * layer's (db_priv.h).  Commands call the functions below; the layer
 * never prints, it returns errors.
 */
struct irk_db;

/* Open or create; applies the schema, WAL, bulk-load pragmas. */
int irk_db_open(struct irk_db **out, const char *path, struct irk_err *err);
void irk_db_close(struct irk_db *db);
/*
 * For a loader (ingest, image): one loader per case.  An exclusive
 * flock(2) on path (created when missing), taken before SQLite opens it
 * and held until irk_db_close (SQLite's own locks are fcntl locks and do
 * not see it), so a second loader is told that the case is being loaded
 * instead of waiting on SQLite's lock; then irk_db_open (a fresh case
 * with its journal in memory when fast).  IRK_FAIL with that message
 * when another process holds it.
 */
int irk_db_open_writer(struct irk_db **out, const char *path, int fast,
    struct irk_err *err);
/*
 * 1 when a loader (ingest, image) holds the case at path, so report and
 * export can say it is being loaded; 0 otherwise (also when it cannot
 * be opened: the caller says why).
 */
int irk_db_being_loaded(const char *path);
/*
 * The rule files that did not compile: each a row of the log table
 * (the report's Problems); irk_scan_say_rule_problems tells the user.
 * Returns their number; IRK_FATAL when files were given with --rules
 * and none compiled (nothing logged), or the log cannot be written.
 */
int irk_db_rule_problems(struct irk_db *db, const struct irk_scan *s);
/* Rows in one of events, findings, files, yara_matches, evidence; -1. */
int64_t irk_db_count(struct irk_db *db, const char *table);

/*
 * The rows of a case by kind, as the triage summary counts them: the
 * evidence, each record type with a count label (records/list.h order),
 * events, YARA matches, IOC hits, findings: cb(arg, label, count) each.
 * db: a writer or a reader.  IRK_FATAL when a table cannot be read.
 */
int irk_db_counts(struct irk_db *db, void (*cb)(void *arg,
    const char *label, int64_t n), void *arg);

/*
 * Read-only open of an existing case (export, report, findings,
 * counts): no schema change, a busy timeout of 5 s.  IRK_FATAL with the
 * message in err ("cannot read 'PATH': ...", "cannot open 'PATH': ...").
 */
int irk_db_open_reader(struct irk_db **out, const char *path,
    struct irk_err *err);
/* The message of the last SQLite error on db. */
const char *irk_db_errmsg(struct irk_db *db);
/* The SQLite library's version, for --version. */
const char *irk_db_engine_version(void);

/*
 * The load's state: the evidence row being loaded (0 none; set 0 when
 * the caller gives it up), the interrupted earlier load the last
 * irk_db_evidence_add replaced (0 none), whether a transaction is
 * open, and hold (no automatic commit, so the open transaction can
 * be rolled back).
 */
int64_t irk_db_current_evidence(const struct irk_db *db);
void irk_db_set_current_evidence(struct irk_db *db, int64_t id);
int64_t irk_db_replaced(const struct irk_db *db);
int irk_db_in_tx(const struct irk_db *db);
void irk_db_hold(struct irk_db *db, int on);
int irk_db_holding(const struct irk_db *db);

/* Transactions: begin, and commit every so many rows by itself. */
int irk_db_begin(struct irk_db *db);
int irk_db_commit(struct irk_db *db);
/* Undo the open transaction (rows since the last automatic commit). */
int irk_db_rollback(struct irk_db *db);

/* Indexes and views (idempotent); call after a load. */
int irk_db_finish_load(struct irk_db *db, struct irk_err *err);
/*
 * The indexes of the timeline tables (files, events) now, inside the
 * open transaction (idempotent): a loader that knows few rows are still
 * to come calls it early, where it has time to spare (image: while TSK
 * searches for orphan files), so irk_db_finish_load has less to do.
 */
int irk_db_timeline_indexes(struct irk_db *db);

/*
 * Register an input.  Returns 1 (and *id of the earlier row) when the
 * same sha256 is in already: the caller skips it.  0 for a new row
 * (status 'loading'), and makes it the current evidence; an earlier row
 * with this sha256 still 'loading' (a load that never finished) is
 * removed first (irk_db_replaced).  Inside a transaction, the row is
 * committed at once and a new transaction begun, so a load killed
 * before its first batch commit still leaves it 'loading'; a caller
 * that rolls the load back removes it (irk_db_evidence_forget).
 * kind: irkit | archive | directory | image.
 */
int irk_db_evidence_add(struct irk_db *db, const char *path,
    const char *sha256, uint64_t size, const char *kind, const char *format,
    int64_t *id, struct irk_err *err);
/*
 * An evidence row other than not_id with this sha256 key, or (md5 not
 * NULL) whose media_md5 is md5: 1 and *id, 0 none, IRK_FATAL.
 */
int irk_db_evidence_find(struct irk_db *db, const char *sha256,
    const char *md5, int64_t not_id, int64_t *id);
/*
 * 1 when some evidence row is known by an MD5 only (an E01 keyed by the
 * MD5 it stores, "ewf-md5:..."), 0 when none, IRK_FATAL.
 */
int irk_db_evidence_md5_keyed(struct irk_db *db);
/*
 * Remove one evidence row and everything it brought (files, events,
 * records, matches, findings, log), inside the open transaction.
 */
int irk_db_evidence_forget(struct irk_db *db, int64_t id);
/*
 * An intact, complete evidence row other than not_id whose manifest.json
 * had this SHA-256 (the same collection): 1 and *id, 0 none, IRK_FATAL.
 */
int irk_db_manifest_find(struct irk_db *db, const char *manifest_sha256,
    int64_t not_id, int64_t *id);
/* Set evidence columns from a JSON object {column: value}. */
int irk_db_evidence_set(struct irk_db *db, int64_t id, json_t *cols);

/* Find or add the host described by a hostinfo object: the current host. */
int irk_db_host(struct irk_db *db, json_t *hostinfo, int64_t *id);

/* A files row.  NULL strings and IRK_TIME_NONE times are stored NULL. */
struct irk_db_file {
	const char *path;
	int64_t size;		/* -1 unknown */
	const char *sha256, *md5, *sha1;
	const char *mime, *magic, *filetype;
	const char *mode;
	int64_t uid, gid;	/* -1 unknown */
	const char *owner;
	int64_t inode;		/* -1 unknown */
	int64_t atime, mtime, ctime, btime;
	int deleted;
	const char *skipped_reason;
	const char *origin;	/* member | collected | image */
	const char *volume;
	/* image rows: fls -m's inode and name fields, the stream name */
	const char *meta_addr, *body_name, *stream;
	const char *why;	/* collected: why the collector copied it */
};
int irk_db_file_add(struct irk_db *db, const struct irk_db_file *f,
    int64_t *id);

/*
 * A collected file's record (origin "collected"): completes the files row
 * its archive member made (the record's view of sizes, owners and times
 * wins where it has one), or adds a row; its MACB times as events.
 */
int irk_db_file_collected(struct irk_db *db, const struct irk_db_file *f,
    int64_t *id);

/* The file's MACB times as events (times that agree are merged). */
int irk_db_file_events(struct irk_db *db, const struct irk_db_file *f,
    int64_t file_id);

/* One timeline event for the current evidence and host. */
int irk_db_event(struct irk_db *db, int64_t ts, const char *ts_desc,
    const char *macb, const char *source, const char *path,
    const char *message, const char *record_table, int64_t record_id);

/*
 * Load one record (process, service, task, certificate, private_key,
 * file, or any other type) into its table with its events; *id gets the
 * row id (may be NULL).  The record is not stolen.
 */
int irk_db_record(struct irk_db *db, json_t *rec, int64_t *id,
    struct irk_err *err);

/* A log entry (collection log or the analyzer's own). */
int irk_db_log(struct irk_db *db, int64_t ts, const char *level,
    const char *component, const char *path, const char *message);

/* Scan results of one file: yara_matches, ioc_hits, scan_cache.  A cached
 * item (no libmagic pass) gets its mime and magic from the cache row. */
int irk_db_scan_result(struct irk_db *db, int64_t file_id,
    struct irk_scan_item *it);

/*
 * What reading a file's content found (image): each non-NULL value
 * replaces the files row's, a NULL keeps it.  IRK_FATAL (irk_db_errmsg).
 */
struct irk_db_content {
	const char *sha256, *md5, *sha1;
	const char *mime, *magic, *filetype;
	const char *skipped;		/* skipped_reason */
};
int irk_db_file_content(struct irk_db *db, int64_t id,
    const struct irk_db_content *c);

/* The compiled rules' hash the next scan results are stored under. */
int irk_db_set_rules_hash(struct irk_db *db, const char *rules_hash);

/*
 * IOC lists against what the records of evidence eid name (the ioc_name
 * and ioc_text columns each record type declares): an ioc_hits row per
 * hit.  IRK_FATAL when one cannot be written.
 */
int irk_db_record_iocs(struct irk_db *db, int64_t eid,
    const struct irk_scan *scan);

/*
 * The rows of evidence eid loaded before its host was known (the
 * manifest comes after the records) get the current host: host_id of
 * every record table and the findings, host of the events.
 */
int irk_db_fix_host(struct irk_db *db, int64_t eid);

/* sha256 already scanned with rules_hash: fills a set (see scan.h). */
int irk_db_scanned_set(struct irk_db *db, const char *rules_hash,
    struct irk_strmap *out);

/* Score and explain: findings for the current evidence (after a load). */
int irk_db_findings(struct irk_db *db, struct irk_err *err);
/*
 * One finding of the current evidence on row id of table, with one
 * reason (ts: IRK_TIME_NONE for none; path may be NULL).  IRK_OK or
 * IRK_FATAL.
 */
int irk_db_finding_add(struct irk_db *db, const char *table, int64_t id,
    const char *category, const char *title, int score, const char *reason,
    int64_t ts, const char *path);
/*
 * The findings of the current evidence for what is new or changed since
 * its host's baseline (db_baseline.c), if it has one and this is a later
 * collection.  IRK_OK or IRK_FATAL.
 */
int irk_db_baseline_findings(struct irk_db *db);

struct irk_baseline_result {
	int64_t evidence_id, host_id;
	char path[1024];
	uint64_t findings;	/* baseline findings of its host, now */
	uint64_t later;		/* later collections with some */
};
/*
 * Make the evidence ref names (an id, its path as loaded, a SHA-256
 * prefix: irk_db_evidence_ref) the baseline of its host, replacing any
 * other, and redo the baseline findings of every collection of that
 * host.  IRK_FAIL (err says why: no such evidence, no host), IRK_FATAL.
 */
int irk_db_baseline_mark(struct irk_db *db, const char *ref,
    struct irk_baseline_result *res, struct irk_err *err);
/* Each baseline of the case (db: a reader or a writer). */
int irk_db_baselines(struct irk_db *db, void (*cb)(void *arg, const char *host,
    int64_t evidence, const char *path, int64_t marked_at), void *arg);

#endif
