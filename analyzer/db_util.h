/*
 * db_util.h - small helpers the loaders share: tolerant field access on
 * records (a missing or mistyped field is NULL, never an error).  The
 * binding of JSON values to SQLite parameters is in db_priv.h.
 */
#ifndef IRKIT_DB_UTIL_H
#define IRKIT_DB_UTIL_H

#include <stdint.h>
#include <jansson.h>

/* obj[key] as a string, or NULL when absent or not a string. */
const char *irk_j_str(const json_t *obj, const char *key);
/* The first of two keys that holds a string. */
const char *irk_j_str2(const json_t *obj, const char *k1, const char *k2);
/* Integer, boolean (1/0) or decimal string; def otherwise. */
int64_t irk_j_int(const json_t *obj, const char *key, int64_t def);
/* RFC 3339 string (or integer microseconds); IRK_TIME_NONE otherwise. */
int64_t irk_j_time(const json_t *obj, const char *key);
/* An argv array joined with spaces (malloc'd), or NULL. */
char *irk_j_join(const json_t *argv);

#endif
