/*
 * fuzz_prefetch.c - the Prefetch wrapper (prefetch.c): bytes of a .pf
 * file, plain or MAM, to a record through libscca from memory.
 * max_len: 262144
 */
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "prefetch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct irk_err err;
	json_t *rec;

	if (irk_prefetch_parse(data, size, "/fuzz.pf", &rec, &err) == IRK_OK)
		json_decref(rec);
	return 0;
}
