/*
 * fuzz_evidence_read.c - the evidence stream reader (evidence_read.c)
 * fed whole archives: format detection, the decompression-bomb limiter
 * (its floor lowered to 4 MiB so it trips within a run), the top folder
 * and member matching, every member's content, the manifest check and
 * the trailing-data check.  The input's size modulo 3 picks what lies
 * beside it: no .sha256, one with the true digest, or a wrong one.
 *
 * max_len: 1048576
 */
#include <stdint.h>
#include <stdlib.h>

#include "evidence_read.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
sidecar(const char *path, const uint8_t *data, size_t size)
{
	char p[1024], hex[IRK_SHA256_HEX], line[IRK_SHA256_HEX + 32];

	snprintf(p, sizeof(p), "%s.sha256", path);
	switch (size % 3) {
	case 0:
		(void)unlink(p);
		break;
	case 1:
		irk_sha256_hex(data, size, hex);
		snprintf(line, sizeof(line), "%s  ev.tar.zst\n", hex);
		fz_write(p, line, strlen(line));
		break;
	default:
		fz_write(p, "00ff  ev.tar.zst\n", 17);
		break;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[1024];
	struct irk_evread_opts o;
	struct irk_evread *r;
	struct irk_member m;
	struct irk_err err;
	uint64_t done, total;
	char buf[65536];
	int n, members = 0;

	if (path[0] == '\0')
		fz_path(path, sizeof(path), "ev.tar.zst");
	fz_write(path, data, size);
	sidecar(path, data, size);
	memset(&o, 0, sizeof(o));
	o.ratio_floor = 4u << 20;
	irk_err_clear(&err);
	if (irk_evread_open(&r, path, &o, &err) != IRK_OK)
		return 0;
	(void)irk_evread_kind(r);
	(void)irk_evread_sha256(r);
	while (members++ < 100000 && (n = irk_evread_next(r, &m, &err)) == 1) {
		(void)irk_evread_format(r);
		if (m.type != IRK_M_FILE)
			continue;
		while (irk_evread_data(r, buf, sizeof(buf)) > 0)
			;
	}
	irk_evread_progress(r, &done, &total);
	irk_evread_finish(r);
	(void)irk_evread_verify(r);
	(void)irk_evread_problems(r);
	(void)irk_evread_manifest(r);
	(void)irk_evread_manifest_sha256(r);
	(void)irk_evread_partial(r);
	(void)irk_evread_sha256_absent(r);
	irk_evread_free(r);
	return 0;
}
