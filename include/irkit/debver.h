/*
 * debver.h - Debian version ordering (deb-version(7)): [EPOCH:]UPSTREAM
 * [-REVISION], the epoch compared as a number, then the upstream version
 * and the revision each by alternating non-digit parts (letters before
 * other characters, '~' before everything, even the end) and digit parts
 * (as numbers, of any length).  Written from the manual page; its oracle
 * is dpkg --compare-versions (tests/unit/test_debver.c).
 */
#ifndef IRKIT_DEBVER_H
#define IRKIT_DEBVER_H

#include <stddef.h>

/*
 * a against b (lengths an, bn; no NUL needed): negative when a is the
 * earlier version, 0 when they are equal, positive when a is later.
 * Any bytes are ordered (no version is refused): an epoch that is not
 * digits is compared as part of the upstream version.
 */
int irk_debver_cmp(const char *a, size_t an, const char *b, size_t bn);

#endif
