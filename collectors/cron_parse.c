/*
 * cron_parse.c - crontab, anacrontab and at job parsers (see
 * cron_parse.h).  The syntax follows Vixie/ISC cron as shipped by Debian
 * and cronie (Red Hat): five time fields or an @macro, a user field in
 * system crontabs, NAME=value environment lines, '%' ending the command
 * and starting its standard input.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cron_parse.h"
#include "irkit/parse.h"
#include "irkit/timeutil.h"
#include "irkit/str.h"
#include "irkit/banned.h"

static const char *const month_names[] = { "jan", "feb", "mar", "apr",
    "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec" };
static const char *const day_names[] = { "sun", "mon", "tue", "wed", "thu",
    "fri", "sat" };

static const struct {
	const char *name;
	const char *fields;
} macros[] = {
	{ "@yearly", "0 0 1 1 *" }, { "@annually", "0 0 1 1 *" },
	{ "@monthly", "0 0 1 * *" }, { "@weekly", "0 0 * * 0" },
	{ "@daily", "0 0 * * *" }, { "@midnight", "0 0 * * *" },
	{ "@hourly", "0 * * * *" }, { "@reboot", NULL },
};

static const char *
skip_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

static const char *
skip_word(const char *p, const char *end)
{
	while (p < end && *p != ' ' && *p != '\t')
		p++;
	return p;
}

/* A number or a name (months 1-12, days 0-7) in [lo, hi]. */
static int
field_value(const char *s, size_t n, int lo, int hi,
    const char *const *names, int nnames, int name_base, int *out)
{
	uint64_t v;

	if (n == 3 && names != NULL) {
		for (int i = 0; i < nnames; i++) {
			if (strncasecmp(s, names[i], 3) == 0) {
				*out = i + name_base;
				return 0;
			}
		}
	}
	if (irk_parse_u64n(s, n, 10, (uint64_t)hi, &v) != 0 || (int)v < lo)
		return -1;
	*out = (int)v;
	return 0;
}

/*
 * One field: lists of "*", "N", "N-M", each with an optional "/step".
 * Sets bits in *set; star tells whether the field was a lone "*".
 */
static int
parse_field(const char *s, size_t n, int lo, int hi,
    const char *const *names, int nnames, int name_base, uint64_t *set,
    int *star)
{
	const char *end = s + n;

	*set = 0;
	*star = n == 1 && s[0] == '*';
	while (s < end) {
		const char *comma = memchr(s, ',', (size_t)(end - s));
		const char *item_end = comma ? comma : end;
		const char *slash = memchr(s, '/', (size_t)(item_end - s));
		const char *range_end = slash ? slash : item_end;
		const char *dash;
		int a, b, step = 1;

		if (range_end == s)
			return -1;
		if (slash != NULL) {
			uint64_t st;

			if (irk_parse_u64n(slash + 1, (size_t)(item_end - slash -
			    1), 10, (uint64_t)hi + 1, &st) != 0 || st == 0)
				return -1;
			step = (int)st;
		}
		if (range_end - s == 1 && *s == '*') {
			a = lo;
			b = hi;
		} else {
			dash = memchr(s, '-', (size_t)(range_end - s));
			if (field_value(s, (size_t)((dash ? dash : range_end) -
			    s), lo, hi, names, nnames, name_base, &a) != 0)
				return -1;
			b = a;
			if (dash != NULL) {
				if (field_value(dash + 1, (size_t)(range_end -
				    dash - 1), lo, hi, names, nnames, name_base,
				    &b) != 0)
					return -1;
			} else if (slash != NULL)
				b = hi;		/* "N/step" runs to the end */
			if (b < a)
				return -1;
		}
		for (int v = a; v <= b; v += step)
			*set |= 1ULL << v;
		s = comma ? comma + 1 : end;
		if (comma != NULL && s == end)
			return -1;
	}
	return 0;
}

