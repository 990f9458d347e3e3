/*
 * fuzz_sink.h - a collection sink for the harnesses that run collectors:
 * every record and log entry serialised (so a bad value is touched) and
 * dropped; fz_run_collectors runs collectors over a root folder into it.
 */
#ifndef IRK_FUZZ_SINK_H
#define IRK_FUZZ_SINK_H

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "irkit/collect.h"
#include "irkit/fs.h"

static int
fz_sink_record(void *arg, const char *collector, json_t *rec,
    struct irk_err *err)
{
	char *s = json_dumps(rec, JSON_COMPACT);

	(void)arg;
	(void)collector;
	(void)err;
	free(s);
	return IRK_OK;
}

static void
fz_sink_log(void *arg, json_t *entry)
{
	char *s = json_dumps(entry, JSON_COMPACT);

	(void)arg;
	free(s);
}

static const struct irk_sink_ops fz_sink = {
	fz_sink_record, NULL, fz_sink_log, NULL,
};

/* Run the n collectors cols over the root folder root into fz_sink. */
static void
fz_run_collectors(const char *root, const struct irk_collector *const *cols,
    size_t n)
{
	struct irk_collect_opts opts;
	struct irk_collect c;
	struct irk_fs *fs;
	struct irk_err err;

	if (irk_fs_host_open(&fs, root, &err) != IRK_OK)
		abort();
	memset(&opts, 0, sizeof(opts));
	opts.max_file_size = 1 << 20;
	opts.now = 1700000000000000LL;
	irk_collect_init(&c, fs, &opts, &fz_sink, NULL);
	for (size_t i = 0; i < n; i++)
		(void)irk_collect_run(&c, cols[i]);
	irk_collect_release(&c);
	irk_fs_free(fs);
}

#endif
