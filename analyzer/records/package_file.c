/*
 * package_file.c - a file checked against the package database, or an
 * executable in a system folder no package owns (collectors/packages.c;
 * docs/integrity.md).
 */
#include "record.h"
#include "irkit/banned.h"

static const struct irk_record_field fields[] = {
	{ "evidence_id", "INTEGER", IRK_RF_EVIDENCE, { NULL } },
	{ "host_id", "INTEGER", IRK_RF_HOST, { NULL } },
	{ "package", "TEXT", IRK_RF_TEXT, { "package" } },
	{ "version", "TEXT", IRK_RF_TEXT, { "version" } },
	{ "architecture", "TEXT", IRK_RF_TEXT, { "architecture" } },
	{ "path", "TEXT", IRK_RF_TEXT, { "path" } },
	{ "status", "TEXT", IRK_RF_TEXT, { "status" } },
	{ "conffile", "INTEGER", IRK_RF_JSON, { "conffile" } },
	{ "md5_expected", "TEXT", IRK_RF_TEXT, { "md5_expected" } },
	{ "md5_actual", "TEXT", IRK_RF_TEXT, { "md5_actual" } },
	{ "sha256", "TEXT", IRK_RF_TEXT, { "sha256" } },
	{ "size", "INTEGER", IRK_RF_JSON, { "size" } },
	{ "mtime", "INTEGER", IRK_RF_TIME, { "mtime" } },
	{ "link_target", "TEXT", IRK_RF_TEXT, { "link_target" } },
	{ "error", "TEXT", IRK_RF_TEXT, { "error" } },
	{ "manager", "TEXT", IRK_RF_TEXT, { "manager" } },
	{ "digest_algo", "TEXT", IRK_RF_TEXT, { "digest_algo" } },
	{ "digest_expected", "TEXT", IRK_RF_TEXT, { "digest_expected" } },
	{ "digest_actual", "TEXT", IRK_RF_TEXT, { "digest_actual" } },
	{ "verify", "TEXT", IRK_RF_TEXT, { "verify" } },
	{ "record", "TEXT", IRK_RF_RECORD, { NULL } },
	{ NULL, NULL, 0, { NULL } },
};

/* the time of a file that is not as installed */
static const struct irk_record_event events[] = {
	{ NULL, NULL, NULL, NULL, NULL },
};

/* a package's file (Multi-Arch: same packages share paths); a
 * not-owned file has no package */
static const char *const identity[] = { "package", "architecture", "path",
    NULL };
static const char *const compare[] = { "md5_actual", "digest_actual",
    "status", NULL };
static const char *const not_stored[] = { "type", NULL };

/* executables, libraries, kernel modules and units (docs/integrity.md) */
#define BINARY \
	"(path GLOB '/usr/bin/*' OR path GLOB '/usr/sbin/*' OR " \
	"path GLOB '/bin/*' OR path GLOB '/sbin/*' OR path GLOB '*.so' OR " \
	"path GLOB '*.so.*' OR path GLOB '*.ko' OR path GLOB '*.ko.*' OR " \
	"path GLOB '*/systemd/system/*')"
#define FROM \
	" FROM package_files WHERE evidence_id = ?1 AND "
#define WHAT \
	"'package ' || package || ' ' || coalesce(version, '') || ': ' "
/* what differs: the digests (dpkg's MD5, rpm's digest) and rpm -V's
 * letters */
#define DIGESTS \
	"' (' || upper(coalesce(digest_algo, 'md5')) || ' ' || " \
	"coalesce(digest_actual, md5_actual, '?') || ', expected ' || " \
	"coalesce(digest_expected, md5_expected, '?') || " \
	"coalesce(', rpm -V ' || verify, '') || ')' AS reason, "

/*
 * not owned, and not by the other manager either: on a root with both a
 * dpkg and an rpm database, dpkg's collector lists the executables no
 * dpkg package owns, some of them rpm's (docs/integrity.md)
 */
