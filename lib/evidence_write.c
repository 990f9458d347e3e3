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

static int
set_filter(struct archive *a, const char *compress, const char **ext)
{
	if (compress == NULL || strcmp(compress, "zstd") == 0) {
		*ext = ".tar.zst";
		return archive_write_add_filter_zstd(a);
	}
	if (strcmp(compress, "gzip") == 0) {
		*ext = ".tar.gz";
		return archive_write_add_filter_gzip(a);
	}
	if (strcmp(compress, "xz") == 0) {
		*ext = ".tar.xz";
		return archive_write_add_filter_xz(a);
	}
	if (strcmp(compress, "none") == 0) {
		*ext = ".tar";
		return archive_write_add_filter_none(a);
	}
	return ARCHIVE_FATAL;
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

int
irk_evidence_open(struct irk_evidence **out,
    const struct irk_evidence_opts *opts, struct irk_err *err)
{
	struct irk_evidence *ev;
	char host[80], ts[IRK_TIME_LEN], path[4096];
	const char *ext = NULL, *o = opts->output ? opts->output : ".";
	struct stat st;
	int n;

	if ((ev = calloc(1, sizeof(*ev))) == NULL) {
		irk_err_set(err, ENOMEM, "out of memory");
		return IRK_FATAL;
	}
	ev->fd = -1;
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
	} else {
		if (stat(o, &st) == 0 && S_ISDIR(st.st_mode))
			n = snprintf(path, sizeof(path), "%s/%s%s", o, ev->top,
			    ext);
		else
			n = snprintf(path, sizeof(path), "%s", o);
		if (n < 0 || (size_t)n >= sizeof(path) - 16) {
			irk_err_set(err, ENAMETOOLONG, "output name too long");
			goto fail;
		}
		ev->final = strdup(path);
		if (ev->final == NULL ||
		    asprintf(&ev->partial, "%s.partial", path) < 0) {
			ev->partial = NULL;
			irk_err_set(err, ENOMEM, "out of memory");
			goto fail;
		}
		if (access(path, F_OK) == 0) {
			irk_err_set(err, EEXIST, "output '%s' already exists",
			    path);
			goto fail;
		}
		ev->fd = open(ev->partial, O_WRONLY | O_CREAT | O_EXCL |
		    O_CLOEXEC, 0600);
		if (ev->fd < 0) {
			irk_err_set(err, errno, "cannot create '%s'", ev->partial);
			free(ev->partial);
			ev->partial = NULL;
			goto fail;
		}
	}
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
	if ((e = archive_entry_new()) == NULL) {
		irk_err_set(err, ENOMEM, "out of memory");
		return IRK_FATAL;
	}
	archive_entry_set_pathname(e, name);
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

int
irk_evidence_finish(struct irk_evidence *ev, json_t *manifest,
    struct irk_err *err)
{
	char sha[IRK_SHA256_HEX], line[4200];
	const char *base;
	char *text;
	int r, fd;

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
	irk_hash_final(&ev->out_hash, sha, NULL, NULL);
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
	if (rename(ev->partial, ev->final) != 0) {
		irk_err_set(err, errno, "cannot rename '%s'", ev->partial);
		return IRK_FATAL;
	}
	free(ev->partial);
	ev->partial = NULL;
	base = strrchr(ev->final, '/');
	base = base ? base + 1 : ev->final;
	(void)snprintf(line, sizeof(line), "%s  %s\n", sha, base);
	{
		char side[4200];

		(void)snprintf(side, sizeof(side), "%s.sha256", ev->final);
		fd = open(side, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (fd < 0) {
			irk_err_set(err, errno, "cannot write '%s'", side);
			return IRK_WARN;
		}
		if (write(fd, line, strlen(line)) != (ssize_t)strlen(line)) {
			irk_err_set(err, errno ? errno : ENOSPC, "cannot write "
			    "'%s'", side);
			(void)close(fd);
			(void)unlink(side);
			return IRK_WARN;
		}
		if (close(fd) != 0) {
			irk_err_set(err, errno, "cannot write '%s'", side);
			(void)unlink(side);
			return IRK_WARN;
		}
	}
	return IRK_OK;
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
	irk_hash_release(&ev->out_hash);
	json_decref(ev->members);
	free(ev->final);
	free(ev->partial);
	free(ev);
}

void
irk_evidence_abort(struct irk_evidence *ev)
{
	if (ev == NULL)
		return;
	if (ev->partial != NULL)
		(void)unlink(ev->partial);
	irk_evidence_free(ev);
}
