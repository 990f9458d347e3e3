/*
 * certificates.c - the certificates collector: every certificate and
 * private key under the usual roots, recognised by content, linked by
 * public key, with trust-store and distribution facts
 * (docs/certificates.md).
 *
 * Each file is opened once and judged from its first bytes; text is
 * searched for PEM armour chunk by chunk and read whole only when armour
 * is there.  Records are held serialized (at most HELD_MAX bytes; past
 * that only their file's path, read again at the end) with a compact
 * index of public keys, and handed over at the end once the key <->
 * certificate links are known.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "opool.h"
#include "irkit/cert_parse.h"
#include "irkit/collect.h"
#include "irkit/json.h"
#include "irkit/banned.h"

#define SCAN_CAP	(4u << 20)	/* bytes examined per file */
#define MAX_DEPTH	12		/* directories below a root */
#define SNIFF_LEN	512		/* what irk_cert_sniff() looks at */
#define FIRST_LEN	4096		/* the first read of every file */
#define CHUNK_LEN	(64u << 10)	/* text searched for armour */
#define HELD_MAX	(4u << 20)	/* records kept serialized */
#define HELD_BLOCK	(256u << 10)	/* freed one by one at the end */
#define LOOKERS		2		/* threads opening and reading */

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
	struct irk_strmap files;	/* "dev:ino" of files with records */
	struct irk_strmap cache;	/* "dev:ino" -> json array (trust sets) */
	struct irk_strmap trusted;	/* certificate sha256 */
	struct irk_strmap shipped;
	struct irk_opool *pool;		/* the walk's workers, or NULL */
	int filling;			/* fill_set(): records are cached */
	struct irk_strmap key_of;	/* public_sha256 -> first key's path */
	struct irk_strmap cert_of;	/* public_sha256 -> first cert's path */
	struct irk_buf *held;		/* held records in blocks, walk order */
	size_t nheld;
	uint64_t held_bytes;		/* of "R" lines, at most HELD_MAX */
	unsigned char *chunk;		/* CHUNK_LEN + 1 bytes, reused */
	uint64_t examined;		/* files opened and judged */
	uint64_t read_whole;		/* files read whole and parsed */
	uint64_t records;
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

/* What one worker (or the walk itself) needs to look at files. */
struct looker {
	struct irk_fs *fs;
	unsigned char *chunk;		/* CHUNK_LEN + 1 bytes */
	const struct irk_strmap *cache;	/* read only while looking */
};

/*
 * One file looked at: filled by look() in a worker (or in the walk), and
 * reported (logged, counted) by the walk in order.
 */
struct certjob {
	char path[4096];
	const struct irk_strmap *cache;	/* of the trust sets, read only */
	/* out */
	struct irk_file *f;	/* open while recs is not NULL */
	struct irk_stat st;
	json_t *recs;		/* records, or NULL */
	json_t *problems;	/* what could not be parsed, or NULL */
	struct irk_err err;	/* open or read error (errnum 0: none) */
	int open_failed;
	int over_cap;
	int cached;		/* recs from the trust sets' cache */
	uint64_t examined, read_whole;
};

