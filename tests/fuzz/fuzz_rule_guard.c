/*
 * fuzz_rule_guard.c - the YARA rule source parser of pre-selection
 * (analyzer/rule_guard.c) and the classes on it (analyzer/presel.c):
 * every rule span inside the text and in order, every class's blanked
 * text the text's length with the same newlines.
 * max_len: 65536
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "irkit/err.h"
#include "presel.h"
#include "rule_guard.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_spans(const struct irk_guard_file *g, size_t size)
{
	size_t last = 0;

	for (size_t i = 0; i < g->nrules; i++) {
		const struct irk_guard_rule *r = &g->rules[i];

		if (r->start < last || r->end <= r->start || r->end > size ||
		    r->name == NULL)
			abort();
		last = r->end;
	}
}

/* a and b (n bytes each) have their newlines at the same offsets */
static int
same_newlines(const char *a, const char *b, size_t n)
{
	size_t i = 0;

	while (i < n) {
		const char *p = memchr(a + i, '\n', n - i);
		const char *q = memchr(b + i, '\n', n - i);

		if ((p == NULL) != (q == NULL))
			return 0;
		if (p == NULL)
			return 1;
		if (p - a != q - b)
			return 0;
		i = (size_t)(p - a) + 1;
	}
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct irk_presel_src src = { (const char *)data, size };
	struct irk_presel p;

	for (int flags = 0; flags <= IRK_GUARD_BREAK_OR; flags++) {
		struct irk_guard_file g;

		if (irk_guard_parse((const char *)data, size, flags, &g) ==
		    IRK_OK) {
			check_spans(&g, size);
			(void)irk_guard_mark_refs(&g, 1);
		}
		irk_guard_release(&g);
	}
	if (irk_presel_init(&p, &src, 1, 0) == IRK_OK) {
		for (size_t c = 0; c < p.nclasses; c++) {
			char *t;

			if (irk_presel_text(&p, (int)c, 0, &t) != IRK_OK)
				continue;
			if (!same_newlines(t, (const char *)data, size))
				abort();
			free(t);
		}
		(void)irk_presel_class(&p, data, size);
	}
	irk_presel_release(&p);
	return 0;
}
