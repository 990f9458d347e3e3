/* test_db.c - the case database through its API (db.h, db_read.h):
 * evidence idempotence, the evidence row committed before the load,
 * tolerant record loading with their events, MACB merging, the named
 * reads of export; the JSONL assembler.  The case is a file that a
 * second connection (SQLite alone) reads as the oracle. */
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
#include "db_read.h"
#include "jsonl.h"
#include "irkit/fs.h"
#include "irkit/timeutil.h"

static char case_path[64];

/* The case file of the last test and its WAL files, removed. */
static void
remove_case(void)
{
	char p[80];

	if (case_path[0] == '\0')
		return;
	(void)unlink(case_path);
	(void)snprintf(p, sizeof(p), "%s-wal", case_path);
	(void)unlink(p);
	(void)snprintf(p, sizeof(p), "%s-shm", case_path);
	(void)unlink(p);
	case_path[0] = '\0';
}

/* One integer from q, read by a connection of its own (the oracle). */
static int64_t
count(struct irk_db *db, const char *q)
{
	sqlite3 *h;
	sqlite3_stmt *s;
	int64_t n = -1;

	(void)db;
	assert_int_equal(sqlite3_open_v2(case_path, &h, SQLITE_OPEN_READONLY,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(h, q, -1, &s, NULL), SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(h);
	return n;
}

/* A new case file, its first evidence row added. */
static struct irk_db *
open_mem(void)
{
	struct irk_db *db = NULL;
	struct irk_err err;
	int64_t id;
	int fd;

	remove_case();
	(void)snprintf(case_path, sizeof(case_path), "/tmp/irk-test-db.XXXXXX");
	assert_true((fd = mkstemp(case_path)) >= 0);
	(void)close(fd);
	(void)unlink(case_path);
	assert_int_equal(irk_db_open(&db, case_path, &err), 0);
	assert_int_equal(irk_db_evidence_add(db, "x.tar", "aa", 1, "irkit",
	    NULL, &id, &err), 0);
	return db;
}

static void
test_evidence_once(void **state)
{
	struct irk_db *db = open_mem();
	struct irk_err err;
	int64_t id;

	json_t *cols;
	int64_t first;

	(void)state;
	/* still 'loading' (a load that never finished): replaced */
	assert_int_equal(irk_db_evidence_add(db, "y.tar", "aa", 1, "irkit",
	    NULL, &id, &err), 0);
	assert_int_equal(irk_db_replaced(db), 1);
	assert_int_equal(count(db, "SELECT count(*) FROM evidence"), 1);
	first = id;
	/* finished: the same SHA-256 again is the same evidence */
	cols = json_pack("{ss}", "status", "complete");
	assert_int_equal(irk_db_evidence_set(db, id, cols), 0);
	json_decref(cols);
	assert_int_equal(irk_db_evidence_add(db, "y2.tar", "aa", 1, "irkit",
	    NULL, &id, &err), 1);
	assert_int_equal(id, first);
	assert_int_equal(irk_db_replaced(db), 0);
	assert_int_equal(irk_db_evidence_add(db, "z.tar", "bb", 1, "archive",
	    NULL, &id, &err), 0);
	assert_true(id != first);
	assert_int_equal(count(db, "SELECT count(*) FROM evidence"), 2);
	irk_db_close(db);
}

static void
load(struct irk_db *db, const char *text)
{
	struct irk_err err;
	json_error_t je;
	json_t *r = json_loads(text, 0, &je);

	assert_non_null(r);
	assert_int_equal(irk_db_record(db, r, NULL, &err), 0);
	json_decref(r);
}

static void
test_records(void **state)
{
	struct irk_db *db = open_mem();
	int64_t t;

	(void)state;
	load(db, "{\"type\":\"process\",\"pid\":7,\"argv\":[\"/tmp/x\",\"-a\"],"
	    "\"exe\":\"/tmp/x\",\"start_time\":\"2026-11-21T22:29:21.5Z\","
	    "\"sockets\":[{\"proto\":\"tcp\",\"local_address\":\"0.0.0.0\","
	    "\"local_port\":22}]}");
	assert_int_equal(count(db, "SELECT count(*) FROM processes WHERE "
	    "cmdline = '/tmp/x -a' AND pid = 7"), 1);
	assert_int_equal(count(db, "SELECT count(*) FROM sockets WHERE "
	    "local_addr = '0.0.0.0' AND local_port = 22 AND process_id = 1"), 1);
	assert_int_equal(irk_time_parse("2026-11-21T22:29:21.5Z", &t), 0);
	assert_int_equal(count(db, "SELECT ts FROM events WHERE ts_desc = "
	    "'Process Start'"), t);
	/* missing and mistyped fields are NULL, never an error */
	load(db, "{\"type\":\"task\",\"kind\":\"at\",\"run_at\":"
	    "\"2027-01-01T00:00:00Z\",\"last_run\":\"yesterday\",\"line\":\"x\"}");
	assert_int_equal(count(db, "SELECT count(*) FROM tasks WHERE "
	    "last_run IS NULL AND run_at IS NOT NULL"), 1);
	assert_int_equal(count(db, "SELECT count(*) FROM events WHERE "
	    "ts_desc = 'Scheduled Run'"), 1);
	load(db, "{\"type\":\"certificate\",\"not_before\":"
	    "\"2020-01-01T00:00:00Z\",\"not_after\":\"2030-01-01T00:00:00Z\","
	    "\"ext_key_usage\":[\"codeSigning\"]}");
	assert_int_equal(count(db, "SELECT count(*) FROM events WHERE "
	    "source = 'CERT'"), 2);
	assert_int_equal(count(db, "SELECT count(*) FROM certificates WHERE "
	    "ext_key_usage = '[\"codeSigning\"]'"), 1);
	load(db, "{\"type\":\"service\",\"name\":\"a.service\","
	    "\"exec_start\":[[\"/home/u/a\",\"x\"]],\"enabled\":true}");
	assert_int_equal(count(db, "SELECT count(*) FROM services WHERE "
	    "image_path = '/home/u/a' AND command = '/home/u/a x' AND "
	    "enabled = 1"), 1);
	load(db, "{\"type\":\"something_new\",\"v\":1}");
	load(db, "{\"no_type\":true}");
	assert_int_equal(count(db, "SELECT count(*) FROM records"), 2);
	/* findings: temp-dir exe, writable service, at least */
	assert_int_equal(irk_db_findings(db, NULL), 0);
	assert_int_equal(count(db, "SELECT count(*) FROM findings WHERE "
	    "category = 'process'"), 1);
	assert_int_equal(count(db, "SELECT count(*) FROM findings WHERE "
	    "category = 'service'"), 1);
	assert_int_equal(count(db, "SELECT count(*) FROM events WHERE "
	    "source = 'FINDING'"), 2);
	irk_db_close(db);
}

/* The aliases kept for old archives, the first key present winning. */
static void
test_aliases(void **state)
{
	struct irk_db *db = open_mem();

	(void)state;
	load(db, "{\"type\":\"process\",\"pid\":1,\"rss\":4096,"
	    "\"sockets\":[{\"protocol\":\"udp\",\"local_address\":\"::1\","
	    "\"remote_address\":\"10.0.0.1\",\"remote_port\":53}]}");
	assert_int_equal(count(db, "SELECT rss_bytes FROM processes"), 4096);
	assert_int_equal(count(db, "SELECT count(*) FROM sockets WHERE proto "
	    "= 'udp' AND local_addr = '::1' AND remote_addr = '10.0.0.1' AND "
	    "pid = 1 AND process_id = 1"), 1);
	/* a socket record: loaded alone only without an owner */
	load(db, "{\"type\":\"socket\",\"proto\":\"tcp\",\"owner\":null}");
	load(db, "{\"type\":\"socket\",\"proto\":\"tcp\",\"owner\":"
	    "{\"pid\":1}}");
	assert_int_equal(count(db, "SELECT count(*) FROM sockets WHERE "
	    "process_id IS NULL AND pid IS NULL"), 1);
	load(db, "{\"type\":\"service\",\"name\":\"s\",\"run_as\":\"old\","
	    "\"path\":\"/etc/s\",\"mtime\":\"2026-01-01T00:00:00Z\"}");
	load(db, "{\"type\":\"service\",\"name\":\"t\",\"account\":\"new\","
	    "\"run_as\":\"old\"}");
	assert_int_equal(count(db, "SELECT count(*) FROM services WHERE "
	    "(name = 's' AND account = 'old' AND fragment_path = '/etc/s') OR "
	    "(name = 't' AND account = 'new')"), 2);
	assert_int_equal(count(db, "SELECT count(*) FROM events WHERE path = "
	    "'/etc/s' AND message = 'service s: '"), 1);
	load(db, "{\"type\":\"task\",\"path\":\"/etc/crontab\","
	    "\"command\":[\"/bin/sh\",\"-c\",\"x\"]}");
	assert_int_equal(count(db, "SELECT count(*) FROM tasks WHERE "
	    "source_path = '/etc/crontab' AND command = '/bin/sh -c x'"), 1);
	load(db, "{\"type\":\"certificate\",\"index\":2,\"idx\":5,"
	    "\"bits\":384,\"packaged\":true}");
	assert_int_equal(count(db, "SELECT count(*) FROM certificates WHERE "
	    "idx = 2 AND key_bits = 384 AND shipped_by_os = 1"), 1);
	load(db, "{\"type\":\"private_key\",\"algorithm\":\"EC\","
	    "\"key_bits\":256}");
	assert_int_equal(count(db, "SELECT count(*) FROM private_keys WHERE "
	    "key_type = 'EC' AND bits = 256"), 1);
	irk_db_close(db);
}

static void
test_macb(void **state)
{
	struct irk_db *db = open_mem();
	struct irk_db_file f;
	int64_t id;

	(void)state;
	memset(&f, 0, sizeof(f));
	f.path = "/bin/x";
	f.size = f.uid = f.gid = f.inode = -1;
	f.mtime = 100;
	f.ctime = 100;
	f.atime = 200;
	f.btime = IRK_TIME_NONE;
	assert_int_equal(irk_db_file_add(db, &f, &id), 0);
	assert_int_equal(irk_db_file_events(db, &f, id), 0);
	assert_int_equal(count(db, "SELECT count(*) FROM events"), 2);
	assert_int_equal(count(db, "SELECT count(*) FROM events WHERE "
	    "macb = 'M.C.' AND ts = 100"), 1);
	assert_int_equal(count(db, "SELECT count(*) FROM events WHERE "
	    "macb = '.A..' AND ts = 200"), 1);
	assert_int_equal(count(db, "SELECT count(*) FROM files WHERE "
	    "size IS NULL AND btime IS NULL"), 1);
	irk_db_close(db);
}

/*
 * The evidence row is committed in a transaction of its own: another
 * connection sees it 'loading' while the load's transaction is open,
 * and not the rows of the load.
 */
static void
test_evidence_committed(void **state)
{
	struct irk_db *db = open_mem();
	struct irk_err err;
	int64_t id;

	(void)state;
	assert_int_equal(irk_db_begin(db), 0);
	assert_int_equal(irk_db_evidence_add(db, "n.tar", "cc", 1, "irkit",
	    NULL, &id, &err), 0);
	assert_int_equal(irk_db_current_evidence(db), id);
	assert_true(irk_db_in_tx(db));
	assert_int_equal(irk_db_event(db, 5, "Test", NULL, "TEST", "/p", "m",
	    NULL, 0), 0);
	assert_int_equal(count(db, "SELECT count(*) FROM evidence WHERE "
	    "sha256 = 'cc' AND status = 'loading'"), 1);
	assert_int_equal(count(db, "SELECT count(*) FROM events"), 0);
	assert_int_equal(irk_db_commit(db), 0);
	assert_int_equal(count(db, "SELECT count(*) FROM events"), 1);
	irk_db_close(db);
}

struct seen {
	int n;
	char v[4][16];
};

static int
seen_value(void *arg, const char *v)
{
	struct seen *s = arg;

	if (s->n < 4)
		(void)snprintf(s->v[s->n], sizeof(s->v[0]), "%s", v ? v : "-");
	s->n++;
	return 0;
}

/* Each event of a read in order: ts values into out, their number. */
static int
read_events(struct irk_db *db, const struct irk_db_filter *f, int64_t *out)
{
	struct irk_db_rows *r;
	struct irk_err err;
	int n = 0, sorts = -1, ts;

	assert_int_equal(irk_db_events_open(db, f, &r, &sorts, &err), 0);
	assert_true(sorts == 0 || sorts == 1);
	ts = irk_db_rows_index(r, "ts");
	assert_true(ts >= 0);
	assert_string_equal(irk_db_rows_name(r, ts), "ts");
	assert_int_equal(irk_db_rows_index(r, "no_such_column"), -1);
	while (irk_db_rows_next(r) == 1) {
		assert_int_equal(irk_db_rows_type(r, ts), IRK_DBT_INT);
		out[n++] = irk_db_rows_int(r, ts);
	}
	irk_db_rows_close(r);
	return n;
}

static void
count_cb(void *arg, const char *label, int64_t n)
{
	if (strcmp(label, "events") == 0)
		*(int64_t *)arg = n;
}

/* The named reads of a reader: export's filters, spans, values. */
static void
test_reads(void **state)
{
	struct irk_db *db = open_mem(), *rd;
	struct irk_db_filter f;
	struct irk_db_rows *r;
	struct irk_err err;
	struct seen sv;
	int64_t ts[8], a, b, nev = -1;
	int n;

	(void)state;
	assert_int_equal(irk_db_event(db, 300, "C", NULL, "FILE", "/etc/x",
	    "third", NULL, 0), 0);
	assert_int_equal(irk_db_event(db, 100, "A", NULL, "PROCESS", "/bin/a",
	    "first", NULL, 0), 0);
	assert_int_equal(irk_db_event(db, 200, "B", NULL, "FILE", "/ETC/y",
	    NULL, NULL, 0), 0);
	irk_db_close(db);
	assert_int_equal(irk_db_open_reader(&rd, "/nonexistent/case.db",
	    &err), IRK_FATAL);
	assert_non_null(strstr(err.msg, "cannot read '/nonexistent/case.db'"));
	assert_int_equal(irk_db_open_reader(&rd, case_path, &err), 0);
	memset(&f, 0, sizeof(f));
	assert_int_equal(read_events(rd, &f, ts), 3);
	assert_true(ts[0] == 100 && ts[1] == 200 && ts[2] == 300);
	f.source = "file";		/* case ignored */
	assert_int_equal(read_events(rd, &f, ts), 2);
	f.grep = "eTc";			/* path or message, case ignored */
	f.has_from = 1;
	f.from = 250;
	assert_int_equal(read_events(rd, &f, ts), 1);
	assert_int_equal(ts[0], 300);
	f.has_to = 1;
	f.to = 260;
	assert_int_equal(read_events(rd, &f, ts), 0);
	assert_int_equal(irk_db_event_span(rd, &a, &b), 1);
	assert_true(a == 100 && b == 300);
	memset(&sv, 0, sizeof(sv));
	assert_int_equal(irk_db_each_value(rd, IRK_DBV_EVENT_SOURCES,
	    seen_value, &sv), 0);
	assert_int_equal(sv.n, 2);
	assert_string_equal(sv.v[0], "FILE");
	assert_string_equal(sv.v[1], "PROCESS");
	/* no files: an empty read, not an error */
	memset(&f, 0, sizeof(f));
	assert_int_equal(irk_db_files_open(rd, &f, &r, &err), 0);
	assert_int_equal(irk_db_rows_next(r), 0);
	irk_db_rows_close(r);
	assert_int_equal(irk_db_counts(rd, count_cb, &nev), 0);
	assert_int_equal(nev, 3);
	/* a reader cannot write */
	n = irk_db_event(rd, 1, "X", NULL, "X", NULL, NULL, NULL, 0);
	assert_true(n != 0);
	irk_db_close(rd);
	assert_int_equal(count(NULL, "SELECT count(*) FROM events"), 3);
}

struct lines {
	int n, overlong;
	char last[64];
};

static void
cb(void *arg, uint64_t lineno, const char *line, size_t len, int overlong)
{
	struct lines *l = arg;

	(void)lineno;
	l->n++;
	l->overlong += overlong;
	if (!overlong)
		(void)snprintf(l->last, sizeof(l->last), "%.*s", (int)len, line);
}

static void
test_jsonl(void **state)
{
	struct irk_jsonl j;
	struct lines l;

	(void)state;
	memset(&l, 0, sizeof(l));
	irk_jsonl_init(&j, 8);
	irk_jsonl_feed(&j, "ab", 2, cb, &l);
	irk_jsonl_feed(&j, "c\r\n0123456789abc\nxy", 19, cb, &l);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.overlong, 1);
	irk_jsonl_end(&j, cb, &l);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.last, "xy");
	irk_jsonl_release(&j);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_evidence_once),
		cmocka_unit_test(test_records),
		cmocka_unit_test(test_aliases),
		cmocka_unit_test(test_macb),
		cmocka_unit_test(test_evidence_committed),
		cmocka_unit_test(test_reads),
		cmocka_unit_test(test_jsonl),
	};

	int r = cmocka_run_group_tests(tests, NULL, NULL);

	remove_case();
	return r;
}
