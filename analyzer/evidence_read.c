/*
 * evidence_read.c - streaming reader over archives and directories
 * (see evidence_read.h).
 *
 * Archives go through libarchive's reader only: member names are data,
 * never joined onto a path of ours, so "..", absolute names and links
 * cannot make anything be written.  Directories are walked through the
 * host irk_fs rooted at the directory: links are reported, never
 * followed out of it.
 */
#include <errno.h>
#include <pthread.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <archive.h>
#include <archive_entry.h>

#include "evidence_read.h"
#include "evread_ahead.h"
#include "irkit/buf.h"
#include "irkit/fs.h"
#include "irkit/strmap.h"
#include "irkit/banned.h"

#define MANIFEST_MAX	(256u << 20)
#define DIR_DEPTH_MAX	256
#define DIR_ENTRIES_MAX	(16u << 20)

struct irk_evread {
	enum irk_evkind kind;
	char *path;
	char sha256[IRK_SHA256_HEX];
	uint64_t size;
	char format[64];
	struct irk_evread_opts opts;
	/* archives */
	struct archive *a;
	struct archive_entry *e;
	int pending;		/* the first header, read by open() */
	char *top;		/* irkit top folder, with the "/" */
	size_t toplen;
	uint64_t out_bytes;
	/* read ahead on a thread (opts.ahead): the archive is its own */
	struct irk_ahead *ahead;
	struct archive_entry *ecl;	/* the current header, a clone */
	int aeno;			/* the last error the thread saw */
	char *aerr;
	/* the current member */
	struct irk_member cur;
	char *cur_name;
	int has_cur;
	int data_done;
	int hashing;
	struct irk_hash h;
	char cur_sha[IRK_SHA256_HEX];
	uint64_t cur_bytes;
	int is_manifest;
	struct irk_buf mbuf;
	int manifest_seen;
	int manifest_toobig;
	/* verification */
	struct irk_strmap seen;	/* rel -> "size sha256" */
	json_t *problems;
	json_t *manifest;
	const char *verify;
	int partial;
	int finished;
	uint64_t unread;	/* members not read to their end */
	int cur_unread;		/* the current one is (counted once) */
	int cur_warned;		/* read ahead: its first ARCHIVE_WARN taken */
	char unread_why[512];	/* why the last of them was not */
	char detached[IRK_SHA256_HEX];
	enum { DET_UNKNOWN, DET_ABSENT, DET_UNREADABLE, DET_OK } detached_state;
	char manifest_sha[IRK_SHA256_HEX];	/* of manifest.json, or "" */
	/* progress: bytes of content read (directories), their total */
	uint64_t dir_done, dir_total;
	/* directories */
	struct irk_fs *fs;
	char **list;
	size_t nlist, ilist;
	struct irk_file *f;
	uint64_t off;
	struct irk_buf linkbuf;
};

/* libarchive's last error, or the one the read-ahead thread queued. */
static const char *
a_errstr(struct irk_evread *r)
{
	return r->ahead != NULL ? r->aerr : archive_error_string(r->a);
}

static int
a_errno(struct irk_evread *r)
{
	return r->ahead != NULL ? r->aeno : archive_errno(r->a);
}

/* Strings from evidence may not be UTF-8: jansson needs valid text. */
static json_t *
safe_str(const char *s)
{
	json_t *j = json_string(s);
	struct irk_buf b;

	if (j != NULL)
		return j;
	irk_buf_init(&b, 1 << 20);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p < 0x80)
			(void)irk_buf_addch(&b, *p);
		else
			(void)irk_buf_printf(&b, "\\x%02x", *p);
	}
	j = json_string(b.data ? b.data : "");
	irk_buf_release(&b);
	return j;
}

static void
problem_name(struct irk_evread *r, const char *kind, const char *name)
{
	json_t *n = safe_str(name);
	char *s = NULL;

	if (n != NULL && asprintf(&s, "%s: %s", kind, json_string_value(n)) >=
	    0) {
		json_array_append_new(r->problems, json_string(s));
		free(s);
	}
	json_decref(n);
}

static void
problem(struct irk_evread *r, const char *kind, const char *what)
{
	problem_name(r, kind, what);
}

/* ---- whole-input hash and the detached checksum ---- */

static int
prehash(struct irk_evread *r, struct irk_err *err)
{
	struct irk_hash h;
	unsigned char *buf;
	ssize_t n;
	int fd;

	if ((fd = open(r->path, O_RDONLY | O_CLOEXEC)) < 0) {
		irk_err_set(err, errno, "cannot open '%s'", r->path);
		return IRK_FAIL;
	}
	if ((buf = malloc(1 << 20)) == NULL || irk_hash_init(&h, 0) != 0) {
		free(buf);
		close(fd);
		irk_err_set(err, ENOMEM, "out of memory");
		return IRK_FATAL;
	}
	r->size = 0;
	while ((n = read(fd, buf, 1 << 20)) > 0) {
		irk_hash_update(&h, buf, (size_t)n);
		r->size += (uint64_t)n;
	}
	free(buf);
	close(fd);
	if (n < 0) {
		irk_hash_release(&h);
		irk_err_set(err, errno, "cannot read '%s'", r->path);
		return IRK_FAIL;
	}
	irk_hash_final(&h, r->sha256, NULL, NULL);
	return IRK_OK;
}

struct irk_prehash {
	char *path;
	pthread_t tid;
	int rc;				/* IRK_OK when sha256/size are set */
	char sha256[IRK_SHA256_HEX];
	uint64_t size;
};

static void *
prehash_main(void *arg)
{
	struct irk_prehash *ph = arg;
	struct irk_evread r;
	struct irk_err err;

	memset(&r, 0, sizeof(r));
	r.path = ph->path;
	irk_err_clear(&err);
	if ((ph->rc = prehash(&r, &err)) == IRK_OK) {
		memcpy(ph->sha256, r.sha256, sizeof(ph->sha256));
		ph->size = r.size;
	}
	return NULL;
}

