/*
 * accounts.c - the accounts collector: one "account" record per line of
 * /etc/passwd with its /etc/shadow fields, one "group" record per line
 * of /etc/group with its /etc/gshadow fields, and the accounts and
 * groups of the "-" backups (/etc/passwd-, /etc/group-) that the files
 * no longer hold, as deleted (docs/FORMAT.md 4.7).  No password hash is
 * kept: only its scheme and state (acct_parse.c).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "acct_parse.h"
#include "irkit/buf.h"
#include "irkit/collect.h"
#include "irkit/json.h"
#include "irkit/banned.h"

#define ACCT_FILE_MAX	(16u << 20)

typedef json_t *(*line_fn)(const char *line, size_t len);

/* The files of one kind: the list, its shadow, and their backups. */
struct acct_files {
	const char *file, *shadow, *backup, *shadow_backup;
	const char *key;		/* "user" or "name" */
	line_fn parse, parse_shadow;
};

static const struct acct_files users_files = {
	"/etc/passwd", "/etc/shadow", "/etc/passwd-", "/etc/shadow-",
	"user", irk_passwd_line, irk_shadow_line,
};

static const struct acct_files group_files = {
	"/etc/group", "/etc/gshadow", "/etc/group-", "/etc/gshadow-",
	"name", irk_group_line, irk_gshadow_line,
};

/*
 * The lines of path parsed by fn into *out (an array; each object gets
 * its "line").  A missing file is an empty list: IRK_OK when optional,
 * else a warning.
 */
static int
read_lines(struct irk_collect *c, const char *path, line_fn fn, int optional,
    json_t **out)
{
	struct irk_buf b;
	struct irk_err err;
	const char *line;
	size_t pos = 0, len, lineno = 0, bad = 0;
	json_t *o;
	int r;

	*out = json_array();
	irk_buf_init(&b, ACCT_FILE_MAX);
	r = irk_fs_read_file(c->fs, path, &b, NULL, &err);
	if (r == IRK_FAIL) {
		irk_buf_release(&b);
		if (err.errnum == ENOENT && optional)
			return IRK_OK;
		irk_collect_log_err(c, err.errnum == ENOENT ? IRK_LOG_WARN :
		    IRK_LOG_ERROR, path, &err);
		return IRK_WARN;
	}
	if (r == IRK_TOOBIG)
		irk_collect_log(c, IRK_LOG_WARN, path, 0, "longer than %u "
		    "bytes: the rest is not read", ACCT_FILE_MAX);
	while (irk_buf_next_line(&b, &pos, &line, &len)) {
		lineno++;
		/* a line cut by the bound is not read */
		if (pos >= b.len && r == IRK_TOOBIG)
			break;
		if (len == 0)
			continue;
		if ((o = fn(line, len)) == NULL) {
			bad++;
			continue;
		}
		irk_json_set_int(o, "line", (int64_t)lineno);
		json_array_append_new(*out, o);
	}
	if (bad > 0)
		irk_collect_log(c, IRK_LOG_WARN, path, 0, "%zu of %zu line(s) "
		    "not understood", bad, lineno);
	irk_buf_release(&b);
	return r == IRK_TOOBIG || bad > 0 ? IRK_WARN : IRK_OK;
}

/* The objects of a list by their key (the first of a name wins). */
static json_t *
by_key(const json_t *list, const char *key)
{
	json_t *m = json_object(), *o;
	size_t i;

	json_array_foreach(list, i, o) {
		const char *k = json_string_value(json_object_get(o, key));

		if (k != NULL && json_object_get(m, k) == NULL)
			json_object_set(m, k, o);
	}
	return m;
}

/* Fold the shadow line's fields into the record. */
static void
merge_shadow(json_t *rec, const json_t *sh)
{
	const char *k;
	json_t *v;
	const char *pw = json_string_value(json_object_get(rec, "password"));
	int shadowed = pw != NULL && strcmp(pw, "shadowed") == 0;

	irk_json_set_bool(rec, "in_shadow", sh != NULL);
	if (sh == NULL)
		return;
	json_object_foreach((json_t *)sh, k, v) {
		if (strcmp(k, "user") == 0 || strcmp(k, "name") == 0 ||
		    strcmp(k, "members") == 0 || strcmp(k, "line") == 0)
			continue;
		/* a hash in the list itself is the one in use */
		if (!shadowed && (strcmp(k, "password") == 0 ||
		    strcmp(k, "password_scheme") == 0 ||
		    strcmp(k, "locked") == 0))
			continue;
		json_object_set(rec, k, v);
	}
}

/* Emit the records of list (from path), less those named in skip. */
static int
emit(struct irk_collect *c, const struct acct_files *f, json_t *list,
    const json_t *shadow, const json_t *skip, const char *path)
{
	size_t i;
	json_t *o;

	json_array_foreach(list, i, o) {
		const char *k = json_string_value(json_object_get(o, f->key));

		if (k == NULL || (skip != NULL && json_object_get(skip, k)))
			continue;
		merge_shadow(o, json_object_get(shadow, k));
		irk_json_set_str(o, "source", path);
		irk_json_set_bool(o, "deleted", skip != NULL);
		if (irk_collect_record(c, json_incref(o)) == IRK_FATAL)
			return IRK_FATAL;
	}
	return IRK_OK;
}

/* Shadow lines naming no entry of the list (pwck says the same). */
static void
orphans(struct irk_collect *c, const struct acct_files *f, const json_t *list,
    const json_t *shadow)
{
	json_t *names = by_key(list, f->key), *o;
	size_t n = 0;
	const char *k;

	json_object_foreach((json_t *)shadow, k, o)
		if (json_object_get(names, k) == NULL)
			n++;
	if (n > 0)
		irk_collect_log(c, IRK_LOG_WARN, f->shadow, 0, "%zu entr%s "
		    "with no line in '%s'", n, n == 1 ? "y" : "ies", f->file);
	json_decref(names);
}

/* One kind: the list with its shadow, then the backup's deletions. */
static int
collect_kind(struct irk_collect *c, const struct acct_files *f)
{
	json_t *list, *sh, *bl, *bsh, *shm, *bshm, *names;
	int r;

	r = read_lines(c, f->file, f->parse, 0, &list);
	r = irk_worst(r, read_lines(c, f->shadow, f->parse_shadow, 1, &sh));
	r = irk_worst(r, read_lines(c, f->backup, f->parse, 1, &bl));
	r = irk_worst(r, read_lines(c, f->shadow_backup, f->parse_shadow, 1,
	    &bsh));
	shm = by_key(sh, f->key);
	bshm = by_key(bsh, f->key);
	names = by_key(list, f->key);
	orphans(c, f, list, shm);
	if (emit(c, f, list, shm, NULL, f->file) == IRK_FATAL ||
	    emit(c, f, bl, bshm, names, f->backup) == IRK_FATAL)
		r = IRK_FATAL;
	json_decref(list);
	json_decref(sh);
	json_decref(bl);
	json_decref(bsh);
	json_decref(shm);
	json_decref(bshm);
	json_decref(names);
	return r;
}

static int
collect_accounts(struct irk_collect *c)
{
	int r = collect_kind(c, &users_files);

	if (r == IRK_FATAL)
		return r;
	return irk_worst(r, collect_kind(c, &group_files));
}

const struct irk_collector irk_collector_accounts = {
	"accounts", "accounts and groups (passwd, shadow, group, gshadow and "
	"their backups)", IRK_SRC_LIVE | IRK_SRC_LINUX_ROOT, collect_accounts,
};
