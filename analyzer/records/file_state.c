/*
 * file_state.c - what `rpm -V` compares of one file of a live rpm root,
 * recorded by irkit-collect (collectors/rpm_states.c), which cannot read
 * the rpm database itself: the analyzer's rpm_packages compares the
 * copied database with these rows at ingest (docs/integrity.md, "rpm").
 */
#include "record.h"
#include "irkit/banned.h"

static const struct irk_record_field fields[] = {
	{ "evidence_id", "INTEGER", IRK_RF_EVIDENCE, { NULL } },
	{ "host_id", "INTEGER", IRK_RF_HOST, { NULL } },
	{ "path", "TEXT", IRK_RF_TEXT, { "path" } },
	{ "kind", "TEXT", IRK_RF_TEXT, { "kind" } },
	{ "mode", "TEXT", IRK_RF_TEXT, { "mode" } },
	{ "uid", "INTEGER", IRK_RF_JSON, { "uid" } },
	{ "gid", "INTEGER", IRK_RF_JSON, { "gid" } },
	{ "user_name", "TEXT", IRK_RF_TEXT, { "user" } },
	{ "group_name", "TEXT", IRK_RF_TEXT, { "group" } },
	{ "size", "INTEGER", IRK_RF_JSON, { "size" } },
	{ "mtime", "INTEGER", IRK_RF_TIME, { "mtime" } },
	{ "target", "TEXT", IRK_RF_TEXT, { "target" } },
	{ "sha256", "TEXT", IRK_RF_TEXT, { "sha256" } },
	{ "error", "TEXT", IRK_RF_TEXT, { "error" } },
	{ "walk", "TEXT", IRK_RF_TEXT, { "walk" } },
	{ NULL, NULL, 0, { NULL } },
};

/* no event: the package_files rows made from them say what differs */
static const struct irk_record_event events[] = {
	{ NULL, NULL, NULL, NULL, NULL },
};

static const char *const identity[] = { "path", NULL };
static const char *const compare[] = { "kind", "mode", "user_name",
    "group_name", "target", "sha256", NULL };
static const char *const not_stored[] = { "type", NULL };

const struct irk_record_type irk_record_file_state = {
	.type = "file_state",
	.table = "file_states",
	.doc = "what rpm -V compares of a file of a live rpm host, checked "
	    "at ingest",
	.fields = fields,
	.events = events,
	.ioc_name = "path",
	.ioc_label = "path",
	.ioc_hash = "sha256",
	.identity = identity,
	.compare = compare,
	.not_stored = not_stored,
};