struct irk_prehash *
irk_prehash_start(const char *path)
{
	struct irk_prehash *ph;
	struct stat st;

	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) ||
	    (ph = calloc(1, sizeof(*ph))) == NULL)
		return NULL;
	if ((ph->path = strdup(path)) == NULL ||
	    pthread_create(&ph->tid, NULL, prehash_main, ph) != 0) {
		free(ph->path);
		free(ph);
		return NULL;
	}
	return ph;
}

/* Wait for it: IRK_OK with the digest and size, else hash again here. */
static int
prehash_join(struct irk_prehash *ph, struct irk_evread *r)
{
	if (ph->path != NULL) {
		(void)pthread_join(ph->tid, NULL);
		free(ph->path);
		ph->path = NULL;
	}
	if (ph->rc != IRK_OK)
		return IRK_FAIL;
	memcpy(r->sha256, ph->sha256, sizeof(r->sha256));
	r->size = ph->size;
	return IRK_OK;
}

void
irk_prehash_free(struct irk_prehash *ph)
{
	if (ph == NULL)
		return;
	if (ph->path != NULL) {
		(void)pthread_join(ph->tid, NULL);
		free(ph->path);
	}
	free(ph);
}

/* The 64 hex digits a sha256sum line starts with, then its end or a blank. */
static int
parse_detached(struct irk_evread *r, const char *d, size_t len)
{
	size_t i;

	if (len < 64 || (len > 64 && d[64] != ' ' && d[64] != '\t' &&
	    d[64] != '\n'))
		return -1;
	for (i = 0; i < 64; i++) {
		char c = d[i];

		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
		    (c >= 'A' && c <= 'F')))
			return -1;
		r->detached[i] = (char)(c >= 'A' && c <= 'F' ?
		    c - 'A' + 'a' : c);
	}
	r->detached[64] = '\0';
	return 0;
}

/*
 * <archive>.sha256: DET_ABSENT when there is none, DET_UNREADABLE when
 * it cannot be read or is no sha256sum line (empty, garbage, a folder,
 * a link), DET_OK with r->detached set.
 */
static void
read_detached(struct irk_evread *r)
{
	struct irk_buf b;
	struct stat st;
	char *p = NULL;
	int fd;

	if (asprintf(&p, "%s.sha256", r->path) < 0)
		return;
	fd = open(p, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	free(p);
	if (fd < 0) {
		r->detached_state = errno == ENOENT ? DET_ABSENT :
		    DET_UNREADABLE;
		return;
	}
	r->detached_state = DET_UNREADABLE;
	irk_buf_init(&b, 64 << 10);
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    irk_buf_read_fd(&b, fd) != IRK_FAIL && b.data != NULL &&
	    parse_detached(r, b.data, b.len) == 0)
		r->detached_state = DET_OK;
	irk_buf_release(&b);
	close(fd);
}

/* The detached checksum's problem, if any (irkit: also when absent). */
static void
check_detached(struct irk_evread *r)
{
	const char *what = NULL;

	if (r->detached_state == DET_OK && strcmp(r->detached, r->sha256) != 0)
		what = "sha256: detached checksum mismatch";
	else if (r->detached_state == DET_UNREADABLE)
		what = "sha256: unreadable";
	else if (r->detached_state == DET_ABSENT && r->kind == IRK_EVK_IRKIT)
		what = "sha256: absent";
	if (what != NULL)
		json_array_append_new(r->problems, json_string(what));
}

/* ---- directories ---- */

static int
list_add(struct irk_evread *r, const char *path, size_t *cap)
{
	if (r->nlist >= DIR_ENTRIES_MAX)
		return -1;
	if (r->nlist == *cap) {
		size_t nc = *cap ? *cap * 2 : 1024;
		char **nl = realloc(r->list, nc * sizeof(*nl));

		if (nl == NULL)
			return -1;
		r->list = nl;
		*cap = nc;
	}
	if ((r->list[r->nlist] = strdup(path)) == NULL)
		return -1;
	r->nlist++;
	return 0;
}

/* Walk breadth-first: the list is its own queue.  Listing hashed. */
static int
dir_walk(struct irk_evread *r, struct irk_err *err)
{
	struct irk_hash h;
	size_t cap = 0, i;
	int depth_warned = 0;

	if (list_add(r, "/", &cap) != 0 || irk_hash_init(&h, 0) != 0) {
		irk_err_set(err, ENOMEM, "out of memory");
		return IRK_FATAL;
	}
	for (i = 0; i < r->nlist; i++) {
		struct irk_stat st;
		struct irk_err e2;
		struct irk_dir *d;
		struct irk_dirent de;
		char line[128];
		int depth = 0;

		for (const char *p = r->list[i]; *p; p++)
			depth += *p == '/';
		if (r->fs->ops->stat(r->fs, r->list[i], 0, &st, &e2) != IRK_OK)
			continue;
		irk_hash_update(&h, r->list[i], strlen(r->list[i]) + 1);
		(void)snprintf(line, sizeof(line), "%o %llu %lld\n", st.mode,
		    (unsigned long long)st.size, (long long)st.mtime);
		irk_hash_update(&h, line, strlen(line));
		if (S_ISREG(st.mode))
			r->dir_total += st.size;
		if (!S_ISDIR(st.mode))
			continue;
		if (depth > DIR_DEPTH_MAX) {
			if (!depth_warned++)
				problem_name(r, "skipped (too deep)", r->list[i]);
			continue;
		}
		if (r->fs->ops->opendir(r->fs, r->list[i], &d, &e2) != IRK_OK)
			continue;
		while (r->fs->ops->readdir(d, &de) == 1) {
			char p[8192];

			if (irk_path_join(p, sizeof(p), r->list[i], de.name) !=
			    IRK_OK)
				continue;
			if (list_add(r, p, &cap) != 0)
				break;
		}
		r->fs->ops->closedir(d);
	}
	irk_hash_final(&h, r->sha256, NULL, NULL);
	r->ilist = 1;	/* "/" itself is not a member */
	return IRK_OK;
}

