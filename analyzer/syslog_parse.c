/*
 * syslog_parse.c - the syslog line forms (syslog_parse.h).  Every read
 * is bounded by the line's length; a field that is not what its form
 * says makes the line a continuation (form NONE), never a guess.
 */
#include <string.h>

#include "syslog_parse.h"
#include "irkit/banned.h"

#define PROG_MAX	128	/* a tag longer is message text */

struct cur {
	const char *p, *end;
};

static int
num(struct cur *c, int ndig, int *out)
{
	int v = 0;

	if (c->end - c->p < ndig)
		return -1;
	for (int i = 0; i < ndig; i++) {
		if (c->p[i] < '0' || c->p[i] > '9')
			return -1;
		v = v * 10 + (c->p[i] - '0');
	}
	c->p += ndig;
	*out = v;
	return 0;
}

static int
lit(struct cur *c, char ch)
{
	if (c->p >= c->end || *c->p != ch)
		return -1;
	c->p++;
	return 0;
}

/* "Jan".."Dec" to 1..12, 0 when not a month. */
static int
irk_syslog_month(const char *p)
{
	static const char m[] = "JanFebMarAprMayJunJulAugSepOctNovDec";

	for (int i = 0; i < 12; i++)
		if (memcmp(p, m + i * 3, 3) == 0)
			return i + 1;
	return 0;
}

/* ".123456" (up to 9 digits, kept to microseconds) */
static void
fraction(struct cur *c, int *usec)
{
	int scale = 100000, v = 0;

	*usec = 0;
	if (c->p >= c->end || *c->p != '.')
		return;
	c->p++;
	while (c->p < c->end && *c->p >= '0' && *c->p <= '9') {
		v += (*c->p - '0') * scale;
		scale /= 10;
		c->p++;
	}
	*usec = v;
}

static int
hms(struct cur *c, struct irk_syslog *s)
{
	if (num(c, 2, &s->hour) != 0 || lit(c, ':') != 0 ||
	    num(c, 2, &s->min) != 0 || lit(c, ':') != 0 ||
	    num(c, 2, &s->sec) != 0 || s->hour > 23 || s->min > 59 ||
	    s->sec > 60)
		return -1;
	fraction(c, &s->usec);
	return 0;
}

/* "Mmm dd hh:mm:ss" (day padded with a space or not) */
static int
trad_time(struct cur *c, struct irk_syslog *s)
{
	if (c->end - c->p < 15 || (s->mon = irk_syslog_month(c->p)) == 0 ||
	    c->p[3] != ' ')
		return -1;
	c->p += 4;
	if (*c->p == ' ')
		c->p++;
	if (num(c, 2, &s->mday) != 0 && num(c, 1, &s->mday) != 0)
		return -1;
	if (s->mday < 1 || s->mday > 31 || lit(c, ' ') != 0)
		return -1;
	return hms(c, s);
}

/* "YYYY-MM-DDThh:mm:ss[.frac][Z|+hh:mm]" */
static int
rfc3339(struct cur *c, struct irk_syslog *s)
{
	int oh, om, sign;

	if (num(c, 4, &s->year) != 0 || lit(c, '-') != 0 ||
	    num(c, 2, &s->mon) != 0 || lit(c, '-') != 0 ||
	    num(c, 2, &s->mday) != 0 || (lit(c, 'T') != 0 &&
	    lit(c, ' ') != 0) || s->mon < 1 || s->mon > 12 || s->mday < 1 ||
	    s->mday > 31 || hms(c, s) != 0)
		return -1;
	if (c->p < c->end && (*c->p == 'Z' || *c->p == 'z')) {
		c->p++;
		s->has_off = 1;
		s->off = 0;
	} else if (c->p < c->end && (*c->p == '+' || *c->p == '-')) {
		sign = *c->p++ == '-' ? -1 : 1;
		if (num(c, 2, &oh) != 0)
			return -1;
		if (c->p < c->end && *c->p == ':')
			c->p++;
		if (num(c, 2, &om) != 0 || oh > 23 || om > 59)
			return -1;
		s->has_off = 1;
		s->off = sign * (oh * 3600 + om * 60);
	}
	return 0;
}

static struct irk_span
word(struct cur *c)
{
	struct irk_span w = { c->p, 0 };

	while (c->p < c->end && *c->p != ' ')
		c->p++;
	w.n = (size_t)(c->p - w.p);
	if (c->p < c->end)
		c->p++;
	return w;
}

static void
rest(struct cur *c, struct irk_span *msg)
{
	msg->p = c->p;
	msg->n = (size_t)(c->end - c->p);
}

