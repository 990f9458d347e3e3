/*
 * evidence_write.c - the evidence archive writer, format 1 (see
 * irkit/evidence.h and docs/FORMAT.md).
 *
 * libarchive writes a pax tar stream through our own write callback,
 * which hashes every output byte (for the detached .sha256) and reports
 * short writes (disk full, file size limit) as fatal.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <archive.h>
#include <archive_entry.h>

#include "irkit/evidence.h"
#include "irkit/json.h"
#include "irkit/timeutil.h"
#include "irkit/banned.h"

struct irk_evidence {
	struct archive *a;
	int fd;
	int is_stdout;
	char *final;		/* final file name, or "-" */
	char *partial;		/* file being written, or NULL */
	char *side;		/* "<final>.sha256" */
	int side_fd;		/* created with the .partial, or -1 */
	struct irk_err side_err;	/* why side_fd is -1 */
	char sha[IRK_SHA256_HEX];	/* of the archive, once closed */
	char top[256];
	struct irk_hash out_hash;	/* of the archive bytes */
	int out_errno;
	json_t *members;
	int64_t mtime;		/* for members made in memory */
};

static la_ssize_t
write_cb(struct archive *a, void *arg, const void *buf, size_t len)
{
	struct irk_evidence *ev = arg;
	const char *p = buf;
	size_t left = len;

	(void)a;
	while (left > 0) {
		ssize_t n = write(ev->fd, p, left);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			ev->out_errno = n < 0 ? errno : ENOSPC;
			archive_set_error(a, ev->out_errno, "cannot write output");
			return -1;
		}
		irk_hash_update(&ev->out_hash, p, (size_t)n);
		p += n;
		left -= (size_t)n;
	}
	return (la_ssize_t)len;
}

static const struct {
	const char *name;
	const char *ext;
	int (*add)(struct archive *);
} filters[] = {
	{ "zstd", ".tar.zst", archive_write_add_filter_zstd },
	{ "gzip", ".tar.gz", archive_write_add_filter_gzip },
	{ "xz", ".tar.xz", archive_write_add_filter_xz },
	{ "none", ".tar", archive_write_add_filter_none },
};

const char *
irk_evidence_ext(const char *compress)
{
	for (size_t i = 0; i < sizeof(filters) / sizeof(filters[0]); i++)
		if (compress == NULL || strcmp(compress, filters[i].name) == 0)
			return filters[i].ext;
	return NULL;
}

static int
set_filter(struct archive *a, const char *compress, const char **ext)
{
	for (size_t i = 0; i < sizeof(filters) / sizeof(filters[0]); i++)
		if (compress == NULL || strcmp(compress, filters[i].name) == 0) {
			*ext = filters[i].ext;
			return filters[i].add(a);
		}
	return ARCHIVE_FATAL;
}

static int
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n > m && strcmp(s + n - m, suffix) == 0;
}

/* An archive-looking ending of name other than ext, or NULL. */
static const char *
other_ext(const char *name, const char *ext)
{
	static const char *const known[] = {
		".tar.zst", ".tar.gz", ".tar.xz", ".tar.bz2", ".tar.lz4",
		".tgz", ".txz", ".tzst", ".tar", ".zst", ".gz", ".xz", ".zip",
	};

	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strcmp(known[i], ext) != 0 && ends_with(name, known[i]))
			return known[i];
	return NULL;
}

int
irk_evidence_check_output(const char *o, const char *compress,
    struct irk_err *err)
{
	const char *ext = irk_evidence_ext(compress), *base, *other;
	char dir[4096];
	struct stat st;
	size_t n;

	if (o == NULL || strcmp(o, "-") == 0)
		return IRK_OK;
	if ((n = strlen(o)) == 0 || n >= sizeof(dir) - 64) {
		irk_err_set(err, EINVAL, "bad output name '%s'", o);
		return IRK_FAIL;
	}
	if (stat(o, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			return IRK_OK;
		irk_err_set(err, EEXIST, "output '%s' already exists", o);
		return IRK_FAIL;
	}
	if (o[n - 1] == '/') {
		irk_err_set(err, ENOENT, "no folder '%s' (create it first)", o);
		return IRK_FAIL;
	}
	base = strrchr(o, '/');
	base = base ? base + 1 : o;
	if (!ends_with(base, ext)) {
		if ((other = other_ext(base, ext)) != NULL)
			irk_err_set(err, EINVAL, "'%s' ends in '%s' but the "
			    "archive is %s data: name it '*%s' or choose "
			    "--compress", o, other, compress ? compress : "zstd",
			    ext);
		else
			irk_err_set(err, ENOENT, "no folder '%s' (an archive "
			    "file name must end in '%s')", o, ext);
		return IRK_FAIL;
	}
	if (base == o)
		return IRK_OK;
	memcpy(dir, o, (size_t)(base - o));
	dir[base - o] = '\0';
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		irk_err_set(err, ENOENT, "no folder '%s' for '%s'", dir, base);
		return IRK_FAIL;
	}
	return IRK_OK;
}

