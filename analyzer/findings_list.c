/*
 * findings_list.c - a case's findings, ranked (findings_list.h): a
 * read of the db layer.
 */
#include <string.h>

#include "db_priv.h"
#include "findings_list.h"
#include "irkit/fs.h"
#include "irkit/banned.h"

/* Links are grouped once, not looked up per finding (no index). */
static const char findings_sql[] =
    "SELECT f.id, f.score, h.hostname, f.title, f.category, f.reasons, "
    "l.links, f.ts, f.evidence_id, e.path "
    "FROM findings f "
    "LEFT JOIN hosts h ON h.id = f.host_id "
    "LEFT JOIN evidence e ON e.id = f.evidence_id "
    "LEFT JOIN (SELECT finding_id, json_group_array(json_object("
    "'table', record_table, 'id', record_id)) AS links "
    "FROM finding_links GROUP BY finding_id) l ON l.finding_id = f.id "
    "WHERE f.score >= :min AND (:host IS NULL OR h.hostname = :host "
    "COLLATE NOCASE) "
    "ORDER BY f.score DESC, f.ts IS NULL, f.ts, f.id";

static const char *
text(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

int
irk_findings_each(struct irk_db *dbp, const struct irk_findings_filter *f,
    int (*fn)(const struct irk_finding_row *, void *), void *arg,
    struct irk_err *err)
{
	struct irk_finding_row r;
	sqlite3 *db = dbp->h;
	sqlite3_stmt *st = NULL;
	int s, rc = 0;

	if (sqlite3_prepare_v2(db, findings_sql, -1, &st, NULL) !=
	    SQLITE_OK) {
		irk_err_set(err, 0, "cannot read the findings: %s",
		    sqlite3_errmsg(db));
		return IRK_FATAL;
	}
	sqlite3_bind_int(st, sqlite3_bind_parameter_index(st, ":min"),
	    f->min_score);
	if (f->host != NULL)
		sqlite3_bind_text(st, sqlite3_bind_parameter_index(st,
		    ":host"), f->host, -1, SQLITE_STATIC);
	while ((s = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&r, 0, sizeof(r));
		r.id = sqlite3_column_int64(st, 0);
		r.score = sqlite3_column_int(st, 1);
		r.host = text(st, 2);
		r.title = text(st, 3);
		r.category = text(st, 4);
		r.reasons = text(st, 5);
		r.links = text(st, 6);
		r.ts = sqlite3_column_type(st, 7) == SQLITE_NULL ?
		    IRK_TIME_NONE : sqlite3_column_int64(st, 7);
		r.evidence_id = sqlite3_column_int64(st, 8);
		r.evidence = text(st, 9);
		if (r.title == NULL)
			r.title = "";
		if ((rc = fn(&r, arg)) != 0)
			break;
	}
	if (rc == 0 && s != SQLITE_DONE) {
		irk_err_set(err, 0, "cannot read the findings: %s",
		    sqlite3_errmsg(db));
		rc = IRK_FATAL;
	}
	sqlite3_finalize(st);
	return rc;
}

int64_t
irk_findings_count(struct irk_db *dbp)
{
	sqlite3 *db = dbp->h;
	sqlite3_stmt *st = NULL;
	int64_t n = -1;

	if (sqlite3_prepare_v2(db, "SELECT count(*) FROM findings", -1, &st,
	    NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}
