/*
 * unitfile.h - pure parsers for systemd unit files (and the XDG
 * .desktop files that share their syntax): sections, Key=value lines,
 * comments, continuation lines; Exec= command lines split into argv
 * with systemd's quoting rules; specifier expansion (%n, %i, %h...).
 *
 * Nothing here touches a file system: text in, settings out, with a
 * diagnostic callback for every line that is skipped (with its number).
 */
#ifndef IRKIT_UNITFILE_H
#define IRKIT_UNITFILE_H

#include <stddef.h>
#include <jansson.h>

#include "irkit/buf.h"

/* systemd's LONG_LINE_MAX: longer lines are skipped with a diagnostic. */
#define IRK_UNIT_LINE_MAX	(1024 * 1024)

/* A list of strings we own. */
struct irk_strv {
	char **v;
	size_t n;
	size_t cap;
};

void irk_strv_release(struct irk_strv *s);
int irk_strv_add(struct irk_strv *sv, const char *s);
int irk_strv_has(const struct irk_strv *sv, const char *s);
void irk_strv_sort(struct irk_strv *sv);
/* The list as a JSON array of strings (bytes kept as irk_json_str does). */
json_t *irk_strv_json(const struct irk_strv *sv);

/* One assignment, in the order read. */
struct irk_unit_setting {
	char *section;
	char *key;
	char *value;		/* whitespace-trimmed, continuations joined */
	char *path;		/* the file it came from */
	unsigned line;		/* line number of its first line */
};

/* The settings of a fragment and its drop-ins, in application order. */
struct irk_unitfile {
	struct irk_unit_setting *v;
	size_t n;
	size_t cap;
};

typedef void (*irk_unitfile_diag_fn)(void *arg, const char *path,
    unsigned line, const char *msg);

/* Parse flags. */
#define IRK_UNITFILE_NOCONT	0x1	/* no "\" continuation (.desktop) */

/*
 * Append the assignments in text (len bytes, any bytes) to u.  Empty
 * lines and comments (# ;) are skipped; a line ending in an unescaped
 * backslash continues on the next one (comment lines inside are
 * ignored, as systemd does); CRLF is accepted; a UTF-8 BOM is skipped.
 * Lines over IRK_UNIT_LINE_MAX, with NUL bytes, outside a section, with
 * a bad section header or without "=" are skipped and reported through
 * diag (may be NULL).  Returns 0, or -1 out of memory.
 */
int irk_unitfile_parse(struct irk_unitfile *u, const char *text, size_t len,
    const char *path, unsigned flags, irk_unitfile_diag_fn diag, void *arg);
void irk_unitfile_release(struct irk_unitfile *u);

const char *irk_unitfile_get(const struct irk_unitfile *u, const char *section,
    const char *key);

/*
 * List-valued settings (ExecStart, WantedBy, Environment...): the index
 * of every assignment of section/key since the last empty one (the
 * reset rule).  Writes up to max indexes into idx, returns the count.
 */
size_t irk_unitfile_list(const struct irk_unitfile *u, const char *section,
    const char *key, size_t *idx, size_t max);

/* systemd's boolean words (1 yes y true t on / 0 no n false f off). */
int irk_unit_parse_bool(const char *s, int *out);

/* Exec= prefixes. */
#define IRK_EXEC_IGNORE_FAILURE	0x01	/* - */
#define IRK_EXEC_ARGV0		0x02	/* @ */
#define IRK_EXEC_NO_ENV		0x04	/* : */
#define IRK_EXEC_PRIVILEGED	0x08	/* + */
#define IRK_EXEC_NO_SETUID	0x10	/* ! */
#define IRK_EXEC_AMBIENT	0x20	/* !! */

/* One command of an Exec= line. */
struct irk_exec {
	unsigned flags;
	char *path;		/* the program executed */
	struct irk_strv argv;	/* argv[0] (path, or the @ name), args */
};

struct irk_execv {
	struct irk_exec *v;
	size_t n;
};

/*
 * Split the value of an Exec*= line into commands (";" separates, "\;"
 * is a literal ";") and words, with systemd's rules: prefixes @-:+!,
 * single and double quotes anywhere in a word, C escapes (\n \t \xNN
 * \NNN \uXXXX; unknown escapes kept).  Each word goes through spec (if
 * not NULL) for specifier expansion.  Returns 0, or -1 with a message
 * in errbuf on bad syntax (unterminated quote, prefix without command).
 */
struct irk_unit_spec;
int irk_exec_split(const char *value, const struct irk_unit_spec *spec,
    struct irk_execv *out, char *errbuf, size_t errlen);
void irk_execv_release(struct irk_execv *e);

/*
 * Specifier context (systemd.unit(5) "SPECIFIERS").  Any field may be
 * NULL: its specifier is then kept as written (nothing is invented).
 */
struct irk_unit_spec {
	const char *name;	/* %n, full unit name */
	const char *user;	/* %u */
	const char *uid;	/* %U */
	const char *group;	/* %g */
	const char *gid;	/* %G */
	const char *home;	/* %h */
	const char *shell;	/* %s */
	const char *hostname;	/* %H (%l: up to the first dot) */
	const char *machine_id;	/* %m */
	const char *boot_id;	/* %b */
	const char *os_id;	/* %o */
	const char *fragment;	/* %y (%Y: its directory) */
	int user_scope;		/* %t %S %C %L %E: system or XDG dirs */
	const char *runtime_dir;/* %t for user scope (/run/user/UID) */
};

/*
 * Expand specifiers of in into out (appended).  Returns 0, 1 when some
 * specifier could not be expanded (kept as written), -1 when out is full.
 */
int irk_unit_specifiers(const struct irk_unit_spec *spec, const char *in,
    struct irk_buf *out);

/*
 * Split a unit name: prefix (before "@" or the type suffix), instance
 * (between "@" and the suffix, NULL for none), suffix ("service").
 * Returns 0, -1 if name is not a valid unit name.
 */
struct irk_unit_name {
	char prefix[256];
	char instance[256];
	char type[32];
	int is_template;	/* foo@.service */
	int is_instance;	/* foo@bar.service */
};
int irk_unit_name_parse(const char *name, struct irk_unit_name *out);

/*
 * Split an XDG .desktop Exec= value (Desktop Entry Specification):
 * double quotes with \" \` \$ \\ escapes, field codes (%f %F %u %U %i
 * %c %k...) dropped, %% is %.  0, or -1 on bad syntax.
 */
int irk_desktop_exec_split(const char *value, struct irk_strv *argv);

#endif
