/*
 * test_usn.c - the USN record parser (analyzer/usn_parse.c) over the
 * plaso $J sample (tests/data/prefetch/UsnJrnl.raw; values read with
 * python's struct by tests/e2e/usn_oracle.py), records cut by the end of
 * a buffer and read again, misaligned and inconsistent records; and the
 * Prefetch wrapper (analyzer/prefetch.c) on a sample and on hostile
 * bytes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <sys/stat.h>
#include <unistd.h>

#include "usn.h"
#include "prefetch.h"
#include "irkit/collect.h"
#include "irkit/fs.h"

extern const struct irk_collector irk_collector_usn_file;

static unsigned char *
slurp(const char *rel, size_t *len)
{
	char path[1024];
	unsigned char *b = malloc(1 << 20);
	FILE *f;

	snprintf(path, sizeof(path), "%s/tests/data/prefetch/%s", IRK_TEST_SRC,
	    rel);
	assert_non_null(b);
	assert_non_null(f = fopen(path, "rb"));
	*len = fread(b, 1, 1 << 20, f);
	fclose(f);
	return b;
}

static void
test_sample(void **state)
{
	struct irk_usn_stats st = { 0 };
	struct irk_usn_rec r;
	size_t len, off = 0;
	unsigned char *b = slurp("UsnJrnl.raw", &len);
	int n = 0;

	(void)state;
	while (irk_usn_next(b, len, &off, 0, &r, &st) == 1) {
		if (n == 10) {
			/* 880|1448918147968750|Kopie van first.txt|256|31|1|5|5 */
			assert_true(r.usn == 880);
			assert_true(r.ts == 1448918147968750LL);
			assert_string_equal(r.name, "Kopie van first.txt");
			assert_int_equal(r.reason, IRK_USN_FILE_CREATE);
			assert_true(r.file_ref == (31ULL | 1ULL << 48));
			assert_true(r.parent_ref == (5ULL | 5ULL << 48));
			assert_int_equal(r.attributes, 0x20);
			assert_int_equal(r.major, 2);
		}
		n++;
	}
	assert_int_equal(n, 19);
	assert_true(st.records == 19 && st.bad == 0 && st.v4 == 0);
	assert_true(off == len);
	free(b);
}

/* A record cut at the end of a buffer is left to be read again. */
static void
test_cut(void **state)
{
	struct irk_usn_stats st = { 0 };
	struct irk_usn_rec r;
	size_t len, off = 0;
	unsigned char *b = slurp("UsnJrnl.raw", &len);

	(void)state;
	/* the first record is 112 bytes: 100 of them give nothing */
	assert_int_equal(irk_usn_next(b, 100, &off, 0, &r, &st), 0);
	assert_true(off == 0);
	assert_int_equal(irk_usn_next(b, 112, &off, 0, &r, &st), 1);
	assert_true(off == 112);
	/* the second read from where the first stopped, its stream base */
	off = 0;
	assert_int_equal(irk_usn_next(b + 112, 112, &off, 112, &r, &st), 1);
	assert_true(r.usn == 112 && r.offset == 112);
	free(b);
}

static void
test_hostile(void **state)
{
	struct irk_usn_stats st = { 0 };
	struct irk_usn_rec r;
	unsigned char b[256];
	size_t off = 0;

	(void)state;
	memset(b, 0, sizeof(b));
	/* a V2 record whose name runs past its length */
	b[0] = 64;
	b[4] = 2;
	b[56] = 200;	/* name length */
	b[58] = 60;	/* name offset */
	/* a length past the buffer, then a huge one */
	b[64] = 0xf0; b[65] = 0xff; b[66] = 0xff; b[67] = 0xff; b[68] = 2;
	b[72] = 0; b[73] = 0x10; b[76] = 2;	/* 4096: cut */
	assert_int_equal(irk_usn_next(b, sizeof(b), &off, 0, &r, &st), 0);
	assert_true(st.records == 0);
	assert_true(st.bad >= 2);
	/* stopped at the cut record, which never fits */
	assert_true(off == 72);
	/* a misaligned base: the first aligned offset */
	off = 0;
	memset(&st, 0, sizeof(st));
	assert_int_equal(irk_usn_next(b + 100, 100, &off, 3, &r, &st), 0);
	assert_true(off >= 5);
}

