/*
 * test_lib.c - bounded buffer, number and time parsing, fs_host (with
 * openat2 and with the userspace walk).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "irkit/buf.h"
#include "irkit/fe.h"
#include "irkit/fs.h"
#include "irkit/json.h"
#include "irkit/parse.h"
#include "irkit/timeutil.h"

static void
test_buf_bound(void **state)
{
	struct irk_buf b;

	(void)state;
	irk_buf_init(&b, 8);
	assert_int_equal(irk_buf_addstr(&b, "12345678"), IRK_OK);
	assert_int_equal(irk_buf_addch(&b, 'x'), IRK_TOOBIG);
	assert_int_equal(b.len, 8);
	assert_string_equal(b.data, "12345678");
	irk_buf_release(&b);
}

static void
test_buf_lines(void **state)
{
	struct irk_buf b;
	const char *l;
	size_t pos = 0, n;

	(void)state;
	irk_buf_init(&b, 100);
	irk_buf_addstr(&b, "a\r\nbc\n\nlast");
	assert_true(irk_buf_next_line(&b, &pos, &l, &n));
	assert_int_equal(n, 1);
	assert_true(irk_buf_next_line(&b, &pos, &l, &n));
	assert_int_equal(n, 2);
	assert_memory_equal(l, "bc", 2);
	assert_true(irk_buf_next_line(&b, &pos, &l, &n));
	assert_int_equal(n, 0);
	assert_true(irk_buf_next_line(&b, &pos, &l, &n));
	assert_memory_equal(l, "last", 4);
	assert_false(irk_buf_next_line(&b, &pos, &l, &n));
	irk_buf_release(&b);
}

static void
test_parse_numbers(void **state)
{
	uint64_t v;
	int64_t s;

	(void)state;
	assert_int_equal(irk_parse_u64("42", 10, 100, &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(irk_parse_u64("101", 10, 100, &v), -1);
	assert_int_equal(irk_parse_u64("4x", 10, 100, &v), -1);
	assert_int_equal(irk_parse_u64("", 10, 100, &v), -1);
	assert_int_equal(irk_parse_u64("-1", 10, 100, &v), -1);
	assert_int_equal(irk_parse_u64("99999999999999999999999", 10,
	    UINT64_MAX, &v), -1);
	assert_int_equal(irk_parse_i64("-5", 10, -10, 10, &s), 0);
	assert_int_equal(s, -5);
	assert_int_equal(irk_parse_size("64M", &v), 0);
	assert_int_equal(v, 64u << 20);
	assert_int_equal(irk_parse_size("M", &v), -1);
}

static void
test_time(void **state)
{
	char t[IRK_TIME_LEN];
	int64_t us;

	(void)state;
	assert_string_equal(irk_time_fmt(0, t), "1970-01-01T00:00:00.000000Z");
	assert_string_equal(irk_time_fmt(1795300161123456LL, t),
	    "2026-11-21T22:29:21.123456Z");
	assert_int_equal(irk_time_parse("2026-11-21T22:29:21.123456Z", &us), 0);
	assert_int_equal(us, 1795300161123456LL);
	assert_int_equal(irk_time_parse("2026-11-21T23:29:21+01:00", &us), 0);
	assert_int_equal(us, 1795300161000000LL);
	assert_int_equal(irk_time_parse("2026-11-21", &us), 0);
	assert_int_equal(irk_time_parse("2026-13-21", &us), -1);
	assert_int_equal(irk_time_parse("2026-11-21T22:29:21Zjunk", &us), -1);
	assert_string_equal(irk_time_fmt(-1, t), "1969-12-31T23:59:59.999999Z");
}

static void
test_json_bytes(void **state)
{
	json_t *j;

	(void)state;
	j = irk_json_strn("ok\xff\x00z", 5);
	assert_string_equal(json_string_value(j), "ok\\xff\\x00z");
	json_decref(j);
	j = irk_json_strn("a\\\xff", 3);
	assert_string_equal(json_string_value(j), "a\\x5c\\xff");
	json_decref(j);
	j = irk_json_str("C:\\x");
	assert_string_equal(json_string_value(j), "C:\\x");
	json_decref(j);
	j = irk_json_str("caf\xc3\xa9");
	assert_string_equal(json_string_value(j), "caf\xc3\xa9");
	json_decref(j);
}

/*
 * The fs_host tests run twice: with openat2 (where the kernel has it) and
 * with the userspace walk forced by IRKIT_FS_NO_OPENAT2=1.
 */
