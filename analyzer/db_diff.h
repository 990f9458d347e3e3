/*
 * db_diff.h - what changed between two collections of a host in a case
 * (db_diff.c; irkit-analyze diff).
 */
#ifndef IRKIT_DB_DIFF_H
#define IRKIT_DB_DIFF_H

#include <stdint.h>
#include <jansson.h>

#include "irkit/err.h"

struct irk_db;
struct irk_record_type;

/* One difference, valid during the callback. */
struct irk_diff_change {
	const struct irk_record_type *type;
	const char *change;	/* added | removed | changed */
	/* the identity key's fields; the compared fields before (removed,
	 * changed) and after (added, changed): for a change only those
	 * that differ; NULL where there is no such side */
	json_t *key, *before, *after;
	/* added or removed, but the life of a running host (a process
	 * started, a connection closed), not a change */
	int volatile_;
	/* the rows in the type's table (0: no such side) */
	int64_t old_row, new_row;
};

struct irk_diff {
	struct irk_db *db;	/* a reader or a writer */
	int64_t old_id, new_id;
	/* each difference, type by type (records/list.h order), sorted by
	 * key; non-zero stops */
	int (*cb)(void *arg, const struct irk_diff_change *c);
	void *arg;
	/* counted by irk_db_diff */
	uint64_t changes, volatile_;
};

/*
 * A field's value as text for people: a string as is, other values as
 * compact JSON (*owned, to free); NULL for null and "", which are not
 * shown.
 */
const char *irk_diff_value_text(const json_t *v, char **owned);

/* An evidence row as named on the command line. */
struct irk_diff_side {
	int64_t id, host_id;	/* host_id 0: none known */
	char path[1024];
	int64_t time;		/* collection start, else load; INT64_MIN */
	char status[32];
};

/*
 * Each collection of a host that has two or more in the case, host by
 * host, oldest first (by collection start, else load time):
 * cb(arg, host name, evidence id, its path, its time).  IRK_FATAL.
 */
int irk_db_host_collections(struct irk_db *db, void (*cb)(void *arg,
    const char *host, int64_t host_id, int64_t evidence, const char *path,
    int64_t time), void *arg);

/* Compare d->old_id with d->new_id: IRK_OK, or IRK_FATAL (err set). */
int irk_db_diff(struct irk_diff *d, struct irk_err *err);

/*
 * The evidence ref names (its id, its path as loaded, or a prefix of six
 * or more hex digits of its SHA-256).  IRK_FAIL (err says why) when none
 * or several match; IRK_FATAL when the case cannot be read.
 */
int irk_db_evidence_ref(struct irk_db *db, const char *ref,
    struct irk_diff_side *out, struct irk_err *err);

#endif