/* The current member cannot be read to its end (encrypted, ...). */
static void
unread(struct irk_evread *r, const char *why)
{
	if (r->cur_unread)
		return;
	r->cur_unread = 1;
	r->unread++;
	(void)snprintf(r->unread_why, sizeof(r->unread_why), "%s",
	    why != NULL && *why != '\0' ? why : "unknown error");
}

static int
dir_next(struct irk_evread *r, struct irk_member *m, struct irk_err *err)
{
	struct irk_stat st;

	for (;;) {
		const char *p;

		if (r->ilist >= r->nlist)
			return 0;
		p = r->list[r->ilist++];
		if (r->fs->ops->stat(r->fs, p, 0, &st, err) != IRK_OK)
			continue;	/* gone since the walk */
		memset(&r->cur, 0, sizeof(r->cur));
		r->cur.name = p;
		r->cur.size = (int64_t)st.size;
		r->cur.mode = st.mode & 07777;
		r->cur.uid = st.uid;
		r->cur.gid = st.gid;
		r->cur.ino = (int64_t)st.ino;
		r->cur.atime = st.atime;
		r->cur.mtime = st.mtime;
		r->cur.ctime = st.ctime;
		r->cur.btime = st.btime;
		if (S_ISDIR(st.mode))
			r->cur.type = IRK_M_DIR;
		else if (S_ISREG(st.mode))
			r->cur.type = IRK_M_FILE;
		else if (S_ISLNK(st.mode)) {
			r->cur.type = IRK_M_SYMLINK;
			irk_buf_reset(&r->linkbuf);
			if (r->fs->ops->readlink(r->fs, p, &r->linkbuf, err) ==
			    IRK_OK)
				r->cur.link = r->linkbuf.data;
		} else
			r->cur.type = IRK_M_OTHER;
		if (r->cur.type == IRK_M_FILE) {
			struct irk_err e2;

			if (r->fs->ops->open(r->fs, p, &r->f, &e2) != IRK_OK) {
				r->f = NULL;
				unread(r, e2.msg);
			}
			r->off = 0;
		}
		*m = r->cur;
		return 1;
	}
}

/* ---- archives ---- */

static void
set_format(struct irk_evread *r)
{
	const char *fmt = archive_format_name(r->a);
	const char *flt = archive_filter_count(r->a) > 1 ?
	    archive_filter_name(r->a, 0) : NULL;

	(void)snprintf(r->format, sizeof(r->format), "%s%s%s",
	    fmt ? fmt : "unknown", flt ? "/" : "", flt ? flt : "");
}

static int64_t
us(time_t s, long ns)
{
	return (int64_t)s * 1000000 + ns / 1000;
}

static void
fill_member(struct irk_evread *r)
{
	struct archive_entry *e = r->e;
	const char *name = archive_entry_pathname(e);
	unsigned ft = archive_entry_filetype(e);

	memset(&r->cur, 0, sizeof(r->cur));
	free(r->cur_name);
	r->cur_name = strdup(name ? name : "");
	r->cur.name = r->cur_name ? r->cur_name : "";
	r->cur.size = archive_entry_size_is_set(e) ?
	    (int64_t)archive_entry_size(e) : -1;
	r->cur.mode = (uint32_t)archive_entry_perm(e);
	r->cur.uid = archive_entry_uid(e);
	r->cur.gid = archive_entry_gid(e);
	r->cur.uname = archive_entry_uname(e);
	r->cur.ino = archive_entry_ino_is_set(e) ?
	    (int64_t)archive_entry_ino64(e) : -1;
	r->cur.atime = archive_entry_atime_is_set(e) ? us(archive_entry_atime(e),
	    archive_entry_atime_nsec(e)) : IRK_TIME_NONE;
	r->cur.mtime = archive_entry_mtime_is_set(e) ? us(archive_entry_mtime(e),
	    archive_entry_mtime_nsec(e)) : IRK_TIME_NONE;
	r->cur.ctime = archive_entry_ctime_is_set(e) ? us(archive_entry_ctime(e),
	    archive_entry_ctime_nsec(e)) : IRK_TIME_NONE;
	r->cur.btime = archive_entry_birthtime_is_set(e) ?
	    us(archive_entry_birthtime(e), archive_entry_birthtime_nsec(e)) :
	    IRK_TIME_NONE;
	if (archive_entry_hardlink(e) != NULL) {
		r->cur.type = IRK_M_HARDLINK;
		r->cur.link = archive_entry_hardlink(e);
	} else if (ft == AE_IFREG)
		r->cur.type = IRK_M_FILE;
	else if (ft == AE_IFDIR)
		r->cur.type = IRK_M_DIR;
	else if (ft == AE_IFLNK) {
		r->cur.type = IRK_M_SYMLINK;
		r->cur.link = archive_entry_symlink(e);
	} else
		r->cur.type = IRK_M_OTHER;
	/* irkit: the part after the top folder */
	if (r->kind == IRK_EVK_IRKIT) {
		const char *n = r->cur.name;

		while (n[0] == '.' && n[1] == '/')
			n += 2;
		if (strncmp(n, r->top, r->toplen) == 0 && n[r->toplen] != '\0')
			r->cur.rel = n + r->toplen;
	}
}

/* Decide irkit or not from the first member's top folder. */
static void
detect(struct irk_evread *r)
{
	const char *n = archive_entry_pathname(r->e), *slash;

	if (n == NULL)
		return;
	while (n[0] == '.' && n[1] == '/')
		n += 2;
	slash = strchr(n, '/');
	if (strncmp(n, "irkit-", 6) != 0 || slash == NULL)
		return;
	if ((r->top = strndup(n, (size_t)(slash - n) + 1)) == NULL)
		return;
	r->toplen = strlen(r->top);
	r->kind = IRK_EVK_IRKIT;
}

static int
damaged(struct irk_evread *r, struct irk_err *err, const char *what)
{
	r->partial = 1;
	irk_err_set(err, a_errno(r) > 0 ? a_errno(r) : 0, "%s", what);
	problem(r, "damaged", what);
	return IRK_WARN;
}

