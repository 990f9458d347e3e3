/* textout.c - escaping evidence strings for output (see textout.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "irkit/timeutil.h"
#include "textout.h"
#include "irkit/fe.h"
#include "irkit/banned.h"

void
irk_text_clean(struct irk_buf *b, const char *s, size_t n, size_t max)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i, k, start = b->len, cut;
	char esc[5];

	for (i = 0; i < n; i += k) {
		k = irk_utf8_seq(u + i, n - i);
		if (k == 0 || u[i] == 0) {
			(void)snprintf(esc, sizeof(esc), "\\x%02x", u[i]);
			(void)irk_buf_add(b, esc, 4);
			k = 1;
		} else
			(void)irk_buf_add(b, s + i, k);
		if (max > 0 && b->len - start > max)
			break;		/* enough to know it must be cut */
	}
	if (max == 0 || b->len - start <= max)
		return;
	cut = start + max - (sizeof(IRK_TRUNC_MARK) - 1);
	while (cut > start && ((unsigned char)b->data[cut] & 0xc0) == 0x80)
		cut--;
	b->len = cut;
	b->data[cut] = '\0';
	(void)irk_buf_addstr(b, IRK_TRUNC_MARK);
}

static void
clean(struct irk_buf *b, const char *s, size_t n, size_t max)
{
	irk_buf_init(b, (n + 16) * 4 + sizeof(IRK_TRUNC_MARK));
	irk_text_clean(b, s, n, max);
}

void
irk_out_csv(FILE *fp, const char *s, size_t n, size_t max)
{
	irk_out_csv_cell(fp, s, n, max, 0);
}

void
irk_out_csv_cell(FILE *fp, const char *s, size_t n, size_t max, int safe)
{
	struct irk_buf b;
	size_t i;
	int lead, quote;

	if (s == NULL || n == 0)
		return;
	clean(&b, s, n, max);
	/* OWASP: a leading ' makes a spreadsheet read the cell as text */
	lead = safe && b.len > 0 && b.data[0] != '\0' &&
	    strchr("=+-@\t\r", b.data[0]) != NULL;
	quote = lead || (b.len > 0 && (b.data[0] == ' ' ||
	    b.data[b.len - 1] == ' '));
	for (i = 0; !quote && i < b.len; i++)
		quote = strchr(",\"\n\r", b.data[i]) != NULL;
	if (!quote) {
		fwrite(b.data, 1, b.len, fp);
	} else {
		putc('"', fp);
		if (lead)
			putc('\'', fp);
		for (i = 0; i < b.len; i++) {
			if (b.data[i] == '"')
				putc('"', fp);
			putc(b.data[i], fp);
		}
		putc('"', fp);
	}
	irk_buf_release(&b);
}

void
irk_out_html(FILE *fp, const char *s, size_t n, size_t max)
{
	struct irk_buf b;
	size_t i, k;
	unsigned int bidi;

	if (s == NULL || n == 0)
		return;
	clean(&b, s, n, max);
	for (i = 0; i < b.len; i++) {
		unsigned char c = (unsigned char)b.data[i];

		if (c >= 0x80) {	/* b holds valid UTF-8 only */
			k = irk_utf8_seq((unsigned char *)b.data + i,
			    b.len - i);
			if ((bidi = irk_bidi_control((unsigned char *)b.data +
			    i, k)) != 0) {
				fprintf(fp, "\\u%04X", bidi);
				i += k - 1;
				continue;
			}
		}
		switch (c) {
		case '&':
			fputs("&amp;", fp);
			break;
		case '<':
			fputs("&lt;", fp);
			break;
		case '>':
			fputs("&gt;", fp);
			break;
		case '"':
			fputs("&quot;", fp);
			break;
		case '\'':
			fputs("&#39;", fp);
			break;
		default:
			if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f)
				fprintf(fp, "\\x%02x", c);
			else
				putc(c, fp);
		}
	}
	irk_buf_release(&b);
}

void
irk_out_htmls(FILE *fp, const char *s)
{
	if (s != NULL)
		irk_out_html(fp, s, strlen(s), 0);
}

void
irk_out_pipe(FILE *fp, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < n; i++) {
		unsigned int bidi = 0;
		size_t k = u[i] >= 0x80 ? irk_utf8_seq(u + i, n - i) : 0;

		if (k > 1)
			bidi = irk_bidi_control(u + i, k);
		if (u[i] == '|' || u[i] == '%')
			fprintf(fp, "%%%02X", u[i]);
		else if (u[i] < 0x20 || u[i] == 0x7f)
			fprintf(fp, "\\x%02x", u[i]);
		else if (bidi != 0) {
			fprintf(fp, "\\u%04X", bidi);
			i += k - 1;
		} else
			putc(u[i], fp);
	}
}

