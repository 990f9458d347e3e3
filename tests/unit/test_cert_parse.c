/* test_cert_parse.c - cert_parse on in-memory data made with libcrypto. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "irkit/cert_parse.h"
#include "irkit/sha256.h"

/* A self-signed EC P-256 certificate and its key. */
static X509 *
make_cert(EVP_PKEY **keyp, long serial, const char *cn)
{
	EVP_PKEY *k = EVP_EC_gen("P-256");
	X509 *x = X509_new();
	X509_NAME *n;

	assert_non_null(k);
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), serial);
	X509_gmtime_adj(X509_getm_notBefore(x), 0);
	X509_gmtime_adj(X509_getm_notAfter(x), 86400);
	X509_set_pubkey(x, k);
	n = X509_get_subject_name(x);
	X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_UTF8,
	    (const unsigned char *)cn, -1, -1, 0);
	X509_set_issuer_name(x, n);
	assert_true(X509_sign(x, k, EVP_sha256()) > 0);
	*keyp = k;
	return x;
}

static char *
pem_of(X509 *x, EVP_PKEY *k, const char *before, const char *between)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *p, *out;
	long n;

	BIO_puts(b, before);
	if (k != NULL)
		PEM_write_bio_PrivateKey(b, k, NULL, NULL, 0, NULL, NULL);
	BIO_puts(b, between);
	PEM_write_bio_X509(b, x);
	n = BIO_get_mem_data(b, &p);
	out = malloc((size_t)n + 1);
	memcpy(out, p, (size_t)n);
	out[n] = '\0';
	BIO_free(b);
	return out;
}

static const char *
sget(json_t *r, const char *k)
{
	return json_string_value(json_object_get(r, k));
}

static void
test_from_der(void **state)
{
	EVP_PKEY *k;
	X509 *x = make_cert(&k, 10, "caf\xc3\xa9, one");
	unsigned char *der = NULL;
	char sha[IRK_SHA256_HEX];
	struct irk_err err;
	json_t *r;
	int n;

	(void)state;
	n = i2d_X509(x, &der);
	r = irk_cert_record_from_der(der, (size_t)n, "/x.der", 3, &err);
	assert_non_null(r);
	assert_string_equal(sget(r, "type"), "certificate");
	assert_string_equal(sget(r, "path"), "/x.der");
	assert_int_equal(json_integer_value(json_object_get(r, "index")), 3);
	assert_string_equal(sget(r, "subject"), "CN=caf\xc3\xa9\\, one");
	assert_string_equal(sget(r, "serial"), "0a");
	assert_string_equal(sget(r, "key_type"), "ec");
	assert_int_equal(json_integer_value(json_object_get(r, "key_bits")),
	    256);
	assert_true(json_is_true(json_object_get(r, "self_signed")));
	assert_true(json_is_false(json_object_get(r, "is_ca")));
	assert_true(json_is_false(json_object_get(r, "expired")));
	irk_sha256_hex(der, (size_t)n, sha);
	assert_string_equal(sget(r, "sha256"), sha);
	json_decref(r);
	/* truncated: refused */
	assert_null(irk_cert_record_from_der(der, (size_t)n - 10, NULL, 0,
	    &err));
	assert_null(irk_cert_record_from_der(der, 0, NULL, 0, &err));
	OPENSSL_free(der);
	X509_free(x);
	EVP_PKEY_free(k);
}

static void
test_bundle_and_link(void **state)
{
	EVP_PKEY *k;
	X509 *x = make_cert(&k, 1, "linked");
	char *pem = pem_of(x, k, "some text first\n",
	    "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n"
	    "-----END CERTIFICATE REQUEST-----\n");
	struct irk_cert_scan s;
	json_t *key, *cert;

	(void)state;
	assert_int_equal(irk_cert_scan_buf((unsigned char *)pem, strlen(pem),
	    "/b.pem", &s), 2);
	assert_true(s.has_key);
	key = json_array_get(s.records, 0);
	cert = json_array_get(s.records, 1);
	assert_string_equal(sget(key, "type"), "private_key");
	assert_string_equal(sget(key, "format"), "pkcs8");
	assert_string_equal(sget(cert, "type"), "certificate");
	/* the CSR in between is block 1 */
	assert_int_equal(json_integer_value(json_object_get(cert, "index")), 2);
	assert_string_equal(sget(key, "public_sha256"),
	    sget(cert, "public_sha256"));
	assert_int_equal(json_array_size(s.problems), 0);
	irk_cert_scan_release(&s);
	free(pem);
	X509_free(x);
	EVP_PKEY_free(k);
}

