/*
 * pkglog_parse.c - package log lines (pkglog_parse.h).
 */
#include <string.h>

#include "pkglog_parse.h"
#include "irkit/debver.h"
#include "irkit/banned.h"

static int
num(const char *p, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	*out = v;
	return 0;
}

/* "YYYY-MM-DD" then sep spaces then "HH:MM:SS" into f. */
static int
date_time(const char *s, size_t n, int f[6], size_t *used)
{
	size_t i = 10;

	if (n < 19 || num(s, 4, &f[0]) || s[4] != '-' || num(s + 5, 2, &f[1]) ||
	    s[7] != '-' || num(s + 8, 2, &f[2]))
		return -1;
	while (i < n && s[i] == ' ')
		i++;
	if (i == 10 || n - i < 8 || num(s + i, 2, &f[3]) || s[i + 2] != ':' ||
	    num(s + i + 3, 2, &f[4]) || s[i + 5] != ':' ||
	    num(s + i + 6, 2, &f[5]) || f[1] < 1 || f[1] > 12 || f[2] < 1 ||
	    f[2] > 31 || f[3] > 23 || f[4] > 59 || f[5] > 60)
		return -1;
	*used = i + 8;
	return 0;
}

int
irk_apt_date(const char *s, size_t n, int f[6])
{
	size_t used;

	return date_time(s, n, f, &used);
}

static struct irk_span
word(const char **p, const char *end)
{
	struct irk_span w;

	while (*p < end && **p == ' ')
		(*p)++;
	w.p = *p;
	while (*p < end && **p != ' ')
		(*p)++;
	w.n = (size_t)(*p - w.p);
	return w;
}

/* "name<sep>arch" split at the last sep ("pkg:arch", "name.arch") */
static void
split_last(struct irk_span s, char sep, struct irk_span *name,
    struct irk_span *arch)
{
	*name = s;
	arch->p = NULL;
	arch->n = 0;
	for (size_t i = s.n; i > 0; i--)
		if (s.p[i - 1] == sep) {
			name->n = i - 1;
			arch->p = s.p + i;
			arch->n = s.n - i;
			break;
		}
}

static void
split_arch(struct irk_span s, struct irk_span *name, struct irk_span *arch)
{
	split_last(s, ':', name, arch);
}

int
irk_dpkg_line(const char *line, size_t len, struct irk_dpkg_line *d)
{
	static const char *const actions[] = { "install", "upgrade",
	    "remove", "purge", NULL };
	const char *p, *end = line + len;
	struct irk_span a, pkg;
	int f[6];
	size_t used;

	memset(d, 0, sizeof(*d));
	if (date_time(line, len, f, &used) != 0)
		return 0;
	d->year = f[0], d->mon = f[1], d->mday = f[2];
	d->hour = f[3], d->min = f[4], d->sec = f[5];
	p = line + used;
	a = word(&p, end);
	for (size_t i = 0; actions[i] != NULL; i++)
		if (strlen(actions[i]) == a.n &&
		    memcmp(actions[i], a.p, a.n) == 0)
			d->action = actions[i];
	if (d->action == NULL)
		return 0;
	pkg = word(&p, end);
	split_arch(pkg, &d->pkg, &d->arch);
	d->oldv = word(&p, end);
	d->newv = word(&p, end);
	if (d->oldv.n == 6 && memcmp(d->oldv.p, "<none>", 6) == 0)
		d->oldv.p = NULL;
	if (d->newv.n == 6 && memcmp(d->newv.p, "<none>", 6) == 0)
		d->newv.p = NULL;
	/* dpkg logs a downgrade as an upgrade to an earlier version */
	if (d->action == actions[1] && d->oldv.p != NULL &&
	    d->newv.p != NULL && irk_debver_cmp(d->newv.p, d->newv.n,
	    d->oldv.p, d->oldv.n) < 0)
		d->action = "downgrade";
	return d->pkg.n > 0;
}

