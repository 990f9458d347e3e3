/*
 * preload.c - what makes code load into programs or the kernel, or
 * hides it (collectors/preload.c): an ld.so.preload entry, a loader
 * variable in a process environment, an ld.so.conf folder, a module
 * hidden from /proc/modules, a modprobe hook, a PAM module.
 */
#include <stdio.h>

#include "record.h"
#include "irkit/banned.h"

static const struct irk_record_field fields[] = {
	{ "evidence_id", "INTEGER", IRK_RF_EVIDENCE, { NULL } },
	{ "host_id", "INTEGER", IRK_RF_HOST, { NULL } },
	{ "kind", "TEXT", IRK_RF_TEXT, { "kind" } },
	{ "source", "TEXT", IRK_RF_TEXT, { "source" } },
	{ "line", "INTEGER", IRK_RF_JSON, { "line" } },
	{ "name", "TEXT", IRK_RF_JSON, { "name" } },
	{ "value", "TEXT", IRK_RF_TEXT, { "value" } },
	{ "path", "TEXT", IRK_RF_TEXT, { "path" } },
	{ "present", "INTEGER", IRK_RF_JSON, { "exists" } },
	{ "sha256", "TEXT", IRK_RF_JSON, { "sha256" } },
	{ "outside", "INTEGER", IRK_RF_JSON, { "outside" } },
	{ "module", "TEXT", IRK_RF_JSON, { "module" } },
	{ "program", "TEXT", IRK_RF_TEXT, { "program" } },
	{ "pid", "INTEGER", IRK_RF_JSON, { "pid" } },
	{ "process", "TEXT", IRK_RF_JSON, { "process" } },
	{ "record", "TEXT", IRK_RF_RECORD, { NULL } },
	{ NULL, NULL, 0, { NULL } },
};

/* none of them has a time of its own (the files' are in files) */
static const struct irk_record_event events[] = {
	{ NULL, NULL, NULL, NULL, NULL },
};

/* not the line: an entry added above moves the others (diff) */
static const char *const identity[] = { "kind", "source", "name", "value",
    NULL };
static const char *const compare[] = { "path", "present", "sha256",
    "outside", "program", NULL };
static const char *const not_stored[] = { "type", NULL };

static const struct irk_record_report_col cols[] = {
	{ "Kind", "t.kind", IRK_RC_SHORT },
	{ "Name", "t.name", IRK_RC_MONO },
	{ "Value", "t.value", IRK_RC_MONO },
	{ "Where", "t.source || coalesce(':' || t.line, '')", IRK_RC_MONO },
	{ "Process", "t.process || coalesce(' ' || t.pid, '')", IRK_RC_TEXT },
	{ NULL, NULL, 0 },
};

static const struct irk_record_report report = {
	.id = "preload",
	.nav = "Preload",
	.title = "What preloads or hides",
	.why = "behind a finding: ld.so.preload, LD_PRELOAD, a hidden "
	    "module, a modprobe hook, a PAM module outside the system's "
	    "folders",
	.cols = cols,
	.link = "SELECT kind, coalesce(name || ' ', '') || coalesce(value, "
	    "''), source || coalesce(':' || line, ''), NULL FROM preloads "
	    "WHERE id = ?",
};

static const struct irk_record_finding findings[] = {
	{ 60, "SELECT id, 'ld.so.preload loads ' || value AS title, "
	    "'every program loads ' || value || ' (/etc/ld.so.preload line ' "
	    "|| line || CASE WHEN present THEN ', sha256 ' || coalesce(sha256, "
	    "'?') ELSE ', not in the root' END || ')' AS reason, NULL AS ts, "
	    "path FROM preloads WHERE evidence_id = ?1 AND "
	    "kind = 'ld.so.preload'" },
	{ 40, "SELECT id, 'LD_PRELOAD in process ' || coalesce(process, '?') "
	    "|| ' (' || pid || ')' AS title, 'its environment preloads ' || "
	    "value AS reason, NULL AS ts, source AS path FROM preloads WHERE "
	    "evidence_id = ?1 AND kind = 'environ' AND name = 'LD_PRELOAD' "
	    "AND value != ''" },
	{ 70, "SELECT id, 'kernel module ' || name || ' hidden' AS title, "
	    "'in /sys/module (initstate ' || value || ') but not in "
	    "/proc/modules' AS reason, NULL AS ts, source AS path FROM "
	    "preloads WHERE evidence_id = ?1 AND kind = 'hidden_module'" },
	{ 40, "SELECT id, 'modprobe ' || name || ' hook for ' || module AS "
	    "title, 'loading ' || module || ' runs ' || value AS reason, "
	    "NULL AS ts, source AS path FROM preloads WHERE "
	    "evidence_id = ?1 AND kind = 'modprobe' AND "
	    "(program NOT IN ('modprobe', '/sbin/modprobe', "
	    "'/usr/sbin/modprobe', '/bin/modprobe', '/usr/bin/modprobe', "
	    "'true', '/bin/true', '/usr/bin/true', 'false', '/bin/false', "
	    "'/usr/bin/false') OR value GLOB '*[;&|`]*' OR "
	    "value GLOB '*$(*')" },
	{ 60, "SELECT id, 'PAM module outside the system folders: ' || value "
	    "AS title, source || ' line ' || line || ' loads ' || "
	    "coalesce(path, value) || ' into every ' || name || ' of the "
	    "service' AS reason, NULL AS ts, coalesce(path, value) AS path "
	    "FROM preloads WHERE evidence_id = ?1 AND kind = 'pam' AND "
	    "outside" },
	{ 0, NULL },
};

const struct irk_record_type irk_record_preload = {
	.type = "preload",
	.baseline_score = 70,
	.table = "preloads",
	.doc = "what makes code load into programs or the kernel, or hides it",
	.fields = fields,
	.events = events,
	.ioc_name = "path",
	.ioc_text = "value",
	.ioc_label = "kind || ' ' || coalesce(value, '')",
	.identity = identity,
	.compare = compare,
	.not_stored = not_stored,
	.report = &report,
	.flagged = "a non-empty ld.so.preload, LD_PRELOAD in a process, a "
	    "module hidden from /proc/modules, a modprobe hook running "
	    "another program, a PAM module outside the system's folders",
	.category = "preload",
	.findings = findings,
};
