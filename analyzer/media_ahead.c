/*
 * media_ahead.c - a batch's media hashes on a thread of their own (see
 * media_ahead.h).
 *
 * The thread takes the images in the order they were added: it opens
 * one with its own TSK handle, reads the media in 1 MiB chunks and
 * hashes them with the digests the image's slot wants (the SHA-256,
 * about twice as fast as the MD5 with SHA-NI, unless the comparison
 * needs the MD5), stores them, or the failure, in the slot and
 * wakes the loader.  It waits for more until irk_mahead_close().  A
 * loader that wants an image the thread has not finished hashes one
 * itself meanwhile (that one if not started, else the next not
 * started), so when hashing is the longer work both cores do it.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <tsk/libtsk.h>

#include "media_ahead.h"
#include "irkit/sha256.h"
#include "irkit/banned.h"

#define CHUNK	(1U << 20)

enum { PENDING, RUNNING, DONE, FAILED, DROPPED };

struct slot {
	const char *path;
	TSK_IMG_TYPE_ENUM type;
	int state;
	int want;		/* IRK_MAHEAD_*, or-ed */
	char sha256[65];
	char md5[33];
};

struct irk_mahead {
	pthread_t th;
	int started;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int stop, closed;
	size_t n, max;
	struct slot *s;
};

static int
stopped(struct irk_mahead *a)
{
	int stop;

	pthread_mutex_lock(&a->mu);
	stop = a->stop;
	pthread_mutex_unlock(&a->mu);
	return stop;
}

/*
 * The digests of want of one image's media, in one read: 0, or -1
 * (unreadable, or stopped).
 */
static int
hash_one(struct irk_mahead *a, const char *path, TSK_IMG_TYPE_ENUM type,
    int want, unsigned char *buf, char sha256[65], char md5[33])
{
	const char *one[1] = { path };
	TSK_IMG_INFO *img;
	struct irk_hash h;
	TSK_OFF_T off = 0;
	int ok;

	if ((img = tsk_img_open_utf8(1, one, type, 0)) == NULL) {
		tsk_error_reset();
		return -1;
	}
	/* the MD5 alone, the SHA-256 alone, or both (with a SHA-1) */
	ok = (want == IRK_MAHEAD_MD5 ? irk_hash_init_md5(&h) :
	    irk_hash_init(&h, (want & IRK_MAHEAD_MD5) != 0)) == IRK_OK;
	while (ok && off < img->size) {
		size_t want_n = img->size - off > CHUNK ? CHUNK :
		    (size_t)(img->size - off);
		ssize_t got;

		if (stopped(a))
			ok = 0;
		else if ((got = tsk_img_read(img, off, (char *)buf,
		    want_n)) <= 0) {
			tsk_error_reset();
			ok = 0;
		} else {
			irk_hash_update(&h, buf, (size_t)got);
			off += got;
		}
	}
	sha256[0] = md5[0] = '\0';
	if (ok)
		irk_hash_final(&h, sha256, md5, NULL);
	else
		irk_hash_release(&h);
	tsk_img_close(img);
	return ok ? 0 : -1;
}

/* Hash slot s, claimed (RUNNING) by the caller; the lock held, kept. */
static void
run_one(struct irk_mahead *a, struct slot *s, unsigned char *buf)
{
	const char *path = s->path;
	TSK_IMG_TYPE_ENUM type = s->type;
	int want = s->want;
	char sha256[65], md5[33];
	int r;

	pthread_mutex_unlock(&a->mu);
	r = buf != NULL ? hash_one(a, path, type, want, buf, sha256, md5) :
	    -1;
	pthread_mutex_lock(&a->mu);
	if (r == 0) {
		memcpy(s->sha256, sha256, sizeof(sha256));
		memcpy(s->md5, md5, sizeof(md5));
	}
	s->state = r == 0 ? DONE : FAILED;
	pthread_cond_broadcast(&a->cv);
}

/* The thread: the first image not started, in order, until closed. */
static void *
hasher(void *arg)
{
	struct irk_mahead *a = arg;
	unsigned char *buf = malloc(CHUNK);

	pthread_mutex_lock(&a->mu);
	for (;;) {
		struct slot *s = NULL;

		for (size_t i = 0; i < a->n && s == NULL; i++)
			if (a->s[i].state == PENDING)
				s = &a->s[i];
		if (a->stop || (s == NULL && a->closed))
			break;
		if (s == NULL) {
			pthread_cond_wait(&a->cv, &a->mu);
			continue;
		}
		s->state = RUNNING;
		run_one(a, s, buf);
	}
	/* stopped: nothing is left waiting */
	for (size_t i = 0; i < a->n; i++)
		if (a->s[i].state == PENDING)
			a->s[i].state = FAILED;
	pthread_cond_broadcast(&a->cv);
	pthread_mutex_unlock(&a->mu);
	free(buf);
	return NULL;
}

