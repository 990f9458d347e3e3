/*
 * cert_parse.c - certificates and private keys from bytes to records
 * (see cert_parse.h and docs/certificates.md).
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/param_build.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "irkit/cert_parse.h"
#include "irkit/json.h"
#include "irkit/sha256.h"
#include "irkit/timeutil.h"
#include "irkit/banned.h"

#define MAX_PEM_BLOCKS	100000	/* per file */
#define MAX_LABEL	64
#define MAX_NAME_TEXT	(64 * 1024)
#define MAX_SSH_KEYS	16
#define MAX_JKS_ENTRIES	100000
#define MAX_DER		(16u << 20)

/* ---- small helpers ---------------------------------------------------- */

static void
set_hex(json_t *rec, const char *key, const unsigned char *p, size_t n)
{
	char *h;

	if (p == NULL || n == 0 || n > 4096) {
		json_object_set_new(rec, key, json_null());
		return;
	}
	if ((h = malloc(2 * n + 1)) == NULL)
		return;
	irk_hex(p, n, h);
	irk_json_set_str(rec, key, h);
	free(h);
}

/* The text a BIO holds, as a JSON string (bounded). */
static json_t *
bio_string(BIO *b)
{
	char *p = NULL;
	long n = BIO_get_mem_data(b, &p);

	if (n <= 0 || p == NULL)
		return json_string("");
	if (n > MAX_NAME_TEXT)
		n = MAX_NAME_TEXT;
	return irk_json_strn(p, (size_t)n);
}

/* RFC 2253, but UTF-8 kept as UTF-8 (openssl -nameopt RFC2253,-esc_msb). */
static json_t *
name_json(const X509_NAME *name)
{
	BIO *b = BIO_new(BIO_s_mem());
	json_t *j;

	if (b == NULL)
		return json_null();
	if (X509_NAME_print_ex(b, name, 0,
	    XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) < 0) {
		BIO_free(b);
		return json_null();
	}
	j = bio_string(b);
	BIO_free(b);
	return j;
}

/* Hex as "openssl x509 -serial" prints it, lowercased. */
static json_t *
serial_json(const ASN1_INTEGER *s)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *p = NULL, *t;
	long n;
	json_t *j;

	if (b == NULL || s == NULL) {
		BIO_free(b);
		return json_null();
	}
	if (i2a_ASN1_INTEGER(b, s) < 0 ||
	    (n = BIO_get_mem_data(b, &p)) <= 0 || n > 4096) {
		BIO_free(b);
		return json_null();
	}
	if ((t = malloc((size_t)n + 1)) == NULL) {
		BIO_free(b);
		return json_null();
	}
	for (long i = 0; i < n; i++)
		t[i] = (char)tolower((unsigned char)p[i]);
	t[n] = '\0';
	j = irk_json_strn(t, (size_t)n);
	free(t);
	BIO_free(b);
	return j;
}

static int
asn1_time_us(const ASN1_TIME *t, int64_t *us)
{
	struct tm tm;

	if (t == NULL || ASN1_TIME_to_tm(t, &tm) != 1)
		return -1;
	*us = irk_timegm(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
	    tm.tm_hour, tm.tm_min, tm.tm_sec) * 1000000;
	return 0;
}

static const char *
key_type_name(const EVP_PKEY *pk)
{
	switch (EVP_PKEY_get_base_id(pk)) {
	case EVP_PKEY_RSA: return "rsa";
	case EVP_PKEY_RSA_PSS: return "rsa-pss";
	case EVP_PKEY_EC: return "ec";
	case EVP_PKEY_DSA: return "dsa";
	case EVP_PKEY_ED25519: return "ed25519";
	case EVP_PKEY_ED448: return "ed448";
	case EVP_PKEY_X25519: return "x25519";
	case EVP_PKEY_X448: return "x448";
	case EVP_PKEY_DH: return "dh";
	case EVP_PKEY_SM2: return "sm2";
	default: return NULL;
	}
}

/* key_type, key_bits (or bits_key), curve and public_sha256 of pk. */
static void
set_pkey(json_t *rec, EVP_PKEY *pk, const char *bits_key)
{
	unsigned char *der = NULL;
	char sha[IRK_SHA256_HEX], group[80];
	const char *t;
	size_t gl = 0;
	int n;

	if (pk == NULL)
		return;
	t = key_type_name(pk);
	if (t == NULL)
		t = EVP_PKEY_get0_type_name(pk);
	irk_json_set_str(rec, "key_type", t);
	if ((n = EVP_PKEY_get_bits(pk)) > 0)
		irk_json_set_int(rec, bits_key, n);
	if (EVP_PKEY_get_base_id(pk) == EVP_PKEY_EC &&
	    EVP_PKEY_get_group_name(pk, group, sizeof(group), &gl) == 1)
		irk_json_set_str(rec, "curve", group);
	if ((n = i2d_PUBKEY(pk, &der)) > 0) {
		irk_sha256_hex(der, (size_t)n, sha);
		irk_json_set_str(rec, "public_sha256", sha);
	}
	OPENSSL_free(der);
}

/* ---- certificates ---------------------------------------------------- */

static const char *const ku_names[] = {
	"digitalSignature", "nonRepudiation", "keyEncipherment",
	"dataEncipherment", "keyAgreement", "keyCertSign", "cRLSign",
	"encipherOnly"
};

static json_t *
key_usage_json(X509 *x)
{
	json_t *a = json_array();
	uint32_t ku = X509_get_key_usage(x);

	if (ku == UINT32_MAX)
		return a;	/* no keyUsage extension */
	for (int i = 0; i < 8; i++)
		if (ku & (0x80u >> i))
			json_array_append_new(a, json_string(ku_names[i]));
	if (ku & 0x8000u)
		json_array_append_new(a, json_string("decipherOnly"));
	return a;
}