/* Fill the sets from five fields; -1 with *why on error. */
static int
parse_times(struct irk_cron_entry *e, const char *f[5], const size_t fl[5],
    const char **why)
{
	uint64_t set;
	int star;

	if (parse_field(f[0], fl[0], 0, 59, NULL, 0, 0, &set, &star) != 0) {
		*why = "bad minute field";
		return -1;
	}
	e->minutes = set;
	if (parse_field(f[1], fl[1], 0, 23, NULL, 0, 0, &set, &star) != 0) {
		*why = "bad hour field";
		return -1;
	}
	e->hours = (uint32_t)set;
	if (parse_field(f[2], fl[2], 1, 31, NULL, 0, 0, &set, &e->dom_star)) {
		*why = "bad day-of-month field";
		return -1;
	}
	e->mdays = (uint32_t)set;
	if (parse_field(f[3], fl[3], 1, 12, month_names, 12, 1, &set, &star)) {
		*why = "bad month field";
		return -1;
	}
	e->months = (uint16_t)set;
	if (parse_field(f[4], fl[4], 0, 7, day_names, 7, 0, &set,
	    &e->dow_star)) {
		*why = "bad day-of-week field";
		return -1;
	}
	if (set & (1u << 7))
		set |= 1;	/* 7 is Sunday too */
	e->wdays = (uint8_t)(set & 0x7f);
	return 0;
}

/* Is p..end an environment assignment?  Sets name/value. */
static int
parse_env(const char *p, const char *end, char **name, char **value)
{
	const char *n = p, *eq, *v, *ve;

	while (p < end && (isalnum((unsigned char)*p) || *p == '_'))
		p++;
	if (p == n || isdigit((unsigned char)*n))
		return 0;
	eq = skip_ws(p, end);
	if (eq >= end || *eq != '=')
		return 0;
	v = skip_ws(eq + 1, end);
	ve = end;
	while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t'))
		ve--;
	if (ve - v >= 2 && (*v == '"' || *v == '\'') && ve[-1] == *v) {
		v++;
		ve--;
	}
	*name = irk_dupn(n, (size_t)(p - n));
	*value = irk_dupn(v, (size_t)(ve - v));
	return 1;
}

/* Split the command at the first unescaped '%'; undo "\%". */
static void
split_command(struct irk_cron_entry *e, const char *p, const char *end)
{
	char *cmd = malloc((size_t)(end - p) + 1), *in = NULL, *o = cmd;

	if (cmd == NULL)
		return;
	for (; p < end; p++) {
		if (*p == '\\' && p + 1 < end && p[1] == '%') {
			*o++ = '%';
			p++;
		} else if (*p == '%' && in == NULL) {
			*o++ = '\0';
			in = o;
		} else if (*p == '%')
			*o++ = '\n';
		else
			*o++ = *p;
	}
	*o = '\0';
	e->command = cmd;
	if (in != NULL)
		e->input = strdup(in);
}

/*
 * What every crontab and anacrontab line may be before its fields:
 * blank, a comment, an environment setting (*name and *value set), else
 * IRK_CRON_ENTRY with *pp at its first word.
 */
static int
line_kind(const char *line, const char *end, const char **pp, char **name,
    char **value)
{
	const char *p = skip_ws(line, end);

	if (p == end)
		return IRK_CRON_BLANK;
	if (*p == '#')
		return IRK_CRON_COMMENT;
	if (parse_env(p, end, name, value))
		return IRK_CRON_ENV;
	*pp = p;
	return IRK_CRON_ENTRY;
}

int
irk_cron_parse_line(const char *line, size_t len, int system_format,
    struct irk_cron_entry *e)
{
	const char *p, *end = line + len, *f[5];
	size_t fl[5];
	const char *why = NULL;

