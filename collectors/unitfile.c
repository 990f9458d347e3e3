/*
 * unitfile.c - systemd unit-file text parser, Exec= splitting and
 * specifier expansion (see unitfile.h).  The rules follow systemd's
 * conf-parser.c, extract-word.c and specifier.c (systemd 252).
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unitfile.h"
#include "irkit/err.h"
#include "irkit/fe.h"
#include "irkit/json.h"
#include "irkit/str.h"
#include "irkit/banned.h"

static void
irk_strv_clear(struct irk_strv *sv)
{
	for (size_t i = 0; i < sv->n; i++)
		free(sv->v[i]);
	sv->n = 0;
}

void
irk_strv_release(struct irk_strv *sv)
{
	irk_strv_clear(sv);
	free(sv->v);
	memset(sv, 0, sizeof(*sv));
}

static int
irk_strv_addn(struct irk_strv *sv, const char *s, size_t len)
{
	char *d;

	if (sv->n == sv->cap) {
		size_t nc = sv->cap ? sv->cap * 2 : 8;
		char **nv = realloc(sv->v, nc * sizeof(*nv));

		if (nv == NULL)
			return -1;
		sv->v = nv;
		sv->cap = nc;
	}
	if ((d = malloc(len + 1)) == NULL)
		return -1;
	memcpy(d, s, len);
	d[len] = '\0';
	sv->v[sv->n++] = d;
	return 0;
}

int
irk_strv_add(struct irk_strv *sv, const char *s)
{
	return irk_strv_addn(sv, s, strlen(s));
}

int
irk_strv_has(const struct irk_strv *sv, const char *s)
{
	for (size_t i = 0; i < sv->n; i++)
		if (strcmp(sv->v[i], s) == 0)
			return 1;
	return 0;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

json_t *
irk_strv_json(const struct irk_strv *sv)
{
	json_t *a = json_array();

	for (size_t i = 0; i < sv->n; i++)
		json_array_append_new(a, irk_json_str(sv->v[i]));
	return a;
}

void
irk_strv_sort(struct irk_strv *sv)
{
	if (sv->n > 1)
		qsort(sv->v, sv->n, sizeof(sv->v[0]), cmp_str);
}

/* ---- unit file text ---- */

struct parser {
	struct irk_unitfile *u;
	const char *path;
	irk_unitfile_diag_fn diag;
	void *arg;
	char *section;		/* NULL: none yet, or after a bad header */
	int bad_section;
};

