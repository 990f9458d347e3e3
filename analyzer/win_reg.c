/* win_reg.c - registry hives in memory through libregf (see win_reg.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libbfio.h>
#include <libregf.h>

#include "image.h"
#include "win_reg.h"
#include "irkit/le.h"
#include "irkit/banned.h"

#define FT_EPOCH_DIFF	116444736000000000ULL	/* 1601 to 1970 in 100 ns */

static int64_t
irk_filetime_us(uint64_t ft)
{
	if (ft == 0 || ft < FT_EPOCH_DIFF)
		return IRK_TIME_NONE;
	return (int64_t)((ft - FT_EPOCH_DIFF) / 10);
}

static void
regf_err(struct irk_err *err, const char *what, const char *path,
    libregf_error_t *e)
{
	char msg[256] = "";

	if (e != NULL) {
		libregf_error_sprint(e, msg, sizeof(msg));
		libregf_error_free(&e);
		/* keep the first line: the outermost cause */
		msg[strcspn(msg, "\n")] = '\0';
	}
	irk_err_set(err, EINVAL, "%s '%s'%s%s", what, path, msg[0] ? ": " : "",
	    msg);
}

/* --- counts a key claims ------------------------------------------ */

#define HBIN_START	4096	/* cell offsets count from the first bin */
#define NK_MIN		0x50	/* an nk cell: size, 0x4c bytes, a name */
#define VK_MIN		0x1c	/* a vk cell (0x18) and its list entry */
#define NK_PARENT	0x10
#define NK_NSUBKEYS	0x14
#define NK_NVALUES	0x24
#define NK_NAMELEN	0x48
#define NK_NAME		0x4c
#define NK_ROOT		0x0004	/* flags: the hive's root key */
#define NK_ASCII	0x0020	/* flags: the name is 8-bit, not UTF-16 */
#define PATH_DEPTH	64

/* The data of the nk cell at a hive offset (from the first bin), or NULL. */
static const unsigned char *
nk_at(const struct irk_hive *h, uint32_t off)
{
	const unsigned char *b = (const unsigned char *)h->data.data;
	size_t at = (size_t)off + HBIN_START;

	if (off == 0xffffffffU || at + 4 + NK_NAME > h->data.len ||
	    memcmp(b + at + 4, "nk", 2) != 0)
		return NULL;
	return b + at + 4;
}

/* Prepend "\name" of the nk cell d to out (len bytes, holding *used). */
static void
path_prepend(const struct irk_hive *h, const unsigned char *d, char *out,
    size_t len, size_t *used)
{
	const unsigned char *end = (const unsigned char *)h->data.data +
	    h->data.len;
	size_t n = d[NK_NAMELEN] | (size_t)d[NK_NAMELEN + 1] << 8;
	int ascii = (d[2] | d[3] << 8) & NK_ASCII;
	char name[128];
	size_t k = 0;

	if (n > (size_t)(end - (d + NK_NAME)))
		n = (size_t)(end - (d + NK_NAME));
	/* the name as printable ASCII: a path to read in a log, not a key */
	for (size_t i = 0; i < n && k < sizeof(name); i += ascii ? 1 : 2) {
		unsigned ch = d[NK_NAME + i];

		if (!ascii && i + 1 < n && d[NK_NAME + i + 1] != 0)
			ch = '?';
		name[k++] = ch >= 0x20 && ch < 0x7f ? (char)ch : '?';
	}
	if (*used + k + 1 >= len)
		return;
	memmove(out + k + 1, out, *used + 1);
	out[0] = '\\';
	memcpy(out + 1, name, k);
	*used += k + 1;
}

/* The path below the root of the key whose nk cell is d. */
static void
key_path(const struct irk_hive *h, const unsigned char *d, char *out,
    size_t len)
{
	size_t used = 0;

	out[0] = '\0';
	for (int depth = 0; d != NULL && depth < PATH_DEPTH; depth++) {
		if ((d[2] | d[3] << 8) & NK_ROOT)
			break;
		path_prepend(h, d, out, len, &used);
		d = nk_at(h, irk_le32(d + NK_PARENT));
	}
	if (used == 0)
		snprintf(out, len, "\\");
}

static void
bad_count(struct irk_hive *h, unsigned char *d, size_t field,
    const char *what)
{
	if (h->nbad < IRK_HIVE_BAD_MAX) {
		struct irk_hive_bad *b = &h->bad[h->nbad];

		key_path(h, d, b->key, sizeof(b->key));
		b->what = what;
		b->count = irk_le32(d + field);
	}
	h->nbad++;
	memset(d + field, 0, 4);
}

/*
 * Every nk cell (an allocated cell of NK_MIN bytes or more starting
 * "nk", at any offset: libregf does not ask cells to be aligned) whose
 * value or sub-key count, added to those of the keys before it, needs
 * more bytes than the hive has: the count is set to 0 in the copy and
 * the key kept for irk_hive_report.  In a sound hive every value is a
 * cell of its own and so is every sub-key, so the totals fit; with them
 * bounded, so is what libregf lists for the whole hive.  One pass over
 * the bytes, before libregf opens a key.
 */
