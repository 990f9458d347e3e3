/*
 * pkg_probe.c - one packaged file looked at, and the pool of threads
 * that looks at the next ones (pkg_probe.h).
 *
 * The pool is a ring of SLOTS probes: the collector fills the slot at
 * the tail and submits it; workers take submitted slots in order; the
 * collector writes the records of the slots at the head once done, so
 * the records keep the order of the sequential walk.  Reading and MD5
 * (most of the collector's time) then run on the workers while the
 * collector parses the package lists and writes records.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "pkg_probe.h"
#include "irkit/sha256.h"
#include "irkit/banned.h"

#define SLOTS		64
#define MAX_WORKERS	8

enum { FREE = 0, FILLED, RUNNING, DONE };

struct irk_pkg_pool {
	pthread_mutex_t mu;
	pthread_cond_t cv_work;		/* a slot submitted, or stop */
	pthread_cond_t cv_done;		/* a slot done */
	struct irk_pkg_probe *slot;	/* SLOTS */
	int state[SLOTS];
	uint64_t head, tail, take;	/* oldest, next to fill, next to run */
	int stop;
	int nw;
	pthread_t tid[MAX_WORKERS];
	struct irk_fs *fs[MAX_WORKERS];
	unsigned char *chunk[MAX_WORKERS];
};

int
irk_pkg_hash(struct irk_fs *fs, unsigned char *chunk, const char *path,
    int sha, char *hex, struct irk_stat *st, uint64_t *bytes,
    struct irk_err *err)
{
	struct irk_file *f;
	struct irk_hash h;
	uint64_t off = 0;
	ssize_t n;

	*bytes = 0;
	if (irk_fs_open(fs, path, &f, err) != IRK_OK)
		return IRK_FAIL;
	if (fs->ops->fstat(f, st) != 0 || !S_ISREG(st->mode)) {
		irk_err_set(err, 0, "not a regular file");
		irk_fs_close(fs, f);
		return IRK_FAIL;
	}
	if ((sha ? irk_hash_init(&h, 0) : irk_hash_init_md5(&h)) != IRK_OK) {
		irk_err_set(err, ENOMEM, "hash");
		irk_fs_close(fs, f);
		return IRK_FAIL;
	}
	while ((n = irk_fs_pread(fs, f, chunk, IRK_PKG_CHUNK, off)) > 0) {
		irk_hash_update(&h, chunk, (size_t)n);
		off += (uint64_t)n;
	}
	*bytes = off;
	irk_fs_close(fs, f);
	if (n < 0) {
		irk_err_set(err, errno, "read");
		irk_hash_release(&h);
		return IRK_FAIL;
	}
	irk_hash_final(&h, sha ? hex : NULL, sha ? NULL : hex, NULL);
	return IRK_OK;
}

void
irk_pkg_probe_run(struct irk_fs *fs, unsigned char *chunk,
    struct irk_pkg_probe *p)
{
	struct irk_buf target;
	struct irk_err lerr;

	memset(&p->err, 0, sizeof(p->err));
	p->hashed = 0;
	p->md5[0] = '\0';
	p->link[0] = '\0';
	p->bytes = 0;
	/* looked at by its real folder: an image's lstat follows no link */
	p->lr = fs->ops->stat(fs, p->real, 0, &p->lst, &p->err);
	if (p->lr == IRK_OK)
		p->hashed = irk_pkg_hash(fs, chunk, p->real, 0, p->md5, &p->st,
		    &p->bytes, &p->err) == IRK_OK;
	if (p->lr != IRK_OK || !S_ISLNK(p->lst.mode))
		return;
	irk_buf_init(&target, sizeof(p->link) - 1);
	if (fs->ops->readlink(fs, p->real, &target, &lerr) == IRK_OK &&
	    target.len < sizeof(p->link))
		memcpy(p->link, target.data, target.len + 1);
	irk_buf_release(&target);
}

