/*
 * findings_cross.c - findings that depend on more than one evidence,
 * over the whole case (docs/cross-host.md).  The occurrences come from
 * the db layer (db_cross.h); here they become findings, one per host:
 *
 *   a content (SHA-256) behind a finding on one host, present on other
 *   hosts                       50 where it did not score, 20 where it did
 *   a service, task, autorun or authorized key (its identity key)
 *   behind a finding on one host, present on other hosts
 *                               40 where it did not score, 20 where it did
 *   logins from host A to host B (B's login records name one of A's
 *   addresses)                  30, +10 when A's own evidence shows the
 *                               connection (known_hosts, shell history,
 *                               a socket to B's port 22)
 *
 * Category "cross-host"; each finding has a cross_findings row (kind,
 * indicator, label) and, as every finding, a timeline event.
 * Recomputing replaces them all.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "db_cross.h"
#include "findings_cross.h"
#include "irkit/fs.h"
#include "irkit/json.h"
#include "irkit/timeutil.h"
#include "irkit/banned.h"

#define SCORE_FILE		50
#define SCORE_RECORD		40
#define SCORE_SCORED_HERE	20
#define SCORE_LOGIN		30
#define SCORE_OUTGOING		10
#define LINKS_PER_HOST		20
#define LIST_MAX		600	/* bytes of a list in a reason */

/* One host holding an indicator: its rows, its best own finding. */
struct holder {
	int64_t host, evidence;
	char *name, *label;
	int score;			/* -1: no finding of its own */
	char *title;
	int nlinks;
	char *tables[LINKS_PER_HOST];
	int64_t ids[LINKS_PER_HOST];
	int64_t rows;
};

/* The holders of one indicator. */
struct group {
	char *kind, *ind;
	struct holder *v;
	size_t n, cap;
};

static char *
dup_col(struct irk_db_rows *st, int i)
{
	const char *s = irk_db_rows_text(st, i, NULL);

	return strdup(s != NULL ? s : "");
}

static void
group_clear(struct group *g)
{
	for (size_t i = 0; i < g->n; i++) {
		struct holder *h = &g->v[i];

		free(h->name);
		free(h->label);
		free(h->title);
		for (int k = 0; k < h->nlinks; k++)
			free(h->tables[k]);
	}
	free(g->kind);
	free(g->ind);
	g->kind = g->ind = NULL;
	g->n = 0;
}

/* The holder of the row's host (rows come host by host). */
static struct holder *
holder_of(struct group *g, struct irk_db_rows *st)
{
	int64_t host = irk_db_rows_int(st, 2);
	struct holder *h;

	if (g->n > 0 && g->v[g->n - 1].host == host)
		return &g->v[g->n - 1];
	if (g->n == g->cap) {
		size_t cap = g->cap ? g->cap * 2 : 16;
		struct holder *v = realloc(g->v, cap * sizeof(*v));

		if (v == NULL)
			return NULL;
		g->v = v;
		g->cap = cap;
	}
	h = &g->v[g->n++];
	memset(h, 0, sizeof(*h));
	h->host = host;
	h->score = -1;
	h->name = dup_col(st, 3);
	h->label = dup_col(st, 7);
	return h;
}

/* Add the row to its holder.  -1 when out of memory. */
static int
holder_add(struct group *g, struct irk_db_rows *st)
{
	struct holder *h = holder_of(g, st);

	if (h == NULL || h->name == NULL || h->label == NULL)
		return -1;
	h->rows++;
	if (irk_db_rows_int(st, 4) > h->evidence)
		h->evidence = irk_db_rows_int(st, 4);
	if (!irk_db_rows_isnull(st, 8) && irk_db_rows_int(st, 8) > h->score) {
		h->score = (int)irk_db_rows_int(st, 8);
		free(h->title);
		if ((h->title = dup_col(st, 9)) == NULL)
			return -1;
	}
	if (h->nlinks < LINKS_PER_HOST) {
		if ((h->tables[h->nlinks] = dup_col(st, 5)) == NULL)
			return -1;
		h->ids[h->nlinks++] = irk_db_rows_int(st, 6);
	}
	return 0;
}

/* Append "sep text" to buf (len bytes) while it fits; 0 when cut. */
static int
list_add(char *buf, size_t len, const char *sep, const char *text)
{
	size_t n = strlen(buf);

	if (n + strlen(sep) + strlen(text) + 8 >= len) {
		if (n + 6 < len)
			(void)snprintf(buf + n, len - n, "%s...", sep);
		return 0;
	}
	(void)snprintf(buf + n, len - n, "%s%s", n ? sep : "", text);
	return 1;
}

static const char *
nz(const char *s)
{
	return s != NULL ? s : "?";
}

static void
reason(json_t *reasons, const char *text)
{
	json_t *j = irk_json_str(text);

	if (j != NULL)
		json_array_append_new(reasons, j);
}

