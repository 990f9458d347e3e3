/*
 * calendar.c - systemd calendar events: parser and next elapse, UTC
 * (see calendar.h).  Semantics checked against systemd-analyze
 * calendar (systemd 252) in tests/unit/test_calendar.c and
 * tests/e2e/timers.bats.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "calendar.h"
#include "irkit/parse.h"
#include "irkit/timeutil.h"
#include "irkit/banned.h"

#define YEAR_MIN 1970
#define YEAR_MAX 2199

static void
seterr(char *err, size_t len, const char *msg)
{
	if (err != NULL && len > 0)
		(void)snprintf(err, len, "%s", msg);
}

static int
parse_num(const char *s, size_t n, int min, int max, int *out)
{
	uint64_t v;

	if (n == 0 || n > 9 || irk_parse_u64n(s, n, 10, (uint64_t)max, &v))
		return -1;
	if ((int)v < min)
		return -1;
	*out = (int)v;
	return 0;
}

/*
 * One component: "*", "*\/s", "a", "a/s", "a..b", "a..b/s", comma lists.
 * Years of two digits are 1970..2069.
 */
static int
parse_comp(const char *s, size_t n, int min, int max, int is_year,
    struct irk_cal_comp *c)
{
	size_t pos = 0;

	memset(c, 0, sizeof(*c));
	if (n == 0)
		return -1;
	while (pos <= n) {
		const char *item = s + pos, *comma, *slash, *dots;
		size_t il;
		struct irk_cal_rule r;

		comma = memchr(item, ',', n - pos);
		il = comma ? (size_t)(comma - item) : n - pos;
		if (il == 0 || c->n >= IRK_CAL_RULES)
			return -1;
		slash = memchr(item, '/', il);
		dots = NULL;
		for (size_t i = 0; i + 1 < (slash ? (size_t)(slash - item) :
		    il); i++)
			if (item[i] == '.' && item[i + 1] == '.') {
				dots = item + i;
				break;
			}
		r.step = 1;
		if (slash != NULL && parse_num(slash + 1,
		    il - (size_t)(slash + 1 - item), 1, max, &r.step) != 0)
			return -1;
		{
			size_t hl = slash ? (size_t)(slash - item) : il;

			if (hl == 1 && item[0] == '*') {
				r.start = min;
				r.stop = max;
				if (slash == NULL && c->n == 0 && comma == NULL) {
					c->n = 0;	/* any */
					return 0;
				}
			} else if (dots != NULL) {
				size_t al = (size_t)(dots - item);

				if (parse_num(item, al, min, is_year ? 9999 :
				    max, &r.start) != 0 ||
				    parse_num(dots + 2, hl - al - 2, min,
				    is_year ? 9999 : max, &r.stop) != 0)
					return -1;
				if (is_year && al == 2)
					r.start += r.start < 70 ? 2000 : 1900;
				if (is_year && hl - al - 2 == 2)
					r.stop += r.stop < 70 ? 2000 : 1900;
				if (r.stop < r.start)
					return -1;
			} else {
				if (parse_num(item, hl, is_year ? 0 : min,
				    is_year ? 9999 : max, &r.start) != 0)
					return -1;
				if (is_year && hl == 2)
					r.start += r.start < 70 ? 2000 : 1900;
				if (is_year && (r.start < YEAR_MIN))
					return -1;
				r.stop = slash ? (is_year ? YEAR_MAX : max) :
				    r.start;
			}
		}
		c->r[c->n++] = r;
		if (comma == NULL)
			break;
		pos += il + 1;
	}
	return 0;
}

static const char *const wday_names[7][2] = {
	{ "mon", "monday" }, { "tue", "tuesday" }, { "wed", "wednesday" },
	{ "thu", "thursday" }, { "fri", "friday" }, { "sat", "saturday" },
	{ "sun", "sunday" },
};

static int
wday_index(const char *s, size_t n)
{
	for (int i = 0; i < 7; i++)
		for (int k = 0; k < 2; k++)
			if (strlen(wday_names[i][k]) == n &&
			    strncasecmp(s, wday_names[i][k], n) == 0)
				return i;
	return -1;
}

static int
parse_weekdays(const char *s, size_t n, unsigned *mask)
{
	size_t pos = 0;

	*mask = 0;
	while (pos < n) {
		const char *item = s + pos, *comma, *dots = NULL;
		size_t il;
		int a, b;

		comma = memchr(item, ',', n - pos);
		il = comma ? (size_t)(comma - item) : n - pos;
		for (size_t i = 0; i + 1 < il; i++)
			if (item[i] == '.' && item[i + 1] == '.') {
				dots = item + i;
				break;
			}
		if (dots != NULL) {
			a = wday_index(item, (size_t)(dots - item));
			b = wday_index(dots + 2, il - (size_t)(dots - item) - 2);
			if (a < 0 || b < 0 || b < a)
				return -1;
		} else if ((a = b = wday_index(item, il)) < 0)
			return -1;
		for (int i = a; i <= b; i++)
			*mask |= 1u << i;
		if (comma == NULL)
			break;
		pos += il + 1;
		if (pos >= n)
			return -1;	/* trailing comma */
	}
	return *mask ? 0 : -1;
}

