/*
 * packages_common.c - what the dpkg (packages.c) and rpm
 * (analyzer/rpm_packages.c) checks share: the default scope, canonical
 * paths inside the root, reading and hashing a packaged file, the
 * package_file record, and the executables no package owns
 * (include/irkit/pkgcheck.h, docs/integrity.md).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "irkit/json.h"
#include "irkit/pkgcheck.h"
#include "irkit/str.h"
#include "irkit/banned.h"

int
irk_pkgcheck_init(struct irk_pkgcheck *k, struct irk_collect *c,
    const char *manager)
{
	memset(k, 0, sizeof(*k));
	k->c = c;
	k->manager = manager;
	k->full = c->opts != NULL && c->opts->integrity_full;
	if ((k->chunk = malloc(IRK_PKG_CHUNK)) == NULL)
		return IRK_FATAL;
	irk_strmap_init(&k->owned, NULL);
	irk_strmap_init(&k->canon, free);
	irk_buf_init(&k->tmp, IRK_PKG_PATH_MAX * 2);
	return IRK_OK;
}

void
irk_pkgcheck_release(struct irk_pkgcheck *k)
{
	irk_strmap_release(&k->owned);
	irk_strmap_release(&k->canon);
	irk_buf_release(&k->tmp);
	free(k->chunk);
	k->chunk = NULL;
}

/* --- what is checked ------------------------------------------------ */

static int
has_prefix(const char *s, const char *p)
{
	return strncmp(s, p, strlen(p)) == 0;
}

/* A name "x.so", "x.so.1", "x.ko", "x.ko.zst". */
static int
name_has_ext(const char *path, const char *ext)
{
	const char *base = strrchr(path, '/'), *p;
	size_t n = strlen(ext);

	base = base != NULL ? base + 1 : path;
	for (p = strstr(base, ext); p != NULL; p = strstr(p + 1, ext))
		if (p[n] == '\0' || p[n] == '.')
			return 1;
	return 0;
}

/* The folders of executables. */
static int
in_bin_dir(const char *path)
{
	return has_prefix(path, "/usr/bin/") ||
	    has_prefix(path, "/usr/sbin/") || has_prefix(path, "/bin/") ||
	    has_prefix(path, "/sbin/");
}

int
irk_pkg_in_scope(const char *path, int conffile)
{
	if (conffile)
		return has_prefix(path, "/etc/");
	if (in_bin_dir(path) || strstr(path, "/systemd/system/") != NULL ||
	    name_has_ext(path, ".ko"))
		return 1;
	if ((has_prefix(path, "/lib") || has_prefix(path, "/usr/lib")) &&
	    name_has_ext(path, ".so"))
		return 1;
	return strstr(path, "/security/") != NULL &&
	    irk_has_suffix(path, ".so");
}

/* A folder whose files no package may leave unowned: bin, sbin and
 * PAM's (/lib*, /usr/lib* .../security). */
static int
system_dir(const char *dir)
{
	const char *p = dir;

	if (strcmp(dir, "/bin") == 0 || strcmp(dir, "/sbin") == 0 ||
	    strcmp(dir, "/usr/bin") == 0 || strcmp(dir, "/usr/sbin") == 0)
		return 1;
	if (has_prefix(p, "/usr/"))
		p += 4;
	return has_prefix(p, "/lib") && irk_has_suffix(p, "/security");
}

int
irk_pkg_system_kind(const char *path)
{
	char dir[IRK_PKG_PATH_MAX];
	const char *slash = strrchr(path, '/');
	size_t dl = slash != NULL ? (size_t)(slash - path) : 0;

	if (dl == 0 || dl >= sizeof(dir))
		return 0;
	memcpy(dir, path, dl);
	dir[dl] = '\0';
	if (!system_dir(dir))
		return 0;
	return irk_has_suffix(dir, "/security") ? 2 : 1;
}

/* Is path in a folder whose files a package must own (bin, sbin, PAM)? */
static int
in_system_dir(const char *path)
{
	return irk_pkg_system_kind(path) != 0;
}

