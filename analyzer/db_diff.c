/*
 * db_diff.c - what changed between two collections of a host in a case
 * (irkit-analyze diff, docs/analyze.md "diff").
 *
 * For every record type of the registry, the rows of the two evidence
 * rows are matched by the type's identity key (records/record.h): a key
 * only in the new one is added, only in the old one removed, and a key
 * in both whose compared fields differ is changed, with those fields
 * before and after.  A key may hold several rows (two processes running
 * the same command): rows equal in every compared field pair first, the
 * rest pair in order as changed, and what is left is added or removed.
 *
 * Both sides are read sorted by key, then compared fields, and merged as
 * they stream: memory holds one key's rows, not a collection.  A type's
 * diff_rows limits the rows compared; diff_volatile marks the rows whose
 * coming and going is the life of a running host, not a change.
 */
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "db_priv.h"
#include "db_diff.h"
#include "records/record.h"
#include "irkit/timeutil.h"
#include "irkit/banned.h"

#define GROUP_MAX	4096	/* rows of one key kept at once */

struct side {
	sqlite3_stmt *s;
	int rc;			/* the last step */
	/* the current key's rows */
	char **cmp;		/* compared fields, JSON array text */
	int *vol;		/* volatile */
	int64_t *id;		/* the row */
	size_t n;
	char *key;		/* the current key, JSON array text */
};

/* "json_array(t.a, t.b)" over cols, NULL on no memory. */
static char *
json_cols(const char *const *cols)
{
	sqlite3_str *q = sqlite3_str_new(NULL);

	sqlite3_str_appendall(q, "json_array(");
	for (size_t i = 0; cols != NULL && cols[i] != NULL; i++)
		sqlite3_str_appendf(q, "%st.\"%w\"", i ? ", " : "", cols[i]);
	sqlite3_str_appendall(q, ")");
	return sqlite3_str_finish(q);
}

/*
 * The rows of an evidence compared are the state of the host when it
 * was collected, so not the rows read from its volume shadow copies (an
 * older state): those carry "vssN@TIME:" before the path saying where
 * they were read (vss_rows.c: "hive", "source_path", "fragment_path" or
 * "path"; docs/diff.md).  The condition over t's columns of those, NULL
 * on no memory.
 */
static char *
live_rows(const struct irk_record_type *t)
{
	static const char *const cols[] = { "hive", "source_path",
	    "fragment_path", "path" };
	sqlite3_str *q = sqlite3_str_new(NULL);

	sqlite3_str_appendall(q, "1");
	for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++)
		for (size_t j = 0; t->fields != NULL &&
		    t->fields[j].column != NULL; j++)
			if (strcmp(t->fields[j].column, cols[i]) == 0)
				sqlite3_str_appendf(q, " AND coalesce(t.\"%w\", "
				    "'') NOT GLOB 'vss[0-9]*@*:*'", cols[i]);
	return sqlite3_str_finish(q);
}

static int
side_open(struct side *sd, sqlite3 *h, const struct irk_record_type *t,
    int64_t evidence)
{
	char *key = json_cols(t->identity), *cmp = json_cols(t->compare);
	char *live = live_rows(t), *q = NULL;
	int r = IRK_FATAL;

	memset(sd, 0, sizeof(*sd));
	if (key != NULL && cmp != NULL && live != NULL)
		q = sqlite3_mprintf("SELECT %s AS k, %s AS c, %s, t.id FROM "
		    "\"%w\" t WHERE t.evidence_id = ?1 AND (%s) AND %s ORDER "
		    "BY k, c, t.id", key, cmp,
		    t->diff_volatile ? t->diff_volatile : "0", t->table,
		    t->diff_rows ? t->diff_rows : "1", live);
	sqlite3_free(live);
	if (q != NULL && sqlite3_prepare_v2(h, q, -1, &sd->s, NULL) ==
	    SQLITE_OK) {
		(void)sqlite3_bind_int64(sd->s, 1, evidence);
		sd->rc = sqlite3_step(sd->s);
		r = IRK_OK;
	}
	sqlite3_free(q);
	sqlite3_free(key);
	sqlite3_free(cmp);
	return r;
}

