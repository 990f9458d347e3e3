/*
 * debver.c - Debian version ordering (debver.h), after deb-version(7).
 */
#include <string.h>

#include "irkit/debver.h"
#include "irkit/banned.h"

struct dv {
	const char *epoch, *up, *rev;
	size_t en, un, rn;
};

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int
is_letter(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* The parts of a version: epoch before the first ':' when it is
 * digits, revision after the last '-', upstream between. */
static void
split(const char *s, size_t n, struct dv *v)
{
	const char *c = memchr(s, ':', n), *d;
	size_t colon = c != NULL ? (size_t)(c - s) : n, dash;

	for (size_t i = 0; i < colon; i++)
		if (!is_digit(s[i])) {
			colon = n;
			break;
		}
	v->epoch = s;
	v->en = colon < n ? colon : 0;
	v->up = colon < n ? s + colon + 1 : s;
	v->un = n - (size_t)(v->up - s);
	d = memrchr(v->up, '-', v->un);
	dash = d != NULL ? (size_t)(d - v->up) : n;
	v->rev = v->up + (dash < n ? dash + 1 : v->un);
	v->rn = dash < n ? v->un - dash - 1 : 0;
	if (dash < n)
		v->un = dash;
}

/* A digit string's value order: leading zeros skipped, then the
 * longer is larger, then the first digit that differs. */
static int
num_cmp(const char *a, size_t an, const char *b, size_t bn)
{
	while (an > 0 && *a == '0')
		a++, an--;
	while (bn > 0 && *b == '0')
		b++, bn--;
	if (an != bn)
		return an < bn ? -1 : 1;
	for (size_t i = 0; i < an; i++)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	return 0;
}

/* The weight of a character of a non-digit part; the end and a digit
 * (where the part ends) weigh 0. */
static int
weight(const char *s, size_t i, size_t n)
{
	if (i >= n || is_digit(s[i]))
		return 0;
	if (s[i] == '~')
		return -1;
	if (is_letter(s[i]))
		return (unsigned char)s[i];
	return (unsigned char)s[i] + 256;
}

/* One upstream version or revision against another. */
static int
part_cmp(const char *a, size_t an, const char *b, size_t bn)
{
	size_t i = 0, j = 0, si, sj;
	int c;

	while (i < an || j < bn) {
		/* the non-digit parts, character by character */
		while ((i < an && !is_digit(a[i])) ||
		    (j < bn && !is_digit(b[j]))) {
			int wa = weight(a, i, an), wb = weight(b, j, bn);

			if (wa != wb)
				return wa < wb ? -1 : 1;
			if (i < an && !is_digit(a[i]))
				i++;
			if (j < bn && !is_digit(b[j]))
				j++;
		}
		/* the digit parts, as numbers (none: 0) */
		si = i;
		sj = j;
		while (i < an && is_digit(a[i]))
			i++;
		while (j < bn && is_digit(b[j]))
			j++;
		if ((c = num_cmp(a + si, i - si, b + sj, j - sj)) != 0)
			return c;
	}
	return 0;
}

int
irk_debver_cmp(const char *a, size_t an, const char *b, size_t bn)
{
	struct dv x, y;
	int c;

	split(a, an, &x);
	split(b, bn, &y);
	if ((c = num_cmp(x.epoch, x.en, y.epoch, y.en)) != 0)
		return c;
	if ((c = part_cmp(x.up, x.un, y.up, y.un)) != 0)
		return c;
	return part_cmp(x.rev, x.rn, y.rev, y.rn);
}
