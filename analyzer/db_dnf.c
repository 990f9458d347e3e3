/*
 * db_dnf.c - dnf's history.sqlite read from memory, or from a private
 * copy with its -wal (db_dnf.h).  The file is evidence: opened from its
 * bytes (sqlite3_deserialize, read-only) or from the copy, in defensive
 * mode, with no trusted schema, a step budget against a
 * crafted database, strings cut in the query and the rows counted.
 */
#include <string.h>
#include <sqlite3.h>

#include "db_dnf.h"
#include "irkit/banned.h"

#define STEPS_MAX	(1ll << 31)	/* SQLite VM steps, about a minute */
#define STEP_CHECK	100000		/* the progress handler's period */

/* the version of a row of table rpm: "[EPOCH:]VERSION-RELEASE" */
#define EVR(t) \
	"CASE WHEN " t ".epoch > 0 THEN " t ".epoch || ':' ELSE '' END || " \
	"substr(" t ".version, 1, 256) || '-' || substr(" t ".release, 1, 256)"

/* libdnf TransactionItemAction: the old side (3 DOWNGRADED, 7
 * UPGRADED, 10 REINSTALLED) and REASON_CHANGE (11) are no events */
static const char *const actions[] = {
	[1] = "install", [2] = "downgrade", [4] = "install", [5] = "remove",
	[6] = "upgrade", [8] = "remove", [9] = "reinstall",
};

#define QUERY_HEAD \
	"SELECT t.id, ti.id, t.dt_begin, t.user_id, " \
	"substr(t.cmdline, 1, 4096), ti.action, substr(r.name, 1, 1024), " \
	EVR("r") ", substr(r.arch, 1, 64), "
#define QUERY_TAIL \
	" FROM trans_item ti JOIN trans t ON t.id = ti.trans_id JOIN rpm r " \
	"ON r.item_id = ti.item_id WHERE ti.action IN (1, 2, 4, 5, 6, 8, 9) " \
	"ORDER BY t.id, ti.id LIMIT " 

/* with the version replaced (libdnf 0.11 and later: item_replaced_by) */
static const char query_old[] = QUERY_HEAD
	"(SELECT " EVR("o") " FROM item_replaced_by b JOIN trans_item oi ON "
	"oi.id = b.trans_item_id JOIN rpm o ON o.item_id = oi.item_id WHERE "
	"b.by_trans_item_id = ti.id AND oi.action IN (3, 7) LIMIT 1)"
	QUERY_TAIL "?";
static const char query_plain[] = QUERY_HEAD "NULL" QUERY_TAIL "?";

static int
budget(void *arg)
{
	long long *steps = arg;

	*steps += STEP_CHECK;
	return *steps > STEPS_MAX;
}

static struct irk_span
col_span(sqlite3_stmt *st, int i)
{
	struct irk_span s;

	s.p = (const char *)sqlite3_column_text(st, i);
	s.n = s.p != NULL ? (size_t)sqlite3_column_bytes(st, i) : 0;
	return s;
}

/* A new connection's guards: defensive, no trusted schema, no
 * triggers or views, strings and steps bounded. */
