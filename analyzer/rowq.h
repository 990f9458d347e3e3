/*
 * rowq.h - files rows (and their MACB events) written to the case
 * database by a thread of their own, so a walk that only lists files
 * (image --no-scan) runs while SQLite stores the rows it found.
 *
 * The caller keeps the struct irk_db: every use of it while the queue
 * runs must hold the mutex it passed (the writer holds it for each batch
 * of rows).  Rows are copied; the walk may reuse its buffers at once.
 * Row ids are not returned: the queue is for rows nothing else refers
 * to during the load.
 */
#ifndef IRKIT_ROWQ_H
#define IRKIT_ROWQ_H

#include <pthread.h>
#include <stdint.h>

#include "db.h"
#include "irkit/err.h"

struct irk_rowq;

/* Start the writer thread on db, which it uses under *mu. */
int irk_rowq_start(struct irk_rowq **out, struct irk_db *db,
    pthread_mutex_t *mu, struct irk_err *err);

/* Queue a copy of f (blocks while the writer is far behind). */
int irk_rowq_add(struct irk_rowq *q, const struct irk_db_file *f);

/*
 * Have the writer call fn(arg), holding the database mutex, once the
 * rows queued before are stored (and before those queued after).
 */
int irk_rowq_call(struct irk_rowq *q, void (*fn)(void *), void *arg);

/*
 * Store what is queued, stop the thread and free q.  Returns the number
 * of rows that could not be stored; *first gets a copy of the first such
 * path (malloc'd, may be NULL).
 */
uint64_t irk_rowq_finish(struct irk_rowq *q, char **first);

#endif
