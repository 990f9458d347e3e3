/*
 * media_hash.c - media SHA-256 and MD5 in the background, and the
 * hashes an E01 stores (see media_hash.h).
 *
 * The reader thread fills a ring of NSLOT chunks through its own TSK
 * handle and hashes each with SHA-256; the MD5 thread follows it over
 * the same chunks.  A slot is refilled only when the MD5 thread is done
 * with it, so the media is read once.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>
#include <libewf.h>
#include <tsk/libtsk.h>

#include "media_hash.h"
#include "irkit/banned.h"

#define NSLOT	8
#define CHUNK	(1U << 20)

struct irk_mhash {
	TSK_IMG_INFO *img;
	TSK_IMG_INFO *img2;	/* split: the MD5 thread's own handle */
	int split;		/* the MD5 thread reads on its own */
	pthread_t rd, md;
	int rd_started, md_started;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	unsigned char *slot[NSLOT];
	size_t len[NSLOT];
	uint64_t filled;	/* chunks read (and SHA-256 hashed) */
	uint64_t md5ed;		/* chunks MD5 hashed */
	int eof;		/* the reader is done (or failed) */
	int stop;		/* asked to stop */
	int sha_done, md5_done;
	uint64_t bytes;
	struct irk_err err;
	int failed;
	char sha256[IRK_SHA256_HEX];
	char md5[33];
};

static void *
reader(void *arg)
{
	struct irk_mhash *h = arg;
	struct irk_hash sh;
	TSK_OFF_T off = 0, size = h->img->size;
	uint64_t k = 0;
	int ok = irk_hash_init(&sh, 0) == IRK_OK;

	if (!ok) {
		pthread_mutex_lock(&h->mu);
		irk_err_set(&h->err, ENOMEM, "cannot start SHA-256");
		h->failed = 1;
	}
	while (ok && off < size) {
		size_t want = size - off > CHUNK ? CHUNK : (size_t)(size - off);
		unsigned char *buf;
		ssize_t n;

		pthread_mutex_lock(&h->mu);
		while (!h->stop && !h->split && h->md5ed + NSLOT <= k)
			pthread_cond_wait(&h->cv, &h->mu);
		if (h->stop) {
			ok = 0;
			break;	/* with the lock held */
		}
		buf = h->slot[h->split ? 0 : k % NSLOT];
		pthread_mutex_unlock(&h->mu);

		n = tsk_img_read(h->img, off, (char *)buf, want);
		if (n <= 0) {
			const char *e = tsk_error_get();

			pthread_mutex_lock(&h->mu);
			irk_err_set(&h->err, EIO, "cannot read the media at "
			    "byte %lld: %s", (long long)off, e ? e :
			    "short read");
			tsk_error_reset();
			h->failed = 1;
			ok = 0;
			break;	/* with the lock held */
		}
		irk_hash_update(&sh, buf, (size_t)n);
		off += n;
		pthread_mutex_lock(&h->mu);
		h->len[k % NSLOT] = (size_t)n;
		h->filled = ++k;
		h->bytes = (uint64_t)off;
		pthread_cond_broadcast(&h->cv);
		pthread_mutex_unlock(&h->mu);
	}
	if (ok) {
		irk_hash_final(&sh, h->sha256, NULL, NULL);
		pthread_mutex_lock(&h->mu);
		h->sha_done = 1;
	} else
		irk_hash_release(&sh);
	/* the lock is held here */
	h->eof = 1;
	pthread_cond_broadcast(&h->cv);
	pthread_mutex_unlock(&h->mu);
	return NULL;
}

/* split: the MD5 of the media read through the thread's own handle */
static void *
md5_alone(void *arg)
{
	struct irk_mhash *h = arg;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned char *buf = h->slot[1];
	TSK_OFF_T off = 0, size = h->img2->size;
	int ok = ctx != NULL && EVP_DigestInit_ex(ctx, EVP_md5(), NULL) == 1;
	char msg[256] = "cannot start MD5";

	while (ok && off < size) {
		size_t want = size - off > CHUNK ? CHUNK : (size_t)(size - off);
		ssize_t n;
		int stop;

		pthread_mutex_lock(&h->mu);
		stop = h->stop || h->failed;
		pthread_mutex_unlock(&h->mu);
		if (stop) {
			ok = 0;
			msg[0] = '\0';
			break;
		}
		n = tsk_img_read(h->img2, off, (char *)buf, want);
		if (n <= 0) {
			const char *e = tsk_error_get();

			snprintf(msg, sizeof(msg), "cannot read the media at "
			    "byte %lld: %s", (long long)off, e ? e :
			    "short read");
			tsk_error_reset();
			ok = 0;
			break;
		}
		EVP_DigestUpdate(ctx, buf, (size_t)n);
		off += n;
	}
	pthread_mutex_lock(&h->mu);
	if (ok) {
		unsigned char d[EVP_MAX_MD_SIZE];
		unsigned int dl = 0;

		if (EVP_DigestFinal_ex(ctx, d, &dl) == 1 && dl == 16) {
			irk_hex(d, 16, h->md5);
			h->md5_done = 1;
		}
	} else if (msg[0] != '\0' && !h->failed) {
		irk_err_set(&h->err, EIO, "%s", msg);
		h->failed = 1;
	}
	h->md5ed = UINT64_MAX / 2;
	pthread_cond_broadcast(&h->cv);
	pthread_mutex_unlock(&h->mu);
	EVP_MD_CTX_free(ctx);
	return NULL;
}

