/* test_lib.c - bounded buffer, number and time parsing, fs_host. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "irkit/buf.h"
#include "irkit/fe.h"
#include "irkit/fs.h"
#include "irkit/json.h"
#include "irkit/parse.h"
#include "irkit/timeutil.h"

static void
test_buf_bound(void **state)
{
	struct irk_buf b;

	(void)state;
	irk_buf_init(&b, 8);
	assert_int_equal(irk_buf_addstr(&b, "12345678"), IRK_OK);
	assert_int_equal(irk_buf_addch(&b, 'x'), IRK_TOOBIG);
	assert_int_equal(b.len, 8);
	assert_string_equal(b.data, "12345678");
	irk_buf_release(&b);
}

static void
test_buf_lines(void **state)
{
	struct irk_buf b;
	const char *l;
	size_t pos = 0, n;

	(void)state;
	irk_buf_init(&b, 100);
	irk_buf_addstr(&b, "a\r\nbc\n\nlast");
	assert_true(irk_buf_next_line(&b, &pos, &l, &n));
	assert_int_equal(n, 1);
	assert_true(irk_buf_next_line(&b, &pos, &l, &n));
	assert_int_equal(n, 2);
	assert_memory_equal(l, "bc", 2);
	assert_true(irk_buf_next_line(&b, &pos, &l, &n));
	assert_int_equal(n, 0);
	assert_true(irk_buf_next_line(&b, &pos, &l, &n));
	assert_memory_equal(l, "last", 4);
	assert_false(irk_buf_next_line(&b, &pos, &l, &n));
	irk_buf_release(&b);
}

static void
test_parse_numbers(void **state)
{
	uint64_t v;
	int64_t s;

	(void)state;
	assert_int_equal(irk_parse_u64("42", 10, 100, &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(irk_parse_u64("101", 10, 100, &v), -1);
	assert_int_equal(irk_parse_u64("4x", 10, 100, &v), -1);
	assert_int_equal(irk_parse_u64("", 10, 100, &v), -1);
	assert_int_equal(irk_parse_u64("-1", 10, 100, &v), -1);
	assert_int_equal(irk_parse_u64("99999999999999999999999", 10,
	    UINT64_MAX, &v), -1);
	assert_int_equal(irk_parse_i64("-5", 10, -10, 10, &s), 0);
	assert_int_equal(s, -5);
	assert_int_equal(irk_parse_size("64M", &v), 0);
	assert_int_equal(v, 64u << 20);
	assert_int_equal(irk_parse_size("M", &v), -1);
}

static void
test_time(void **state)
{
	char t[IRK_TIME_LEN];
	int64_t us;

	(void)state;
	assert_string_equal(irk_time_fmt(0, t), "1970-01-01T00:00:00.000000Z");
	assert_string_equal(irk_time_fmt(1795300161123456LL, t),
	    "2026-11-21T22:29:21.123456Z");
	assert_int_equal(irk_time_parse("2026-11-21T22:29:21.123456Z", &us), 0);
	assert_int_equal(us, 1795300161123456LL);
	assert_int_equal(irk_time_parse("2026-11-21T23:29:21+01:00", &us), 0);
	assert_int_equal(us, 1795300161000000LL);
	assert_int_equal(irk_time_parse("2026-11-21", &us), 0);
	assert_int_equal(irk_time_parse("2026-13-21", &us), -1);
	assert_int_equal(irk_time_parse("2026-11-21T22:29:21Zjunk", &us), -1);
	assert_string_equal(irk_time_fmt(-1, t), "1969-12-31T23:59:59.999999Z");
}

static void
test_json_bytes(void **state)
{
	json_t *j;

	(void)state;
	j = irk_json_strn("ok\xff\x00z", 5);
	assert_string_equal(json_string_value(j), "ok\\xff\\x00z");
	json_decref(j);
	j = irk_json_strn("a\\\xff", 3);
	assert_string_equal(json_string_value(j), "a\\x5c\\xff");
	json_decref(j);
	j = irk_json_str("C:\\x");
	assert_string_equal(json_string_value(j), "C:\\x");
	json_decref(j);
	j = irk_json_str("caf\xc3\xa9");
	assert_string_equal(json_string_value(j), "caf\xc3\xa9");
	json_decref(j);
}

/* A fake root whose links point outside must stay inside. */
static void
test_fs_host_confined(void **state)
{
	char root[] = "/tmp/irk-fs-XXXXXX", p[512];
	struct irk_fs *fs;
	struct irk_err err;
	struct irk_buf b;
	struct irk_stat st;
	FILE *fp;

	(void)state;
	assert_non_null(mkdtemp(root));
	snprintf(p, sizeof(p), "%s/etc", root);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/etc/passwd", root);
	fp = fopen(p, "w");
	fputs("inside\n", fp);
	fclose(fp);
	snprintf(p, sizeof(p), "%s/abs", root);
	assert_int_equal(symlink("/etc/passwd", p), 0);	/* -> root's */
	snprintf(p, sizeof(p), "%s/up", root);
	assert_int_equal(symlink("../../../../../../etc/passwd", p), 0);
	snprintf(p, sizeof(p), "%s/loop", root);
	assert_int_equal(symlink("loop", p), 0);

	assert_int_equal(irk_fs_host_open(&fs, root, &err), IRK_OK);
	irk_buf_init(&b, 1024);
	assert_int_equal(irk_fs_read_file(fs, "/abs", &b, NULL, &err), IRK_OK);
	assert_string_equal(b.data, "inside\n");
	irk_buf_reset(&b);
	assert_int_equal(irk_fs_read_file(fs, "/up", &b, NULL, &err), IRK_OK);
	assert_string_equal(b.data, "inside\n");
	irk_buf_reset(&b);
	assert_int_equal(irk_fs_read_file(fs, "/../../etc/passwd", &b, NULL,
	    &err), IRK_OK);
	assert_string_equal(b.data, "inside\n");
	assert_int_not_equal(irk_fs_read_file(fs, "/loop", &b, NULL, &err),
	    IRK_OK);
	assert_int_equal(fs->ops->stat(fs, "/abs", 0, &st, &err), IRK_OK);
	assert_true(S_ISLNK(st.mode));
	irk_buf_reset(&b);
	assert_int_equal(irk_fs_resolve(fs, "/up", &b, &err), IRK_OK);
	assert_string_equal(b.data, "/etc/passwd");
	irk_buf_reset(&b);
	assert_int_equal(irk_fs_read_file(fs, "/etc", &b, NULL, &err),
	    IRK_FAIL);
	irk_buf_release(&b);
	irk_fs_free(fs);
	for (const char *const *n = (const char *const[]){ "abs", "up", "loop",
	    "etc/passwd", "etc", NULL }; *n; n++) {
		snprintf(p, sizeof(p), "%s/%s", root, *n);
		(void)remove(p);
	}
	(void)rmdir(root);
}

