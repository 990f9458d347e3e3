/*
 * fuzz_rpm_ndb.c - an rpm ndb Packages.db as the rpm_packages collector
 * reads it: the input's bytes copied into a private folder as
 * Packages.db, read by irkit's container reader (analyzer/rpm_ndb.c),
 * each blob it accepts checked and imported by librpm (rpm_db.c), and
 * every header's file list walked as the collector walks it.
 *
 * max_len: 65536
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <rpm/header.h>
#include <rpm/rpmfi.h>
#include <rpm/rpmtag.h>

#include "fuzz_util.h"
#include "rpm_db.h"
#include "irkit/pkgcheck.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
each(void *arg, Header h)
{
	rpmfi fi = rpmfiNew(NULL, h, RPMTAG_BASENAMES, RPMFI_FLAGS_VERIFY);
	char *nevra = headerGetAsString(h, RPMTAG_NEVRA);

	free(nevra);
	if (fi == NULL)
		return 0;
	fi = rpmfiInit(fi, 0);
	while (rpmfiNext(fi) >= 0) {
		const char *fn = rpmfiFN(fi);

		*(size_t *)arg += (fn ? strlen(fn) : 0) +
		    (size_t)rpmfiFSize(fi) + rpmfiFMode(fi);
	}
	rpmfiFree(fi);
	return 0;
}

static void
quiet(void *arg, int error, const char *msg)
{
	*(size_t *)arg += (size_t)error + strlen(msg);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct irk_rpmdb_copy cp;
	struct irk_err err;
	size_t n = 0;

	setenv("TMPDIR", fz_dir(), 1);
	if (irk_rpmdb_copy_new(&cp, &err) != IRK_OK)
		abort();
	cp.backend = IRK_RPMDB_NDB;
	if (irk_rpmdb_copy_bytes(&cp, IRK_RPM_NDB, data, size, &err) ==
	    IRK_OK)
		(void)irk_rpmdb_each(&cp, each, quiet, &n, &err);
	irk_rpmdb_copy_remove(&cp);
	return 0;
}