static json_t *
obj_json(const ASN1_OBJECT *o)
{
	char txt[128];
	int nid = OBJ_obj2nid(o);

	if (nid != NID_undef)
		return json_string(OBJ_nid2sn(nid));
	if (OBJ_obj2txt(txt, sizeof(txt), o, 1) <= 0)
		return json_string("?");
	return json_string(txt);
}

static json_t *
eku_json(X509 *x)
{
	EXTENDED_KEY_USAGE *eku;
	json_t *a = json_array();

	eku = X509_get_ext_d2i(x, NID_ext_key_usage, NULL, NULL);
	if (eku == NULL)
		return a;
	for (int i = 0; i < sk_ASN1_OBJECT_num(eku); i++)
		json_array_append_new(a, obj_json(sk_ASN1_OBJECT_value(eku, i)));
	sk_ASN1_OBJECT_pop_free(eku, ASN1_OBJECT_free);
	return a;
}

static json_t *
prefixed(const char *pfx, const ASN1_STRING *s)
{
	char buf[1024];
	int n = ASN1_STRING_length(s);
	size_t pl = strlen(pfx);

	if (n < 0)
		n = 0;
	if ((size_t)n > sizeof(buf) - pl - 1)
		n = (int)(sizeof(buf) - pl - 1);
	memcpy(buf, pfx, pl);
	memcpy(buf + pl, ASN1_STRING_get0_data(s), (size_t)n);
	return irk_json_strn(buf, pl + (size_t)n);
}

static json_t *
san_json(X509 *x)
{
	GENERAL_NAMES *gens;
	json_t *a = json_array();
	char ip[INET6_ADDRSTRLEN + 8], t[INET6_ADDRSTRLEN];

	gens = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
	if (gens == NULL)
		return a;
	for (int i = 0; i < sk_GENERAL_NAME_num(gens); i++) {
		const GENERAL_NAME *g = sk_GENERAL_NAME_value(gens, i);
		const ASN1_OCTET_STRING *o;
		json_t *v = NULL;

		switch (g->type) {
		case GEN_DNS:
			v = prefixed("DNS:", g->d.dNSName);
			break;
		case GEN_EMAIL:
			v = prefixed("email:", g->d.rfc822Name);
			break;
		case GEN_URI:
			v = prefixed("URI:", g->d.uniformResourceIdentifier);
			break;
		case GEN_IPADD:
			o = g->d.iPAddress;
			if (ASN1_STRING_length(o) == 4 &&
			    inet_ntop(AF_INET, ASN1_STRING_get0_data(o), t,
			    sizeof(t)) != NULL) {
				(void)snprintf(ip, sizeof(ip), "IP:%s", t);
				v = json_string(ip);
			} else if (ASN1_STRING_length(o) == 16 &&
			    inet_ntop(AF_INET6, ASN1_STRING_get0_data(o), t,
			    sizeof(t)) != NULL) {
				(void)snprintf(ip, sizeof(ip), "IP:%s", t);
				v = json_string(ip);
			} else
				v = json_string("IP:?");
			break;
		case GEN_DIRNAME: {
			json_t *n = name_json(g->d.directoryName);
			char *s = NULL;

			if (json_is_string(n) && asprintf(&s, "DirName:%s",
			    json_string_value(n)) >= 0)
				v = irk_json_str(s);
			free(s);
			json_decref(n);
			break;
		}
		case GEN_RID: {
			json_t *o2 = obj_json(g->d.registeredID);
			char *s = NULL;

			if (asprintf(&s, "RID:%s", json_string_value(o2)) >= 0)
				v = irk_json_str(s);
			free(s);
			json_decref(o2);
			break;
		}
		case GEN_OTHERNAME: {
			json_t *o2 = obj_json(g->d.otherName->type_id);
			char *s = NULL;

			if (asprintf(&s, "othername:%s",
			    json_string_value(o2)) >= 0)
				v = irk_json_str(s);
			free(s);
			json_decref(o2);
			break;
		}
		default:
			v = json_string("other:?");
			break;
		}
		if (v != NULL)
			json_array_append_new(a, v);
	}
	GENERAL_NAMES_free(gens);
	return a;
}

