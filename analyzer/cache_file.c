/*
 * cache_file.c - the scan cache file (cache_file.h): written from a
 * case's scan_cache, read back line by line with every field checked
 * (a row that lies is refused, not trusted: see docs/scale-out.md).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cache_file.h"
#include "irkit/fs.h"
#include "irkit/banned.h"

#define TEXT_MAX	1024	/* mime, magic */

int
irk_cache_write_header(FILE *fp)
{
	return fprintf(fp, "{\"format\":\"%s\",\"version\":1}\n",
	    IRK_CACHE_FORMAT) < 0 ? -1 : 0;
}

int
irk_cache_write_row(FILE *fp, const struct irk_cache_row *row)
{
	json_t *o = json_pack("{s:s, s:s, s:I}", "sha256", row->sha256,
	    "rules_hash", row->rules_hash, "matches",
	    (json_int_t)row->matches);
	int r = -1;

	if (o == NULL) {
		errno = ENOMEM;
		return -1;
	}
	if (row->scanned_at != IRK_TIME_NONE)
		json_object_set_new(o, "scanned_at",
		    json_integer(row->scanned_at));
	/* libmagic's text: as it is (jansson escapes it; not UTF-8: left) */
	if (row->mime != NULL)
		json_object_set_new(o, "mime", json_string(row->mime));
	if (row->magic != NULL)
		json_object_set_new(o, "magic", json_string(row->magic));
	if (json_dumpf(o, fp, JSON_COMPACT | JSON_PRESERVE_ORDER) == 0 &&
	    fputc('\n', fp) != EOF)
		r = 0;
	json_decref(o);
	return r;
}

static json_t *
parse(const char *line, size_t len, char *why, size_t wlen)
{
	json_error_t je;
	json_t *o;

	if (len > IRK_CACHE_LINE_MAX) {
		(void)snprintf(why, wlen, "a line of more than %d bytes",
		    IRK_CACHE_LINE_MAX);
		return NULL;
	}
	o = json_loadb(line, len, JSON_REJECT_DUPLICATES, &je);
	if (o == NULL)
		(void)snprintf(why, wlen, "not JSON (%s)", je.text);
	else if (!json_is_object(o)) {
		(void)snprintf(why, wlen, "not a JSON object");
		json_decref(o);
		o = NULL;
	}
	return o;
}

int
irk_cache_parse_header(const char *line, size_t len, char *why, size_t wlen)
{
	json_t *o = parse(line, len, why, wlen);
	json_t *v;
	int r = -1;

	if (o == NULL)
		return -1;
	v = json_object_get(o, "format");
	if (!json_is_string(v) || strcmp(json_string_value(v),
	    IRK_CACHE_FORMAT) != 0)
		(void)snprintf(why, wlen, "not an irkit scan cache (no "
		    "\"format\": \"%s\" header)", IRK_CACHE_FORMAT);
	else if (json_integer_value(json_object_get(o, "version")) != 1)
		(void)snprintf(why, wlen, "a scan cache of another version "
		    "(this irkit-analyze reads version 1)");
	else
		r = 0;
	json_decref(o);
	return r;
}

/* 64 lowercase hex digits. */
static int
is_hex64(const json_t *v)
{
	const char *s = json_string_value(v);

	if (s == NULL || json_string_length(v) != 64)
		return 0;
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
			return 0;
	return 1;
}

/* A text field: absent or null (NULL), or a string without NUL. */
static int
text_field(const json_t *o, const char *key, const char **out)
{
	const json_t *v = json_object_get(o, key);

	*out = NULL;
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_string(v) || json_string_length(v) > TEXT_MAX ||
	    strlen(json_string_value(v)) != json_string_length(v))
		return -1;
	*out = json_string_value(v);
	return 0;
}

static int
row_fields(const json_t *o, struct irk_cache_row *row, char *why, size_t wlen)
{
	static const char *const known[] = { "sha256", "rules_hash",
	    "matches", "scanned_at", "mime", "magic", NULL };
	const json_t *m = json_object_get(o, "matches");
	const json_t *t = json_object_get(o, "scanned_at");
	const char *key;
	json_t *v;

	json_object_foreach((json_t *)o, key, v) {
		size_t i;

		for (i = 0; known[i] != NULL && strcmp(known[i], key) != 0;
		    i++)
			;
		if (known[i] == NULL) {
			(void)snprintf(why, wlen, "unknown key \"%.40s\"", key);
			return -1;
		}
	}
	if (!is_hex64(json_object_get(o, "sha256")) ||
	    !is_hex64(json_object_get(o, "rules_hash"))) {
		(void)snprintf(why, wlen, "sha256 and rules_hash must be 64 "
		    "lowercase hex digits");
		return -1;
	}
	/* a match is kept as the case's own rows: a row claiming one would
	 * skip the scan of that content and show nothing */
	if (!json_is_integer(m) || json_integer_value(m) != 0) {
		(void)snprintf(why, wlen, "matches must be 0");
		return -1;
	}
	if (t != NULL && !json_is_null(t) && (!json_is_integer(t) ||
	    json_integer_value(t) < 0)) {
		(void)snprintf(why, wlen, "scanned_at must be microseconds");
		return -1;
	}
	if (text_field(o, "mime", &row->mime) != 0 ||
	    text_field(o, "magic", &row->magic) != 0) {
		(void)snprintf(why, wlen, "mime and magic must be text of at "
		    "most %d bytes", TEXT_MAX);
		return -1;
	}
	memcpy(row->sha256, json_string_value(json_object_get(o, "sha256")),
	    65);
	memcpy(row->rules_hash, json_string_value(json_object_get(o,
	    "rules_hash")), 65);
	row->matches = 0;
	row->scanned_at = json_is_integer(t) ? json_integer_value(t) :
	    IRK_TIME_NONE;
	return 0;
}

int
irk_cache_parse_row(const char *line, size_t len, struct irk_cache_row *row,
    json_t **keep, char *why, size_t wlen)
{
	json_t *o = parse(line, len, why, wlen);

	*keep = NULL;
	memset(row, 0, sizeof(*row));
	if (o == NULL)
		return -1;
	if (row_fields(o, row, why, wlen) != 0) {
		json_decref(o);
		return -1;
	}
	*keep = o;
	return 0;
}