static void
side_clear(struct side *sd)
{
	for (size_t i = 0; i < sd->n; i++)
		free(sd->cmp[i]);
	sd->n = 0;
	free(sd->key);
	sd->key = NULL;
}

static void
side_close(struct side *sd)
{
	side_clear(sd);
	free(sd->cmp);
	free(sd->vol);
	free(sd->id);
	sqlite3_finalize(sd->s);
}

static const char *
text(sqlite3_stmt *s, int i)
{
	const char *v = (const char *)sqlite3_column_text(s, i);

	return v != NULL ? v : "";
}

/*
 * Read the rows of the next key into sd.  Returns 1 with a key, 0 at
 * the end, IRK_FATAL on an error or a key of more than GROUP_MAX rows.
 */
static int
side_group(struct side *sd)
{
	side_clear(sd);
	if (sd->rc == SQLITE_DONE)
		return 0;
	if (sd->rc != SQLITE_ROW)
		return IRK_FATAL;
	if ((sd->key = strdup(text(sd->s, 0))) == NULL)
		return IRK_FATAL;
	if (sd->cmp == NULL && ((sd->cmp = calloc(GROUP_MAX,
	    sizeof(*sd->cmp))) == NULL || (sd->vol = calloc(GROUP_MAX,
	    sizeof(*sd->vol))) == NULL || (sd->id = calloc(GROUP_MAX,
	    sizeof(*sd->id))) == NULL))
		return IRK_FATAL;
	while (sd->rc == SQLITE_ROW && strcmp(text(sd->s, 0), sd->key) == 0) {
		if (sd->n == GROUP_MAX ||
		    (sd->cmp[sd->n] = strdup(text(sd->s, 1))) == NULL)
			return IRK_FATAL;
		sd->vol[sd->n] = sqlite3_column_int(sd->s, 2) != 0;
		sd->id[sd->n++] = sqlite3_column_int64(sd->s, 3);
		sd->rc = sqlite3_step(sd->s);
	}
	return 1;
}

/* The value of column i of t: a time as RFC 3339 text, else as is. */
static json_t *
value(const struct irk_record_type *t, const char *column, json_t *v)
{
	int k = irk_record_column(t, column);
	char buf[IRK_TIME_LEN];

	if (v == NULL)
		return json_null();
	if (k >= 0 && t->fields[k].how == IRK_RF_TIME && json_is_integer(v))
		return json_string(irk_time_fmt(json_integer_value(v), buf));
	return json_incref(v);
}

/* The named fields of t from a JSON array of values, as an object. */
static json_t *
named(const struct irk_record_type *t, const char *const *names,
    const char *values)
{
	json_t *a = json_loads(values, JSON_DECODE_ANY, NULL);
	json_t *o = json_object();

	for (size_t i = 0; names != NULL && names[i] != NULL && o != NULL; i++)
		json_object_set_new(o, names[i], value(t, names[i],
		    json_array_get(a, i)));
	json_decref(a);
	return o;
}

static int
emit(struct irk_diff *d, const struct irk_record_type *t, const char *key,
    const char *change, const char *before, const char *after, int vol,
    int64_t old_row, int64_t new_row)
{
	struct irk_diff_change c;
	int r;

	memset(&c, 0, sizeof(c));
	c.type = t;
	c.change = change;
	c.volatile_ = vol;
	c.old_row = old_row;
	c.new_row = new_row;
	c.key = named(t, t->identity, key);
	c.before = before ? named(t, t->compare, before) : NULL;
	c.after = after ? named(t, t->compare, after) : NULL;
	if (before != NULL && after != NULL) {
		/* changed: only the fields that differ */
		json_t *a = json_loads(before, JSON_DECODE_ANY, NULL);
		json_t *b = json_loads(after, JSON_DECODE_ANY, NULL);

		for (size_t i = 0; t->compare[i] != NULL; i++)
			if (json_equal(json_array_get(a, i),
			    json_array_get(b, i))) {
				json_object_del(c.before, t->compare[i]);
				json_object_del(c.after, t->compare[i]);
			}
		json_decref(a);
		json_decref(b);
	}
	r = d->cb(d->arg, &c);
	json_decref(c.key);
	json_decref(c.before);
	json_decref(c.after);
	if (!vol)
		d->changes++;
	else
		d->volatile_++;
	return r;
}

