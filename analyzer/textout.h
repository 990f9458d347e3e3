/*
 * textout.h - writing evidence strings into output formats: export's
 * timeline files and report's HTML.
 *
 * Every string from the case database may hold anything: text that is
 * not UTF-8, control characters, the format's own delimiters.  These
 * helpers make it valid UTF-8 first (bytes that are not UTF-8 become the
 * four characters \xNN, the convention records already use), optionally
 * cut it under a byte limit (ending in IRK_TRUNC_MARK), then escape it
 * for one format.  Nothing is dropped silently.
 *
 * Time zones: struct irk_tz prints times in UTC (default), a fixed
 * offset (+05:30) or an IANA zone (Europe/Berlin, read from the system's
 * tz database through TZ and localtime_r).
 */
#ifndef IRKIT_TEXTOUT_H
#define IRKIT_TEXTOUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "irkit/buf.h"
#include "irkit/err.h"

#define IRK_TRUNC_MARK "\xe2\x80\xa6[truncated]"	/* "…[truncated]" */

/*
 * Append s[0..n) to b as valid UTF-8 (other bytes as \xNN).  With max >
 * 0 the result is at most max bytes, cut on a character boundary and
 * ended with IRK_TRUNC_MARK when it had to be cut.  NUL bytes are \x00.
 */
void irk_text_clean(struct irk_buf *b, const char *s, size_t n, size_t max);

/* One CSV cell (RFC 4180: quoted when needed, "" inside quotes). */
void irk_out_csv(FILE *fp, const char *s, size_t n, size_t max);
/*
 * The same; with safe non-zero a cell starting with = + - @ tab or CR
 * (a formula to a spreadsheet) is written quoted with a ' before it, as
 * OWASP recommends against CSV injection (export --safe-csv).
 */
void irk_out_csv_cell(FILE *fp, const char *s, size_t n, size_t max,
    int safe);
/*
 * HTML text or attribute value: & < > " ' escaped, controls as \xNN,
 * the Unicode bidirectional controls (U+202E, ...) as the text \uXXXX
 * so a name cannot display reversed.
 */
void irk_out_html(FILE *fp, const char *s, size_t n, size_t max);
void irk_out_htmls(FILE *fp, const char *s);	/* NUL-terminated, NULL ok */
/*
 * A field of a '|'-separated format (bodyfile, TLN): '%' and '|' as
 * %25 and %7C (TSK's mactime decodes %XX in every field), control
 * characters as the text \xNN (mactime drops names with a raw newline),
 * the Unicode bidirectional controls as the text \uXXXX (a name cannot
 * display reversed), other bytes as they are.
 */
void irk_out_pipe(FILE *fp, const char *s, size_t n);

/* Output time zone. */
struct irk_tz {
	int kind;		/* 0 UTC, 1 fixed offset, 2 IANA zone */
	int off;		/* seconds east of UTC, kind 1 */
	char name[64];		/* "UTC", "+05:30", "Europe/Berlin" */
};

/*
 * "UTC" (or NULL, "Z"), "+HH:MM"/"-HH:MM", or a zone name present in
 * /usr/share/zoneinfo (kind 2 sets TZ in the environment: call from a
 * command's main path only).  0, or IRK_FAIL with a message.
 */
int irk_tz_init(struct irk_tz *tz, const char *spec, struct irk_err *err);
/* Broken-down time in tz, its offset in seconds and the microseconds. */
void irk_tz_tm(const struct irk_tz *tz, int64_t us, struct tm *tm, int *off,
    long *frac);
/*
 * An RFC 3339 time or a date alone into microseconds since the epoch;
 * one without a zone (no Z, no offset) is a wall time in tz.  0, or -1
 * on bad input.
 */
int irk_tz_parse(const struct irk_tz *tz, const char *s, int64_t *us);
/* 2026-11-21T22:29:21.123456+00:00; out is returned. */
#define IRK_TZ_ISO_LEN 48
char *irk_tz_iso(const struct irk_tz *tz, int64_t us,
    char out[IRK_TZ_ISO_LEN]);
/* Seconds since the epoch, rounded down (for bodyfile and TLN). */
int64_t irk_us_to_s(int64_t us);

#endif