static json_t *
cert_record(X509 *x, const char *path, int index)
{
	json_t *rec = irk_record_new("certificate");
	unsigned char md[EVP_MAX_MD_SIZE], *spki = NULL;
	unsigned int mdl;
	char sha[IRK_SHA256_HEX], sig[128];
	const ASN1_OCTET_STRING *ski;
	const ASN1_OCTET_STRING *aki;
	int64_t nb, na;
	int nid, n;

	if (rec == NULL)
		return NULL;
	irk_json_set_str(rec, "path", path);
	irk_json_set_int(rec, "index", index);
	json_object_set_new(rec, "subject",
	    name_json(X509_get_subject_name(x)));
	json_object_set_new(rec, "issuer", name_json(X509_get_issuer_name(x)));
	json_object_set_new(rec, "serial",
	    serial_json(X509_get0_serialNumber(x)));
	if (asn1_time_us(X509_get0_notBefore(x), &nb) == 0)
		irk_json_set_time(rec, "not_before", nb);
	else
		json_object_set_new(rec, "not_before", json_null());
	if (asn1_time_us(X509_get0_notAfter(x), &na) == 0) {
		irk_json_set_time(rec, "not_after", na);
		irk_json_set_bool(rec, "expired", na < irk_now_us());
	} else {
		json_object_set_new(rec, "not_after", json_null());
		json_object_set_new(rec, "expired", json_null());
	}
	if (X509_digest(x, EVP_sha1(), md, &mdl) == 1)
		set_hex(rec, "sha1", md, mdl);
	if (X509_digest(x, EVP_sha256(), md, &mdl) == 1)
		set_hex(rec, "sha256", md, mdl);
	/* the public key: SPKI DER digest joins certificates and keys */
	if ((n = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(x), &spki)) > 0) {
		irk_sha256_hex(spki, (size_t)n, sha);
		irk_json_set_str(rec, "public_sha256", sha);
	}
	OPENSSL_free(spki);
	set_pkey(rec, X509_get0_pubkey(x), "key_bits");
	if (json_object_get(rec, "key_type") == NULL) {
		ASN1_OBJECT *alg = NULL;

		if (X509_PUBKEY_get0_param(&alg, NULL, NULL, NULL,
		    X509_get_X509_PUBKEY(x)) == 1 && alg != NULL)
			json_object_set_new(rec, "key_type", obj_json(alg));
	}
	nid = X509_get_signature_nid(x);
	if (nid != NID_undef)
		irk_json_set_str(rec, "signature_algorithm", OBJ_nid2ln(nid));
	else {
		const X509_ALGOR *a = NULL;
		const ASN1_OBJECT *o = NULL;

		X509_get0_signature(NULL, &a, x);
		if (a != NULL)
			X509_ALGOR_get0(&o, NULL, NULL, a);
		if (o != NULL && OBJ_obj2txt(sig, sizeof(sig), o, 1) > 0)
			irk_json_set_str(rec, "signature_algorithm", sig);
	}
	irk_json_set_bool(rec, "is_ca",
	    (X509_get_extension_flags(x) & EXFLAG_CA) != 0);
	irk_json_set_bool(rec, "self_signed", X509_self_signed(x, 1) == 1);
	json_object_set_new(rec, "san", san_json(x));
	json_object_set_new(rec, "key_usage", key_usage_json(x));
	json_object_set_new(rec, "ext_key_usage", eku_json(x));
	ski = X509_get0_subject_key_id(x);
	if (ski != NULL)
		set_hex(rec, "ski", ASN1_STRING_get0_data(ski),
		    (size_t)ASN1_STRING_length(ski));
	else
		json_object_set_new(rec, "ski", json_null());
	aki = X509_get0_authority_key_id(x);
	if (aki != NULL)
		set_hex(rec, "aki", ASN1_STRING_get0_data(aki),
		    (size_t)ASN1_STRING_length(aki));
	else
		json_object_set_new(rec, "aki", json_null());
	ERR_clear_error();
	return rec;
}

json_t *
irk_cert_record_from_der(const unsigned char *der, size_t len,
    const char *path, int index, struct irk_err *err)
{
	const unsigned char *p = der;
	X509 *x;
	json_t *rec;

	if (der == NULL || len == 0 || len > MAX_DER) {
		irk_err_set(err, 0, "not a certificate (%zu bytes)", len);
		return NULL;
	}
	x = d2i_X509(NULL, &p, (long)len);
	ERR_clear_error();
	if (x == NULL) {
		irk_err_set(err, 0, "not a DER X.509 certificate");
		return NULL;
	}
	rec = cert_record(x, path, index);
	X509_free(x);
	if (rec == NULL)
		irk_err_set(err, 0, "out of memory");
	return rec;
}

/* ---- scan results ---------------------------------------------------- */

static void
problem(struct irk_cert_scan *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
problem(struct irk_cert_scan *s, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	json_array_append_new(s->problems, irk_json_str(msg));
}

static void
add(struct irk_cert_scan *s, json_t *rec)
{
	if (rec == NULL)
		return;
	if (strcmp(json_string_value(json_object_get(rec, "type")),
	    "private_key") == 0)
		s->has_key = 1;
	json_array_append_new(s->records, rec);
}

static json_t *
key_record(const char *path, int index, const char *format)
{
	json_t *rec = irk_record_new("private_key");

	irk_json_set_str(rec, "path", path);
	irk_json_set_int(rec, "index", index);
	irk_json_set_str(rec, "format", format);
	return rec;
}

static void
add_x509(struct irk_cert_scan *s, X509 *x, const char *path, int index)
{
	add(s, cert_record(x, path, index));
}

/* ---- OpenSSH keys ---------------------------------------------------- */

struct rd {
	const unsigned char *p;
	size_t n;
};

static int
rd_u32(struct rd *r, uint32_t *v)
{
	if (r->n < 4)
		return -1;
	*v = (uint32_t)r->p[0] << 24 | (uint32_t)r->p[1] << 16 |
	    (uint32_t)r->p[2] << 8 | r->p[3];
	r->p += 4;
	r->n -= 4;
	return 0;
}

static int
rd_str(struct rd *r, const unsigned char **s, size_t *len)
{
	uint32_t l;

	if (rd_u32(r, &l) != 0 || l > r->n)
		return -1;
	*s = r->p;
	*len = l;
	r->p += l;
	r->n -= l;
	return 0;
}

static int
str_is(const unsigned char *s, size_t n, const char *lit)
{
	return n == strlen(lit) && memcmp(s, lit, n) == 0;
}

static BIGNUM *
rd_mpint(struct rd *r)
{
	const unsigned char *s;
	size_t n;

	if (rd_str(r, &s, &n) != 0 || n > 2048 || (n > 0 && (s[0] & 0x80)))
		return NULL;
	return BN_bin2bn(s, (int)n, NULL);
}

static EVP_PKEY *
pkey_fromdata(const char *alg, OSSL_PARAM_BLD *bld)
{
	OSSL_PARAM *params = OSSL_PARAM_BLD_to_param(bld);
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, alg, NULL);
	EVP_PKEY *pk = NULL;

	if (params != NULL && ctx != NULL && EVP_PKEY_fromdata_init(ctx) == 1)
		(void)EVP_PKEY_fromdata(ctx, &pk, EVP_PKEY_PUBLIC_KEY, params);
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	return pk;
}

