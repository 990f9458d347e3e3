/* timeutil.c - UTC times in microseconds (see irkit/timeutil.h). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "irkit/timeutil.h"
#include "irkit/banned.h"

int64_t
irk_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void
split(int64_t us, struct tm *tm, long *frac)
{
	int64_t s = us / 1000000;
	long f = (long)(us % 1000000);
	time_t t;

	if (f < 0) {
		f += 1000000;
		s--;
	}
	t = (time_t)s;
	if (gmtime_r(&t, tm) == NULL)
		memset(tm, 0, sizeof(*tm));
	*frac = f;
}

char *
irk_time_fmt(int64_t us, char out[IRK_TIME_LEN])
{
	struct tm tm;
	long frac;

	split(us, &tm, &frac);
	/* at most 28 characters (a 7-character year); never a cut time */
	if (snprintf(out, IRK_TIME_LEN, "%04d-%02d-%02dT%02d:%02d:%02d.%06ldZ",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, frac) >= IRK_TIME_LEN)
		out[0] = '\0';
	return out;
}

char *
irk_time_fmt_compact(int64_t us, char out[IRK_TIME_LEN])
{
	struct tm tm;
	long frac;

	split(us, &tm, &frac);
	if (snprintf(out, IRK_TIME_LEN, "%04d%02d%02dT%02d%02d%02dZ",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec) >= IRK_TIME_LEN)
		out[0] = '\0';		/* never a cut time */
	return out;
}

int64_t
irk_timegm(int year, int mon, int mday, int hour, int min, int sec)
{
	/* days from civil, after H. Hinnant's public algorithm */
	int64_t y = year - (mon <= 2);
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (mon + (mon > 2 ? -3 : 9)) + 2) / 5 + mday - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	int64_t days = era * 146097 + doe - 719468;

	return ((days * 24 + hour) * 60 + min) * 60 + sec;
}

static int
digits(const char **p, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if ((*p)[i] < '0' || (*p)[i] > '9')
			return -1;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*out = v;
	return 0;
}

int
irk_time_parse(const char *s, int64_t *us)
{
	int Y, M, D, h = 0, m = 0, sec = 0, oh, om;
	int64_t frac = 0, off = 0;
	const char *p = s;

	if (digits(&p, 4, &Y) || *p++ != '-' || digits(&p, 2, &M) ||
	    *p++ != '-' || digits(&p, 2, &D))
		return -1;
	if (M < 1 || M > 12 || D < 1 || D > 31)
		return -1;
	if (*p == 'T' || *p == 't' || *p == ' ') {
		p++;
		if (digits(&p, 2, &h) || *p++ != ':' || digits(&p, 2, &m))
			return -1;
		if (*p == ':') {
			p++;
			if (digits(&p, 2, &sec))
				return -1;
		}
		if (h > 23 || m > 59 || sec > 60)
			return -1;
		if (*p == '.') {
			int n = 0;

			p++;
			while (*p >= '0' && *p <= '9') {
				if (n < 6) {
					frac = frac * 10 + (*p - '0');
					n++;
				}
				p++;
			}
			if (n == 0)
				return -1;
			while (n++ < 6)
				frac *= 10;
		}
		if (*p == 'Z' || *p == 'z') {
			p++;
		} else if (*p == '+' || *p == '-') {
			int sign = *p++ == '-' ? -1 : 1;

			if (digits(&p, 2, &oh))
				return -1;
			if (*p == ':')
				p++;
			if (digits(&p, 2, &om))
				return -1;
			off = sign * (oh * 3600 + om * 60);
		}
	}
	if (*p != '\0')
		return -1;
	*us = (irk_timegm(Y, M, D, h, m, sec) - off) * 1000000 + frac;
	return 0;
}
