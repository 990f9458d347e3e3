/*
 * fs_spool.c - struct irk_fs over an archive's members, spooled while
 * ingest reads them once (see fs_spool.h).
 *
 * The index is a tree of nodes, one per name (members and the folders
 * their names imply); a node's children are a list in the order they
 * came, found by (parent, name) in one hash map.  Contents live in one
 * unlinked temporary file at the offsets the nodes keep.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fs_spool.h"
#include "irkit/strmap.h"
#include "irkit/banned.h"

#define SPOOL_NAME_MAX	255
#define SPOOL_PATH_MAX	4095
#define SPOOL_KEY_MAX	(32 + SPOOL_NAME_MAX + 1)
#define SPOOL_DEFAULT_NODES	(4u << 20)

struct snode {
	struct snode *parent, *child, *last, *next;
	struct snode *all;		/* every node, to free them */
	char *link;			/* a symbolic link's target */
	uint64_t off;			/* content at off in the spool */
	struct irk_stat st;
	int has_data;			/* st.size bytes at off */
	const char *why;		/* no content: why */
	char name[];
};

struct irk_spool {
	struct irk_spool_opts o;
	int fd;				/* -1 when content is off or broken */
	uint64_t used;
	uint64_t unspooled;
	size_t nnodes;
	uint64_t next_ino;
	struct irk_strmap kids;		/* "<parent>/<name>" -> node */
	struct snode *root, *all;
	/* the file receiving bytes */
	struct snode *cur;
	const char *cur_name;
	uint64_t cur_start, cur_len;
};

static void
spool_say(struct irk_spool *sp, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
spool_say(struct irk_spool *sp, const char *path, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (sp->o.log == NULL)
		return;
	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	sp->o.log(sp->o.log_arg, path, msg);
}

static void
kid_key(char *key, size_t len, const struct snode *parent, const char *name)
{
	(void)snprintf(key, len, "%p/%s", (const void *)parent, name);
}

/* The child of d named name (ASCII case ignored with nocase), or NULL. */
static struct snode *
kid_find(const struct irk_spool *sp, const struct snode *d, const char *name,
    int nocase)
{
	char key[SPOOL_KEY_MAX];
	struct snode *n;

	kid_key(key, sizeof(key), d, name);
	if ((n = irk_strmap_get(&sp->kids, key)) != NULL || !nocase)
		return n;
	for (n = d->child; n != NULL; n = n->next)
		if (strcasecmp(n->name, name) == 0)
			return n;
	return NULL;
}

static struct snode *
node_new(struct irk_spool *sp, struct snode *parent, const char *name,
    size_t len)
{
	char key[SPOOL_KEY_MAX];
	struct snode *n;

	if (sp->nnodes >= sp->o.max_nodes) {
		errno = ENOSPC;
		return NULL;
	}
	if ((n = calloc(1, sizeof(*n) + len + 1)) == NULL)
		return NULL;
	memcpy(n->name, name, len);
	n->st.mode = S_IFDIR | 0755;
	n->st.nlink = 1;
	n->st.ino = ++sp->next_ino;
	n->st.atime = n->st.mtime = n->st.ctime = n->st.btime =
	    IRK_TIME_NONE;
	if (parent != NULL) {
		kid_key(key, sizeof(key), parent, n->name);
		if (irk_strmap_put(&sp->kids, key, n) != 0) {
			free(n);
			return NULL;
		}
		n->parent = parent;
		if (parent->last != NULL)
			parent->last->next = n;
		else
			parent->child = n;
		parent->last = n;
	}
	n->all = sp->all;
	sp->all = n;
	sp->nnodes++;
	return n;
}

static int
open_tmp(const char *dir, struct irk_err *err)
{
	char tmpl[4200];
	int fd;

	if (dir == NULL || *dir == '\0')
		dir = ".";
#ifdef O_TMPFILE
	fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd >= 0)
		return fd;
#endif
	if (snprintf(tmpl, sizeof(tmpl), "%s/.irkit-spool-XXXXXX", dir) >=
	    (int)sizeof(tmpl)) {
		irk_err_set(err, ENAMETOOLONG, "spool folder name too long");
		return -1;
	}
	if ((fd = mkostemp(tmpl, O_CLOEXEC)) < 0) {
		irk_err_set(err, errno, "cannot create the spool in '%s'", dir);
		return -1;
	}
	(void)unlink(tmpl);
	return fd;
}

