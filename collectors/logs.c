/*
 * logs.c - the logs collector: copies the raw text logs of the root for
 * the analyzer to parse (docs/logs.md): first the time zone
 * (/etc/localtime, /etc/timezone), then every file irk_logfiles_list
 * names (auth.log, secure, syslog, messages, kern.log, cron, audit.log,
 * dpkg.log, apt's history.log and term.log, yum.log, dnf's logs, with
 * their rotations, compressed or not, and dnf's history.sqlite with its
 * write-ahead log history.sqlite-wal).  It
 * never parses them.
 *
 * Bounded: each source (a log and its rotations) is copied newest first
 * until the next would pass opts->logs_max_bytes; it and every older one
 * are left out, named in the log, one warning each.  irkit-collect --logs-max sets the cap.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "irkit/collect.h"
#include "irkit/logfiles.h"
#include "irkit/banned.h"

#define LOGS_MAX_DEFAULT	(1024ull << 20)

/* The time zone files; nlogs: the logs there are (none: nothing said). */
static int
copy_zone(struct irk_collect *c, size_t nlogs)
{
	struct irk_stat st;
	struct irk_err err;
	int r = IRK_OK, have = 0;

	if (c->fs->ops->stat(c->fs, "/etc/localtime", 1, &st, &err) ==
	    IRK_OK) {
		have = 1;
		r = irk_collect_file(c, "/etc/localtime", "time zone", NULL);
	}
	if (c->fs->ops->stat(c->fs, "/etc/timezone", 1, &st, &err) ==
	    IRK_OK) {
		have = 1;
		r = irk_worst(r, irk_collect_file(c, "/etc/timezone",
		    "time zone", NULL));
	}
	if (!have && nlogs > 0)
		irk_collect_log(c, IRK_LOG_WARN, "/etc/localtime", 0,
		    "no time zone file: the logs' local times will be read "
		    "as UTC");
	return r == IRK_FATAL ? IRK_FATAL : IRK_OK;
}

static int
collect_logs(struct irk_collect *c)
{
	struct irk_logfile *v;
	size_t n = irk_logfiles_list(c->fs, &v), i;
	uint64_t cap = c->opts != NULL && c->opts->logs_max_bytes > 0 ?
	    c->opts->logs_max_bytes : LOGS_MAX_DEFAULT;
	uint64_t used = 0;
	const char *source = NULL;
	int full = 0;
	int r;

	if (v == NULL) {
		irk_collect_log(c, IRK_LOG_ERROR, NULL, ENOMEM,
		    "cannot list the logs");
		return IRK_FAIL;
	}
	r = copy_zone(c, n);
	for (i = 0; i < n && r != IRK_FATAL; i++) {
		if (source == NULL || strcmp(source, v[i].source) != 0 ||
		    v[i].kind != v[i - 1].kind) {
			source = v[i].source;
			used = 0;
			full = 0;
		}
		/* past the cap, every older rotation is left out too */
		if (full || used + v[i].st.size > cap) {
			full = 1;
			irk_collect_log(c, IRK_LOG_WARN, v[i].path, 0,
			    "left out: its log's copies pass %llu bytes "
			    "(--logs-max)", (unsigned long long)cap);
			continue;
		}
		used += v[i].st.size;
		if (irk_collect_file(c, v[i].path, "log", NULL) == IRK_FATAL)
			r = IRK_FATAL;
	}
	free(v);
	return r;
}

const struct irk_collector irk_collector_logs = {
	"logs", "text logs copied raw (auth, syslog, audit, packages) and "
	"the time zone", IRK_SRC_LIVE | IRK_SRC_LINUX_ROOT, collect_logs,
};
