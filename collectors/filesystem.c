/*
 * filesystem.c - the filesystem collector: the file-system timeline of a
 * live host or a mounted root, what `fls -m` gives for a disk image.
 * One fs_entry record per name under each walk root (docs/FORMAT.md
 * 4.5): path, inode, type and mode, owner, size and the four times
 * statx(2) gives (birth time where the file system keeps it), in
 * microseconds.  Not in the default set (it costs more than all the
 * other collectors together): irkit-collect --with filesystem.
 *
 * The walk is depth first with one open directory per level, stats each
 * name relative to its directory (never following a link), and holds
 * nothing else: the records stream to the sink.  It does not cross into
 * another mount (a directory whose device differs from its root's) unless
 * asked, never enters /proc, /sys or /dev, and skips the excluded paths.
 * Bounds: IRK_WALK_PATH_MAX bytes of path, WALK_DEPTH levels; what is left
 * out for a bound or an error is said in the log.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "irkit/buf.h"
#include "irkit/collect.h"
#include "irkit/json.h"
#include "irkit/banned.h"

#define WALK_DEPTH	256
#define LINK_MAX_LEN	4096

struct fs_walk {
	struct irk_collect *c;
	uint64_t dev;			/* the walk root's device */
	int cross;			/* descend into other mounts */
	struct irk_buf link;
	int r;				/* the worst so far */
};

/* Never walked, whatever the options: the kernel's own views. */
static const char *const pseudo[] = { "/proc", "/sys", "/dev", NULL };

static int
excluded(struct fs_walk *w, const char *path)
{
	const struct irk_collect_opts *o = w->c->opts;
	size_t np = 0;

	while (pseudo[np] != NULL)
		np++;
	return irk_path_under_any(path, pseudo, np) ||
	    irk_path_under_any(path, o->walk_excludes, o->nwalk_excludes) ||
	    irk_path_under_any(path, o->excludes, o->nexcludes);
}

static const char *
kind(uint32_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG: return "file";
	case S_IFDIR: return "dir";
	case S_IFLNK: return "link";
	case S_IFIFO: return "fifo";
	case S_IFSOCK: return "socket";
	case S_IFCHR: return "char";
	case S_IFBLK: return "block";
	default: return "unknown";
	}
}

/* The record of one name; IRK_FATAL only when the sink is broken. */
static int
entry(struct fs_walk *w, const char *path, const struct irk_stat *st)
{
	struct irk_err err;
	json_t *rec;
	char mode[16];

	if ((rec = irk_record_new("fs_entry")) == NULL)
		return IRK_FATAL;
	irk_json_set_str(rec, "path", path);
	irk_json_set_str(rec, "kind", kind(st->mode));
	/* type bits too ("0100644"), as export --format bodyfile reads */
	(void)snprintf(mode, sizeof(mode), "%07o", st->mode & 0177777);
	(void)irk_json_set_stat(rec, st);
	irk_json_set_str(rec, "mode", mode);
	irk_json_set_int(rec, "dev", (int64_t)st->dev);
	irk_json_set_int(rec, "nlink", st->nlink);
	if (S_ISLNK(st->mode)) {
		if (w->c->fs->ops->readlink(w->c->fs, path, &w->link, &err) ==
		    IRK_OK && w->link.len < LINK_MAX_LEN)
			irk_json_set_strn(rec, "target", w->link.data,
			    w->link.len);
		else
			json_object_set_new(rec, "target", json_null());
	}
	return irk_collect_record(w->c, rec) == IRK_FATAL ? IRK_FATAL :
	    IRK_OK;
}

static int walk_dir(struct fs_walk *, char *path, size_t len, int depth);