int
irk_pkg_state_scope(const char *path)
{
	return irk_pkg_in_scope(path, 0) || irk_pkg_in_scope(path, 1);
}

/* A first name walked: bin, sbin, etc (top only) or lib*. */
static int
walked_name(const char *name, size_t len, int top)
{
	return (len == 3 && memcmp(name, "bin", 3) == 0) ||
	    (len == 4 && memcmp(name, "sbin", 4) == 0) ||
	    (top && len == 3 && memcmp(name, "etc", 3) == 0) ||
	    (len >= 3 && memcmp(name, "lib", 3) == 0);
}

int
irk_pkg_state_root(const char *path, char *root, size_t rootsz)
{
	const char *p = path + 1, *e;
	int top = 1;

	if (path[0] != '/')
		return 0;
	if (has_prefix(p, "usr/")) {
		p += 4;
		top = 0;
	}
	if ((e = strchr(p, '/')) == NULL || !walked_name(p, (size_t)(e - p),
	    top) || (size_t)(e - path) >= rootsz)
		return 0;
	memcpy(root, path, (size_t)(e - path));
	root[e - path] = '\0';
	return 1;
}

/* Where rpm keeps its database, newest first (/var/lib/rpm is a link to
 * the other on Fedora 36 and later). */
static const char *const rpmdb_dirs[] = { "/usr/lib/sysimage/rpm",
    "/var/lib/rpm", NULL };

int
irk_rpmdb_find(struct irk_fs *fs, const char **dir, const char **file)
{
	static const char *const files[] = { "rpmdb.sqlite", "Packages",
	    IRK_RPM_NDB, NULL };
	char path[IRK_PKG_PATH_MAX];
	struct irk_stat st;
	struct irk_err err;

	for (int i = 0; rpmdb_dirs[i] != NULL; i++)
		for (int j = 0; files[j] != NULL; j++) {
			if (irk_path_join(path, sizeof(path), rpmdb_dirs[i],
			    files[j]) != IRK_OK || fs->ops->stat(fs, path, 1,
			    &st, &err) != IRK_OK || !S_ISREG(st.mode))
				continue;
			*dir = rpmdb_dirs[i];
			*file = files[j];
			return IRK_OK;
		}
	return IRK_FAIL;
}

/* --- paths ----------------------------------------------------------- */

/* The real path of a listed folder (links resolved inside the root),
 * cached; the folder itself when it cannot be resolved. */
static const char *
canon_dir(struct irk_pkgcheck *k, const char *dir)
{
	struct irk_err err;
	char *v = irk_strmap_get(&k->canon, dir);

	if (v != NULL)
		return v;
	irk_buf_reset(&k->tmp);
	if (irk_fs_resolve(k->c->fs, dir, &k->tmp, &err) != IRK_OK ||
	    (v = strdup(k->tmp.data)) == NULL)
		return dir;
	if (irk_strmap_put(&k->canon, dir, v) != 0) {
		free(v);
		return dir;
	}
	return v;
}

int
irk_pkgcheck_canon(struct irk_pkgcheck *k, const char *path, char *out,
    size_t outsz)
{
	char dir[IRK_PKG_PATH_MAX];
	const char *slash = strrchr(path, '/'), *cd;
	size_t dl = (size_t)(slash - path);

	if (slash == NULL || dl == 0 || dl >= sizeof(dir))
		return irk_path_join(out, outsz, "/", path);
	memcpy(dir, path, dl);
	dir[dl] = '\0';
	cd = canon_dir(k, dir);
	return irk_path_join(out, outsz, cd, slash + 1);
}

int
irk_pkgcheck_own(struct irk_pkgcheck *k, const char *path)
{
	char real[IRK_PKG_PATH_MAX];

	if (!in_system_dir(path))
		return IRK_OK;
	if (irk_pkgcheck_canon(k, path, real, sizeof(real)) != IRK_OK ||
	    irk_strmap_put(&k->owned, real, NULL) != 0)
		return IRK_FAIL;
	return IRK_OK;
}

int
irk_pkgcheck_own_real(struct irk_pkgcheck *k, const char *real)
{
	if (!in_system_dir(real))
		return IRK_OK;
	return irk_strmap_put(&k->owned, real, NULL) != 0 ? IRK_FAIL : IRK_OK;
}

