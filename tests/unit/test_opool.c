/*
 * test_opool.c - the ordered pool (collectors/opool.c): every item run
 * once and emitted in the order submitted, whatever order the workers
 * finish in; a batch shorter than the workers' wake batch still runs
 * (flush, a full ring); an emit that fails stops the pool.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <unistd.h>
#include <cmocka.h>

#include "opool.h"
#include "irkit/err.h"

struct item {
	int n;
	int result;
	int runs;
};

struct sink {
	int next;		/* the n expected next */
	int fail_at;		/* emit returns IRK_FATAL at this n, or -1 */
};

static void
run(struct irk_fs *fs, void *scratch, void *p)
{
	struct item *it = p;

	(void)fs;
	(void)scratch;
	/* some items take longer: the workers finish out of order */
	if (it->n % 7 == 3)
		usleep(200);
	it->result = it->n * 2;
	it->runs++;
}

static int
emit(void *arg, void *p)
{
	struct sink *s = arg;
	struct item *it = p;

	assert_int_equal(it->n, s->next);
	assert_int_equal(it->result, it->n * 2);
	assert_int_equal(it->runs, 1);
	s->next++;
	return it->n == s->fail_at ? IRK_FATAL : 0;
}

static struct irk_opool *
pool(struct irk_fs **fs)
{
	struct irk_err err;
	struct irk_opool *pl;

	assert_int_equal(irk_fs_host_open(fs, "/", &err), IRK_OK);
	assert_non_null(pl = irk_opool_open(*fs, 2, sizeof(struct item), 64,
	    run));
	return pl;
}

/* n items submitted, then flushed: all emitted, in order. */
static void
submit_flush(int n)
{
	struct sink s = { 0, -1 };
	struct irk_fs *fs;
	struct irk_opool *pl = pool(&fs);
	struct item *it;

	for (int i = 0; i < n; i++) {
		assert_non_null(it = irk_opool_next(pl, emit, &s));
		it->n = i;
		irk_opool_submit(pl);
	}
	assert_int_equal(irk_opool_flush(pl, emit, &s), 0);
	assert_int_equal(s.next, n);
	irk_opool_close(pl);
	irk_fs_free(fs);
}

static void
test_opool_order(void **state)
{
	(void)state;
	submit_flush(10000);
}

/* Fewer items than a wake batch, one, none: flush runs them. */
static void
test_opool_short(void **state)
{
	(void)state;
	submit_flush(0);
	submit_flush(1);
	submit_flush(3);
	submit_flush(65);	/* a full ring, then one */
}

/* An emit that fails: next gives no slot, flush says so. */
static void
test_opool_fatal(void **state)
{
	struct sink s = { 0, 10 };
	struct irk_fs *fs;
	struct irk_opool *pl = pool(&fs);
	struct item *it;
	int i;

	(void)state;
	for (i = 0; i < 1000; i++) {
		if ((it = irk_opool_next(pl, emit, &s)) == NULL)
			break;
		it->n = i;
		irk_opool_submit(pl);
	}
	/* the ring (64) filled, then item 10's emit failed */
	assert_int_equal(i, 64 + 11 - 1);
	assert_int_equal(s.next, 11);
	irk_opool_close(pl);
	irk_fs_free(fs);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_opool_order),
		cmocka_unit_test(test_opool_short),
		cmocka_unit_test(test_opool_fatal),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
