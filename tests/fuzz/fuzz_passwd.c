/* fuzz_passwd.c - the passwd, shadow, group and gshadow line parsers. */
#include <stdint.h>
#include <stdlib.h>

#include "acct_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	json_t *(*const fn[])(const char *, size_t) = { irk_passwd_line,
	    irk_shadow_line, irk_group_line, irk_gshadow_line };

	for (size_t i = 0; i < sizeof(fn) / sizeof(fn[0]); i++)
		json_decref(fn[i](s, size));
	return 0;
}
