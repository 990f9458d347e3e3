/*
 * tsk_guard.h - a bound on what The Sleuth Kit may allocate at once.
 *
 * libtsk sizes some allocations by what the volume claims: an ext4
 * inode flagged as holding its data inline gets a buffer of the size
 * the inode declares, zeroed, before a byte is read (a 600 KB image with
 * such inodes made fls and irkit take 3.4 GB and 20 s).  irkit defines
 * tsk_malloc() and tsk_realloc() itself, with libtsk's contract (zeroed
 * memory, TSK's error on failure), and the dynamic linker binds libtsk's
 * own calls to them: above the bound, the allocation fails as if memory
 * were short, TSK reports an error for that inode or file, and the rest
 * of the volume is read.
 */
#ifndef IRKIT_TSK_GUARD_H
#define IRKIT_TSK_GUARD_H

#include <stddef.h>
#include <stdint.h>

/* The least bound: TSK's own fixed needs (its 2 MB image cache). */
#define IRK_TSK_GUARD_FLOOR	((uint64_t)64 << 20)

/*
 * Refuse any one allocation of libtsk over max bytes from now on (0: no
 * bound).  The image command sets the larger of the image's media size
 * and IRK_TSK_GUARD_FLOOR: nothing in a volume is bigger than the image
 * it lies in.
 */
void irk_tsk_guard_set(uint64_t max);

/* Allocations refused since the process started, and the largest asked
 * for since the last irk_tsk_guard_set(). */
uint64_t irk_tsk_guard_refused(uint64_t *largest);

/*
 * tsk_runs.c: libtsk's tsk_fs_attr_append_run() replaced by one that
 * keeps the end of the list (libtsk's walks the list on every call:
 * quadratic in the runs of a file), merges runs that continue each
 * other, and drops the runs a file cannot have: past its allocated
 * size, and over two per block of the volume (plus a few).  A list over
 * that bound is cut and libtsk's builder of it (its unix
 * tsk_fs_unix_make_data_run, wrapped) stopped: the allocations it makes
 * then fail (irk_tsk_runs_refusing(), which tsk_malloc asks) and that
 * file is not read.  irk_tsk_runs_cut() counts the lists cut since the
 * process started (a file TSK loads twice counts twice) and gives the
 * inode of the last.
 */
uint64_t irk_tsk_runs_cut(uint64_t *inum);
int irk_tsk_runs_refusing(void);

/*
 * tsk_dirs.c: libtsk's tsk_fs_file_open_meta() wrapped: when libtsk's
 * ext2/3/4 or UFS directory reader opens a directory to read it, the
 * holes of its run list are taken out and its size cut to the blocks
 * left (libtsk would read and parse every block of holes up to the size
 * the inode claims).  irk_tsk_dirs_squeezed() counts the directories so
 * read since the process started and gives the inode of the last.
 */
uint64_t irk_tsk_dirs_squeezed(uint64_t *inum);

#endif
