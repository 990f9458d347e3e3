/*
 * fs.h - the small filesystem interface every collector is written
 * against, so that one collector runs on a live host (fs_host.c, with a
 * --root prefix) and inside a disk image (the analyzer's fs_image.c).
 *
 * All paths are absolute paths as seen on the target ("/etc/passwd"),
 * never with the root prefix.  Implementations never let a path or a
 * symbolic link escape the root: an absolute link target is taken
 * relative to the root, ".." stops at the root.
 */
#ifndef IRKIT_FS_H
#define IRKIT_FS_H

#include <stdint.h>
#include <sys/types.h>

#include "irkit/buf.h"
#include "irkit/err.h"

#define IRK_TIME_NONE INT64_MIN	/* a time the source does not keep */

struct irk_stat {
	uint64_t dev;
	uint64_t ino;
	uint32_t mode;		/* st_mode bits: type and permissions */
	uint32_t nlink;
	uint32_t uid;
	uint32_t gid;
	uint64_t size;
	int64_t atime;		/* microseconds since the epoch, UTC */
	int64_t mtime;
	int64_t ctime;
	int64_t btime;		/* IRK_TIME_NONE where unknown */
};

struct irk_dirent {
	char name[256];
	uint32_t type;		/* S_IFREG, S_IFDIR, S_IFLNK... or 0 */
};

struct irk_fs;
struct irk_file;
struct irk_dir;

struct irk_fs_ops {
	/* Open a file for reading, following links inside the root. */
	int (*open)(struct irk_fs *, const char *path, struct irk_file **,
	    struct irk_err *);
	/* Bytes read at off, 0 at EOF, -1 on error (errno set). */
	ssize_t (*pread)(struct irk_file *, void *buf, size_t len,
	    uint64_t off);
	int (*fstat)(struct irk_file *, struct irk_stat *);
	void (*close)(struct irk_file *);
	/* follow: 1 to follow a final link (inside the root), 0 for lstat. */
	int (*stat)(struct irk_fs *, const char *path, int follow,
	    struct irk_stat *, struct irk_err *);
	/* The link's target as stored, NUL-terminated in out. */
	int (*readlink)(struct irk_fs *, const char *path, struct irk_buf *out,
	    struct irk_err *);
	int (*opendir)(struct irk_fs *, const char *path, struct irk_dir **,
	    struct irk_err *);
	/* 1 with an entry ("." and ".." are skipped), 0 at end, <0 error. */
	int (*readdir)(struct irk_dir *, struct irk_dirent *);
	void (*closedir)(struct irk_dir *);
	void (*free)(struct irk_fs *);
	/* lstat of name, an entry of the open directory d (no link
	 * followed); NULL where stat of the path is as cheap */
	int (*dirstat)(struct irk_dir *d, const char *name,
	    struct irk_stat *, struct irk_err *);
};

struct irk_fs {
	const struct irk_fs_ops *ops;
	const char *kind;	/* "host", "image" */
	int live;		/* 1 when /proc and /sys are the running host's */
	void *impl;
};

/* The live host (or a fake root for tests): root is the prefix, "/" default. */
int irk_fs_host_open(struct irk_fs **out, const char *root, struct irk_err *);

/*
 * Wrap an fd opened by the caller (e.g. /proc/<pid>/exe, a magic link
 * the root-confined open refuses) as an irk_file of a host fs.  The fd is
 * owned by the file afterwards.
 */
int irk_fs_host_wrap_fd(struct irk_fs *fs, int fd, struct irk_file **out,
    struct irk_err *err);

/*
 * Progress: fn is called with every path a host fs opens, stats, reads
 * as a link or lists (isdir 1).  Called often: keep it cheap.
 */
typedef void (*irk_fs_progress_fn)(void *arg, const char *path, int isdir);
void irk_fs_host_set_progress(struct irk_fs *fs, irk_fs_progress_fn fn,
    void *arg);

/* The descriptor of a file of a host fs (to map it), or -1 for other fs;
 * still owned by the file. */
int irk_fs_host_fd(const struct irk_fs *fs, struct irk_file *f);

