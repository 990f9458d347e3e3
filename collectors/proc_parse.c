/*
 * proc_parse.c - pure parsers for /proc text (see proc_parse.h).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/sysmacros.h>

#include "proc_parse.h"
#include "irkit/json.h"
#include "irkit/parse.h"
#include "irkit/banned.h"

/* A cursor over a span. */
struct span {
	const char *p;
	const char *end;
};

/* Next whitespace-separated field; 0 with (*f, *fl), -1 at the end. */
static int
next_field(struct span *sp, const char **f, size_t *fl)
{
	while (sp->p < sp->end && (*sp->p == ' ' || *sp->p == '\t' ||
	    *sp->p == '\n'))
		sp->p++;
	if (sp->p >= sp->end)
		return -1;
	*f = sp->p;
	while (sp->p < sp->end && *sp->p != ' ' && *sp->p != '\t' &&
	    *sp->p != '\n')
		sp->p++;
	*fl = (size_t)(sp->p - *f);
	return 0;
}

static int
field_u64(struct span *sp, int base, uint64_t *v)
{
	const char *f;
	size_t fl;

	if (next_field(sp, &f, &fl) != 0)
		return -1;
	return irk_parse_u64n(f, fl, base, UINT64_MAX, v);
}

static int
field_i64(struct span *sp, int64_t *v)
{
	char tmp[32];
	const char *f;
	size_t fl;

	if (next_field(sp, &f, &fl) != 0 || fl >= sizeof(tmp))
		return -1;
	memcpy(tmp, f, fl);
	tmp[fl] = '\0';
	return irk_parse_i64(tmp, 10, INT64_MIN, INT64_MAX, v);
}

static int
skip_fields(struct span *sp, int n)
{
	const char *f;
	size_t fl;

	while (n-- > 0)
		if (next_field(sp, &f, &fl) != 0)
			return -1;
	return 0;
}

int
irk_proc_parse_stat(const char *s, size_t len, struct irk_proc_stat *out)
{
	const char *open, *close = NULL;
	struct span sp;
	uint64_t pid, v;
	const char *f;
	size_t fl, n;

	memset(out, 0, sizeof(*out));
	if ((open = memchr(s, '(', len)) == NULL)
		return -1;
	for (const char *p = s + len; p > open; p--)
		if (p[-1] == ')') {
			close = p - 1;
			break;
		}
	if (close == NULL || close <= open)
		return -1;
	sp.p = s;
	sp.end = open;
	if (field_u64(&sp, 10, &pid) != 0 || pid > INT32_MAX)
		return -1;
	out->pid = (int64_t)pid;
	n = (size_t)(close - open - 1);
	if (n >= sizeof(out->comm))
		n = sizeof(out->comm) - 1;
	memcpy(out->comm, open + 1, n);
	out->comm[n] = '\0';
	out->comm_len = n;
	sp.p = close + 1;
	sp.end = s + len;
	/* field 3 */
	if (next_field(&sp, &f, &fl) != 0 || fl != 1)
		return -1;
	out->state = f[0];
	if (field_i64(&sp, &out->ppid) != 0 ||		/* 4 */
	    field_i64(&sp, &out->pgrp) != 0 ||		/* 5 */
	    field_i64(&sp, &out->session) != 0 ||	/* 6 */
	    field_i64(&sp, &out->tty_nr) != 0 ||	/* 7 */
	    skip_fields(&sp, 1) != 0 ||			/* 8 */
	    field_u64(&sp, 10, &out->flags) != 0 ||	/* 9 */
	    skip_fields(&sp, 4) != 0 ||			/* 10-13 */
	    field_u64(&sp, 10, &out->utime) != 0 ||	/* 14 */
	    field_u64(&sp, 10, &out->stime) != 0 ||	/* 15 */
	    skip_fields(&sp, 4) != 0 ||			/* 16-19 */
	    field_i64(&sp, &out->num_threads) != 0 ||	/* 20 */
	    skip_fields(&sp, 1) != 0 ||			/* 21 */
	    field_u64(&sp, 10, &out->starttime) != 0 ||	/* 22 */
	    field_u64(&sp, 10, &v) != 0 ||		/* 23 */
	    field_i64(&sp, &out->rss) != 0)		/* 24 */
		return -1;
	out->vsize = v;
	return 0;
}

/* "Key:\tv1\tv2..." : up to n unsigned values. */
static int
status_ids(const char *v, size_t vl, uint32_t *ids, int n)
{
	struct span sp = { v, v + vl };
	uint64_t x;

	for (int i = 0; i < n; i++) {
		if (field_u64(&sp, 10, &x) != 0 || x > UINT32_MAX)
			return -1;
		ids[i] = (uint32_t)x;
	}
	return 0;
}