int
irk_spool_open(struct irk_spool **out, const struct irk_spool_opts *o,
    struct irk_err *err)
{
	struct irk_spool *sp;

	if ((sp = calloc(1, sizeof(*sp))) == NULL) {
		irk_err_set(err, ENOMEM, "cannot make the spool");
		return IRK_FAIL;
	}
	sp->o = *o;
	if (sp->o.max_nodes == 0)
		sp->o.max_nodes = SPOOL_DEFAULT_NODES;
	if (sp->o.max_file > sp->o.max_total)
		sp->o.max_file = sp->o.max_total;
	sp->fd = -1;
	irk_strmap_init(&sp->kids, NULL);
	if ((sp->root = node_new(sp, NULL, "", 0)) == NULL) {
		irk_spool_free(sp);
		irk_err_set(err, ENOMEM, "cannot make the spool");
		return IRK_FAIL;
	}
	if (sp->o.max_total > 0 && (sp->fd = open_tmp(o->dir, err)) < 0) {
		irk_spool_free(sp);
		return IRK_FAIL;
	}
	*out = sp;
	return IRK_OK;
}

void
irk_spool_free(struct irk_spool *sp)
{
	struct snode *n, *next;

	if (sp == NULL)
		return;
	for (n = sp->all; n != NULL; n = next) {
		next = n->all;
		free(n->link);
		free(n);
	}
	irk_strmap_release(&sp->kids);
	if (sp->fd >= 0)
		(void)close(sp->fd);
	free(sp);
}

uint64_t
irk_spool_bytes(const struct irk_spool *sp)
{
	return sp->used;
}

uint64_t
irk_spool_unspooled(const struct irk_spool *sp)
{
	return sp->unspooled;
}

/* --- names ---------------------------------------------------------- */

/*
 * The next component of a member name at *pp into comp: 1, 0 at the end,
 * or -1 with *why set (refused).  "" and "." are skipped.
 */
static int
name_next(const char **pp, char *comp, const char **why)
{
	for (;;) {
		const char *p = *pp + strspn(*pp, "/");
		size_t cl = strcspn(p, "/");

		*pp = p + cl;
		if (cl == 0)
			return 0;
		if (cl == 1 && p[0] == '.')
			continue;
		if (cl == 2 && p[0] == '.' && p[1] == '.') {
			*why = "a '..' in the name";
			return -1;
		}
		if (cl > SPOOL_NAME_MAX) {
			*why = "a name over 255 bytes";
			return -1;
		}
		memcpy(comp, p, cl);
		comp[cl] = '\0';
		return 1;
	}
}

/*
 * The node for name, with the folders it implies; NULL with *why when
 * refused.  The last node is made when absent (a folder until set).
 */
static struct snode *
node_at(struct irk_spool *sp, const char *name, const char **why)
{
	char comp[SPOOL_NAME_MAX + 1];
	struct snode *d = sp->root, *n;
	const char *p = name;
	int r;

	if (strlen(name) > SPOOL_PATH_MAX) {
		*why = "a name over 4095 bytes";
		return NULL;
	}
	while ((r = name_next(&p, comp, why)) > 0) {
		if (!S_ISDIR(d->st.mode)) {
			*why = "a folder in the name is not a folder";
			return NULL;
		}
		if ((n = kid_find(sp, d, comp, 0)) == NULL &&
		    (n = node_new(sp, d, comp, strlen(comp))) == NULL) {
			*why = errno == ENOSPC ? "too many names for the "
			    "spool's index" : "out of memory";
			return NULL;
		}
		d = n;
	}
	return r < 0 ? NULL : d;
}

