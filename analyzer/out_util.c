/*
 * out_util.c - safe printing of evidence strings (out_util.h).
 */
#include <stdio.h>

#include "irkit/fe.h"
#include "out_util.h"
#include "irkit/banned.h"

void
irk_out_safe(FILE *fp, const char *s)
{
	if (s != NULL)
		irk_safe_fputs(s, fp);
}

void
irk_out_prefix(FILE *fp, const char *name)
{
	if (name == NULL)
		return;
	irk_out_safe(fp, name);
	fputs(": ", fp);
}
