/*
 * db_read.h - the named reads of a case (db layer: db_read.c,
 * db_export.c).  A read is opened by name with its parameters and
 * walked row by row; a row's columns are read through the accessors
 * below (valid until the next irk_db_rows_next).  No SQL crosses this
 * header.
 */
#ifndef IRKIT_DB_READ_H
#define IRKIT_DB_READ_H

#include <stddef.h>
#include <stdint.h>

#include "db.h"

struct irk_db_rows;

enum irk_db_type {
	IRK_DBT_NULL, IRK_DBT_INT, IRK_DBT_REAL, IRK_DBT_TEXT, IRK_DBT_BLOB
};

/* 1 a row, 0 the end, IRK_FATAL (irk_db_errmsg tells why). */
int irk_db_rows_next(struct irk_db_rows *r);
void irk_db_rows_close(struct irk_db_rows *r);
/* Columns: their number, names, the index of a name (-1 none). */
int irk_db_rows_ncols(const struct irk_db_rows *r);
const char *irk_db_rows_name(const struct irk_db_rows *r, int i);
int irk_db_rows_index(const struct irk_db_rows *r, const char *name);
/* The current row's column i (i < 0: NULL, 0). */
enum irk_db_type irk_db_rows_type(const struct irk_db_rows *r, int i);
int irk_db_rows_isnull(const struct irk_db_rows *r, int i);
/* Text (NULL for NULL), its length in *len when len is not NULL. */
const char *irk_db_rows_text(const struct irk_db_rows *r, int i,
    size_t *len);
int64_t irk_db_rows_int(const struct irk_db_rows *r, int i);
double irk_db_rows_real(const struct irk_db_rows *r, int i);

/*
 * The image evidence rows loaded (complete or partial) whose media has
 * this size, by id: columns 0 id, 1 path, 2 sha256 (the key), 3
 * media_md5, 4 media_sha256.  IRK_FATAL with err.
 */
int irk_db_images_of_size_open(struct irk_db *db, int64_t size,
    struct irk_db_rows **out, struct irk_err *err);

/* What export selects: the filters of its options (NULL, 0: none). */
struct irk_db_filter {
	int64_t from, to;
	int has_from, has_to;
	const char *host, *source, *grep;	/* host, source: case ignored */
};

/*
 * Each event (every column of the events table) that passes the filter,
 * in time order (then id).  *sorts set when the plan sorts in temporary
 * files instead of walking the events(ts) index.  IRK_FATAL with err.
 */
int irk_db_events_open(struct irk_db *db, const struct irk_db_filter *f,
    struct irk_db_rows **out, int *sorts, struct irk_err *err);
/*
 * Each files row that passes the filter, by id: --host by the files'
 * host, --grep on the path, --from/--to when any of its times is in
 * range (bodyfile).  IRK_FATAL with err.
 */
int irk_db_files_open(struct irk_db *db, const struct irk_db_filter *f,
    struct irk_db_rows **out, struct irk_err *err);
/* The first and last event times: 1, 0 when no event has one. */
int irk_db_event_span(struct irk_db *db, int64_t *first, int64_t *last);

/* The distinct values a filter can name, sorted (NULLs as NULL). */
enum irk_db_values {
	IRK_DBV_EVENT_HOSTS,	/* events.host */
	IRK_DBV_EVENT_SOURCES,	/* events.source */
	IRK_DBV_FILE_HOSTS,	/* the hosts of files rows */
	IRK_DBV_FINDING_HOSTS	/* the hosts of findings */
};
/*
 * cb(arg, value) for each value until cb returns non-zero; 0, or
 * IRK_FATAL when they cannot be read.
 */
int irk_db_each_value(struct irk_db *db, enum irk_db_values which,
    int (*cb)(void *arg, const char *value), void *arg);

#endif
