/*
 * report_chart.c - the report's activity chart: events per time bucket
 * and host, stacked bars in an inline SVG, findings as red markers.
 *
 * It shows when things happened on the hosts.  A certificate's validity
 * dates (notBefore, notAfter: often decades away) are not activity: they
 * are neither drawn nor used for the range, and are counted under the
 * chart (they stay in the timeline and the exports).  The range is the
 * 2% to 98% quantile of the other event times (all of them under 50
 * events), widened to take in every finding, so that a stray 1970 file
 * time does not squash the rest; times before 1971 count as unknown.
 * What is left out is counted under the chart.  The bucket is
 * the smallest of hour, day, week, 30 days, year that gives at most
 * MAX_BUCKETS bars.  The scale is logarithmic when the range is wide
 * (day buckets or more) or the busiest bar is over 100 times the
 * quietest.  Memory: MAX_BUCKETS x MAX_HOSTS counters.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "irkit/err.h"
#include "irkit/timeutil.h"
#include "db_report.h"
#include "report.h"
#include "textout.h"
#include "irkit/banned.h"

#define MAX_BUCKETS	240
#define MIN_BUCKETS	24
#define MAX_HOSTS	6	/* the busiest; the rest is "other hosts" */
#define W		1120
#define H		300
#define PL		64	/* plot left, right, top, bottom margins */
#define PR		16
#define PT		16
#define PB		46

static const char *palette[MAX_HOSTS + 1] = {
	"#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#17becf",
	"#9aa3b0",
};

struct chart {
	int64_t lo, hi, origin, bucket;	/* us */
	int nb, nh, logscale;
	char *host[MAX_HOSTS];
	uint64_t cnt[MAX_BUCKETS][MAX_HOSTS + 1];
	uint64_t total[MAX_BUCKETS];
	uint64_t max, minpos, before, after, drawn, validity;
};

/* Times before 1971 are taken as unknown (0 and near it). */
#define SANE	(365LL * 86400 * 1000000)

/* The window of the second chart: hours, so under MAX_BUCKETS of them. */
#define AROUND_DAYS	9

/* One number of the chart (db_report.h): arg as its parameter. */
static int64_t
one(struct irk_db *db, enum irk_db_cnum which, int64_t arg, int *ok)
{
	return irk_db_chart_num(db, which, SANE, arg, ok);
}

static int
host_slot(struct chart *c, const char *h)
{
	for (int i = 0; i < c->nh; i++)
		if (strcmp(c->host[i], h) == 0)
			return i;
	return MAX_HOSTS;
}