static void
guard(sqlite3 *h, long long *steps)
{
	(void)sqlite3_db_config(h, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	(void)sqlite3_db_config(h, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
	(void)sqlite3_db_config(h, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, NULL);
	(void)sqlite3_db_config(h, SQLITE_DBCONFIG_ENABLE_VIEW, 0, NULL);
	sqlite3_limit(h, SQLITE_LIMIT_LENGTH, 1 << 20);
	sqlite3_progress_handler(h, STEP_CHECK, budget, steps);
}

/* The database on buf, read-only, defensive; NULL with err set. */
static sqlite3 *
open_image(const void *buf, size_t len, long long *steps,
    struct irk_err *err)
{
	sqlite3 *h = NULL;

	if (sqlite3_open_v2(":memory:", &h, SQLITE_OPEN_READWRITE, NULL) !=
	    SQLITE_OK) {
		irk_err_set(err, 0, "cannot open sqlite");
		sqlite3_close(h);
		return NULL;
	}
	guard(h, steps);
	if (sqlite3_deserialize(h, "main", (unsigned char *)(uintptr_t)buf,
	    (sqlite3_int64)len, (sqlite3_int64)len,
	    SQLITE_DESERIALIZE_READONLY) != SQLITE_OK) {
		irk_err_set(err, 0, "not a sqlite database: %s",
		    sqlite3_errmsg(h));
		sqlite3_close(h);
		return NULL;
	}
	return h;
}

static int
each_row(sqlite3_stmt *st, int (*fn)(void *arg,
    const struct irk_dnf_item *it), void *arg, int *cut)
{
	struct irk_dnf_item it;
	int64_t rows = 0;
	int rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int a = sqlite3_column_int(st, 5);

		if (++rows > IRK_DNF_ROWS_MAX) {
			*cut = 1;
			break;
		}
		memset(&it, 0, sizeof(it));
		it.trans = sqlite3_column_int64(st, 0);
		it.item = sqlite3_column_int64(st, 1);
		it.begin = sqlite3_column_int64(st, 2);
		it.uid = sqlite3_column_int64(st, 3);
		it.cmdline = col_span(st, 4);
		it.action = a >= 0 && (size_t)a < sizeof(actions) /
		    sizeof(actions[0]) ? actions[a] : NULL;
		it.name = col_span(st, 6);
		it.version = col_span(st, 7);
		it.arch = col_span(st, 8);
		it.old_version = col_span(st, 9);
		if (it.action == NULL || it.name.n == 0)
			continue;
		if (fn(arg, &it) == IRK_FATAL)
			return IRK_FATAL;
	}
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? IRK_OK : IRK_WARN;
}

/* The rows of the open database h; closes h. */
static int
read_rows(sqlite3 *h, long long *steps,
    int (*fn)(void *arg, const struct irk_dnf_item *it), void *arg,
    int *cut, struct irk_err *err)
{
	sqlite3_stmt *st = NULL;
	int r;

	if (sqlite3_prepare_v2(h, query_old, -1, &st, NULL) != SQLITE_OK &&
	    sqlite3_prepare_v2(h, query_plain, -1, &st, NULL) != SQLITE_OK) {
		irk_err_set(err, 0, "not dnf's history (tables trans, "
		    "trans_item, rpm): %s", sqlite3_errmsg(h));
		return IRK_FAIL;
	}
	sqlite3_bind_int64(st, 1, IRK_DNF_ROWS_MAX + 1);
	r = each_row(st, fn, arg, cut);
	if (r == IRK_WARN)
		irk_err_set(err, 0, "%s: the rows after it are not read",
		    *steps > STEPS_MAX ? "too long to read" : sqlite3_errmsg(h));
	sqlite3_finalize(st);
	return r;
}

int
irk_dnf_history_read(const void *buf, size_t len,
    int (*fn)(void *arg, const struct irk_dnf_item *it), void *arg,
    int *cut, struct irk_err *err)
{
	long long steps = 0;
	sqlite3 *h;
	int r;

	*cut = 0;
	if ((h = open_image(buf, len, &steps, err)) == NULL)
		return IRK_FAIL;
	r = read_rows(h, &steps, fn, arg, cut, err);
	sqlite3_close(h);
	return r;
}

int
irk_dnf_history_read_path(const char *path,
    int (*fn)(void *arg, const struct irk_dnf_item *it), void *arg,
    int *cut, int64_t *wal_frames, struct irk_err *err)
{
	long long steps = 0;
	sqlite3 *h = NULL;
	int nlog = -1, nckpt = -1, r;

	*cut = 0;
	*wal_frames = -1;
	/* read-write: SQLite reads a -wal through its -shm index, which a
	 * read-only connection cannot checkpoint to count; the files are a
	 * private copy */
	if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_NOFOLLOW, NULL) != SQLITE_OK) {
		irk_err_set(err, 0, "not a sqlite database: %s",
		    h != NULL ? sqlite3_errmsg(h) : "out of memory");
		sqlite3_close(h);
		return IRK_FAIL;
	}
	guard(h, &steps);
	r = read_rows(h, &steps, fn, arg, cut, err);
	/* the frames of the -wal SQLite took as the database's (a -wal of
	 * another salt, or a bad checksum, gives none; not WAL mode: -1) */
	if (r != IRK_FATAL && sqlite3_wal_checkpoint_v2(h, "main",
	    SQLITE_CHECKPOINT_PASSIVE, &nlog, &nckpt) == SQLITE_OK)
		*wal_frames = nlog;
	sqlite3_close(h);
	return r;
}