size_t
irk_apt_list(const char *s, size_t n,
    void (*fn)(void *arg, const struct irk_apt_pkg *p, size_t i), void *arg)
{
	const char *p = s, *end = s + n;
	size_t count = 0;

	while (p < end) {
		struct irk_apt_pkg k;
		struct irk_span whole = { p, 0 }, v;
		const char *close;

		memset(&k, 0, sizeof(k));
		while (p < end && *p != ' ' && *p != '(')
			p++;
		whole.n = (size_t)(p - whole.p);
		split_arch(whole, &k.name, &k.arch);
		while (p < end && *p == ' ')
			p++;
		if (p < end && *p == '(') {
			p++;
			close = memchr(p, ')', (size_t)(end - p));
			if (close == NULL)
				close = end;
			v.p = p;
			v.n = (size_t)(close - p);
			/* "v1", "v1, v2", "v1, automatic" */
			for (size_t i = 0; i + 1 < v.n; i++)
				if (v.p[i] == ',' && v.p[i + 1] == ' ') {
					k.v2.p = v.p + i + 2;
					k.v2.n = v.n - i - 2;
					v.n = i;
					break;
				}
			k.v1 = v;
			if (k.v2.n == 9 && memcmp(k.v2.p, "automatic", 9) == 0) {
				k.automatic = 1;
				k.v2.p = NULL;
				k.v2.n = 0;
			}
			p = close < end ? close + 1 : end;
		}
		if (k.name.n > 0)
			fn(arg, &k, count++);
		while (p < end && (*p == ',' || *p == ' '))
			p++;
	}
	return count;
}

const char *
irk_rpm_message(struct irk_span prog, struct irk_span msg,
    struct irk_span *name, struct irk_span *version, struct irk_span *arch)
{
	static const char *const map[][2] = {
		{ "Installed", "install" }, { "Install", "install" },
		{ "Updated", "upgrade" }, { "Upgrade", "upgrade" },
		{ "Erased", "remove" }, { "Erase", "remove" },
		{ "Reinstall", "reinstall" }, { "Reinstalled", "reinstall" },
		{ "Downgrade", "downgrade" }, { "Downgraded", "downgrade" },
	};
	const char *action = NULL, *p;
	struct irk_span s = msg;
	size_t i, dash = 0, dash2 = 0, dot = 0;

	for (i = 0; i < sizeof(map) / sizeof(map[0]) && prog.p != NULL; i++)
		if (strlen(map[i][0]) == prog.n &&
		    memcmp(map[i][0], prog.p, prog.n) == 0)
			action = map[i][1];
	if (action == NULL)
		return NULL;
	while (s.n > 0 && *s.p == ' ')
		s.p++, s.n--;
	/* an epoch "2:" first (yum.log) */
	for (p = s.p; p < s.p + s.n && *p >= '0' && *p <= '9'; p++)
		;
	if (p > s.p && p < s.p + s.n && *p == ':') {
		s.n -= (size_t)(p + 1 - s.p);
		s.p = p + 1;
	}
	for (i = 0; i < s.n && s.p[i] != ' '; i++) {
		if (s.p[i] == '-') {
			dash2 = dash;
			dash = i;
		} else if (s.p[i] == '.')
			dot = i;
	}
	s.n = i;
	*name = s;
	version->p = arch->p = NULL;
	version->n = arch->n = 0;
	if (dash2 > 0 && dot > dash) {
		name->n = dash2;
		version->p = s.p + dash2 + 1;
		version->n = dot - dash2 - 1;
		arch->p = s.p + dot + 1;
		arch->n = s.n - dot - 1;
	}
	return name->n > 0 ? action : NULL;
}

/* s starts with the NUL-terminated prefix; *rest what follows it. */
static int
starts(const char *s, size_t n, const char *prefix, struct irk_span *rest)
{
	size_t k = strlen(prefix);

	if (n < k || memcmp(s, prefix, k) != 0)
		return 0;
	rest->p = s + k;
	rest->n = n - k;
	return 1;
}

