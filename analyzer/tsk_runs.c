/*
 * tsk_runs.c - libtsk's run-list append, in linear time and bounded
 * (see tsk_guard.h).
 *
 * libtsk 4.11 builds the run list of an ext2/ext3 or UFS file (its
 * direct and indirect block pointers, unix_misc.c) by calling
 * tsk_fs_attr_append_run() once per run, through its PLT, so this
 * definition in the program takes the place of libtsk's own, as
 * tsk_malloc() does in tsk_guard.c.  Three things differ from libtsk's:
 *
 * - nrd.run_end is left on the last run.  libtsk's leaves it on the run
 *   before, so every call walks the whole list from its head: n runs
 *   cost n*n/2 steps (a 200 KB image whose indirect blocks point at
 *   the same blocks over and over made fls and irkit spend 10 to 50 s
 *   in it).
 * - Runs that continue each other are merged: a hole after a hole, or
 *   blocks right after the last run's (libtsk starts a run at every
 *   indirect block).  What a read gets is the same.
 * - A run is dropped (freed; the callers never touch a run once
 *   appended) when it starts past the attribute's allocated size, where
 *   nothing is ever read (libtsk goes on through every indirect block
 *   after the file's end, one run each), and when the attribute already
 *   holds more runs than a file of the volume can: two per block of the
 *   file system (a run of data and the hole after it), plus a few.  The
 *   second kind is counted for the warning, and stops libtsk's builder
 *   (below): that file is not read.
 *
 * The count of runs per attribute lives in a few slots per thread (the
 * unix code alternates between the data attribute and the one of its
 * indirect blocks); a list that starts empty starts its count at zero.
 */
#include <dlfcn.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>

#include <tsk/libtsk.h>

#include "tsk_guard.h"

void tsk_fs_attr_append_run(TSK_FS_INFO *fs, TSK_FS_ATTR *attr,
    TSK_FS_ATTR_RUN *run);
uint8_t tsk_fs_unix_make_data_run(TSK_FS_FILE *file);

#define SLOTS	4

struct slot {
	const TSK_FS_ATTR *attr;
	uint64_t runs;
	int closed;		/* too many runs: nothing more */
};

static _Thread_local struct slot slot[SLOTS];
static _Thread_local unsigned next_slot;
static _Atomic uint64_t cut, cut_inum;
static _Thread_local int inside;	/* libtsk's unix run builder */
static _Thread_local int refusing;	/* it cut a list: stop it */

uint64_t
irk_tsk_runs_cut(uint64_t *inum)
{
	if (inum != NULL)
		*inum = atomic_load(&cut_inum);
	return atomic_load(&cut);
}

int
irk_tsk_runs_refusing(void)
{
	return inside && refusing;
}

/*
 * libtsk's builder of a unix file's runs, which libtsk reaches through
 * its GOT (the file system's load_attrs): once a list is cut, the
 * allocations it makes fail (tsk_guard.c), and it stops with an error
 * instead of reading the rest of the indirect blocks the file claims
 * (a thousand million pointers with 4 KiB blocks).  Every allocation in
 * that code is checked.
 */
uint8_t
tsk_fs_unix_make_data_run(TSK_FS_FILE *file)
{
	static uint8_t (*real)(TSK_FS_FILE *);
	uint8_t rc;

	if (real == NULL)
		*(void **)&real = dlsym(RTLD_NEXT, "tsk_fs_unix_make_data_run");
	if (real == NULL) {
		tsk_error_reset();
		tsk_error_set_errno(TSK_ERR_FS_GENFS);
		tsk_error_set_errstr("tsk_fs_unix_make_data_run: not in libtsk");
		return 1;
	}
	inside = 1;
	refusing = 0;
	rc = real(file);
	inside = 0;
	refusing = 0;
	return rc;
}

/* The slot of attr (a fresh count when its list is empty). */
static struct slot *
slot_of(const TSK_FS_ATTR *attr)
{
	struct slot *s = NULL;

	for (unsigned i = 0; i < SLOTS; i++)
		if (slot[i].attr == attr)
			s = &slot[i];
	if (s == NULL) {
		s = &slot[next_slot++ % SLOTS];
		s->attr = attr;
	}
	if (attr->nrd.run == NULL) {
		s->runs = 0;
		s->closed = 0;
	}
	return s;
}

static void
drop(TSK_FS_ATTR_RUN *run)
{
	while (run != NULL) {
		TSK_FS_ATTR_RUN *next = run->next;

		free(run);
		run = next;
	}
}

/* 1 when run (alone) continues end: a hole after a hole, or the next
 * blocks with the same flags. */
static int
continues(const TSK_FS_ATTR_RUN *end, const TSK_FS_ATTR_RUN *run)
{
	if (run->next != NULL || end->flags != run->flags ||
	    (run->flags & TSK_FS_ATTR_RUN_FLAG_FILLER))
		return 0;
	if (run->flags & TSK_FS_ATTR_RUN_FLAG_SPARSE)
		return 1;
	return end->addr + end->len == run->addr;
}

void
tsk_fs_attr_append_run(TSK_FS_INFO *fs, TSK_FS_ATTR *attr,
    TSK_FS_ATTR_RUN *run)
{
	TSK_FS_ATTR_RUN *end;
	struct slot *s;
	uint64_t bs;

	if (attr == NULL || run == NULL)
		return;
	s = slot_of(attr);
	if (s->closed) {
		drop(run);
		return;
	}
	if (attr->nrd.run == NULL) {
		attr->nrd.run = run;
		run->offset = 0;
	} else {
		end = attr->nrd.run_end;
		/* as libtsk: an end another function left behind is sought */
		if (end == NULL || end->next != NULL)
			for (end = attr->nrd.run; end->next != NULL;
			    end = end->next)
				;
		attr->nrd.run_end = end;
		run->offset = end->offset + end->len;
		bs = fs != NULL && fs->block_size ? fs->block_size : 1;
		if (attr->nrd.allocsize >= 0 &&
		    run->offset >= (uint64_t)attr->nrd.allocsize / bs) {
			drop(run);	/* past the end: never read */
			return;
		}
		if (continues(end, run)) {
			end->len += run->len;
			free(run);
			return;
		}
		if (fs != NULL && s->runs >= 2 * (uint64_t)fs->block_count + 64) {
			if (attr->fs_file != NULL && attr->fs_file->meta != NULL)
				atomic_store(&cut_inum,
				    (uint64_t)attr->fs_file->meta->addr);
			atomic_fetch_add(&cut, 1);
			s->closed = 1;
			refusing = 1;
			drop(run);
			return;
		}
		end->next = run;
	}
	s->runs++;
	for (end = run; end->next != NULL; end = end->next)
		end->next->offset = end->offset + end->len;
	attr->nrd.run_end = end;
}
