/*
 * db.c - the case database (see db.h, schema.sql, docs/SCHEMA.md).
 *
 * One writer.  Loads run with bulk settings (synchronous OFF, a large
 * page cache, temporary data in memory) inside large transactions that
 * commit every DB_BATCH rows; every insert goes through a statement
 * prepared once.  irk_db_finish_load() adds the indexes and views and
 * puts durability back (WAL, synchronous NORMAL) for analysis.  A case
 * created by this open is built with its journal in memory and left
 * unsynced (see docs/SCHEMA.md, "Loading and performance").
 */
#include <sys/file.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db_priv.h"
#include "db_schema.h"
#include "db_util.h"
#include "scan.h"
#include "records/record.h"
#include "irkit/fe.h"
#include "irkit/fs.h"
#include "irkit/strmap.h"
#include "irkit/timeutil.h"
#include "irkit/banned.h"

#define DB_BATCH	100000

enum {
	ST_EVIDENCE_FIND, ST_EVIDENCE_ADD, ST_HOST_FIND, ST_HOST_ADD,
	ST_FILE_ADD, ST_FILE_UPDATE, ST_EVENT, ST_LOG, ST_YARA,
	ST_YARA_COPY, ST_IOC, ST_CACHE, ST_CACHE_TYPE, ST_FILE_SCAN, ST_FILE_TIME,
	ST_FILE_BY_PATH, ST_EVIDENCE_MEDIA, ST_FILE_CONTENT,
	ST_COUNT
};

static const char *const sql[ST_COUNT] = {
	[ST_EVIDENCE_FIND] = "SELECT id, status FROM evidence WHERE sha256 = ?",
	[ST_EVIDENCE_ADD] = "INSERT INTO evidence (path, sha256, size, kind, "
	    "format, ingested_at, status) VALUES (?, ?, ?, ?, ?, ?, 'loading')",
	[ST_HOST_FIND] = "SELECT id FROM hosts WHERE hostname IS ? AND "
	    "machine_id IS ?",
	[ST_HOST_ADD] = "INSERT INTO hosts (hostname, machine_id, os, kernel, "
	    "arch, boot_time, timezone, facts) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
	[ST_FILE_ADD] = "INSERT INTO files (evidence_id, host_id, path, size, "
	    "sha256, md5, sha1, mime, magic, filetype, mode, uid, gid, owner, "
	    "inode, atime, mtime, ctime, btime, deleted, skipped_reason, "
	    "origin, volume, meta_addr, body_name, stream, why) VALUES (?, ?, "
	    "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
	    "?, ?, ?)",
	[ST_FILE_UPDATE] = "UPDATE files SET size = coalesce(?2, size), "
	    "sha256 = coalesce(?3, sha256), mode = coalesce(?4, mode), "
	    "uid = coalesce(?5, uid), gid = coalesce(?6, gid), "
	    "owner = coalesce(?7, owner), inode = coalesce(?8, inode), "
	    "atime = coalesce(?9, atime), mtime = coalesce(?10, mtime), "
	    "ctime = coalesce(?11, ctime), btime = coalesce(?12, btime), "
	    "skipped_reason = coalesce(?13, skipped_reason), "
	    "why = coalesce(?14, why) WHERE id = ?1",
	[ST_EVENT] = "INSERT INTO events (ts, ts_desc, macb, source, host, "
	    "path, message, evidence_id, record_table, record_id) VALUES "
	    "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	[ST_LOG] = "INSERT INTO log (evidence_id, ts, level, component, path, "
	    "message) VALUES (?, ?, ?, ?, ?, ?)",
	[ST_YARA] = "INSERT INTO yara_matches (file_id, sha256, rules_hash, "
	    "rule, namespace, tags, meta, strings, score) VALUES (?, ?, ?, ?, "
	    "?, ?, ?, ?, ?)",
	[ST_YARA_COPY] = "INSERT INTO yara_matches (file_id, sha256, "
	    "rules_hash, rule, namespace, tags, meta, strings, score) "
	    "SELECT ?1, sha256, rules_hash, rule, namespace, tags, meta, "
	    "strings, score FROM yara_matches WHERE file_id = (SELECT "
	    "min(file_id) FROM yara_matches WHERE sha256 = ?2 AND "
	    "rules_hash = ?3) AND rules_hash = ?3",
	[ST_IOC] = "INSERT INTO ioc_hits (file_id, record_table, record_id, "
	    "kind, value, ioc_source, description) VALUES (?, ?, ?, ?, ?, ?, ?)",
	[ST_CACHE] = "INSERT OR IGNORE INTO scan_cache (sha256, rules_hash, "
	    "matches, scanned_at, mime, magic) VALUES (?, ?, ?, ?, ?, ?)",
	/* the cache row; else (a row from before it kept them) a file with
	 * the same content */
	[ST_CACHE_TYPE] = "SELECT mime, magic FROM scan_cache WHERE "
	    "sha256 = ?1 AND rules_hash = ?2 AND mime IS NOT NULL UNION ALL "
	    "SELECT mime, magic FROM (SELECT mime, magic FROM files WHERE "
	    "sha256 = ?1 AND mime IS NOT NULL LIMIT 1) LIMIT 1",
	[ST_FILE_SCAN] = "UPDATE files SET sha256 = coalesce(?2, sha256), "
	    "md5 = coalesce(?3, md5), sha1 = coalesce(?4, sha1), mime = ?5, "
	    "magic = ?6, filetype = ?7, skipped_reason = coalesce(?8, "
	    "skipped_reason) WHERE id = ?1",
	[ST_FILE_TIME] = "SELECT path, coalesce(mtime, ctime, btime, atime) "
	    "FROM files WHERE id = ?",
	/* a collected file's member (never a file-system walk's row) */
	[ST_FILE_BY_PATH] = "SELECT id FROM files WHERE evidence_id = ? AND "
	    "path = ? AND origin IS NOT 'walk' ORDER BY id LIMIT 1",
	[ST_EVIDENCE_MEDIA] = "SELECT id FROM evidence WHERE id != ?3 AND "
	    "(sha256 = ?1 OR media_sha256 = ?1 OR media_md5 = ?2) AND "
	    "status IS NOT 'loading' "
	    "ORDER BY id LIMIT 1",
	[ST_FILE_CONTENT] = "UPDATE files SET "
	    "sha256 = coalesce(?1, sha256), md5 = coalesce(?2, md5), "
	    "sha1 = coalesce(?3, sha1), mime = coalesce(?4, mime), "
	    "magic = coalesce(?5, magic), filetype = coalesce(?6, filetype), "
	    "skipped_reason = coalesce(?7, skipped_reason) WHERE id = ?8",
};

/* The record types of records/list.h, and "other". */
#define RECORD(name) + 1
enum { N_TYPES = 1
#include "records/list.h"
};
#undef RECORD

/* A record type's insert and the parameter of each field. */
struct type_stmt {
	sqlite3_stmt *s;
	int param[IRK_RECORD_MAX_FIELDS];
	/* a type stored once (t->once): is its identity stored already */
	sqlite3_stmt *seen;
	int seen_param[IRK_RECORD_MAX_FIELDS];
	/* the findings its rules declare (findings.c), kept across loads */
	sqlite3_stmt *rules;
};

struct db_stmts {
	sqlite3_stmt *s[ST_COUNT];
	struct type_stmt rec[N_TYPES];
	struct irk_strmap kept;	/* irk_db_kept(): SQL text -> statement */
	char *rules_hash;
	int fresh;		/* created by this open: journal in memory */
};

static int exec(struct irk_db *db, const char *q, struct irk_err *err);

static void
finalize_kept(void *s)
{
	sqlite3_finalize(s);
}

static sqlite3_stmt *
stmt(struct irk_db *db, int which)
{
	struct db_stmts *st = db->stmts;

	/*
	 * The one index a load needs (a collected file's record finds its
	 * member's row), made when first needed: an image load has no such
	 * record and its inserts do not maintain it.
	 */
	if (which == ST_FILE_BY_PATH && st->s[which] == NULL &&
	    exec(db, "CREATE INDEX IF NOT EXISTS files_evidence_path ON "
	    "files (evidence_id, path)", NULL) != IRK_OK)
		return NULL;
	if (st->s[which] == NULL &&
	    sqlite3_prepare_v3(db->h, sql[which], -1, SQLITE_PREPARE_PERSISTENT,
	    &st->s[which], NULL) != SQLITE_OK) {
		return NULL;	/* the caller reports sqlite3_errmsg */
	}
	return st->s[which];
}

/* Step an insert or update; reset and clear.  0 or -1. */
static int
run(struct irk_db *db, sqlite3_stmt *s)
{
	int r = sqlite3_step(s);

	(void)sqlite3_reset(s);
	(void)sqlite3_clear_bindings(s);
	if (r != SQLITE_DONE && r != SQLITE_ROW)
		return -1;
	db->pending++;
	if (db->in_tx && !db->hold && db->pending >= DB_BATCH) {
		if (irk_db_commit(db) != 0 || irk_db_begin(db) != 0)
			return -1;
	}
	return 0;
}

static int
exec(struct irk_db *db, const char *q, struct irk_err *err)
{
	char *msg = NULL;

	if (sqlite3_exec(db->h, q, NULL, NULL, &msg) != SQLITE_OK) {
		if (err != NULL)
			irk_err_set(err, 0, "database: %s", msg ? msg :
			    sqlite3_errmsg(db->h));
		sqlite3_free(msg);
		return IRK_FATAL;
	}
	return IRK_OK;
}

int
irk_db_exec(struct irk_db *db, const char *q, struct irk_err *err)
{
	return exec(db, q, err);
}

/* 1 when table has column, 0 when not, -1 on error. */
static int
has_column(struct irk_db *db, const char *table, const char *column)
{
	sqlite3_stmt *s;
	int have;

	if (sqlite3_prepare_v2(db->h, "SELECT 1 FROM pragma_table_info(?1) "
	    "WHERE name = ?2", -1, &s, NULL) != SQLITE_OK)
		return -1;
	irk_db_bind_text(s, 1, table);
	irk_db_bind_text(s, 2, column);
	have = sqlite3_step(s) == SQLITE_ROW;
	sqlite3_finalize(s);
	return have;
}

/*
 * The columns table has, into *out (initialized here; the caller
 * releases it): one read of its definition rather than one per column.
 * IRK_OK, or IRK_FATAL (sqlite3_errmsg).
 */
static int
table_columns(struct irk_db *db, const char *table, struct irk_strmap *out)
{
	sqlite3_stmt *s;
	int r;

	irk_strmap_init(out, NULL);
	if (sqlite3_prepare_v2(db->h, "SELECT name FROM pragma_table_info(?1)",
	    -1, &s, NULL) != SQLITE_OK)
		return IRK_FATAL;
	irk_db_bind_text(s, 1, table);
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(s, 0);

		if (name != NULL && irk_strmap_put(out, name, NULL) != 0) {
			r = SQLITE_NOMEM;
			break;
		}
	}
	sqlite3_finalize(s);
	if (r != SQLITE_DONE) {
		irk_strmap_release(out);
		return IRK_FATAL;
	}
	return IRK_OK;
}

