/*
 * test_calendar.c - OnCalendar= parsing and next elapse (expected values
 * from `TZ=UTC systemd-analyze calendar --base-time='2026-11-21 23:00:00
 * UTC'`, systemd 252), and the timers part of the tasks collector run on
 * the fixture root through a capturing sink.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "calendar.h"
#include "tasks.h"
#include "irkit/collect.h"
#include "irkit/timeutil.h"

static const struct {
	const char *spec;
	const char *next;
} oracle[] = {
	{ "Mon,Fri *-*-* 12:00", "2026-11-23T12:00:00Z" },
	{ "*:0/15", "2026-11-21T23:15:00Z" },
	{ "weekly", "2026-11-23T00:00:00Z" },
	{ "quarterly", "2027-01-01T00:00:00Z" },
	{ "*-*-1/2 3:4:5", "2026-11-23T03:04:05Z" },
	{ "*-*~1", "2026-11-30T00:00:00Z" },
	{ "*-1..3~2..4", "2027-01-28T00:00:00Z" },
	{ "Mon *-05~07/1", "2027-05-31T00:00:00Z" },
	{ "*-05~07/2", "2027-05-25T00:00:00Z" },
	{ "*-*-* 8..17/2:00", "2026-11-22T08:00:00Z" },
	{ "Fri *-*-13", "2027-08-13T00:00:00Z" },
	{ "2028-02-29 12:00", "2028-02-29T12:00:00Z" },
	{ "Wed..Fri 9:30", "2026-11-25T09:30:00Z" },
	{ "2000/7-*-*", "2028-01-01T00:00:00Z" },
	{ "@1900000000", "2030-03-17T17:46:40Z" },
	{ "semiannually UTC", "2027-01-01T00:00:00Z" },
};

static void
test_oracle(void **state)
{
	int64_t base, next, want;

	(void)state;
	assert_int_equal(irk_time_parse("2026-11-21T23:00:00Z", &base), 0);
	for (size_t i = 0; i < sizeof(oracle) / sizeof(oracle[0]); i++) {
		struct irk_calendar cal;
		char err[128];

		assert_int_equal(irk_time_parse(oracle[i].next, &want), 0);
		if (irk_calendar_parse(oracle[i].spec, &cal, err,
		    sizeof(err)) != IRK_CAL_OK)
			fail_msg("'%s': %s", oracle[i].spec, err);
		assert_int_equal(irk_calendar_next(&cal, base, &next), 0);
		if (next != want) {
			char got[IRK_TIME_LEN];

			fail_msg("'%s': got %s want %s", oracle[i].spec,
			    irk_time_fmt(next, got), oracle[i].next);
		}
	}
}

static void
test_invalid_and_never(void **state)
{
	static const char *bad[] = { "", "foo", "Sat..Mon", "*-*-* 25:00",
	    "*-13-01", "*-*-0", "Mon Tue", "*-~1", "Sun 2028-*",
	    "2026-11-30..12-1", "1,,2-*-*", "*-*-* 1:2:3:4" };
	struct irk_calendar cal;
	int64_t base, next;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (irk_calendar_parse(bad[i], &cal, NULL, 0) != IRK_CAL_INVALID)
			fail_msg("'%s' accepted", bad[i]);
	assert_int_equal(irk_calendar_parse("daily Europe/Berlin", &cal, NULL,
	    0), IRK_CAL_UNSUPPORTED);
	assert_int_equal(irk_calendar_parse("*-*-* 00:00:00.5", &cal, NULL,
	    0), IRK_CAL_UNSUPPORTED);
	assert_int_equal(irk_time_parse("2026-11-21T23:00:00Z", &base), 0);
	assert_int_equal(irk_calendar_parse("2027-02-29", &cal, NULL, 0), 0);
	assert_int_equal(irk_calendar_next(&cal, base, &next), -1);
	assert_int_equal(irk_calendar_parse("2026-11-21 23:00:00", &cal, NULL,
	    0), 0);
	assert_int_equal(irk_calendar_next(&cal, base, &next), -1);
}

/* ---- the timers collector part, through a capturing sink ---- */

static int
cap_record(void *arg, const char *collector, json_t *rec, struct irk_err *e)
{
	(void)collector;
	(void)e;
	json_array_append(arg, rec);
	return IRK_OK;
}