/* An EVP_PKEY from an SSH public key blob, or NULL. */
static EVP_PKEY *
ssh_pubkey(const unsigned char *blob, size_t len, json_t *rec)
{
	struct rd r = { blob, len };
	const unsigned char *t, *s, *q;
	size_t tl, sl, ql;
	OSSL_PARAM_BLD *bld = NULL;
	BIGNUM *bn[4] = { NULL, NULL, NULL, NULL };
	EVP_PKEY *pk = NULL;
	const char *group = NULL;

	if (rd_str(&r, &t, &tl) != 0 || tl == 0 || tl > 64)
		return NULL;
	irk_json_set_strn(rec, "ssh_key_type", (const char *)t, tl);
	if ((bld = OSSL_PARAM_BLD_new()) == NULL)
		return NULL;
	if (str_is(t, tl, "ssh-rsa")) {
		if ((bn[0] = rd_mpint(&r)) == NULL ||
		    (bn[1] = rd_mpint(&r)) == NULL)
			goto out;
		if (OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E,
		    bn[0]) == 1 && OSSL_PARAM_BLD_push_BN(bld,
		    OSSL_PKEY_PARAM_RSA_N, bn[1]) == 1)
			pk = pkey_fromdata("RSA", bld);
	} else if (str_is(t, tl, "ssh-dss")) {
		for (int i = 0; i < 4; i++)
			if ((bn[i] = rd_mpint(&r)) == NULL)
				goto out;
		if (OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_FFC_P,
		    bn[0]) == 1 && OSSL_PARAM_BLD_push_BN(bld,
		    OSSL_PKEY_PARAM_FFC_Q, bn[1]) == 1 &&
		    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_FFC_G,
		    bn[2]) == 1 && OSSL_PARAM_BLD_push_BN(bld,
		    OSSL_PKEY_PARAM_PUB_KEY, bn[3]) == 1)
			pk = pkey_fromdata("DSA", bld);
	} else if (str_is(t, tl, "ssh-ed25519")) {
		if (rd_str(&r, &s, &sl) == 0 && sl == 32)
			pk = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519,
			    NULL, s, sl);
	} else if (str_is(t, tl, "ssh-ed448")) {
		if (rd_str(&r, &s, &sl) == 0 && sl == 57)
			pk = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED448,
			    NULL, s, sl);
	} else if (tl > 11 && memcmp(t, "ecdsa-sha2-", 11) == 0) {
		if (rd_str(&r, &s, &sl) != 0 || rd_str(&r, &q, &ql) != 0)
			goto out;
		if (str_is(s, sl, "nistp256"))
			group = "P-256";
		else if (str_is(s, sl, "nistp384"))
			group = "P-384";
		else if (str_is(s, sl, "nistp521"))
			group = "P-521";
		if (group != NULL && OSSL_PARAM_BLD_push_utf8_string(bld,
		    OSSL_PKEY_PARAM_GROUP_NAME, group, 0) == 1 &&
		    OSSL_PARAM_BLD_push_octet_string(bld,
		    OSSL_PKEY_PARAM_PUB_KEY, q, ql) == 1)
			pk = pkey_fromdata("EC", bld);
	}
out:
	for (int i = 0; i < 4; i++)
		BN_free(bn[i]);
	OSSL_PARAM_BLD_free(bld);
	ERR_clear_error();
	return pk;
}

int
irk_cert_openssh_key(const unsigned char *p, size_t len, json_t *rec,
    struct irk_err *err)
{
	static const char magic[] = "openssh-key-v1";	/* and its NUL */
	struct rd r;
	const unsigned char *cipher, *kdf, *opts, *pub;
	size_t cl, kl, ol, pl;
	uint32_t nkeys;
	EVP_PKEY *pk;

	if (len < sizeof(magic) || memcmp(p, magic, sizeof(magic)) != 0) {
		irk_err_set(err, 0, "no openssh-key-v1 magic");
		return -1;
	}
	r.p = p + sizeof(magic);
	r.n = len - sizeof(magic);
	if (rd_str(&r, &cipher, &cl) != 0 || cl == 0 || cl > 64 ||
	    rd_str(&r, &kdf, &kl) != 0 || kl > 64 ||
	    rd_str(&r, &opts, &ol) != 0 || rd_u32(&r, &nkeys) != 0) {
		irk_err_set(err, 0, "truncated openssh-key-v1 header");
		return -1;
	}
	if (nkeys == 0 || nkeys > MAX_SSH_KEYS) {
		irk_err_set(err, 0, "openssh-key-v1 with %u keys", nkeys);
		return -1;
	}
	if (rd_str(&r, &pub, &pl) != 0) {
		irk_err_set(err, 0, "truncated openssh-key-v1 public key");
		return -1;
	}
	irk_json_set_str(rec, "format", "openssh");
	irk_json_set_strn(rec, "cipher", (const char *)cipher, cl);
	irk_json_set_strn(rec, "kdf", (const char *)kdf, kl);
	irk_json_set_int(rec, "keys", nkeys);
	irk_json_set_bool(rec, "encrypted", !str_is(cipher, cl, "none"));
	pk = ssh_pubkey(pub, pl, rec);
	if (pk != NULL) {
		set_pkey(rec, pk, "bits");
		EVP_PKEY_free(pk);
	} else {
		json_t *t = json_object_get(rec, "ssh_key_type");

		irk_json_set_str(rec, "key_type", json_is_string(t) ?
		    json_string_value(t) : NULL);
	}
	return 0;
}