static int
parse_date(const char *s, size_t n, struct irk_calendar *cal)
{
	const char *p[3];
	size_t l[3];
	int k = 0, tilde = 0;
	size_t start = 0;

	for (size_t i = 0; i <= n; i++) {
		if (i == n || s[i] == '-' || s[i] == '~') {
			if (k == 3)
				return -1;
			p[k] = s + start;
			l[k] = i - start;
			k++;
			if (i < n && s[i] == '~') {
				if (tilde)
					return -1;
				tilde = k;	/* the part after it is the day */
			}
			start = i + 1;
		}
	}
	if (k < 2)
		return -1;
	if (tilde && tilde != k - 1)
		return -1;
	cal->end_of_month = tilde != 0;
	if (k == 3 && parse_comp(p[0], l[0], YEAR_MIN, YEAR_MAX, 1,
	    &cal->year) != 0)
		return -1;
	if (parse_comp(p[k - 2], l[k - 2], 1, 12, 0, &cal->month) != 0 ||
	    parse_comp(p[k - 1], l[k - 1], 1, 31, 0, &cal->day) != 0)
		return -1;
	return 0;
}

static void
set_single(struct irk_cal_comp *c, int v)
{
	c->n = 1;
	c->r[0].start = c->r[0].stop = v;
	c->r[0].step = 1;
}

static int
parse_time(const char *s, size_t n, struct irk_calendar *cal, int *frac)
{
	const char *c1 = memchr(s, ':', n), *c2;

	if (c1 == NULL)
		return -1;
	c2 = memchr(c1 + 1, ':', n - (size_t)(c1 + 1 - s));
	if (memchr(s, '.', n) != NULL) {
		/* "00:00:00.5": sub-second events are not computed */
		const char *d = memchr(s, '.', n);

		if (c2 != NULL && d > c2 && (d + 1 >= s + n || d[1] != '.'))
			*frac = 1;
	}
	if (parse_comp(s, (size_t)(c1 - s), 0, 23, 0, &cal->hour) != 0)
		return -1;
	if (c2 == NULL) {
		set_single(&cal->second, 0);	/* "HH:MM" */
		return parse_comp(c1 + 1, n - (size_t)(c1 + 1 - s), 0, 59, 0,
		    &cal->minute);
	}
	if (parse_comp(c1 + 1, (size_t)(c2 - c1 - 1), 0, 59, 0,
	    &cal->minute) != 0)
		return -1;
	if (*frac)
		return 0;
	return parse_comp(c2 + 1, n - (size_t)(c2 + 1 - s), 0, 59, 0,
	    &cal->second);
}

/* The expansion of a shorthand ("daily") of len bytes, or NULL. */
static const char *
shorthand(const char *word, size_t len)
{
	static const struct {
		const char *name;
		const char *expand;
	} tab[] = {
		{ "minutely", "*-*-* *:*:00" },
		{ "hourly", "*-*-* *:00:00" },
		{ "daily", "*-*-* 00:00:00" },
		{ "monthly", "*-*-01 00:00:00" },
		{ "weekly", "Mon *-*-* 00:00:00" },
		{ "yearly", "*-01-01 00:00:00" },
		{ "annually", "*-01-01 00:00:00" },
		{ "quarterly", "*-01,04,07,10-01 00:00:00" },
		{ "semiannually", "*-01,07-01 00:00:00" },
	};

	for (size_t k = 0; k < sizeof(tab) / sizeof(tab[0]); k++)
		if (strlen(tab[k].name) == len &&
		    strncasecmp(word, tab[k].name, len) == 0)
			return tab[k].expand;
	return NULL;
}

/* Split s into at most 4 words (tok, tl); their count, or -1. */
static int
split_words(const char *s, const char *tok[4], size_t tl[4])
{
	int nt = 0;

	for (const char *p = s; *p;) {
		size_t n;

		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			break;
		n = strcspn(p, " \t");
		if (nt == 4)
			return -1;
		tok[nt] = p;
		tl[nt++] = n;
		p += n;
	}
	return nt;
}

