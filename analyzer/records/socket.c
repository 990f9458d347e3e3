/*
 * socket.c - a socket: a row of a process's "sockets" array, or a
 * "socket" record (collectors/processes.c, every line of /proc/net/ tables);
 * a socket record is loaded alone only when no process owns it (the
 * owned ones come with their process).
 */
#include <stdio.h>

#include "record.h"
#include "irkit/banned.h"

static const struct irk_record_field fields[] = {
	{ "evidence_id", "INTEGER", IRK_RF_EVIDENCE, { NULL } },
	{ "process_id", "INTEGER", IRK_RF_PARENT_ID, { NULL } },
	{ "pid", "INTEGER", IRK_RF_PARENT, { "pid" } },
	{ "proto", "TEXT", IRK_RF_TEXT, { "proto", "protocol" } },
	{ "local_addr", "TEXT", IRK_RF_JSON,
	    { "local_addr", "local_address" } },
	{ "local_port", "INTEGER", IRK_RF_JSON, { "local_port" } },
	{ "remote_addr", "TEXT", IRK_RF_JSON,
	    { "remote_addr", "remote_address" } },
	{ "remote_port", "INTEGER", IRK_RF_JSON, { "remote_port" } },
	{ "state", "TEXT", IRK_RF_JSON, { "state" } },
	{ "inode", "INTEGER", IRK_RF_JSON, { "inode" } },
	{ "path", "TEXT", IRK_RF_JSON, { "path" } },
	{ "owner_reason", "TEXT", IRK_RF_JSON, { "owner_reason" } },
	{ NULL, NULL, 0, { NULL } },
};

static const struct irk_record_event events[] = {
	{ NULL, NULL, NULL, NULL, NULL },
};

/* the endpoints; a unix socket by its path (and inode, path-less) */
static const char *const identity[] = { "proto", "local_addr",
    "local_port", "remote_addr", "remote_port", "path", NULL };
/* not pid nor inode: a restarted service gets new ones */
static const char *const compare[] = { "state", "owner_reason", NULL };
static const char *const not_stored[] = { "type", "fd", "netns", "owner",
    "owners", "socket_type", "uid", NULL };

static const struct irk_record_report report = {
	.link = "SELECT 'socket', proto || ' ' || coalesce(local_addr, '') "
	    "|| ':' || coalesce(local_port, ''), coalesce(remote_addr || ':' "
	    "|| remote_port, ''), NULL FROM sockets WHERE id = ?",
};

/* alone: only a socket no process owns */
static int
accept(const json_t *rec)
{
	return json_is_null(json_object_get(rec, "owner"));
}

const struct irk_record_type irk_record_socket = {
	.type = "socket",
	.baseline_score = 40,
	.table = "sockets",
	.count_label = "sockets",
	/* connections and unnamed sockets come and go; listening ones
	 * (and bound UDP) are the host's services */
	.diff_volatile = "NOT (t.state = 'LISTEN' OR (t.state = 'UNCONN' "
	    "AND t.proto <> 'unix'))",
	.doc = "a socket of a process, or one no process owns",
	.fields = fields,
	.events = events,
	.ioc_text = "remote_addr",
	.ioc_label = "'pid ' || pid",
	.identity = identity,
	.compare = compare,
	.not_stored = not_stored,
	.report = &report,
	.flagged = "listening with no owner (findings.c socket_findings)",
	.accept = accept,
};
