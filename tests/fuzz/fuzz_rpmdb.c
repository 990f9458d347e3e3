/*
 * fuzz_rpmdb.c - an rpm database as the rpm_packages collector reads
 * it (analyzer/rpm_db.c): the input's bytes copied into a private
 * folder as rpmdb.sqlite (when they start as an SQLite file) or as a
 * BerkeleyDB Packages (otherwise), opened read-only with librpm, and
 * every header's file list walked as the collector walks it.
 *
 * max_len: 262144
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <rpm/header.h>
#include <rpm/rpmfi.h>
#include <rpm/rpmtag.h>

#include "fuzz_util.h"
#include "rpm_db.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
const char *__lsan_default_suppressions(void);

/*
 * librpm 4.18's own leak when sqlite refuses a malformed database
 * (tests/lsan.supp); the stack unwound from inside libsqlite3 (no frame
 * pointers) stops there, so the library is named too: irkit's code on
 * this path makes no sqlite call of its own.
 */
const char *
__lsan_default_suppressions(void)
{
	return "leak:rpmtsOpenDB\nleak:libsqlite3.so\n";
}

static int
each(void *arg, Header h)
{
	rpmfi fi = rpmfiNew(NULL, h, RPMTAG_BASENAMES, RPMFI_FLAGS_VERIFY);
	char *evr = headerGetAsString(h, RPMTAG_EVR);
	int algo;

	free(evr);
	if (fi == NULL)
		return 0;
	fi = rpmfiInit(fi, 0);
	while (rpmfiNext(fi) >= 0) {
		const char *fn = rpmfiFN(fi), *l = rpmfiFLink(fi);
		char *d = rpmfiFDigestHex(fi, &algo);

		*(size_t *)arg += (fn ? strlen(fn) : 0) + (l ? strlen(l) : 0) +
		    (d ? strlen(d) : 0) + (size_t)rpmfiFSize(fi) +
		    rpmfiFMode(fi) + rpmfiFFlags(fi) + rpmfiVFlags(fi);
		free(d);
	}
	rpmfiFree(fi);
	return 0;
}

static void
quiet(void *arg, int error, const char *msg)
{
	(void)arg;
	(void)error;
	(void)msg;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char sqlite[] = "SQLite format 3";
	struct irk_rpmdb_copy cp;
	struct irk_err err;
	size_t n = 0;
	int isq = size >= sizeof(sqlite) && memcmp(data, sqlite,
	    sizeof(sqlite)) == 0;

	setenv("TMPDIR", fz_dir(), 1);
	if (irk_rpmdb_copy_new(&cp, &err) != IRK_OK)
		abort();
	cp.backend = isq ? "sqlite" : "bdb_ro";
	if (irk_rpmdb_copy_bytes(&cp, isq ? "rpmdb.sqlite" : "Packages",
	    data, size, &err) == IRK_OK)
		(void)irk_rpmdb_each(&cp, each, quiet, &n, &err);
	irk_rpmdb_copy_remove(&cp);
	return 0;
}