/* "(TEXT)" at *p: TEXT in v, *p after the ')'; -1 for none */
static int
paren(const char **p, const char *end, struct irk_span *v)
{
	const char *close;

	if (*p >= end || **p != '(')
		return -1;
	if ((close = memchr(*p + 1, ')', (size_t)(end - *p - 1))) == NULL)
		return -1;
	v->p = *p + 1;
	v->n = (size_t)(close - v->p);
	*p = close + 1;
	return 0;
}

/* "PKG[:ARCH] (V)[ over (OLD)]" of a term.log package line */
static int
term_pkg(struct irk_span s, struct irk_term_line *t)
{
	const char *p = s.p, *end = s.p + s.n;
	struct irk_span pkg = word(&p, end);

	if (pkg.n == 0 || p >= end || *p++ != ' ' ||
	    paren(&p, end, &t->version) != 0 || t->version.n == 0)
		return 0;
	split_arch(pkg, &t->pkg, &t->arch);
	if ((size_t)(end - p) >= 7 && memcmp(p, " over (", 7) == 0) {
		p += 6;
		if (paren(&p, end, &t->old) != 0)
			return 0;
	}
	return t->pkg.n > 0;
}

static const char *
term_over(const struct irk_term_line *t)
{
	int c = irk_debver_cmp(t->version.p, t->version.n, t->old.p,
	    t->old.n);

	return c < 0 ? "downgrade" : c == 0 ? "reinstall" : "upgrade";
}

enum irk_term_kind
irk_term_line(const char *line, size_t len, struct irk_term_line *t)
{
	static const char *const forms[][2] = {
		{ "Unpacking ", "install" }, { "Setting up ", "configure" },
		{ "Removing ", "remove" },
		{ "Purging configuration files for ", "purge" },
	};
	struct irk_span v;

	memset(t, 0, sizeof(*t));
	if (starts(line, len, "Log started: ", &v))
		return irk_apt_date(v.p, v.n, t->date) == 0 ? IRK_TERM_START :
		    IRK_TERM_OTHER;
	if (starts(line, len, "Log ended: ", &v))
		return IRK_TERM_END;
	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		if (!starts(line, len, forms[i][0], &v))
			continue;
		if (!term_pkg(v, t))
			return IRK_TERM_OTHER;
		t->action = forms[i][1];
		/* unpacked over a version: an upgrade, a reinstall (the same
		 * version) or a downgrade (an earlier one), in Debian's
		 * order */
		if (t->old.p != NULL && i == 0)
			t->action = term_over(t);
		else
			t->old.p = NULL, t->old.n = 0;
		return IRK_TERM_PKG;
	}
	return IRK_TERM_OTHER;
}

const char *
irk_dnf_package(struct irk_span msg, struct irk_span *name,
    struct irk_span *arch, struct irk_span *version)
{
	static const char *const ends[][2] = {
		{ "installed", "install" }, { "an upgrade", "upgrade" },
		{ "erased", "remove" }, { "a downgrade", "downgrade" },
		{ "reinstalled", "reinstall" },
	};
	const char *p, *end = msg.p + msg.n;
	struct irk_span v, na;

	if (!starts(msg.p, msg.n, "---> Package ", &v))
		return NULL;
	p = v.p;
	na = word(&p, end);
	*version = word(&p, end);
	if (!starts(p, (size_t)(end - p), " will be ", &v))
		return NULL;
	while (v.n > 0 && (v.p[v.n - 1] == ' ' || v.p[v.n - 1] == '\r' ||
	    v.p[v.n - 1] == '.'))
		v.n--;
	split_last(na, '.', name, arch);
	if (name->n == 0 || version->n == 0)
		return NULL;
	for (size_t i = 0; i < sizeof(ends) / sizeof(ends[0]); i++)
		if (strlen(ends[i][0]) == v.n &&
		    memcmp(ends[i][0], v.p, v.n) == 0)
			return ends[i][1];
	return NULL;
}
