/* fs.c - helpers common to every irk_fs implementation (see irkit/fs.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "irkit/fs.h"
#include "irkit/banned.h"

int
irk_path_join(char *out, size_t outlen, const char *dir, const char *name)
{
	size_t dl = strlen(dir);
	int n;

	while (dl > 1 && dir[dl - 1] == '/')
		dl--;
	while (*name == '/')
		name++;
	if (dl == 1 && dir[0] == '/')
		n = snprintf(out, outlen, "/%s", name);
	else
		n = snprintf(out, outlen, "%.*s/%s", (int)dl, dir, name);
	return n < 0 || (size_t)n >= outlen ? IRK_TOOBIG : IRK_OK;
}

int
irk_path_under_any(const char *path, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(list[i]);

		while (len > 1 && list[i][len - 1] == '/')
			len--;
		if (strncmp(path, list[i], len) == 0 && (path[len] == '\0' ||
		    path[len] == '/' || (len == 1 && list[i][0] == '/')))
			return 1;
	}
	return 0;
}

int
irk_fs_read_file(struct irk_fs *fs, const char *path, struct irk_buf *b,
    struct irk_stat *st, struct irk_err *err)
{
	struct irk_file *f;
	char chunk[16384];
	uint64_t off = 0;
	ssize_t n;
	int r = IRK_OK;

	if (fs->ops->open(fs, path, &f, err) != IRK_OK)
		return IRK_FAIL;
	if (st != NULL && fs->ops->fstat(f, st) != IRK_OK) {
		irk_err_set(err, errno, "cannot stat '%s'", path);
		fs->ops->close(f);
		return IRK_FAIL;
	}
	for (;;) {
		size_t room = b->max - b->len;

		n = fs->ops->pread(f, chunk, sizeof(chunk), off);
		if (n < 0) {
			irk_err_set(err, errno, "cannot read '%s'", path);
			r = IRK_FAIL;
			break;
		}
		if (n == 0)
			break;
		if ((size_t)n > room) {
			(void)irk_buf_add(b, chunk, room);
			irk_err_set(err, EFBIG, "'%s' is larger than %zu bytes",
			    path, b->max);
			r = IRK_TOOBIG;
			break;
		}
		if (irk_buf_add(b, chunk, (size_t)n) != IRK_OK) {
			irk_err_set(err, ENOMEM, "cannot read '%s'", path);
			r = IRK_FAIL;
			break;
		}
		off += (uint64_t)n;
	}
	fs->ops->close(f);
	return r;
}

struct resolve_walk {
	struct irk_fs *fs;
	struct irk_err *err;
	int failed;		/* err already says why */
};

/* A walk step through the fs's own lstat and readlink. */
static int
resolve_step(void *ctx, const char *dir, const char *name, int last,
    int follow, struct irk_buf *link)
{
	struct resolve_walk *w = ctx;
	char path[IRK_WALK_PATH_MAX];
	struct irk_stat st;

	(void)last;
	if (irk_path_join(path, sizeof(path), dir, name) != IRK_OK) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if (w->fs->ops->stat(w->fs, path, 0, &st, w->err) != IRK_OK)
		goto failed;
	if (!S_ISLNK(st.mode) || !follow)
		return 0;
	if (w->fs->ops->readlink(w->fs, path, link, w->err) != IRK_OK)
		goto failed;
	return 1;
failed:
	w->failed = 1;
	errno = w->err->errnum;
	return -1;
}

static void
resolve_up(void *ctx, const char *dir)
{
	(void)ctx;
	(void)dir;
}

static const struct irk_walk_ops resolve_ops = { resolve_step, resolve_up };

/* Why the walker itself stopped (the step's own errors are in err). */
static void
walk_error(struct irk_err *err, int errnum, const char *path)
{
	if (errnum == ELOOP)
		irk_err_set(err, errnum, "too many links in '%s'", path);
	else if (errnum == ENAMETOOLONG)
		irk_err_set(err, errnum, "path too long '%s'", path);
	else
		irk_err_set(err, errnum, "cannot resolve '%s'", path);
}

/*
 * Generic link resolution inside the root, through the fs's own stat and
 * readlink, so it works the same on a host and in an image.
 */
int
irk_fs_resolve(struct irk_fs *fs, const char *path, struct irk_buf *out,
    struct irk_err *err)
{
	struct irk_err scratch;		/* err may be NULL */
	struct resolve_walk w = { fs, err != NULL ? err : &scratch, 0 };
	char cur[IRK_WALK_PATH_MAX];

	if (irk_fs_walk(path, 1, &resolve_ops, &w, cur, sizeof(cur)) != 0) {
		if (!w.failed)
			walk_error(err, errno, path);
		return IRK_FAIL;
	}
	irk_buf_reset(out);
	return irk_buf_addstr(out, cur[0] ? cur : "/") == IRK_OK ? IRK_OK :
	    IRK_FAIL;
}