	memset(e, 0, sizeof(*e));
	if (len > 0 && line[len - 1] == '\r')
		end--;
	if ((size_t)(end - line) > IRK_CRON_LINE_MAX) {
		e->why = "line too long";
		return e->kind = IRK_CRON_BAD;
	}
	if (memchr(line, '\0', (size_t)(end - line)) != NULL) {
		e->why = "NUL byte in line";
		return e->kind = IRK_CRON_BAD;
	}
	if ((e->kind = line_kind(line, end, &p, &e->env_name,
	    &e->env_value)) != IRK_CRON_ENTRY)
		return e->kind;
	if (*p == '@') {
		const char *w = skip_word(p, end);
		size_t wl = (size_t)(w - p);
		size_t i;

		for (i = 0; i < sizeof(macros) / sizeof(macros[0]); i++)
			if (strlen(macros[i].name) == wl &&
			    strncasecmp(p, macros[i].name, wl) == 0)
				break;
		if (i == sizeof(macros) / sizeof(macros[0])) {
			e->why = "unknown @macro";
			return e->kind = IRK_CRON_BAD;
		}
		(void)snprintf(e->schedule, sizeof(e->schedule), "%.*s",
		    (int)wl, p);
		if (macros[i].fields == NULL) {
			e->reboot = 1;
		} else {
			const char *m = macros[i].fields, *me = m + strlen(m);

			for (int k = 0; k < 5; k++) {
				m = skip_ws(m, me);
				f[k] = m;
				m = skip_word(m, me);
				fl[k] = (size_t)(m - f[k]);
			}
			(void)parse_times(e, f, fl, &why);
		}
		p = skip_ws(w, end);
	} else {
		const char *s0 = p;

		for (int k = 0; k < 5; k++) {
			p = skip_ws(p, end);
			if (p == end) {
				e->why = "fewer than five time fields";
				return e->kind = IRK_CRON_BAD;
			}
			f[k] = p;
			p = skip_word(p, end);
			fl[k] = (size_t)(p - f[k]);
		}
		if (parse_times(e, f, fl, &why) != 0) {
			e->why = why;
			return e->kind = IRK_CRON_BAD;
		}
		if ((size_t)(p - s0) >= sizeof(e->schedule)) {
			e->why = "time fields too long";
			return e->kind = IRK_CRON_BAD;
		}
		(void)snprintf(e->schedule, sizeof(e->schedule), "%.*s",
		    (int)(p - s0), s0);
		p = skip_ws(p, end);
	}
	if (system_format) {
		const char *u = p, *ue = skip_word(p, end);

		if (u == ue) {
			e->why = "no user field";
			return e->kind = IRK_CRON_BAD;
		}
		if ((size_t)(ue - u) >= sizeof(e->user)) {
			e->why = "user name too long";
			return e->kind = IRK_CRON_BAD;
		}
		memcpy(e->user, u, (size_t)(ue - u));
		e->user[ue - u] = '\0';
		p = skip_ws(ue, end);
	}
	if (p == end) {
		e->why = "no command";
		return e->kind = IRK_CRON_BAD;
	}
	split_command(e, p, end);
	if (e->command == NULL) {
		e->why = "out of memory";
		return e->kind = IRK_CRON_BAD;
	}
	return e->kind = IRK_CRON_ENTRY;
}

void
irk_cron_entry_release(struct irk_cron_entry *e)
{
	free(e->command);
	free(e->input);
	free(e->env_name);
	free(e->env_value);
	memset(e, 0, sizeof(*e));
}

/* Day of week of a day count since 1970-01-01 (a Thursday). */
static int
weekday(int64_t days)
{
	return (int)(((days % 7) + 7 + 4) % 7);
}

