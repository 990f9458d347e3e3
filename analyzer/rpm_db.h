/*
 * rpm_db.h - an rpm database read with librpm from a private copy
 * (analyzer/rpm_db.c): the database files read through an irk_fs are
 * copied into a new temporary folder (bounded), librpm opens that copy
 * read-only with the folder as its root, never the analyst's own
 * database, and the folder is removed afterwards (docs/integrity.md).
 */
#ifndef IRKIT_RPM_DB_H
#define IRKIT_RPM_DB_H

#include <limits.h>
#include <stddef.h>

#include "irkit/err.h"
#include "irkit/fs.h"

#define IRK_RPMDB_BYTES_MAX	(1ull << 30)	/* all files copied */
#define IRK_RPMDB_PACKAGES_MAX	200000		/* headers read */
#define IRK_RPMDB_NDB		"ndb"		/* irkit's reader (rpm_ndb.c) */

/* A private copy: ROOT/var/lib/rpm holds the database files. */
struct irk_rpmdb_copy {
	char root[PATH_MAX];
	char dir[PATH_MAX];
	char from[64];			/* the folder read, in the fs */
	const char *backend;		/* "sqlite", "bdb_ro", IRK_RPMDB_NDB */
	unsigned long long bytes;
};

/*
 * Look for a database in the fs (/usr/lib/sysimage/rpm, /var/lib/rpm)
 * and copy its files into a new temporary folder.  IRK_OK with cp set;
 * IRK_FAIL with err.errnum ENOENT when there is none; IRK_FAIL (err
 * set) when it cannot be copied (the copy is then removed).
 */
int irk_rpmdb_copy(struct irk_fs *fs, struct irk_rpmdb_copy *cp,
    struct irk_err *err);
/* Copy one database file's bytes (tests, fuzzing): name in cp->dir. */
int irk_rpmdb_copy_bytes(struct irk_rpmdb_copy *cp, const char *name,
    const void *data, size_t len, struct irk_err *err);
/* A new empty copy folder (for irk_rpmdb_copy_bytes). */
int irk_rpmdb_copy_new(struct irk_rpmdb_copy *cp, struct irk_err *err);
/* Remove the copy folder and everything librpm left in it. */
void irk_rpmdb_copy_remove(struct irk_rpmdb_copy *cp);

/*
 * Open the copy read-only with librpm and call fn for each package
 * header (at most IRK_RPMDB_PACKAGES_MAX): fn returns 0 to go on.  What
 * librpm says (a damaged database, a bad header; "librpm: ..."), and
 * each slot or blob of an ndb database refused ("ndb Packages.db slot
 * N (package P): ...", an error), goes to logfn.  IRK_OK,
 * IRK_WARN (more packages than the bound: the rest not read), IRK_FAIL
 * (not opened, err set), or what fn returned when not 0.
 */
struct headerToken_s;
typedef int (*irk_rpmdb_pkg_fn)(void *arg, struct headerToken_s *h);
typedef void (*irk_rpmdb_log_fn)(void *arg, int error, const char *msg);
int irk_rpmdb_each(const struct irk_rpmdb_copy *cp, irk_rpmdb_pkg_fn fn,
    irk_rpmdb_log_fn logfn, void *arg, struct irk_err *err);

#endif
