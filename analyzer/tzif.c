/*
 * tzif.c - TZif files (RFC 8536) and the POSIX TZ string of their footer,
 * read from evidence: every count is checked against the bytes there
 * are, every index against its table, transitions must ascend, offsets
 * stay within a day.  Leap-second records ("right/" zones) are skipped:
 * their times are then off by the leap seconds, at most half a minute.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tzif.h"
#include "irkit/buf.h"
#include "irkit/timeutil.h"
#include "irkit/banned.h"

#define TYPES_MAX	256
#define OFF_MAX		(26 * 3600)	/* an offset beyond: not sound */
#define DAY		86400

/* One rule of a POSIX TZ string: when DST starts or ends. */
struct tz_rule {
	char kind;		/* 'J' (1-365, no Feb 29), 'D' (0-365),
				 * 'M' (month.week.day) */
	int a, b, c;		/* day, or month, week, weekday */
	int32_t time;		/* local seconds after midnight */
};

struct tz_posix {
	int set;
	int32_t std, dst;	/* offsets east of UTC */
	int has_dst;
	struct tz_rule start, end;
};

struct irk_tzif {
	size_t ntrans;
	int64_t *trans;		/* UTC seconds, ascending */
	unsigned char *idx;	/* the type of each transition */
	size_t ntypes;
	int32_t off[TYPES_MAX];
	unsigned char isdst[TYPES_MAX];
	struct tz_posix posix;	/* after the last transition */
};

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static int64_t
be64(const unsigned char *p)
{
	return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

void
irk_tzif_civil(int64_t t, int *year, int *mon, int *mday)
{
	/* civil from days, after H. Hinnant's public algorithm */
	int64_t z = (t >= 0 ? t : t - (DAY - 1)) / DAY + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int m = (int)(mp < 10 ? mp + 3 : mp - 9);

	*mday = (int)(doy - (153 * mp + 2) / 5 + 1);
	*mon = m;
	*year = (int)(yoe + era * 400 + (m <= 2));
}

static int
is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
month_days(int y, int m)
{
	static const int d[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30,
	    31 };

	return m == 2 && is_leap(y) ? 29 : d[m - 1];
}

/* ---- the POSIX TZ string ---- */

/* A zone abbreviation: letters, or anything in <...>. */
static int
posix_name(const char **pp)
{
	const char *p = *pp;

	if (*p == '<') {
		while (*p != '\0' && *p != '>')
			p++;
		if (*p != '>')
			return -1;
		*pp = p + 1;
		return 0;
	}
	while ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z'))
		p++;
	if (p - *pp < 3)
		return -1;
	*pp = p;
	return 0;
}

static int
posix_num(const char **pp, int max, int *out)
{
	const char *p = *pp;
	int v = 0;

	if (*p < '0' || *p > '9')
		return -1;
	while (*p >= '0' && *p <= '9') {
		v = v * 10 + (*p++ - '0');
		if (v > max)
			return -1;
	}
	*pp = p;
	*out = v;
	return 0;
}

/* [+-]hh[:mm[:ss]] as seconds; hours up to max. */
static int
posix_hms(const char **pp, int max, int32_t *out)
{
	int sign = 1, h, m = 0, s = 0;

	if (**pp == '+' || **pp == '-')
		sign = *(*pp)++ == '-' ? -1 : 1;
	if (posix_num(pp, max, &h) != 0)
		return -1;
	if (**pp == ':') {
		(*pp)++;
		if (posix_num(pp, 59, &m) != 0)
			return -1;
		if (**pp == ':') {
			(*pp)++;
			if (posix_num(pp, 59, &s) != 0)
				return -1;
		}
	}
	*out = sign * (h * 3600 + m * 60 + s);
	return 0;
}

static int
posix_rule(const char **pp, struct tz_rule *r)
{
	r->time = 2 * 3600;
	if (**pp == 'J') {
		(*pp)++;
		r->kind = 'J';
		if (posix_num(pp, 365, &r->a) != 0 || r->a < 1)
			return -1;
	} else if (**pp == 'M') {
		(*pp)++;
		r->kind = 'M';
		if (posix_num(pp, 12, &r->a) != 0 || r->a < 1 ||
		    *(*pp)++ != '.' || posix_num(pp, 5, &r->b) != 0 ||
		    r->b < 1 || *(*pp)++ != '.' || posix_num(pp, 6, &r->c) != 0)
			return -1;
	} else {
		r->kind = 'D';
		if (posix_num(pp, 365, &r->a) != 0)
			return -1;
	}
	if (**pp == '/') {
		(*pp)++;
		if (posix_hms(pp, 167, &r->time) != 0)
			return -1;
	}
	return 0;
}

/* "EST5EDT,M3.2.0,M11.1.0" and the like; 0 or -1. */
static int
posix_parse(const char *s, struct tz_posix *tz)
{
	const char *p = s;
	int32_t v;

	memset(tz, 0, sizeof(*tz));
	if (posix_name(&p) != 0 || posix_hms(&p, 24, &v) != 0)
		return -1;
	tz->std = -v;
	tz->dst = tz->std;
	if (*p != '\0') {
		if (posix_name(&p) != 0)
			return -1;
		tz->has_dst = 1;
		tz->dst = tz->std + 3600;
		if (*p != ',' && *p != '\0') {
			if (posix_hms(&p, 24, &v) != 0)
				return -1;
			tz->dst = -v;
		}
		/* no rules: the US rules of POSIX's default; not seen in
		 * TZif footers, refused */
		if (*p++ != ',' || posix_rule(&p, &tz->start) != 0 ||
		    *p++ != ',' || posix_rule(&p, &tz->end) != 0)
			return -1;
	}
	if (*p != '\0')
		return -1;
	tz->set = 1;
	return 0;
}

/* The day of year (0-based) a rule names in year y. */
static int
rule_yday(const struct tz_rule *r, int y)
{
	int yday = 0, wd, mday;

	switch (r->kind) {
	case 'J':
		return r->a - 1 + (is_leap(y) && r->a >= 60);
	case 'D':
		return r->a;
	default:
		for (int m = 1; m < r->a; m++)
			yday += month_days(y, m);
		/* weekday of the month's first day: 1970-01-01 a Thursday */
		wd = (int)(((irk_timegm(y, r->a, 1, 0, 0, 0) / DAY) % 7 + 11) %
		    7);
		mday = 1 + (r->c - wd + 7) % 7 + (r->b - 1) * 7;
		while (mday > month_days(y, r->a))
			mday -= 7;
		return yday + mday - 1;
	}
}

/* The UTC second a rule falls on in year y, at offset off. */
static int64_t
rule_utc(const struct tz_rule *r, int y, int32_t off)
{
	return irk_timegm(y, 1, 1, 0, 0, 0) + (int64_t)rule_yday(r, y) * DAY +
	    r->time - off;
}

static int32_t
posix_offset(const struct tz_posix *tz, int64_t utc, int *isdst)
{
	int y, m, d, in;
	int64_t start, end;

	*isdst = 0;
	if (!tz->has_dst)
		return tz->std;
	irk_tzif_civil(utc + tz->std, &y, &m, &d);
	start = rule_utc(&tz->start, y, tz->std);
	end = rule_utc(&tz->end, y, tz->dst);
	if (start < end)
		in = utc >= start && utc < end;
	else
		in = !(utc >= end && utc < start);
	*isdst = in;
	return in ? tz->dst : tz->std;
}

/* ---- TZif ---- */

struct tzif_hdr {
	int version;
	uint32_t isut, isstd, leap, time, type, chars;
};

static int
tzif_header(const unsigned char *p, size_t len, struct tzif_hdr *h)
{
	if (len < 44 || memcmp(p, "TZif", 4) != 0)
		return -1;
	h->version = p[4] == 0 ? 1 : p[4] - '0';
	if (h->version < 1 || h->version > 9)
		return -1;
	h->isut = be32(p + 20);
	h->isstd = be32(p + 24);
	h->leap = be32(p + 28);
	h->time = be32(p + 32);
	h->type = be32(p + 36);
	h->chars = be32(p + 40);
	if (h->type == 0 || h->type > TYPES_MAX || h->time > (1u << 20) ||
	    h->leap > (1u << 16) || h->chars > (1u << 16) ||
	    (h->isut != 0 && h->isut != h->type) ||
	    (h->isstd != 0 && h->isstd != h->type))
		return -1;
	return 0;
}

/* The bytes of a data block after its header, with times of tsize. */
static size_t
tzif_block_len(const struct tzif_hdr *h, size_t tsize)
{
	return (size_t)h->time * (tsize + 1) + (size_t)h->type * 6 +
	    h->chars + (size_t)h->leap * (tsize + 4) + h->isstd + h->isut;
}

static int
tzif_block(struct irk_tzif *tz, const struct tzif_hdr *h,
    const unsigned char *p, size_t tsize, struct irk_err *err)
{
	const unsigned char *idx = p + (size_t)h->time * tsize;
	const unsigned char *types = idx + h->time;

	tz->ntrans = h->time;
	tz->trans = calloc(h->time + 1, sizeof(*tz->trans));
	tz->idx = calloc(h->time + 1, 1);
	if (tz->trans == NULL || tz->idx == NULL) {
		irk_err_set(err, ENOMEM, "out of memory");
		return IRK_FAIL;
	}
	for (size_t i = 0; i < h->time; i++) {
		tz->trans[i] = tsize == 8 ? be64(p + i * 8) :
		    (int32_t)be32(p + i * 4);
		tz->idx[i] = idx[i];
		if (idx[i] >= h->type || (i > 0 &&
		    tz->trans[i] <= tz->trans[i - 1])) {
			irk_err_set(err, 0, "time zone file: transition %zu "
			    "out of order or of no type", i);
			return IRK_FAIL;
		}
	}
	tz->ntypes = h->type;
	for (size_t i = 0; i < h->type; i++) {
		int32_t off = (int32_t)be32(types + i * 6);

		if (off < -OFF_MAX || off > OFF_MAX || types[i * 6 + 4] > 1) {
			irk_err_set(err, 0, "time zone file: type %zu is not "
			    "sound", i);
			return IRK_FAIL;
		}
		tz->off[i] = off;
		tz->isdst[i] = types[i * 6 + 4];
	}
	return IRK_OK;
}

/* The footer of a v2+ file: "\nTZ\n" (empty: none). */
static int
tzif_footer(struct irk_tzif *tz, const unsigned char *p, size_t len,
    struct irk_err *err)
{
	char s[IRK_TZIF_NAME_MAX];
	const unsigned char *nl;

	if (len < 2 || p[0] != '\n' || (nl = memchr(p + 1, '\n',
	    len - 1)) == NULL || (size_t)(nl - p - 1) >= sizeof(s)) {
		irk_err_set(err, 0, "time zone file: no footer");
		return IRK_FAIL;
	}
	memcpy(s, p + 1, (size_t)(nl - p - 1));
	s[nl - p - 1] = '\0';
	if (s[0] != '\0' && (memchr(s, '\0', (size_t)(nl - p - 1)) != NULL ||
	    posix_parse(s, &tz->posix) != 0)) {
		irk_err_set(err, 0, "time zone file: footer not a TZ string");
		return IRK_FAIL;
	}
	return IRK_OK;
}

static int
tzif_parse(struct irk_tzif *tz, const unsigned char *buf, size_t len,
    struct irk_err *err)
{
	struct tzif_hdr h;
	size_t n;

	if (tzif_header(buf, len, &h) != 0) {
		irk_err_set(err, 0, "not a sound TZif file");
		return IRK_FAIL;
	}
	n = 44 + tzif_block_len(&h, 4);
	if (n > len) {
		irk_err_set(err, 0, "time zone file cut short");
		return IRK_FAIL;
	}
	if (h.version == 1)
		return tzif_block(tz, &h, buf + 44, 4, err);
	buf += n;
	len -= n;
	if (tzif_header(buf, len, &h) != 0 || h.version < 2 ||
	    (n = 44 + tzif_block_len(&h, 8)) > len) {
		irk_err_set(err, 0, "time zone file: second header not sound");
		return IRK_FAIL;
	}
	if (tzif_block(tz, &h, buf + 44, 8, err) != IRK_OK)
		return IRK_FAIL;
	return tzif_footer(tz, buf + n, len - n, err);
}

int
irk_tzif_parse(struct irk_tzif **out, const unsigned char *buf, size_t len,
    struct irk_err *err)
{
	struct irk_tzif *tz = calloc(1, sizeof(*tz));

	*out = NULL;
	if (tz == NULL) {
		irk_err_set(err, ENOMEM, "out of memory");
		return IRK_FAIL;
	}
	if (tzif_parse(tz, buf, len, err) != IRK_OK) {
		irk_tzif_free(tz);
		return IRK_FAIL;
	}
	*out = tz;
	return IRK_OK;
}

struct irk_tzif *
irk_tzif_utc(void)
{
	struct irk_tzif *tz = calloc(1, sizeof(*tz));

	if (tz != NULL)
		tz->ntypes = 1;
	return tz;
}

void
irk_tzif_free(struct irk_tzif *tz)
{
	if (tz == NULL)
		return;
	free(tz->trans);
	free(tz->idx);
	free(tz);
}

int32_t
irk_tzif_offset(const struct irk_tzif *tz, int64_t utc, int *isdst)
{
	size_t lo = 0, hi = tz->ntrans;
	int dst = 0, t;

	if (isdst == NULL)
		isdst = &dst;
	if (tz->ntrans == 0 || utc < tz->trans[0]) {
		/* before the first transition: type 0 (RFC 8536 3.2) */
		if (tz->ntrans == 0 && tz->posix.set)
			return posix_offset(&tz->posix, utc, isdst);
		*isdst = tz->isdst[0];
		return tz->off[0];
	}
	if (utc >= tz->trans[tz->ntrans - 1] && tz->posix.set)
		return posix_offset(&tz->posix, utc, isdst);
	/* the last transition at or before utc */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (tz->trans[mid] <= utc)
			lo = mid;
		else
			hi = mid;
	}
	t = tz->idx[lo];
	*isdst = tz->isdst[t];
	return tz->off[t];
}