/* --- reading a file ---------------------------------------------------- */

/* irk_pkgcheck_read() through fs with chunk; *bytes what was read. */
static int
pkg_read(struct irk_fs *fs, unsigned char *chunk, const char *path,
    irk_pkg_data_fn fn, void *arg, struct irk_stat *st, uint64_t *bytes,
    struct irk_err *err)
{
	struct irk_file *f;
	uint64_t off = 0;
	ssize_t n;

	*bytes = 0;
	if (irk_fs_open(fs, path, &f, err) != IRK_OK)
		return IRK_FAIL;
	if (fs->ops->fstat(f, st) != 0 || !S_ISREG(st->mode)) {
		irk_err_set(err, 0, "not a regular file");
		irk_fs_close(fs, f);
		return IRK_FAIL;
	}
	while ((n = irk_fs_pread(fs, f, chunk, IRK_PKG_CHUNK, off)) > 0) {
		fn(arg, chunk, (size_t)n);
		off += (uint64_t)n;
	}
	*bytes = off;
	irk_fs_close(fs, f);
	if (n < 0) {
		irk_err_set(err, errno, "read");
		return IRK_FAIL;
	}
	return IRK_OK;
}

int
irk_pkgcheck_read(struct irk_pkgcheck *k, const char *path,
    irk_pkg_data_fn fn, void *arg, struct irk_stat *st, struct irk_err *err)
{
	uint64_t n;
	int r;

	r = pkg_read(k->c->fs, k->chunk, path, fn, arg, st, &n, err);
	k->bytes += n;
	return r;
}

static void
hash_update(void *arg, const void *data, size_t len)
{
	irk_hash_update(arg, data, len);
}

int
irk_pkg_hash(struct irk_fs *fs, unsigned char *chunk, const char *path,
    int sha, char *hex, struct irk_stat *st, uint64_t *bytes,
    struct irk_err *err)
{
	struct irk_hash h;

	*bytes = 0;
	if ((sha ? irk_hash_init(&h, 0) : irk_hash_init_md5(&h)) != IRK_OK) {
		irk_err_set(err, ENOMEM, "hash");
		return IRK_FAIL;
	}
	if (pkg_read(fs, chunk, path, hash_update, &h, st, bytes, err) !=
	    IRK_OK) {
		irk_hash_release(&h);
		return IRK_FAIL;
	}
	irk_hash_final(&h, sha ? hex : NULL, sha ? NULL : hex, NULL);
	return IRK_OK;
}

json_t *
irk_pkgcheck_record(struct irk_pkgcheck *k, const char *pkg,
    const char *version, const char *arch, const char *path)
{
	json_t *rec = irk_record_new("package_file");

	if (rec == NULL)
		return NULL;
	irk_json_set_str(rec, "manager", k->manager);
	irk_json_set_str(rec, "package", pkg);
	irk_json_set_str(rec, "version", pkg != NULL ? version : NULL);
	irk_json_set_str(rec, "architecture", pkg != NULL && arch != NULL &&
	    arch[0] ? arch : NULL);
	irk_json_set_str(rec, "path", path);
	return rec;
}

/* --- executables no package owns --------------------------------------- */

int
irk_pkgcheck_not_owned(struct irk_pkgcheck *k, const char *path,
    const struct irk_stat *st, const char *sha256, const char *error)
{
	json_t *rec;

	if ((rec = irk_pkgcheck_record(k, NULL, NULL, NULL, path)) == NULL)
		return IRK_FATAL;
	k->checked++;
	k->flagged++;
	irk_json_set_str(rec, "md5_expected", NULL);
	irk_json_set_str(rec, "md5_actual", NULL);
	irk_json_set_bool(rec, "conffile", 0);
	irk_json_set_str(rec, "status", "not-owned");
	if (st != NULL && sha256 != NULL) {
		irk_json_set_str(rec, "sha256", sha256);
		irk_json_set_int(rec, "size", (int64_t)st->size);
		irk_json_set_time(rec, "mtime", st->mtime);
	} else {
		irk_json_set_str(rec, "error", error != NULL ? error :
		    "not read");
	}
	return irk_collect_record(k->c, rec) == IRK_FATAL ? IRK_FATAL : IRK_OK;
}