/* "@UNIXTIME" (len bytes) as a single UTC instant. */
static int
parse_unix_time(const char *tok, size_t len, struct irk_calendar *cal,
    char *err, size_t errlen)
{
	int64_t v;
	char num[32];

	if (len - 1 >= sizeof(num) || len < 2) {
		seterr(err, errlen, "bad @timestamp");
		return IRK_CAL_INVALID;
	}
	memcpy(num, tok + 1, len - 1);
	num[len - 1] = '\0';
	if (irk_parse_i64(num, 10, 0, 253402300799LL, &v) != 0) {
		seterr(err, errlen, "bad @timestamp");
		return IRK_CAL_INVALID;
	}
	{
		int64_t days = v / 86400, sod = v % 86400;
		int64_t z = days + 719468, era = z / 146097;
		unsigned doe = (unsigned)(z - era * 146097);
		unsigned yoe = (doe - doe / 1460 + doe / 36524 -
		    doe / 146096) / 365;
		int y = (int)(yoe + era * 400);
		unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
		unsigned mp = (5 * doy + 2) / 153;
		unsigned d = doy - (153 * mp + 2) / 5 + 1;
		unsigned m = mp < 10 ? mp + 3 : mp - 9;

		y += m <= 2;
		set_single(&cal->year, y);
		set_single(&cal->month, (int)m);
		set_single(&cal->day, (int)d);
		set_single(&cal->hour, (int)(sod / 3600));
		set_single(&cal->minute, (int)(sod / 60 % 60));
		set_single(&cal->second, (int)(sod % 60));
		cal->utc = 1;
	}
	return IRK_CAL_OK;
}

int
irk_calendar_parse(const char *spec, struct irk_calendar *cal, char *err,
    size_t errlen)
{
	const char *tok[4], *expand;
	size_t tl[4];
	char buf[512];
	int nt, have_date = 0, have_time = 0, frac = 0, i = 0;

	memset(cal, 0, sizeof(*cal));
	if (snprintf(buf, sizeof(buf), "%s", spec) >= (int)sizeof(buf)) {
		seterr(err, errlen, "specification too long");
		return IRK_CAL_INVALID;
	}
	if ((nt = split_words(buf, tok, tl)) < 0) {
		seterr(err, errlen, "too many words");
		return IRK_CAL_INVALID;
	}
	if (nt == 0) {
		seterr(err, errlen, "empty specification");
		return IRK_CAL_INVALID;
	}
	/* a time zone last */
	if (nt > 1) {
		const char *t = tok[nt - 1];
		size_t n = tl[nt - 1];

		if ((n == 3 && strncasecmp(t, "UTC", 3) == 0) ||
		    (n == 7 && strncasecmp(t, "Etc/UTC", 7) == 0)) {
			cal->utc = 1;
			nt--;
		} else if (isalpha((unsigned char)t[0]) &&
		    wday_index(t, strcspn(t, ",.")) < 0) {
			seterr(err, errlen, "time zone other than UTC");
			return IRK_CAL_UNSUPPORTED;
		}
	}
	/* a Unix time */
	if (nt == 1 && tok[0][0] == '@')
		return parse_unix_time(tok[0], tl[0], cal, err, errlen);
	if (nt == 1 && (expand = shorthand(tok[0], tl[0])) != NULL) {
		int utc = cal->utc, r;

		r = irk_calendar_parse(expand, cal, err, errlen);
		cal->utc = utc;
		return r;
	}
	if (isalpha((unsigned char)tok[0][0])) {
		if (parse_weekdays(tok[0], tl[0], &cal->weekdays) != 0) {
			seterr(err, errlen, "bad weekday list");
			return IRK_CAL_INVALID;
		}
		i = 1;
	}
	for (; i < nt; i++) {
		if (memchr(tok[i], ':', tl[i]) != NULL && !have_time) {
			if (parse_time(tok[i], tl[i], cal, &frac) != 0) {
				seterr(err, errlen, "bad time");
				return IRK_CAL_INVALID;
			}
			have_time = 1;
		} else if (!have_date && !have_time &&
		    (memchr(tok[i], '-', tl[i]) != NULL ||
		    memchr(tok[i], '~', tl[i]) != NULL)) {
			if (parse_date(tok[i], tl[i], cal) != 0) {
				seterr(err, errlen, "bad date");
				return IRK_CAL_INVALID;
			}
			have_date = 1;
		} else {
			seterr(err, errlen, "unexpected word");
			return IRK_CAL_INVALID;
		}
	}
	if (!have_time) {
		set_single(&cal->hour, 0);
		set_single(&cal->minute, 0);
		set_single(&cal->second, 0);
	}
	if (frac) {
		seterr(err, errlen, "fractional seconds");
		return IRK_CAL_UNSUPPORTED;
	}
	if (i == 0 && !have_date && !have_time) {
		seterr(err, errlen, "nothing to schedule");
		return IRK_CAL_INVALID;
	}
	return IRK_CAL_OK;
}

