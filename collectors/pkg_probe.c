/*
 * pkg_probe.c - one packaged file looked at (pkg_probe.h): run by the
 * packages collector itself, or on an ordered pool (opool.h) so that
 * reading and MD5 (most of its time) run on other threads while it
 * parses the package lists and writes the records, in the same order.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "pkg_probe.h"
#include "irkit/sha256.h"
#include "irkit/banned.h"

int
irk_pkg_hash(struct irk_fs *fs, unsigned char *chunk, const char *path,
    int sha, char *hex, struct irk_stat *st, uint64_t *bytes,
    struct irk_err *err)
{
	struct irk_file *f;
	struct irk_hash h;
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
	if ((sha ? irk_hash_init(&h, 0) : irk_hash_init_md5(&h)) != IRK_OK) {
		irk_err_set(err, ENOMEM, "hash");
		irk_fs_close(fs, f);
		return IRK_FAIL;
	}
	while ((n = irk_fs_pread(fs, f, chunk, IRK_PKG_CHUNK, off)) > 0) {
		irk_hash_update(&h, chunk, (size_t)n);
		off += (uint64_t)n;
	}
	*bytes = off;
	irk_fs_close(fs, f);
	if (n < 0) {
		irk_err_set(err, errno, "read");
		irk_hash_release(&h);
		return IRK_FAIL;
	}
	irk_hash_final(&h, sha ? hex : NULL, sha ? NULL : hex, NULL);
	return IRK_OK;
}

void
irk_pkg_probe_run(struct irk_fs *fs, void *chunk, void *item)
{
	struct irk_pkg_probe *p = item;
	struct irk_buf target;
	struct irk_err lerr;

	memset(&p->err, 0, sizeof(p->err));
	p->hashed = 0;
	p->md5[0] = '\0';
	p->link[0] = '\0';
	p->bytes = 0;
	/* looked at by its real folder: an image's lstat follows no link */
	p->lr = fs->ops->stat(fs, p->real, 0, &p->lst, &p->err);
	if (p->lr == IRK_OK)
		p->hashed = irk_pkg_hash(fs, chunk, p->real, 0, p->md5, &p->st,
		    &p->bytes, &p->err) == IRK_OK;
	if (p->lr != IRK_OK || !S_ISLNK(p->lst.mode))
		return;
	irk_buf_init(&target, sizeof(p->link) - 1);
	if (fs->ops->readlink(fs, p->real, &target, &lerr) == IRK_OK &&
	    target.len < sizeof(p->link))
		memcpy(p->link, target.data, target.len + 1);
	irk_buf_release(&target);
}