static void
civil(int64_t days, int *y, int *m, int *d)
{
	/* civil from days, after H. Hinnant's public algorithm */
	int64_t z = days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;

	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

int64_t
irk_cron_next_run(const struct irk_cron_entry *e, int64_t now)
{
	int64_t t = now / 1000000, day, first;
	int sod;

	if (e->reboot || e->kind != IRK_CRON_ENTRY || e->minutes == 0 ||
	    e->hours == 0)
		return -1;
	t = (t / 60 + 1) * 60;		/* the next whole minute */
	first = t / 86400;
	sod = (int)(t % 86400);
	for (day = first; day < first + 5 * 366; day++, sod = 0) {
		int y, m, d, dom_ok, dow_ok;

		civil(day, &y, &m, &d);
		if (!(e->months & (1u << m)))
			continue;
		dom_ok = (e->mdays >> d) & 1;
		dow_ok = (e->wdays >> weekday(day)) & 1;
		/* cron: if both are restricted, either matches */
		if (e->dom_star || e->dow_star ? !(dom_ok && dow_ok) :
		    !(dom_ok || dow_ok))
			continue;
		for (int h = sod / 3600; h < 24; h++) {
			int m0 = h == sod / 3600 ? (sod % 3600) / 60 : 0;

			if (!(e->hours & (1u << h)))
				continue;
			for (int mi = m0; mi < 60; mi++)
				if (e->minutes & (1ULL << mi))
					return ((day * 86400) + h * 3600 +
					    mi * 60) * 1000000;
		}
	}
	return -1;
}

int
irk_anacron_parse_line(const char *line, size_t len,
    struct irk_anacron_entry *e)
{
	const char *p, *end = line + len, *w[3], *we[3];
	uint64_t v;

	memset(e, 0, sizeof(*e));
	if (len > 0 && line[len - 1] == '\r')
		end--;
	if ((size_t)(end - line) > IRK_CRON_LINE_MAX ||
	    memchr(line, '\0', (size_t)(end - line)) != NULL) {
		e->why = "line too long or binary";
		return e->kind = IRK_CRON_BAD;
	}
	if ((e->kind = line_kind(line, end, &p, &e->env_name,
	    &e->env_value)) != IRK_CRON_ENTRY)
		return e->kind;
	for (int k = 0; k < 3; k++) {
		p = skip_ws(p, end);
		w[k] = p;
		p = we[k] = skip_word(p, end);
		if (w[k] == we[k]) {
			e->why = "fewer than four fields";
			return e->kind = IRK_CRON_BAD;
		}
	}
	p = skip_ws(p, end);
	if (p == end) {
		e->why = "no command";
		return e->kind = IRK_CRON_BAD;
	}
	if (*w[0] == '@') {
		if (!((we[0] - w[0] == 8 && strncmp(w[0], "@monthly", 8) == 0) ||
		    (we[0] - w[0] == 7 && strncmp(w[0], "@weekly", 7) == 0) ||
		    (we[0] - w[0] == 6 && strncmp(w[0], "@daily", 6) == 0) ||
		    (we[0] - w[0] == 7 && strncmp(w[0], "@yearly", 7) == 0) ||
		    (we[0] - w[0] == 9 && strncmp(w[0], "@annually", 9) == 0))) {
			e->why = "unknown period";
			return e->kind = IRK_CRON_BAD;
		}
	} else if (irk_parse_u64n(w[0], (size_t)(we[0] - w[0]), 10, 100000,
	    &v) != 0) {
		e->why = "bad period";
		return e->kind = IRK_CRON_BAD;
	}
	if (irk_parse_u64n(w[1], (size_t)(we[1] - w[1]), 10, 1000000, &v)) {
		e->why = "bad delay";
		return e->kind = IRK_CRON_BAD;
	}
	if ((size_t)(we[2] - w[2]) >= sizeof(e->job_id) ||
	    (size_t)(we[0] - w[0]) >= sizeof(e->period) ||
	    (size_t)(we[1] - w[1]) >= sizeof(e->delay)) {
		e->why = "field too long";
		return e->kind = IRK_CRON_BAD;
	}
	memcpy(e->period, w[0], (size_t)(we[0] - w[0]));
	memcpy(e->delay, w[1], (size_t)(we[1] - w[1]));
	memcpy(e->job_id, w[2], (size_t)(we[2] - w[2]));
	e->command = irk_dupn(p, (size_t)(end - p));
	return e->kind = IRK_CRON_ENTRY;
}

void
irk_anacron_entry_release(struct irk_anacron_entry *e)
{
	free(e->command);
	free(e->env_name);
	free(e->env_value);
	memset(e, 0, sizeof(*e));
}

int
irk_at_parse_name(const char *name, char *queue, uint32_t *job,
    int64_t *run_at)
{
	uint64_t j, mins;

	if (strlen(name) != 14 || !isalpha((unsigned char)name[0]) ||
	    name[0] == '=')
		return -1;
	for (int i = 1; i < 14; i++)
		if (!isxdigit((unsigned char)name[i]))
			return -1;
	if (irk_parse_u64n(name + 1, 5, 16, 0xfffff, &j) != 0 ||
	    irk_parse_u64n(name + 6, 8, 16, 0xffffffff, &mins) != 0)
		return -1;
	*queue = name[0];
	*job = (uint32_t)j;
	*run_at = (int64_t)mins * 60 * 1000000;
	return 0;
}

static int
starts(const char *line, size_t n, const char *prefix)
{
	size_t pl = strlen(prefix);

	return n >= pl && memcmp(line, prefix, pl) == 0;
}

static int
add_line(char **out, size_t *outlen, const char *line, size_t n)
{
	char *p = realloc(*out, *outlen + n + 2);

	if (p == NULL)
		return -1;
	if (*outlen > 0)
		p[(*outlen)++] = '\n';
	memcpy(p + *outlen, line, n);
	*outlen += n;
	p[*outlen] = '\0';
	*out = p;
	return 0;
}

/*
 * at(1) writes: "#!/bin/sh", "# atrun uid=N gid=N", "# mail USER 0",
 * "umask NNN", exported environment, "cd DIR || {" ... "}", then the
 * job; newer versions wrap the job in a here-document:
 * "${SHELL:-/bin/sh} << 'marcinDELIMITERxxxx'" ... "marcinDELIMITERxxxx".
 */
int
irk_at_parse_job(const char *text, size_t len, struct irk_at_job *j)
{
	const char *p = text, *end = text + len;
	char delim[128] = "";
	size_t outlen = 0;
	int state = 0;	/* 0 preamble, 1 in "cd || {" block, 2 job, 3 done */

	memset(j, 0, sizeof(*j));
	j->uid = j->gid = -1;
	while (p < end && state != 3) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		size_t n = (size_t)(le - p);
		const char *l = p;

		p = nl ? nl + 1 : end;
		if (n > 0 && l[n - 1] == '\r')
			n--;
		if (n > IRK_CRON_LINE_MAX)
			continue;
		if (state == 0) {
			unsigned long long a, b;
			char tmp[IRK_CRON_LINE_MAX + 1];

			memcpy(tmp, l, n);
			tmp[n] = '\0';
			if (sscanf(tmp, "# atrun uid=%llu gid=%llu", &a, &b) ==
			    2 && a <= UINT32_MAX && b <= UINT32_MAX) {
				j->uid = (int64_t)a;
				j->gid = (int64_t)b;
			} else if (starts(l, n, "# mail ")) {
				const char *u = l + 7, *ue = memchr(u, ' ',
				    n - 7);

				free(j->mail_user);
				j->mail_user = irk_dupn(u, ue ?
				    (size_t)(ue - u) : n - 7);
			} else if (starts(l, n, "cd ") && n > 8 &&
			    memcmp(l + n - 5, " || {", 5) == 0) {
				free(j->cwd);
				j->cwd = irk_dupn(l + 3, n - 3 - 5);
				state = 1;
			}
			continue;
		}
		if (state == 1) {
			if (n == 1 && l[0] == '}')
				state = 2;
			continue;
		}
		if (delim[0] == '\0' && outlen == 0 &&
		    starts(l, n, "${SHELL:-/bin/sh} << '")) {
			const char *d = l + 22, *de = memchr(d, '\'',
			    n - 22);

			if (de != NULL && (size_t)(de - d) < sizeof(delim)) {
				memcpy(delim, d, (size_t)(de - d));
				delim[de - d] = '\0';
				continue;
			}
		}
		if (delim[0] != '\0' && n == strlen(delim) &&
		    memcmp(l, delim, n) == 0) {
			state = 3;
			continue;
		}
		if (n == 0 && outlen == 0)
			continue;
		if (add_line(&j->commands, &outlen, l, n) != 0)
			return -1;
		j->ncommands++;
	}
	if (state < 2) {
		/* not at's preamble: keep every line, the analyst decides */
		free(j->commands);
		j->commands = irk_dupn(text, len);
		outlen = len;
		if (j->commands == NULL)
			return -1;
	}
	/* drop trailing empty lines */
	while (outlen > 0 && (j->commands[outlen - 1] == '\n' ||
	    j->commands[outlen - 1] == '\r'))
		j->commands[--outlen] = '\0';
	return state >= 2 ? 0 : -1;
}

void
irk_at_job_release(struct irk_at_job *j)
{
	free(j->mail_user);
	free(j->cwd);
	free(j->commands);
	memset(j, 0, sizeof(*j));
}