static void
test_prefetch(void **state)
{
	size_t len;
	unsigned char *b = slurp("NOTEPAD.EXE-D8414F97.pf", &len);
	unsigned char huge[16] = "MAM\x04\xff\xff\xff\x7f";
	struct irk_err err;
	json_t *rec;

	(void)state;
	assert_int_equal(irk_prefetch_parse(b, len, "/p.pf", &rec, &err),
	    IRK_OK);
	assert_string_equal(json_string_value(json_object_get(rec,
	    "executable")), "NOTEPAD.EXE");
	assert_int_equal(json_integer_value(json_object_get(rec, "version")),
	    30);
	assert_int_equal(json_array_size(json_object_get(rec, "runs")), 2);
	json_decref(rec);
	assert_int_equal(irk_prefetch_mam_version(b, len), 30);
	/* cut: refused, not read past */
	assert_int_equal(irk_prefetch_parse(b, len / 2, "/p.pf", &rec, &err),
	    IRK_FAIL);
	assert_null(rec);
	assert_int_equal(irk_prefetch_parse(huge, sizeof(huge), "/h.pf", &rec,
	    &err), IRK_FAIL);
	assert_non_null(strstr(err.msg, "above the limit"));
	free(b);
	b = slurp("AM_DELTA_PATCH_1.443.990.0.EX-7037CF86.pf", &len);
	assert_int_equal(irk_prefetch_parse(b, len, "/a.pf", &rec, &err),
	    IRK_FAIL);
	assert_string_equal(err.msg, "compressed prefetch file of format "
	    "version 31, which libscca does not read");
	free(b);
}

static int
cap_record(void *arg, const char *collector, json_t *rec, struct irk_err *e)
{
	(void)collector;
	(void)e;
	json_array_append(arg, rec);
	return IRK_OK;
}

static const struct irk_sink_ops cap_ops = { cap_record, NULL, NULL, NULL };

/*
 * A collection's $J copied as a file (KAPE: C/$Extend/$J), its sparse
 * start kept as zeros: the usn_file collector reads the sample's 19
 * entries, without paths (no MFT).
 */
static void
test_usn_file(void **state)
{
	char root[] = "/tmp/irk-usn-XXXXXX", dir[64], path[80];
	struct irk_collect_opts opts;
	struct irk_collect c;
	struct irk_fs *fs;
	struct irk_err err;
	json_t *all = json_array(), *r;
	unsigned char *b, zeros[4096];
	size_t len;
	FILE *f;

	(void)state;
	b = slurp("UsnJrnl.raw", &len);
	assert_non_null(mkdtemp(root));
	snprintf(dir, sizeof(dir), "%s/$Extend", root);
	assert_int_equal(mkdir(dir, 0700), 0);
	snprintf(path, sizeof(path), "%s/$J", dir);
	assert_non_null(f = fopen(path, "wb"));
	memset(zeros, 0, sizeof(zeros));
	for (int i = 0; i < 16; i++)
		assert_int_equal(fwrite(zeros, 1, sizeof(zeros), f),
		    sizeof(zeros));
	assert_int_equal(fwrite(b, 1, len, f), len);
	fclose(f);
	assert_int_equal(irk_fs_host_open(&fs, root, &err), IRK_OK);
	memset(&opts, 0, sizeof(opts));
	irk_collect_init(&c, fs, &opts, &cap_ops, all);
	assert_int_equal(irk_collect_run(&c, &irk_collector_usn_file),
	    IRK_OK);
	irk_collect_release(&c);
	assert_int_equal(json_array_size(all), 19);
	r = json_array_get(all, 10);
	assert_string_equal(json_string_value(json_object_get(r, "name")),
	    "Kopie van first.txt");
	/* the offset in the copy: after the zeros */
	assert_int_equal(json_integer_value(json_object_get(r, "offset")),
	    16 * 4096 + 880);
	assert_int_equal(json_integer_value(json_object_get(r, "usn")), 880);
	assert_string_equal(json_string_value(json_object_get(r, "volume")),
	    "/$Extend/$J");
	assert_null(json_object_get(r, "path"));
	irk_fs_free(fs);
	unlink(path);
	rmdir(dir);
	rmdir(root);
	json_decref(all);
	free(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sample),
		cmocka_unit_test(test_cut),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_prefetch),
		cmocka_unit_test(test_usn_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
