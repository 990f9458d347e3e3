/*
 * dir_list.h - the names in a folder of the root, sorted, for the
 * collectors that read every file of a folder (cron folders, sudoers
 * @includedir, sshd_config Include globs).
 */
#ifndef IRKIT_DIR_LIST_H
#define IRKIT_DIR_LIST_H

#include <stddef.h>

#include "irkit/collect.h"

/* At most this many names are listed. */
#define IRK_DIR_LIST_MAX	100000

/*
 * The names in dir ("." and ".." left out), sorted by strcmp; NULL when
 * it cannot be listed (logged: an error, a warning when it is no folder;
 * nothing when it does not exist, or anything when quiet).
 */
char **irk_dir_list(struct irk_collect *c, const char *dir, size_t *count,
    int quiet);
void irk_dir_list_free(char **names, size_t n);

#endif
