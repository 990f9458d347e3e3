/*
 * rowq.c - a writer thread for files rows (see rowq.h).
 *
 * Rows travel in batches: an array of struct irk_db_file whose strings
 * point into the batch's own arena.  At most QMAX batches wait, so a
 * walk far ahead of the database is held back instead of filling memory.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "rowq.h"
#include "irkit/banned.h"

#define BATCH_ROWS	512
#define ARENA		(128U << 10)
#define QMAX		8

struct batch {
	struct batch *next;
	void (*fn)(void *);	/* not rows: a call (irk_rowq_call) */
	void *arg;
	size_t n;
	struct irk_db_file row[BATCH_ROWS];
	size_t used, cap;
	char *mem;
};

struct irk_rowq {
	struct irk_db *db;
	pthread_mutex_t *dbmu;
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct batch *head, *tail;	/* waiting for the writer */
	struct batch *cur;		/* being filled by the walk */
	size_t queued;
	int done;
	uint64_t failed;
	char *first;
};

static void
batch_free(struct batch *b)
{
	if (b != NULL) {
		free(b->mem);
		free(b);
	}
}

static struct batch *
batch_new(size_t need)
{
	struct batch *b = malloc(sizeof(*b));

	if (b == NULL)
		return NULL;
	b->next = NULL;
	b->fn = NULL;
	b->arg = NULL;
	b->n = b->used = 0;
	b->cap = need > ARENA ? need : ARENA;
	if ((b->mem = malloc(b->cap)) == NULL) {
		free(b);
		return NULL;
	}
	return b;
}

static void
store(struct irk_rowq *q, struct batch *b)
{
	pthread_mutex_lock(q->dbmu);
	if (b->fn != NULL)
		b->fn(b->arg);
	for (size_t i = 0; i < b->n; i++) {
		int64_t id = 0;

		if (irk_db_file_add(q->db, &b->row[i], &id) != IRK_OK ||
		    irk_db_file_events(q->db, &b->row[i], id) != IRK_OK) {
			if (q->failed++ == 0 && b->row[i].path != NULL)
				q->first = strdup(b->row[i].path);
		}
	}
	pthread_mutex_unlock(q->dbmu);
}

static void *
writer(void *arg)
{
	struct irk_rowq *q = arg;

	pthread_mutex_lock(&q->mu);
	for (;;) {
		struct batch *b;

		while (q->head == NULL && !q->done)
			pthread_cond_wait(&q->cv, &q->mu);
		if ((b = q->head) == NULL)
			break;
		if ((q->head = b->next) == NULL)
			q->tail = NULL;
		q->queued--;
		pthread_cond_broadcast(&q->cv);
		pthread_mutex_unlock(&q->mu);
		store(q, b);
		batch_free(b);
		pthread_mutex_lock(&q->mu);
	}
	pthread_mutex_unlock(&q->mu);
	return NULL;
}

int
irk_rowq_start(struct irk_rowq **out, struct irk_db *db, pthread_mutex_t *mu,
    struct irk_err *err)
{
	struct irk_rowq *q;

	*out = NULL;
	if ((q = calloc(1, sizeof(*q))) == NULL) {
		irk_err_set(err, ENOMEM, "out of memory");
		return IRK_FAIL;
	}
	q->db = db;
	q->dbmu = mu;
	pthread_mutex_init(&q->mu, NULL);
	pthread_cond_init(&q->cv, NULL);
	if (pthread_create(&q->th, NULL, writer, q) != 0) {
		irk_err_set(err, errno, "cannot start a thread");
		pthread_cond_destroy(&q->cv);
		pthread_mutex_destroy(&q->mu);
		free(q);
		return IRK_FAIL;
	}
	*out = q;
	return IRK_OK;
}

/* Hand the batch being filled to the writer. */
static void
push(struct irk_rowq *q)
{
	struct batch *b = q->cur;

	if (b == NULL)
		return;
	q->cur = NULL;
	pthread_mutex_lock(&q->mu);
	while (q->queued >= QMAX)
		pthread_cond_wait(&q->cv, &q->mu);
	if (q->tail != NULL)
		q->tail->next = b;
	else
		q->head = b;
	q->tail = b;
	q->queued++;
	pthread_cond_broadcast(&q->cv);
	pthread_mutex_unlock(&q->mu);
}

/* Copy s into the arena; NULL stays NULL. */
static const char *
keep(struct batch *b, const char *s)
{
	size_t len;
	char *p;

	if (s == NULL)
		return NULL;
	len = strlen(s) + 1;
	p = b->mem + b->used;
	memcpy(p, s, len);
	b->used += len;
	return p;
}

static size_t
slen(const char *s)
{
	return s != NULL ? strlen(s) + 1 : 0;
}

int
irk_rowq_add(struct irk_rowq *q, const struct irk_db_file *f)
{
	struct irk_db_file *r;
	struct batch *b;
	size_t need;

	need = slen(f->path) + slen(f->sha256) + slen(f->md5) +
	    slen(f->sha1) + slen(f->mime) + slen(f->magic) +
	    slen(f->filetype) + slen(f->mode) + slen(f->owner) +
	    slen(f->skipped_reason) + slen(f->origin) + slen(f->volume) +
	    slen(f->meta_addr) + slen(f->body_name) + slen(f->stream);
	if (q->cur != NULL && (q->cur->n == BATCH_ROWS ||
	    q->cur->cap - q->cur->used < need))
		push(q);
	if (q->cur == NULL && (q->cur = batch_new(need)) == NULL)
		return IRK_FAIL;
	b = q->cur;
	r = &b->row[b->n++];
	*r = *f;
	r->path = keep(b, f->path);
	r->sha256 = keep(b, f->sha256);
	r->md5 = keep(b, f->md5);
	r->sha1 = keep(b, f->sha1);
	r->mime = keep(b, f->mime);
	r->magic = keep(b, f->magic);
	r->filetype = keep(b, f->filetype);
	r->mode = keep(b, f->mode);
	r->owner = keep(b, f->owner);
	r->skipped_reason = keep(b, f->skipped_reason);
	r->origin = keep(b, f->origin);
	r->volume = keep(b, f->volume);
	r->meta_addr = keep(b, f->meta_addr);
	r->body_name = keep(b, f->body_name);
	r->stream = keep(b, f->stream);
	return IRK_OK;
}

int
irk_rowq_call(struct irk_rowq *q, void (*fn)(void *), void *arg)
{
	push(q);
	if ((q->cur = batch_new(0)) == NULL)
		return IRK_FAIL;
	q->cur->fn = fn;
	q->cur->arg = arg;
	push(q);
	return IRK_OK;
}

uint64_t
irk_rowq_finish(struct irk_rowq *q, char **first)
{
	uint64_t failed;

	push(q);
	pthread_mutex_lock(&q->mu);
	q->done = 1;
	pthread_cond_broadcast(&q->cv);
	pthread_mutex_unlock(&q->mu);
	pthread_join(q->th, NULL);
	failed = q->failed;
	if (first != NULL)
		*first = q->first;
	else
		free(q->first);
	pthread_cond_destroy(&q->cv);
	pthread_mutex_destroy(&q->mu);
	free(q);
	return failed;
}