/* The node of a name as stored (no creation), or NULL. */
static struct snode *
node_get(const struct irk_spool *sp, const char *name)
{
	char comp[SPOOL_NAME_MAX + 1];
	const struct snode *d = sp->root;
	const char *p = name, *why;
	int r;

	while (d != NULL && (r = name_next(&p, comp, &why)) > 0)
		d = kid_find(sp, d, comp, 0);
	return d != NULL && r == 0 ? (struct snode *)d : NULL;
}

/* --- members -------------------------------------------------------- */

static void
cur_end(struct irk_spool *sp)
{
	struct snode *n = sp->cur;

	if (n == NULL)
		return;
	if (n->has_data)
		n->st.size = sp->cur_len;
	sp->cur = NULL;
	sp->cur_name = NULL;
}

void
irk_spool_end(struct irk_spool *sp)
{
	cur_end(sp);
}

/* The current file gets no content: said, and its bytes given back. */
static void
cur_skip(struct irk_spool *sp, const char *why)
{
	struct snode *n = sp->cur;

	if (n == NULL || !n->has_data)
		return;
	n->has_data = 0;
	n->why = why;
	sp->used = sp->cur_start;
	sp->unspooled++;
	spool_say(sp, sp->cur_name, "not spooled for the collectors: %s",
	    why);
}

void
irk_spool_data(struct irk_spool *sp, const void *buf, size_t len)
{
	struct snode *n = sp->cur;
	const char *p = buf;

	if (n == NULL || !n->has_data || len == 0)
		return;
	if (sp->cur_len + len > sp->o.max_file) {
		cur_skip(sp, "larger than the spool's file limit");
		return;
	}
	if (sp->used + len > sp->o.max_total) {
		cur_skip(sp, "the spool is full");
		return;
	}
	while (len > 0) {
		ssize_t w = pwrite(sp->fd, p, len, (off_t)sp->used);

		if (w <= 0) {
			if (w < 0 && errno == EINTR)
				continue;
			cur_skip(sp, "the spool cannot be written");
			return;
		}
		p += w;
		len -= (size_t)w;
		sp->used += (uint64_t)w;
		sp->cur_len += (uint64_t)w;
	}
}

/* A regular file's content: where it will go, or why not. */
static void
file_start(struct irk_spool *sp, struct snode *n, const char *name)
{
	n->has_data = 0;
	n->why = NULL;
	if (sp->fd < 0) {
		n->why = "content not spooled";
		return;
	}
	sp->cur = n;
	sp->cur_name = name;
	sp->cur_start = n->off = sp->used;
	sp->cur_len = 0;
	n->has_data = 1;
	if (n->st.size > sp->o.max_file)
		cur_skip(sp, "larger than the spool's file limit");
	else if (n->st.size > sp->o.max_total - sp->used)
		cur_skip(sp, "the spool is full");
}

/* Give n the metadata of a member of type t; 0, or -1 with *why. */
static int
node_set(struct irk_spool *sp, struct snode *n, const struct irk_stat *st,
    const char *link, const char **why)
{
	uint64_t ino = n->st.ino;
	char *copy = NULL;

	if (!S_ISDIR(st->mode) && n->child != NULL) {
		*why = "a folder of that name has entries already";
		return -1;
	}
	if (n == sp->root && !S_ISDIR(st->mode)) {
		*why = "a name for the top that is not a folder";
		return -1;
	}
	if (S_ISLNK(st->mode) && (link == NULL || (copy = strdup(link)) ==
	    NULL)) {
		*why = link == NULL ? "a link without a target" :
		    "out of memory";
		return -1;
	}
	free(n->link);
	n->link = copy;
	n->st = *st;
	n->st.ino = ino;
	if (n->st.nlink == 0)
		n->st.nlink = 1;
	if (!S_ISLNK(st->mode) && !S_ISDIR(st->mode) && !S_ISREG(st->mode))
		n->st.size = 0;
	n->has_data = 0;
	n->why = S_ISREG(st->mode) ? "content not given" : NULL;
	return 0;
}

