/*
 * case_sink.h - the collectors' sink into the case database, shared by
 * irkit-analyze image (a volume's root) and ingest (an archive's copied
 * files, a foreign collection's root): records go into their tables
 * under the current evidence, log entries into the log table, warnings
 * and errors to stderr too.  A collector's "file" records are dropped:
 * the file is a files row already (the image's timeline, the archive's
 * member), with the source's own view of it.
 */
#ifndef IRKIT_CASE_SINK_H
#define IRKIT_CASE_SINK_H

#include <stdint.h>

#include "db.h"
#include "irkit/collect.h"

struct irk_case_sink {
	struct irk_db *db;
	const char *where;	/* messages start with it: "'a.img' 1:ext4@0" */
	int tty;		/* a progress line to clear before a message */
	/* a volume shadow copy's run (vss_rows.h): each record goes
	 * through keep first (1: stored as keep left it, 0: dropped,
	 * IRK_FATAL), log paths start with log_prefix; NULL: neither */
	int (*keep)(void *arg, json_t *rec);
	void *keep_arg;
	const char *log_prefix;
	/* "now" for next-run times (µs since the epoch; 0: the clock):
	 * an image's time of acquisition, so a reload gives the same */
	int64_t now;
	/* out */
	uint64_t records;	/* stored */
	int integrity_full;	/* the packages collectors check every
				   packaged file (image --integrity full) */
	int problems;		/* an error was logged: the evidence is partial */
	int db_failed;		/* a record could not be written (why in
				   db_error): the run stops */
	char db_error[512];
};

/*
 * Run over fs every collector of the table whose sources meet holds (or
 * only col when not NULL), into the case through s.  Returns the worst
 * grade (IRK_OK, IRK_WARN, IRK_FAIL, IRK_FATAL when the sink broke);
 * the sink's own error, if any, in *why (a message).
 */
int irk_case_collect(struct irk_case_sink *s, struct irk_fs *fs,
    unsigned holds, const struct irk_collector *col, uint64_t max_file_size,
    char *why, size_t whylen);

/*
 * The host a root belongs to (its hostname and OS; a Windows root's
 * computer name) as the current evidence's host.  IRK_OK, or IRK_FAIL
 * when nothing could be said of it.
 */
int irk_case_root_host(struct irk_db *db, struct irk_fs *fs, int windows);

#endif