/*
 * A known format or compression, damaged before the first member (cut
 * short, a zstd frame asking for a 2 GiB window): nothing can be read,
 * and the evidence says why.
 */
static void
stream_damaged(struct irk_evread *r, struct irk_err *err)
{
	const char *why = archive_error_string(r->a);
	char what[400];

	set_format(r);
	(void)snprintf(what, sizeof(what), "%s (before the first member)",
	    why != NULL ? why : "damaged archive");
	(void)damaged(r, err, what);
	r->pending = -1;
}

/*
 * The decompression filters libarchive runs inside this process: each
 * is tried on a scratch handle first and added only when it needs no
 * other program.  (archive_read_support_filter_all would run "lrzip -d"
 * or "grzip -d", and lzop, lz4, zstd... built without their library, on
 * whatever bytes the evidence starts with.)
 */
static void
support_filters(struct archive *a)
{
	static int (*const add[])(struct archive *) = {
		archive_read_support_filter_bzip2,
		archive_read_support_filter_compress,
		archive_read_support_filter_grzip,
		archive_read_support_filter_gzip,
		archive_read_support_filter_lrzip,
		archive_read_support_filter_lz4,
		archive_read_support_filter_lzip,
		archive_read_support_filter_lzma,
		archive_read_support_filter_lzop,
		archive_read_support_filter_rpm,
		archive_read_support_filter_uu,
		archive_read_support_filter_xz,
		archive_read_support_filter_zstd,
	};

	for (size_t i = 0; i < sizeof(add) / sizeof(add[0]); i++) {
		struct archive *t = archive_read_new();
		int inside = t != NULL && add[i](t) == ARCHIVE_OK;

		archive_read_free(t);
		if (inside)
			(void)add[i](a);
	}
}

#define EXPECTED "expected an evidence archive (tar, tar.gz, tar.zst, " \
	"zip, 7z...) or a folder; a lone file can be scanned with " \
	"'irkit-analyze rules scan'"

/*
 * libarchive's guesses that are no archive: mtree reads any text with
 * lines as a listing of names (/etc/passwd, a .php file), "empty" is a
 * file of no bytes.  1 (err set) when the first header says so.
 */
static int
not_an_archive(struct irk_evread *r, int rc, struct irk_err *err)
{
	int fmt = archive_format(r->a) & ARCHIVE_FORMAT_BASE_MASK;
	const char *what;

	if (rc < ARCHIVE_WARN && rc != ARCHIVE_EOF)
		return 0;	/* said by the caller */
	if (fmt == ARCHIVE_FORMAT_MTREE)
		what = "a text file, not an archive";
	else if (fmt == ARCHIVE_FORMAT_RAW)
		what = "not an archive";
	else if (fmt == ARCHIVE_FORMAT_EMPTY || (rc == ARCHIVE_EOF &&
	    fmt == 0))
		what = "an empty file, not an archive";
	else
		return 0;
	irk_err_set(err, 0, "'%s' is %s: " EXPECTED, r->path, what);
	return 1;
}

static int trailing_cb(void *arg, char *msg, size_t len);

/*
 * The rest of the archive on a thread of its own, from the first
 * header (kept as a clone: the thread reads the next ones).  Without a
 * thread the archive is read inline, as without opts.ahead.
 */
static void
start_ahead(struct irk_evread *r)
{
	struct irk_ahead_opts o;

	if ((r->ecl = archive_entry_clone(r->e)) == NULL)
		return;
	memset(&o, 0, sizeof(o));
	o.ratio_floor = r->opts.ratio_floor;
	o.max_ratio = r->opts.max_ratio;
	o.hash = r->kind == IRK_EVK_IRKIT;
	o.whole_max = r->opts.whole_max;
	if (r->kind == IRK_EVK_IRKIT) {
		o.trailing = trailing_cb;
		o.arg = r;
	}
	if (irk_ahead_start(&r->ahead, r->a, r->e, &o) != IRK_OK) {
		archive_entry_free(r->ecl);
		r->ecl = NULL;
		return;
	}
	r->e = r->ecl;
}

