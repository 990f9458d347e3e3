/*
 * out_util.h - printing evidence strings to a terminal or a log safely:
 * control characters and invalid bytes become \xNN.
 */
#ifndef IRKIT_OUT_UTIL_H
#define IRKIT_OUT_UTIL_H

#include <stdio.h>

void irk_out_safe(FILE *fp, const char *s);
/* "NAME: " (escaped) when name is not NULL. */
void irk_out_prefix(FILE *fp, const char *name);

#endif
