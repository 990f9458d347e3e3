/*
 * ssh_key.c - a key of an authorized_keys file (collectors/ssh.c): who
 * may log in as the file's account with it, and under what options.
 */
#include <stdio.h>

#include "record.h"
#include "../db_util.h"
#include "irkit/banned.h"

static const struct irk_record_field fields[] = {
	{ "evidence_id", "INTEGER", IRK_RF_EVIDENCE, { NULL } },
	{ "host_id", "INTEGER", IRK_RF_HOST, { NULL } },
	{ "path", "TEXT", IRK_RF_TEXT, { "path" } },
	{ "line", "INTEGER", IRK_RF_JSON, { "line" } },
	{ "user", "TEXT", IRK_RF_JSON, { "user" } },
	{ "uid", "INTEGER", IRK_RF_JSON, { "uid" } },
	{ "shell", "TEXT", IRK_RF_JSON, { "shell" } },
	{ "key_type", "TEXT", IRK_RF_JSON, { "key_type" } },
	{ "bits", "INTEGER", IRK_RF_JSON, { "bits" } },
	{ "fingerprint", "TEXT", IRK_RF_JSON, { "fingerprint" } },
	{ "comment", "TEXT", IRK_RF_JSON, { "comment" } },
	{ "options", "TEXT", IRK_RF_JSON, { "options" } },
	{ "forced_command", "TEXT", IRK_RF_JSON, { "forced_command" } },
	{ "from_hosts", "TEXT", IRK_RF_JSON, { "from" } },
	{ "link_target", "TEXT", IRK_RF_JSON, { "link_target" } },
	{ "file_mtime", "INTEGER", IRK_RF_TIME, { "file_mtime" } },
	{ "record", "TEXT", IRK_RF_RECORD, { NULL } },
	{ NULL, NULL, 0, { NULL } },
};

static const struct irk_record_event events[] = {
	{ "file_mtime", "Authorized Keys Modification", "M...", "SSH",
	    "path" },
	{ NULL, NULL, NULL, NULL, NULL },
};

/* the same key in the same file */
static const char *const identity[] = { "path", "fingerprint", NULL };
/* not the file's mtime: a key added changes it for every key (diff) */
static const char *const compare[] = { "options", "comment", "user", NULL };
static const char *const not_stored[] = { "type", NULL };

static const struct irk_record_report_col cols[] = {
	{ "User", "t.user", IRK_RC_MONO },
	{ "File", "t.path", IRK_RC_MONO },
	{ "Type", "t.key_type", IRK_RC_SHORT },
	{ "Bits", "t.bits", IRK_RC_NUM },
	{ "Fingerprint", "t.fingerprint", IRK_RC_MONO },
	{ "Comment", "t.comment", IRK_RC_TEXT },
	{ "Options", "t.options", IRK_RC_MONO },
	{ NULL, NULL, 0 },
};

static const struct irk_record_report report = {
	.id = "sshkeys",
	.nav = "SSH keys",
	.title = "Authorized SSH keys",
	.why = "all of them: who can log in with a key",
	.flag = "1",
	.cols = cols,
	.link = "SELECT 'authorized key', path || ':' || line, "
	    "coalesce(key_type, '') || ' ' || coalesce(fingerprint, '') || "
	    "coalesce(' ' || comment, ''), file_mtime FROM ssh_keys WHERE "
	    "id = ?",
};

#define NOLOGIN "(shell GLOB '*/nologin' OR shell GLOB '*/false')"

static const struct irk_record_finding findings[] = {
	{ 40, "SELECT id, 'SSH key with a forced command for ' || "
	    "quote(coalesce(user, '?')) AS title, 'the key runs a forced "
	    "command: ' || forced_command AS reason, file_mtime AS ts, path "
	    "FROM ssh_keys WHERE "
	    "evidence_id = ?1 AND forced_command IS NOT NULL" },
	{ 30, "SELECT id, 'SSH key for root' AS title, 'a key for a UID 0 "
	    "account without from= (usable from anywhere)' AS reason, "
	    "file_mtime AS ts, path FROM "
	    "ssh_keys WHERE evidence_id = ?1 AND uid = 0 AND from_hosts IS "
	    "NULL" },
	{ 40, "SELECT id, 'SSH key for ' || quote(coalesce(user, '?')) AS "
	    "title, 'a key for an account whose shell is ' || shell || ' (no "
	    "interactive login: a key there is unexpected)' AS reason, "
	    "file_mtime AS ts, path FROM ssh_keys WHERE evidence_id = ?1 AND " NOLOGIN },
	{ 0, NULL },
};

static void
message(const struct irk_record_row *row, char *buf, size_t len)
{
	const char *user = irk_j_str(row->rec, "user");

	(void)snprintf(buf, len, "authorized keys of %s", user ? user : "?");
}

const struct irk_record_type irk_record_ssh_key = {
	.type = "ssh_key",
	.baseline_score = 60,
	.table = "ssh_keys",
	.doc = "a key of an authorized_keys file",
	.fields = fields,
	.events = events,
	.ioc_text = "from_hosts",
	.ioc_label = "path",
	.identity = identity,
	.compare = compare,
	.not_stored = not_stored,
	.report = &report,
	.flagged = "every key (the report)",
	.category = "ssh",
	.findings = findings,
	.count_label = "SSH keys",
	.message = message,
};
