/*
 * db_vss.c - the lookups a volume shadow copy's rows go through before
 * they are stored (see db_vss.h).  One statement for files rows, one
 * per record type met, prepared on first use.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "db_priv.h"
#include "db_vss.h"
#include "records/record.h"
#include "irkit/timeutil.h"
#include "irkit/banned.h"

/* A record type's lookup: its statement, and the field bound to each ?N. */
struct seen_type {
	const struct irk_record_type *t;
	sqlite3_stmt *s;
	int field[IRK_RECORD_MAX_FIELDS];
	int nfield;
	struct seen_type *next;
};

struct irk_db_seen {
	struct irk_db *db;
	sqlite3_stmt *file;
	struct seen_type *types;
};

static const char file_sql[] =
    "SELECT 1 FROM files WHERE evidence_id = ?1 AND path = ?2 AND "
    "volume IS ?3 AND inode IS ?4 AND meta_addr IS ?5 AND size IS ?6 AND "
    "atime IS ?7 AND mtime IS ?8 AND ctime IS ?9 AND btime IS ?10 AND "
    "deleted = ?11 LIMIT 1";

int
irk_db_seen_open(struct irk_db *db, struct irk_db_seen **out,
    struct irk_err *err)
{
	struct irk_db_seen *s;

	*out = NULL;
	if ((s = calloc(1, sizeof(*s))) == NULL) {
		irk_err_set(err, ENOMEM, "out of memory");
		return IRK_FATAL;
	}
	s->db = db;
	/* the live volume's walk is looked up by path */
	if (irk_db_exec(db, "CREATE INDEX IF NOT EXISTS files_evidence_path "
	    "ON files (evidence_id, path)", err) != IRK_OK ||
	    sqlite3_prepare_v2(db->h, file_sql, -1, &s->file, NULL) !=
	    SQLITE_OK) {
		if (s->file == NULL)
			irk_err_set(err, 0, "database: %s",
			    sqlite3_errmsg(db->h));
		irk_db_seen_free(s);
		return IRK_FATAL;
	}
	*out = s;
	return IRK_OK;
}

static void
bind_num(sqlite3_stmt *st, int i, int64_t v)
{
	if (v < 0)
		(void)sqlite3_bind_null(st, i);
	else
		(void)sqlite3_bind_int64(st, i, v);
}

/* 1 when st, bound, returns a row; 0 not; IRK_FATAL.  Reset after. */
static int
step_seen(sqlite3_stmt *st)
{
	int r = sqlite3_step(st);

	(void)sqlite3_reset(st);
	(void)sqlite3_clear_bindings(st);
	return r == SQLITE_ROW ? 1 : r == SQLITE_DONE ? 0 : IRK_FATAL;
}

int
irk_db_seen_file(struct irk_db_seen *s, const struct irk_db_file *f)
{
	sqlite3_stmt *st = s->file;

	(void)sqlite3_bind_int64(st, 1, irk_db_current_evidence(s->db));
	irk_db_bind_text(st, 2, f->path ? f->path : "");
	irk_db_bind_text(st, 3, f->volume);
	bind_num(st, 4, f->inode);
	irk_db_bind_text(st, 5, f->meta_addr);
	bind_num(st, 6, f->size);
	irk_db_bind_time(st, 7, f->atime);
	irk_db_bind_time(st, 8, f->mtime);
	irk_db_bind_time(st, 9, f->ctime);
	irk_db_bind_time(st, 10, f->btime);
	(void)sqlite3_bind_int(st, 11, f->deleted ? 1 : 0);
	return step_seen(st);
}

static int
field_index(const struct irk_record_type *t, const char *column)
{
	for (int i = 0; t->fields[i].column != NULL &&
	    i < IRK_RECORD_MAX_FIELDS; i++)
		if (strcmp(t->fields[i].column, column) == 0)
			return i;
	return -1;
}

/* "... AND col IS ?N" for each of cols that is a field of t. */
static void
seen_terms(sqlite3_str *q, struct seen_type *k, const char *const *cols)
{
	for (int i = 0; cols != NULL && cols[i] != NULL &&
	    k->nfield < IRK_RECORD_MAX_FIELDS; i++) {
		int f = field_index(k->t, cols[i]);

		if (f < 0)
			continue;
		k->field[k->nfield++] = f;
		sqlite3_str_appendf(q, " AND %s IS ?%d", cols[i],
		    k->nfield + 1);
	}
}

/* The lookup of type t, made on first use; NULL on error. */
static struct seen_type *
seen_type(struct irk_db_seen *s, const struct irk_record_type *t)
{
	struct seen_type *k;
	sqlite3_str *q;
	char *sql;
	int r;

	for (k = s->types; k != NULL; k = k->next)
		if (k->t == t)
			return k;
	if ((k = calloc(1, sizeof(*k))) == NULL)
		return NULL;
	k->t = t;
	/* the index a type stored once has (db.c), for every type here */
	q = sqlite3_str_new(s->db->h);
	sqlite3_str_appendf(q, "CREATE INDEX IF NOT EXISTS %s_identity ON "
	    "%s (", t->table, t->table);
	for (int i = 0; t->identity[i] != NULL; i++)
		sqlite3_str_appendf(q, "%s%s", i ? ", " : "", t->identity[i]);
	sqlite3_str_appendall(q, ")");
	if ((sql = sqlite3_str_finish(q)) == NULL ||
	    irk_db_exec(s->db, sql, NULL) != IRK_OK) {
		sqlite3_free(sql);
		free(k);
		return NULL;
	}
	sqlite3_free(sql);
	q = sqlite3_str_new(s->db->h);
	sqlite3_str_appendf(q, "SELECT 1 FROM %s WHERE evidence_id = ?1",
	    t->table);
	seen_terms(q, k, t->identity);
	seen_terms(q, k, t->compare);
	sqlite3_str_appendall(q, " LIMIT 1");
	if ((sql = sqlite3_str_finish(q)) == NULL) {
		free(k);
		return NULL;
	}
	r = sqlite3_prepare_v2(s->db->h, sql, -1, &k->s, NULL);
	sqlite3_free(sql);
	if (r != SQLITE_OK) {
		free(k);
		return NULL;
	}
	k->next = s->types;
	s->types = k;
	return k;
}

int
irk_db_seen_record(struct irk_db_seen *s, const json_t *rec)
{
	const struct irk_record_type *t;
	struct irk_record_row row;
	struct seen_type *k;
	int r;

	t = irk_record_find(json_string_value(json_object_get(rec, "type")));
	if (t->identity == NULL || t->identity[0] == NULL || t->load != NULL ||
	    field_index(t, "evidence_id") < 0)
		return 0;
	if ((k = seen_type(s, t)) == NULL)
		return IRK_FATAL;
	if (irk_record_row_fill(&row, t, rec, NULL, 0) != 0) {
		irk_record_row_free(&row);
		return IRK_FATAL;
	}
	(void)sqlite3_bind_int64(k->s, 1, irk_db_current_evidence(s->db));
	for (int i = 0; i < k->nfield; i++)
		irk_db_bind_field(s->db, k->s, i + 2, &t->fields[k->field[i]],
		    &row.v[k->field[i]]);
	r = step_seen(k->s);
	irk_record_row_free(&row);
	return r;
}

void
irk_db_seen_free(struct irk_db_seen *s)
{
	if (s == NULL)
		return;
	while (s->types != NULL) {
		struct seen_type *k = s->types;

		s->types = k->next;
		sqlite3_finalize(k->s);
		free(k);
	}
	sqlite3_finalize(s->file);
	free(s);
}
