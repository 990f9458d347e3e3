/*
 * rpm_ndb.c - the package blobs of an rpm ndb Packages.db (rpm_ndb.h),
 * written from the public description of the format (rpm's
 * lib/backend/ndb/rpmpkg.c): every number little-endian, the file in
 * blocks of 16 bytes.
 *
 *   0	header, 32 bytes: "RpmP", version 0, generation, slot page
 *	count, next package index
 *   32	slots of 16 bytes to the end of the slot pages (count * 4096):
 *	"Slot", package index, block offset, block count; a block offset
 *	of 0 is a free slot
 *   blob	at block offset * 16, block count blocks: a head "BlbS",
 *	package index, time, length; the header blob (length bytes);
 *	zeros to the last 12 bytes; a tail: Adler-32 of all that comes
 *	before it in the blocks, length, "BlbE".
 *
 * Nothing read is trusted: offsets and counts are checked against the
 * file's size and the bounds in rpm_ndb.h before anything is allocated
 * or read.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>

#include "rpm_ndb.h"
#include "irkit/le.h"
#include "irkit/banned.h"

#define HEAD_SIZE	32
#define PAGE_SIZE_NDB	4096
#define SLOT_SIZE	16
#define BLK_SIZE	16
#define BLOB_HEAD	16
#define BLOB_TAIL	12

#define MAGIC(a, b, c, d) ((uint32_t)(a) | (uint32_t)(b) << 8 | \
	(uint32_t)(c) << 16 | (uint32_t)(d) << 24)
#define DB_MAGIC	MAGIC('R', 'p', 'm', 'P')
#define SLOT_MAGIC	MAGIC('S', 'l', 'o', 't')
#define BLOBS_MAGIC	MAGIC('B', 'l', 'b', 'S')
#define BLOBE_MAGIC	MAGIC('B', 'l', 'b', 'E')

struct slot {
	uint32_t no, pkgidx, blkoff, blkcnt;
};

struct ndb {
	int fd;
	uint64_t size;		/* of the file */
	uint32_t npages;
	irk_ndb_bad_fn bad;
	void *arg;
	struct slot *slots;
	size_t nslots;
	uint64_t nbad;		/* damage found: the first BAD_SAID said */
};

/* a hostile file's million broken slots are not a million log lines */
#define BAD_SAID	20

