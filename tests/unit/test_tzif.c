/*
 * test_tzif.c - the target's time zone (analyzer/tzif.c): TZif files of the
 * system's zoneinfo against Python's zoneinfo (tests/unit/tzif_cases.h,
 * made by tests/gen/tzif_cases.py), with the test process's own TZ set to
 * another zone; hostile files; years of syslog lines.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "tzif.h"
#include "irkit/err.h"
#include "irkit/timeutil.h"

struct tz_case {
	const char *zone;
	long long local;
	int n;
	long long utc0, utc1;
};

static const struct tz_case cases[] = {
#include "tzif_cases.h"
};

/* A file of the system's zoneinfo, or NULL (the test is skipped). */
static unsigned char *
slurp(const char *zone, size_t *len)
{
	char path[256];
	unsigned char *b = malloc(1 << 20);
	FILE *f;

	(void)snprintf(path, sizeof(path), "/usr/share/zoneinfo/%s", zone);
	if (b == NULL || (f = fopen(path, "rb")) == NULL) {
		free(b);
		return NULL;
	}
	*len = fread(b, 1, 1 << 20, f);
	(void)fclose(f);
	return b;
}

static struct irk_tzif *
load(const char *zone)
{
	struct irk_tzif *tz = NULL;
	struct irk_err err;
	unsigned char *b;
	size_t len;

	if ((b = slurp(zone, &len)) == NULL)
		return NULL;
	if (irk_tzif_parse(&tz, b, len, &err) != IRK_OK)
		fail_msg("%s: %s", zone, err.msg);
	free(b);
	return tz;
}

static void
check_case(const struct irk_tzif *tz, const struct tz_case *c)
{
	int64_t u[2] = { 0, 0 };
	int n = irk_tzif_to_utc(tz, c->local, u);

	if (n != c->n || u[0] != c->utc0 || (n == 2 && u[1] != c->utc1))
		fail_msg("%s local %lld: got %d %lld %lld, want %d %lld %lld",
		    c->zone, c->local, n, (long long)u[0], (long long)u[1],
		    c->n, c->utc0, c->utc1);
}

/* every case of the oracle, the analyst's zone being another one */
static void
test_oracle(void **state)
{
	const char *zone = NULL;
	struct irk_tzif *tz = NULL;
	size_t checked = 0;

	(void)state;
	setenv("TZ", "Pacific/Chatham", 1);
	tzset();
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (zone == NULL || strcmp(zone, cases[i].zone) != 0) {
			irk_tzif_free(tz);
			zone = cases[i].zone;
			if ((tz = load(zone)) == NULL)
				continue;
		}
		if (tz == NULL)
			continue;
		check_case(tz, &cases[i]);
		checked++;
	}
	irk_tzif_free(tz);
	if (checked == 0)
		skip();
}

/* the footer alone (a "slim" file): the POSIX rules past 2037 */
static void
test_footer_only(void **state)
{
	static const char tail[] = "\nEST5EDT,M3.2.0,M11.1.0\n";
	unsigned char b[2 * 44 + 2 * 6 + 2 * 4 + sizeof(tail)];
	struct irk_tzif *tz;
	struct irk_err err;
	size_t n = 0, i;

	(void)state;
	memset(b, 0, sizeof(b));
	for (i = 0; i < 2; i++) {
		memcpy(b + n, "TZif2", 5);
		b[n + 39] = 1;		/* typecnt */
		b[n + 43] = 4;		/* charcnt */
		n += 44;
		b[n] = 0xff, b[n + 1] = 0xff, b[n + 2] = 0xb9, b[n + 3] = 0xb0;
		n += 6 + 4;		/* -18000, "EST\0" */
		memcpy(b + n - 4, "EST", 4);
	}
	memcpy(b + n, tail, sizeof(tail) - 1);
	n += sizeof(tail) - 1;
	assert_int_equal(irk_tzif_parse(&tz, b, n, &err), IRK_OK);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (strcmp(cases[i].zone, "America/New_York") == 0 &&
		    cases[i].local > irk_timegm(2040, 1, 1, 0, 0, 0))
			check_case(tz, &cases[i]);
	irk_tzif_free(tz);
}

/* the version 1 block alone (32-bit times) */
static void
test_v1(void **state)
{
	struct irk_tzif *tz;
	struct irk_err err;
	unsigned char *b;
	size_t len;

	(void)state;
	if ((b = slurp("Europe/Paris", &len)) == NULL)
		skip();
	b[4] = 0;
	assert_int_equal(irk_tzif_parse(&tz, b, len, &err), IRK_OK);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (strcmp(cases[i].zone, "Europe/Paris") == 0 &&
		    cases[i].local < irk_timegm(2030, 1, 1, 0, 0, 0))
			check_case(tz, &cases[i]);
	irk_tzif_free(tz);
	free(b);
}

