/*
 * pkg_probe.c - one packaged file looked at (pkg_probe.h): run by the
 * packages collector itself, or on an ordered pool (opool.h) so that
 * reading and MD5 (most of its time) run on other threads while it
 * parses the package lists and writes the records, in the same order.
 */
#include <string.h>
#include <sys/stat.h>

#include "pkg_probe.h"
#include "irkit/banned.h"

void
irk_pkg_probe_run(struct irk_fs *fs, void *chunk, void *item)
{
	struct irk_pkg_probe *p = item;
	struct irk_buf target;
	struct irk_err lerr;

	memset(&p->err, 0, sizeof(p->err));
	p->hashed = 0;
	p->digest[0] = '\0';
	p->link[0] = '\0';
	p->bytes = 0;
	/* looked at by its real folder: an image's lstat follows no link */
	p->lr = fs->ops->stat(fs, p->real, 0, &p->lst, &p->err);
	if (p->lr == IRK_OK && (!p->sha256 || S_ISREG(p->lst.mode)))
		p->hashed = irk_pkg_hash(fs, chunk, p->real, p->sha256,
		    p->digest, &p->st, &p->bytes, &p->err) == IRK_OK;
	if (p->lr != IRK_OK || !S_ISLNK(p->lst.mode))
		return;
	irk_buf_init(&target, sizeof(p->link) - 1);
	if (fs->ops->readlink(fs, p->real, &target, &lerr) == IRK_OK &&
	    target.len < sizeof(p->link))
		memcpy(p->link, target.data, target.len + 1);
	irk_buf_release(&target);
}

