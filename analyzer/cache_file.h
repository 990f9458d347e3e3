/*
 * cache_file.h - the scan cache file of irkit-analyze cache export and
 * import (docs/scale-out.md): JSON lines, a header line then one scan
 * cache row a line.  The file may come from anywhere: every line is
 * checked before a row is taken.
 */
#ifndef IRKIT_CACHE_FILE_H
#define IRKIT_CACHE_FILE_H

#include <stddef.h>
#include <stdio.h>
#include <jansson.h>

#include "db_merge.h"

#define IRK_CACHE_FORMAT	"irkit-scan-cache"
#define IRK_CACHE_LINE_MAX	4096	/* a longer line is refused */

/* The header line, with its newline. */
int irk_cache_write_header(FILE *fp);
/* One row as a line.  0, or -1 (errno). */
int irk_cache_write_row(FILE *fp, const struct irk_cache_row *row);

/* 0 when line (len bytes, no newline) is the header; else -1, why. */
int irk_cache_parse_header(const char *line, size_t len, char *why,
    size_t wlen);
/*
 * Parse one row line into row (its strings point into *keep, to be
 * json_decref'd by the caller).  0, or -1 with why filled.
 */
int irk_cache_parse_row(const char *line, size_t len,
    struct irk_cache_row *row, json_t **keep, char *why, size_t wlen);

#endif