/* A hard link: the content of the member named target, when spooled. */
static int
hardlink_set(struct irk_spool *sp, struct snode *n, const char *target,
    const char **why)
{
	struct snode *t = node_get(sp, target);

	if (t == NULL || t == n || !S_ISREG(t->st.mode)) {
		*why = "a hard link to no file given before";
		n->why = *why;
		return -1;
	}
	n->st.mode = t->st.mode;
	n->st.size = t->st.size;
	n->off = t->off;
	n->has_data = t->has_data;
	n->why = t->why;
	return 0;
}

int
irk_spool_add(struct irk_spool *sp, const char *name,
    const struct irk_stat *st, const char *link, int hardlink)
{
	const char *why = NULL;
	struct snode *n;

	cur_end(sp);
	if ((n = node_at(sp, name, &why)) == NULL)
		goto refused;
	if (node_set(sp, n, st, hardlink ? NULL : link, &why) != 0)
		goto refused;
	if (hardlink) {
		if (hardlink_set(sp, n, link != NULL ? link : "", &why) != 0)
			goto refused;
	} else if (S_ISREG(st->mode))
		file_start(sp, n, name);
	return IRK_OK;
refused:
	spool_say(sp, name, "not in the spool: %s", why);
	return IRK_WARN;
}

/* --- roots ---------------------------------------------------------- */

static int
is_dir_node(const struct snode *n)
{
	return n != NULL && S_ISDIR(n->st.mode);
}

/* The kind of root d is, or 0. */
static int
root_kind(const struct irk_spool *sp, const struct snode *d)
{
	const struct snode *w, *v;

	w = kid_find(sp, d, "Windows", 1);
	if (is_dir_node(w) && is_dir_node(w = kid_find(sp, w, "System32",
	    1)) && is_dir_node(kid_find(sp, w, "config", 1)))
		return IRK_SPOOL_WINDOWS;
	if (!is_dir_node(kid_find(sp, d, "etc", 0)))
		return 0;
	if (is_dir_node(kid_find(sp, d, "usr", 0)))
		return IRK_SPOOL_LINUX;
	v = kid_find(sp, d, "var", 0);
	if (is_dir_node(v) && is_dir_node(kid_find(sp, v, "log", 0)))
		return IRK_SPOOL_LINUX;
	return 0;
}

/* d's path from the top ("" for the top), 0 or -1 when too long. */
static int
node_path(const struct snode *d, char *out, size_t len)
{
	char tmp[1024];
	size_t at = sizeof(tmp) - 1;

	tmp[at] = '\0';
	for (; d != NULL && d->parent != NULL; d = d->parent) {
		size_t nl = strlen(d->name);

		if (nl + 1 > at)
			return -1;
		at -= nl;
		memcpy(tmp + at, d->name, nl);
		if (d->parent->parent != NULL)
			tmp[--at] = '/';
	}
	if (sizeof(tmp) - at > len)
		return -1;
	memcpy(out, tmp + at, sizeof(tmp) - at);
	return 0;
}

/* Roots at exactly level below d (0: d itself), not inside one found. */
static void
roots_at(const struct irk_spool *sp, const struct snode *d, int level,
    struct irk_spool_root *out, size_t max, size_t *n)
{
	const struct snode *k;
	size_t i;

	if (level == 0) {
		int kind = root_kind(sp, d);

		if (kind != 0 && *n < max &&
		    node_path(d, out[*n].prefix, sizeof(out[*n].prefix)) == 0)
			out[(*n)++].kind = kind;
		return;
	}
	for (k = d->child; k != NULL && *n < max; k = k->next) {
		int inside = 0;

		if (!S_ISDIR(k->st.mode))
			continue;
		/* a folder whose path is a found root's is not entered */
		for (i = 0; i < *n && !inside; i++) {
			char p[1024];

			inside = node_path(k, p, sizeof(p)) == 0 &&
			    strcmp(p, out[i].prefix) == 0;
		}
		if (!inside)
			roots_at(sp, k, level - 1, out, max, n);
	}
}

size_t
irk_spool_roots(const struct irk_spool *sp, int depth,
    struct irk_spool_root *out, size_t max)
{
	size_t n = 0;

