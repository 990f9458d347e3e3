/*
 * evread_ahead.c - an archive read ahead on a thread of its own (see
 * evread_ahead.h).
 *
 * The thread does what evidence_read.c did inline, in the same order:
 * a regular file's data until archive_read_data() says 0 (END) or
 * fails (ERROR), the bomb check after each read (BOMB, and the thread
 * stops), the next header (HEADER; an error there ends the thread),
 * and at the end of the archive the trailing-data check (EOF).  Data
 * comes in chunks of at most CHUNK bytes, sized to what the header
 * says is left, so small members cost small allocations; a member up to
 * opts.whole_max comes in one buffer, which the reader may keep
 * (irk_evread_data_take) instead of copying it.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "evread_ahead.h"
#include "irkit/err.h"
#include "irkit/banned.h"

#define CHUNK		(256u << 10)
#define AHEAD_BYTES	(8u << 20)	/* data queued at most */
#define AHEAD_ITEMS	16384		/* items queued at most */

struct irk_ahead {
	struct archive *a;
	struct irk_ahead_opts o;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t more;	/* an item was queued (to the reader) */
	pthread_cond_t room;	/* an item was taken, or stop (to the thread) */
	struct irk_ahead_item *head, *tail;
	size_t bytes, items;	/* queued */
	int reader_waits;	/* the reader sleeps on more */
	int thread_waits;	/* the thread sleeps on room */
	int stop;		/* irk_ahead_free: the thread ends */
	int done;		/* the thread queued its last item */
	uint64_t in;		/* archive_filter_bytes(a, -1), for progress */
	/* the thread's own */
	struct archive_entry *e;
	uint64_t out_bytes;
};

/* 1 when the member's data is read (a regular file, not a hard link). */
static int
has_data(struct archive_entry *e)
{
	return archive_entry_hardlink(e) == NULL &&
	    archive_entry_filetype(e) == AE_IFREG;
}

static void
item_free(struct irk_ahead_item *it)
{
	if (it == NULL)
		return;
	if (it->e != NULL)
		archive_entry_free(it->e);
	free(it->data);
	free(it->msg);
	free(it);
}

/* Queue it (waiting for room); 0, or -1 when told to stop. */
static int
put(struct irk_ahead *q, struct irk_ahead_item *it)
{
	int64_t in = archive_filter_bytes(q->a, -1);

	pthread_mutex_lock(&q->mu);
	while (!q->stop && (q->bytes + it->len > AHEAD_BYTES ||
	    q->items >= AHEAD_ITEMS) && q->items > 0) {
		q->thread_waits = 1;
		pthread_cond_wait(&q->room, &q->mu);
	}
	if (q->stop) {
		pthread_mutex_unlock(&q->mu);
		item_free(it);
		return -1;
	}
	if (q->tail != NULL)
		q->tail->next = it;
	else
		q->head = it;
	q->tail = it;
	q->bytes += it->len;
	q->items++;
	if (in > 0)
		q->in = (uint64_t)in;
	if (q->reader_waits) {	/* a wake-up only when one is needed */
		q->reader_waits = 0;
		pthread_cond_signal(&q->more);
	}
	pthread_mutex_unlock(&q->mu);
	return 0;
}

/* A new item of that kind with libarchive's status; NULL out of memory. */
static struct irk_ahead_item *
item(struct irk_ahead *q, enum irk_ahead_kind kind, int rc, int with_error)
{
	struct irk_ahead_item *it = calloc(1, sizeof(*it));
	const char *s;

	if (it == NULL)
		return NULL;
	it->kind = kind;
	it->rc = rc;
	if (with_error) {
		it->eno = archive_errno(q->a);
		s = archive_error_string(q->a);
		it->msg = s != NULL ? strdup(s) : NULL;
	}
	return it;
}

/* Queue an item that carries only a status; -1 to stop. */
static int
put_status(struct irk_ahead *q, enum irk_ahead_kind kind, int rc,
    int with_error, const char *msg)
{
	struct irk_ahead_item *it = item(q, kind, rc, with_error);

	if (it == NULL)
		return -1;
	if (msg != NULL) {
		free(it->msg);
		if ((it->msg = strdup(msg)) == NULL) {
			item_free(it);
			return -1;
		}
	}
	return put(q, it);
}

