/*
 * fuzz_tzif.c - TZif files and their POSIX TZ footer (analyzer/tzif.c):
 * parsed, then every conversion asked at times across the whole range.
 * max_len: 65536
 */
#include <stdint.h>

#include "tzif.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int64_t times[] = { INT64_MIN / 4, -2147483648LL, -1, 0,
	    1700000000, 2147483647LL, 4102444800LL, INT64_MAX / 4 };
	struct irk_tzif *tz;
	struct irk_err err;
	int64_t u[2];

	if (irk_tzif_parse(&tz, data, size, &err) != IRK_OK)
		return 0;
	for (size_t i = 0; i < sizeof(times) / sizeof(times[0]); i++) {
		(void)irk_tzif_offset(tz, times[i], NULL);
		(void)irk_tzif_to_utc(tz, times[i], u);
	}
	irk_tzif_free(tz);
	return 0;
}
