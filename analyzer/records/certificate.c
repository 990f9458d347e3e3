/*
 * certificate.c - an X.509 certificate found in a file or a trust store
 * (collectors/certs.c), or in the Windows registry (win_certs.c).
 */
#include <stdio.h>

#include "record.h"
#include "irkit/banned.h"

static const struct irk_record_field fields[] = {
	{ "evidence_id", "INTEGER", IRK_RF_EVIDENCE, { NULL } },
	{ "host_id", "INTEGER", IRK_RF_HOST, { NULL } },
	{ "path", "TEXT", IRK_RF_TEXT, { "path" } },
	{ "idx", "INTEGER", IRK_RF_JSON, { "index", "idx" } },
	{ "store", "TEXT", IRK_RF_JSON, { "store" } },
	{ "subject", "TEXT", IRK_RF_TEXT, { "subject" } },
	{ "issuer", "TEXT", IRK_RF_JSON, { "issuer" } },
	{ "serial", "TEXT", IRK_RF_JSON, { "serial" } },
	{ "not_before", "INTEGER", IRK_RF_TIME, { "not_before" } },
	{ "not_after", "INTEGER", IRK_RF_TIME, { "not_after" } },
	{ "sha1", "TEXT", IRK_RF_JSON, { "sha1" } },
	{ "sha256", "TEXT", IRK_RF_JSON, { "sha256" } },
	{ "key_type", "TEXT", IRK_RF_JSON, { "key_type" } },
	{ "key_bits", "INTEGER", IRK_RF_JSON, { "key_bits", "bits" } },
	{ "signature_algorithm", "TEXT", IRK_RF_JSON,
	    { "signature_algorithm" } },
	{ "is_ca", "INTEGER", IRK_RF_JSON, { "is_ca" } },
	{ "self_signed", "INTEGER", IRK_RF_JSON, { "self_signed" } },
	{ "san", "TEXT", IRK_RF_JSON, { "san" } },
	{ "key_usage", "TEXT", IRK_RF_JSON, { "key_usage" } },
	{ "ext_key_usage", "TEXT", IRK_RF_JSON, { "ext_key_usage" } },
	{ "ski", "TEXT", IRK_RF_JSON, { "ski" } },
	{ "aki", "TEXT", IRK_RF_JSON, { "aki" } },
	{ "in_trust_store", "INTEGER", IRK_RF_JSON, { "in_trust_store" } },
	{ "shipped_by_os", "INTEGER", IRK_RF_JSON,
	    { "shipped_by_os", "packaged" } },
	{ "expired", "INTEGER", IRK_RF_JSON, { "expired" } },
	{ "private_key_path", "TEXT", IRK_RF_JSON, { "private_key_path" } },
	{ "owner", "TEXT", IRK_RF_JSON, { "owner" } },
	{ "mode", "TEXT", IRK_RF_JSON, { "mode" } },
	{ "mtime", "INTEGER", IRK_RF_TIME, { "mtime" } },
	{ "record", "TEXT", IRK_RF_RECORD, { NULL } },
	{ NULL, NULL, 0, { NULL } },
};

static const struct irk_record_event events[] = {
	{ "not_before", "Certificate Not Before", NULL, "CERT", "path" },
	{ "not_after", "Certificate Not After", NULL, "CERT", "path" },
	{ NULL, NULL, NULL, NULL, NULL },
};

/* the same certificate in the same place */
static const char *const identity[] = { "sha256", "path", "idx", NULL };
static const char *const compare[] = { "store", "in_trust_store",
    "shipped_by_os", "private_key_path", "owner", "mode", "mtime", NULL };
/* kept in the record column only */
static const char *const not_stored[] = { "type", "curve", "file_size", "gid",
    "keystore_alias", "public_sha256", "source", "thumbprint", "uid", NULL };

static const struct irk_record_report_col cols[] = {
	{ "Subject", "t.subject", IRK_RC_TEXT },
	{ "Issuer", "t.issuer", IRK_RC_TEXT },
	{ "Not before", "t.not_before", IRK_RC_TIME },
	{ "Not after", "t.not_after", IRK_RC_TIME },
	{ "Self-signed", "t.self_signed", IRK_RC_FLAG },
	{ "CA", "t.is_ca", IRK_RC_FLAG },
	{ "Trust store", "t.in_trust_store", IRK_RC_FLAG },
	{ "Path", "t.path", IRK_RC_MONO },
	{ "SHA-256", "t.sha256", IRK_RC_MONO },
	{ NULL, NULL, 0 },
};

static const struct irk_record_report report = {
	.id = "certificates",
	.nav = "Certificates",
	.title = "Suspicious certificates",
	.why = "behind a finding",
	.cols = cols,
	.link = "SELECT 'certificate', subject, 'issuer ' || coalesce("
	    "issuer, '?') || coalesce('  ' || path, ''), not_after FROM "
	    "certificates WHERE id = ?",
};

static void
message(const struct irk_record_row *row, char *buf, size_t len)
{
	const char *subject = irk_record_text(row, "subject");

	(void)snprintf(buf, len, "certificate %s", subject ? subject : "?");
}

const struct irk_record_type irk_record_certificate = {
	.type = "certificate",
	/* a trusted root added: who is now believed */
	.baseline_score = 60,
	.baseline_rows = "t.in_trust_store = 1",
	.table = "certificates",
	.doc = "an X.509 certificate",
	.fields = fields,
	.events = events,
	.identity = identity,
	.compare = compare,
	.not_stored = not_stored,
	.report = &report,
	.flagged = "a trusted root the OS did not ship, a certificate whose "
	    "private key lies beside it (findings.c trusted_root_findings, "
	    "cert_findings)",
	.count_label = "certificates",
	.message = message,
};