int
irk_evread_open(struct irk_evread **out, const char *path,
    const struct irk_evread_opts *opts, struct irk_err *err)
{
	struct irk_evread *r;
	struct stat st;
	int rc;

	*out = NULL;
	if ((r = calloc(1, sizeof(*r))) == NULL ||
	    (r->path = strdup(path)) == NULL ||
	    (r->problems = json_array()) == NULL) {
		irk_err_set(err, ENOMEM, "out of memory");
		goto fatal;
	}
	if (opts != NULL)
		r->opts = *opts;
	if (r->opts.ratio_floor == 0)
		r->opts.ratio_floor = (uint64_t)256 << 20;
	if (r->opts.max_ratio == 0)
		r->opts.max_ratio = 1000;
	irk_strmap_init(&r->seen, free);
	irk_buf_init(&r->mbuf, MANIFEST_MAX);
	irk_buf_init(&r->linkbuf, 8192);
	r->verify = "not-applicable";
	if (stat(path, &st) != 0) {
		irk_err_set(err, errno, "cannot open '%s'", path);
		goto fail;
	}
	if (S_ISDIR(st.st_mode)) {
		r->kind = IRK_EVK_DIRECTORY;
		(void)snprintf(r->format, sizeof(r->format), "directory");
		if ((rc = irk_fs_host_open(&r->fs, path, err)) != IRK_OK)
			goto fail;
		if (dir_walk(r, err) != IRK_OK)
			goto fatal;
		*out = r;
		return IRK_OK;
	}
	r->kind = IRK_EVK_ARCHIVE;
	if (!r->opts.no_prehash && (r->opts.prehash == NULL ||
	    prehash_join(r->opts.prehash, r) != IRK_OK) &&
	    (rc = prehash(r, err)) != IRK_OK) {
		if (rc == IRK_FATAL)
			goto fatal;
		goto fail;
	}
	read_detached(r);
	if ((r->a = archive_read_new()) == NULL) {
		irk_err_set(err, ENOMEM, "out of memory");
		goto fatal;
	}
	support_filters(r->a);
	archive_read_support_format_all(r->a);
	if (archive_read_open_filename(r->a, path, 1 << 16) != ARCHIVE_OK) {
		if (archive_errno(r->a) == EILSEQ)	/* libarchive: format */
			irk_err_set(err, 0, "'%s' is not an archive this "
			    "program reads: " EXPECTED, path);
		else if (archive_errno(r->a) > 0)	/* the system's */
			irk_err_set(err, archive_errno(r->a), "cannot read "
			    "'%s': %s", path, archive_error_string(r->a));
		else {
			/* a known compression that fails at once: damaged */
			stream_damaged(r, err);
			*out = r;
			return IRK_OK;
		}
		goto fail;
	}
	rc = archive_read_next_header(r->a, &r->e);
	if (not_an_archive(r, rc, err))
		goto fail;
	if (rc == ARCHIVE_EOF) {
		set_format(r);
		r->pending = -1;
	} else if (rc < ARCHIVE_WARN && archive_format(r->a) == 0 &&
	    archive_filter_count(r->a) <= 1) {
		irk_err_set(err, 0, "'%s' is not an archive this program "
		    "reads (%s): " EXPECTED, path, archive_error_string(r->a));
		goto fail;
	} else if (rc < ARCHIVE_WARN) {
		stream_damaged(r, err);
	} else {
		r->pending = 1;
		set_format(r);
		detect(r);
		if (r->opts.ahead)
			start_ahead(r);
	}
	*out = r;
	return IRK_OK;
fail:
	irk_evread_free(r);
	return IRK_FAIL;
fatal:
	irk_evread_free(r);
	return IRK_FATAL;
}

enum irk_evkind
irk_evread_kind(const struct irk_evread *r)
{
	return r->kind;
}

const char *
irk_evread_sha256(const struct irk_evread *r)
{
	return r->sha256;
}

uint64_t
irk_evread_size(const struct irk_evread *r)
{
	return r->size;
}

const char *
irk_evread_format(const struct irk_evread *r)
{
	return r->format;
}

/*
 * The current member's data is complete: record its hash (sha, from the
 * read-ahead thread, or the one computed here).
 */
static void
member_done(struct irk_evread *r, const char *sha)
{
	char v[IRK_SHA256_HEX + 32];

	r->data_done = 1;
	if (!r->hashing)
		return;
	r->hashing = 0;
	if (sha != NULL) {
		if (sha[0] == '\0')
			return;	/* the thread could not hash it */
		(void)snprintf(r->cur_sha, sizeof(r->cur_sha), "%s", sha);
	} else
		irk_hash_final(&r->h, r->cur_sha, NULL, NULL);
	if (r->kind != IRK_EVK_IRKIT || r->cur.rel == NULL || r->is_manifest)
		return;
	if (irk_strmap_has(&r->seen, r->cur.rel))
		problem_name(r, "duplicate", r->cur.rel);
	(void)snprintf(v, sizeof(v), "%llu %s",
	    (unsigned long long)r->cur_bytes, r->cur_sha);
	(void)irk_strmap_put(&r->seen, r->cur.rel, strdup(v));
}

/* The thread's error as the current one (for a_errstr, a_errno). */
static void
take_error(struct irk_evread *r, const struct irk_ahead_item *it)
{
	free(r->aerr);
	r->aerr = it->msg != NULL ? strdup(it->msg) : NULL;
	r->aeno = it->eno;
}

/* The current member's data ends here, unhashed (damage, the bomb). */
static void
member_stopped(struct irk_evread *r, int rc)
{
	r->data_done = 1;
	if (r->hashing)
		irk_hash_release(&r->h);
	r->hashing = 0;
	r->partial = r->partial || rc == ARCHIVE_FATAL;
}

static void
bomb(struct irk_evread *r)
{
	struct irk_err e;

	member_stopped(r, ARCHIVE_OK);
	(void)damaged(r, &e, "compression ratio over the limit "
	    "(an archive bomb?): reading stopped");
	r->pending = -1;
}

/* n bytes of the current member handed to the caller. */
static void
took(struct irk_evread *r, const void *buf, size_t n)
{
	r->cur_bytes += n;
	if (r->is_manifest && irk_buf_add(&r->mbuf, buf, n) != IRK_OK)
		r->manifest_toobig = 1;
}

/*
 * irk_evread_data's archive part from the read-ahead queue: what the
 * inline read below does, with the thread's results (its hash is
 * the member's: nothing is hashed here).
 */
static ssize_t
ahead_data(struct irk_evread *r, void *buf, size_t len)
{
	struct irk_ahead_item *it = irk_ahead_peek(r->ahead);
	size_t n;

	if (it == NULL || it->kind == IRK_AH_HEADER ||
	    it->kind == IRK_AH_EOF) {	/* not this member's: never */
		member_done(r, "");
		return 0;
	}
	if (it->kind == IRK_AH_END) {
		member_done(r, it->sha);
		irk_ahead_pop(r->ahead);
		return 0;
	}
	if (it->kind == IRK_AH_BOMB) {
		irk_ahead_pop(r->ahead);
		bomb(r);
		return -1;
	}
	if (it->kind == IRK_AH_ERROR) {
		int rc = it->rc;

		take_error(r, it);
		irk_ahead_pop(r->ahead);
		unread(r, r->aerr);
		if (rc == ARCHIVE_WARN && !r->cur_warned) {
			/* as inline: the member goes on (the thread reads
			 * on), its hash too */
			r->cur_warned = 1;
			return -1;
		}
		member_stopped(r, rc);
		return -1;
	}
	n = it->len - it->off < len ? it->len - it->off : len;
	memcpy(buf, it->data + it->off, n);
	it->off += n;
	if (it->off == it->len)
		irk_ahead_pop(r->ahead);
	took(r, buf, n);
	return (ssize_t)n;
}

