/*
 * findings_list.h - reading a case's findings back, ranked, for the
 * command line (irkit-analyze findings).  Scoring is findings.c's.
 * A part of the db layer (findings_list.c reads the case).
 */
#ifndef IRKIT_FINDINGS_LIST_H
#define IRKIT_FINDINGS_LIST_H

#include <stdint.h>

#include "irkit/err.h"

struct irk_db;

/* One finding as stored; the strings live until the next row. */
struct irk_finding_row {
	int64_t id;
	int score;			/* 0-100 */
	const char *host;		/* hosts.hostname, or NULL */
	const char *title;
	const char *category;		/* or NULL */
	const char *reasons;		/* JSON array text, or NULL */
	const char *links;		/* JSON [{"table", "id"}], or NULL */
	int64_t ts;			/* IRK_TIME_NONE when unknown */
	int64_t evidence_id;		/* 0 when unknown */
	const char *evidence;		/* evidence.path, or NULL */
};

struct irk_findings_filter {
	int min_score;			/* score >= min_score */
	const char *host;		/* NULL: all; ASCII case ignored */
};

/*
 * Call fn for each finding that passes the filter, highest score first
 * (then the earliest, then by id); a non-zero return from fn stops the
 * walk and is returned.  0, or IRK_FATAL with a message (not a case
 * database, I/O error).
 */
int irk_findings_each(struct irk_db *db, const struct irk_findings_filter *f,
    int (*fn)(const struct irk_finding_row *, void *), void *arg,
    struct irk_err *err);

/* Number of findings in the case (any score, any host); -1 on error. */
int64_t irk_findings_count(struct irk_db *db);

#endif