/* A kind in words. */
static const char *
kind_word(const char *kind)
{
	return strcmp(kind, "ssh_key") == 0 ? "authorized key" : kind;
}

/* The reasons of holder h of group g; its score. */
static int
holder_reasons(const struct group *g, const struct holder *h,
    json_t *reasons)
{
	char buf[LIST_MAX + 200], list[LIST_MAX], item[300];
	int file = strcmp(g->kind, "file") == 0, score;

	list[0] = '\0';
	if (h->score >= 0) {
		(void)snprintf(buf, sizeof(buf), "scored here (%d: %s) and "
		    "also on %zu other host%s", h->score, h->title, g->n - 1,
		    g->n > 2 ? "s" : "");
		score = SCORE_SCORED_HERE;
	} else {
		for (size_t i = 0; i < g->n; i++) {
			if (g->v[i].score < 0)
				continue;
			(void)snprintf(item, sizeof(item), "%s (%d: %s)",
			    g->v[i].name, g->v[i].score, g->v[i].title);
			if (!list_add(list, sizeof(list), "; ", item))
				break;
		}
		(void)snprintf(buf, sizeof(buf), "the same %s (%s %s) scored "
		    "on %s", file ? "content" : kind_word(g->kind), file ?
		    "SHA-256" : "identity", g->ind, list);
		score = file ? SCORE_FILE : SCORE_RECORD;
	}
	reason(reasons, buf);
	list[0] = '\0';
	for (size_t i = 0; i < g->n; i++) {
		/* the label where it differs from this host's */
		if (strcmp(g->v[i].label, h->label) == 0)
			(void)snprintf(item, sizeof(item), "%s", g->v[i].name);
		else
			(void)snprintf(item, sizeof(item), "%s (%s)",
			    g->v[i].name, g->v[i].label);
		if (!list_add(list, sizeof(list), ", ", item))
			break;
	}
	(void)snprintf(buf, sizeof(buf), "on %zu hosts: %s", g->n, list);
	reason(reasons, buf);
	return score;
}

/* The findings of one indicator, one per host holding it. */
static int
group_flush(struct irk_db *db, struct group *g)
{
	const char *label = NULL;
	char title[512];

	if (g->n < 2)
		return IRK_OK;
	for (size_t i = 0; i < g->n && label == NULL; i++)
		if (g->v[i].score >= 0)
			label = g->v[i].label;
	for (size_t i = 0; i < g->n; i++) {
		struct holder *h = &g->v[i];
		struct irk_cross_finding f;
		int64_t fid;

		memset(&f, 0, sizeof(f));
		if ((f.reasons = json_array()) == NULL)
			return IRK_FATAL;
		f.score = holder_reasons(g, h, f.reasons);
		(void)snprintf(title, sizeof(title), "%s on %zu hosts: %s",
		    kind_word(g->kind), g->n, h->label);
		f.host_id = h->host;
		f.evidence_id = h->evidence;
		f.title = title;
		f.ts = IRK_TIME_NONE;
		f.kind = g->kind;
		f.indicator = g->ind;
		f.label = label;
		f.path = strcmp(g->kind, "file") == 0 ? h->label : NULL;
		if (irk_db_cross_add(db, &f, &fid) != IRK_OK) {
			json_decref(f.reasons);
			return IRK_FATAL;
		}
		json_decref(f.reasons);
		for (int k = 0; k < h->nlinks; k++)
			if (irk_db_cross_link(db, fid, h->tables[k],
			    h->ids[k]) != IRK_OK)
				return IRK_FATAL;
	}
	return IRK_OK;
}

/* The findings of a read of occurrences (files or records). */
static int
occurrence_findings(struct irk_db *db, enum irk_db_cross_read which,
    struct irk_err *err)
{
	struct irk_db_rows *st;
	struct group g;
	int r = IRK_OK, s = 0;

	if (irk_db_cross_open(db, which, &st, err) != IRK_OK)
		return IRK_FATAL;
	memset(&g, 0, sizeof(g));
	while (r == IRK_OK && (s = irk_db_rows_next(st)) == 1) {
		const char *kind = irk_db_rows_text(st, 0, NULL);
		const char *ind = irk_db_rows_text(st, 1, NULL);

		if (kind == NULL || ind == NULL)
			continue;
		if (g.kind == NULL || strcmp(g.kind, kind) != 0 ||
		    strcmp(g.ind, ind) != 0) {
			r = group_flush(db, &g);
			group_clear(&g);
			if ((g.kind = strdup(kind)) == NULL ||
			    (g.ind = strdup(ind)) == NULL)
				r = IRK_FATAL;
		}
		if (r == IRK_OK && holder_add(&g, st) != 0)
			r = IRK_FATAL;
	}
	if (r == IRK_OK && s != 0)
		r = IRK_FATAL;
	if (r == IRK_OK)
		r = group_flush(db, &g);
	if (r != IRK_OK)
		irk_err_set(err, 0, "database: %s", irk_db_errmsg(db));
	group_clear(&g);
	free(g.v);
	irk_db_rows_close(st);
	return r;
}