ssize_t
irk_evread_data_take(struct irk_evread *r, void **buf)
{
	struct irk_ahead_item *it;
	size_t n;

	*buf = NULL;
	if (r->ahead == NULL || !r->has_cur || r->data_done ||
	    r->cur.type != IRK_M_FILE ||
	    (it = irk_ahead_peek(r->ahead)) == NULL ||
	    it->kind != IRK_AH_DATA || it->off != 0)
		return 0;
	n = it->len;
	*buf = it->data;
	it->data = NULL;
	irk_ahead_pop(r->ahead);
	took(r, *buf, n);
	return (ssize_t)n;
}

ssize_t
irk_evread_data(struct irk_evread *r, void *buf, size_t len)
{
	ssize_t n;

	if (!r->has_cur || r->data_done || r->cur.type != IRK_M_FILE)
		return 0;
	if (r->kind == IRK_EVK_DIRECTORY) {
		if (r->f == NULL)
			return -1;	/* counted by dir_next */
		n = irk_fs_pread(r->fs, r->f, buf, len, r->off);
		if (n < 0) {
			unread(r, strerror(errno));
			return -1;
		}
		r->off += (uint64_t)n;
		r->dir_done += (uint64_t)n;
	} else if (r->ahead != NULL) {
		return ahead_data(r, buf, len);
	} else {
		n = archive_read_data(r->a, buf, len);
		if (n < 0) {
			unread(r, archive_error_string(r->a));
			if (n != ARCHIVE_WARN)
				member_stopped(r, (int)n);
			return -1;
		}
		r->out_bytes += (uint64_t)n;
		if (irk_over_ratio(r->out_bytes, archive_filter_bytes(r->a, -1),
		    r->opts.ratio_floor, r->opts.max_ratio)) {
			bomb(r);
			return -1;
		}
	}
	if (n == 0) {
		member_done(r, NULL);
		return 0;
	}
	if (r->hashing)
		irk_hash_update(&r->h, buf, (size_t)n);
	took(r, buf, (size_t)n);
	return n;
}

/* Read the rest of the current member (hashing it). */
static int
drain(struct irk_evread *r)
{
	char buf[65536];
	ssize_t n;

	if (!r->has_cur || r->data_done || r->cur.type != IRK_M_FILE)
		return 0;
	while ((n = irk_evread_data(r, buf, sizeof(buf))) > 0)
		;
	return n < 0 ? -1 : 0;
}

/*
 * FORMAT.md: no "..", "." or empty components, never absolute (a
 * leading "./" and a directory's final "/" are tolerated).
 */
static int
bad_name(const char *n)
{
	const char *c, *e;

	while (n[0] == '.' && n[1] == '/')
		n += 2;
	if (n[0] == '/' || n[0] == '\0')
		return 1;
	for (c = n; *c != '\0'; c = *e ? e + 1 : e) {
		size_t len;

		e = strchr(c, '/');
		if (e == NULL)
			e = c + strlen(c);
		len = (size_t)(e - c);
		if (len == 0 && *e == '\0')
			break;		/* "dir/" */
		if (len == 0 || (len == 1 && c[0] == '.') ||
		    (len == 2 && c[0] == '.' && c[1] == '.'))
			return 1;
	}
	return 0;
}

/* In buf (n bytes at off), the first and last byte not zero past end. */
static void
nonzero_span(const char *buf, ssize_t n, int64_t off, int64_t end,
    int64_t *first, int64_t *last)
{
	ssize_t i, i0 = end > off ? (ssize_t)(end - off) : 0;

	if (off + n <= end)
		return;
	for (i = i0; *first < 0 && i < n; i++)
		if (buf[i] != 0)
			*first = off + i;
	if (*first < 0)
		return;
	for (i = n; i > i0; i--)
		if (buf[i - 1] != 0) {
			*last = off + i;
			break;
		}
}

/*
 * Bytes after the tar end marker (another tar in a second zstd frame,
 * anything appended): the input decompressed again from the start, and
 * what the tar reader did not take counted from its first to its last
 * byte that is not zero (writers pad the end with zeros).  Bounded by
 * the ratio limit as the members are.  1 and the problem in msg when
 * there is some.  (On the read-ahead thread when there is one: it
 * reads only what does not change after open.)
 */
static int
trailing_msg(struct irk_evread *r, char *msg, size_t msglen)
{
	int64_t end = archive_filter_bytes(r->a, 0), off = 0;
	int64_t first = -1, last = -1;
	uint64_t cap = r->opts.ratio_floor + r->size * r->opts.max_ratio;
	struct archive *a;
	struct archive_entry *e;
	char *buf;
	ssize_t n;
	int over = 0;

	if (end <= 0 || (a = archive_read_new()) == NULL)
		return 0;
	if ((buf = malloc(1 << 20)) == NULL) {
		archive_read_free(a);
		return 0;
	}
	support_filters(a);
	archive_read_support_format_raw(a);
	if (archive_read_open_filename(a, r->path, 1 << 16) == ARCHIVE_OK &&
	    archive_read_next_header(a, &e) == ARCHIVE_OK) {
		while (!over && (n = archive_read_data(a, buf, 1 << 20)) > 0) {
			nonzero_span(buf, n, off, end, &first, &last);
			off += n;
			over = (uint64_t)off > cap;
		}
	}
	if (first >= 0)
		(void)snprintf(msg, msglen, "trailing data: %s%lld bytes",
		    over ? "more than " : "", (long long)(last - first));
	free(buf);
	archive_read_free(a);
	return first >= 0;
}

static int
trailing_cb(void *arg, char *msg, size_t len)
{
	return trailing_msg(arg, msg, len);
}

static void
check_trailing(struct irk_evread *r)
{
	char msg[96];

	if (trailing_msg(r, msg, sizeof(msg)))
		json_array_append_new(r->problems, json_string(msg));
}

