/*
 * tsk_guard.c - libtsk's allocator with a bound (see tsk_guard.h).
 *
 * libtsk calls tsk_malloc and tsk_realloc through its PLT, so these
 * definitions in the program take the place of libtsk's own (the
 * dynamic linker looks in the executable first).  The contract kept:
 * tsk_malloc zeroes; on failure both set TSK_ERR_AUX_MALLOC with a
 * message and return NULL.  The bound is read by every thread (the
 * read-ahead hasher opens images too), so it is atomic.
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <tsk/libtsk.h>

#include "tsk_guard.h"

void *tsk_malloc(size_t len);
void *tsk_realloc(void *ptr, size_t len);

static _Atomic uint64_t bound;
static _Atomic uint64_t refused, largest;

void
irk_tsk_guard_set(uint64_t max)
{
	atomic_store(&bound, max);
	atomic_store(&largest, 0);
}

uint64_t
irk_tsk_guard_refused(uint64_t *big)
{
	if (big != NULL)
		*big = atomic_load(&largest);
	return atomic_load(&refused);
}

/* 1 when len is over the bound (counted, TSK's error set). */
static int
over(const char *fn, size_t len)
{
	uint64_t max = atomic_load(&bound), big;

	if (max == 0 || (uint64_t)len <= max)
		return 0;
	atomic_fetch_add(&refused, 1);
	big = atomic_load(&largest);
	while ((uint64_t)len > big &&
	    !atomic_compare_exchange_weak(&largest, &big, (uint64_t)len))
		;
	tsk_error_reset();
	tsk_error_set_errno(TSK_ERR_AUX_MALLOC);
	tsk_error_set_errstr("%s: %zu bytes refused: more than the image "
	    "holds (%llu), a size the volume claims", fn, len,
	    (unsigned long long)max);
	return 1;
}

void *
tsk_malloc(size_t len)
{
	void *p;

	if (irk_tsk_runs_refusing()) {
		tsk_error_reset();
		tsk_error_set_errno(TSK_ERR_FS_INODE_COR);
		tsk_error_set_errstr("a list of blocks longer than the volume "
		    "can hold (tsk_runs.c): the file is not read");
		return NULL;
	}
	if (over("tsk_malloc", len))
		return NULL;
	if ((p = calloc(1, len)) == NULL) {
		tsk_error_reset();
		tsk_error_set_errno(TSK_ERR_AUX_MALLOC);
		tsk_error_set_errstr("tsk_malloc: %s (%zu requested)",
		    strerror(errno), len);
	}
	return p;
}

void *
tsk_realloc(void *ptr, size_t len)
{
	void *p;

	if (over("tsk_realloc", len))
		return NULL;
	if ((p = realloc(ptr, len)) == NULL) {
		tsk_error_reset();
		tsk_error_set_errno(TSK_ERR_AUX_MALLOC);
		tsk_error_set_errstr("tsk_realloc: %s (%zu requested)",
		    strerror(errno), len);
	}
	return p;
}