/*
 * The current member's data: 0 when all of it was queued (END), 1 when
 * it stopped short (ERROR), -1 when the thread ends (BOMB, stop, out of
 * memory).  A first ARCHIVE_WARN is queued and reading goes on, as the
 * inline reader's callers do (the caller's loop stops at it, the drain
 * before the next header reads the rest, hashing it); a second error
 * ends the member.
 */
static int
read_member(struct irk_ahead *q)
{
	int64_t size = archive_entry_size_is_set(q->e) ?
	    archive_entry_size(q->e) : -1;
	uint64_t got = 0;
	struct irk_hash h;
	struct irk_ahead_item *it;
	int hashing = q->o.hash && irk_hash_init(&h, 0) == 0;
	unsigned char probe[4096];
	size_t chunk = CHUNK;
	ssize_t n;
	int warned = 0;

	if (size > 0 && (uint64_t)size <= q->o.whole_max &&
	    (uint64_t)size <= SIZE_MAX)
		chunk = (size_t)size;
	for (;;) {
		size_t want = chunk;

		if (size >= 0 && (uint64_t)size <= got) {
			/* the end, most likely (or the header lied) */
			n = archive_read_data(q->a, probe, sizeof(probe));
			if (n == ARCHIVE_WARN && !warned) {
				warned = 1;
				if (put_status(q, IRK_AH_ERROR, (int)n, 1,
				    NULL) != 0)
					goto gone;
				continue;
			}
			if (n <= 0)
				break;
			if ((it = item(q, IRK_AH_DATA, 0, 0)) == NULL ||
			    (it->data = malloc((size_t)n)) == NULL) {
				item_free(it);
				goto gone;
			}
			memcpy(it->data, probe, (size_t)n);
		} else {
			if (size >= 0 && (uint64_t)size - got < chunk)
				want = (size_t)((uint64_t)size - got);
			if ((it = item(q, IRK_AH_DATA, 0, 0)) == NULL ||
			    (it->data = malloc(want)) == NULL) {
				item_free(it);
				goto gone;
			}
			n = archive_read_data(q->a, it->data, want);
			if (n == ARCHIVE_WARN && !warned) {
				warned = 1;
				item_free(it);
				if (put_status(q, IRK_AH_ERROR, (int)n, 1,
				    NULL) != 0)
					goto gone;
				continue;
			}
			if (n <= 0) {
				item_free(it);
				break;
			}
		}
		q->out_bytes += (uint64_t)n;
		if (irk_over_ratio(q->out_bytes, archive_filter_bytes(q->a, -1),
		    q->o.ratio_floor, q->o.max_ratio)) {
			item_free(it);
			if (hashing)
				irk_hash_release(&h);
			(void)put_status(q, IRK_AH_BOMB, 0, 0, NULL);
			return -1;
		}
		if (hashing)
			irk_hash_update(&h, it->data, (size_t)n);
		got += (uint64_t)n;
		it->len = (size_t)n;
		if (put(q, it) != 0)
			goto gone;
	}
	if (n < 0) {
		if (hashing)
			irk_hash_release(&h);
		return put_status(q, IRK_AH_ERROR, (int)n, 1, NULL) != 0 ?
		    -1 : 1;
	}
	if ((it = item(q, IRK_AH_END, 0, 0)) == NULL)
		goto gone;
	if (hashing)
		irk_hash_final(&h, it->sha, NULL, NULL);
	return put(q, it) != 0 ? -1 : 0;
gone:
	if (hashing)
		irk_hash_release(&h);
	return -1;
}

