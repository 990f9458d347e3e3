/*
 * test_tsk_guard.c - the bound on libtsk's allocations
 * (analyzer/tsk_guard.c): tsk_malloc and tsk_realloc keep libtsk's
 * contract under the bound (zeroed memory; TSK's error on failure) and
 * refuse above it with TSK_ERR_AUX_MALLOC, counted; and libtsk's own
 * calls reach them (an image open, whose 2 MB cache libtsk allocates
 * itself, fails under a 1 MB bound and works without one).
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_contract),
		cmocka_unit_test(test_libtsk_calls_it),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
