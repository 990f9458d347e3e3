/*
 * test_tsk_guard.c - the bound on libtsk's allocations
 * (analyzer/tsk_guard.c): tsk_malloc and tsk_realloc keep libtsk's
 * contract under the bound (zeroed memory; TSK's error on failure) and
 * refuse above it with TSK_ERR_AUX_MALLOC, counted; and libtsk's own
 * calls reach them (an image open, whose 2 MB cache libtsk allocates
 * itself, fails under a 1 MB bound and works without one).  And the
 * run-list append that takes libtsk's place (analyzer/tsk_runs.c): the
 * end kept, runs that continue each other merged, runs past the
 * allocated size dropped, a list over two runs per block cut and
 * counted; what libtsk's own append does to the offsets, kept.  The
 * wrapper of libtsk's unix run builder reaches libtsk's and gives its
 * answer, and refuses nothing outside it.
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

#include <tsk/libtsk.h>

#include "tsk_guard.h"

void *tsk_malloc(size_t len);
void *tsk_realloc(void *ptr, size_t len);
void tsk_fs_attr_append_run(TSK_FS_INFO *fs, TSK_FS_ATTR *attr,
    TSK_FS_ATTR_RUN *run);
uint8_t tsk_fs_unix_make_data_run(TSK_FS_FILE *file);

static void
test_contract(void **state)
{
	unsigned char *p;
	uint64_t n0, n, big;

	(void)state;
	irk_tsk_guard_set(4096);
	n0 = irk_tsk_guard_refused(NULL);
	assert_non_null(p = tsk_malloc(4096));
	for (size_t i = 0; i < 4096; i++)
		assert_int_equal(p[i], 0);
	p[0] = 7;
	assert_non_null(p = tsk_realloc(p, 2048));
	assert_int_equal(p[0], 7);
	/* over the bound: NULL, TSK's error, counted; p is left alone */
	tsk_error_reset();
	assert_null(tsk_realloc(p, 4097));
	assert_int_equal(tsk_error_get_errno(), TSK_ERR_AUX_MALLOC);
	assert_non_null(strstr(tsk_error_get(), "4097 bytes refused"));
	free(p);
	tsk_error_reset();
	assert_null(tsk_malloc((size_t)1 << 40));
	assert_int_equal(tsk_error_get_errno(), TSK_ERR_AUX_MALLOC);
	n = irk_tsk_guard_refused(&big);
	assert_int_equal(n - n0, 2);
	assert_true(big == (uint64_t)1 << 40);
	tsk_error_reset();
	/* a new bound (the next image): the largest starts again */
	irk_tsk_guard_set(4096);
	assert_null(tsk_malloc(5000));
	assert_int_equal(irk_tsk_guard_refused(&big) - n0, 3);
	assert_true(big == 5000);
	tsk_error_reset();
	irk_tsk_guard_set(0);
	/* no bound: what malloc gives */
	assert_non_null(p = tsk_malloc(1 << 20));
	free(p);
}

static void
test_libtsk_calls_it(void **state)
{
	char path[] = "/tmp/irkit-guard.XXXXXX";
	const char *one[1] = { path };
	TSK_IMG_INFO *img;
	int fd;

	(void)state;
	assert_true((fd = mkstemp(path)) >= 0);
	assert_int_equal(ftruncate(fd, 1 << 20), 0);
	close(fd);
	irk_tsk_guard_set(1 << 20);
	img = tsk_img_open_utf8(1, one, TSK_IMG_TYPE_RAW, 0);
	assert_null(img);
	assert_int_equal(tsk_error_get_errno(), TSK_ERR_AUX_MALLOC);
	tsk_error_reset();
	irk_tsk_guard_set(IRK_TSK_GUARD_FLOOR);
	img = tsk_img_open_utf8(1, one, TSK_IMG_TYPE_RAW, 0);
	assert_non_null(img);
	tsk_img_close(img);
	irk_tsk_guard_set(0);
	unlink(path);
}

static TSK_FS_ATTR_RUN *
new_run(TSK_DADDR_T addr, TSK_DADDR_T len, int sparse)
{
	TSK_FS_ATTR_RUN *r = calloc(1, sizeof(*r));

	assert_non_null(r);
	r->addr = addr;
	r->len = len;
	r->flags = sparse ? TSK_FS_ATTR_RUN_FLAG_SPARSE : 0;
	return r;
}

static size_t
count_runs(const TSK_FS_ATTR *a)
{
	size_t n = 0;

	for (const TSK_FS_ATTR_RUN *r = a->nrd.run; r != NULL; r = r->next)
		n++;
	return n;
}

static void
free_runs(TSK_FS_ATTR *a)
{
	TSK_FS_ATTR_RUN *r = a->nrd.run, *next;

	for (; r != NULL; r = next) {
		next = r->next;
		free(r);
	}
	a->nrd.run = a->nrd.run_end = NULL;
}

