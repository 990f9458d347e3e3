/*
 * fuzz_findings.c - the findings over hostile records: the input's JSONL
 * lines loaded into a case in memory (fuzz_case.h) and every finding
 * rule run on them (findings.c, the record types' declared rules).
 * The database is reused for 500 runs (a new evidence row each), then
 * opened afresh.
 *
 * max_len: 262144
 */
#include <stdint.h>
#include <stdlib.h>

#include "fuzz_case.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct irk_db *db;
	static unsigned runs;
	struct irk_err err;

	if (db == NULL || ++runs % 500 == 0) {
		irk_db_close(db);
		db = NULL;
		if (irk_db_open(&db, ":memory:", &err) != 0)
			abort();
	}
	if (fz_case_load(db, data, size) != IRK_OK)
		abort();
	return 0;
}
