/*
 * fuzz_case.h - fuzzed JSONL records into a case, as ingest loads an
 * irkit collection's records: one evidence row (its key from a counter,
 * so a database reused across runs gets a new one each time), a host,
 * every line through irk_jsonl_record, the evidence completed, the
 * findings scored, committed.
 */
#ifndef IRK_FUZZ_CASE_H
#define IRK_FUZZ_CASE_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "db.h"
#include "jsonl.h"

static void
fz_case_line(void *arg, uint64_t lineno, const char *line, size_t len,
    int overlong)
{
	struct irk_db *db = arg;
	struct irk_err err;

	(void)lineno;
	if (!overlong)
		(void)irk_jsonl_record(db, line, len, &err);
}

/* Load data into db; IRK_OK or what failed (the case, not the data). */
static int
fz_case_load(struct irk_db *db, const uint8_t *data, size_t size)
{
	static unsigned long long serial;
	struct irk_jsonl j;
	struct irk_err err;
	char key[65];
	json_t *host, *cols;
	int64_t eid, hid;
	int r;

	snprintf(key, sizeof(key), "%064llx", ++serial);
	if (irk_db_begin(db) != IRK_OK ||
	    irk_db_evidence_add(db, "fuzz.tar.zst", key, size, "irkit",
	    "tar.zst", &eid, &err) != 0)
		return IRK_FATAL;
	host = json_pack("{s:s, s:s}", "hostname", "fuzz01", "machine_id",
	    "0123456789abcdef0123456789abcdef");
	r = irk_db_host(db, host, &hid);
	json_decref(host);
	if (r != IRK_OK)
		return IRK_FATAL;
	irk_jsonl_init(&j, 1 << 20);
	irk_jsonl_feed(&j, (const char *)data, size, fz_case_line, db);
	irk_jsonl_end(&j, fz_case_line, db);
	irk_jsonl_release(&j);
	cols = json_pack("{s:I, s:s, s:s}", "host_id", (json_int_t)hid,
	    "status", "complete", "verify", "intact");
	r = irk_db_evidence_set(db, eid, cols);
	json_decref(cols);
	if (r != IRK_OK || irk_db_fix_host(db, eid) != IRK_OK)
		return IRK_FATAL;
	(void)irk_db_findings(db, &err);
	return irk_db_commit(db);
}

#endif
