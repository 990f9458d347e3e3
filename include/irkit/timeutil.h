/*
 * timeutil.h - times are int64 microseconds since the epoch, UTC,
 * printed as RFC 3339 with microseconds: 2026-11-21T22:29:21.123456Z.
 */
#ifndef IRKIT_TIMEUTIL_H
#define IRKIT_TIMEUTIL_H

#include <stdint.h>

#define IRK_TIME_LEN 32

int64_t irk_now_us(void);
/* Format us as RFC 3339 UTC; returns out. */
char *irk_time_fmt(int64_t us, char out[IRK_TIME_LEN]);
/* Compact form for file names: 20261121T222921Z. */
char *irk_time_fmt_compact(int64_t us, char out[IRK_TIME_LEN]);
/*
 * Parse RFC 3339 ("2026-11-21T22:29:21Z", fraction and +hh:mm offset
 * optional, also a date alone) into us.  0 on success, -1 on bad input.
 */
int irk_time_parse(const char *s, int64_t *us);
/* Days-from-civil based timegm that never consults the time zone. */
int64_t irk_timegm(int year, int mon, int mday, int hour, int min, int sec);

#endif
