/*
 * cert_parse.h - certificates and private keys from bytes to records
 * (docs/certificates.md).  Pure functions: no file system, no globals;
 * OpenSSL libcrypto does the ASN.1 and key work, the few formats it does
 * not know (openssh-key-v1, Java keystores) are parsed here with every
 * length checked.
 *
 * Records are jansson objects:
 *   "certificate": path, index, subject, issuer (RFC 2253, UTF-8 kept),
 *     serial (lowercase hex), not_before, not_after, sha1, sha256 (of
 *     the DER), public_sha256 (of the SubjectPublicKeyInfo DER),
 *     key_type, key_bits, signature_algorithm, is_ca, self_signed, san,
 *     key_usage, ext_key_usage, ski, aki, expired.
 *   "private_key": path, index, format, key_type, bits, encrypted,
 *     public_sha256 (SPKI DER, so keys and certificates join), ...
 * The collector adds the file facts (owner, mode, mtime) and the links.
 */
#ifndef IRKIT_CERT_PARSE_H
#define IRKIT_CERT_PARSE_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

#include "irkit/err.h"

/*
 * One "certificate" record from a DER X.509 certificate (len bytes).
 * path (may be NULL: JSON null) and index (position in its container,
 * 0 for a lone certificate) are copied into the record.  Returns a new
 * record, or NULL with err set when der is not a certificate.  Used by
 * this collector and by the Windows certificate store collector.
 */
json_t *irk_cert_record_from_der(const unsigned char *der, size_t len,
    const char *path, int index, struct irk_err *err);

/* What irk_cert_sniff() says about a file's first bytes. */
enum {
	IRK_CERT_SNIFF_NO = 0,	/* cannot hold a certificate or key */
	IRK_CERT_SNIFF_TEXT,	/* text: may hold PEM blocks anywhere */
	IRK_CERT_SNIFF_DER,	/* one DER object sized like the file */
	IRK_CERT_SNIFF_KEYSTORE	/* Java keystore magic */
};

/*
 * Cheap look at the first n bytes of a file of size bytes: is it worth
 * reading?  Never reads past head[n - 1].
 */
int irk_cert_sniff(const unsigned char *head, size_t n, uint64_t size);

/* What one file holds. */
struct irk_cert_scan {
	json_t *records;	/* array of certificate/private_key records */
	json_t *problems;	/* array of strings: what could not be parsed */
	int has_key;		/* holds (or may hold) private key material */
};

/*
 * Recognise everything in data (a whole file, len bytes) by content:
 * PEM blocks anywhere in text (CERTIFICATE, TRUSTED CERTIFICATE,
 * PRIVATE KEY, ENCRYPTED PRIVATE KEY, RSA/EC/DSA PRIVATE KEY, OPENSSH
 * PRIVATE KEY), DER X.509, PKCS#12 (empty password only), PKCS#8 DER,
 * Java keystores (JKS, JCEKS).  path (may be NULL) goes into each
 * record.  Fills s (released with irk_cert_scan_release) and returns
 * the number of records, 0 when nothing was recognised.
 */
int irk_cert_scan_buf(const unsigned char *data, size_t len,
    const char *path, struct irk_cert_scan *s);
void irk_cert_scan_release(struct irk_cert_scan *s);

/*
 * The public key part of an openssh-key-v1 private key (the binary after
 * base64 decoding): fills rec with format "openssh", cipher, kdf, keys,
 * key_type, bits, encrypted, public_sha256.  0, or -1 with err set on
 * malformed input.  Exposed for unit tests.
 */
int irk_cert_openssh_key(const unsigned char *p, size_t len, json_t *rec,
    struct irk_err *err);

#endif
