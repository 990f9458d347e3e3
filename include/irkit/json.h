/*
 * json.h - helpers for building records (jansson json_t objects).
 *
 * Records are JSON objects with a "type" field ("process", "service",
 * "task", "certificate", "private_key", "file", ...).  Strings from
 * evidence may hold any bytes: irk_json_str() keeps valid UTF-8 as is and
 * escapes every other byte as \xNN so a record is always valid JSON and
 * never silently altered.
 */
#ifndef IRKIT_JSON_H
#define IRKIT_JSON_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

#include "irkit/fs.h"

/* A JSON string from arbitrary bytes (see above); never NULL on success. */
json_t *irk_json_strn(const char *s, size_t len);
json_t *irk_json_str(const char *s);	/* NULL s gives JSON null */

/* obj[key] = value helpers; they ignore NULL obj.  Return 0 or -1. */
int irk_json_set_str(json_t *obj, const char *key, const char *s);
int irk_json_set_strn(json_t *obj, const char *key, const char *s, size_t n);
int irk_json_set_int(json_t *obj, const char *key, int64_t v);
int irk_json_set_bool(json_t *obj, const char *key, int v);
/* RFC 3339 string, or null when us == IRK_TIME_NONE. */
int irk_json_set_time(json_t *obj, const char *key, int64_t us);
/* "0755"-style octal permission string and numeric owner fields. */
int irk_json_set_mode(json_t *obj, const char *key, uint32_t mode);
/* owner/uid, gid, mode, size, inode and the four times from st. */
int irk_json_set_stat(json_t *obj, const struct irk_stat *st);

/* A new record {"type": type}. */
json_t *irk_record_new(const char *type);

/* One compact line (no newline) appended to b; IRK_TOOBIG if full. */
int irk_json_dump_line(const json_t *obj, struct irk_buf *b);

#endif
