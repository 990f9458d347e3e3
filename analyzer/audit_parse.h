/*
 * audit_parse.h - one record (line) of a Linux audit log:
 *   type=SYSCALL msg=audit(1783414661.335:485): k=v k="v" ...
 *   [0x1d K="v" ...]   (the ENRICHED format's interpreted fields)
 * Pure: the header, then the fields one by one through a callback, the
 * fields of a nested msg='...' (user-space records) flattened in, hex
 * encoded values decoded (audit_parse.c says which).
 */
#ifndef IRKIT_AUDIT_PARSE_H
#define IRKIT_AUDIT_PARSE_H

#include <stddef.h>
#include <stdint.h>

#define IRK_AUDIT_VALUE_MAX	(64u << 10)

struct irk_audit_rec {
	char type[64];
	int64_t sec;
	int msec;
	uint64_t serial;
	const char *body;	/* the fields, after "): " */
	size_t bodylen;
};

/* The header; 0, or -1 when the line is not an audit record. */
int irk_audit_header(const char *line, size_t len, struct irk_audit_rec *r);

/*
 * Each field of the record's body: fn(arg, key, klen, value, vlen,
 * enriched) with the value unquoted and, for an encoded field, decoded
 * (into a buffer of IRK_AUDIT_VALUE_MAX; longer values are cut).
 * enriched: 1 after the 0x1d separator.
 */
void irk_audit_fields(const struct irk_audit_rec *r,
    void (*fn)(void *arg, const char *key, size_t klen, const char *val,
    size_t vlen, int enriched), void *arg);

/* 1 when a record of this type is an event by itself (user-space
 * messages: USER_*, CRED_*, ADD_USER, LOGIN...), 0 when it joins the
 * other records of its serial (SYSCALL, EXECVE, PATH, CWD...). */
int irk_audit_standalone(const char *type);

#endif
