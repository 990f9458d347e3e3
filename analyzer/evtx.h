/*
 * evtx.h - Windows event logs (EVTX) read with libevtx from memory
 * (libbfio memory range: no temporary file), each record's XML parsed
 * with libxml2 into a "win_event" record (docs/windows-events.md).
 *
 * libevtx (2018) predates its upstream fuzzing fixes: every file is
 * read with bounds (its size, the records and the time spent on it, the
 * size of one record's XML), so a hostile log ends with an error, never
 * a hang or a blown-up batch.
 */
#ifndef IRKIT_EVTX_H
#define IRKIT_EVTX_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

#include "irkit/collect.h"
#include "irkit/err.h"

/* Largest EVTX file read (4 KiB header and 16 Ki chunks of 64 KiB). */
#define IRK_EVTX_MAX		((1ULL << 30) + 4096)
/* Largest XML of one record (a record lives in one 64 KiB chunk). */
#define IRK_EVTX_XML_MAX	(1U << 20)
/* The first bytes of an EVTX file. */
#define IRK_EVTX_MAGIC		"ElfFile"	/* and its NUL: 8 bytes */

struct irk_evtx_limits {
	uint64_t max_records;	/* per file, recovered ones included */
	int64_t max_us;		/* wall time per file */
	size_t max_xml;		/* one record's XML */
};

struct irk_evtx_stats {
	uint64_t records;	/* handed over */
	uint64_t recovered;	/* of them, recovered from dirty chunks */
	uint64_t unreadable;	/* records libevtx or libxml2 refused */
	int corrupted;		/* libevtx says the file is corrupted */
	int stopped;		/* a bound ended the file early */
};

/* Called with each record (the reference is the callee's); nonzero stops. */
typedef int (*irk_evtx_fn)(void *arg, json_t *rec);

/* The default bounds (10 M records, 10 minutes, IRK_EVTX_XML_MAX). */
void irk_evtx_limits_default(struct irk_evtx_limits *lim);

/* 1 when data starts with the EVTX signature. */
int irk_evtx_is_evtx(const void *data, size_t len);

/*
 * Read the EVTX file held in data (path names it in the records) and
 * call fn with a "win_event" record for every record libevtx reads,
 * then for every one it recovers ("recovered": true).  Returns IRK_OK;
 * IRK_WARN when the file is corrupted, records could not be read or a
 * bound stopped it (st says which, err says it in words); IRK_FAIL when
 * it is not an EVTX file libevtx can open; IRK_FATAL when fn said stop.
 */
int irk_evtx_read(const void *data, size_t len, const char *path,
    const struct irk_evtx_limits *lim, irk_evtx_fn fn, void *arg,
    struct irk_evtx_stats *st, struct irk_err *err);

/*
 * One record's XML (libevtx's) into rec: channel, provider, event_id,
 * record_id, ts, computer, user_sid, level and data (the EventData or
 * UserData names and values).  -1 when it is not an event's XML.
 */
int irk_evtx_xml(const char *xml, size_t len, json_t *rec);

/*
 * Files found by their signature (the first bytes of a file read for
 * other reasons: image's walk, ingest's stream), read by the evtx
 * collector afterwards.  At most IRK_EVTX_FOUND_MAX are kept.
 */
#define IRK_EVTX_FOUND_MAX	10000

struct irk_evtx_found {
	char **paths;
	size_t n;
};

/* Keep a copy of path (a no-op past the bound or out of memory). */
void irk_evtx_found_add(struct irk_evtx_found *f, const char *path);
/* Forget them all (the list is empty and reusable). */
void irk_evtx_found_clear(struct irk_evtx_found *f);

/*
 * 1 when path (in a Windows root) is a NAME.evtx of the logs folder
 * (any case): the evtx collector reads it already.
 */
int irk_evtx_in_logs(const char *path);

/*
 * A collector reading the n files at paths (borrowed until it has run)
 * as the evtx collector reads its own: for irk_case_collect.
 */
const struct irk_collector *irk_evtx_found_collector(
    const char *const *paths, size_t n);

/*
 * The evtx collector over a volume shadow copy's file system: the paths
 * in its records and log entries start with prefix ("vss1@TIME:",
 * borrowed until it has run).
 */
const struct irk_collector *irk_evtx_snapshot_collector(const char *prefix);

#endif
