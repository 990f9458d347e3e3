/* test_utmp_parse.c - utmp entries of each layout, and lastlog entries. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "utmp_parse.h"

/* An entry written as glibc lays it out (utmp_parse.h). */
static void
put(unsigned char *p, size_t off, uint64_t v, size_t n, int be)
{
	for (size_t i = 0; i < n; i++)
		p[off + i] = (unsigned char)(v >> (8 * (be ? n - 1 - i : i)));
}

static void
make(unsigned char *rec, int layout, int type, const char *user,
    int64_t sec, int64_t usec)
{
	int be = layout == IRK_UTMP_384_BE || layout == IRK_UTMP_400_BE;
	int wide = layout >= IRK_UTMP_400_LE;

	memset(rec, 0, irk_utmp_size(layout));
	put(rec, 0, (uint64_t)type, 2, be);
	put(rec, 4, 4242, 4, be);
	memcpy(rec + 8, "pts/7", 5);
	memcpy(rec + 44, user, strlen(user));
	memcpy(rec + 76, "192.0.2.1", 9);
	put(rec, wide ? 344 : 340, (uint64_t)sec, wide ? 8 : 4, be);
	put(rec, wide ? 352 : 344, (uint64_t)usec, wide ? 8 : 4, be);
	rec[wide ? 360 : 348] = 192;
	rec[(wide ? 360 : 348) + 2] = 2;
	rec[(wide ? 360 : 348) + 3] = 1;
}

static void
test_layouts(void **state)
{
	unsigned char buf[4 * 400];
	struct irk_utmp_ent e;
	const char *why;
	char addr[64];

	(void)state;
	for (int l = 0; l < IRK_UTMP_LAYOUTS; l++) {
		size_t n = irk_utmp_size(l);

		for (int i = 0; i < 4; i++)
			make(buf + i * n, l, 7, "alice", 1700000000 + i, 5);
		assert_int_equal(irk_utmp_detect(buf, 4 * n), l);
		assert_int_equal(irk_utmp_decode(buf + n, l, &e, &why), 0);
		assert_int_equal(e.type, 7);
		assert_int_equal(e.pid, 4242);
		assert_string_equal(e.user, "alice");
		assert_string_equal(e.line, "pts/7");
		assert_string_equal(irk_utmp_kind(&e), "login");
		assert_true(e.time == 1700000001000005LL);
		irk_utmp_addr(&e, addr, sizeof(addr));
		assert_string_equal(addr, "192.0.2.1");
	}
}

static void
test_unsound(void **state)
{
	unsigned char rec[400];
	struct irk_utmp_ent e;
	const char *why;

	(void)state;
	make(rec, IRK_UTMP_384_LE, 99, "x", 1, 0);
	assert_int_equal(irk_utmp_decode(rec, IRK_UTMP_384_LE, &e, &why), -1);
	assert_string_equal(why, "type out of range");
	make(rec, IRK_UTMP_384_LE, 7, "x", 1, 1000000);
	assert_int_equal(irk_utmp_decode(rec, IRK_UTMP_384_LE, &e, &why), -1);
	assert_string_equal(why, "microseconds out of range");
	make(rec, IRK_UTMP_400_LE, 7, "x", 300000000000LL, 0);
	assert_int_equal(irk_utmp_decode(rec, IRK_UTMP_400_LE, &e, &why), -1);
	assert_string_equal(why, "time out of range");
	/* full-width text without a NUL stays within the field */
	make(rec, IRK_UTMP_384_LE, 7, "0123456789abcdef0123456789abcdef", 1,
	    0);
	memset(rec + 76, 'h', 256);
	assert_int_equal(irk_utmp_decode(rec, IRK_UTMP_384_LE, &e, &why), 0);
	assert_int_equal(strlen(e.user), 32);
	assert_int_equal(strlen(e.host), 256);
	/* nothing sound: the default layout */
	memset(rec, 0xff, sizeof(rec));
	assert_int_equal(irk_utmp_detect(rec, sizeof(rec)), IRK_UTMP_384_LE);
	assert_int_equal(irk_utmp_detect(rec, 0), IRK_UTMP_384_LE);
}

static void
test_addr_and_kinds(void **state)
{
	struct irk_utmp_ent e;
	char addr[64];

	(void)state;
	memset(&e, 0, sizeof(e));
	irk_utmp_addr(&e, addr, sizeof(addr));
	assert_string_equal(addr, "");
	e.addr[0] = 0x20;
	e.addr[1] = 0x01;
	e.addr[2] = 0x0d;
	e.addr[3] = 0xb8;
	e.addr[15] = 1;
	irk_utmp_addr(&e, addr, sizeof(addr));
	assert_string_equal(addr, "2001:db8::1");
	e.type = IRK_UT_RUN_LVL;
	(void)snprintf(e.user, sizeof(e.user), "shutdown");
	assert_string_equal(irk_utmp_kind(&e), "shutdown");
	(void)snprintf(e.user, sizeof(e.user), "runlevel");
	assert_string_equal(irk_utmp_kind(&e), "runlevel");
	e.type = IRK_UT_BOOT_TIME;
	assert_string_equal(irk_utmp_kind(&e), "boot");
}

static void
test_lastlog(void **state)
{
	unsigned char rec[IRK_LASTLOG_SIZE];
	struct irk_lastlog_ent e;

	(void)state;
	memset(rec, 0, sizeof(rec));
	put(rec, 0, 1700000000, 4, 0);
	memcpy(rec + 4, "tty1", 4);
	memcpy(rec + 36, "host.example", 12);
	assert_int_equal(irk_lastlog_decode(rec, &e), 0);
	assert_true(e.time == 1700000000000000LL);
	assert_string_equal(e.line, "tty1");
	assert_string_equal(e.host, "host.example");
	put(rec, 0, 0x80000000u, 4, 0);
	assert_int_equal(irk_lastlog_decode(rec, &e), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layouts),
		cmocka_unit_test(test_unsound),
		cmocka_unit_test(test_addr_and_kinds),
		cmocka_unit_test(test_lastlog),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