static void *
md5er(void *arg)
{
	struct irk_mhash *h = arg;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	uint64_t k = 0;
	int ok = ctx != NULL && EVP_DigestInit_ex(ctx, EVP_md5(), NULL) == 1;

	pthread_mutex_lock(&h->mu);
	if (!ok) {
		irk_err_set(&h->err, ENOMEM, "cannot start MD5");
		h->failed = 1;
	}
	while (ok) {
		unsigned char *buf;
		size_t len;

		while (!h->stop && k >= h->filled && !h->eof)
			pthread_cond_wait(&h->cv, &h->mu);
		if (h->stop || h->failed || k >= h->filled)
			break;
		buf = h->slot[k % NSLOT];
		len = h->len[k % NSLOT];
		pthread_mutex_unlock(&h->mu);
		EVP_DigestUpdate(ctx, buf, len);
		pthread_mutex_lock(&h->mu);
		h->md5ed = ++k;
		pthread_cond_broadcast(&h->cv);
	}
	if (ok && h->sha_done && k == h->filled) {
		unsigned char d[EVP_MAX_MD_SIZE];
		unsigned int dl = 0;

		if (EVP_DigestFinal_ex(ctx, d, &dl) == 1 && dl == 16) {
			irk_hex(d, 16, h->md5);
			h->md5_done = 1;
		}
	}
	/* md5_done stays 0 on failure or stop: waiters look at eof/failed */
	h->md5ed = UINT64_MAX / 2;	/* never blocks the reader again */
	pthread_cond_broadcast(&h->cv);
	pthread_mutex_unlock(&h->mu);
	EVP_MD_CTX_free(ctx);
	return NULL;
}

int
irk_mhash_start(struct irk_mhash **out, const TSK_IMG_INFO *img, int split,
    int md5, struct irk_err *err)
{
	struct irk_mhash *h;

	*out = NULL;
	if ((h = calloc(1, sizeof(*h))) == NULL) {
		irk_err_set(err, ENOMEM, "out of memory");
		return IRK_FAIL;
	}
	pthread_mutex_init(&h->mu, NULL);
	pthread_cond_init(&h->cv, NULL);
	for (int i = 0; i < NSLOT; i++)
		if ((h->slot[i] = malloc(CHUNK)) == NULL) {
			irk_err_set(err, ENOMEM, "out of memory");
			goto fail;
		}
	h->img = tsk_img_open_utf8(img->num_img,
	    (const char *const *)img->images, img->itype, img->sector_size);
	if (h->img == NULL) {
		const char *e = tsk_error_get();

		irk_err_set(err, 0, "cannot open the image again: %s",
		    e ? e : "unknown");
		tsk_error_reset();
		goto fail;
	}
	h->split = split || !md5;	/* no MD5 thread to wait for */
	if (!md5)
		h->md5ed = UINT64_MAX / 2;
	if (split && md5 && (h->img2 = tsk_img_open_utf8(img->num_img,
	    (const char *const *)img->images, img->itype,
	    img->sector_size)) == NULL) {
		const char *e = tsk_error_get();

		irk_err_set(err, 0, "cannot open the image again: %s",
		    e ? e : "unknown");
		tsk_error_reset();
		goto fail;
	}
	if (pthread_create(&h->rd, NULL, reader, h) != 0) {
		irk_err_set(err, errno, "cannot start a thread");
		goto fail;
	}
	h->rd_started = 1;
	if (!md5) {
		*out = h;
		return IRK_OK;
	}
	if (pthread_create(&h->md, NULL, split ? md5_alone : md5er, h) != 0) {
		irk_err_set(err, errno, "cannot start a thread");
		goto fail;
	}
	h->md_started = 1;
	*out = h;
	return IRK_OK;
fail:
	irk_mhash_free(h);
	return IRK_FAIL;
}

/*
 * Each side is ready when its thread is done, finished or failed: the
 * reader sets eof (after sha_done), the MD5 thread md5ed = UINT64_MAX / 2
 * (after md5_done).  IRK_MHASH_ALL needs both: with split the MD5 thread
 * reads on its own and may end first on a loaded machine.
 */