static int
status_num(const char *v, size_t vl, int64_t *out)
{
	struct span sp = { v, v + vl };
	uint64_t x;

	if (field_u64(&sp, 10, &x) != 0 || x > INT64_MAX)
		return -1;
	*out = (int64_t)x;
	return 0;
}

int
irk_proc_parse_status(const char *s, size_t len, struct irk_proc_status *out)
{
	const char *p = s, *end = s + len;

	memset(out, 0, sizeof(*out));
	out->tgid = out->pid = out->ppid = out->threads = -1;
	out->vmrss_kb = -1;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		const char *colon = memchr(p, ':', (size_t)(le - p));

		if (colon != NULL) {
			size_t kl = (size_t)(colon - p);
			const char *v = colon + 1;
			size_t vl = (size_t)(le - v);

#define KEY(k) (kl == sizeof(k) - 1 && memcmp(p, k, kl) == 0)
			if (KEY("Uid"))
				out->have_uid = status_ids(v, vl, out->uid,
				    4) == 0;
			else if (KEY("Gid"))
				out->have_gid = status_ids(v, vl, out->gid,
				    4) == 0;
			else if (KEY("Tgid"))
				(void)status_num(v, vl, &out->tgid);
			else if (KEY("Pid"))
				(void)status_num(v, vl, &out->pid);
			else if (KEY("PPid"))
				(void)status_num(v, vl, &out->ppid);
			else if (KEY("Threads"))
				(void)status_num(v, vl, &out->threads);
			else if (KEY("VmRSS")) {
				/* "VmRSS:\t    1234 kB" */
				struct span sp = { v, v + vl };

				uint64_t x;
				if (field_u64(&sp, 10, &x) == 0 &&
				    x <= INT64_MAX / 1024)
					out->vmrss_kb = (int64_t)x;
			}
#undef KEY
		}
		p = nl ? nl + 1 : end;
	}
	if (!out->have_uid && !out->have_gid && out->tgid < 0)
		return -1;
	return 0;
}

json_t *
irk_proc_parse_cmdline(const char *s, size_t len)
{
	json_t *a = json_array();
	size_t i = 0;

	if (a == NULL)
		return NULL;
	while (i < len) {
		const char *nul = memchr(s + i, '\0', len - i);
		size_t n = nul ? (size_t)(nul - (s + i)) : len - i;

		if (json_array_append_new(a, irk_json_strn(s + i, n)) != 0) {
			json_decref(a);
			return NULL;
		}
		i += n + 1;
	}
	return a;
}

int
irk_proc_tty_name(int64_t tty_nr, char *out, size_t outlen)
{
	unsigned maj, min;
	int n;

	if (tty_nr <= 0 || tty_nr > UINT32_MAX)
		return -1;
	/* the kernel's new_encode_dev() */
	maj = ((unsigned)tty_nr >> 8) & 0xfff;
	min = ((unsigned)tty_nr & 0xff) | (((unsigned)tty_nr >> 12) & 0xfff00);
	if (maj >= 136 && maj <= 143)
		n = snprintf(out, outlen, "pts/%u", (maj - 136) * 256 + min);
	else if (maj == 4 && min < 64)
		n = snprintf(out, outlen, "tty%u", min);
	else if (maj == 4)
		n = snprintf(out, outlen, "ttyS%u", min - 64);
	else if (maj == 5 && min == 1)
		n = snprintf(out, outlen, "console");
	else if (maj == 188)
		n = snprintf(out, outlen, "ttyUSB%u", min);
	else if (maj == 204 && min >= 64)
		n = snprintf(out, outlen, "ttyAMA%u", min - 64);
	else
		n = snprintf(out, outlen, "char:%u:%u", maj, min);
	if (n < 0 || (size_t)n >= outlen)
		return -1;
	return 0;
}

/* 8 hex digits -> the 4 bytes of a native-endian word, as in memory. */
static int
hex_word(const char *f, uint8_t out[4])
{
	uint64_t v;
	uint32_t w;

	if (irk_parse_u64n(f, 8, 16, UINT32_MAX, &v) != 0)
		return -1;
	w = (uint32_t)v;
	memcpy(out, &w, 4);
	return 0;
}

/* "0100007F:0CEA" (v4) or 32 hex digits ":" port (v6). */
static int
parse_addr(const char *f, size_t fl, int v6, char *out, size_t outlen,
    uint32_t *port)
{
	size_t hl = v6 ? 32 : 8;
	uint8_t a[16];
	uint64_t p;

	if (fl != hl + 5 || f[hl] != ':')
		return -1;
	for (size_t i = 0; i < hl; i += 8)
		if (hex_word(f + i, a + i / 2) != 0)
			return -1;
	if (irk_parse_u64n(f + hl + 1, 4, 16, 0xffff, &p) != 0)
		return -1;
	*port = (uint32_t)p;
	if (inet_ntop(v6 ? AF_INET6 : AF_INET, a, out, (socklen_t)outlen) ==
	    NULL)
		return -1;
	return 0;
}

