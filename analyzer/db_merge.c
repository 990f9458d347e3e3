/*
 * db_merge.c - a shard (a case database made by ingest or image on
 * another machine) merged into the case: irkit-analyze merge
 * (docs/scale-out.md, "Shards and merge").
 *
 * The shard is attached read-only and copied table by table with
 * INSERT ... SELECT, so nothing is held in memory whatever its size,
 * all in one transaction on the case (a killed merge leaves the case
 * as it was).  What is copied is driven by the case's own tables, not
 * a list: every table of the case is one of the few below that merge
 * treats apart, or a table whose rows belong to an evidence (an
 * evidence_id column, a file_id, or a record_table/record_id pair), or
 * the merge refuses to run.  Row ids move past the case's (id plus the
 * case's largest id), the references move with them: evidence_id and
 * host_id through the maps of this merge, file_id, a child's parent
 * column (records/: IRK_RF_PARENT_ID) and record_id by the offset of
 * the table they name.  Findings are not copied: they are computed
 * again for each merged evidence by irk_db_findings, as ingest does.
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_priv.h"
#include "db_merge.h"
#include "records/record.h"
#include "irkit/fs.h"
#include "irkit/banned.h"

#define MAX_TABLES	160

/* How a table of the case is merged. */
enum how {
	M_ROWS,		/* rows of an evidence: copied with it */
	M_NOT,		/* the case's own (meta) */
	M_HOSTS,	/* matched by hostname and machine id */
	M_EVIDENCE,	/* de-duplicated by content */
	M_CACHE,	/* merged by key */
	M_BASELINES,	/* kept where the case has none for the host */
	M_REDONE,	/* findings: computed again */
};

static const struct {
	const char *table;
	enum how how;
} apart[] = {
	{ "meta", M_NOT }, { "hosts", M_HOSTS }, { "evidence", M_EVIDENCE },
	{ "scan_cache", M_CACHE }, { "baselines", M_BASELINES },
	{ "findings", M_REDONE }, { "finding_links", M_REDONE },
	/* the cross-host findings' indicators: irk_findings_cross after
	 * the merge computes them again over the whole case */
	{ "cross_findings", M_REDONE },
};

struct mtable {
	char *name;
	enum how how;
	int64_t off;		/* the case's largest id; -1: no id column */
	int in_shard, has_ev, has_file, has_rec;
	const struct irk_record_type *type;
};

struct merge {
	struct irk_db *db;
	const char *shard;
	struct mtable t[MAX_TABLES];
	size_t n;
	struct irk_merge_result *res;
	struct irk_err *err;
};

void
irk_db_merge_init(void)
{
	(void)sqlite3_config(SQLITE_CONFIG_URI, 1);
}

static int
sql_fail(struct merge *m)
{
	irk_err_set(m->err, 0, "database: %s", sqlite3_errmsg(m->db->h));
	return IRK_FATAL;
}

/* Run q (no rows); *changes (may be NULL) gets the rows it wrote. */
static int
run_q(struct merge *m, const char *q, uint64_t *changes)
{
	char *msg = NULL;

	if (sqlite3_exec(m->db->h, q, NULL, NULL, &msg) != SQLITE_OK) {
		irk_err_set(m->err, 0, "database: %s", msg ? msg :
		    sqlite3_errmsg(m->db->h));
		sqlite3_free(msg);
		return IRK_FATAL;
	}
	if (changes != NULL)
		*changes += (uint64_t)sqlite3_changes64(m->db->h);
	return IRK_OK;
}

/* The first column of q (text), into buf; 1 a row, 0 none, -1 error. */
static int
one_text(sqlite3 *h, const char *q, char *buf, size_t len)
{
	sqlite3_stmt *s;
	int r;

	buf[0] = '\0';
	if (sqlite3_prepare_v2(h, q, -1, &s, NULL) != SQLITE_OK)
		return -1;
	r = sqlite3_step(s);
	if (r == SQLITE_ROW) {
		const unsigned char *v = sqlite3_column_text(s, 0);

		(void)snprintf(buf, len, "%s", v ? (const char *)v : "");
	}
	sqlite3_finalize(s);
	return r == SQLITE_ROW ? 1 : r == SQLITE_DONE ? 0 : -1;
}

/*
 * The shard opened apart first: an irkit case of this schema version,
 * not the case itself, not being loaded.  IRK_OK or IRK_FAIL (err).
 */
