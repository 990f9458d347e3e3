/*
 * ssh_parse.c - OpenSSH's authorized_keys, known_hosts and sshd_config
 * lines and public key blobs (ssh_parse.h).
 */
#include <stdint.h>
#include <stdlib.h>
#include <strings.h>
#include <string.h>
#include <openssl/evp.h>

#include "ssh_parse.h"
#include "irkit/json.h"
#include "irkit/banned.h"

#define KEY_BLOB_MAX	(64u << 10)
#define OPTIONS_MAX	64

static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Base64 (RFC 4648, padding optional) into out (len / 4 * 3 + 3
 * bytes); -1 on a character out of the alphabet. */
static int
b64_decode(const char *s, size_t len, unsigned char *out, size_t *outlen)
{
	uint32_t acc = 0;
	size_t i, n = 0, bits = 0, pad = 0;
	const char *p;

	for (i = 0; i < len; i++) {
		if (s[i] == '=') {
			pad++;
			continue;
		}
		if (pad > 0 || s[i] == '\0' || (p = strchr(b64, s[i])) == NULL)
			return -1;
		acc = acc << 6 | (uint32_t)(p - b64);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[n++] = (unsigned char)(acc >> bits);
		}
	}
	if (pad > 2)
		return -1;
	*outlen = n;
	return 0;
}

struct rd {
	const unsigned char *p;
	size_t n;
};

static int
rd_str(struct rd *r, const unsigned char **s, size_t *len)
{
	uint32_t l;

	if (r->n < 4)
		return -1;
	l = (uint32_t)r->p[0] << 24 | (uint32_t)r->p[1] << 16 |
	    (uint32_t)r->p[2] << 8 | r->p[3];
	if (l > r->n - 4)
		return -1;
	*s = r->p + 4;
	*len = l;
	r->p += 4 + l;
	r->n -= 4 + l;
	return 0;
}

static int
is(const unsigned char *s, size_t n, const char *lit)
{
	return n == strlen(lit) && memcmp(s, lit, n) == 0;
}

/* The bits of an mpint (the next string), -1 if none. */
static int
mpint_bits(struct rd *r)
{
	const unsigned char *s;
	size_t n;
	int b;

	if (rd_str(r, &s, &n) != 0)
		return -1;
	while (n > 0 && s[0] == 0) {
		s++;
		n--;
	}
	if (n == 0 || n > 8192)
		return n == 0 ? 0 : -1;
	for (b = 8; b > 0 && !(s[0] & (1u << (b - 1))); b--)
		;
	return (int)(n - 1) * 8 + b;
}

int
irk_ssh_key_bits(const unsigned char *blob, size_t len, const char *type,
    size_t typelen)
{
	struct rd r = { blob, len };
	const unsigned char *t, *s;
	size_t tl, sl;
	int cert;

	if (rd_str(&r, &t, &tl) != 0 || tl != typelen ||
	    memcmp(t, type, tl) != 0)
		return -1;
	cert = tl > 21 && memcmp(t + tl - 21, "-cert-v01@openssh.com", 21) == 0;
	if (cert) {
		tl -= 21;
		if (rd_str(&r, &s, &sl) != 0)	/* the nonce */
			return -1;
	}
	if (is(t, tl, "ssh-rsa")) {
		if (mpint_bits(&r) < 0)		/* e */
			return -1;
		return mpint_bits(&r);		/* n */
	}
	if (is(t, tl, "ssh-dss"))
		return mpint_bits(&r);		/* p */
	if (is(t, tl, "ssh-ed25519") || is(t, tl, "sk-ssh-ed25519@openssh.com"))
		return rd_str(&r, &s, &sl) == 0 && sl == 32 ? 256 : -1;
	if (tl > 11 && (memcmp(t, "ecdsa-sha2-", 11) == 0 ||
	    is(t, tl, "sk-ecdsa-sha2-nistp256@openssh.com"))) {
		if (rd_str(&r, &s, &sl) != 0)
			return -1;
		if (is(s, sl, "nistp256"))
			return 256;
		if (is(s, sl, "nistp384"))
			return 384;
		if (is(s, sl, "nistp521"))
			return 521;
		return -1;
	}
	return -1;
}

