/*
 * test_services.c - the services collector on the fixture root seen as
 * a live host (fs->live forced), for the cgroup part: "active" and
 * "pids" from sys/fs/cgroup/.../<unit>/cgroup.procs; the collector
 * runner: graded results (irk_worst, irk_collect_run's policy) and the
 * list (irkit-analyze's table, chosen by what the root holds).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "irkit/collectors.h"
#include "irkit/collect.h"

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
find(json_t *all, const char *name, const char *scope)
{
	size_t i;
	json_t *r;

	json_array_foreach(all, i, r) {
		const char *n = json_string_value(json_object_get(r, "name"));
		const char *s = json_string_value(json_object_get(r, "scope"));

		if (n != NULL && s != NULL && strcmp(n, name) == 0 &&
		    strcmp(s, scope) == 0)
			return r;
	}
	return NULL;
}

static void
check_pids(json_t *r, const char *want)
{
	char *got = json_dumps(json_object_get(r, "pids"), JSON_COMPACT);

	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static void
test_cgroups(void **state)
{
	struct irk_collect_opts opts = { 0 };
	struct irk_collect c;
	struct irk_fs *fs;
	struct irk_err err;
	json_t *all = json_array(), *r;
	char root[4096];

	(void)state;
	(void)snprintf(root, sizeof(root), "%s/tests/data/roots/systemd",
	    IRK_TEST_SRC);
	assert_int_equal(irk_fs_host_open(&fs, root, &err), IRK_OK);
	fs->live = 1;
	irk_collect_init(&c, fs, &opts, &cap_ops, all);
	c.collector = "services";
	(void)irk_collector_find("services")->collect(&c);

	r = find(all, "backdoor.service", "system");
	assert_non_null(r);
	assert_true(json_is_true(json_object_get(r, "active")));
	check_pids(r, "[1234,5678]");
	r = find(all, "worker@job-a.service", "system");
	assert_true(json_is_true(json_object_get(r, "active")));
	check_pids(r, "[42,43]");
	r = find(all, "miner.service", "user");
	assert_true(json_is_true(json_object_get(r, "active")));
	check_pids(r, "[777]");
	r = find(all, "web.service", "system");
	assert_true(json_is_false(json_object_get(r, "active")));
	check_pids(r, "[]");
	/* the template has no cgroup of its own: no field */
	r = find(all, "worker@.service", "system");
	assert_null(json_object_get(r, "active"));

	irk_collect_release(&c);
	irk_fs_free(fs);
	json_decref(all);
}

/* The worse result wins whatever the order; equals keep the first. */
static void
test_worst(void **state)
{
	(void)state;
	assert_int_equal(irk_worst(IRK_WARN, IRK_OK), IRK_WARN);
	assert_int_equal(irk_worst(IRK_OK, IRK_WARN), IRK_WARN);
	assert_int_equal(irk_worst(IRK_FAIL, IRK_WARN), IRK_FAIL);
	assert_int_equal(irk_worst(IRK_WARN, IRK_FAIL), IRK_FAIL);
	assert_int_equal(irk_worst(IRK_FAIL, IRK_OK), IRK_FAIL);
	assert_int_equal(irk_worst(IRK_FATAL, IRK_FAIL), IRK_FATAL);
	assert_int_equal(irk_worst(IRK_TOOBIG, IRK_FATAL), IRK_FATAL);
	assert_int_equal(irk_worst(IRK_TOOBIG, IRK_WARN), IRK_TOOBIG);
	assert_int_equal(irk_worst(IRK_OK, IRK_OK), IRK_OK);
}

/* Collectors for the runner: what each does, then what it returns. */
static int
logs_error_then_ok(struct irk_collect *c)
{
	irk_collect_log(c, IRK_LOG_ERROR, "/x", 0, "cannot read");
	return IRK_OK;
}

static int
logs_warning_then_ok(struct irk_collect *c)
{
	irk_collect_log(c, IRK_LOG_WARN, "/x", 0, "odd line");
	return IRK_OK;
}