static int
ready(struct irk_mhash *h, int what)
{
	if (!h->eof)
		return 0;
	return what == IRK_MHASH_SHA256 || h->md5ed == UINT64_MAX / 2;
}

int
irk_mhash_wait(struct irk_mhash *h, int what, int timeout_ms)
{
	struct timespec ts;
	int r;

	clock_gettime(CLOCK_REALTIME, &ts);
	if (timeout_ms > 0) {
		ts.tv_sec += timeout_ms / 1000;
		ts.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
	}
	pthread_mutex_lock(&h->mu);
	while (!(r = ready(h, what)) && timeout_ms != 0) {
		if (timeout_ms < 0)
			pthread_cond_wait(&h->cv, &h->mu);
		else if (pthread_cond_timedwait(&h->cv, &h->mu, &ts) ==
		    ETIMEDOUT)
			break;
	}
	r = ready(h, what);
	pthread_mutex_unlock(&h->mu);
	return r;
}

uint64_t
irk_mhash_done(struct irk_mhash *h, uint64_t *total)
{
	uint64_t n;

	pthread_mutex_lock(&h->mu);
	n = h->bytes;
	pthread_mutex_unlock(&h->mu);
	if (total != NULL)
		*total = (uint64_t)h->img->size;
	return n;
}

int
irk_mhash_result(struct irk_mhash *h, char sha256[IRK_SHA256_HEX],
    char md5[33], struct irk_err *err)
{
	int r = IRK_OK;

	pthread_mutex_lock(&h->mu);
	if (h->failed || !h->sha_done) {
		if (h->failed)
			*err = h->err;
		else
			irk_err_set(err, 0, "media hash not finished");
		r = IRK_FAIL;
	} else {
		memcpy(sha256, h->sha256, IRK_SHA256_HEX);
		if (md5 != NULL)
			memcpy(md5, h->md5_done ? h->md5 : "", h->md5_done ?
			    33 : 1);
	}
	pthread_mutex_unlock(&h->mu);
	return r;
}

void
irk_mhash_free(struct irk_mhash *h)
{
	if (h == NULL)
		return;
	pthread_mutex_lock(&h->mu);
	h->stop = 1;
	pthread_cond_broadcast(&h->cv);
	pthread_mutex_unlock(&h->mu);
	if (h->rd_started)
		pthread_join(h->rd, NULL);
	if (h->md_started)
		pthread_join(h->md, NULL);
	if (h->img != NULL)
		tsk_img_close(h->img);
	if (h->img2 != NULL)
		tsk_img_close(h->img2);
	for (int i = 0; i < NSLOT; i++)
		free(h->slot[i]);
	pthread_cond_destroy(&h->cv);
	pthread_mutex_destroy(&h->mu);
	free(h);
}

/* A stored hash value as lowercase hex of exactly len digits, or "". */
static void
stored(libewf_handle_t *eh, const char *id, char *out, size_t len)
{
	uint8_t v[128];
	libewf_error_t *e = NULL;
	size_t i;

	out[0] = '\0';
	if (libewf_handle_get_utf8_hash_value(eh, (const uint8_t *)id,
	    strlen(id), v, sizeof(v), &e) != 1) {
		libewf_error_free(&e);
		return;
	}
	for (i = 0; i < len && v[i] != '\0'; i++) {
		char ch = (char)v[i];

		if (ch >= 'A' && ch <= 'F')
			ch = (char)(ch - 'A' + 'a');
		if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f')))
			return;
		out[i] = ch;
	}
	if (i != len || v[i] != '\0')
		return;
	out[len] = '\0';
	/* an acquisition that stored no hash may leave zeros */
	if (strspn(out, "0") == len)
		out[0] = '\0';
}

int
irk_ewf_stored_hashes(const TSK_IMG_INFO *img, char md5[33], char sha1[41],
    struct irk_err *err)
{
	libewf_handle_t *eh = NULL;
	libewf_error_t *e = NULL;
	int r = IRK_FAIL;

	md5[0] = sha1[0] = '\0';
	if (libewf_handle_initialize(&eh, &e) != 1)
		goto out;
	if (libewf_handle_open(eh, (char *const *)img->images, img->num_img,
	    LIBEWF_OPEN_READ, &e) != 1)
		goto out;
	stored(eh, "MD5", md5, 32);
	stored(eh, "SHA1", sha1, 40);
	(void)libewf_handle_close(eh, NULL);
	r = IRK_OK;
out:
	if (r != IRK_OK) {
		char msg[256] = "";

		if (e != NULL)
			(void)libewf_error_sprint(e, msg, sizeof(msg));
		irk_err_set(err, 0, "libewf cannot open the image: %s",
		    msg[0] ? msg : "unknown error");
	}
	libewf_error_free(&e);
	libewf_handle_free(&eh, NULL);
	return r;
}
