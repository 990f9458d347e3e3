/*
 * fs_host.c - struct irk_fs over the live host, every path taken under a
 * root prefix (default "/").
 *
 * Paths are resolved by the kernel with openat2(RESOLVE_IN_ROOT): ".."
 * and absolute link targets stay inside the root, magic links
 * (/proc/<pid>/exe) are refused.  On kernels without openat2 (before
 * 5.6), or with IRKIT_FS_NO_OPENAT2=1, the same walk is done here, one
 * component at a time with O_NOFOLLOW (walk_open, on irk_fs_walk); so is
 * a path whose openat2 keeps failing with EAGAIN (a rename elsewhere on
 * the host while the kernel followed "..").
 * Files are opened O_RDONLY|O_CLOEXEC|O_NONBLOCK (a FIFO never blocks)
 * and O_NOATIME where the kernel allows it; only regular files can be
 * opened for reading.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/magic.h>
#include <linux/openat2.h>

#include "irkit/fs.h"
#include "irkit/banned.h"

#define PROC_ROOT_INO 1		/* the inode number of procfs's root */

struct host_fs {
	struct irk_fs pub;
	int rootfd;
	char *root;
	int no_openat2;
	irk_fs_progress_fn progress;	/* told of every path looked at */
	void *progress_arg;
};

#define PROGRESS(h, path, isdir) do { \
	if ((h)->progress != NULL) \
		(h)->progress((h)->progress_arg, (path), (isdir)); \
} while (0)

/*
 * st: the statx of the open (a regular file's check), handed to the
 * first fstat when nothing was read in between: one system call a file
 * fewer for the collectors that open, fstat, then read.  Any read drops
 * it: an fstat after reading asks the kernel again.
 */
struct irk_file {
	int fd;
	int st_fresh;
	struct irk_stat st;
};

struct irk_dir {
	DIR *d;
};

static int
walk_open(struct host_fs *h, const char *rel, int flags);

/* openat2 calls before an EAGAIN sends the path to the walk */
#define OPENAT2_TRIES	8

/* Open path under the root with flags; -1 and errno on failure. */
static int
root_open(struct host_fs *h, const char *path, int flags)
{
	const char *rel = path;
	struct open_how how;
	int fd;

	while (*rel == '/')
		rel++;
	if (*rel == '\0')
		rel = ".";
	if (!h->no_openat2) {
		memset(&how, 0, sizeof(how));
		how.flags = (uint64_t)flags | O_CLOEXEC;
		how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
		/*
		 * EAGAIN: a rename or mount anywhere on the host while the
		 * kernel followed ".." (the kernel asks for a retry).  A host
		 * busy renaming may keep answering it: the walk then opens
		 * the path, as safely and without the kernel's check.
		 */
		for (int i = 0; i < OPENAT2_TRIES; i++) {
			fd = (int)syscall(SYS_openat2, h->rootfd, rel, &how,
			    sizeof(how));
			if (fd >= 0 || errno != EAGAIN)
				break;
		}
		if (fd >= 0 || (errno != ENOSYS && errno != EAGAIN))
			return fd;
		if (errno == ENOSYS)
			h->no_openat2 = 1;
	}
	return walk_open(h, rel, flags | O_CLOEXEC);
}

/*
 * Userspace RESOLVE_IN_ROOT for old kernels, on irk_fs_walk: every
 * component is opened with O_NOFOLLOW below the directory fd held so far
 * (directories O_PATH|O_DIRECTORY, the final name with the caller's
 * flags), so a component swapped for a link after it was looked at is
 * never followed by the kernel.  Links are read from their own fd and
 * followed by the walker; ".." drops a name and the directory is opened
 * again from the root along the names already entered (each O_NOFOLLOW).
 */
struct host_walk {
	int rootfd;
	int dirfd;		/* the directory reached; -1: open it again */
	int flags;		/* the caller's, for the final name */
	int fd;			/* the final name opened, or -1 */
};