int
irk_tzif_to_utc(const struct irk_tzif *tz, int64_t local, int64_t utc[2])
{
	int32_t offs[TYPES_MAX + 2], before;
	size_t noffs = 0, i, j;
	int n = 0;

	for (i = 0; i < tz->ntypes + 2; i++) {
		int32_t o = i < tz->ntypes ? tz->off[i] :
		    i == tz->ntypes ? tz->posix.std : tz->posix.dst;

		if (i >= tz->ntypes && !tz->posix.set)
			continue;
		for (j = 0; j < noffs && offs[j] != o; j++)
			;
		if (j == noffs)
			offs[noffs++] = o;
	}
	for (i = 0; i < noffs && n < 2; i++) {
		int64_t u = local - offs[i];

		if (irk_tzif_offset(tz, u, NULL) != offs[i])
			continue;
		if (n == 1 && u == utc[0])
			continue;
		utc[n++] = u;
	}
	if (n == 2 && utc[1] < utc[0]) {
		int64_t x = utc[0];

		utc[0] = utc[1];
		utc[1] = x;
	}
	if (n == 0) {
		/* a gap: the offset in force a day before */
		before = irk_tzif_offset(tz, local - OFF_MAX - DAY, NULL);
		utc[0] = local - before;
	}
	return n;
}

