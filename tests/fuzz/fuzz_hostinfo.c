/*
 * fuzz_hostinfo.c - host facts from a hostile root (hostinfo.c): the
 * input, split at NUL bytes, is /etc/os-release, /etc/hostname,
 * /etc/timezone, /etc/machine-id, /proc/stat,
 * /proc/sys/kernel/osrelease and the target of the /etc/localtime link,
 * in that order (files past the last part are absent, so the fallbacks
 * run: /usr/lib/os-release, the link).  The facts then go where a
 * manifest's host goes in the case (irk_db_host, in memory).
 *
 * max_len: 131072
 */
#include <stdint.h>
#include <stdlib.h>

#include "db.h"
#include "irkit/fs.h"
#include "irkit/hostinfo.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const files[] = {
	"etc/os-release", "etc/hostname", "etc/timezone", "etc/machine-id",
	"proc/stat", "proc/sys/kernel/osrelease",
};
#define NFILES	(sizeof(files) / sizeof(files[0]))

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct irk_db *db;
	static unsigned runs;
	char p[1024], rel[256], root[1024], target[4096];
	const uint8_t *part = data, *end = data + size, *nul;
	struct irk_fs *fs;
	struct irk_err err;
	json_t *host;
	int64_t hid;
	size_t i, n;
	char *s;

	fz_path(root, sizeof(root), "root");
	(void)mkdir(root, 0700);
	fz_write(fz_path(p, sizeof(p), "root/usr/lib/os-release"),
	    "ID=fallback\n", 12);
	for (i = 0; i <= NFILES; i++) {
		nul = part != NULL ? memchr(part, 0, (size_t)(end - part)) :
		    NULL;
		n = part == NULL ? 0 : nul != NULL ? (size_t)(nul - part) :
		    (size_t)(end - part);
		if (i < NFILES) {
			snprintf(rel, sizeof(rel), "root/%s", files[i]);
			fz_path(p, sizeof(p), rel);
			if (part != NULL)
				fz_write(p, part, n);
			else
				(void)unlink(p);
		} else {
			fz_path(p, sizeof(p), "root/etc/localtime");
			(void)unlink(p);
			if (part != NULL && n > 0) {
				if (n >= sizeof(target))
					n = sizeof(target) - 1;
				memcpy(target, part, n);
				target[n] = '\0';
				(void)symlink(target, p);
			}
		}
		part = nul != NULL ? nul + 1 : NULL;
	}
	if (irk_fs_host_open(&fs, root, &err) != IRK_OK)
		abort();
	host = irk_hostinfo(fs, 0);
	irk_fs_free(fs);
	s = json_dumps(host, JSON_COMPACT);
	free(s);
	if (db == NULL || ++runs % 2000 == 0) {
		irk_db_close(db);
		db = NULL;
		if (irk_db_open(&db, ":memory:", &err) != 0)
			abort();
	}
	(void)irk_db_host(db, host, &hid);
	json_decref(host);
	return 0;
}