/* "tag[pid]: " or "tag: "; 0 when the next word is one */
static int
tag(struct cur *c, struct irk_syslog *s)
{
	const char *p = c->p, *t = p;
	int64_t pid = -1;

	while (p < c->end && p - t < PROG_MAX && *p != '[' && *p != ':' &&
	    *p != ' ')
		p++;
	if (p == t || p >= c->end)
		return -1;
	s->prog.p = t;
	s->prog.n = (size_t)(p - t);
	if (*p == '[') {
		for (pid = 0, p++; p < c->end && *p >= '0' && *p <= '9' &&
		    pid < 1000000000LL; p++)
			pid = pid * 10 + (*p - '0');
		if (p >= c->end || *p != ']')
			return -1;
		p++;
	}
	if (p >= c->end || *p != ':')
		return -1;
	s->pid = pid;
	p++;
	if (p < c->end && *p == ' ')
		p++;
	c->p = p;
	return 0;
}

/* after a traditional or RFC 3339 time: host, tag, message */
static void
bsd_rest(struct cur *c, struct irk_syslog *s)
{
	struct cur save;

	if (c->p < c->end && *c->p == ':') {
		/* "Feb 29 01:15:43: --- last message repeated ---" */
		c->p++;
		if (c->p < c->end && *c->p == ' ')
			c->p++;
		rest(c, &s->msg);
		return;
	}
	if (lit(c, ' ') != 0) {
		rest(c, &s->msg);
		return;
	}
	save = *c;
	if (tag(c, s) == 0) {
		/* no host: "Nov 18 08:30:20 kernel: [997.390602] ..." */
		rest(c, &s->msg);
		return;
	}
	*c = save;
	s->prog.p = NULL;
	s->host = word(c);
	save = *c;
	if (tag(c, s) != 0) {
		*c = save;
		s->prog.p = NULL;
	}
	rest(c, &s->msg);
}

static struct irk_span
nil_word(struct cur *c)
{
	struct irk_span w = word(c);

	if (w.n == 1 && w.p[0] == '-')
		w.p = NULL;
	return w;
}

/* "1 TIME HOST APP PROCID MSGID [SD] MSG" after the PRI */
static int
rfc5424(struct cur *c, struct irk_syslog *s)
{
	struct irk_span procid;
	int depth = 0;

	if (lit(c, '1') != 0 || lit(c, ' ') != 0 || rfc3339(c, s) != 0 ||
	    lit(c, ' ') != 0)
		return -1;
	s->host = nil_word(c);
	s->prog = nil_word(c);
	procid = nil_word(c);
	s->msgid = nil_word(c);
	if (procid.p != NULL) {
		int64_t pid = 0;
		size_t i;

		for (i = 0; i < procid.n && procid.p[i] >= '0' &&
		    procid.p[i] <= '9' && pid < 1000000000LL; i++)
			pid = pid * 10 + (procid.p[i] - '0');
		if (i == procid.n && i > 0)
			s->pid = pid;
	}
	s->sdata.p = c->p;
	if (c->p < c->end && *c->p == '-') {
		s->sdata.p = NULL;
		c->p++;
	} else {
		/* [id k="v\]"]...: brackets counted, escapes skipped */
		while (c->p < c->end && *c->p == '[') {
			for (depth = 0; c->p < c->end; c->p++) {
				if (*c->p == '\\' && c->p + 1 < c->end)
					c->p++;
				else if (*c->p == '"')
					depth = !depth;
				else if (*c->p == ']' && !depth) {
					c->p++;
					break;
				}
			}
		}
		s->sdata.n = (size_t)(c->p - s->sdata.p);
	}
	if (c->p < c->end && *c->p == ' ')
		c->p++;
	rest(c, &s->msg);
	return 0;
}

void
irk_syslog_parse(const char *line, size_t n, struct irk_syslog *s)
{
	struct cur c = { line, line + n }, start;
	int pri = 0, pri_kept, i;

	memset(s, 0, sizeof(*s));
	s->pri = -1;
	s->pid = -1;
	if (c.p < c.end && *c.p == '<') {
		for (i = 1; i < 5 && line + i < c.end && line[i] >= '0' &&
		    line[i] <= '9'; i++)
			pri = pri * 10 + (line[i] - '0');
		if (i > 1 && line + i < c.end && line[i] == '>' && pri < 192) {
			s->pri = pri;
			c.p = line + i + 1;
		}
	}
	start = c;
	pri_kept = s->pri;
	if (rfc5424(&c, s) == 0) {
		s->form = IRK_SYSLOG_RFC5424;
		return;
	}
	c = start;
	memset(s, 0, sizeof(*s));
	s->pri = pri_kept;
	s->pid = -1;
	if (rfc3339(&c, s) == 0)
		s->form = IRK_SYSLOG_RFC3339;
	else if (c = start, s->year = 0, trad_time(&c, s) == 0)
		s->form = IRK_SYSLOG_TRAD;
	else {
		s->form = IRK_SYSLOG_NONE;
		s->msg.p = line;
		s->msg.n = n;
		return;
	}
	bsd_rest(&c, s);
}
