/* fuzz_calendar.c - OnCalendar= parser and next-elapse computation. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "calendar.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct irk_calendar cal;
	char spec[600];
	int64_t next;

	if (size >= sizeof(spec))
		size = sizeof(spec) - 1;
	memcpy(spec, data, size);
	spec[size] = '\0';
	if (irk_calendar_parse(spec, &cal, NULL, 0) != IRK_CAL_OK)
		return 0;
	(void)irk_calendar_next(&cal, 1795302000000000LL, &next);
	(void)irk_calendar_next(&cal, -1, &next);
	(void)irk_calendar_next(&cal, 7258118399000000LL, &next);
	return 0;
}
