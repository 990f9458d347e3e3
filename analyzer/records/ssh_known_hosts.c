/*
 * ssh_known_hosts.c - a known_hosts file (collectors/ssh.c): the hosts
 * an account connected to, when they are not hashed.
 */
#include <stdio.h>

#include "record.h"
#include "../db_util.h"
#include "irkit/banned.h"

static const struct irk_record_field fields[] = {
	{ "evidence_id", "INTEGER", IRK_RF_EVIDENCE, { NULL } },
	{ "host_id", "INTEGER", IRK_RF_HOST, { NULL } },
	{ "path", "TEXT", IRK_RF_TEXT, { "path" } },
	{ "user", "TEXT", IRK_RF_JSON, { "user" } },
	{ "uid", "INTEGER", IRK_RF_JSON, { "uid" } },
	{ "entries", "INTEGER", IRK_RF_JSON, { "entries" } },
	{ "hashed", "INTEGER", IRK_RF_JSON, { "hashed" } },
	{ "cert_authorities", "INTEGER", IRK_RF_JSON,
	    { "cert_authorities" } },
	{ "revoked", "INTEGER", IRK_RF_JSON, { "revoked" } },
	{ "bad_lines", "INTEGER", IRK_RF_JSON, { "bad_lines" } },
	{ "hosts", "TEXT", IRK_RF_JSON, { "hosts" } },
	{ "link_target", "TEXT", IRK_RF_JSON, { "link_target" } },
	{ "file_mtime", "INTEGER", IRK_RF_TIME, { "file_mtime" } },
	{ "record", "TEXT", IRK_RF_RECORD, { NULL } },
	{ NULL, NULL, 0, { NULL } },
};

static const struct irk_record_event events[] = {
	{ "file_mtime", "Known Hosts Modification", "M...", "SSH", "path" },
	{ NULL, NULL, NULL, NULL, NULL },
};

static const char *const identity[] = { "path", NULL };
static const char *const compare[] = { "entries", "hashed", "hosts",
    "file_mtime", NULL };
static const char *const not_stored[] = { "type", "shell", NULL };

static void
message(const struct irk_record_row *row, char *buf, size_t len)
{
	const char *user = irk_j_str(row->rec, "user");

	(void)snprintf(buf, len, "known hosts of %s (%lld entries)",
	    user ? user : "the system", (long long)irk_j_int(row->rec,
	    "entries", 0));
}

const struct irk_record_type irk_record_ssh_known_hosts = {
	.type = "ssh_known_hosts",
	.table = "ssh_known_hosts",
	.doc = "a known_hosts file",
	.fields = fields,
	.events = events,
	.ioc_text = "hosts",
	.ioc_label = "path",
	.identity = identity,
	.compare = compare,
	.not_stored = not_stored,
	.message = message,
};
