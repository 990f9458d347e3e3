/*
 * db_cross.c - the cross-host part of the case database (db_cross.h,
 * docs/cross-host.md): its views, the reads irk_findings_cross scores,
 * the writes of cross-host findings and the report's reads.  Part of
 * the db layer: it never prints.
 */
#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "db_priv.h"
#include "db_cross.h"
#include "records/record.h"
#include "irkit/banned.h"

#define CAT	"'" IRK_CROSS_CATEGORY "'"
/* The SHA-256 of no bytes: every empty file has it. */
#define EMPTY_SHA256 \
	"'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'"
/* An address as compared: lower case, an IPv4-mapped IPv6 as IPv4. */
#define ADDR(x) "(CASE WHEN lower(" x ") GLOB '::ffff:[0-9]*.*' THEN " \
	"substr(" x ", 8) ELSE lower(" x ") END)"
/* A host name's first label ("web1" of "web1.example.org"), or NULL. */
#define SHORT(x) "(CASE WHEN instr(" x ", '.') > 1 AND " x " GLOB " \
	"'*[a-zA-Z]*' AND " x " NOT GLOB '*:*' THEN lower(substr(" x ", 1, " \
	"instr(" x ", '.') - 1)) END)"

/*
 * The views that do not depend on the registry.  The addresses of a
 * host: its name, its name's first label, the local addresses of its
 * sockets (not loopback or unspecified).  A login edge: a login record
 * (a wtmp/wtmpdb login, an sshd "Accepted" log line) of host B whose
 * source address or host name is an address of exactly one other host
 * A; "outgoing" is what A's own evidence says of the connection.
 */
static const char views_sql[] =
"DROP VIEW IF EXISTS v_host_addresses;"
"CREATE VIEW v_host_addresses AS"
"  SELECT id AS host_id, lower(hostname) AS address, 'hostname' AS source"
"  FROM hosts WHERE coalesce(hostname, '') <> '' AND lower(hostname) NOT"
"  GLOB 'localhost*'"
"  UNION SELECT id, " SHORT("hostname") ", 'hostname' FROM hosts WHERE "
   SHORT("hostname") " IS NOT NULL AND lower(hostname) NOT GLOB 'localhost*'"
"  UNION SELECT e.host_id, " ADDR("s.local_addr") ", 'socket'"
"  FROM sockets s JOIN evidence e ON e.id = s.evidence_id"
"  WHERE e.host_id IS NOT NULL AND s.proto IN ('tcp', 'tcp6', 'udp', 'udp6')"
"  AND " ADDR("s.local_addr") " NOT IN ('0.0.0.0', '::', '::1')"
"  AND " ADDR("s.local_addr") " NOT GLOB '127.*';"
"DROP VIEW IF EXISTS v_login_edges;"
"CREATE VIEW v_login_edges AS"
"  WITH a AS MATERIALIZED (SELECT address, min(host_id) AS host_id,"
"    group_concat(DISTINCT source) AS source FROM v_host_addresses"
"    GROUP BY address HAVING count(DISTINCT host_id) = 1),"
   /* a login record under each name of its source: its address, its
    * host name, that name's first label */
"  l AS (SELECT l.id, 'logins' AS tbl, coalesce(l.host_id, e.host_id) AS dst,"
"    l.evidence_id AS ev, l.user, l.time, k.value AS k, 'wtmp' AS src_kind"
"    FROM logins l JOIN evidence e ON e.id = l.evidence_id,"
"    json_each(json_array(" ADDR("nullif(l.address, '')") ", lower(nullif("
"    l.host, '')), " SHORT("l.host") ")) k"
"    WHERE l.kind = 'login' AND k.value IS NOT NULL"
"    UNION ALL SELECT g.id, 'log_lines', coalesce(g.host_id, e.host_id),"
"    g.evidence_id, g.user, g.time, " ADDR("g.address") ", 'sshd log'"
"    FROM log_lines g JOIN evidence e ON e.id = g.evidence_id"
"    WHERE g.event = 'ssh_accept' AND g.address IS NOT NULL),"
"  m AS (SELECT l.*, a.host_id AS src, a.address AS via, a.source AS how"
"    FROM l JOIN a ON a.address = l.k"
"    WHERE l.dst IS NOT NULL AND a.host_id <> l.dst),"
   /* what a host's own evidence says of its connections out */
