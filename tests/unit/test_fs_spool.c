/*
 * test_fs_spool.c - the spool file system (analyzer/fs_spool.c) against
 * fs_host on the same tree: stat, lstat, readdir (as sets), pread at
 * offsets, links inside the root and pointing out of it, ".." at the
 * root; hostile member names; limits; roots found under prefixes; a
 * collector (defined here, not in the product's table) run over it.
 */
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "fs_spool.h"
#include "irkit/collect.h"

static char root[256];
static int nlogs;

static void
count_log(void *arg, const char *path, const char *msg)
{
	(void)arg;
	(void)path;
	(void)msg;
	nlogs++;
}

static void
put(const char *rel, const char *data, size_t len)
{
	char p[512];
	FILE *fp;

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	assert_non_null(fp = fopen(p, "w"));
	assert_int_equal(fwrite(data, 1, len, fp), len);
	fclose(fp);
}

static void
mk(const char *rel)
{
	char p[512];

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	assert_int_equal(mkdir(p, 0750), 0);
}

static void
ln(const char *target, const char *rel)
{
	char p[512];

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	assert_int_equal(symlink(target, p), 0);
}

static char big[200000];

static void
make_tree(void)
{
	snprintf(root, sizeof(root), "/tmp/irk-spool-XXXXXX");
	assert_non_null(mkdtemp(root));
	mk("etc");
	mk("var");
	mk("var/log");
	mk("sub");
	mk("sub/deep");
	put("etc/passwd", "root:x:0:0:inside:/root:/bin/sh\n", 32);
	put("etc/hosts", "127.0.0.1 localhost\n", 20);
	put("empty", "", 0);
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (char)('a' + (i * 7 + i / 13) % 26);
	put("var/log/auth.log", big, sizeof(big));
	ln("/etc/passwd", "link_abs");
	ln("../etc/hosts", "sub/link_rel");
	ln("../../../../../etc/passwd", "sub/deep/escape");
	ln("loop2", "loop1");
	ln("loop1", "loop2");
	ln("etc", "dirlink");
	ln("/nonexistent", "dangling");
}

/* Feed every name under dir of the host fs into the spool. */
static void
feed(struct irk_fs *h, struct irk_spool *sp, const char *dir)
{
	struct irk_dir *d;
	struct irk_dirent e;
	struct irk_err err;

	assert_int_equal(h->ops->opendir(h, dir, &d, &err), IRK_OK);
	while (h->ops->readdir(d, &e) == 1) {
		char p[1024];
		struct irk_stat st;
		struct irk_buf lk;

		snprintf(p, sizeof(p), "%s/%s", strcmp(dir, "/") ? dir : "",
		    e.name);
		assert_int_equal(h->ops->stat(h, p, 0, &st, &err), IRK_OK);
		irk_buf_init(&lk, 4096);
		if (S_ISLNK(st.mode))
			assert_int_equal(h->ops->readlink(h, p, &lk, &err),
			    IRK_OK);
		assert_int_equal(irk_spool_add(sp, p, &st, lk.data, 0),
		    IRK_OK);
		irk_buf_release(&lk);
		if (S_ISREG(st.mode)) {
			struct irk_file *f;
			char buf[7000];
			ssize_t n;
			uint64_t off = 0;

			assert_int_equal(irk_fs_open(h, p, &f, &err), IRK_OK);
			while ((n = irk_fs_pread(h, f, buf, sizeof(buf), off)) >
			    0) {
				irk_spool_data(sp, buf, (size_t)n);
				off += (uint64_t)n;
			}
			irk_fs_close(h, f);
			irk_spool_end(sp);
		}
		if (S_ISDIR(st.mode))
			feed(h, sp, p);
	}
	h->ops->closedir(d);
}

static struct irk_spool *
spool_new(uint64_t max_total, uint64_t max_file)
{
	struct irk_spool_opts o = { "/tmp", max_total, max_file, 0,
	    count_log, NULL };
	struct irk_spool *sp;
	struct irk_err err;

	assert_int_equal(irk_spool_open(&sp, &o, &err), IRK_OK);
	return sp;
}