/* cut anywhere, or with bytes flipped: refused or sound, never a crash */
static void
test_hostile(void **state)
{
	struct irk_tzif *tz;
	struct irk_err err;
	unsigned char *b;
	size_t len;
	int64_t u[2];

	(void)state;
	if ((b = slurp("America/New_York", &len)) == NULL)
		skip();
	for (size_t cut = 0; cut < len - 1; cut++) {
		int r = irk_tzif_parse(&tz, b, cut, &err);

		assert_int_equal(r, IRK_FAIL);
		assert_null(tz);
	}
	for (size_t i = 0; i < len; i += 7) {
		unsigned char keep = b[i];

		b[i] ^= 0xa5;
		if (irk_tzif_parse(&tz, b, len, &err) == IRK_OK) {
			(void)irk_tzif_to_utc(tz, 1700000000, u);
			(void)irk_tzif_offset(tz, -(1LL << 40), NULL);
			irk_tzif_free(tz);
		}
		b[i] = keep;
	}
	/* transitions out of order: the second block's first two swapped */
	{
		unsigned char t[8];

		assert_int_equal(irk_tzif_parse(&tz, b, len, &err), IRK_OK);
		irk_tzif_free(tz);
		/* find the v2 header */
		for (size_t i = 44; i + 4 < len; i++)
			if (memcmp(b + i, "TZif", 4) == 0) {
				memcpy(t, b + i + 44, 8);
				memcpy(b + i + 44, b + i + 52, 8);
				memcpy(b + i + 52, t, 8);
				break;
			}
		assert_int_equal(irk_tzif_parse(&tz, b, len, &err), IRK_FAIL);
		assert_non_null(strstr(err.msg, "out of order"));
	}
	free(b);
	assert_int_equal(irk_tzif_parse(&tz, (const unsigned char *)"TZif",
	    4, &err), IRK_FAIL);
}

/* a bad footer string is refused */
static void
test_bad_footer(void **state)
{
	const char *bad[] = { "\nE5\n", "\nEST5EDT,M13.1.0,M11.1.0\n",
	    "\nEST5EDT\n", "\nEST\n", "\nEST5EDT,M3.2.0\n", "\n<EST5\n" };
	unsigned char b[200];
	struct irk_tzif *tz;
	struct irk_err err;

	(void)state;
	for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		size_t n = 0, l = strlen(bad[k]);

		memset(b, 0, sizeof(b));
		for (int i = 0; i < 2; i++) {
			memcpy(b + n, "TZif2", 5);
			b[n + 39] = 1;
			n += 44 + 6;
		}
		memcpy(b + n, bad[k], l);
		assert_int_equal(irk_tzif_parse(&tz, b, n + l, &err), IRK_FAIL);
	}
}

/* plaso's rule: a month going backwards is the next year; the last line
 * is in the mtime's year, or the one before when its month is later */
static void
test_years(void **state)
{
	static const int months[] = { 11, 12, 12, 1, 1, 3, 2, 12, 1 };
	static const int want[] = { 2021, 2021, 2021, 2022, 2022, 2022, 2023,
	    2023, 2024 };
	struct irk_tzif_years y;
	size_t i, n = sizeof(months) / sizeof(months[0]);

	(void)state;
	memset(&y, 0, sizeof(y));
	for (i = 0; i < n; i++)
		irk_tzif_years_scan(&y, months[i]);
	irk_tzif_years_start(&y, 2024, 2);
	for (i = 0; i < n; i++)
		assert_int_equal(irk_tzif_years_next(&y, months[i]), want[i]);
	/* mtime in January, last line in December: the year before */
	memset(&y, 0, sizeof(y));
	irk_tzif_years_scan(&y, 11);
	irk_tzif_years_scan(&y, 12);
	irk_tzif_years_start(&y, 2024, 1);
	assert_int_equal(irk_tzif_years_next(&y, 11), 2023);
	assert_int_equal(irk_tzif_years_next(&y, 12), 2023);
}

static void
test_civil(void **state)
{
	int y, m, d;

	(void)state;
	irk_tzif_civil(irk_timegm(2024, 2, 29, 23, 0, 0), &y, &m, &d);
	assert_int_equal(y * 10000 + m * 100 + d, 20240229);
	irk_tzif_civil(irk_timegm(1969, 12, 31, 1, 0, 0), &y, &m, &d);
	assert_int_equal(y * 10000 + m * 100 + d, 19691231);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_oracle),
		cmocka_unit_test(test_footer_only),
		cmocka_unit_test(test_v1),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_bad_footer),
		cmocka_unit_test(test_years),
		cmocka_unit_test(test_civil),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
