/*
 * sudoers.c - the sudoers collector: /etc/sudoers and the files it
 * includes (@include, @includedir and their # forms, followed inside
 * the root, with a bound on depth and a check for loops) as "sudo_rule"
 * records: one per command of a user specification (users, hosts, Runas,
 * tags, NOPASSWD, the command and its Cmnd_Alias expansion), one per
 * alias, one per Defaults line (docs/FORMAT.md 4.9).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dir_list.h"
#include "sudoers_parse.h"
#include "irkit/buf.h"
#include "irkit/collect.h"
#include "irkit/json.h"
#include "irkit/str.h"
#include "irkit/banned.h"

#define SUDOERS		"/etc/sudoers"
#define SUDO_FILE_MAX	(4u << 20)
#define SUDO_DEPTH	8
#define SUDO_FILES	256
#define ALIAS_DEPTH	8
#define EXPANDED_MAX	1024
#define EXPAND_STEPS	10000

struct sudo {
	json_t *items;		/* the parsed lines, with file and line */
	json_t *stack;		/* the files being read (loop check) */
	json_t *cmnds;		/* Cmnd_Alias name -> members */
	int files;
};

static int sudo_file(struct irk_collect *c, struct sudo *st,
    const char *path, int depth);

/* @includedir: the files of dir, in order, less names with '.' or '~'. */
static int
sudo_dir(struct irk_collect *c, struct sudo *st, const char *dir, int depth)
{
	char full[4096], **names;
	size_t n;
	int r = IRK_OK;

	if ((names = irk_dir_list(c, dir, &n, 0)) == NULL)
		return IRK_OK;
	for (size_t i = 0; i < n && !c->fatal; i++)
		if (strchr(names[i], '.') == NULL &&
		    !irk_has_suffix(names[i], "~") &&
		    irk_path_join(full, sizeof(full), dir, names[i]) == IRK_OK)
			r = irk_worst(r, sudo_file(c, st, full, depth));
	irk_dir_list_free(names, n);
	return r;
}

/* An include directive of from: relative paths from its folder. */
static int
sudo_include(struct irk_collect *c, struct sudo *st, const char *from,
    const json_t *inc, int depth)
{
	const char *p = json_string_value(json_object_get(inc, "path"));
	const char *slash = strrchr(from, '/');
	char path[4096];

	if (p == NULL)
		return IRK_WARN;
	if (strstr(p, "%h") != NULL) {
		irk_collect_log(c, IRK_LOG_WARN, from, 0, "include '%s' names "
		    "the host (%%h): not followed", p);
		return IRK_WARN;
	}
	if (p[0] == '/')
		(void)snprintf(path, sizeof(path), "%s", p);
	else if (snprintf(path, sizeof(path), "%.*s/%s", (int)(slash - from),
	    from, p) >= (int)sizeof(path))
		return IRK_WARN;
	if (json_integer_value(json_object_get(inc, "dir")))
		return sudo_dir(c, st, path, depth + 1);
	return sudo_file(c, st, path, depth + 1);
}

/* The aliases of a line: Cmnd_Alias members kept for the expansion. */
static void
keep_aliases(struct sudo *st, const json_t *o)
{
	size_t i;
	json_t *a;

	json_array_foreach(json_object_get(o, "aliases"), i, a) {
		const char *k = json_string_value(json_object_get(a,
		    "alias_type")), *name = json_string_value(
		    json_object_get(a, "name"));

		if (k != NULL && name != NULL && (strcmp(k, "Cmnd_Alias") ==
		    0 || strcmp(k, "Cmd_Alias") == 0) &&
		    json_object_get(st->cmnds, name) == NULL)
			json_object_set(st->cmnds, name, json_object_get(a,
			    "members"));
	}
}

/*
 * One logical line: parsed, kept, an include followed.  1 when it is
 * not understood, else the include's result.
 */
static int
sudo_line(struct irk_collect *c, struct sudo *st, const char *path,
    size_t lineno, const struct irk_buf *l, int depth)
{
	json_t *o = irk_sudoers_line(l->data, l->len);
	const char *kind;
	int r = IRK_OK;

	if (o == NULL)
		return 1;
	kind = json_string_value(json_object_get(o, "kind"));
	if (strcmp(kind, "include") == 0)
		r = sudo_include(c, st, path, o, depth);
	else if (strcmp(kind, "blank") != 0) {
		irk_json_set_str(o, "file", path);
		irk_json_set_int(o, "line", (int64_t)lineno);
		if (strcmp(kind, "alias") == 0)
			keep_aliases(st, o);
		json_array_append(st->items, o);
	}
	json_decref(o);
	return r;
}

