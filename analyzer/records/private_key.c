/*
 * private_key.c - a private key file (collectors/certs.c).
 */
#include <stdio.h>

#include "record.h"
#include "../db_util.h"
#include "irkit/banned.h"

static const struct irk_record_field fields[] = {
	{ "evidence_id", "INTEGER", IRK_RF_EVIDENCE, { NULL } },
	{ "host_id", "INTEGER", IRK_RF_HOST, { NULL } },
	{ "path", "TEXT", IRK_RF_TEXT, { "path" } },
	{ "format", "TEXT", IRK_RF_JSON, { "format" } },
	{ "key_type", "TEXT", IRK_RF_JSON, { "key_type", "algorithm" } },
	{ "bits", "INTEGER", IRK_RF_JSON, { "bits", "key_bits" } },
	{ "encrypted", "INTEGER", IRK_RF_JSON, { "encrypted" } },
	{ "public_sha256", "TEXT", IRK_RF_JSON, { "public_sha256" } },
	{ "certificate_path", "TEXT", IRK_RF_JSON, { "certificate_path" } },
	{ "owner", "TEXT", IRK_RF_JSON, { "owner" } },
	{ "mode", "TEXT", IRK_RF_JSON, { "mode" } },
	{ "mtime", "INTEGER", IRK_RF_TIME, { "mtime" } },
	{ "record", "TEXT", IRK_RF_RECORD, { NULL } },
	{ NULL, NULL, 0, { NULL } },
};

static const struct irk_record_event events[] = {
	{ "mtime", "Key File Modification", "M...", "KEY", "path" },
	{ NULL, NULL, NULL, NULL, NULL },
};

/* the same key in the same file */
static const char *const identity[] = { "path", "public_sha256", NULL };
static const char *const compare[] = { "encrypted", "certificate_path",
    "owner", "mode", "mtime", NULL };
/* kept in the record column only */
static const char *const not_stored[] = { "type", "cipher", "curve",
    "encryption", "file_size", "gid", "index", "kdf", "keys", "note",
    "ssh_key_type", "uid", NULL };

static const struct irk_record_report_col cols[] = {
	{ "Path", "t.path", IRK_RC_MONO },
	{ "Format", "t.format", IRK_RC_TEXT },
	{ "Type", "t.key_type", IRK_RC_TEXT },
	{ "Bits", "t.bits", IRK_RC_NUM },
	{ "Encrypted", "t.encrypted", IRK_RC_FLAG },
	{ "Mode", "t.mode", IRK_RC_MONO },
	{ "Owner", "t.owner", IRK_RC_TEXT },
	{ NULL, NULL, 0 },
};

static const struct irk_record_report report = {
	.id = "keys",
	.nav = "Keys",
	.title = "Suspicious private keys",
	.why = "behind a finding",
	.cols = cols,
	.link = "SELECT 'private key', path, coalesce(key_type, '') || ' ' "
	    "|| coalesce(bits, '') || CASE WHEN encrypted THEN ' encrypted' "
	    "ELSE ' not encrypted' END, mtime FROM private_keys WHERE id = ?",
};

static void
message(const struct irk_record_row *row, char *buf, size_t len)
{
	const char *format = irk_j_str(row->rec, "format");

	/* as long as it always was */
	if (len > 256)
		len = 256;
	(void)snprintf(buf, len, "private key (%s%s)", format ? format : "?",
	    irk_j_int(row->rec, "encrypted", 0) ? ", encrypted" :
	    ", not encrypted");
}

const struct irk_record_type irk_record_private_key = {
	.type = "private_key",
	.baseline_score = 50,
	.table = "private_keys",
	.doc = "a private key file",
	.fields = fields,
	.events = events,
	.identity = identity,
	.compare = compare,
	.not_stored = not_stored,
	.report = &report,
	.flagged = "not encrypted and beside a certificate it signs for "
	    "(findings.c cert_findings)",
	.count_label = "private keys",
	.message = message,
};