static int
load(struct irk_db *db, struct chart *c, int64_t wlo, int64_t whi)
{
	static const int64_t sizes[] = { 3600, 86400, 7 * 86400, 30 * 86400,
	    365 * 86400, 10 * 365 * 86400 };
	struct irk_db_rows *st = NULL;
	struct irk_err err;
	int64_t n, k, span, f;
	int ok, i;

	n = one(db, IRK_CNUM_ACTIVITY_SINCE, SANE, &ok);
	if (!ok)
		return IRK_FAIL;
	c->validity = (uint64_t)one(db, IRK_CNUM_VALIDITY, 0, &ok);
	if (n == 0)
		return 0;
	if (wlo < whi) {		/* a given window */
		c->lo = wlo;
		c->hi = whi;
		goto range;
	}
	k = n >= 50 ? n / 50 : 0;
	c->lo = one(db, IRK_CNUM_NTH_FIRST, k, &ok);
	c->hi = one(db, IRK_CNUM_NTH_LAST, k, &ok);
	/* the findings are always in the picture */
	f = one(db, IRK_CNUM_FINDING_FIRST, SANE, &ok);
	if (ok && f < c->lo)
		c->lo = f;
	f = one(db, IRK_CNUM_FINDING_LAST, SANE, &ok);
	if (ok && f > c->hi)
		c->hi = f;
range:
	span = c->hi - c->lo;
	for (i = 0; i < (int)(sizeof(sizes) / sizeof(sizes[0])) - 1; i++)
		if (span / (sizes[i] * 1000000) < MAX_BUCKETS - 1)
			break;
	c->bucket = sizes[i] * 1000000;
	c->origin = irk_us_to_s(c->lo) / sizes[i] * sizes[i] * 1000000;
	if (c->lo < 0 && c->origin > c->lo)
		c->origin -= c->bucket;
	c->nb = (int)((c->hi - c->origin) / c->bucket) + 1;
	if (c->nb < MIN_BUCKETS) {	/* a short case: centre it */
		c->origin -= (int64_t)((MIN_BUCKETS - c->nb) / 2) * c->bucket;
		c->nb = MIN_BUCKETS;
	}
	if (c->nb > MAX_BUCKETS)
		c->nb = MAX_BUCKETS;
	c->hi = c->origin + (int64_t)c->nb * c->bucket - 1;
	c->before = (uint64_t)one(db, IRK_CNUM_BEFORE, c->origin, &ok);
	c->after = (uint64_t)one(db, IRK_CNUM_AFTER, c->hi, &ok);

	if (irk_db_chart_hosts(db, MAX_HOSTS, &st, &err) != IRK_OK)
		return IRK_FAIL;
	while (irk_db_rows_next(st) == 1 && c->nh < MAX_HOSTS)
		c->host[c->nh++] = strdup(irk_db_rows_text(st, 0, NULL));
	irk_db_rows_close(st);

	if (irk_db_chart_buckets(db, c->origin, c->bucket, c->hi, &st,
	    &err) != IRK_OK)
		return IRK_FAIL;
	while (irk_db_rows_next(st) == 1) {
		int64_t b = irk_db_rows_int(st, 1);
		uint64_t v = (uint64_t)irk_db_rows_int(st, 2);
		int h = host_slot(c, irk_db_rows_text(st, 0, NULL));

		if (b < 0 || b >= c->nb)
			continue;
		c->cnt[b][h] += v;
		c->total[b] += v;
		c->drawn += v;
	}
	irk_db_rows_close(st);
	for (i = 0; i < c->nb; i++) {
		if (c->total[i] > c->max)
			c->max = c->total[i];
		if (c->total[i] > 0 && (c->minpos == 0 ||
		    c->total[i] < c->minpos))
			c->minpos = c->total[i];
	}
	c->logscale = c->bucket >= 86400 * (int64_t)1000000 ||
	    (c->minpos > 0 && c->max / c->minpos > 100);
	return 0;
}

/* Height in pixels of a count (0..plot height). */
static double
yh(const struct chart *c, double v)
{
	double ph = H - PT - PB;

	if (v <= 0 || c->max == 0)
		return 0;
	if (c->logscale)
		return ph * log10(1 + v) / log10(1 + (double)c->max);
	return ph * v / (double)c->max;
}

static double
xpos(const struct chart *c, int64_t ts)
{
	double pw = W - PL - PR;

	return PL + pw * (double)(ts - c->origin) /
	    ((double)c->nb * (double)c->bucket);
}

static void
label_time(const struct chart *c, int64_t ts, char *out, size_t len)
{
	char t[IRK_TIME_LEN];

	irk_time_fmt(ts, t);
	if (c->bucket < 86400 * (int64_t)1000000)	/* 2025-11-21 22:00 */
		(void)snprintf(out, len, "%.10s %.5s", t, t + 11);
	else
		(void)snprintf(out, len, "%.10s", t);
}

static const char *
bucket_name(const struct chart *c)
{
	return c->bucket == 3600000000LL ? "hour" :
	    c->bucket == 86400000000LL ? "day" :
	    c->bucket == 604800000000LL ? "week" :
	    c->bucket == 2592000000000LL ? "30 days" : "year(s)";
}