void
irk_ssh_fingerprint(const unsigned char *blob, size_t len, char out[64])
{
	unsigned char md[32];
	unsigned int mdlen = 0;
	size_t i, n = 7;
	uint32_t acc = 0;
	int bits = 0;

	memcpy(out, "SHA256:", 7);
	if (EVP_Digest(blob, len, md, &mdlen, EVP_sha256(), NULL) != 1 ||
	    mdlen != 32) {
		out[0] = '\0';
		return;
	}
	for (i = 0; i < 32; i++) {
		acc = acc << 8 | md[i];
		bits += 8;
		while (bits >= 6) {
			bits -= 6;
			out[n++] = b64[(acc >> bits) & 63];
		}
	}
	if (bits > 0)
		out[n++] = b64[(acc << (6 - bits)) & 63];
	out[n] = '\0';
}

static const char *const key_types[] = {
	"ssh-rsa", "ssh-dss", "ssh-ed25519", "ecdsa-sha2-nistp256",
	"ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521",
	"sk-ecdsa-sha2-nistp256@openssh.com", "sk-ssh-ed25519@openssh.com",
	"ssh-rsa-cert-v01@openssh.com", "ssh-dss-cert-v01@openssh.com",
	"ssh-ed25519-cert-v01@openssh.com",
	"ecdsa-sha2-nistp256-cert-v01@openssh.com",
	"ecdsa-sha2-nistp384-cert-v01@openssh.com",
	"ecdsa-sha2-nistp521-cert-v01@openssh.com",
	"sk-ecdsa-sha2-nistp256-cert-v01@openssh.com",
	"sk-ssh-ed25519-cert-v01@openssh.com",
	NULL,
};

static int
key_type(const char *s, size_t len)
{
	for (int i = 0; key_types[i] != NULL; i++)
		if (is((const unsigned char *)s, len, key_types[i]))
			return 1;
	return 0;
}

static size_t
skip_space(const char *s, size_t i, size_t len)
{
	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i;
}

static size_t
token_end(const char *s, size_t i, size_t len)
{
	while (i < len && s[i] != ' ' && s[i] != '\t')
		i++;
	return i;
}

/* An option's value: the text between its quotes, \" as ". */
static json_t *
option_value(const char *s, size_t len)
{
	char buf[4096];
	size_t i, n = 0;

	if (len < 2 || s[0] != '"' || s[len - 1] != '"')
		return irk_json_strn(s, len);
	for (i = 1; i + 1 < len && n < sizeof(buf); i++) {
		if (s[i] == '\\' && i + 2 < len && s[i + 1] == '"')
			i++;
		buf[n++] = s[i];
	}
	return irk_json_strn(buf, n);
}

/*
 * The options before the key: comma separated, a value in quotes may
 * hold commas, spaces and \".  Sets *end past them; -1 when unclosed.
 */
static int
options(json_t *rec, const char *s, size_t len, size_t *end)
{
	json_t *list = json_array();
	size_t i = 0, start = 0;
	int quoted = 0;

	for (i = 0; i <= len; i++) {
		if (i < len && s[i] == '\\' && quoted && i + 1 < len) {
			i++;
			continue;
		}
		if (i < len && s[i] == '"')
			quoted = !quoted;
		if (i < len && (quoted || (s[i] != ',' && s[i] != ' ' &&
		    s[i] != '\t')))
			continue;
		if (i > start && json_array_size(list) < OPTIONS_MAX) {
			const char *o = s + start, *eq;
			size_t ol = i - start;

			json_array_append_new(list, irk_json_strn(o, ol));
			eq = memchr(o, '=', ol);
			if (eq != NULL && (size_t)(eq - o) == 7 &&
			    strncasecmp(o, "command", 7) == 0)
				json_object_set_new(rec, "forced_command",
				    option_value(eq + 1, ol - 8));
			if (eq != NULL && (size_t)(eq - o) == 4 &&
			    strncasecmp(o, "from", 4) == 0)
				json_object_set_new(rec, "from",
				    option_value(eq + 1, ol - 5));
		}
		start = i + 1;
		if (i == len || s[i] != ',')
			break;
	}
	json_object_set_new(rec, "options", list);
	*end = i;
	return quoted ? -1 : 0;
}

