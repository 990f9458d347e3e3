/*
 * fs_image.c - struct irk_fs over a TSK file system (see fs_image.h).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <tsk/libtsk.h>

#include "fs_image.h"
#include "irkit/strmap.h"
#include "irkit/banned.h"

/*
 * Paths found, and their inode: link resolution stats every prefix of
 * every path (/etc, /etc/systemd, ...) and TSK looks each up from the
 * root, reading each directory on the way; a path seen once is opened
 * by its inode after that.  Bounded: once full, nothing more is kept.
 */
#define INUM_CACHE_MAX	65536

/*
 * Paths TSK did not find, and its message: the collectors ask for the
 * same few absent paths (/var/log, /run, ...) hundreds of times an
 * image, and each miss reads every directory from the root.  The image
 * is read-only, so the same question gets the same answer.  Only "not
 * found" is kept (not a read or memory error), and at most this many.
 */
#define ABSENT_CACHE_MAX	4096

struct img_fs {
	struct irk_fs pub;
	TSK_FS_INFO *fsi;
	struct irk_strmap inums;	/* path -> (void *)(inode + 1) */
	struct irk_strmap absent;	/* path -> TSK's message */
};

struct irk_file {
	TSK_FS_FILE *f;
};

struct irk_dir {
	TSK_FS_DIR *d;
	size_t i, n;
};

static uint32_t
meta_type(TSK_FS_META_TYPE_ENUM t)
{
	switch (t) {
	case TSK_FS_META_TYPE_REG:
		return S_IFREG;
	case TSK_FS_META_TYPE_DIR:
	case TSK_FS_META_TYPE_VIRT_DIR:
		return S_IFDIR;
	case TSK_FS_META_TYPE_LNK:
		return S_IFLNK;
	case TSK_FS_META_TYPE_FIFO:
		return S_IFIFO;
	case TSK_FS_META_TYPE_CHR:
		return S_IFCHR;
	case TSK_FS_META_TYPE_BLK:
		return S_IFBLK;
	case TSK_FS_META_TYPE_SOCK:
		return S_IFSOCK;
	default:
		return S_IFREG;
	}
}

static uint32_t
name_type(TSK_FS_NAME_TYPE_ENUM t)
{
	switch (t) {
	case TSK_FS_NAME_TYPE_REG:
		return S_IFREG;
	case TSK_FS_NAME_TYPE_DIR:
		return S_IFDIR;
	case TSK_FS_NAME_TYPE_LNK:
		return S_IFLNK;
	case TSK_FS_NAME_TYPE_FIFO:
		return S_IFIFO;
	case TSK_FS_NAME_TYPE_CHR:
		return S_IFCHR;
	case TSK_FS_NAME_TYPE_BLK:
		return S_IFBLK;
	case TSK_FS_NAME_TYPE_SOCK:
		return S_IFSOCK;
	default:
		return 0;
	}
}

static int64_t
us(time_t s, uint32_t ns)
{
	if (s == 0 && ns == 0)
		return IRK_TIME_NONE;
	return (int64_t)s * 1000000 + (int64_t)(ns / 1000);
}

/* Fill st from TSK metadata (times in microseconds, IRK_TIME_NONE if 0). */
static void
meta_stat(const TSK_FS_META *m, struct irk_stat *st)
{
	memset(st, 0, sizeof(*st));
	st->ino = m->addr;
	/* TSK keeps the Unix permission bits at their usual values */
	st->mode = meta_type(m->type) | ((uint32_t)m->mode & 07777);
	st->nlink = (uint32_t)m->nlink;
	st->uid = (uint32_t)m->uid;
	st->gid = (uint32_t)m->gid;
	st->size = m->size > 0 ? (uint64_t)m->size : 0;
	st->atime = us(m->atime, m->atime_nano);
	st->mtime = us(m->mtime, m->mtime_nano);
	st->ctime = us(m->ctime, m->ctime_nano);
	st->btime = us(m->crtime, m->crtime_nano);
}

static void
tsk_err(struct irk_err *err, int errnum, const char *what, const char *path)
{
	const char *e = tsk_error_get();

	irk_err_set(err, errnum, "%s '%s'%s%s", what, path,
	    e != NULL ? ": " : "", e != NULL ? e : "");
	tsk_error_reset();
}