static int
shard_check(struct merge *m)
{
	const char *mine = sqlite3_db_filename(m->db->h, "main");
	struct stat a, b;
	sqlite3 *h = NULL;
	char v[64];
	int r;

	if (stat(m->shard, &a) != 0) {
		irk_err_set(m->err, errno, "cannot read '%s'", m->shard);
		return IRK_FAIL;
	}
	if (mine != NULL && stat(mine, &b) == 0 && a.st_dev == b.st_dev &&
	    a.st_ino == b.st_ino) {
		irk_err_set(m->err, 0, "'%s' is the case itself", m->shard);
		return IRK_FAIL;
	}
	if (irk_db_being_loaded(m->shard)) {
		irk_err_set(m->err, 0, "'%s' is being loaded by another "
		    "irkit-analyze; merge it when it has finished", m->shard);
		return IRK_FAIL;
	}
	if (sqlite3_open_v2(m->shard, &h, SQLITE_OPEN_READONLY |
	    SQLITE_OPEN_NOFOLLOW, NULL) != SQLITE_OK) {
		irk_err_set(m->err, 0, "cannot open '%s': %s", m->shard,
		    h ? sqlite3_errmsg(h) : "out of memory");
		sqlite3_close(h);
		return IRK_FAIL;
	}
	r = one_text(h, "SELECT value FROM meta WHERE key = 'schema_version'",
	    v, sizeof(v));
	if (r <= 0)
		irk_err_set(m->err, 0, "'%s' is not an irkit case (%s)",
		    m->shard, r < 0 ? sqlite3_errmsg(h) : "no schema version");
	else if (strcmp(v, "1") != 0)
		irk_err_set(m->err, 0, "'%s' is a case of schema version '%.20s'"
		    "; this irkit-analyze merges version 1 only", m->shard, v);
	sqlite3_close(h);
	return r > 0 && strcmp(v, "1") == 0 ? IRK_OK : IRK_FAIL;
}

/* ATTACH the shard read-only, as "shard" (its name as a URI). */
static int
attach(struct merge *m)
{
	sqlite3_str *u = sqlite3_str_new(m->db->h);
	sqlite3_stmt *s;
	char *uri;
	int r;

	sqlite3_str_appendall(u, "file:");
	for (const unsigned char *p = (const unsigned char *)m->shard; *p;
	    p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("/._-", *p) != NULL)
			sqlite3_str_appendchar(u, 1, (char)*p);
		else
			sqlite3_str_appendf(u, "%%%02X", *p);
	}
	sqlite3_str_appendall(u, "?mode=ro");
	if ((uri = sqlite3_str_finish(u)) == NULL)
		return sql_fail(m);
	r = sqlite3_prepare_v2(m->db->h, "ATTACH ?1 AS shard", -1, &s, NULL);
	if (r == SQLITE_OK) {
		(void)sqlite3_bind_text(s, 1, uri, -1, SQLITE_STATIC);
		r = sqlite3_step(s) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
		sqlite3_finalize(s);
	}
	sqlite3_free(uri);
	if (r != SQLITE_OK) {
		irk_err_set(m->err, 0, "cannot attach '%s': %s", m->shard,
		    sqlite3_errmsg(m->db->h));
		return IRK_FAIL;
	}
	return IRK_OK;
}

/*
 * A table or a column of the shard that the case has not: a newer
 * schema (or another program's tables).  IRK_OK, IRK_FAIL (err).
 */
static int
same_schema(struct merge *m)
{
	static const char q[] =
	    "SELECT t.name || CASE WHEN t.name NOT IN (SELECT name FROM"
	    " main.sqlite_master WHERE type = 'table') THEN '' ELSE"
	    " coalesce('.' || ("
	    "  SELECT c.name FROM pragma_table_info(t.name, 'shard') c"
	    "  WHERE NOT EXISTS (SELECT 1 FROM pragma_table_info(t.name,"
	    "  'main') k WHERE k.name = c.name) LIMIT 1), '') END"
	    " FROM shard.sqlite_master t WHERE t.type = 'table' AND"
	    " t.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND (t.name NOT IN"
	    " (SELECT name FROM main.sqlite_master WHERE type = 'table') OR"
	    " EXISTS (SELECT 1 FROM pragma_table_info(t.name, 'shard') c"
	    "  WHERE NOT EXISTS (SELECT 1 FROM pragma_table_info(t.name,"
	    "  'main') k WHERE k.name = c.name))) LIMIT 1";
	char what[256];
	int r = one_text(m->db->h, q, what, sizeof(what));

	if (r < 0)
		return sql_fail(m);
	if (r == 0)
		return IRK_OK;
	irk_err_set(m->err, 0, "'%s' has '%s', which this case has not (made "
	    "by a newer irkit-analyze?): merge it with that version", m->shard,
	    what);
	return IRK_FAIL;
}

/* 1 when table (of schema db) has column, 0 not, -1 error. */
static int
has_col(struct merge *m, const char *db, const char *table, const char *col)
{
	sqlite3_stmt *s;
	int r;

	if (sqlite3_prepare_v2(m->db->h, "SELECT 1 FROM pragma_table_info(?1, "
	    "?2) WHERE name = ?3", -1, &s, NULL) != SQLITE_OK)
		return -1;
	irk_db_bind_text(s, 1, table);
	irk_db_bind_text(s, 2, db);
	irk_db_bind_text(s, 3, col);
	r = sqlite3_step(s);
	sqlite3_finalize(s);
	return r == SQLITE_ROW ? 1 : r == SQLITE_DONE ? 0 : -1;
}

static void
tables_free(struct merge *m)
{
	for (size_t i = 0; i < m->n; i++)
		free(m->t[i].name);
	m->n = 0;
}

