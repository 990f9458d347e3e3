/*
 * dpkg_parse.c - the dpkg status file, Conffiles and .md5sums lines, and
 * their paths (dpkg_parse.h).  Formats: deb-control(5), dpkg(1)'s
 * database; dpkg checks what the status says is on disk (any status but
 * "not-installed"), and so do we.
 */
#include <string.h>
#include <strings.h>

#include "dpkg_parse.h"
#include "irkit/banned.h"

enum { F_NONE, F_CONFFILES, F_OTHER };

struct stanza {
	struct irk_dpkg_pkg p;
	int any;		/* a field was seen */
	int field;		/* the field continuation lines belong to */
};

static int
is_lower_alnum(int ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9');
}

int
irk_dpkg_name_ok(const char *s, size_t len)
{
	if (len == 0 || len >= IRK_DPKG_NAME_MAX || !is_lower_alnum(s[0]))
		return 0;
	for (size_t i = 1; i < len; i++)
		if (!is_lower_alnum(s[i]) && s[i] != '+' && s[i] != '-' &&
		    s[i] != '.')
			return 0;
	return 1;
}

int
irk_dpkg_arch_ok(const char *s, size_t len)
{
	if (len == 0 || len >= IRK_DPKG_ARCH_MAX)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (!is_lower_alnum(s[i]) && s[i] != '-')
			return 0;
	return 1;
}

/* s (len) without white space at both ends. */
static void
trim(const char **s, size_t *len)
{
	while (*len > 0 && (**s == ' ' || **s == '\t')) {
		(*s)++;
		(*len)--;
	}
	while (*len > 0 && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t' ||
	    (*s)[*len - 1] == '\r'))
		(*len)--;
}

/* Copy s (len) into out (size), or mark the stanza bad. */
static void
set_text(struct stanza *z, char *out, size_t size, const char *s, size_t len)
{
	if (len >= size || memchr(s, '\0', len) != NULL) {
		z->p.bad = 1;
		return;
	}
	memcpy(out, s, len);
	out[len] = '\0';
}

/* "want flag status": not "not-installed" and the flag "ok". */
static int
status_installed(const char *s, size_t len)
{
	const char *w[3];
	size_t wl[3], n = 0, i = 0;

	while (i < len && n < 3) {
		while (i < len && s[i] == ' ')
			i++;
		w[n] = s + i;
		while (i < len && s[i] != ' ')
			i++;
		wl[n] = (size_t)(s + i - w[n]);
		if (wl[n] > 0)
			n++;
	}
	if (n < 3)
		return 0;
	if (wl[1] != 2 || memcmp(w[1], "ok", 2) != 0)
		return 0;
	return !(wl[2] == 13 && memcmp(w[2], "not-installed", 13) == 0);
}

static int
field_is(const char *s, size_t len, const char *name)
{
	return strlen(name) == len && strncasecmp(s, name, len) == 0;
}

/* A "Name: value" line of a stanza. */
static void
field_line(struct stanza *z, const char *line, size_t len)
{
	const char *colon = memchr(line, ':', len), *v;
	size_t nl, vl;

	z->any = 1;
	z->field = F_OTHER;
	if (colon == NULL)
		return;
	nl = (size_t)(colon - line);
	v = colon + 1;
	vl = len - nl - 1;
	trim(&v, &vl);
	if (field_is(line, nl, "Package")) {
		if (!irk_dpkg_name_ok(v, vl))
			z->p.bad = 1;
		else
			set_text(z, z->p.name, sizeof(z->p.name), v, vl);
	} else if (field_is(line, nl, "Architecture")) {
		if (!irk_dpkg_arch_ok(v, vl))
			z->p.bad = 1;
		else
			set_text(z, z->p.arch, sizeof(z->p.arch), v, vl);
	} else if (field_is(line, nl, "Version")) {
		set_text(z, z->p.version, sizeof(z->p.version), v, vl);
	} else if (field_is(line, nl, "Status")) {
		z->p.installed = status_installed(v, vl);
	} else if (field_is(line, nl, "Multi-Arch")) {
		z->p.multiarch_same = vl == 4 && memcmp(v, "same", 4) == 0;
	} else if (field_is(line, nl, "Conffiles")) {
		z->field = F_CONFFILES;
	}
}

/* The end of a stanza: hand it over when it has a name. */
static int
stanza_end(struct stanza *z, irk_dpkg_pkg_fn fn, void *arg,
    struct irk_dpkg_stats *st)
{
	int r = 0;

	if (z->any) {
		st->stanzas++;
		if (z->p.name[0] == '\0')
			z->p.bad = 1;
		r = fn(arg, &z->p);
	}
	memset(z, 0, sizeof(*z));
	return r;
}