/* The reasons of one login edge (the read's row); its score. */
static int
login_reasons(struct irk_db_rows *st, json_t *reasons)
{
	char buf[1200], t1[IRK_TIME_LEN], t2[IRK_TIME_LEN];
	const char *src = irk_db_rows_text(st, 1, NULL);
	const char *dst = irk_db_rows_text(st, 3, NULL);
	const char *user = irk_db_rows_text(st, 4, NULL);
	const char *via = irk_db_rows_text(st, 8, NULL);
	const char *out = irk_db_rows_text(st, 9, NULL);

	(void)snprintf(buf, sizeof(buf), "%lld login record%s of %s on %s "
	    "from %s, from %s to %s; matched on %s",
	    (long long)irk_db_rows_int(st, 7), irk_db_rows_int(st, 7) > 1 ?
	    "s" : "", user ? user : "?", dst ? dst : "?", src ? src : "?",
	    irk_time_fmt(irk_db_rows_int(st, 5), t1),
	    irk_time_fmt(irk_db_rows_int(st, 6), t2), via ? via : "?");
	reason(reasons, buf);
	if (out != NULL) {
		(void)snprintf(buf, sizeof(buf), "%s's side names %s: %s",
		    src ? src : "?", dst ? dst : "?", out);
		reason(reasons, buf);
		return SCORE_LOGIN + SCORE_OUTGOING;
	}
	(void)snprintf(buf, sizeof(buf), "nothing of %s's (known_hosts, "
	    "shell history, sockets) names %s", src ? src : "?",
	    dst ? dst : "?");
	reason(reasons, buf);
	return SCORE_LOGIN;
}

/* One finding on the destination host of a login edge. */
static int
login_finding(struct irk_db *db, struct irk_db_rows *st)
{
	struct irk_cross_finding f;
	char title[512];
	const char *rows = irk_db_rows_text(st, 10, NULL);
	json_t *links = rows ? json_loads(rows, 0, NULL) : NULL, *ind, *v;
	char *inds;
	int64_t fid;
	size_t i;
	int r;

	memset(&f, 0, sizeof(f));
	(void)snprintf(title, sizeof(title), "login from %s to %s as %s",
	    nz(irk_db_rows_text(st, 1, NULL)), nz(irk_db_rows_text(st, 3,
	    NULL)), nz(irk_db_rows_text(st, 4, NULL)));
	ind = json_pack("[o o o]", irk_json_str(irk_db_rows_text(st, 1,
	    NULL)), irk_json_str(irk_db_rows_text(st, 3, NULL)),
	    irk_json_str(irk_db_rows_text(st, 4, NULL)));
	inds = ind ? json_dumps(ind, JSON_COMPACT) : NULL;
	f.reasons = json_array();
	if (inds == NULL || f.reasons == NULL) {
		r = IRK_FATAL;
		goto out;
	}
	f.score = login_reasons(st, f.reasons);
	f.host_id = irk_db_rows_int(st, 2);
	f.evidence_id = irk_db_rows_int(st, 11);
	f.title = title;
	f.ts = irk_db_rows_int(st, 5);
	f.kind = "login";
	f.indicator = inds;
	f.label = title + strlen("login from ");
	r = irk_db_cross_add(db, &f, &fid);
	json_array_foreach(links, i, v) {
		if (r != IRK_OK)
			break;
		r = irk_db_cross_link(db, fid, json_string_value(
		    json_array_get(v, 0)), json_integer_value(
		    json_array_get(v, 1)));
	}
out:
	json_decref(f.reasons);
	json_decref(links);
	json_decref(ind);
	free(inds);
	return r;
}

static int
login_findings(struct irk_db *db, struct irk_err *err)
{
	struct irk_db_rows *st;
	int r = IRK_OK, s = 0;

	if (irk_db_cross_open(db, IRK_CROSS_LOGINS, &st, err) != IRK_OK)
		return IRK_FATAL;
	while (r == IRK_OK && (s = irk_db_rows_next(st)) == 1)
		r = login_finding(db, st);
	if (r == IRK_OK && s != 0)
		r = IRK_FATAL;
	if (r != IRK_OK)
		irk_err_set(err, 0, "database: %s", irk_db_errmsg(db));
	irk_db_rows_close(st);
	return r;
}

int
irk_findings_cross(struct irk_db *db, struct irk_err *err)
{
	int ok;

	if (irk_db_cross_begin(db, err) != IRK_OK)
		return IRK_FATAL;
	ok = occurrence_findings(db, IRK_CROSS_FILES, err) == IRK_OK &&
	    occurrence_findings(db, IRK_CROSS_RECORDS, err) == IRK_OK &&
	    login_findings(db, err) == IRK_OK;
	if (!ok) {
		(void)irk_db_cross_end(db, 0, NULL);
		return IRK_FATAL;
	}
	return irk_db_cross_end(db, 1, err);
}
