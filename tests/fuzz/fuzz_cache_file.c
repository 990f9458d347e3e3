/*
 * fuzz_cache_file.c - the scan cache file of irkit-analyze cache import
 * (cache_file.c) on arbitrary bytes: each line as the header and as a
 * row; a row that parses is written back and must parse again the same.
 * max_len: 16384
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cache_file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
round_trip(const struct irk_cache_row *row)
{
	struct irk_cache_row again;
	json_t *keep = NULL;
	char *buf = NULL, why[256];
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	if (fp == NULL)
		return;
	if (irk_cache_write_row(fp, row) != 0) {
		fclose(fp);
		free(buf);
		return;
	}
	fclose(fp);
	if (len > 0 && buf[len - 1] == '\n')
		len--;
	if (len <= IRK_CACHE_LINE_MAX) {
		if (irk_cache_parse_row(buf, len, &again, &keep, why,
		    sizeof(why)) != 0 || strcmp(again.sha256, row->sha256) != 0 ||
		    strcmp(again.rules_hash, row->rules_hash) != 0 ||
		    again.scanned_at != row->scanned_at)
			abort();
		json_decref(keep);
	}
	free(buf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		struct irk_cache_row row;
		json_t *keep = NULL;
		char why[256];

		(void)irk_cache_parse_header(p, n, why, sizeof(why));
		if (irk_cache_parse_row(p, n, &row, &keep, why,
		    sizeof(why)) == 0) {
			round_trip(&row);
			json_decref(keep);
		}
		p += n + 1;
	}
	return 0;
}
