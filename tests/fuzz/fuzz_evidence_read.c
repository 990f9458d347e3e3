/*
 * fuzz_evidence_read.c - the evidence stream reader (evidence_read.c)
 * fed whole archives: format detection, the decompression-bomb limiter
 * (its floor lowered to 4 MiB so it trips within a run), the top folder
 * and member matching, every member's content, the manifest check and
 * the trailing-data check.  The input's size modulo 3 picks what lies
 * beside it: no .sha256, one with the true digest, or a wrong one.
 * Each input is read twice, inline and with the read-ahead thread
 * (evread_ahead.c).  When the inline read met no damage, any difference
 * in what is seen (members, their data, problems, verify outcome)
 * aborts.  (In a damaged stream, how much a member gives before its
 * error depends on the sizes asked for, in libarchive itself.)
 *
 * max_len: 1048576
 */
#include <stdint.h>
#include <stdio.h>
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

/*
 * One read of the input; what it saw, as text, into seen (a digest of
 * every member's name, type, size and data, then the outcome).
 */
static int
read_once(const char *path, int ahead, char seen[IRK_SHA256_HEX + 1024])
{
	struct irk_evread_opts o;
	struct irk_evread *r;
	struct irk_member m;
	struct irk_err err;
	struct irk_hash h;
	uint64_t done, total;
	char buf[65536], sum[IRK_SHA256_HEX], *probs;
	const char *why;
	ssize_t k;
	int n = 0, members = 0, clean = 1;

	memset(&o, 0, sizeof(o));
	o.ratio_floor = 4u << 20;
	o.ahead = ahead;
	o.whole_max = 1u << 20;
	irk_err_clear(&err);
	if (irk_evread_open(&r, path, &o, &err) != IRK_OK) {
		snprintf(seen, IRK_SHA256_HEX + 1024, "refused");
		return 1;
	}
	(void)irk_evread_kind(r);
	(void)irk_evread_sha256(r);
	if (irk_hash_init(&h, 0) != 0)
		abort();
	while (members++ < 100000 && (n = irk_evread_next(r, &m, &err)) == 1) {
		(void)irk_evread_format(r);
		irk_hash_update(&h, m.name, strlen(m.name) + 1);
		irk_hash_update(&h, &m.type, sizeof(m.type));
		irk_hash_update(&h, &m.size, sizeof(m.size));
		if (m.type != IRK_M_FILE)
			continue;
		/* read ahead: every other member's buffer taken whole when
		 * it comes so (irk_evread_data_take), as ingest does */
		if (ahead && members % 2 != 0) {
			void *p;

			if ((k = irk_evread_data_take(r, &p)) > 0)
				irk_hash_update(&h, p, (size_t)k);
			free(p);
		}
		/* odd sizes, as the ingest's reads are */
		while ((k = irk_evread_data(r, buf, 1 + members % 7 * 9001)) > 0)
			irk_hash_update(&h, buf, (size_t)k);
		irk_hash_update(&h, &k, sizeof(k));
		clean = clean && k == 0;
	}
	irk_hash_final(&h, sum, NULL, NULL);
	irk_evread_progress(r, &done, &total);
	irk_evread_finish(r);
	probs = json_dumps(irk_evread_problems(r), JSON_COMPACT);
	snprintf(seen, IRK_SHA256_HEX + 1024, "%s %s %d %d %llu %s %s", sum,
	    irk_evread_verify(r), irk_evread_partial(r),
	    irk_evread_sha256_absent(r),
	    (unsigned long long)irk_evread_unread(r, &why),
	    irk_evread_manifest_sha256(r) ? irk_evread_manifest_sha256(r) :
	    "-", probs ? probs : "?");
	free(probs);
	(void)irk_evread_manifest(r);
	clean = clean && n >= 0 && !irk_evread_partial(r) &&
	    irk_evread_unread(r, &why) == 0;
	irk_evread_free(r);
	return clean;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[1024];
	static char inline_seen[IRK_SHA256_HEX + 1024];
	static char ahead_seen[IRK_SHA256_HEX + 1024];
	int clean;

	if (path[0] == '\0')
		fz_path(path, sizeof(path), "ev.tar.zst");
	fz_write(path, data, size);
	sidecar(path, data, size);
	clean = read_once(path, 0, inline_seen);
	(void)read_once(path, 1, ahead_seen);
	if (clean && strcmp(inline_seen, ahead_seen) != 0) {
		fprintf(stderr, "inline:     %s\nread ahead: %s\n",
		    inline_seen, ahead_seen);
		abort();
	}
	return 0;
}
