/*
 * fuzz_audit.c - audit log records (analyzer/audit_parse.c): the
 * header and every field of each line, hex decoding, nested msg='...'.
 * max_len: 65536
 */
#include <stdint.h>
#include <string.h>

#include "audit_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
on_field(void *arg, const char *k, size_t kn, const char *v, size_t vn,
    int enriched)
{
	size_t *n = arg;

	for (size_t i = 0; i < kn; i++)
		*n += (unsigned char)k[i];
	for (size_t i = 0; i < vn; i++)
		*n += (unsigned char)v[i];
	*n += (size_t)enriched;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	size_t i = 0, n = 0;

	while (i < size) {
		const char *nl = memchr(s + i, '\n', size - i);
		size_t len = nl != NULL ? (size_t)(nl - (s + i)) : size - i;
		struct irk_audit_rec r;

		if (irk_audit_header(s + i, len, &r) == 0) {
			n += (size_t)irk_audit_standalone(r.type);
			irk_audit_fields(&r, on_field, &n);
		}
		i += len + 1;
	}
	return n == 1 ? 1 : 0;
}