/*
 * Columns added since schema version 1 was first written, to tables
 * outside the registry (record_tables adds those of record tables).
 */
static int
add_columns(struct irk_db *db, struct irk_err *err)
{
	static const char *const add[][3] = {
		{ "evidence", "media_md5",
		    "ALTER TABLE evidence ADD COLUMN media_md5 TEXT" },
		{ "evidence", "media_sha1",
		    "ALTER TABLE evidence ADD COLUMN media_sha1 TEXT" },
		{ "scan_cache", "mime",
		    "ALTER TABLE scan_cache ADD COLUMN mime TEXT" },
		{ "scan_cache", "magic",
		    "ALTER TABLE scan_cache ADD COLUMN magic TEXT" },
		{ "evidence", "manifest_sha256",
		    "ALTER TABLE evidence ADD COLUMN manifest_sha256 TEXT" },
		{ "evidence", "media_sha256",
		    "ALTER TABLE evidence ADD COLUMN media_sha256 TEXT" },
	};

	for (size_t i = 0; i < sizeof(add) / sizeof(add[0]); i++) {
		int have = has_column(db, add[i][0], add[i][1]);

		if (have < 0) {
			irk_err_set(err, 0, "database: %s",
			    sqlite3_errmsg(db->h));
			return IRK_FATAL;
		}
		if (!have && exec(db, add[i][2], err) != IRK_OK)
			return IRK_FATAL;
	}
	return IRK_OK;
}

/* A type stored once: the index its identity is looked up by. */
static int
once_index(struct irk_db *db, const struct irk_record_type *t,
    struct irk_err *err)
{
	sqlite3_str *q = sqlite3_str_new(db->h);
	char *sqltext;
	int r;

	sqlite3_str_appendf(q, "CREATE INDEX IF NOT EXISTS %s_identity ON "
	    "%s (", t->table, t->table);
	for (int k = 0; t->identity[k] != NULL; k++)
		sqlite3_str_appendf(q, "%s%s", k ? ", " : "", t->identity[k]);
	sqlite3_str_appendall(q, ")");
	if ((sqltext = sqlite3_str_finish(q)) == NULL) {
		irk_err_set(err, ENOMEM, "out of memory");
		return IRK_FATAL;
	}
	r = exec(db, sqltext, err);
	sqlite3_free(sqltext);
	return r;
}

/* The unique index of a type declaring a unique column. */
static int
unique_index(struct irk_db *db, const struct irk_record_type *t,
    struct irk_err *err)
{
	char q[256];

	if (t->unique == NULL)
		return IRK_OK;
	(void)snprintf(q, sizeof(q), "CREATE UNIQUE INDEX IF NOT EXISTS "
	    "%s_unique ON %s (%s)", t->table, t->table, t->unique);
	return exec(db, q, err);
}

/*
 * The table of every record type (schema.sql has those it had when
 * written: for them nothing changes), built from its declaration, and
 * every declared column a case made before it was declared lacks.
 */
static int
record_tables(struct irk_db *db, struct irk_err *err)
{
	for (size_t i = 0; irk_record_types[i] != NULL; i++) {
		const struct irk_record_type *t = irk_record_types[i];
		sqlite3_str *q = sqlite3_str_new(db->h);
		struct irk_strmap have;
		char *sqltext;
		int r;

		sqlite3_str_appendf(q, "CREATE TABLE IF NOT EXISTS %s (id "
		    "INTEGER PRIMARY KEY", t->table);
		for (int k = 0; t->fields[k].column != NULL; k++)
			sqlite3_str_appendf(q, ", %s %s", t->fields[k].column,
			    t->fields[k].sqltype);
		sqlite3_str_appendall(q, ");");
		if ((sqltext = sqlite3_str_finish(q)) == NULL) {
			irk_err_set(err, ENOMEM, "out of memory");
			return IRK_FATAL;
		}
		r = exec(db, sqltext, err);
		sqlite3_free(sqltext);
		if (r != IRK_OK || (t->once && (r = once_index(db, t, err)) !=
		    IRK_OK))
			return r;
		if ((r = table_columns(db, t->table, &have)) != IRK_OK) {
			irk_err_set(err, 0, "database: %s",
			    sqlite3_errmsg(db->h));
			return r;
		}
		for (int k = 0; t->fields[k].column != NULL; k++) {
			char add[256];

			if (irk_strmap_has(&have, t->fields[k].column))
				continue;
			(void)snprintf(add, sizeof(add), "ALTER TABLE %s ADD "
			    "COLUMN %s %s", t->table, t->fields[k].column,
			    t->fields[k].sqltype);
			if (exec(db, add, err) != IRK_OK) {
				irk_err_set(err, 0, "database: %s",
				    sqlite3_errmsg(db->h));
				irk_strmap_release(&have);
				return IRK_FATAL;
			}
		}
		irk_strmap_release(&have);
		if (unique_index(db, t, err) != IRK_OK)
			return IRK_FATAL;
	}
	return IRK_OK;
}

/* 1 when the database file has no page yet (created now), 0, or -1. */
static int
is_fresh(struct irk_db *db)
{
	sqlite3_stmt *s;
	int r = -1;

	if (sqlite3_prepare_v2(db->h, "PRAGMA page_count", -1, &s, NULL) !=
	    SQLITE_OK)
		return -1;
	if (sqlite3_step(s) == SQLITE_ROW)
		r = sqlite3_column_int64(s, 0) == 0;
	sqlite3_finalize(s);
	return r;
}

/* Binding helpers: NULL strings, IRK_TIME_NONE and -1 ids become NULL. */
void
irk_db_bind_text(sqlite3_stmt *s, int i, const char *v)
{
	/* every statement is stepped before the caller lets go of v */
	if (v == NULL)
		(void)sqlite3_bind_null(s, i);
	else
		(void)sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
}

void
irk_db_bind_time(sqlite3_stmt *s, int i, int64_t v)
{
	if (v == IRK_TIME_NONE)
		(void)sqlite3_bind_null(s, i);
	else
		(void)sqlite3_bind_int64(s, i, v);
}

static void
bind_id(sqlite3_stmt *s, int i, int64_t v)
{
	if (v <= 0)
		(void)sqlite3_bind_null(s, i);
	else
		(void)sqlite3_bind_int64(s, i, v);
}

static void
bind_num(sqlite3_stmt *s, int i, int64_t v)
{
	if (v == -1)
		(void)sqlite3_bind_null(s, i);
	else
		(void)sqlite3_bind_int64(s, i, v);
}

static int open_db(struct irk_db **, const char *, int, struct irk_err *);

int
irk_db_open(struct irk_db **out, const char *path, struct irk_err *err)
{
	return open_db(out, path, 0, err);
}

struct irk_db *
irk_db_new(void)
{
	struct irk_db *db;

	if ((db = calloc(1, sizeof(*db))) == NULL ||
	    (db->stmts = calloc(1, sizeof(struct db_stmts))) == NULL) {
		free(db);
		return NULL;
	}
	irk_strmap_init(&((struct db_stmts *)db->stmts)->kept, finalize_kept);
	db->lock_fd = -1;
	return db;
}

sqlite3_stmt *
irk_db_kept(struct irk_db *db, const char *text)
{
	struct db_stmts *st = db->stmts;
	sqlite3_stmt *s = irk_strmap_get(&st->kept, text);

	if (s != NULL) {
		(void)sqlite3_reset(s);
		(void)sqlite3_clear_bindings(s);
		return s;
	}
	if (sqlite3_prepare_v3(db->h, text, -1, SQLITE_PREPARE_PERSISTENT, &s,
	    NULL) != SQLITE_OK)
		return NULL;	/* the caller reports sqlite3_errmsg */
	if (irk_strmap_put(&st->kept, text, s) != 0) {
		sqlite3_finalize(s);
		return NULL;
	}
	return s;
}

