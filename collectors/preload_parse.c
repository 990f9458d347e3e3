/*
 * preload_parse.c - ld.so.preload, ld.so.conf, modprobe.d, pam.d and
 * environment parsing for the preload collector (see preload_parse.h).
 */
#include <string.h>

#include "preload_parse.h"
#include "irkit/banned.h"

static int
blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* The next word of line at *i (blanks skipped); 0 at the end. */
static int
word(const char *line, size_t len, size_t *i, struct irk_span *w)
{
	while (*i < len && blank(line[*i]))
		(*i)++;
	if (*i >= len)
		return 0;
	w->s = line + *i;
	while (*i < len && !blank(line[*i]))
		(*i)++;
	w->len = (size_t)(line + *i - w->s);
	return 1;
}

/* The line without a comment and trailing blanks. */
static size_t
uncomment(const char *line, size_t len)
{
	const char *hash = memchr(line, '#', len);

	if (hash != NULL)
		len = (size_t)(hash - line);
	while (len > 0 && blank(line[len - 1]))
		len--;
	return len;
}

static int
is(const struct irk_span *w, const char *s)
{
	return w->len == strlen(s) && memcmp(w->s, s, w->len) == 0;
}

int
irk_preload_next(const char *text, size_t len, size_t *pos,
    struct irk_span *entry)
{
	size_t i = *pos;

	while (i < len && (blank(text[i]) || text[i] == '\n' ||
	    text[i] == ':'))
		i++;
	if (i >= len) {
		*pos = i;
		return 0;
	}
	entry->s = text + i;
	while (i < len && !blank(text[i]) && text[i] != '\n' &&
	    text[i] != ':')
		i++;
	entry->len = (size_t)(text + i - entry->s);
	*pos = i;
	return 1;
}

int
irk_ldconf_line(const char *line, size_t len, struct irk_span *value)
{
	struct irk_span w;
	size_t i = 0;

	len = uncomment(line, len);
	if (!word(line, len, &i, &w))
		return IRK_LDCONF_NONE;
	if (is(&w, "include")) {
		if (!word(line, len, &i, value))
			return IRK_LDCONF_NONE;
		return IRK_LDCONF_INCLUDE;
	}
	if (is(&w, "hwcap"))
		return IRK_LDCONF_NONE;
	/* "DIR" or the old "DIR=TYPE" */
	*value = w;
	for (size_t k = 0; k < w.len; k++)
		if (w.s[k] == '=')
			value->len = k;
	return value->len > 0 ? IRK_LDCONF_DIR : IRK_LDCONF_NONE;
}

int
irk_modprobe_line(const char *line, size_t len, struct irk_modprobe_hook *out)
{
	size_t i = 0;

	memset(out, 0, sizeof(*out));
	len = uncomment(line, len);
	if (!word(line, len, &i, &out->verb) ||
	    (!is(&out->verb, "install") && !is(&out->verb, "remove")) ||
	    !word(line, len, &i, &out->module))
		return 0;
	while (i < len && blank(line[i]))
		i++;
	out->command.s = line + i;
	out->command.len = len - i;
	if (!word(line, len, &i, &out->program))
		return 0;
	return 1;
}

int
irk_pam_line(const char *line, size_t len, struct irk_pam_line *out)
{
	static const char *const types[] = { "auth", "account", "password",
	    "session", NULL };
	struct irk_span t;
	size_t i = 0;
	int k;

	memset(out, 0, sizeof(*out));
	len = uncomment(line, len);
	if (!word(line, len, &i, &out->type))
		return 0;
	t = out->type;
	if (t.len > 0 && t.s[0] == '-') {
		t.s++;
		t.len--;
	}
	for (k = 0; types[k] != NULL && !is(&t, types[k]); k++)
		;
	if (types[k] == NULL)
		return 0;
	while (i < len && blank(line[i]))
		i++;
	if (i < len && line[i] == '[') {
		/* "[value=action ...]": up to the closing bracket */
		const char *end = memchr(line + i, ']', len - i);

		if (end == NULL)
			return 0;
		out->control.s = line + i;
		out->control.len = (size_t)(end - (line + i)) + 1;
		i = (size_t)(end - line) + 1;
	} else if (!word(line, len, &i, &out->control))
		return 0;
	/* "include" and "substack" name another service, not a module */
	if (is(&out->control, "include") || is(&out->control, "substack"))
		return 0;
	return word(line, len, &i, &out->module);
}

/* "lib", "lib64", "lib32", "libx32" at p (n bytes): 1. */
static int
lib_name(const char *p, size_t n)
{
	return (n == 3 && memcmp(p, "lib", 3) == 0) ||
	    (n == 5 && (memcmp(p, "lib64", 5) == 0 ||
	    memcmp(p, "lib32", 5) == 0)) ||
	    (n == 6 && memcmp(p, "libx32", 6) == 0);
}

static int
security(const char *p, size_t n)
{
	return n == 8 && memcmp(p, "security", 8) == 0;
}

int
irk_pam_system_path(const char *path)
{
	const char *c[6];
	size_t n[6], k = 0, i;
	const char *p = path;

	if (path[0] != '/')
		return 0;
	/* the components; more than five is never a system folder */
	while (*p == '/' && k < 6) {
		const char *e;

		p++;
		e = strchr(p, '/');
		c[k] = p;
		n[k] = e != NULL ? (size_t)(e - p) : strlen(p);
		if (n[k] == 0 || (n[k] == 2 && memcmp(p, "..", 2) == 0) ||
		    (n[k] == 1 && p[0] == '.'))
			return 0;
		k++;
		p += n[k - 1];
	}
	if (*p != '\0')
		return 0;
	/* [usr/] lib* [/TRIPLET] /security/FILE */
	i = k > 0 && n[0] == 3 && memcmp(c[0], "usr", 3) == 0;
	if (i >= k || !lib_name(c[i], n[i]))
		return 0;
	if (k == i + 3)
		return security(c[i + 1], n[i + 1]);
	return k == i + 4 && memmem(c[i + 1], n[i + 1], "-linux", 6) != NULL &&
	    security(c[i + 2], n[i + 2]);
}

int
irk_environ_get(const char *env, size_t len, const char *name,
    struct irk_span *value)
{
	size_t nl = strlen(name), i = 0;

	while (i < len) {
		const char *e = env + i;
		const char *z = memchr(e, '\0', len - i);
		size_t el = z != NULL ? (size_t)(z - e) : len - i;

		if (el > nl && memcmp(e, name, nl) == 0 && e[nl] == '=') {
			value->s = e + nl + 1;
			value->len = el - nl - 1;
			return 1;
		}
		i += el + 1;
	}
	return 0;
}