static int use_openat2 = 0, use_walk = 1;

/* One fs test: a fake root, the host fs over it, a buffer, an error. */
struct fs_case {
	char root[32];		/* the fake root */
	char out[40];		/* a directory next to it, outside */
	struct irk_fs *fs;
	struct irk_buf b;
	struct irk_err err;
	int walk;		/* IRKIT_FS_NO_OPENAT2=1 */
};

static void
put_file(const char *dir, const char *name, const char *text)
{
	char p[512];
	FILE *fp;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	assert_non_null(fp = fopen(p, "w"));
	fputs(text, fp);
	fclose(fp);
}

static void
put_link(const char *dir, const char *name, const char *target)
{
	char p[512];

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	assert_int_equal(symlink(target, p), 0);
}

static void
put_dir(const char *dir, const char *name)
{
	char p[512];

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	assert_int_equal(mkdir(p, 0755), 0);
}

/* A host fs over root, with openat2 or the walk (IRKIT_FS_NO_OPENAT2). */
static struct irk_fs *
host_open(const char *root, int walk)
{
	struct irk_fs *fs;
	struct irk_err err;

	if (walk)
		assert_int_equal(setenv("IRKIT_FS_NO_OPENAT2", "1", 1), 0);
	else
		assert_int_equal(unsetenv("IRKIT_FS_NO_OPENAT2"), 0);
	assert_int_equal(irk_fs_host_open(&fs, root, &err), IRK_OK);
	return fs;
}

/* root/etc/passwd says "inside", out/secret says "outside". */
static int
fs_setup(void **state)
{
	struct fs_case *t;

	assert_non_null(t = calloc(1, sizeof(*t)));
	snprintf(t->root, sizeof(t->root), "/tmp/irk-fs-XXXXXX");
	assert_non_null(mkdtemp(t->root));
	snprintf(t->out, sizeof(t->out), "%s-out", t->root);
	assert_int_equal(mkdir(t->out, 0755), 0);
	put_dir(t->root, "etc");
	put_file(t->root, "etc/passwd", "inside\n");
	put_file(t->out, "secret", "outside\n");
	t->walk = *(int *)*state == use_walk;
	t->fs = host_open(t->root, t->walk);
	irk_buf_init(&t->b, 1 << 16);
	*state = t;
	return 0;
}

static int
rm_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(p);
}

