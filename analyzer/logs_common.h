/*
 * logs_common.h - what the analyzer's log collectors share (syslog,
 * audit, packages: docs/logs.md): the target's time zone and the
 * conversion of local times with it, the walk over the log files of a
 * kind with the bounded reader and its log entries, and the identity of
 * a line (so the same line reached twice is stored once).
 */
#ifndef IRKIT_LOGS_COMMON_H
#define IRKIT_LOGS_COMMON_H

#include <stdint.h>
#include <jansson.h>

#include "logmsg.h"
#include "logread.h"
#include "tzif.h"
#include "irkit/collect.h"
#include "irkit/logfiles.h"

#define IRK_LINE_HASH_SEEN	64	/* same-time lines told apart */

struct irk_logctx {
	struct irk_collect *c;
	struct irk_tzif *tz;
	char tzname[IRK_TZIF_NAME_MAX];
	int tz_known;		/* 0: no zone on the target, UTC taken */
	int tz_said;		/* that was logged */
	/* the identity of lines of one time: how often each was seen */
	int64_t seen_time;
	char seen[IRK_LINE_HASH_SEEN][33];
	unsigned seen_count[IRK_LINE_HASH_SEEN];
	size_t nseen;
};

/*
 * A local wall-clock time (seconds as if UTC, and microseconds) in UTC
 * µs.  prev: the UTC time of the line before in the file (or
 * IRK_TIME_NONE); in an overlap the earlier reading is taken unless it
 * goes back before prev.  *note: NULL, "gap", "overlap-earlier" or
 * "overlap-later".
 */
int64_t irk_logctx_local(const struct irk_logctx *x, int64_t local, int usec,
    int64_t prev, const char **note);

/* Set "time", "ts_how", "tz" (when local) and "ts_note" of rec. */
void irk_logctx_set_time(const struct irk_logctx *x, json_t *rec,
    int64_t us, const char *how, const char *note);

/*
 * The identity of a line: hex of SHA-256 over its UTC time, its bytes
 * and how many times the same line came before at the same time in the
 * file (two identical lines of one second are two events; the same line
 * in a rotated copy is the same one).  Sets "line_hash".
 */
void irk_logctx_line_hash(struct irk_logctx *x, json_t *rec, int64_t us,
    const char *line, size_t len);

/*
 * Pass 1 over a syslog-like file (syslog_parse.h): the months of its
 * traditional lines, and the years set to start from the file's mtime;
 * then back to its first line.  Returns IRK_OK or IRK_WARN (logged).
 */
int irk_logs_years(struct irk_logctx *x, const struct irk_logfile *lf,
    struct irk_logread *r, struct irk_tzif_years *years);

/*
 * A log collector's run: the zone loaded, fn called on each file of each
 * kind of kinds (nkinds; args[i] its argument), the worst result.
 */
int irk_logs_collect(struct irk_collect *c, const enum irk_log_kind *kinds,
    size_t nkinds, int (*fn)(struct irk_logctx *x,
    const struct irk_logfile *lf, struct irk_logread *r, void *arg),
    void *const *args);

/* A new record of type with the file's "path", line number and offset. */
json_t *irk_log_record(const char *type, const struct irk_logfile *lf,
    const struct irk_logread *r);

/*
 * The typed fields of m into rec (docs/logs.md, "Typed messages"): event,
 * user, method, address, port, key, tty, cwd, run_as, command, group,
 * shell, note, and the account's uid and the unit under the keys given
 * (the journal has its own "uid" and "unit").
 */
void irk_logmsg_json(json_t *rec, const struct irk_logmsg *m,
    const char *uid_key, const char *unit_key);

/*
 * dnf's history.sqlite (lf) read whole into memory (at most 256 MiB)
 * and its transactions handed over as package_event records
 * (dnf_history.c).  Returns IRK_OK, IRK_WARN (logged) or IRK_FATAL.
 */
int irk_dnf_history_file(struct irk_logctx *x, const struct irk_logfile *lf);

#endif