/*
 * Tell a host fs's progress function of path (as if looked at), for a
 * walker whose files are opened on other threads; nothing on other fs.
 * Call it from the thread that walks only.
 */
void irk_fs_host_tell(struct irk_fs *fs, const char *path, int isdir);

/* The host root prefix given to irk_fs_host_open, or NULL for other fs. */
const char *irk_fs_host_root(const struct irk_fs *fs);

static inline int
irk_fs_open(struct irk_fs *fs, const char *path, struct irk_file **f,
    struct irk_err *err)
{
	return fs->ops->open(fs, path, f, err);
}

static inline ssize_t
irk_fs_pread(struct irk_fs *fs, struct irk_file *f, void *buf, size_t len,
    uint64_t off)
{
	return fs->ops->pread(f, buf, len, off);
}

static inline void
irk_fs_close(struct irk_fs *fs, struct irk_file *f)
{
	if (f != NULL)
		fs->ops->close(f);
}

/* lstat of name in the open directory d, whose path joined with it is
 * path: relative to d where the file system can, else by path. */
static inline int
irk_fs_dirstat(struct irk_fs *fs, struct irk_dir *d, const char *name,
    const char *path, struct irk_stat *st, struct irk_err *err)
{
	if (fs->ops->dirstat != NULL)
		return fs->ops->dirstat(d, name, st, err);
	return fs->ops->stat(fs, path, 0, st, err);
}

static inline void
irk_fs_free(struct irk_fs *fs)
{
	if (fs != NULL)
		fs->ops->free(fs);
}

/*
 * Read a whole file into b (which keeps its own maximum).  Returns IRK_OK,
 * IRK_TOOBIG (b holds the first b->max bytes) or IRK_FAIL.  If st is not
 * NULL it receives the opened file's fstat.
 */
int irk_fs_read_file(struct irk_fs *fs, const char *path, struct irk_buf *b,
    struct irk_stat *st, struct irk_err *err);

/*
 * Resolve links in path inside the root, writing the canonical path in
 * out.  Used to report where a link really points (unit enablement links,
 * masked units).  Fails on loops (more than 40 links).
 */
int irk_fs_resolve(struct irk_fs *fs, const char *path, struct irk_buf *out,
    struct irk_err *err);

/*
 * The walk of a path inside a root shared by irk_fs_resolve and fs_host
 * (kernels without openat2), in fs_walk.c: components one at a time,
 * "." skipped, ".." never above the root, links expanded in place (an
 * absolute target restarts at the root), at most IRK_WALK_MAXLINKS links.
 * The walker keeps the path reached so far ("" for the root, else
 * "/a/b"), made only of names its step entered; the step does the looking.
 */
#define IRK_WALK_PATH_MAX 4096
#define IRK_WALK_NAME_MAX 256
#define IRK_WALK_MAXLINKS 40

struct irk_walk_ops {
	/*
	 * Look at name in the directory dir (the path reached so far).  last:
	 * nothing follows name; follow: a link there is to be followed.
	 * Returns 0 when name is entered (not a link, or not followed), 1 for
	 * a link to follow with its target in link, -1 with errno set.
	 */
	int (*step)(void *ctx, const char *dir, const char *name, int last,
	    int follow, struct irk_buf *link);
	/* The walk went up to dir (a "..", or an absolute target: ""). */
	void (*up)(void *ctx, const char *dir);
};

/*
 * Walk path, following a final link when follow_last.  Leaves the path
 * reached in cur (cursz bytes).  Returns 0, or -1 with errno set: ELOOP,
 * ENAMETOOLONG, ENOENT (an empty link target) or the step's.
 */
int irk_fs_walk(const char *path, int follow_last,
    const struct irk_walk_ops *ops, void *ctx, char *cur, size_t cursz);

/* Join dir and name with one "/" into out (bounded); IRK_TOOBIG if long. */
int irk_path_join(char *out, size_t outlen, const char *dir, const char *name);

/* 1 if path is one of list's n paths or under one ("/a" holds "/a/b",
 * not "/ab"; a trailing "/" of an entry is ignored), else 0. */
int irk_path_under_any(const char *path, const char *const *list, size_t n);

#endif
