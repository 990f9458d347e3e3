/*
 * fuzz_jsonl_records.c - the JSONL record loader of ingest: the line
 * assembler (fed in two chunks split where the first byte says) and
 * every record line loaded into an in-memory case database.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "jsonl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
line_cb(void *arg, uint64_t lineno, const char *line, size_t len,
    int overlong)
{
	struct irk_db *db = arg;
	struct irk_err err;

	(void)lineno;
	if (!overlong)
		(void)irk_jsonl_record(db, line, len, &err);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct irk_db *db;
	static unsigned runs;
	struct irk_jsonl j;
	struct irk_err err;
	size_t split;

	if (db == NULL || ++runs % 2000 == 0) {
		irk_db_close(db);
		db = NULL;
		if (irk_db_open(&db, ":memory:", &err) != 0)
			abort();
		irk_db_set_current_evidence(db, 1);
	}
	split = size > 0 ? data[0] % (size + 1) : 0;
	irk_db_begin(db);
	irk_jsonl_init(&j, 4096);
	irk_jsonl_feed(&j, (const char *)data, split, line_cb, db);
	irk_jsonl_feed(&j, (const char *)data + split, size - split, line_cb,
	    db);
	irk_jsonl_end(&j, line_cb, db);
	irk_jsonl_release(&j);
	irk_db_commit(db);
	return 0;
}
