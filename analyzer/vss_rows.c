/*
 * vss_rows.c - what a shadow copy adds to the case (see vss_rows.h):
 * each row is looked up as the live volume has it (no prefix) and as
 * each earlier copy has it (that copy's prefix); only a row found
 * nowhere is stored, under the current copy's prefix.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vss_rows.h"
#include "irkit/json.h"
#include "irkit/banned.h"

#define NAME_MAX_BYTES	(64 * 1024)

int
irk_vss_rows_open(struct irk_vss_rows **out, struct irk_db *db,
    struct irk_err *err)
{
	struct irk_vss_rows *r;

	if ((*out = r = calloc(1, sizeof(*r))) == NULL) {
		irk_err_set(err, ENOMEM, "out of memory");
		return IRK_FATAL;
	}
	irk_buf_init(&r->path, NAME_MAX_BYTES);
	irk_buf_init(&r->body, NAME_MAX_BYTES);
	irk_buf_init(&r->probe, NAME_MAX_BYTES);
	if (irk_db_seen_open(db, &r->seen, err) != IRK_OK) {
		irk_vss_rows_free(r);
		*out = NULL;
		return IRK_FATAL;
	}
	return IRK_OK;
}

int
irk_vss_rows_store(struct irk_vss_rows *r, const char *prefix)
{
	if (r->n >= IRK_VSS_MAX_STORES ||
	    (r->prefix[r->n] = strdup(prefix)) == NULL)
		return IRK_FATAL;
	r->n++;
	r->files = r->same_files = r->records = r->same_records = 0;
	return IRK_OK;
}

/* b = pre + s (pre NULL: s); IRK_OK or IRK_FAIL (too long). */
static int
joined(struct irk_buf *b, const char *pre, const char *s)
{
	irk_buf_reset(b);
	if ((pre != NULL && irk_buf_addstr(b, pre) != 0) ||
	    irk_buf_addstr(b, s) != 0)
		return IRK_FAIL;
	return IRK_OK;
}

int
irk_vss_rows_file(struct irk_vss_rows *r, struct irk_db_file *f)
{
	const char *cur = r->prefix[r->n - 1];
	struct irk_db_file g = *f;

	/* the live volume's row, then each earlier copy's */
	for (int k = -1; k < r->n - 1; k++) {
		int seen;

		if (joined(&r->probe, k < 0 ? NULL : r->prefix[k],
		    f->path) != IRK_OK)
			continue;
		g.path = r->probe.data;
		if ((seen = irk_db_seen_file(r->seen, &g)) != 0) {
			r->same_files += seen > 0;
			return seen > 0 ? 0 : IRK_FATAL;
		}
	}
	if (joined(&r->path, cur, f->path) != IRK_OK ||
	    joined(&r->body, cur, f->body_name ? f->body_name : "") !=
	    IRK_OK)
		return IRK_FATAL;
	f->path = r->path.data;
	f->body_name = f->body_name != NULL ? r->body.data : NULL;
	r->files++;
	return 1;
}

/* key's string value prefixed with pre, if it holds a string. */
static int
prefix_key(json_t *rec, const char *key, const char *pre,
    struct irk_buf *b)
{
	const char *v = json_string_value(json_object_get(rec, key));

	if (v == NULL)
		return IRK_OK;
	if (joined(b, pre, v) != IRK_OK ||
	    irk_json_set_str(rec, key, b->data) != 0)
		return IRK_FATAL;
	return IRK_OK;
}

/* The keys that say where rec was read, prefixed with pre. */
static int
prefix_record(json_t *rec, const char *pre, struct irk_buf *b)
{
	static const char *const keys[] = { "hive", "source_path",
	    "fragment_path", NULL };
	int r = IRK_OK;

	for (int i = 0; keys[i] != NULL; i++)
		r = irk_worst(r, prefix_key(rec, keys[i], pre, b));
	/* a file's own record (prefetch, PSReadLine, certificates) */
	if (!json_is_string(json_object_get(rec, "hive")) &&
	    !json_is_string(json_object_get(rec, "source_path")))
		r = irk_worst(r, prefix_key(rec, "path", pre, b));
	return r;
}

int
irk_vss_rows_record(void *arg, json_t *rec)
{
	struct irk_vss_rows *r = arg;
	int seen = 0;

	for (int k = -1; k < r->n - 1 && seen == 0; k++) {
		json_t *probe;

		if (k < 0) {
			seen = irk_db_seen_record(r->seen, rec);
			continue;
		}
		if ((probe = json_deep_copy(rec)) == NULL)
			return IRK_FATAL;
		seen = prefix_record(probe, r->prefix[k], &r->probe) ==
		    IRK_OK ? irk_db_seen_record(r->seen, probe) : IRK_FATAL;
		json_decref(probe);
	}
	if (seen != 0) {
		r->same_records += seen > 0;
		return seen > 0 ? 0 : IRK_FATAL;
	}
	if (prefix_record(rec, r->prefix[r->n - 1], &r->probe) != IRK_OK)
		return IRK_FATAL;
	r->records++;
	return 1;
}

void
irk_vss_rows_free(struct irk_vss_rows *r)
{
	if (r == NULL)
		return;
	for (int i = 0; i < r->n; i++)
		free(r->prefix[i]);
	irk_buf_release(&r->path);
	irk_buf_release(&r->body);
	irk_buf_release(&r->probe);
	irk_db_seen_free(r->seen);
	free(r);
}
