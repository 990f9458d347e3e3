/*
 * opool.c - the ordered pool (opool.h).
 *
 * A ring of SLOTS items: the collector fills the slot at the tail and
 * submits it; workers take submitted slots in order; the collector emits
 * the slots at the head once done, so results keep the submission order.
 *
 * Threads are woken in batches, not for every item (each wake is a
 * futex call and a context switch: three a file when the certificate
 * walk handed over 226,000 small files one by one): an idle worker is
 * woken once WAKE_BATCH items wait, or when the collector needs a result;
 * the collector, waiting for the head, once EMIT_BATCH items from it are
 * done (or all it submitted).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "opool.h"
#include "irkit/banned.h"

#define SLOTS		64
#define MAX_WORKERS	8
#define WAKE_BATCH	8	/* items waiting before an idle worker is woken */
#define EMIT_BATCH	16	/* items done before the waiting collector is */

enum { FREE = 0, FILLED, RUNNING, DONE };

struct irk_opool {
	pthread_mutex_t mu;
	pthread_cond_t cv_work;		/* a slot submitted, or stop */
	pthread_cond_t cv_done;		/* a slot done */
	unsigned char *items;		/* SLOTS of item_size bytes */
	size_t item_size;
	int state[SLOTS];
	uint64_t head, tail, take;	/* oldest, next to fill, next to run */
	int idle;			/* workers waiting for work */
	int main_waits;			/* the collector waits for ... */
	uint64_t wait_upto;		/* ... head to this one done */
	int stop;
	int nw;
	irk_opool_run_fn run;
	pthread_t tid[MAX_WORKERS];
	struct irk_fs *fs[MAX_WORKERS];
	void *scratch[MAX_WORKERS];
};

static void *
item(struct irk_opool *pl, uint64_t i)
{
	return pl->items + (size_t)(i % SLOTS) * pl->item_size;
}

/* Every slot from head to upto is done. */
static int
done_upto(const struct irk_opool *pl, uint64_t upto)
{
	for (uint64_t i = pl->head; i <= upto; i++)
		if (pl->state[i % SLOTS] != DONE)
			return 0;
	return 1;
}

static void *
worker(void *arg)
{
	struct irk_opool *pl = arg;
	int me = -1;
	uint64_t i;

	pthread_mutex_lock(&pl->mu);
	for (int w = 0; w < pl->nw; w++)
		if (pthread_equal(pl->tid[w], pthread_self()))
			me = w;
	for (;;) {
		while (!pl->stop && pl->take == pl->tail) {
			pl->idle++;
			pthread_cond_wait(&pl->cv_work, &pl->mu);
			pl->idle--;
		}
		if (pl->stop || me < 0)
			break;
		i = pl->take++;
		pl->state[i % SLOTS] = RUNNING;
		pthread_mutex_unlock(&pl->mu);
		pl->run(pl->fs[me], pl->scratch[me], item(pl, i));
		pthread_mutex_lock(&pl->mu);
		pl->state[i % SLOTS] = DONE;
		if (pl->main_waits && i <= pl->wait_upto &&
		    done_upto(pl, pl->wait_upto))
			pthread_cond_signal(&pl->cv_done);
	}
	pthread_mutex_unlock(&pl->mu);
	return NULL;
}

