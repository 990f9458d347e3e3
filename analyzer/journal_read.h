/*
 * journal_read.h - one systemd journal file, held in a private copy, read
 * entry by entry with libsystemd (sd_journal_open_files_fd), bounded and
 * past corruption (journal_read.c; docs/journal.md).
 *
 * The caller fills a copy of the file, in memory (irk_journal_tmpfile: a
 * tmpfs file, as libsystemd 252 refuses a memfd, whose link count is 0)
 * or, when large, on disk (journal.c), and hands it over with its name;
 * the reader pads a truncated file to the size its header declares
 * (zeros: the entries that were there are lost, the ones before them
 * read), opens it alone, unlinks it and reads forward; where an entry
 * cannot be read it reads backward from the tail down to the last entry
 * read, so the entries on both sides of a damaged spot are loaded.  What
 * could not be read is counted in the stats, and the first error is kept
 * in words.
 */
#ifndef IRKIT_JOURNAL_READ_H
#define IRKIT_JOURNAL_READ_H

#include <stddef.h>
#include <stdint.h>

#include "irkit/err.h"

/* The fields kept of an entry (their journal names: journal_read.c). */
enum irk_jfield {
	IRK_JF_HOSTNAME, IRK_JF_UNIT, IRK_JF_USER_UNIT, IRK_JF_IDENTIFIER,
	IRK_JF_PID, IRK_JF_UID, IRK_JF_GID, IRK_JF_COMM, IRK_JF_EXE,
	IRK_JF_CMDLINE, IRK_JF_PRIORITY, IRK_JF_TRANSPORT, IRK_JF_MESSAGE,
	IRK_JF_N
};

#define IRK_JMSG_MAX	8192	/* bytes kept of a message */
#define IRK_JFIELD_MAX	1024	/* of another field */

struct irk_jvalue {
	char *data;		/* NULL: the entry has no such field */
	size_t len;
	int cut;		/* longer than kept */
};

struct irk_jentry {
	int64_t realtime;		/* µs since the epoch, UTC */
	int64_t monotonic;		/* µs since its boot */
	char boot_id[33];
	const char *cursor;		/* its identity */
	uint64_t seqnum;
	uint64_t nfields;		/* fields read */
	struct irk_jvalue f[IRK_JF_N];
};

struct irk_jread_limits {
	uint64_t max_entries;		/* 0: no limit */
	int64_t max_us;			/* time for one file, 0: none */
};

struct irk_jread_stats {
	uint64_t size;			/* bytes given */
	uint64_t declared;		/* header + arena size in the header */
	int padded;			/* truncated: padded with zeros */
	uint64_t header_entries;	/* entries the header counts */
	uint64_t entries;		/* entries read */
	uint64_t unreadable;		/* entries not read (damage) */
	uint64_t out_of_order;		/* sequence number not above the
					   previous, or time going back
					   within one boot */
	int64_t first, last;		/* realtime of the first and last
					   entry read, INT64_MIN: none */
	char file_id[33], seqnum_id[33];
	const char *state;		/* offline, online, archived, ? */
	const char *cut;		/* a limit reached ("entries",
					   "time"), or NULL */
	char error[256];		/* the first damage, in words, or "" */
};

/* One entry read; IRK_FATAL stops the reading, anything else goes on. */
typedef int (*irk_jentry_fn)(void *arg, const struct irk_jentry *e);

#define IRK_JTMP_DIR	"/dev/shm"
#define IRK_JTMP_NAME	64

/*
 * A new file, mode 0600, on the tmpfs IRK_JTMP_DIR (memory, never a
 * disk): its fd, its name in name; -1 with err set (no tmpfs there).
 * The caller unlinks it (irk_journal_read_fd does, once open).
 */
int irk_journal_tmpfile(char name[IRK_JTMP_NAME], struct irk_err *err);

/*
 * Read the journal file in fd (a file the caller filled, size
 * bytes; its name, unlinked here as soon as it is open, or NULL), one
 * call of fn per entry read.  fd is closed here in every case (on success
 * libsystemd owns it and sd_journal_close() closes it).  Returns IRK_OK (read, damage or not:
 * see st), IRK_FAIL when the file cannot be opened as a journal (err
 * says why), IRK_FATAL when fn said so or memory ran out.
 */
int irk_journal_read_fd(int fd, const char *name, uint64_t size,
    const struct irk_jread_limits *lim, irk_jentry_fn fn, void *arg,
    struct irk_jread_stats *st, struct irk_err *err);

#endif
