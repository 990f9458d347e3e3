/*
 * db_chart.c - the reads of the report's activity chart (db_report.h).
 * Part of the db layer: it never prints.
 */
#include "db_priv.h"
#include "db_report.h"
#include "irkit/banned.h"

/* Events that are activity: all but certificate validity dates. */
#define ACTIVITY "ts_desc NOT IN ('Certificate Not Before', " \
	"'Certificate Not After')"

/*
 * One integer: with one parameter ?1 is arg; with two ?1 is sane and ?2
 * is arg.  *ok 0 when none.
 */
int64_t
irk_db_chart_num(struct irk_db *db, enum irk_db_cnum which, int64_t sane,
    int64_t arg, int *ok)
{
	static const char *const sql[] = {
		[IRK_CNUM_ACTIVITY_SINCE] = "SELECT count(*) FROM events "
		    "WHERE ts >= ? AND " ACTIVITY,
		[IRK_CNUM_VALIDITY] = "SELECT count(*) FROM events WHERE "
		    "NOT (" ACTIVITY ")",
		[IRK_CNUM_NTH_FIRST] = "SELECT ts FROM events WHERE ts >= ?1 "
		    "AND " ACTIVITY " ORDER BY ts LIMIT 1 OFFSET ?2",
		[IRK_CNUM_NTH_LAST] = "SELECT ts FROM events WHERE ts >= ?1 "
		    "AND " ACTIVITY " ORDER BY ts DESC LIMIT 1 OFFSET ?2",
		[IRK_CNUM_FINDING_FIRST] = "SELECT min(ts) FROM findings "
		    "WHERE ts >= ?1",
		[IRK_CNUM_FINDING_LAST] = "SELECT max(ts) FROM findings "
		    "WHERE ts >= ?1",
		[IRK_CNUM_BEFORE] = "SELECT count(*) FROM events WHERE "
		    "ts < ? AND " ACTIVITY,
		[IRK_CNUM_AFTER] = "SELECT count(*) FROM events WHERE "
		    "ts > ? AND " ACTIVITY,
	};
	sqlite3_stmt *st = NULL;
	int64_t v = 0;
	int np;

	*ok = 0;
	if (sqlite3_prepare_v2(db->h, sql[which], -1, &st, NULL) != SQLITE_OK)
		return 0;
	np = sqlite3_bind_parameter_count(st);
	if (np >= 1)
		sqlite3_bind_int64(st, 1, np == 1 ? arg : sane);
	if (np >= 2)
		sqlite3_bind_int64(st, 2, arg);
	if (sqlite3_step(st) == SQLITE_ROW &&
	    sqlite3_column_type(st, 0) != SQLITE_NULL) {
		v = sqlite3_column_int64(st, 0);
		*ok = 1;
	}
	sqlite3_finalize(st);
	return v;
}

int
irk_db_chart_hosts(struct irk_db *db, int max, struct irk_db_rows **out,
    struct irk_err *err)
{
	if (irk_db_rows_prepare(db, "SELECT coalesce(host, '(no host)'), "
	    "count(*) FROM events WHERE " ACTIVITY " GROUP BY 1 ORDER BY 2 "
	    "DESC LIMIT ?", out, err) != IRK_OK)
		return IRK_FATAL;
	sqlite3_bind_int((*out)->st, 1, max);
	return IRK_OK;
}

int
irk_db_chart_buckets(struct irk_db *db, int64_t origin, int64_t bucket,
    int64_t hi, struct irk_db_rows **out, struct irk_err *err)
{
	if (irk_db_rows_prepare(db, "SELECT coalesce(host, '(no host)'), "
	    "(ts - ?1) / ?2, count(*) FROM events WHERE ts >= ?1 AND "
	    "ts <= ?3 AND " ACTIVITY " GROUP BY 1, 2", out, err) != IRK_OK)
		return IRK_FATAL;
	sqlite3_bind_int64((*out)->st, 1, origin);
	sqlite3_bind_int64((*out)->st, 2, bucket);
	sqlite3_bind_int64((*out)->st, 3, hi);
	return IRK_OK;
}

int
irk_db_chart_findings(struct irk_db *db, int64_t lo, int64_t hi,
    struct irk_db_rows **out, struct irk_err *err)
{
	if (irk_db_rows_prepare(db, "SELECT ts, score, title FROM findings "
	    "WHERE ts BETWEEN ?1 AND ?2 ORDER BY score DESC LIMIT 200", out,
	    err) != IRK_OK)
		return IRK_FATAL;
	sqlite3_bind_int64((*out)->st, 1, lo);
	sqlite3_bind_int64((*out)->st, 2, hi);
	return IRK_OK;
}