static int
partial_then_failed(struct irk_collect *c)
{
	irk_collect_log(c, IRK_LOG_ERROR, "/x", 0, "cannot read");
	return IRK_FAIL;
}

static int
run_one(int (*fn)(struct irk_collect *))
{
	const struct irk_collector col = { "t", "test", IRK_SRC_LINUX_ROOT,
	    fn };
	struct irk_collect c;
	int r;

	irk_collect_init(&c, NULL, NULL, &cap_ops, NULL);
	r = irk_collect_run(&c, &col);
	irk_collect_release(&c);
	return r;
}

/*
 * One policy in the runner: an error logged makes the collector partial
 * even when it returns IRK_OK; a warning alone is the collector's call;
 * a failure is never lowered.
 */
static void
test_run_policy(void **state)
{
	(void)state;
	assert_int_equal(run_one(logs_error_then_ok), IRK_WARN);
	assert_int_equal(run_one(logs_warning_then_ok), IRK_OK);
	assert_int_equal(run_one(partial_then_failed), IRK_FAIL);
}

static int
end_name(void *arg, const char *collector, struct irk_err *err)
{
	(void)err;
	json_array_append_new(arg, json_string(collector));
	return IRK_OK;
}

static const struct irk_sink_ops names_ops = { cap_record, NULL, NULL,
    end_name };

/* The collectors irk_collectors_run picks for a root that holds what. */
static char *
picked(unsigned holds)
{
	json_t *ran = json_array();
	struct irk_collect_opts opts = { 0 };
	struct irk_collect c;
	struct irk_fs *fs;
	struct irk_err err;
	char *s;

	/* an empty root: every collector finds nothing, each still runs */
	assert_int_equal(irk_fs_host_open(&fs, IRK_TEST_SRC "/tests/unit",
	    &err), IRK_OK);
	irk_collect_init(&c, fs, &opts, &names_ops, ran);
	(void)irk_collectors_run(&c, holds);
	irk_collect_release(&c);
	irk_fs_free(fs);
	s = json_dumps(ran, JSON_COMPACT);
	json_decref(ran);
	return s;
}

/*
 * irkit-analyze's table (the tests link libirkanalyze.a) holds the
 * Windows collectors; a root runs those whose sources it holds, in
 * list order.
 */
static void
test_list_by_sources(void **state)
{
	char *s;

	(void)state;
	assert_non_null(irk_collector_find("win_services"));
	assert_null(irk_collector_find("nonesuch"));
	s = picked(IRK_SRC_WINDOWS_ROOT);
	assert_string_equal(s, "[\"win_services\",\"win_tasks\",\"win_certs\","
	    "\"evtx\",\"prefetch\",\"usn_file\",\"win_autorun\","
	    "\"win_userassist\",\"win_shimcache\",\"win_bam\","
	    "\"win_amcache\",\"win_psreadline\"]");
	free(s);
	s = picked(IRK_SRC_LINUX_ROOT);
	assert_string_equal(s, "[\"services\",\"tasks\",\"certificates\","
	    "\"history\",\"preload\",\"accounts\",\"ssh\",\"sudoers\","
	    "\"logins\",\"packages\",\"journal_files\",\"journal\","
	    "\"rpm_packages\",\"logs\",\"syslog\",\"audit\","
	    "\"package_logs\"]");
	free(s);
	/* the copied files of a collection: the parsers of copied logs, and
	 * the rpm check of a live rpm host (its copied database) */
	s = picked(IRK_SRC_COPIED);
	assert_string_equal(s, "[\"journal\",\"rpm_packages\",\"syslog\","
	    "\"audit\",\"package_logs\"]");
	free(s);
	s = picked(0);
	assert_string_equal(s, "[]");
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cgroups),
		cmocka_unit_test(test_worst),
		cmocka_unit_test(test_run_policy),
		cmocka_unit_test(test_list_by_sources),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