/* Host names come from the target: keep [A-Za-z0-9.-_] only. */
static void
safe_name(char *out, size_t len, const char *in)
{
	size_t i = 0;

	for (; in != NULL && *in && i + 1 < len && i < 64; in++) {
		char c = *in;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_' ||
		    (c == '.' && i > 0))
			out[i++] = c;
	}
	if (i == 0 && len > 8)
		i = (size_t)snprintf(out, len, "unknown");
	out[i] = '\0';
}

/* Set final, partial and side to path (+ ".partial", ".sha256"). */
static int
set_names(struct irk_evidence *ev, const char *path, struct irk_err *err)
{
	free(ev->final);
	free(ev->partial);
	free(ev->side);
	ev->partial = ev->side = NULL;
	if ((ev->final = strdup(path)) == NULL ||
	    asprintf(&ev->partial, "%s.partial", path) < 0 ||
	    asprintf(&ev->side, "%s.sha256", path) < 0) {
		ev->partial = ev->side = NULL;
		irk_err_set(err, ENOMEM, "out of memory");
		return IRK_FATAL;
	}
	return IRK_OK;
}

/*
 * Create "<path>.partial" (O_EXCL) unless path exists (or its .sha256,
 * when side_taken); then the .sha256 (O_EXCL, never over an old one)
 * whose failure is kept in side_err.  Returns IRK_OK, IRK_WARN (the name
 * is taken) or IRK_FATAL.
 */
static int
try_name(struct irk_evidence *ev, const char *path, int side_taken,
    struct irk_err *err)
{
	if (set_names(ev, path, err) != IRK_OK)
		return IRK_FATAL;
	if (access(ev->final, F_OK) == 0 ||
	    (side_taken && access(ev->side, F_OK) == 0))
		return IRK_WARN;
	ev->fd = open(ev->partial, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    0600);
	if (ev->fd < 0) {
		if (errno == EEXIST)
			return IRK_WARN;
		irk_err_set(err, errno, "cannot create '%s'", ev->partial);
		free(ev->partial);
		ev->partial = NULL;
		return IRK_FATAL;
	}
	ev->side_fd = open(ev->side, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    0644);
	if (ev->side_fd < 0)
		irk_err_set(&ev->side_err, errno, "cannot create '%s'",
		    ev->side);
	return IRK_OK;
}

/*
 * A folder gets "<top><ext>", or "<top>-N<ext>" (N = 2, 3...) with top
 * renamed to match when that name is taken (two runs in one second); a
 * file name (checked by irk_evidence_check_output) is used as given.
 */
static int
create_output(struct irk_evidence *ev, const char *o, const char *ext,
    struct irk_err *err)
{
	char path[4096], top[sizeof(ev->top)];
	struct stat st;
	int r, n;

	if (stat(o, &st) != 0 || !S_ISDIR(st.st_mode)) {
		if ((r = try_name(ev, o, 0, err)) == IRK_WARN)
			irk_err_set(err, EEXIST, "output '%s' already exists", o);
		return r == IRK_OK ? IRK_OK : IRK_FATAL;
	}
	memcpy(top, ev->top, sizeof(top));
	for (int i = 1; i <= 999; i++) {
		if (i > 1)
			(void)snprintf(ev->top, sizeof(ev->top), "%s-%d", top, i);
		n = snprintf(path, sizeof(path), "%s%s%s%s", o,
		    o[strlen(o) - 1] == '/' ? "" : "/", ev->top, ext);
		if (n < 0 || (size_t)n >= sizeof(path) - 16) {
			irk_err_set(err, ENAMETOOLONG, "output name too long");
			return IRK_FATAL;
		}
		if ((r = try_name(ev, path, 1, err)) != IRK_WARN)
			return r;
	}
	irk_err_set(err, EEXIST, "'%s' holds 999 archives named '%s'", o, top);
	return IRK_FATAL;
}