"  kh AS MATERIALIZED (SELECT coalesce(k.host_id, ke.host_id) AS host,"
"    lower(CASE WHEN j.value GLOB '[[]*]:*' THEN substr(j.value, 2,"
"    instr(j.value, ']') - 2) ELSE j.value END) AS addr"
"    FROM ssh_known_hosts k JOIN evidence ke ON ke.id = k.evidence_id,"
"    json_each(CASE WHEN json_valid(k.hosts) THEN k.hosts ELSE '[]' END) j"
"    WHERE j.type = 'text'),"
"  hc AS MATERIALIZED (SELECT coalesce(c.host_id, ce.host_id) AS host,"
"    ' ' || lower(c.command) || ' ' AS cmd FROM history_commands c JOIN"
"    evidence ce ON ce.id = c.evidence_id WHERE"
"    (' ' || lower(c.command)) GLOB '*[ /;&|(]ssh *' OR"
"    (' ' || lower(c.command)) GLOB '*[ /;&|(]scp *' OR"
"    (' ' || lower(c.command)) GLOB '*[ /;&|(]sftp *'),"
"  so AS MATERIALIZED (SELECT se.host_id AS host, " ADDR("s.remote_addr")
"    AS addr FROM sockets s JOIN evidence se ON se.id = s.evidence_id"
"    WHERE s.remote_port = 22)"
"  SELECT m.src AS src_host_id, hs.hostname AS src_host,"
"    m.dst AS dst_host_id, hd.hostname AS dst_host, m.user AS account,"
"    min(m.time) AS first, max(m.time) AS last,"
"    count(DISTINCT m.tbl || ':' || m.id) AS count,"
"    group_concat(DISTINCT m.via || ' (' || m.how || ', ' || m.src_kind ||"
"    ')') AS matched_on,"
"    (SELECT group_concat(w, ', ') FROM ("
"      SELECT 'known_hosts' AS w WHERE EXISTS (SELECT 1 FROM kh, a b"
"      WHERE kh.host = m.src AND b.host_id = m.dst AND b.address = kh.addr)"
"      UNION ALL SELECT 'history' WHERE EXISTS (SELECT 1 FROM hc, a b"
"      WHERE hc.host = m.src AND b.host_id = m.dst AND"
"      hc.cmd GLOB ('*[ @]' || b.address || '[ :]*'))"
"      UNION ALL SELECT 'socket' WHERE EXISTS (SELECT 1 FROM so, a b"
"      WHERE so.host = m.src AND b.host_id = m.dst AND"
"      b.address = so.addr))) AS outgoing,"
"    json_group_array(DISTINCT json_array(m.tbl, m.id)) AS login_rows,"
"    max(m.ev) AS dst_evidence_id"
"  FROM m JOIN hosts hs ON hs.id = m.src JOIN hosts hd ON hd.id = m.dst"
"  GROUP BY m.src, m.dst, m.user;"
"DROP VIEW IF EXISTS v_host_summary;"
"CREATE VIEW v_host_summary AS"
"  SELECT h.id AS host_id, h.hostname AS host,"
"    (SELECT count(*) FROM evidence e WHERE e.host_id = h.id) AS evidence,"
"    t.first AS first_event, t.last AS last_event,"
"    coalesce(f.high, 0) AS findings_70, coalesce(f.med, 0) AS findings_40,"
"    coalesce(f.low, 0) AS findings_low, coalesce(f.cross, 0) AS"
"    findings_cross"
"  FROM hosts h"
"  LEFT JOIN (SELECT e.host_id, min(v.ts) AS first, max(v.ts) AS last"
"    FROM events v JOIN evidence e ON e.id = v.evidence_id"
"    GROUP BY e.host_id) t ON t.host_id = h.id"
"  LEFT JOIN (SELECT host_id, sum(score >= 70) AS high,"
"    sum(score >= 40 AND score < 70) AS med, sum(score < 40) AS low,"
"    sum(category IS " CAT ") AS cross FROM findings GROUP BY host_id) f"
"    ON f.host_id = h.id;"
"DROP VIEW IF EXISTS v_cross_indicators;"
"CREATE VIEW v_cross_indicators AS"
"  SELECT kind, indicator, min(label) AS label, count(DISTINCT host_id)"
"    AS hosts, group_concat(DISTINCT hostname) AS host_list,"
"    max(score) AS top_score, count(*) AS findings"
"  FROM (SELECT c.kind, c.indicator, c.label, f.host_id, h.hostname,"
"    f.score FROM cross_findings c JOIN findings f ON f.id = c.finding_id"
"    LEFT JOIN hosts h ON h.id = f.host_id"
"    ORDER BY c.kind, c.indicator, h.hostname)"
"  WHERE kind <> 'login' GROUP BY kind, indicator;";

