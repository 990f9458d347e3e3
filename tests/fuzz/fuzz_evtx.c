/*
 * fuzz_evtx.c - EVTX files from hostile bytes: libevtx from memory and
 * the record XML reader (analyzer/evtx_read.c, evtx_xml.c) with tight
 * bounds (records, time), every record serialised and dropped.
 *
 * max_len: 200704
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <jansson.h>

#include "evtx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
const char *__lsan_default_suppressions(void);

/* libevtx's own leak of XML tags on a corrupt record (tests/lsan.supp) */
const char *
__lsan_default_suppressions(void)
{
	return "leak:libfwevt_xml_tag_initialize\n"
	    "leak:libfwevt_xml_token_initialize\n";
}

static int
drop(void *arg, json_t *rec)
{
	char *s = json_dumps(rec, JSON_COMPACT);

	(void)arg;
	free(s);
	json_decref(rec);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct irk_evtx_limits lim;
	struct irk_evtx_stats st;
	struct irk_err err;

	irk_evtx_limits_default(&lim);
	lim.max_records = 2000;
	lim.max_us = 5 * 1000000LL;
	(void)irk_evtx_read(data, size, "/fuzz.evtx", &lim, drop, NULL, &st,
	    &err);
	return 0;
}