/* What one table of the case is and holds (its largest id). */
static int
table_read(struct merge *m, struct mtable *t)
{
	char q[256];
	int64_t off;

	t->how = M_ROWS;
	for (size_t k = 0; k < sizeof(apart) / sizeof(apart[0]); k++)
		if (strcmp(apart[k].table, t->name) == 0)
			t->how = apart[k].how;
	t->type = irk_record_by_table(t->name);
	(void)snprintf(q, sizeof(q), "SELECT count(*) FROM shard."
	    "sqlite_master WHERE type = 'table' AND name = '%s'", t->name);
	t->in_shard = irk_db_scalar(m->db, q) > 0;
	t->has_ev = has_col(m, "main", t->name, "evidence_id");
	t->has_file = has_col(m, "main", t->name, "file_id");
	t->has_rec = has_col(m, "main", t->name, "record_table");
	if (t->has_ev < 0 || t->has_file < 0 || t->has_rec < 0)
		return sql_fail(m);
	t->off = -1;
	if (has_col(m, "main", t->name, "id") == 1) {
		(void)snprintf(q, sizeof(q), "SELECT coalesce(max(id), 0) "
		    "FROM main.\"%s\"", t->name);
		if ((off = irk_db_scalar(m->db, q)) < 0)
			return sql_fail(m);
		t->off = off;
	}
	if (t->how == M_ROWS && !t->has_ev && !t->has_file && !t->has_rec) {
		irk_err_set(m->err, 0, "the case's table '%s' has no "
		    "evidence_id, file_id or record_table: merge cannot tell "
		    "whose its rows are (declare it in analyzer/db_merge.c)",
		    t->name);
		return IRK_FATAL;
	}
	return IRK_OK;
}

/* The case's tables (names of [a-z0-9_]: safe in SQL text). */
static int
tables_read(struct merge *m)
{
	sqlite3_stmt *s;
	const char *name;
	int r = IRK_OK;

	if (sqlite3_prepare_v2(m->db->h, "SELECT name FROM main.sqlite_master "
	    "WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
	    "ORDER BY rowid", -1, &s, NULL) != SQLITE_OK)
		return sql_fail(m);
	while (r == IRK_OK && sqlite3_step(s) == SQLITE_ROW) {
		if (m->n == MAX_TABLES) {
			irk_err_set(m->err, 0, "more than %d tables",
			    MAX_TABLES);
			r = IRK_FATAL;
			break;
		}
		name = (const char *)sqlite3_column_text(s, 0);
		if (name == NULL || strspn(name, "abcdefghijklmnopqrstuvwxyz"
		    "0123456789_") != strlen(name) || strlen(name) > 64) {
			irk_err_set(m->err, 0, "the case's table '%s': a name "
			    "merge does not take into SQL", name ? name : "");
			r = IRK_FATAL;
			break;
		}
		m->t[m->n].name = strdup(name);
		if (m->t[m->n].name == NULL) {
			irk_err_set(m->err, ENOMEM, "out of memory");
			r = IRK_FATAL;
			break;
		}
		r = table_read(m, &m->t[m->n++]);
	}
	sqlite3_finalize(s);
	return r;
}

static const struct mtable *
table_named(const struct merge *m, const char *name)
{
	for (size_t i = 0; i < m->n; i++)
		if (strcmp(m->t[i].name, name) == 0)
			return &m->t[i];
	return NULL;
}

/* The table a child type's parent column points to, or NULL. */
static const char *
parent_table(const char *table, const char *column)
{
	for (size_t i = 0; irk_record_types[i] != NULL; i++) {
		const struct irk_record_type *p = irk_record_types[i];

		for (int c = 0; p->children && p->children[c].key; c++) {
			const struct irk_record_type *k = p->children[c].type;
			int f = irk_record_column(k, column);

			if (strcmp(k->table, table) == 0 && f >= 0 &&
			    k->fields[f].how == IRK_RF_PARENT_ID)
				return p->table;
		}
	}
	return NULL;
}

/* record_id moved by the offset of the table record_table names. */
static void
record_id_expr(const struct merge *m, sqlite3_str *q)
{
	sqlite3_str_appendall(q, "CASE t.record_table");
	for (size_t i = 0; i < m->n; i++)
		if (m->t[i].off >= 0)
			sqlite3_str_appendf(q, " WHEN '%s' THEN t.record_id + "
			    "%lld", m->t[i].name, (long long)m->t[i].off);
	sqlite3_str_appendall(q, " ELSE t.record_id END");
}