static void
walk_set_dir(struct host_walk *w, int fd)
{
	if (w->dirfd >= 0 && w->dirfd != w->rootfd)
		close(w->dirfd);
	w->dirfd = fd;
}

/* Open dir ("/a/b", names known to be directories) again from the root. */
static int
walk_reopen(struct host_walk *w, const char *dir)
{
	char name[IRK_WALK_NAME_MAX];
	int fd;

	walk_set_dir(w, w->rootfd);
	while (*dir != '\0') {
		size_t n;

		dir += strspn(dir, "/");
		n = strcspn(dir, "/");
		if (n == 0)
			break;
		if (n >= sizeof(name)) {
			errno = ENAMETOOLONG;
			return -1;
		}
		memcpy(name, dir, n);
		name[n] = '\0';
		dir += n;
		fd = openat(w->dirfd, name,
		    O_PATH | O_NOFOLLOW | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0)
			return -1;
		walk_set_dir(w, fd);
	}
	return 0;
}

/*
 * Magic links (/proc/<pid>/exe, cwd, root, fd/N, ns/...) are refused as
 * openat2's RESOLVE_NO_MAGICLINKS does: every link in a procfs directory
 * other than the procfs root (self, thread-self, mounts, net) is one.
 */
static int
walk_magic(int dirfd)
{
	struct statfs sf;
	struct stat st;

	return fstatfs(dirfd, &sf) == 0 && sf.f_type == PROC_SUPER_MAGIC &&
	    fstat(dirfd, &st) == 0 && st.st_ino != PROC_ROOT_INO;
}

/* Read the link open at fd into link for the walker to follow. */
static int
walk_link(struct host_walk *w, int fd, struct irk_buf *link)
{
	char target[IRK_WALK_PATH_MAX];
	ssize_t n;

	if (walk_magic(w->dirfd)) {
		errno = ELOOP;
		return -1;
	}
	if ((n = readlinkat(fd, "", target, sizeof(target))) < 0)
		return -1;
	if ((size_t)n >= sizeof(target) ||
	    irk_buf_add(link, target, (size_t)n) != IRK_OK) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 1;
}

/*
 * The open of name failed with errno: is it a link to follow?  1 with its
 * target in link; 0 when an O_PATH open of the final name is the result;
 * else -1 with the open's errno.
 */
static int
walk_look(struct host_walk *w, const char *name, int last,
    struct irk_buf *link)
{
	struct stat st;
	int fd, r, saved = errno;

	fd = openat(w->dirfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) != 0)
		r = -1;
	else if (S_ISLNK(st.st_mode))
		r = walk_link(w, fd, link);
	else if (last && (w->flags & O_PATH)) {
		w->fd = fd;
		return 0;
	} else {
		errno = saved;
		r = -1;
	}
	saved = errno;
	close(fd);
	errno = saved;
	return r;
}

static int
walk_step(void *ctx, const char *dir, const char *name, int last,
    int follow, struct irk_buf *link)
{
	struct host_walk *w = ctx;
	int fd;

	if (w->dirfd < 0 && walk_reopen(w, dir) != 0)
		return -1;
	if (!last)
		fd = openat(w->dirfd, name,
		    O_PATH | O_NOFOLLOW | O_DIRECTORY | O_CLOEXEC);
	else if (!follow || !(w->flags & O_PATH))
		fd = openat(w->dirfd, name, w->flags | O_NOFOLLOW);
	else {
		fd = -1;	/* O_PATH opens a link too: look first */
		errno = ELOOP;
	}
	if (fd >= 0 && last)
		w->fd = fd;
	else if (fd >= 0)
		walk_set_dir(w, fd);
	if (fd >= 0)
		return 0;
	/* a link gives ELOOP, or ENOTDIR where a directory is wanted */
	if ((errno != ELOOP && errno != ENOTDIR) || !follow)
		return -1;
	return walk_look(w, name, last, link);
}

static void
walk_up(void *ctx, const char *dir)
{
	struct host_walk *w = ctx;

	walk_set_dir(w, dir[0] == '\0' ? w->rootfd : -1);
}