static void
axes(FILE *fp, const struct chart *c)
{
	double ph = H - PT - PB;
	char lab[40];
	int i, step;

	fprintf(fp, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
	    "stroke=\"#5b6475\"/>\n", PL, H - PB, W - PR, H - PB);
	/* y ticks */
	if (c->logscale) {
		for (uint64_t v = 1; v <= c->max; v *= 10) {
			double y = H - PB - yh(c, (double)v);

			fprintf(fp, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" "
			    "y2=\"%.1f\" stroke=\"#e3e6eb\"/><text x=\"%d\" "
			    "y=\"%.1f\" text-anchor=\"end\">%llu</text>\n",
			    PL, y, W - PR, y, PL - 6, y + 4,
			    (unsigned long long)v);
			if (v > UINT64_MAX / 10)
				break;
		}
	} else {
		for (i = 0; i <= 4; i++) {
			double v = (double)c->max * i / 4;
			double y = H - PB - ph * i / 4;

			fprintf(fp, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" "
			    "y2=\"%.1f\" stroke=\"#e3e6eb\"/><text x=\"%d\" "
			    "y=\"%.1f\" text-anchor=\"end\">%.0f</text>\n",
			    PL, y, W - PR, y, PL - 6, y + 4, v);
		}
	}
	/* x labels: about 8 */
	step = c->nb / 8 + 1;
	for (i = 0; i < c->nb; i += step) {
		double x = xpos(c, c->origin + (int64_t)i * c->bucket);

		if (x > W - PR - 45)	/* no room for the label */
			break;
		label_time(c, c->origin + (int64_t)i * c->bucket, lab,
		    sizeof(lab));
		fprintf(fp, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" "
		    "y2=\"%d\" stroke=\"#5b6475\"/><text x=\"%.1f\" y=\"%d\" "
		    "text-anchor=\"middle\">%s</text>\n", x, H - PB, x,
		    H - PB + 5, x, H - PB + 19, lab);
	}
	fprintf(fp, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" "
	    "fill=\"#5b6475\">UTC, one bar per %s%s</text>\n", (W + PL) / 2,
	    H - 8, bucket_name(c),
	    c->logscale ? "; events, log scale" : "; events");
}

static void
bars(FILE *fp, const struct chart *c)
{
	double bw = (double)(W - PL - PR) / c->nb;
	int b, h;

	for (b = 0; b < c->nb; b++) {
		double x = PL + bw * b, top, y;
		char lab[40];

		if (c->total[b] == 0)
			continue;
		top = yh(c, (double)c->total[b]);
		y = H - PB;
		label_time(c, c->origin + (int64_t)b * c->bucket, lab,
		    sizeof(lab));
		fprintf(fp, "<g><title>%s: %llu events</title>\n", lab,
		    (unsigned long long)c->total[b]);
		for (h = 0; h <= MAX_HOSTS; h++) {
			double part;

			if (c->cnt[b][h] == 0)
				continue;
			part = top * (double)c->cnt[b][h] /
			    (double)c->total[b];
			y -= part;
			fprintf(fp, "<rect class=\"bar h%d\" x=\"%.2f\" "
			    "y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" "
			    "fill=\"%s\"/>\n", h, x + (bw > 3 ? 0.5 : 0), y,
			    bw > 3 ? bw - 1 : bw, part, palette[h]);
		}
		fputs("</g>\n", fp);
	}
}

static void
markers(struct irk_db *db, FILE *fp, const struct chart *c)
{
	struct irk_db_rows *st = NULL;
	struct irk_err err;

	if (irk_db_chart_findings(db, c->origin, c->hi, &st, &err) != IRK_OK)
		return;
	while (irk_db_rows_next(st) == 1) {
		double x = xpos(c, irk_db_rows_int(st, 0));
		size_t tn;
		const char *t = irk_db_rows_text(st, 2, &tn);

		fprintf(fp, "<g class=\"finding-mark\"><title>finding, score "
		    "%d: ", (int)irk_db_rows_int(st, 1));
		if (t != NULL)
			irk_out_html(fp, t, tn, 300);
		fprintf(fp, "</title><line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" "
		    "y2=\"%d\" stroke=\"#b3261e\" stroke-width=\"1.5\" "
		    "stroke-dasharray=\"4 3\"/><path d=\"M%.1f %d l-6 -10 h12 "
		    "z\" fill=\"#b3261e\"/></g>\n", x, PT, x, H - PB, x, PT + 2);
	}
	irk_db_rows_close(st);
}

/* The second chart's heading: what it draws, from the chart itself. */
static void
window_title(FILE *fp, const struct chart *c, int cut)
{
	char lo[IRK_TIME_LEN], hi[IRK_TIME_LEN];

	irk_time_fmt(c->origin, lo);
	irk_time_fmt(c->hi, hi);
	fprintf(fp, "<h3 class=\"sub\">Around the findings: %.10s %.5s to "
	    "%.10s %.5s UTC, one bar per %s</h3>\n", lo, lo + 11, hi, hi + 11,
	    bucket_name(c));
	if (cut)
		fprintf(fp, "<p class=\"note\">The findings span more than %d "
		    "days: this shows the last %d days, up to a day after the "
		    "latest finding; the others are on the chart above.</p>\n",
		    AROUND_DAYS, AROUND_DAYS);
}