static int
all_volatile(const struct irk_record_type *t)
{
	return t->diff_volatile != NULL && strcmp(t->diff_volatile, "1") == 0;
}

/* One key in both: equal rows pair off, then changes, then the rest. */
static int
diff_group(struct irk_diff *d, const struct irk_record_type *t,
    struct side *o, struct side *n)
{
	char *used_o = calloc(o->n + 1, 1), *used_n = calloc(n->n + 1, 1);
	size_t i, j;
	int r = IRK_OK;

	if (used_o == NULL || used_n == NULL) {
		free(used_o);
		free(used_n);
		return IRK_FATAL;
	}
	/* both sorted by the compared fields: merge the equal ones */
	for (i = 0, j = 0; i < o->n && j < n->n;) {
		int c = strcmp(o->cmp[i], n->cmp[j]);

		if (c == 0) {
			used_o[i++] = used_n[j++] = 1;
		} else if (c < 0)
			i++;
		else
			j++;
	}
	/* what is left: pairs as changed, then added or removed */
	i = j = 0;
	while (r == IRK_OK) {
		while (i < o->n && used_o[i])
			i++;
		while (j < n->n && used_n[j])
			j++;
		if (i >= o->n && j >= n->n)
			break;
		/* a type whose every row is volatile (processes): its
		 * changes are too (a replaced executable shows as a changed
		 * file) */
		if (i < o->n && j < n->n) {
			r = emit(d, t, o->key, "changed", o->cmp[i],
			    n->cmp[j], all_volatile(t), o->id[i], n->id[j]);
			i++;
			j++;
		} else if (i < o->n) {
			r = emit(d, t, o->key, "removed", o->cmp[i], NULL,
			    o->vol[i], o->id[i], 0);
			i++;
		} else {
			r = emit(d, t, n->key, "added", NULL, n->cmp[j],
			    n->vol[j], 0, n->id[j]);
			j++;
		}
	}
	free(used_o);
	free(used_n);
	return r;
}

/* Every row of one side's group as added or removed. */
static int
diff_alone(struct irk_diff *d, const struct irk_record_type *t,
    struct side *sd, int added)
{
	int r = IRK_OK;

	for (size_t i = 0; i < sd->n && r == IRK_OK; i++)
		r = emit(d, t, sd->key, added ? "added" : "removed",
		    added ? NULL : sd->cmp[i], added ? sd->cmp[i] : NULL,
		    sd->vol[i], added ? 0 : sd->id[i], added ? sd->id[i] : 0);
	return r;
}

static int
diff_type(struct irk_diff *d, const struct irk_record_type *t)
{
	struct side o, n;
	int go, gn, r = IRK_OK;

	if (side_open(&o, d->db->h, t, d->old_id) != IRK_OK ||
	    side_open(&n, d->db->h, t, d->new_id) != IRK_OK) {
		side_close(&o);
		return IRK_FATAL;
	}
	go = side_group(&o);
	gn = side_group(&n);
	while (r == IRK_OK && go >= 0 && gn >= 0 && (go == 1 || gn == 1)) {
		int c = go == 0 ? 1 : gn == 0 ? -1 : strcmp(o.key, n.key);

		if (c == 0) {
			r = diff_group(d, t, &o, &n);
			go = side_group(&o);
			gn = side_group(&n);
		} else if (c < 0) {
			r = diff_alone(d, t, &o, 0);
			go = side_group(&o);
		} else {
			r = diff_alone(d, t, &n, 1);
			gn = side_group(&n);
		}
	}
	if (go < 0 || gn < 0)
		r = IRK_FATAL;
	side_close(&o);
	side_close(&n);
	return r;
}

