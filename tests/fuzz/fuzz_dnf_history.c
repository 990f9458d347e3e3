/*
 * fuzz_dnf_history.c - dnf's history.sqlite (analyzer/db_dnf.c): the
 * bytes as the database read from memory, every row handed over walked.
 * max_len: 131072
 */
#include <stdint.h>
#include <string.h>

#include "db_dnf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
each(void *arg, const struct irk_dnf_item *it)
{
	size_t *n = arg;

	*n += it->name.n + it->version.n + it->arch.n + it->cmdline.n +
	    it->old_version.n + strlen(it->action) + (size_t)it->trans;
	if (it->name.n > 0)
		*n += (unsigned char)it->name.p[it->name.n - 1];
	return IRK_OK;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct irk_err err;
	size_t n = 0;
	int cut;

	(void)irk_dnf_history_read(data, size, each, &n, &cut, &err);
	return n == 1 ? 1 : 0;
}