static const struct irk_walk_ops host_walk_ops = { walk_step, walk_up };

static int
walk_open(struct host_fs *h, const char *rel, int flags)
{
	struct host_walk w = { h->rootfd, h->rootfd, flags, -1 };
	char cur[IRK_WALK_PATH_MAX];
	int saved;

	if (irk_fs_walk(rel, !(flags & O_NOFOLLOW), &host_walk_ops, &w, cur,
	    sizeof(cur)) == 0 && w.fd < 0 &&
	    (w.dirfd >= 0 || walk_reopen(&w, cur) == 0))
		w.fd = openat(w.dirfd, ".", flags | O_NOFOLLOW);
	saved = errno;
	walk_set_dir(&w, -1);
	errno = saved;
	return w.fd;
}

static void
fill_stat(struct irk_stat *out, const struct statx *sx)
{
	memset(out, 0, sizeof(*out));
	out->dev = makedev(sx->stx_dev_major, sx->stx_dev_minor);
	out->ino = sx->stx_ino;
	out->mode = sx->stx_mode;
	out->nlink = sx->stx_nlink;
	out->uid = sx->stx_uid;
	out->gid = sx->stx_gid;
	out->size = sx->stx_size;
	out->atime = sx->stx_atime.tv_sec * 1000000LL +
	    sx->stx_atime.tv_nsec / 1000;
	out->mtime = sx->stx_mtime.tv_sec * 1000000LL +
	    sx->stx_mtime.tv_nsec / 1000;
	out->ctime = sx->stx_ctime.tv_sec * 1000000LL +
	    sx->stx_ctime.tv_nsec / 1000;
	/* some file systems (overlayfs, 9p) report a birth time of 0 */
	if ((sx->stx_mask & STATX_BTIME) && (sx->stx_btime.tv_sec != 0 ||
	    sx->stx_btime.tv_nsec != 0))
		out->btime = sx->stx_btime.tv_sec * 1000000LL +
		    sx->stx_btime.tv_nsec / 1000;
	else
		out->btime = IRK_TIME_NONE;
}

static int
fd_stat(int fd, struct irk_stat *st)
{
	struct statx sx;

	if (statx(fd, "", AT_EMPTY_PATH | AT_STATX_DONT_SYNC,
	    STATX_BASIC_STATS | STATX_BTIME, &sx) != 0)
		return IRK_FAIL;
	fill_stat(st, &sx);
	return IRK_OK;
}

static int
host_open(struct irk_fs *fs, const char *path, struct irk_file **out,
    struct irk_err *err)
{
	struct host_fs *h = fs->impl;
	struct irk_file *f;
	struct irk_stat st = { .mode = 0 };
	int fd;

	PROGRESS(h, path, 0);

	fd = root_open(h, path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_NOATIME);
	if (fd < 0 && errno == EPERM)
		fd = root_open(h, path, O_RDONLY | O_NONBLOCK | O_NOCTTY);
	if (fd < 0) {
		irk_err_set(err, errno, "cannot open '%s'", path);
		return IRK_FAIL;
	}
	if (fd_stat(fd, &st) != IRK_OK || !S_ISREG(st.mode)) {
		irk_err_set(err, S_ISDIR(st.mode) ? EISDIR : EINVAL,
		    "cannot open '%s'", path);
		close(fd);
		return IRK_FAIL;
	}
	if ((f = malloc(sizeof(*f))) == NULL) {
		close(fd);
		irk_err_set(err, ENOMEM, "cannot open '%s'", path);
		return IRK_FAIL;
	}
	f->fd = fd;
	f->st = st;
	f->st_fresh = 1;
	*out = f;
	return IRK_OK;
}

static ssize_t
host_pread(struct irk_file *f, void *buf, size_t len, uint64_t off)
{
	ssize_t n;

	f->st_fresh = 0;
	do {
		n = pread(f->fd, buf, len, (off_t)off);
	} while (n < 0 && errno == EINTR);
	if (n < 0 && errno == ESPIPE)
		n = read(f->fd, buf, len);
	return n;
}