/* The value a column of t takes in the case. */
static int
column_expr(const struct merge *m, const struct mtable *t, const char *c,
    sqlite3_str *q)
{
	const struct mtable *p;
	const char *pt;
	int in = has_col((struct merge *)m, "shard", t->name, c);

	if (in < 0)
		return -1;
	if (!in)
		sqlite3_str_appendall(q, "NULL");
	else if (strcmp(c, "id") == 0 && t->off >= 0)
		sqlite3_str_appendf(q, "t.id + %lld", (long long)t->off);
	else if (strcmp(c, "evidence_id") == 0)
		sqlite3_str_appendall(q, "(SELECT new FROM temp.merge_ev "
		    "WHERE old = t.evidence_id)");
	else if (strcmp(c, "host_id") == 0)
		sqlite3_str_appendall(q, "(SELECT new FROM temp.merge_host "
		    "WHERE old = t.host_id)");
	else if (strcmp(c, "file_id") == 0 &&
	    (p = table_named(m, "files")) != NULL)
		sqlite3_str_appendf(q, "t.file_id + %lld", (long long)p->off);
	else if (strcmp(c, "record_id") == 0 && t->has_rec)
		record_id_expr(m, q);
	else if ((pt = parent_table(t->name, c)) != NULL &&
	    (p = table_named(m, pt)) != NULL)
		sqlite3_str_appendf(q, "t.\"%w\" + %lld", c,
		    (long long)p->off);
	else
		sqlite3_str_appendf(q, "t.\"%w\"", c);
	return 0;
}

/* The evidence a row of a record_table/record_id table is of. */
static void
record_owner(const struct merge *m, sqlite3_str *q)
{
	sqlite3_str_appendall(q, "CASE t.record_table");
	for (size_t i = 0; i < m->n; i++)
		if (m->t[i].has_ev && m->t[i].in_shard && m->t[i].off >= 0 &&
		    m->t[i].how == M_ROWS)
			sqlite3_str_appendf(q, " WHEN '%s' THEN (SELECT "
			    "evidence_id FROM shard.\"%s\" WHERE id = "
			    "t.record_id)", m->t[i].name, m->t[i].name);
	sqlite3_str_appendall(q, " END");
}

/*
 * A row whose record is not in the case: a finding's (computed again),
 * or one of a type stored once or unique whose record was not copied.
 */
static void
record_kept(const struct merge *m, sqlite3_str *q)
{
	sqlite3_str_appendall(q, " AND CASE t.record_table");
	for (size_t i = 0; i < m->n; i++) {
		const struct mtable *r = &m->t[i];

		if (r->how == M_REDONE)
			sqlite3_str_appendf(q, " WHEN '%s' THEN 0", r->name);
		else if (r->type != NULL && r->off >= 0 &&
		    (r->type->once || r->type->unique != NULL))
			sqlite3_str_appendf(q, " WHEN '%s' THEN EXISTS (SELECT "
			    "1 FROM main.\"%s\" WHERE id = t.record_id + %lld)",
			    r->name, r->name, (long long)r->off);
	}
	sqlite3_str_appendall(q, " ELSE 1 END");
}