static int
unowned_file(struct irk_pkgcheck *k, const char *dir, const char *name,
    int pam)
{
	char path[IRK_PKG_PATH_MAX], sha[IRK_SHA256_HEX];
	struct irk_stat lst, st;
	struct irk_err err;
	uint64_t n;
	int r;

	if (irk_path_join(path, sizeof(path), dir, name) != IRK_OK ||
	    irk_strmap_has(&k->owned, path) ||
	    k->c->fs->ops->stat(k->c->fs, path, 0, &lst, &err) != IRK_OK ||
	    !S_ISREG(lst.mode))
		return IRK_OK;
	if (pam ? !irk_has_suffix(name, ".so") : !(lst.mode & 0111))
		return IRK_OK;
	r = irk_pkg_hash(k->c->fs, k->chunk, path, 1, sha, &st, &n, &err);
	k->bytes += n;
	return irk_pkgcheck_not_owned(k, path, r == IRK_OK ? &st : NULL,
	    r == IRK_OK ? sha : NULL, err.msg);
}

/* List a system folder once (by its real path). */
static int
scan_dir(struct irk_pkgcheck *k, struct irk_strmap *seen, const char *listed,
    int pam)
{
	struct irk_fs *fs = k->c->fs;
	struct irk_dirent de;
	struct irk_dir *d;
	struct irk_err err;
	char dir[IRK_PKG_PATH_MAX];
	int r = IRK_OK;

	if (snprintf(dir, sizeof(dir), "%s", canon_dir(k, listed)) >=
	    (int)sizeof(dir) || irk_strmap_has(seen, dir) ||
	    irk_strmap_put(seen, dir, NULL) != 0)
		return IRK_OK;
	if (fs->ops->opendir(fs, dir, &d, &err) != IRK_OK)
		return IRK_OK;
	while (r != IRK_FATAL && fs->ops->readdir(d, &de) == 1)
		r = unowned_file(k, dir, de.name, pam);
	fs->ops->closedir(d);
	return r;
}

/* The security folders under LIB/<triplet>/ and LIB itself. */
static int
scan_pam(struct irk_pkgcheck *k, struct irk_strmap *seen, const char *lib)
{
	struct irk_fs *fs = k->c->fs;
	struct irk_dirent de;
	struct irk_dir *d;
	struct irk_err err;
	char sub[IRK_PKG_PATH_MAX];
	int r;

	if (snprintf(sub, sizeof(sub), "%s/security", lib) >= (int)sizeof(sub))
		return IRK_OK;
	r = scan_dir(k, seen, sub, 1);
	if (fs->ops->opendir(fs, lib, &d, &err) != IRK_OK)
		return r;
	while (r != IRK_FATAL && fs->ops->readdir(d, &de) == 1) {
		if (de.type != S_IFDIR || strchr(de.name, '-') == NULL ||
		    snprintf(sub, sizeof(sub), "%s/%s/security", lib,
		    de.name) >= (int)sizeof(sub))
			continue;
		r = scan_dir(k, seen, sub, 1);
	}
	fs->ops->closedir(d);
	return r;
}

int
irk_pkgcheck_unowned(struct irk_pkgcheck *k)
{
	static const char *const bins[] = { "/usr/bin", "/usr/sbin", "/bin",
	    "/sbin", NULL };
	static const char *const libs[] = { "/usr/lib", "/usr/lib64", "/lib",
	    "/lib64", NULL };
	struct irk_strmap seen;
	int r = IRK_OK;

	irk_strmap_init(&seen, NULL);
	for (int i = 0; bins[i] != NULL && r != IRK_FATAL; i++)
		r = scan_dir(k, &seen, bins[i], 0);
	for (int i = 0; libs[i] != NULL && r != IRK_FATAL; i++)
		r = scan_pam(k, &seen, libs[i]);
	irk_strmap_release(&seen);
	return r;
}
