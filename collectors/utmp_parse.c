/*
 * utmp_parse.c - utmp/wtmp/btmp and lastlog entries (utmp_parse.h).
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "utmp_parse.h"
#include "irkit/banned.h"

#define DETECT_ENTRIES	32
/* 9999-12-31: a later time is not a time a host wrote */
#define TIME_MAX_SEC	253402300799LL

static const char *const layout_names[IRK_UTMP_LAYOUTS] = {
	"384-le", "384-be", "400-le", "400-be",
};

size_t
irk_utmp_size(int layout)
{
	return layout >= IRK_UTMP_400_LE ? 400 : 384;
}

const char *
irk_utmp_layout_name(int layout)
{
	if (layout < 0 || layout >= IRK_UTMP_LAYOUTS)
		return "?";
	return layout_names[layout];
}

static int
big_endian(int layout)
{
	return layout == IRK_UTMP_384_BE || layout == IRK_UTMP_400_BE;
}

static uint32_t
u32(const unsigned char *p, int be)
{
	if (be)
		return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
		    (uint32_t)p[2] << 8 | p[3];
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[1] << 8 | p[0];
}

static uint16_t
u16(const unsigned char *p, int be)
{
	return be ? (uint16_t)(p[0] << 8 | p[1]) : (uint16_t)(p[1] << 8 | p[0]);
}

static int64_t
i64(const unsigned char *p, int be)
{
	uint64_t hi = u32(p + (be ? 0 : 4), be), lo = u32(p + (be ? 4 : 0), be);

	return (int64_t)(hi << 32 | lo);
}

/*
 * A fixed-size text field: up to the first NUL.  0 when what follows the
 * NUL is all NULs too and the text has no control character (a sound
 * field), else -1.
 */
static int
text(const unsigned char *p, size_t size, char *out)
{
	const unsigned char *nul = memchr(p, '\0', size);
	size_t n = nul != NULL ? (size_t)(nul - p) : size;

	memcpy(out, p, n);
	out[n] = '\0';
	for (size_t i = 0; i < n; i++)
		if (p[i] < 0x20 || p[i] == 0x7f)
			return -1;
	for (size_t i = n; i < size; i++)
		if (p[i] != '\0')
			return -1;
	return 0;
}

int
irk_utmp_decode(const unsigned char *rec, int layout,
    struct irk_utmp_ent *e, const char **why)
{
	int be = big_endian(layout), wide = layout >= IRK_UTMP_400_LE;
	int64_t sec, usec;
	size_t t = wide ? 344 : 340;
	const char *w = NULL;

	memset(e, 0, sizeof(*e));
	e->type = (int16_t)u16(rec, be);
	e->pid = (int32_t)u32(rec + 4, be);
	(void)text(rec + 8, 32, e->line);
	(void)text(rec + 40, 4, e->id);
	(void)text(rec + 44, 32, e->user);
	(void)text(rec + 76, 256, e->host);
	e->exit_termination = (int16_t)u16(rec + 332, be);
	e->exit_status = (int16_t)u16(rec + 334, be);
	if (wide) {
		e->session = i64(rec + 336, be);
		sec = i64(rec + t, be);
		usec = i64(rec + t + 8, be);
	} else {
		e->session = (int32_t)u32(rec + 336, be);
		sec = (int32_t)u32(rec + t, be);
		usec = (int32_t)u32(rec + t + 4, be);
	}
	memcpy(e->addr, rec + (wide ? 360 : 348), 16);
	if (e->type < IRK_UT_EMPTY || e->type > IRK_UT_ACCOUNTING)
		w = "type out of range";
	else if (usec < 0 || usec >= 1000000)
		w = "microseconds out of range";
	else if (sec < 0 || sec > TIME_MAX_SEC)
		w = "time out of range";
	else if (e->pid < 0)
		w = "negative pid";
	if (why != NULL)
		*why = w;
	if (w != NULL)
		return -1;
	e->time = sec * 1000000 + usec;
	return 0;
}

/* How sound an entry is under a layout: 0 (not), 1, or 2 (text too). */
static int
soundness(const unsigned char *rec, int layout)
{
	struct irk_utmp_ent e;
	char buf[257];

	if (irk_utmp_decode(rec, layout, &e, NULL) != 0)
		return 0;
	if (text(rec + 8, 32, buf) != 0 || text(rec + 44, 32, buf) != 0 ||
	    text(rec + 76, 256, buf) != 0)
		return 1;
	return 2;
}

int
irk_utmp_detect(const unsigned char *buf, size_t len)
{
	int best = IRK_UTMP_384_LE, best_score = -1;

	for (int l = 0; l < IRK_UTMP_LAYOUTS; l++) {
		size_t size = irk_utmp_size(l);
		int score = 0;

		for (size_t i = 0; i < DETECT_ENTRIES && (i + 1) * size <= len;
		    i++)
			score += soundness(buf + i * size, l);
		/* sound entries, in a whole number of entries of the size */
		if (score > 0 && len % size == 0)
			score++;
		if (score > best_score) {
			best = l;
			best_score = score;
		}
	}
	return best;
}

void
irk_utmp_addr(const struct irk_utmp_ent *e, char *out, size_t len)
{
	static const uint8_t zero[12];

	out[0] = '\0';
	if (len < INET6_ADDRSTRLEN)
		return;
	if (memcmp(e->addr + 4, zero, 12) == 0) {
		if (memcmp(e->addr, zero, 4) != 0)
			(void)inet_ntop(AF_INET, e->addr, out, (socklen_t)len);
		return;
	}
	if (inet_ntop(AF_INET6, e->addr, out, (socklen_t)len) == NULL)
		out[0] = '\0';
}

const char *
irk_utmp_kind(const struct irk_utmp_ent *e)
{
	switch (e->type) {
	case IRK_UT_RUN_LVL:
		/* shutdown and halt write a runlevel entry named so */
		return strcmp(e->user, "shutdown") == 0 ? "shutdown" :
		    "runlevel";
	case IRK_UT_BOOT_TIME:
		return "boot";
	case IRK_UT_NEW_TIME:
		return "time_new";
	case IRK_UT_OLD_TIME:
		return "time_old";
	case IRK_UT_INIT_PROCESS:
		return "init";
	case IRK_UT_LOGIN_PROCESS:
		return "getty";
	case IRK_UT_USER_PROCESS:
		return "login";
	case IRK_UT_DEAD_PROCESS:
		return "logout";
	case IRK_UT_ACCOUNTING:
		return "accounting";
	default:
		return "empty";
	}
}

int
irk_lastlog_decode(const unsigned char *rec, struct irk_lastlog_ent *e)
{
	int32_t t = (int32_t)u32(rec, 0);

	memset(e, 0, sizeof(*e));
	(void)text(rec + 4, 32, e->line);
	(void)text(rec + 36, 256, e->host);
	if (t < 0)
		return -1;
	e->time = (int64_t)t * 1000000;
	return 0;
}