int
irk_evidence_open(struct irk_evidence **out,
    const struct irk_evidence_opts *opts, struct irk_err *err)
{
	struct irk_evidence *ev;
	char host[80], ts[IRK_TIME_LEN];
	const char *ext = NULL, *o = opts->output ? opts->output : ".";

	if ((ev = calloc(1, sizeof(*ev))) == NULL) {
		irk_err_set(err, ENOMEM, "out of memory");
		return IRK_FATAL;
	}
	ev->fd = -1;
	ev->side_fd = -1;
	ev->mtime = opts->start;
	safe_name(host, sizeof(host), opts->hostname);
	(void)snprintf(ev->top, sizeof(ev->top), "irkit-%s-%s", host,
	    irk_time_fmt_compact(opts->start, ts));
	if ((ev->members = json_array()) == NULL ||
	    irk_hash_init(&ev->out_hash, 0) != IRK_OK ||
	    (ev->a = archive_write_new()) == NULL) {
		irk_err_set(err, ENOMEM, "out of memory");
		goto fail;
	}
	/* no padding after the compressed stream: zstd -t must accept it */
	(void)archive_write_set_bytes_in_last_block(ev->a, 1);
	if (archive_write_set_format_pax_restricted(ev->a) != ARCHIVE_OK ||
	    set_filter(ev->a, opts->compress, &ext) != ARCHIVE_OK) {
		irk_err_set(err, 0, "cannot use compression '%s'",
		    opts->compress ? opts->compress : "zstd");
		goto fail;
	}
	if (strcmp(o, "-") == 0) {
		ev->fd = STDOUT_FILENO;
		ev->is_stdout = 1;
		ev->final = strdup("-");
	} else if (create_output(ev, o, ext, err) != IRK_OK)
		goto fail;
	if (archive_write_open2(ev->a, ev, NULL, write_cb, NULL, NULL) !=
	    ARCHIVE_OK) {
		irk_err_set(err, ev->out_errno, "cannot start archive: %s",
		    archive_error_string(ev->a));
		goto fail;
	}
	*out = ev;
	return IRK_OK;
fail:
	irk_evidence_abort(ev);
	return IRK_FATAL;
}

const char *
irk_evidence_top(const struct irk_evidence *ev)
{
	return ev->top;
}

const char *
irk_evidence_path(const struct irk_evidence *ev)
{
	return ev->final;
}

const char *
irk_evidence_sha256(const struct irk_evidence *ev)
{
	return ev->sha[0] ? ev->sha : NULL;
}

const struct irk_err *
irk_evidence_side_error(const struct irk_evidence *ev)
{
	return ev->is_stdout || ev->side_fd >= 0 ? NULL : &ev->side_err;
}

void
irk_evidence_temp_paths(const struct irk_evidence *ev, const char **partial,
    const char **side)
{
	*partial = ev->partial;
	*side = ev->side_fd >= 0 ? ev->side : NULL;
}

/* A member name must be relative, without "..", "." or empty parts. */
static int
member_ok(const char *m)
{
	const char *p = m;

	if (*m == '/' || *m == '\0')
		return 0;
	while (*p) {
		const char *e = strchr(p, '/');
		size_t n = e ? (size_t)(e - p) : strlen(p);

		if (n == 0 || (n == 1 && p[0] == '.') ||
		    (n == 2 && p[0] == '.' && p[1] == '.'))
			return 0;
		p += n + (e ? 1 : 0);
	}
	return 1;
}