static int
open_db(struct irk_db **out, const char *path, int fast, struct irk_err *err)
{
	struct irk_db *db;
	int r, fresh;

	*out = NULL;
	if ((db = irk_db_new()) == NULL) {
		irk_err_set(err, ENOMEM, "out of memory");
		return IRK_FATAL;
	}
	/* no allocation statistics: a global lock on every malloc */
	(void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	/* one thread per connection: no per-call mutexes */
	r = sqlite3_open_v2(path, &db->h, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_NOMUTEX,
	    NULL);
	if (r != SQLITE_OK) {
		irk_err_set(err, 0, "cannot open database '%s': %s", path,
		    db->h ? sqlite3_errmsg(db->h) : "out of memory");
		goto fail;
	}
	(void)sqlite3_busy_timeout(db->h, 10000);
	/*
	 * Memory bounded by the page cache (128 MiB), whatever is loaded:
	 * temporary storage in files, since SQLite's sorter keeps a sort
	 * whole when it is in memory (the indexes of a first load were
	 * sorted in RAM)
	 */
	if (exec(db, "PRAGMA synchronous = OFF; PRAGMA cache_size = -131072; "
	    "PRAGMA temp_store = FILE; PRAGMA foreign_keys = OFF;", err) !=
	    IRK_OK || (fresh = is_fresh(db)) < 0)
		goto fail;
	/*
	 * before the first table: larger pages for a new case, and the
	 * cache's size again (it was counted in pages of the old size:
	 * four times the bytes)
	 */
	if (fresh && exec(db, "PRAGMA page_size = 16384; "
	    "PRAGMA cache_size = -131072", err) != IRK_OK)
		goto fail;
	fresh = fresh && fast;
	/*
	 * irk_db_open_writer(fast): a new case is built with its rollback
	 * journal in memory (each page written once, no WAL to checkpoint) and turned to
	 * WAL when closed; an interrupted first load leaves a case to delete
	 * and load again.  Otherwise, and for an existing case, the writes go
	 * through the WAL, so a killed load leaves a consistent case whose
	 * 'loading' evidence row the next load redoes.
	 */
	((struct db_stmts *)db->stmts)->fresh = fresh;
	if (exec(db, fresh ? "PRAGMA journal_mode = MEMORY;" :
	    "PRAGMA journal_mode = WAL; "
	    "PRAGMA wal_autocheckpoint = 16384;", err) != IRK_OK)
		goto fail;
	/* one transaction: not one lock and write per statement */
	if (exec(db, "BEGIN", err) != IRK_OK)
		goto fail;
	if (exec(db, irk_schema_sql, err) != IRK_OK ||
	    add_columns(db, err) != IRK_OK ||
	    record_tables(db, err) != IRK_OK ||
	    exec(db, "INSERT OR IGNORE INTO meta (key, value) VALUES "
	    "('schema_version', '1'), ('created_by', 'irkit-analyze'); COMMIT",
	    err) != IRK_OK) {
		(void)sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
		goto fail;
	}
	*out = db;
	return IRK_OK;
fail:
	irk_db_close(db);
	return IRK_FATAL;
}

void
irk_db_close(struct irk_db *db)
{
	struct db_stmts *st;

	if (db == NULL)
		return;
	st = db->stmts;
	if (st != NULL)
		irk_strmap_release(&st->kept);
	if (db->in_tx)
		(void)irk_db_commit(db);
	/*
	 * Left in WAL mode.  An existing case is synced (synchronous NORMAL
	 * for the checkpoint); a case this run created is not: its pages
	 * are in the page cache and everything in it can be loaded again
	 * from the evidence, and an fsync of a fresh file costs more than
	 * the load of a small image.  A reader only closes.
	 */
	if (db->h != NULL && !db->reader)
		(void)sqlite3_exec(db->h, st->fresh ?
		    "PRAGMA journal_mode = WAL; "
		    "PRAGMA wal_checkpoint(TRUNCATE)" :
		    "PRAGMA synchronous = NORMAL; PRAGMA journal_mode = WAL; "
		    "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
	if (st != NULL) {
		for (int i = 0; i < ST_COUNT; i++)
			sqlite3_finalize(st->s[i]);
		for (int i = 0; i < N_TYPES; i++) {
			sqlite3_finalize(st->rec[i].s);
			sqlite3_finalize(st->rec[i].seen);
			sqlite3_finalize(st->rec[i].rules);
		}
		free(st->rules_hash);
		free(st);
	}
	if (db->h != NULL)
		sqlite3_close_v2(db->h);
	if (db->lock_fd >= 0)
		(void)close(db->lock_fd);
	free(db->hostname);
	free(db);
}

/* An exclusive flock(2) on path (created): its descriptor, or -1. */
static int
lock_file(const char *path, struct irk_err *err)
{
	int fd, e;

	fd = open(path, O_RDONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0) {
		irk_err_set(err, errno, "cannot open '%s' to lock it", path);
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) == 0)
		return fd;
	e = errno;
	(void)close(fd);
	irk_err_set(err, e, e == EWOULDBLOCK ? "'%s' is being loaded by "
	    "another irkit-analyze; wait for it to finish" :
	    "cannot lock '%s'", path);
	return -1;
}

int
irk_db_open_writer(struct irk_db **out, const char *path, int fast,
    struct irk_err *err)
{
	int fd, r;

	*out = NULL;
	/* the lock first: a running load holds SQLite's locks too */
	if ((fd = lock_file(path, err)) < 0)
		return IRK_FAIL;
	r = open_db(out, path, fast, err);
	if (r != IRK_OK) {
		(void)close(fd);
		return r;
	}
	(*out)->lock_fd = fd;
	return IRK_OK;
}

int
irk_db_being_loaded(const char *path)
{
	int fd, busy = 0;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0)
		return 0;	/* the caller says why it cannot read it */
	if (flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK)
		busy = 1;
	(void)close(fd);
	return busy;
}

int64_t
irk_db_count(struct irk_db *db, const char *table)
{
	static const char *const ok[] = { "events", "findings", "files",
	    "yara_matches", "evidence", NULL };
	char q[96];
	size_t i;

	for (i = 0; ok[i] != NULL && strcmp(ok[i], table) != 0; i++)
		;
	if (ok[i] == NULL)
		return -1;
	(void)snprintf(q, sizeof(q), "SELECT count(*) FROM %s", ok[i]);
	return irk_db_scalar(db, q);
}

