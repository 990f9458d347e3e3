/*
 * package_event.c - a package installed, upgraded or removed, as the
 * package managers' logs say (analyzer/logs_packages.c; docs/logs.md,
 * "Packages").
 */
#include <stdio.h>

#include "log_fields.h"
#include "record.h"
#include "irkit/banned.h"

static const struct irk_record_field fields[] = {
	IRK_LOG_FIELDS,
	{ "source", "TEXT", IRK_RF_TEXT, { "source" } },
	{ "action", "TEXT", IRK_RF_TEXT, { "action" } },
	{ "package", "TEXT", IRK_RF_TEXT, { "package" } },
	{ "arch", "TEXT", IRK_RF_TEXT, { "arch" } },
	{ "version", "TEXT", IRK_RF_TEXT, { "version" } },
	{ "old_version", "TEXT", IRK_RF_TEXT, { "old_version" } },
	{ "automatic", "INTEGER", IRK_RF_JSON, { "automatic" } },
	{ "who", "TEXT", IRK_RF_TEXT, { "who" } },
	{ "command", "TEXT", IRK_RF_TEXT, { "command" } },
	{ "line_hash", "TEXT", IRK_RF_TEXT, { "line_hash" } },
	{ "trans_id", "INTEGER", IRK_RF_JSON, { "trans_id" } },
	{ "uid", "INTEGER", IRK_RF_JSON, { "uid" } },
	{ NULL, NULL, 0, { NULL } },
};

static const struct irk_record_event events[] = {
	{ "time", "Package Change", NULL, "PACKAGE", "path" },
	{ NULL, NULL, NULL, NULL, NULL },
};

static const char *const identity[] = { "line_hash", NULL };
static const char *const compare[] = { "path", NULL };
static const char *const not_stored[] = { "type", NULL };

static const struct irk_record_report_col cols[] = {
	{ "Time", "t.time", IRK_RC_TIME },
	{ "Action", "t.action", IRK_RC_SHORT },
	{ "Package", "t.package || coalesce(' ' || t.version, '')",
	    IRK_RC_MONO },
	{ "Who", "t.who", IRK_RC_TEXT },
	{ "Command", "t.command", IRK_RC_MONO },
	{ "File", "t.path || ':' || t.line", IRK_RC_MONO },
	{ NULL, NULL, 0 },
};

static const struct irk_record_report report = {
	.id = "package-events",
	.nav = "Package log",
	.title = "Package installs behind a finding",
	.why = "behind a finding: network tools or compilers installed, "
	    "security packages downgraded",
	.cols = cols,
	.link = "SELECT 'package', action || ' ' || package, "
	    "coalesce(version, '') || coalesce('  by ' || who, '') || "
	    "coalesce('  ' || command, '') || '  (' || path || ':' || line || "
	    "')', time FROM package_events WHERE id = ?",
};

/* network tools and compilers: what an intruder installs to work */
#define TOOLS \
	"package GLOB 'nmap*' OR package GLOB 'netcat*' OR " \
	"package = 'ncat' OR package = 'socat' OR package = 'tcpdump' OR " \
	"package GLOB 'wireshark*' OR package = 'tshark' OR " \
	"package = 'hydra' OR package = 'masscan' OR " \
	"package GLOB 'proxychains*' OR package = 'tor' OR " \
	"package = 'sshpass' OR package = 'gcc' OR package GLOB 'gcc-[0-9]*' " \
	"OR package = 'g++' OR package GLOB 'g++-[0-9]*' OR " \
	"package GLOB 'clang*' OR package = 'build-essential' OR " \
	"package = 'tcc' OR package = 'nasm' OR package GLOB 'golang*' OR " \
	"package = 'rustc'"

/* packages an intruder may take back to a version with a hole: root
 * (sudo, polkit, the C library, the kernel, PAM, the login tools) or
 * remote access (OpenSSH, OpenSSL, xz's liblzma in sshd) */
#define SECURITY \
	"package = 'sudo' OR package GLOB 'openssh*' OR " \
	"package = 'openssl' OR package GLOB 'libssl*' OR " \
	"package GLOB 'polkit*' OR package = 'policykit-1' OR " \
	"package GLOB 'libpolkit*' OR package = 'libc6' OR " \
	"package = 'glibc' OR package GLOB 'linux-image*' OR " \
	"package = 'kernel' OR package GLOB 'kernel-core*' OR " \
	"package GLOB 'libpam*' OR package = 'pam' OR " \
	"package = 'login' OR package = 'passwd' OR " \
	"package = 'shadow-utils' OR package = 'xz-utils' OR " \
	"package GLOB 'liblzma*' OR package = 'xz-libs' OR " \
	"package = 'bash' OR package = 'systemd'"

static const struct irk_record_finding findings[] = {
	/* one install seen in several logs (dpkg.log, apt's history and
	 * term.log) is one finding: the earliest row of each package and
	 * version (SQLite takes the bare columns from min()'s row) */
	{ 30, "SELECT min(id) AS id, 'network tool or compiler installed: ' "
	    "|| package AS title, action || ' ' || package || coalesce(' ' || "
	    "version, '') || coalesce(' by ' || who, '') || coalesce(' (' || "
	    "command || ')', '') AS reason, time AS ts, path FROM "
	    "package_events WHERE evidence_id = ?1 AND action IN ('install', "
	    "'reinstall') AND (" TOOLS ") GROUP BY package, "
	    "coalesce(version, '')" },
	/* a downgrade (dpkg.log and term.log by Debian's version order,
	 * apt, dnf and yum as they say), one per package and version */
	{ 40, "SELECT min(id) AS id, 'security package downgraded: ' || "
	    "package AS title, 'downgrade ' || package || coalesce(' to ' || "
	    "version, '') || coalesce(' from ' || old_version, '') || "
	    "coalesce(' by ' || who, '') || coalesce(' (' || command || ')', "
	    "'') AS reason, time AS ts, path FROM package_events WHERE "
	    "evidence_id = ?1 AND action = 'downgrade' AND (" SECURITY ") "
	    "GROUP BY package, coalesce(version, '')" },
	{ 0, NULL },
};

static void
message(const struct irk_record_row *row, char *buf, size_t len)
{
	const char *action = irk_record_text(row, "action");
	const char *pkg = irk_record_text(row, "package");
	const char *ver = irk_record_text(row, "version");

	(void)snprintf(buf, len, "%s %s %s", action ? action : "?",
	    pkg ? pkg : "?", ver ? ver : "");
}

const struct irk_record_type irk_record_package_event = {
	.type = "package_event",
	.diff_volatile = "1",
	.table = "package_events",
	.doc = "a package installed, upgraded or removed, from a log",
	.fields = fields,
	.events = events,
	.ioc_name = "package",
	.ioc_label = "path || ':' || line",
	.ioc_time = "time",
	.identity = identity,
	.compare = compare,
	.unique = "line_hash",
	.not_stored = not_stored,
	.report = &report,
	.flagged = "a network tool or a compiler installed, a security "
	    "package downgraded",
	.category = "packages",
	.findings = findings,
	.message = message,
};
