/*
 * audit_parse.c - audit log records (audit_parse.h).
 *
 * auditd writes a value that may hold spaces or quotes ("untrusted
 * strings") as hex without quotes: proctitle, execve arguments, path
 * and cwd names, comm, exe, acct, cmd, data, key.  Such a value, all
 * hex digits of an even length, is decoded; proctitle's NULs become
 * spaces (as ausearch -i shows it).  Anything else is kept as written.
 */
#include <stdlib.h>
#include <string.h>

#include "audit_parse.h"
#include "irkit/banned.h"

#define ENRICH_SEP	'\x1d'

static int
digits(const char **p, const char *end, uint64_t *v, int max)
{
	int n = 0;

	*v = 0;
	while (*p < end && **p >= '0' && **p <= '9' && n < max) {
		*v = *v * 10 + (uint64_t)(**p - '0');
		(*p)++;
		n++;
	}
	return n > 0 ? 0 : -1;
}

int
irk_audit_header(const char *line, size_t len, struct irk_audit_rec *r)
{
	const char *p = line, *end = line + len, *t;
	uint64_t sec, ms, serial;

	memset(r, 0, sizeof(*r));
	/* "node=host " may come first (remote logging) */
	if (len > 5 && memcmp(p, "node=", 5) == 0) {
		while (p < end && *p != ' ')
			p++;
		if (p < end)
			p++;
	}
	if (end - p < 5 || memcmp(p, "type=", 5) != 0)
		return -1;
	t = p += 5;
	while (p < end && *p != ' ' && p - t < (long)sizeof(r->type) - 1)
		p++;
	memcpy(r->type, t, (size_t)(p - t));
	if (end - p < 11 || memcmp(p, " msg=audit(", 11) != 0)
		return -1;
	p += 11;
	if (digits(&p, end, &sec, 12) != 0 || p >= end || *p++ != '.' ||
	    digits(&p, end, &ms, 3) != 0 || p >= end || *p++ != ':' ||
	    digits(&p, end, &serial, 19) != 0 || end - p < 2 ||
	    p[0] != ')' || p[1] != ':')
		return -1;
	p += 2;
	if (p < end && *p == ' ')
		p++;
	r->sec = (int64_t)sec;
	r->msec = (int)ms;
	r->serial = serial;
	r->body = p;
	r->bodylen = (size_t)(end - p);
	return 0;
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Keys whose bare values auditd hex-encodes. */
static int
encoded_key(const char *k, size_t n, int execve)
{
	static const char *const keys[] = { "proctitle", "name", "cwd",
	    "comm", "exe", "acct", "cmd", "data", "key", "path", "ocomm",
	    NULL };

	if (n >= 2 && k[0] == 'a' && k[1] >= '0' && k[1] <= '9')
		return execve;	/* a0, a1[2] of EXECVE */
	for (size_t i = 0; keys[i] != NULL; i++)
		if (strlen(keys[i]) == n && memcmp(keys[i], k, n) == 0)
			return 1;
	return 0;
}

/* Decode v (n hex digits) into out; its length, or -1 if not hex. */
static long
unhex(const char *v, size_t n, char *out, int nul_space)
{
	size_t i, o = 0;

	if (n < 2 || n % 2 != 0)
		return -1;
	for (i = 0; i < n; i++)
		if (hexval(v[i]) < 0)
			return -1;
	for (i = 0; i + 1 < n && o < IRK_AUDIT_VALUE_MAX; i += 2) {
		char c = (char)(hexval(v[i]) << 4 | hexval(v[i + 1]));

		out[o++] = c == '\0' && nul_space ? ' ' : c;
	}
	while (nul_space && o > 0 && out[o - 1] == ' ')
		o--;
	return (long)o;
}

struct walk {
	void (*fn)(void *, const char *, size_t, const char *, size_t, int);
	void *arg;
	char *buf;
	int execve;		/* aN are arguments (elsewhere registers) */
};

static void
fields(struct walk *w, const char *p, const char *end, int enriched);

/* One key=value at p; returns where the next starts. */
static const char *
one_field(struct walk *w, const char *p, const char *end, int enriched)
{
	const char *k = p, *v;
	size_t kn, vn;
	long dn;

	while (p < end && *p != '=' && *p != ' ' && *p != ENRICH_SEP)
		p++;
	if (p >= end || *p != '=')
		return p;
	kn = (size_t)(p - k);
	v = ++p;
	if (p < end && (*p == '"' || *p == '\'')) {
		char q = *p++;

		v = p;
		while (p < end && *p != q)
			p++;
		vn = (size_t)(p - v);
		if (p < end)
			p++;
		if (q == '\'' && kn == 3 && memcmp(k, "msg", 3) == 0) {
			fields(w, v, v + vn, enriched);
			return p;
		}
		w->fn(w->arg, k, kn, v, vn, enriched);
		return p;
	}
	while (p < end && *p != ' ' && *p != ENRICH_SEP)
		p++;
	vn = (size_t)(p - v);
	if (!enriched && encoded_key(k, kn, w->execve) && (dn = unhex(v, vn, w->buf,
	    kn == 9 && memcmp(k, "proctitle", 9) == 0)) >= 0)
		w->fn(w->arg, k, kn, w->buf, (size_t)dn, enriched);
	else
		w->fn(w->arg, k, kn, v, vn, enriched);
	return p;
}

static void
fields(struct walk *w, const char *p, const char *end, int enriched)
{
	while (p < end) {
		const char *next;

		if (*p == ' ') {
			p++;
			continue;
		}
		if (*p == ENRICH_SEP) {
			enriched = 1;
			p++;
			continue;
		}
		next = one_field(w, p, end, enriched);
		if (next == p) {
			/* no "=": skip the word */
			while (p < end && *p != ' ' && *p != ENRICH_SEP)
				p++;
		} else
			p = next;
	}
}

void
irk_audit_fields(const struct irk_audit_rec *r,
    void (*fn)(void *arg, const char *key, size_t klen, const char *val,
    size_t vlen, int enriched), void *arg)
{
	struct walk w = { fn, arg, malloc(IRK_AUDIT_VALUE_MAX),
	    strcmp(r->type, "EXECVE") == 0 };

	if (w.buf == NULL)
		return;
	fields(&w, r->body, r->body + r->bodylen, 0);
	free(w.buf);
}

int
irk_audit_standalone(const char *type)
{
	static const char *const prefixes[] = { "USER_", "CRED_", "DAEMON_",
	    "SERVICE_", "ADD_", "DEL_", "GRP_", "ACCT_", "ROLE_", "SYSTEM_",
	    "VIRT_", "RESP_", "ANOM_LOGIN", "ANOM_ADD", "ANOM_DEL",
	    "ANOM_MOD", "CHGRP_ID", "CHUSER_ID", "LOGIN", "TRUSTED_APP",
	    "SOFTWARE_UPDATE", "TEST", NULL };

	for (size_t i = 0; prefixes[i] != NULL; i++)
		if (strncmp(type, prefixes[i], strlen(prefixes[i])) == 0)
			return 1;
	return 0;
}