/* All of len bytes at off, or -1. */
static int
read_at(int fd, void *buf, size_t len, uint64_t off)
{
	unsigned char *p = buf;

	while (len > 0) {
		ssize_t n = pread(fd, p, len, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
		off += (uint64_t)n;
	}
	return 0;
}

static void
say_bad(struct ndb *d, const struct slot *s, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
say_bad(struct ndb *d, const struct slot *s, const char *fmt, ...)
{
	char msg[300];
	int n;
	va_list ap;

	if (++d->nbad > BAD_SAID)
		return;
	n = snprintf(msg, sizeof(msg), "slot %u (package %u): ", s->no,
	    s->pkgidx);
	if (n < 0 || (size_t)n >= sizeof(msg))
		return;
	va_start(ap, fmt);
	(void)vsnprintf(msg + n, sizeof(msg) - (size_t)n, fmt, ap);
	va_end(ap);
	d->bad(d->arg, msg);
}

static int
read_head(struct ndb *d, struct irk_err *err)
{
	unsigned char h[HEAD_SIZE];
	struct stat st;

	if (fstat(d->fd, &st) != 0) {
		irk_err_set(err, errno, "ndb Packages.db: fstat");
		return IRK_FAIL;
	}
	d->size = (uint64_t)st.st_size;
	if (d->size < HEAD_SIZE || read_at(d->fd, h, sizeof(h), 0) != 0 ||
	    irk_le32(h) != DB_MAGIC) {
		irk_err_set(err, EINVAL, "ndb Packages.db: no ndb header");
		return IRK_FAIL;
	}
	if (irk_le32(h + 4) != 0) {
		irk_err_set(err, EINVAL, "ndb Packages.db: version %u, not 0",
		    irk_le32(h + 4));
		return IRK_FAIL;
	}
	d->npages = irk_le32(h + 12);
	if (d->npages == 0 || d->npages > IRK_NDB_PAGES_MAX) {
		irk_err_set(err, EFBIG, "ndb Packages.db: %u slot page(s): "
		    "not 1 to %u, no package read", d->npages,
		    IRK_NDB_PAGES_MAX);
		return IRK_FAIL;
	}
	if ((uint64_t)d->npages * PAGE_SIZE_NDB > d->size) {
		irk_err_set(err, EINVAL, "ndb Packages.db: %u slot page(s) "
		    "past the end of the file (%llu bytes), no package read",
		    d->npages, (unsigned long long)d->size);
		return IRK_FAIL;
	}
	return IRK_OK;
}

/* A slot in use: kept when its blocks lie after the slot pages and
 * inside the file. */
static void
add_slot(struct ndb *d, const struct slot *s)
{
	uint64_t first = (uint64_t)d->npages * (PAGE_SIZE_NDB / BLK_SIZE);
	uint64_t end = (uint64_t)s->blkoff + s->blkcnt;

	if (s->pkgidx == 0 || s->blkcnt == 0)
		say_bad(d, s, "no package index or no block");
	else if (s->blkoff < first)
		say_bad(d, s, "block %u inside the slot pages", s->blkoff);
	else if (end * BLK_SIZE > d->size)
		say_bad(d, s, "blocks %u to %llu outside the file (%llu "
		    "bytes)", s->blkoff, (unsigned long long)end,
		    (unsigned long long)d->size);
	else
		d->slots[d->nslots++] = *s;
}

static int
read_slots(struct ndb *d, struct irk_err *err)
{
	unsigned char page[PAGE_SIZE_NDB];
	size_t per = PAGE_SIZE_NDB / SLOT_SIZE;

	d->slots = calloc((size_t)d->npages * per, sizeof(*d->slots));
	if (d->slots == NULL) {
		irk_err_set(err, ENOMEM, "ndb Packages.db: %u slot page(s)",
		    d->npages);
		return IRK_FAIL;
	}
	for (uint32_t pg = 0; pg < d->npages; pg++) {
		if (read_at(d->fd, page, sizeof(page),
		    (uint64_t)pg * PAGE_SIZE_NDB) != 0) {
			irk_err_set(err, errno, "ndb Packages.db: read slot "
			    "page %u", pg);
			return IRK_FAIL;
		}
		for (size_t o = pg == 0 ? HEAD_SIZE : 0; o < sizeof(page);
		    o += SLOT_SIZE) {
			struct slot s = { (uint32_t)(pg * per + o / SLOT_SIZE),
			    irk_le32(page + o + 4), irk_le32(page + o + 8),
			    irk_le32(page + o + 12) };

			if (irk_le32(page + o) != SLOT_MAGIC)
				say_bad(d, &s, "no slot magic");
			else if (s.blkoff != 0)
				add_slot(d, &s);
		}
	}
	return IRK_OK;
}

static int
by_pkgidx(const void *a, const void *b)
{
	const struct slot *x = a, *y = b;

	if (x->pkgidx != y->pkgidx)
		return x->pkgidx < y->pkgidx ? -1 : 1;
	return x->no < y->no ? -1 : x->no > y->no;
}

/* The blob of s in buf (blkcnt blocks): its length, or 0 (said). */
static size_t
check_blob(struct ndb *d, const struct slot *s, const unsigned char *buf)
{
	size_t all = (size_t)s->blkcnt * BLK_SIZE;
	const unsigned char *tail = buf + all - BLOB_TAIL;
	uint32_t len = irk_le32(buf + 12);
	uLong adl;

	if (irk_le32(buf) != BLOBS_MAGIC) {
		say_bad(d, s, "no blob at block %u", s->blkoff);
		return 0;
	}
	if (irk_le32(buf + 4) != s->pkgidx) {
		say_bad(d, s, "the blob is package %u's", irk_le32(buf + 4));
		return 0;
	}
	if (len == 0 || len > all - BLOB_HEAD - BLOB_TAIL ||
	    all - BLOB_HEAD - BLOB_TAIL - len >= BLK_SIZE) {
		say_bad(d, s, "blob length %u does not fit its %u block(s)",
		    len, s->blkcnt);
		return 0;
	}
	if (irk_le32(tail + 8) != BLOBE_MAGIC || irk_le32(tail + 4) != len) {
		say_bad(d, s, "the blob's tail is damaged");
		return 0;
	}
	adl = adler32(adler32(0L, Z_NULL, 0), buf, (uInt)(all - BLOB_TAIL));
	if ((uint32_t)adl != irk_le32(tail)) {
		say_bad(d, s, "Adler-32 0x%08x, the tail says 0x%08x",
		    (unsigned)adl, irk_le32(tail));
		return 0;
	}
	return len;
}

/* Each slot's blob to fn, in package index order; of two slots of one
 * package the first good one. */
static int
read_blobs(struct ndb *d, irk_ndb_blob_fn fn, void *arg)
{
	const struct slot *done = NULL;
	unsigned char *buf;
	int r = 0;

	if (d->nslots > 1)	/* slots is NULL when there are none */
		qsort(d->slots, d->nslots, sizeof(*d->slots), by_pkgidx);
	for (size_t i = 0; i < d->nslots && r == 0; i++) {
		const struct slot *s = &d->slots[i];
		size_t all = (size_t)s->blkcnt * BLK_SIZE, len;

		if (done != NULL && s->pkgidx == done->pkgidx) {
			say_bad(d, s, "a second slot of the package (read from "
			    "slot %u): skipped", done->no);
			continue;
		}
		if (all > (size_t)IRK_NDB_BLOB_MAX + BLOB_HEAD + BLOB_TAIL +
		    BLK_SIZE || all < BLOB_HEAD + BLOB_TAIL + 1) {
			say_bad(d, s, "%u block(s): not 2 to %u", s->blkcnt,
			    (unsigned)((IRK_NDB_BLOB_MAX + BLOB_HEAD +
			    BLOB_TAIL + BLK_SIZE) / BLK_SIZE));
			continue;
		}
		if ((buf = malloc(all)) == NULL) {
			say_bad(d, s, "no memory for %zu bytes", all);
			continue;
		}
		if (read_at(d->fd, buf, all, (uint64_t)s->blkoff *
		    BLK_SIZE) != 0)
			say_bad(d, s, "cannot read block %u", s->blkoff);
		else if ((len = check_blob(d, s, buf)) > 0) {
			struct irk_ndb_blob b = { s->no, s->pkgidx,
			    buf + BLOB_HEAD, len };

			done = s;
			r = fn(arg, &b);
		}
		free(buf);
	}
	return r;
}

int
irk_ndb_each(int fd, irk_ndb_blob_fn fn, irk_ndb_bad_fn bad, void *arg,
    struct irk_err *err)
{
	struct ndb d;
	int r;

	memset(&d, 0, sizeof(d));
	d.fd = fd;
	d.bad = bad;
	d.arg = arg;
	r = read_head(&d, err);
	if (r == IRK_OK)
		r = read_slots(&d, err);
	if (r == IRK_OK)
		r = read_blobs(&d, fn, arg);
	if (d.nbad > BAD_SAID) {
		char msg[120];

		(void)snprintf(msg, sizeof(msg), "%llu more damaged slot(s) "
		    "or blob(s) not listed", (unsigned long long)(d.nbad -
		    BAD_SAID));
		bad(arg, msg);
	}
	free(d.slots);
	return r;
}
