/*
 * win_event.c - a record of a Windows event log (analyzer/evtx.c):
 * its channel, provider and ids, TimeCreated, and the EventData or
 * UserData names and values (docs/windows-events.md).
 */
#include <stdio.h>
#include <string.h>

#include "record.h"
#include "win_event.h"
#include "../db_util.h"
#include "irkit/banned.h"

static const struct irk_record_field fields[] = {
	{ "evidence_id", "INTEGER", IRK_RF_EVIDENCE, { NULL } },
	{ "host_id", "INTEGER", IRK_RF_HOST, { NULL } },
	{ "path", "TEXT", IRK_RF_TEXT, { "path" } },
	{ "channel", "TEXT", IRK_RF_TEXT, { "channel" } },
	{ "provider", "TEXT", IRK_RF_TEXT, { "provider" } },
	{ "event_id", "INTEGER", IRK_RF_JSON, { "event_id" } },
	{ "record_id", "INTEGER", IRK_RF_JSON, { "record_id" } },
	{ "ts", "INTEGER", IRK_RF_TIME, { "ts" } },
	{ "computer", "TEXT", IRK_RF_TEXT, { "computer" } },
	{ "user_sid", "TEXT", IRK_RF_TEXT, { "user_sid" } },
	{ "level", "INTEGER", IRK_RF_JSON, { "level" } },
	{ "data", "TEXT", IRK_RF_JSON, { "data" } },
	{ "recovered", "INTEGER", IRK_RF_JSON, { "recovered" } },
	{ NULL, NULL, 0, { NULL } },
};

static const struct irk_record_event events[] = {
	{ "ts", "Event Recorded", NULL, "EVTX", "path" },
	{ NULL, NULL, NULL, NULL, NULL },
};

/* the same record of the same log of the same computer */
static const char *const identity[] = { "computer", "channel", "record_id",
    NULL };
static const char *const compare[] = { "event_id", "provider", "ts",
    "data", NULL };
static const char *const not_stored[] = { "type", NULL };

/* a finding's record: no section of its own (report_windows.c) */
static const struct irk_record_report report = {
	.link = "SELECT 'event ' || event_id, coalesce(channel, '?') || ' "
	    "record ' || record_id || ' of ' || coalesce(computer, '?'), "
	    "path, ts FROM win_events WHERE id = ?",
};

/* SQL over a win_events row w: a data value, the Security provider */
#define D(name)		"json_extract(w.data, '$." name "')"
#define SECURITY	"w.provider = 'Microsoft-Windows-Security-Auditing'"
#define OF_EVIDENCE	"FROM win_events w WHERE w.evidence_id = ?1 AND "
#define TS_PATH		" AS reason, w.ts AS ts, w.path AS path "
/* the image a service runs: 7045's ImagePath, 4697's ServiceFileName */
#define SVC_IMAGE	"lower(coalesce(" D("ImagePath") ", " \
			D("ServiceFileName") ", ''))"
#define SVC_EVENTS	"((w.provider = 'Service Control Manager' AND " \
			"w.event_id = 7045) OR (" SECURITY " AND " \
			"w.event_id = 4697))"
#define SVC_TITLE	"'service installed: ' || coalesce(" \
			D("ServiceName") ", '?') AS title, "
/* a remote logon's source: the address, else the workstation's name */
#define SOURCE		"coalesce(nullif(nullif(nullif(nullif(" \
			D("IpAddress") ", '-'), ''), '127.0.0.1'), '::1'), " \
			"nullif(nullif(" D("WorkstationName") ", '-'), ''))"
#define REMOTE_LOGON	SECURITY " AND w.event_id = 4624 AND " \
			D("LogonType") " IN ('3', '10')"
/* a scheduled task changed: Security 4698-4702, TaskScheduler 106/140/141 */
#define TASK_CHANGE	"((" SECURITY " AND w.event_id IN (4698, 4699, " \
			"4702)) OR (w.channel = 'Microsoft-Windows-" \
			"TaskScheduler/Operational' AND w.event_id IN (106, " \
			"140, 141)))"
/* privileged groups by SID: builtin Administrators, Account, Server,
 * Backup Operators, Remote Desktop Users; Domain, Schema, Enterprise
 * Admins, Group Policy Creator Owners */
