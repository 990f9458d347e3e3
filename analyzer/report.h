/*
 * report.h - irkit-analyze report: one self-contained HTML file from a
 * case database (docs/export-report.md).  The template and style live in
 * reports/ and are built into the binary (report_assets.c).
 */
#ifndef IRKIT_REPORT_H
#define IRKIT_REPORT_H

#include <stdint.h>
#include <stdio.h>

struct irk_db;

/* reports/report.html.in and reports/report.css, NUL-terminated. */
extern const char irk_report_template[];
extern const char irk_report_css[];

/*
 * The activity chart: events per hour (or day, week, ...) per host as an
 * inline SVG with the findings marked, drawn to fp; certificate validity
 * dates are not activity and are left out (counted under it).  0, or
 * IRK_FAIL when the database could not be read.
 */
int irk_report_chart(struct irk_db *db, FILE *fp);

/* A time as "2026-11-21 22:29:21Z" with the full value as a tooltip. */
void irk_report_time(FILE *fp, int64_t us);

/*
 * The "collection and analysis problems" section: the log's errors and
 * warnings grouped by host, evidence and kind (count, first and last
 * time, the first examples), errors first in each host (report_problems.c).
 * 0, or IRK_FAIL when the log could not be read.
 */
int irk_report_problems(struct irk_db *db, FILE *fp);

/*
 * The "Changes between collections" section (report_diff.c): for every
 * host collected more than once, what changed from each collection to
 * the next; nothing when no host was.  0, or IRK_FAIL.
 */
int irk_report_diff(struct irk_db *db, FILE *fp);

/*
 * The "Windows event logs" section (report_windows.c): per host, logons
 * by source, services installed, scheduled tasks changed, logs cleared;
 * nothing when the case has no event-log records (then _any is 0).  0,
 * or IRK_FAIL.
 */
int irk_report_windows(struct irk_db *db, FILE *fp);
int irk_report_windows_any(struct irk_db *db);

/*
 * The cross-host sections (report_hosts.c): "Hosts side by side",
 * "Across hosts" and "Logins between hosts" (an inline SVG graph and its
 * edges); nothing when the case holds one host or none (then _any is
 * 0).  0, or IRK_FAIL.
 */
int irk_report_hosts(struct irk_db *db, FILE *fp);
int irk_report_hosts_any(struct irk_db *db);

#endif
