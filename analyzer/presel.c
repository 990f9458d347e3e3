/*
 * presel.c - rule pre-selection classes (see presel.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "irkit/err.h"
#include "irkit/sha256.h"
#include "presel.h"
#include "irkit/banned.h"

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * The size bounds that make the classes: the distinct bounds of rules
 * that may be left out, thinned to a ladder where each is at least
 * twice the one below, and the largest IRK_PRESEL_BOUNDS of those (a
 * large file costs YARA the most; every set is memory).  Any choice is
 * exact: a file above bound b leaves out only rules bounded at b or
 * below.
 */
static int
choose_bounds(struct irk_presel *p)
{
	uint64_t *v = NULL, *nv, last = 0;
	size_t n = 0, k = 0;

	for (size_t f = 0; f < p->nfiles; f++)
		for (size_t i = 0; i < p->files[f].nrules; i++) {
			const struct irk_guard_rule *r = &p->files[f].rules[i];

			if (r->keep || r->max_size == IRK_GUARD_NO_BOUND)
				continue;
			if ((nv = realloc(v, (n + 1) * sizeof(*v))) == NULL) {
				free(v);
				return IRK_FATAL;
			}
			v = nv;
			v[n++] = r->max_size;
		}
	if (n > 0)
		qsort(v, n, sizeof(*v), cmp_u64);
	for (size_t i = 0; i < n; i++)
		if (k == 0 || v[i] / 2 >= last)
			v[k++] = last = v[i];
	p->nbounds = k < IRK_PRESEL_BOUNDS ? k : IRK_PRESEL_BOUNDS;
	if (k > 0)
		memcpy(p->bounds, v + (k - p->nbounds), p->nbounds *
		    sizeof(*v));
	free(v);
	return IRK_OK;
}

static void
class_of(const struct irk_presel *p, int c, int *hdr, uint64_t *min_size)
{
	size_t sz = (size_t)c % (p->nbounds + 1);

	*hdr = c / (int)(p->nbounds + 1);
	*min_size = sz == 0 ? 0 : p->bounds[sz - 1] + 1;
}

static int
left_out(const struct irk_presel *p, int c, size_t f, size_t i)
{
	int hdr;
	uint64_t min;

	if (p->files[f].whole)
		return 0;
	class_of(p, c, &hdr, &min);
	return !irk_guard_may_match(&p->files[f].rules[i], hdr, min);
}

/* The digest of what class c leaves out, and how many rules. */
static size_t
class_key(const struct irk_presel *p, int c, char *key)
{
	struct irk_hash h;
	size_t n = 0;

	if (irk_hash_init(&h, 0) != IRK_OK)
		return 0;
	irk_hash_update(&h, "irkit-presel-1\n", 15);
	for (size_t f = 0; f < p->nfiles; f++)
		for (size_t i = 0; i < p->files[f].nrules; i++) {
			char line[48];
			int len;

			if (!left_out(p, c, f, i))
				continue;
			len = snprintf(line, sizeof(line), "%zu:%zu\n", f, i);
			if (len > 0 && (size_t)len < sizeof(line))
				irk_hash_update(&h, line, (size_t)len);
			n++;
		}
	irk_hash_final(&h, key, NULL, NULL);
	return n;
}

/*
 * A class that leaves out fewer than 1/PRESEL_MIN_SHARE of the rules
 * uses the full set: its own would cost memory and loading time for
 * little gain.
 */
#define PRESEL_MIN_SHARE	10

static int
make_classes(struct irk_presel *p)
{
	size_t total = 0;

	for (size_t f = 0; f < p->nfiles; f++)
		total += p->files[f].nrules;
	p->nclasses = IRK_GUARD_NHDR * (p->nbounds + 1);
	p->canon = calloc(p->nclasses, sizeof(*p->canon));
	p->key = calloc(p->nclasses, sizeof(*p->key));
	p->left_out = calloc(p->nclasses, sizeof(*p->left_out));
	if (p->canon == NULL || p->key == NULL || p->left_out == NULL)
		return IRK_FATAL;
	for (size_t c = 0; c < p->nclasses; c++) {
		p->left_out[c] = class_key(p, (int)c, p->key[c]);
		p->canon[c] = p->left_out[c] == 0 || p->left_out[c] *
		    PRESEL_MIN_SHARE < total ? -1 : (int)c;
		for (size_t d = 0; d < c && p->left_out[c] > 0; d++)
			if (p->canon[d] == (int)d &&
			    strcmp(p->key[d], p->key[c]) == 0) {
				p->canon[c] = (int)d;
				break;
			}
	}
	return IRK_OK;
}

int
irk_presel_init(struct irk_presel *p, const struct irk_presel_src *src,
    size_t n, int flags)
{
	memset(p, 0, sizeof(*p));
	p->src = src;
	if ((p->files = calloc(n > 0 ? n : 1, sizeof(*p->files))) == NULL)
		return IRK_FATAL;
	for (size_t i = 0; i < n; i++) {
		p->nfiles++;
		if (irk_guard_parse(src[i].text, src[i].len, flags,
		    &p->files[i]) != IRK_OK)
			return IRK_FATAL;
	}
	if (irk_guard_mark_refs(p->files, p->nfiles) != IRK_OK ||
	    choose_bounds(p) != IRK_OK)
		return IRK_FATAL;
	return make_classes(p);
}

void
irk_presel_release(struct irk_presel *p)
{
	if (p == NULL)
		return;
	for (size_t i = 0; i < p->nfiles; i++)
		irk_guard_release(&p->files[i]);
	free(p->files);
	free(p->canon);
	free(p->key);
	free(p->left_out);
	memset(p, 0, sizeof(*p));
}

int
irk_presel_class(const struct irk_presel *p, const unsigned char *data,
    size_t len)
{
	size_t sz = 0;
	int hdr;

	if (p->nclasses == 0)
		return -1;
	hdr = irk_guard_hdr_class(data, len);
	while (sz < p->nbounds && (uint64_t)len > p->bounds[sz])
		sz++;
	return p->canon[(size_t)hdr * (p->nbounds + 1) + sz];
}

int
irk_presel_text(const struct irk_presel *p, int c, size_t f, char **out)
{
	const struct irk_presel_src *s = &p->src[f];
	char *t;

	if ((t = malloc(s->len + 1)) == NULL)
		return IRK_FATAL;
	memcpy(t, s->text, s->len);
	t[s->len] = '\0';
	for (size_t i = 0; i < p->files[f].nrules; i++) {
		const struct irk_guard_rule *r = &p->files[f].rules[i];

		if (!left_out(p, c, f, i) || r->end > s->len)
			continue;
		for (size_t k = r->start; k < r->end; k++)
			if (t[k] != '\n')
				t[k] = ' ';
	}
	*out = t;
	return IRK_OK;
}

const char *
irk_presel_key(const struct irk_presel *p, int c)
{
	return p->key[c];
}
