/*
 * logread.h - a text log read line by line through an irk_fs, plain or
 * compressed (gzip, xz, bzip2, zstd, lz4 through libarchive's raw format
 * and its filters), in bounded memory: a line longer than
 * IRK_LOGREAD_LINE_MAX is cut there (the rest of it skipped, counted);
 * a compressed file stops after IRK_LOGREAD_RATIO times its size plus
 * IRK_LOGREAD_SLACK of output (a bomb), flagged in capped.
 */
#ifndef IRKIT_LOGREAD_H
#define IRKIT_LOGREAD_H

#include <stddef.h>
#include <stdint.h>

#include "irkit/err.h"
#include "irkit/fs.h"

#define IRK_LOGREAD_LINE_MAX	(64u << 10)
#define IRK_LOGREAD_RATIO	200
#define IRK_LOGREAD_SLACK	(64ull << 20)

struct archive;

struct irk_logread {
	struct irk_fs *fs;
	struct irk_file *f;
	struct irk_stat st;
	const char *compression;	/* NULL: plain */
	struct archive *a;
	uint64_t raw_off;		/* next byte of the file to read */
	uint64_t out;			/* bytes of text read so far */
	uint64_t cap;			/* bytes of text read at most */
	char *buf;			/* a chunk of text */
	size_t len, pos;
	char *line;			/* the line being returned */
	uint64_t lineno;		/* its number, from 1 */
	uint64_t line_off;		/* its offset in the text */
	uint64_t cut;			/* lines cut so far */
	uint64_t first_cut;		/* the first one's number */
	int capped;			/* stopped at cap */
	int eof;
	struct irk_err err;		/* a read error (error set) */
	int error;
};

/* Open path (its compression found from its first bytes). */
int irk_logread_open(struct irk_logread *r, struct irk_fs *fs,
    const char *path, struct irk_err *err);
/*
 * The next line, without its "\n" (a "\r" before it kept): 1 with line,
 * len and cut (1: the line was longer and is cut), 0 at the end (or at
 * the cap, or on an error: capped, error).
 */
int irk_logread_line(struct irk_logread *r, const char **line, size_t *len,
    int *cut);
/* Back to the first line (a second pass). */
int irk_logread_rewind(struct irk_logread *r, struct irk_err *err);
void irk_logread_close(struct irk_logread *r);

#endif
