/* str.c - small string helpers (see irkit/str.h). */
#include <stdlib.h>
#include <string.h>

#include "irkit/str.h"
#include "irkit/banned.h"

char *
irk_dupn(const char *s, size_t n)
{
	char *d = malloc(n + 1);

	if (d != NULL) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

int
irk_has_suffix(const char *s, const char *suf)
{
	size_t n = strlen(s), m = strlen(suf);

	return n >= m && strcmp(s + n - m, suf) == 0;
}
