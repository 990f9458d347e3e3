/*
 * evtx_xml.c - the XML libevtx gives for one event record into the
 * fields of a "win_event" record (evtx.h): System's Provider Name,
 * EventID, TimeCreated, EventRecordID, Channel, Computer, Security
 * UserID, Level; EventData's Data elements (by their Name; unnamed ones
 * Data1, Data2...; other elements by their own name) or UserData's leaf
 * elements, into the "data" object.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "evtx.h"
#include "xml_util.h"
#include "irkit/json.h"
#include "irkit/parse.h"
#include "irkit/timeutil.h"
#include "irkit/banned.h"

#define DATA_MAX	512	/* names kept per record */
#define VALUE_MAX	(64U << 10)
#define USERDATA_DEPTH	6

static int
has_elements(const xmlNode *n)
{
	for (n = n->children; n != NULL; n = n->next)
		if (n->type == XML_ELEMENT_NODE)
			return 1;
	return 0;
}

/* The text of n (bounded) as a JSON string; "" when empty. */
static json_t *
text_of(const xmlNode *n)
{
	xmlChar *t = xmlNodeGetContent(n);
	json_t *v;
	size_t len;

	if (t == NULL)
		return json_string("");
	len = strlen((const char *)t);
	v = irk_json_strn((const char *)t, len > VALUE_MAX ? VALUE_MAX : len);
	xmlFree(t);
	return v;
}

static void
set_text(json_t *rec, const char *key, const xmlNode *n)
{
	if (n != NULL)
		json_object_set_new(rec, key, text_of(n));
}

static void
set_attr(json_t *rec, const char *key, const xmlNode *n, const char *attr)
{
	xmlChar *v;

	if (n == NULL || (v = xmlGetProp(n, (const xmlChar *)attr)) == NULL)
		return;
	irk_json_set_str(rec, key, (const char *)v);
	xmlFree(v);
}

static void
set_num(json_t *rec, const char *key, const xmlNode *n)
{
	xmlChar *t;
	int64_t v;

	if (n == NULL || (t = xmlNodeGetContent(n)) == NULL)
		return;
	if (irk_parse_i64((const char *)t, 10, 0, INT64_MAX, &v) == 0)
		irk_json_set_int(rec, key, v);
	xmlFree(t);
}

/* data[name] = value; a name seen before gets "#2", "#3"... */
static void
add_value(json_t *data, const char *name, json_t *v)
{
	char key[300];

	if (json_object_size(data) >= DATA_MAX) {
		json_decref(v);
		return;
	}
	snprintf(key, sizeof(key), "%s", name);
	for (int i = 2; json_object_get(data, key) != NULL && i < DATA_MAX;
	    i++)
		snprintf(key, sizeof(key), "%s#%d", name, i);
	json_object_set_new(data, key, v);
}

static void
event_data(json_t *data, const xmlNode *ed)
{
	int unnamed = 0;

	for (const xmlNode *n = ed->children; n != NULL; n = n->next) {
		xmlChar *name;
		char key[32];

		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (!irk_xml_is(n, "Data")) {
			add_value(data, (const char *)n->name, text_of(n));
			continue;
		}
		name = xmlGetProp(n, (const xmlChar *)"Name");
		if (name != NULL && name[0] != '\0') {
			add_value(data, (const char *)name, text_of(n));
		} else {
			snprintf(key, sizeof(key), "Data%d", ++unnamed);
			add_value(data, key, text_of(n));
		}
		xmlFree(name);
	}
}

/* The leaf elements under n, by their names. */
static void
user_data(json_t *data, const xmlNode *n, int depth)
{
	for (n = n->children; n != NULL; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (has_elements(n)) {
			if (depth < USERDATA_DEPTH)
				user_data(data, n, depth + 1);
		} else
			add_value(data, (const char *)n->name, text_of(n));
	}
}

/* TimeCreated's SystemTime ("2015-08-08T02:06:17.078125000Z"): us. */
static void
set_time(json_t *rec, const xmlNode *tc)
{
	xmlChar *v;
	int64_t us;

	if (tc == NULL || json_is_integer(json_object_get(rec, "ts")) ||
	    (v = xmlGetProp(tc, (const xmlChar *)"SystemTime")) == NULL)
		return;
	if (irk_time_parse((const char *)v, &us) == 0)
		irk_json_set_int(rec, "ts", us);
	xmlFree(v);
}

static void
system_fields(json_t *rec, const xmlNode *sys)
{
	const xmlNode *sec = irk_xml_child(sys, "Security");

	set_attr(rec, "provider", irk_xml_child(sys, "Provider"), "Name");
	if (!json_is_string(json_object_get(rec, "provider")))
		set_attr(rec, "provider", irk_xml_child(sys, "Provider"),
		    "EventSourceName");
	set_num(rec, "event_id", irk_xml_child(sys, "EventID"));
	set_num(rec, "record_id", irk_xml_child(sys, "EventRecordID"));
	set_num(rec, "level", irk_xml_child(sys, "Level"));
	set_text(rec, "channel", irk_xml_child(sys, "Channel"));
	set_text(rec, "computer", irk_xml_child(sys, "Computer"));
	if (sec != NULL && !json_is_string(json_object_get(rec, "user_sid")))
		set_attr(rec, "user_sid", sec, "UserID");
	set_time(rec, irk_xml_child(sys, "TimeCreated"));
}

int
irk_evtx_xml(const char *xml, size_t len, json_t *rec)
{
	xmlDoc *doc;
	const xmlNode *root, *sys, *n;
	json_t *data;

	if (len == 0 || len > IRK_EVTX_XML_MAX)
		return -1;
	doc = xmlReadMemory(xml, (int)len, NULL, "UTF-8", XML_PARSE_NONET |
	    XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOBLANKS);
	if (doc == NULL) {
		xmlResetLastError();
		return -1;
	}
	root = xmlDocGetRootElement(doc);
	if (!irk_xml_is(root, "Event") ||
	    (sys = irk_xml_child(root, "System")) == NULL) {
		xmlFreeDoc(doc);
		return -1;
	}
	system_fields(rec, sys);
	data = json_object();
	if ((n = irk_xml_child(root, "EventData")) != NULL)
		event_data(data, n);
	else if ((n = irk_xml_child(root, "UserData")) != NULL)
		user_data(data, n, 0);
	json_object_set_new(rec, "data", data);
	xmlFreeDoc(doc);
	return 0;
}