int
irk_mahead_start(struct irk_mahead **out, size_t max, struct irk_err *err)
{
	struct irk_mahead *a;

	*out = NULL;
	if ((a = calloc(1, sizeof(*a))) == NULL ||
	    (a->s = calloc(max > 0 ? max : 1, sizeof(*a->s))) == NULL) {
		free(a);
		irk_err_set(err, ENOMEM, "out of memory");
		return IRK_FAIL;
	}
	a->max = max;
	pthread_mutex_init(&a->mu, NULL);
	pthread_cond_init(&a->cv, NULL);
	if (pthread_create(&a->th, NULL, hasher, a) != 0) {
		irk_err_set(err, errno, "cannot start a thread");
		irk_mahead_free(a);
		return IRK_FAIL;
	}
	a->started = 1;
	*out = a;
	return IRK_OK;
}

/* The slot of path (any state), or NULL; with the lock held. */
static struct slot *
find(struct irk_mahead *a, const char *path)
{
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->s[i].path, path) == 0)
			return &a->s[i];
	return NULL;
}

void
irk_mahead_add(struct irk_mahead *a, const char *path, TSK_IMG_TYPE_ENUM type,
    int want)
{
	struct slot *s;

	if (a == NULL)
		return;
	pthread_mutex_lock(&a->mu);
	if ((s = find(a, path)) != NULL) {
		if (s->state == PENDING)
			s->want |= want;
	} else if (a->n < a->max && !a->closed) {
		a->s[a->n].path = path;
		a->s[a->n].type = type;
		a->s[a->n].want = want;
		a->s[a->n++].state = PENDING;
		pthread_cond_broadcast(&a->cv);
	}
	pthread_mutex_unlock(&a->mu);
}

void
irk_mahead_drop(struct irk_mahead *a, const char *path)
{
	struct slot *s;

	if (a == NULL)
		return;
	pthread_mutex_lock(&a->mu);
	if ((s = find(a, path)) != NULL && s->state == PENDING)
		s->state = DROPPED;
	pthread_mutex_unlock(&a->mu);
}

int
irk_mahead_has(struct irk_mahead *a, const char *path)
{
	struct slot *s;
	int r;

	if (a == NULL)
		return 0;
	pthread_mutex_lock(&a->mu);
	r = (s = find(a, path)) != NULL && s->state != DROPPED;
	pthread_mutex_unlock(&a->mu);
	return r;
}

void
irk_mahead_close(struct irk_mahead *a)
{
	if (a == NULL)
		return;
	pthread_mutex_lock(&a->mu);
	a->closed = 1;
	pthread_cond_broadcast(&a->cv);
	pthread_mutex_unlock(&a->mu);
}

int
irk_mahead_get(struct irk_mahead *a, const char *path, int what, char *out)
{
	unsigned char *buf = NULL;
	struct slot *s;
	int r;

	if (a == NULL)
		return 0;
	pthread_mutex_lock(&a->mu);
	if ((s = find(a, path)) == NULL || s->state == DROPPED ||
	    !(s->want & what)) {
		pthread_mutex_unlock(&a->mu);
		return 0;
	}
	/*
	 * The thread is behind (hashing a disk takes longer than loading a
	 * small one): rather than wait, the caller hashes too, this image
	 * if the thread has not started it, else the next one not started
	 * (which it will want next), so that both cores hash.
	 */
	while (s->state == PENDING || s->state == RUNNING) {
		struct slot *o = s->state == PENDING ? s : NULL;

		for (size_t i = 0; i < a->n && o == NULL; i++)
			if (a->s[i].state == PENDING)
				o = &a->s[i];
		if (o == NULL) {
			pthread_cond_wait(&a->cv, &a->mu);
			continue;
		}
		if (buf == NULL && (buf = malloc(CHUNK)) == NULL)
			break;		/* waits for the thread instead */
		o->state = RUNNING;
		run_one(a, o, buf);
	}
	while (s->state == RUNNING)
		pthread_cond_wait(&a->cv, &a->mu);
	free(buf);
	r = s->state == DONE ? 1 : -1;
	if (r == 1 && what == IRK_MAHEAD_MD5)
		memcpy(out, s->md5, 33);
	else if (r == 1)
		memcpy(out, s->sha256, 65);
	pthread_mutex_unlock(&a->mu);
	return r;
}

void
irk_mahead_free(struct irk_mahead *a)
{
	if (a == NULL)
		return;
	if (a->started) {
		pthread_mutex_lock(&a->mu);
		a->stop = 1;
		pthread_cond_broadcast(&a->cv);
		pthread_mutex_unlock(&a->mu);
		pthread_join(a->th, NULL);
	}
	pthread_mutex_destroy(&a->mu);
	pthread_cond_destroy(&a->cv);
	free(a->s);
	free(a);
}