/* ---- PEM -------------------------------------------------------------- */

static const unsigned char *
find(const unsigned char *hay, size_t n, const char *needle)
{
	return memmem(hay, n, needle, strlen(needle));
}

/* Base64 body (PEM headers skipped) into a new buffer; -1 on bad input. */
static int
pem_decode(const unsigned char *body, size_t n, unsigned char **out,
    size_t *outlen)
{
	EVP_ENCODE_CTX *ctx;
	unsigned char *buf;
	int l1 = 0, l2 = 0, r = -1;

	if (n > INT32_MAX / 2)
		return -1;
	if ((buf = malloc(n / 4 * 3 + 80)) == NULL)
		return -1;
	if ((ctx = EVP_ENCODE_CTX_new()) == NULL) {
		free(buf);
		return -1;
	}
	EVP_DecodeInit(ctx);
	if (EVP_DecodeUpdate(ctx, buf, &l1, body, (int)n) >= 0 &&
	    EVP_DecodeFinal(ctx, buf + l1, &l2) == 1 && l1 + l2 > 0) {
		*out = buf;
		*outlen = (size_t)(l1 + l2);
		buf = NULL;
		r = 0;
	}
	EVP_ENCODE_CTX_free(ctx);
	free(buf);
	return r;
}

static void
traditional_key(struct irk_cert_scan *s, const char *path, int index,
    const char *label, int type, const unsigned char *der, size_t len)
{
	const char *fmt = type == EVP_PKEY_RSA ? "pkcs1" :
	    type == EVP_PKEY_EC ? "sec1" : "traditional";
	const unsigned char *p = der;
	EVP_PKEY *pk = d2i_PrivateKey(type, NULL, &p, (long)len);
	json_t *rec;

	ERR_clear_error();
	if (pk == NULL) {
		problem(s, "PEM block %d '%s': not a valid key", index, label);
		return;
	}
	rec = key_record(path, index, fmt);
	irk_json_set_bool(rec, "encrypted", 0);
	set_pkey(rec, pk, "bits");
	EVP_PKEY_free(pk);
	add(s, rec);
}

static void
pkcs8_key(struct irk_cert_scan *s, const char *path, int index,
    const unsigned char *der, size_t len, int quiet)
{
	const unsigned char *p = der;
	PKCS8_PRIV_KEY_INFO *p8;
	EVP_PKEY *pk = NULL;
	json_t *rec;

	p8 = d2i_PKCS8_PRIV_KEY_INFO(NULL, &p, (long)len);
	if (p8 != NULL)
		pk = EVP_PKCS82PKEY(p8);
	PKCS8_PRIV_KEY_INFO_free(p8);
	ERR_clear_error();
	if (pk == NULL) {
		if (!quiet)
			problem(s, "block %d: not a valid PKCS#8 key", index);
		return;
	}
	rec = key_record(path, index, "pkcs8");
	irk_json_set_bool(rec, "encrypted", 0);
	set_pkey(rec, pk, "bits");
	EVP_PKEY_free(pk);
	add(s, rec);
}

static int
pkcs8_encrypted(struct irk_cert_scan *s, const char *path, int index,
    const unsigned char *der, size_t len)
{
	const unsigned char *p = der;
	X509_SIG *sig = d2i_X509_SIG(NULL, &p, (long)len);
	const X509_ALGOR *alg = NULL;
	const ASN1_OBJECT *o = NULL;
	json_t *rec;

	ERR_clear_error();
	if (sig == NULL)
		return -1;
	rec = key_record(path, index, "pkcs8");
	irk_json_set_bool(rec, "encrypted", 1);
	json_object_set_new(rec, "key_type", json_null());
	X509_SIG_get0(sig, &alg, NULL);
	if (alg != NULL) {
		X509_ALGOR_get0(&o, NULL, NULL, alg);
		if (o != NULL)
			json_object_set_new(rec, "encryption", obj_json(o));
	}
	X509_SIG_free(sig);
	add(s, rec);
	return 0;
}