#define exec irk_db_exec

#define prepare_owned irk_db_rows_prepare_owned

/*
 * v_host_records: the rows of each record type per host (the registry's
 * tables, each once): host_id, host, kind, count.
 */
static int
records_view(struct irk_db *db, struct irk_err *err)
{
	sqlite3_str *q = sqlite3_str_new(db->h);
	char *sql;
	int n = 0, r;

	sqlite3_str_appendall(q, "DROP VIEW IF EXISTS v_host_records;"
	    "CREATE VIEW v_host_records AS ");
	for (size_t i = 0; irk_record_types[i] != NULL; i++) {
		const struct irk_record_type *t = irk_record_types[i];
		size_t k;

		for (k = 0; k < i; k++)
			if (strcmp(irk_record_types[k]->table, t->table) == 0)
				break;
		if (k < i || irk_record_column(t, "evidence_id") < 0)
			continue;
		sqlite3_str_appendf(q, "%sSELECT e.host_id AS host_id, "
		    "h.hostname AS host, %Q AS kind, count(*) AS count FROM %s "
		    "t JOIN evidence e ON e.id = t.evidence_id LEFT JOIN hosts "
		    "h ON h.id = e.host_id GROUP BY e.host_id", n++ ?
		    " UNION ALL " : "", t->type, t->table);
	}
	if (n == 0)
		sqlite3_str_appendall(q, "SELECT NULL AS host_id, NULL AS "
		    "host, NULL AS kind, 0 AS count WHERE 0");
	if ((sql = sqlite3_str_finish(q)) == NULL) {
		irk_err_set(err, ENOMEM, "out of memory");
		return IRK_FATAL;
	}
	r = exec(db, sql, err);
	sqlite3_free(sql);
	return r;
}

int
irk_db_cross_begin(struct irk_db *db, struct irk_err *err)
{
	if (exec(db, "SAVEPOINT irk_cross", err) != IRK_OK)
		return IRK_FATAL;
	if (exec(db, views_sql, err) != IRK_OK ||
	    records_view(db, err) != IRK_OK ||
	    exec(db, "DELETE FROM events WHERE record_table = 'findings' AND "
	    "record_id IN (SELECT id FROM findings WHERE category IS " CAT ");"
	    "DELETE FROM finding_links WHERE finding_id IN (SELECT id "
	    "FROM findings WHERE category IS " CAT ");"
	    "DELETE FROM cross_findings;"
	    "DELETE FROM findings WHERE category IS " CAT ";", err) !=
	    IRK_OK) {
		(void)irk_db_cross_end(db, 0, NULL);
		return IRK_FATAL;
	}
	return IRK_OK;
}

int
irk_db_cross_end(struct irk_db *db, int ok, struct irk_err *err)
{
	struct irk_err dummy;

	if (err == NULL)
		err = &dummy;
	if (ok)
		return exec(db, "RELEASE irk_cross", err);
	(void)exec(db, "ROLLBACK TO irk_cross; RELEASE irk_cross", err);
	return IRK_OK;
}

/*
 * The occurrences of scored indicators: the CTE occ (kind, ind, label,
 * host, ev, tbl, rid) comes first; this tail keeps the indicators on two
 * hosts or more that are behind a finding somewhere.
 */