static const struct irk_sink_ops cap_ops = { cap_record, NULL, NULL, NULL };

static json_t *
find_task(json_t *all, const char *name, const char *user)
{
	size_t i;
	json_t *r;

	json_array_foreach(all, i, r) {
		const char *n = json_string_value(json_object_get(r, "name"));
		const char *sc = json_string_value(json_object_get(r, "scope"));

		if (json_object_get(r, "kind") == NULL || n == NULL ||
		    strcmp(n, name) != 0)
			continue;
		if ((user != NULL) == (strcmp(sc, "user") == 0))
			return r;
	}
	return NULL;
}

static const char *
str(json_t *r, const char *k)
{
	return json_string_value(json_object_get(r, k));
}

static void
test_timers_fixture(void **state)
{
	struct irk_collect_opts opts = { 0 };
	struct irk_collect c;
	struct irk_fs *fs;
	struct irk_err err;
	json_t *all = json_array(), *r, *argv;
	char root[4096];

	(void)state;
	(void)snprintf(root, sizeof(root), "%s/tests/data/roots/systemd",
	    IRK_TEST_SRC);
	assert_int_equal(irk_fs_host_open(&fs, root, &err), IRK_OK);
	assert_int_equal(irk_time_parse("2026-11-21T23:00:00Z", &opts.now), 0);
	irk_collect_init(&c, fs, &opts, &cap_ops, all);
	c.collector = "tasks";
	assert_int_equal(irk_tasks_timers(&c), IRK_WARN);	/* badcal */

	r = find_task(all, "backup.timer", NULL);
	assert_non_null(r);
	assert_string_equal(str(r, "kind"), "systemd-timer");
	assert_string_equal(str(r, "schedule"), "OnCalendar=*-*-* 03:30:00; "
	    "OnCalendar=Mon 12:00; OnBootSec=15min");
	assert_string_equal(str(r, "unit"), "backup.service");
	assert_string_equal(str(r, "user"), "backup");
	assert_string_equal(str(r, "command"),
	    "/opt/evil/run --backup \"/var/lib/my data\"");
	argv = json_array_get(json_object_get(r, "exec_start"), 0);
	assert_string_equal(json_string_value(json_array_get(argv, 2)),
	    "/var/lib/my data");
	assert_string_equal(str(r, "next_run"), "2026-11-22T03:30:00.000000Z");
	assert_string_equal(str(r, "source_path"),
	    "/etc/systemd/system/backup.timer");
	assert_int_equal(json_integer_value(json_object_get(r, "line")), 5);
	assert_true(json_is_true(json_object_get(r, "persistent")));
	assert_string_equal(str(r, "randomized_delay"), "1h");
	assert_true(json_is_true(json_object_get(r, "enabled")));
	assert_non_null(str(r, "last_run"));
	assert_non_null(str(r, "sha256"));

	r = find_task(all, "beacon.timer", NULL);
	assert_non_null(r);
	assert_string_equal(str(r, "schedule"),
	    "OnUnitActiveSec=5min; OnCalendar=*:0/10");
	assert_string_equal(str(r, "unit"), "backdoor.service");
	assert_string_equal(str(r, "user"), "nobody");
	assert_string_equal(str(r, "next_run"), "2026-11-21T23:10:00.000000Z");
	assert_true(json_is_null(json_object_get(r, "last_run")));

	r = find_task(all, "badcal.timer", NULL);
	assert_non_null(r);
	assert_true(json_is_null(json_object_get(r, "next_run")));
	assert_string_equal(str(r, "unit_error"), "no such unit");
	assert_int_equal(json_array_size(json_object_get(r,
	    "next_run_not_computed")), 1);

	r = find_task(all, "miner.timer", "alice");
	assert_non_null(r);
	assert_string_equal(str(r, "user"), "alice");
	assert_string_equal(str(r, "command"),
	    "/home/alice/.local/bin/miner --user alice --uid 1000");
	assert_string_equal(str(r, "next_run"), "2026-11-22T00:00:00.000000Z");

	irk_collect_release(&c);
	irk_fs_free(fs);
	json_decref(all);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_oracle),
		cmocka_unit_test(test_invalid_and_never),
		cmocka_unit_test(test_timers_fixture),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