	/* a root at the top holds no other */
	for (int level = 0; level <= depth && n < max &&
	    (n == 0 || out[0].prefix[0] != '\0'); level++)
		roots_at(sp, sp->root, level, out, max, &n);
	return n;
}

/* --- the file system ------------------------------------------------ */

struct spool_fs {
	struct irk_fs pub;
	struct irk_spool *sp;
	struct snode *top;		/* the view's root */
	int nocase;
};

struct irk_file {
	struct irk_spool *sp;
	const struct snode *n;
};

struct irk_dir {
	const struct spool_fs *v;
	const struct snode *d, *next;
};

struct walk_ctx {
	const struct spool_fs *v;
	const struct snode *cur;
};

static int
walk_step(void *arg, const char *dir, const char *name, int last,
    int follow, struct irk_buf *link)
{
	struct walk_ctx *w = arg;
	const struct snode *n;

	(void)dir;
	if (!S_ISDIR(w->cur->st.mode)) {
		errno = ENOTDIR;
		return -1;
	}
	if ((n = kid_find(w->v->sp, w->cur, name, w->v->nocase)) == NULL) {
		errno = ENOENT;
		return -1;
	}
	if (S_ISLNK(n->st.mode) && follow) {
		if (irk_buf_addstr(link, n->link) != IRK_OK) {
			errno = ENAMETOOLONG;
			return -1;
		}
		return 1;
	}
	if (!last && !S_ISDIR(n->st.mode) && !S_ISLNK(n->st.mode)) {
		errno = ENOTDIR;
		return -1;
	}
	w->cur = n;
	return 0;
}

static void
walk_up(void *arg, const char *dir)
{
	struct walk_ctx *w = arg;

	/* the walker never goes above the root: "" is the view's top */
	if (dir[0] == '\0' || w->cur->parent == NULL || w->cur == w->v->top)
		w->cur = w->v->top;
	else
		w->cur = w->cur->parent;
}

static const struct irk_walk_ops spool_walk = { walk_step, walk_up };

/* The node path names in the view, links followed inside it. */
static const struct snode *
lookup(const struct spool_fs *v, const char *path, int follow,
    struct irk_err *err)
{
	struct walk_ctx w = { v, v->top };
	char cur[IRK_WALK_PATH_MAX];

	if (irk_fs_walk(path, follow, &spool_walk, &w, cur, sizeof(cur)) !=
	    0) {
		irk_err_set(err, errno, "cannot look up '%s'", path);
		return NULL;
	}
	return w.cur;
}

static int
sp_open(struct irk_fs *fs, const char *path, struct irk_file **out,
    struct irk_err *err)
{
	struct spool_fs *v = fs->impl;
	const struct snode *n;
	struct irk_file *f;

	if ((n = lookup(v, path, 1, err)) == NULL)
		return IRK_FAIL;
	if (!S_ISREG(n->st.mode)) {
		irk_err_set(err, EISDIR, "'%s' is not a regular file", path);
		return IRK_FAIL;
	}
	if (!n->has_data) {
		irk_err_set(err, EFBIG, "'%s': %s", path, n->why != NULL ?
		    n->why : "content not spooled");
		return IRK_FAIL;
	}
	if ((f = calloc(1, sizeof(*f))) == NULL) {
		irk_err_set(err, ENOMEM, "cannot open '%s'", path);
		return IRK_FAIL;
	}
	f->sp = v->sp;
	f->n = n;
	*out = f;
	return IRK_OK;
}

static ssize_t
sp_pread(struct irk_file *f, void *buf, size_t len, uint64_t off)
{
	uint64_t size = f->n->st.size;
	ssize_t r;

	if (off >= size)
		return 0;
	if (len > size - off)
		len = (size_t)(size - off);
	do
		r = pread(f->sp->fd, buf, len, (off_t)(f->n->off + off));
	while (r < 0 && errno == EINTR);
	return r;
}

static int
sp_fstat(struct irk_file *f, struct irk_stat *st)
{
	*st = f->n->st;
	return IRK_OK;
}

static void
sp_close(struct irk_file *f)
{
	free(f);
}