static void
test_runs_append(void **state)
{
	TSK_FS_INFO fs;
	TSK_FS_ATTR a;
	TSK_FS_ATTR_RUN *r;

	(void)state;
	memset(&fs, 0, sizeof(fs));
	memset(&a, 0, sizeof(a));
	fs.block_size = 1024;
	fs.block_count = 1000;
	a.nrd.allocsize = 100 * 1024;
	/* blocks 5, 6, 7-8: one run; then a hole of 3 and 2 (one run) */
	tsk_fs_attr_append_run(&fs, &a, new_run(5, 1, 0));
	tsk_fs_attr_append_run(&fs, &a, new_run(6, 1, 0));
	tsk_fs_attr_append_run(&fs, &a, new_run(7, 2, 0));
	tsk_fs_attr_append_run(&fs, &a, new_run(0, 3, 1));
	tsk_fs_attr_append_run(&fs, &a, new_run(0, 2, 1));
	/* then block 40 (not after 8: a new run), and 20 */
	tsk_fs_attr_append_run(&fs, &a, new_run(40, 1, 0));
	tsk_fs_attr_append_run(&fs, &a, new_run(20, 1, 0));
	assert_int_equal(count_runs(&a), 4);
	r = a.nrd.run;
	assert_true(r->addr == 5 && r->len == 4 && r->offset == 0);
	r = r->next;
	assert_true((r->flags & TSK_FS_ATTR_RUN_FLAG_SPARSE) &&
	    r->len == 5 && r->offset == 4);
	r = r->next;
	assert_true(r->addr == 40 && r->len == 1 && r->offset == 9);
	r = r->next;
	assert_true(r->addr == 20 && r->offset == 10 && r->next == NULL);
	assert_ptr_equal(a.nrd.run_end, r);
	/* an end another function left behind (NULL) is sought again */
	a.nrd.run_end = NULL;
	tsk_fs_attr_append_run(&fs, &a, new_run(30, 1, 0));
	assert_int_equal(count_runs(&a), 5);
	assert_true(a.nrd.run_end->addr == 30 && a.nrd.run_end->offset == 11);
	free_runs(&a);
}

static void
test_runs_bounded(void **state)
{
	TSK_FS_INFO fs;
	TSK_FS_ATTR a;
	uint64_t cut0 = irk_tsk_runs_cut(NULL);

	(void)state;
	memset(&fs, 0, sizeof(fs));
	memset(&a, 0, sizeof(a));
	fs.block_size = 1024;
	fs.block_count = 10;		/* at most 2 * 10 + 64 = 84 runs */
	/* past the allocated size (4 blocks): dropped, not counted */
	a.nrd.allocsize = 4 * 1024;
	for (int i = 0; i < 10; i++)
		tsk_fs_attr_append_run(&fs, &a, new_run(i % 2 ? 3 : 7, 1, 0));
	assert_int_equal(count_runs(&a), 4);
	assert_int_equal(irk_tsk_runs_cut(NULL), cut0);
	free_runs(&a);
	/* a list that starts again empty: counted afresh; over 84, cut */
	a.nrd.allocsize = (int64_t)1 << 40;
	for (int i = 0; i < 1000; i++)
		tsk_fs_attr_append_run(&fs, &a, new_run(i % 2 ? 3 : 7, 1, 0));
	assert_int_equal(count_runs(&a), 84);
	assert_int_equal(irk_tsk_runs_cut(NULL), cut0 + 1);
	free_runs(&a);
	for (int i = 0; i < 50; i++)
		tsk_fs_attr_append_run(&fs, &a, new_run(i % 2 ? 3 : 7, 1, 0));
	assert_int_equal(count_runs(&a), 50);
	assert_int_equal(irk_tsk_runs_cut(NULL), cut0 + 1);
	free_runs(&a);
}

static void
test_runs_builder_wrapped(void **state)
{
	TSK_FS_INFO fs;
	TSK_FS_META m;
	TSK_FS_FILE f;
	void *p;

	(void)state;
	memset(&fs, 0, sizeof(fs));
	memset(&m, 0, sizeof(m));
	memset(&f, 0, sizeof(f));
	f.meta = &m;
	f.fs_info = &fs;
	/* libtsk's answers before it looks at the volume (never read) */
	m.attr = (TSK_FS_ATTRLIST *)&m;
	m.attr_state = TSK_FS_META_ATTR_STUDIED;
	assert_int_equal(tsk_fs_unix_make_data_run(&f), 0);
	m.attr_state = TSK_FS_META_ATTR_ERROR;
	assert_int_equal(tsk_fs_unix_make_data_run(&f), 1);
	assert_int_equal(irk_tsk_runs_refusing(), 0);
	assert_non_null(p = tsk_malloc(64));
	free(p);
	tsk_error_reset();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_contract),
		cmocka_unit_test(test_libtsk_calls_it),
		cmocka_unit_test(test_runs_append),
		cmocka_unit_test(test_runs_bounded),
		cmocka_unit_test(test_runs_builder_wrapped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
