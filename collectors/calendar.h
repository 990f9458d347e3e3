/*
 * calendar.h - systemd calendar events (systemd.time(7), OnCalendar=):
 * a pure parser and the next elapse after a given time, in UTC.
 *
 *	[WEEKDAYS] [[YEAR-]MONTH-DAY] [HOUR:MINUTE[:SECOND]] [UTC]
 *
 * with lists (1,15), ranges (1..5, Mon..Fri), repetitions (0/15,
 * 8..17/2), "*", last days of the month ("*-02~03", "Mon *-05~07/1") and
 * the shorthands minutely hourly daily weekly monthly quarterly
 * semiannually yearly annually.  Fractional seconds and time zones other
 * than UTC are refused (IRK_CAL_UNSUPPORTED), never guessed.
 */
#ifndef IRKIT_CALENDAR_H
#define IRKIT_CALENDAR_H

#include <stddef.h>
#include <stdint.h>

#define IRK_CAL_RULES 16	/* list items per component */

enum {
	IRK_CAL_OK = 0,
	IRK_CAL_INVALID = -1,		/* systemd would refuse it too */
	IRK_CAL_UNSUPPORTED = -2,	/* valid, but not computed here */
};

struct irk_cal_rule {
	int start;
	int stop;		/* inclusive; for "a/b" the component max */
	int step;		/* >= 1 */
};

struct irk_cal_comp {
	struct irk_cal_rule r[IRK_CAL_RULES];
	int n;			/* 0: any value */
};

struct irk_calendar {
	unsigned weekdays;	/* bit 0 Monday .. bit 6 Sunday; 0: any */
	struct irk_cal_comp year, month, day, hour, minute, second;
	int end_of_month;	/* day counted from the end ("~") */
	int utc;		/* an explicit UTC was given */
};

/* Parse spec; err (may be NULL) receives why it failed. */
int irk_calendar_parse(const char *spec, struct irk_calendar *cal,
    char *err, size_t errlen);

/*
 * The first elapse strictly after after_us (microseconds, UTC), in
 * *next_us.  Returns 0, or -1 when it never elapses (before year 2200).
 */
int irk_calendar_next(const struct irk_calendar *cal, int64_t after_us,
    int64_t *next_us);

#endif
