/*
 * sshd_config.c - the sshd settings that matter (collectors/ssh.c):
 * /etc/ssh/sshd_config with its Include files, and its Match blocks.
 */
#include "record.h"
#include "irkit/banned.h"

static const struct irk_record_field fields[] = {
	{ "evidence_id", "INTEGER", IRK_RF_EVIDENCE, { NULL } },
	{ "host_id", "INTEGER", IRK_RF_HOST, { NULL } },
	{ "path", "TEXT", IRK_RF_TEXT, { "path" } },
	{ "permit_root_login", "TEXT", IRK_RF_JSON, { "permit_root_login" } },
	{ "password_authentication", "TEXT", IRK_RF_JSON,
	    { "password_authentication" } },
	{ "pubkey_authentication", "TEXT", IRK_RF_JSON,
	    { "pubkey_authentication" } },
	{ "authorized_keys_file", "TEXT", IRK_RF_JSON,
	    { "authorized_keys_file" } },
	{ "authorized_keys_command", "TEXT", IRK_RF_JSON,
	    { "authorized_keys_command" } },
	{ "settings", "TEXT", IRK_RF_JSON, { "settings" } },
	{ "match_blocks", "TEXT", IRK_RF_JSON, { "match_blocks" } },
	{ "files", "TEXT", IRK_RF_JSON, { "files" } },
	{ "record", "TEXT", IRK_RF_RECORD, { NULL } },
	{ NULL, NULL, 0, { NULL } },
};

static const struct irk_record_event events[] = {
	{ NULL, NULL, NULL, NULL, NULL },
};

static const char *const identity[] = { "path", NULL };
static const char *const compare[] = { "settings", "match_blocks", NULL };
static const char *const not_stored[] = { "type", NULL };

const struct irk_record_type irk_record_sshd_config = {
	.type = "sshd_config",
	.baseline_score = 40,
	.table = "sshd_configs",
	.doc = "the sshd settings that matter",
	.fields = fields,
	.events = events,
	.identity = identity,
	.compare = compare,
	.not_stored = not_stored,
};