static void
scan_bad(const char *text, size_t len)
{
	struct irk_cert_scan s;

	assert_int_equal(irk_cert_scan_buf((const unsigned char *)text, len,
	    "/bad", &s), 0);
	assert_true(json_array_size(s.problems) > 0);
	irk_cert_scan_release(&s);
}

static void
test_hostile(void **state)
{
	static const char nul_jks[] = "\xfe\xed\xfe\xed\0\0\0\2\x7f\xff\xff\xff";
	static const char der[] = "\x30\x84\x7f\xff\xff\xff\x30\x82\x01\x00";
	static const char trunc[] = "\x30\x82\x03\xbf\x30\x82\x02\xa7\xa0\x03";
	struct irk_cert_scan s;

	(void)state;
	static const char *const texts[] = {
		"-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n",
		"-----BEGIN CERTIFICATE-----\nMIIBAAAA\nAAAA\nAAAA\nAAAA\n",
		"-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
		"-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----",
	};

	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		print_message("text %zu\n", i);
		scan_bad(texts[i], strlen(texts[i]));
	}
	scan_bad(nul_jks, sizeof(nul_jks) - 1);
	scan_bad(der, sizeof(der) - 1);
	scan_bad(trunc, sizeof(trunc) - 1);
	/* plain text and empty input: nothing, and nothing to say */
	assert_int_equal(irk_cert_scan_buf((const unsigned char *)"hello "
	    "world, no keys in here at all, none at all", 42, NULL, &s), 0);
	assert_int_equal(json_array_size(s.problems), 0);
	irk_cert_scan_release(&s);
	assert_int_equal(irk_cert_scan_buf(NULL, 0, NULL, &s), 0);
	irk_cert_scan_release(&s);
}

static void
put32(unsigned char **p, uint32_t v)
{
	(*p)[0] = (unsigned char)(v >> 24);
	(*p)[1] = (unsigned char)(v >> 16);
	(*p)[2] = (unsigned char)(v >> 8);
	(*p)[3] = (unsigned char)v;
	*p += 4;
}

static void
putstr(unsigned char **p, const void *s, size_t n)
{
	put32(p, (uint32_t)n);
	memcpy(*p, s, n);
	*p += n;
}

static void
test_openssh(void **state)
{
	unsigned char buf[512], pub[64], *p = buf, *q = pub;
	unsigned char raw[32];
	struct irk_err err;
	json_t *r = json_object();

	(void)state;
	memset(raw, 7, sizeof(raw));
	putstr(&q, "ssh-ed25519", 11);
	putstr(&q, raw, 32);
	memcpy(p, "openssh-key-v1", 15);
	p += 15;
	putstr(&p, "aes256-ctr", 10);
	putstr(&p, "bcrypt", 6);
	putstr(&p, "", 0);
	put32(&p, 1);
	putstr(&p, pub, (size_t)(q - pub));
	assert_int_equal(irk_cert_openssh_key(buf, (size_t)(p - buf), r,
	    &err), 0);
	assert_string_equal(sget(r, "key_type"), "ed25519");
	assert_true(json_is_true(json_object_get(r, "encrypted")));
	assert_string_equal(sget(r, "cipher"), "aes256-ctr");
	assert_int_equal(json_integer_value(json_object_get(r, "bits")), 256);
	assert_non_null(sget(r, "public_sha256"));
	/* every truncation fails cleanly */
	for (size_t n = 0; n < 15 + 14 + 10 + 4 + 4; n++)
		assert_int_equal(irk_cert_openssh_key(buf, n, r, &err), -1);
	json_decref(r);
}

static void
test_sniff(void **state)
{
	static const unsigned char jks[] = { 0xfe, 0xed, 0xfe, 0xed, 0, 0 };
	static const unsigned char der[] = { 0x30, 0x82, 0x01, 0x00, 0x30,
	    0x81, 0x10 };
	static const unsigned char bin[] = { 0x7f, 'E', 'L', 'F', 0, 1 };

	(void)state;
	assert_int_equal(irk_cert_sniff(jks, sizeof(jks), 1000),
	    IRK_CERT_SNIFF_KEYSTORE);
	assert_int_equal(irk_cert_sniff(der, sizeof(der), 260),
	    IRK_CERT_SNIFF_DER);
	assert_int_equal(irk_cert_sniff(bin, sizeof(bin), 5000),
	    IRK_CERT_SNIFF_NO);
	assert_int_equal(irk_cert_sniff((const unsigned char *)"# conf\n",
	    7, 5000), IRK_CERT_SNIFF_TEXT);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_from_der),
		cmocka_unit_test(test_bundle_and_link),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_openssh),
		cmocka_unit_test(test_sniff),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
