/*
 * fuzz_manifest.c - the manifest parser and checker of verify/ingest,
 * against a fixed set of members "seen" in an archive.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "evidence_read.h"
#include "irkit/strmap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct irk_strmap seen;
	json_t *problems = json_array(), *man = NULL;

	irk_strmap_init(&seen, free);
	irk_strmap_put(&seen, "records/processes.jsonl", strdup("2 "
	    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"));
	irk_strmap_put(&seen, "log.jsonl", strdup("0 "
	    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
	(void)irk_manifest_check((const char *)data, size, &seen, problems,
	    &man);
	json_decref(man);
	json_decref(problems);
	irk_strmap_release(&seen);
	return 0;
}