void
irk_tzif_years_scan(struct irk_tzif_years *y, int month)
{
	if (y->last_month != 0 && month < y->last_month)
		y->rollovers++;
	y->last_month = month;
}

void
irk_tzif_years_start(struct irk_tzif_years *y, int mtime_year, int mtime_month)
{
	int last = mtime_year;

	if (y->last_month > mtime_month)
		last--;
	y->year = last - y->rollovers;
	y->last_month = 0;
}

int
irk_tzif_years_next(struct irk_tzif_years *y, int month)
{
	if (y->last_month != 0 && month < y->last_month)
		y->year++;
	y->last_month = month;
	return y->year;
}

/* The zone's name from /etc/localtime's link target, when it is one. */
static void
link_name(struct irk_fs *fs, char *name, size_t namelen)
{
	struct irk_buf b;
	struct irk_err err;
	const char *z;

	irk_buf_init(&b, 4096);
	if (fs->ops->readlink(fs, "/etc/localtime", &b, &err) == IRK_OK &&
	    b.data != NULL && (z = strstr((char *)b.data, "zoneinfo/")) !=
	    NULL)
		(void)snprintf(name, namelen, "%s", z + 9);
	irk_buf_release(&b);
}

/* /etc/timezone's first line, trimmed; 0 when it holds a name. */
static int
timezone_name(struct irk_fs *fs, char *name, size_t namelen)
{
	struct irk_buf b;
	struct irk_err err;
	size_t n = 0;
	int r = -1;

	irk_buf_init(&b, 4096);
	if (irk_fs_read_file(fs, "/etc/timezone", &b, NULL, &err) != IRK_FAIL &&
	    b.len > 0) {
		const char *s = (const char *)b.data;

		while (n < b.len && s[n] != '\n' && s[n] != ' ' && s[n] != '\0')
			n++;
		/* a name only: no "..", no absolute path */
		if (n > 0 && n < namelen && memmem(s, n, "..", 2) == NULL &&
		    s[0] != '/') {
			memcpy(name, s, n);
			name[n] = '\0';
			r = 0;
		}
	}
	irk_buf_release(&b);
	return r;
}

