/*
 * jsonl.c - JSON Lines assembler and record line loader (jsonl.h).
 */
#include <errno.h>
#include <string.h>
#include <jansson.h>

#include "jsonl.h"
#include "irkit/banned.h"

void
irk_jsonl_init(struct irk_jsonl *j, size_t maxline)
{
	irk_buf_init(&j->line, maxline);
	j->lineno = 0;
	j->skipping = 0;
}

void
irk_jsonl_release(struct irk_jsonl *j)
{
	irk_buf_release(&j->line);
}

static void
emit(struct irk_jsonl *j, irk_jsonl_cb cb, void *arg)
{
	size_t len = j->line.len;

	j->lineno++;
	if (j->skipping) {
		j->skipping = 0;
		cb(arg, j->lineno, NULL, 0, 1);
	} else {
		/* CRLF line ends */
		if (len > 0 && j->line.data[len - 1] == '\r')
			len--;
		cb(arg, j->lineno, j->line.data ? j->line.data : "", len, 0);
	}
	irk_buf_reset(&j->line);
}

void
irk_jsonl_feed(struct irk_jsonl *j, const char *p, size_t n, irk_jsonl_cb cb,
    void *arg)
{
	while (n > 0) {
		const char *nl = memchr(p, '\n', n);
		size_t take = nl ? (size_t)(nl - p) : n;

		if (!j->skipping && irk_buf_add(&j->line, p, take) != IRK_OK) {
			j->skipping = 1;
			irk_buf_reset(&j->line);
		}
		p += take;
		n -= take;
		if (nl == NULL)
			break;
		p++;
		n--;
		emit(j, cb, arg);
	}
}

void
irk_jsonl_end(struct irk_jsonl *j, irk_jsonl_cb cb, void *arg)
{
	if (j->line.len > 0 || j->skipping)
		emit(j, cb, arg);
}

int
irk_jsonl_record(struct irk_db *db, const char *line, size_t len,
    struct irk_err *err)
{
	json_error_t je;
	json_t *rec;
	size_t i;
	int r;

	for (i = 0; i < len; i++)
		if (line[i] != ' ' && line[i] != '\t' && line[i] != '\r')
			break;
	if (i == len)
		return IRK_OK;
	rec = json_loadb(line, len, 0, &je);
	if (!json_is_object(rec)) {
		irk_err_set(err, EINVAL, "not a JSON object (%s)", rec ?
		    "another JSON value" : je.text);
		json_decref(rec);
		return IRK_FAIL;
	}
	r = irk_db_record(db, rec, NULL, err);
	json_decref(rec);
	return r == IRK_FATAL ? IRK_FATAL : IRK_OK;
}
