/*
 * pkgcheck.h - what the package-file checks share (collectors/
 * packages_common.c): the default scope, the canonical path of a listed
 * file (a merged /usr resolved inside the root), reading a file through
 * the collector's filesystem, the package_file record, and the scan of
 * the system folders for executables no package owns.  Used by the dpkg
 * collector (collectors/packages.c) and the rpm one
 * (analyzer/rpm_packages.c); docs/integrity.md.
 */
#ifndef IRKIT_PKGCHECK_H
#define IRKIT_PKGCHECK_H

#include <stdint.h>
#include <jansson.h>

#include "irkit/buf.h"
#include "irkit/collect.h"
#include "irkit/strmap.h"

#define IRK_PKG_PATH_MAX	4096
#define IRK_PKG_CHUNK		(1u << 20)	/* read and hashed at a time */

struct irk_pkgcheck {
	struct irk_collect *c;
	const char *manager;		/* "dpkg", "rpm" (records) */
	int full;			/* --integrity full */
	struct irk_strmap owned;	/* canonical paths in system folders */
	struct irk_strmap canon;	/* a listed folder -> its real path */
	struct irk_buf tmp;
	unsigned char *chunk;
	uint64_t checked, bytes, flagged;
	size_t unreadable;
};

/* IRK_OK, or IRK_FATAL out of memory. */
int irk_pkgcheck_init(struct irk_pkgcheck *k, struct irk_collect *c,
    const char *manager);
void irk_pkgcheck_release(struct irk_pkgcheck *k);

/*
 * The default scope: executables, libraries under /lib* and /usr/lib*,
 * PAM and kernel modules, systemd units, and (conffile) files under
 * /etc.
 */
int irk_pkg_in_scope(const char *path, int conffile);

/* The canonical path of path into out (its folder resolved, cached). */
int irk_pkgcheck_canon(struct irk_pkgcheck *k, const char *path, char *out,
    size_t outsz);
/* path (as listed) is owned: kept when it lies in a system folder. */
int irk_pkgcheck_own(struct irk_pkgcheck *k, const char *path);

/*
 * Read the regular file at path (links followed inside the root) in
 * chunks handed to fn; st receives its fstat, k->bytes counts.  IRK_OK,
 * or IRK_FAIL with err set.
 */
typedef void (*irk_pkg_data_fn)(void *arg, const void *data, size_t len);
int irk_pkgcheck_read(struct irk_pkgcheck *k, const char *path,
    irk_pkg_data_fn fn, void *arg, struct irk_stat *st,
    struct irk_err *err);
/*
 * The MD5 (or SHA-256 when sha) of the file at path, in hex, read through
 * fs with chunk (IRK_PKG_CHUNK bytes): no struct irk_pkgcheck, so a
 * worker thread may call it (collectors/pkg_probe.c).  st receives its
 * fstat, *bytes what was read.
 */
int irk_pkg_hash(struct irk_fs *fs, unsigned char *chunk, const char *path,
    int sha, char *hex, struct irk_stat *st, uint64_t *bytes,
    struct irk_err *err);

/*
 * An rpm root collected live (collectors/rpm_states.c) and checked at
 * ingest (analyzer/rpm_packages.c): the folder where rpm keeps its
 * database (/usr/lib/sysimage/rpm, then /var/lib/rpm) and its main file
 * there: "rpmdb.sqlite", "Packages" (BerkeleyDB) or IRK_RPM_NDB (SUSE's
 * ndb, with its IRK_RPM_NDB_INDEX).  IRK_OK with *dir and *file set, or
 * IRK_FAIL when there is none.
 */
#define IRK_RPM_NDB		"Packages.db"
#define IRK_RPM_NDB_INDEX	"Index.db"
int irk_rpmdb_find(struct irk_fs *fs, const char **dir, const char **file);

/*
 * The files whose state (file_state records) irkit-collect records on
 * an rpm root: the default scope of either kind (any name under /etc).
 */
int irk_pkg_state_scope(const char *path);
/*
 * The folder walked for those: "/etc", "/bin", "/usr/sbin", "/lib*",
 * "/usr/lib*" (into root): 1, or 0 when path lies in none.
 */
int irk_pkg_state_root(const char *path, char *root, size_t rootsz);
/*
 * A folder whose executables a package must own: 0 when path is in
 * none, 1 /usr/bin, /usr/sbin, /bin, /sbin, 2 a PAM module folder.
 */
int irk_pkg_system_kind(const char *path);
/* real (a canonical path) is owned: kept when in a system folder. */
int irk_pkgcheck_own_real(struct irk_pkgcheck *k, const char *real);

/* A new package_file record (pkg NULL: owned by none). */
json_t *irk_pkgcheck_record(struct irk_pkgcheck *k, const char *pkg,
    const char *version, const char *arch, const char *path);

/*
 * The not-owned record of the file at path: with its SHA-256, size and
 * mtime when read (st and sha256 not NULL), else error.
 */
int irk_pkgcheck_not_owned(struct irk_pkgcheck *k, const char *path,
    const struct irk_stat *st, const char *sha256, const char *error);

/*
 * List /usr/bin, /usr/sbin, /bin, /sbin and the PAM folders: a not-owned
 * record for each executable (a .so in a PAM folder) k->owned lacks.
 */
int irk_pkgcheck_unowned(struct irk_pkgcheck *k);

#endif