struct irk_opool *
irk_opool_open(struct irk_fs *fs, int workers, size_t item_size,
    size_t scratch_size, irk_opool_run_fn run)
{
	const char *root = irk_fs_host_root(fs);
	struct irk_opool *pl;
	struct irk_err err;

	if (root == NULL || workers < 1 || (pl = calloc(1, sizeof(*pl))) ==
	    NULL)
		return NULL;
	if (workers > MAX_WORKERS)
		workers = MAX_WORKERS;
	pl->item_size = item_size;
	pl->run = run;
	if ((pl->items = calloc(SLOTS, item_size)) == NULL) {
		free(pl);
		return NULL;
	}
	pthread_mutex_init(&pl->mu, NULL);
	pthread_cond_init(&pl->cv_work, NULL);
	pthread_cond_init(&pl->cv_done, NULL);
	pthread_mutex_lock(&pl->mu);
	for (int w = 0; w < workers; w++) {
		if (irk_fs_host_open(&pl->fs[w], root, &err) != IRK_OK ||
		    (pl->scratch[w] = malloc(scratch_size)) == NULL ||
		    pthread_create(&pl->tid[w], NULL, worker, pl) != 0) {
			irk_fs_free(pl->fs[w]);
			free(pl->scratch[w]);
			pl->fs[w] = NULL;
			pl->scratch[w] = NULL;
			break;
		}
		pl->nw++;
	}
	pthread_mutex_unlock(&pl->mu);
	if (pl->nw == 0) {
		irk_opool_close(pl);
		return NULL;
	}
	return pl;
}

/* The oldest slot, once done, to emit; 0 or IRK_FATAL. */
static int
emit_head(struct irk_opool *pl, irk_opool_emit_fn emit, void *arg)
{
	uint64_t i = pl->head % SLOTS;
	int r;

	if (pl->state[i] != DONE) {
		uint64_t n = pl->tail - pl->head;

		/* what waits must run: no worker sleeps on a short batch */
		if (pl->take < pl->tail)
			pthread_cond_broadcast(&pl->cv_work);
		pl->wait_upto = pl->head + (n < EMIT_BATCH ? n : EMIT_BATCH) -
		    1;
		pl->main_waits = 1;
		while (!done_upto(pl, pl->wait_upto))
			pthread_cond_wait(&pl->cv_done, &pl->mu);
		pl->main_waits = 0;
	}
	pthread_mutex_unlock(&pl->mu);
	r = emit(arg, item(pl, pl->head));
	pthread_mutex_lock(&pl->mu);
	pl->state[i] = FREE;
	pl->head++;
	return r;
}

void *
irk_opool_next(struct irk_opool *pl, irk_opool_emit_fn emit, void *arg)
{
	void *p = NULL;

	pthread_mutex_lock(&pl->mu);
	if (pl->tail - pl->head < SLOTS || emit_head(pl, emit, arg) !=
	    IRK_FATAL) {
		p = item(pl, pl->tail);
		memset(p, 0, pl->item_size);
	}
	pthread_mutex_unlock(&pl->mu);
	return p;
}

void
irk_opool_submit(struct irk_opool *pl)
{
	pthread_mutex_lock(&pl->mu);
	pl->state[pl->tail % SLOTS] = FILLED;
	pl->tail++;
	if (pl->idle > 0 && pl->tail - pl->take >= WAKE_BATCH)
		pthread_cond_signal(&pl->cv_work);
	pthread_mutex_unlock(&pl->mu);
}

int
irk_opool_flush(struct irk_opool *pl, irk_opool_emit_fn emit, void *arg)
{
	int r = 0;

	pthread_mutex_lock(&pl->mu);
	while (pl->head < pl->tail)
		if (emit_head(pl, emit, arg) == IRK_FATAL)
			r = IRK_FATAL;
	pthread_mutex_unlock(&pl->mu);
	return r;
}

void
irk_opool_close(struct irk_opool *pl)
{
	if (pl == NULL)
		return;
	pthread_mutex_lock(&pl->mu);
	pl->stop = 1;
	pthread_cond_broadcast(&pl->cv_work);
	pthread_mutex_unlock(&pl->mu);
	for (int w = 0; w < pl->nw; w++) {
		pthread_join(pl->tid[w], NULL);
		irk_fs_free(pl->fs[w]);
		free(pl->scratch[w]);
	}
	pthread_mutex_destroy(&pl->mu);
	pthread_cond_destroy(&pl->cv_work);
	pthread_cond_destroy(&pl->cv_done);
	free(pl->items);
	free(pl);
}
