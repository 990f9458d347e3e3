/*
 * fuzz_dnf_wal.c - dnf's history.sqlite with its write-ahead log
 * (analyzer/db_dnf.c, irk_dnf_history_read_path): the input is a 4-byte
 * little-endian length N, then N bytes of database, the rest the -wal;
 * both written into a private folder under IRK_FUZZ_TMP (or /tmp), read
 * there by SQLite with the log applied, every row walked, the folder
 * emptied after each input.
 * max_len: 262144
 */
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db_dnf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[PATH_MAX];

static int
each(void *arg, const struct irk_dnf_item *it)
{
	size_t *n = arg;

	*n += it->name.n + it->version.n + it->arch.n + it->cmdline.n +
	    it->old_version.n + strlen(it->action) + (size_t)it->trans;
	if (it->name.n > 0)
		*n += (unsigned char)it->name.p[it->name.n - 1];
	return IRK_OK;
}

static void
put(const char *name, const uint8_t *p, size_t n)
{
	char path[PATH_MAX + 32];
	int fd;

	(void)snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600)) < 0 ||
	    write(fd, p, n) != (ssize_t)n)
		abort();
	close(fd);
}

static void
clean(void)
{
	static const char *const names[] = { "h.sqlite", "h.sqlite-wal",
	    "h.sqlite-shm", "h.sqlite-journal" };
	char path[PATH_MAX + 32];

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		(void)snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		(void)unlink(path);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *tmp = getenv("IRK_FUZZ_TMP");
	char path[PATH_MAX + 32];
	struct irk_err err;
	int64_t frames;
	size_t n = 0, dbn;
	int cut;

	if (size < 4)
		return 0;
	if (dir[0] == '\0') {
		(void)snprintf(dir, sizeof(dir), "%s/dnf_wal.XXXXXX",
		    tmp != NULL ? tmp : "/tmp");
		if (mkdtemp(dir) == NULL)
			abort();
	}
	dbn = (size_t)data[0] | (size_t)data[1] << 8 | (size_t)data[2] << 16 |
	    (size_t)data[3] << 24;
	data += 4;
	size -= 4;
	if (dbn > size)
		dbn = size;
	put("h.sqlite", data, dbn);
	put("h.sqlite-wal", data + dbn, size - dbn);
	(void)snprintf(path, sizeof(path), "%s/h.sqlite", dir);
	(void)irk_dnf_history_read_path(path, each, &n, &cut, &frames, &err);
	clean();
	return n == 1 ? 1 : 0;
}