/* Open path as is (no link in it): NULL and err set on failure. */
static TSK_FS_FILE *
open_plain(struct img_fs *h, const char *path, struct irk_err *err)
{
	TSK_FS_FILE *f;
	void *v = irk_strmap_get(&h->inums, path);
	const char *why;

	if (v == NULL && (why = irk_strmap_get(&h->absent, path)) != NULL) {
		irk_err_set(err, ENOENT, "%s", why);
		return NULL;
	}
	if (v != NULL)
		f = tsk_fs_file_open_meta(h->fsi, NULL,
		    (TSK_INUM_T)((uintptr_t)v - 1));
	else
		f = tsk_fs_file_open(h->fsi, NULL, path);
	if (f == NULL) {
		int notfound = v == NULL &&
		    tsk_error_get_errno() == TSK_ERR_FS_ARG;
		struct irk_err e;
		char *msg;

		tsk_err(&e, ENOENT, "cannot open", path);
		if (err != NULL)
			*err = e;
		if (notfound && h->absent.count < ABSENT_CACHE_MAX &&
		    (msg = strdup(e.msg)) != NULL &&
		    irk_strmap_put(&h->absent, path, msg) != 0)
			free(msg);
		return NULL;
	}
	if (f->meta == NULL) {
		tsk_fs_file_close(f);
		irk_err_set(err, ENOENT, "no metadata for '%s'", path);
		return NULL;
	}
	/* not an NTFS stream name (file:name), not what TSK cannot say */
	if (v == NULL && h->inums.count < INUM_CACHE_MAX &&
	    strchr(path, ':') == NULL && f->meta->addr < UINTPTR_MAX - 1)
		(void)irk_strmap_put(&h->inums, path,
		    (void *)((uintptr_t)f->meta->addr + 1));
	return f;
}

/* The path with every link resolved inside the volume. */
static int
resolve(struct irk_fs *fs, const char *path, struct irk_buf *out,
    struct irk_err *err)
{
	irk_buf_init(out, 4096);
	if (irk_fs_resolve(fs, path, out, err) != IRK_OK) {
		irk_buf_release(out);
		return IRK_FAIL;
	}
	return IRK_OK;
}

static int
img_open(struct irk_fs *fs, const char *path, struct irk_file **out,
    struct irk_err *err)
{
	struct img_fs *h = fs->impl;
	struct irk_buf real;
	struct irk_file *file;
	TSK_FS_FILE *f;

	if (resolve(fs, path, &real, err) != IRK_OK)
		return IRK_FAIL;
	f = open_plain(h, real.data, err);
	irk_buf_release(&real);
	if (f == NULL)
		return IRK_FAIL;
	if (f->meta->type != TSK_FS_META_TYPE_REG) {
		tsk_fs_file_close(f);
		irk_err_set(err, EISDIR, "'%s' is not a regular file", path);
		return IRK_FAIL;
	}
	if ((file = calloc(1, sizeof(*file))) == NULL) {
		tsk_fs_file_close(f);
		irk_err_set(err, ENOMEM, "cannot open '%s'", path);
		return IRK_FAIL;
	}
	file->f = f;
	*out = file;
	return IRK_OK;
}

static ssize_t
img_pread(struct irk_file *file, void *buf, size_t len, uint64_t off)
{
	ssize_t n;

	if (file->f->meta->size <= 0 || off >= (uint64_t)file->f->meta->size)
		return 0;
	n = tsk_fs_file_read(file->f, (TSK_OFF_T)off, buf, len,
	    TSK_FS_FILE_READ_FLAG_NONE);
	if (n < 0) {
		tsk_error_reset();
		errno = EIO;
		return -1;
	}
	return n;
}

static int
img_fstat(struct irk_file *file, struct irk_stat *st)
{
	meta_stat(file->f->meta, st);
	return IRK_OK;
}

static void
img_close(struct irk_file *file)
{
	tsk_fs_file_close(file->f);
	free(file);
}

static int
img_stat(struct irk_fs *fs, const char *path, int follow,
    struct irk_stat *st, struct irk_err *err)
{
	struct img_fs *h = fs->impl;
	struct irk_buf real;
	TSK_FS_FILE *f;

	if (follow) {
		if (resolve(fs, path, &real, err) != IRK_OK)
			return IRK_FAIL;
		f = open_plain(h, real.data, err);
		irk_buf_release(&real);
	} else
		f = open_plain(h, path, err);
	if (f == NULL)
		return IRK_FAIL;
	meta_stat(f->meta, st);
	tsk_fs_file_close(f);
	return IRK_OK;
}

static int
img_readlink(struct irk_fs *fs, const char *path, struct irk_buf *out,
    struct irk_err *err)
{
	struct img_fs *h = fs->impl;
	TSK_FS_FILE *f;
	int r = IRK_OK;

	if ((f = open_plain(h, path, err)) == NULL)
		return IRK_FAIL;
	if (f->meta->type != TSK_FS_META_TYPE_LNK || f->meta->link == NULL) {
		irk_err_set(err, EINVAL, "'%s' is not a link", path);
		r = IRK_FAIL;
	} else {
		irk_buf_reset(out);
		if (irk_buf_addstr(out, f->meta->link) != IRK_OK) {
			irk_err_set(err, ENAMETOOLONG, "link '%s' too long",
			    path);
			r = IRK_FAIL;
		}
	}
	tsk_fs_file_close(f);
	return r;
}

