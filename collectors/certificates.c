/*
 * certificates.c - the certificates collector: every certificate and
 * private key under the usual roots, recognised by content, linked by
 * public key, with trust-store and distribution facts
 * (docs/certificates.md).
 *
 * The walk only collects: records are kept in memory and emitted at the
 * end, once the trust sets and the key <-> certificate links are known.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "irkit/cert_parse.h"
#include "irkit/collect.h"
#include "irkit/json.h"
#include "irkit/banned.h"

#define SCAN_CAP	(4u << 20)	/* bytes examined per file */
#define MAX_DEPTH	12		/* directories below a root */
#define SNIFF_LEN	512

static const char *const default_roots[] = {
	"/etc", "/usr/local/share/ca-certificates",
	"/usr/share/ca-certificates", "/usr/local/etc", "/opt", "/srv",
	"/root", "/var/lib", NULL
};

/* Never entered, whatever the roots say. */
static const char *const never[] = {
	"/proc", "/sys", "/dev", "/var/lib/lxcfs", NULL
};

/* Homes not worth walking (system accounts). */
static const char *const dull_homes[] = {
	"/", "/bin", "/sbin", "/usr/bin", "/usr/sbin", "/usr/games",
	"/nonexistent", "/dev/null", "/usr", "/var", NULL
};

/* What the system trust configuration makes trusted. */
static const char *const trust_paths[] = {
	"/etc/ssl/certs",			/* Debian: bundle, hash links */
	"/usr/local/share/ca-certificates",	/* Debian local anchors */
	"/etc/pki/ca-trust/extracted",		/* Red Hat, generated */
	"/etc/pki/ca-trust/source/anchors",	/* Red Hat local anchors */
	"/etc/pki/ca-trust/source/blocklist",	/* (not trusted: see below) */
	"/etc/pki/tls/certs/ca-bundle.crt",
	"/etc/pki/tls/cert.pem",
	"/etc/ca-certificates/trust-source/anchors",	/* Arch */
	NULL
};

/* What a distribution package ships. */
static const char *const shipped_paths[] = {
	"/usr/share/ca-certificates",		/* Debian: mozilla/ */
	"/usr/share/pki/ca-trust-source",	/* Red Hat */
	"/usr/share/ca-certificates/trust-source",	/* Arch */
	NULL
};

struct certwalk {
	struct irk_collect *c;
	struct irk_strmap dirs;		/* "dev:ino" of directories seen */
	struct irk_strmap files;	/* "dev:ino" of files recorded */
	struct irk_strmap cache;	/* "dev:ino" -> json array of records */
	struct irk_strmap trusted;	/* certificate sha256 */
	struct irk_strmap shipped;
	json_t *records;		/* everything, in walk order */
	uint64_t examined;		/* files read */
	uint64_t too_deep;		/* directories not entered */
	int read_errors;
};

static void
json_free(void *p)
{
	json_decref(p);
}

static int
under(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	return strncmp(path, dir, n) == 0 && (path[n] == '\0' ||
	    path[n] == '/');
}

static int
never_enter(const char *path)
{
	for (int i = 0; never[i] != NULL; i++)
		if (under(path, never[i]))
			return 1;
	return 0;
}

static void
devino(char out[48], const struct irk_stat *st)
{
	(void)snprintf(out, 48, "%llu:%llu", (unsigned long long)st->dev,
	    (unsigned long long)st->ino);
}

/* Read a whole (small) file through the open handle. */
static unsigned char *
read_all(struct irk_collect *c, struct irk_file *f, uint64_t size,
    size_t *len)
{
	unsigned char *buf;
	size_t off = 0;
	ssize_t n;

	if (size > SCAN_CAP)
		size = SCAN_CAP;
	if ((buf = malloc((size_t)size + 1)) == NULL)
		return NULL;
	while (off < size) {
		n = irk_fs_pread(c->fs, f, buf + off, (size_t)size - off, off);
		if (n < 0) {
			free(buf);
			return NULL;
		}
		if (n == 0)
			break;
		off += (size_t)n;
	}
	buf[off] = '\0';
	*len = off;
	return buf;
}

/*
 * The records of the file at path (its own path, links resolved), from
 * the cache or by reading it.  Returns a borrowed array (NULL: nothing
 * here).  The first record carries "_has_key" when key material is
 * inside.
 */
