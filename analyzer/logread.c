/*
 * logread.c - text logs line by line, decompressed on the fly, bounded
 * (logread.h).
 */
#include <archive.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "logread.h"
#include "irkit/logfiles.h"
#include "irkit/banned.h"

#define CHUNK	(64u << 10)

/* libarchive's read callback: the file through the fs, chunk by chunk. */
static la_ssize_t
raw_read(struct archive *a, void *arg, const void **out)
{
	struct irk_logread *r = arg;
	ssize_t n = irk_fs_pread(r->fs, r->f, r->buf + CHUNK, CHUNK,
	    r->raw_off);

	if (n < 0) {
		archive_set_error(a, errno, "read error");
		return -1;
	}
	r->raw_off += (uint64_t)n;
	*out = r->buf + CHUNK;
	return n;
}

static int
open_archive(struct irk_logread *r, struct irk_err *err)
{
	struct archive_entry *e;

	r->raw_off = 0;
	if ((r->a = archive_read_new()) == NULL ||
	    archive_read_support_filter_all(r->a) != ARCHIVE_OK ||
	    archive_read_support_format_raw(r->a) != ARCHIVE_OK ||
	    archive_read_open(r->a, r, NULL, raw_read, NULL) != ARCHIVE_OK ||
	    archive_read_next_header(r->a, &e) != ARCHIVE_OK) {
		irk_err_set(err, 0, "cannot decompress (%s): %s",
		    r->compression, r->a ? archive_error_string(r->a) :
		    "out of memory");
		return IRK_FAIL;
	}
	return IRK_OK;
}

static int
start(struct irk_logread *r, struct irk_err *err)
{
	r->out = r->len = r->pos = 0;
	r->lineno = r->line_off = r->cut = r->first_cut = 0;
	r->capped = r->eof = r->error = 0;
	r->raw_off = 0;
	if (r->compression != NULL)
		return open_archive(r, err);
	return IRK_OK;
}

int
irk_logread_open(struct irk_logread *r, struct irk_fs *fs, const char *path,
    struct irk_err *err)
{
	unsigned char head[8];
	ssize_t n;

	memset(r, 0, sizeof(*r));
	r->fs = fs;
	if (irk_fs_open(fs, path, &r->f, err) != IRK_OK)
		return IRK_FAIL;
	if (fs->ops->fstat(r->f, &r->st) != IRK_OK) {
		irk_err_set(err, errno, "cannot stat");
		irk_logread_close(r);
		return IRK_FAIL;
	}
	r->buf = malloc(2 * CHUNK);
	r->line = malloc(IRK_LOGREAD_LINE_MAX + 1);
	if (r->buf == NULL || r->line == NULL) {
		irk_err_set(err, ENOMEM, "out of memory");
		irk_logread_close(r);
		return IRK_FAIL;
	}
	n = irk_fs_pread(fs, r->f, head, sizeof(head), 0);
	r->compression = irk_log_compression(head, n > 0 ? (size_t)n : 0);
	r->cap = r->compression == NULL ? UINT64_MAX :
	    r->st.size * IRK_LOGREAD_RATIO + IRK_LOGREAD_SLACK;
	if (start(r, err) != IRK_OK) {
		irk_logread_close(r);
		return IRK_FAIL;
	}
	return IRK_OK;
}

int
irk_logread_rewind(struct irk_logread *r, struct irk_err *err)
{
	if (r->a != NULL) {
		archive_read_free(r->a);
		r->a = NULL;
	}
	return start(r, err);
}

/* The next chunk of text into buf; 0 at the end. */
static int
fill(struct irk_logread *r)
{
	ssize_t n;

	if (r->eof)
		return 0;
	if (r->out >= r->cap) {
		r->capped = 1;
		r->eof = 1;
		return 0;
	}
	if (r->a != NULL)
		n = archive_read_data(r->a, r->buf, CHUNK);
	else
		n = irk_fs_pread(r->fs, r->f, r->buf, CHUNK, r->raw_off);
	if (n < 0) {
		irk_err_set(&r->err, r->a ? archive_errno(r->a) : errno,
		    "read error at byte %llu%s%s", (unsigned long long)r->out,
		    r->a ? ": " : "", r->a ? archive_error_string(r->a) : "");
		r->error = 1;
	}
	if (n <= 0) {
		r->eof = 1;
		return 0;
	}
	if (r->a == NULL)
		r->raw_off += (uint64_t)n;
	if ((uint64_t)n > r->cap - r->out)
		n = (ssize_t)(r->cap - r->out);
	r->out += (uint64_t)n;
	r->len = (size_t)n;
	r->pos = 0;
	return 1;
}

int
irk_logread_line(struct irk_logread *r, const char **line, size_t *len,
    int *cut)
{
	size_t n = 0;
	int got = 0;

	*cut = 0;
	r->line_off = r->out - (r->len - r->pos);
	for (;;) {
		const char *p, *nl;
		size_t avail, take;

		if (r->pos == r->len && !fill(r))
			break;
		got = 1;
		p = r->buf + r->pos;
		avail = r->len - r->pos;
		nl = memchr(p, '\n', avail);
		take = nl != NULL ? (size_t)(nl - p) : avail;
		if (n + take > IRK_LOGREAD_LINE_MAX) {
			*cut = 1;
			take = n < IRK_LOGREAD_LINE_MAX ?
			    IRK_LOGREAD_LINE_MAX - n : 0;
		}
		memcpy(r->line + n, p, take);
		n += take;
		if (nl != NULL) {
			r->pos += (size_t)(nl - p) + 1;
			break;
		}
		r->pos = r->len;
	}
	if (!got)
		return 0;
	if (*cut && r->cut++ == 0)
		r->first_cut = r->lineno + 1;
	r->line[n] = '\0';
	r->lineno++;
	*line = r->line;
	*len = n;
	return 1;
}

void
irk_logread_close(struct irk_logread *r)
{
	if (r->a != NULL)
		archive_read_free(r->a);
	irk_fs_close(r->fs, r->f);
	free(r->buf);
	free(r->line);
	memset(r, 0, sizeof(*r));
}