static void *
worker(void *arg)
{
	struct irk_pkg_pool *pl = arg;
	int me = -1;
	uint64_t i;

	pthread_mutex_lock(&pl->mu);
	for (int w = 0; w < pl->nw; w++)
		if (pthread_equal(pl->tid[w], pthread_self()))
			me = w;
	for (;;) {
		while (!pl->stop && pl->take == pl->tail)
			pthread_cond_wait(&pl->cv_work, &pl->mu);
		if (pl->stop || me < 0)
			break;
		i = pl->take++ % SLOTS;
		pl->state[i] = RUNNING;
		pthread_mutex_unlock(&pl->mu);
		irk_pkg_probe_run(pl->fs[me], pl->chunk[me], &pl->slot[i]);
		pthread_mutex_lock(&pl->mu);
		pl->state[i] = DONE;
		pthread_cond_broadcast(&pl->cv_done);
	}
	pthread_mutex_unlock(&pl->mu);
	return NULL;
}

struct irk_pkg_pool *
irk_pkg_pool_open(struct irk_fs *fs, int workers)
{
	const char *root = irk_fs_host_root(fs);
	struct irk_pkg_pool *pl;
	struct irk_err err;

	if (root == NULL || workers < 1 || (pl = calloc(1, sizeof(*pl))) ==
	    NULL)
		return NULL;
	if (workers > MAX_WORKERS)
		workers = MAX_WORKERS;
	if ((pl->slot = calloc(SLOTS, sizeof(*pl->slot))) == NULL) {
		free(pl);
		return NULL;
	}
	pthread_mutex_init(&pl->mu, NULL);
	pthread_cond_init(&pl->cv_work, NULL);
	pthread_cond_init(&pl->cv_done, NULL);
	pthread_mutex_lock(&pl->mu);
	for (int w = 0; w < workers; w++) {
		if (irk_fs_host_open(&pl->fs[w], root, &err) != IRK_OK ||
		    (pl->chunk[w] = malloc(IRK_PKG_CHUNK)) == NULL ||
		    pthread_create(&pl->tid[w], NULL, worker, pl) != 0) {
			irk_fs_free(pl->fs[w]);
			free(pl->chunk[w]);
			pl->fs[w] = NULL;
			pl->chunk[w] = NULL;
			break;
		}
		pl->nw++;
	}
	pthread_mutex_unlock(&pl->mu);
	if (pl->nw == 0) {
		irk_pkg_pool_close(pl);
		return NULL;
	}
	return pl;
}

/* The oldest slot, once done, to emit; 0 or IRK_FATAL. */
static int
emit_head(struct irk_pkg_pool *pl, irk_pkg_emit_fn emit, void *arg)
{
	uint64_t i = pl->head % SLOTS;
	int r;

	while (pl->state[i] != DONE)
		pthread_cond_wait(&pl->cv_done, &pl->mu);
	pthread_mutex_unlock(&pl->mu);
	r = emit(arg, &pl->slot[i]);
	pthread_mutex_lock(&pl->mu);
	pl->state[i] = FREE;
	pl->head++;
	return r;
}

struct irk_pkg_probe *
irk_pkg_pool_next(struct irk_pkg_pool *pl, irk_pkg_emit_fn emit, void *arg)
{
	struct irk_pkg_probe *p = NULL;

	pthread_mutex_lock(&pl->mu);
	if (pl->tail - pl->head < SLOTS || emit_head(pl, emit, arg) !=
	    IRK_FATAL)
		p = &pl->slot[pl->tail % SLOTS];
	pthread_mutex_unlock(&pl->mu);
	return p;
}

void
irk_pkg_pool_submit(struct irk_pkg_pool *pl)
{
	pthread_mutex_lock(&pl->mu);
	pl->state[pl->tail % SLOTS] = FILLED;
	pl->tail++;
	pthread_cond_signal(&pl->cv_work);
	pthread_mutex_unlock(&pl->mu);
}

int
irk_pkg_pool_flush(struct irk_pkg_pool *pl, irk_pkg_emit_fn emit, void *arg)
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
irk_pkg_pool_close(struct irk_pkg_pool *pl)
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
		free(pl->chunk[w]);
	}
	pthread_mutex_destroy(&pl->mu);
	pthread_cond_destroy(&pl->cv_work);
	pthread_cond_destroy(&pl->cv_done);
	free(pl->slot);
	free(pl);
}