static void
pem_block(struct irk_cert_scan *s, const char *path, int index,
    const char *label, const unsigned char *body, size_t n)
{
	const unsigned char *hdr_end, *b64 = body, *pp;
	unsigned char *der = NULL;
	size_t dl, bl = n;
	int encrypted = 0;
	char dek[64] = "";
	X509 *x;
	json_t *rec;
	int type;

	/* RFC 1421 headers ("Proc-Type: 4,ENCRYPTED", "DEK-Info: ...") */
	if (find(body, n > 200 ? 200 : n, ":") != NULL &&
	    ((hdr_end = find(body, n, "\n\n")) != NULL ||
	    (hdr_end = find(body, n, "\r\n\r\n")) != NULL)) {
		size_t hl = (size_t)(hdr_end - body);
		const unsigned char *d;

		encrypted = find(body, hl, "Proc-Type:") != NULL &&
		    find(body, hl, "ENCRYPTED") != NULL;
		if ((d = find(body, hl, "DEK-Info:")) != NULL) {
			size_t i = 0;

			d += 9;
			while (d < body + hl && *d == ' ')
				d++;
			while (d < body + hl && i < sizeof(dek) - 1 &&
			    *d != ',' && *d != '\r' && *d != '\n')
				dek[i++] = (char)*d++;
			dek[i] = '\0';
		}
		b64 = hdr_end;
		bl = n - hl;
	}
	if (strcmp(label, "RSA PRIVATE KEY") == 0)
		type = EVP_PKEY_RSA;
	else if (strcmp(label, "EC PRIVATE KEY") == 0)
		type = EVP_PKEY_EC;
	else if (strcmp(label, "DSA PRIVATE KEY") == 0)
		type = EVP_PKEY_DSA;
	else
		type = EVP_PKEY_NONE;
	if (encrypted && type != EVP_PKEY_NONE) {
		rec = key_record(path, index, type == EVP_PKEY_RSA ? "pkcs1" :
		    type == EVP_PKEY_EC ? "sec1" : "traditional");
		irk_json_set_bool(rec, "encrypted", 1);
		irk_json_set_str(rec, "key_type", type == EVP_PKEY_RSA ?
		    "rsa" : type == EVP_PKEY_EC ? "ec" : "dsa");
		if (dek[0] != '\0')
			irk_json_set_str(rec, "encryption", dek);
		add(s, rec);
		return;
	}
	if (strcmp(label, "CERTIFICATE") != 0 &&
	    strcmp(label, "X509 CERTIFICATE") != 0 &&
	    strcmp(label, "TRUSTED CERTIFICATE") != 0 &&
	    strcmp(label, "PRIVATE KEY") != 0 &&
	    strcmp(label, "ENCRYPTED PRIVATE KEY") != 0 &&
	    strcmp(label, "OPENSSH PRIVATE KEY") != 0 &&
	    type == EVP_PKEY_NONE)
		return;		/* CSRs, CRLs, public keys, parameters */
	if (pem_decode(b64, bl, &der, &dl) != 0) {
		problem(s, "PEM block %d '%s': bad base64", index, label);
		return;
	}
	if (strcmp(label, "TRUSTED CERTIFICATE") == 0) {
		pp = der;
		x = d2i_X509_AUX(NULL, &pp, (long)dl);
		if (x == NULL)
			problem(s, "PEM block %d '%s': not a valid certificate",
			    index, label);
		else
			add_x509(s, x, path, index);
		X509_free(x);
	} else if (strcmp(label, "CERTIFICATE") == 0 ||
	    strcmp(label, "X509 CERTIFICATE") == 0) {
		pp = der;
		x = d2i_X509(NULL, &pp, (long)dl);
		if (x == NULL)
			problem(s, "PEM block %d '%s': not a valid certificate",
			    index, label);
		else
			add_x509(s, x, path, index);
		X509_free(x);
	} else if (strcmp(label, "PRIVATE KEY") == 0) {
		pkcs8_key(s, path, index, der, dl, 0);
	} else if (strcmp(label, "ENCRYPTED PRIVATE KEY") == 0) {
		if (pkcs8_encrypted(s, path, index, der, dl) != 0)
			problem(s, "PEM block %d '%s': not a valid encrypted "
			    "PKCS#8 key", index, label);
	} else if (strcmp(label, "OPENSSH PRIVATE KEY") == 0) {
		struct irk_err err;

		rec = key_record(path, index, "openssh");
		if (irk_cert_openssh_key(der, dl, rec, &err) != 0) {
			problem(s, "PEM block %d '%s': %s", index, label,
			    err.msg);
			json_decref(rec);
		} else
			add(s, rec);
	} else
		traditional_key(s, path, index, label, type, der, dl);
	ERR_clear_error();
	free(der);
}

/* Labels this parser turns into records. */
static int
pem_wanted(const char *label)
{
	static const char *const wanted[] = {
		"CERTIFICATE", "X509 CERTIFICATE", "TRUSTED CERTIFICATE",
		"PRIVATE KEY", "ENCRYPTED PRIVATE KEY", "RSA PRIVATE KEY",
		"EC PRIVATE KEY", "DSA PRIVATE KEY", "OPENSSH PRIVATE KEY",
		NULL
	};

	for (int i = 0; wanted[i] != NULL; i++)
		if (strcmp(label, wanted[i]) == 0)
			return 1;
	return 0;
}

static void
scan_pem(const unsigned char *data, size_t len, const char *path,
    struct irk_cert_scan *s)
{
	size_t pos = 0;
	int index = 0;

	while (pos < len && index < MAX_PEM_BLOCKS) {
		const unsigned char *b, *lab, *le, *body, *end;
		char label[MAX_LABEL + 1], endmark[MAX_LABEL + 16];
		size_t ll;

		if ((b = find(data + pos, len - pos, "-----BEGIN ")) == NULL)
			break;
		lab = b + 11;
		le = find(lab, (size_t)(data + len - lab) < MAX_LABEL + 5 ?
		    (size_t)(data + len - lab) : MAX_LABEL + 5, "-----");
		if (le == NULL || memchr(lab, '\n', (size_t)(le - lab)) ||
		    le == lab) {
			pos = (size_t)(lab - data);
			continue;
		}
		ll = (size_t)(le - lab);
		memcpy(label, lab, ll);
		label[ll] = '\0';
		body = le + 5;
		(void)snprintf(endmark, sizeof(endmark), "-----END %s-----",
		    label);
		if ((end = find(body, (size_t)(data + len - body), endmark)) ==
		    NULL) {
			if (pem_wanted(label))
				problem(s, "PEM block %d '%s' has no END line",
				    index, label);
			pos = (size_t)(body - data);
			index++;
			continue;
		}
		pem_block(s, path, index, label, body, (size_t)(end - body));
		index++;
		pos = (size_t)(end - data) + strlen(endmark);
	}
	if (index >= MAX_PEM_BLOCKS)
		problem(s, "more than %d PEM blocks: the rest is ignored",
		    MAX_PEM_BLOCKS);
}

/* ---- DER, PKCS#12 ------------------------------------------------------ */

