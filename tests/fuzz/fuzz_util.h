/*
 * fuzz_util.h - what the harnesses that need files share: one private
 * folder per fuzzing process (under $IRK_FUZZ_TMP, else /dev/shm or
 * /tmp); every run overwrites the same few files in it, so nothing piles
 * up however long the campaign.  It is removed at exit when libFuzzer
 * exits through exit(3), which it does not always do (-runs=N): run.sh
 * and campaign.sh set IRK_FUZZ_TMP to a folder they remove themselves.
 */
#ifndef IRK_FUZZ_UTIL_H
#define IRK_FUZZ_UTIL_H

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char fz_root[512];

static int
fz_rm(const char *p, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)flag;
	(void)f;
	(void)remove(p);
	return 0;
}

static void
fz_cleanup(void)
{
	if (fz_root[0] != '\0')
		(void)nftw(fz_root, fz_rm, 16, FTW_DEPTH | FTW_PHYS);
	fz_root[0] = '\0';
}

/* The process's folder, made on first use. */
static const char *
fz_dir(void)
{
	const char *base = getenv("IRK_FUZZ_TMP");

	if (fz_root[0] != '\0')
		return fz_root;
	if (base == NULL || *base == '\0')
		base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
	snprintf(fz_root, sizeof(fz_root), "%s/irkfz-%ld-XXXXXX", base,
	    (long)getpid());
	if (mkdtemp(fz_root) == NULL) {
		perror(fz_root);
		abort();
	}
	atexit(fz_cleanup);
	return fz_root;
}

/* fz_dir()/rel into out (folders of rel made). */
static const char *
fz_path(char *out, size_t len, const char *rel)
{
	char *s;

	if ((size_t)snprintf(out, len, "%s/%s", fz_dir(), rel) >= len)
		abort();
	for (s = out + strlen(fz_root) + 1; (s = strchr(s, '/')) != NULL;
	    s++) {
		*s = '\0';
		(void)mkdir(out, 0700);
		*s = '/';
	}
	return out;
}

/* Write data to path (replaced in place: links to it see it too). */
static void
fz_write(const char *path, const void *data, size_t size)
{
	const char *p = data;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	ssize_t n;

	if (fd < 0) {
		perror(path);
		abort();
	}
	while (size > 0) {
		if ((n = write(fd, p, size)) < 0) {
			if (errno == EINTR)
				continue;
			perror(path);
			abort();
		}
		p += n;
		size -= (size_t)n;
	}
	close(fd);
}

/* Remove a case database and its companions (-wal, -shm, -journal). */
static void
fz_unlink_db(const char *path)
{
	static const char *const sfx[] = { "", "-wal", "-shm", "-journal" };
	char p[1024];

	for (size_t i = 0; i < sizeof(sfx) / sizeof(sfx[0]); i++) {
		snprintf(p, sizeof(p), "%s%s", path, sfx[i]);
		(void)unlink(p);
	}
}

#endif
