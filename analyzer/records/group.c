/*
 * group.c - a group of /etc/group with its /etc/gshadow fields, or one
 * the backup /etc/group- holds and the file no longer does
 * (collectors/accounts.c).
 */
#include "record.h"
#include "irkit/banned.h"

static const struct irk_record_field fields[] = {
	{ "evidence_id", "INTEGER", IRK_RF_EVIDENCE, { NULL } },
	{ "host_id", "INTEGER", IRK_RF_HOST, { NULL } },
	{ "name", "TEXT", IRK_RF_TEXT, { "name" } },
	{ "gid", "INTEGER", IRK_RF_JSON, { "gid" } },
	{ "members", "TEXT", IRK_RF_JSON, { "members" } },
	{ "admins", "TEXT", IRK_RF_JSON, { "admins" } },
	{ "password", "TEXT", IRK_RF_JSON, { "password" } },
	{ "password_scheme", "TEXT", IRK_RF_JSON, { "password_scheme" } },
	{ "locked", "INTEGER", IRK_RF_JSON, { "locked" } },
	{ "in_shadow", "INTEGER", IRK_RF_JSON, { "in_shadow" } },
	{ "source", "TEXT", IRK_RF_JSON, { "source" } },
	{ "line", "INTEGER", IRK_RF_JSON, { "line" } },
	{ "deleted", "INTEGER", IRK_RF_JSON, { "deleted" } },
	{ "record", "TEXT", IRK_RF_RECORD, { NULL } },
	{ NULL, NULL, 0, { NULL } },
};

/* the group files keep no time */
static const struct irk_record_event events[] = {
	{ NULL, NULL, NULL, NULL, NULL },
};

static const char *const identity[] = { "name", "deleted", NULL };
static const char *const compare[] = { "gid", "members", "admins",
    "password", NULL };
static const char *const not_stored[] = { "type", NULL };

const struct irk_record_type irk_record_group = {
	.type = "group",
	.baseline_score = 40,
	.table = "account_groups",
	.doc = "a group (group with its gshadow fields)",
	.fields = fields,
	.events = events,
	.identity = identity,
	.compare = compare,
	.not_stored = not_stored,
};
