/*
 * str.h - small string helpers shared by the collectors and the
 * analyzer (one copy instead of one per file).
 */
#ifndef IRKIT_STR_H
#define IRKIT_STR_H

#include <stddef.h>

/*
 * A NUL-terminated malloc'd copy of the n bytes at s (which need not be
 * terminated; a NUL inside is copied as is), or NULL when out of memory.
 */
char *irk_dupn(const char *s, size_t n);

/* 1 when s ends with suf, else 0. */
int irk_has_suffix(const char *s, const char *suf);

#endif
