/*
 * opool.h - an ordered pool: worker threads look at the next items (each
 * with its own host fs on the same root and its own scratch buffer)
 * while the collector writes the results of the earlier ones, in the
 * order it submitted them.  Used where reading files is most of a
 * collector's time (packages, certificates).
 *
 *	pl = irk_opool_open(c->fs, 2, sizeof(struct job), SCRATCH, run);
 *	for each item: j = irk_opool_next(pl, emit, arg); fill j;
 *	    irk_opool_submit(pl);
 *	irk_opool_flush(pl, emit, arg); irk_opool_close(pl);
 */
#ifndef IRKIT_OPOOL_H
#define IRKIT_OPOOL_H

#include <stddef.h>

#include "irkit/fs.h"

struct irk_opool;
/* Look at one item (in a worker): fs and scratch are the worker's. */
typedef void (*irk_opool_run_fn)(struct irk_fs *fs, void *scratch,
    void *item);
/* Write one item's results (in the collector's thread): 0 or IRK_FATAL. */
typedef int (*irk_opool_emit_fn)(void *arg, void *item);

/*
 * NULL where it cannot run (fs not the host's, no memory, no thread):
 * the caller then looks at each item itself.
 */
struct irk_opool *irk_opool_open(struct irk_fs *fs, int workers,
    size_t item_size, size_t scratch_size, irk_opool_run_fn run);
/*
 * The next item to fill (zeroed); when every slot is taken, the oldest is
 * waited for and handed to emit first.  NULL when emit returned
 * IRK_FATAL.
 */
void *irk_opool_next(struct irk_opool *pl, irk_opool_emit_fn emit, void *arg);
/* The item from irk_opool_next is filled: look at it. */
void irk_opool_submit(struct irk_opool *pl);
/* Hand every submitted item to emit, in order; IRK_FATAL if emit did. */
int irk_opool_flush(struct irk_opool *pl, irk_opool_emit_fn emit, void *arg);
void irk_opool_close(struct irk_opool *pl);

#endif
