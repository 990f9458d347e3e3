/*
 * logins_db.c - the SQLite login records of Debian 13 and other distros
 * that dropped utmp (wtmpdb, util-linux lastlog2), for the logins
 * collector (logins.h):
 *   /var/lib/wtmpdb/wtmp.db     table wtmp (ID, Type, User, Login,
 *                               Logout, TTY, RemoteHost, Service):
 *                               Login and Logout in microseconds, Type
 *                               1 run level, 2 boot, 3 a login;
 *   /var/lib/lastlog/lastlog2.db table Lastlog2 (Name, Time, TTY,
 *                               RemoteHost, Service): Time in seconds.
 *
 * SQLite is linked into irkit-collect (static too), so the files are
 * read where they are, live, under --root and in a disk image alike: the
 * file is read through irk_fs (at most DB_MAX bytes) and opened from
 * memory, read-only (sqlite3_deserialize): nothing is written beside it
 * and no journal is looked for.  A -wal file beside it is named in the
 * log (its pages are not read).
 */
#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "logins.h"
#include "irkit/json.h"
#include "irkit/banned.h"

#define DB_MAX		(256u << 20)

#define WTMPDB		"/var/lib/wtmpdb/wtmp.db"
#define LASTLOG2	"/var/lib/lastlog/lastlog2.db"

/* The database at path, opened from memory; IRK_OK, or none (*db NULL). */
static int
db_open(struct irk_collect *c, const char *path, struct irk_buf *b,
    sqlite3 **db)
{
	struct irk_err err;
	struct irk_stat st;
	unsigned char *mem;
	char wal[300];
	int r;

	*db = NULL;
	irk_buf_init(b, DB_MAX);
	r = irk_fs_read_file(c->fs, path, b, NULL, &err);
	if (r == IRK_FAIL) {
		irk_buf_release(b);
		if (err.errnum == ENOENT)
			return IRK_OK;
		irk_collect_log_err(c, IRK_LOG_ERROR, path, &err);
		return IRK_FAIL;
	}
	if (r == IRK_TOOBIG) {
		irk_buf_release(b);
		irk_collect_log(c, IRK_LOG_ERROR, path, 0,
		    "larger than %u bytes: not read", DB_MAX);
		return IRK_FAIL;
	}
	if (snprintf(wal, sizeof(wal), "%s-wal", path) < (int)sizeof(wal) &&
	    c->fs->ops->stat(c->fs, wal, 0, &st, &err) == IRK_OK && st.size > 0)
		irk_collect_log(c, IRK_LOG_WARN, wal, 0, "a write-ahead log "
		    "of %llu bytes: its entries are not read",
		    (unsigned long long)st.size);
	if (sqlite3_open_v2(":memory:", db, SQLITE_OPEN_READWRITE, NULL) !=
	    SQLITE_OK || (mem = sqlite3_malloc64(b->len ? b->len : 1)) == NULL) {
		sqlite3_close(*db);
		*db = NULL;
		irk_buf_release(b);
		return IRK_FATAL;
	}
	memcpy(mem, b->data, b->len);
	if (sqlite3_deserialize(*db, "main", mem, b->len, b->len,
	    SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_READONLY) !=
	    SQLITE_OK) {
		irk_collect_log(c, IRK_LOG_ERROR, path, 0, "not an SQLite "
		    "database: %s", sqlite3_errmsg(*db));
		sqlite3_close(*db);
		*db = NULL;
		irk_buf_release(b);
		return IRK_FAIL;
	}
	irk_buf_release(b);
	return IRK_OK;
}

static const char *
col_text(sqlite3_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);

	return t != NULL && t[0] != '\0' ? (const char *)t : NULL;
}

/* A column's time in microseconds (unit: 1 or 1000000), or NONE. */
static int64_t
col_time(sqlite3_stmt *s, int i, int64_t unit)
{
	int64_t v;

	if (sqlite3_column_type(s, i) != SQLITE_INTEGER)
		return IRK_TIME_NONE;
	v = sqlite3_column_int64(s, i);
	if (v <= 0 || v > INT64_MAX / unit)
		return IRK_TIME_NONE;
	return v * unit;
}

