/*
 * fuzz_prefetch_mam.c - the MAM (Windows 10/11 compressed Prefetch)
 * unpacking with libfwnt's LZXPRESS Huffman decoder behind
 * irk_prefetch_mam_version (prefetch.c), bounded by the header's size;
 * the input gets a MAM header with a small unpacked size when it has
 * none, so the decoder always runs.
 * max_len: 131072
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "prefetch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char *b;

	if (size >= 8 && memcmp(data, "MAM\x04", 4) == 0) {
		(void)irk_prefetch_mam_version(data, size);
		return 0;
	}
	if ((b = malloc(size + 8)) == NULL)
		return 0;
	memcpy(b, "MAM\x04\x00\x00\x01\x00", 8);	/* 64 KiB unpacked */
	memcpy(b + 8, data, size);
	(void)irk_prefetch_mam_version(b, size + 8);
	free(b);
	return 0;
}
