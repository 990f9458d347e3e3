/*
 * fuzz_spool.c - the spool file system (analyzer/fs_spool.c) fed a tar
 * read with libarchive from memory: every member's name, type, link
 * target and content into the spool (small limits, so the caps trip),
 * then the roots found and, over a view of each and of the whole, the
 * paths collectors look at (links followed, "..", loops) read, stat'ed
 * and listed, and the tree walked to a bounded depth.
 *
 * max_len: 262144
 */
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <archive.h>
#include <archive_entry.h>

#include "fs_spool.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
nolog(void *arg, const char *path, const char *msg)
{
	(void)arg;
	(void)path;
	(void)msg;
}

static void
feed(struct irk_spool *sp, struct archive *a)
{
	struct archive_entry *e;
	char buf[4096];
	int n = 0;

	while (n++ < 2000 && archive_read_next_header(a, &e) == ARCHIVE_OK) {
		struct irk_stat st;
		const char *name = archive_entry_pathname(e);
		const char *hl = archive_entry_hardlink(e);
		ssize_t r;

		if (name == NULL)
			continue;
		memset(&st, 0, sizeof(st));
		st.mode = archive_entry_mode(e);
		st.size = archive_entry_size(e) > 0 ?
		    (uint64_t)archive_entry_size(e) : 0;
		st.mtime = archive_entry_mtime(e);
		(void)irk_spool_add(sp, name, &st, hl != NULL ? hl :
		    archive_entry_symlink(e), hl != NULL);
		while ((r = archive_read_data(a, buf, sizeof(buf))) > 0)
			irk_spool_data(sp, buf, (size_t)r);
		irk_spool_end(sp);
	}
}

static void
walk(struct irk_fs *fs, const char *dir, int depth, int *budget)
{
	struct irk_dir *d;
	struct irk_dirent e;
	struct irk_err err;

	if (depth > 6 || fs->ops->opendir(fs, dir, &d, &err) != IRK_OK)
		return;
	while (--*budget > 0 && fs->ops->readdir(d, &e) == 1) {
		char p[4200];
		struct irk_stat st;
		struct irk_buf b;

		snprintf(p, sizeof(p), "%s/%s", strcmp(dir, "/") ? dir : "",
		    e.name);
		(void)irk_fs_dirstat(fs, d, e.name, p, &st, &err);
		irk_buf_init(&b, 4096);
		(void)fs->ops->readlink(fs, p, &b, &err);
		(void)irk_fs_read_file(fs, p, &b, NULL, &err);
		irk_buf_release(&b);
		if (e.type == S_IFDIR || e.type == S_IFLNK)
			walk(fs, p, depth + 1, budget);
	}
	fs->ops->closedir(d);
}

static void
look(struct irk_fs *fs)
{
	static const char *paths[] = {
		"/etc/passwd", "/etc/../../etc/shadow", "/Windows/System32/"
		"config/SYSTEM", "/var/log/auth.log", "/a/b/../../c", "/",
		"/..", "/x/y/z",
	};
	struct irk_stat st;
	struct irk_err err;
	struct irk_buf b;
	int budget = 3000;

	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		irk_buf_init(&b, 4096);
		(void)fs->ops->stat(fs, paths[i], 1, &st, &err);
		(void)fs->ops->stat(fs, paths[i], 0, &st, &err);
		(void)irk_fs_read_file(fs, paths[i], &b, NULL, &err);
		(void)irk_fs_resolve(fs, paths[i], &b, &err);
		irk_buf_release(&b);
	}
	walk(fs, "/", 0, &budget);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct irk_spool_opts o;
	struct irk_spool_root roots[8];
	struct irk_spool *sp;
	struct irk_fs *fs;
	struct irk_err err;
	struct archive *a;
	size_t n;

	memset(&o, 0, sizeof(o));
	o.dir = fz_dir();
	o.max_total = 64 * 1024;
	o.max_file = 16 * 1024;
	o.max_nodes = 4096;
	o.log = nolog;
	if (irk_spool_open(&sp, &o, &err) != IRK_OK)
		abort();
	a = archive_read_new();
	archive_read_support_format_tar(a);
	archive_read_support_format_zip(a);
	if (archive_read_open_memory(a, data, size) == ARCHIVE_OK)
		feed(sp, a);
	archive_read_free(a);
	n = irk_spool_roots(sp, 4, roots, 8);
	for (size_t i = 0; i < n; i++) {
		if (irk_fs_spool_open(&fs, sp, roots[i].prefix,
		    roots[i].kind == IRK_SPOOL_WINDOWS, &err) != IRK_OK)
			abort();	/* a root found is a folder */
		look(fs);
		irk_fs_free(fs);
	}
	if (irk_fs_spool_open(&fs, sp, "", size & 1, &err) == IRK_OK) {
		look(fs);
		irk_fs_free(fs);
	}
	irk_spool_free(sp);
	return 0;
}