static int
load_file(struct irk_fs *fs, const char *path, struct irk_tzif **out,
    struct irk_err *err)
{
	struct irk_buf b;
	int r;

	irk_buf_init(&b, IRK_TZIF_FILE_MAX);
	r = irk_fs_read_file(fs, path, &b, NULL, err);
	if (r == IRK_TOOBIG)
		irk_err_set(err, EFBIG, "'%s': larger than a time zone file",
		    path);
	else if (r == IRK_OK)
		r = irk_tzif_parse(out, (const unsigned char *)b.data, b.len,
		    err);
	irk_buf_release(&b);
	return r == IRK_OK ? IRK_OK : IRK_FAIL;
}

int
irk_tzif_load(struct irk_fs *fs, struct irk_tzif **out, char *name,
    size_t namelen, struct irk_err *err)
{
	char zone[IRK_TZIF_NAME_MAX], path[IRK_TZIF_NAME_MAX + 32];
	struct irk_err e2;

	*out = NULL;
	(void)snprintf(name, namelen, "localtime");
	if (load_file(fs, "/etc/localtime", out, err) == IRK_OK) {
		if (timezone_name(fs, zone, sizeof(zone)) == 0)
			(void)snprintf(name, namelen, "%s", zone);
		link_name(fs, name, namelen);
		return IRK_OK;
	}
	if (timezone_name(fs, zone, sizeof(zone)) != 0)
		return IRK_FAIL;
	(void)snprintf(path, sizeof(path), "/usr/share/zoneinfo/%s", zone);
	if (load_file(fs, path, out, &e2) != IRK_OK) {
		*err = e2;
		return IRK_FAIL;
	}
	(void)snprintf(name, namelen, "%s", zone);
	return IRK_OK;
}