/* Total length of the DER TLV at p (tag 0x30), or 0 if it cannot be one. */
static uint64_t
der_total(const unsigned char *p, size_t n)
{
	uint64_t l = 0;
	size_t k;

	if (n < 2 || p[0] != 0x30)
		return 0;
	if (p[1] < 0x80)
		return (uint64_t)p[1] + 2;
	k = p[1] & 0x7f;
	if (k == 0 || k > 4 || n < 2 + k)
		return 0;
	for (size_t i = 0; i < k; i++)
		l = l << 8 | p[2 + i];
	return l + 2 + k;
}

static void
pkcs12(struct irk_cert_scan *s, PKCS12 *p12, const char *path)
{
	EVP_PKEY *pk = NULL;
	X509 *x = NULL;
	STACK_OF(X509) *ca = NULL;
	json_t *rec;
	int index = 0;

	if (PKCS12_mac_present(p12) && !PKCS12_verify_mac(p12, "", 0) &&
	    !PKCS12_verify_mac(p12, NULL, 0)) {
		rec = key_record(path, 0, "pkcs12");
		irk_json_set_bool(rec, "encrypted", 1);
		json_object_set_new(rec, "key_type", json_null());
		add(s, rec);
		ERR_clear_error();
		return;
	}
	if (PKCS12_parse(p12, "", &pk, &x, &ca) != 1) {
		rec = key_record(path, 0, "pkcs12");
		json_object_set_new(rec, "encrypted", json_null());
		json_object_set_new(rec, "key_type", json_null());
		irk_json_set_str(rec, "note", "empty password accepted but "
		    "the contents could not be decrypted (legacy algorithm?)");
		add(s, rec);
		problem(s, "PKCS#12: cannot decrypt with the empty password");
		ERR_clear_error();
		return;
	}
	if (x != NULL)
		add_x509(s, x, path, index++);
	for (int i = 0; i < sk_X509_num(ca); i++)
		add_x509(s, sk_X509_value(ca, i), path, index++);
	if (pk != NULL) {
		rec = key_record(path, index, "pkcs12");
		irk_json_set_bool(rec, "encrypted", 0);
		irk_json_set_str(rec, "note", "protected by the empty password");
		set_pkey(rec, pk, "bits");
		add(s, rec);
	}
	EVP_PKEY_free(pk);
	X509_free(x);
	sk_X509_pop_free(ca, X509_free);
	ERR_clear_error();
}

static void
scan_der(const unsigned char *data, size_t len, const char *path,
    struct irk_cert_scan *s)
{
	uint64_t total = der_total(data, len);
	const unsigned char *p;
	X509 *x;
	PKCS12 *p12;
	EVP_PKEY *pk;
	json_t *rec;

	if (total == 0)
		return;
	if (total > MAX_DER) {
		problem(s, "DER length field says %llu bytes: not examined",
		    (unsigned long long)total);
		return;
	}
	if (total > len) {
		problem(s, "truncated DER: header says %llu bytes, file has "
		    "%zu", (unsigned long long)total, len);
		return;
	}
	len = (size_t)total;
	p = data;
	if ((x = d2i_X509(NULL, &p, (long)len)) != NULL) {
		add_x509(s, x, path, 0);
		X509_free(x);
		ERR_clear_error();
		return;
	}
	p = data;
	if ((p12 = d2i_PKCS12(NULL, &p, (long)len)) != NULL) {
		pkcs12(s, p12, path);
		PKCS12_free(p12);
		return;
	}
	ERR_clear_error();
	pkcs8_key(s, path, 0, data, len, 1);
	if (json_array_size(s->records) > 0)
		return;
	if (pkcs8_encrypted(s, path, 0, data, len) == 0)
		return;
	p = data;
	if ((pk = d2i_AutoPrivateKey(NULL, &p, (long)len)) != NULL) {
		rec = key_record(path, 0, EVP_PKEY_get_base_id(pk) ==
		    EVP_PKEY_RSA ? "pkcs1" : EVP_PKEY_get_base_id(pk) ==
		    EVP_PKEY_EC ? "sec1" : "traditional");
		irk_json_set_bool(rec, "encrypted", 0);
		set_pkey(rec, pk, "bits");
		EVP_PKEY_free(pk);
		add(s, rec);
	}
	ERR_clear_error();
}

/* ---- Java keystores ---------------------------------------------------- */

static int
rd_utf(struct rd *r, const unsigned char **s, size_t *n)
{
	size_t l;

	if (r->n < 2)
		return -1;
	l = (size_t)r->p[0] << 8 | r->p[1];
	if (l > r->n - 2)
		return -1;
	*s = r->p + 2;
	*n = l;
	r->p += 2 + l;
	r->n -= 2 + l;
	return 0;
}

static int
rd_skip(struct rd *r, size_t n)
{
	if (n > r->n)
		return -1;
	r->p += n;
	r->n -= n;
	return 0;
}

/* One certificate of a keystore; its record, or NULL. */
static json_t *
jks_cert(struct rd *r, uint32_t version, const char *path, int index,
    const unsigned char *alias, size_t al)
{
	const unsigned char *ct, *der;
	size_t ctl;
	uint32_t dl;
	json_t *rec;

	if (version == 2 && rd_utf(r, &ct, &ctl) != 0)
		return NULL;
	if (rd_u32(r, &dl) != 0 || dl > r->n)
		return NULL;
	der = r->p;
	r->p += dl;
	r->n -= dl;
	rec = irk_cert_record_from_der(der, dl, path, index, NULL);
	if (rec == NULL) {
		/* not X.509 (or broken): keep going, say nothing more */
		return json_null();
	}
	irk_json_set_strn(rec, "keystore_alias", (const char *)alias, al);
	return rec;
}

