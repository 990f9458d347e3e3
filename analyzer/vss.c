/*
 * vss.c - Volume Shadow Snapshot stores through libvshadow (see vss.h):
 * a libbfio handle whose reads are TSK's reads of the volume, and a
 * TSK_IMG_INFO (tsk_img_open_external) whose reads are libvshadow's
 * reads of a store.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libbfio.h>
#include <libvshadow.h>

#include "vss.h"
#include "irkit/fs.h"
#include "irkit/le.h"
#include "irkit/banned.h"

#define FILETIME_1970	116444736000000000ULL	/* 1601 to 1970, 100 ns */

/* --- the volume as a libbfio handle --------------------------------- */

struct vol_io {
	TSK_IMG_INFO *img;
	TSK_OFF_T off, size;	/* the volume in the image */
	TSK_OFF_T pos;
	int open;
};

static int
vol_free(intptr_t **h, libbfio_error_t **e)
{
	(void)e;
	free(*h);
	*h = NULL;
	return 1;
}

static int
vol_clone(intptr_t **dst, intptr_t *src, libbfio_error_t **e)
{
	struct vol_io *c;

	(void)e;
	if ((c = malloc(sizeof(*c))) == NULL)
		return -1;
	memcpy(c, src, sizeof(*c));
	c->open = 0;
	*dst = (intptr_t *)c;
	return 1;
}

static int
vol_open(intptr_t *h, int flags, libbfio_error_t **e)
{
	struct vol_io *v = (struct vol_io *)h;

	(void)e;
	if (flags & LIBBFIO_ACCESS_FLAG_WRITE)
		return -1;
	v->open = 1;
	v->pos = 0;
	return 1;
}

static int
vol_close(intptr_t *h, libbfio_error_t **e)
{
	(void)e;
	((struct vol_io *)h)->open = 0;
	return 0;
}

static ssize_t
vol_read(intptr_t *h, uint8_t *buf, size_t len, libbfio_error_t **e)
{
	struct vol_io *v = (struct vol_io *)h;
	ssize_t n;

	(void)e;
	if (v->pos >= v->size)
		return 0;
	if ((TSK_OFF_T)len > v->size - v->pos)
		len = (size_t)(v->size - v->pos);
	n = tsk_img_read(v->img, v->off + v->pos, (char *)buf, len);
	if (n < 0) {
		tsk_error_reset();
		return -1;
	}
	v->pos += n;
	return n;
}

static ssize_t
vol_write(intptr_t *h, const uint8_t *buf, size_t len, libbfio_error_t **e)
{
	(void)h;
	(void)buf;
	(void)len;
	(void)e;
	return -1;
}

static off64_t
vol_seek(intptr_t *h, off64_t off, int whence, libbfio_error_t **e)
{
	struct vol_io *v = (struct vol_io *)h;
	TSK_OFF_T to = whence == SEEK_SET ? off : whence == SEEK_CUR ?
	    v->pos + off : whence == SEEK_END ? v->size + off : -1;

	(void)e;
	if (to < 0)
		return -1;
	v->pos = to;
	return to;
}

static int
vol_exists(intptr_t *h, libbfio_error_t **e)
{
	(void)h;
	(void)e;
	return 1;
}

static int
vol_is_open(intptr_t *h, libbfio_error_t **e)
{
	(void)e;
	return ((struct vol_io *)h)->open;
}

static int
vol_size(intptr_t *h, size64_t *size, libbfio_error_t **e)
{
	(void)e;
	*size = (size64_t)((struct vol_io *)h)->size;
	return 1;
}

static int
vol_handle(libbfio_handle_t **io, TSK_IMG_INFO *img, TSK_OFF_T off,
    TSK_OFF_T size)
{
	struct vol_io *v = calloc(1, sizeof(*v));

	if (v == NULL)
		return -1;
	v->img = img;
	v->off = off;
	v->size = size;
	if (libbfio_handle_initialize(io, (intptr_t *)v, vol_free, vol_clone,
	    vol_open, vol_close, vol_read, vol_write, vol_seek, vol_exists,
	    vol_is_open, vol_size, LIBBFIO_FLAG_IO_HANDLE_MANAGED |
	    LIBBFIO_FLAG_IO_HANDLE_CLONE_BY_FUNCTION, NULL) != 1) {
		free(v);
		return -1;
	}
	return 0;
}

/* --- the stores ------------------------------------------------------ */

struct irk_vss {
	libbfio_handle_t *io;
	libvshadow_volume_t *vol;
	int n;
};

/* A store's view for TSK: TSK_IMG_INFO first (tsk_img_open_external). */
struct store_img {
	TSK_IMG_INFO img;
	libvshadow_store_t *store;
	TSK_OFF_T size;
};

static ssize_t
store_read(TSK_IMG_INFO *img, TSK_OFF_T off, char *buf, size_t len)
{
	struct store_img *s = (struct store_img *)img;
	ssize_t n;

	if (off < 0 || off >= s->size)
		return 0;
	if ((TSK_OFF_T)len > s->size - off)
		len = (size_t)(s->size - off);
	n = libvshadow_store_read_buffer_at_offset(s->store, buf, len, off,
	    NULL);
	return n < 0 ? -1 : n;
}

static void
store_close(TSK_IMG_INFO *img)
{
	struct store_img *s = (struct store_img *)img;

	libvshadow_store_free(&s->store, NULL);
	free(s);
}

static void
store_stat(TSK_IMG_INFO *img, FILE *fp)
{
	(void)img;
	fputs("volume shadow copy store\n", fp);
}

