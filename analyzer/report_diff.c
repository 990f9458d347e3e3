/*
 * report_diff.c - the report's "Changes" section: for every host with
 * two or more collections in the case, what changed from each to the
 * next (irkit-analyze diff, db_diff.c), volatile differences counted but
 * not listed.  Every value from the case is HTML-escaped (textout.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "db_diff.h"
#include "records/record.h"
#include "report.h"
#include "textout.h"
#include "irkit/banned.h"

#define CAP_HOSTS	50
#define CAP_PAIRS	10	/* the last ones of a host */
#define CAP_CHANGES	100	/* rows of one pair */
#define CELL		300

struct coll {
	char *host;
	int64_t host_id, id, time;
	char *path;
};

struct colls {
	struct coll *v;
	size_t n, cap;
	int nomem;
};

static void
add_coll(void *arg, const char *host, int64_t host_id, int64_t evidence,
    const char *path, int64_t time)
{
	struct colls *c = arg;
	struct coll *nv;

	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 16;

		if ((nv = realloc(c->v, cap * sizeof(*nv))) == NULL) {
			c->nomem = 1;
			return;
		}
		c->v = nv;
		c->cap = cap;
	}
	c->v[c->n].host = strdup(host);
	c->v[c->n].path = strdup(path);
	c->v[c->n].host_id = host_id;
	c->v[c->n].id = evidence;
	c->v[c->n].time = time;
	if (c->v[c->n].host == NULL || c->v[c->n].path == NULL)
		c->nomem = 1;
	c->n++;
}

static void
free_colls(struct colls *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->v[i].host);
		free(c->v[i].path);
	}
	free(c->v);
}

struct pair_out {
	FILE *fp;
	size_t rows;
};

/* The values of a JSON object, "a  b" ("" and nulls left out). */
static void
values_cell(FILE *fp, const json_t *o, int with_names)
{
	const char *k;
	json_t *v;
	int n = 0;

	json_object_foreach((json_t *)o, k, v) {
		char *s;
		const char *t = irk_diff_value_text(v, &s);

		if (t == NULL)
			continue;
		fputs(n++ ? with_names ? "<br>" : " &middot; " : "", fp);
		if (with_names) {
			irk_out_htmls(fp, k);
			fputs(": ", fp);
		}
		irk_out_html(fp, t, strlen(t), CELL);
		free(s);
	}
}

static int
pair_row(void *arg, const struct irk_diff_change *c)
{
	struct pair_out *p = arg;
	const char *k;
	json_t *v;
	int n = 0;

	if (c->volatile_ || p->rows++ >= CAP_CHANGES)
		return 0;
	fprintf(p->fp, "<tr><td>%s</td><td>", c->change);
	irk_out_htmls(p->fp, c->type->type);
	fputs("</td><td class=\"mono\">", p->fp);
	values_cell(p->fp, c->key, 0);
	fputs("</td><td>", p->fp);
	if (strcmp(c->change, "changed") != 0) {
		values_cell(p->fp, c->after ? c->after : c->before, 1);
	} else {
		json_object_foreach(c->after, k, v) {
			char *a = json_dumps(json_object_get(c->before, k),
			    JSON_ENCODE_ANY | JSON_COMPACT);
			char *b = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);

			fputs(n++ ? "<br>" : "", p->fp);
			irk_out_htmls(p->fp, k);
			fputs(": ", p->fp);
			irk_out_html(p->fp, a ? a : "null", a ? strlen(a) : 4,
			    CELL);
			fputs(" &rarr; ", p->fp);
			irk_out_html(p->fp, b ? b : "null", b ? strlen(b) : 4,
			    CELL);
			free(a);
			free(b);
		}
	}
	fputs("</td></tr>\n", p->fp);
	return 0;
}

/* One pair of collections: a heading and a table of its changes. */
static int
pair(struct irk_db *db, FILE *fp, const struct coll *o, const struct coll *n)
{
	struct pair_out p = { fp, 0 };
	struct irk_diff d;
	struct irk_err err;

	fputs("<h3>", fp);
	irk_out_htmls(fp, n->host);
	fprintf(fp, ": evidence %lld &rarr; %lld</h3>\n<p class=\"note\">",
	    (long long)o->id, (long long)n->id);
	irk_report_time(fp, o->time);
	fputs(" ", fp);
	irk_out_htmls(fp, o->path);
	fputs(" &rarr; ", fp);
	irk_report_time(fp, n->time);
	fputs(" ", fp);
	irk_out_htmls(fp, n->path);
	fputs("</p>\n<table class=\"diff\"><thead><tr><th>Change</th>"
	    "<th>Kind</th><th>What</th><th>Fields</th></tr></thead><tbody>\n",
	    fp);
	memset(&d, 0, sizeof(d));
	d.db = db;
	d.old_id = o->id;
	d.new_id = n->id;
	d.cb = pair_row;
	d.arg = &p;
	if (irk_db_diff(&d, &err) != IRK_OK)
		return IRK_FAIL;
	if (d.changes == 0)
		fputs("<tr><td colspan=\"4\">No changes.</td></tr>\n", fp);
	fputs("</tbody></table>\n", fp);
	fprintf(fp, "<p class=\"note\">%llu changes%s, %llu volatile "
	    "differences not listed (processes, connections). All of them: "
	    "<code>irkit-analyze diff --all %lld %lld</code>.</p>\n",
	    (unsigned long long)d.changes, d.changes > CAP_CHANGES ?
	    ", the first 100 shown" : "", (unsigned long long)d.volatile_,
	    (long long)o->id, (long long)n->id);
	return IRK_OK;
}

int
irk_report_diff(struct irk_db *db, FILE *fp)
{
	struct colls c;
	size_t i, first, hosts = 0;
	int r = IRK_OK;

	memset(&c, 0, sizeof(c));
	if (irk_db_host_collections(db, add_coll, &c) != IRK_OK || c.nomem) {
		free_colls(&c);
		return IRK_FAIL;
	}
	if (c.n == 0) {
		free_colls(&c);
		return IRK_OK;
	}
	fputs("<h2 id=\"changes\">Changes between collections</h2>\n"
	    "<p class=\"note\">Hosts collected more than once: what was "
	    "added, removed or changed from each collection to the next, by "
	    "each record type's identity key (docs/analyze.md, "
	    "&ldquo;diff&rdquo;).</p>\n", fp);
	for (i = 0; i < c.n && r == IRK_OK && hosts < CAP_HOSTS; i = first) {
		size_t end = i;

		first = i;
		while (end < c.n && c.v[end].host_id == c.v[i].host_id)
			end++;
		/* the last CAP_PAIRS pairs of this host */
		for (size_t j = end - i > CAP_PAIRS + 1 ? end - CAP_PAIRS - 1 :
		    i; j + 1 < end && r == IRK_OK; j++)
			r = pair(db, fp, &c.v[j], &c.v[j + 1]);
		first = end;
		hosts++;
	}
	free_colls(&c);
	return r;
}
