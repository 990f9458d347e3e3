/*
 * db_report.h - the reads of irkit-analyze report (db layer:
 * db_report.c, db_chart.c): each opens a struct irk_db_rows
 * (db_read.h) whose columns are listed here, or returns a number.  The
 * report renders them; the SQL, and the SQL functions it uses
 * (irk_evname, irk_problem_kind), stay in the db layer.  A record type's
 * report columns, flag and link (records/record.h) are declared SQL
 * that these reads run.
 */
#ifndef IRKIT_DB_REPORT_H
#define IRKIT_DB_REPORT_H

#include <stdint.h>

#include "db_read.h"
#include "records/record.h"

/*
 * Register the report's SQL functions on db (a reader):
 *   irk_evname(id, path)   "#3 irkit-web01-20261121T220000Z.tar.zst", the
 *                          evidence item's number and the last part of
 *                          its path (how each row names its evidence)
 *   irk_problem_kind(msg)  the message with its numbers as "N" and
 *                          quoted text as '...': log lines that differ
 *                          only there are one kind of problem
 * IRK_OK, or IRK_FAIL (irk_db_errmsg).
 */
int irk_db_report_init(struct irk_db *db);

/* The report columns of a record type that are shown, at most. */
#define IRK_REPORT_SECTION_COLS	24

/* Numbers of the summary cards; -1 when they cannot be read. */
enum irk_db_rcount {
	IRK_RCOUNT_FINDINGS, IRK_RCOUNT_FINDINGS_70, IRK_RCOUNT_YARA,
	IRK_RCOUNT_IOC, IRK_RCOUNT_HOSTS, IRK_RCOUNT_EVIDENCE,
	IRK_RCOUNT_FILES, IRK_RCOUNT_EVENTS
};
int64_t irk_db_report_count(struct irk_db *db, enum irk_db_rcount which);
/* Rows of a record type's table (0 when the case has no such table). */
int64_t irk_db_report_rows(struct irk_db *db, const struct irk_record_type *t);
/* 1 when the case has t's table (a case older than the type has not). */
int irk_db_report_has_table(struct irk_db *db,
    const struct irk_record_type *t);

/*
 * The report's tables; each row names its host and evidence first
 * ("#id name", irk_evname) unless said otherwise:
 *   EVIDENCE   host, "#id path\nsha256 ...", kind, verify,
 *              verify_detail, status, collected from, to, tool,
 *              "case / examiner"
 *   HOSTS      hostname, its evidence (one a line), os, kernel, arch,
 *              boot time, time zone, machine id
 *   FINDINGS_BY_HOST  host, evidence, findings, scored 70+, top score,
 *              "finding N: title"
 *   RECORDS    a record type's rows behind a finding (best score
 *              first) or flagged by its declaration: host, evidence,
 *              score, then the type's report columns
 *   IOC_HITS   host, evidence, kind, value, list, description, file
 *              path or "table row N"
 */
enum irk_db_rtable {
	IRK_RTABLE_EVIDENCE, IRK_RTABLE_HOSTS, IRK_RTABLE_FINDINGS_BY_HOST,
	IRK_RTABLE_RECORDS, IRK_RTABLE_IOC_HITS
};
/*
 * Open one of them (t: RECORDS' type): *total rows in all, the first
 * cap opened; by_host: those grouped by their host (first column), in
 * their order within each host, "(unknown host)" last.  IRK_FATAL with
 * err.
 */
int irk_db_report_table(struct irk_db *db, enum irk_db_rtable which,
    const struct irk_record_type *t, int cap, int by_host, int64_t *total,
    struct irk_db_rows **out, struct irk_err *err);

/*
 * The first cap findings by score (then id): id, score, title,
 * category, reasons (JSON), ts, hostname, evidence.
 */
int irk_db_report_findings(struct irk_db *db, int cap,
    struct irk_db_rows **out, struct irk_err *err);
/* The rows behind finding fid, in order: record_table, record_id. */
int irk_db_report_finding_links(struct irk_db *db, int64_t fid,
    struct irk_db_rows **out, struct irk_err *err);