/* A row of no evidence (the analyzer's own log): unless the case has it. */
static int
not_had(struct merge *m, const struct mtable *t, sqlite3_str *q)
{
	sqlite3_stmt *s;

	if (sqlite3_prepare_v2(m->db->h, "SELECT name FROM pragma_table_info"
	    "(?1, 'shard') WHERE name NOT IN ('id', 'evidence_id') ORDER BY "
	    "cid", -1, &s, NULL) != SQLITE_OK)
		return -1;
	irk_db_bind_text(s, 1, t->name);
	sqlite3_str_appendf(q, "(t.evidence_id IS NULL AND NOT EXISTS (SELECT "
	    "1 FROM main.\"%w\" x WHERE x.evidence_id IS NULL", t->name);
	while (sqlite3_step(s) == SQLITE_ROW)
		sqlite3_str_appendf(q, " AND x.\"%w\" IS t.\"%w\"",
		    sqlite3_column_text(s, 0), sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	sqlite3_str_appendall(q, "))");
	return 0;
}

/*
 * Which rows of t are copied: those of the evidence merged now, or
 * (lone) the rows of no evidence the case lacks.  Apart, because a
 * SELECT that reads the table it inserts into is first written whole
 * into a temporary table: the lone rows are a few log lines, the
 * evidence's rows may be millions of events.
 */
static int
row_filter(struct merge *m, const struct mtable *t, int lone,
    sqlite3_str *q)
{
	const char *in = " IN (SELECT old FROM temp.merge_ev WHERE copy)";

	if (t->how == M_CACHE)
		return 0;
	if (t->how == M_HOSTS) {
		sqlite3_str_appendf(q, " WHERE t.id IN (SELECT e.host_id FROM "
		    "shard.evidence e WHERE e.id%s) AND NOT EXISTS (SELECT 1 "
		    "FROM main.hosts x WHERE x.hostname IS t.hostname AND "
		    "x.machine_id IS t.machine_id)", in);
		return 0;
	}
	sqlite3_str_appendall(q, " WHERE (");
	if (t->how == M_EVIDENCE)
		sqlite3_str_appendf(q, "t.id%s", in);
	else if (t->has_ev && !lone)
		sqlite3_str_appendf(q, "t.evidence_id%s", in);
	else if (t->has_ev) {
		if (not_had(m, t, q) != 0)
			return -1;
	} else {
		if (t->has_file)
			sqlite3_str_appendf(q, "(SELECT evidence_id FROM "
			    "shard.files WHERE id = t.file_id)%s", in);
		if (t->has_file && t->has_rec)
			sqlite3_str_appendall(q, " OR (t.file_id IS NULL AND ");
		if (t->has_rec) {
			record_owner(m, q);
			sqlite3_str_appendall(q, in);
		}
		if (t->has_file && t->has_rec)
			sqlite3_str_appendall(q, ")");
	}
	sqlite3_str_appendall(q, ")");
	if (t->has_rec)
		record_kept(m, q);
	/* a type stored once: not when the case has its identity */
	if (t->type != NULL && t->type->once && t->type->identity != NULL) {
		sqlite3_str_appendf(q, " AND NOT EXISTS (SELECT 1 FROM "
		    "main.\"%w\" x WHERE 1", t->name);
		for (int k = 0; t->type->identity[k] != NULL; k++)
			sqlite3_str_appendf(q, " AND x.\"%w\" = t.\"%w\"",
			    t->type->identity[k], t->type->identity[k]);
		sqlite3_str_appendall(q, ")");
	}
	return 0;
}

/*
 * INSERT INTO main.T (cols) SELECT exprs FROM shard.T t WHERE filter:
 * the rows of the merged evidence, or (lone) those of none.
 */
static int
copy_rows(struct merge *m, const struct mtable *t, int lone)
{
	sqlite3_str *q = sqlite3_str_new(m->db->h), *cols;
	sqlite3_stmt *s;
	char *text, *ctext;
	uint64_t n = 0;
	int r, first = 1;

	cols = sqlite3_str_new(m->db->h);
	if (sqlite3_prepare_v2(m->db->h, "SELECT name FROM pragma_table_info"
	    "(?1, 'main') ORDER BY cid", -1, &s, NULL) != SQLITE_OK) {
		sqlite3_free(sqlite3_str_finish(q));
		sqlite3_free(sqlite3_str_finish(cols));
		return sql_fail(m);
	}
	irk_db_bind_text(s, 1, t->name);
	sqlite3_str_appendall(q, " SELECT ");
	r = 0;
	while (r == 0 && sqlite3_step(s) == SQLITE_ROW) {
		const char *c = (const char *)sqlite3_column_text(s, 0);

		sqlite3_str_appendf(cols, "%s\"%w\"", first ? "" : ", ", c);
		sqlite3_str_appendall(q, first ? "" : ", ");
		r = column_expr(m, t, c, q);
		first = 0;
	}
	sqlite3_finalize(s);
	sqlite3_str_appendf(q, " FROM shard.\"%w\" t", t->name);
	if (r == 0)
		r = row_filter(m, t, lone, q);
	if (t->off >= 0)
		sqlite3_str_appendall(q, " ORDER BY t.id");
	text = sqlite3_str_finish(q);
	ctext = sqlite3_str_finish(cols);
	if (r != 0 || text == NULL || ctext == NULL) {
		sqlite3_free(text);
		sqlite3_free(ctext);
		return sql_fail(m);
	}
	q = sqlite3_str_new(m->db->h);
	sqlite3_str_appendf(q, "INSERT %sINTO main.\"%w\" (%s)%s",
	    t->how == M_CACHE || (t->type != NULL && t->type->unique !=
	    NULL) ? "OR IGNORE " : "",
	    t->name, ctext, text);
	sqlite3_free(text);
	sqlite3_free(ctext);
	if ((text = sqlite3_str_finish(q)) == NULL)
		return sql_fail(m);
	r = run_q(m, text, &n);
	sqlite3_free(text);
	m->res->rows += n;
	if (strcmp(t->name, "events") == 0)
		m->res->events += n;
	if (t->how == M_CACHE)
		m->res->cache += n;
	return r;
}

static int
copy_table(struct merge *m, const struct mtable *t)
{
	int r = copy_rows(m, t, 0);

	if (r == IRK_OK && t->how == M_ROWS && t->has_ev)
		r = copy_rows(m, t, 1);
	return r;
}

/* A column of the shard's evidence, or NULL when it predates it. */
static const char *
ev_col(struct merge *m, const char *c)
{
	return has_col(m, "shard", "evidence", c) == 1 ? c : "NULL";
}

/*
 * temp.merge_ev: each evidence of the shard, its id in the case (new)
 * and whether it is copied now: not when the case has the same content
 * (new: the case's row) or the shard's load never finished (new NULL).
 */
static int
evidence_map(struct merge *m)
{
	const struct mtable *e = table_named(m, "evidence");
	char q[2048];

	if (e == NULL || e->off < 0) {
		irk_err_set(m->err, 0, "the case has no evidence table");
		return IRK_FATAL;
	}
	(void)snprintf(q, sizeof(q), "INSERT INTO temp.merge_ev (old, new, "
	    "copy) SELECT e.id, CASE WHEN e.status IS 'loading' THEN NULL "
	    "ELSE coalesce("
	    "(SELECT x.id FROM main.evidence x WHERE x.sha256 = e.sha256), "
	    "(SELECT x.id FROM main.evidence x WHERE x.media_sha256 = e.%s "
	    "OR x.sha256 = e.%s OR x.media_sha256 = e.sha256 "
	    "ORDER BY x.id LIMIT 1), "
	    "(SELECT x.id FROM main.evidence x WHERE x.media_md5 = e.%s "
	    "ORDER BY x.id LIMIT 1), "
	    "(SELECT x.id FROM main.evidence x WHERE x.manifest_sha256 = "
	    "e.%s AND e.verify IS 'intact' AND e.status IS 'complete' AND "
	    "x.verify IS 'intact' AND x.status IS 'complete' ORDER BY x.id "
	    "LIMIT 1), -(e.id + %lld)) END, 0 FROM shard.evidence e; "
	    "UPDATE temp.merge_ev SET new = -new, copy = 1 WHERE new < 0",
	    ev_col(m, "media_sha256"), ev_col(m, "media_sha256"),
	    ev_col(m, "media_md5"), ev_col(m, "manifest_sha256"),
	    (long long)e->off);
	return run_q(m, q, NULL);
}

/* Rows still 'loading' in the case that the shard has whole: removed. */
static int
forget_unfinished(struct merge *m)
{
	sqlite3_stmt *s;
	int64_t ids[64];
	size_t n = 0;
	int r = IRK_OK;

	do {
		n = 0;
		if (sqlite3_prepare_v2(m->db->h, "SELECT x.id FROM "
		    "main.evidence x JOIN shard.evidence e ON e.sha256 = "
		    "x.sha256 WHERE x.status IS 'loading' AND e.status IS NOT "
		    "'loading' LIMIT 64", -1, &s, NULL) != SQLITE_OK)
			return sql_fail(m);
		while (n < 64 && sqlite3_step(s) == SQLITE_ROW)
			ids[n++] = sqlite3_column_int64(s, 0);
		sqlite3_finalize(s);
		for (size_t i = 0; r == IRK_OK && i < n; i++)
			if (irk_db_evidence_forget(m->db, ids[i]) != IRK_OK)
				r = sql_fail(m);
	} while (r == IRK_OK && n > 0);
	return r;
}

/* Tell of the shard's evidence not copied. */
static int
tell_skipped(struct merge *m, irk_merge_skip_fn *skip, void *arg)
{
	sqlite3_stmt *s;

	if (sqlite3_prepare_v2(m->db->h, "SELECT e.path, e.id, "
	    "coalesce(v.new, 0) FROM temp.merge_ev v JOIN shard.evidence e ON "
	    "e.id = v.old WHERE NOT v.copy ORDER BY e.id", -1, &s, NULL) !=
	    SQLITE_OK)
		return sql_fail(m);
	while (sqlite3_step(s) == SQLITE_ROW) {
		m->res->skipped++;
		if (skip != NULL)
			skip(arg, (const char *)sqlite3_column_text(s, 0),
			    sqlite3_column_int64(s, 1),
			    sqlite3_column_int64(s, 2));
	}
	sqlite3_finalize(s);
	return IRK_OK;
}

/* The hosts of the merged evidence the case has not; then the map. */
static int
hosts_merge(struct merge *m)
{
	const struct mtable *h = table_named(m, "hosts");

	if (h == NULL || copy_table(m, h) != IRK_OK)
		return h == NULL ? sql_fail(m) : IRK_FATAL;
	return run_q(m, "INSERT INTO temp.merge_host (old, new) SELECT t.id, "
	    "x.id FROM shard.hosts t JOIN main.hosts x ON x.hostname IS "
	    "t.hostname AND x.machine_id IS t.machine_id", NULL);
}

/* The shard's baseline marks of hosts the case has none for. */
static int
baselines_merge(struct merge *m)
{
	uint64_t n = 0;

	if (run_q(m, "INSERT OR IGNORE INTO temp.merge_base (host) SELECT "
	    "h.new FROM shard.baselines b JOIN temp.merge_host h ON h.old = "
	    "b.host_id JOIN temp.merge_ev v ON v.old = b.evidence_id AND "
	    "v.new IS NOT NULL WHERE NOT EXISTS (SELECT 1 FROM main.baselines "
	    "x WHERE x.host_id = h.new)", NULL) != IRK_OK ||
	    run_q(m, "INSERT INTO main.baselines (host_id, evidence_id, "
	    "marked_at) SELECT h.new, v.new, b.marked_at FROM shard.baselines "
	    "b JOIN temp.merge_host h ON h.old = b.host_id JOIN temp.merge_ev "
	    "v ON v.old = b.evidence_id WHERE h.new IN (SELECT host FROM "
	    "temp.merge_base)", &n) != IRK_OK)
		return IRK_FATAL;
	m->res->baselines += n;
	return IRK_OK;
}

/* The current evidence of the db layer: id, its host and host name. */
static int
set_current(struct merge *m, int64_t id, int64_t host, const char *name)
{
	m->db->evidence_id = id;
	m->db->host_id = host;
	free(m->db->hostname);
	m->db->hostname = NULL;
	if (name != NULL && (m->db->hostname = strdup(name)) == NULL) {
		irk_err_set(m->err, ENOMEM, "out of memory");
		return IRK_FATAL;
	}
	return IRK_OK;
}

/*
 * The findings of each merged evidence, as ingest computes them after
 * a load (irk_db_findings), then the baseline findings of the hosts
 * whose baseline came with this shard.
 */
static int
findings_redo(struct merge *m)
{
	sqlite3_stmt *s;
	int r = IRK_OK;

	if (sqlite3_prepare_v2(m->db->h, "SELECT v.new, e.host_id, "
	    "h.hostname FROM temp.merge_ev v JOIN main.evidence e ON e.id = "
	    "v.new LEFT JOIN main.hosts h ON h.id = e.host_id WHERE v.copy "
	    "ORDER BY v.new", -1, &s, NULL) != SQLITE_OK)
		return sql_fail(m);
	while (r == IRK_OK && sqlite3_step(s) == SQLITE_ROW) {
		r = set_current(m, sqlite3_column_int64(s, 0),
		    sqlite3_column_int64(s, 1),
		    (const char *)sqlite3_column_text(s, 2));
		if (r == IRK_OK && irk_db_findings(m->db, m->err) != IRK_OK)
			r = IRK_FATAL;
	}
	sqlite3_finalize(s);
	if (r != IRK_OK)
		return r;
	if (sqlite3_prepare_v2(m->db->h, "SELECT b.host, h.hostname FROM "
	    "temp.merge_base b LEFT JOIN main.hosts h ON h.id = b.host ORDER "
	    "BY b.host", -1, &s, NULL) != SQLITE_OK)
		return sql_fail(m);
	while (r == IRK_OK && sqlite3_step(s) == SQLITE_ROW) {
		/* the events of the findings name the host */
		r = set_current(m, 0, sqlite3_column_int64(s, 0),
		    (const char *)sqlite3_column_text(s, 1));
		if (r == IRK_OK && irk_db_baseline_redo(m->db,
		    sqlite3_column_int64(s, 0)) != IRK_OK)
			r = sql_fail(m);
	}
	sqlite3_finalize(s);
	(void)set_current(m, 0, 0, NULL);
	m->res->findings = (uint64_t)irk_db_scalar(m->db, "SELECT count(*) "
	    "FROM findings WHERE evidence_id IN (SELECT new FROM "
	    "temp.merge_ev WHERE copy)");
	return r;
}

/* Every table, in the order the references need. */
static int
copy_all(struct merge *m)
{
	const struct mtable *e = table_named(m, "evidence");
	int r;

	if ((r = hosts_merge(m)) != IRK_OK || (r = copy_table(m, e)) != IRK_OK)
		return r;
	/* rows naming a record (events, IOC hits) after the records */
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < m->n; i++) {
			const struct mtable *t = &m->t[i];

			if (t->how != M_ROWS || !t->in_shard ||
			    t->has_rec != pass)
				continue;
			if ((r = copy_table(m, t)) != IRK_OK)
				return r;
		}
	if ((e = table_named(m, "scan_cache")) != NULL && e->in_shard &&
	    (r = copy_table(m, e)) != IRK_OK)
		return r;
	if ((e = table_named(m, "baselines")) != NULL && e->in_shard &&
	    (r = baselines_merge(m)) != IRK_OK)
		return r;
	return findings_redo(m);
}