#define OCC_TAIL \
	", r AS (SELECT o.*, (SELECT x.id FROM finding_links l JOIN findings " \
	"x ON x.id = l.finding_id WHERE l.record_table = o.tbl AND " \
	"l.record_id = o.rid AND x.category IS NOT " CAT " ORDER BY " \
	"x.score DESC, x.id LIMIT 1) AS fid FROM occ o WHERE o.host IS NOT " \
	"NULL), g AS (SELECT kind, ind FROM r GROUP BY kind, ind HAVING " \
	"count(DISTINCT host) >= 2 AND count(fid) > 0) " \
	"SELECT r.kind, r.ind, r.host, h.hostname, r.ev, r.tbl, r.rid, " \
	"r.label, x.score, x.title FROM r JOIN g ON g.kind = r.kind AND " \
	"g.ind = r.ind JOIN hosts h ON h.id = r.host LEFT JOIN findings x " \
	"ON x.id = r.fid ORDER BY r.kind, r.ind, h.hostname, r.host, " \
	"r.tbl, r.rid"

/* A content behind a finding (a file, a process's executable). */
#define SCORED_SHA(tbl, col) \
	"SELECT t." col " AS h FROM finding_links l JOIN findings x ON " \
	"x.id = l.finding_id JOIN " tbl " t ON t.id = l.record_id WHERE " \
	"l.record_table = '" tbl "' AND x.category IS NOT " CAT " AND " \
	"t." col " IS NOT NULL AND t." col " <> " EMPTY_SHA256

static const char files_sql[] =
    "WITH s AS (" SCORED_SHA("files", "sha256") " UNION "
    SCORED_SHA("processes", "exe_sha256") "), "
    "occ AS (SELECT 'file' AS kind, f.sha256 AS ind, f.path AS label, "
    "coalesce(f.host_id, e.host_id) AS host, f.evidence_id AS ev, "
    "'files' AS tbl, f.id AS rid FROM files f JOIN evidence e ON "
    "e.id = f.evidence_id WHERE f.sha256 IN (SELECT h FROM s) "
    "UNION ALL SELECT 'file', p.exe_sha256, p.exe, coalesce(p.host_id, "
    "e.host_id), p.evidence_id, 'processes', p.id FROM processes p JOIN "
    "evidence e ON e.id = p.evidence_id WHERE p.exe_sha256 IN (SELECT h "
    "FROM s))" OCC_TAIL;

/* The kinds of records compared across hosts, and what names one. */
static const struct {
	const char *type;
	const char *label;
} persist[] = {
	{ "service", "coalesce(t.name, t.image_path, '?')" },
	{ "task", "coalesce(t.name, t.schedule, '') || ' ' || "
	    "coalesce(t.command, '')" },
	{ "autorun", "coalesce(t.name, '') || ': ' || coalesce(t.command, '')" },
	{ "ssh_key", "coalesce(t.key_type || ' ', '') || coalesce("
	    "t.fingerprint, '?') || coalesce(' ' || t.comment, '')" },
};

/* The records read: each kind's rows with their identity as JSON. */
static char *
records_sql(void)
{
	sqlite3_str *q = sqlite3_str_new(NULL);
	int n = 0;

	sqlite3_str_appendall(q, "WITH occ AS (");
	for (size_t i = 0; i < sizeof(persist) / sizeof(persist[0]); i++) {
		const struct irk_record_type *t = irk_record_find(
		    persist[i].type);

		if (t == NULL || t->type == NULL || t->identity == NULL ||
		    t->identity[0] == NULL)
			continue;
		sqlite3_str_appendf(q, "%sSELECT %Q AS kind, json_array(",
		    n++ ? " UNION ALL " : "", t->type);
		for (int k = 0; t->identity[k] != NULL; k++)
			sqlite3_str_appendf(q, "%st.%s", k ? ", " : "",
			    t->identity[k]);
		sqlite3_str_appendf(q, ") AS ind, %s AS label, coalesce("
		    "t.host_id, e.host_id) AS host, t.evidence_id AS ev, %Q AS "
		    "tbl, t.id AS rid FROM %s t JOIN evidence e ON e.id = "
		    "t.evidence_id", persist[i].label, t->table, t->table);
	}
	if (n == 0)
		sqlite3_str_appendall(q, "SELECT NULL AS kind, NULL AS ind, "
		    "NULL AS label, NULL AS host, NULL AS ev, NULL AS tbl, "
		    "NULL AS rid WHERE 0");
	sqlite3_str_appendall(q, ")" OCC_TAIL);
	return sqlite3_str_finish(q);
}