static json_t *
scan_file(struct certwalk *w, const char *path, struct irk_file *f,
    const struct irk_stat *st, int quiet)
{
	struct irk_collect *c = w->c;
	struct irk_cert_scan s;
	unsigned char head[SNIFF_LEN], *data;
	char key[48];
	size_t len;
	ssize_t n;
	json_t *recs;

	devino(key, st);
	if (irk_strmap_has(&w->cache, key))
		return irk_strmap_get(&w->cache, key);
	if (st->size == 0)
		return NULL;
	if (st->size > SCAN_CAP) {
		if (!quiet)
			irk_collect_log(c, IRK_LOG_INFO, path, 0,
			    "not examined: %llu bytes, over the %u MB cap",
			    (unsigned long long)st->size, SCAN_CAP >> 20);
		return NULL;
	}
	n = irk_fs_pread(c->fs, f, head, sizeof(head), 0);
	if (n < 0) {
		if (!quiet)
			irk_collect_log(c, IRK_LOG_ERROR, path, errno,
			    "cannot read");
		w->read_errors++;
		return NULL;
	}
	if (irk_cert_sniff(head, (size_t)n, st->size) == IRK_CERT_SNIFF_NO)
		return NULL;
	if ((data = read_all(c, f, st->size, &len)) == NULL) {
		if (!quiet)
			irk_collect_log(c, IRK_LOG_ERROR, path, errno,
			    "cannot read");
		w->read_errors++;
		return NULL;
	}
	w->examined++;
	irk_cert_scan_buf(data, len, path, &s);
	free(data);
	if (!quiet)
		for (size_t i = 0; i < json_array_size(s.problems); i++)
			irk_collect_log(c, IRK_LOG_WARN, path, 0, "%s",
			    json_string_value(json_array_get(s.problems, i)));
	recs = s.records;
	s.records = NULL;
	if (s.has_key && json_array_size(recs) > 0)
		json_object_set_new(json_array_get(recs, 0), "_has_key",
		    json_true());
	if (json_array_size(recs) == 0 || (quiet &&
	    json_array_size(s.problems) > 0)) {
		/* nothing, or problems the walk must log: not cached */
		irk_cert_scan_release(&s);
		json_decref(recs);
		return NULL;
	}
	irk_cert_scan_release(&s);
	(void)irk_strmap_put(&w->cache, key, recs);
	return recs;
}

/* Open path (a regular file) and scan it; records are borrowed. */
static json_t *
open_scan(struct certwalk *w, const char *path, struct irk_stat *st,
    struct irk_file **fp, int quiet)
{
	struct irk_err err;
	struct irk_file *f;
	json_t *recs;

	if (fp != NULL) {
		/* the walk: each file (by device and inode) once */
		struct irk_stat lst;
		char key[48];

		if (w->c->fs->ops->stat(w->c->fs, path, 1, &lst, &err) !=
		    IRK_OK)
			return NULL;
		devino(key, &lst);
		if (irk_strmap_has(&w->files, key))
			return NULL;
		(void)irk_strmap_put(&w->files, key, NULL);
	}
	if (irk_fs_open(w->c->fs, path, &f, &err) != IRK_OK) {
		if (!quiet && err.errnum != ENOENT) {
			irk_collect_log_err(w->c, IRK_LOG_ERROR, path, &err);
			w->read_errors++;
		}
		return NULL;
	}
	if (w->c->fs->ops->fstat(f, st) != IRK_OK || !S_ISREG(st->mode)) {
		irk_fs_close(w->c->fs, f);
		return NULL;
	}
	recs = scan_file(w, path, f, st, quiet);
	if (fp != NULL)
		*fp = f;
	else
		irk_fs_close(w->c->fs, f);
	return recs;
}

/* A regular file met by the walk: scan, keep its records, copy it. */
static void
take_file(struct certwalk *w, const char *path)
{
	struct irk_collect *c = w->c;
	const struct irk_users *u = irk_collect_users(c);
	struct irk_file *f = NULL;
	struct irk_stat st;
	json_t *recs;
	int has_key, has_cert = 0;

	recs = open_scan(w, path, &st, &f, 0);
	if (f == NULL)
		return;
	if (recs == NULL) {
		irk_fs_close(c->fs, f);
		return;
	}
	has_key = json_object_get(json_array_get(recs, 0), "_has_key") != NULL;
	for (size_t i = 0; i < json_array_size(recs); i++) {
		json_t *r = json_deep_copy(json_array_get(recs, i));
		const char *owner = irk_users_name(u, st.uid);

		json_object_del(r, "_has_key");
		irk_json_set_str(r, "path", path);
		if (strcmp(json_string_value(json_object_get(r, "type")),
		    "certificate") == 0)
			has_cert = 1;
		irk_json_set_str(r, "owner", owner);
		irk_json_set_int(r, "uid", st.uid);
		irk_json_set_int(r, "gid", st.gid);
		irk_json_set_mode(r, "mode", st.mode);
		irk_json_set_time(r, "mtime", st.mtime);
		irk_json_set_int(r, "file_size", (int64_t)st.size);
		json_array_append_new(w->records, r);
	}
	if (has_key ? c->opts != NULL && c->opts->copy_keys : has_cert)
		(void)irk_collect_file_open(c, f, path,
		    has_key ? "private key" : "certificate", NULL);
	irk_fs_close(c->fs, f);
}

