/*
 * tmpcopy.c - evidence copied into private temporary files (tmpcopy.h).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tmpcopy.h"
#include "irkit/io.h"
#include "irkit/banned.h"

#define CHUNK	(1u << 20)

/* The folder the copies go under: $TMPDIR if absolute, else /var/tmp. */
static const char *
tmp_base(void)
{
	const char *t = getenv("TMPDIR");

	return t != NULL && t[0] == '/' ? t : "/var/tmp";
}

int
irk_tmp_dir_new(char dir[PATH_MAX], const char *prefix, struct irk_err *err)
{
	const char *base = tmp_base();
	int n = snprintf(dir, PATH_MAX, "%s/%s.XXXXXX", base, prefix);

	if (n < 0 || n >= PATH_MAX - 64) {
		dir[0] = '\0';
		irk_err_set(err, ENAMETOOLONG, "TMPDIR '%s' too long", base);
		return IRK_FAIL;
	}
	if (mkdtemp(dir) == NULL) {
		irk_err_set(err, errno, "cannot make a temporary folder in "
		    "'%s'", base);
		dir[0] = '\0';
		return IRK_FAIL;
	}
	return IRK_OK;
}

void
irk_tmp_dir_remove(char dir[PATH_MAX])
{
	struct dirent *de;
	DIR *d;

	if (dir[0] == '\0')
		return;
	if ((d = opendir(dir)) != NULL) {
		while ((de = readdir(d)) != NULL)
			if (strcmp(de->d_name, ".") != 0 &&
			    strcmp(de->d_name, "..") != 0)
				(void)unlinkat(dirfd(d), de->d_name, 0);
		closedir(d);
	}
	(void)rmdir(dir);
	dir[0] = '\0';
}

int
irk_tmp_create(const char *dir, const char *name, struct irk_err *err)
{
	int dfd, fd;

	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		irk_err_set(err, errno, "open '%s'", dir);
		return -1;
	}
	fd = openat(dfd, name, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0600);
	if (fd < 0)
		irk_err_set(err, errno, "create '%s/%s'", dir, name);
	close(dfd);
	return fd;
}

int
irk_tmp_unnamed(struct irk_err *err)
{
	int fd = -1;

#ifdef O_TMPFILE
	fd = open(tmp_base(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
#else
	errno = EOPNOTSUPP;
#endif
	if (fd < 0)
		irk_err_set(err, errno, "cannot make an unnamed file in '%s'",
		    tmp_base());
	return fd;
}

int
irk_tmp_link(int fd, const char *dir, const char *name, struct irk_err *err)
{
	char from[64], to[PATH_MAX];
	int n = snprintf(to, sizeof(to), "%s/%s", dir, name);

	(void)snprintf(from, sizeof(from), "/proc/self/fd/%d", fd);
	if (n < 0 || (size_t)n >= sizeof(to)) {
		irk_err_set(err, ENAMETOOLONG, "'%s' too long", dir);
		return IRK_FAIL;
	}
	if (linkat(AT_FDCWD, from, AT_FDCWD, to, AT_SYMLINK_FOLLOW) != 0) {
		irk_err_set(err, errno, "cannot name a temporary file '%s'",
		    to);
		return IRK_FAIL;
	}
	return IRK_OK;
}

int
irk_tmp_copy(struct irk_collect *c, const char *path, int fd, uint64_t max,
    uint64_t *size)
{
	struct irk_file *f;
	struct irk_err err;
	uint64_t off = 0;
	ssize_t n = 0;
	char *buf;

	*size = 0;
	if (irk_fs_open(c->fs, path, &f, &err) != IRK_OK) {
		irk_collect_log_err(c, IRK_LOG_ERROR, path, &err);
		return IRK_FAIL;
	}
	buf = malloc(CHUNK);
	while (buf != NULL && off < max && (n = irk_fs_pread(c->fs, f, buf,
	    max - off < CHUNK ? (size_t)(max - off) : CHUNK, off)) > 0) {
		if (irk_write_all(fd, buf, (size_t)n) != 0) {
			n = -1;
			break;
		}
		off += (uint64_t)n;
	}
	if (buf == NULL || n < 0)
		irk_collect_log(c, IRK_LOG_ERROR, path, buf == NULL ? ENOMEM :
		    errno, "cannot copy to a temporary file");
	free(buf);
	irk_fs_close(c->fs, f);
	*size = off;
	return buf == NULL || n < 0 ? IRK_FAIL : IRK_OK;
}
