/*
 * fs_image.h - struct irk_fs over a file system inside a disk image
 * (The Sleuth Kit's TSK_FS_INFO), so the collectors written against
 * irkit/fs.h run on a dead disk unchanged.
 *
 * Only allocated names are visible (deleted entries belong to the
 * timeline, not to the collectors).  Links are followed inside the
 * volume with irk_fs_resolve(); an absolute target is taken relative to
 * the volume's root.  Not thread-safe: one thread per irk_fs.
 */
#ifndef IRKIT_FS_IMAGE_H
#define IRKIT_FS_IMAGE_H

#include <tsk/libtsk.h>

#include "irkit/fs.h"

/*
 * tsk_fs_open_img(img, off, TSK_FS_TYPE_DETECT), without TSK's YAFFS2
 * probe when exactly one type with a superblock answers (NULL and TSK's
 * error as TSK's detection when none, or more than one, does).
 */
TSK_FS_INFO *irk_fs_image_detect(TSK_IMG_INFO *img, TSK_OFF_T off);

/* Wrap fsi (borrowed: the caller closes it after irk_fs_free). */
int irk_fs_image_open(struct irk_fs **out, TSK_FS_INFO *fsi,
    struct irk_err *err);

#endif
