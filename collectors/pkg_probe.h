/*
 * pkg_probe.h - what the packages collector looks at for one packaged
 * file (lstat, MD5 of the content, link target), on its own thread or on
 * an ordered pool (opool.h); the same with SHA-256 for the file states
 * of an rpm root (rpm_states.c).
 */
#ifndef IRKIT_PKG_PROBE_H
#define IRKIT_PKG_PROBE_H

#include <stdint.h>

#include "dpkg_parse.h"
#include "irkit/err.h"
#include "irkit/fs.h"
#include "irkit/pkgcheck.h"

struct irk_pkg_probe {
	/* in */
	char pkg[IRK_DPKG_NAME_MAX];
	char version[IRK_DPKG_VERSION_MAX];
	char arch[IRK_DPKG_ARCH_MAX];
	char path[IRK_DPKG_PATH_MAX];	/* as the package lists it */
	char real[IRK_DPKG_PATH_MAX];	/* its canonical path, looked at */
	char md5_expected[IRK_DPKG_MD5_HEX];
	int conffile;
	int sha256;			/* SHA-256 of a regular file (not
					   followed), not MD5 */
	/* out */
	int lr;				/* lstat's IRK_OK or IRK_FAIL */
	struct irk_stat lst, st;
	int hashed;
	char digest[IRK_SHA256_HEX];	/* MD5 or SHA-256, hex */
	char link[IRK_DPKG_PATH_MAX];	/* "" unless a link */
	uint64_t bytes;			/* read */
	struct irk_err err;
};

/* Fill the out part of item (a struct irk_pkg_probe); chunk holds
 * IRK_PKG_CHUNK bytes.  An irk_opool_run_fn. */
void irk_pkg_probe_run(struct irk_fs *fs, void *chunk, void *item);

#endif