static void
diag(struct parser *p, unsigned line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
diag(struct parser *p, unsigned line, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	if (p->diag == NULL)
		return;
	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	p->diag(p->arg, p->path, line, msg);
}

static int
is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void
trim(const char **s, size_t *n)
{
	while (*n > 0 && is_ws(**s)) {
		(*s)++;
		(*n)--;
	}
	while (*n > 0 && is_ws((*s)[*n - 1]))
		(*n)--;
}

static int
add_setting(struct parser *p, const char *k, size_t kl, const char *v,
    size_t vl, unsigned line)
{
	struct irk_unitfile *u = p->u;
	struct irk_unit_setting *s;

	if (u->n == u->cap) {
		size_t nc = u->cap ? u->cap * 2 : 32;
		struct irk_unit_setting *nv = realloc(u->v, nc * sizeof(*nv));

		if (nv == NULL)
			return -1;
		u->v = nv;
		u->cap = nc;
	}
	s = &u->v[u->n];
	s->section = strdup(p->section);
	s->key = irk_dupn(k, kl);
	s->value = irk_dupn(v, vl);
	s->path = strdup(p->path ? p->path : "");
	s->line = line;
	if (s->section == NULL || s->key == NULL || s->value == NULL ||
	    s->path == NULL) {
		free(s->section);
		free(s->key);
		free(s->value);
		free(s->path);
		return -1;
	}
	u->n++;
	return 0;
}

/* One logical line (continuations joined), already free of NULs. */
static int
parse_line(struct parser *p, const char *l, size_t n, unsigned line)
{
	const char *eq, *v;
	size_t kl, vl;

	trim(&l, &n);
	if (n == 0)
		return 0;
	if (l[0] == '[') {
		free(p->section);
		p->section = NULL;
		if (n < 2 || l[n - 1] != ']' || memchr(l + 1, ']', n - 2) ||
		    memchr(l + 1, '[', n - 2)) {
			diag(p, line, "invalid section header, ignoring the "
			    "section");
			p->bad_section = 1;
			return 0;
		}
		p->bad_section = 0;
		if ((p->section = irk_dupn(l + 1, n - 2)) == NULL)
			return -1;
		return 0;
	}
	if (p->section == NULL) {
		if (!p->bad_section)
			diag(p, line, "assignment outside of a section, "
			    "ignoring");
		return 0;
	}
	if ((eq = memchr(l, '=', n)) == NULL) {
		diag(p, line, "missing '=', ignoring the line");
		return 0;
	}
	kl = (size_t)(eq - l);
	while (kl > 0 && is_ws(l[kl - 1]))
		kl--;
	if (kl == 0) {
		diag(p, line, "empty key, ignoring the line");
		return 0;
	}
	v = eq + 1;
	vl = n - (size_t)(v - l);
	trim(&v, &vl);
	return add_setting(p, l, kl, v, vl, line);
}

/* Does the line end in a backslash that is not itself escaped? */
static int
continues(const char *l, size_t n)
{
	int escaped = 0;

	for (size_t i = 0; i < n; i++) {
		if (escaped)
			escaped = 0;
		else if (l[i] == '\\')
			escaped = 1;
	}
	return escaped;
}

static const char *
skip_ws(const char *l, size_t n, size_t *left)
{
	while (n > 0 && is_ws(*l)) {
		l++;
		n--;
	}
	*left = n;
	return l;
}

int
irk_unitfile_parse(struct irk_unitfile *u, const char *text, size_t len,
    const char *path, unsigned flags, irk_unitfile_diag_fn dfn, void *arg)
{
	struct parser p = { u, path, dfn, arg, NULL, 0 };
	struct irk_buf cont;
	unsigned lineno = 0, cont_line = 0;
	int in_cont = 0, cont_bad = 0, r = 0;
	size_t pos = 0;

	irk_buf_init(&cont, IRK_UNIT_LINE_MAX);
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		pos = 3;
	while (pos < len) {
		const char *l = text + pos, *nl, *s;
		size_t n, left;

		nl = memchr(l, '\n', len - pos);
		n = nl ? (size_t)(nl - l) : len - pos;
		pos += n + (nl ? 1 : 0);
		lineno++;
		if (n > 0 && l[n - 1] == '\r')
			n--;
		if (n > IRK_UNIT_LINE_MAX) {
			diag(&p, lineno, "line longer than %d bytes (%zu), "
			    "ignoring it", IRK_UNIT_LINE_MAX, n);
			if (in_cont)
				cont_bad = 1;
			if (!continues(l, n) && in_cont) {
				in_cont = cont_bad = 0;
				irk_buf_reset(&cont);
			} else if (continues(l, n))
				in_cont = 1, cont_bad = 1;
			continue;
		}
		if (memchr(l, '\0', n) != NULL) {
			diag(&p, lineno, "line holds a NUL byte, ignoring it");
			if (in_cont && !continues(l, n)) {
				in_cont = cont_bad = 0;
				irk_buf_reset(&cont);
			} else if (continues(l, n))
				in_cont = 1, cont_bad = 1;
			continue;
		}
		s = skip_ws(l, n, &left);
		if (left > 0 && (*s == '#' || *s == ';'))
			continue;	/* comments, also inside continuations */
		if (!(flags & IRK_UNITFILE_NOCONT) && continues(l, n)) {
			if (!in_cont) {
				in_cont = 1;
				cont_line = lineno;
			}
			if (!cont_bad && (irk_buf_add(&cont, l, n - 1) != IRK_OK ||
			    irk_buf_addch(&cont, ' ') != IRK_OK)) {
				diag(&p, cont_line, "continued line longer "
				    "than %d bytes, ignoring it",
				    IRK_UNIT_LINE_MAX);
				cont_bad = 1;
			}
			continue;
		}
		if (in_cont) {
			if (!cont_bad && irk_buf_add(&cont, l, n) != IRK_OK) {
				diag(&p, cont_line, "continued line longer "
				    "than %d bytes, ignoring it",
				    IRK_UNIT_LINE_MAX);
				cont_bad = 1;
			}
			if (!cont_bad)
				r = parse_line(&p, cont.data, cont.len,
				    cont_line);
			in_cont = cont_bad = 0;
			irk_buf_reset(&cont);
		} else
			r = parse_line(&p, l, n, lineno);
		if (r < 0)
			break;
	}
	if (r == 0 && in_cont && !cont_bad)
		r = parse_line(&p, cont.data, cont.len, cont_line);
	irk_buf_release(&cont);
	free(p.section);
	return r;
}

void
irk_unitfile_release(struct irk_unitfile *u)
{
	for (size_t i = 0; i < u->n; i++) {
		free(u->v[i].section);
		free(u->v[i].key);
		free(u->v[i].value);
		free(u->v[i].path);
	}
	free(u->v);
	memset(u, 0, sizeof(*u));
}

static const struct irk_unit_setting *
irk_unitfile_last(const struct irk_unitfile *u, const char *section,
    const char *key)
{
	for (size_t i = u->n; i-- > 0;)
		if (strcmp(u->v[i].key, key) == 0 &&
		    strcmp(u->v[i].section, section) == 0)
			return &u->v[i];
	return NULL;
}

const char *
irk_unitfile_get(const struct irk_unitfile *u, const char *section,
    const char *key)
{
	const struct irk_unit_setting *s = irk_unitfile_last(u, section, key);

	return s ? s->value : NULL;
}

size_t
irk_unitfile_list(const struct irk_unitfile *u, const char *section,
    const char *key, size_t *idx, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < u->n; i++) {
		if (strcmp(u->v[i].key, key) != 0 ||
		    strcmp(u->v[i].section, section) != 0)
			continue;
		if (u->v[i].value[0] == '\0')
			n = 0;		/* the reset rule */
		else if (n < max)
			idx[n++] = i;
	}
	return n;
}

