/*
 * test_win_art.c - the parsers of win_art.h from bytes built here: the
 * ShimCache blob in each layout (Windows 7 x64 and x86, 8.0, 8.1, 10
 * with both header sizes) and hostile ones, the UserAssist value, ROT13,
 * UTF-16.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "win_art.h"
#include "irkit/le.h"

#define FT_2023	133444800000000000ULL	/* 2023-11-15T00:00:00Z */
#define US_2023	1700006400000000LL
#define HOUR_FT	36000000000ULL

static const char *const paths[] = {
	"C:\\Windows\\System32\\cmd.exe",
	"C:\\Users\\bob\\AppData\\Local\\Temp\\\xc3\xa9vil.exe",	/* é */
	"C:\\ProgramData\\h.exe",
};
#define NPATHS	3

struct blob {
	unsigned char b[8192];
	size_t len;
};

static void
put16(unsigned char *p, unsigned v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
}

static void
put32(unsigned char *p, uint32_t v)
{
	put16(p, v & 0xffff);
	put16(p + 2, v >> 16);
}

static void
put64(unsigned char *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

/* UTF-16LE of an ASCII string with one 'é' (C3 A9): bytes written */
static size_t
u16(unsigned char *out, const char *s)
{
	size_t n = 0;

	for (; *s; s++) {
		if ((unsigned char)*s == 0xc3) {
			put16(out + n, 0xe9);
			s++;
		} else
			put16(out + n, (unsigned char)*s);
		n += 2;
	}
	return n;
}

static void
add(struct blob *b, const void *p, size_t n)
{
	assert_true(b->len + n <= sizeof(b->b));
	memcpy(b->b + b->len, p, n);
	b->len += n;
}

static void
win7(struct blob *b, int x64)
{
	size_t esz = x64 ? 48 : 32, strs = 128 + esz * NPATHS;

	memset(b, 0, sizeof(*b));
	put32(b->b, 0xbadc0fee);
	put32(b->b + 4, NPATHS);
	b->len = strs;
	for (int i = 0; i < NPATHS; i++) {
		unsigned char *e = b->b + 128 + esz * (size_t)i;
		size_t n = u16(b->b + b->len, paths[i]);

		put16(e, (unsigned)n);
		put16(e + 2, (unsigned)n + 2);
		if (x64) {
			put64(e + 8, b->len);
			put64(e + 16, FT_2023 + (uint64_t)i * HOUR_FT);
			put32(e + 24, i == 1 ? 0 : 2);
		} else {
			put32(e + 4, (uint32_t)b->len);
			put64(e + 8, FT_2023 + (uint64_t)i * HOUR_FT);
			put32(e + 16, i == 1 ? 0 : 2);
		}
		b->len += n + 2;
	}
}

/* "00ts"/"10ts" entries after a header of hdr bytes */
static void
ts(struct blob *b, size_t hdr, const char *sig, int win8, size_t pkg)
{
	memset(b, 0, sizeof(*b));
	put32(b->b, (uint32_t)hdr);
	b->len = hdr;
	for (int i = 0; i < NPATHS; i++) {
		unsigned char body[512], head[12];
		size_t n = 0, pl = u16(body + 2, paths[i]);

		put16(body, (unsigned)pl);
		n = 2 + pl;
		if (win8) {
			put16(body + n, (unsigned)pkg);
			n += 2;
			memset(body + n, 'p', pkg);
			n += pkg;
			put32(body + n, i == 1 ? 0 : 2);
			put32(body + n + 4, 0);
			n += 8;
		}
		put64(body + n, FT_2023 + (uint64_t)i * HOUR_FT);
		n += 8;
		put32(body + n, 3);
		memcpy(body + n + 4, "abc", 3);
		n += 7;
		memcpy(head, sig, 4);
		put32(head + 4, 0x12345678);
		put32(head + 8, (uint32_t)n);
		add(b, head, 12);
		add(b, body, n);
	}
}

struct got {
	int n;
	char path[8][2048];
	int64_t mtime[8];
	int executed[8];
	const char *format;
	int stop_at;
};

static int
collect(void *arg, const struct irk_shim_entry *e)
{
	struct got *g = arg;

	assert_int_equal(e->index, (size_t)g->n);
	if (g->n < 8) {
		snprintf(g->path[g->n], sizeof(g->path[0]), "%s", e->path);
		g->mtime[g->n] = e->mtime;
		g->executed[g->n] = e->executed;
	}
	g->format = e->format;
	g->n++;
	return g->stop_at > 0 && g->n == g->stop_at ? 7 : 0;
}

static void
check(const struct blob *b, const char *format, int has_exec)
{
	struct got g;
	struct irk_err err;

	memset(&g, 0, sizeof(g));
	assert_int_equal(irk_shimcache_parse(b->b, b->len, collect, &g, &err),
	    0);
	assert_int_equal(g.n, NPATHS);
	assert_string_equal(g.format, format);
	for (int i = 0; i < NPATHS; i++) {
		assert_string_equal(g.path[i], paths[i]);
		assert_int_equal(g.mtime[i], US_2023 + i * 3600000000LL);
		assert_int_equal(g.executed[i], has_exec ? i != 1 : -1);
	}
}

static void
test_shim_win7(void **state)
{
	struct blob b;

	(void)state;
	win7(&b, 1);
	check(&b, "win7-x64", 1);
	win7(&b, 0);
	check(&b, "win7-x86", 1);
}

static void
test_shim_win8(void **state)
{
	struct blob b;

	(void)state;
	ts(&b, 128, "00ts", 1, 0);
	check(&b, "win8.0", 1);
	ts(&b, 128, "10ts", 1, 0);
	check(&b, "win8.1", 1);
	/* a package name before the flags (Store applications) */
	ts(&b, 128, "10ts", 1, 37);
	check(&b, "win8.1", 1);
}

static void
test_shim_win10(void **state)
{
	struct blob b;

	(void)state;
	ts(&b, 0x34, "10ts", 0, 0);
	check(&b, "win10", 0);
	ts(&b, 0x30, "10ts", 0, 0);
	check(&b, "win10", 0);
}

/* parse fails with err naming what; got n entries before it */
static void
bad(const struct blob *b, size_t len, int n, const char *what)
{
	struct got g;
	struct irk_err err;

	memset(&g, 0, sizeof(g));
	assert_int_equal(irk_shimcache_parse(b->b, len, collect, &g, &err),
	    -1);
	if (strstr(err.msg, what) == NULL)
		fail_msg("'%s' does not say '%s'", err.msg, what);
	assert_int_equal(g.n, n);
}

static void
test_shim_hostile(void **state)
{
	struct blob b;
	struct got g;
	struct irk_err err;

	(void)state;
	/* Windows 10: an entry's length past the end, cut in its head */
	ts(&b, 0x34, "10ts", 0, 0);
	{
		/* the second entry: after the first's head and body */
		size_t first = 12 + irk_le32(b.b + 0x34 + 8);

		put32(b.b + 0x34 + first + 8, 0xfffffff0);
		bad(&b, b.len, 1, "past the end");
	}
	ts(&b, 0x34, "10ts", 0, 0);
	bad(&b, b.len - 1, 2, "past the end");
	bad(&b, 0x34 + 5, 0, "no '10ts' signature");
	/* a path length larger than its entry */
	ts(&b, 0x34, "10ts", 0, 0);
	put16(b.b + 0x34 + 12, 0xfff0);
	bad(&b, b.len, 0, "overrun");
	/* Windows 8.1: a package length larger than the entry */
	ts(&b, 128, "10ts", 1, 0);
	put16(b.b + 128 + 12 + 2 + 2 * strlen(paths[0]), 0xffff);
	bad(&b, b.len, 0, "overrun");
	/* Windows 7: a count of entries past the end, a path offset too */
	win7(&b, 1);
	put32(b.b + 4, 1000);
	bad(&b, b.len, NPATHS, "entry 4");
	bad(&b, 128 + 48 + 10, 0, "entry 1");
	win7(&b, 1);
	put32(b.b + 4, 0x7fffffff);
	bad(&b, b.len, 0, "claims 2147483647 entries");
	win7(&b, 0);
	put32(b.b + 128 + 32 + 4, 0xfffffff0);
	bad(&b, b.len, 1, "is past the end");
	win7(&b, 1);
	bad(&b, 100, 0, "too short for the Windows 7 header");
	/* formats not read: named */
	memset(&b, 0, sizeof(b));
	put32(b.b, 0xdeadbeef);
	bad(&b, 400, 0, "Windows XP, 2003 or Vista");
	put32(b.b, 0x12345678);
	bad(&b, 400, 0, "unknown signature 0x12345678");
	bad(&b, 3, 0, "too short");
	assert_int_equal(irk_shimcache_parse(NULL, 0, collect, &g, &err), -1);
	/* the callback stops the walk: its value is returned */
	ts(&b, 0x34, "10ts", 0, 0);
	memset(&g, 0, sizeof(g));
	g.stop_at = 2;
	assert_int_equal(irk_shimcache_parse(b.b, b.len, collect, &g, &err),
	    7);
	assert_int_equal(g.n, 2);
}

static void
test_userassist(void **state)
{
	unsigned char v[72], xp[16];
	struct irk_userassist ua;
	char name[] = "{1NP14R77-02R7-4R5Q-O744-2RO1NR5198O7}\\pzq.rkr";

	(void)state;
	memset(v, 0, sizeof(v));
	put32(v + 4, 7);
	put32(v + 8, 3);
	put32(v + 12, 12345);
	put64(v + 60, FT_2023);
	assert_int_equal(irk_userassist_parse(v, sizeof(v), &ua), 0);
	assert_int_equal(ua.count, 7);
	assert_int_equal(ua.focus_count, 3);
	assert_int_equal(ua.focus_ms, 12345);
	assert_int_equal(ua.last_run, US_2023);
	assert_string_equal(ua.format, "win7");
	/* never run: no time */
	put64(v + 60, 0);
	assert_int_equal(irk_userassist_parse(v, sizeof(v), &ua), 0);
	assert_true(ua.last_run == IRK_TIME_NONE);
	/* XP: the count starts at 5 */
	memset(xp, 0, sizeof(xp));
	put32(xp + 4, 9);
	put64(xp + 8, FT_2023);
	assert_int_equal(irk_userassist_parse(xp, sizeof(xp), &ua), 0);
	assert_int_equal(ua.count, 4);
	assert_int_equal(ua.focus_count, -1);
	assert_int_equal(ua.last_run, US_2023);
	/* other sizes are not counts */
	assert_int_equal(irk_userassist_parse(v, 71, &ua), -1);
	assert_int_equal(irk_userassist_parse(v, 1612, &ua), -1);
	assert_int_equal(irk_userassist_parse(NULL, 72, &ua), -1);
	irk_rot13(name);
	assert_string_equal(name,
	    "{1AC14E77-02E7-4E5D-B744-2EB1AE5198B7}\\cmd.exe");
}

static void
test_utf16(void **state)
{
	unsigned char s[] = { 'a', 0, 0x3d, 0xd8, 0x00, 0xde, 0x00, 0xd8,
	    'b', 0 };
	char out[32], small[4];

	(void)state;
	/* a pair (U+1F600), a lone high surrogate, then 'b' */
	irk_win_utf16(s, sizeof(s), out, sizeof(out));
	assert_string_equal(out, "a\xf0\x9f\x98\x80\xef\xbf\xbd" "b");
	/* cut at a whole character */
	irk_win_utf16(s, sizeof(s), small, sizeof(small));
	assert_string_equal(small, "a");
	/* an odd length: the last byte is dropped */
	irk_win_utf16(s, 3, out, sizeof(out));
	assert_string_equal(out, "a");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shim_win7),
		cmocka_unit_test(test_shim_win8),
		cmocka_unit_test(test_shim_win10),
		cmocka_unit_test(test_shim_hostile),
		cmocka_unit_test(test_userassist),
		cmocka_unit_test(test_utf16),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
