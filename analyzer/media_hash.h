/*
 * media_hash.h - the hashes of a disk image's media (the disk bytes as
 * TSK reads them, whatever the container), computed in the background
 * while the caller walks the image, and the acquisition hashes an E01
 * stores, read without reading the media.  See docs/images.md.
 *
 * irk_mhash_start() opens its own TSK handle on the image's files (it
 * never shares the caller's) and starts two threads: one reads the
 * media in chunks and hashes them with SHA-256; the other hashes the
 * same chunks with MD5, so the media is read once and the SHA-256 keeps
 * the MD5's pace.  With split, the MD5 thread reads the media through a
 * handle of its own instead: the SHA-256 (about twice as fast) is then
 * ready first, for a caller that only wants to know whether the media
 * is in the case already, at the cost of a second read (cheap for a raw
 * image in the page cache, not for an E01 that must be inflated).
 */
#ifndef IRKIT_MEDIA_HASH_H
#define IRKIT_MEDIA_HASH_H

#include <stdint.h>
#include <tsk/libtsk.h>

#include "irkit/err.h"
#include "irkit/sha256.h"

struct irk_mhash;

enum { IRK_MHASH_SHA256 = 1, IRK_MHASH_ALL = 2 };

/*
 * Start hashing the media of img (its files are opened again): its
 * SHA-256, and its MD5 too when md5 is set (without it no MD5 thread
 * runs and the MD5 is never ready: IRK_MHASH_ALL waits for the SHA-256
 * alone, and irk_mhash_result() gives md5 "").
 */
int irk_mhash_start(struct irk_mhash **out, const TSK_IMG_INFO *img,
    int split, int md5, struct irk_err *err);

/*
 * Wait up to timeout_ms (-1: no limit) for IRK_MHASH_SHA256 (the SHA-256)
 * or IRK_MHASH_ALL (both).  1 ready, 0 not yet.
 */
int irk_mhash_wait(struct irk_mhash *h, int what, int timeout_ms);

/* Bytes of media read so far, and the media size. */
uint64_t irk_mhash_done(struct irk_mhash *h, uint64_t *total);

/*
 * The digests once ready (md5 may be NULL, or is "" until both are
 * done).  0, or IRK_FAIL with err set when the media could not be read.
 */
int irk_mhash_result(struct irk_mhash *h, char sha256[IRK_SHA256_HEX],
    char md5[33], struct irk_err *err);

/* Stop (if still running), join the threads, close the handle. */
void irk_mhash_free(struct irk_mhash *h);

/*
 * The hashes an EWF (E01) image stores from its acquisition, as
 * lowercase hex; "" where it stores none.  img must be an EWF image.
 * 0, or IRK_FAIL with err set when libewf cannot open it.
 */
int irk_ewf_stored_hashes(const TSK_IMG_INFO *img, char md5[33],
    char sha1[41], struct irk_err *err);

#endif