int
irk_unit_parse_bool(const char *s, int *out)
{
	static const char *yes[] = { "1", "yes", "y", "true", "t", "on" };
	static const char *no[] = { "0", "no", "n", "false", "f", "off" };

	for (size_t i = 0; i < 6; i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			*out = 1;
			return 0;
		}
		if (strcasecmp(s, no[i]) == 0) {
			*out = 0;
			return 0;
		}
	}
	return -1;
}

/* ---- unit names ---- */

int
irk_unit_name_parse(const char *name, struct irk_unit_name *out)
{
	const char *dot, *at;
	size_t n = strlen(name);

	memset(out, 0, sizeof(*out));
	if (n == 0 || n > 255 || strchr(name, '/') != NULL)
		return -1;
	if ((dot = strrchr(name, '.')) == NULL || dot == name ||
	    dot[1] == '\0' || strlen(dot + 1) >= sizeof(out->type))
		return -1;
	memcpy(out->type, dot + 1, strlen(dot + 1) + 1);
	for (const char *t = out->type; *t; t++)
		if (!islower((unsigned char)*t))
			return -1;
	at = memchr(name, '@', (size_t)(dot - name));
	if (at == name)
		return -1;
	if (at == NULL) {
		memcpy(out->prefix, name, (size_t)(dot - name));
		out->prefix[dot - name] = '\0';
		return 0;
	}
	memcpy(out->prefix, name, (size_t)(at - name));
	out->prefix[at - name] = '\0';
	if (at + 1 == dot)
		out->is_template = 1;
	else {
		out->is_instance = 1;
		memcpy(out->instance, at + 1, (size_t)(dot - at - 1));
		out->instance[dot - at - 1] = '\0';
	}
	return 0;
}