static int
parse_offset(const char *s, int *off)
{
	int sign, h, m;

	if ((s[0] != '+' && s[0] != '-') || strlen(s) != 6 || s[3] != ':')
		return -1;
	for (int i = 1; i < 6; i++)
		if (i != 3 && (s[i] < '0' || s[i] > '9'))
			return -1;
	sign = s[0] == '-' ? -1 : 1;
	h = (s[1] - '0') * 10 + (s[2] - '0');
	m = (s[4] - '0') * 10 + (s[5] - '0');
	if (h > 23 || m > 59)
		return -1;
	*off = sign * (h * 3600 + m * 60);
	return 0;
}

int
irk_tz_init(struct irk_tz *tz, const char *spec, struct irk_err *err)
{
	char path[256];
	struct stat st;
	size_t i;

	memset(tz, 0, sizeof(*tz));
	if (spec == NULL || strcmp(spec, "UTC") == 0 || strcmp(spec, "Z") == 0 ||
	    strcmp(spec, "utc") == 0 || strcmp(spec, "+00:00") == 0) {
		(void)snprintf(tz->name, sizeof(tz->name), "UTC");
		return 0;
	}
	if (parse_offset(spec, &tz->off) == 0) {
		tz->kind = 1;
		(void)snprintf(tz->name, sizeof(tz->name), "%s", spec);
		return 0;
	}
	/* a zone name: letters, digits, _ + - and / between parts */
	if (strlen(spec) >= sizeof(tz->name) || spec[0] == '/' ||
	    strstr(spec, "..") != NULL)
		goto bad;
	for (i = 0; spec[i] != '\0'; i++) {
		char c = spec[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '_' || c == '-' ||
		    c == '+' || c == '/'))
			goto bad;
	}
	if (snprintf(path, sizeof(path), "/usr/share/zoneinfo/%s", spec) >=
	    (int)sizeof(path) || stat(path, &st) != 0 || !S_ISREG(st.st_mode))
		goto bad;
	tz->kind = 2;
	(void)snprintf(tz->name, sizeof(tz->name), "%s", spec);
	if (setenv("TZ", spec, 1) != 0)
		goto bad;
	tzset();
	return 0;
bad:
	irk_err_set(err, 0, "unknown time zone '%s' (UTC, +HH:MM, or a name "
	    "in /usr/share/zoneinfo such as Europe/Berlin)", spec);
	return IRK_FAIL;
}

int64_t
irk_us_to_s(int64_t us)
{
	int64_t s = us / 1000000;

	if (us % 1000000 < 0)
		s--;
	return s;
}

void
irk_tz_tm(const struct irk_tz *tz, int64_t us, struct tm *tm, int *off,
    long *frac)
{
	int64_t s = irk_us_to_s(us);
	time_t t;

	*frac = (long)(us - s * 1000000);
	*off = 0;
	if (tz->kind == 1)
		*off = tz->off;
	t = (time_t)(s + *off);
	if (tz->kind == 2) {
		t = (time_t)s;
		if (localtime_r(&t, tm) != NULL) {
			*off = (int)tm->tm_gmtoff;
			return;
		}
	}
	if (gmtime_r(&t, tm) == NULL)
		memset(tm, 0, sizeof(*tm));
}

int
irk_tz_parse(const struct irk_tz *tz, const char *s, int64_t *us)
{
	struct tm tm;
	int64_t wall, t;
	long frac;
	int off;

	if (irk_time_parse(s, &wall) != 0)
		return -1;
	/* after "YYYY-MM-DD": a Z or an offset names the zone */
	if (strlen(s) > 10 && strpbrk(s + 10, "Zz+-") != NULL) {
		*us = wall;
		return 0;
	}
	/* the offset at the instant the wall time names, asked twice so a
	 * time near a daylight-saving change settles on its own side */
	irk_tz_tm(tz, wall, &tm, &off, &frac);
	t = wall - (int64_t)off * 1000000;
	irk_tz_tm(tz, t, &tm, &off, &frac);
	*us = wall - (int64_t)off * 1000000;
	return 0;
}

char *
irk_tz_iso(const struct irk_tz *tz, int64_t us, char out[IRK_TZ_ISO_LEN])
{
	struct tm tm;
	long frac;
	int off, a;

	irk_tz_tm(tz, us, &tm, &off, &frac);
	a = off < 0 ? -off : off;
	/* at most 35 characters; never a cut time */
	if (snprintf(out, IRK_TZ_ISO_LEN,
	    "%04d-%02d-%02dT%02d:%02d:%02d.%06ld%c%02d:%02d",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, frac, off < 0 ? '-' : '+', a / 3600,
	    (a % 3600) / 60) >= IRK_TZ_ISO_LEN)
		out[0] = '\0';
	return out;
}
