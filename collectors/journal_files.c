/*
 * journal_files.c - the journal_files collector: copies the systemd
 * journal files raw, never parsed (libsystemd has no static library;
 * irkit-analyze's journal collector parses the copies, docs/journal.md).
 *
 * Two sources, each a folder of journal folders: /var/log/journal (the
 * persistent journal) and /run/log/journal (the volatile one of a
 * running host).  In each, the files named *.journal or *.journal~ (a
 * file journald found dirty and set aside) directly in it or in one
 * folder below (<machine-id>/, <machine-id>.<namespace>/, remote/),
 * system and user journals alike, are copied newest first (by mtime)
 * until the source's cap (opts->journal_max, --journal-max) is reached;
 * the files left out are named in one log entry.
 *
 * Bounded: at most DIRS_MAX folders and FILES_MAX files per source, no
 * link followed, nothing deeper than one folder.  Where the sink keeps
 * no contents (irkit-analyze image: the files are in the image already)
 * there is nothing to copy and the collector does nothing.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "irkit/collect.h"
#include "irkit/journal_files.h"
#include "irkit/timeutil.h"
#include "irkit/banned.h"

#define DIRS_MAX	256		/* folders of one source */
#define FILES_MAX	8192		/* journal files of one source */
#define ENTRIES_MAX	65536		/* names listed in one folder */
#define JOURNAL_MAX_DEFAULT	(1ull << 30)	/* per source */

const char *const irk_journal_sources[] = { "/var/log/journal",
    "/run/log/journal", NULL };

/* One source being listed. */
struct jlist {
	struct irk_collect *c;
	const char *source;
	struct irk_jfiles *out;
	size_t n0;		/* files out held before this source */
	size_t dirs;
	int full;		/* FILES_MAX reached */
};

/* Is name a journal file's name (*.journal, *.journal~)? */
static int
journal_name(const char *name)
{
	size_t n = strlen(name);

	if (n > 8 && strcmp(name + n - 8, ".journal") == 0)
		return 1;
	return n > 9 && strcmp(name + n - 9, ".journal~") == 0;
}

static int
add_file(struct jlist *l, const char *path, const struct irk_stat *st)
{
	struct irk_jfiles *o = l->out;

	if (o->n - l->n0 == FILES_MAX) {
		if (!l->full)
			irk_collect_log(l->c, IRK_LOG_WARN, l->source, 0,
			    "more than %u journal files: the rest is not "
			    "looked at", FILES_MAX);
		l->full = 1;
		return IRK_WARN;
	}
	if (o->n == o->cap) {
		size_t nc = o->cap ? o->cap * 2 : 64;
		struct irk_jfile *v = realloc(o->v, nc * sizeof(*v));

		if (v == NULL)
			return IRK_FATAL;
		o->v = v;
		o->cap = nc;
	}
	if ((o->v[o->n].path = strdup(path)) == NULL)
		return IRK_FATAL;
	o->v[o->n].size = st->size;
	o->v[o->n].mtime = st->mtime;
	o->n++;
	return IRK_OK;
}

static int list_dir(struct jlist *l, const char *dir, int depth);

/* One name of a listed folder: a journal file, or a folder to enter. */
static int
list_entry(struct jlist *l, struct irk_dir *d, const char *dir,
    const char *name, int depth)
{
	char path[4096];
	struct irk_stat st;
	struct irk_err err;

	if (irk_path_join(path, sizeof(path), dir, name) != IRK_OK)
		return IRK_OK;
	if (irk_fs_dirstat(l->c->fs, d, name, path, &st, &err) != IRK_OK) {
		irk_collect_log_err(l->c, IRK_LOG_WARN, path, &err);
		return IRK_WARN;
	}
	if (S_ISREG(st.mode) && journal_name(name))
		return add_file(l, path, &st);
	if (S_ISDIR(st.mode) && depth == 0) {
		if (++l->dirs > DIRS_MAX) {
			if (l->dirs == DIRS_MAX + 1)
				irk_collect_log(l->c, IRK_LOG_WARN, l->source,
				    0, "more than %u folders: the rest is not "
				    "looked at", DIRS_MAX);
			return IRK_WARN;
		}
		return list_dir(l, path, 1);
	}
	return IRK_OK;
}