/* Read a whole (small) file through the open handle. */
static unsigned char *
read_all(struct irk_fs *fs, struct irk_file *f, uint64_t size, size_t *len)
{
	unsigned char *buf;
	size_t off = 0;
	ssize_t n;

	if (size > SCAN_CAP)
		size = SCAN_CAP;
	if ((buf = malloc((size_t)size + 1)) == NULL)
		return NULL;
	while (off < size) {
		n = irk_fs_pread(fs, f, buf + off, (size_t)size - off, off);
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
 * Text of size bytes whose first n bytes are in l->chunk: 1 when PEM
 * armour ("-----BEGIN ") is there, looked for chunk by chunk up to the
 * cap (the chunks overlap by the armour's length), 0 when not, -1 when
 * the file cannot be read.
 */
static int
has_armour(struct looker *l, struct irk_file *f, size_t n, uint64_t size)
{
	static const char armour[] = "-----BEGIN ";
	const size_t keep = sizeof(armour) - 2;
	uint64_t off = n;
	ssize_t r;

	for (;;) {
		if (memmem(l->chunk, n, armour, sizeof(armour) - 1) != NULL)
			return 1;
		if (off >= size || off >= SCAN_CAP || n < keep)
			return 0;
		memmove(l->chunk, l->chunk + n - keep, keep);
		r = irk_fs_pread(l->fs, f, l->chunk + keep, CHUNK_LEN - keep,
		    off);
		if (r < 0)
			return -1;
		if (r == 0)
			return 0;
		off += (uint64_t)r;
		n = keep + (size_t)r;
	}
}

/* What irk_cert_scan_buf() found into j. */
static void
scan_done(struct certjob *j, struct irk_cert_scan *s)
{
	json_t *recs = s->records;

	s->records = NULL;
	if (json_array_size(s->problems) > 0) {
		j->problems = s->problems;
		s->problems = NULL;
	}
	if (s->has_key && json_array_size(recs) > 0)
		json_object_set_new(json_array_get(recs, 0), "_has_key",
		    json_true());
	if (json_array_size(recs) == 0) {
		json_decref(recs);
		recs = NULL;
	}
	irk_cert_scan_release(s);
	j->recs = recs;
}

static void
read_failed(struct certjob *j)
{
	irk_err_set(&j->err, errno, "cannot read");
}

/*
 * The records of the open file j->path into j->recs (NULL: nothing
 * here).  The first record carries "_has_key" when key material is
 * inside.  One read of FIRST_LEN bytes decides; text is read whole only
 * when it holds PEM armour, in chunks of CHUNK_LEN until then.
 */
static void
scan_file(struct looker *l, struct certjob *j, struct irk_file *f)
{
	struct irk_cert_scan s;
	unsigned char *data;
	size_t len, n;
	ssize_t r;
	int kind;

	if (j->st.size == 0)
		return;
	if (j->st.size > SCAN_CAP) {
		j->over_cap = 1;
		return;
	}
	j->examined++;
	if ((r = irk_fs_pread(l->fs, f, l->chunk, FIRST_LEN, 0)) < 0) {
		read_failed(j);
		return;
	}
	n = (size_t)r;
	kind = irk_cert_sniff(l->chunk, n < SNIFF_LEN ? n : SNIFF_LEN,
	    j->st.size);
	if (kind == IRK_CERT_SNIFF_NO)
		return;
	if (n < FIRST_LEN && n >= j->st.size) {
		/* the whole file is in the first read */
		l->chunk[n] = '\0';
		j->read_whole++;
		irk_cert_scan_buf(l->chunk, n, j->path, &s);
		scan_done(j, &s);
		return;
	}
	if (kind == IRK_CERT_SNIFF_TEXT) {
		int a = has_armour(l, f, n, j->st.size);

		if (a < 0)
			read_failed(j);
		if (a <= 0)
			return;
	}
	if ((data = read_all(l->fs, f, j->st.size, &len)) == NULL) {
		read_failed(j);
		return;
	}
	j->read_whole++;
	irk_cert_scan_buf(data, len, j->path, &s);
	free(data);
	scan_done(j, &s);
}

/*
 * Open j->path (a regular file, links followed inside the root) and scan
 * it, or take its records from the cache.  The file stays open in j->f
 * when it has records.
 */
static void
look(struct looker *l, struct certjob *j)
{
	struct irk_file *f;
	char key[48];

	if (irk_fs_open(l->fs, j->path, &f, &j->err) != IRK_OK) {
		j->open_failed = 1;
		return;
	}
	if (l->fs->ops->fstat(f, &j->st) != IRK_OK || !S_ISREG(j->st.mode)) {
		irk_fs_close(l->fs, f);
		return;
	}
	devino(key, &j->st);
	if (irk_strmap_has(l->cache, key)) {
		j->recs = json_deep_copy(irk_strmap_get(l->cache, key));
		j->cached = 1;
	} else
		scan_file(l, j, f);
	if (j->recs != NULL)
		j->f = f;
	else
		irk_fs_close(l->fs, f);
}

/* look() as an irk_opool_run_fn: a worker's fs and chunk, the cache. */
static void
look_run(struct irk_fs *fs, void *chunk, void *item)
{
	struct certjob *j = item;
	struct looker l = { fs, chunk, j->cache };

	look(&l, j);
}

/* Log and count what j says, unless quiet (counted all the same). */
static void
report(struct certwalk *w, struct certjob *j, int quiet)
{
	struct irk_collect *c = w->c;

	w->examined += j->examined;
	w->read_whole += j->read_whole;
	if (j->open_failed && j->err.errnum != ENOENT) {
		if (!quiet)
			irk_collect_log_err(c, IRK_LOG_ERROR, j->path, &j->err);
		w->read_errors++;
	} else if (!j->open_failed && j->err.errnum != 0) {
		if (!quiet)
			irk_collect_log(c, IRK_LOG_ERROR, j->path,
			    j->err.errnum, "cannot read");
		w->read_errors++;
	}
	if (j->over_cap && !quiet)
		irk_collect_log(c, IRK_LOG_INFO, j->path, 0,
		    "not examined: %llu bytes, over the %u MB cap",
		    (unsigned long long)j->st.size, SCAN_CAP >> 20);
	if (!quiet)
		for (size_t i = 0; i < json_array_size(j->problems); i++)
			irk_collect_log(c, IRK_LOG_WARN, j->path, 0, "%s",
			    json_string_value(json_array_get(j->problems, i)));
	json_decref(j->problems);
	j->problems = NULL;
}

/*
 * Open path and scan it in this thread (trust sets, files read again):
 * new records or NULL; cached when filling the trust sets.
 */
static json_t *
open_scan(struct certwalk *w, const char *path, struct irk_stat *st,
    int quiet)
{
	struct looker l = { w->c->fs, w->chunk, &w->cache };
	struct certjob *j;
	char key[48];
	json_t *recs;

	if ((j = calloc(1, sizeof(*j))) == NULL)
		return NULL;
	(void)snprintf(j->path, sizeof(j->path), "%s", path);
	look(&l, j);
	report(w, j, quiet);
	irk_fs_close(w->c->fs, j->f);
	recs = j->recs;
	*st = j->st;
	devino(key, st);
	if (recs != NULL && w->filling && !j->cached)
		(void)irk_strmap_put(&w->cache, key, json_deep_copy(recs));
	free(j);
	return recs;
}

static int
is_type(json_t *r, const char *t)
{
	return strcmp(json_string_value(json_object_get(r, "type")), t) == 0;
}

/* The file's facts on each of its records; trust facts on certificates. */
static void
decorate(struct certwalk *w, json_t *r, const char *path,
    const struct irk_stat *st)
{
	const struct irk_users *u = irk_collect_users(w->c);
	const char *sha = json_string_value(json_object_get(r, "sha256"));

	json_object_del(r, "_has_key");
	irk_json_set_str(r, "path", path);
	irk_json_set_str(r, "owner", irk_users_name(u, st->uid));
	irk_json_set_int(r, "uid", st->uid);
	irk_json_set_int(r, "gid", st->gid);
	irk_json_set_mode(r, "mode", st->mode);
	irk_json_set_time(r, "mtime", st->mtime);
	irk_json_set_int(r, "file_size", (int64_t)st->size);
	if (is_type(r, "certificate")) {
		irk_json_set_bool(r, "in_trust_store", sha != NULL &&
		    irk_strmap_has(&w->trusted, sha));
		irk_json_set_bool(r, "shipped_by_os", sha != NULL &&
		    irk_strmap_has(&w->shipped, sha));
	}
}

/* Index r's public key: the first key and the first certificate of each. */
static void
index_record(struct certwalk *w, json_t *r, const char *path)
{
	const char *pub = json_string_value(json_object_get(r,
	    "public_sha256"));
	struct irk_strmap *m = is_type(r, "certificate") ? &w->cert_of :
	    &w->key_of;

	if (pub != NULL && !irk_strmap_has(m, pub))
		(void)irk_strmap_put(m, pub, strdup(path));
}

/* The block to add to: the last, or a new one when it is full. */
static struct irk_buf *
held_block(struct certwalk *w)
{
	struct irk_buf *b;

	if (w->nheld > 0 && w->held[w->nheld - 1].len < HELD_BLOCK)
		return &w->held[w->nheld - 1];
	if ((b = realloc(w->held, (w->nheld + 1) * sizeof(*b))) == NULL)
		return NULL;
	w->held = b;
	irk_buf_init(&b[w->nheld], 64u << 20);
	return &b[w->nheld++];
}

/*
 * Hold the records of one file until the links are known: serialized
 * ("R" line) while they stay under HELD_MAX in all, else the file's path
 * alone ("P" line), read again at the end.  In blocks of HELD_BLOCK,
 * freed as they are handed over.
 */
static void
hold(struct certwalk *w, json_t *recs, const char *path)
{
	struct irk_buf *b = held_block(w);
	size_t mark, i;

	if (b == NULL)
		goto lost;
	mark = b->len;
	for (i = 0; i < json_array_size(recs); i++)
		if (w->held_bytes + (b->len - mark) >= HELD_MAX ||
		    irk_buf_addch(b, 'R') != IRK_OK ||
		    irk_json_dump_line(json_array_get(recs, i), b) != IRK_OK ||
		    irk_buf_addch(b, '\n') != IRK_OK)
			break;
	if (i == json_array_size(recs)) {
		w->held_bytes += b->len - mark;
		return;
	}
	/* over the budget: the path alone, read again at the end */
	b->len = mark;
	if (irk_buf_addch(b, 'P') == IRK_OK && irk_buf_addstr(b, path) ==
	    IRK_OK && irk_buf_addch(b, '\n') == IRK_OK)
		return;
	b->len = mark;
	if (b->data != NULL)
		b->data[mark] = '\0';
lost:
	irk_collect_log(w->c, IRK_LOG_ERROR, path, ENOMEM, "records not kept");
	w->read_errors++;
}

/* A file the walk looked at (j): hold its records, copy it. */
static int
take_done(void *arg, void *item)
{
	struct certwalk *w = arg;
	struct certjob *j = item;
	struct irk_collect *c = w->c;
	json_t *r;
	size_t i;
	char key[48];
	int has_key, has_cert = 0;

	report(w, j, 0);
	devino(key, &j->st);
	if (j->recs == NULL || irk_strmap_has(&w->files, key)) {
		/* nothing, or a file with records (device, inode) seen */
		json_decref(j->recs);
		irk_fs_close(c->fs, j->f);
		return c->fatal ? IRK_FATAL : IRK_OK;
	}
	(void)irk_strmap_put(&w->files, key, NULL);
	has_key = json_object_get(json_array_get(j->recs, 0), "_has_key") !=
	    NULL;
	json_array_foreach(j->recs, i, r) {
		decorate(w, r, j->path, &j->st);
		index_record(w, r, j->path);
		if (is_type(r, "certificate"))
			has_cert = 1;
	}
	w->records += json_array_size(j->recs);
	hold(w, j->recs, j->path);
	json_decref(j->recs);
	if (has_key ? c->opts != NULL && c->opts->copy_keys : has_cert)
		(void)irk_collect_file_open(c, j->f, j->path,
		    has_key ? "private key" : "certificate", NULL);
	irk_fs_close(c->fs, j->f);
	return c->fatal ? IRK_FATAL : IRK_OK;
}

/* A regular file met by the walk: looked at on the pool, or here. */
static void
take_file(struct certwalk *w, const char *path)
{
	struct looker l = { w->c->fs, w->chunk, &w->cache };
	struct certjob *j;

	if (w->pool != NULL) {
		/* opened on the pool: the progress line hears of it here */
		irk_fs_host_tell(w->c->fs, path, 0);
		if ((j = irk_opool_next(w->pool, take_done, w)) == NULL)
			return;
		(void)snprintf(j->path, sizeof(j->path), "%s", path);
		j->cache = &w->cache;
		irk_opool_submit(w->pool);
		return;
	}
	if ((j = calloc(1, sizeof(*j))) == NULL)
		return;
	(void)snprintf(j->path, sizeof(j->path), "%s", path);
	look(&l, j);
	(void)take_done(w, j);
	free(j);
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

/* A path the examiner excluded (--exclude): logged, not entered. */
static int
excluded(struct certwalk *w, const char *path)
{
	const struct irk_collect_opts *o = w->c->opts;

	if (o == NULL || !irk_path_under_any(path, o->excludes, o->nexcludes))
		return 0;
	irk_collect_log(w->c, IRK_LOG_INFO, path, 0,
	    "not examined: excluded by the examiner (--exclude)");
	return 1;
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

		if (irk_path_join(path, sizeof(path), dir, de.name) != IRK_OK ||
		    excluded(w, path))
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

	if (path[0] != '/' || never_enter(path) || excluded(w, path))
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
		recs = open_scan(w, path, &st, 1);
		for (size_t i = 0; i < json_array_size(recs); i++) {
			const char *h = json_string_value(json_object_get(
			    json_array_get(recs, i), "sha256"));

			if (h != NULL)
				(void)irk_strmap_put(set, h, NULL);
		}
		json_decref(recs);
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

/* Set r's link to its counterpart by public key, then hand it over. */
static int
emit(struct certwalk *w, json_t *r)
{
	const char *pub = json_string_value(json_object_get(r,
	    "public_sha256"));

	if (is_type(r, "certificate"))
		irk_json_set_str(r, "private_key_path", pub == NULL ? NULL :
		    irk_strmap_get(&w->key_of, pub));
	else
		irk_json_set_str(r, "certificate_path", pub == NULL ? NULL :
		    irk_strmap_get(&w->cert_of, pub));
	return irk_collect_record(w->c, r);
}

/* The records of a file whose records were not kept: read it again. */
static int
emit_again(struct certwalk *w, const char *path)
{
	struct irk_stat st;
	json_t *recs, *r;
	size_t i;
	int rc = IRK_OK;

	if ((recs = open_scan(w, path, &st, 1)) == NULL) {
		irk_collect_log(w->c, IRK_LOG_WARN, path, 0,
		    "gone or changed before its records were written");
		return IRK_OK;
	}
	json_array_foreach(recs, i, r) {
		decorate(w, r, path, &st);
		if ((rc = emit(w, json_incref(r))) == IRK_FATAL)
			break;
	}
	json_decref(recs);
	return rc;
}

/* The records of one block handed over. */
static int
finish_block(struct certwalk *w, struct irk_buf *b)
{
	char *line = b->data, *nl;
	json_error_t jerr;
	json_t *r;
	int rc = IRK_OK;

	for (; line != NULL && *line != '\0' && rc != IRK_FATAL;
	    line = nl + 1) {
		if ((nl = strchr(line, '\n')) == NULL)
			break;
		*nl = '\0';
		if (line[0] == 'P') {
			rc = emit_again(w, line + 1);
			continue;
		}
		if ((r = json_loads(line + 1, 0, &jerr)) != NULL)
			rc = emit(w, r);
	}
	return rc;
}

/* Links, then every held record handed over in walk order. */
static int
finish(struct certwalk *w)
{
	int rc = IRK_OK;

	for (size_t i = 0; i < w->nheld; i++) {
		if (rc != IRK_FATAL)
			rc = finish_block(w, &w->held[i]);
		irk_buf_release(&w->held[i]);
	}
	free(w->held);
	w->held = NULL;
	w->nheld = 0;
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
	irk_strmap_init(&w.key_of, free);
	irk_strmap_init(&w.cert_of, free);
	if ((w.chunk = malloc(CHUNK_LEN + 1)) == NULL)
		return IRK_FAIL;

	/* the trust configuration first: it does not depend on the roots */
	w.filling = 1;
	for (int i = 0; trust_paths[i] != NULL; i++)
		if (strstr(trust_paths[i], "blocklist") == NULL)
			fill_set(&w, &w.trusted, trust_paths[i], 0);
	for (int i = 0; shipped_paths[i] != NULL; i++)
		fill_set(&w, &w.shipped, shipped_paths[i], 0);
	w.filling = 0;

	/* files are opened and read on the pool; the walk holds and logs */
	w.pool = irk_opool_open(c->fs, LOOKERS, sizeof(struct certjob),
	    CHUNK_LEN + 1, look_run);
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
	if (w.pool != NULL)
		(void)irk_opool_flush(w.pool, take_done, &w);
	irk_opool_close(w.pool);
	irk_strmap_release(&w.cache);
	rc = finish(&w);
	irk_collect_log(c, IRK_LOG_INFO, NULL, 0,
	    "%llu files examined, %llu read whole, %llu certificates and "
	    "keys, %llu directories deeper than %d levels not entered",
	    (unsigned long long)w.examined, (unsigned long long)w.read_whole,
	    (unsigned long long)w.records, (unsigned long long)w.too_deep,
	    MAX_DEPTH);
	free(w.chunk);
	irk_strmap_release(&w.key_of);
	irk_strmap_release(&w.cert_of);
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
