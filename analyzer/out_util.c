/*
 * out_util.c - safe printing of evidence strings (out_util.h).
 */
#include <stdio.h>

#include "out_util.h"
#include "irkit/banned.h"

void
irk_out_safe(FILE *fp, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; p && *p; p++) {
		if (*p < 0x20 || *p == 0x7f || *p == '\\')
			fprintf(fp, "\\x%02x", *p);
		else
			fputc(*p, fp);
	}
}

void
irk_out_prefix(FILE *fp, const char *name)
{
	if (name == NULL)
		return;
	irk_out_safe(fp, name);
	fputs(": ", fp);
}
