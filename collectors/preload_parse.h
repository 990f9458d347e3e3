/*
 * preload_parse.h - the line formats the preload collector reads, as
 * pure parsers (no I/O: unit tested and fuzzed by
 * tests/fuzz/fuzz_preload.c): /etc/ld.so.preload, ld.so.conf, modprobe.d
 * install/remove hooks, /etc/pam.d lines, a process environment.
 * Spans point into the caller's line; nothing is allocated.
 */
#ifndef IRKIT_PRELOAD_PARSE_H
#define IRKIT_PRELOAD_PARSE_H

#include <stddef.h>

struct irk_span {
	const char *s;
	size_t len;
};

/*
 * The next entry of ld.so.preload at *pos (as ld.so splits it: spaces,
 * tabs, newlines and colons); 1 with the entry, 0 at the end.
 */
int irk_preload_next(const char *text, size_t len, size_t *pos,
    struct irk_span *entry);

/* An ld.so.conf line: a folder, an include pattern, or nothing. */
enum { IRK_LDCONF_NONE, IRK_LDCONF_DIR, IRK_LDCONF_INCLUDE };
int irk_ldconf_line(const char *line, size_t len, struct irk_span *value);

/* A modprobe.d line "install|remove MODULE COMMAND..." (0: not one). */
struct irk_modprobe_hook {
	struct irk_span verb;		/* "install" or "remove" */
	struct irk_span module;
	struct irk_span command;	/* the rest of the line */
	struct irk_span program;	/* its first word */
};
int irk_modprobe_line(const char *line, size_t len,
    struct irk_modprobe_hook *out);

/* A /etc/pam.d line naming a module (0: a comment, @include, bad). */
struct irk_pam_line {
	struct irk_span type;		/* "auth", "-session"... */
	struct irk_span control;	/* "required", "[success=1 ...]" */
	struct irk_span module;		/* "pam_unix.so", "/opt/x.so" */
};
int irk_pam_line(const char *line, size_t len, struct irk_pam_line *out);

/* 1 when path is a file of a system PAM folder: /lib*\/security,
 * /usr/lib*\/security, and their multiarch folders /lib/TRIPLET/security. */
int irk_pam_system_path(const char *path);

/*
 * The value of variable name in a NUL-separated environment (the first
 * when it is set twice, as getenv sees it); 1 when set.
 */
int irk_environ_get(const char *env, size_t len, const char *name,
    struct irk_span *value);

#endif