static int
host_fstat(struct irk_file *f, struct irk_stat *st)
{
	if (f->st_fresh) {
		f->st_fresh = 0;
		*st = f->st;
		return IRK_OK;
	}
	return fd_stat(f->fd, st);
}

static void
host_close(struct irk_file *f)
{
	close(f->fd);
	free(f);
}

static int
host_stat(struct irk_fs *fs, const char *path, int follow,
    struct irk_stat *st, struct irk_err *err)
{
	struct host_fs *h = fs->impl;
	int fd, r;

	PROGRESS(h, path, 0);

	fd = root_open(h, path, O_PATH | (follow ? 0 : O_NOFOLLOW));
	if (fd < 0) {
		irk_err_set(err, errno, "cannot stat '%s'", path);
		return IRK_FAIL;
	}
	r = fd_stat(fd, st);
	if (r != IRK_OK)
		irk_err_set(err, errno, "cannot stat '%s'", path);
	close(fd);
	return r;
}

static int
host_readlink(struct irk_fs *fs, const char *path, struct irk_buf *out,
    struct irk_err *err)
{
	struct host_fs *h = fs->impl;
	char target[4096];
	ssize_t n;
	int fd;

	PROGRESS(h, path, 0);

	fd = root_open(h, path, O_PATH | O_NOFOLLOW);
	if (fd < 0) {
		irk_err_set(err, errno, "cannot read link '%s'", path);
		return IRK_FAIL;
	}
	n = readlinkat(fd, "", target, sizeof(target) - 1);
	close(fd);
	if (n < 0) {
		irk_err_set(err, errno, "cannot read link '%s'", path);
		return IRK_FAIL;
	}
	irk_buf_reset(out);
	if (irk_buf_add(out, target, (size_t)n) != IRK_OK) {
		irk_err_set(err, ENAMETOOLONG, "cannot read link '%s'", path);
		return IRK_FAIL;
	}
	return IRK_OK;
}

static int
host_opendir(struct irk_fs *fs, const char *path, struct irk_dir **out,
    struct irk_err *err)
{
	struct host_fs *h = fs->impl;
	struct irk_dir *d;
	int fd;

	PROGRESS(h, path, 1);

	fd = root_open(h, path, O_RDONLY | O_DIRECTORY | O_NONBLOCK);
	if (fd < 0) {
		irk_err_set(err, errno, "cannot open directory '%s'", path);
		return IRK_FAIL;
	}
	if ((d = malloc(sizeof(*d))) == NULL || (d->d = fdopendir(fd)) == NULL) {
		irk_err_set(err, errno, "cannot open directory '%s'", path);
		free(d);
		close(fd);
		return IRK_FAIL;
	}
	*out = d;
	return IRK_OK;
}

static int
host_readdir(struct irk_dir *d, struct irk_dirent *ent)
{
	struct dirent *de;

	for (;;) {
		errno = 0;
		if ((de = readdir(d->d)) == NULL)
			return errno ? IRK_FAIL : 0;
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (strlen(de->d_name) >= sizeof(ent->name))
			continue;
		memcpy(ent->name, de->d_name, strlen(de->d_name) + 1);
		switch (de->d_type) {
		case DT_REG: ent->type = S_IFREG; break;
		case DT_DIR: ent->type = S_IFDIR; break;
		case DT_LNK: ent->type = S_IFLNK; break;
		case DT_FIFO: ent->type = S_IFIFO; break;
		case DT_SOCK: ent->type = S_IFSOCK; break;
		case DT_CHR: ent->type = S_IFCHR; break;
		case DT_BLK: ent->type = S_IFBLK; break;
		default: ent->type = 0; break;
		}
		return 1;
	}
}

/* A name from readdir: one component, no link followed, so it cannot
 * leave the directory (and the directory is inside the root). */
static int
host_dirstat(struct irk_dir *d, const char *name, struct irk_stat *st,
    struct irk_err *err)
{
	struct statx sx;

