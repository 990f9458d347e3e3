/*
 * test_services.c - the services collector on the fixture root seen as
 * a live host (fs->live forced), for the cgroup part: "active" and
 * "pids" from sys/fs/cgroup/.../<unit>/cgroup.procs.
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
	const char *src = getenv("IRKIT_SRC");
	struct irk_collect_opts opts = { 0 };
	struct irk_collect c;
	struct irk_fs *fs;
	struct irk_err err;
	json_t *all = json_array(), *r;
	char root[4096];

	(void)state;
	(void)snprintf(root, sizeof(root), "%s/tests/data/roots/systemd",
	    src ? src : ".");
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cgroups),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