int
irk_dpkg_status_parse(const char *data, size_t len, irk_dpkg_pkg_fn fn,
    void *arg, struct irk_dpkg_stats *st)
{
	struct stanza z;
	size_t i = 0;
	int r;

	memset(st, 0, sizeof(*st));
	memset(&z, 0, sizeof(z));
	while (i < len) {
		const char *line = data + i;
		const char *nl = memchr(line, '\n', len - i);
		size_t ll = nl != NULL ? (size_t)(nl - line) : len - i;

		i += ll + 1;
		if (ll > 0 && line[ll - 1] == '\r')
			ll--;
		if (ll > IRK_DPKG_LINE_MAX) {
			st->long_lines++;
			z.field = F_NONE;
			continue;
		}
		if (ll == 0) {
			if ((r = stanza_end(&z, fn, arg, st)) != 0)
				return r;
			continue;
		}
		if (line[0] == ' ' || line[0] == '\t') {
			if (z.field != F_CONFFILES)
				continue;
			if (z.p.conffiles == NULL)
				z.p.conffiles = line;
			z.p.conffiles_len = (size_t)(line + ll - z.p.conffiles);
			continue;
		}
		if (line[0] == '#')
			continue;
		field_line(&z, line, ll);
	}
	return stanza_end(&z, fn, arg, st);
}

int
irk_dpkg_path(const char *s, size_t len, char out[IRK_DPKG_PATH_MAX])
{
	size_t o = 0, i = 0;

	if (memchr(s, '\0', len) != NULL)
		return IRK_DPKG_BAD;
	while (i < len) {
		size_t j = i;

		while (j < len && s[j] != '/')
			j++;
		if ((j - i == 2 && s[i] == '.' && s[i + 1] == '.'))
			return IRK_DPKG_BAD;
		if (j > i && !(j - i == 1 && s[i] == '.')) {
			if (o + 1 + (j - i) >= IRK_DPKG_PATH_MAX)
				return IRK_DPKG_BAD;
			out[o++] = '/';
			memcpy(out + o, s + i, j - i);
			o += j - i;
		}
		i = j + 1;
	}
	if (o == 0)
		return IRK_DPKG_BAD;
	out[o] = '\0';
	return IRK_DPKG_OK;
}

/* 32 hex digits at s, as lowercase into md5. */
static int
md5_hex(const char *s, size_t len, char md5[IRK_DPKG_MD5_HEX])
{
	if (len != 32)
		return -1;
	for (size_t i = 0; i < 32; i++) {
		char ch = s[i];

		if (ch >= 'A' && ch <= 'F')
			ch = (char)(ch - 'A' + 'a');
		if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f')))
			return -1;
		md5[i] = ch;
	}
	md5[32] = '\0';
	return 0;
}

/* The last word of s (len): its start, and len cut before it. */
static const char *
last_word(const char *s, size_t *len, size_t *wl)
{
	size_t e = *len, b;

	while (e > 0 && s[e - 1] == ' ')
		e--;
	b = e;
	while (b > 0 && s[b - 1] != ' ')
		b--;
	*wl = e - b;
	*len = b;
	return s + b;
}

/* One Conffiles line: the hash is the last word but the flags. */
static int
conffile_line(const char *s, size_t len, struct irk_dpkg_file *f)
{
	const char *w;
	size_t wl;

	memset(f, 0, sizeof(*f));
	trim(&s, &len);
	if (len == 0)
		return IRK_DPKG_SKIP;
	w = last_word(s, &len, &wl);
	if ((wl == 8 && memcmp(w, "obsolete", 8) == 0) ||
	    (wl == 17 && memcmp(w, "remove-on-upgrade", 17) == 0)) {
		f->obsolete = 1;
		w = last_word(s, &len, &wl);
	}
	trim(&s, &len);
	if (len == 0 || s[0] != '/' ||
	    irk_dpkg_path(s, len, f->path) != IRK_DPKG_OK)
		return IRK_DPKG_BAD;
	if (md5_hex(w, wl, f->md5) != 0) {
		f->md5[0] = '\0';
		return IRK_DPKG_SKIP;	/* "newconffile", a bad hash */
	}
	return IRK_DPKG_OK;
}

int
irk_dpkg_conffile_next(const char *s, size_t len, size_t *pos,
    struct irk_dpkg_file *f)
{
	const char *line, *nl;
	size_t ll;

	if (*pos >= len)
		return -1;
	line = s + *pos;
	nl = memchr(line, '\n', len - *pos);
	ll = nl != NULL ? (size_t)(nl - line) : len - *pos;
	*pos += ll + 1;
	if (ll > IRK_DPKG_PATH_MAX + 64) {
		memset(f, 0, sizeof(*f));
		return IRK_DPKG_BAD;
	}
	return conffile_line(line, ll, f);
}

int
irk_dpkg_md5sums_line(const char *line, size_t len, struct irk_dpkg_file *f)
{
	size_t i;

	memset(f, 0, sizeof(*f));
	if (len > 0 && line[len - 1] == '\r')
		len--;
	if (len == 0)
		return IRK_DPKG_SKIP;
	/* "MD5  path", or "MD5 *path" (binary mode) */
	if (len < 35 || md5_hex(line, 32, f->md5) != 0 || line[32] != ' ' ||
	    (line[33] != ' ' && line[33] != '*'))
		return IRK_DPKG_BAD;
	i = 34;
	if (irk_dpkg_path(line + i, len - i, f->path) != IRK_DPKG_OK)
		return IRK_DPKG_BAD;
	return IRK_DPKG_OK;
}