/* The lines of b, continuation lines joined. */
static int
sudo_lines(struct irk_collect *c, struct sudo *st, const char *path,
    const struct irk_buf *b, int depth)
{
	struct irk_buf l;
	const char *line;
	size_t pos = 0, len, lineno = 0, first = 0, bad = 0;
	int r = IRK_OK, cont, lr;

	irk_buf_init(&l, IRK_SUDOERS_LINE_MAX);
	while (irk_buf_next_line(b, &pos, &line, &len) && !c->fatal) {
		if (l.len == 0)
			first = lineno + 1;
		lineno++;
		cont = len > 0 && line[len - 1] == '\\';
		if (irk_buf_add(&l, line, len - (size_t)cont) != IRK_OK) {
			/* a logical line over the bound is not read */
			bad++;
			cont = 0;
			irk_buf_reset(&l);
		}
		if (cont)
			continue;
		lr = l.len > 0 ? sudo_line(c, st, path, first, &l, depth) :
		    IRK_OK;
		if (lr == 1)
			bad++;
		else
			r = irk_worst(r, lr);
		irk_buf_reset(&l);
	}
	irk_buf_release(&l);
	if (bad > 0) {
		irk_collect_log(c, IRK_LOG_WARN, path, 0, "%zu of %zu line(s) "
		    "not understood", bad, lineno);
		r = IRK_WARN;
	}
	return r;
}

static int
sudo_file(struct irk_collect *c, struct sudo *st, const char *path,
    int depth)
{
	struct irk_buf b, real;
	struct irk_err err;
	json_t *p;
	size_t i;
	int r;

	irk_buf_init(&real, 4096);
	if (irk_fs_resolve(c->fs, path, &real, &err) == IRK_OK)
		json_array_foreach(st->stack, i, p)
			if (strcmp(json_string_value(p), real.data) == 0) {
				irk_collect_log(c, IRK_LOG_WARN, path, 0,
				    "an include loop: '%s' is being read",
				    real.data);
				irk_buf_release(&real);
				return IRK_WARN;
			}
	if (depth > SUDO_DEPTH || st->files++ >= SUDO_FILES) {
		irk_collect_log(c, IRK_LOG_WARN, path, 0, "includes nested "
		    "deeper than %d or more than %d files: not read",
		    SUDO_DEPTH, SUDO_FILES);
		irk_buf_release(&real);
		return IRK_WARN;
	}
	irk_buf_init(&b, SUDO_FILE_MAX);
	r = irk_fs_read_file(c->fs, path, &b, NULL, &err);
	if (r == IRK_FAIL) {
		irk_buf_release(&b);
		irk_buf_release(&real);
		if (err.errnum == ENOENT && depth == 0) {
			irk_collect_log(c, IRK_LOG_INFO, path, 0, "no sudoers "
			    "here");
			return IRK_OK;
		}
		irk_collect_log_err(c, IRK_LOG_WARN, path, &err);
		return IRK_WARN;
	}
	if (r == IRK_TOOBIG)
		irk_collect_log(c, IRK_LOG_WARN, path, 0, "longer than %u "
		    "bytes: the rest is not read", SUDO_FILE_MAX);
	json_array_append_new(st->stack, json_string(real.len ? real.data :
	    path));
	r = irk_worst(r == IRK_TOOBIG ? IRK_WARN : IRK_OK, sudo_lines(c, st,
	    path, &b, depth));
	json_array_remove(st->stack, json_array_size(st->stack) - 1);
	irk_buf_release(&b);
	irk_buf_release(&real);
	return r;
}

/* Where an expansion goes, and how many more steps it may take. */
struct expansion {
	json_t *out;
	size_t budget;
	int cut;		/* a bound was reached */
};

/* A command with the Cmnd_Aliases it names expanded ("!" carried). */
static void
expand(const struct sudo *st, const char *cmd, int neg, int depth,
    struct expansion *x)
{
	const json_t *members;
	json_t *m;
	size_t i;

