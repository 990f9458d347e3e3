/*
 * collect.h - what a collector sees: the filesystem to read, where its
 * records and file copies go, and the log.
 *
 * A collector is one file in collectors/ exporting one
 *
 *	const struct irk_collector irk_collector_NAME = {
 *		"NAME", "what it collects", IRK_SRC_LIVE | IRK_SRC_LINUX_ROOT,
 *		fn
 *	};
 *
 * listed once in collectors/list.h (the table: irkit/collectors.h).
 * fn(c) reads only through c->fs (or, for live-only collectors, the
 * host's /proc under irk_fs_host_root()), hands each record to
 * irk_collect_record(), copies referenced files with irk_collect_file(),
 * logs what went wrong with irk_collect_log() and returns the worst of
 * its parts (irk_worst): IRK_OK, IRK_WARN (partial) or IRK_FAIL.
 *
 * The sink behind it is the evidence archive in irkit-collect and the
 * case database in irkit-analyze image, so collectors never know which.
 */
#ifndef IRKIT_COLLECT_H
#define IRKIT_COLLECT_H

#include <stdint.h>
#include <jansson.h>

#include "irkit/err.h"
#include "irkit/fs.h"
#include "irkit/sha256.h"
#include "irkit/strmap.h"
#include "irkit/users.h"

enum { IRK_LOG_INFO, IRK_LOG_WARN, IRK_LOG_ERROR };

/*
 * What a collector reads (its "sources"); a program runs the collectors
 * whose sources meet what the root holds (irk_collectors_run).
 */
#define IRK_SRC_LIVE		0x1	/* a running host (needs /proc) */
#define IRK_SRC_LINUX_ROOT	0x2	/* a Linux file tree: a host, --root,
					   an image volume with /etc, /usr */
#define IRK_SRC_WINDOWS_ROOT	0x4	/* a Windows volume: a SYSTEM hive
					   under Windows/System32/config */
#define IRK_SRC_COPIED		0x8	/* the files a collection copied (an
					   irkit archive's files/ tree, read
					   back by irkit-analyze ingest): the
					   analyzer's parsers of copied files
					   (logs, journals) run there */
#define IRK_SRC_ON_REQUEST	0x100	/* not a source: not in the default
					   set, run only when named
					   (irkit-collect --with, --only) */

struct irk_collect;

struct irk_collector {
	const char *name;
	const char *description;
	unsigned sources;
	int (*collect)(struct irk_collect *c);
};

/*
 * A file's state as a collection recorded it (a file_state record,
 * collectors/rpm_states.c), read back at ingest: what `rpm -V`
 * compares.  Strings NULL when not recorded.
 */
struct irk_file_state {
	const char *path;
	struct irk_stat st;		/* mode (type bits too), uid, gid,
					   size, mtime */
	const char *user, *group;	/* the root's names of uid, gid */
	const char *target;		/* a link's */
	const char *sha256;		/* a regular file's */
	const char *error;		/* why it was not read */
	const char *walk;		/* a folder walked: "complete" or
					   "truncated"; NULL for others */
};
typedef int (*irk_file_state_fn)(void *arg, const struct irk_file_state *fs);

struct irk_collect_opts {
	uint64_t max_file_size;		/* larger files: record, no copy */
	int copy_keys;			/* copy private key contents */
	const char *const *cert_paths;	/* --cert-path roots, or NULL */
	size_t ncert_paths;
	const char *const *excludes;	/* --exclude: not entered by the
					   certificate and file-system walks */
	size_t nexcludes;
	int64_t now;			/* "now" for next-run times (µs
					   since the epoch; 0: the clock) */
	/* the filesystem collector: where to walk (NULL: "/"), what not
	 * to walk, and whether to enter other mounts */
	const char *const *walk_roots;
	size_t nwalk_roots;
	const char *const *walk_excludes;
	size_t nwalk_excludes;
	int walk_cross_mounts;
	int integrity_full;		/* packages: every packaged file,
					   not only the default scope */
	uint64_t logs_max_bytes;	/* logs: copied per log and its
					   rotations (0: the default) */
	uint64_t journal_max;		/* journal_files: bytes copied per
					   source, newest first (0: 1G) */
	/*
	 * ingest of an irkit collection: each file_state record it holds
	 * handed to fn (IRK_OK, or what fn returned when not IRK_OK); NULL
	 * where files are read themselves (docs/integrity.md, "rpm")
	 */
	int (*file_states)(void *arg, irk_file_state_fn fn, void *fnarg);
	void *file_states_arg;
};

