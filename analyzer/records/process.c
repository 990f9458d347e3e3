/*
 * process.c - a running process (collectors/processes.c), with its
 * sockets as child rows.
 */
#include <stdio.h>

#include "record.h"
#include "../db_util.h"
#include "irkit/banned.h"

extern const struct irk_record_type irk_record_socket;

static const struct irk_record_field fields[] = {
	{ "evidence_id", "INTEGER", IRK_RF_EVIDENCE, { NULL } },
	{ "host_id", "INTEGER", IRK_RF_HOST, { NULL } },
	{ "pid", "INTEGER", IRK_RF_JSON, { "pid" } },
	{ "ppid", "INTEGER", IRK_RF_JSON, { "ppid" } },
	{ "name", "TEXT", IRK_RF_TEXT, { "name" } },
	{ "exe", "TEXT", IRK_RF_TEXT, { "exe" } },
	{ "exe_deleted", "INTEGER", IRK_RF_JSON, { "exe_deleted" } },
	{ "exe_sha256", "TEXT", IRK_RF_JSON, { "exe_sha256" } },
	{ "cmdline", "TEXT", IRK_RF_JOIN, { "argv" } },
	{ "argv", "TEXT", IRK_RF_JSON, { "argv" } },
	{ "cwd", "TEXT", IRK_RF_JSON, { "cwd" } },
	{ "root", "TEXT", IRK_RF_JSON, { "root" } },
	{ "uid", "INTEGER", IRK_RF_JSON, { "uid" } },
	{ "euid", "INTEGER", IRK_RF_JSON, { "euid" } },
	{ "gid", "INTEGER", IRK_RF_JSON, { "gid" } },
	{ "egid", "INTEGER", IRK_RF_JSON, { "egid" } },
	{ "user", "TEXT", IRK_RF_JSON, { "user" } },
	{ "start_time", "INTEGER", IRK_RF_TIME, { "start_time" } },
	{ "state", "TEXT", IRK_RF_JSON, { "state" } },
	{ "threads", "INTEGER", IRK_RF_JSON, { "threads" } },
	{ "rss_bytes", "INTEGER", IRK_RF_JSON, { "rss_bytes", "rss" } },
	{ "tty", "TEXT", IRK_RF_JSON, { "tty" } },
	{ "session", "INTEGER", IRK_RF_JSON, { "session" } },
	{ "cgroup", "TEXT", IRK_RF_JSON, { "cgroup" } },
	{ "namespaces", "TEXT", IRK_RF_JSON, { "namespaces" } },
	{ "hidden", "INTEGER", IRK_RF_JSON, { "hidden" } },
	{ "record", "TEXT", IRK_RF_RECORD, { NULL } },
	{ NULL, NULL, 0, { NULL } },
};

static const struct irk_record_event events[] = {
	{ "start_time", "Process Start", NULL, "PROCESS", "exe" },
	{ NULL, NULL, NULL, NULL, NULL },
};

static const struct irk_record_child children[] = {
	{ "sockets", &irk_record_socket },
	{ NULL, NULL },
};

/*
 * The same program running in two collections: by name, executable and
 * command line, never by pid (a restart changes it).  pids, parents,
 * memory and times are the life of a host, not compared.
 */
static const char *const identity[] = { "name", "exe", "cmdline", NULL };
static const char *const compare[] = { "exe_sha256", "cwd", "uid",
    "euid", "user", "exe_deleted", "hidden", NULL };
/* kept in the record column only */
static const char *const not_stored[] = { "type", "access_denied",
    "argv_truncated", "errors", "euser", "exe_memfd", "fd_count", "fsgid",
    "fsuid", "kernel_thread", "pgrp", "sgid", "sockets", "start_ticks",
    "stime_us", "suid", "utime_us", "vsize_bytes", NULL };

static const struct irk_record_report_col cols[] = {
	{ "PID", "t.pid", IRK_RC_NUM },
	{ "PPID", "t.ppid", IRK_RC_NUM },
	{ "Name", "t.name", IRK_RC_TEXT },
	{ "Command line", "t.cmdline", IRK_RC_MONO },
	{ "Executable", "t.exe", IRK_RC_MONO },
	{ "Exe deleted", "t.exe_deleted", IRK_RC_FLAG },
	{ "Hidden", "t.hidden", IRK_RC_FLAG },
	{ "User", "t.user", IRK_RC_TEXT },
	{ "Started", "t.start_time", IRK_RC_TIME },
	{ NULL, NULL, 0 },
};

static const struct irk_record_report report = {
	.id = "processes",
	.nav = "Processes",
	.title = "Suspicious processes",
	.why = "behind a finding, running from a deleted file, or hidden",
	.flag = "t.exe_deleted = 1 OR t.hidden = 1",
	.cols = cols,
	.link = "SELECT 'process', 'pid ' || coalesce(pid, '?') || ' ' || "
	    "coalesce(name, ''), coalesce(cmdline, exe), start_time FROM "
	    "processes WHERE id = ?",
};

static void
message(const struct irk_record_row *row, char *buf, size_t len)
{
	const char *name = irk_record_text(row, "name");
	const char *cmdline = irk_record_text(row, "cmdline");
	const char *exe = irk_record_text(row, "exe");

	(void)snprintf(buf, len, "pid %lld %s: %.*s",
	    (long long)irk_j_int(row->rec, "pid", -1), name ? name : "?",
	    (int)len, cmdline ? cmdline : (exe ? exe : ""));
}

const struct irk_record_type irk_record_process = {
	.type = "process",
	.table = "processes",
	.doc = "a process running when the host was collected",
	.fields = fields,
	.events = events,
	.ioc_name = "exe",
	.ioc_text = "cmdline",
	.ioc_label = "coalesce(exe, name)",
	.ioc_time = "start_time",
	.identity = identity,
	.compare = compare,
	.not_stored = not_stored,
	.children = children,
	.report = &report,
	.flagged = "executable deleted, hidden from the /proc listing, "
	    "executable in a temporary directory, a shell reading from the "
	    "network (findings.c process_findings)",
	.count_label = "processes",
	/* processes come and go: only a changed one is a change */
	.diff_volatile = "1",
	.message = message,
};