static void
test_safe_escape(void **state)
{
	char out[64];
	size_t n;

	(void)state;
	/* escape sequences, C1 CSI, DEL, invalid UTF-8, backslash, newline */
	n = irk_safe_escape(out, sizeof(out), "a\033]0;x\a\033[31m", 12);
	assert_string_equal(out, "a\\x1b]0;x\\x07\\x1b[31m");
	assert_int_equal(n, strlen(out));
	(void)irk_safe_escape(out, sizeof(out), "\xc2\x9b" "1m\x7f\xff\\\n", 8);
	assert_string_equal(out, "\\xc2\\x9b1m\\x7f\\xff\\\\\\n");
	/* valid UTF-8 passes; an overlong '/' does not */
	(void)irk_safe_escape(out, sizeof(out), "caf\xc3\xa9 \xc0\xaf", 8);
	assert_string_equal(out, "caf\xc3\xa9 \\xc0\\xaf");
	/* cut like snprintf */
	n = irk_safe_escape(out, 4, "\001\002", 2);
	assert_int_equal(n, 8);
	assert_string_equal(out, "\\x0");
	assert_int_equal(irk_utf8_seq((const unsigned char *)"\xed\xa0\x80", 3), 0);
	assert_int_equal(irk_utf8_seq((const unsigned char *)"\xf0\x9f\x98\x80", 4), 4);
	assert_int_equal(irk_utf8_seq((const unsigned char *)"\xf0\x9f", 2), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buf_bound),
		cmocka_unit_test(test_buf_lines),
		cmocka_unit_test(test_parse_numbers),
		cmocka_unit_test(test_time),
		cmocka_unit_test(test_json_bytes),
		cmocka_unit_test(test_fs_host_confined),
		cmocka_unit_test(test_safe_escape),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
