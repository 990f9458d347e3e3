/*
 * rpm_ndb.h - the package blobs of an rpm ndb database (SUSE's
 * Packages.db), read with irkit's own bounded reader
 * (analyzer/rpm_ndb.c): Debian's librpm is built without the ndb
 * backend, so the container is read here and each blob handed to
 * librpm as a header (rpm_db.c; docs/integrity.md).
 */
#ifndef IRKIT_RPM_NDB_H
#define IRKIT_RPM_NDB_H

#include <stddef.h>
#include <stdint.h>

#include "irkit/err.h"

#define IRK_NDB_PAGES_MAX	4096		/* slot pages (16 MiB) */
#define IRK_NDB_BLOB_MAX	(64u << 20)	/* a header blob */

/* One package's blob, as its slot and blob head name it. */
struct irk_ndb_blob {
	uint32_t slot;		/* slot number: its offset / 16 */
	uint32_t pkgidx;	/* package index */
	unsigned char *data;	/* the header blob, len bytes */
	size_t len;
};

/* fn returns 0 to go on; bad gets "slot N (package P): what is wrong". */
typedef int (*irk_ndb_blob_fn)(void *arg, const struct irk_ndb_blob *b);
typedef void (*irk_ndb_bad_fn)(void *arg, const char *msg);

/*
 * Read the ndb Packages.db open on fd: each slot in use is checked (its
 * magic, its blocks after the slot pages and inside the file, its
 * package index not seen before), then its blob (head and tail magics,
 * the package index of its slot, a length that fills its blocks, at
 * most IRK_NDB_BLOB_MAX bytes, the tail's length and Adler-32): fn is
 * called for each good blob in package index order, bad for each slot
 * or blob refused (the others are read).  IRK_OK; what fn returned when
 * not 0; IRK_FAIL (err set) when the file is not an ndb database or its
 * slot pages cannot be read (more than IRK_NDB_PAGES_MAX, past the end
 * of the file).
 */
int irk_ndb_each(int fd, irk_ndb_blob_fn fn, irk_ndb_bad_fn bad, void *arg,
    struct irk_err *err);

#endif