int64_t
irk_db_scalar(struct irk_db *db, const char *q)
{
	sqlite3_stmt *st = NULL;
	int64_t v = -1;

	if (sqlite3_prepare_v2(db->h, q, -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* One integer from q, or -1; *found: a row came. */
static int64_t
one_int(sqlite3 *h, const char *q, int *found)
{
	sqlite3_stmt *s;
	int64_t n = -1;

	*found = 0;
	if (sqlite3_prepare_v2(h, q, -1, &s, NULL) != SQLITE_OK)
		return -1;
	switch (sqlite3_step(s)) {
	case SQLITE_ROW:
		*found = 1;
		n = sqlite3_column_int64(s, 0);
		break;
	case SQLITE_DONE:
		n = 0;
		break;
	}
	sqlite3_finalize(s);
	return n;
}

/*
 * count(*) of table (a name from the registry or this file); 0 when the
 * case has no such table (made before its record type), -1 on error.
 */
static int64_t
count_rows(sqlite3 *h, const char *table)
{
	char q[160];
	int found;

	(void)snprintf(q, sizeof(q), "SELECT 1 FROM sqlite_master WHERE "
	    "type = 'table' AND name = '%s'", table);
	if (one_int(h, q, &found) < 0)
		return -1;
	if (!found)
		return 0;
	(void)snprintf(q, sizeof(q), "SELECT count(*) FROM %s", table);
	return one_int(h, q, &found);
}

int
irk_db_counts(struct irk_db *db, void (*cb)(void *, const char *, int64_t),
    void *arg)
{
	sqlite3 *h = db->h;
	static const char *const after[][2] = {
		{ "events", "events" }, { "yara_matches", "YARA matches" },
		{ "ioc_hits", "IOC hits" }, { "findings", "findings" },
	};
	int64_t n;
	size_t i;

	if ((n = count_rows(h, "evidence")) < 0)
		return IRK_FATAL;
	cb(arg, "evidence", n);
	for (i = 0; irk_record_types[i] != NULL; i++) {
		if (irk_record_types[i]->count_label == NULL)
			continue;
		if ((n = count_rows(h, irk_record_types[i]->table)) < 0)
			return IRK_FATAL;
		cb(arg, irk_record_types[i]->count_label, n);
	}
	for (i = 0; i < sizeof(after) / sizeof(after[0]); i++) {
		if ((n = count_rows(h, after[i][0])) < 0)
			return IRK_FATAL;
		cb(arg, after[i][1], n);
	}
	return IRK_OK;
}

int
irk_db_begin(struct irk_db *db)
{
	if (db->in_tx)
		return IRK_OK;
	if (exec(db, "BEGIN", NULL) != IRK_OK)
		return IRK_FATAL;
	db->in_tx = 1;
	db->pending = 0;
	return IRK_OK;
}

int
irk_db_commit(struct irk_db *db)
{
	if (!db->in_tx)
		return IRK_OK;
	db->in_tx = 0;
	db->pending = 0;
	return exec(db, "COMMIT", NULL);
}

int
irk_db_rollback(struct irk_db *db)
{
	if (!db->in_tx)
		return IRK_OK;
	db->in_tx = 0;
	db->pending = 0;
	return exec(db, "ROLLBACK", NULL);
}

#define TIMELINE_INDEXES \
"CREATE INDEX IF NOT EXISTS events_ts ON events (ts);" \
"CREATE INDEX IF NOT EXISTS events_record ON events (record_table, record_id);" \
"CREATE INDEX IF NOT EXISTS files_sha256 ON files (sha256) " \
"    WHERE sha256 IS NOT NULL;" \
"CREATE INDEX IF NOT EXISTS files_evidence_path ON files (evidence_id, path);"

int
irk_db_timeline_indexes(struct irk_db *db)
{
	return exec(db, TIMELINE_INDEXES, NULL);
}

static const char finish_sql[] =
TIMELINE_INDEXES
"CREATE INDEX IF NOT EXISTS yara_file ON yara_matches (file_id);"
"CREATE INDEX IF NOT EXISTS yara_sha ON yara_matches (sha256, rules_hash);"
"CREATE INDEX IF NOT EXISTS ioc_file ON ioc_hits (file_id);"
"CREATE INDEX IF NOT EXISTS processes_pid ON processes (evidence_id, pid);"
"CREATE INDEX IF NOT EXISTS sockets_process ON sockets (process_id);"
"CREATE INDEX IF NOT EXISTS services_evidence ON services (evidence_id);"
"CREATE INDEX IF NOT EXISTS tasks_evidence ON tasks (evidence_id);"
"CREATE INDEX IF NOT EXISTS certificates_sha256 ON certificates (sha256);"
"CREATE INDEX IF NOT EXISTS keys_public ON private_keys (public_sha256);"
"CREATE INDEX IF NOT EXISTS findings_score ON findings (score);"
"CREATE INDEX IF NOT EXISTS finding_links_finding ON finding_links "
"    (finding_id);"
"CREATE INDEX IF NOT EXISTS finding_links_record ON finding_links "
"    (record_table, record_id);"
"CREATE INDEX IF NOT EXISTS log_evidence ON log (evidence_id);"
/* views: the questions responders ask first */
"CREATE VIEW IF NOT EXISTS v_findings AS"
"  SELECT f.id, f.score, f.title, f.category, f.reasons,"
"    strftime('%Y-%m-%dT%H:%M:%fZ', f.ts / 1000000.0, 'unixepoch') AS time,"
"    h.hostname AS host, e.path AS evidence"
"  FROM findings f LEFT JOIN hosts h ON h.id = f.host_id"
"  LEFT JOIN evidence e ON e.id = f.evidence_id"
"  ORDER BY f.score DESC, f.id;"
"CREATE VIEW IF NOT EXISTS v_timeline AS"
"  SELECT strftime('%Y-%m-%dT%H:%M:%fZ', ts / 1000000.0, 'unixepoch') AS time,"
"    ts, ts_desc, macb, source, host, path, message, evidence_id,"
"    record_table, record_id FROM events ORDER BY ts, id;"
"CREATE VIEW IF NOT EXISTS v_suspicious_processes AS"
"  SELECT p.id, h.hostname AS host, p.pid, p.ppid, p.name, p.exe,"
"    p.exe_deleted, p.hidden, p.user, p.cmdline,"
"    strftime('%Y-%m-%dT%H:%M:%SZ', p.start_time / 1000000.0, 'unixepoch')"
"      AS started,"
"    CASE WHEN p.exe_deleted THEN 'executable deleted'"
"      WHEN p.hidden THEN 'hidden from the /proc listing'"
"      ELSE 'executable in a temporary directory' END AS why"
"  FROM processes p LEFT JOIN hosts h ON h.id = p.host_id"
"  WHERE p.exe_deleted = 1 OR p.hidden = 1"
"    OR p.exe LIKE '/tmp/%' OR p.exe LIKE '/var/tmp/%'"
"    OR p.exe LIKE '/dev/shm/%';"
"CREATE VIEW IF NOT EXISTS v_writable_persistence AS"
"  SELECT 'services' AS record_table, s.id AS record_id, h.hostname AS host,"
"    s.kind, s.name, s.user, coalesce(s.image_path, s.command) AS program,"
"    s.command, s.fragment_path AS source_path"
"  FROM services s LEFT JOIN hosts h ON h.id = s.host_id"
"  WHERE coalesce(s.enabled, 1) = 1 AND coalesce(s.masked, 0) = 0 AND ("
"    coalesce(s.image_path, s.command) GLOB '/tmp/*' OR"
"    coalesce(s.image_path, s.command) GLOB '/var/tmp/*' OR"
"    coalesce(s.image_path, s.command) GLOB '/dev/shm/*' OR"
"    coalesce(s.image_path, s.command) GLOB '/home/*' OR"
"    coalesce(s.image_path, s.command) GLOB '/run/user/*' OR"
"    coalesce(s.image_path, s.command) GLOB '/var/www/*' OR"
"    coalesce(s.image_path, s.command) GLOB '*\\Users\\*' OR"
"    coalesce(s.image_path, s.command) GLOB '*\\Temp\\*' OR"
"    coalesce(s.image_path, s.command) GLOB '*\\ProgramData\\*')"
"  UNION ALL"
"  SELECT 'tasks', t.id, h.hostname, t.kind, coalesce(t.name, t.schedule),"
"    t.user, t.command, t.command, t.source_path"
"  FROM tasks t LEFT JOIN hosts h ON h.id = t.host_id"
"  WHERE t.command GLOB '*/tmp/*' OR t.command GLOB '*/dev/shm/*' OR"
"    t.command GLOB '*/home/*' OR t.command GLOB '*/run/user/*' OR"
"    t.command GLOB '*/var/www/*' OR t.command GLOB '*\\Users\\*' OR"
"    t.command GLOB '*\\Temp\\*' OR t.command GLOB '*\\ProgramData\\*';"
"CREATE VIEW IF NOT EXISTS v_untrusted_roots AS"
"  SELECT c.id, h.hostname AS host, c.path, c.subject, c.issuer, c.sha256,"
"    strftime('%Y-%m-%d', c.not_before / 1000000.0, 'unixepoch') AS not_before,"
"    strftime('%Y-%m-%d', c.not_after / 1000000.0, 'unixepoch') AS not_after"
"  FROM certificates c LEFT JOIN hosts h ON h.id = c.host_id"
"  WHERE c.in_trust_store = 1 AND (c.is_ca = 1 OR c.self_signed = 1)"
"    AND coalesce(c.shipped_by_os, 0) = 0;"
"CREATE VIEW IF NOT EXISTS v_yara_hits AS"
"  SELECT y.rule, y.namespace, y.score, f.path, f.sha256, h.hostname AS host,"
"    f.evidence_id, f.id AS file_id"
"  FROM yara_matches y JOIN files f ON f.id = y.file_id"
"  LEFT JOIN hosts h ON h.id = f.host_id ORDER BY y.score DESC, f.path;";

int
irk_db_finish_load(struct irk_db *db, struct irk_err *err)
{
	if (irk_db_commit(db) != IRK_OK) {
		irk_err_set(err, 0, "database: %s", sqlite3_errmsg(db->h));
		return IRK_FATAL;
	}
	/* one transaction: each index is written once, not committed alone */
	if (exec(db, "BEGIN", err) != IRK_OK)
		return IRK_FATAL;
	if (exec(db, finish_sql, err) != IRK_OK ||
	    exec(db, "COMMIT", err) != IRK_OK) {
		(void)sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
		return IRK_FATAL;
	}
	/* statistics from a sample of each index: enough for the planner */
	return exec(db, ((struct db_stmts *)db->stmts)->fresh ?
	    "PRAGMA analysis_limit = 1000; ANALYZE;" :
	    "PRAGMA analysis_limit = 1000; ANALYZE; "
	    "PRAGMA synchronous = NORMAL;", err);
}

/*
 * Remove everything one evidence row brought into the case, and the scan
 * cache entries whose matches went with it (their yara_matches rows were
 * the copies later files link to).  Inside the caller's transaction.
 */
static int
forget_evidence(struct irk_db *db, int64_t id)
{
	char q[512];
	sqlite3_stmt *s;
	int ok = 1;

#define FORGET(sql) do {						\
	if (ok && (sqlite3_prepare_v2(db->h, (sql), -1, &s, NULL) !=	\
	    SQLITE_OK || sqlite3_bind_int64(s, 1, id) != SQLITE_OK ||	\
	    sqlite3_step(s) != SQLITE_DONE))				\
		ok = 0;							\
	sqlite3_finalize(s);						\
	s = NULL;							\
} while (0)
	s = NULL;
	FORGET("DELETE FROM finding_links WHERE finding_id IN (SELECT id "
	    "FROM findings WHERE evidence_id = ?1)");
	FORGET("DELETE FROM findings WHERE evidence_id = ?1");
	FORGET("DELETE FROM baselines WHERE evidence_id = ?1");
	FORGET("DELETE FROM yara_matches WHERE file_id IN (SELECT id FROM "
	    "files WHERE evidence_id = ?1)");
	FORGET("DELETE FROM ioc_hits WHERE file_id IN (SELECT id FROM files "
	    "WHERE evidence_id = ?1)");
	/* the tables of the record types, files among them */
	for (int i = 0; irk_record_types[i] != NULL; i++) {
		(void)snprintf(q, sizeof(q), "DELETE FROM ioc_hits WHERE "
		    "record_table = '%s' AND record_id IN (SELECT id FROM %s "
		    "WHERE evidence_id = ?1)", irk_record_types[i]->table,
		    irk_record_types[i]->table);
		FORGET(q);
	}
	FORGET("DELETE FROM events WHERE evidence_id = ?1");
	for (int i = 0; irk_record_types[i] != NULL; i++) {
		(void)snprintf(q, sizeof(q), "DELETE FROM %s WHERE "
		    "evidence_id = ?1", irk_record_types[i]->table);
		FORGET(q);
	}
	FORGET("DELETE FROM log WHERE evidence_id = ?1");
	FORGET("DELETE FROM evidence WHERE id = ?1");
#undef FORGET
	if (ok && exec(db, "DELETE FROM scan_cache WHERE matches > 0 AND NOT "
	    "EXISTS (SELECT 1 FROM yara_matches y WHERE y.sha256 = "
	    "scan_cache.sha256 AND y.rules_hash = scan_cache.rules_hash)",
	    NULL) != IRK_OK)
		ok = 0;
	return ok ? IRK_OK : IRK_FATAL;
}

int
irk_db_evidence_add(struct irk_db *db, const char *path, const char *sha256,
    uint64_t size, const char *kind, const char *format, int64_t *id,
    struct irk_err *err)
{
	sqlite3_stmt *s;
	int r;

	db->replaced = 0;
	if ((s = stmt(db, ST_EVIDENCE_FIND)) == NULL)
		goto fail;
	irk_db_bind_text(s, 1, sha256);
	r = sqlite3_step(s);
	if (r == SQLITE_ROW) {
		const unsigned char *st = sqlite3_column_text(s, 1);

		*id = sqlite3_column_int64(s, 0);
		if (st == NULL || strcmp((const char *)st, "loading") != 0) {
			sqlite3_reset(s);
			return 1;
		}
		/* a load that never finished (killed, crashed): redo it */
		sqlite3_reset(s);
		if (forget_evidence(db, *id) != IRK_OK)
			goto fail;
		db->replaced = *id;
		r = SQLITE_DONE;
	} else
		sqlite3_reset(s);
	if (r != SQLITE_DONE || (s = stmt(db, ST_EVIDENCE_ADD)) == NULL)
		goto fail;
	irk_db_bind_text(s, 1, path);
	irk_db_bind_text(s, 2, sha256);
	(void)sqlite3_bind_int64(s, 3, (sqlite3_int64)size);
	irk_db_bind_text(s, 4, kind);
	irk_db_bind_text(s, 5, format);
	(void)sqlite3_bind_int64(s, 6, irk_now_us());
	if (run(db, s) != 0)
		goto fail;
	*id = db->evidence_id = sqlite3_last_insert_rowid(db->h);
	db->host_id = 0;
	free(db->hostname);
	db->hostname = NULL;
	/*
	 * The row (and the removal of an interrupted earlier load) in a
	 * transaction of its own, committed before the bulk load: a load
	 * killed before its first batch commit still leaves 'loading'.
	 */
	if (db->in_tx && (irk_db_commit(db) != IRK_OK ||
	    irk_db_begin(db) != IRK_OK))
		goto fail;
	return 0;
fail:
	irk_err_set(err, 0, "database: %s", sqlite3_errmsg(db->h));
	return IRK_FATAL;
}

int
irk_db_rule_problems(struct irk_db *db, const struct irk_scan *s)
{
	const json_t *re = irk_scan_rule_errors(s);
	json_t *e;
	size_t i;

	if (!irk_scan_user_rules_usable(s))
		return IRK_FATAL;
	json_array_foreach(re, i, e)
		if (irk_db_log(db, irk_now_us(), "error", "rules", NULL,
		    json_string_value(e)) != IRK_OK)
			return IRK_FATAL;
	return (int)json_array_size(re);
}

int
irk_db_evidence_forget(struct irk_db *db, int64_t id)
{
	return forget_evidence(db, id);
}

int
irk_db_manifest_find(struct irk_db *db, const char *manifest_sha256,
    int64_t not_id, int64_t *id)
{
	sqlite3_stmt *s;
	int r;

	if (sqlite3_prepare_v2(db->h, "SELECT id FROM evidence WHERE "
	    "manifest_sha256 = ?1 AND id != ?2 AND verify = 'intact' AND "
	    "status = 'complete' ORDER BY id LIMIT 1", -1, &s, NULL) !=
	    SQLITE_OK)
		return IRK_FATAL;
	irk_db_bind_text(s, 1, manifest_sha256);
	(void)sqlite3_bind_int64(s, 2, not_id);
	r = sqlite3_step(s);
	if (r == SQLITE_ROW)
		*id = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	if (r != SQLITE_ROW && r != SQLITE_DONE)
		return IRK_FATAL;
	return r == SQLITE_ROW;
}

static const char *const evidence_cols[] = {
	"path", "size", "kind", "format", "host_id", "case_id", "examiner",
	"collected_start", "collected_end", "tool", "verify", "verify_detail",
	"status", "manifest", "sha256", "media_md5", "media_sha1",
	"manifest_sha256", "media_sha256", NULL,
};

int
irk_db_evidence_md5_keyed(struct irk_db *db)
{
	sqlite3_stmt *s;
	int r;

	if (sqlite3_prepare_v2(db->h, "SELECT 1 FROM evidence WHERE "
	    "sha256 GLOB 'ewf-md5:*' LIMIT 1", -1, &s, NULL) != SQLITE_OK)
		return IRK_FATAL;
	r = sqlite3_step(s);
	sqlite3_finalize(s);
	if (r != SQLITE_ROW && r != SQLITE_DONE)
		return IRK_FATAL;
	return r == SQLITE_ROW;
}

int
irk_db_evidence_find(struct irk_db *db, const char *sha256, const char *md5,
    int64_t not_id, int64_t *id)
{
	sqlite3_stmt *s = stmt(db, ST_EVIDENCE_MEDIA);
	int r;

	if (s == NULL)
		return IRK_FATAL;
	irk_db_bind_text(s, 1, sha256);
	irk_db_bind_text(s, 2, md5 != NULL && md5[0] ? md5 : NULL);
	(void)sqlite3_bind_int64(s, 3, not_id);
	r = sqlite3_step(s);
	if (r == SQLITE_ROW)
		*id = sqlite3_column_int64(s, 0);
	(void)sqlite3_reset(s);
	(void)sqlite3_clear_bindings(s);
	if (r != SQLITE_ROW && r != SQLITE_DONE)
		return IRK_FATAL;
	return r == SQLITE_ROW;
}

int
irk_db_evidence_set(struct irk_db *db, int64_t id, json_t *cols)
{
	const char *key;
	json_t *v;
	int r = IRK_OK;

	json_object_foreach(cols, key, v) {
		char q[128];
		sqlite3_stmt *s;
		size_t i;

		for (i = 0; evidence_cols[i] != NULL; i++)
			if (strcmp(evidence_cols[i], key) == 0)
				break;
		if (evidence_cols[i] == NULL) {
			r = IRK_FAIL;
			continue;
		}
		(void)snprintf(q, sizeof(q), "UPDATE evidence SET %s = ? "
		    "WHERE id = ?", evidence_cols[i]);
		if (sqlite3_prepare_v2(db->h, q, -1, &s, NULL) != SQLITE_OK)
			return IRK_FATAL;
		irk_db_bind_json(s, 1, v);
		(void)sqlite3_bind_int64(s, 2, id);
		if (sqlite3_step(s) != SQLITE_DONE)
			r = IRK_FATAL;
		sqlite3_finalize(s);
	}
	return r;
}

int
irk_db_host(struct irk_db *db, json_t *hi, int64_t *id)
{
	const char *hostname = irk_j_str(hi, "hostname");
	const char *mid = irk_j_str(hi, "machine_id");
	const char *os = NULL;
	json_t *osr = json_object_get(hi, "os_release");
	sqlite3_stmt *s;
	char *facts;
	int r;

	if (json_is_object(osr))
		os = irk_j_str(osr, "PRETTY_NAME");
	else if (json_is_string(osr))
		os = json_string_value(osr);
	if (os == NULL)
		os = irk_j_str(hi, "os");
	if ((s = stmt(db, ST_HOST_FIND)) == NULL)
		return IRK_FATAL;
	irk_db_bind_text(s, 1, hostname);
	irk_db_bind_text(s, 2, mid);
	r = sqlite3_step(s);
	if (r == SQLITE_ROW) {
		*id = sqlite3_column_int64(s, 0);
		sqlite3_reset(s);
		goto done;
	}
	sqlite3_reset(s);
	if ((s = stmt(db, ST_HOST_ADD)) == NULL)
		return IRK_FATAL;
	irk_db_bind_text(s, 1, hostname);
	irk_db_bind_text(s, 2, mid);
	irk_db_bind_text(s, 3, os);
	irk_db_bind_text(s, 4, irk_j_str(hi, "kernel"));
	irk_db_bind_text(s, 5, irk_j_str(hi, "arch"));
	irk_db_bind_time(s, 6, irk_j_time(hi, "boot_time"));
	irk_db_bind_text(s, 7, irk_j_str(hi, "timezone"));
	facts = json_dumps(hi, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (facts != NULL)
		(void)sqlite3_bind_text(s, 8, facts, -1, free);
	if (run(db, s) != 0)
		return IRK_FATAL;
	*id = sqlite3_last_insert_rowid(db->h);
done:
	db->host_id = *id;
	free(db->hostname);
	db->hostname = hostname ? strdup(hostname) : NULL;
	if (db->evidence_id > 0) {
		sqlite3_stmt *u;

		if (sqlite3_prepare_v2(db->h, "UPDATE evidence SET host_id = ? "
		    "WHERE id = ?", -1, &u, NULL) == SQLITE_OK) {
			(void)sqlite3_bind_int64(u, 1, *id);
			(void)sqlite3_bind_int64(u, 2, db->evidence_id);
			(void)sqlite3_step(u);
			sqlite3_finalize(u);
		}
	}
	return IRK_OK;
}

int
irk_db_file_add(struct irk_db *db, const struct irk_db_file *f, int64_t *id)
{
	sqlite3_stmt *s = stmt(db, ST_FILE_ADD);

	if (s == NULL)
		return IRK_FATAL;
	bind_id(s, 1, db->evidence_id);
	bind_id(s, 2, db->host_id);
	irk_db_bind_text(s, 3, f->path ? f->path : "");
	bind_num(s, 4, f->size);
	irk_db_bind_text(s, 5, f->sha256);
	irk_db_bind_text(s, 6, f->md5);
	irk_db_bind_text(s, 7, f->sha1);
	irk_db_bind_text(s, 8, f->mime);
	irk_db_bind_text(s, 9, f->magic);
	irk_db_bind_text(s, 10, f->filetype);
	irk_db_bind_text(s, 11, f->mode);
	bind_num(s, 12, f->uid);
	bind_num(s, 13, f->gid);
	irk_db_bind_text(s, 14, f->owner);
	bind_num(s, 15, f->inode);
	irk_db_bind_time(s, 16, f->atime);
	irk_db_bind_time(s, 17, f->mtime);
	irk_db_bind_time(s, 18, f->ctime);
	irk_db_bind_time(s, 19, f->btime);
	(void)sqlite3_bind_int(s, 20, f->deleted ? 1 : 0);
	irk_db_bind_text(s, 21, f->skipped_reason);
	irk_db_bind_text(s, 22, f->origin);
	irk_db_bind_text(s, 23, f->volume);
	irk_db_bind_text(s, 24, f->meta_addr);
	irk_db_bind_text(s, 25, f->body_name);
	irk_db_bind_text(s, 26, f->stream);
	irk_db_bind_text(s, 27, f->why);
	if (run(db, s) != 0)
		return IRK_FATAL;
	if (id != NULL)
		*id = sqlite3_last_insert_rowid(db->h);
	return IRK_OK;
}

/*
 * plaso's and mactime's names for the four times; times that agree are
 * one event with the letters combined ("MA.." ...).
 */
int
irk_db_file_events(struct irk_db *db, const struct irk_db_file *f,
    int64_t file_id)
{
	static const char *const desc[4] = {
		"Content Modification Time", "Last Access Time",
		"Metadata Modification Time", "Creation Time",
	};
	int64_t t[4] = { f->mtime, f->atime, f->ctime, f->btime };
	int done[4] = { 0, 0, 0, 0 };
	int r = IRK_OK;

	for (int i = 0; i < 4; i++) {
		char macb[5] = "....", d[160];
		size_t dl = 0;

		if (t[i] == IRK_TIME_NONE || done[i])
			continue;
		d[0] = '\0';
		for (int j = i; j < 4; j++) {
			if (t[j] != t[i] || done[j])
				continue;
			done[j] = 1;
			macb[j] = "MACB"[j];
			dl += (size_t)snprintf(d + dl, sizeof(d) - dl, "%s%s",
			    dl ? "; " : "", desc[j]);
			if (dl >= sizeof(d))
				dl = sizeof(d) - 1;
		}
		if (irk_db_event(db, t[i], d, macb, "FILE", f->path,
		    f->skipped_reason, "files", file_id) != IRK_OK)
			r = IRK_FATAL;
	}
	return r;
}

/* A collected file's record: complete the files row its copy made. */
int
irk_db_file_collected(struct irk_db *db, const struct irk_db_file *fp,
    int64_t *id)
{
	struct irk_db_file f = *fp;
	const char *path = f.path;
	sqlite3_stmt *s;
	int64_t fid = 0;
	int r;

	if (path != NULL && (s = stmt(db, ST_FILE_BY_PATH)) != NULL) {
		bind_id(s, 1, db->evidence_id);
		irk_db_bind_text(s, 2, path);
		if (sqlite3_step(s) == SQLITE_ROW)
			fid = sqlite3_column_int64(s, 0);
		sqlite3_reset(s);
		sqlite3_clear_bindings(s);
	}
	if (fid > 0) {
		/* the member was loaded first, with the tar header's view;
		 * its times on the timeline come from this record */
		if ((s = stmt(db, ST_FILE_UPDATE)) == NULL)
			return IRK_FATAL;
		(void)sqlite3_bind_int64(s, 1, fid);
		bind_num(s, 2, f.size);
		irk_db_bind_text(s, 3, f.sha256);
		irk_db_bind_text(s, 4, f.mode);
		bind_num(s, 5, f.uid);
		bind_num(s, 6, f.gid);
		irk_db_bind_text(s, 7, f.owner);
		bind_num(s, 8, f.inode);
		irk_db_bind_time(s, 9, f.atime);
		irk_db_bind_time(s, 10, f.mtime);
		irk_db_bind_time(s, 11, f.ctime);
		irk_db_bind_time(s, 12, f.btime);
		irk_db_bind_text(s, 13, f.skipped_reason);
		irk_db_bind_text(s, 14, f.why);
		if (run(db, s) != 0)
			return IRK_FATAL;
		*id = fid;
		return irk_db_file_events(db, &f, fid);
	}
	if ((r = irk_db_file_add(db, &f, &fid)) != IRK_OK)
		return r;
	*id = fid;
	return irk_db_file_events(db, &f, fid);
}


int
irk_db_event(struct irk_db *db, int64_t ts, const char *ts_desc,
    const char *macb, const char *source, const char *path,
    const char *message, const char *record_table, int64_t record_id)
{
	sqlite3_stmt *s;

	if (ts == IRK_TIME_NONE)
		return IRK_OK;
	if ((s = stmt(db, ST_EVENT)) == NULL)
		return IRK_FATAL;
	(void)sqlite3_bind_int64(s, 1, ts);
	irk_db_bind_text(s, 2, ts_desc);
	irk_db_bind_text(s, 3, macb);
	irk_db_bind_text(s, 4, source);
	irk_db_bind_text(s, 5, db->hostname);
	irk_db_bind_text(s, 6, path);
	irk_db_bind_text(s, 7, message);
	bind_id(s, 8, db->evidence_id);
	irk_db_bind_text(s, 9, record_table);
	bind_id(s, 10, record_id);
	return run(db, s) == 0 ? IRK_OK : IRK_FATAL;
}

int
irk_db_log(struct irk_db *db, int64_t ts, const char *level,
    const char *component, const char *path, const char *message)
{
	sqlite3_stmt *s = stmt(db, ST_LOG);

	if (s == NULL)
		return IRK_FATAL;
	bind_id(s, 1, db->evidence_id);
	irk_db_bind_time(s, 2, ts);
	irk_db_bind_text(s, 3, level);
	irk_db_bind_text(s, 4, component);
	irk_db_bind_text(s, 5, path);
	irk_db_bind_text(s, 6, message);
	return run(db, s) == 0 ? IRK_OK : IRK_FATAL;
}

static void
bind_rec(sqlite3_stmt *s, int i, json_t *rec)
{
	char *t = json_dumps(rec, JSON_COMPACT | JSON_PRESERVE_ORDER);

	if (t != NULL)
		(void)sqlite3_bind_text(s, i, t, -1, free);
	else
		(void)sqlite3_bind_null(s, i);
}

/* ---- records: one loader for every type of the registry ---- */

/* The registry's index of t (list.h order, "other" last). */
static int
type_index(const struct irk_record_type *t)
{
	for (int i = 0; irk_record_types[i] != NULL && i < N_TYPES; i++)
		if (irk_record_types[i] == t)
			return i;
	return N_TYPES - 1;
}

sqlite3_stmt **
irk_db_type_rules_stmt(struct irk_db *db, const struct irk_record_type *t)
{
	struct db_stmts *st = db->stmts;

	return &st->rec[type_index(t)].rules;
}

/*
 * t's insert, built from its declaration once: "INSERT INTO table
 * (col, ...) VALUES (:col, ...)", and the parameter of each field.
 */
static struct type_stmt *
type_stmt(struct irk_db *db, const struct irk_record_type *t)
{
	struct type_stmt *ts = &((struct db_stmts *)db->stmts)->rec[
	    type_index(t)];
	sqlite3_str *q;
	char *sqltext;
	int i, r;

	if (ts->s != NULL)
		return ts;
	q = sqlite3_str_new(db->h);
	sqlite3_str_appendf(q, "INSERT %sINTO %s (", t->unique != NULL ?
	    "OR IGNORE " : "", t->table);
	for (i = 0; t->fields[i].column != NULL; i++)
		sqlite3_str_appendf(q, "%s%s", i ? ", " : "",
		    t->fields[i].column);
	sqlite3_str_appendall(q, ") VALUES (");
	for (i = 0; t->fields[i].column != NULL; i++)
		sqlite3_str_appendf(q, "%s:%s", i ? ", " : "",
		    t->fields[i].column);
	sqlite3_str_appendall(q, ")");
	if ((sqltext = sqlite3_str_finish(q)) == NULL)
		return NULL;
	r = sqlite3_prepare_v3(db->h, sqltext, -1, SQLITE_PREPARE_PERSISTENT,
	    &ts->s, NULL);
	sqlite3_free(sqltext);
	if (r != SQLITE_OK)
		return NULL;
	for (i = 0; t->fields[i].column != NULL &&
	    i < IRK_RECORD_MAX_FIELDS; i++) {
		char name[80];

		(void)snprintf(name, sizeof(name), ":%s", t->fields[i].column);
		ts->param[i] = sqlite3_bind_parameter_index(ts->s, name);
	}
	return ts;
}

/* Bind one field of the row by its declaration. */
static void
bind_field(struct irk_db *db, sqlite3_stmt *s, int p,
    const struct irk_record_field *f, const struct irk_record_value *v)
{
	switch (f->how) {
	case IRK_RF_JSON:
	case IRK_RF_PARENT:
		irk_db_bind_json(s, p, v->json);
		break;
	case IRK_RF_RECORD:
		bind_rec(s, p, (json_t *)v->json);
		break;
	case IRK_RF_TEXT:
	case IRK_RF_JOIN:
	case IRK_RF_DERIVED:
		irk_db_bind_text(s, p, v->text);
		break;
	case IRK_RF_TIME:
		irk_db_bind_time(s, p, v->num);
		break;
	case IRK_RF_EVIDENCE:
		bind_id(s, p, db->evidence_id);
		break;
	case IRK_RF_HOST:
		bind_id(s, p, db->host_id);
		break;
	case IRK_RF_PARENT_ID:
		bind_id(s, p, v->num);
		break;
	}
}

/* bind_field for the other files of the db layer (db_vss.c). */
void
irk_db_bind_field(struct irk_db *db, sqlite3_stmt *s, int p,
    const struct irk_record_field *f, const struct irk_record_value *v)
{
	bind_field(db, s, p, f, v);
}

/* The row's timeline events, in the order declared. */
static int
row_events(struct irk_db *db, const struct irk_record_row *row, int64_t id)
{
	const struct irk_record_type *t = row->type;
	char msg[512];

	msg[0] = '\0';
	if (t->message != NULL && t->events[0].time != NULL)
		t->message(row, msg, sizeof(msg));
	for (const struct irk_record_event *e = t->events; e->time != NULL;
	    e++)
		if (irk_db_event(db, irk_record_time(row, e->time), e->desc,
		    e->macb, e->source, irk_record_text(row, e->path), msg,
		    t->table, id) != IRK_OK)
			return IRK_FATAL;
	return IRK_OK;
}

static int load_row(struct irk_db *, const struct irk_record_type *,
    json_t *, json_t *, int64_t, int64_t *);

/*
 * A type stored once (t->once): 1 when a row with the identity of row
 * is stored already (its id in *id), 0 when not, -1 on error.  "SELECT
 * id FROM table WHERE a = :a AND ..." is prepared on first use: a row
 * whose identity is not whole (a NULL) is never a duplicate.
 */
static int
seen_before(struct irk_db *db, struct type_stmt *ts,
    const struct irk_record_row *row, int64_t *id)
{
	const struct irk_record_type *t = row->type;
	int i, r;

	if (ts->seen == NULL) {
		sqlite3_str *q = sqlite3_str_new(db->h);
		char *sqltext;

		sqlite3_str_appendf(q, "SELECT id FROM %s WHERE ", t->table);
		for (i = 0; t->identity[i] != NULL; i++)
			sqlite3_str_appendf(q, "%s%s = :%s", i ? " AND " : "",
			    t->identity[i], t->identity[i]);
		sqlite3_str_appendall(q, " LIMIT 1");
		if ((sqltext = sqlite3_str_finish(q)) == NULL)
			return -1;
		r = sqlite3_prepare_v3(db->h, sqltext, -1,
		    SQLITE_PREPARE_PERSISTENT, &ts->seen, NULL);
		sqlite3_free(sqltext);
		if (r != SQLITE_OK)
			return -1;
		for (i = 0; t->fields[i].column != NULL &&
		    i < IRK_RECORD_MAX_FIELDS; i++) {
			char name[80];

			(void)snprintf(name, sizeof(name), ":%s",
			    t->fields[i].column);
			ts->seen_param[i] = sqlite3_bind_parameter_index(
			    ts->seen, name);
		}
	}
	for (i = 0; t->fields[i].column != NULL &&
	    i < IRK_RECORD_MAX_FIELDS; i++)
		if (ts->seen_param[i] > 0)
			bind_field(db, ts->seen, ts->seen_param[i],
			    &t->fields[i], &row->v[i]);
	r = sqlite3_step(ts->seen);
	if (r == SQLITE_ROW)
		*id = sqlite3_column_int64(ts->seen, 0);
	sqlite3_reset(ts->seen);
	sqlite3_clear_bindings(ts->seen);
	return r == SQLITE_ROW ? 1 : r == SQLITE_DONE ? 0 : -1;
}

/* The child rows of a record (a process's sockets), after it. */
static int
load_children(struct irk_db *db, const struct irk_record_type *t,
    json_t *rec, int64_t id)
{
	const struct irk_record_child *c;

	for (c = t->children; c != NULL && c->key != NULL; c++) {
		json_t *arr = json_object_get(rec, c->key), *one;
		size_t i;

		if (!json_is_array(arr))
			continue;
		json_array_foreach(arr, i, one) {
			if (!json_is_object(one))
				continue;
			if (load_row(db, c->type, one, rec, id, NULL) != IRK_OK)
				return IRK_FATAL;
		}
	}
	return IRK_OK;
}

/*
 * One row of type t from rec (parent and parent_id: a child row's
 * record and its parent's row), its events and its children.
 */
static int
load_row(struct irk_db *db, const struct irk_record_type *t, json_t *rec,
    json_t *parent, int64_t parent_id, int64_t *id)
{
	struct irk_record_row row;
	struct type_stmt *ts;
	int64_t rid;
	int r = IRK_FATAL, seen;

	if ((ts = type_stmt(db, t)) == NULL)
		return IRK_FATAL;
	if (irk_record_row_fill(&row, t, rec, parent, parent_id) != 0)
		goto done;
	if (t->once && (seen = seen_before(db, ts, &row, &rid)) != 0) {
		if (seen > 0 && id != NULL)
			*id = rid;
		r = seen > 0 ? IRK_OK : IRK_FATAL;
		goto done;
	}
	for (int i = 0; t->fields[i].column != NULL &&
	    i < IRK_RECORD_MAX_FIELDS; i++)
		bind_field(db, ts->s, ts->param[i], &t->fields[i], &row.v[i]);
	if (run(db, ts->s) != 0)
		goto done;
	if (t->unique != NULL && sqlite3_changes(db->h) == 0) {
		/* loaded already (the unique column's value is there) */
		if (id != NULL)
			*id = 0;
		r = IRK_OK;
		goto done;
	}
	rid = sqlite3_last_insert_rowid(db->h);
	if (id != NULL)
		*id = rid;
	if (row_events(db, &row, rid) == IRK_OK &&
	    load_children(db, t, rec, rid) == IRK_OK)
		r = IRK_OK;
done:
	irk_record_row_free(&row);
	return r;
}

int
irk_db_record(struct irk_db *db, json_t *rec, int64_t *id,
    struct irk_err *err)
{
	const struct irk_record_type *t;
	int64_t rid = 0;
	int r;

	if (!json_is_object(rec)) {
		irk_err_set(err, EINVAL, "record is not a JSON object");
		return IRK_FAIL;
	}
	t = irk_record_find(irk_j_str(rec, "type"));
	if (t->accept != NULL && !t->accept(rec))
		r = IRK_OK;
	else if (t->load != NULL)
		r = t->load(db, rec, &rid);
	else
		r = load_row(db, t, rec, NULL, 0, &rid);
	if (r != IRK_OK)
		irk_err_set(err, 0, "database: %s", sqlite3_errmsg(db->h));
	if (id != NULL)
		*id = rid;
	return r;
}

/* ---- scan results ---- */

int
irk_db_file_content(struct irk_db *db, int64_t id,
    const struct irk_db_content *c)
{
	sqlite3_stmt *s;
	int r;

	if ((s = stmt(db, ST_FILE_CONTENT)) == NULL)
		return IRK_FATAL;
	irk_db_bind_text(s, 1, c->sha256);
	irk_db_bind_text(s, 2, c->md5);
	irk_db_bind_text(s, 3, c->sha1);
	irk_db_bind_text(s, 4, c->mime);
	irk_db_bind_text(s, 5, c->magic);
	irk_db_bind_text(s, 6, c->filetype);
	irk_db_bind_text(s, 7, c->skipped);
	(void)sqlite3_bind_int64(s, 8, id);
	r = sqlite3_step(s);
	(void)sqlite3_reset(s);
	(void)sqlite3_clear_bindings(s);
	return r == SQLITE_DONE ? IRK_OK : IRK_FATAL;
}

int
irk_db_set_rules_hash(struct irk_db *db, const char *rules_hash)
{
	struct db_stmts *st = db->stmts;

	free(st->rules_hash);
	st->rules_hash = rules_hash ? strdup(rules_hash) : NULL;
	return rules_hash != NULL && st->rules_hash == NULL ? IRK_FATAL : IRK_OK;
}

static int64_t
file_time(struct irk_db *db, int64_t file_id, char *path, size_t plen)
{
	sqlite3_stmt *s = stmt(db, ST_FILE_TIME);
	int64_t t = IRK_TIME_NONE;

	path[0] = '\0';
	if (s == NULL)
		return t;
	(void)sqlite3_bind_int64(s, 1, file_id);
	if (sqlite3_step(s) == SQLITE_ROW) {
		const unsigned char *p = sqlite3_column_text(s, 0);

		if (p != NULL)
			(void)snprintf(path, plen, "%s", (const char *)p);
		if (sqlite3_column_type(s, 1) != SQLITE_NULL)
			t = sqlite3_column_int64(s, 1);
	}
	sqlite3_reset(s);
	return t;
}

static void cached_type(struct irk_db *, struct irk_scan_item *);

int
irk_db_scan_result(struct irk_db *db, int64_t file_id,
    struct irk_scan_item *it)
{
	struct db_stmts *st = db->stmts;
	const char *rh = st->rules_hash;
	sqlite3_stmt *s;
	json_t *m;
	size_t i, nmatch = 0;
	int64_t ts;
	char path[4096], msg[512];

	cached_type(db, it);
	if ((s = stmt(db, ST_FILE_SCAN)) == NULL)
		return IRK_FATAL;
	(void)sqlite3_bind_int64(s, 1, file_id);
	irk_db_bind_text(s, 2, it->sha256[0] ? it->sha256 : NULL);
	irk_db_bind_text(s, 3, it->md5[0] ? it->md5 : NULL);
	irk_db_bind_text(s, 4, it->sha1[0] ? it->sha1 : NULL);
	irk_db_bind_text(s, 5, it->mime);
	irk_db_bind_text(s, 6, it->magic);
	irk_db_bind_text(s, 7, it->filetype);
	irk_db_bind_text(s, 8, it->skipped);
	if (run(db, s) != 0)
		return IRK_FATAL;
	ts = file_time(db, file_id, path, sizeof(path));
	if (it->cached && rh != NULL && it->sha256[0]) {
		/* content known: link the earlier matches to this row */
		if ((s = stmt(db, ST_YARA_COPY)) == NULL)
			return IRK_FATAL;
		(void)sqlite3_bind_int64(s, 1, file_id);
		irk_db_bind_text(s, 2, it->sha256);
		irk_db_bind_text(s, 3, rh);
		if (run(db, s) != 0)
			return IRK_FATAL;
		nmatch = (size_t)sqlite3_changes(db->h);
		it->cached_matches = nmatch;
		if (nmatch > 0) {
			(void)snprintf(msg, sizeof(msg), "%zu YARA rule(s) "
			    "matched (scan cache)", nmatch);
			(void)irk_db_event(db, ts, "YARA Match", NULL, "YARA",
			    path, msg, "files", file_id);
		}
	}
	json_array_foreach(it->matches, i, m) {
		const char *rule = irk_j_str(m, "rule");
		json_t *score = json_object_get(m, "score");

		if (rule == NULL || (s = stmt(db, ST_YARA)) == NULL)
			continue;
		(void)sqlite3_bind_int64(s, 1, file_id);
		irk_db_bind_text(s, 2, it->sha256[0] ? it->sha256 : NULL);
		irk_db_bind_text(s, 3, rh);
		irk_db_bind_text(s, 4, rule);
		irk_db_bind_json(s, 5, json_object_get(m, "namespace"));
		irk_db_bind_json(s, 6, json_object_get(m, "tags"));
		irk_db_bind_json(s, 7, json_object_get(m, "meta"));
		irk_db_bind_json(s, 8, json_object_get(m, "strings"));
		if (json_is_integer(score))
			irk_db_bind_json(s, 9, score);
		else
			(void)sqlite3_bind_int(s, 9, 70);
		if (run(db, s) != 0)
			return IRK_FATAL;
		nmatch++;
		(void)snprintf(msg, sizeof(msg), "YARA rule %s matched", rule);
		(void)irk_db_event(db, ts, "YARA Match", NULL, "YARA", path,
		    msg, "files", file_id);
	}
	json_array_foreach(it->iocs, i, m) {
		if ((s = stmt(db, ST_IOC)) == NULL)
			continue;
		(void)sqlite3_bind_int64(s, 1, file_id);
		irk_db_bind_text(s, 2, "files");
		(void)sqlite3_bind_int64(s, 3, file_id);
		irk_db_bind_text(s, 4, irk_j_str(m, "kind") ?
		    irk_j_str(m, "kind") : "unknown");
		irk_db_bind_text(s, 5, irk_j_str(m, "value") ?
		    irk_j_str(m, "value") : "");
		irk_db_bind_json(s, 6, json_object_get(m, "source"));
		irk_db_bind_json(s, 7, json_object_get(m, "description"));
		if (run(db, s) != 0)
			return IRK_FATAL;
		(void)snprintf(msg, sizeof(msg), "IOC %s %s", irk_j_str(m,
		    "kind") ? irk_j_str(m, "kind") : "?", irk_j_str(m, "value") ?
		    irk_j_str(m, "value") : "");
		(void)irk_db_event(db, ts, "IOC Hit", NULL, "IOC", path, msg,
		    "files", file_id);
	}
	if (!it->cached && it->skipped == NULL && it->error == NULL &&
	    rh != NULL && it->sha256[0] && it->matches != NULL) {
		if ((s = stmt(db, ST_CACHE)) == NULL)
			return IRK_FATAL;
		irk_db_bind_text(s, 1, it->sha256);
		irk_db_bind_text(s, 2, rh);
		(void)sqlite3_bind_int64(s, 3, (sqlite3_int64)json_array_size(
		    it->matches));
		(void)sqlite3_bind_int64(s, 4, irk_now_us());
		irk_db_bind_text(s, 5, it->mime);
		irk_db_bind_text(s, 6, it->magic);
		if (run(db, s) != 0)
			return IRK_FATAL;
	}
	return IRK_OK;
}

/* A cached item skipped libmagic: its type from the cache row. */
static void
cached_type(struct irk_db *db, struct irk_scan_item *it)
{
	struct db_stmts *st = db->stmts;
	sqlite3_stmt *s;

	if (!it->cached || it->mime != NULL || !it->sha256[0] ||
	    st->rules_hash == NULL || (s = stmt(db, ST_CACHE_TYPE)) == NULL)
		return;
	irk_db_bind_text(s, 1, it->sha256);
	irk_db_bind_text(s, 2, st->rules_hash);
	if (sqlite3_step(s) == SQLITE_ROW) {
		const unsigned char *m = sqlite3_column_text(s, 0);
		const unsigned char *d = sqlite3_column_text(s, 1);

		it->mime = m != NULL ? strdup((const char *)m) : NULL;
		it->magic = d != NULL ? strdup((const char *)d) : NULL;
	}
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
}

static int
irk_db_record_ioc(struct irk_db *db, const char *record_table,
    int64_t record_id, const json_t *hit)
{
	sqlite3_stmt *s = stmt(db, ST_IOC);

	if (s == NULL)
		return IRK_FATAL;
	(void)sqlite3_bind_null(s, 1);
	irk_db_bind_text(s, 2, record_table);
	(void)sqlite3_bind_int64(s, 3, record_id);
	irk_db_bind_text(s, 4, irk_j_str(hit, "kind") ? irk_j_str(hit, "kind") :
	    "unknown");
	irk_db_bind_text(s, 5, irk_j_str(hit, "value") ? irk_j_str(hit,
	    "value") : "");
	irk_db_bind_json(s, 6, json_object_get(hit, "source"));
	irk_db_bind_json(s, 7, json_object_get(hit, "description"));
	return run(db, s) == 0 ? IRK_OK : IRK_FATAL;
}

/* 1 when t's table has a host_id column. */
static int
has_host(const struct irk_record_type *t)
{
	for (int i = 0; t->fields[i].column != NULL; i++)
		if (t->fields[i].how == IRK_RF_HOST)
			return 1;
	return 0;
}

/* Run q: ?1 the current host's id (or name), ?2 the evidence. */
static int
set_host(struct irk_db *db, const char *q, int64_t eid, int by_name)
{
	sqlite3_stmt *s;
	int r;

	if (sqlite3_prepare_v2(db->h, q, -1, &s, NULL) != SQLITE_OK)
		return IRK_FATAL;
	if (by_name)
		irk_db_bind_text(s, 1, db->hostname);
	else
		(void)sqlite3_bind_int64(s, 1, db->host_id);
	(void)sqlite3_bind_int64(s, 2, eid);
	r = sqlite3_step(s) == SQLITE_DONE ? IRK_OK : IRK_FATAL;
	sqlite3_finalize(s);
	return r;
}

int
irk_db_fix_host(struct irk_db *db, int64_t eid)
{
	char q[160];
	int r = IRK_OK;

	for (size_t i = 0; irk_record_types[i] != NULL; i++) {
		if (!has_host(irk_record_types[i]))
			continue;
		(void)snprintf(q, sizeof(q), "UPDATE %s SET host_id = ?1 WHERE "
		    "evidence_id = ?2 AND host_id IS NULL",
		    irk_record_types[i]->table);
		if (set_host(db, q, eid, 0) != IRK_OK)
			r = IRK_FATAL;
	}
	if (set_host(db, "UPDATE findings SET host_id = ?1 WHERE "
	    "evidence_id = ?2 AND host_id IS NULL", eid, 0) != IRK_OK ||
	    set_host(db, "UPDATE events SET host = ?1 WHERE evidence_id = ?2 "
	    "AND host IS NULL", eid, 1) != IRK_OK)
		r = IRK_FATAL;
	return r;
}

/* The IOC hits of one row's name and text. */
static int
row_iocs(struct irk_db *db, const struct irk_scan *scan, const char *table,
    sqlite3_stmt *s)
{
	int64_t id = sqlite3_column_int64(s, 0);
	const char *name = (const char *)sqlite3_column_text(s, 1);
	const char *text = (const char *)sqlite3_column_text(s, 2);
	const char *hash = (const char *)sqlite3_column_text(s, 3);
	json_t *hits[3] = { NULL, NULL, NULL }, *h;
	int r = IRK_OK;
	size_t k;

	if (name != NULL)
		hits[0] = irk_scan_ioc_name(scan, name);
	if (text != NULL)
		hits[1] = irk_scan_ioc_text(scan, text);
	if (hash != NULL)
		hits[2] = irk_scan_ioc_hash(scan, hash);
	for (int j = 0; j < 3; j++) {
		json_array_foreach(hits[j], k, h)
			if (irk_db_record_ioc(db, table, id, h) != IRK_OK)
				r = IRK_FATAL;
		json_decref(hits[j]);
	}
	return r;
}

int
irk_db_record_iocs(struct irk_db *db, int64_t eid,
    const struct irk_scan *scan)
{
	int r = IRK_OK;

	for (size_t i = 0; irk_record_types[i] != NULL; i++) {
		const struct irk_record_type *t = irk_record_types[i];
		sqlite3_stmt *s;
		char q[256];

		if (t->ioc_name == NULL && t->ioc_text == NULL &&
		    t->ioc_hash == NULL)
			continue;
		(void)snprintf(q, sizeof(q), "SELECT id, %s, %s, %s FROM %s "
		    "WHERE evidence_id = ?", t->ioc_name ? t->ioc_name : "NULL",
		    t->ioc_text ? t->ioc_text : "NULL",
		    t->ioc_hash ? t->ioc_hash : "NULL", t->table);
		if ((s = irk_db_kept(db, q)) == NULL)
			return IRK_FATAL;
		(void)sqlite3_bind_int64(s, 1, eid);
		while (sqlite3_step(s) == SQLITE_ROW)
			if (row_iocs(db, scan, t->table, s) != IRK_OK)
				r = IRK_FATAL;
		sqlite3_reset(s);
	}
	return r;
}

int
irk_db_scanned_set(struct irk_db *db, const char *rules_hash,
    struct irk_strmap *out)
{
	sqlite3_stmt *s;
	int r;

	if (sqlite3_prepare_v2(db->h, "SELECT sha256 FROM scan_cache WHERE "
	    "rules_hash = ?", -1, &s, NULL) != SQLITE_OK)
		return IRK_FATAL;
	irk_db_bind_text(s, 1, rules_hash);
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		const unsigned char *sha = sqlite3_column_text(s, 0);

		if (sha != NULL && irk_strmap_put(out, (const char *)sha,
		    NULL) != 0) {
			r = SQLITE_NOMEM;
			break;
		}
	}
	sqlite3_finalize(s);
	return r == SQLITE_DONE ? IRK_OK : IRK_FATAL;
}