	if (strchr(name, '/') != NULL || strcmp(name, "..") == 0 ||
	    strcmp(name, ".") == 0) {
		irk_err_set(err, EINVAL, "cannot stat '%s': not a name", name);
		return IRK_FAIL;
	}
	if (statx(dirfd(d->d), name, AT_SYMLINK_NOFOLLOW |
	    AT_STATX_DONT_SYNC, STATX_BASIC_STATS | STATX_BTIME, &sx) != 0) {
		irk_err_set(err, errno, "cannot stat '%s'", name);
		return IRK_FAIL;
	}
	fill_stat(st, &sx);
	return IRK_OK;
}

static void
host_closedir(struct irk_dir *d)
{
	if (d != NULL) {
		closedir(d->d);
		free(d);
	}
}

static void
host_free(struct irk_fs *fs)
{
	struct host_fs *h = fs->impl;

	close(h->rootfd);
	free(h->root);
	free(h);
}

static const struct irk_fs_ops host_ops = {
	host_open, host_pread, host_fstat, host_close, host_stat,
	host_readlink, host_opendir, host_readdir, host_closedir, host_free,
	host_dirstat,
};

/*
 * IRKIT_FS_NO_OPENAT2=1 takes the userspace walk even where openat2
 * exists: a diagnostic switch (docs/collect.md), used by the tests.
 */
static int
walk_forced(void)
{
	const char *v = getenv("IRKIT_FS_NO_OPENAT2");

	return v != NULL && strcmp(v, "1") == 0;
}

int
irk_fs_host_open(struct irk_fs **out, const char *root, struct irk_err *err)
{
	struct host_fs *h;
	char *real;

	if (root == NULL || *root == '\0')
		root = "/";
	if ((real = realpath(root, NULL)) == NULL) {
		irk_err_set(err, errno, "cannot use root '%s'", root);
		return IRK_FAIL;
	}
	if ((h = calloc(1, sizeof(*h))) == NULL) {
		free(real);
		irk_err_set(err, ENOMEM, "cannot use root '%s'", root);
		return IRK_FAIL;
	}
	h->rootfd = open(real, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (h->rootfd < 0) {
		irk_err_set(err, errno, "cannot use root '%s'", root);
		free(real);
		free(h);
		return IRK_FAIL;
	}
	h->root = real;
	h->no_openat2 = walk_forced();
	h->pub.ops = &host_ops;
	h->pub.kind = "host";
	h->pub.live = strcmp(real, "/") == 0;
	h->pub.impl = h;
	*out = &h->pub;
	return IRK_OK;
}

void
irk_fs_host_set_progress(struct irk_fs *fs, irk_fs_progress_fn fn, void *arg)
{
	struct host_fs *h;

	if (fs == NULL || fs->ops != &host_ops)
		return;
	h = fs->impl;
	h->progress = fn;
	h->progress_arg = arg;
}

const char *
irk_fs_host_root(const struct irk_fs *fs)
{
	if (fs == NULL || fs->ops != &host_ops)
		return NULL;
	return ((const struct host_fs *)fs->impl)->root;
}

int
irk_fs_host_wrap_fd(struct irk_fs *fs, int fd, struct irk_file **out,
    struct irk_err *err)
{
	struct irk_file *f;

	(void)fs;
	if ((f = malloc(sizeof(*f))) == NULL) {
		irk_err_set(err, ENOMEM, "out of memory");
		return IRK_FAIL;
	}
	f->fd = fd;
	f->st_fresh = 0;
	*out = f;
	return IRK_OK;
}

void
irk_fs_host_tell(struct irk_fs *fs, const char *path, int isdir)
{
	struct host_fs *h;

	if (fs == NULL || fs->ops != &host_ops)
		return;
	h = fs->impl;
	PROGRESS(h, path, isdir);
}

int
irk_fs_host_fd(const struct irk_fs *fs, struct irk_file *f)
{
	if (fs == NULL || f == NULL || fs->ops != &host_ops)
		return -1;
	f->st_fresh = 0;	/* read through the fd: fstat asks again */
	return f->fd;
}
