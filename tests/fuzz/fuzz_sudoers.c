/* fuzz_sudoers.c - the sudoers line parser. */
#include <stdint.h>
#include <stdlib.h>

#include "sudoers_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_decref(irk_sudoers_line((const char *)data, size));
	return 0;
}