/* A link met by the walk: files are followed (inside the root). */
static void
take_link(struct certwalk *w, const char *path)
{
	struct irk_buf target;
	struct irk_stat st;
	struct irk_err err;

	int trust = 0;

	for (int i = 0; trust_paths[i] != NULL; i++)
		if (under(path, trust_paths[i]))
			trust = 1;
	if (!trust)
		return;		/* its target is walked where it lives */
	irk_buf_init(&target, 4096);
	if (w->c->fs->ops->stat(w->c->fs, path, 1, &st, &err) == IRK_OK &&
	    S_ISREG(st.mode) &&
	    irk_fs_resolve(w->c->fs, path, &target, &err) == IRK_OK &&
	    target.data[0] == '/' && !never_enter(target.data))
		take_file(w, target.data);
	irk_buf_release(&target);
}

static void
walk(struct certwalk *w, const char *dir, int depth)
{
	struct irk_collect *c = w->c;
	struct irk_dir *d;
	struct irk_dirent de;
	struct irk_stat st;
	struct irk_err err;
	char path[4096], key[48];
	int r;

	if (never_enter(dir) || c->fatal)
		return;
	if (c->fs->ops->stat(c->fs, dir, 0, &st, &err) != IRK_OK ||
	    !S_ISDIR(st.mode))
		return;
	devino(key, &st);
	if (irk_strmap_has(&w->dirs, key))
		return;
	(void)irk_strmap_put(&w->dirs, key, NULL);
	if (c->fs->ops->opendir(c->fs, dir, &d, &err) != IRK_OK) {
		if (err.errnum != ENOENT) {
			irk_collect_log_err(c, IRK_LOG_ERROR, dir, &err);
			w->read_errors++;
		}
		return;
	}
	while ((r = c->fs->ops->readdir(d, &de)) == 1) {
		uint32_t type = de.type;

		if (irk_path_join(path, sizeof(path), dir, de.name) != IRK_OK)
			continue;
		if (type == 0) {
			if (c->fs->ops->stat(c->fs, path, 0, &st, &err) !=
			    IRK_OK)
				continue;
			type = st.mode & S_IFMT;
		}
		if (type == S_IFDIR) {
			if (depth < MAX_DEPTH)
				walk(w, path, depth + 1);
			else if (w->too_deep++ == 0)
				irk_collect_log(c, IRK_LOG_INFO, path, 0,
				    "not entered: deeper than %d levels (the "
				    "count of such directories is logged at "
				    "the end)", MAX_DEPTH);
		} else if (type == S_IFREG)
			take_file(w, path);
		else if (type == S_IFLNK)
			take_link(w, path);
	}
	if (r < 0) {
		irk_collect_log(c, IRK_LOG_ERROR, dir, errno,
		    "cannot list the whole directory");
		w->read_errors++;
	}
	c->fs->ops->closedir(d);
}

/* A root: a directory walked, or a single file. */
static void
root(struct certwalk *w, const char *path, int follow, int quiet)
{
	struct irk_stat st;
	struct irk_err err;

	if (path[0] != '/' || never_enter(path))
		return;
	if (w->c->fs->ops->stat(w->c->fs, path, follow, &st, &err) !=
	    IRK_OK) {
		if (!quiet)
			irk_collect_log_err(w->c, IRK_LOG_WARN, path, &err);
		return;
	}
	if (S_ISDIR(st.mode))
		walk(w, path, 0);
	else if (S_ISREG(st.mode))
		take_file(w, path);
	/* a home that is a link is not followed */
}

/* Add the sha256 of every certificate under path to set (no records). */
static void
fill_set(struct certwalk *w, struct irk_strmap *set, const char *path,
    int depth)
{
	struct irk_collect *c = w->c;
	struct irk_stat st;
	struct irk_err err;
	struct irk_dir *d;
	struct irk_dirent de;
	char child[4096];
	json_t *recs;

	if (c->fs->ops->stat(c->fs, path, 1, &st, &err) != IRK_OK)
		return;
	if (S_ISREG(st.mode)) {
		recs = open_scan(w, path, &st, NULL, 1);
		for (size_t i = 0; i < json_array_size(recs); i++) {
			const char *h = json_string_value(json_object_get(
			    json_array_get(recs, i), "sha256"));

			if (h != NULL)
				(void)irk_strmap_put(set, h, NULL);
		}
		return;
	}
	if (!S_ISDIR(st.mode) || depth > 4 ||
	    c->fs->ops->opendir(c->fs, path, &d, &err) != IRK_OK)
		return;
	while (c->fs->ops->readdir(d, &de) == 1)
		if (irk_path_join(child, sizeof(child), path, de.name) ==
		    IRK_OK)
			fill_set(w, set, child, depth + 1);
	c->fs->ops->closedir(d);
}

