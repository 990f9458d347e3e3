/*
 * cmd_findings.c - irkit-analyze findings: the case's findings on the
 * command line, highest score first, as aligned columns (score, host,
 * title, evidence) or one JSON object per finding per line (--json).
 * The database is opened read-only.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "export.h"
#include "findings_list.h"
#include "out_util.h"
#include "irkit/fe.h"
#include "irkit/json.h"
#include "irkit/parse.h"
#include "irkit/timeutil.h"
#include "irkit/banned.h"

#define TITLE_PAD_MAX	72	/* a longer title pushes the evidence */

int irk_cmd_findings(int argc, char **argv);

static void
usage(FILE *fp)
{
	fprintf(fp,
"usage: irkit-analyze findings [--db FILE] [--min-score N] [--host H]\n"
"                              [--json]\n"
"\n"
"The case's findings, highest score first (then the earliest): score,\n"
"host, title and the evidence it came from, one per line.  Names from\n"
"the evidence are printed with control characters and bytes that are not\n"
"UTF-8 escaped (\\xNN).\n"
"\n"
"  --db FILE       case database (default case.db), opened read-only\n"
"  --min-score N   only findings scored N or more (0-100)\n"
"  --host H        only the findings of host H (case ignored)\n"
"  --json          one JSON object per finding per line (JSON Lines, in\n"
"                  the same order): id, score, host, title, category,\n"
"                  time (RFC 3339 or null), evidence, evidence_id,\n"
"                  reasons (array), links (the rows behind it: [{table,\n"
"                  id}]); only ASCII is written (\\uXXXX for the rest)\n"
"  -h, --help      this help\n"
"\n"
"Exit status: 0 done; 1 --min-score or --host left nothing (stderr says\n"
"what the case has); 2 usage; 3 database unreadable.\n");
}

struct row {
	int score;
	char *host, *title, *evidence;
};

struct listing {
	int json;
	int oom;		/* out of memory while listing */
	size_t n, cap;
	struct row *rows;
	int64_t shown;
};

/* One finding as a JSON object (evidence text kept as \xNN). */
static json_t *
row_json(const struct irk_finding_row *r)
{
	json_t *o = json_object(), *v;

	json_object_set_new(o, "id", json_integer(r->id));
	json_object_set_new(o, "score", json_integer(r->score));
	json_object_set_new(o, "host", irk_json_str(r->host));
	json_object_set_new(o, "title", irk_json_str(r->title));
	json_object_set_new(o, "category", irk_json_str(r->category));
	irk_json_set_time(o, "time", r->ts);
	json_object_set_new(o, "evidence", irk_json_str(r->evidence));
	json_object_set_new(o, "evidence_id", r->evidence_id > 0 ?
	    json_integer(r->evidence_id) : json_null());
	v = r->reasons != NULL ? json_loads(r->reasons, 0, NULL) : NULL;
	json_object_set_new(o, "reasons", v != NULL ? v : json_array());
	v = r->links != NULL ? json_loads(r->links, 0, NULL) : NULL;
	json_object_set_new(o, "links", v != NULL ? v : json_array());
	return o;
}

static int
on_finding(const struct irk_finding_row *r, void *arg)
{
	struct listing *l = arg;
	struct row *w;

	l->shown++;
	if (l->json) {
		json_t *o = row_json(r);

		(void)json_dumpf(o, stdout, JSON_COMPACT |
		    JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
		putchar('\n');
		json_decref(o);
		return ferror(stdout) ? IRK_FATAL : 0;
	}
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;

		if ((w = realloc(l->rows, cap * sizeof(*w))) == NULL) {
			l->oom = 1;
			return IRK_FATAL;
		}
		l->rows = w;
		l->cap = cap;
	}
	w = &l->rows[l->n];
	w->score = r->score;
	w->host = strdup(r->host != NULL ? r->host : "-");
	w->title = strdup(r->title);
	w->evidence = strdup(r->evidence != NULL ? r->evidence : "-");
	if (w->host == NULL || w->title == NULL || w->evidence == NULL) {
		free(w->host);
		free(w->title);
		free(w->evidence);
		l->oom = 1;
		return IRK_FATAL;
	}
	l->n++;
	return 0;
}

