/*
 * report_hosts.c - the report's cross-host sections, when the case
 * holds more than one host (docs/cross-host.md): "Hosts side by side"
 * (a summary per host), "Across hosts" (the cross-host findings grouped
 * by indicator: which hosts hold this content, service, task, key) and
 * "Logins between hosts" (the login graph drawn as an inline SVG, and
 * its edges as a table).  Read through db_cross.h; every value from
 * the database is HTML-escaped (textout.h).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "irkit/err.h"
#include "irkit/fe.h"
#include "db_cross.h"
#include "report.h"
#include "textout.h"
#include "irkit/banned.h"

#define CAP_ROWS	200
#define CAP_EDGES	100	/* drawn */
#define CAP_NODES	40
#define CELL		400

/*
 * A table of one read: its headings, and each column's kind, one
 * letter a column: t text, m fixed-width, n number, T time, l lines
 * (one a line).
 */
struct htable {
	enum irk_db_cross_report which;
	const char *id, *title, *note, *empty;
	const char *const *heads;
	const char *kinds;
};

static const char *const sum_heads[] = { "Host", "Evidence",
    "First event", "Last event", "Findings 70+", "40-69", "Under 40",
    "Cross-host", "Records", NULL };
static const char *const ind_heads[] = { "Kind", "What", "Indicator",
    "Hosts", "Host list", "Top score", NULL };
static const char *const edge_heads[] = { "From", "To", "Account",
    "Logins", "First", "Last", "Matched on", "Seen from the source",
    NULL };

static const struct htable tables[] = {
	{ IRK_CROSSR_HOSTS, "host-summary", "Hosts side by side",
	    "Per host: its evidence, the span of its timeline, its findings "
	    "by score, the rows of each record type "
	    "(<code>SELECT * FROM v_host_summary</code>, "
	    "<code>v_host_records</code>).", "No hosts.", sum_heads,
	    "tnTTnnnnl" },
	{ IRK_CROSSR_INDICATORS, "across-hosts", "Across hosts",
	    "The same content, service, task, autorun or authorized key on "
	    "several hosts, behind a finding on at least one of them; each "
	    "host's cross-host finding is under Findings "
	    "(<code>SELECT * FROM v_cross_indicators</code>).",
	    "Nothing scored on one host is on another.", ind_heads, "ttmntn" },
	{ IRK_CROSSR_EDGES, "login-graph", "Logins between hosts",
	    "A login record of one host naming another host of the case as "
	    "its source (an address of its sockets, or its name); what the "
	    "source's own evidence says of it "
	    "(<code>SELECT * FROM v_login_edges</code>).",
	    "No login names another host of the case.", edge_heads,
	    "tttnTTtt" },
};

static void
hcell(FILE *fp, struct irk_db_rows *st, int i, char k)
{
	const char *s;
	size_t n;

	fputs(k == 'm' || k == 'l' ? "<td class=\"mono\">" : k == 'n' ?
	    "<td class=\"num\">" : k == 'T' ? "<td class=\"time\">" : "<td>",
	    fp);
	if (irk_db_rows_isnull(st, i))
		;
	else if (k == 'T')
		irk_report_time(fp, irk_db_rows_int(st, i));
	else if ((s = irk_db_rows_text(st, i, &n)) != NULL && k == 'l') {
		const char *e;

		/* one a line */
		while ((e = memchr(s, '\n', n)) != NULL) {
			irk_out_html(fp, s, (size_t)(e - s), CELL);
			fputs("<br>", fp);
			n -= (size_t)(e - s) + 1;
			s = e + 1;
		}
		irk_out_html(fp, s, n, CELL);
	} else if (s != NULL)
		irk_out_html(fp, s, n, CELL);
	fputs("</td>", fp);
}

/* A section's heading and note. */
static void
heading(FILE *fp, const struct htable *t)
{
	fprintf(fp, "<h2 id=\"%s\">%s</h2>\n<p class=\"note\">%s</p>\n",
	    t->id, t->title, t->note);
}

