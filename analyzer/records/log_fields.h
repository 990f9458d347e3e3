/*
 * log_fields.h - the fields every record made from a log line starts
 * with (log_line, package_event): where it was read and its time, with
 * how the time was had (docs/logs.md, "Times").
 */
#ifndef IRKIT_LOG_FIELDS_H
#define IRKIT_LOG_FIELDS_H

#define IRK_LOG_FIELDS \
	{ "evidence_id", "INTEGER", IRK_RF_EVIDENCE, { NULL } }, \
	{ "host_id", "INTEGER", IRK_RF_HOST, { NULL } }, \
	{ "path", "TEXT", IRK_RF_TEXT, { "path" } }, \
	{ "log", "TEXT", IRK_RF_TEXT, { "log" } }, \
	{ "rotation", "INTEGER", IRK_RF_JSON, { "rotation" } }, \
	{ "line", "INTEGER", IRK_RF_JSON, { "line" } }, \
	{ "offset", "INTEGER", IRK_RF_JSON, { "offset" } }, \
	{ "time", "INTEGER", IRK_RF_TIME, { "time" } }, \
	{ "ts_how", "TEXT", IRK_RF_TEXT, { "ts_how" } }, \
	{ "tz", "TEXT", IRK_RF_TEXT, { "tz" } }, \
	{ "ts_note", "TEXT", IRK_RF_TEXT, { "ts_note" } }

#endif
