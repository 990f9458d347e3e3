/*
 * media_ahead.h - the media hashes of a batch of disk images, computed
 * in order on a thread of their own while the caller loads the images
 * one after another (image -j 2 and more; docs/performance.md).
 *
 * `image` reads an image's whole media for its SHA-256 (or, to compare
 * with an E01 known only by the MD5 it stores, its MD5) when the case
 * (or the batch) holds another image of the same media size: that is
 * how a copy under another name, or a raw image and its E01, is found.
 * In a batch of same-size disks (a fleet's virtual machines) that
 * hashing was half the work and ran before each walk; here the thread
 * hashes the next images while the current one is walked and scanned
 * (and while the case and the rules are opened), and the loader takes
 * the result when it gets to the comparison.
 *
 * The thread opens each image with its own TSK handle and hashes it
 * (the digests asked for, in one read, 1 MiB at a time); nothing it
 * computes is written to the case: the loader decides, as without it.
 */
#ifndef IRKIT_MEDIA_AHEAD_H
#define IRKIT_MEDIA_AHEAD_H

#include <stddef.h>
#include <tsk/libtsk.h>

#include "irkit/err.h"

struct irk_mahead;

/* The digests wanted of an image (irk_mahead_add), or one of them. */
enum { IRK_MAHEAD_SHA256 = 1, IRK_MAHEAD_MD5 = 2 };

/* A hashing thread for at most max images, none yet.  IRK_OK or err. */
int irk_mahead_start(struct irk_mahead **out, size_t max,
    struct irk_err *err);

/*
 * Hash path (opened as type) after those added before: the digests of
 * want (IRK_MAHEAD_*, or-ed).  The path must stay valid until
 * irk_mahead_free(); one added again adds its wants while the thread
 * has not started it (and is otherwise ignored), one more than max is
 * ignored.
 */
void irk_mahead_add(struct irk_mahead *a, const char *path,
    TSK_IMG_TYPE_ENUM type, int want);

/* Not wanted after all: forgotten unless the thread has started it. */
void irk_mahead_drop(struct irk_mahead *a, const char *path);

/* 1 when path was added (and not dropped). */
int irk_mahead_has(struct irk_mahead *a, const char *path);

/* No more images: the thread ends once it has hashed those added. */
void irk_mahead_close(struct irk_mahead *a);

/*
 * One digest of path's media (what: IRK_MAHEAD_SHA256 into out[65] or
 * IRK_MAHEAD_MD5 into out[33]), waiting for the thread to get to it and
 * finish: 1 (out set), 0 when path was not added with that digest or
 * was dropped (or a is NULL), -1 when it could not be read (the caller
 * hashes it itself and says why).
 */
int irk_mahead_get(struct irk_mahead *a, const char *path, int what,
    char *out);

/* Stop the thread (the image being hashed is abandoned) and free. */
void irk_mahead_free(struct irk_mahead *a);

#endif