/* A section's table; 0, or IRK_FAIL. */
static int
htable_rows(FILE *fp, struct irk_db *db, const struct htable *t)
{
	struct irk_db_rows *st;
	struct irk_err err;
	int64_t total, n = 0;

	if (irk_db_cross_report(db, t->which, CAP_ROWS, &total, &st, &err) !=
	    IRK_OK) {
		irk_fe_error("%s", err.msg);
		return IRK_FAIL;
	}
	while (irk_db_rows_next(st) == 1) {
		if (n++ == 0) {
			fputs("<table><thead><tr>", fp);
			for (int i = 0; t->heads[i] != NULL; i++)
				fprintf(fp, "<th>%s</th>", t->heads[i]);
			fputs("</tr></thead><tbody>\n", fp);
		}
		fputs("<tr>", fp);
		for (int i = 0; t->kinds[i] != '\0'; i++)
			hcell(fp, st, i, t->kinds[i]);
		fputs("</tr>\n", fp);
	}
	irk_db_rows_close(st);
	if (n == 0)
		fprintf(fp, "<p class=\"note\">%s</p>\n", t->empty);
	else
		fputs("</tbody></table>\n", fp);
	if (total > n)
		fprintf(fp, "<p class=\"more\">%lld more in the database</p>\n",
		    (long long)(total - n));
	return 0;
}

/* The login graph: hosts on a circle, an arrow per edge. */
struct edge {
	int src, dst;
	char *label;
};

struct graph {
	char *node[CAP_NODES];
	int nnodes;
	struct edge e[CAP_EDGES];
	int nedges;
	int64_t left;		/* edges not drawn */
};

/* The node named s (added when new), or -1 when the graph is full. */
static int
node(struct graph *g, const char *s)
{
	for (int i = 0; i < g->nnodes; i++)
		if (strcmp(g->node[i], s) == 0)
			return i;
	if (g->nnodes == CAP_NODES || (g->node[g->nnodes] = strdup(s)) ==
	    NULL)
		return -1;
	return g->nnodes++;
}

static int
graph_read(struct irk_db *db, struct graph *g)
{
	struct irk_db_rows *st;
	struct irk_err err;
	int64_t total;

	if (irk_db_cross_report(db, IRK_CROSSR_EDGES, CAP_EDGES, &total, &st,
	    &err) != IRK_OK) {
		irk_fe_error("%s", err.msg);
		return IRK_FAIL;
	}
	while (irk_db_rows_next(st) == 1) {
		const char *a = irk_db_rows_text(st, 0, NULL);
		const char *b = irk_db_rows_text(st, 1, NULL);
		const char *u = irk_db_rows_text(st, 2, NULL);
		struct edge *e = &g->e[g->nedges];
		char buf[300];
		int s, d;

		if ((s = node(g, a ? a : "?")) < 0 ||
		    (d = node(g, b ? b : "?")) < 0) {
			g->left++;
			continue;
		}
		(void)snprintf(buf, sizeof(buf), "%s \xc3\x97%lld", u ? u : "?",
		    (long long)irk_db_rows_int(st, 3));
		if ((e->label = strdup(buf)) == NULL)
			break;
		e->src = s;
		e->dst = d;
		g->nedges++;
	}
	irk_db_rows_close(st);
	g->left += total - g->nedges - g->left;
	return 0;
}

static void
graph_free(struct graph *g)
{
	for (int i = 0; i < g->nnodes; i++)
		free(g->node[i]);
	for (int i = 0; i < g->nedges; i++)
		free(g->e[i].label);
}

#define GW	720
#define GH	320
#define GR	110	/* the circle's radius */
#define NODE_R	7