#define PRIV_GROUP	"(" D("TargetSid") " IN ('S-1-5-32-544', " \
			"'S-1-5-32-548', 'S-1-5-32-549', 'S-1-5-32-551', " \
			"'S-1-5-32-555') OR " D("TargetSid") " GLOB " \
			"'S-1-5-21-*-51[289]' OR " D("TargetSid") " GLOB " \
			"'S-1-5-21-*-520' OR lower(" D("TargetUserName") ") " \
			"IN ('administrators', 'domain admins', 'enterprise " \
			"admins', 'schema admins'))"
#define PS_TEXT		"lower(coalesce(" D("ScriptBlockText") ", " \
			D("Data3") ", ''))"

/*
 * The event-log findings (docs/windows-events.md, "Findings").  Each
 * rule returns id, title, reason, ts, path for the evidence ?1.
 */
static const struct irk_record_finding findings[] = {
	/* a service running a shell or from a temp or user folder */
	{ 60, "SELECT w.id AS id, " SVC_TITLE "'event ' || w.event_id || "
	    "': its image ' || coalesce(" D("ImagePath") ", "
	    D("ServiceFileName") ") || ' runs ' || CASE "
	    "WHEN " SVC_IMAGE " GLOB '*cmd*/c*' OR " SVC_IMAGE " GLOB "
	    "'*cmd.exe*' OR " SVC_IMAGE " GLOB '*%comspec%*' THEN 'cmd' "
	    "WHEN " SVC_IMAGE " GLOB '*powershell*' OR " SVC_IMAGE " GLOB "
	    "'*pwsh*' THEN 'PowerShell' WHEN " SVC_IMAGE " GLOB "
	    "'*rundll32*' THEN 'rundll32' WHEN " SVC_IMAGE " GLOB "
	    "'*mshta*' THEN 'mshta' WHEN " SVC_IMAGE " GLOB '*regsvr32*' "
	    "THEN 'regsvr32' ELSE 'from a temporary or user folder' END"
	    TS_PATH OF_EVIDENCE SVC_EVENTS " AND (" SVC_IMAGE " GLOB "
	    "'*cmd*/c*' OR " SVC_IMAGE " GLOB '*cmd.exe*' OR " SVC_IMAGE
	    " GLOB '*%comspec%*' OR " SVC_IMAGE " GLOB '*powershell*' OR "
	    SVC_IMAGE " GLOB '*pwsh*' OR " SVC_IMAGE " GLOB '*rundll32*' "
	    "OR " SVC_IMAGE " GLOB '*mshta*' OR " SVC_IMAGE " GLOB "
	    "'*regsvr32*' OR " SVC_IMAGE " GLOB '*\\temp\\*' OR " SVC_IMAGE
	    " GLOB '*\\tmp\\*' OR " SVC_IMAGE " GLOB '*\\users\\*' OR "
	    SVC_IMAGE " GLOB '*\\appdata\\*' OR " SVC_IMAGE " GLOB "
	    "'*\\programdata\\*' OR " SVC_IMAGE " GLOB '*\\perflogs\\*')" },
	/* a service outside the system folders */
	{ 30, "SELECT w.id AS id, " SVC_TITLE "'event ' || w.event_id || "
	    "': its image ' || coalesce(" D("ImagePath") ", "
	    D("ServiceFileName") ") || ' is outside the system folders'"
	    TS_PATH OF_EVIDENCE SVC_EVENTS " AND " SVC_IMAGE " <> '' AND "
	    "ltrim(" SVC_IMAGE ", '\"') NOT GLOB '%systemroot%\\*' AND "
	    "ltrim(" SVC_IMAGE ", '\"') NOT GLOB '\\systemroot\\*' AND "
	    "ltrim(" SVC_IMAGE ", '\"') NOT GLOB 'system32\\*' AND "
	    "ltrim(" SVC_IMAGE ", '\"') NOT GLOB '?:\\windows\\*' AND "
	    "ltrim(" SVC_IMAGE ", '\"') NOT GLOB '?:\\program files\\*' AND "
	    "ltrim(" SVC_IMAGE ", '\"') NOT GLOB "
	    "'?:\\program files (x86)\\*' AND "
	    "ltrim(" SVC_IMAGE ", '\"') NOT GLOB '%programfiles%\\*'" },
	/* a log cleared */
	{ 80, "SELECT w.id AS id, CASE w.event_id WHEN 1102 THEN 'the "
	    "security log was cleared' ELSE 'the ' || coalesce("
	    D("Channel") ", w.channel) || ' log was cleared' END AS title, "
	    "'event ' || w.event_id || ': cleared by ' || coalesce("
	    D("SubjectDomainName") " || '\\', '') || coalesce("
	    D("SubjectUserName") ", '?')" TS_PATH OF_EVIDENCE
	    "w.provider = 'Microsoft-Windows-Eventlog' AND w.event_id IN "
	    "(1102, 104)" },
	/* audit policy changed */
	{ 50, "SELECT w.id AS id, 'audit policy changed' AS title, 'event "
	    "4719 by ' || coalesce(" D("SubjectUserName") ", '?') || ': "
	    "subcategory ' || coalesce(" D("SubcategoryId") ", '?') || ' "
	    "now ' || coalesce(" D("AuditPolicyChanges") ", '?')" TS_PATH
	    OF_EVIDENCE SECURITY " AND w.event_id = 4719" },
	/* explicit credentials to a server first seen in the case */
	{ 30, "SELECT w.id AS id, 'explicit credentials for ' || coalesce("
	    D("TargetUserName") ", '?') || ' to ' || " D("TargetServerName")
	    " AS title, 'event 4648: ' || coalesce(" D("SubjectUserName")
	    ", '?') || ' used the credentials of ' || coalesce("
	    D("TargetDomainName") " || '\\', '') || coalesce("
	    D("TargetUserName") ", '?') || ' for ' || " D("TargetServerName")
	    " || ', a server first seen in the case'" TS_PATH OF_EVIDENCE
	    SECURITY " AND w.event_id = 4648 AND lower(" D("TargetServerName")
	    ") NOT IN ('localhost', '-', '') AND w.id = (SELECT min(x.id) "
	    "FROM win_events x WHERE x.evidence_id = ?1 AND x.event_id = "
	    "4648 AND lower(json_extract(x.data, '$.TargetServerName')) = "
	    "lower(" D("TargetServerName") ")) AND NOT EXISTS (SELECT 1 "
	    "FROM win_events x WHERE x.evidence_id <> ?1 AND x.event_id = "
	    "4648 AND lower(json_extract(x.data, '$.TargetServerName')) = "
	    "lower(" D("TargetServerName") "))" },
	/* a network or RDP logon from a source first seen in the case */
	{ 30, "SELECT w.id AS id, CASE " D("LogonType") " WHEN '10' THEN "
	    "'RDP' ELSE 'network' END || ' logon from ' || " SOURCE " AS "
	    "title, 'event 4624 type ' || " D("LogonType") " || ': ' || "
	    "coalesce(" D("TargetDomainName") " || '\\', '') || coalesce("
	    D("TargetUserName") ", '?') || ' from ' || " SOURCE " || ', a "
	    "source first seen in the case'" TS_PATH OF_EVIDENCE REMOTE_LOGON
	    " AND " SOURCE " IS NOT NULL AND w.id = (SELECT min(x.id) FROM "
	    "win_events x WHERE x.evidence_id = ?1 AND x.event_id = 4624 AND "
	    "json_extract(x.data, '$.LogonType') IN ('3', '10') AND "
	    "coalesce(nullif(nullif(nullif(nullif(json_extract(x.data, "
	    "'$.IpAddress'), '-'), ''), '127.0.0.1'), '::1'), nullif(nullif("
	    "json_extract(x.data, '$.WorkstationName'), '-'), '')) = " SOURCE
	    ") AND NOT EXISTS (SELECT 1 FROM win_events x WHERE "
	    "x.evidence_id <> ?1 AND x.event_id = 4624 AND "
	    "coalesce(nullif(nullif(nullif(nullif(json_extract(x.data, "
	    "'$.IpAddress'), '-'), ''), '127.0.0.1'), '::1'), nullif(nullif("
	    "json_extract(x.data, '$.WorkstationName'), '-'), '')) = " SOURCE
	    ")" },
	/* a scheduled task created, updated or deleted */
	{ 40, "SELECT w.id AS id, 'scheduled task ' || CASE WHEN w.event_id "
	    "IN (4698, 106) THEN 'created' WHEN w.event_id IN (4702, 140) "
	    "THEN 'updated' ELSE 'deleted' END || ': ' || coalesce("
	    D("TaskName") ", '?') AS title, 'event ' || w.event_id || ' (' "
	    "|| w.channel || ') by ' || coalesce(" D("SubjectUserName") ", "
	    D("UserName") ", " D("UserContext") ", '?')" TS_PATH OF_EVIDENCE
	    TASK_CHANGE },
	/* updated, then updated again within a day: changed and restored */
	{ 40, "SELECT w.id AS id, 'scheduled task updated then restored: "
	    "' || coalesce(" D("TaskName") ", '?') AS title, 'updated again "
	    "' || ((min(n.ts) - w.ts) / 60000000) || ' minutes later (the "
	    "SUNBURST pattern: a task changed to run a payload, then put "
	    "back)'" TS_PATH "FROM win_events w JOIN win_events n ON "
	    "n.evidence_id = w.evidence_id AND n.id <> w.id AND "
	    "lower(json_extract(n.data, '$.TaskName')) = lower(" D("TaskName")
	    ") AND n.ts > w.ts AND n.ts <= w.ts + 86400000000 AND "
	    "((n.provider = 'Microsoft-Windows-Security-Auditing' AND "
	    "n.event_id = 4702) OR (n.channel = 'Microsoft-Windows-"
	    "TaskScheduler/Operational' AND n.event_id = 140)) "
	    "WHERE w.evidence_id = ?1 AND ((" SECURITY " AND w.event_id = "
	    "4702) OR (w.channel = 'Microsoft-Windows-TaskScheduler/"
	    "Operational' AND w.event_id = 140)) GROUP BY w.id" },
	/* an account created */
	{ 40, "SELECT w.id AS id, 'account created: ' || coalesce("
	    D("TargetDomainName") " || '\\', '') || coalesce("
	    D("TargetUserName") ", '?') AS title, 'event 4720 by ' || "
	    "coalesce(" D("SubjectUserName") ", '?')" TS_PATH OF_EVIDENCE
	    SECURITY " AND w.event_id = 4720" },
	/* a member added to a privileged group */
	{ 60, "SELECT w.id AS id, 'added to ' || coalesce("
	    D("TargetUserName") ", " D("TargetSid") ") || ': ' || coalesce("
	    "nullif(" D("MemberName") ", '-'), " D("MemberSid") ", '?') AS "
	    "title, 'event ' || w.event_id || ' by ' || coalesce("
	    D("SubjectUserName") ", '?') || ': a privileged group'" TS_PATH
	    OF_EVIDENCE SECURITY " AND w.event_id IN (4728, 4732, 4756) AND "
	    PRIV_GROUP },
	/* admin shares and the service-control pipes (PsExec and copies) */
	{ 60, "SELECT w.id AS id, CASE WHEN " D("ShareName") " GLOB "
	    "'*[$]' AND upper(" D("ShareName") ") NOT GLOB '*IPC[$]' THEN "
	    "'admin share ' || " D("ShareName") " ELSE 'service control "
	    "pipe ' || " D("RelativeTargetName") " END || ' from ' || "
	    "coalesce(" D("IpAddress") ", '?') AS title, 'event ' || "
	    "w.event_id || ': ' || coalesce(" D("SubjectDomainName")
	    " || '\\', '') || coalesce(" D("SubjectUserName") ", '?') || "
	    "' on ' || coalesce(" D("ShareName") ", '?') || coalesce(' ' || "
	    D("RelativeTargetName") ", '')" TS_PATH OF_EVIDENCE SECURITY
	    " AND w.event_id IN (5140, 5145) AND (upper(" D("ShareName")
	    ") GLOB '*\\ADMIN[$]' OR upper(" D("ShareName") ") GLOB "
	    "'*\\[A-Z][$]' OR lower(" D("RelativeTargetName") ") IN "
	    "('svcctl', 'psexesvc') OR upper(" D("RelativeTargetName") ") "
	    "GLOB 'PSEXESVC*' OR lower(" D("RelativeTargetName") ") GLOB "
	    "'*-std[io][nu]*')" },
	/* PowerShell: a download, an encoded command, reflection */
	{ 70, "SELECT w.id AS id, 'PowerShell ' || CASE WHEN " PS_TEXT
	    " GLOB '*downloadstring*' OR " PS_TEXT " GLOB "
	    "'*downloadfile*' OR " PS_TEXT " GLOB '*net.webclient*' OR "
	    PS_TEXT " GLOB '*invoke-webrequest*' OR " PS_TEXT " GLOB "
	    "'*start-bitstransfer*' THEN 'download' WHEN " PS_TEXT " GLOB "
	    "'* -enc*' OR " PS_TEXT " GLOB '*-encodedcommand*' OR " PS_TEXT
	    " GLOB '*frombase64string*' THEN "
	    "'encoded command' ELSE 'reflection' END AS title, 'event ' || "
	    "w.event_id || ' (' || w.channel || '): ' || substr(coalesce("
	    D("ScriptBlockText") ", " D("Data3") ", ''), 1, 200)" TS_PATH
	    OF_EVIDENCE "((w.channel = 'Microsoft-Windows-PowerShell/"
	    "Operational' AND w.event_id = 4104) OR (w.channel = 'Windows "
	    "PowerShell' AND w.event_id IN (400, 600))) AND (" PS_TEXT
	    " GLOB '*downloadstring*' OR " PS_TEXT " GLOB '*downloadfile*' OR "
	    PS_TEXT " GLOB '*net.webclient*' OR " PS_TEXT " GLOB "
	    "'*invoke-webrequest*' OR " PS_TEXT " GLOB '*start-bitstransfer*' "
	    "OR " PS_TEXT " GLOB '* -enc*' OR " PS_TEXT " GLOB "
	    "'*-encodedcommand*' OR " PS_TEXT " GLOB '*frombase64string*' OR "
	    PS_TEXT " GLOB '*reflection.assembly*' OR " PS_TEXT " GLOB "
	    "'*::load(*' OR " PS_TEXT " GLOB '*virtualalloc*' OR " PS_TEXT
	    " GLOB '*getdelegateforfunctionpointer*')" },
	{ 0, NULL },
};