static void *
ahead_main(void *arg)
{
	struct irk_ahead *q = arg;
	struct irk_ahead_item *it;
	char msg[256];
	int rc;

	for (;;) {
		if (has_data(q->e) && read_member(q) < 0)
			break;
		rc = archive_read_next_header(q->a, &q->e);
		if (rc == ARCHIVE_EOF) {
			if (q->o.trailing != NULL &&
			    q->o.trailing(q->o.arg, msg, sizeof(msg)))
				(void)put_status(q, IRK_AH_EOF, rc, 0, msg);
			else
				(void)put_status(q, IRK_AH_EOF, rc, 0, NULL);
			break;
		}
		if (rc < ARCHIVE_WARN) {
			(void)put_status(q, IRK_AH_HEADER, rc, 1, NULL);
			break;
		}
		if ((it = item(q, IRK_AH_HEADER, rc, rc != ARCHIVE_OK)) ==
		    NULL || (it->e = archive_entry_clone(q->e)) == NULL) {
			item_free(it);
			(void)put_status(q, IRK_AH_HEADER, ARCHIVE_FATAL, 0,
			    "out of memory");
			break;
		}
		if (put(q, it) != 0)
			break;
	}
	pthread_mutex_lock(&q->mu);
	q->done = 1;
	pthread_cond_signal(&q->more);	/* always: the reader may wait for it */
	pthread_mutex_unlock(&q->mu);
	return NULL;
}

int
irk_ahead_start(struct irk_ahead **out, struct archive *a,
    struct archive_entry *e, const struct irk_ahead_opts *o)
{
	struct irk_ahead *q;

	*out = NULL;
	if ((q = calloc(1, sizeof(*q))) == NULL)
		return IRK_FAIL;
	q->a = a;
	q->e = e;
	q->o = *o;
	if (archive_filter_bytes(a, -1) > 0)	/* the first header's */
		q->in = (uint64_t)archive_filter_bytes(a, -1);
	if (q->o.max_ratio == 0)
		q->o.max_ratio = 1;
	pthread_mutex_init(&q->mu, NULL);
	pthread_cond_init(&q->more, NULL);
	pthread_cond_init(&q->room, NULL);
	if (pthread_create(&q->thread, NULL, ahead_main, q) != 0) {
		pthread_mutex_destroy(&q->mu);
		pthread_cond_destroy(&q->more);
		pthread_cond_destroy(&q->room);
		free(q);
		return IRK_FAIL;
	}
	*out = q;
	return IRK_OK;
}

struct irk_ahead_item *
irk_ahead_peek(struct irk_ahead *q)
{
	struct irk_ahead_item *it;

	pthread_mutex_lock(&q->mu);
	while (q->head == NULL && !q->done) {
		q->reader_waits = 1;
		pthread_cond_wait(&q->more, &q->mu);
	}
	it = q->head;
	pthread_mutex_unlock(&q->mu);
	return it;	/* NULL: the thread ended without a last item */
}

void
irk_ahead_pop(struct irk_ahead *q)
{
	struct irk_ahead_item *it;

	pthread_mutex_lock(&q->mu);
	if ((it = q->head) != NULL) {
		q->head = it->next;
		if (q->head == NULL)
			q->tail = NULL;
		q->bytes -= it->len;
		q->items--;
		/* the thread goes on when half the room is free again */
		if (q->thread_waits && q->bytes <= AHEAD_BYTES / 2 &&
		    q->items <= AHEAD_ITEMS / 2) {
			q->thread_waits = 0;
			pthread_cond_signal(&q->room);
		}
	}
	pthread_mutex_unlock(&q->mu);
	item_free(it);
}

uint64_t
irk_ahead_in(const struct irk_ahead *q)
{
	uint64_t in;

	pthread_mutex_lock((pthread_mutex_t *)&q->mu);
	in = q->in;
	pthread_mutex_unlock((pthread_mutex_t *)&q->mu);
	return in;
}

void
irk_ahead_free(struct irk_ahead *q)
{
	struct irk_ahead_item *it;

	if (q == NULL)
		return;
	pthread_mutex_lock(&q->mu);
	q->stop = 1;
	pthread_cond_broadcast(&q->room);
	pthread_mutex_unlock(&q->mu);
	(void)pthread_join(q->thread, NULL);
	while ((it = q->head) != NULL) {
		q->head = it->next;
		item_free(it);
	}
	pthread_mutex_destroy(&q->mu);
	pthread_cond_destroy(&q->more);
	pthread_cond_destroy(&q->room);
	free(q);
}
