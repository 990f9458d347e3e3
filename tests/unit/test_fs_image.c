/*
 * test_fs_image.c - struct irk_fs over a TSK file system
 * (analyzer/fs_image.c) on small volumes made here with mke2fs and
 * mkfs.vfat (e2fsprogs, dosfstools: build.sh's test packages): a path
 * TSK does not find answers ENOENT with the same message every time
 * (the second answer from the kept misses), and never hides a path that
 * is there; irk_fs_image_detect() finds the type TSK's own detection
 * finds (the oracle), and nothing in zeros.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <tsk/libtsk.h>

#include "fs_image.h"
#include "irkit/fs.h"

extern char **environ;

static char dir[] = "/tmp/irkit-fsimg.XXXXXX";

/* Run argv (a test's tool, found on PATH); its exit status. */
static int
run(const char *const argv[])
{
	int st;
	pid_t pid;
	posix_spawn_file_actions_t fa;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	if (posix_spawnp(&pid, argv[0], &fa, NULL,
	    (char *const *)(uintptr_t)argv, environ) != 0) {
		posix_spawn_file_actions_destroy(&fa);
		return -1;
	}
	posix_spawn_file_actions_destroy(&fa);
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

static void
path_in(char *out, size_t n, const char *name)
{
	snprintf(out, n, "%s/%s", dir, name);
}

/* An image of size bytes of zeros at path. */
static void
zeros(const char *path, off_t size)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, size), 0);
	close(fd);
}

static int
setup(void **state)
{
	char root[512], etc[600], f[700], img[512];
	FILE *fp;

	(void)state;
	if (mkdtemp(dir) == NULL)
		return -1;
	path_in(root, sizeof(root), "root");
	snprintf(etc, sizeof(etc), "%s/etc", root);
	if (mkdir(root, 0755) != 0 || mkdir(etc, 0755) != 0)
		return -1;
	snprintf(f, sizeof(f), "%s/hostname", etc);
	if ((fp = fopen(f, "w")) == NULL)
		return -1;
	fputs("fsimg\n", fp);
	fclose(fp);
	path_in(img, sizeof(img), "ext4.raw");
	zeros(img, 4 << 20);
	{
		const char *argv[] = { "mke2fs", "-q", "-F", "-t", "ext4", "-d",
		    root, img, NULL };

		if (run(argv) != 0)
			return -1;
	}
	path_in(img, sizeof(img), "fat.raw");
	zeros(img, 4 << 20);
	{
		const char *argv[] = { "mkfs.vfat", img, NULL };

		if (run(argv) != 0)
			return -1;
	}
	path_in(img, sizeof(img), "zeros.raw");
	zeros(img, 4 << 20);
	return 0;
}

static int
teardown(void **state)
{
	const char *names[] = { "ext4.raw", "fat.raw", "zeros.raw",
	    "root/etc/hostname", "root/etc", "root" };
	char p[600];

	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		path_in(p, sizeof(p), names[i]);
		if (unlink(p) != 0)
			(void)rmdir(p);
	}
	(void)rmdir(dir);
	return 0;
}

static TSK_IMG_INFO *
open_img(const char *name)
{
	char p[600];
	const char *one[1] = { p };
	TSK_IMG_INFO *img;

	path_in(p, sizeof(p), name);
	img = tsk_img_open_utf8(1, one, TSK_IMG_TYPE_RAW, 0);
	assert_non_null(img);
	return img;
}

/* The type irk_fs_image_detect finds is TSK's detection's; NULL in
 * zeros, as TSK. */
static void
test_detect_as_tsk(void **state)
{
	const char *names[] = { "ext4.raw", "fat.raw", "zeros.raw" };

	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		TSK_IMG_INFO *img = open_img(names[i]);
		TSK_FS_INFO *ours = irk_fs_image_detect(img, 0);
		TSK_FS_INFO *tsk = tsk_fs_open_img(img, 0, TSK_FS_TYPE_DETECT);

		tsk_error_reset();
		if (i < 2) {
			assert_non_null(ours);
			assert_non_null(tsk);
			assert_int_equal(ours->ftype, tsk->ftype);
		} else {
			assert_null(ours);
			assert_null(tsk);
		}
		tsk_fs_close(ours);
		tsk_fs_close(tsk);
		tsk_img_close(img);
	}
}

/* An absent path: ENOENT and the same message, asked again and again;
 * the paths that are there are still found, before and after. */
static void
test_absent_kept(void **state)
{
	TSK_IMG_INFO *img = open_img("ext4.raw");
	TSK_FS_INFO *fsi = irk_fs_image_detect(img, 0);
	struct irk_fs *fs = NULL;
	struct irk_stat st;
	struct irk_err e1, e2;

	(void)state;
	assert_non_null(fsi);
	assert_int_equal(irk_fs_image_open(&fs, fsi, &e1), IRK_OK);
	assert_int_equal(fs->ops->stat(fs, "/etc/hostname", 0, &st, &e1),
	    IRK_OK);
	assert_int_equal(st.size, 6);
	for (int i = 0; i < 3; i++) {
		memset(&e2, 0, sizeof(e2));
		assert_int_equal(fs->ops->stat(fs, "/var/log", 0, &st, &e2),
		    IRK_FAIL);
		assert_int_equal(e2.errnum, ENOENT);
		if (i == 0)
			e1 = e2;
		else
			assert_string_equal(e1.msg, e2.msg);
		assert_non_null(strstr(e2.msg, "/var/log"));
	}
	/* the kept miss is that path's only: its parent, and a sibling */
	assert_int_equal(fs->ops->stat(fs, "/etc", 0, &st, &e1), IRK_OK);
	assert_int_equal(fs->ops->stat(fs, "/etc/hostname", 1, &st, &e1),
	    IRK_OK);
	assert_int_equal(fs->ops->stat(fs, "/var", 0, &st, &e1), IRK_FAIL);
	/* with a NULL err too (the collectors' probes) */
	assert_int_equal(fs->ops->stat(fs, "/var/log", 0, &st, NULL),
	    IRK_FAIL);
	irk_fs_free(fs);
	tsk_fs_close(fsi);
	tsk_img_close(img);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_detect_as_tsk),
		cmocka_unit_test(test_absent_kept),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
