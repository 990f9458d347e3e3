/*
 * db_merge.h - shards into one case (irkit-analyze merge), and the scan
 * cache in and out of a case (irkit-analyze cache).  docs/scale-out.md.
 */
#ifndef IRKIT_DB_MERGE_H
#define IRKIT_DB_MERGE_H

#include <stdint.h>

#include "irkit/err.h"

struct irk_db;

struct irk_merge_result {
	uint64_t evidence;	/* evidence rows merged */
	uint64_t skipped;	/* already in the case (same content) */
	uint64_t rows;		/* rows copied, every table */
	uint64_t events;	/* of which timeline events */
	uint64_t cache;		/* new scan cache rows */
	uint64_t baselines;	/* baseline marks taken */
	uint64_t findings;	/* findings of the merged evidence, now */
};

/* Told of each evidence of the shard the case has already. */
typedef void irk_merge_skip_fn(void *arg, const char *path, int64_t shard_id,
    int64_t case_id);

/*
 * Make filenames in ATTACH read as URIs (the shard is attached
 * read-only): before the first database of the process is opened.
 */
void irk_db_merge_init(void);

/*
 * Merge the case database at shard into db (a writer), in one
 * transaction: evidence the case has (same SHA-256, media MD5 or
 * manifest) skipped (skip() told), every other row copied with its ids
 * moved past the case's, the scan cache and the baseline marks merged,
 * the findings of the merged evidence computed as ingest does.
 * IRK_OK; IRK_FAIL when shard is refused (not an irkit case, another
 * schema, the case itself; err says why, naming it), IRK_FATAL on a
 * database error (err); either way the case is as it was.
 */
int irk_db_merge(struct irk_db *db, const char *shard,
    irk_merge_skip_fn *skip, void *arg, struct irk_merge_result *res,
    struct irk_err *err);

/*
 * The baseline findings of every collection of host, removed and made
 * again (db_baseline.c): a baseline that came with a shard.
 */
int irk_db_baseline_redo(struct irk_db *db, int64_t host);

/* One scan cache row, as exported. */
struct irk_cache_row {
	char sha256[65];
	char rules_hash[65];
	int64_t matches;
	int64_t scanned_at;		/* IRK_TIME_NONE: unknown */
	const char *mime, *magic;	/* or NULL */
};

/*
 * Each scan cache row of the case that can serve another case (no
 * match: a match needs its rows): cb(arg, row); IRK_FATAL (err).
 */
int irk_db_cache_rows(struct irk_db *db,
    int (*cb)(void *arg, const struct irk_cache_row *row), void *arg,
    struct irk_err *err);

/* Add row unless the case has it: 1 added, 0 had it, IRK_FATAL. */
int irk_db_cache_put(struct irk_db *db, const struct irk_cache_row *row);

#endif