static int
is_type(json_t *r, const char *t)
{
	return strcmp(json_string_value(json_object_get(r, "type")), t) == 0;
}

/* Trust facts, key <-> certificate links, then hand every record over. */
static int
finish(struct certwalk *w)
{
	struct irk_strmap keys, certs;
	size_t i;
	json_t *r;
	int rc = IRK_OK;

	irk_strmap_init(&keys, free);
	irk_strmap_init(&certs, free);
	json_array_foreach(w->records, i, r) {
		const char *pub = json_string_value(json_object_get(r,
		    "public_sha256"));
		const char *path = json_string_value(json_object_get(r,
		    "path"));
		struct irk_strmap *m = is_type(r, "certificate") ? &certs :
		    &keys;

		if (pub != NULL && path != NULL && !irk_strmap_has(m, pub))
			(void)irk_strmap_put(m, pub, strdup(path));
	}
	json_array_foreach(w->records, i, r) {
		const char *pub = json_string_value(json_object_get(r,
		    "public_sha256"));
		const char *sha = json_string_value(json_object_get(r,
		    "sha256"));

		if (is_type(r, "certificate")) {
			irk_json_set_bool(r, "in_trust_store", sha != NULL &&
			    irk_strmap_has(&w->trusted, sha));
			irk_json_set_bool(r, "shipped_by_os", sha != NULL &&
			    irk_strmap_has(&w->shipped, sha));
			irk_json_set_str(r, "private_key_path", pub == NULL ?
			    NULL : irk_strmap_get(&keys, pub));
		} else
			irk_json_set_str(r, "certificate_path", pub == NULL ?
			    NULL : irk_strmap_get(&certs, pub));
	}
	json_array_foreach(w->records, i, r) {
		if (irk_collect_record(w->c, json_incref(r)) == IRK_FATAL) {
			rc = IRK_FATAL;
			break;
		}
	}
	irk_strmap_release(&keys);
	irk_strmap_release(&certs);
	return rc;
}

static int
dull_home(const char *home)
{
	for (int i = 0; dull_homes[i] != NULL; i++)
		if (strcmp(home, dull_homes[i]) == 0)
			return 1;
	return home[0] != '/' || never_enter(home);
}

static int
collect_certificates(struct irk_collect *c)
{
	struct certwalk w;
	const struct irk_users *u;
	int rc;

	memset(&w, 0, sizeof(w));
	w.c = c;
	irk_strmap_init(&w.dirs, NULL);
	irk_strmap_init(&w.files, NULL);
	irk_strmap_init(&w.cache, json_free);
	irk_strmap_init(&w.trusted, NULL);
	irk_strmap_init(&w.shipped, NULL);
	w.records = json_array();

	/* the trust configuration first: it does not depend on the roots */
	for (int i = 0; trust_paths[i] != NULL; i++)
		if (strstr(trust_paths[i], "blocklist") == NULL)
			fill_set(&w, &w.trusted, trust_paths[i], 0);
	for (int i = 0; shipped_paths[i] != NULL; i++)
		fill_set(&w, &w.shipped, shipped_paths[i], 0);

	if (c->opts != NULL && c->opts->ncert_paths > 0) {
		for (size_t i = 0; i < c->opts->ncert_paths; i++)
			root(&w, c->opts->cert_paths[i], 1, 0);
	} else {
		for (int i = 0; default_roots[i] != NULL; i++)
			root(&w, default_roots[i], 0, 1);
		u = irk_collect_users(c);
		for (size_t i = 0; i < u->nusers; i++)
			if (u->users[i].home != NULL &&
			    !dull_home(u->users[i].home))
				root(&w, u->users[i].home, 0, 1);
	}
	rc = finish(&w);
	irk_collect_log(c, IRK_LOG_INFO, NULL, 0,
	    "%llu files examined, %zu certificates and keys, %llu "
	    "directories deeper than %d levels not entered",
	    (unsigned long long)w.examined, json_array_size(w.records),
	    (unsigned long long)w.too_deep, MAX_DEPTH);
	json_decref(w.records);
	irk_strmap_release(&w.dirs);
	irk_strmap_release(&w.files);
	irk_strmap_release(&w.cache);
	irk_strmap_release(&w.trusted);
	irk_strmap_release(&w.shipped);
	if (rc == IRK_FATAL || c->fatal)
		return IRK_FATAL;
	return w.read_errors > 0 ? IRK_WARN : IRK_OK;
}

const struct irk_collector irk_collector_certificates = {
	"certificates",
	"certificates and private keys, linked by public key",
	IRK_SRC_LIVE | IRK_SRC_LINUX_ROOT,
	collect_certificates
};
