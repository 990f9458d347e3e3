/*
 * test_win_event.c - the EVTX record XML reader (analyzer/evtx_xml.c),
 * the table of the events irkit names (analyzer/records/
 * win_event_desc.c) and docs/windows-events.md listing every entry of
 * it with its fields.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>

#include "evtx.h"
#include "records/win_event.h"

#define NS "xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\""

static const char sys_part[] =
    "<System><Provider Name=\"Microsoft-Windows-Eventlog\" Guid=\"{fc65}\"/>"
    "<EventID Qualifiers=\"16384\">104</EventID><Level>4</Level>"
    "<TimeCreated SystemTime=\"2020-12-13T10:11:12.345678900Z\"/>"
    "<EventRecordID>77</EventRecordID><Channel>System</Channel>"
    "<Computer>SRV01.corp.local</Computer>"
    "<Security UserID=\"S-1-5-21-1-2-3-500\"/></System>";

static json_t *
parse(const char *xml)
{
	json_t *rec = json_object();

	if (irk_evtx_xml(xml, strlen(xml), rec) != 0) {
		json_decref(rec);
		return NULL;
	}
	return rec;
}

static void
test_xml_userdata(void **state)
{
	char xml[2048];
	json_t *rec, *data;

	(void)state;
	snprintf(xml, sizeof(xml), "<Event %s>%s<UserData><LogFileCleared "
	    "xmlns=\"x\"><SubjectUserName>eve</SubjectUserName><Channel>"
	    "System</Channel><Deep><BackupPath>C:\\b.evtx</BackupPath></Deep>"
	    "</LogFileCleared></UserData></Event>", NS, sys_part);
	assert_non_null(rec = parse(xml));
	assert_string_equal(json_string_value(json_object_get(rec, "provider")),
	    "Microsoft-Windows-Eventlog");
	assert_int_equal(json_integer_value(json_object_get(rec, "event_id")),
	    104);
	assert_int_equal(json_integer_value(json_object_get(rec, "record_id")),
	    77);
	assert_int_equal(json_integer_value(json_object_get(rec, "ts")),
	    1607854272345678LL);
	assert_string_equal(json_string_value(json_object_get(rec, "channel")),
	    "System");
	assert_string_equal(json_string_value(json_object_get(rec, "user_sid")),
	    "S-1-5-21-1-2-3-500");
	data = json_object_get(rec, "data");
	assert_string_equal(json_string_value(json_object_get(data,
	    "SubjectUserName")), "eve");
	assert_string_equal(json_string_value(json_object_get(data,
	    "BackupPath")), "C:\\b.evtx");
	json_decref(rec);
}

static void
test_xml_eventdata_names(void **state)
{
	char xml[2048];
	json_t *rec, *data;

	(void)state;
	snprintf(xml, sizeof(xml), "<Event %s>%s<EventData>"
	    "<Data Name=\"A\">1</Data><Data>x</Data><Data Name=\"A\">2</Data>"
	    "<Data>y &amp; z</Data><Data Name=\"E\"/><Binary>00FF</Binary>"
	    "</EventData></Event>", NS, sys_part);
	assert_non_null(rec = parse(xml));
	data = json_object_get(rec, "data");
	assert_string_equal(json_string_value(json_object_get(data, "A")), "1");
	assert_string_equal(json_string_value(json_object_get(data, "A#2")),
	    "2");
	assert_string_equal(json_string_value(json_object_get(data, "Data1")),
	    "x");
	assert_string_equal(json_string_value(json_object_get(data, "Data2")),
	    "y & z");
	assert_string_equal(json_string_value(json_object_get(data, "E")), "");
	assert_string_equal(json_string_value(json_object_get(data, "Binary")),
	    "00FF");
	json_decref(rec);
}

static void
test_xml_refused(void **state)
{
	(void)state;
	assert_null(parse("<Event><System>"));
	assert_null(parse("<Task/>"));
	assert_null(parse("<Event " NS "><EventData/></Event>"));
	assert_null(parse(""));
}

/* keyed on provider or channel with the id: never the id alone */
static void
test_desc_keys(void **state)
{
	const struct irk_win_event_desc *d;

	(void)state;
	d = irk_win_event_desc("Microsoft-Windows-Security-Auditing",
	    "Security", 4624);
	assert_non_null(d);
	assert_string_equal(d->what, "an account logged on");
	assert_null(irk_win_event_desc("Some-Other-Provider", "Application",
	    4624));
	assert_null(irk_win_event_desc(NULL, NULL, 4624));
	d = irk_win_event_desc("Microsoft-Windows-TaskScheduler",
	    "Microsoft-Windows-TaskScheduler/Operational", 106);
	assert_non_null(d);
	/* 1102 and 104: the Eventlog provider's, not another's */
	assert_non_null(irk_win_event_desc("Microsoft-Windows-Eventlog",
	    "Security", 1102));
	assert_null(irk_win_event_desc("Microsoft-Windows-Kernel-General",
	    "System", 104));
	/* Sysmon's 1 is not any provider's 1 */
	assert_null(irk_win_event_desc("Microsoft-Windows-Kernel-General",
	    "System", 1));
}

static char *
slurp(const char *path)
{
	FILE *fp = fopen(path, "r");
	char *b;
	long n;

	if (fp == NULL)
		return NULL;
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	b = calloc(1, (size_t)n + 1);
	if (b != NULL && fread(b, 1, (size_t)n, fp) != (size_t)n) {
		free(b);
		b = NULL;
	}
	fclose(fp);
	return b;
}

/* docs/windows-events.md: a row per entry naming each of its fields */
static void
test_docs_list_every_event(void **state)
{
	char *doc = slurp(IRK_TEST_SRC "/docs/windows-events.md");
	int n = 0;

	(void)state;
	assert_non_null(doc);
	for (const struct irk_win_event_desc *d = irk_win_event_descs;
	    d->key != NULL; d++, n++) {
		char head[256], field[96];
		const char *row, *end, *f;

		snprintf(head, sizeof(head), "\n| `%s` | %d | %s |", d->key,
		    d->id, d->what);
		if ((row = strstr(doc, head)) == NULL)
			fail_msg("docs/windows-events.md: no row '%s'", head + 1);
		end = strchr(row + 1, '\n');
		for (f = d->fields; *f != '\0';) {
			size_t k = strcspn(f, ",");

			snprintf(field, sizeof(field), "`%.*s`", (int)k, f);
			if (strstr(row, field) == NULL ||
			    strstr(row, field) > end)
				fail_msg("docs/windows-events.md: %s %d lacks %s",
				    d->key, d->id, field);
			f += k + (f[k] == ',');
		}
	}
	assert_true(n >= 69);
	free(doc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_xml_userdata),
		cmocka_unit_test(test_xml_eventdata_names),
		cmocka_unit_test(test_xml_refused),
		cmocka_unit_test(test_desc_keys),
		cmocka_unit_test(test_docs_list_every_event),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
