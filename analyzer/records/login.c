/*
 * login.c - a login record: one entry of wtmp, btmp, utmp or lastlog,
 * or a row of wtmpdb or lastlog2 (collectors/logins.c, logins_db.c); a
 * login carries its end (paired in the collector as last(1) pairs
 * them).
 */
#include <stdio.h>

#include "record.h"
#include "../db_util.h"
#include "irkit/banned.h"

static const struct irk_record_field fields[] = {
	{ "evidence_id", "INTEGER", IRK_RF_EVIDENCE, { NULL } },
	{ "host_id", "INTEGER", IRK_RF_HOST, { NULL } },
	{ "kind", "TEXT", IRK_RF_TEXT, { "kind" } },
	{ "user", "TEXT", IRK_RF_TEXT, { "user" } },
	{ "uid", "INTEGER", IRK_RF_JSON, { "uid" } },
	{ "tty", "TEXT", IRK_RF_TEXT, { "tty" } },
	{ "host", "TEXT", IRK_RF_TEXT, { "host" } },
	{ "address", "TEXT", IRK_RF_TEXT, { "address" } },
	{ "pid", "INTEGER", IRK_RF_JSON, { "pid" } },
	{ "session", "INTEGER", IRK_RF_JSON, { "session" } },
	{ "time", "INTEGER", IRK_RF_TIME, { "time" } },
	{ "logout_time", "INTEGER", IRK_RF_TIME, { "logout_time" } },
	{ "duration_us", "INTEGER", IRK_RF_JSON, { "duration_us" } },
	{ "session_end", "TEXT", IRK_RF_JSON, { "session_end" } },
	{ "source", "TEXT", IRK_RF_TEXT, { "source" } },
	{ "offset", "INTEGER", IRK_RF_JSON, { "offset" } },
	{ "record", "TEXT", IRK_RF_RECORD, { NULL } },
	{ NULL, NULL, 0, { NULL } },
};

static const struct irk_record_event events[] = {
	{ "time", "Login Record", NULL, "LOGIN", "source" },
	{ "logout_time", "Session End", NULL, "LOGIN", "source" },
	{ NULL, NULL, NULL, NULL, NULL },
};

/* an entry of a file: the file and where in it */
static const char *const identity[] = { "source", "offset", "kind", "time",
    NULL };
static const char *const compare[] = { "user", "tty", "host", "address",
    "pid", "logout_time", "session_end", NULL };
/* kept in the record column only */
static const char *const not_stored[] = { "type", "ut_type", "ut_id",
    "exit_termination", "exit_status", "layout", "service", NULL };

static const struct irk_record_report_col cols[] = {
	{ "Time", "t.time", IRK_RC_TIME },
	{ "Kind", "t.kind", IRK_RC_SHORT },
	{ "User", "t.user", IRK_RC_TEXT },
	{ "TTY", "t.tty", IRK_RC_MONO },
	{ "From", "coalesce(t.address, t.host)", IRK_RC_MONO },
	{ "Until", "t.logout_time", IRK_RC_TIME },
	{ "End", "t.session_end", IRK_RC_SHORT },
	{ "Source", "t.source", IRK_RC_MONO },
	{ NULL, NULL, 0 },
};

static const struct irk_record_report report = {
	.id = "logins",
	.nav = "Logins",
	.title = "Logins",
	.why = "logins, failed logins and last logins (wtmp, btmp, lastlog)",
	.flag = "t.kind IN ('login', 'failed', 'lastlog')",
	.cols = cols,
	.link = "SELECT kind, coalesce(user, '?') || ' on ' || "
	    "coalesce(tty, '?'), coalesce('from ' || coalesce(address, host), "
	    "''), time FROM logins WHERE id = ?",
};

/*
 * A failed-login burst: five failures or more from one address (btmp)
 * within the ten minutes before a login from it (wtmp).  Lastlog newer
 * than wtmp: the last login an account had is later than every wtmp
 * entry (wtmp cleared or cut).
 */
static const struct irk_record_finding findings[] = {
	{ 60, "SELECT l.id AS id, 'failed logins then a login from ' || "
	    "coalesce(l.address, l.host) AS title, count(*) || ' failed "
	    "logins from ' || coalesce(l.address, l.host) || ' within 10 "
	    "minutes before ' || coalesce(l.user, '?') || ' logged in on ' || "
	    "coalesce(l.tty, '?') AS reason, l.time AS ts, l.source AS path "
	    "FROM logins l "
	    "JOIN logins f ON f.evidence_id = l.evidence_id AND "
	    "f.kind = 'failed' AND coalesce(f.address, f.host) = "
	    "coalesce(l.address, l.host) AND f.time BETWEEN "
	    "l.time - 600000000 AND l.time "
	    "WHERE l.evidence_id = ?1 AND l.kind = 'login' AND "
	    "coalesce(l.address, l.host) IS NOT NULL "
	    "GROUP BY l.id HAVING count(*) >= 5" },
	{ 40, "SELECT l.id AS id, 'lastlog newer than wtmp' AS title, "
	    "coalesce(l.user, 'uid ' || l.uid) || ' last logged in after "
	    "the last wtmp entry (wtmp cleared or cut)' AS reason, "
	    "l.time AS ts, l.source AS path FROM logins l WHERE l.evidence_id = ?1 AND l.kind = 'lastlog' "
	    "AND l.time > coalesce((SELECT max(w.time) FROM logins w WHERE "
	    "w.evidence_id = ?1 AND (w.source GLOB '/var/log/wtmp*' OR "
	    "w.source = '/var/lib/wtmpdb/wtmp.db')), 0) "
	    "+ 1000000" },
	{ 0, NULL },
};

static void
message(const struct irk_record_row *row, char *buf, size_t len)
{
	const char *kind = irk_record_text(row, "kind");
	const char *user = irk_record_text(row, "user");
	const char *tty = irk_record_text(row, "tty");
	const char *from = irk_record_text(row, "address");

	if (from == NULL)
		from = irk_record_text(row, "host");
	(void)snprintf(buf, len, "%s %s on %s%s%s", kind ? kind : "?",
	    user ? user : "?", tty ? tty : "?", from ? " from " : "",
	    from ? from : "");
}

const struct irk_record_type irk_record_login = {
	.type = "login",
	/* activity, not state: new entries are no change (diff) */
	.diff_volatile = "1",
	.table = "logins",
	.count_label = "login records",
	.doc = "an entry of wtmp, btmp, utmp or lastlog",
	.fields = fields,
	.events = events,
	.ioc_text = "host",
	.ioc_label = "coalesce(user, '?') || ' from ' || coalesce(address, "
	    "host)",
	.ioc_time = "time",
	.identity = identity,
	.compare = compare,
	.not_stored = not_stored,
	.report = &report,
	.flagged = "a login, a failed login or a last login (the report); "
	    "a failed-login burst before a login from the same address; "
	    "lastlog newer than wtmp",
	.category = "logins",
	.findings = findings,
	.message = message,
};
