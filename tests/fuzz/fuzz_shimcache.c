/*
 * fuzz_shimcache.c - the AppCompatCache blob parser (win_shimcache.c,
 * irk_shimcache_parse) on any bytes: every entry handed over must be in
 * order, its path a C string of its buffer.
 *
 * max_len: 262144
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "win_art.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
entry(void *arg, const struct irk_shim_entry *e)
{
	size_t *n = arg;

	if (e->index != *n || memchr(e->path, '\0', sizeof(e->path)) == NULL ||
	    e->format == NULL)
		__builtin_trap();
	(*n)++;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct irk_err err;
	size_t n = 0;

	(void)irk_shimcache_parse(data, size, entry, &n, &err);
	if (n > IRK_SHIM_MAX_ENTRIES)
		__builtin_trap();
	return 0;
}