static void
scan_jks(const unsigned char *data, size_t len, const char *path,
    struct irk_cert_scan *s)
{
	struct rd r = { data, len };
	uint32_t magic, version, count;
	const char *fmt;
	int index = 0, keys = 0;
	json_t *rec;

	if (rd_u32(&r, &magic) != 0 || rd_u32(&r, &version) != 0 ||
	    rd_u32(&r, &count) != 0) {
		problem(s, "truncated Java keystore header");
		return;
	}
	fmt = magic == 0xcecececeu ? "jceks" : "jks";
	if (version != 1 && version != 2) {
		problem(s, "Java keystore version %u", version);
		return;
	}
	if (count > MAX_JKS_ENTRIES) {
		problem(s, "Java keystore claims %u entries", count);
		return;
	}
	for (uint32_t e = 0; e < count; e++) {
		const unsigned char *alias;
		size_t al;
		uint32_t tag, kl, chain;
		json_t *c;

		if (rd_u32(&r, &tag) != 0 || rd_utf(&r, &alias, &al) != 0 ||
		    rd_skip(&r, 8) != 0)
			goto bad;
		if (tag == 1) {
			rec = key_record(path, index, fmt);
			irk_json_set_strn(rec, "keystore_alias",
			    (const char *)alias, al);
			irk_json_set_bool(rec, "encrypted", 1);
			if (rd_u32(&r, &kl) != 0 || rd_skip(&r, kl) != 0 ||
			    rd_u32(&r, &chain) != 0 || chain > 1000) {
				json_decref(rec);
				goto bad;
			}
			for (uint32_t i = 0; i < chain; i++) {
				if ((c = jks_cert(&r, version, path, ++index,
				    alias, al)) == NULL) {
					json_decref(rec);
					goto bad;
				}
				if (i == 0 && json_is_object(c)) {
					/* the key's public half is the leaf's */
					json_object_set(rec, "key_type",
					    json_object_get(c, "key_type"));
					json_object_set(rec, "bits",
					    json_object_get(c, "key_bits"));
					json_object_set(rec, "public_sha256",
					    json_object_get(c,
					    "public_sha256"));
				}
				if (json_is_object(c))
					add(s, c);
				else
					json_decref(c);
			}
			add(s, rec);
			keys++;
			index++;
		} else if (tag == 2) {
			if ((c = jks_cert(&r, version, path, index, alias,
			    al)) == NULL)
				goto bad;
			if (json_is_object(c))
				add(s, c);
			else
				json_decref(c);
			index++;
		} else {
			/* JCEKS secret keys are serialized Java objects */
			rec = key_record(path, index, fmt);
			irk_json_set_strn(rec, "keystore_alias",
			    (const char *)alias, al);
			irk_json_set_bool(rec, "encrypted", 1);
			irk_json_set_str(rec, "note", tag == 3 ?
			    "secret key entry; later entries not parsed" :
			    "unknown entry; later entries not parsed");
			irk_json_set_int(rec, "keystore_entries", count);
			add(s, rec);
			return;
		}
	}
	(void)keys;
	return;
bad:
	problem(s, "malformed %s keystore (entry %d of %u)", fmt, index,
	    count);
	rec = key_record(path, index, fmt);
	json_object_set_new(rec, "encrypted", json_null());
	irk_json_set_int(rec, "keystore_entries", count);
	irk_json_set_str(rec, "note", "keystore could not be fully parsed");
	add(s, rec);
}

/* ---- entry points ------------------------------------------------------ */

int
irk_cert_sniff(const unsigned char *head, size_t n, uint64_t size)
{
	uint64_t total;

	if (n >= 4 && ((head[0] == 0xfe && head[1] == 0xed &&
	    head[2] == 0xfe && head[3] == 0xed) || (head[0] == 0xce &&
	    head[1] == 0xce && head[2] == 0xce && head[3] == 0xce)))
		return IRK_CERT_SNIFF_KEYSTORE;
	if (n >= 7 && head[0] == 0x30 && head[1] >= 0x81 && head[1] <= 0x84) {
		total = der_total(head, n);
		/* SEQUENCE { SEQUENCE | INTEGER ... }, about the file's size */
		if (total > 0 && size >= 4 &&
		    (head[2 + (head[1] & 0x7f)] == 0x30 ||
		    head[2 + (head[1] & 0x7f)] == 0x02) &&
		    total + 64 >= size)
			return IRK_CERT_SNIFF_DER;
	}
	if (size < 40 || n == 0)
		return IRK_CERT_SNIFF_NO;	/* too small for any PEM */
	if (memchr(head, '\0', n) != NULL)
		return IRK_CERT_SNIFF_NO;
	return IRK_CERT_SNIFF_TEXT;
}

int
irk_cert_scan_buf(const unsigned char *data, size_t len, const char *path,
    struct irk_cert_scan *s)
{
	memset(s, 0, sizeof(*s));
	s->records = json_array();
	s->problems = json_array();
	if (data == NULL || len == 0)
		return 0;
	switch (irk_cert_sniff(data, len < 4096 ? len : 4096, len)) {
	case IRK_CERT_SNIFF_KEYSTORE:
		scan_jks(data, len, path, s);
		break;
	case IRK_CERT_SNIFF_DER:
		scan_der(data, len, path, s);
		break;
	case IRK_CERT_SNIFF_TEXT:
		scan_pem(data, len, path, s);
		break;
	default:
		break;
	}
	ERR_clear_error();
	return (int)json_array_size(s->records);
}

void
irk_cert_scan_release(struct irk_cert_scan *s)
{
	json_decref(s->records);
	json_decref(s->problems);
	s->records = s->problems = NULL;
}