/* The journal files of dir, and of its folders when depth is 0. */
static int
list_dir(struct jlist *l, const char *dir, int depth)
{
	struct irk_collect *c = l->c;
	struct irk_dir *d;
	struct irk_dirent de;
	struct irk_err err;
	size_t n = 0;
	int r = IRK_OK, rd;

	if (c->fs->ops->opendir(c->fs, dir, &d, &err) != IRK_OK) {
		if (err.errnum == ENOENT || err.errnum == ENOTDIR)
			return IRK_OK;
		irk_collect_log_err(c, IRK_LOG_ERROR, dir, &err);
		return IRK_FAIL;
	}
	while ((rd = c->fs->ops->readdir(d, &de)) == 1 && r != IRK_FATAL &&
	    !l->full) {
		if (++n > ENTRIES_MAX) {
			irk_collect_log(c, IRK_LOG_WARN, dir, 0, "more than %u "
			    "entries: the rest is not read", ENTRIES_MAX);
			r = irk_worst(r, IRK_WARN);
			break;
		}
		r = irk_worst(r, list_entry(l, d, dir, de.name, depth));
	}
	if (rd < 0) {
		irk_collect_log(c, IRK_LOG_ERROR, dir, errno, "cannot list");
		r = irk_worst(r, IRK_FAIL);
	}
	c->fs->ops->closedir(d);
	return r;
}

/* Newest first; the same mtime by path, so the order is stable. */
static int
newest_first(const void *a, const void *b)
{
	const struct irk_jfile *x = a, *y = b;

	if (x->mtime != y->mtime)
		return x->mtime < y->mtime ? 1 : -1;
	return strcmp(x->path, y->path);
}

int
irk_journal_list(struct irk_collect *c, const char *source,
    struct irk_jfiles *out)
{
	struct jlist l;
	int r;

	memset(&l, 0, sizeof(l));
	l.c = c;
	l.source = source;
	l.out = out;
	l.n0 = out->n;
	r = list_dir(&l, source, 0);
	if (out->n > l.n0)	/* out->v is NULL while the list is empty */
		qsort(out->v + l.n0, out->n - l.n0, sizeof(*out->v),
		    newest_first);
	return r;
}

void
irk_journal_files_free(struct irk_jfiles *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].path);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* Say once which files the cap left out. */
static void
log_left_out(struct irk_collect *c, const char *source, uint64_t cap,
    size_t nout, uint64_t bytes, const struct irk_jfile *newest_out)
{
	char when[IRK_TIME_LEN];

	(void)irk_time_fmt(newest_out->mtime, when);
	irk_collect_log(c, IRK_LOG_WARN, source, 0,
	    "journal cap of %llu bytes reached: %zu file(s) of %llu bytes "
	    "left out, the newest '%s' (modified %s)",
	    (unsigned long long)cap, nout, (unsigned long long)bytes,
	    newest_out->path, when);
}

/* Copy the files of l (newest first) within the cap. */
static int
copy_files(struct irk_collect *c, const char *source,
    const struct irk_jfiles *l, uint64_t cap)
{
	uint64_t used = 0, out_bytes = 0;
	const struct irk_jfile *newest_out = NULL;
	size_t nout = 0;
	int r = IRK_OK;

	for (size_t i = 0; i < l->n && r != IRK_FATAL; i++) {
		if (l->v[i].size > cap - used) {
			if (newest_out == NULL)
				newest_out = &l->v[i];
			nout++;
			out_bytes += l->v[i].size;
			continue;
		}
		used += l->v[i].size;
		r = irk_worst(r, irk_collect_file(c, l->v[i].path,
		    "systemd journal", NULL));
	}
	if (r != IRK_FATAL && nout > 0) {
		log_left_out(c, source, cap, nout, out_bytes, newest_out);
		r = irk_worst(r, IRK_WARN);
	}
	return r;
}

static int
collect_source(struct irk_collect *c, const char *source)
{
	struct irk_jfiles l;
	uint64_t cap = c->opts != NULL && c->opts->journal_max > 0 ?
	    c->opts->journal_max : JOURNAL_MAX_DEFAULT;
	int r;

	memset(&l, 0, sizeof(l));
	r = irk_journal_list(c, source, &l);
	if (r != IRK_FATAL && l.n > 0)
		r = irk_worst(r, copy_files(c, source, &l, cap));
	irk_journal_files_free(&l);
	return r;
}

static int
collect_journal_files(struct irk_collect *c)
{
	int r = IRK_OK;

	if (c->sink->file == NULL)
		return IRK_OK;	/* the files are in the image already */
	for (size_t i = 0; irk_journal_sources[i] != NULL && r != IRK_FATAL;
	    i++)
		r = irk_worst(r, collect_source(c, irk_journal_sources[i]));
	return c->fatal ? IRK_FATAL : r;
}

const struct irk_collector irk_collector_journal_files = {
	"journal_files", "systemd journal files (copied raw, newest first)",
	IRK_SRC_LIVE | IRK_SRC_LINUX_ROOT, collect_journal_files
};
