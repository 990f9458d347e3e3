/*
 * fuzz_textout.c - the escaping behind export and report: any bytes in,
 * valid UTF-8 within the byte limit out, and the writers never crash.
 * The first byte picks the limit; the rest is the value.  Also the --tz
 * parser on the value as a string.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "irkit/buf.h"
#include "irkit/err.h"
#include "textout.h"
#include "irkit/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
valid_utf8(const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		size_t k;

		if (s[i] == 0)
			return 0;
		if (s[i] < 0x80)
			k = 1;
		else if (s[i] >= 0xc2 && s[i] <= 0xdf)
			k = 2;
		else if (s[i] >= 0xe0 && s[i] <= 0xef)
			k = 3;
		else if (s[i] >= 0xf0 && s[i] <= 0xf4)
			k = 4;
		else
			return 0;
		if (i + k > n)
			return 0;
		for (size_t j = 1; j < k; j++)
			if ((s[i + j] & 0xc0) != 0x80)
				return 0;
		i += k;
	}
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct irk_buf b;
	struct irk_err err;
	struct irk_tz tz;
	size_t max;
	char *s;
	FILE *fp;

	if (size < 1)
		return 0;
	max = data[0] == 0 ? 0 : 20 + (size_t)data[0] * 4;
	data++;
	size--;
	irk_buf_init(&b, size * 4 + 64);
	irk_text_clean(&b, (const char *)data, size, max);
	if (!valid_utf8((const unsigned char *)b.data, b.len))
		abort();
	if (max > 0 && b.len > max)
		abort();
	irk_buf_release(&b);
	if ((fp = fopen("/dev/null", "w")) != NULL) {
		irk_out_csv(fp, (const char *)data, size, max);
		irk_out_html(fp, (const char *)data, size, max);
		irk_out_pipe(fp, (const char *)data, size);
		fclose(fp);
	}
	if ((s = strndup((const char *)data, size)) != NULL) {
		if (irk_tz_init(&tz, s, &err) == 0) {
			char iso[IRK_TZ_ISO_LEN];

			irk_tz_iso(&tz, 1763762400123456LL, iso);
		}
		free(s);
	}
	return 0;
}