static int
fs_teardown(void **state)
{
	struct fs_case *t = *state;

	irk_fs_free(t->fs);
	irk_buf_release(&t->b);
	(void)nftw(t->root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	(void)nftw(t->out, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(t);
	return 0;
}

/* The file's text, or "" with err.errnum when it cannot be read. */
static const char *
read_text(struct irk_fs *fs, const char *path, struct irk_buf *b,
    struct irk_err *err)
{
	irk_buf_reset(b);
	err->errnum = 0;
	if (irk_fs_read_file(fs, path, b, NULL, err) != IRK_OK)
		return "";
	return b->data;
}

static const char *
text(struct fs_case *t, const char *path)
{
	return read_text(t->fs, path, &t->b, &t->err);
}

static const char *
resolved(struct irk_fs *fs, const char *path, struct irk_buf *b)
{
	struct irk_err err;

	irk_buf_reset(b);
	if (irk_fs_resolve(fs, path, b, &err) != IRK_OK)
		return "";
	return b->data;
}

/* A fake root whose links point outside must stay inside. */
static void
test_fs_host_confined(void **state)
{
	struct fs_case *t = *state;
	struct irk_fs *fs = t->fs;
	struct irk_stat st;

	put_link(t->root, "abs", "/etc/passwd");	/* -> root's */
	put_link(t->root, "up", "../../../../../../etc/passwd");
	put_link(t->root, "loop", "loop");
	assert_string_equal(text(t, "/abs"), "inside\n");
	assert_string_equal(text(t, "/up"), "inside\n");
	assert_string_equal(text(t, "/../../etc/passwd"),
	    "inside\n");
	assert_string_equal(text(t, "/loop"), "");
	assert_int_equal(fs->ops->stat(fs, "/abs", 0, &st, &t->err), IRK_OK);
	assert_true(S_ISLNK(st.mode));
	assert_string_equal(resolved(fs, "/up", &t->b), "/etc/passwd");
	/* callers may pass no irk_err */
	assert_int_equal(irk_fs_resolve(fs, "/none/x", &t->b, NULL), IRK_FAIL);
	assert_int_equal(irk_fs_resolve(fs, "/loop", &t->b, NULL), IRK_FAIL);
	assert_int_equal(irk_fs_read_file(fs, "/etc", &t->b, NULL, &t->err),
	    IRK_FAIL);
}

/* ".." stops at the root, in the path and in link targets. */
static void
test_fs_host_dotdot(void **state)
{
	struct fs_case *t = *state;
	struct irk_fs *fs = t->fs;
	struct irk_dirent ent;
	struct irk_dir *d;
	int seen = 0;

	put_dir(t->root, "sub");
	put_link(t->root, "sub/up", "../../../../etc/passwd");
	put_link(t->root, "sub/dots", "../..");
	assert_string_equal(text(t, "/etc/../../../etc/passwd"), "inside\n");
	assert_string_equal(text(t, "/sub/up"), "inside\n");
	assert_string_equal(text(t, "/sub/dots/etc/passwd"),
	    "inside\n");
	assert_string_equal(text(t, "/sub/dots/../etc/passwd"), "inside\n");
	/* "/sub/dots/.." names the root, not the root's parent */
	assert_int_equal(fs->ops->opendir(fs, "/sub/dots/..", &d, &t->err),
	    IRK_OK);
	while (fs->ops->readdir(d, &ent) == 1)
		seen |= strcmp(ent.name, "sub") == 0;
	fs->ops->closedir(d);
	assert_true(seen);
	assert_string_equal(resolved(fs, "/etc/../..", &t->b), "/");
	assert_string_equal(resolved(fs, "/sub/up", &t->b), "/etc/passwd");
	assert_string_equal(resolved(fs, "/sub/dots/sub/../etc", &t->b), "/etc");
}

/* An absolute target is taken below the root, never from the host's /. */
static void
test_fs_host_absolute(void **state)
{
	struct fs_case *t = *state;
	struct irk_fs *fs = t->fs;
	struct irk_dirent ent;
	struct irk_dir *d;
	char p[128];
	int seen = 0;

	put_link(t->root, "d", "/etc");
	put_link(t->root, "etc/again", "/etc/passwd");
	snprintf(p, sizeof(p), "%s/secret", t->out);
	put_link(t->root, "outfile", p);
	put_link(t->root, "outdir", t->out);
	assert_string_equal(text(t, "/d/passwd"), "inside\n");
	assert_string_equal(text(t, "/d/again"), "inside\n");
	assert_string_equal(text(t, "/outfile"), "");
	assert_int_equal(t->err.errnum, ENOENT);
	assert_string_equal(text(t, "/outdir/secret"), "");
	assert_int_equal(t->err.errnum, ENOENT);
	assert_string_equal(resolved(fs, "/d/again", &t->b), "/etc/passwd");
	assert_string_equal(resolved(fs, "/outdir/secret", &t->b), "");
	/* a final link to a directory is followed by opendir */
	assert_int_equal(fs->ops->opendir(fs, "/d", &d, &t->err), IRK_OK);
	while (fs->ops->readdir(d, &ent) == 1)
		seen |= strcmp(ent.name, "passwd") == 0;
	fs->ops->closedir(d);
	assert_true(seen);
	assert_int_equal(fs->ops->opendir(fs, "/outdir", &d, &t->err),
	    IRK_FAIL);
}

/* Loops end in ELOOP; a chain of 40 links is followed, 41 is not. */
static void
test_fs_host_loop(void **state)
{
	struct fs_case *t = *state;
	struct irk_fs *fs = t->fs;
	char name[16], target[16];

	put_link(t->root, "a", "b");
	put_link(t->root, "b", "/a");
	for (int i = 0; i < 41; i++) {
		snprintf(name, sizeof(name), "l%d", i);
		snprintf(target, sizeof(target), "l%d", i + 1);
		put_link(t->root, name, i == 40 ? "etc/passwd" : target);
	}
	assert_string_equal(text(t, "/a"), "");
	assert_int_equal(t->err.errnum, ELOOP);
	assert_string_equal(text(t, "/b/x"), "");
	assert_int_equal(t->err.errnum, ELOOP);
	assert_string_equal(text(t, "/l1"), "inside\n");
	assert_string_equal(text(t, "/l0"), "");
	assert_int_equal(t->err.errnum, ELOOP);
	irk_buf_reset(&t->b);
	assert_int_equal(irk_fs_resolve(fs, "/a", &t->b, &t->err), IRK_FAIL);
	assert_int_equal(t->err.errnum, ELOOP);
	assert_string_equal(resolved(fs, "/l1", &t->b), "/etc/passwd");
}

struct swapper {
	const char *a, *b;
	volatile int stop;
};

static void *
swap_loop(void *arg)
{
	struct swapper *s = arg;

	while (!s->stop)
		(void)renameat2(AT_FDCWD, s->a, AT_FDCWD, s->b, RENAME_EXCHANGE);
	return NULL;
}

/*
 * An intermediate component that is (or becomes, while the path is
 * walked) a link out of the root is confined: "/d/secret" is read from
 * root/d, or root/<target> (which does not exist), never from out/.
 */
static void
test_fs_host_escape(void **state)
{
	struct fs_case *t = *state;
	struct swapper sw;
	char d[64], l[64], up[64];
	pthread_t th;
	int inside = 0;

	snprintf(up, sizeof(up), "../%s", strrchr(t->out, '/') + 1);
	put_link(t->root, "rel", up);
	put_link(t->root, "abs", t->out);
	put_dir(t->root, "d");
	put_file(t->root, "d/secret", "inside\n");
	put_link(t->root, "swap", t->out);
	assert_string_equal(text(t, "/rel/secret"), "");
	assert_int_equal(t->err.errnum, ENOENT);
	assert_string_equal(text(t, "/abs/secret"), "");
	assert_int_equal(t->err.errnum, ENOENT);

	/* root/d and root/swap trade places while /d/secret is opened */
	snprintf(d, sizeof(d), "%s/d", t->root);
	snprintf(l, sizeof(l), "%s/swap", t->root);
	sw.a = d;
	sw.b = l;
	sw.stop = 0;
	assert_int_equal(pthread_create(&th, NULL, swap_loop, &sw), 0);
	for (int i = 0; i < 20000; i++) {
		const char *got = text(t, "/d/secret");

		assert_string_not_equal(got, "outside\n");
		inside += strcmp(got, "inside\n") == 0;
	}
	sw.stop = 1;
	pthread_join(th, NULL);
	assert_true(inside > 0);
}

/* A final link is not followed when asked (lstat, readlink). */
static void
test_fs_host_nofollow(void **state)
{
	struct fs_case *t = *state;
	struct irk_fs *fs = t->fs;
	struct irk_stat st;

	put_link(t->root, "d", "/etc");
	put_link(t->root, "etc/lnk", "passwd");
	put_link(t->root, "etc/out", t->out);
	assert_int_equal(fs->ops->stat(fs, "/d/lnk", 0, &st, &t->err), IRK_OK);
	assert_true(S_ISLNK(st.mode));
	assert_int_equal(fs->ops->stat(fs, "/d/lnk", 1, &st, &t->err), IRK_OK);
	assert_true(S_ISREG(st.mode));
	assert_int_equal(st.size, 7);
	assert_int_equal(fs->ops->stat(fs, "/d", 0, &st, &t->err), IRK_OK);
	assert_true(S_ISLNK(st.mode));
	/* a final "/" follows the link, and wants a directory */
	assert_int_equal(fs->ops->stat(fs, "/d/", 0, &st, &t->err), IRK_OK);
	assert_true(S_ISDIR(st.mode));
	assert_string_equal(text(t, "/d/passwd/"), "");
	assert_int_equal(t->err.errnum, ENOTDIR);
	assert_string_equal(text(t, "/d/lnk/"), "");
	assert_int_equal(t->err.errnum, ENOTDIR);
	assert_int_equal(fs->ops->stat(fs, "/etc/out", 0, &st, &t->err), IRK_OK);
	assert_true(S_ISLNK(st.mode));
	assert_int_equal(fs->ops->stat(fs, "/etc/out", 1, &st, &t->err),
	    IRK_FAIL);
	assert_int_equal(fs->ops->readlink(fs, "/d/lnk", &t->b, &t->err),
	    IRK_OK);
	assert_string_equal(t->b.data, "passwd");
	assert_int_equal(fs->ops->readlink(fs, "/d/passwd", &t->b, &t->err),
	    IRK_FAIL);
}

/* A path of PATH_MAX bytes or a name of 256 is refused, not cut. */
static void
test_fs_host_long(void **state)
{
	struct fs_case *t = *state;
	struct irk_fs *fs = t->fs;
	char path[5000];

	for (size_t i = 0; i + 2 < sizeof(path); i += 2)
		memcpy(path + i, "/.", 2);
	memcpy(path + sizeof(path) - 12, "/etc/passwd", 12);
	assert_string_equal(text(t, path), "");
	assert_int_equal(t->err.errnum, ENAMETOOLONG);
	assert_int_equal(irk_fs_resolve(fs, path, &t->b, &t->err), IRK_FAIL);
	assert_int_equal(t->err.errnum, ENAMETOOLONG);
	/* 4000 bytes are fine */
	assert_string_equal(text(t, path + 1000), "inside\n");
	path[0] = '/';
	memset(path + 1, 'x', 300);
	path[301] = '\0';
	assert_string_equal(text(t, path), "");
	assert_int_equal(t->err.errnum, ENAMETOOLONG);
}

/* Magic links are refused; /proc/self (an ordinary link) is not. */
static void
test_fs_host_magic(void **state)
{
	struct fs_case *t = *state;
	struct irk_fs *fs = host_open("/", t->walk);

	assert_string_equal(read_text(fs, "/proc/self/exe", &t->b, &t->err),
	    "");
	assert_int_equal(t->err.errnum, ELOOP);
	assert_string_equal(read_text(fs, "/proc/self/cwd/x", &t->b, &t->err),
	    "");
	assert_int_equal(t->err.errnum, ELOOP);
	assert_non_null(strstr(read_text(fs, "/proc/self/status", &t->b,
	    &t->err), "Pid:"));
	irk_fs_free(fs);
}

static void
test_safe_escape(void **state)
{
	char out[64];
	size_t n;

	(void)state;
	/* escape sequences, C1 CSI, DEL, invalid UTF-8, backslash, newline */
	n = irk_safe_escape(out, sizeof(out), "a\033]0;x\a\033[31m", 12);
	assert_string_equal(out, "a\\x1b]0;x\\x07\\x1b[31m");
	assert_int_equal(n, strlen(out));
	(void)irk_safe_escape(out, sizeof(out), "\xc2\x9b" "1m\x7f\xff\\\n", 8);
	assert_string_equal(out, "\\xc2\\x9b1m\\x7f\\xff\\\\\\n");
	/* valid UTF-8 passes; an overlong '/' does not */
	(void)irk_safe_escape(out, sizeof(out), "caf\xc3\xa9 \xc0\xaf", 8);
	assert_string_equal(out, "caf\xc3\xa9 \\xc0\\xaf");
	/* cut like snprintf */
	n = irk_safe_escape(out, 4, "\001\002", 2);
	assert_int_equal(n, 8);
	assert_string_equal(out, "\\x0");
	/* bidirectional controls as \uXXXX; their neighbours pass */
	(void)irk_safe_escape(out, sizeof(out), "a\xe2\x80\xaegpj.exe", 11);
	assert_string_equal(out, "a\\u202Egpj.exe");
	(void)irk_safe_escape(out, sizeof(out), "\xe2\x81\xa6\xe2\x81\xa9"
	    "\xe2\x80\x8e\xe2\x80\x8f\xd8\x9c\xe2\x80\xaa", 17);
	assert_string_equal(out, "\\u2066\\u2069\\u200E\\u200F\\u061C"
	    "\\u202A");
	(void)irk_safe_escape(out, sizeof(out), "\xe2\x80\xa9\xe2\x80\xaf"
	    "\xe2\x81\xa5\xe2\x81\xaa\xd8\x9b", 14);
	assert_string_equal(out, "\xe2\x80\xa9\xe2\x80\xaf\xe2\x81\xa5"
	    "\xe2\x81\xaa\xd8\x9b");
	assert_int_equal(irk_utf8_seq((const unsigned char *)"\xed\xa0\x80", 3), 0);
	assert_int_equal(irk_utf8_seq((const unsigned char *)"\xf0\x9f\x98\x80", 4), 4);
	assert_int_equal(irk_utf8_seq((const unsigned char *)"\xf0\x9f", 2), 0);
}

/* Renames somewhere else until told to stop (test_fs_host_rename_race). */
struct renamer {
	const char *dir;
	int stop;		/* __atomic */
	long n;			/* __atomic */
};

static void *
rename_loop(void *arg)
{
	struct renamer *r = arg;
	char a[64], b[64];

	snprintf(a, sizeof(a), "%s/a", r->dir);
	snprintf(b, sizeof(b), "%s/b", r->dir);
	put_file(r->dir, "a", "x");
	while (!__atomic_load_n(&r->stop, __ATOMIC_RELAXED)) {
		if (rename(a, b) == 0 && rename(b, a) == 0)
			__atomic_add_fetch(&r->n, 2, __ATOMIC_RELAXED);
	}
	return NULL;
}

/*
 * A rename anywhere on the host while openat2(RESOLVE_IN_ROOT) follows
 * ".." makes the kernel answer EAGAIN ("retry"): the Debian link
 * /etc/xdg/systemd/user -> ../../systemd/user met another collector's
 * rename of its archive.  Every open through ".." must still succeed.
 */
static void
test_fs_host_rename_race(void **state)
{
	struct fs_case *t = *state;
	struct irk_fs *fs = t->fs;
	struct renamer r = { .dir = t->out };
	struct irk_dir *d;
	pthread_t th;
	int bad = 0, i;

	put_dir(t->root, "lib");
	put_dir(t->root, "lib/user");
	put_file(t->root, "lib/user/x.service", "unit\n");
	put_dir(t->root, "etc/xdg");
	put_link(t->root, "etc/xdg/user", "../../lib/user");
	assert_int_equal(pthread_create(&th, NULL, rename_loop, &r), 0);
	while (__atomic_load_n(&r.n, __ATOMIC_RELAXED) < 100)
		usleep(1000);
	for (i = 0; i < 20000; i++) {
		if (strcmp(text(t, "/etc/xdg/user/x.service"), "unit\n") != 0)
			bad++;
		if (fs->ops->opendir(fs, "/etc/xdg/user/../user", &d,
		    &t->err) != IRK_OK)
			bad++;
		else
			fs->ops->closedir(d);
	}
	__atomic_store_n(&r.stop, 1, __ATOMIC_RELAXED);
	assert_int_equal(pthread_join(th, NULL), 0);
	print_message("%ld renames, %d failed opens\n", r.n, bad);
	assert_int_equal(bad, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buf_bound),
		cmocka_unit_test(test_buf_lines),
		cmocka_unit_test(test_parse_numbers),
		cmocka_unit_test(test_time),
		cmocka_unit_test(test_json_bytes),
#define BOTH(f) \
		{ #f " (openat2)", f, fs_setup, fs_teardown, &use_openat2 }, \
		{ #f " (walk)", f, fs_setup, fs_teardown, &use_walk }
		BOTH(test_fs_host_confined),
		BOTH(test_fs_host_dotdot),
		BOTH(test_fs_host_absolute),
		BOTH(test_fs_host_loop),
		BOTH(test_fs_host_escape),
		BOTH(test_fs_host_nofollow),
		BOTH(test_fs_host_long),
		BOTH(test_fs_host_magic),
		BOTH(test_fs_host_rename_race),
		cmocka_unit_test(test_safe_escape),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
