/* sha256.c - digests through libcrypto EVP (see irkit/sha256.h). */
#include <string.h>
#include <openssl/evp.h>

#include "irkit/err.h"
#include "irkit/sha256.h"
#include "irkit/banned.h"

void
irk_hex(const unsigned char *in, size_t len, char *out)
{
	static const char hexd[] = "0123456789abcdef";

	for (size_t i = 0; i < len; i++) {
		out[2 * i] = hexd[in[i] >> 4];
		out[2 * i + 1] = hexd[in[i] & 15];
	}
	out[2 * len] = '\0';
}

static void *
start(const EVP_MD *md)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();

	if (ctx != NULL && EVP_DigestInit_ex(ctx, md, NULL) != 1) {
		EVP_MD_CTX_free(ctx);
		ctx = NULL;
	}
	return ctx;
}

int
irk_hash_init(struct irk_hash *h, int with_md5_sha1)
{
	memset(h, 0, sizeof(*h));
	if ((h->sha256 = start(EVP_sha256())) == NULL)
		return IRK_FAIL;
	if (with_md5_sha1) {
		h->md5 = start(EVP_md5());
		h->sha1 = start(EVP_sha1());
		if (h->md5 == NULL || h->sha1 == NULL) {
			irk_hash_release(h);
			return IRK_FAIL;
		}
	}
	return IRK_OK;
}

int
irk_hash_init_md5(struct irk_hash *h)
{
	memset(h, 0, sizeof(*h));
	if ((h->md5 = start(EVP_md5())) == NULL)
		return IRK_FAIL;
	return IRK_OK;
}

void
irk_hash_update(struct irk_hash *h, const void *data, size_t len)
{
	if (h->sha256 != NULL)
		EVP_DigestUpdate(h->sha256, data, len);
	if (h->md5 != NULL)
		EVP_DigestUpdate(h->md5, data, len);
	if (h->sha1 != NULL)
		EVP_DigestUpdate(h->sha1, data, len);
}

static void
finish(void *ctx, char *out)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	if (ctx == NULL)
		return;
	if (out != NULL && EVP_DigestFinal_ex(ctx, md, &n) == 1)
		irk_hex(md, n, out);
}

void
irk_hash_final(struct irk_hash *h, char sha256[IRK_SHA256_HEX], char md5[33],
    char sha1[41])
{
	finish(h->sha256, sha256);
	finish(h->md5, md5);
	finish(h->sha1, sha1);
	irk_hash_release(h);
}

void
irk_hash_release(struct irk_hash *h)
{
	EVP_MD_CTX_free(h->sha256);
	EVP_MD_CTX_free(h->md5);
	EVP_MD_CTX_free(h->sha1);
	memset(h, 0, sizeof(*h));
}

void
irk_sha256_hex(const void *data, size_t len, char out[IRK_SHA256_HEX])
{
	unsigned char md[32];
	unsigned int n = 0;

	if (EVP_Digest(data, len, md, &n, EVP_sha256(), NULL) == 1)
		irk_hex(md, n, out);
	else
		out[0] = '\0';
}