/* ---- next elapse ---- */

static int
days_in_month(int y, int m)
{
	static const int d[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30,
	    31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return d[m - 1];
}

/* The smallest value >= v the component allows, or -1. */
static int
comp_next(const struct irk_cal_comp *c, int v, int max)
{
	int best = -1;

	if (c->n == 0)
		return v <= max ? v : -1;
	for (int i = 0; i < c->n; i++) {
		const struct irk_cal_rule *r = &c->r[i];
		int x;

		if (v <= r->start)
			x = r->start;
		else
			x = r->start + ((v - r->start + r->step - 1) / r->step) *
			    r->step;
		if (x > r->stop || x > max)
			continue;
		if (best < 0 || x < best)
			best = x;
	}
	return best;
}

/* Day-of-month match; with "~", counted from the end, steps downward. */
static int
day_ok(const struct irk_calendar *cal, int y, int m, int d)
{
	const struct irk_cal_comp *c = &cal->day;
	int v = d;

	if (!cal->end_of_month)
		return comp_next(c, d, 31) == d;
	v = days_in_month(y, m) + 1 - d;
	if (c->n == 0)
		return 1;
	for (int i = 0; i < c->n; i++) {
		const struct irk_cal_rule *r = &c->r[i];

		if (r->stop == r->start || r->stop != 31) {
			/* a value or a range: as written */
			if (v >= r->start && v <= r->stop &&
			    (v - r->start) % r->step == 0)
				return 1;
		} else if (v <= r->start && (r->start - v) % r->step == 0)
			return 1;	/* "~07/2": 7, 5, 3, 1 */
	}
	return 0;
}

static int
weekday(int y, int m, int d)
{
	int64_t days = irk_timegm(y, m, d, 0, 0, 0) / 86400;

	return (int)(((days % 7) + 7 + 3) % 7);	/* 0 = Monday */
}

int
irk_calendar_next(const struct irk_calendar *cal, int64_t after_us,
    int64_t *next_us)
{
	int64_t t = after_us / 1000000;
	int64_t days, sod, z, era;
	unsigned doe, yoe, doy, mp;
	int y, m, d, h, mi, s;

	if (after_us < 0 && after_us % 1000000 != 0)
		t--;
	t++;			/* strictly after, whole seconds */
	days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
	sod = t - days * 86400;
	z = days + 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = (int)(yoe + era * 400);
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = (int)(doy - (153 * mp + 2) / 5 + 1);
	m = (int)(mp < 10 ? mp + 3 : mp - 9);
	y += m <= 2;
	h = (int)(sod / 3600);
	mi = (int)(sod / 60 % 60);
	s = (int)(sod % 60);

	for (int guard = 0; guard < 2000000; guard++) {
		int v;

		if (y > YEAR_MAX)
			return -1;
		if ((v = comp_next(&cal->year, y, YEAR_MAX)) != y) {
			if (v < 0)
				return -1;
			y = v;
			m = 1, d = 1, h = 0, mi = 0, s = 0;
			continue;
		}
		if ((v = comp_next(&cal->month, m, 12)) != m) {
			if (v < 0) {
				y++;
				m = 1;
			} else
				m = v;
			d = 1, h = 0, mi = 0, s = 0;
			continue;
		}
		if (d > days_in_month(y, m) || !day_ok(cal, y, m, d) ||
		    (cal->weekdays && !(cal->weekdays &
		    (1u << weekday(y, m, d))))) {
			if (d >= days_in_month(y, m)) {
				d = 1;
				if (++m > 12) {
					m = 1;
					y++;
				}
			} else
				d++;
			h = 0, mi = 0, s = 0;
			continue;
		}
		if ((v = comp_next(&cal->hour, h, 23)) != h) {
			if (v < 0) {
				h = 24;		/* next day */
				goto next_day;
			}
			h = v;
			mi = 0, s = 0;
			continue;
		}
		if ((v = comp_next(&cal->minute, mi, 59)) != mi) {
			if (v < 0) {
				mi = 0, s = 0;
				if (++h > 23)
					goto next_day;
				continue;
			}
			mi = v;
			s = 0;
			continue;
		}
		if ((v = comp_next(&cal->second, s, 59)) != s) {
			if (v < 0) {
				s = 0;
				if (++mi > 59) {
					mi = 0;
					if (++h > 23)
						goto next_day;
				}
				continue;
			}
			s = v;
			continue;
		}
		*next_us = irk_timegm(y, m, d, h, mi, s) * 1000000;
		return 0;
next_day:
		h = 0, mi = 0, s = 0;
		if (++d > days_in_month(y, m)) {
			d = 1;
			if (++m > 12) {
				m = 1;
				y++;
			}
		}
	}
	return -1;
}
