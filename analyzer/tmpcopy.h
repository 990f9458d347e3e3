/*
 * tmpcopy.h - evidence copied out of the collector's file system for a
 * library that reads real files only (SQLite with a -wal, libsystemd
 * past the memory bound): into a private folder (mkdtemp, 0700) or an
 * unnamed file, under $TMPDIR (an absolute path) or /var/tmp (a disk,
 * not memory), never left behind (docs/logs.md, "Temporary copies").
 */
#ifndef IRKIT_TMPCOPY_H
#define IRKIT_TMPCOPY_H

#include <limits.h>
#include <stdint.h>

#include "irkit/collect.h"

/*
 * A new private folder (mode 0700) under $TMPDIR if it is absolute,
 * else /var/tmp: its path in dir; IRK_FAIL with err set.
 */
int irk_tmp_dir_new(char dir[PATH_MAX], const char *prefix,
    struct irk_err *err);

/* Remove the folder and every file in it (not recursive); dir emptied. */
void irk_tmp_dir_remove(char dir[PATH_MAX]);

/*
 * Create name in the folder dir, exclusively, mode 0600: its fd, or -1
 * with err set.
 */
int irk_tmp_create(const char *dir, const char *name, struct irk_err *err);

/*
 * An unnamed file (O_TMPFILE, mode 0600) under the same folder, to fill
 * before it is given a name with irk_tmp_link (nothing to leave behind
 * meanwhile); -1 with err set where the file system has no O_TMPFILE.
 */
int irk_tmp_unnamed(struct irk_err *err);

/* Name the unnamed file fd name in the folder dir (through
 * /proc/self/fd); IRK_FAIL with err set. */
int irk_tmp_link(int fd, const char *dir, const char *name,
    struct irk_err *err);

/*
 * The first max bytes of path (read through c->fs) written to fd, from
 * its start; *size the bytes written.  IRK_OK, or IRK_FAIL (logged
 * against path).
 */
int irk_tmp_copy(struct irk_collect *c, const char *path, int fd,
    uint64_t max, uint64_t *size);

#endif
