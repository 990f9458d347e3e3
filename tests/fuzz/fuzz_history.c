/*
 * fuzz_history.c - the history formats (collectors/history_parse.c):
 * the first byte picks the format, the rest is split into lines as the
 * collector splits a file; every entry is checked against its bound.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "history_parse.h"
#include "irkit/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
check(void *arg, const struct irk_hist_entry *e)
{
	unsigned *sum = arg;

	if (e->len > IRK_HIST_ENTRY_MAX || (e->len > 0 && e->cmd == NULL))
		abort();
	/* every byte is readable */
	for (size_t i = 0; i < e->len; i++)
		*sum += (unsigned char)e->cmd[i];
	return IRK_OK;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct irk_hist_parser p;
	const char *s = (const char *)data + 1;
	size_t len, i = 0;
	unsigned sum = 0;

	if (size < 1)
		return 0;
	len = size - 1;
	irk_hist_init(&p, (enum irk_hist_format)(data[0] % 6), check, &sum);
	while (i < len) {
		const char *nl = memchr(s + i, '\n', len - i);
		size_t n = nl != NULL ? (size_t)(nl - s - i) : len - i;

		/* a line over 1 KiB is given cut, as the collector cuts */
		(void)irk_hist_line(&p, s + i, n > 1024 ? 1024 : n, n > 1024);
		i += n + 1;
	}
	(void)irk_hist_end(&p);
	irk_hist_release(&p);
	return 0;
}