/* Width of s once escaped. */
static size_t
escaped_len(const char *s)
{
	return irk_safe_escape(NULL, 0, s, strlen(s));
}

static void
safe_pad(const char *s, size_t width)
{
	size_t n = escaped_len(s);

	irk_safe_fputs(s, stdout);
	while (n++ < width)
		putchar(' ');
}

/* Aligned columns: SCORE HOST TITLE EVIDENCE. */
static void
print_table(struct listing *l)
{
	size_t hw = 4, tw = 5, i, n;

	for (i = 0; i < l->n; i++) {
		if ((n = escaped_len(l->rows[i].host)) > hw)
			hw = n;
		if ((n = escaped_len(l->rows[i].title)) > tw)
			tw = n > TITLE_PAD_MAX ? TITLE_PAD_MAX : n;
	}
	printf("SCORE  %-*s  %-*s  EVIDENCE\n", (int)hw, "HOST", (int)tw,
	    "TITLE");
	for (i = 0; i < l->n; i++) {
		printf("%5d  ", l->rows[i].score);
		safe_pad(l->rows[i].host, hw);
		fputs("  ", stdout);
		safe_pad(l->rows[i].title, tw);
		fputs("  ", stdout);
		irk_safe_fputs(l->rows[i].evidence, stdout);
		putchar('\n');
	}
}

static void
listing_release(struct listing *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->rows[i].host);
		free(l->rows[i].title);
		free(l->rows[i].evidence);
	}
	free(l->rows);
}

/* -1: go on; else the exit status. */
static int
parse_args(int argc, char **argv, const char **dbpath,
    struct irk_findings_filter *f, int *json)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "min-score", required_argument, NULL, 'm' },
		{ "host", required_argument, NULL, 'H' },
		{ "json", no_argument, NULL, 'J' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t v;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "d:h", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			*dbpath = optarg;
			break;
		case 'm':
			if (irk_parse_u64(optarg, 10, 100, &v) != 0) {
				irk_fe_error("bad --min-score '%s' (0-100)",
				    optarg);
				return 2;
			}
			f->min_score = (int)v;
			break;
		case 'H':
			f->host = optarg;
			break;
		case 'J':
			*json = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		irk_fe_error("unexpected argument '%s'", argv[optind]);
		usage(stderr);
		return 2;
	}
	return -1;
}

int
irk_cmd_findings(int argc, char **argv)
{
	struct irk_findings_filter f;
	struct listing l;
	struct irk_err err;
	const char *dbpath = "case.db";
	struct irk_db *db = NULL;
	int rc;

	memset(&f, 0, sizeof(f));
	memset(&l, 0, sizeof(l));
	if ((rc = parse_args(argc, argv, &dbpath, &f, &l.json)) >= 0)
		return rc;
	if (irk_export_open_db(dbpath, &db) != 0)
		return 3;
	irk_err_clear(&err);
	rc = irk_findings_each(db, &f, on_finding, &l, &err);
	if (rc == 0 && !l.json && l.n > 0)
		print_table(&l);
	listing_release(&l);
	if (rc == 0 && l.shown == 0) {
		int64_t all = irk_findings_count(db);

		if (f.min_score > 0 || f.host != NULL) {
			irk_fe_error("no findings match (%lld in the case)",
			    (long long)all);
			irk_out_list_values(db, "hosts with findings",
			    IRK_DBV_FINDING_HOSTS);
			rc = 1;
		} else
			irk_fe_error("no findings in the case");
	}
	switch (irk_export_close_out(stdout, "-")) {
	case IRK_WARN:		/* `| head`: the reader has enough */
		rc = 0;
		break;
	case 0:
		if (rc < 0)
			irk_fe_error("%s", l.oom ? "out of memory" : err.msg);
		rc = rc < 0 ? 3 : rc;
		break;
	default:
		rc = 3;
	}
	irk_db_close(db);
	return rc;
}