/* The sorted names of a folder, joined by "\n" (types too). */
static void
listing(struct irk_fs *fs, const char *dir, char *out, size_t len)
{
	char names[64][300];
	size_t n = 0, at = 0;
	struct irk_dir *d;
	struct irk_dirent e;
	struct irk_err err;

	out[0] = '\0';
	assert_int_equal(fs->ops->opendir(fs, dir, &d, &err), IRK_OK);
	while (fs->ops->readdir(d, &e) == 1 && n < 64)
		snprintf(names[n++], sizeof(names[0]), "%s %o", e.name,
		    e.type);
	fs->ops->closedir(d);
	qsort(names, n, sizeof(names[0]), (int (*)(const void *,
	    const void *))strcmp);
	for (size_t i = 0; i < n; i++)
		at += (size_t)snprintf(out + at, len - at, "%s\n", names[i]);
}

static void
same_stat(struct irk_fs *a, struct irk_fs *b, const char *p, int follow)
{
	struct irk_stat sa, sb;
	struct irk_err err;
	int ra = a->ops->stat(a, p, follow, &sa, &err);
	int rb = b->ops->stat(b, p, follow, &sb, &err);

	if (ra != rb)
		fail_msg("stat '%s' follow %d: host %d spool %d", p, follow,
		    ra, rb);
	if (ra != IRK_OK)
		return;
	assert_int_equal(sa.mode, sb.mode);
	assert_int_equal(sa.uid, sb.uid);
	assert_int_equal(sa.gid, sb.gid);
	assert_int_equal(sa.mtime, sb.mtime);
	if (!S_ISDIR(sa.mode))
		assert_int_equal(sa.size, sb.size);
}

/* Whole contents, read at odd offsets, equal. */
static void
same_content(struct irk_fs *a, struct irk_fs *b, const char *p)
{
	struct irk_file *fa, *fb;
	struct irk_err err;
	static char ba[sizeof(big) + 10], bb[sizeof(big) + 10];
	int ra = irk_fs_open(a, p, &fa, &err), rb = irk_fs_open(b, p, &fb,
	    &err);
	uint64_t offs[] = { 0, 1, 4095, 65537, 199999, 200000, 300000 };

	assert_int_equal(ra, rb);
	if (ra != IRK_OK)
		return;
	for (size_t i = 0; i < sizeof(offs) / sizeof(offs[0]); i++) {
		ssize_t na = irk_fs_pread(a, fa, ba, sizeof(ba), offs[i]);
		ssize_t nb = irk_fs_pread(b, fb, bb, sizeof(bb), offs[i]);

		assert_int_equal(na, nb);
		if (na > 0)
			assert_memory_equal(ba, bb, (size_t)na);
	}
	irk_fs_close(a, fa);
	irk_fs_close(b, fb);
}

/* nftw callback: remove each entry of the scratch tree (no shell). */
static int
rm_entry(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)flag;
	(void)f;
	return remove(path);
}

