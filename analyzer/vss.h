/*
 * vss.h - the Volume Shadow Snapshot (VSS) stores of an NTFS volume of a
 * disk image, read with libvshadow over the image's own reader (TSK's:
 * raw, split or E01), each store's view handed back as a TSK_IMG_INFO to
 * open NTFS in.  Nothing is mounted, nothing is written
 * (docs/windows-events.md).
 *
 * libvshadow (Debian's 20190323) predates its upstream fuzzing fixes:
 * at most IRK_VSS_MAX_STORES stores are read, each store's reads are
 * bounded by the volume's size.
 */
#ifndef IRKIT_VSS_H
#define IRKIT_VSS_H

#include <stdint.h>
#include <tsk/libtsk.h>

#include "irkit/err.h"

#define IRK_VSS_MAX_STORES	64	/* Windows keeps at most 64 */

struct irk_vss;

/*
 * The stores of the volume of size bytes at off in img (borrowed: it
 * outlives *out).  IRK_OK and *out, or *out NULL when the volume has no
 * VSS header or no store; IRK_FAIL (err) when libvshadow refuses what it
 * found.
 */
int irk_vss_open(struct irk_vss **out, TSK_IMG_INFO *img, TSK_OFF_T off,
    TSK_OFF_T size, struct irk_err *err);
int irk_vss_count(const struct irk_vss *v);
/*
 * Store i (0: the first vshadowinfo lists) as an image (close it with
 * tsk_img_close before irk_vss_free) and its creation time (µs since
 * 1970 UTC, or IRK_TIME_NONE).  NULL (err) when it cannot be opened.
 */
TSK_IMG_INFO *irk_vss_store_img(struct irk_vss *v, int i, int64_t *created,
    struct irk_err *err);
void irk_vss_free(struct irk_vss *v);

#endif
