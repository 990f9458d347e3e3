/*
 * db_util.c - tolerant record field access and JSON binding (db_util.h).
 */
#include <stdlib.h>
#include <string.h>

#include "db_priv.h"
#include "db_util.h"
#include "irkit/fs.h"
#include "irkit/parse.h"
#include "irkit/timeutil.h"
#include "irkit/banned.h"

const char *
irk_j_str(const json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

const char *
irk_j_str2(const json_t *obj, const char *k1, const char *k2)
{
	const char *s = irk_j_str(obj, k1);

	return s != NULL ? s : irk_j_str(obj, k2);
}

int64_t
irk_j_int(const json_t *obj, const char *key, int64_t def)
{
	json_t *v = json_object_get(obj, key);
	int64_t n;

	if (json_is_integer(v))
		return (int64_t)json_integer_value(v);
	if (json_is_boolean(v))
		return json_is_true(v) ? 1 : 0;
	if (json_is_string(v) && irk_parse_i64(json_string_value(v), 10,
	    INT64_MIN, INT64_MAX, &n) == 0)
		return n;
	return def;
}

int64_t
irk_j_time(const json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	int64_t us;

	if (json_is_string(v) && irk_time_parse(json_string_value(v), &us) == 0)
		return us;
	if (json_is_integer(v) && json_integer_value(v) != IRK_TIME_NONE)
		return (int64_t)json_integer_value(v);
	return IRK_TIME_NONE;
}

char *
irk_j_join(const json_t *argv)
{
	size_t i, len = 0;
	json_t *a;
	char *out, *p;

	if (json_is_string(argv))
		return strdup(json_string_value(argv));
	if (!json_is_array(argv) || json_array_size(argv) == 0)
		return NULL;
	json_array_foreach(argv, i, a)
		if (json_is_string(a))
			len += json_string_length(a) + 1;
	if ((out = p = malloc(len + 1)) == NULL)
		return NULL;
	json_array_foreach(argv, i, a) {
		size_t n;

		if (!json_is_string(a))
			continue;
		n = json_string_length(a);
		if (p != out)
			*p++ = ' ';
		memcpy(p, json_string_value(a), n);
		p += n;
	}
	*p = '\0';
	return out;
}

void
irk_db_bind_json(sqlite3_stmt *s, int i, const json_t *v)
{
	char *t;

	switch (v == NULL ? JSON_NULL : json_typeof(v)) {
	case JSON_STRING:
		(void)sqlite3_bind_text(s, i, json_string_value(v),
		    (int)json_string_length(v), SQLITE_STATIC);
		break;
	case JSON_INTEGER:
		(void)sqlite3_bind_int64(s, i, json_integer_value(v));
		break;
	case JSON_REAL:
		(void)sqlite3_bind_double(s, i, json_real_value(v));
		break;
	case JSON_TRUE:
		(void)sqlite3_bind_int(s, i, 1);
		break;
	case JSON_FALSE:
		(void)sqlite3_bind_int(s, i, 0);
		break;
	case JSON_OBJECT:
	case JSON_ARRAY:
		t = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER);
		if (t != NULL) {
			(void)sqlite3_bind_text(s, i, t, -1, free);
			break;
		}
		/* FALLTHROUGH */
	default:
		(void)sqlite3_bind_null(s, i);
	}
}
