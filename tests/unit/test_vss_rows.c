/* test_vss_rows.c - what a volume shadow copy adds to the case
 * (vss_rows.h, db_vss.h): a row the live volume or an earlier copy has
 * is dropped, the others prefixed with the copy's "vssN@TIME:" in the
 * field that says where they were read; only the rows of the evidence
 * being loaded count.  The case is a file a second connection (SQLite
 * alone) reads as the oracle. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <unistd.h>
#include <sqlite3.h>

#include "db.h"
#include "vss_rows.h"
#include "irkit/fs.h"

static char case_path[64];

static void
remove_case(void)
{
	char p[80];

	(void)unlink(case_path);
	(void)snprintf(p, sizeof(p), "%s-wal", case_path);
	(void)unlink(p);
	(void)snprintf(p, sizeof(p), "%s-shm", case_path);
	(void)unlink(p);
}

static struct irk_db *
open_case(void)
{
	struct irk_db *db = NULL;
	struct irk_err err;
	int64_t id;
	int fd;

	(void)snprintf(case_path, sizeof(case_path), "/tmp/irk-vss.XXXXXX");
	assert_true((fd = mkstemp(case_path)) >= 0);
	(void)close(fd);
	(void)unlink(case_path);
	assert_int_equal(irk_db_open(&db, case_path, &err), 0);
	assert_int_equal(irk_db_evidence_add(db, "a.raw", "aa", 1, "image",
	    NULL, &id, &err), 0);
	return db;
}

/* One text from q, read by a connection of its own (the oracle). */
static char *
text(const char *q)
{
	sqlite3 *h;
	sqlite3_stmt *s;
	char *v = NULL;

	assert_int_equal(sqlite3_open_v2(case_path, &h, SQLITE_OPEN_READONLY,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(h, q, -1, &s, NULL), SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
		v = strdup((const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	sqlite3_close(h);
	return v;
}

static void
file_row(struct irk_db_file *f, int64_t size)
{
	memset(f, 0, sizeof(*f));
	f->path = "/Users/x/a.exe";
	f->body_name = "/Users/x/a.exe";
	f->meta_addr = "75-128-2";
	f->volume = "0:ntfs@0";
	f->origin = "image";
	f->inode = 75;
	f->uid = f->gid = -1;
	f->size = size;
	f->atime = f->ctime = f->btime = IRK_TIME_NONE;
	f->mtime = 1000000;
}

/* Store f as the walk does (the oracle reads it through the file). */
static void
add_file(struct irk_db *db, const struct irk_db_file *f)
{
	assert_int_equal(irk_db_file_add(db, f, NULL), IRK_OK);
	assert_int_equal(irk_db_commit(db), IRK_OK);
}

static void
test_files(void **state)
{
	struct irk_db *db = open_case();
	struct irk_vss_rows *r;
	struct irk_db_file f;
	struct irk_err err;
	char *v;
	int64_t id;

	(void)state;
	file_row(&f, 10);
	add_file(db, &f);			/* the live volume's */
	assert_int_equal(irk_vss_rows_open(&r, db, &err), IRK_OK);
	assert_int_equal(irk_vss_rows_store(r, "vss1@A:"), IRK_OK);
	file_row(&f, 10);
	assert_int_equal(irk_vss_rows_file(r, &f), 0);	/* the same */
	assert_string_equal(f.path, "/Users/x/a.exe");
	file_row(&f, 11);			/* changed since */
	assert_int_equal(irk_vss_rows_file(r, &f), 1);
	assert_string_equal(f.path, "vss1@A:/Users/x/a.exe");
	assert_string_equal(f.body_name, "vss1@A:/Users/x/a.exe");
	add_file(db, &f);
	file_row(&f, 10);
	f.deleted = 1;				/* deleted: another row */
	assert_int_equal(irk_vss_rows_file(r, &f), 1);
	assert_true(r->files == 2 && r->same_files == 1);
	/* the second copy: what the first stored is not stored again */
	assert_int_equal(irk_vss_rows_store(r, "vss2@B:"), IRK_OK);
	file_row(&f, 11);
	assert_int_equal(irk_vss_rows_file(r, &f), 0);
	file_row(&f, 10);
	assert_int_equal(irk_vss_rows_file(r, &f), 0);
	file_row(&f, 12);
	assert_int_equal(irk_vss_rows_file(r, &f), 1);
	assert_string_equal(f.path, "vss2@B:/Users/x/a.exe");
	/* another evidence: the first one's rows do not count */
	irk_vss_rows_free(r);
	assert_int_equal(irk_db_evidence_add(db, "b.raw", "bb", 1, "image",
	    NULL, &id, &err), 0);
	assert_int_equal(irk_vss_rows_open(&r, db, &err), IRK_OK);
	assert_int_equal(irk_vss_rows_store(r, "vss1@A:"), IRK_OK);
	file_row(&f, 10);
	assert_int_equal(irk_vss_rows_file(r, &f), 1);
	irk_vss_rows_free(r);
	v = text("SELECT group_concat(path || ':' || size, ' ') FROM files");
	assert_string_equal(v, "/Users/x/a.exe:10 vss1@A:/Users/x/a.exe:11");
	free(v);
	irk_db_close(db);
	remove_case();
}

static json_t *
service(const char *image)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "type",
	    "service", "name", "Svc", "kind", "windows", "scope", "system",
	    "image_path", image, "fragment_path", "/SYSTEM:\\Services\\Svc",
	    "source_path", "/SYSTEM:\\Services\\Svc");
}

/* rec through the copy's filter: what it returns, stored when 1. */
static int
through(struct irk_db *db, struct irk_vss_rows *r, json_t *rec)
{
	struct irk_err err;
	int k = irk_vss_rows_record(r, rec);

	if (k == 1)
		assert_int_equal(irk_db_record(db, rec, NULL, &err), IRK_OK);
	return k;
}

/* rec through the filter: stored, its key then want; rec freed. */
static void
stored_as(struct irk_db *db, struct irk_vss_rows *r, json_t *rec,
    const char *key, const char *want)
{
	assert_int_equal(through(db, r, rec), 1);
	assert_string_equal(json_string_value(json_object_get(rec, key)),
	    want);
	json_decref(rec);
}

static json_t *
shimcache(void)
{
	return json_pack("{s:s, s:s, s:s}", "type", "shimcache", "hive",
	    "/SYSTEM", "path", "C:\\x.exe");
}

static void
test_records(void **state)
{
	struct irk_db *db = open_case();
	struct irk_vss_rows *r;
	struct irk_err err;
	json_t *rec;
	char *v;

	(void)state;
	rec = service("C:\\Windows\\svc.exe");
	assert_int_equal(irk_db_record(db, rec, NULL, &err), IRK_OK);
	json_decref(rec);
	assert_int_equal(irk_vss_rows_open(&r, db, &err), IRK_OK);
	assert_int_equal(irk_vss_rows_store(r, "vss1@A:"), IRK_OK);
	rec = service("C:\\Windows\\svc.exe");	/* unchanged */
	assert_int_equal(through(db, r, rec), 0);
	json_decref(rec);
	rec = service("C:\\Users\\Public\\evil.exe");	/* changed since */
	assert_int_equal(through(db, r, rec), 1);
	assert_string_equal(json_string_value(json_object_get(rec,
	    "source_path")), "vss1@A:/SYSTEM:\\Services\\Svc");
	json_decref(rec);
	/* a program's path inside a hive stays; the hive's is prefixed */
	rec = shimcache();
	json_incref(rec);
	stored_as(db, r, rec, "hive", "vss1@A:/SYSTEM");
	assert_string_equal(json_string_value(json_object_get(rec, "path")),
	    "C:\\x.exe");
	json_decref(rec);
	/* a file's own record: its path */
	stored_as(db, r, json_pack("{s:s, s:s, s:s}", "type", "psreadline",
	    "path", "/Users/u/h.txt", "command", "whoami"), "path",
	    "vss1@A:/Users/u/h.txt");
	/* the second copy: the first copy's rows count, prefix and all */
	assert_int_equal(irk_vss_rows_store(r, "vss2@B:"), IRK_OK);
	rec = service("C:\\Users\\Public\\evil.exe");
	assert_int_equal(through(db, r, rec), 0);
	json_decref(rec);
	rec = shimcache();
	assert_int_equal(through(db, r, rec), 0);
	json_decref(rec);
	assert_true(r->records == 0 && r->same_records == 2);
	irk_vss_rows_free(r);
	assert_int_equal(irk_db_commit(db), IRK_OK);
	v = text("SELECT group_concat(image_path || '@' || fragment_path, ' ') "
	    "FROM services");
	assert_string_equal(v, "C:\\Windows\\svc.exe@/SYSTEM:\\Services\\Svc "
	    "C:\\Users\\Public\\evil.exe@vss1@A:/SYSTEM:\\Services\\Svc");
	free(v);
	irk_db_close(db);
	remove_case();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_files),
		cmocka_unit_test(test_records),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