/*
 * Memory bounded whatever the shard's size (tests/bench/merge_mem.sh),
 * for this merge and the indexes made after it:
 * - the page cache's size set again, now that the case's page size is
 *   known: a case made by this run had its size (in KiB) counted in
 *   pages of the default size, and held four times the bytes of dirty
 *   pages before spilling any to the WAL (0.7 GiB for 4 M events);
 * - temporary storage in files ($TMPDIR), not in memory: SQLite's
 *   sorter never writes a sorted run out when it is in memory, so the
 *   indexes of a new case were sorted whole in memory (0.6 GiB for 8 M
 *   events), and so would be a large temporary table.
 * The temporary tables go with the change: before any is made.
 */
static int
bound_memory(struct merge *m)
{
	int64_t kib = irk_db_scalar(m->db, "PRAGMA main.cache_size");
	char q[96];

	if (kib == -1)
		return sql_fail(m);
	(void)snprintf(q, sizeof(q), "PRAGMA main.cache_size = %lld; "
	    "PRAGMA temp_store = FILE", (long long)kib);
	return run_q(m, q, NULL);
}

static int
merge_tx(struct merge *m, irk_merge_skip_fn *skip, void *arg)
{
	int r;

	if ((r = run_q(m, "CREATE TEMP TABLE IF NOT EXISTS merge_ev (old "
	    "INTEGER PRIMARY KEY, new INTEGER, copy INTEGER); CREATE TEMP "
	    "TABLE IF NOT EXISTS merge_host (old INTEGER PRIMARY KEY, new "
	    "INTEGER); CREATE TEMP TABLE IF NOT EXISTS merge_base (host "
	    "INTEGER PRIMARY KEY); DELETE FROM temp.merge_ev; DELETE FROM "
	    "temp.merge_host; DELETE FROM temp.merge_base", NULL)) != IRK_OK ||
	    (r = forget_unfinished(m)) != IRK_OK ||
	    (r = tables_read(m)) != IRK_OK ||
	    (r = evidence_map(m)) != IRK_OK ||
	    (r = tell_skipped(m, skip, arg)) != IRK_OK)
		return r;
	m->res->evidence = (uint64_t)irk_db_scalar(m->db, "SELECT count(*) "
	    "FROM temp.merge_ev WHERE copy");
	if (m->res->evidence == 0 && irk_db_scalar(m->db, "SELECT count(*) "
	    "FROM shard.scan_cache t WHERE NOT EXISTS (SELECT 1 FROM "
	    "main.scan_cache x WHERE x.sha256 = t.sha256 AND x.rules_hash = "
	    "t.rules_hash)") == 0)
		return IRK_OK;		/* nothing new: nothing written */
	return copy_all(m);
}