static int
unhex(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int
irk_unit_unescape(const char *in, size_t len, struct irk_buf *out)
{
	for (size_t i = 0; i < len; i++) {
		int c = (unsigned char)in[i];

		if (c == '-')
			c = '/';
		else if (c == '\\' && i + 3 < len + 0 && in[i + 1] == 'x' &&
		    unhex(in[i + 2]) >= 0 && unhex(in[i + 3]) >= 0) {
			c = unhex(in[i + 2]) * 16 + unhex(in[i + 3]);
			i += 3;
		}
		if (irk_buf_addch(out, c) != IRK_OK)
			return -1;
	}
	return 0;
}

/* ---- specifiers ---- */

static int
add_dirname(struct irk_buf *out, const char *path)
{
	const char *s = strrchr(path, '/');

	if (s == NULL)
		return irk_buf_addch(out, '.');
	if (s == path)
		return irk_buf_addch(out, '/');
	return irk_buf_add(out, path, (size_t)(s - path));
}

/* 1 when written (r == 0), -1 when the buffer failed. */
static int
written(int r)
{
	return r == 0 ? 1 : -1;
}

/*
 * A specifier of the unit's name (%N %p %P %i %I %j %J %f): written to
 * out (1; -1 when out failed), or 0 with *s the text (NULL: none).
 */
static int
spec_name(const struct irk_unit_spec *sp, const struct irk_unit_name *un,
    char c, struct irk_buf *out, const char **s)
{
	const char *x;
	int r = 0;

	switch (c) {
	case 'N':
		return written(irk_buf_add(out, sp->name,
		    strlen(sp->name) - strlen(un->type) - 1));
	case 'p':
		*s = un->prefix;
		return 0;
	case 'P':
		return written(irk_unit_unescape(un->prefix,
		    strlen(un->prefix), out));
	case 'i':
		*s = un->instance;
		return 0;
	case 'I':
		return written(irk_unit_unescape(un->instance,
		    strlen(un->instance), out));
	case 'j':
	case 'J':
		x = strrchr(un->prefix, '-');
		x = x ? x + 1 : un->prefix;
		if (c == 'j') {
			*s = x;
			return 0;
		}
		return written(irk_unit_unescape(x, strlen(x), out));
	case 'f':
		x = un->is_instance ? un->instance : un->prefix;
		if (x[0] == '-' && x[1] == '\0')
			return 1;
		if ((r = irk_buf_addch(out, '/')) == 0)
			r = irk_unit_unescape(x, strlen(x), out);
		return written(r);
	default:
		*s = NULL;
		return 0;
	}
}

/* The folders %S %C %L %E of the system or of the user's home. */
static int
spec_dir(const struct irk_unit_spec *sp, char c, struct irk_buf *out,
    const char **s)
{
	int r;

	if (!sp->user_scope) {
		*s = c == 'S' ? "/var/lib" : c == 'C' ? "/var/cache" :
		    c == 'L' ? "/var/log" : "/etc";
		return 0;
	}
	if (sp->home == NULL)
		return 0;
	if ((r = irk_buf_addstr(out, sp->home)) == 0)
		r = irk_buf_addstr(out, c == 'S' ? "/.local/state" :
		    c == 'C' ? "/.cache" : c == 'L' ? "/.local/state/log" :
		    "/.config");
	return written(r);
}

/*
 * Any other specifier (user, host, folders, the unit file): written to
 * out (1; -1 when out failed), or 0 with *s the text (NULL: unknown or
 * no value here).
 */
static int
spec_other(const struct irk_unit_spec *sp, char c, struct irk_buf *out,
    const char **s)
{
	*s = NULL;
	switch (c) {
	case '%': *s = "%"; break;
	case 'n': *s = sp->name; break;
	case 'u': *s = sp->user; break;
	case 'U': *s = sp->uid; break;
	case 'g': *s = sp->group; break;
	case 'G': *s = sp->gid; break;
	case 'h': *s = sp->home; break;
	case 's': *s = sp->shell; break;
	case 'H': *s = sp->hostname; break;
	case 'm': *s = sp->machine_id; break;
	case 'b': *s = sp->boot_id; break;
	case 'o': *s = sp->os_id; break;
	case 'y': *s = sp->fragment; break;
	case 'T': *s = "/tmp"; break;
	case 'V': *s = "/var/tmp"; break;
	case 't': *s = sp->user_scope ? sp->runtime_dir : "/run"; break;
	case 'l':
		if (sp->hostname == NULL)
			return 0;
		return written(irk_buf_add(out, sp->hostname,
		    strcspn(sp->hostname, ".")));
	case 'Y':
		if (sp->fragment == NULL)
			return 0;
		return written(add_dirname(out, sp->fragment));
	case 'S':
	case 'C':
	case 'L':
	case 'E':
		return spec_dir(sp, c, out, s);
	default:
		break;
	}
	return 0;
}

int
irk_unit_specifiers(const struct irk_unit_spec *sp, const char *in,
    struct irk_buf *out)
{
	struct irk_unit_name un;
	int have_name = 0, unknown = 0, r = 0, w;

	if (sp->name != NULL && irk_unit_name_parse(sp->name, &un) == 0)
		have_name = 1;
	for (const char *p = in; *p && r == 0; p++) {
		const char *s = NULL;

		if (*p != '%') {
			r = irk_buf_addch(out, *p);
			continue;
		}
		if (p[1] == '\0') {
			r = irk_buf_addch(out, '%');
			unknown = 1;
			continue;
		}
		p++;
		if (strchr("NpPiIjJf", *p) != NULL)
			w = have_name ? spec_name(sp, &un, *p, out, &s) : 0;
		else
			w = spec_other(sp, *p, out, &s);
		if (w != 0) {
			r = w < 0 ? -1 : 0;
			continue;
		}
		if (s == NULL) {
			unknown = 1;
			if ((r = irk_buf_addch(out, '%')) == 0)
				r = irk_buf_addch(out, *p);
			continue;
		}
		r = irk_buf_addstr(out, s);
	}
	if (r != 0)
		return -1;
	return unknown;
}

/* ---- Exec= lines ---- */

static int
utf8_put(struct irk_buf *b, uint32_t cp)
{
	unsigned char u[4];

	return irk_buf_add(b, u, irk_utf8_put(u, cp));
}

/*
 * One C escape after a backslash at *pp (which points past it).  Unknown
 * or invalid escapes are kept as written ("relaxed", as systemd does for
 * arguments).
 */
static int
cunescape_one(const char **pp, struct irk_buf *w)
{
	const char *p = *pp;
	int c = *p, v, d;
	uint32_t cp = 0;
	size_t nd;

	switch (c) {
	case 'a': v = '\a'; break;
	case 'b': v = '\b'; break;
	case 'f': v = '\f'; break;
	case 'n': v = '\n'; break;
	case 'r': v = '\r'; break;
	case 't': v = '\t'; break;
	case 'v': v = '\v'; break;
	case '\\': v = '\\'; break;
	case '"': v = '"'; break;
	case '\'': v = '\''; break;
	case 's': v = ' '; break;
	case 'x':
		if (unhex(p[1]) < 0 || unhex(p[2]) < 0 ||
		    (unhex(p[1]) == 0 && unhex(p[2]) == 0))
			goto relaxed;
		v = unhex(p[1]) * 16 + unhex(p[2]);
		*pp = p + 3;
		return irk_buf_addch(w, v);
	case 'u':
	case 'U':
		nd = c == 'u' ? 4 : 8;
		for (size_t i = 1; i <= nd; i++) {
			if ((d = unhex(p[i])) < 0)
				goto relaxed;
			cp = cp * 16 + (uint32_t)d;
		}
		if (cp == 0 || cp > 0x10ffff || (cp >= 0xd800 && cp < 0xe000))
			goto relaxed;
		*pp = p + 1 + nd;
		return utf8_put(w, cp);
	default:
		if (c >= '0' && c <= '7') {
			if (p[1] < '0' || p[1] > '7' || p[2] < '0' ||
			    p[2] > '7' || c > '3')
				goto relaxed;
			v = (c - '0') * 64 + (p[1] - '0') * 8 + (p[2] - '0');
			if (v == 0)
				goto relaxed;
			*pp = p + 3;
			return irk_buf_addch(w, v);
		}
		goto relaxed;
	}
	*pp = p + 1;
	return irk_buf_addch(w, v);
relaxed:
	if (c == '\0') {
		*pp = p;
		return irk_buf_addch(w, '\\');
	}
	*pp = p + 1;
	if (irk_buf_addch(w, '\\') != IRK_OK)
		return IRK_TOOBIG;
	return irk_buf_addch(w, c);
}

/*
 * systemd's extract_first_word(EXTRACT_UNQUOTE|EXTRACT_CUNESCAPE|
 * EXTRACT_CUNESCAPE_RELAX) on whitespace.  Returns 1 with a word, 0 at
 * the end, -1 on an unterminated quote or a word too long.  raw_semi is
 * set when the word was written exactly "\;".
 */
static int
next_word(const char **pp, struct irk_buf *w, int *raw_semi)
{
	const char *p = *pp, *start;
	char quote = 0;

	irk_buf_reset(w);
	if (irk_buf_add(w, "", 0) != IRK_OK)	/* data never NULL */
		return -1;
	while (*p && is_ws(*p))
		p++;
	if (*p == '\0') {
		*pp = p;
		return 0;
	}
	start = p;
	while (*p) {
		if (!quote && is_ws(*p))
			break;
		if (*p == '\\') {
			p++;
			if (cunescape_one(&p, w) != IRK_OK)
				return -1;
			continue;
		}
		if ((*p == '\'' || *p == '"') && (!quote || quote == *p)) {
			quote = quote ? 0 : *p;
			p++;
			continue;
		}
		if (irk_buf_addch(w, *p) != IRK_OK)
			return -1;
		p++;
	}
	if (quote)
		return -1;
	*raw_semi = p - start == 2 && start[0] == '\\' && start[1] == ';';
	*pp = p;
	return 1;
}

static int
expand(const struct irk_unit_spec *spec, const char *word, struct irk_buf *x)
{
	irk_buf_reset(x);
	if (irk_buf_add(x, "", 0) != IRK_OK)
		return -1;
	if (spec == NULL)
		return irk_buf_addstr(x, word) == IRK_OK ? 0 : -1;
	return irk_unit_specifiers(spec, word, x) < 0 ? -1 : 0;
}

void
irk_execv_release(struct irk_execv *e)
{
	for (size_t i = 0; i < e->n; i++) {
		free(e->v[i].path);
		irk_strv_release(&e->v[i].argv);
	}
	free(e->v);
	e->v = NULL;
	e->n = 0;
}

int
irk_exec_split(const char *value, const struct irk_unit_spec *spec,
    struct irk_execv *out, char *errbuf, size_t errlen)
{
	struct irk_buf w, x;
	const char *p = value;
	int r = -1, semi;

	memset(out, 0, sizeof(*out));
	irk_buf_init(&w, IRK_UNIT_LINE_MAX);
	irk_buf_init(&x, IRK_UNIT_LINE_MAX);
	struct irk_exec e;

	memset(&e, 0, sizeof(e));
	for (;;) {
		struct irk_exec *nv;
		unsigned flags = 0;
		const char *word;
		int got;

		memset(&e, 0, sizeof(e));
		while (*p && is_ws(*p))
			p++;
		if (*p == '\0')
			break;
		/* prefixes, then the path in the same word */
		for (;; p++) {
			if (*p == '-')
				flags |= IRK_EXEC_IGNORE_FAILURE;
			else if (*p == '@')
				flags |= IRK_EXEC_ARGV0;
			else if (*p == ':')
				flags |= IRK_EXEC_NO_ENV;
			else if (*p == '+')
				flags |= IRK_EXEC_PRIVILEGED;
			else if (*p == '!' && p[1] == '!') {
				flags |= IRK_EXEC_AMBIENT;
				p++;
			} else if (*p == '!')
				flags |= IRK_EXEC_NO_SETUID;
			else
				break;
		}
		if (is_ws(*p) || *p == '\0') {
			(void)snprintf(errbuf, errlen, "prefix without a "
			    "command");
			goto out;
		}
		if ((got = next_word(&p, &w, &semi)) < 0)
			goto badquote;
		if (strcmp(w.data, ";") == 0 && !semi)
			continue;	/* an empty command */
		e.flags = flags;
		if (expand(spec, w.data, &x) != 0 ||
		    (e.path = strdup(x.data)) == NULL)
			goto nomem;
		if (!(flags & IRK_EXEC_ARGV0) && irk_strv_add(&e.argv, x.data))
			goto nomem_e;
		for (;;) {
			if ((got = next_word(&p, &w, &semi)) < 0) {
				goto badquote;
			}
			if (got == 0)
				break;
			if (strcmp(w.data, ";") == 0)
				break;
			word = semi ? ";" : w.data;
			if (expand(spec, word, &x) != 0 ||
			    irk_strv_add(&e.argv, x.data) != 0)
				goto nomem_e;
		}
		if ((flags & IRK_EXEC_ARGV0) && e.argv.n == 0) {
			/* "@/bin/x" alone: argv[0] missing, systemd refuses */
			(void)snprintf(errbuf, errlen, "'@' without an argv[0]");
			goto out;
		}
		nv = realloc(out->v, (out->n + 1) * sizeof(*nv));
		if (nv == NULL)
			goto nomem_e;
		out->v = nv;
		out->v[out->n++] = e;
		memset(&e, 0, sizeof(e));
		if (got == 0)
			break;
	}
	r = 0;
	goto out;
nomem_e:
nomem:
	(void)snprintf(errbuf, errlen, "out of memory");
	goto out;
badquote:
	(void)snprintf(errbuf, errlen, "unbalanced quotes or word too long");
out:
	free(e.path);
	irk_strv_release(&e.argv);
	irk_buf_release(&w);
	irk_buf_release(&x);
	if (r != 0)
		irk_execv_release(out);
	return r;
}

/* ---- .desktop Exec= ---- */

int
irk_desktop_exec_split(const char *value, struct irk_strv *argv)
{
	struct irk_buf w;
	const char *p = value;
	int r = -1;

	irk_buf_init(&w, IRK_UNIT_LINE_MAX);
	for (;;) {
		int quoted = 0, inword = 0;

		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			break;
		irk_buf_reset(&w);
		if (irk_buf_add(&w, "", 0) != IRK_OK)
			goto out;
		while (*p && (quoted || (*p != ' ' && *p != '\t'))) {
			int c = *p++;

			inword = 1;
			if (c == '"') {
				quoted = !quoted;
				continue;
			}
			if (c == '\\' && *p != '\0') {
				c = *p++;
			} else if (c == '%' && *p != '\0') {
				c = *p++;
				if (c != '%')
					continue;	/* field code */
			}
			if (irk_buf_addch(&w, c) != IRK_OK)
				goto out;
		}
		if (quoted)
			goto out;
		/* a word that was only field codes disappears */
		if (inword && (w.len > 0 || p[-1] == '"') &&
		    irk_strv_addn(argv, w.data, w.len) != 0)
			goto out;
	}
	r = 0;
out:
	irk_buf_release(&w);
	return r;
}
