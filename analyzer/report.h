/*
 * report.h - irkit-analyze report: one self-contained HTML file from a
 * case database (docs/export-report.md).  The template and style live in
 * reports/ and are built into the binary (report_assets.c).
 */
#ifndef IRKIT_REPORT_H
#define IRKIT_REPORT_H

#include <stdint.h>
#include <stdio.h>
#include <sqlite3.h>

/* reports/report.html.in and reports/report.css, NUL-terminated. */
extern const char irk_report_template[];
extern const char irk_report_css[];

/*
 * The activity chart: events per hour (or day, week, ...) per host as an
 * inline SVG with the findings marked, drawn to fp.  0, or IRK_FAIL
 * when the database could not be read.
 */
int irk_report_chart(sqlite3 *db, FILE *fp);

#endif