int
irk_db_merge(struct irk_db *db, const char *shard, irk_merge_skip_fn *skip,
    void *arg, struct irk_merge_result *res, struct irk_err *err)
{
	struct merge m;
	int r;

	memset(&m, 0, sizeof(m));
	memset(res, 0, sizeof(*res));
	m.db = db;
	m.shard = shard;
	m.res = res;
	m.err = err;
	if ((r = irk_db_commit(db)) != IRK_OK)
		return sql_fail(&m);
	if ((r = bound_memory(&m)) != IRK_OK ||
	    (r = shard_check(&m)) != IRK_OK || (r = attach(&m)) != IRK_OK)
		return r;
	if ((r = same_schema(&m)) == IRK_OK) {
		if (irk_db_begin(db) != IRK_OK)
			r = sql_fail(&m);
		else {
			irk_db_hold(db, 1);
			r = merge_tx(&m, skip, arg);
			irk_db_hold(db, 0);
			if (r == IRK_OK && irk_db_commit(db) != IRK_OK)
				r = sql_fail(&m);
			if (r != IRK_OK)
				(void)irk_db_rollback(db);
		}
	}
	tables_free(&m);
	(void)set_current(&m, 0, 0, NULL);
	(void)sqlite3_exec(db->h, "DETACH shard", NULL, NULL, NULL);
	if (r != IRK_OK)
		memset(res, 0, sizeof(*res));
	return r;
}

