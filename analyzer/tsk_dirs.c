/*
 * tsk_dirs.c - an ext2/3/4 or UFS directory is read without its holes
 * (see tsk_guard.h).
 *
 * libtsk reads such a directory block by block up to the size its inode
 * claims, and parses every block, a hole's zeros four bytes at a time:
 * a mutated root directory that claims 1.8 GB of holes took fls 35 s and
 * irkit 5 s.  These file systems give a directory no holes (e2fsck
 * fills them; the kernel skips them), and a hole holds no name.
 *
 * libtsk's ext2fs_dir_open_meta and ffs_dir_open_meta open the
 * directory with tsk_fs_file_open_meta() through their PLT, and size
 * their loop from the inode right after.  This definition takes the
 * place of libtsk's (as tsk_malloc in tsk_guard.c); when its caller is
 * one of those two, it loads the directory's runs, unlinks the holes
 * (and what lies past the claimed size), and sets the size to what is
 * left: the loop then reads the directory's blocks, and only them, in
 * their order.  The names are those libtsk would list.  Any other open
 * (the walk's, irkit's own) is libtsk's, untouched: the timeline keeps
 * the size the inode claims.
 */
#include <dlfcn.h>
#include <link.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>

#include <tsk/libtsk.h>

#include "tsk_guard.h"

TSK_FS_FILE *tsk_fs_file_open_meta(TSK_FS_INFO *fs, TSK_FS_FILE *file,
    TSK_INUM_T inum);

static TSK_FS_FILE *(*real_open)(TSK_FS_INFO *, TSK_FS_FILE *, TSK_INUM_T);
static struct {
	uintptr_t lo, hi;
} readers[2];
static pthread_once_t once = PTHREAD_ONCE_INIT;
static _Atomic uint64_t squeezed, squeezed_inum;

uint64_t
irk_tsk_dirs_squeezed(uint64_t *inum)
{
	if (inum != NULL)
		*inum = atomic_load(&squeezed_inum);
	return atomic_load(&squeezed);
}

/* Where libtsk's function name lies in memory (0, 0: not found). */
static void
find(const char *name, uintptr_t *lo, uintptr_t *hi)
{
	const ElfW(Sym) *sym = NULL;
	Dl_info info;
	void *p = dlsym(RTLD_NEXT, name);

	*lo = *hi = 0;
	if (p == NULL || dladdr1(p, &info, (void **)&sym,
	    RTLD_DL_SYMENT) == 0 || sym == NULL)
		return;
	*lo = (uintptr_t)p;
	*hi = *lo + sym->st_size;
}

static void
init(void)
{
	*(void **)&real_open = dlsym(RTLD_NEXT, "tsk_fs_file_open_meta");
	find("ext2fs_dir_open_meta", &readers[0].lo, &readers[0].hi);
	find("ffs_dir_open_meta", &readers[1].lo, &readers[1].hi);
}

static int
from_reader(uintptr_t ra)
{
	for (size_t i = 0; i < sizeof(readers) / sizeof(readers[0]); i++)
		if (ra > readers[i].lo && ra <= readers[i].hi)
			return 1;
	return 0;
}

/* The file's runs without holes; its size what is left. */
static void
squeeze(TSK_FS_FILE *file)
{
	TSK_FS_META *m = file->meta;
	TSK_FS_ATTR *a;
	TSK_FS_ATTR_RUN **pp, *r, *end = NULL;
	uint64_t bs, claimed, off = 0, holes = 0;
	TSK_OFF_T size;

	/* whatever its type says: it is read as a directory */
	if (m == NULL || m->size <= 0 ||
	    file->fs_info == NULL || file->fs_info->block_size == 0)
		return;
	/* libtsk's own (const) attribute, loaded once per open file */
	if ((a = (TSK_FS_ATTR *)tsk_fs_file_attr_get(file)) == NULL) {
		tsk_error_reset();	/* the loop's first read says it */
		return;
	}
	if (!(a->flags & TSK_FS_ATTR_NONRES))
		return;
	bs = file->fs_info->block_size;
	claimed = ((uint64_t)m->size + bs - 1) / bs;
	for (pp = &a->nrd.run; (r = *pp) != NULL;) {
		if (r->offset >= claimed ||
		    (r->flags & (TSK_FS_ATTR_RUN_FLAG_SPARSE |
		    TSK_FS_ATTR_RUN_FLAG_FILLER))) {
			if (r->offset < claimed)
				holes += r->len;
			*pp = r->next;
			free(r);
			continue;
		}
		r->offset = off;
		off += r->len;
		end = r;
		pp = &r->next;
	}
	a->nrd.run_end = end;
	if (holes == 0)
		return;		/* nothing to skip: as libtsk read it */
	size = (TSK_OFF_T)(off * bs);
	if (size < m->size)
		m->size = size;
	a->size = m->size;
	a->nrd.allocsize = size;
	if (a->nrd.initsize > size)
		a->nrd.initsize = size;
	atomic_store(&squeezed_inum, (uint64_t)m->addr);
	atomic_fetch_add(&squeezed, 1);
}

TSK_FS_FILE *
tsk_fs_file_open_meta(TSK_FS_INFO *fs, TSK_FS_FILE *file, TSK_INUM_T inum)
{
	uintptr_t ra = (uintptr_t)__builtin_return_address(0);
	TSK_FS_FILE *f;

	(void)pthread_once(&once, init);
	if (real_open == NULL) {
		tsk_error_reset();
		tsk_error_set_errno(TSK_ERR_FS_GENFS);
		tsk_error_set_errstr("tsk_fs_file_open_meta: not in libtsk");
		return NULL;
	}
	f = real_open(fs, file, inum);
	if (f != NULL && from_reader(ra))
		squeeze(f);
	return f;
}
