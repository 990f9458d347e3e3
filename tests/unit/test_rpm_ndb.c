/*
 * test_rpm_ndb.c - the ndb Packages.db container reader
 * (analyzer/rpm_ndb.c) on files written here from the public layout
 * (docs/integrity.md, "ndb"): the blobs handed over whole and in package
 * index order, and each damage to a slot or a blob refused with the
 * others read; a header that is not ndb's, or slot pages that cannot be
 * read, refuse the file.  The headers themselves are librpm's business
 * (tests/e2e/rpm.bats).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <unistd.h>
#include <zlib.h>

#include "rpm_ndb.h"

#define PAGE	4096
#define NPKG	3

static unsigned char file[3 * PAGE];
static size_t file_len;

static void
put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

/* A blob of pkgidx at block blkoff holding len bytes of fill: its
 * block count. */
static uint32_t
put_blob(uint32_t blkoff, uint32_t pkgidx, uint32_t len, int fill)
{
	uint32_t blkcnt = (16 + len + 12 + 15) / 16;
	unsigned char *b = file + (size_t)blkoff * 16;
	unsigned char *tail = b + blkcnt * 16 - 12;

	memcpy(b, "BlbS", 4);
	put32(b + 4, pkgidx);
	put32(b + 8, 1700000000);
	put32(b + 12, len);
	memset(b + 16, fill, len);
	put32(tail, (uint32_t)adler32(adler32(0L, Z_NULL, 0), b,
	    blkcnt * 16 - 12));
	put32(tail + 4, len);
	memcpy(tail + 8, "BlbE", 4);
	return blkcnt;
}

static void
put_slot(uint32_t no, uint32_t pkgidx, uint32_t blkoff, uint32_t blkcnt)
{
	unsigned char *s = file + (size_t)no * 16;

	memcpy(s, "Slot", 4);
	put32(s + 4, pkgidx);
	put32(s + 8, blkoff);
	put32(s + 12, blkcnt);
}

/*
 * One slot page; packages 3, 1, 2 in slots 2, 3, 4 (blobs of 100, 40 and
 * 17 bytes of 'c', 'a', 'b' after it); the other slots free.
 */
static void
make_db(void)
{
	static const uint32_t idx[NPKG] = { 3, 1, 2 }, len[NPKG] = { 100, 40,
	    17 };
	uint32_t blk = PAGE / 16;

	memset(file, 0, sizeof(file));
	memcpy(file, "RpmP", 4);
	put32(file + 8, 7);
	put32(file + 12, 1);
	put32(file + 16, 4);
	for (uint32_t no = 2; no < PAGE / 16; no++)
		put_slot(no, 0, 0, 0);
	for (int i = 0; i < NPKG; i++) {
		uint32_t n = put_blob(blk, idx[i], len[i], 'a' + (int)idx[i] -
		    1);

		put_slot(2 + (uint32_t)i, idx[i], blk, n);
		blk += n;
	}
	file_len = (size_t)blk * 16;
}

struct seen {
	char got[256];		/* "P:LEN:C " per blob */
	size_t bad;
	char first_bad[300];
	int stop_at;
};

static int
on_blob(void *arg, const struct irk_ndb_blob *b)
{
	struct seen *s = arg;
	size_t n = strlen(s->got);

	for (size_t i = 0; i < b->len; i++)
		assert_int_equal(b->data[i], b->data[0]);
	snprintf(s->got + n, sizeof(s->got) - n, "%u:%zu:%c@%u ", b->pkgidx,
	    b->len, b->data[0], b->slot);
	return s->stop_at == (int)b->pkgidx ? 42 : 0;
}

static void
on_bad(void *arg, const char *msg)
{
	struct seen *s = arg;

	if (s->bad++ == 0)
		snprintf(s->first_bad, sizeof(s->first_bad), "%s", msg);
}

/* Read file[0..file_len) as a Packages.db: irk_ndb_each's result. */
static int
read_db(struct seen *s, struct irk_err *err)
{
	FILE *f = tmpfile();
	int r;

	assert_non_null(f);
	assert_int_equal(fwrite(file, 1, file_len, f), file_len);
	assert_int_equal(fflush(f), 0);
	memset(err, 0, sizeof(*err));
	r = irk_ndb_each(fileno(f), on_blob, on_bad, s, err);
	fclose(f);
	return r;
}

static void
test_good(void **state)
{
	struct seen s = { 0 };
	struct irk_err err;

	(void)state;
	make_db();
	assert_int_equal(read_db(&s, &err), IRK_OK);
	assert_string_equal(s.got, "1:40:a@3 2:17:b@4 3:100:c@2 ");
	assert_int_equal(s.bad, 0);
	/* fn's answer stops the walk */
	memset(&s, 0, sizeof(s));
	s.stop_at = 2;
	assert_int_equal(read_db(&s, &err), 42);
	assert_string_equal(s.got, "1:40:a@3 2:17:b@4 ");
}

