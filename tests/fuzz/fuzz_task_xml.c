/* fuzz_task_xml.c - the Windows task XML parser (win_tasks.c). */
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "image.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct irk_err err;
	json_t *rec;

	rec = irk_win_task_parse(data, size, "\\fuzz", &err);
	json_decref(rec);
	return 0;
}