static void
test_against_host(void **state)
{
	static const char *paths[] = {
		"/", "/etc", "/etc/passwd", "/etc/hosts", "/empty",
		"/var/log/auth.log", "/link_abs", "/sub/link_rel",
		"/sub/deep/escape", "/loop1", "/dirlink", "/dirlink/hosts",
		"/dangling", "/nope", "/../../etc/passwd",
		"/var/../etc/./passwd", "/sub/deep/../../etc/hosts",
		"/etc/passwd/x", "/dirlink/../var/log/auth.log",
	};
	struct irk_fs *h, *s;
	struct irk_spool *sp;
	struct irk_err err;
	struct irk_buf la, lb;
	char a[4096], b[4096];

	(void)state;
	make_tree();
	assert_int_equal(irk_fs_host_open(&h, root, &err), IRK_OK);
	sp = spool_new(1 << 20, 1 << 20);
	{
		struct irk_stat st;	/* the top, as tar gives "./" */

		assert_int_equal(h->ops->stat(h, "/", 0, &st, &err), IRK_OK);
		assert_int_equal(irk_spool_add(sp, "./", &st, NULL, 0),
		    IRK_OK);
	}
	feed(h, sp, "/");
	assert_int_equal(irk_fs_spool_open(&s, sp, "", 0, &err), IRK_OK);
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		same_stat(h, s, paths[i], 0);
		same_stat(h, s, paths[i], 1);
		same_content(h, s, paths[i]);
	}
	/* the escape resolves to the root's passwd, not the machine's */
	assert_int_equal(irk_fs_read_file(s, "/sub/deep/escape", (irk_buf_init(
	    &la, 4096), &la), NULL, &err), IRK_OK);
	assert_non_null(strstr(la.data, "inside"));
	irk_buf_release(&la);
	/* loops fail as they do on the host */
	assert_int_equal(s->ops->stat(s, "/loop1", 1, &(struct irk_stat){0},
	    &err), IRK_FAIL);
	listing(h, "/", a, sizeof(a));
	listing(s, "/", b, sizeof(b));
	assert_string_equal(a, b);
	listing(h, "/dirlink", a, sizeof(a));
	listing(s, "/dirlink", b, sizeof(b));
	assert_string_equal(a, b);
	irk_buf_init(&la, 4096);
	irk_buf_init(&lb, 4096);
	assert_int_equal(h->ops->readlink(h, "/sub/deep/escape", &la, &err),
	    IRK_OK);
	assert_int_equal(s->ops->readlink(s, "/sub/deep/escape", &lb, &err),
	    IRK_OK);
	assert_string_equal(la.data, lb.data);
	assert_int_equal(s->ops->readlink(s, "/etc", &lb, &err), IRK_FAIL);
	irk_buf_release(&la);
	irk_buf_release(&lb);
	/* a view under a prefix: its top is the root */
	irk_fs_free(s);
	assert_int_equal(irk_fs_spool_open(&s, sp, "sub", 0, &err), IRK_OK);
	assert_int_equal(s->ops->stat(s, "/link_rel", 1, &(struct irk_stat){0},
	    &err), IRK_FAIL);	/* ../etc/hosts stops at sub */
	assert_int_equal(s->ops->stat(s, "/deep/escape", 1,
	    &(struct irk_stat){0}, &err), IRK_FAIL);
	assert_int_equal(s->ops->stat(s, "/../deep", 1, &(struct irk_stat){0},
	    &err), IRK_OK);
	irk_fs_free(s);
	irk_spool_free(sp);
	irk_fs_free(h);
	assert_int_equal(nftw(root, rm_entry, 16, FTW_DEPTH | FTW_PHYS), 0);
}

static struct irk_stat
st_of(uint32_t mode, uint64_t size)
{
	struct irk_stat st;

	memset(&st, 0, sizeof(st));
	st.mode = mode;
	st.size = size;
	st.atime = st.mtime = st.ctime = st.btime = IRK_TIME_NONE;
	return st;
}

static void
add_file(struct irk_spool *sp, const char *name, const char *data)
{
	struct irk_stat st = st_of(S_IFREG | 0644, strlen(data));

	(void)irk_spool_add(sp, name, &st, NULL, 0);
	irk_spool_data(sp, data, strlen(data));
	irk_spool_end(sp);
}

static int
read_str(struct irk_fs *fs, const char *p, char *out, size_t len)
{
	struct irk_buf b;
	struct irk_err err;
	int r;

	irk_buf_init(&b, len - 1);
	r = irk_fs_read_file(fs, p, &b, NULL, &err);
	snprintf(out, len, "%s", r == IRK_OK ? b.data : "");
	irk_buf_release(&b);
	return r;
}