static int
img_opendir(struct irk_fs *fs, const char *path, struct irk_dir **out,
    struct irk_err *err)
{
	struct img_fs *h = fs->impl;
	struct irk_buf real;
	struct irk_dir *d;
	TSK_FS_DIR *td;
	void *v;

	if (resolve(fs, path, &real, err) != IRK_OK)
		return IRK_FAIL;
	if ((v = irk_strmap_get(&h->inums, real.data)) != NULL)
		td = tsk_fs_dir_open_meta(h->fsi,
		    (TSK_INUM_T)((uintptr_t)v - 1));
	else
		td = tsk_fs_dir_open(h->fsi, real.data);
	irk_buf_release(&real);
	if (td == NULL) {
		tsk_err(err, ENOTDIR, "cannot open directory", path);
		return IRK_FAIL;
	}
	if ((d = calloc(1, sizeof(*d))) == NULL) {
		tsk_fs_dir_close(td);
		irk_err_set(err, ENOMEM, "cannot open directory '%s'", path);
		return IRK_FAIL;
	}
	d->d = td;
	d->n = tsk_fs_dir_getsize(td);
	*out = d;
	return IRK_OK;
}

static int
img_readdir(struct irk_dir *d, struct irk_dirent *ent)
{
	while (d->i < d->n) {
		const TSK_FS_NAME *nm = tsk_fs_dir_get_name(d->d, d->i++);
		size_t len;

		if (nm == NULL || nm->name == NULL)
			continue;
		/* the live view: no deleted names, no TSK virtual entries */
		if (!(nm->flags & TSK_FS_NAME_FLAG_ALLOC))
			continue;
		if (nm->type == TSK_FS_NAME_TYPE_VIRT ||
		    nm->type == TSK_FS_NAME_TYPE_VIRT_DIR)
			continue;
		if (strcmp(nm->name, ".") == 0 || strcmp(nm->name, "..") == 0)
			continue;
		len = strlen(nm->name);
		if (len == 0 || len >= sizeof(ent->name))
			continue;
		memcpy(ent->name, nm->name, len + 1);
		ent->type = name_type(nm->type);
		return 1;
	}
	return 0;
}

static void
img_closedir(struct irk_dir *d)
{
	tsk_fs_dir_close(d->d);
	free(d);
}

static void
img_free(struct irk_fs *fs)
{
	struct img_fs *h = fs->impl;

	irk_strmap_release(&h->inums);
	irk_strmap_release(&h->absent);
	free(h);
}

static const struct irk_fs_ops img_ops = {
	img_open, img_pread, img_fstat, img_close, img_stat, img_readlink,
	img_opendir, img_readdir, img_closedir, img_free,
	NULL,		/* dirstat: TSK stats by path as cheaply */
};

/*
 * TSK's detection opens the volume as every type it knows, to refuse one
 * that two types claim.  YAFFS2 has no superblock: its probe reads the
 * first chunks of the volume at every page and spare size, most of the
 * cost of opening a small image.  The types with a superblock are tried
 * one by one first; exactly one answering is the answer (a volume that
 * also passed the YAFFS2 probe is then taken for that type, where TSK
 * would refuse it).  None, or two: TSK's detection, which finds YAFFS2
 * and says which two types answered.
 */
TSK_FS_INFO *
irk_fs_image_detect(TSK_IMG_INFO *img, TSK_OFF_T off)
{
	static const TSK_FS_TYPE_ENUM types[] = {
		TSK_FS_TYPE_NTFS_DETECT, TSK_FS_TYPE_FAT_DETECT,
		TSK_FS_TYPE_EXT_DETECT, TSK_FS_TYPE_FFS_DETECT,
		TSK_FS_TYPE_HFS_DETECT, TSK_FS_TYPE_ISO9660_DETECT,
	};
	TSK_FS_INFO *one = NULL, *fs;

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		if ((fs = tsk_fs_open_img(img, off, types[i])) == NULL) {
			tsk_error_reset();
			continue;
		}
		if (one != NULL) {
			tsk_fs_close(fs);
			tsk_fs_close(one);
			one = NULL;
			break;
		}
		one = fs;
	}
	return one != NULL ? one : tsk_fs_open_img(img, off,
	    TSK_FS_TYPE_DETECT);
}

int
irk_fs_image_open(struct irk_fs **out, TSK_FS_INFO *fsi, struct irk_err *err)
{
	struct img_fs *h;

	if ((h = calloc(1, sizeof(*h))) == NULL) {
		irk_err_set(err, ENOMEM, "cannot open image file system");
		return IRK_FAIL;
	}
	h->fsi = fsi;
	irk_strmap_init(&h->inums, NULL);
	irk_strmap_init(&h->absent, free);
	h->pub.ops = &img_ops;
	h->pub.kind = "image";
	h->pub.live = 0;
	h->pub.impl = h;
	*out = &h->pub;
	return IRK_OK;
}
