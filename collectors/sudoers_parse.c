/*
 * sudoers_parse.c - sudoers(5) lines (sudoers_parse.h).  The grammar
 * kept: Defaults lines as text; the four alias kinds; user
 * specifications "users hosts = (runas) TAGS: command, ..."; the
 * include directives.  A second host list on one line ("... : host2 =
 * cmds") stays in the command's text.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "sudoers_parse.h"
#include "irkit/json.h"
#include "irkit/banned.h"

#define LIST_MAX	256

static const char *const alias_kinds[] = { "User_Alias", "Runas_Alias",
    "Host_Alias", "Cmnd_Alias", "Cmd_Alias", NULL };

static const char *const tag_names[] = { "NOPASSWD", "PASSWD", "NOEXEC",
    "EXEC", "SETENV", "NOSETENV", "LOG_INPUT", "NOLOG_INPUT", "LOG_OUTPUT",
    "NOLOG_OUTPUT", "MAIL", "NOMAIL", "FOLLOW", "NOFOLLOW", "INTERCEPT",
    "NOINTERCEPT", NULL };

static char *
trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		*--e = '\0';
	return s;
}

/* Cut a comment: '#' not escaped, not followed by a digit (a uid). */
static void
strip_comment(char *s)
{
	int quoted = 0;

	for (char *p = s; *p != '\0'; p++) {
		if (*p == '\\' && p[1] != '\0') {
			p++;
			continue;
		}
		if (*p == '"')
			quoted = !quoted;
		if (*p == '#' && !quoted && !isdigit((unsigned char)p[1]) &&
		    (p == s || p[-1] == ' ' || p[-1] == '\t' || p[-1] == ',')) {
			*p = '\0';
			return;
		}
	}
}

/* Split s at sep (outside quotes and parentheses, not escaped). */
static json_t *
split(char *s, char sep)
{
	json_t *a = json_array();
	char *start = s, *p;
	int depth = 0, quoted = 0;

	for (p = s;; p++) {
		if (*p == '\\' && p[1] != '\0') {
			p++;
			continue;
		}
		if (*p == '"')
			quoted = !quoted;
		else if (*p == '(' && !quoted)
			depth++;
		else if (*p == ')' && !quoted && depth > 0)
			depth--;
		if (*p != '\0' && (*p != sep || depth > 0 || quoted))
			continue;
		if (json_array_size(a) < LIST_MAX) {
			char end = *p;

			*p = '\0';
			if (*trim(start) != '\0')
				json_array_append_new(a, irk_json_str(trim(start)));
			*p = end;
		}
		if (*p == '\0')
			break;
		start = p + 1;
	}
	return a;
}

static int
word_is(const char *s, size_t n, const char *lit)
{
	return n == strlen(lit) && strncmp(s, lit, n) == 0;
}

static json_t *
include(char *rest, int dir)
{
	json_t *o = json_object();
	size_t n;

	rest = trim(rest);
	n = strlen(rest);
	if (n >= 2 && rest[0] == '"' && rest[n - 1] == '"') {
		rest[n - 1] = '\0';
		rest++;
	}
	if (*rest == '\0') {
		json_decref(o);
		return NULL;
	}
	irk_json_set_str(o, "kind", "include");
	irk_json_set_str(o, "path", rest);
	irk_json_set_int(o, "dir", dir);
	return o;
}

/* "NAME = a, b : NAME2 = c". */
static json_t *
aliases(const char *kind, char *rest)
{
	json_t *o = json_object(), *list = json_array(), *parts, *p;
	size_t i;

	irk_json_set_str(o, "kind", "alias");
	parts = split(rest, ':');
	json_array_foreach(parts, i, p) {
		char *def = strdup(json_string_value(p)), *eq;
		json_t *a;

		if (def == NULL || (eq = strchr(def, '=')) == NULL) {
			free(def);
			json_decref(parts);
			json_decref(list);
			json_decref(o);
			return NULL;
		}
		*eq = '\0';
		a = json_object();
		irk_json_set_str(a, "alias_type", kind);
		irk_json_set_str(a, "name", trim(def));
		json_object_set_new(a, "members", split(eq + 1, ','));
		json_array_append_new(list, a);
		free(def);
	}
	json_decref(parts);
	json_object_set_new(o, "aliases", list);
	return o;
}

/*
 * The users and hosts before '=': two lists, their items joined by
 * commas (spaces around a comma are not separators).
 */
static int
user_host(char *s, json_t *o)
{
	char *w = s, *r, *hosts;

	/* drop the blanks next to a comma */
	for (r = s; *r != '\0'; r++) {
		if (*r == ' ' || *r == '\t') {
			char *q = r;

			while (*q == ' ' || *q == '\t')
				q++;
			if ((w > s && w[-1] == ',') || *q == ',') {
				r = q - 1;
				continue;
			}
		}
		*w++ = *r;
	}
	*w = '\0';
	s = trim(s);
	hosts = s + strcspn(s, " \t");
	if (*hosts == '\0')
		return -1;
	*hosts++ = '\0';
	hosts = trim(hosts);
	if (*s == '\0' || *hosts == '\0' || strpbrk(hosts, " \t") != NULL)
		return -1;
	json_object_set_new(o, "users", split(s, ','));
	json_object_set_new(o, "hosts", split(hosts, ','));
	return 0;
}

/* A tag "NOPASSWD:" at p: its length with the colon, else 0. */
static size_t
tag_at(const char *p)
{
	for (int i = 0; tag_names[i] != NULL; i++) {
		size_t n = strlen(tag_names[i]);

		if (strncmp(p, tag_names[i], n) == 0 && p[n] == ':')
			return n + 1;
	}
	return 0;
}

