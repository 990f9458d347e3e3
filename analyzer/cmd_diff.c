/*
 * cmd_diff.c - irkit-analyze diff: what changed between two collections
 * of one host in a case (db_diff.c does the comparing; this file reads
 * the options and prints).  The database is opened read-only.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "db.h"
#include "db_diff.h"
#include "export.h"
#include "records/record.h"
#include "irkit/fe.h"
#include "irkit/timeutil.h"
#include "irkit/banned.h"

int irk_cmd_diff(int argc, char **argv);

struct diff_args {
	const char *dbpath;
	const char *old, *new;
	int json, all, any_host;
};

static void
usage(FILE *fp)
{
	fputs("usage: irkit-analyze diff [--db FILE] [--json] [--all] "
	    "[--any-host] OLD NEW\n\n"
	    "What changed on a host between two of its collections in the "
	    "case: for\nevery record type, by its identity key (docs/SCHEMA.md), "
	    "what was added,\nremoved or changed (with the fields that "
	    "changed, before and after).\nOLD and NEW name evidence of the "
	    "case: its id, its path as loaded, or\nsix or more hex digits "
	    "of its SHA-256 (irkit-analyze counts, the report).\n\n"
	    "  -d, --db FILE  case database (default case.db), opened "
	    "read-only\n"
	    "      --json     one JSON object per line: kind, change "
	    "(added|removed|changed),\n"
	    "                 key, before, after, volatile\n"
	    "      --all      the text also lists the volatile differences "
	    "(always in --json)\n"
	    "      --any-host compare collections of two different hosts\n"
	    "  -h, --help     this help\n\n"
	    "Volatile: processes started or ended, connections opened or "
	    "closed, a\nrunning program's executable: the life of a host, "
	    "counted but not listed\nas changes (docs/analyze.md, \"diff\").\n\n"
	    "Exit status: 0 done (with or without changes); 2 usage (also an "
	    "OLD or NEW\nthat names no evidence, or one of another host); 3 "
	    "the case cannot be read.\n", fp);
}

/* The key's values, as one line: "a b c" (nulls and "" left out). */
static void
print_values(const json_t *o, FILE *fp)
{
	const char *k;
	json_t *v;
	int first = 1;

	json_object_foreach((json_t *)o, k, v) {
		char *s;
		const char *t = irk_diff_value_text(v, &s);

		if (t == NULL)
			continue;
		fputs(first ? "" : "  ", fp);
		first = 0;
		irk_safe_fputs(t, fp);
		free(s);
	}
	if (first)
		fputs("(no key)", fp);
}

static void
print_value(const json_t *v, FILE *fp)
{
	char *s;
	const char *t = irk_diff_value_text(v, &s);

	/* null and "" say so */
	irk_safe_fputs(t != NULL ? t : json_is_string(v) ? "\"\"" : "null",
	    fp);
	free(s);
}

static int
print_text(void *arg, const struct irk_diff_change *c)
{
	const struct diff_args *a = arg;
	const char *k;
	json_t *v;

	if (c->volatile_ && !a->all)
		return 0;
	printf("%c %-13s ", c->change[0] == 'a' ? '+' : c->change[0] == 'r' ?
	    '-' : '~', c->type->type);
	print_values(c->key, stdout);
	if (c->volatile_)
		fputs("  (volatile)", stdout);
	putchar('\n');
	if (strcmp(c->change, "changed") != 0)
		return 0;
	json_object_foreach(c->after, k, v) {
		printf("      %s: ", k);
		print_value(json_object_get(c->before, k), stdout);
		fputs(" -> ", stdout);
		print_value(v, stdout);
		putchar('\n');
	}
	return 0;
}

static int
print_json(void *arg, const struct irk_diff_change *c)
{
	json_t *o = json_object();
	char *s;

	(void)arg;
	json_object_set_new(o, "kind", json_string(c->type->type));
	json_object_set_new(o, "change", json_string(c->change));
	json_object_set(o, "key", c->key);
	json_object_set(o, "before", c->before ? c->before : json_null());
	json_object_set(o, "after", c->after ? c->after : json_null());
	json_object_set_new(o, "volatile", json_boolean(c->volatile_));
	if ((s = json_dumps(o, JSON_COMPACT)) != NULL)
		puts(s);
	free(s);
	json_decref(o);
	return 0;
}