static void
test_hostile_names(void **state)
{
	struct irk_spool *sp;
	struct irk_fs *s;
	struct irk_err err;
	struct irk_stat st;
	char longname[400], buf[100];

	(void)state;
	nlogs = 0;
	sp = spool_new(1 << 20, 1 << 20);
	add_file(sp, "../../evil", "x");
	assert_int_equal(nlogs, 1);
	add_file(sp, "a/../../evil2", "x");
	assert_int_equal(nlogs, 2);
	add_file(sp, "/abs/file", "abs");
	add_file(sp, "./a/./b//c", "abc");
	add_file(sp, "dup", "first");
	add_file(sp, "dup", "second");
	memset(longname, 'n', sizeof(longname));
	longname[sizeof(longname) - 1] = '\0';
	add_file(sp, longname, "long");
	assert_int_equal(nlogs, 3);
	/* a link to the analyst's /etc/passwd is the root's (absent) */
	st = st_of(S_IFLNK | 0777, 11);
	assert_int_equal(irk_spool_add(sp, "pw", &st, "/etc/passwd", 0),
	    IRK_OK);
	st = st_of(S_IFLNK | 0777, 11);
	assert_int_equal(irk_spool_add(sp, "up", &st, "../../../etc/passwd",
	    0), IRK_OK);
	/* a member under a link is refused (no extraction through it) */
	add_file(sp, "pw/x", "under");
	assert_int_equal(nlogs, 4);
	/* a file then a folder of that name with entries: refused */
	st = st_of(S_IFREG | 0644, 0);
	add_file(sp, "d/e", "e");
	assert_int_equal(irk_spool_add(sp, "d", &st, NULL, 0), IRK_WARN);
	/* a hard link to a file given before shares its content */
	st = st_of(S_IFREG | 0644, 0);
	assert_int_equal(irk_spool_add(sp, "hl", &st, "./dup", 1), IRK_OK);
	assert_int_equal(irk_spool_add(sp, "hl2", &st, "nothing", 1),
	    IRK_WARN);
	assert_int_equal(irk_fs_spool_open(&s, sp, "", 0, &err), IRK_OK);
	assert_int_equal(read_str(s, "/abs/file", buf, sizeof(buf)), IRK_OK);
	assert_string_equal(buf, "abs");
	assert_int_equal(read_str(s, "/a/b/c", buf, sizeof(buf)), IRK_OK);
	assert_string_equal(buf, "abc");
	assert_int_equal(read_str(s, "/dup", buf, sizeof(buf)), IRK_OK);
	assert_string_equal(buf, "second");
	assert_int_equal(read_str(s, "/hl", buf, sizeof(buf)), IRK_OK);
	assert_string_equal(buf, "second");
	assert_int_equal(read_str(s, "/pw", buf, sizeof(buf)), IRK_FAIL);
	assert_int_equal(read_str(s, "/up", buf, sizeof(buf)), IRK_FAIL);
	assert_int_equal(read_str(s, "/evil", buf, sizeof(buf)), IRK_FAIL);
	assert_int_equal(s->ops->stat(s, "/d", 0, &st, &err), IRK_OK);
	assert_true(S_ISDIR(st.mode));
	irk_fs_free(s);
	irk_spool_free(sp);
}

static void
test_limits(void **state)
{
	struct irk_spool *sp;
	struct irk_fs *s;
	struct irk_err err;
	struct irk_stat st;
	char buf[100];

	(void)state;
	nlogs = 0;
	sp = spool_new(19, 8);
	add_file(sp, "small", "1234");
	add_file(sp, "toolarge", "123456789");		/* over max_file */
	st = st_of(S_IFREG | 0644, 0);			/* size unknown */
	(void)irk_spool_add(sp, "grows", &st, NULL, 0);
	irk_spool_data(sp, "12345", 5);
	irk_spool_data(sp, "12345", 5);			/* now over */
	irk_spool_end(sp);
	add_file(sp, "fits", "abcdefgh");
	add_file(sp, "full", "abcdefgh");		/* 4+8+8 > 19 */
	assert_int_equal(nlogs, 3);
	assert_int_equal(irk_spool_unspooled(sp), 3);
	assert_int_equal(irk_spool_bytes(sp), 12);
	assert_int_equal(irk_fs_spool_open(&s, sp, "", 0, &err), IRK_OK);
	assert_int_equal(read_str(s, "/fits", buf, sizeof(buf)), IRK_OK);
	assert_string_equal(buf, "abcdefgh");
	assert_int_equal(read_str(s, "/toolarge", buf, sizeof(buf)),
	    IRK_FAIL);
	assert_int_equal(s->ops->stat(s, "/toolarge", 0, &st, &err), IRK_OK);
	assert_int_equal(st.size, 9);
	assert_int_equal(read_str(s, "/grows", buf, sizeof(buf)), IRK_FAIL);
	irk_fs_free(s);
	irk_spool_free(sp);
}