struct irk_collect_stats {
	uint64_t records;
	uint64_t files;
	uint64_t bytes;
	uint64_t warnings;
	uint64_t errors;
};

/* Where records, file contents and log entries go. */
struct irk_sink_ops {
	/* One record of the current collector (not stolen). */
	int (*record)(void *arg, const char *collector, json_t *rec,
	    struct irk_err *err);
	/*
	 * Store the content of an open file under its target path, writing
	 * the SHA-256 of what was stored.  NULL: contents are not kept (the
	 * source already holds them, as a disk image does).
	 */
	int (*file)(void *arg, const char *path, struct irk_fs *fs,
	    struct irk_file *f, const struct irk_stat *st,
	    char sha256[IRK_SHA256_HEX], int *changed, struct irk_err *err);
	void (*log)(void *arg, json_t *entry);
	/* Called after each collector, e.g. to write its records member. */
	int (*collector_end)(void *arg, const char *collector,
	    struct irk_err *err);
};

struct irk_collect {
	struct irk_fs *fs;
	const struct irk_collect_opts *opts;
	const struct irk_sink_ops *sink;
	void *sink_arg;
	const char *collector;		/* the one running now */
	struct irk_collect_stats stats;	/* of the one running now */
	int fatal;			/* the sink failed: stop everything */
	struct irk_err sink_err;
	/* private */
	struct irk_strmap by_path;	/* path copied -> sha256 */
	struct irk_strmap by_hash;	/* sha256 -> first path */
	struct irk_users users;
	int users_loaded;
};

void irk_collect_init(struct irk_collect *c, struct irk_fs *fs,
    const struct irk_collect_opts *opts, const struct irk_sink_ops *sink,
    void *sink_arg);
void irk_collect_release(struct irk_collect *c);

/*
 * Run one collector: stats reset, fn called, sink's collector_end.
 * Returns the collector's grade: IRK_FATAL when the sink failed, else
 * the worse of what fn returned and IRK_WARN if it logged an error
 * (IRK_OK: complete; IRK_WARN: partial; IRK_FAIL: failed).
 */
int irk_collect_run(struct irk_collect *c, const struct irk_collector *col);

/* Hand over a record (the reference is stolen). */
int irk_collect_record(struct irk_collect *c, json_t *rec);

/*
 * Copy the file at path (links followed inside the root) into the
 * evidence once, and emit its "file" record (path, size, sha256, mode,
 * owner, times, inode, why).  The same content at another path is stored
 * once: the later record's "stored_as" names the first path.  Files over
 * max_file_size are recorded with "skipped": "too large" and no copy.
 * sha256 (may be NULL) receives the digest.  Returns IRK_OK, IRK_FAIL
 * (logged), or IRK_FATAL when the sink is broken.
 */
int irk_collect_file(struct irk_collect *c, const char *path,
    const char *why, char sha256[IRK_SHA256_HEX]);
/* The same for a file already open (e.g. /proc/<pid>/exe). */
int irk_collect_file_open(struct irk_collect *c, struct irk_file *f,
    const char *path, const char *why, char sha256[IRK_SHA256_HEX]);

/* Log what went wrong: level, path (may be NULL), errno (0 if none). */
void irk_collect_log(struct irk_collect *c, int level, const char *path,
    int errnum, const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Log an irk_err. */
void irk_collect_log_err(struct irk_collect *c, int level, const char *path,
    const struct irk_err *err);

/*
 * "Now" for computed times such as a task's next run: opts->now when set
 * (irkit-collect --now, tests), else the clock.
 */
int64_t irk_collect_now(const struct irk_collect *c);

/* The root's accounts, loaded on first use. */
const struct irk_users *irk_collect_users(struct irk_collect *c);

#endif
