/*
 * db_priv.h - the case database's own header: what a struct irk_db
 * holds, and the helpers the files of the db layer share.  Included
 * only by the db layer (analyzer/db*.c, findings.c, findings_list.c;
 * docs/ARCHITECTURE.md); everything else goes through db.h.
 */
#ifndef IRKIT_DB_PRIV_H
#define IRKIT_DB_PRIV_H

#include <stdint.h>
#include <sqlite3.h>

#include "db.h"

struct irk_db {
	sqlite3 *h;
	int in_tx;
	int hold;		/* set: no automatic commit (to roll back) */
	uint64_t pending;	/* statements since the last commit */
	/* the input being loaded, set by irk_db_evidence_add/_host */
	int64_t evidence_id;
	int64_t host_id;
	char *hostname;
	/* the evidence row an interrupted earlier load left ('loading'),
	 * removed by the last irk_db_evidence_add, or 0 */
	int64_t replaced;
	int lock_fd;		/* irk_db_open_writer's lock, or -1 */
	int reader;		/* opened read-only (irk_db_open_reader) */
	void *stmts;		/* private: prepared statements (db.c) */
};

struct irk_record_type;

/*
 * Where the statement of t's declared findings (findings.c) is kept: NULL
 * until prepared there, finalized by irk_db_close().
 */
sqlite3_stmt **irk_db_type_rules_stmt(struct irk_db *db,
    const struct irk_record_type *t);

/*
 * sql prepared once on db and kept (by its text) until irk_db_close:
 * reset, its bindings cleared, for each use; the caller resets it when
 * done (sqlite3_reset) and never finalizes it.  NULL on error
 * (sqlite3_errmsg).  For the statements a load runs again for each
 * evidence (the findings): parsing them is most of their cost on a small
 * image.  Main thread only (not the row queue's).
 */
sqlite3_stmt *irk_db_kept(struct irk_db *db, const char *sql);

/* A closed struct irk_db (lock_fd -1, statements none), or NULL. */
struct irk_db *irk_db_new(void);

/* Run q (statements, no rows): IRK_FATAL with "database: ..." in err
 * (err may be NULL). */
int irk_db_exec(struct irk_db *db, const char *q, struct irk_err *err);

/* The first column of q's first row as an integer, or -1. */
int64_t irk_db_scalar(struct irk_db *db, const char *q);

/* An open read (db.h): the statement being stepped. */
struct irk_db_rows {
	struct irk_db *db;
	sqlite3_stmt *st;
};

/*
 * Prepare sql on db as a read: *out, or IRK_FATAL with the message in
 * err.  The caller binds through irk_db_rows_st(*out).
 */
int irk_db_rows_prepare(struct irk_db *db, const char *sql,
    struct irk_db_rows **out, struct irk_err *err);
/* The same with sql from sqlite3_mprintf (NULL: out of memory), freed. */
int irk_db_rows_prepare_owned(struct irk_db *db, char *sql,
    struct irk_db_rows **out, struct irk_err *err);

/* Bind: NULL/null as NULL, strings as text, numbers, booleans as 0/1,
 * arrays and objects as compact JSON text. */
void irk_db_bind_json(sqlite3_stmt *s, int i, const json_t *v);
void irk_db_bind_text(sqlite3_stmt *s, int i, const char *v);
/* IRK_TIME_NONE as NULL. */
void irk_db_bind_time(sqlite3_stmt *s, int i, int64_t v);

/* Bind one field of a record's row by its declaration (records/record.h). */
struct irk_record_field;
struct irk_record_value;
void irk_db_bind_field(struct irk_db *db, sqlite3_stmt *s, int p,
    const struct irk_record_field *f, const struct irk_record_value *v);

#endif