static int
header(struct irk_evidence *ev, const char *member, const struct irk_stat *st,
    uint64_t size, struct irk_err *err)
{
	struct archive_entry *e;
	json_t *uname;
	char name[8192];
	int r;

	if (!member_ok(member)) {
		irk_err_set(err, EINVAL, "bad member name '%s'", member);
		return IRK_FAIL;
	}
	if (snprintf(name, sizeof(name), "%s/%s", ev->top, member) >=
	    (int)sizeof(name)) {
		irk_err_set(err, ENAMETOOLONG, "member name too long '%s'",
		    member);
		return IRK_FAIL;
	}
	/*
	 * Names are UTF-8 in the pax header, with bytes that are not UTF-8
	 * as \xNN, as in the records and the manifest (docs/FORMAT.md): a
	 * name libarchive cannot convert to UTF-8 from the locale (main()
	 * sets C.UTF-8) gets "hdrcharset=BINARY", which GNU tar warns about.
	 */
	if ((e = archive_entry_new()) == NULL ||
	    (uname = irk_json_str(name)) == NULL) {
		archive_entry_free(e);
		irk_err_set(err, ENOMEM, "out of memory");
		return IRK_FATAL;
	}
	archive_entry_set_pathname(e, json_string_value(uname));
	json_decref(uname);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_size(e, (la_int64_t)size);
	if (st != NULL) {
		archive_entry_set_perm(e, st->mode & 07777);
		archive_entry_set_uid(e, st->uid);
		archive_entry_set_gid(e, st->gid);
		archive_entry_set_mtime(e, st->mtime / 1000000,
		    (long)(st->mtime % 1000000) * 1000);
		archive_entry_set_atime(e, st->atime / 1000000,
		    (long)(st->atime % 1000000) * 1000);
		archive_entry_set_ctime(e, st->ctime / 1000000,
		    (long)(st->ctime % 1000000) * 1000);
		if (st->btime != IRK_TIME_NONE)
			archive_entry_set_birthtime(e, st->btime / 1000000,
			    (long)(st->btime % 1000000) * 1000);
	} else {
		archive_entry_set_perm(e, 0644);
		archive_entry_set_mtime(e, ev->mtime / 1000000, 0);
	}
	r = archive_write_header(ev->a, e);
	archive_entry_free(e);
	if (r < ARCHIVE_WARN) {
		irk_err_set(err, ev->out_errno, "cannot write archive: %s",
		    archive_error_string(ev->a));
		return IRK_FATAL;
	}
	return IRK_OK;
}

static int
add_member(struct irk_evidence *ev, const char *member, uint64_t size,
    const char *sha256)
{
	json_t *m = json_object();

	irk_json_set_str(m, "path", member);
	irk_json_set_int(m, "size", (int64_t)size);
	irk_json_set_str(m, "sha256", sha256);
	return json_array_append_new(ev->members, m) == 0 ? IRK_OK : IRK_FATAL;
}

static int
put(struct irk_evidence *ev, const void *data, size_t len,
    struct irk_err *err)
{
	if (len > 0 && archive_write_data(ev->a, data, len) != (la_ssize_t)len) {
		irk_err_set(err, ev->out_errno, "cannot write archive: %s",
		    archive_error_string(ev->a));
		return IRK_FATAL;
	}
	return IRK_OK;
}

int
irk_evidence_add_data(struct irk_evidence *ev, const char *member,
    const void *data, size_t len, struct irk_err *err)
{
	char sha[IRK_SHA256_HEX];
	int r;

	if ((r = header(ev, member, NULL, len, err)) != IRK_OK)
		return r;
	if ((r = put(ev, data, len, err)) != IRK_OK)
		return r;
	irk_sha256_hex(data, len, sha);
	return add_member(ev, member, len, sha);
}

int
irk_evidence_add_file(struct irk_evidence *ev, const char *member,
    struct irk_fs *fs, struct irk_file *f, const struct irk_stat *st,
    char sha256[IRK_SHA256_HEX], int *changed, struct irk_err *err)
{
	static const char zeros[16384];
	char chunk[65536];
	struct irk_hash h;
	uint64_t off = 0;
	int r;

	*changed = 0;
	if ((r = header(ev, member, st, st->size, err)) != IRK_OK)
		return r;
	if (irk_hash_init(&h, 0) != IRK_OK) {
		irk_err_set(err, ENOMEM, "out of memory");
		return IRK_FATAL;
	}
	while (off < st->size) {
		size_t want = sizeof(chunk);
		ssize_t n;

		if (st->size - off < want)
			want = (size_t)(st->size - off);
		n = irk_fs_pread(fs, f, chunk, want, off);
		if (n <= 0) {
			/* shrank or unreadable: keep the header's promise */
			*changed = 1;
			while (off < st->size) {
				size_t z = sizeof(zeros);

				if (st->size - off < z)
					z = (size_t)(st->size - off);
				if ((r = put(ev, zeros, z, err)) != IRK_OK)
					goto out;
				irk_hash_update(&h, zeros, z);
				off += z;
			}
			break;
		}
		if ((r = put(ev, chunk, (size_t)n, err)) != IRK_OK)
			goto out;
		irk_hash_update(&h, chunk, (size_t)n);
		off += (uint64_t)n;
	}
	if (irk_fs_pread(fs, f, chunk, 1, off) > 0)
		*changed = 1;	/* grew while read */
	irk_hash_final(&h, sha256, NULL, NULL);
	return add_member(ev, member, st->size, sha256);
out:
	irk_hash_release(&h);
	return r;
}

