/*
 * test_records.c - the record registry's contract (analyzer/records/):
 * every declared type has a table, an identity key and a section in
 * docs/SCHEMA.md; every declared column exists in a fresh case with the
 * declared type (PRAGMA table_info); every column of a type's own table
 * is declared; the SQL a declaration carries (report, IOC label) runs.
 *
 * With IRKIT_TEST_RECORDS=FILE (tests/e2e/registry.bats: the records the
 * collectors wrote over the test roots and a test image, one JSON object
 * per line), also: every key of every record, and of its child rows, is
 * declared or listed as not stored.  Without it that test is skipped.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <sqlite3.h>

#include "db.h"
#include "records/record.h"

static char case_path[256];
static sqlite3 *fresh;

/* A fresh case made by irk_db_open, read with SQLite alone. */
static int
setup(void **state)
{
	struct irk_db *db = NULL;
	struct irk_err err;
	int fd;

	(void)state;
	(void)snprintf(case_path, sizeof(case_path), "%s/irk-records-XXXXXX",
	    getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if ((fd = mkstemp(case_path)) < 0)
		return -1;
	(void)close(fd);
	(void)unlink(case_path);
	if (irk_db_open(&db, case_path, &err) != IRK_OK)
		return -1;
	irk_db_close(db);
	return sqlite3_open_v2(case_path, &fresh, SQLITE_OPEN_READONLY,
	    NULL) == SQLITE_OK ? 0 : -1;
}

static int
teardown(void **state)
{
	char p[300];

	(void)state;
	sqlite3_close(fresh);
	(void)unlink(case_path);
	(void)snprintf(p, sizeof(p), "%s-wal", case_path);
	(void)unlink(p);
	(void)snprintf(p, sizeof(p), "%s-shm", case_path);
	(void)unlink(p);
	return 0;
}

/* The declared SQLite type of table.column in the fresh case, or NULL. */
static char *
column_type(const char *table, const char *column)
{
	sqlite3_stmt *s;
	char *t = NULL;

	assert_int_equal(sqlite3_prepare_v2(fresh, "SELECT type FROM "
	    "pragma_table_info(?1) WHERE name = ?2", -1, &s, NULL), SQLITE_OK);
	sqlite3_bind_text(s, 1, table, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, column, -1, SQLITE_STATIC);
	if (sqlite3_step(s) == SQLITE_ROW)
		t = strdup((const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	return t;
}

static int
declared(const struct irk_record_type *t, const char *column)
{
	return column != NULL && irk_record_column(t, column) >= 0;
}

/* The SQL compiles against the fresh case. */
static void
compiles(const char *what, const char *sql)
{
	sqlite3_stmt *s = NULL;
	int r = sqlite3_prepare_v2(fresh, sql, -1, &s, NULL);

	if (r != SQLITE_OK)
		fail_msg("%s: %s: %s", what, sql, sqlite3_errmsg(fresh));
	sqlite3_finalize(s);
}

static void
test_every_type_has_a_table_and_an_identity(void **state)
{
	size_t n = 0;

	(void)state;
	for (size_t i = 0; irk_record_types[i] != NULL; i++, n++) {
		const struct irk_record_type *t = irk_record_types[i];
		char *ty;

		assert_non_null(t->table);
		assert_non_null(t->doc);
		assert_true(t->fields[0].column != NULL);
		/* a table in the case: its id column exists */
		if ((ty = column_type(t->table, "id")) == NULL)
			fail_msg("type '%s': no table '%s' in a fresh case",
			    t->type ? t->type : "(other)", t->table);
		free(ty);
		if (t->identity == NULL || t->identity[0] == NULL)
			fail_msg("type '%s': no identity key", t->type);
		for (size_t k = 0; t->identity[k] != NULL; k++)
			if (!declared(t, t->identity[k]))
				fail_msg("type '%s': identity field '%s' is "
				    "not a declared column", t->type,
				    t->identity[k]);
		for (size_t k = 0; t->compare != NULL &&
		    t->compare[k] != NULL; k++)
			if (!declared(t, t->compare[k]))
				fail_msg("type '%s': compared field '%s' is "
				    "not a declared column", t->type,
				    t->compare[k]);
		/* one type per name and per table; types that load
		 * through their own hook may share one (file and fs_entry
		 * are both files rows) */
		for (size_t j = 0; j < i; j++) {
			if (t->load == NULL || irk_record_types[j]->load ==
			    NULL)
				assert_string_not_equal(
				    irk_record_types[j]->table, t->table);
			if (t->type != NULL && irk_record_types[j]->type != NULL)
				assert_string_not_equal(
				    irk_record_types[j]->type, t->type);
		}
		assert_ptr_equal(irk_record_find(t->type), t);
	}
	/* list.h and "other" */
	assert_true(n >= 8);
	assert_ptr_equal(irk_record_find("no such type"), &irk_record_other);
}

/* Every declared column exists with its declared type; a type that is
 * its table's only writer declares every column of it. */
static void
test_declared_columns_exist(void **state)
{
	(void)state;
	for (size_t i = 0; irk_record_types[i] != NULL; i++) {
		const struct irk_record_type *t = irk_record_types[i];
		sqlite3_stmt *s;

		for (int k = 0; t->fields[k].column != NULL; k++) {
			char *ty = column_type(t->table, t->fields[k].column);

			if (ty == NULL)
				fail_msg("%s.%s is declared but not in the "
				    "table", t->table, t->fields[k].column);
			if (strcmp(ty, t->fields[k].sqltype) != 0)
				fail_msg("%s.%s: declared %s, the table has "
				    "%s", t->table, t->fields[k].column,
				    t->fields[k].sqltype, ty);
			free(ty);
		}
		if (t->load != NULL)
			continue;	/* a shared table (files) */
		assert_int_equal(sqlite3_prepare_v2(fresh, "SELECT name FROM "
		    "pragma_table_info(?1) WHERE name != 'id'", -1, &s, NULL),
		    SQLITE_OK);
		sqlite3_bind_text(s, 1, t->table, -1, SQLITE_STATIC);
		while (sqlite3_step(s) == SQLITE_ROW) {
			const char *c = (const char *)sqlite3_column_text(s, 0);

			if (!declared(t, c))
				fail_msg("%s.%s is in the table but not "
				    "declared", t->table, c);
		}
		sqlite3_finalize(s);
	}
}

/* Events, IOC columns, the report's SQL: they name declared columns. */
static void
test_declared_uses_compile(void **state)
{
	char q[8192];

	(void)state;
	for (size_t i = 0; irk_record_types[i] != NULL; i++) {
		const struct irk_record_type *t = irk_record_types[i];
		const struct irk_record_report *rp = t->report;

		for (const struct irk_record_event *e = t->events;
		    e->time != NULL; e++) {
			int k = irk_record_column(t, e->time);

			assert_true(k >= 0);
			assert_int_equal(t->fields[k].how, IRK_RF_TIME);
			assert_true(declared(t, e->path));
			assert_non_null(e->desc);
			assert_non_null(e->source);
			/* a message for every type with events */
			assert_non_null(t->message);
		}
		if (t->ioc_name != NULL || t->ioc_text != NULL) {
			assert_true(t->ioc_name == NULL ||
			    declared(t, t->ioc_name));
			assert_true(t->ioc_text == NULL ||
			    declared(t, t->ioc_text));
			assert_non_null(t->ioc_label);
			(void)snprintf(q, sizeof(q), "SELECT %s, %s FROM %s",
			    t->ioc_label, t->ioc_time ? t->ioc_time : "NULL",
			    t->table);
			compiles(t->table, q);
		}
		for (int k = 0; t->findings != NULL &&
		    t->findings[k].sql != NULL; k++) {
			/* the columns the runner reads, by position */
			(void)snprintf(q, sizeof(q), "SELECT id, title, reason, "
			    "ts, path FROM (%s)", t->findings[k].sql);
			compiles(t->table, q);
			assert_true(t->findings[k].score > 0);
		}
		/* diff and baseline: conditions over the row t */
		{
			const char *conds[] = { t->diff_rows, t->diff_volatile,
			    t->baseline_rows };

			for (size_t k = 0; k < 3; k++) {
				if (conds[k] == NULL)
					continue;
				(void)snprintf(q, sizeof(q), "SELECT 1 FROM %s "
				    "t WHERE %s", t->table, conds[k]);
				compiles(t->table, q);
			}
		}
		if (rp == NULL)
			continue;
		if (rp->link != NULL)
			compiles(t->table, rp->link);
		if (rp->title == NULL)
			continue;
		assert_non_null(rp->id);
		assert_non_null(rp->nav);
		assert_non_null(rp->why);
		for (int k = 0; rp->cols[k].title != NULL; k++) {
			(void)snprintf(q, sizeof(q), "SELECT %s FROM %s t",
			    rp->cols[k].sql, t->table);
			compiles(rp->cols[k].title, q);
		}
		if (rp->flag != NULL) {
			(void)snprintf(q, sizeof(q), "SELECT 1 FROM %s t "
			    "WHERE %s", t->table, rp->flag);
			compiles(t->table, q);
		}
	}
}

/*
 * A case made before a record type's table or column was declared gets
 * them when opened: a sockets table of one column is completed, a
 * missing record table is created, from the declarations.
 */
static void
test_old_case_gets_declared_tables(void **state)
{
	char path[300];
	struct irk_db *db = NULL;
	struct irk_err err;
	sqlite3 *h;

	(void)state;
	(void)snprintf(path, sizeof(path), "%s-old", case_path);
	assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
	assert_int_equal(sqlite3_exec(h, "CREATE TABLE sockets (id INTEGER "
	    "PRIMARY KEY, evidence_id INTEGER)", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);
	assert_int_equal(irk_db_open(&db, path, &err), IRK_OK);
	irk_db_close(db);
	assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
	for (size_t i = 0; irk_record_types[i] != NULL; i++) {
		const struct irk_record_type *t = irk_record_types[i];

		for (int k = 0; t->fields[k].column != NULL; k++) {
			sqlite3_stmt *s;

			assert_int_equal(sqlite3_prepare_v2(h, "SELECT type "
			    "FROM pragma_table_info(?1) WHERE name = ?2", -1,
			    &s, NULL), SQLITE_OK);
			sqlite3_bind_text(s, 1, t->table, -1, SQLITE_STATIC);
			sqlite3_bind_text(s, 2, t->fields[k].column, -1,
			    SQLITE_STATIC);
			if (sqlite3_step(s) != SQLITE_ROW)
				fail_msg("%s.%s not added to an old case",
				    t->table, t->fields[k].column);
			assert_string_equal(sqlite3_column_text(s, 0),
			    t->fields[k].sqltype);
			sqlite3_finalize(s);
		}
	}
	sqlite3_close(h);
	(void)unlink(path);
	(void)snprintf(path, sizeof(path), "%s-old-wal", case_path);
	(void)unlink(path);
	(void)snprintf(path, sizeof(path), "%s-old-shm", case_path);
	(void)unlink(path);
}

/* docs/SCHEMA.md: a "### table" section per type naming its identity. */
static void
test_schema_doc_has_every_type(void **state)
{
	const char *src = getenv("IRKIT_SRC");
	char path[512], *doc, *flat;
	FILE *fp;
	long n;

	(void)state;
	(void)snprintf(path, sizeof(path), "%s/docs/SCHEMA.md",
	    src ? src : ".");
	assert_non_null(fp = fopen(path, "r"));
	assert_int_equal(fseek(fp, 0, SEEK_END), 0);
	n = ftell(fp);
	rewind(fp);
	assert_non_null(doc = calloc(1, (size_t)n + 1));
	assert_int_equal(fread(doc, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	/* the same text on one line: a line may break anywhere */
	assert_non_null(flat = strdup(doc));
	for (char *c = flat; *c; c++)
		if (*c == '\n')
			*c = ' ';
	for (size_t i = 0; irk_record_types[i] != NULL; i++) {
		const struct irk_record_type *t = irk_record_types[i];
		char head[128], want[512];
		const char *sec, *end, *hit;
		size_t wl = 0;

		(void)snprintf(head, sizeof(head), "\n### %s", t->table);
		if ((sec = strstr(doc, head)) == NULL)
			fail_msg("docs/SCHEMA.md: no section '### %s'",
			    t->table);
		end = strstr(sec + 1, "\n## ");
		if ((end == NULL || strstr(sec + 1, "\n### ") < end) &&
		    strstr(sec + 1, "\n### ") != NULL)
			end = strstr(sec + 1, "\n### ");
		wl = (size_t)snprintf(want, sizeof(want), "Identity key:");
		for (size_t k = 0; t->identity[k] != NULL; k++)
			wl += (size_t)snprintf(want + wl, sizeof(want) - wl,
			    "%s `%s`", k ? "," : "", t->identity[k]);
		hit = strstr(flat + (sec - doc), want);
		if (hit == NULL || (end != NULL && hit > flat + (end - doc)))
			fail_msg("docs/SCHEMA.md, '### %s': no line '%s'",
			    t->table, want);
	}
	free(flat);
	free(doc);
}

/* 1 when key is a declared key of t, of its children, or not stored. */
static int
key_known(const struct irk_record_type *t, const char *key)
{
	for (int k = 0; t->fields[k].column != NULL; k++)
		for (int j = 0; j < IRK_RF_KEYS && t->fields[k].keys[j]; j++)
			if (t->fields[k].how != IRK_RF_PARENT &&
			    strcmp(t->fields[k].keys[j], key) == 0)
				return 1;
	for (size_t k = 0; t->not_stored != NULL && t->not_stored[k]; k++)
		if (strcmp(t->not_stored[k], key) == 0)
			return 1;
	for (const struct irk_record_child *c = t->children;
	    c != NULL && c->key != NULL; c++)
		if (strcmp(c->key, key) == 0)
			return 1;
	return 0;
}

/* Every key of rec (and of its child rows) is known to t. */
static int
check_keys(const json_t *rec, const struct irk_record_type *t,
    unsigned long line)
{
	const char *key;
	json_t *v;
	int bad = 0;

	json_object_foreach((json_t *)rec, key, v)
		if (!key_known(t, key)) {
			print_error("line %lu: %s: key '%s' is neither "
			    "declared nor listed as not stored\n", line,
			    t->type, key);
			bad = 1;
		}
	for (const struct irk_record_child *c = t->children;
	    c != NULL && c->key != NULL; c++) {
		json_t *arr = json_object_get(rec, c->key), *one;
		size_t i;

		json_array_foreach(arr, i, one)
			if (json_is_object(one))
				bad |= check_keys(one, c->type, line);
	}
	return bad;
}

static int
check_record(const json_t *rec, unsigned long line)
{
	const char *type = json_string_value(json_object_get(rec, "type"));
	const struct irk_record_type *t = irk_record_find(type);

	if (t == &irk_record_other) {
		print_error("line %lu: type '%s' is not in the registry\n",
		    line, type ? type : "(none)");
		return 1;
	}
	return check_keys(rec, t, line);
}

/* IRKIT_TEST_RECORDS: every key the collectors wrote is declared. */
static void
test_collected_keys_are_declared(void **state)
{
	const char *path = getenv("IRKIT_TEST_RECORDS");
	unsigned long line = 0, n = 0;
	char *buf = NULL;
	size_t cap = 0;
	int bad = 0;
	FILE *fp;

	(void)state;
	if (path == NULL)
		skip();
	assert_non_null(fp = fopen(path, "r"));
	while (getline(&buf, &cap, fp) > 0) {
		json_t *rec = json_loads(buf, 0, NULL);

		line++;
		if (!json_is_object(rec))
			fail_msg("line %lu: not a JSON object", line);
		bad |= check_record(rec, line);
		json_decref(rec);
		n++;
	}
	free(buf);
	fclose(fp);
	assert_true(n > 0);
	assert_int_equal(bad, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_type_has_a_table_and_an_identity),
		cmocka_unit_test(test_declared_columns_exist),
		cmocka_unit_test(test_declared_uses_compile),
		cmocka_unit_test(test_old_case_gets_declared_tables),
		cmocka_unit_test(test_schema_doc_has_every_type),
		cmocka_unit_test(test_collected_keys_are_declared),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