/* An option "ROLE=x" ... at p: its length, else 0. */
static size_t
option_at(const char *p)
{
	static const char *const opts[] = { "ROLE=", "TYPE=", "CWD=",
	    "CHROOT=", "NOTBEFORE=", "NOTAFTER=", "TIMEOUT=",
	    "APPARMOR_PROFILE=", NULL };

	for (int i = 0; opts[i] != NULL; i++)
		if (strncmp(p, opts[i], strlen(opts[i])) == 0)
			return strcspn(p, " \t");
	return 0;
}

/*
 * What a command carries over to the next ones of its rule.  The runas
 * lists are replaced, never changed, so the commands share them; the
 * tags change, so the commands share a copy made when they last did
 * (a line of 256 commands is not 256 copies of its tags).  A tag given
 * again moves to the end: the list holds each of the 16 at most once,
 * in the order they were last given (the last of NOPASSWD and PASSWD
 * is the one that holds, as for sudo).
 */
struct cmnd_state {
	json_t *runas_users, *runas_groups, *tags;
	json_t *tags_copy;	/* tags as they are now, or NULL */
};

/* Remove name from tags, if there. */
static void
drop_tag(json_t *tags, const char *name)
{
	for (size_t i = 0; i < json_array_size(tags); i++)
		if (strcmp(json_string_value(json_array_get(tags, i)),
		    name) == 0) {
			json_array_remove(tags, i);
			return;
		}
}

static void
runas(struct cmnd_state *st, char *spec)
{
	char *colon = strchr(spec, ':');

	if (colon != NULL)
		*colon = '\0';
	json_decref(st->runas_users);
	json_decref(st->runas_groups);
	st->runas_users = split(spec, ',');
	st->runas_groups = colon != NULL ? split(colon + 1, ',') :
	    json_array();
}

static json_t *
command(struct cmnd_state *st, char *item)
{
	char *p = trim(item), *close;
	json_t *c = json_object();
	size_t n;

	if (*p == '(' && (close = strchr(p, ')')) != NULL) {
		*close = '\0';
		runas(st, p + 1);
		p = trim(close + 1);
	}
	for (;;) {
		if ((n = tag_at(p)) > 0) {
			json_t *t = irk_json_strn(p, n - 1);

			drop_tag(st->tags, json_string_value(t));
			json_array_append(st->tags, t);
			json_decref(st->tags_copy);
			st->tags_copy = NULL;
			json_decref(t);
		} else if ((n = option_at(p)) == 0)
			break;
		p = trim(p + n);
	}
	if (st->tags_copy == NULL)
		st->tags_copy = json_deep_copy(st->tags);
	json_object_set(c, "runas_users", st->runas_users);
	json_object_set(c, "runas_groups", st->runas_groups);
	json_object_set(c, "tags", st->tags_copy);
	irk_json_set_str(c, "command", p);
	return c;
}

static json_t *
rule(char *s)
{
	struct cmnd_state st = { json_array(), json_array(), json_array(),
	    NULL };
	json_t *o = json_object(), *items, *cmds, *it;
	char *eq = strchr(s, '=');
	size_t i;

	if (eq == NULL) {
		json_decref(o);
		o = NULL;
		goto out;
	}
	*eq = '\0';
	if (user_host(s, o) != 0) {
		json_decref(o);
		o = NULL;
		goto out;
	}
	irk_json_set_str(o, "kind", "rule");
	items = split(eq + 1, ',');
	cmds = json_array();
	json_array_foreach(items, i, it) {
		char *c = strdup(json_string_value(it));

		if (c != NULL)
			json_array_append_new(cmds, command(&st, c));
		free(c);
	}
	json_decref(items);
	json_object_set_new(o, "commands", cmds);
out:
	json_decref(st.runas_users);
	json_decref(st.runas_groups);
	json_decref(st.tags);
	json_decref(st.tags_copy);
	return o;
}

static json_t *
parse(char *s)
{
	size_t n;
	json_t *o;

	if (strncmp(s, "#include", 8) == 0 || strncmp(s, "@include", 8) == 0) {
		if (strncmp(s + 8, "dir", 3) == 0 && (s[11] == ' ' ||
		    s[11] == '\t'))
			return include(s + 11, 1);
		if (s[8] == ' ' || s[8] == '\t')
			return include(s + 8, 0);
	}
	strip_comment(s);
	s = trim(s);
	if (*s == '\0') {
		o = json_object();
		irk_json_set_str(o, "kind", "blank");
		return o;
	}
	n = strcspn(s, " \t");
	if (strncmp(s, "Defaults", 8) == 0 && (s[8] == '\0' || s[8] == ' ' ||
	    s[8] == '\t' || strchr(":@>!", s[8]) != NULL)) {
		o = json_object();
		irk_json_set_str(o, "kind", "defaults");
		json_object_set_new(o, "binding", irk_json_strn(s, n));
		irk_json_set_str(o, "settings", trim(s + n));
		return o;
	}
	for (int i = 0; alias_kinds[i] != NULL; i++)
		if (word_is(s, n, alias_kinds[i]))
			return aliases(alias_kinds[i], s + n);
	return rule(s);
}

json_t *
irk_sudoers_line(const char *line, size_t len)
{
	char *s;
	json_t *o;

	if (len > IRK_SUDOERS_LINE_MAX || (s = malloc(len + 1)) == NULL)
		return NULL;
	memcpy(s, line, len);
	s[len] = '\0';
	/* a NUL inside is not text */
	o = strlen(s) == len ? parse(s) : NULL;
	free(s);
	return o;
}