static int
sp_stat(struct irk_fs *fs, const char *path, int follow,
    struct irk_stat *st, struct irk_err *err)
{
	const struct snode *n = lookup(fs->impl, path, follow, err);

	if (n == NULL)
		return IRK_FAIL;
	*st = n->st;
	return IRK_OK;
}

static int
sp_readlink(struct irk_fs *fs, const char *path, struct irk_buf *out,
    struct irk_err *err)
{
	const struct snode *n = lookup(fs->impl, path, 0, err);

	if (n == NULL)
		return IRK_FAIL;
	if (!S_ISLNK(n->st.mode)) {
		irk_err_set(err, EINVAL, "'%s' is not a link", path);
		return IRK_FAIL;
	}
	irk_buf_reset(out);
	if (irk_buf_addstr(out, n->link) != IRK_OK) {
		irk_err_set(err, ENAMETOOLONG, "link '%s' too long", path);
		return IRK_FAIL;
	}
	return IRK_OK;
}

static int
sp_opendir(struct irk_fs *fs, const char *path, struct irk_dir **out,
    struct irk_err *err)
{
	const struct spool_fs *v = fs->impl;
	const struct snode *n = lookup(v, path, 1, err);
	struct irk_dir *d;

	if (n == NULL)
		return IRK_FAIL;
	if (!S_ISDIR(n->st.mode)) {
		irk_err_set(err, ENOTDIR, "'%s' is not a directory", path);
		return IRK_FAIL;
	}
	if ((d = calloc(1, sizeof(*d))) == NULL) {
		irk_err_set(err, ENOMEM, "cannot open directory '%s'", path);
		return IRK_FAIL;
	}
	d->v = v;
	d->d = n;
	d->next = n->child;
	*out = d;
	return IRK_OK;
}

static int
sp_readdir(struct irk_dir *d, struct irk_dirent *ent)
{
	while (d->next != NULL) {
		const struct snode *n = d->next;
		size_t len = strlen(n->name);

		d->next = n->next;
		if (len == 0 || len >= sizeof(ent->name))
			continue;
		memcpy(ent->name, n->name, len + 1);
		ent->type = n->st.mode & S_IFMT;
		return 1;
	}
	return 0;
}

static void
sp_closedir(struct irk_dir *d)
{
	free(d);
}

static int
sp_dirstat(struct irk_dir *d, const char *name, struct irk_stat *st,
    struct irk_err *err)
{
	const struct snode *n = strchr(name, '/') != NULL ? NULL :
	    kid_find(d->v->sp, d->d, name, d->v->nocase);

	if (n == NULL) {
		irk_err_set(err, ENOENT, "cannot look up '%s'", name);
		return IRK_FAIL;
	}
	*st = n->st;
	return IRK_OK;
}

static void
sp_free(struct irk_fs *fs)
{
	free(fs->impl);
}

static const struct irk_fs_ops spool_ops = {
	sp_open, sp_pread, sp_fstat, sp_close, sp_stat, sp_readlink,
	sp_opendir, sp_readdir, sp_closedir, sp_free, sp_dirstat,
};

int
irk_fs_spool_open(struct irk_fs **out, struct irk_spool *sp,
    const char *prefix, int nocase, struct irk_err *err)
{
	struct spool_fs *v;
	struct snode *top;

	cur_end(sp);
	top = node_get(sp, prefix != NULL ? prefix : "");
	if (top == NULL || !S_ISDIR(top->st.mode)) {
		irk_err_set(err, ENOENT, "no folder '%s' in the spool",
		    prefix != NULL ? prefix : "");
		return IRK_FAIL;
	}
	if ((v = calloc(1, sizeof(*v))) == NULL) {
		irk_err_set(err, ENOMEM, "cannot open the spool");
		return IRK_FAIL;
	}
	v->sp = sp;
	v->top = top;
	v->nocase = nocase;
	v->pub.ops = &spool_ops;
	v->pub.kind = "spool";
	v->pub.live = 0;
	v->pub.impl = v;
	*out = &v->pub;
	return IRK_OK;
}
