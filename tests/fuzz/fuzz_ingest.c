/*
 * fuzz_ingest.c - the ingest path from an archive's members to rows:
 * irkit-analyze ingest (no rules, one scan thread) run on the input
 * into a fresh case in the fuzzer's tmpfs folder: the files rows and
 * their events, records/<x>.jsonl lines into the typed tables, log.jsonl
 * into the log, the manifest's host and times, content hashing and
 * typing (an odd-sized input with --max-file-size 1K, so members also
 * stream), the verify outcome and the findings.
 *
 * max_len: 1048576
 */
#include <stdint.h>
#include <stdlib.h>

#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int irk_cmd_ingest(int argc, char **argv);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char in[1024], db[1024];
	char *argv[12];
	int argc = 0;

	if (in[0] == '\0') {
		fz_path(in, sizeof(in), "in.tar.zst");
		fz_path(db, sizeof(db), "case.db");
	}
	fz_write(in, data, size);
	fz_unlink_db(db);
	argv[argc++] = "ingest";
	argv[argc++] = "--db";
	argv[argc++] = db;
	argv[argc++] = "--no-default-rules";
	argv[argc++] = "-j";
	argv[argc++] = "1";
	argv[argc++] = "-q";
	if (size % 2) {
		argv[argc++] = "--max-file-size";
		argv[argc++] = "1K";
	}
	argv[argc++] = in;
	argv[argc] = NULL;
	if (irk_cmd_ingest(argc, argv) == 3 && size > 0)
		/* fatal is for the case, never for what the evidence holds */
		abort();
	return 0;
}