/* The key at s[i..]: type, base64, comment. */
static int
key_part(json_t *rec, const char *s, size_t i, size_t len)
{
	size_t te, be, bl;
	unsigned char *blob;
	char fp[64];
	int bits;

	te = token_end(s, i, len);
	if (!key_type(s + i, te - i))
		return -1;
	json_object_set_new(rec, "key_type", irk_json_strn(s + i, te - i));
	be = token_end(s, skip_space(s, te, len), len);
	bl = be - skip_space(s, te, len);
	if (bl == 0 || bl > KEY_BLOB_MAX ||
	    (blob = malloc(bl / 4 * 3 + 3)) == NULL)
		return -1;
	if (b64_decode(s + skip_space(s, te, len), bl, blob, &bl) != 0 ||
	    (bits = irk_ssh_key_bits(blob, bl, s + i, te - i)) < 0) {
		free(blob);
		return -1;
	}
	irk_ssh_fingerprint(blob, bl, fp);
	free(blob);
	json_object_set_new(rec, "bits", json_integer(bits));
	irk_json_set_str(rec, "fingerprint", fp);
	i = skip_space(s, be, len);
	while (len > i && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	json_object_set_new(rec, "comment", i < len ?
	    irk_json_strn(s + i, len - i) : json_null());
	return 0;
}

json_t *
irk_authorized_key_line(const char *line, size_t len)
{
	json_t *rec = irk_record_new("ssh_key");
	size_t i = skip_space(line, 0, len), end;

	if (rec == NULL)
		return NULL;
	json_object_set_new(rec, "forced_command", json_null());
	json_object_set_new(rec, "from", json_null());
	if (!key_type(line + i, token_end(line, i, len) - i)) {
		if (options(rec, line + i, len - i, &end) != 0) {
			json_decref(rec);
			return NULL;
		}
		i = skip_space(line, i + end, len);
	} else
		json_object_set_new(rec, "options", json_array());
	if (key_part(rec, line, i, len) != 0) {
		json_decref(rec);
		return NULL;
	}
	return rec;
}

int
irk_known_hosts_line(const char *line, size_t len, json_t *hosts,
    int *hashed, const char **marker)
{
	size_t i = skip_space(line, 0, len), e, j, k;

	*hashed = 0;
	*marker = NULL;
	if (i == len || line[i] == '#')
		return 0;
	e = token_end(line, i, len);
	if (line[i] == '@') {
		if (is((const unsigned char *)line + i, e - i,
		    "@cert-authority"))
			*marker = "@cert-authority";
		else if (is((const unsigned char *)line + i, e - i, "@revoked"))
			*marker = "@revoked";
		else
			return -1;
		i = skip_space(line, e, len);
		e = token_end(line, i, len);
	}
	/* hosts, then a key type and its base64 */
	j = skip_space(line, e, len);
	k = token_end(line, j, len);
	if (e == i || k == j || skip_space(line, k, len) == len)
		return -1;
	if (line[i] == '|') {
		*hashed = 1;
		return 1;
	}
	for (j = i; j < e; j = k + 1) {
		for (k = j; k < e && line[k] != ','; k++)
			;
		if (k > j && json_array_size(hosts) < 10000)
			json_array_append_new(hosts, irk_json_strn(line + j,
			    k - j));
	}
	return 1;
}

int
irk_sshd_config_line(const char *line, size_t len, const char **kw,
    size_t *kwlen, const char **arg, size_t *arglen)
{
	size_t i = skip_space(line, 0, len), e;

	if (i == len || line[i] == '#')
		return 1;
	for (e = i; e < len && line[e] != ' ' && line[e] != '\t' &&
	    line[e] != '='; e++)
		;
	*kw = line + i;
	*kwlen = e - i;
	if (*kwlen == 0)
		return -1;
	i = skip_space(line, e, len);
	if (i < len && line[i] == '=')
		i = skip_space(line, i + 1, len);
	while (len > i && (line[len - 1] == ' ' || line[len - 1] == '\t'))
		len--;
	*arg = line + i;
	*arglen = len - i;
	return 0;
}
