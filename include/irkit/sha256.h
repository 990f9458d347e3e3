/*
 * sha256.h - SHA-256 (and MD5, SHA-1 for IOC matching) through OpenSSL
 * libcrypto's EVP interface.  Digests are reported as lowercase hex.
 */
#ifndef IRKIT_SHA256_H
#define IRKIT_SHA256_H

#include <stddef.h>

#define IRK_SHA256_HEX 65	/* 64 hex digits and the NUL */

struct irk_hash {
	void *sha256;		/* EVP_MD_CTX * */
	void *md5;		/* NULL unless asked for */
	void *sha1;
};

/* with_md5_sha1: 1 to compute MD5 and SHA-1 alongside. */
int irk_hash_init(struct irk_hash *h, int with_md5_sha1);
/* MD5 alone (package digests): irk_hash_final gives no SHA-256. */
int irk_hash_init_md5(struct irk_hash *h);
void irk_hash_update(struct irk_hash *h, const void *data, size_t len);
/*
 * Writes hex digests; md5/sha1 may be NULL (a digest not computed is
 * left as it was).  Releases the contexts.
 */
void irk_hash_final(struct irk_hash *h, char sha256[IRK_SHA256_HEX],
    char md5[33], char sha1[41]);
void irk_hash_release(struct irk_hash *h);

/* One-shot SHA-256 of a buffer. */
void irk_sha256_hex(const void *data, size_t len, char out[IRK_SHA256_HEX]);

/* Lowercase hex of len bytes into out (2*len+1 bytes). */
void irk_hex(const unsigned char *in, size_t len, char *out);

#endif