/* One damage: package 1 (slot 3) refused with want in its message,
 * packages 2 and 3 read. */
static void
one_bad(const char *want)
{
	struct seen s = { 0 };
	struct irk_err err;

	assert_int_equal(read_db(&s, &err), IRK_OK);
	assert_int_equal(s.bad, 1);
	if (strstr(s.first_bad, want) == NULL)
		fail_msg("'%s' does not say '%s'", s.first_bad, want);
	assert_string_equal(s.got, "2:17:b@4 3:100:c@2 ");
}

static void
test_bad_slots(void **state)
{
	uint32_t blkoff = 256 + 8;	/* package 1's blob: after 3's 8 */

	(void)state;
	make_db();
	put_slot(3, 1, blkoff, 100000);
	one_bad("slot 3 (package 1): blocks 264 to 100264 outside the file");
	make_db();
	put_slot(3, 1, 200, 5);
	one_bad("block 200 inside the slot pages");
	make_db();
	memcpy(file + 3 * 16, "Slob", 4);
	one_bad("no slot magic");
	make_db();
	put_slot(3, 0, blkoff, 5);
	one_bad("no package index or no block");
	/* package 1's slot names package 2: refused, package 2's own read */
	make_db();
	put_slot(3, 2, blkoff, 5);
	one_bad("slot 3 (package 2): the blob is package 1's");
	/* a second good slot of package 2: the first read, this one not */
	make_db();
	put_slot(5, 2, 256 + 8 + 5, 3);
	{
		struct seen s = { 0 };
		struct irk_err err;

		assert_int_equal(read_db(&s, &err), IRK_OK);
		assert_int_equal(s.bad, 1);
		assert_string_equal(s.first_bad, "slot 5 (package 2): a second "
		    "slot of the package (read from slot 4): skipped");
		assert_string_equal(s.got, "1:40:a@3 2:17:b@4 3:100:c@2 ");
	}
}

static void
test_bad_blobs(void **state)
{
	unsigned char *b = file + (size_t)(256 + 8) * 16;	/* package 1 */

	(void)state;
	make_db();
	b[30] ^= 1;
	one_bad("Adler-32");
	make_db();
	put32(b + 12, 200);
	one_bad("blob length 200 does not fit its 5 block(s)");
	make_db();
	put32(b + 12, 20);		/* 40 fits, 20 leaves a block empty */
	one_bad("blob length 20 does not fit");
	make_db();
	memcpy(b, "BlbX", 4);
	one_bad("no blob at block 264");
	make_db();
	memcpy(b + 5 * 16 - 4, "BlbX", 4);
	one_bad("the blob's tail is damaged");
	make_db();
	put32(b + 5 * 16 - 8, 41);
	one_bad("the blob's tail is damaged");
}

static void
test_bad_header(void **state)
{
	struct seen s = { 0 };
	struct irk_err err;

	(void)state;
	make_db();
	memcpy(file, "RpmX", 4);
	assert_int_equal(read_db(&s, &err), IRK_FAIL);
	make_db();
	put32(file + 4, 1);
	assert_int_equal(read_db(&s, &err), IRK_FAIL);
	assert_non_null(strstr(err.msg, "version 1"));
	make_db();
	put32(file + 12, 0);
	assert_int_equal(read_db(&s, &err), IRK_FAIL);
	make_db();
	put32(file + 12, 0x80000000u);
	assert_int_equal(read_db(&s, &err), IRK_FAIL);
	assert_non_null(strstr(err.msg, "2147483648 slot page(s)"));
	make_db();
	put32(file + 12, 2);		/* 8 KiB of slot pages, 5.9 KiB file */
	assert_int_equal(read_db(&s, &err), IRK_FAIL);
	assert_non_null(strstr(err.msg, "past the end of the file"));
	make_db();
	file_len = 20;
	assert_int_equal(read_db(&s, &err), IRK_FAIL);
	assert_string_equal(s.got, "");
	assert_int_equal(s.bad, 0);
}

/* Every free slot's magic broken (a page of 253 damaged slots): the
 * first 20 said, then one line for the rest; the packages still read. */
static void
test_bad_flood(void **state)
{
	struct seen s = { 0 };
	struct irk_err err;

	(void)state;
	make_db();
	for (uint32_t no = 5; no < PAGE / 16; no++)
		memcpy(file + (size_t)no * 16, "Xxxx", 4);
	assert_int_equal(read_db(&s, &err), IRK_OK);
	assert_string_equal(s.got, "1:40:a@3 2:17:b@4 3:100:c@2 ");
	assert_int_equal(s.bad, 21);
	assert_string_equal(s.first_bad, "slot 5 (package 0): no slot magic");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_bad_slots),
		cmocka_unit_test(test_bad_blobs),
		cmocka_unit_test(test_bad_header),
		cmocka_unit_test(test_bad_flood),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