static void
check_counts(struct irk_hive *h)
{
	unsigned char *b = (unsigned char *)h->data.data;
	size_t len = h->data.len;
	uint64_t nval = 0, nsub = 0, v, k;

	for (size_t at = HBIN_START + 4; at + NK_NAME <= len; at++) {
		unsigned char *d;
		int32_t size;

		if (b[at] != 'n' || b[at + 1] != 'k')
			continue;
		d = b + at;
		size = (int32_t)irk_le32(d - 4);
		if (size >= 0 || -(int64_t)size < NK_MIN)
			continue;
		v = irk_le32(d + NK_NVALUES);
		k = irk_le32(d + NK_NSUBKEYS);
		if ((nval + v) * VK_MIN > len)
			bad_count(h, d, NK_NVALUES, "values");
		else
			nval += v;
		if ((nsub + k) * NK_MIN > len)
			bad_count(h, d, NK_NSUBKEYS, "sub-keys");
		else
			nsub += k;
	}
}

int
irk_hive_report(const struct irk_hive *h, struct irk_collect *c)
{
	size_t i;

	for (i = 0; i < h->nbad && i < IRK_HIVE_BAD_MAX; i++)
		irk_collect_log(c, IRK_LOG_ERROR, h->path, 0,
		    "key '%s' claims %u %s, more than the hive's %zu bytes "
		    "can hold: read without them", h->bad[i].key,
		    h->bad[i].count, h->bad[i].what, h->data.len);
	if (h->nbad > IRK_HIVE_BAD_MAX)
		irk_collect_log(c, IRK_LOG_ERROR, h->path, 0,
		    "%zu more keys claim impossible counts",
		    h->nbad - IRK_HIVE_BAD_MAX);
	return h->nbad > 0 ? IRK_FAIL : IRK_OK;
}

static int
open_loaded(struct irk_hive *h, struct irk_err *err)
{
	libbfio_error_t *be = NULL;
	libregf_error_t *re = NULL;

	check_counts(h);
	if (libbfio_memory_range_initialize(&h->io, &be) != 1 ||
	    libbfio_memory_range_set(h->io, (uint8_t *)h->data.data,
	    h->data.len, &be) != 1) {
		libbfio_error_free(&be);
		irk_err_set(err, ENOMEM, "cannot read hive '%s'", h->path);
		goto fail;
	}
	if (libregf_file_initialize(&h->file, &re) != 1) {
		regf_err(err, "cannot read hive", h->path, re);
		goto fail;
	}
	if (libregf_file_open_file_io_handle(h->file, h->io,
	    LIBREGF_OPEN_READ, &re) != 1) {
		regf_err(err, "not a readable registry hive", h->path, re);
		goto fail;
	}
	return IRK_OK;
fail:
	irk_hive_close(h);
	return IRK_FAIL;
}

int
irk_hive_open(struct irk_hive *h, struct irk_fs *fs, const char *path,
    struct irk_err *err)
{
	int r;

	memset(h, 0, sizeof(*h));
	snprintf(h->path, sizeof(h->path), "%s", path);
	irk_buf_init(&h->data, IRK_HIVE_MAX);
	r = irk_fs_read_file(fs, path, &h->data, NULL, err);
	if (r != IRK_OK) {
		irk_buf_release(&h->data);
		return IRK_FAIL;
	}
	return open_loaded(h, err);
}

int
irk_hive_open_mem(struct irk_hive *h, const void *data, size_t len,
    struct irk_err *err)
{
	memset(h, 0, sizeof(*h));
	snprintf(h->path, sizeof(h->path), "(memory)");
	irk_buf_init(&h->data, len + 1);
	if (irk_buf_add(&h->data, data, len) != IRK_OK) {
		irk_buf_release(&h->data);
		irk_err_set(err, ENOMEM, "cannot read hive");
		return IRK_FAIL;
	}
	return open_loaded(h, err);
}

void
irk_hive_close(struct irk_hive *h)
{
	if (h->file != NULL) {
		libregf_file_close(h->file, NULL);
		libregf_file_free(&h->file, NULL);
	}
	if (h->io != NULL)
		libbfio_handle_free(&h->io, NULL);
	irk_buf_release(&h->data);
}

libregf_key_t *
irk_hive_key(struct irk_hive *h, const char *path)
{
	libregf_key_t *k = NULL;

	if (h->file == NULL)
		return NULL;
	if (path[0] == '\0' || strcmp(path, "\\") == 0) {
		if (libregf_file_get_root_key(h->file, &k, NULL) != 1)
			return NULL;
		return k;
	}
	if (libregf_file_get_key_by_utf8_path(h->file, (const uint8_t *)path,
	    strlen(path), &k, NULL) != 1)
		return NULL;
	return k;
}

