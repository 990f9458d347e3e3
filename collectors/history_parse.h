/*
 * history_parse.h - the shell and tool history formats the history
 * collector reads, as pure parsers: lines in (without their newline),
 * entries out through a callback.  No I/O, so they are unit tested and
 * fuzzed directly (tests/fuzz/fuzz_history.c).
 *
 *   bash	"#EPOCH" lines before an entry when HISTTIMEFORMAT was set;
 *		read as bash reads it with HISTTIMEFORMAT set: a file whose
 *		first line is a time has multi-line entries (a line without
 *		a time before it continues the entry), empty lines skipped
 *   zsh	": START:ELAPSED;COMMAND" (extended) or the command alone; a
 *		line ending in a backslash continues on the next one; the
 *		bytes are metafied (0x83, then the byte xor 0x20)
 *   fish	"- cmd: COMMAND" ("\\" and "\n" escaped), "  when: EPOCH"
 *   plain	one entry a line (.python_history, .mysql_history,
 *		.psql_history); libedit's "_HiStOrY_V2_" files have their
 *		octal escapes undone, psql's 0x01 is a newline
 *   less	.lesshst: the lines of its ".search" and ".shell" sections
 *		that start with a double quote
 */
#ifndef IRKIT_HISTORY_PARSE_H
#define IRKIT_HISTORY_PARSE_H

#include <stddef.h>
#include <stdint.h>

#include "irkit/buf.h"

#define IRK_HIST_ENTRY_MAX	(64u << 10)	/* longer entries are cut */
#define IRK_HIST_NOTIME		INT64_MIN

enum irk_hist_format {
	IRK_HIST_BASH, IRK_HIST_ZSH, IRK_HIST_FISH, IRK_HIST_PLAIN,
	IRK_HIST_PSQL, IRK_HIST_LESS,
};

struct irk_hist_entry {
	const char *cmd;	/* not NUL-terminated; may hold any byte */
	size_t len;
	int64_t time;		/* seconds since the epoch, or IRK_HIST_NOTIME */
	int64_t duration;	/* zsh's elapsed seconds, or -1 */
	uint64_t line;		/* the line it starts on, from 1 */
	int cut;		/* longer than IRK_HIST_ENTRY_MAX: cut */
	const char *section;	/* less: "search", "shell"; else NULL */
};

/* IRK_OK to go on; anything else stops the parse and is returned. */
typedef int (*irk_hist_emit_fn)(void *arg, const struct irk_hist_entry *e);

struct irk_hist_parser {
	enum irk_hist_format format;
	irk_hist_emit_fn emit;
	void *arg;
	struct irk_buf cur;	/* the entry being built */
	int have;		/* cur holds an entry */
	int more;		/* zsh: the entry goes on (a backslash) */
	struct irk_hist_entry e;
	int64_t pending;	/* bash: the time read for the next entry */
	int multiline;		/* bash: the file starts with a time */
	int libedit;		/* plain: a libedit file */
	const char *section;	/* less */
	uint64_t lineno;
};

void irk_hist_init(struct irk_hist_parser *p, enum irk_hist_format format,
    irk_hist_emit_fn emit, void *arg);
/*
 * One line without its newline; cut: the line was longer than the
 * caller read of it.  Returns IRK_OK or what emit returned.
 */
int irk_hist_line(struct irk_hist_parser *p, const char *line, size_t len,
    int cut);
/* The end of the file: the last entry goes out. */
int irk_hist_end(struct irk_hist_parser *p);
void irk_hist_release(struct irk_hist_parser *p);

/* zsh's metafied bytes undone in place; returns the new length. */
size_t irk_hist_unmetafy(char *s, size_t len);

#endif
