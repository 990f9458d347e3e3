/*
 * logfiles.h - the text logs of a Linux root that irkit copies
 * (collectors/logs.c) and parses (the analyzer's log collectors):
 * syslog and auth logs, audit logs, package logs, with their rotated and
 * compressed copies (docs/logs.md).
 */
#ifndef IRKIT_LOGFILES_H
#define IRKIT_LOGFILES_H

#include <stddef.h>

#include "irkit/fs.h"

/* What parses a log. */
enum irk_log_kind {
	IRK_LOG_SYSLOG,		/* auth.log, secure, syslog, messages,
				   kern.log, cron */
	IRK_LOG_AUDIT,		/* audit/audit.log */
	IRK_LOG_DPKG,		/* dpkg.log */
	IRK_LOG_APT_HISTORY,	/* apt/history.log */
	IRK_LOG_APT_TERM,	/* apt/term.log */
	IRK_LOG_YUM,		/* yum.log, dnf.rpm.log */
	IRK_LOG_DNF,		/* dnf.log */
	IRK_LOG_DNF_HISTORY,	/* /var/lib/dnf/history.sqlite */
	IRK_LOG_DNF_WAL,	/* its history.sqlite-wal: copied, read
				   with the database, not alone */
};

#define IRK_LOGFILES_MAX	4096	/* files listed at most */

struct irk_logfile {
	char path[512];
	const char *source;	/* "auth.log", "secure"...: the log it is a
				   rotation of (the size cap's unit) */
	enum irk_log_kind kind;
	int rotation;		/* 0 the live file, n for NAME.n[.gz], -1
				   for a dated rotation (NAME-20240101) */
	struct irk_stat st;
};

/*
 * The log files of the root, grouped by source in the order of the
 * table (docs/logs.md), each source's newest first (mtime, then the
 * live file before its rotations).  *out is to be freed.  Returns the
 * count; folders that cannot be listed are left out.
 */
size_t irk_logfiles_list(struct irk_fs *fs, struct irk_logfile **out);

/* The file's compression by its first bytes: "gzip", "xz", "bzip2",
 * "zstd", "lz4", or NULL for none. */
const char *irk_log_compression(const unsigned char *p, size_t len);

#endif
