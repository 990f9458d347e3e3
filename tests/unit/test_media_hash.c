/*
 * test_media_hash.c - analyzer/media_hash.c's threads in an order a
 * loaded machine may run them: with split (a raw image), the MD5 thread
 * reads the media on its own and may finish before the SHA-256 reader.
 * IRK_MHASH_ALL must then wait for the SHA-256 too; it used to be ready
 * with the MD5 alone, and irk_mhash_result said "media hash not
 * finished" (a flaky "cannot hash the media" in tests/e2e/image.bats).
 *
 * The order is forced, not hoped for: this program's EVP_DigestFinal_ex
 * (found before libcrypto's) holds the SHA-256 final until the test lets
 * it go, and says when the MD5 final is done.  The oracle is libcrypto's
 * one-shot EVP_Digest over the same bytes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "media_hash.h"

#define MEDIA	(3 * 1024 * 1024 + 517)	/* 4 chunks, the last short */

static pthread_mutex_t gate_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gate_cv = PTHREAD_COND_INITIALIZER;
static int armed, md5_final, sha_go;

/* Wait on gate_cv (gate_mu held) until *flag, at most 20 s: 0 timed out. */
static int
gate_wait(const int *flag)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += 20;
	while (!*flag)
		if (pthread_cond_timedwait(&gate_cv, &gate_mu, &ts) ==
		    ETIMEDOUT)
			return *flag;
	return 1;
}

int
EVP_DigestFinal_ex(EVP_MD_CTX *ctx, unsigned char *md, unsigned int *s)
{
	static int (*real)(EVP_MD_CTX *, unsigned char *, unsigned int *);
	int size = EVP_MD_CTX_size(ctx), r;

	if (real == NULL)
		*(void **)&real = dlsym(RTLD_NEXT, "EVP_DigestFinal_ex");
	pthread_mutex_lock(&gate_mu);
	if (armed && size == 32)	/* the SHA-256 reader: held */
		(void)gate_wait(&sha_go);
	pthread_mutex_unlock(&gate_mu);
	r = real(ctx, md, s);
	pthread_mutex_lock(&gate_mu);
	if (armed && size == 16) {
		md5_final = 1;
		pthread_cond_broadcast(&gate_cv);
	}
	pthread_mutex_unlock(&gate_mu);
	return r;
}

static void
digest_hex(const unsigned char *b, size_t len, const EVP_MD *t, char *out)
{
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	assert_int_equal(EVP_Digest(b, len, d, &n, t, NULL), 1);
	irk_hex(d, n, out);
}

/*
 * A media file of MEDIA bytes (byte i: i * mul + (i >> shift)) at path
 * (a mkstemp template), its SHA-256 and MD5 (md5 may be NULL) by
 * libcrypto's one-shot digest; opened as a raw image.
 */
static TSK_IMG_INFO *
make_media(char *path, unsigned mul, unsigned shift,
    char sha[IRK_SHA256_HEX], char *md5)
{
	const char *const names[1] = { path };
	unsigned char *b = malloc(MEDIA);
	TSK_IMG_INFO *img;
	FILE *f;
	int fd;

	assert_non_null(b);
	for (size_t i = 0; i < MEDIA; i++)
		b[i] = (unsigned char)(i * mul + (i >> shift));
	digest_hex(b, MEDIA, EVP_sha256(), sha);
	if (md5 != NULL)
		digest_hex(b, MEDIA, EVP_md5(), md5);
	assert_true((fd = mkstemp(path)) >= 0);
	assert_non_null(f = fdopen(fd, "wb"));
	assert_int_equal(fwrite(b, 1, MEDIA, f), MEDIA);
	assert_int_equal(fclose(f), 0);
	free(b);
	img = tsk_img_open_utf8(1, names, TSK_IMG_TYPE_RAW, 0);
	assert_non_null(img);
	return img;
}

static void
test_md5_first(void **state)
{
	char path[] = "/tmp/irk-test-mhash.XXXXXX", sha[IRK_SHA256_HEX];
	char md5[33], want_sha[IRK_SHA256_HEX], want_md5[33];
	struct irk_mhash *h;
	struct irk_err err;
	TSK_IMG_INFO *img;
	int held;

	(void)state;
	img = make_media(path, 131, 12, want_sha, want_md5);

	pthread_mutex_lock(&gate_mu);
	armed = 1;
	pthread_mutex_unlock(&gate_mu);
	assert_int_equal(irk_mhash_start(&h, img, 1, 1, &err), IRK_OK);
	/* the MD5 thread done, the SHA-256 reader held before its final */
	pthread_mutex_lock(&gate_mu);
	held = gate_wait(&md5_final);
	pthread_mutex_unlock(&gate_mu);
	assert_true(held);
	assert_int_equal(irk_mhash_wait(h, IRK_MHASH_SHA256, 0), 0);
	/* both wanted: not ready with the MD5 alone (it was) */
	assert_int_equal(irk_mhash_wait(h, IRK_MHASH_ALL, 0), 0);
	assert_int_equal(irk_mhash_wait(h, IRK_MHASH_ALL, 50), 0);
	assert_int_equal(irk_mhash_result(h, sha, md5, &err), IRK_FAIL);
	assert_string_equal(err.msg, "media hash not finished");

	pthread_mutex_lock(&gate_mu);
	sha_go = 1;
	pthread_cond_broadcast(&gate_cv);
	pthread_mutex_unlock(&gate_mu);
	assert_int_equal(irk_mhash_wait(h, IRK_MHASH_ALL, -1), 1);
	assert_int_equal(irk_mhash_result(h, sha, md5, &err), IRK_OK);
	assert_string_equal(sha, want_sha);
	assert_string_equal(md5, want_md5);
	irk_mhash_free(h);
	pthread_mutex_lock(&gate_mu);
	armed = 0;
	pthread_mutex_unlock(&gate_mu);
	tsk_img_close(img);
	unlink(path);
}

/*
 * The SHA-256 alone (md5 0: what image wants to find a copy): no MD5
 * thread, IRK_MHASH_ALL ready with the SHA-256, the MD5 "".  Raw and
 * not split alike.
 */
static void
test_sha256_alone(void **state)
{
	char path[] = "/tmp/irk-test-mhash.XXXXXX", sha[IRK_SHA256_HEX];
	char md5[33] = "x", want_sha[IRK_SHA256_HEX];
	struct irk_mhash *h;
	struct irk_err err;
	TSK_IMG_INFO *img;

	(void)state;
	img = make_media(path, 7, 9, want_sha, NULL);
	for (int split = 0; split < 2; split++) {
		assert_int_equal(irk_mhash_start(&h, img, split, 0, &err),
		    IRK_OK);
		assert_int_equal(irk_mhash_wait(h, IRK_MHASH_ALL, -1), 1);
		assert_int_equal(irk_mhash_result(h, sha, md5, &err), IRK_OK);
		assert_string_equal(sha, want_sha);
		assert_string_equal(md5, "");
		irk_mhash_free(h);
	}
	tsk_img_close(img);
	unlink(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_md5_first),
		cmocka_unit_test(test_sha256_alone),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
