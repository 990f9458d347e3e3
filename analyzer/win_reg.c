/* win_reg.c - registry hives in memory through libregf (see win_reg.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libbfio.h>
#include <libregf.h>

#include "image.h"
#include "win_reg.h"
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

static int
open_loaded(struct irk_hive *h, struct irk_err *err)
{
	libbfio_error_t *be = NULL;
	libregf_error_t *re = NULL;

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
	libregf_key_t *s = NULL;

	if (libregf_key_get_sub_key(k, i, &s, NULL) != 1)
		return NULL;
	return s;
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