static const char *
wtmpdb_kind(int64_t type)
{
	switch (type) {
	case 1:
		return "runlevel";
	case 2:
		return "boot";
	case 3:
		return "login";
	default:
		return "empty";
	}
}

/* One row of wtmp: ID, Type, User, Login, Logout, TTY, RemoteHost,
 * Service. */
static json_t *
wtmpdb_record(sqlite3_stmt *s)
{
	int64_t login = col_time(s, 3, 1), logout = col_time(s, 4, 1);
	json_t *rec = irk_record_new("login");

	if (rec == NULL)
		return NULL;
	irk_json_set_str(rec, "kind", wtmpdb_kind(sqlite3_column_int64(s, 1)));
	irk_json_set_str(rec, "user", col_text(s, 2));
	irk_json_set_str(rec, "tty", col_text(s, 5));
	irk_json_set_str(rec, "host", col_text(s, 6));
	irk_json_set_str(rec, "service", col_text(s, 7));
	irk_json_set_time(rec, "time", login);
	irk_json_set_time(rec, "logout_time", logout);
	if (login != IRK_TIME_NONE && logout != IRK_TIME_NONE)
		irk_json_set_int(rec, "duration_us", logout - login);
	else
		json_object_set_new(rec, "duration_us", json_null());
	irk_json_set_str(rec, "session_end", logout != IRK_TIME_NONE ?
	    (sqlite3_column_int64(s, 1) == 2 ? "shutdown" : "logout") : NULL);
	irk_json_set_str(rec, "source", WTMPDB);
	irk_json_set_int(rec, "offset", sqlite3_column_int64(s, 0));
	return rec;
}

/* One row of Lastlog2: Name, Time, TTY, RemoteHost, Service, rowid. */
static json_t *
lastlog2_record(sqlite3_stmt *s)
{
	json_t *rec = irk_record_new("login");

	if (rec == NULL)
		return NULL;
	irk_json_set_str(rec, "kind", "lastlog");
	irk_json_set_str(rec, "user", col_text(s, 0));
	irk_json_set_str(rec, "tty", col_text(s, 2));
	irk_json_set_str(rec, "host", col_text(s, 3));
	irk_json_set_str(rec, "service", col_text(s, 4));
	irk_json_set_time(rec, "time", col_time(s, 1, 1000000));
	irk_json_set_str(rec, "source", LASTLOG2);
	irk_json_set_int(rec, "offset", sqlite3_column_int64(s, 5));
	return rec;
}

/* Every row of query over the database at path, made a record by make. */
static int
db_records(struct irk_collect *c, const char *path, const char *query,
    json_t *(*make)(sqlite3_stmt *))
{
	struct irk_buf b;
	sqlite3 *db;
	sqlite3_stmt *s = NULL;
	int r = db_open(c, path, &b, &db), rc;

	if (db == NULL)
		return r;
	if (sqlite3_prepare_v2(db, query, -1, &s, NULL) != SQLITE_OK) {
		irk_collect_log(c, IRK_LOG_ERROR, path, 0, "not the expected "
		    "tables: %s", sqlite3_errmsg(db));
		sqlite3_close(db);
		return IRK_FAIL;
	}
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if (irk_collect_record(c, make(s)) == IRK_FATAL) {
			r = IRK_FATAL;
			break;
		}
	if (r != IRK_FATAL && rc != SQLITE_DONE) {
		irk_collect_log(c, IRK_LOG_ERROR, path, 0, "read stopped: %s",
		    sqlite3_errmsg(db));
		r = IRK_WARN;
	}
	sqlite3_finalize(s);
	sqlite3_close(db);
	return r;
}

int
irk_logins_databases(struct irk_collect *c)
{
	int r = db_records(c, WTMPDB, "SELECT ID, Type, User, Login, Logout, "
	    "TTY, RemoteHost, Service FROM wtmp ORDER BY ID", wtmpdb_record);

	if (r == IRK_FATAL)
		return r;
	return irk_worst(r, db_records(c, LASTLOG2, "SELECT Name, Time, TTY, "
	    "RemoteHost, Service, rowid FROM Lastlog2 ORDER BY rowid",
	    lastlog2_record));
}
