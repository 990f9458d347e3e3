/*
 * fuzz_export_report.c - the outputs over hostile rows: the input's
 * JSONL records loaded into a fresh case file in the fuzzer's tmpfs
 * folder (fuzz_case.h: records, events, findings, indexes and views),
 * then every export format (timesketch-jsonl, timesketch-csv, l2tcsv,
 * bodyfile, csv, jsonl, tln; the odd-sized inputs in a named time zone
 * with a half-hour offset) and the HTML report written to /dev/null.
 *
 * max_len: 262144
 */
#include <stdint.h>
#include <stdlib.h>

#include "fuzz_case.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int irk_cmd_export(int argc, char **argv);
int irk_cmd_report(int argc, char **argv);

static const char *const formats[] = {
	"timesketch-jsonl", "timesketch-csv", "l2tcsv", "bodyfile", "csv",
	"jsonl", "tln",
};

static void
load(const char *path, const uint8_t *data, size_t size)
{
	struct irk_db *db;
	struct irk_err err;

	fz_unlink_db(path);
	if (irk_db_open(&db, path, &err) != 0 ||
	    fz_case_load(db, data, size) != IRK_OK ||
	    irk_db_finish_load(db, &err) != IRK_OK)
		abort();
	irk_db_close(db);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char db[1024];
	char *argv[12];
	int argc;

	if (db[0] == '\0')
		fz_path(db, sizeof(db), "case.db");
	load(db, data, size);
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		argc = 0;
		argv[argc++] = "export";
		argv[argc++] = "--db";
		argv[argc++] = db;
		argv[argc++] = "--format";
		argv[argc++] = (char *)formats[i];
		argv[argc++] = "-o";
		argv[argc++] = "/dev/null";
		if (size % 2) {
			argv[argc++] = "--tz";
			argv[argc++] = "America/St_Johns";
		}
		argv[argc] = NULL;
		if (irk_cmd_export(argc, argv) >= 2)
			abort();
	}
	argv[0] = "report";
	argv[1] = "--db";
	argv[2] = db;
	argv[3] = "-o";
	argv[4] = "/dev/null";
	argv[5] = NULL;
	if (irk_cmd_report(5, argv) >= 2)
		abort();
	return 0;
}