/*
 * The next header from the read-ahead queue, as archive_read_next_header
 * would give it (r->e the thread's clone); at the end, the thread's
 * trailing-data problem.  Items of the member before that the reader
 * did not take (it stops at an error) are dropped first.
 */
static int
ahead_header(struct irk_evread *r)
{
	struct irk_ahead_item *it;
	int rc;

	while ((it = irk_ahead_peek(r->ahead)) != NULL &&
	    it->kind != IRK_AH_HEADER && it->kind != IRK_AH_EOF &&
	    it->kind != IRK_AH_BOMB)
		irk_ahead_pop(r->ahead);
	if (it == NULL)
		return ARCHIVE_FATAL;	/* the thread ran out of memory */
	if (it->kind == IRK_AH_BOMB) {
		irk_ahead_pop(r->ahead);
		bomb(r);
		return ARCHIVE_EOF;
	}
	rc = it->rc;
	if (it->kind == IRK_AH_EOF) {
		if (it->msg != NULL)
			json_array_append_new(r->problems,
			    json_string(it->msg));
		irk_ahead_pop(r->ahead);
		return ARCHIVE_EOF;
	}
	take_error(r, it);
	if (it->e != NULL) {
		if (r->ecl != NULL)
			archive_entry_free(r->ecl);
		r->ecl = it->e;
		r->e = r->ecl;
		it->e = NULL;
	}
	irk_ahead_pop(r->ahead);
	return rc;
}

int
irk_evread_next(struct irk_evread *r, struct irk_member *m,
    struct irk_err *err)
{
	int rc;

	if (drain(r) != 0 && r->partial) {
		r->has_cur = 0;
		return damaged(r, err, a_errstr(r) != NULL ? a_errstr(r) :
		    "damaged member");
	}
	if (r->kind == IRK_EVK_DIRECTORY && r->f != NULL) {
		irk_fs_close(r->fs, r->f);
		r->f = NULL;
	}
	r->has_cur = 0;
	r->data_done = 0;
	r->cur_unread = 0;
	r->cur_warned = 0;
	r->is_manifest = 0;
	r->cur_bytes = 0;
	if (r->hashing) {
		irk_hash_release(&r->h);
		r->hashing = 0;
	}
	if (r->kind == IRK_EVK_DIRECTORY) {
		rc = dir_next(r, m, err);
		if (rc == 1)
			r->has_cur = 1;
		return rc;
	}
	if (r->pending < 0 || r->a == NULL)
		return 0;
	if (r->pending) {
		r->pending = 0;
		rc = ARCHIVE_OK;
	} else if (r->ahead != NULL) {
		rc = ahead_header(r);
	} else {
		rc = archive_read_next_header(r->a, &r->e);
	}
	if (rc == ARCHIVE_EOF) {
		r->pending = -1;
		if (r->kind == IRK_EVK_IRKIT && r->ahead == NULL)
			check_trailing(r);
		return 0;
	}
	if (rc < ARCHIVE_WARN) {
		r->pending = -1;
		return damaged(r, err, a_errstr(r) != NULL ? a_errstr(r) :
		    "cannot read the next member");
	}
	fill_member(r);
	r->has_cur = 1;
	if (r->kind == IRK_EVK_IRKIT && bad_name(r->cur.name))
		problem_name(r, "bad name", r->cur.name);
	if (r->cur.type == IRK_M_FILE) {
		/* only a manifest needs the members' hashes (the
		 * read-ahead thread computes them when there is one) */
		if (r->kind == IRK_EVK_IRKIT && r->ahead != NULL) {
			memset(&r->h, 0, sizeof(r->h));
			r->hashing = 1;
		} else if (r->kind == IRK_EVK_IRKIT &&
		    irk_hash_init(&r->h, 0) == 0)
			r->hashing = 1;
		if (r->kind == IRK_EVK_IRKIT && r->cur.rel != NULL &&
		    strcmp(r->cur.rel, "manifest.json") == 0) {
			r->is_manifest = 1;
			r->manifest_seen++;
			irk_buf_reset(&r->mbuf);
		}
	}
	if (r->kind == IRK_EVK_IRKIT) {
		if (r->cur.rel == NULL) {
			const char *n = r->cur.name;

			while (n[0] == '.' && n[1] == '/')
				n += 2;
			if (strncmp(n, r->top, r->toplen) != 0 ||
			    r->cur.type != IRK_M_DIR)
				problem_name(r, "extra", r->cur.name);
		} else if (r->cur.type != IRK_M_FILE &&
		    r->cur.type != IRK_M_DIR) {
			problem_name(r, "extra", r->cur.rel);
		}
	}
	*m = r->cur;
	return 1;
}

/* ---- the manifest ---- */

/* The SHA-256 of manifest.json as stored: the collection's identity. */
static void
manifest_digest(struct irk_evread *r)
{
	struct irk_hash h;

	if (r->manifest == NULL || irk_hash_init(&h, 0) != 0)
		return;
	irk_hash_update(&h, r->mbuf.data ? r->mbuf.data : "", r->mbuf.len);
	irk_hash_final(&h, r->manifest_sha, NULL, NULL);
}

