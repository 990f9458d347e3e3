/*
 * pkg_probe.h - what the packages collector looks at for one packaged
 * file (lstat, MD5 of the content, link target), and a pool of threads
 * that looks at the next files while the records of the earlier ones are
 * written, in order (docs/integrity.md, "Cost").
 */
#ifndef IRKIT_PKG_PROBE_H
#define IRKIT_PKG_PROBE_H

#include <stdint.h>

#include "dpkg_parse.h"
#include "irkit/err.h"
#include "irkit/fs.h"

#define IRK_PKG_CHUNK	(1u << 20)	/* read and hashed at a time */

struct irk_pkg_probe {
	/* in */
	char pkg[IRK_DPKG_NAME_MAX];
	char version[IRK_DPKG_VERSION_MAX];
	char arch[IRK_DPKG_ARCH_MAX];
	char path[IRK_DPKG_PATH_MAX];	/* as the package lists it */
	char real[IRK_DPKG_PATH_MAX];	/* its canonical path, looked at */
	char md5_expected[IRK_DPKG_MD5_HEX];
	int conffile;
	/* out */
	int lr;				/* lstat's IRK_OK or IRK_FAIL */
	struct irk_stat lst, st;
	int hashed;
	char md5[IRK_DPKG_MD5_HEX];
	char link[IRK_DPKG_PATH_MAX];	/* "" unless a link */
	uint64_t bytes;			/* read */
	struct irk_err err;
};

/*
 * Hash the file at path (links followed inside the root) with chunk
 * (IRK_PKG_CHUNK bytes): MD5, or SHA-256 when sha.  st receives its
 * fstat, *bytes what was read.
 */
int irk_pkg_hash(struct irk_fs *fs, unsigned char *chunk, const char *path,
    int sha, char *hex, struct irk_stat *st, uint64_t *bytes,
    struct irk_err *err);

/* Fill the out part of p. */
void irk_pkg_probe_run(struct irk_fs *fs, unsigned char *chunk,
    struct irk_pkg_probe *p);

/*
 * The pool: NULL where it cannot run (fs not the host's, no memory, no
 * threads): the caller probes in its own thread.  Each worker opens its
 * own host fs on the same root.
 */
struct irk_pkg_pool;
typedef int (*irk_pkg_emit_fn)(void *arg, struct irk_pkg_probe *p);

struct irk_pkg_pool *irk_pkg_pool_open(struct irk_fs *fs, int workers);
/*
 * The next probe to fill; when every slot is taken, the oldest is waited
 * for and handed to emit first.  NULL when emit returned IRK_FATAL.
 */
struct irk_pkg_probe *irk_pkg_pool_next(struct irk_pkg_pool *pl,
    irk_pkg_emit_fn emit, void *arg);
/* The probe from irk_pkg_pool_next is filled: look at it. */
void irk_pkg_pool_submit(struct irk_pkg_pool *pl);
/* Hand every submitted probe to emit, in order; IRK_FATAL if emit did. */
int irk_pkg_pool_flush(struct irk_pkg_pool *pl, irk_pkg_emit_fn emit,
    void *arg);
void irk_pkg_pool_close(struct irk_pkg_pool *pl);

#endif