/* --- the scan cache out of and into a case (irkit-analyze cache) --- */

int
irk_db_cache_rows(struct irk_db *db,
    int (*cb)(void *, const struct irk_cache_row *), void *arg,
    struct irk_err *err)
{
	struct irk_cache_row row;
	sqlite3_stmt *s;
	int r = IRK_OK, st;

	/* a cached match is only a pointer to the case's own match rows */
	if (sqlite3_prepare_v2(db->h, "SELECT sha256, rules_hash, matches, "
	    "scanned_at, mime, magic FROM scan_cache WHERE matches = 0 AND "
	    "length(sha256) = 64 AND length(rules_hash) = 64 ORDER BY "
	    "rules_hash, sha256", -1, &s, NULL) != SQLITE_OK) {
		irk_err_set(err, 0, "database: %s", sqlite3_errmsg(db->h));
		return IRK_FATAL;
	}
	while (r == IRK_OK && (st = sqlite3_step(s)) == SQLITE_ROW) {
		memset(&row, 0, sizeof(row));
		(void)snprintf(row.sha256, sizeof(row.sha256), "%s",
		    (const char *)sqlite3_column_text(s, 0));
		(void)snprintf(row.rules_hash, sizeof(row.rules_hash), "%s",
		    (const char *)sqlite3_column_text(s, 1));
		row.matches = sqlite3_column_int64(s, 2);
		row.scanned_at = sqlite3_column_type(s, 3) == SQLITE_NULL ?
		    IRK_TIME_NONE : sqlite3_column_int64(s, 3);
		row.mime = (const char *)sqlite3_column_text(s, 4);
		row.magic = (const char *)sqlite3_column_text(s, 5);
		r = cb(arg, &row);
	}
	if (r == IRK_OK && st != SQLITE_DONE) {
		irk_err_set(err, 0, "database: %s", sqlite3_errmsg(db->h));
		r = IRK_FATAL;
	}
	sqlite3_finalize(s);
	return r;
}

int
irk_db_cache_put(struct irk_db *db, const struct irk_cache_row *row)
{
	sqlite3_stmt *s;
	int r;

	if (sqlite3_prepare_v2(db->h, "INSERT OR IGNORE INTO scan_cache "
	    "(sha256, rules_hash, matches, scanned_at, mime, magic) VALUES "
	    "(?, ?, ?, ?, ?, ?)", -1, &s, NULL) != SQLITE_OK)
		return IRK_FATAL;
	irk_db_bind_text(s, 1, row->sha256);
	irk_db_bind_text(s, 2, row->rules_hash);
	(void)sqlite3_bind_int64(s, 3, row->matches);
	irk_db_bind_time(s, 4, row->scanned_at);
	irk_db_bind_text(s, 5, row->mime);
	irk_db_bind_text(s, 6, row->magic);
	r = sqlite3_step(s);
	sqlite3_finalize(s);
	if (r != SQLITE_DONE)
		return IRK_FATAL;
	return sqlite3_changes(db->h) > 0;
}
