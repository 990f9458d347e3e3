/*
 * account.c - an account of /etc/passwd with its /etc/shadow fields, or
 * one the backup /etc/passwd- holds and the file no longer does
 * (collectors/accounts.c).  No password hash: its scheme and state.
 */
#include <stdio.h>

#include "record.h"
#include "../db_util.h"
#include "irkit/banned.h"

static const struct irk_record_field fields[] = {
	{ "evidence_id", "INTEGER", IRK_RF_EVIDENCE, { NULL } },
	{ "host_id", "INTEGER", IRK_RF_HOST, { NULL } },
	{ "user", "TEXT", IRK_RF_TEXT, { "user" } },
	{ "uid", "INTEGER", IRK_RF_JSON, { "uid" } },
	{ "gid", "INTEGER", IRK_RF_JSON, { "gid" } },
	{ "gecos", "TEXT", IRK_RF_JSON, { "gecos" } },
	{ "home", "TEXT", IRK_RF_JSON, { "home" } },
	{ "shell", "TEXT", IRK_RF_JSON, { "shell" } },
	{ "password", "TEXT", IRK_RF_JSON, { "password" } },
	{ "password_scheme", "TEXT", IRK_RF_JSON, { "password_scheme" } },
	{ "locked", "INTEGER", IRK_RF_JSON, { "locked" } },
	{ "in_shadow", "INTEGER", IRK_RF_JSON, { "in_shadow" } },
	{ "last_change", "INTEGER", IRK_RF_TIME, { "last_change" } },
	{ "last_change_days", "INTEGER", IRK_RF_JSON,
	    { "last_change_days" } },
	{ "min_days", "INTEGER", IRK_RF_JSON, { "min_days" } },
	{ "max_days", "INTEGER", IRK_RF_JSON, { "max_days" } },
	{ "warn_days", "INTEGER", IRK_RF_JSON, { "warn_days" } },
	{ "inactive_days", "INTEGER", IRK_RF_JSON, { "inactive_days" } },
	{ "expire", "INTEGER", IRK_RF_TIME, { "expire" } },
	{ "expire_days", "INTEGER", IRK_RF_JSON, { "expire_days" } },
	{ "source", "TEXT", IRK_RF_JSON, { "source" } },
	{ "line", "INTEGER", IRK_RF_JSON, { "line" } },
	{ "deleted", "INTEGER", IRK_RF_JSON, { "deleted" } },
	{ "record", "TEXT", IRK_RF_RECORD, { NULL } },
	{ NULL, NULL, 0, { NULL } },
};

static const struct irk_record_event events[] = {
	{ "last_change", "Password Change", NULL, "ACCOUNT", "source" },
	{ "expire", "Account Expiry", NULL, "ACCOUNT", "source" },
	{ NULL, NULL, NULL, NULL, NULL },
};

/* an account name is unique on a host; a deleted one is another row */
static const char *const identity[] = { "user", "deleted", NULL };
static const char *const compare[] = { "uid", "gid", "home", "shell",
    "password", "password_scheme", "locked", "last_change", "expire",
    NULL };
static const char *const not_stored[] = { "type", NULL };

static const struct irk_record_report_col cols[] = {
	{ "User", "t.user", IRK_RC_MONO },
	{ "UID", "t.uid", IRK_RC_NUM },
	{ "GID", "t.gid", IRK_RC_NUM },
	{ "Home", "t.home", IRK_RC_MONO },
	{ "Shell", "t.shell", IRK_RC_MONO },
	{ "Password", "t.password || coalesce(' ' || t.password_scheme, '')",
	    IRK_RC_SHORT },
	{ "Changed", "t.last_change", IRK_RC_TIME },
	{ "Expires", "t.expire", IRK_RC_TIME },
	{ "Deleted", "t.deleted", IRK_RC_FLAG },
	{ NULL, NULL, 0 },
};

/* accounts that can log in: a shell that is not nologin or false */
#define LOGIN_SHELL "t.shell NOT GLOB '*nologin' AND t.shell NOT GLOB " \
	"'*/false' AND t.shell <> ''"

static const struct irk_record_report report = {
	.id = "accounts",
	.nav = "Accounts",
	.title = "Accounts",
	.why = "behind a finding, with UID 0, that can log in with a "
	    "password, or deleted since the backup",
	.flag = "t.uid = 0 OR t.deleted OR (t.password IN ('set', 'empty') "
	    "AND " LOGIN_SHELL ")",
	.cols = cols,
	.link = "SELECT 'account', user, 'uid ' || uid || ', ' || "
	    "coalesce(shell, '') || ', password ' || coalesce(password, '?'), "
	    "last_change FROM accounts WHERE id = ?",
};

/* 30 days before the collection, in microseconds */
#define WINDOW "(SELECT collected_start - 30 * 86400000000 FROM evidence " \
	"WHERE id = ?1)"

static const struct irk_record_finding findings[] = {
	{ 60, "SELECT id, 'UID 0 account ' || quote(user) AS title, 'a second "
	    "account with UID 0: ' || quote(user) AS reason, NULL AS ts, "
	    "source AS path FROM accounts WHERE "
	    "evidence_id = ?1 AND uid = 0 AND user <> 'root' AND NOT deleted" },
	{ 50, "SELECT id, 'Account ' || quote(user) || ' without a password' "
	    "AS title, 'an empty password field: login needs no password' AS "
	    "reason, NULL AS ts, source AS path FROM accounts WHERE evidence_id = ?1 AND password = "
	    "'empty' AND NOT deleted" },
	{ 20, "SELECT id, 'Account ' || quote(user) || ' new or its password "
	    "changed' AS title, 'password set within 30 days before the "
	    "collection (a new account, or a changed password)' AS reason, "
	    "last_change AS ts, source AS path FROM accounts WHERE evidence_id = ?1 AND NOT deleted AND "
	    "last_change >= " WINDOW },
	{ 0, NULL },
};

static void
message(const struct irk_record_row *row, char *buf, size_t len)
{
	const char *user = irk_j_str(row->rec, "user");

	(void)snprintf(buf, len, "account %s (uid %lld)", user ? user : "?",
	    (long long)irk_j_int(row->rec, "uid", -1));
}

const struct irk_record_type irk_record_account = {
	.type = "account",
	.baseline_score = 60,
	.table = "accounts",
	.doc = "an account (passwd with its shadow fields)",
	.fields = fields,
	.events = events,
	.ioc_name = "user",
	.ioc_label = "user",
	.identity = identity,
	.compare = compare,
	.not_stored = not_stored,
	.report = &report,
	.flagged = "UID 0, a password login, or deleted since the backup (the "
	    "report)",
	.category = "account",
	.findings = findings,
	.count_label = "accounts",
	.message = message,
};
