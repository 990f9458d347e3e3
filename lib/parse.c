/* parse.c - range-checked number parsing (see irkit/parse.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "irkit/parse.h"
#include "irkit/banned.h"

int
irk_parse_u64(const char *s, int base, uint64_t max, uint64_t *out)
{
	unsigned long long v;
	char *end;

	if (s == NULL || *s == '\0' || *s == '-' || *s == '+' || *s == ' ')
		return -1;
	errno = 0;
	v = strtoull(s, &end, base);
	if (errno != 0 || *end != '\0' || v > max)
		return -1;
	*out = v;
	return 0;
}

int
irk_parse_i64(const char *s, int base, int64_t min, int64_t max,
    int64_t *out)
{
	long long v;
	char *end;

	if (s == NULL || *s == '\0' || *s == ' ')
		return -1;
	errno = 0;
	v = strtoll(s, &end, base);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int
irk_parse_u64n(const char *s, size_t len, int base, uint64_t max,
    uint64_t *out)
{
	char tmp[32];

	if (len == 0 || len >= sizeof(tmp))
		return -1;
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	return irk_parse_u64(tmp, base, max, out);
}

int
irk_parse_size(const char *s, uint64_t *out)
{
	char tmp[32];
	size_t n;
	uint64_t v, mul = 1;

	if (s == NULL || (n = strlen(s)) == 0 || n >= sizeof(tmp))
		return -1;
	memcpy(tmp, s, n + 1);
	switch (tmp[n - 1]) {
	case 'k': case 'K': mul = 1ULL << 10; break;
	case 'm': case 'M': mul = 1ULL << 20; break;
	case 'g': case 'G': mul = 1ULL << 30; break;
	case 't': case 'T': mul = 1ULL << 40; break;
	default: break;
	}
	if (mul != 1)
		tmp[n - 1] = '\0';
	if (irk_parse_u64(tmp, 10, UINT64_MAX / mul, &v) != 0)
		return -1;
	*out = v * mul;
	return 0;
}
