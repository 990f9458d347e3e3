/*
 * test_debver.c - Debian version ordering (lib/debver.c) against dpkg:
 * tests/data/debver/pairs.txt holds 400 pairs with the verdict of
 * `dpkg --compare-versions` (checked in, made by tests/data/debver/gen.py
 * with dpkg 1.21 of Debian 12), each also checked reversed and against
 * itself; and bytes that are no version (no crash, an order).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "irkit/debver.h"

static int
sign(int v)
{
	return v < 0 ? -1 : v > 0;
}

static int
cmp(const char *a, const char *b)
{
	return sign(irk_debver_cmp(a, strlen(a), b, strlen(b)));
}

static void
test_dpkg_pairs(void **state)
{
	char path[1024], line[512], a[200], b[200], r[4];
	int n = 0, bad = 0;
	FILE *f;

	(void)state;
	snprintf(path, sizeof(path), "%s/tests/data/debver/pairs.txt",
	    IRK_TEST_SRC);
	assert_non_null(f = fopen(path, "r"));
	while (fgets(line, sizeof(line), f) != NULL) {
		int want;

		assert_int_equal(sscanf(line, "%199s %199s %3s", a, b, r), 3);
		want = r[0] == '<' ? -1 : r[0] == '=' ? 0 : 1;
		if (cmp(a, b) != want || cmp(b, a) != -want || cmp(a, a) != 0) {
			fprintf(stderr, "%s %s: dpkg says %s, irkit %d\n", a,
			    b, r, cmp(a, b));
			bad++;
		}
		n++;
	}
	fclose(f);
	assert_int_equal(n, 400);
	assert_int_equal(bad, 0);
}

static void
test_cases(void **state)
{
	(void)state;
	/* a downgrade of sudo and of openssh as Debian 12 shipped them */
	assert_int_equal(cmp("1.9.13p3-1+deb12u1", "1.9.13p3-1"), 1);
	assert_int_equal(cmp("1:9.2p1-2+deb12u2", "1:9.2p1-2+deb12u3"), -1);
	assert_int_equal(cmp("1.0~rc1", "1.0"), -1);
	assert_int_equal(cmp("1.0", "1.0-0"), 0);
	assert_int_equal(cmp("1:0.1", "9.9"), 1);
	/* lengths given: no NUL read past them */
	assert_int_equal(sign(irk_debver_cmp("1.2xyz", 3, "1.2", 3)), 0);
	assert_int_equal(sign(irk_debver_cmp("", 0, "", 0)), 0);
	assert_int_equal(sign(irk_debver_cmp("", 0, "0", 1)), 0);
	assert_int_equal(sign(irk_debver_cmp("~", 1, "", 0)), -1);
	/* no version: still ordered, both ways */
	assert_int_equal(cmp("a:b-c", "a:b-c"), 0);
	assert_int_equal(cmp("::--", "\xff\x01"), -cmp("\xff\x01", "::--"));
	assert_int_equal(cmp("99999999999999999999999999", "1:0"), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dpkg_pairs),
		cmocka_unit_test(test_cases),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