/* The first field of a /proc/net line: a number in base, then ':'. */
static int
slot_field(struct span *sp, int base)
{
	const char *f;
	size_t fl;
	uint64_t v;

	if (next_field(sp, &f, &fl) != 0 || fl < 2 || f[fl - 1] != ':' ||
	    irk_parse_u64n(f, fl - 1, base, UINT64_MAX, &v) != 0)
		return -1;
	return 0;
}

int
irk_proc_parse_inet(const char *line, size_t len, int v6,
    struct irk_proc_sock *out)
{
	struct span sp = { line, line + len };
	const char *f;
	size_t fl;
	uint64_t v;

	memset(out, 0, sizeof(*out));
	if (slot_field(&sp, 10) != 0)	/* "0:" */
		return -1;
	if (next_field(&sp, &f, &fl) != 0 ||
	    parse_addr(f, fl, v6, out->local, sizeof(out->local),
	    &out->lport) != 0)
		return -1;
	if (next_field(&sp, &f, &fl) != 0 ||
	    parse_addr(f, fl, v6, out->remote, sizeof(out->remote),
	    &out->rport) != 0)
		return -1;
	if (field_u64(&sp, 16, &v) != 0 || v > 0xff)
		return -1;
	out->state = (int)v;
	/* tx:rx tr:when retrnsmt */
	if (skip_fields(&sp, 3) != 0)
		return -1;
	if (field_u64(&sp, 10, &v) != 0 || v > UINT32_MAX)
		return -1;
	out->uid = (uint32_t)v;
	/* timeout */
	if (skip_fields(&sp, 1) != 0 || field_u64(&sp, 10, &out->inode) != 0)
		return -1;
	return 0;
}

int
irk_proc_parse_unix(const char *line, size_t len, struct irk_proc_sock *out)
{
	struct span sp = { line, line + len };
	uint64_t v;

	memset(out, 0, sizeof(*out));
	/* "0000000000000000:" (the kernel hides the address) */
	if (slot_field(&sp, 16) != 0)
		return -1;
	/* RefCount Protocol */
	if (field_u64(&sp, 16, &v) != 0 || field_u64(&sp, 16, &v) != 0)
		return -1;
	if (field_u64(&sp, 16, &v) != 0)		/* Flags */
		return -1;
	out->listening = (v & 0x10000) != 0;
	if (field_u64(&sp, 16, &v) != 0 || v > 0xffff)	/* Type */
		return -1;
	out->type = (int)v;
	if (field_u64(&sp, 16, &v) != 0 || v > 0xff)	/* St */
		return -1;
	out->state = (int)v;
	if (field_u64(&sp, 10, &out->inode) != 0)
		return -1;
	/* one space, then the path to the end of the line (may hold spaces) */
	if (sp.p < sp.end && *sp.p == ' ' && sp.p + 1 < sp.end) {
		out->path = sp.p + 1;
		out->path_len = (size_t)(sp.end - out->path);
	}
	return 0;
}

const char *
irk_proc_tcp_state(int state)
{
	static const char *const names[] = {
		NULL, "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1",
		"FIN_WAIT2", "TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK",
		"LISTEN", "CLOSING", "NEW_SYN_RECV",
	};

	if (state > 0 && state < (int)(sizeof(names) / sizeof(names[0])))
		return names[state];
	return "UNKNOWN";
}

const char *
irk_proc_udp_state(int state)
{
	if (state == 7)
		return "UNCONN";
	return irk_proc_tcp_state(state);
}

const char *
irk_proc_unix_type(int type)
{
	switch (type) {
	case 1: return "stream";
	case 2: return "dgram";
	case 5: return "seqpacket";
	default: return "unknown";
	}
}

const char *
irk_proc_unix_state(const struct irk_proc_sock *s)
{
	if (s->listening)
		return "LISTEN";
	switch (s->state) {
	case 1: return "UNCONNECTED";
	case 2: return "CONNECTING";
	case 3: return "CONNECTED";
	case 4: return "DISCONNECTING";
	default: return "UNKNOWN";
	}
}

int
irk_proc_parse_link_id(const char *s, size_t len, const char *name,
    uint64_t *id)
{
	size_t nl = strlen(name);

	/* name:[digits] */
	if (len < nl + 4 || memcmp(s, name, nl) != 0 || s[nl] != ':' ||
	    s[nl + 1] != '[' || s[len - 1] != ']')
		return -1;
	return irk_parse_u64n(s + nl + 2, len - nl - 3, 10, UINT64_MAX, id);
}
