/*
 * db_read.c - reading a case: the read-only open, the load's state for
 * the loaders, and the rows of a named read (db_read.h).  Part of the
 * db layer: it never prints.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db_priv.h"
#include "db_read.h"
#include "irkit/banned.h"

int
irk_db_open_reader(struct irk_db **out, const char *path,
    struct irk_err *err)
{
	struct irk_db *db;

	*out = NULL;
	if (access(path, R_OK) != 0) {
		irk_err_set(err, 0, "cannot read '%s': %s", path,
		    strerror(errno));
		return IRK_FATAL;
	}
	if ((db = irk_db_new()) == NULL) {
		irk_err_set(err, 0, "cannot open '%s': out of memory", path);
		return IRK_FATAL;
	}
	db->reader = 1;
	if (sqlite3_open_v2(path, &db->h, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK) {
		irk_err_set(err, 0, "cannot open '%s': %s", path,
		    db->h != NULL ? sqlite3_errmsg(db->h) : "out of memory");
		irk_db_close(db);
		return IRK_FATAL;
	}
	(void)sqlite3_busy_timeout(db->h, 5000);
	*out = db;
	return IRK_OK;
}

const char *
irk_db_errmsg(struct irk_db *db)
{
	return db != NULL && db->h != NULL ? sqlite3_errmsg(db->h) :
	    "out of memory";
}

const char *
irk_db_engine_version(void)
{
	return sqlite3_libversion();
}

int64_t
irk_db_current_evidence(const struct irk_db *db)
{
	return db->evidence_id;
}

void
irk_db_set_current_evidence(struct irk_db *db, int64_t id)
{
	db->evidence_id = id;
}

int64_t
irk_db_replaced(const struct irk_db *db)
{
	return db->replaced;
}

int
irk_db_in_tx(const struct irk_db *db)
{
	return db->in_tx;
}

void
irk_db_hold(struct irk_db *db, int on)
{
	db->hold = on;
}

int
irk_db_holding(const struct irk_db *db)
{
	return db->hold;
}

int
irk_db_rows_prepare(struct irk_db *db, const char *sql,
    struct irk_db_rows **out, struct irk_err *err)
{
	struct irk_db_rows *r;

	*out = NULL;
	if ((r = calloc(1, sizeof(*r))) == NULL) {
		irk_err_set(err, ENOMEM, "out of memory");
		return IRK_FATAL;
	}
	r->db = db;
	if (sqlite3_prepare_v2(db->h, sql, -1, &r->st, NULL) != SQLITE_OK) {
		irk_err_set(err, 0, "%s", sqlite3_errmsg(db->h));
		irk_db_rows_close(r);
		return IRK_FATAL;
	}
	*out = r;
	return IRK_OK;
}

int
irk_db_rows_prepare_owned(struct irk_db *db, char *sql,
    struct irk_db_rows **out, struct irk_err *err)
{
	int r;

	if (sql == NULL) {
		*out = NULL;
		irk_err_set(err, ENOMEM, "out of memory");
		return IRK_FATAL;
	}
	r = irk_db_rows_prepare(db, sql, out, err);
	sqlite3_free(sql);
	return r;
}

int
irk_db_rows_next(struct irk_db_rows *r)
{
	switch (sqlite3_step(r->st)) {
	case SQLITE_ROW:
		return 1;
	case SQLITE_DONE:
		return 0;
	default:
		return IRK_FATAL;
	}
}

void
irk_db_rows_close(struct irk_db_rows *r)
{
	if (r == NULL)
		return;
	sqlite3_finalize(r->st);
	free(r);
}

int
irk_db_rows_ncols(const struct irk_db_rows *r)
{
	return sqlite3_column_count(r->st);
}

const char *
irk_db_rows_name(const struct irk_db_rows *r, int i)
{
	return sqlite3_column_name(r->st, i);
}

int
irk_db_rows_index(const struct irk_db_rows *r, const char *name)
{
	for (int i = 0; i < sqlite3_column_count(r->st); i++)
		if (strcmp(sqlite3_column_name(r->st, i), name) == 0)
			return i;
	return -1;
}

enum irk_db_type
irk_db_rows_type(const struct irk_db_rows *r, int i)
{
	if (i < 0)
		return IRK_DBT_NULL;
	switch (sqlite3_column_type(r->st, i)) {
	case SQLITE_INTEGER:
		return IRK_DBT_INT;
	case SQLITE_FLOAT:
		return IRK_DBT_REAL;
	case SQLITE_TEXT:
		return IRK_DBT_TEXT;
	case SQLITE_BLOB:
		return IRK_DBT_BLOB;
	default:
		return IRK_DBT_NULL;
	}
}

int
irk_db_rows_isnull(const struct irk_db_rows *r, int i)
{
	return i < 0 || sqlite3_column_type(r->st, i) == SQLITE_NULL;
}

const char *
irk_db_rows_text(const struct irk_db_rows *r, int i, size_t *len)
{
	const char *s;

	if (len != NULL)
		*len = 0;
	if (i < 0)
		return NULL;
	s = (const char *)sqlite3_column_text(r->st, i);
	if (len != NULL && s != NULL)
		*len = (size_t)sqlite3_column_bytes(r->st, i);
	return s;
}

int64_t
irk_db_rows_int(const struct irk_db_rows *r, int i)
{
	return i < 0 ? 0 : sqlite3_column_int64(r->st, i);
}

double
irk_db_rows_real(const struct irk_db_rows *r, int i)
{
	return i < 0 ? 0 : sqlite3_column_double(r->st, i);
}

int
irk_db_images_of_size_open(struct irk_db *db, int64_t size,
    struct irk_db_rows **out, struct irk_err *err)
{
	if (irk_db_rows_prepare(db, "SELECT id, path, sha256, media_md5, "
	    "media_sha256 FROM evidence WHERE kind = 'image' AND size = ?1 "
	    "AND status IN ('complete', 'partial') ORDER BY id", out, err) != IRK_OK)
		return IRK_FATAL;
	(void)sqlite3_bind_int64((*out)->st, 1, size);
	return IRK_OK;
}