static int
parse_args(struct diff_args *a, int argc, char **argv)
{
	enum { O_JSON = 256, O_ALL, O_ANYHOST };
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "json", no_argument, NULL, O_JSON },
		{ "all", no_argument, NULL, O_ALL },
		{ "any-host", no_argument, NULL, O_ANYHOST },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(a, 0, sizeof(*a));
	a->dbpath = "case.db";
	optind = 1;
	while ((c = getopt_long(argc, argv, "d:h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': a->dbpath = optarg; break;
		case O_JSON: a->json = 1; break;
		case O_ALL: a->all = 1; break;
		case O_ANYHOST: a->any_host = 1; break;
		case 'h': usage(stdout); return -1;
		default: usage(stderr); return 2;
		}
	}
	if (argc - optind != 2) {
		irk_fe_error("give two evidence: OLD and NEW");
		usage(stderr);
		return 2;
	}
	a->old = argv[optind];
	a->new = argv[optind + 1];
	return 0;
}

static void
say_side(const char *what, const struct irk_diff_side *s)
{
	char t[IRK_TIME_LEN];

	irk_safe_fprintf(stderr, "%s: %s evidence %lld, %s, %s (%s)\n",
	    irk_fe_prefix(), what, (long long)s->id, s->path,
	    s->time == INT64_MIN ? "no time" : irk_time_fmt(s->time, t),
	    s->status);
}

/* Both sides named, of one host: 0, or the exit status. */
static int
resolve(struct irk_db *db, const struct diff_args *a, struct irk_diff_side *o,
    struct irk_diff_side *n)
{
	struct irk_err err;
	int r;

	if ((r = irk_db_evidence_ref(db, a->old, o, &err)) != IRK_OK ||
	    (r = irk_db_evidence_ref(db, a->new, n, &err)) != IRK_OK) {
		irk_fe_error("%s", err.msg);
		return r == IRK_FATAL ? 3 : 2;
	}
	if (o->id == n->id) {
		irk_fe_error("OLD and NEW are the same evidence (%lld)",
		    (long long)o->id);
		return 2;
	}
	if (o->host_id != n->host_id && !a->any_host) {
		irk_fe_error("evidence %lld and %lld are of different hosts "
		    "(--any-host compares them anyway)", (long long)o->id,
		    (long long)n->id);
		return 2;
	}
	return 0;
}

int
irk_cmd_diff(int argc, char **argv)
{
	struct irk_diff_side o, n;
	struct diff_args a;
	struct irk_diff d;
	struct irk_err err;
	struct irk_db *db = NULL;
	int rc;

	if ((rc = parse_args(&a, argc, argv)) != 0)
		return rc < 0 ? 0 : rc;
	if (irk_export_open_db(a.dbpath, &db) != 0)
		return 3;
	if ((rc = resolve(db, &a, &o, &n)) != 0) {
		irk_db_close(db);
		return rc;
	}
	memset(&d, 0, sizeof(d));
	d.db = db;
	d.old_id = o.id;
	d.new_id = n.id;
	d.cb = a.json ? print_json : print_text;
	d.arg = &a;
	if (irk_db_diff(&d, &err) != IRK_OK) {
		irk_fe_error("'%s': %s", a.dbpath, err.msg);
		irk_db_close(db);
		return 3;
	}
	say_side("old:", &o);
	say_side("new:", &n);
	fprintf(stderr, "%s: %llu changes, %llu volatile differences%s\n",
	    irk_fe_prefix(), (unsigned long long)d.changes,
	    (unsigned long long)d.volatile_, a.json || a.all || !d.volatile_ ?
	    "" : " (not listed: --all)");
	rc = irk_export_close_out(stdout, "-") == IRK_FATAL ? 3 : 0;
	irk_db_close(db);
	return rc;
}
