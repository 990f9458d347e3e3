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

/*
 * Generic link resolution inside the root, through the fs's own stat and
 * readlink, so it works the same on a host and in an image.
 */
int
irk_fs_resolve(struct irk_fs *fs, const char *path, struct irk_buf *out,
    struct irk_err *err)
{
	char cur[4096], rest[4096], tmp[8192];
	struct irk_buf link;
	int links = 0;

	if (snprintf(rest, sizeof(rest), "%s", path) >= (int)sizeof(rest)) {
		irk_err_set(err, ENAMETOOLONG, "path too long '%s'", path);
		return IRK_FAIL;
	}
	cur[0] = '\0';		/* "" is the root */
	irk_buf_init(&link, 4096);
	for (char *p = rest; *p;) {
		char comp[256], *slash;
		size_t cl, curlen;
		struct irk_stat st;

		while (*p == '/')
			p++;
		if (*p == '\0')
			break;
		slash = strchr(p, '/');
		cl = slash ? (size_t)(slash - p) : strlen(p);
		if (cl >= sizeof(comp))
			goto toolong;
		memcpy(comp, p, cl);
		comp[cl] = '\0';
		p += cl;
		if (strcmp(comp, ".") == 0)
			continue;
		if (strcmp(comp, "..") == 0) {
			char *s = strrchr(cur, '/');

			if (s != NULL)
				*s = '\0';
			continue;
		}
		curlen = strlen(cur);
		if (curlen + 1 + cl >= sizeof(cur))
			goto toolong;
		cur[curlen] = '/';
		memcpy(cur + curlen + 1, comp, cl + 1);
		if (fs->ops->stat(fs, cur, 0, &st, err) != IRK_OK)
			goto fail;
		if (!S_ISLNK(st.mode))
			continue;
		if (++links > 40) {
			irk_err_set(err, ELOOP, "too many links in '%s'", path);
			goto fail;
		}
		irk_buf_reset(&link);
		if (fs->ops->readlink(fs, cur, &link, err) != IRK_OK)
			goto fail;
		if (snprintf(tmp, sizeof(tmp), "%s/%s", link.data, p) >=
		    (int)sizeof(rest))
			goto toolong;
		memcpy(rest, tmp, strlen(tmp) + 1);
		p = rest;
		if (link.data[0] == '/')
			cur[0] = '\0';
		else
			cur[curlen] = '\0';
	}
	irk_buf_release(&link);
	irk_buf_reset(out);
	return irk_buf_addstr(out, cur[0] ? cur : "/") == IRK_OK ? IRK_OK :
	    IRK_FAIL;
toolong:
	irk_err_set(err, ENAMETOOLONG, "path too long '%s'", path);
fail:
	irk_buf_release(&link);
	return IRK_FAIL;
}
