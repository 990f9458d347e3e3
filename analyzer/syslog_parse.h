/*
 * syslog_parse.h - one line of a syslog file: traditional ("Mmm dd
 * hh:mm:ss host tag[pid]: message", BSD and rsyslog's file format),
 * RFC 3339 high-precision (rsyslog's default on newer systems) and
 * RFC 5424; an optional "<PRI>" first.  Pure: spans into the line, no
 * allocation, no time zone (the caller converts: docs/logs.md).
 */
#ifndef IRKIT_SYSLOG_PARSE_H
#define IRKIT_SYSLOG_PARSE_H

#include <stddef.h>
#include <stdint.h>

enum irk_syslog_form {
	IRK_SYSLOG_NONE,	/* no timestamp: a continuation line */
	IRK_SYSLOG_TRAD,	/* no year, no zone */
	IRK_SYSLOG_RFC3339,	/* year; offset when has_off */
	IRK_SYSLOG_RFC5424,
};

#include "span.h"

struct irk_syslog {
	enum irk_syslog_form form;
	int pri;			/* -1: none */
	int year;			/* 0: none (traditional) */
	int mon, mday, hour, min, sec;
	int usec;
	int has_off;
	int32_t off;			/* seconds east of UTC */
	struct irk_span host, prog, msgid, sdata, msg;
	int64_t pid;			/* -1: none */
};

/* Parse line (n bytes, any bytes); the form is NONE when no time. */
void irk_syslog_parse(const char *line, size_t n, struct irk_syslog *out);

#endif
