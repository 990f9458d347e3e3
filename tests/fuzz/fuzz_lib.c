/* fuzz_lib.c - the shared parsers of lib/: passwd, numbers, times, JSON strings. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "irkit/json.h"
#include "irkit/parse.h"
#include "irkit/timeutil.h"
#include "irkit/users.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct irk_users u;
	char *s = malloc(size + 1);
	uint64_t v;
	int64_t t;
	json_t *j;

	memcpy(s, data, size);
	s[size] = '\0';
	memset(&u, 0, sizeof(u));
	irk_users_parse_passwd(&u, s, size);
	irk_users_release(&u);
	(void)irk_parse_size(s, &v);
	(void)irk_parse_u64(s, 16, UINT64_MAX, &v);
	(void)irk_time_parse(s, &t);
	j = irk_json_strn(s, size);
	json_decref(j);
	free(s);
	return 0;
}