static void
test_roots(void **state)
{
	struct irk_spool *sp;
	struct irk_spool_root r[8];
	struct irk_fs *s;
	struct irk_err err;
	char buf[100];
	size_t n;

	(void)state;
	sp = spool_new(1 << 20, 1 << 20);
	add_file(sp, "h1/C/Windows/System32/config/SYSTEM", "hive");
	add_file(sp, "uploads/auto/C%3A/WINDOWS/system32/Config/SAM", "sam");
	add_file(sp, "lin/etc/passwd", "p");
	add_file(sp, "lin/var/log/syslog", "s");
	add_file(sp, "lin/home/x/etc/y", "nested");
	add_file(sp, "notroot/etc/passwd", "p");	/* etc alone */
	add_file(sp, "a/b/c/d/e/etc/f", "too deep");
	add_file(sp, "a/b/c/d/e/usr/f", "too deep");
	n = irk_spool_roots(sp, 4, r, 8);
	assert_int_equal(n, 3);
	assert_string_equal(r[0].prefix, "lin");
	assert_int_equal(r[0].kind, IRK_SPOOL_LINUX);
	assert_string_equal(r[1].prefix, "h1/C");
	assert_int_equal(r[1].kind, IRK_SPOOL_WINDOWS);
	assert_string_equal(r[2].prefix, "uploads/auto/C%3A");
	assert_int_equal(r[2].kind, IRK_SPOOL_WINDOWS);
	/* a Windows view matches names without regard to case */
	assert_int_equal(irk_fs_spool_open(&s, sp, r[2].prefix, 1, &err),
	    IRK_OK);
	assert_int_equal(read_str(s, "/Windows/System32/config/SAM", buf,
	    sizeof(buf)), IRK_OK);
	assert_string_equal(buf, "sam");
	irk_fs_free(s);
	assert_int_equal(irk_fs_spool_open(&s, sp, r[2].prefix, 0, &err),
	    IRK_OK);
	assert_int_equal(read_str(s, "/Windows/System32/config/SAM", buf,
	    sizeof(buf)), IRK_FAIL);
	irk_fs_free(s);
	irk_spool_free(sp);
	/* the top itself a root: nothing inside it is another */
	sp = spool_new(1 << 20, 1 << 20);
	add_file(sp, "./etc/passwd", "p");
	add_file(sp, "./usr/bin/x", "x");
	add_file(sp, "./srv/c/etc/a", "x");
	add_file(sp, "./srv/c/usr/a", "x");
	n = irk_spool_roots(sp, 4, r, 8);
	assert_int_equal(n, 1);
	assert_string_equal(r[0].prefix, "");
	irk_spool_free(sp);
}

/* A collector of copied files, defined here (not in the product). */
static int
wc_collect(struct irk_collect *c)
{
	struct irk_buf b;
	struct irk_err err;
	json_t *rec;
	int lines = 0;

	irk_buf_init(&b, 1 << 20);
	if (irk_fs_read_file(c->fs, "/var/log/auth.log", &b, NULL, &err) !=
	    IRK_OK) {
		irk_collect_log_err(c, IRK_LOG_ERROR, "/var/log/auth.log", &err);
		irk_buf_release(&b);
		return IRK_FAIL;
	}
	for (size_t i = 0; i < b.len; i++)
		lines += b.data[i] == '\n';
	irk_buf_release(&b);
	rec = json_pack("{s:s, s:i}", "type", "test_lines", "lines", lines);
	return irk_collect_record(c, rec);
}

static const struct irk_collector wc_collector = {
	"test_lines", "lines of auth.log", IRK_SRC_COPIED, wc_collect
};

static int
keep_record(void *arg, const char *collector, json_t *rec, struct irk_err *e)
{
	(void)collector;
	(void)e;
	json_array_append(arg, rec);
	return IRK_OK;
}

static const struct irk_sink_ops keep_ops = { keep_record, NULL, NULL, NULL };

static void
test_collector(void **state)
{
	struct irk_spool *sp;
	struct irk_fs *s;
	struct irk_err err;
	struct irk_collect c;
	struct irk_collect_opts o;
	json_t *recs = json_array();

	(void)state;
	sp = spool_new(1 << 20, 1 << 20);
	add_file(sp, "var/log/auth.log", "a\nb\nc\n");
	assert_int_equal(irk_fs_spool_open(&s, sp, "", 0, &err), IRK_OK);
	memset(&o, 0, sizeof(o));
	irk_collect_init(&c, s, &o, &keep_ops, recs);
	assert_int_equal(irk_collect_run(&c, &wc_collector), IRK_OK);
	assert_int_equal(json_array_size(recs), 1);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(
	    recs, 0), "lines")), 3);
	irk_collect_release(&c);
	irk_fs_free(s);
	irk_spool_free(sp);
	json_decref(recs);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_against_host),
		cmocka_unit_test(test_hostile_names),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_roots),
		cmocka_unit_test(test_collector),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
