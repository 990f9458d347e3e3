/*
 * tzif.h - the target's time zone: a TZif file (RFC 8536, versions 1 to
 * 4, as /etc/localtime holds it) parsed from bytes of the evidence, and
 * local wall-clock times converted to UTC with it, never with the
 * analyst's zone (docs/logs.md, "Times").
 *
 * Times here are whole seconds since the epoch; a "local" time is the
 * wall clock read as if it were UTC (irk_timegm of the fields).
 */
#ifndef IRKIT_TZIF_H
#define IRKIT_TZIF_H

#include <stddef.h>
#include <stdint.h>

#include "irkit/err.h"
#include "irkit/fs.h"

#define IRK_TZIF_FILE_MAX	(256u << 10)	/* a TZif file read at most */
#define IRK_TZIF_NAME_MAX	128

struct irk_tzif;

/* Parse a TZif file; IRK_FAIL with err on anything unsound. */
int irk_tzif_parse(struct irk_tzif **out, const unsigned char *buf, size_t len,
    struct irk_err *err);
/* UTC itself (no transitions), or NULL when out of memory. */
struct irk_tzif *irk_tzif_utc(void);
void irk_tzif_free(struct irk_tzif *tz);

/* The offset from UTC (seconds east) in force at utc; isdst may be NULL. */
int32_t irk_tzif_offset(const struct irk_tzif *tz, int64_t utc, int *isdst);

/*
 * The UTC times whose wall clock is local: 1 (the usual case), 2 in an
 * overlap (a clock set back: utc[0] the earlier, utc[1] the later) or 0
 * in a gap (a clock set forward: utc[0] is then local read with the
 * offset in force before the gap, as Python's zoneinfo does for fold=0).
 */
int irk_tzif_to_utc(const struct irk_tzif *tz, int64_t local, int64_t utc[2]);

/*
 * The target's zone: /etc/localtime, else the zone /etc/timezone names
 * under the target's /usr/share/zoneinfo.  name receives the zone's name
 * (the link's target after "zoneinfo/", /etc/timezone's line, or
 * "localtime").  IRK_FAIL with err when none can be read (the caller
 * then takes UTC and says so).
 */
int irk_tzif_load(struct irk_fs *fs, struct irk_tzif **out, char *name,
    size_t namelen, struct irk_err *err);

/*
 * Years of traditional syslog lines ("Jan  2 03:04:05", no year), as
 * plaso infers them: within a file a month smaller than the line
 * before's means the next year; the last line is in the year of the
 * file's mtime (local), or the year before when its month is after the
 * mtime's.  Two passes: scan every line's month, start with the mtime,
 * then next gives each line's year in the same order.
 */
struct irk_tzif_years {
	int rollovers;		/* months going backwards, pass 1 */
	int last_month;		/* the month of the line before (0: none) */
	int year;		/* pass 2: the current line's year */
};

void irk_tzif_years_scan(struct irk_tzif_years *y, int month);
void irk_tzif_years_start(struct irk_tzif_years *y, int mtime_year,
    int mtime_month);
int irk_tzif_years_next(struct irk_tzif_years *y, int month);

/* Civil fields of a UTC second count (for the year of a file's mtime). */
void irk_tzif_civil(int64_t t, int *year, int *mon, int *mday);

#endif