static void
notes(FILE *fp, const struct chart *c, int whole)
{
	if (whole && (c->before > 0 || c->after > 0))
		fprintf(fp, "<p class=\"note\">Not drawn: %llu events before "
		    "and %llu after the range shown (the earliest and latest "
		    "2%% of the timeline, and times before 1971); they are in "
		    "the exports.</p>\n",
		    (unsigned long long)c->before,
		    (unsigned long long)c->after);
	if (whole && c->validity > 0)
		fprintf(fp, "<p class=\"note\">Not drawn: %llu certificate "
		    "validity dates (not before, not after); they say when a "
		    "certificate is valid, not when anything happened on the "
		    "host.  They are in the timeline and the exports.</p>\n",
		    (unsigned long long)c->validity);
}

/*
 * One chart: the whole timeline (wlo >= whi), or the window wlo..whi
 * under a heading that says what it draws (cut: the window was
 * shortened to AROUND_DAYS).
 */
static int
draw(struct irk_db *db, FILE *fp, int64_t wlo, int64_t whi, int cut,
    int64_t *bucket)
{
	struct chart *c;
	int rc, h;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return IRK_FAIL;
	if ((rc = load(db, c, wlo, whi)) != 0)
		goto out;
	*bucket = c->bucket;
	if (wlo < whi && c->bucket > 0)
		window_title(fp, c, cut);
	if (c->max == 0) {
		fputs("<p class=\"note\">No dated events in the timeline.</p>\n", fp);
		notes(fp, c, wlo >= whi);
		goto out;
	}
	fputs("<div class=\"chart\">\n", fp);
	fprintf(fp, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "viewBox=\"0 0 %d %d\" role=\"img\" font-size=\"11\" "
	    "font-family=\"DejaVu Sans, Arial, sans-serif\" "
	    "aria-label=\"events over time per host\">\n", W, H);
	axes(fp, c);
	bars(fp, c);
	markers(db, fp, c);
	fputs("</svg>\n<p class=\"legend\">", fp);
	for (h = 0; h < c->nh; h++) {
		fprintf(fp, "<span><i style=\"background:%s\"></i>", palette[h]);
		irk_out_html(fp, c->host[h], strlen(c->host[h]), 80);
		fputs("</span>", fp);
	}
	if (c->cnt[0][MAX_HOSTS] != 0 || c->nh == MAX_HOSTS)
		fprintf(fp, "<span><i style=\"background:%s\"></i>other "
		    "hosts</span>", palette[MAX_HOSTS]);
	fputs("<span><i style=\"background:#b3261e\"></i>finding</span>"
	    "</p>\n</div>\n", fp);
	notes(fp, c, wlo >= whi);
out:
	for (h = 0; h < c->nh; h++)
		free(c->host[h]);
	free(c);
	return rc;
}

/*
 * The whole timeline; when that needs buckets of a day or more and there
 * are dated findings, a second chart by the hour around them: a day
 * before the first to a day after the last, at most AROUND_DAYS (then
 * the last AROUND_DAYS), so that it has at most 24 * AROUND_DAYS bars.
 */
int
irk_report_chart(struct irk_db *db, FILE *fp)
{
	int64_t bucket = 0, b2, flo, fhi, day = 86400LL * 1000000;
	int ok1, ok2, rc, cut = 0;

	if ((rc = draw(db, fp, 0, 0, 0, &bucket)) != 0)
		return rc;
	if (bucket < day)
		return 0;
	flo = one(db, IRK_CNUM_FINDING_FIRST, SANE, &ok1);
	fhi = one(db, IRK_CNUM_FINDING_LAST, SANE, &ok2);
	if (!ok1 || !ok2)
		return 0;
	flo -= day;
	fhi += day;
	if (fhi - flo > AROUND_DAYS * day) {
		flo = fhi - AROUND_DAYS * day;
		cut = 1;
	}
	return draw(db, fp, flo, fhi, cut, &b2);
}
