/*
 * evread_ahead.h - an archive read ahead on a thread of its own.
 *
 * libarchive decompresses in the thread that asks for data.  For an
 * ingest that thread is the one that also stores rows, tees members
 * into the spool and feeds the scanner, so decompression (zstd is a
 * fifth of it on a host collection) was on the critical path.  Here a
 * thread of its own reads the archive (headers, every regular file's
 * data, the SHA-256 of each when asked, the bomb limit, the check for
 * trailing data at the end) and queues what it read, in order; the
 * reader of evidence_read.c takes the items from the queue in place of
 * calling libarchive.  Only that thread touches the archive handle
 * between irk_ahead_start and irk_ahead_free.
 *
 * At most AHEAD_BYTES of data are queued (more only for one member
 * read whole): the thread waits when the reader is behind.
 */
#ifndef IRK_EVREAD_AHEAD_H
#define IRK_EVREAD_AHEAD_H

#include <stddef.h>
#include <stdint.h>
#include <archive.h>
#include <archive_entry.h>

#include "irkit/sha256.h"

enum irk_ahead_kind {
	IRK_AH_HEADER,	/* the next member: e (rc ARCHIVE_OK or _WARN), or
			   an error (rc below ARCHIVE_WARN, msg): the end */
	IRK_AH_DATA,	/* data[off..len) of the current member */
	IRK_AH_END,	/* the member's data is complete (sha when hashed) */
	IRK_AH_ERROR,	/* its data stopped short: rc, eno, msg */
	IRK_AH_BOMB,	/* the ratio limit: reading stopped (the end) */
	IRK_AH_EOF	/* the end of the archive: msg = trailing data, or NULL */
};

struct irk_ahead_item {
	enum irk_ahead_kind kind;
	int rc;				/* libarchive's status */
	int eno;			/* archive_errno() */
	char *msg;			/* archive_error_string(), or NULL */
	struct archive_entry *e;	/* HEADER: a clone, the item's */
	unsigned char *data;		/* DATA */
	size_t len, off;
	char sha[IRK_SHA256_HEX];	/* END, when hashing ("" else) */
	struct irk_ahead_item *next;
};

/*
 * Called on the thread at the end of the archive (before EOF is
 * queued): writes what follows the archive's end into msg, returns 1,
 * or 0 when nothing does.
 */
typedef int (*irk_ahead_trailing_fn)(void *arg, char *msg, size_t len);

struct irk_ahead_opts {
	uint64_t ratio_floor;	/* as irk_evread_opts */
	uint64_t max_ratio;
	int hash;		/* SHA-256 of each regular file's data */
	uint64_t whole_max;	/* a member that says it has at most this
				   many bytes is read into one buffer (one
				   DATA item) that the reader can take */
	irk_ahead_trailing_fn trailing;	/* or NULL */
	void *arg;
};

struct irk_ahead;

/*
 * The bomb limit, inline and on the thread: out bytes decompressed
 * from in bytes of input, past floor, at more than max_ratio to one.
 */
static inline int
irk_over_ratio(uint64_t out, int64_t in, uint64_t floor, uint64_t max_ratio)
{
	return out > floor && out / max_ratio > (uint64_t)in;
}

/*
 * The thread, on a (whose current header is e: its data is read
 * first when it is a regular file, not a hard link).  IRK_OK, or IRK_FAIL (no thread:
 * the caller reads a itself).
 */
int irk_ahead_start(struct irk_ahead **out, struct archive *a,
    struct archive_entry *e, const struct irk_ahead_opts *o);

/* The next item, waiting for it; the queue's until irk_ahead_pop. */
struct irk_ahead_item *irk_ahead_peek(struct irk_ahead *q);
void irk_ahead_pop(struct irk_ahead *q);

/* Bytes of the input read so far (progress). */
uint64_t irk_ahead_in(const struct irk_ahead *q);

/* Stops the thread (it may be waiting or reading) and frees the queue. */
void irk_ahead_free(struct irk_ahead *q);

#endif