#define UNOWNED(t) \
	"status = 'not-owned' AND NOT EXISTS (SELECT 1 FROM package_files o " \
	"WHERE o.evidence_id = " t ".evidence_id AND o.path = " t ".path " \
	"AND o.package IS NOT NULL AND o.manager <> " t ".manager)"

/* a missing file or one now a link, as a reason */
#define GONE \
	"CASE status WHEN 'missing' THEN ' is missing' ELSE " \
	"' is now a link to ' || coalesce(link_target, '?') END AS reason, " \
	"mtime AS ts, path"

static const struct irk_record_finding findings[] = {
	{ 80, "SELECT id, 'changed package binary ' || path AS title, " WHAT
	    "|| path || "
	    "' is not what the package installed' || " DIGESTS
	    "mtime AS ts, path"
	    FROM "status = 'changed' AND " BINARY },
	{ 20, "SELECT id, 'changed package file ' || path AS title, " WHAT "|| path || "
	    "' is not what the package installed' AS reason, mtime AS ts, path"
	    FROM "status = 'changed' AND NOT " BINARY },
	{ 30, "SELECT id, 'changed conffile ' || path AS title, " WHAT
	    "|| 'conffile ' || path || "
	    "' ' || CASE status WHEN 'conffile-changed' THEN 'was edited' "
	    "WHEN 'missing' THEN 'is missing' ELSE 'is a link' END || "
	    "' (conffiles change legitimately)' AS reason, mtime AS ts, path"
	    FROM "conffile AND status IN ('conffile-changed', 'missing', "
	    "'replaced-by-link')" },
	{ 60, "SELECT id, 'missing package binary ' || path AS title, " WHAT
	    "|| path || "
	    GONE
	    FROM "NOT conffile AND status IN ('missing', 'replaced-by-link') "
	    "AND " BINARY },
	{ 20, "SELECT id, 'missing package file ' || path AS title, " WHAT "|| path || "
	    GONE
	    FROM "NOT conffile AND status IN ('missing', 'replaced-by-link') "
	    "AND NOT " BINARY },
	{ 50, "SELECT id, 'executable no package owns ' || path AS title, path || "
	    "' is in a system folder but no package owns it (SHA-256 ' || "
	    "coalesce(sha256, '?') || ')' AS reason, mtime AS ts, path"
	    FROM UNOWNED("package_files") },
	{ 0, NULL },
};

static const struct irk_record_report_col cols[] = {
	{ "Path", "t.path", IRK_RC_MONO },
	{ "Status", "t.status", IRK_RC_SHORT },
	{ "Package", "t.package", IRK_RC_TEXT },
	{ "Version", "t.version", IRK_RC_SHORT },
	{ "Conffile", "t.conffile", IRK_RC_FLAG },
	{ "Modified", "t.mtime", IRK_RC_TIME },
	{ "MD5 found", "t.md5_actual", IRK_RC_MONO },
	{ "MD5 expected", "t.md5_expected", IRK_RC_MONO },
	{ NULL, NULL, 0 },
};

static const struct irk_record_report report = {
	.id = "package-files",
	.nav = "Package files",
	.title = "Package files not as installed",
	.why = "changed, missing, replaced by a link, unreadable, or owned "
	    "by no package",
	.flag = "(t.status NOT IN ('ok', 'not-owned') OR (" UNOWNED("t")
	    "))",
	.cols = cols,
	.link = "SELECT 'package file', path, status || coalesce(' (' || "
	    "package || ' ' || version || ')', ''), mtime FROM package_files "
	    "WHERE id = ?",
};

const struct irk_record_type irk_record_package_file = {
	.type = "package_file",
	/* a package file newly changed, missing or not owned */
	.baseline_score = 70,
	.baseline_rows = "t.status <> 'ok'",
	.table = "package_files",
	.count_label = "package files",
	.doc = "a file checked against the package database, or an "
	    "executable no package owns",
	.fields = fields,
	.events = events,
	.ioc_name = "path",
	.ioc_label = "path",
	.identity = identity,
	.compare = compare,
	.not_stored = not_stored,
	.report = &report,
	.flagged = "not as the package installed it, or owned by no package",
	.category = "integrity",
	.findings = findings,
};