static const char logins_sql[] =
    "SELECT src_host_id, src_host, dst_host_id, dst_host, account, first, "
    "last, count, matched_on, outgoing, (SELECT json_group_array("
    "json(value)) FROM (SELECT value FROM json_each(login_rows) LIMIT "
    "20)), "
    "dst_evidence_id FROM v_login_edges "
    "ORDER BY src_host, src_host_id, dst_host, dst_host_id, account";

int
irk_db_cross_open(struct irk_db *db, enum irk_db_cross_read which,
    struct irk_db_rows **out, struct irk_err *err)
{
	switch (which) {
	case IRK_CROSS_FILES:
		return irk_db_rows_prepare(db, files_sql, out, err);
	case IRK_CROSS_LOGINS:
		return irk_db_rows_prepare(db, logins_sql, out, err);
	case IRK_CROSS_RECORDS:
		break;
	}
	return prepare_owned(db, records_sql(), out, err);
}

/*
 * Its timeline event, as every finding has (findings.c): at its time,
 * else at the collection of its evidence; the host's name.
 */
static const char event_sql[] =
    "INSERT INTO events (ts, ts_desc, source, host, path, message, "
    "evidence_id, record_table, record_id) SELECT t, CASE WHEN ?1 IS NULL "
    "THEN 'Finding (time of collection)' ELSE 'Finding' END, 'FINDING', "
    "(SELECT hostname FROM hosts WHERE id = ?2), ?3, '[' || score || '] ' "
    "|| title || ': ' || reasons, evidence_id, 'findings', id FROM (SELECT "
    "f.*, coalesce(?1, (SELECT coalesce(collected_start, ingested_at) FROM "
    "evidence WHERE id = f.evidence_id)) AS t FROM findings f WHERE "
    "f.id = ?4) WHERE t IS NOT NULL";

/* Step s (bound) and finalize it: 1 done, 0 failed. */
static int
step_once(sqlite3_stmt *s)
{
	int ok = sqlite3_step(s) == SQLITE_DONE;

	sqlite3_finalize(s);
	return ok;
}

int
irk_db_cross_add(struct irk_db *db, const struct irk_cross_finding *f,
    int64_t *fid)
{
	sqlite3_stmt *s = NULL;
	char *reasons = json_dumps(f->reasons, JSON_COMPACT);
	int ok;

	ok = reasons != NULL && sqlite3_prepare_v2(db->h, "INSERT INTO "
	    "findings (evidence_id, host_id, score, title, category, reasons, "
	    "ts) VALUES (?, ?, ?, ?, " CAT ", ?, ?)", -1, &s, NULL) ==
	    SQLITE_OK;
	if (ok) {
		if (f->evidence_id > 0)
			(void)sqlite3_bind_int64(s, 1, f->evidence_id);
		(void)sqlite3_bind_int64(s, 2, f->host_id);
		(void)sqlite3_bind_int(s, 3, f->score > 100 ? 100 : f->score);
		irk_db_bind_text(s, 4, f->title);
		irk_db_bind_text(s, 5, reasons);
		irk_db_bind_time(s, 6, f->ts);
		ok = step_once(s);
	}
	free(reasons);
	if (ok) {
		*fid = sqlite3_last_insert_rowid(db->h);
		ok = sqlite3_prepare_v2(db->h, "INSERT INTO cross_findings "
		    "(finding_id, kind, indicator, label) VALUES (?, ?, ?, ?)",
		    -1, &s, NULL) == SQLITE_OK;
	}
	if (ok) {
		(void)sqlite3_bind_int64(s, 1, *fid);
		irk_db_bind_text(s, 2, f->kind);
		irk_db_bind_text(s, 3, f->indicator);
		irk_db_bind_text(s, 4, f->label);
		ok = step_once(s) && sqlite3_prepare_v2(db->h, event_sql, -1,
		    &s, NULL) == SQLITE_OK;
	}
	if (ok) {
		irk_db_bind_time(s, 1, f->ts);
		(void)sqlite3_bind_int64(s, 2, f->host_id);
		irk_db_bind_text(s, 3, f->path);
		(void)sqlite3_bind_int64(s, 4, *fid);
		ok = step_once(s);
	}
	return ok ? IRK_OK : IRK_FATAL;
}