libregf_key_t *
irk_reg_subkey(libregf_key_t *k, const char *name)
{
	libregf_key_t *s = NULL;

	if (k == NULL || libregf_key_get_sub_key_by_utf8_path(k,
	    (const uint8_t *)name, strlen(name), &s, NULL) != 1)
		return NULL;
	return s;
}

int
irk_reg_nsubkeys(libregf_key_t *k)
{
	int n = 0;

	if (k == NULL || libregf_key_get_number_of_sub_keys(k, &n, NULL) != 1)
		return 0;
	return n;
}

libregf_key_t *
irk_reg_subkey_at(libregf_key_t *k, int i)
{
	return irk_reg_subkey_read(k, i, NULL);
}

libregf_key_t *
irk_reg_subkey_read(libregf_key_t *k, int i, struct irk_err *err)
{
	libregf_key_t *s = NULL;
	libregf_error_t *e = NULL;
	char msg[256] = "";

	if (libregf_key_get_sub_key(k, i, &s, err != NULL ? &e : NULL) == 1)
		return s;
	if (e != NULL) {
		libregf_error_sprint(e, msg, sizeof(msg));
		libregf_error_free(&e);
		msg[strcspn(msg, "\n")] = '\0';
	}
	if (err != NULL)
		irk_err_set(err, EINVAL, "libregf: %s", msg[0] ? msg :
		    "unknown error");
	return NULL;
}

void
irk_reg_key_name(libregf_key_t *k, char *out, size_t len)
{
	size_t need = 0;

	out[0] = '\0';
	if (libregf_key_get_utf8_name_size(k, &need, NULL) != 1 ||
	    need == 0 || need > len)
		return;
	if (libregf_key_get_utf8_name(k, (uint8_t *)out, len, NULL) != 1)
		out[0] = '\0';
}

int64_t
irk_reg_key_time(libregf_key_t *k)
{
	uint64_t ft = 0;

	if (libregf_key_get_last_written_time(k, &ft, NULL) != 1)
		return IRK_TIME_NONE;
	return irk_filetime_us(ft);
}

static libregf_value_t *
value(libregf_key_t *k, const char *name, uint32_t *type)
{
	libregf_value_t *v = NULL;

	if (k == NULL || libregf_key_get_value_by_utf8_name(k,
	    (const uint8_t *)name, strlen(name), &v, NULL) != 1 || v == NULL)
		return NULL;
	if (libregf_value_get_value_type(v, type, NULL) != 1) {
		libregf_value_free(&v, NULL);
		return NULL;
	}
	return v;
}

char *
irk_reg_str(libregf_key_t *k, const char *name)
{
	libregf_value_t *v;
	uint32_t type;
	size_t n = 0;
	char *s = NULL;

	if ((v = value(k, name, &type)) == NULL)
		return NULL;
	if ((type == LIBREGF_VALUE_TYPE_STRING ||
	    type == LIBREGF_VALUE_TYPE_EXPANDABLE_STRING ||
	    type == LIBREGF_VALUE_TYPE_MULTI_VALUE_STRING) &&
	    libregf_value_get_value_utf8_string_size(v, &n, NULL) == 1 &&
	    n > 0 && n < (1U << 20) && (s = malloc(n)) != NULL &&
	    libregf_value_get_value_utf8_string(v, (uint8_t *)s, n, NULL) != 1) {
		free(s);
		s = NULL;
	}
	libregf_value_free(&v, NULL);
	return s;
}

int
irk_reg_dword(libregf_key_t *k, const char *name, uint32_t *out)
{
	libregf_value_t *v;
	uint32_t type;
	int r = -1;

	if ((v = value(k, name, &type)) == NULL)
		return -1;
	if ((type == LIBREGF_VALUE_TYPE_INTEGER_32BIT_LITTLE_ENDIAN ||
	    type == LIBREGF_VALUE_TYPE_INTEGER_32BIT_BIG_ENDIAN) &&
	    libregf_value_get_value_32bit(v, out, NULL) == 1)
		r = 0;
	libregf_value_free(&v, NULL);
	return r;
}

unsigned char *
irk_reg_bin(libregf_key_t *k, const char *name, size_t max, size_t *len)
{
	libregf_value_t *v;
	uint32_t type;
	size_t n = 0;
	unsigned char *b = NULL;

	if ((v = value(k, name, &type)) == NULL)
		return NULL;
	if (libregf_value_get_value_binary_data_size(v, &n, NULL) == 1 &&
	    n > 0 && n <= max && (b = malloc(n)) != NULL) {
		if (libregf_value_get_value_binary_data(v, b, n, NULL) != 1) {
			free(b);
			b = NULL;
		} else
			*len = n;
	}
	libregf_value_free(&v, NULL);
	return b;
}
