/*
 * parse.h - number parsing with range checks (instead of atoi/strtol
 * without checks).  All return 0 on success, -1 on any bad input: empty,
 * trailing junk, out of [min,max].
 */
#ifndef IRKIT_PARSE_H
#define IRKIT_PARSE_H

#include <stddef.h>
#include <stdint.h>

int irk_parse_u64(const char *s, int base, uint64_t max, uint64_t *out);
int irk_parse_i64(const char *s, int base, int64_t min, int64_t max,
    int64_t *out);
/* Same, on a span that need not be NUL-terminated. */
int irk_parse_u64n(const char *s, size_t len, int base, uint64_t max,
    uint64_t *out);
/* "64M", "1G", "512k", "1000": bytes. */
int irk_parse_size(const char *s, uint64_t *out);

#endif