int
irk_db_cross_link(struct irk_db *db, int64_t fid, const char *table,
    int64_t id)
{
	sqlite3_stmt *s = NULL;
	int ok;

	ok = sqlite3_prepare_v2(db->h, "INSERT INTO finding_links (finding_id, "
	    "record_table, record_id) VALUES (?, ?, ?)", -1, &s, NULL) ==
	    SQLITE_OK;
	if (ok) {
		(void)sqlite3_bind_int64(s, 1, fid);
		irk_db_bind_text(s, 2, table);
		(void)sqlite3_bind_int64(s, 3, id);
		ok = sqlite3_step(s) == SQLITE_DONE;
	}
	sqlite3_finalize(s);
	return ok ? IRK_OK : IRK_FATAL;
}

static const char *const report_sql[] = {
	[IRK_CROSSR_HOSTS] = "SELECT s.host, s.evidence, s.first_event, "
	    "s.last_event, s.findings_70, s.findings_40, s.findings_low, "
	    "s.findings_cross, rc.kinds FROM v_host_summary s LEFT JOIN "
	    "(SELECT host_id, group_concat(count || ' ' || kind, char(10)) AS "
	    "kinds FROM (SELECT * FROM v_host_records WHERE count > 0 ORDER "
	    "BY host_id, count DESC, kind) GROUP BY host_id) rc ON "
	    "rc.host_id = s.host_id ORDER BY s.host, s.host_id",
	[IRK_CROSSR_INDICATORS] = "SELECT kind, label, indicator, hosts, "
	    "replace(host_list, ',', ', '), top_score FROM v_cross_indicators "
	    "ORDER BY hosts DESC, top_score DESC, kind, label",
	[IRK_CROSSR_EDGES] = "SELECT src_host, dst_host, account, count, "
	    "first, last, matched_on, outgoing FROM v_login_edges ORDER BY "
	    "src_host, dst_host, account",
};

/* 1 when the case has the views of this version (made by a load). */
static int
has_views(struct irk_db *db)
{
	return irk_db_scalar(db, "SELECT count(*) FROM sqlite_master WHERE "
	    "name IN ('v_host_summary', 'v_host_records', "
	    "'v_cross_indicators', 'v_login_edges', 'cross_findings')") == 5;
}

int
irk_db_cross_report(struct irk_db *db, enum irk_db_cross_report which,
    int cap, int64_t *total, struct irk_db_rows **out, struct irk_err *err)
{
	*total = 0;
	if ((size_t)which >= sizeof(report_sql) / sizeof(report_sql[0]) ||
	    !has_views(db))
		return irk_db_rows_prepare(db, "SELECT 1 WHERE 0", out, err);
	if (prepare_owned(db, sqlite3_mprintf("SELECT count(*) FROM (%s)",
	    report_sql[which]), out, err) != IRK_OK)
		return IRK_FATAL;
	if (irk_db_rows_next(*out) == 1)
		*total = irk_db_rows_int(*out, 0);
	irk_db_rows_close(*out);
	*out = NULL;
	return prepare_owned(db, sqlite3_mprintf("%s LIMIT %d",
	    report_sql[which], cap), out, err);
}

int64_t
irk_db_cross_hosts(struct irk_db *db)
{
	return irk_db_scalar(db, "SELECT count(*) FROM hosts");
}
