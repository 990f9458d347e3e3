/*
 * win_event.c - a record of a Windows event log (analyzer/evtx.c):
 * its channel, provider and ids, TimeCreated, and the EventData or
 * UserData names and values (docs/windows-events.md).
 */
#include <stdio.h>
#include <string.h>

#include "record.h"
#include "win_event.h"
#include "../db_util.h"
#include "irkit/banned.h"

static const struct irk_record_field fields[] = {
	{ "evidence_id", "INTEGER", IRK_RF_EVIDENCE, { NULL } },
	{ "host_id", "INTEGER", IRK_RF_HOST, { NULL } },
	{ "path", "TEXT", IRK_RF_TEXT, { "path" } },
	{ "channel", "TEXT", IRK_RF_TEXT, { "channel" } },
	{ "provider", "TEXT", IRK_RF_TEXT, { "provider" } },
	{ "event_id", "INTEGER", IRK_RF_JSON, { "event_id" } },
	{ "record_id", "INTEGER", IRK_RF_JSON, { "record_id" } },
	{ "ts", "INTEGER", IRK_RF_TIME, { "ts" } },
	{ "computer", "TEXT", IRK_RF_TEXT, { "computer" } },
	{ "user_sid", "TEXT", IRK_RF_TEXT, { "user_sid" } },
	{ "level", "INTEGER", IRK_RF_JSON, { "level" } },
	{ "data", "TEXT", IRK_RF_JSON, { "data" } },
	{ "recovered", "INTEGER", IRK_RF_JSON, { "recovered" } },
	{ NULL, NULL, 0, { NULL } },
};

static const struct irk_record_event events[] = {
	{ "ts", "Event Recorded", NULL, "EVTX", "path" },
	{ NULL, NULL, NULL, NULL, NULL },
};

/* the same record of the same log of the same computer */
static const char *const identity[] = { "computer", "channel", "record_id",
    NULL };
static const char *const compare[] = { "event_id", "provider", "ts",
    "data", NULL };
static const char *const not_stored[] = { "type", NULL };

/* " name=value" for each of the comma-separated names present in data. */
static void
key_fields(const json_t *data, const char *names, char *buf, size_t len)
{
	size_t k = strlen(buf);

	while (names != NULL && *names != '\0' && k + 1 < len) {
		size_t n = strcspn(names, ",");
		char name[64];
		const char *v;

		(void)snprintf(name, sizeof(name), "%.*s", (int)n, names);
		names += n + (names[n] == ',');
		v = json_string_value(json_object_get(data, name));
		if (v == NULL || v[0] == '\0' || strcmp(v, "-") == 0)
			continue;
		k += (size_t)snprintf(buf + k, len - k, " %s=%s", name, v);
	}
}

/* "Security 4624 an account logged on: LogonType=3 ..." */
static void
message(const struct irk_record_row *row, char *buf, size_t len)
{
	const char *provider = irk_record_text(row, "provider");
	const char *channel = irk_record_text(row, "channel");
	int id = (int)irk_j_int(row->rec, "event_id", -1);
	const struct irk_win_event_desc *d = irk_win_event_desc(provider,
	    channel, id);

	if (d == NULL) {
		(void)snprintf(buf, len, "%s %d (%s)", channel ? channel : "?",
		    id, provider ? provider : "?");
		return;
	}
	(void)snprintf(buf, len, "%s %d %s:", channel ? channel : "?", id,
	    d->what);
	key_fields(json_object_get(row->rec, "data"), d->fields, buf, len);
}

const struct irk_record_type irk_record_win_event = {
	.type = "win_event",
	/* activity, not state: new records are no change (diff) */
	.diff_volatile = "1",
	.table = "win_events",
	.count_label = "event log records",
	.doc = "a record of a Windows event log (EVTX)",
	.fields = fields,
	.events = events,
	.identity = identity,
	.compare = compare,
	.not_stored = not_stored,
	.message = message,
	.once = 1,
};