/* One name of a directory at path[0..len). */
static int
walk_name(struct fs_walk *w, struct irk_dir *d, char *path, size_t len,
    const char *name, int depth)
{
	struct irk_stat st;
	struct irk_err err;
	size_t nl = strlen(name);
	int r;

	if (len + 1 + nl >= IRK_WALK_PATH_MAX) {
		path[len] = '\0';
		irk_collect_log(w->c, IRK_LOG_WARN, path, ENAMETOOLONG,
		    "'%s': a name in it is over the path bound, not walked",
		    name);
		return IRK_WARN;
	}
	if (len > 1)
		path[len++] = '/';
	else if (len == 0)
		path[len++] = '/';
	memcpy(path + len, name, nl + 1);
	len += nl;
	if (excluded(w, path))
		return IRK_OK;
	if (irk_fs_dirstat(w->c->fs, d, name, path, &st, &err) != IRK_OK) {
		irk_collect_log_err(w->c, IRK_LOG_WARN, path, &err);
		return IRK_WARN;
	}
	if ((r = entry(w, path, &st)) == IRK_FATAL)
		return r;
	if (!S_ISDIR(st.mode))
		return IRK_OK;
	if (st.dev != w->dev && !w->cross)
		return IRK_OK;	/* a mount point: its own entry only */
	if (depth + 1 >= WALK_DEPTH) {
		irk_collect_log(w->c, IRK_LOG_WARN, path, 0, "deeper than %d "
		    "levels: not walked", WALK_DEPTH);
		return IRK_WARN;
	}
	return walk_dir(w, path, len, depth + 1);
}

/* The directory at path[0..len), path NUL-terminated there. */
static int
walk_dir(struct fs_walk *w, char *path, size_t len, int depth)
{
	struct irk_dirent de;
	struct irk_dir *d;
	struct irk_err err;
	int r = IRK_OK, n;

	if (w->c->fs->ops->opendir(w->c->fs, path, &d, &err) != IRK_OK) {
		irk_collect_log_err(w->c, IRK_LOG_WARN, path, &err);
		return IRK_WARN;
	}
	while ((n = w->c->fs->ops->readdir(d, &de)) == 1) {
		r = irk_worst(r, walk_name(w, d, path, len, de.name, depth));
		path[len] = '\0';
		if (r == IRK_FATAL)
			break;
	}
	if (n < 0) {
		irk_collect_log(w->c, IRK_LOG_WARN, path, errno, "directory "
		    "listing cut short");
		r = irk_worst(r, IRK_WARN);
	}
	w->c->fs->ops->closedir(d);
	return r;
}

/* One walk root: its own entry, then what is under it. */
static int
walk_root(struct fs_walk *w, const char *root)
{
	char path[IRK_WALK_PATH_MAX];
	struct irk_stat st;
	struct irk_err err;
	size_t len = strlen(root);
	int r;

	while (len > 1 && root[len - 1] == '/')
		len--;
	if (root[0] != '/' || len >= sizeof(path)) {
		irk_collect_log(w->c, IRK_LOG_ERROR, root, 0, "a walk root is "
		    "an absolute path on the target");
		return IRK_FAIL;
	}
	memcpy(path, root, len);
	path[len] = '\0';
	if (w->c->fs->ops->stat(w->c->fs, path, 0, &st, &err) != IRK_OK) {
		irk_collect_log_err(w->c, IRK_LOG_ERROR, path, &err);
		return IRK_FAIL;
	}
	w->dev = st.dev;
	if ((r = entry(w, path, &st)) != IRK_OK || !S_ISDIR(st.mode))
		return r;
	return walk_dir(w, path, len, 0);
}

static int
filesystem_collect(struct irk_collect *c)
{
	static const char *const root_only[] = { "/" };
	const struct irk_collect_opts *o = c->opts;
	const char *const *roots = o->nwalk_roots ? o->walk_roots : root_only;
	size_t n = o->nwalk_roots ? o->nwalk_roots : 1;
	struct fs_walk w;
	int r = IRK_OK;

	memset(&w, 0, sizeof(w));
	w.c = c;
	w.cross = o->walk_cross_mounts;
	irk_buf_init(&w.link, LINK_MAX_LEN + 1);
	for (size_t i = 0; i < n && r != IRK_FATAL; i++)
		r = irk_worst(r, walk_root(&w, roots[i]));
	irk_buf_release(&w.link);
	return r;
}

const struct irk_collector irk_collector_filesystem = {
	"filesystem", "file-system timeline: every name's inode, mode, "
	"owner, size and MACB times",
	IRK_SRC_LIVE | IRK_SRC_LINUX_ROOT | IRK_SRC_ON_REQUEST,
	filesystem_collect,
};