/* rename(2) that never replaces an existing file. */
static int
rename_new(const char *from, const char *to)
{
	if (renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS)
		return -1;
	/* a file system without RENAME_NOREPLACE */
	if (access(to, F_OK) == 0) {
		errno = EEXIST;
		return -1;
	}
	return rename(from, to);
}

/* The sha256sum line into the .sha256 created with the .partial. */
static int
write_side(struct irk_evidence *ev, struct irk_err *err)
{
	char line[4200];
	const char *base;
	size_t n;

	if (ev->side_fd < 0) {
		*err = ev->side_err;
		return IRK_WARN;
	}
	base = strrchr(ev->final, '/');
	base = base ? base + 1 : ev->final;
	(void)snprintf(line, sizeof(line), "%s  %s\n", ev->sha, base);
	n = strlen(line);
	errno = 0;
	if (write(ev->side_fd, line, n) != (ssize_t)n) {
		irk_err_set(err, errno ? errno : ENOSPC, "cannot write '%s'",
		    ev->side);
		(void)close(ev->side_fd);
	} else if (close(ev->side_fd) != 0)
		irk_err_set(err, errno, "cannot write '%s'", ev->side);
	else {
		ev->side_fd = -1;
		return IRK_OK;
	}
	ev->side_fd = -1;
	(void)unlink(ev->side);
	return IRK_WARN;
}

int
irk_evidence_finish(struct irk_evidence *ev, json_t *manifest,
    struct irk_err *err)
{
	char *text;
	int r;

	if (json_object_set(manifest, "members", ev->members) != 0 ||
	    (text = json_dumps(manifest, JSON_INDENT(1) |
	    JSON_PRESERVE_ORDER)) == NULL) {
		irk_err_set(err, ENOMEM, "cannot build manifest");
		return IRK_FATAL;
	}
	r = header(ev, "manifest.json", NULL, strlen(text), err);
	if (r == IRK_OK)
		r = put(ev, text, strlen(text), err);
	free(text);
	json_object_del(manifest, "members");
	if (r != IRK_OK)
		return IRK_FATAL;
	if (archive_write_close(ev->a) != ARCHIVE_OK) {
		irk_err_set(err, ev->out_errno, "cannot finish archive: %s",
		    archive_error_string(ev->a));
		return IRK_FATAL;
	}
	irk_hash_final(&ev->out_hash, ev->sha, NULL, NULL);
	if (ev->is_stdout)
		return IRK_OK;
	if (fsync(ev->fd) != 0 && errno != EINVAL) {
		irk_err_set(err, errno, "cannot write '%s'", ev->partial);
		return IRK_FATAL;
	}
	if (close(ev->fd) != 0) {
		ev->fd = -1;
		irk_err_set(err, errno, "cannot write '%s'", ev->partial);
		return IRK_FATAL;
	}
	ev->fd = -1;
	if (rename_new(ev->partial, ev->final) != 0) {
		irk_err_set(err, errno, "cannot rename '%s'", ev->partial);
		return IRK_FATAL;
	}
	free(ev->partial);
	ev->partial = NULL;
	return write_side(ev, err);
}

void
irk_evidence_free(struct irk_evidence *ev)
{
	if (ev == NULL)
		return;
	if (ev->a != NULL)
		archive_write_free(ev->a);
	if (ev->fd >= 0 && !ev->is_stdout)
		close(ev->fd);
	if (ev->side_fd >= 0)
		close(ev->side_fd);
	irk_hash_release(&ev->out_hash);
	json_decref(ev->members);
	free(ev->final);
	free(ev->partial);
	free(ev->side);
	free(ev);
}

void
irk_evidence_abort(struct irk_evidence *ev)
{
	if (ev == NULL)
		return;
	if (ev->partial != NULL)
		(void)unlink(ev->partial);
	if (ev->side_fd >= 0)
		(void)unlink(ev->side);
	irk_evidence_free(ev);
}
