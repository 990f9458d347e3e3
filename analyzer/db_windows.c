/* db_windows.c - the reads of the report's Windows section (db_windows.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "db_priv.h"
#include "db_windows.h"
#include "irkit/banned.h"

#define HOST	"coalesce((SELECT h.hostname FROM hosts h WHERE h.id = " \
		"w.host_id), w.computer, '?')"
#define D(name)	"json_extract(w.data, '$." name "')"
#define SEC	"w.provider = 'Microsoft-Windows-Security-Auditing'"
#define BY	"coalesce(" D("SubjectDomainName") " || '\\', '') || " \
		"coalesce(" D("SubjectUserName") ", " D("UserName") ", " \
		D("UserContext") ", '')"

static const char *const tables[] = {
	[IRK_WT_LOGONS] = "SELECT coalesce(nullif(nullif(" D("IpAddress")
	    ", '-'), ''), nullif(nullif(" D("WorkstationName") ", '-'), ''), "
	    "'local'), " D("LogonType") ", CASE w.event_id WHEN 4624 THEN "
	    "'logon' ELSE 'failed' END, group_concat(DISTINCT coalesce("
	    D("TargetDomainName") " || '\\', '') || " D("TargetUserName")
	    "), count(*), min(w.ts), max(w.ts) FROM win_events w WHERE "
	    HOST " = ?1 AND " SEC " AND w.event_id IN (4624, 4625) "
	    "GROUP BY 1, 2, 3 ORDER BY count(*) DESC, 1",
	[IRK_WT_SERVICES] = "SELECT w.ts, " D("ServiceName") ", coalesce("
	    D("ImagePath") ", " D("ServiceFileName") "), coalesce("
	    D("AccountName") ", " D("ServiceAccount") "), w.event_id FROM "
	    "win_events w WHERE " HOST " = ?1 AND ((w.provider = 'Service "
	    "Control Manager' AND w.event_id = 7045) OR (" SEC " AND "
	    "w.event_id = 4697)) ORDER BY w.ts, w.id",
	[IRK_WT_TASKS] = "SELECT w.ts, " D("TaskName") ", CASE WHEN "
	    "w.event_id IN (4698, 106) THEN 'created' WHEN w.event_id IN "
	    "(4702, 140) THEN 'updated' WHEN w.event_id IN (4699, 141) THEN "
	    "'deleted' WHEN w.event_id = 4700 THEN 'enabled' ELSE 'disabled' "
	    "END, " BY ", w.event_id FROM win_events w WHERE " HOST " = ?1 "
	    "AND ((" SEC " AND w.event_id BETWEEN 4698 AND 4702) OR "
	    "(w.channel = 'Microsoft-Windows-TaskScheduler/Operational' AND "
	    "w.event_id IN (106, 140, 141))) ORDER BY w.ts, w.id",
	[IRK_WT_CLEARED] = "SELECT w.ts, CASE w.event_id WHEN 1102 THEN "
	    "'Security' ELSE coalesce(" D("Channel") ", w.channel) END, " BY
	    ", w.event_id FROM win_events w WHERE " HOST " = ?1 AND "
	    "w.provider = 'Microsoft-Windows-Eventlog' AND w.event_id IN "
	    "(1102, 104) ORDER BY w.ts, w.id",
};

static int
has_events(struct irk_db *db)
{
	return irk_db_scalar(db, "SELECT count(*) FROM sqlite_master WHERE "
	    "type = 'table' AND name = 'win_events'") > 0;
}

int
irk_db_windows_hosts(struct irk_db *db, struct irk_db_rows **out,
    struct irk_err *err)
{
	return irk_db_rows_prepare(db, has_events(db) ? "SELECT " HOST ", "
	    "count(*), count(DISTINCT w.path) FROM win_events w GROUP BY 1 "
	    "ORDER BY 1" : "SELECT 1 WHERE 0", out, err);
}

/* fmt with one %s (the query) prepared, its ?1 bound to host. */
static int
prepare_host(struct irk_db *db, const char *fmt, const char *query,
    const char *host, struct irk_db_rows **out, struct irk_err *err)
{
	int r = irk_db_rows_prepare_owned(db, sqlite3_mprintf(fmt, query), out,
	    err);

	if (r == IRK_OK)
		sqlite3_bind_text((*out)->st, 1, host, -1, SQLITE_TRANSIENT);
	return r;
}

int
irk_db_windows_table(struct irk_db *db, enum irk_db_wtable which,
    const char *host, int cap, int64_t *total, struct irk_db_rows **out,
    struct irk_err *err)
{
	char fmt[64];

	*out = NULL;
	*total = 0;
	if ((size_t)which >= sizeof(tables) / sizeof(tables[0]) ||
	    !has_events(db))
		return irk_db_rows_prepare(db, "SELECT 1 WHERE 0", out, err);
	/* the rows of the whole table, then the first cap of them */
	if (prepare_host(db, "SELECT count(*) FROM (%s)", tables[which],
	    host, out, err) != IRK_OK)
		return IRK_FATAL;
	if (irk_db_rows_next(*out) == 1)
		*total = irk_db_rows_int(*out, 0);
	irk_db_rows_close(*out);
	*out = NULL;
	(void)snprintf(fmt, sizeof(fmt), "%%s LIMIT %d", cap);
	return prepare_host(db, fmt, tables[which], host, out, err);
}