int
irk_db_diff(struct irk_diff *d, struct irk_err *err)
{
	for (size_t i = 0; irk_record_types[i] != NULL; i++) {
		const struct irk_record_type *t = irk_record_types[i];

		/* no type of its own: nothing says what is "the same" */
		if (t->type == NULL || t->identity == NULL ||
		    t->compare == NULL)
			continue;
		if (diff_type(d, t) != IRK_OK) {
			irk_err_set(err, 0, "comparing %s: %s", t->table,
			    sqlite3_errmsg(d->db->h));
			return IRK_FATAL;
		}
	}
	return IRK_OK;
}

/*
 * The evidence ref names: its id, its path as loaded, or a prefix of at
 * least 6 hex digits of its SHA-256; exactly one row.
 */
int
irk_db_evidence_ref(struct irk_db *db, const char *ref,
    struct irk_diff_side *out, struct irk_err *err)
{
	sqlite3 *h = db->h;
	sqlite3_stmt *s = NULL;
	int n = 0;

	memset(out, 0, sizeof(*out));
	if (sqlite3_prepare_v2(h, "SELECT id, host_id, path, "
	    "coalesce(collected_start, ingested_at), status FROM evidence "
	    "WHERE CAST(id AS TEXT) = ?1 OR path = ?1 OR (length(?1) >= 6 "
	    "AND sha256 LIKE ?1 || '%' AND ?1 NOT GLOB '*[^0-9a-fA-F]*') "
	    "ORDER BY id LIMIT 2", -1, &s, NULL) != SQLITE_OK) {
		irk_err_set(err, 0, "database: %s", sqlite3_errmsg(h));
		return IRK_FATAL;
	}
	sqlite3_bind_text(s, 1, ref, -1, SQLITE_TRANSIENT);
	while (sqlite3_step(s) == SQLITE_ROW && ++n == 1) {
		out->id = sqlite3_column_int64(s, 0);
		out->host_id = sqlite3_column_type(s, 1) == SQLITE_NULL ? 0 :
		    sqlite3_column_int64(s, 1);
		(void)snprintf(out->path, sizeof(out->path), "%s",
		    text(s, 2));
		out->time = sqlite3_column_type(s, 3) == SQLITE_NULL ?
		    INT64_MIN : sqlite3_column_int64(s, 3);
		(void)snprintf(out->status, sizeof(out->status), "%s",
		    text(s, 4));
	}
	sqlite3_finalize(s);
	if (n == 1)
		return IRK_OK;
	irk_err_set(err, 0, n == 0 ? "no evidence '%s' in the case" :
	    "'%s' names more than one evidence: give its id", ref);
	return IRK_FAIL;
}

int
irk_db_host_collections(struct irk_db *db, void (*cb)(void *arg,
    const char *host, int64_t host_id, int64_t evidence, const char *path,
    int64_t time), void *arg)
{
	sqlite3_stmt *s;
	int rc;

	if (sqlite3_prepare_v2(db->h, "SELECT coalesce(o.hostname, '?'), "
	    "e.host_id, e.id, e.path, coalesce(e.collected_start, "
	    "e.ingested_at) AS t FROM evidence e LEFT JOIN hosts o ON o.id = "
	    "e.host_id WHERE e.host_id IN (SELECT host_id FROM evidence "
	    "WHERE status IS NOT 'loading' GROUP BY host_id HAVING count(*) "
	    ">= 2) AND e.status IS NOT 'loading' ORDER BY e.host_id, t, e.id",
	    -1, &s, NULL) != SQLITE_OK)
		return IRK_FATAL;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		cb(arg, text(s, 0), sqlite3_column_int64(s, 1),
		    sqlite3_column_int64(s, 2), text(s, 3),
		    sqlite3_column_type(s, 4) == SQLITE_NULL ? INT64_MIN :
		    sqlite3_column_int64(s, 4));
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? IRK_OK : IRK_FATAL;
}

const char *
irk_diff_value_text(const json_t *v, char **owned)
{
	*owned = NULL;
	if (v == NULL || json_is_null(v))
		return NULL;
	if (json_is_string(v))
		return *json_string_value(v) ? json_string_value(v) : NULL;
	*owned = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
	return *owned;
}