static void
graph_edge(FILE *fp, const struct edge *e, const double *x,
    const double *y)
{
	double dx = x[e->dst] - x[e->src], dy = y[e->dst] - y[e->src];
	double len = sqrt(dx * dx + dy * dy), ux, uy, ox, oy;

	if (len < 1)
		return;
	ux = dx / len;
	uy = dy / len;
	/* a little to the right: A->B and B->A side by side */
	ox = -uy * 4;
	oy = ux * 4;
	fprintf(fp, "<g class=\"edge\"><line x1=\"%.1f\" y1=\"%.1f\" "
	    "x2=\"%.1f\" y2=\"%.1f\" stroke=\"#b03a2e\" stroke-width=\"1.5\" "
	    "marker-end=\"url(#irk-arrow)\"/>", x[e->src] + ux * NODE_R + ox,
	    y[e->src] + uy * NODE_R + oy, x[e->dst] - ux * (NODE_R + 4) + ox,
	    y[e->dst] - uy * (NODE_R + 4) + oy);
	fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" "
	    "fill=\"#7b241c\">", (x[e->src] + x[e->dst]) / 2 + ox * 3,
	    (y[e->src] + y[e->dst]) / 2 + oy * 3);
	irk_out_htmls(fp, e->label);
	fputs("</text></g>\n", fp);
}

static void
graph_draw(FILE *fp, const struct graph *g)
{
	double x[CAP_NODES], y[CAP_NODES];

	for (int i = 0; i < g->nnodes; i++) {
		double a = 2 * M_PI * i / g->nnodes - M_PI / 2;

		x[i] = GW / 2.0 + GR * 1.6 * cos(a);
		y[i] = GH / 2.0 + GR * sin(a);
	}
	fprintf(fp, "<div class=\"chart\"><svg xmlns=\"http://www.w3.org/2000/"
	    "svg\" viewBox=\"0 0 %d %d\" role=\"img\" font-size=\"11\" "
	    "font-family=\"DejaVu Sans, Arial, sans-serif\" aria-label=\"logins "
	    "from host to host\">\n<defs><marker id=\"irk-arrow\" "
	    "viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" "
	    "markerHeight=\"7\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" "
	    "fill=\"#b03a2e\"/></marker></defs>\n", GW, GH);
	for (int i = 0; i < g->nedges; i++)
		graph_edge(fp, &g->e[i], x, y);
	for (int i = 0; i < g->nnodes; i++) {
		fprintf(fp, "<g class=\"host\"><circle cx=\"%.1f\" cy=\"%.1f\" "
		    "r=\"%d\" fill=\"#1f4e79\"/><text x=\"%.1f\" y=\"%.1f\" "
		    "text-anchor=\"middle\" font-weight=\"bold\">", x[i], y[i],
		    NODE_R, x[i], y[i] + (y[i] < GH / 2.0 ? -12 : 20));
		irk_out_htmls(fp, g->node[i]);
		fputs("</text></g>\n", fp);
	}
	fputs("</svg></div>\n", fp);
	if (g->left > 0)
		fprintf(fp, "<p class=\"more\">%lld more edges not drawn (see "
		    "the table)</p>\n", (long long)g->left);
}

int
irk_report_hosts_any(struct irk_db *db)
{
	return irk_db_cross_hosts(db) > 1;
}

int
irk_report_hosts(struct irk_db *db, FILE *fp)
{
	struct graph g;
	int r = 0;

	if (!irk_report_hosts_any(db))
		return 0;
	for (int i = 0; i < 2; i++) {
		heading(fp, &tables[i]);
		if (htable_rows(fp, db, &tables[i]) != 0)
			r = IRK_FAIL;
	}
	memset(&g, 0, sizeof(g));
	if (graph_read(db, &g) != 0)
		r = IRK_FAIL;
	heading(fp, &tables[2]);
	if (g.nedges > 0)
		graph_draw(fp, &g);
	graph_free(&g);
	/* the edges' table under the graph: no second heading */
	if (htable_rows(fp, db, &tables[2]) != 0)
		r = IRK_FAIL;
	return r;
}
