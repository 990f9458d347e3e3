/*
 * jsonl.h - JSON Lines as they stream out of an archive member: a line
 * assembler fed with chunks of any size, and the loader of one record
 * line into the case database.
 *
 * Lines longer than the maximum are skipped as a whole (reported with
 * overlong set), never split into records.  A final line without its
 * newline is still a line.
 */
#ifndef IRKIT_JSONL_H
#define IRKIT_JSONL_H

#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "irkit/buf.h"

struct irk_jsonl {
	struct irk_buf line;
	uint64_t lineno;
	int skipping;
};

/* line is NULL (and len 0) when overlong is set. */
typedef void (*irk_jsonl_cb)(void *arg, uint64_t lineno, const char *line,
    size_t len, int overlong);

void irk_jsonl_init(struct irk_jsonl *j, size_t maxline);
void irk_jsonl_feed(struct irk_jsonl *j, const char *p, size_t n,
    irk_jsonl_cb cb, void *arg);
/* The last line if it had no newline. */
void irk_jsonl_end(struct irk_jsonl *j, irk_jsonl_cb cb, void *arg);
void irk_jsonl_release(struct irk_jsonl *j);

/*
 * Parse one line and load the record (irk_db_record).  Blank lines are
 * IRK_OK.  IRK_FAIL when the line is not a JSON object (err says why),
 * IRK_FATAL when the database failed.
 */
int irk_jsonl_record(struct irk_db *db, const char *line, size_t len,
    struct irk_err *err);

#endif
