/*
 * db_export.c - the reads export makes (db_read.h): the events in time
 * order and the files rows under a filter, the span of the timeline,
 * the values a filter can name.  Part of the db layer: it never prints.
 */
#include <string.h>

#include "db_priv.h"
#include "db_read.h"
#include "irkit/buf.h"
#include "irkit/banned.h"

/* WHERE clause for events; "+col" keeps the planner on the ts index. */
static void
events_sql(struct irk_buf *q, const struct irk_db_filter *f)
{
	(void)irk_buf_addstr(q, "SELECT * FROM events WHERE 1");
	if (f->has_from)
		(void)irk_buf_addstr(q, " AND ts >= :from");
	if (f->has_to)
		(void)irk_buf_addstr(q, " AND ts <= :to");
	if (f->host != NULL)
		(void)irk_buf_addstr(q, " AND +host = :host COLLATE NOCASE");
	if (f->source != NULL)
		(void)irk_buf_addstr(q, " AND +source = :source COLLATE "
		    "NOCASE");
	if (f->grep != NULL)
		(void)irk_buf_addstr(q, " AND (instr(lower(coalesce(message,"
		    "'')), lower(:grep)) > 0 OR instr(lower(coalesce(path,"
		    "'')), lower(:grep)) > 0)");
	(void)irk_buf_addstr(q, " ORDER BY ts, id");
}

/* bodyfile: a file is kept when any of its times is in range. */
static void
files_sql(struct irk_buf *q, const struct irk_db_filter *f)
{
	(void)irk_buf_addstr(q, "SELECT f.* FROM files f LEFT JOIN hosts h "
	    "ON h.id = f.host_id WHERE 1");
	if (f->host != NULL)
		(void)irk_buf_addstr(q, " AND h.hostname = :host COLLATE "
		    "NOCASE");
	if (f->grep != NULL)
		(void)irk_buf_addstr(q, " AND instr(lower(f.path), "
		    "lower(:grep)) > 0");
	if (f->has_from || f->has_to) {
		const char *t[] = { "atime", "mtime", "ctime", "btime" };

		(void)irk_buf_addstr(q, " AND (0");
		for (int i = 0; i < 4; i++) {
			(void)irk_buf_printf(q, " OR (f.%s IS NOT NULL", t[i]);
			if (f->has_from)
				(void)irk_buf_printf(q, " AND f.%s >= :from",
				    t[i]);
			if (f->has_to)
				(void)irk_buf_printf(q, " AND f.%s <= :to",
				    t[i]);
			(void)irk_buf_addch(q, ')');
		}
		(void)irk_buf_addch(q, ')');
	}
	(void)irk_buf_addstr(q, " ORDER BY f.id");
}

static void
bind(sqlite3_stmt *st, const struct irk_db_filter *f)
{
	int i;

	if ((i = sqlite3_bind_parameter_index(st, ":from")) > 0)
		sqlite3_bind_int64(st, i, f->from);
	if ((i = sqlite3_bind_parameter_index(st, ":to")) > 0)
		sqlite3_bind_int64(st, i, f->to);
	if ((i = sqlite3_bind_parameter_index(st, ":host")) > 0)
		sqlite3_bind_text(st, i, f->host, -1, SQLITE_STATIC);
	if ((i = sqlite3_bind_parameter_index(st, ":source")) > 0)
		sqlite3_bind_text(st, i, f->source, -1, SQLITE_STATIC);
	if ((i = sqlite3_bind_parameter_index(st, ":grep")) > 0)
		sqlite3_bind_text(st, i, f->grep, -1, SQLITE_STATIC);
}

/* 1 when the plan of sql sorts instead of walking an index. */
static int
plan_sorts(struct irk_db *db, const char *sql)
{
	sqlite3_stmt *st = NULL;
	struct irk_buf q;
	int sorts = 0;

	irk_buf_init(&q, 1 << 16);
	(void)irk_buf_printf(&q, "EXPLAIN QUERY PLAN %s", sql);
	if (sqlite3_prepare_v2(db->h, q.data, -1, &st, NULL) == SQLITE_OK) {
		while (sqlite3_step(st) == SQLITE_ROW) {
			const char *d = (const char *)sqlite3_column_text(st,
			    3);

			if (d != NULL && strstr(d, "TEMP B-TREE") != NULL)
				sorts = 1;
		}
	}
	sqlite3_finalize(st);
	irk_buf_release(&q);
	return sorts;
}

static int
open_filtered(struct irk_db *db, int events, const struct irk_db_filter *f,
    struct irk_db_rows **out, int *sorts, struct irk_err *err)
{
	struct irk_buf q;
	int rc;

	irk_buf_init(&q, 1 << 16);
	if (events)
		events_sql(&q, f);
	else
		files_sql(&q, f);
	rc = irk_db_rows_prepare(db, q.data, out, err);
	if (rc == IRK_OK) {
		if (sorts != NULL)
			*sorts = plan_sorts(db, q.data);
		bind((*out)->st, f);
	}
	irk_buf_release(&q);
	return rc;
}

int
irk_db_events_open(struct irk_db *db, const struct irk_db_filter *f,
    struct irk_db_rows **out, int *sorts, struct irk_err *err)
{
	return open_filtered(db, 1, f, out, sorts, err);
}

int
irk_db_files_open(struct irk_db *db, const struct irk_db_filter *f,
    struct irk_db_rows **out, struct irk_err *err)
{
	return open_filtered(db, 0, f, out, NULL, err);
}

int
irk_db_event_span(struct irk_db *db, int64_t *first, int64_t *last)
{
	sqlite3_stmt *st = NULL;
	int r = 0;

	if (sqlite3_prepare_v2(db->h, "SELECT min(ts), max(ts) FROM events",
	    -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW &&
	    sqlite3_column_type(st, 0) != SQLITE_NULL) {
		*first = sqlite3_column_int64(st, 0);
		*last = sqlite3_column_int64(st, 1);
		r = 1;
	}
	sqlite3_finalize(st);
	return r;
}

int
irk_db_each_value(struct irk_db *db, enum irk_db_values which,
    int (*cb)(void *arg, const char *value), void *arg)
{
	static const char *const sql[] = {
		[IRK_DBV_EVENT_HOSTS] = "SELECT DISTINCT host FROM events "
		    "ORDER BY 1",
		[IRK_DBV_EVENT_SOURCES] = "SELECT DISTINCT source FROM "
		    "events ORDER BY 1",
		[IRK_DBV_FILE_HOSTS] = "SELECT DISTINCT h.hostname FROM "
		    "files f JOIN hosts h ON h.id = f.host_id ORDER BY 1",
		[IRK_DBV_FINDING_HOSTS] = "SELECT DISTINCT h.hostname FROM "
		    "findings f JOIN hosts h ON h.id = f.host_id ORDER BY 1",
	};
	sqlite3_stmt *st = NULL;
	int s;

	if (sqlite3_prepare_v2(db->h, sql[which], -1, &st, NULL) !=
	    SQLITE_OK)
		return IRK_FATAL;
	while ((s = sqlite3_step(st)) == SQLITE_ROW)
		if (cb(arg, (const char *)sqlite3_column_text(st, 0)) != 0) {
			s = SQLITE_DONE;
			break;
		}
	sqlite3_finalize(st);
	return s == SQLITE_DONE ? IRK_OK : IRK_FATAL;
}
