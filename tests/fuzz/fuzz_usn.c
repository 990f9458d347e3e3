/*
 * fuzz_usn.c - the USN record parser (usn_parse.c) over bytes as a $J
 * stream read in two buffers (a record cut between them is read again,
 * as usn.c does), with a misaligned stream offset for the second.
 * max_len: 262144
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "usn.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
walk(const uint8_t *data, size_t size, uint64_t base, size_t *keep)
{
	struct irk_usn_stats st = { 0 };
	struct irk_usn_rec r;
	size_t off = 0;
	char why[512];

	while (irk_usn_next(data, size, &off, base, &r, &st) == 1)
		irk_usn_reasons(r.reason, why, sizeof(why));
	*keep = size - off;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t half = size / 2, keep;

	walk(data, size, 0, &keep);
	walk(data, half, 0, &keep);
	walk(data + half - keep, size - half + keep, half - keep, &keep);
	return 0;
}