int
irk_manifest_check(const char *text, size_t len,
    const struct irk_strmap *seen, json_t *problems, json_t **out)
{
	struct irk_strmap listed;
	json_error_t je;
	json_t *man, *members, *mm;
	size_t i, k;
	const char *key;
	void *val;
	char msg[300];

	if (out != NULL)
		*out = NULL;
	man = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	if (!json_is_object(man)) {
		(void)snprintf(msg, sizeof(msg), "manifest: unreadable (%s, "
		    "line %d)", man ? "not an object" : je.text, je.line);
		json_array_append_new(problems, json_string(msg));
		json_decref(man);
		return -1;
	}
	members = json_object_get(man, "members");
	if (!json_is_array(members)) {
		json_array_append_new(problems,
		    json_string("manifest: no member list"));
		members = NULL;
	}
	irk_strmap_init(&listed, NULL);
	json_array_foreach(members, i, mm) {
		json_t *p = json_object_get(mm, "path");
		json_t *sz = json_object_get(mm, "size");
		json_t *sh = json_object_get(mm, "sha256");
		const char *have;
		char want[IRK_SHA256_HEX + 32];

		if (!json_is_string(p) || !json_is_string(sh) ||
		    !json_is_integer(sz)) {
			json_array_append_new(problems,
			    json_string("manifest: bad member entry"));
			continue;
		}
		(void)irk_strmap_put(&listed, json_string_value(p), NULL);
		have = irk_strmap_get(seen, json_string_value(p));
		(void)snprintf(want, sizeof(want), "%llu %s",
		    (unsigned long long)json_integer_value(sz),
		    json_string_value(sh));
		if (!irk_strmap_has(seen, json_string_value(p)))
			(void)snprintf(msg, sizeof(msg), "missing: ");
		else if (have == NULL || strcmp(have, want) != 0)
			(void)snprintf(msg, sizeof(msg), "changed: ");
		else
			continue;
		{
			char *s = NULL;

			if (asprintf(&s, "%s%s", msg, json_string_value(p)) >= 0)
				json_array_append_new(problems, json_string(s));
			free(s);
		}
	}
	k = 0;
	while (irk_strmap_next(seen, &k, &key, &val)) {
		char *s = NULL;

		if (irk_strmap_has(&listed, key))
			continue;
		/* a name that is not UTF-8 keeps its other bytes as \xNN */
		if (asprintf(&s, "extra: %s", key) >= 0)
			json_array_append_new(problems, safe_str(s));
		free(s);
	}
	irk_strmap_release(&listed);
	if (out != NULL)
		*out = man;
	else
		json_decref(man);
	return 0;
}

void
irk_evread_finish(struct irk_evread *r)
{
	struct irk_member m;
	struct irk_err err;

	if (r->finished)
		return;
	r->finished = 1;
	while (!r->partial && irk_evread_next(r, &m, &err) == 1)
		;
	check_detached(r);
	if (r->kind == IRK_EVK_IRKIT) {
		if (r->manifest_seen == 0) {
			json_array_append_new(r->problems,
			    json_string("manifest: missing"));
		} else if (r->manifest_toobig) {
			json_array_append_new(r->problems,
			    json_string("manifest: too large"));
		} else if (r->manifest_seen > 1) {
			json_array_append_new(r->problems,
			    json_string("manifest: more than one"));
		} else {
			(void)irk_manifest_check(r->mbuf.data ? r->mbuf.data :
			    "", r->mbuf.len, &r->seen, r->problems,
			    &r->manifest);
			manifest_digest(r);
		}
		if (r->manifest == NULL && r->manifest_seen == 0 &&
		    json_array_size(r->problems) == 1 +
		    (r->detached_state == DET_ABSENT))
			r->verify = "no-manifest";
		else	/* no .sha256 beside it is said, not damage */
			r->verify = json_array_size(r->problems) >
			    (size_t)irk_evread_sha256_absent(r) ? "damaged" :
			    "intact";
	} else if (json_array_size(r->problems) > 0) {
		r->verify = "damaged";
	}
	irk_buf_release(&r->mbuf);
}

int
irk_evread_sha256_absent(const struct irk_evread *r)
{
	return r->detached_state == DET_ABSENT && r->kind == IRK_EVK_IRKIT;
}

const char *
irk_evread_manifest_sha256(const struct irk_evread *r)
{
	return r->manifest_sha[0] != '\0' ? r->manifest_sha : NULL;
}

void
irk_evread_progress(const struct irk_evread *r, uint64_t *done,
    uint64_t *total)
{
	if (r->kind == IRK_EVK_DIRECTORY) {
		*done = r->dir_done;
		*total = r->dir_total;
		return;
	}
	if (r->ahead != NULL)
		*done = irk_ahead_in(r->ahead);
	else
		*done = r->a != NULL && archive_filter_bytes(r->a, -1) > 0 ?
		    (uint64_t)archive_filter_bytes(r->a, -1) : 0;
	*total = r->size;
	if (*done > *total)
		*done = *total;
}

const char *
irk_evread_verify(const struct irk_evread *r)
{
	return r->verify;
}

const json_t *
irk_evread_problems(const struct irk_evread *r)
{
	return r->problems;
}

json_t *
irk_evread_manifest(const struct irk_evread *r)
{
	return r->manifest;
}

int
irk_evread_partial(const struct irk_evread *r)
{
	return r->partial;
}

uint64_t
irk_evread_unread(const struct irk_evread *r, const char **why)
{
	if (why != NULL)
		*why = r->unread_why;
	return r->unread;
}

void
irk_evread_free(struct irk_evread *r)
{
	if (r == NULL)
		return;
	irk_ahead_free(r->ahead);	/* before the archive: it is the thread's */
	if (r->ecl != NULL)
		archive_entry_free(r->ecl);
	free(r->aerr);
	if (r->a != NULL)
		archive_read_free(r->a);
	if (r->hashing)
		irk_hash_release(&r->h);
	if (r->f != NULL)
		irk_fs_close(r->fs, r->f);
	irk_fs_free(r->fs);
	for (size_t i = 0; i < r->nlist; i++)
		free(r->list[i]);
	free(r->list);
	irk_buf_release(&r->linkbuf);
	irk_buf_release(&r->mbuf);
	irk_strmap_release(&r->seen);
	json_decref(r->problems);
	json_decref(r->manifest);
	free(r->top);
	free(r->cur_name);
	free(r->path);
	free(r);
}

int
irk_evread_fd(struct irk_evread *r)
{
	if (!r->has_cur || r->data_done || r->cur.type != IRK_M_FILE ||
	    r->kind != IRK_EVK_DIRECTORY || r->f == NULL)
		return -1;
	return irk_fs_host_fd(r->fs, r->f);
}

void
irk_evread_data_taken(struct irk_evread *r, uint64_t bytes)
{
	if (!r->has_cur || r->data_done)
		return;
	r->data_done = 1;
	r->dir_done += bytes;
}