/* err: what, then libvshadow's reason (its first line) if any; e freed. */
static void
vss_fail(struct irk_err *err, libvshadow_error_t *e, const char *what)
{
	char why[200] = "";

	if (e != NULL) {
		libvshadow_error_sprint(e, why, sizeof(why));
		libvshadow_error_free(&e);
		why[strcspn(why, "\n")] = '\0';
	}
	irk_err_set(err, EINVAL, "%s%s%s", what, why[0] ? ": " : "", why);
}

/*
 * The catalog's chain of blocks, walked before libvshadow reads it: it
 * follows each block's next offset without looking back, so a block
 * naming itself (or an earlier one) as the next kept it reading forever
 * (fuzz_vss).  The volume header at 0x1e00 holds the catalog's offset
 * at 0x30; a catalog block's header its next block's at 0x28 (0: the
 * last).  0, or -1 with err set: a loop, a block outside the volume,
 * more blocks than any catalog of 64 stores needs.
 */
#define VSS_HEADER	0x1e00
#define VSS_CATALOG_MAX	256

static int
catalog_sane(TSK_IMG_INFO *img, TSK_OFF_T off, TSK_OFF_T size,
    struct irk_err *err)
{
	uint64_t seen[VSS_CATALOG_MAX], at;
	unsigned char b[8];
	int n = 0;

	if (tsk_img_read(img, off + VSS_HEADER + 0x30, (char *)b, 8) != 8)
		return 0;	/* libvshadow says what it cannot read */
	for (at = irk_le64(b); at != 0; n++) {
		if (n == VSS_CATALOG_MAX || size < 48 ||
		    at > (uint64_t)size - 48) {
			irk_err_set(err, EINVAL, "shadow copy catalog: block "
			    "%d at offset %ju %s", n + 1, (uintmax_t)at,
			    n == VSS_CATALOG_MAX ? "is one too many" :
			    "is outside the volume");
			return -1;
		}
		for (int i = 0; i < n; i++)
			if (seen[i] == at) {
				irk_err_set(err, EINVAL, "shadow copy catalog: "
				    "block %d at offset %ju is block %d again "
				    "(a loop): not read", n + 1, (uintmax_t)at,
				    i + 1);
				return -1;
			}
		seen[n] = at;
		if (tsk_img_read(img, off + (TSK_OFF_T)at + 0x28, (char *)b,
		    8) != 8)
			return 0;
		at = irk_le64(b);
	}
	return 0;
}

int
irk_vss_open(struct irk_vss **out, TSK_IMG_INFO *img, TSK_OFF_T off,
    TSK_OFF_T size, struct irk_err *err)
{
	struct irk_vss *v;
	libvshadow_error_t *e = NULL;

	*out = NULL;
	if ((v = calloc(1, sizeof(*v))) == NULL ||
	    vol_handle(&v->io, img, off, size) != 0) {
		free(v);
		irk_err_set(err, ENOMEM, "out of memory");
		return IRK_FAIL;
	}
	if (libvshadow_check_volume_signature_file_io_handle(v->io, NULL) !=
	    1) {
		irk_vss_free(v);
		return IRK_OK;
	}
	if (catalog_sane(img, off, size, err) != 0) {
		irk_vss_free(v);
		return IRK_FAIL;
	}
	if (libvshadow_volume_initialize(&v->vol, NULL) != 1 ||
	    libvshadow_volume_open_file_io_handle(v->vol, v->io,
	    LIBVSHADOW_OPEN_READ, &e) != 1 ||
	    libvshadow_volume_get_number_of_stores(v->vol, &v->n, &e) != 1) {
		vss_fail(err, e, "libvshadow cannot read the shadow copies");
		irk_vss_free(v);
		return IRK_FAIL;
	}
	if (v->n <= 0) {
		irk_vss_free(v);
		return IRK_OK;
	}
	if (v->n > IRK_VSS_MAX_STORES)
		v->n = IRK_VSS_MAX_STORES;
	*out = v;
	return IRK_OK;
}

int
irk_vss_count(const struct irk_vss *v)
{
	return v->n;
}

TSK_IMG_INFO *
irk_vss_store_img(struct irk_vss *v, int i, int64_t *created,
    struct irk_err *err)
{
	struct store_img *s;
	libvshadow_error_t *e = NULL;
	uint64_t ft = 0;
	size64_t size = 0;
	char what[64];

	*created = IRK_TIME_NONE;
	if ((s = calloc(1, sizeof(*s))) == NULL) {
		irk_err_set(err, ENOMEM, "out of memory");
		return NULL;
	}
	if (libvshadow_volume_get_store(v->vol, i, &s->store, &e) != 1 ||
	    libvshadow_store_get_volume_size(s->store, &size, &e) != 1) {
		(void)snprintf(what, sizeof(what), "libvshadow cannot open "
		    "store %d", i + 1);
		vss_fail(err, e, what);
		libvshadow_store_free(&s->store, NULL);
		free(s);
		return NULL;
	}
	if (libvshadow_store_get_creation_time(s->store, &ft, NULL) == 1 &&
	    ft >= FILETIME_1970)
		*created = (int64_t)((ft - FILETIME_1970) / 10);
	s->size = (TSK_OFF_T)size;
	if (tsk_img_open_external(s, s->size, 512, store_read, store_close,
	    store_stat) == NULL) {
		irk_err_set(err, EINVAL, "store %d: %s", i + 1,
		    tsk_error_get() ? tsk_error_get() : "TSK refuses it");
		tsk_error_reset();
		store_close(&s->img);
		return NULL;
	}
	return &s->img;
}

void
irk_vss_free(struct irk_vss *v)
{
	if (v == NULL)
		return;
	if (v->vol != NULL) {
		libvshadow_volume_close(v->vol, NULL);
		libvshadow_volume_free(&v->vol, NULL);
	}
	libbfio_handle_free(&v->io, NULL);
	free(v);
}
