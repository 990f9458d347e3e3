/* json.c - record building helpers (see irkit/json.h). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "irkit/buf.h"
#include "irkit/err.h"
#include "irkit/json.h"
#include "irkit/timeutil.h"
#include "irkit/fe.h"
#include "irkit/banned.h"

json_t *
irk_json_strn(const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *u = (const unsigned char *)s;
	json_t *j;
	size_t i, n, o = 0;
	char *out;

	if (s == NULL)
		return json_null();
	/* ASCII runs byte by byte here, the rest sequence by sequence */
	for (i = 0; i < len; i += n) {
		n = 1;
		if (u[i] >= 0x80 && (n = irk_utf8_seq(u + i, len - i)) == 0)
			break;
		if (u[i] == 0)
			break;
	}
	/* checked here: jansson need not check it again */
	if (i == len)
		return json_stringn_nocheck(s, len);
	/* some bytes are not UTF-8: keep them visible as \xNN */
	if (len > (SIZE_MAX - 1) / 4 || (out = malloc(len * 4 + 1)) == NULL)
		return NULL;
	for (i = 0; i < len; i += n) {
		n = u[i] < 0x80 ? 1 : irk_utf8_seq(u + i, len - i);
		/* a literal backslash too, so the escaped form is reversible */
		if (n == 0 || u[i] == 0 || u[i] == '\\') {
			out[o++] = '\\';
			out[o++] = 'x';
			out[o++] = hex[u[i] >> 4];
			out[o++] = hex[u[i] & 15];
			n = 1;
		} else {
			memcpy(out + o, s + i, n);
			o += n;
		}
	}
	/* UTF-8 sequences and \xNN escapes only */
	j = json_stringn_nocheck(out, o);
	free(out);
	return j;
}

json_t *
irk_json_str(const char *s)
{
	return s == NULL ? json_null() : irk_json_strn(s, strlen(s));
}

static int
set(json_t *obj, const char *key, json_t *v)
{
	if (obj == NULL || v == NULL) {
		json_decref(v);
		return -1;
	}
	return json_object_set_new(obj, key, v);
}

int
irk_json_set_str(json_t *obj, const char *key, const char *s)
{
	return set(obj, key, irk_json_str(s));
}

int
irk_json_set_strn(json_t *obj, const char *key, const char *s, size_t n)
{
	return set(obj, key, irk_json_strn(s, n));
}

int
irk_json_set_int(json_t *obj, const char *key, int64_t v)
{
	return set(obj, key, json_integer(v));
}

int
irk_json_set_bool(json_t *obj, const char *key, int v)
{
	return set(obj, key, json_boolean(v));
}

int
irk_json_set_time(json_t *obj, const char *key, int64_t us)
{
	char t[IRK_TIME_LEN];

	if (us == IRK_TIME_NONE)
		return set(obj, key, json_null());
	return set(obj, key, json_string(irk_time_fmt(us, t)));
}

int
irk_json_set_mode(json_t *obj, const char *key, uint32_t mode)
{
	char m[16];

	(void)snprintf(m, sizeof(m), "%04o", mode & 07777);
	return set(obj, key, json_string(m));
}

int
irk_json_set_stat(json_t *obj, const struct irk_stat *st)
{
	int r = 0;

	r |= irk_json_set_int(obj, "size", (int64_t)st->size);
	r |= irk_json_set_mode(obj, "mode", st->mode);
	r |= irk_json_set_int(obj, "uid", st->uid);
	r |= irk_json_set_int(obj, "gid", st->gid);
	r |= irk_json_set_int(obj, "inode", (int64_t)st->ino);
	r |= irk_json_set_time(obj, "atime", st->atime);
	r |= irk_json_set_time(obj, "mtime", st->mtime);
	r |= irk_json_set_time(obj, "ctime", st->ctime);
	r |= irk_json_set_time(obj, "btime", st->btime);
	return r ? -1 : 0;
}

json_t *
irk_record_new(const char *type)
{
	json_t *r = json_object();

	if (r != NULL && json_object_set_new(r, "type", json_string(type))) {
		json_decref(r);
		return NULL;
	}
	return r;
}

static int
dump_cb(const char *buffer, size_t size, void *data)
{
	return irk_buf_add(data, buffer, size) == IRK_OK ? 0 : -1;
}

int
irk_json_dump_line(const json_t *obj, struct irk_buf *b)
{
	size_t before = b->len;

	if (json_dump_callback(obj, dump_cb, b,
	    JSON_COMPACT | JSON_PRESERVE_ORDER) != 0) {
		b->len = before;
		if (b->data != NULL)
			b->data[before] = '\0';
		return IRK_TOOBIG;
	}
	return IRK_OK;
}