/*
 * The line describing row id of table (the record type's declared
 * link, a YARA match, an IOC hit): kind, what, detail, time.  IRK_FAIL
 * when the table has none (*out NULL), IRK_FATAL with err.
 */
int irk_db_report_link(struct irk_db *db, const char *table, int64_t id,
    struct irk_db_rows **out, struct irk_err *err);
/*
 * Six events at or before ts and five after, of host (NULL: any), in
 * time order: ts, host, source, ts_desc, message (or path).
 */
int irk_db_report_window(struct irk_db *db, int64_t ts, const char *host,
    struct irk_db_rows **out, struct irk_err *err);
/*
 * The best cap YARA matches (score, rule, id), grouped by host: host,
 * evidence, rule, namespace, tags (JSON), file path, sha256, meta
 * (JSON), strings (JSON), score.
 */
int irk_db_report_yara(struct irk_db *db, int cap, struct irk_db_rows **out,
    struct irk_err *err);
/* Up to 4 case ids of the evidence; up to 9 host names, sorted. */
int irk_db_report_case_ids(struct irk_db *db, struct irk_db_rows **out,
    struct irk_err *err);
int irk_db_report_hostnames(struct irk_db *db, struct irk_db_rows **out,
    struct irk_err *err);

/*
 * The log's problems, one row per example (at most ex_error per group
 * of errors, ex_warning per group of warnings), the group's facts
 * repeated: host (or "(analysis, no host)"), evidence, level,
 * component, kind, count, first, last, path, message, example number
 * (1 starts a group), severity (0 fatal, 1 error, 2 warning).  Groups:
 * by evidence, severity, component and kind (errors: the message;
 * warnings: irk_problem_kind), host by host, errors first.
 */
int irk_db_report_problems(struct irk_db *db, int ex_error, int ex_warning,
    struct irk_db_rows **out, struct irk_err *err);
/* The log's errors (fatal, error) and warnings: 1, or 0 unread. */
int irk_db_report_problem_counts(struct irk_db *db, int64_t *errors,
    int64_t *warnings);

/*
 * The activity chart's numbers (db_chart.c); activity is every event
 * but certificate validity dates.  *ok 0 when there is none.
 *   ACTIVITY_SINCE   activity events at or after arg
 *   VALIDITY         certificate validity dates (arg unused)
 *   NTH_FIRST        the time of the arg-th activity event (from 0)
 *                    at or after sane, from the earliest
 *   NTH_LAST         the same from the latest
 *   FINDING_FIRST    the earliest finding time at or after arg
 *   FINDING_LAST     the latest
 *   BEFORE, AFTER    activity events before, after arg
 */
enum irk_db_cnum {
	IRK_CNUM_ACTIVITY_SINCE, IRK_CNUM_VALIDITY, IRK_CNUM_NTH_FIRST,
	IRK_CNUM_NTH_LAST, IRK_CNUM_FINDING_FIRST, IRK_CNUM_FINDING_LAST,
	IRK_CNUM_BEFORE, IRK_CNUM_AFTER
};
int64_t irk_db_chart_num(struct irk_db *db, enum irk_db_cnum which,
    int64_t sane, int64_t arg, int *ok);
/* The max busiest hosts by activity: host (or "(no host)"), count. */
int irk_db_chart_hosts(struct irk_db *db, int max, struct irk_db_rows **out,
    struct irk_err *err);
/*
 * Activity from origin to hi in buckets of bucket us: host (or "(no
 * host)"), bucket number, count.
 */
int irk_db_chart_buckets(struct irk_db *db, int64_t origin, int64_t bucket,
    int64_t hi, struct irk_db_rows **out, struct irk_err *err);
/* Up to 200 findings dated lo..hi, best first: ts, score, title. */
int irk_db_chart_findings(struct irk_db *db, int64_t lo, int64_t hi,
    struct irk_db_rows **out, struct irk_err *err);

#endif