/* " name=value" for each of the comma-separated names present in data. */
static void
key_fields(const json_t *data, const char *names, char *buf, size_t len)
{
	size_t k = strlen(buf);

	while (names != NULL && *names != '\0' && k + 1 < len) {
		size_t n = strcspn(names, ",");
		char name[64];
		const char *v;

		(void)snprintf(name, sizeof(name), "%.*s", (int)n, names);
		names += n + (names[n] == ',');
		v = json_string_value(json_object_get(data, name));
		if (v == NULL || v[0] == '\0' || strcmp(v, "-") == 0)
			continue;
		k += (size_t)snprintf(buf + k, len - k, " %s=%s", name, v);
	}
}

/* "Security 4624 an account logged on: LogonType=3 ..." */
static void
message(const struct irk_record_row *row, char *buf, size_t len)
{
	const char *provider = irk_record_text(row, "provider");
	const char *channel = irk_record_text(row, "channel");
	int id = (int)irk_j_int(row->rec, "event_id", -1);
	const struct irk_win_event_desc *d = irk_win_event_desc(provider,
	    channel, id);

	if (d == NULL) {
		(void)snprintf(buf, len, "%s %d (%s)", channel ? channel : "?",
		    id, provider ? provider : "?");
		return;
	}
	(void)snprintf(buf, len, "%s %d %s:", channel ? channel : "?", id,
	    d->what);
	key_fields(json_object_get(row->rec, "data"), d->fields, buf, len);
}

const struct irk_record_type irk_record_win_event = {
	.type = "win_event",
	/* activity, not state: new records are no change (diff) */
	.diff_volatile = "1",
	.table = "win_events",
	.count_label = "event records",
	.doc = "a record of a Windows event log (EVTX)",
	.fields = fields,
	.events = events,
	.identity = identity,
	.compare = compare,
	.not_stored = not_stored,
	.message = message,
	.report = &report,
	.flagged = "a service with a shell or an odd image path, a log "
	    "cleared, audit policy changed, explicit credentials or a "
	    "remote logon from a source new to the case, a scheduled task "
	    "changed (and restored), an account created or made a member "
	    "of a privileged group, admin shares and service-control pipes, "
	    "PowerShell downloading, encoded or using reflection",
	.category = "windows-events",
	.findings = findings,
	.once = 1,
};