	while (*cmd == '!') {
		neg = !neg;
		cmd++;
	}
	while (*cmd == ' ' || *cmd == '\t')
		cmd++;
	/* a bound on the steps: aliases of aliases may fan out */
	if (x->budget == 0 || json_array_size(x->out) >= EXPANDED_MAX) {
		x->cut = 1;
		return;
	}
	x->budget--;
	if (depth < ALIAS_DEPTH &&
	    (members = json_object_get(st->cmnds, cmd)) != NULL) {
		json_array_foreach(members, i, m)
			expand(st, json_string_value(m), neg, depth + 1, x);
		return;
	}
	if (neg) {
		char buf[4096];

		(void)snprintf(buf, sizeof(buf), "!%s", cmd);
		json_array_append_new(x->out, irk_json_str(buf));
	} else
		json_array_append_new(x->out, irk_json_str(cmd));
}

/* NOPASSWD: the last of NOPASSWD and PASSWD among the tags. */
static int
nopasswd(const json_t *tags)
{
	const char *t;
	size_t i;
	int v = 0;

	for (i = 0; i < json_array_size(tags); i++) {
		t = json_string_value(json_array_get(tags, i));
		if (t != NULL && strcmp(t, "NOPASSWD") == 0)
			v = 1;
		else if (t != NULL && strcmp(t, "PASSWD") == 0)
			v = 0;
	}
	return v;
}

static json_t *
base(const json_t *o, const char *kind)
{
	json_t *rec = irk_record_new("sudo_rule");

	irk_json_set_str(rec, "kind", kind);
	json_object_set(rec, "file", json_object_get(o, "file"));
	json_object_set(rec, "line", json_object_get(o, "line"));
	return rec;
}

/* The records of one parsed line: IRK_WARN when an expansion is cut. */
static int
emit(struct irk_collect *c, const struct sudo *st, const json_t *o)
{
	const char *kind = json_string_value(json_object_get(o, "kind"));
	int rule = strcmp(kind, "rule") == 0;
	json_t *list = json_object_get(o, rule ? "commands" : "aliases"), *e;
	json_t *rec;
	size_t i;
	int r = IRK_OK;

	if (strcmp(kind, "defaults") == 0) {
		rec = base(o, kind);
		json_object_set(rec, "binding", json_object_get(o, "binding"));
		json_object_set(rec, "settings", json_object_get(o,
		    "settings"));
		return irk_collect_record(c, rec);
	}
	json_array_foreach(list, i, e) {
		rec = base(o, kind);
		json_object_update(rec, e);
		if (rule) {
			struct expansion x = { json_array(), EXPAND_STEPS,
			    0 };

			json_object_set(rec, "users", json_object_get(o,
			    "users"));
			json_object_set(rec, "hosts", json_object_get(o,
			    "hosts"));
			irk_json_set_bool(rec, "nopasswd", nopasswd(
			    json_object_get(e, "tags")));
			expand(st, json_string_value(json_object_get(e,
			    "command")), 0, 0, &x);
			json_object_set_new(rec, "commands_expanded", x.out);
			if (x.cut)
				irk_collect_log(c, IRK_LOG_WARN,
				    json_string_value(json_object_get(o,
				    "file")), 0, "the aliases of line %lld "
				    "expand to more than %d commands or %d "
				    "steps: cut", (long long)json_integer_value(
				    json_object_get(o, "line")), EXPANDED_MAX,
				    EXPAND_STEPS);
			if (x.cut)
				r = IRK_WARN;
		}
		if (irk_collect_record(c, rec) == IRK_FATAL)
			return IRK_FATAL;
	}
	return r;
}

static int
collect_sudoers(struct irk_collect *c)
{
	struct sudo st = { json_array(), json_array(), json_object(), 0 };
	json_t *o;
	size_t i;
	int r;

	r = sudo_file(c, &st, SUDOERS, 0);
	json_array_foreach(st.items, i, o)
		if (!c->fatal)
			r = irk_worst(r, emit(c, &st, o));
	json_decref(st.items);
	json_decref(st.stack);
	json_decref(st.cmnds);
	return c->fatal ? IRK_FATAL : r;
}

const struct irk_collector irk_collector_sudoers = {
	"sudoers", "sudo rules, aliases and Defaults (sudoers and its "
	"includes)", IRK_SRC_LIVE | IRK_SRC_LINUX_ROOT, collect_sudoers,
};
