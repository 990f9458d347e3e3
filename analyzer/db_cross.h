/*
 * db_cross.h - the cross-host part of the case database (db layer:
 * db_cross.c; docs/cross-host.md): the views over the whole case (per
 * host summaries, the addresses of each host, the login graph, the
 * indicators across hosts), the reads irk_findings_cross
 * (findings_cross.c) scores, the writes of its findings, and the reads
 * of the report's cross-host sections (report_hosts.c).
 */
#ifndef IRKIT_DB_CROSS_H
#define IRKIT_DB_CROSS_H

#include <stdint.h>
#include <jansson.h>

#include "db_read.h"

/* The category of every cross-host finding (findings.category). */
#define IRK_CROSS_CATEGORY	"cross-host"

/*
 * Start a computation (a writer): a savepoint, the views (re)made, the
 * cross-host findings of the last one removed (their links, their
 * cross_findings rows, their timeline events).  irk_db_cross_end
 * releases the savepoint (ok) or rolls back to it.  IRK_FATAL with err.
 */
int irk_db_cross_begin(struct irk_db *db, struct irk_err *err);
int irk_db_cross_end(struct irk_db *db, int ok, struct irk_err *err);

/*
 * The occurrences irk_findings_cross scores, ordered by indicator, then
 * host name, host, table, row:
 *   FILES     one content (SHA-256, not the empty file's) behind a
 *             finding on some host and present on two hosts or more
 *             (a files row, or a process's executable)
 *   RECORDS   one service, task, autorun or authorized key (its
 *             identity key) behind a finding on some host and present
 *             on two hosts or more
 * Columns: 0 kind, 1 indicator, 2 host id, 3 host name, 4 evidence id,
 * 5 record table, 6 record id, 7 label (a path, a name), 8 the best
 * score of the other findings on this row (NULL none), 9 that
 * finding's title.
 *   LOGINS    the edges of v_login_edges: 0 source host id, 1 its name,
 *             2 destination host id, 3 its name, 4 account, 5 first,
 *             6 last, 7 count, 8 matched on, 9 outgoing (NULL: none
 *             seen), 10 login row ids (JSON array, the first 20),
 *             11 the destination's latest evidence id
 */
enum irk_db_cross_read {
	IRK_CROSS_FILES, IRK_CROSS_RECORDS, IRK_CROSS_LOGINS
};
int irk_db_cross_open(struct irk_db *db, enum irk_db_cross_read which,
    struct irk_db_rows **out, struct irk_err *err);

/* One cross-host finding of one host. */
struct irk_cross_finding {
	int64_t host_id, evidence_id;
	int score;			/* capped at 100 */
	const char *title;
	json_t *reasons;		/* array of strings */
	int64_t ts;			/* IRK_TIME_NONE: none */
	const char *kind;		/* file, service, task, ..., login */
	const char *indicator;		/* SHA-256, identity JSON, ... */
	const char *label;
	const char *path;		/* the event's path, or NULL */
};
/* Store f and its timeline event: *fid its id.  IRK_FATAL
 * (irk_db_errmsg). */
int irk_db_cross_add(struct irk_db *db, const struct irk_cross_finding *f,
    int64_t *fid);
/* A row behind finding fid.  IRK_FATAL (irk_db_errmsg). */
int irk_db_cross_link(struct irk_db *db, int64_t fid, const char *table,
    int64_t id);

/*
 * The report's reads (a reader; each NULL when the case predates the
 * views, older than irkit's cross-host findings):
 *   HOSTS       v_host_summary with the record counts: host, evidence,
 *               first event, last event, findings 70+, 40-69, under
 *               40, cross-host findings, records ("N label" by kind,
 *               one a line)
 *   INDICATORS  v_cross_indicators: kind, label, indicator, hosts,
 *               host list, top score
 *   EDGES       v_login_edges: source, destination, account, count,
 *               first, last, matched on, outgoing
 */
enum irk_db_cross_report {
	IRK_CROSSR_HOSTS, IRK_CROSSR_INDICATORS, IRK_CROSSR_EDGES
};
int irk_db_cross_report(struct irk_db *db, enum irk_db_cross_report which,
    int cap, int64_t *total, struct irk_db_rows **out, struct irk_err *err);
/* The number of hosts in the case (-1 unread). */
int64_t irk_db_cross_hosts(struct irk_db *db);

#endif
