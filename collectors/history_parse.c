/*
 * history_parse.c - shell and tool history formats (see
 * history_parse.h): one entry out per command, with its time where the
 * format keeps one.
 */
#include <string.h>

#include "history_parse.h"
#include "irkit/err.h"
#include "irkit/parse.h"
#include "irkit/banned.h"

#define ZSH_META	0x83

void
irk_hist_init(struct irk_hist_parser *p, enum irk_hist_format format,
    irk_hist_emit_fn emit, void *arg)
{
	memset(p, 0, sizeof(*p));
	p->format = format;
	p->emit = emit;
	p->arg = arg;
	p->pending = IRK_HIST_NOTIME;
	irk_buf_init(&p->cur, IRK_HIST_ENTRY_MAX);
}

void
irk_hist_release(struct irk_hist_parser *p)
{
	irk_buf_release(&p->cur);
}

/* Append to the entry, cutting it at its bound. */
static void
cur_add(struct irk_hist_parser *p, const char *s, size_t n)
{
	size_t room = p->cur.max - p->cur.len;

	if (n > room) {
		n = room;
		p->e.cut = 1;
	}
	if (n > 0 && irk_buf_add(&p->cur, s, n) != IRK_OK)
		p->e.cut = 1;
}

/* Start an entry at the current line. */
static void
begin(struct irk_hist_parser *p, int64_t time)
{
	irk_buf_reset(&p->cur);
	memset(&p->e, 0, sizeof(p->e));
	p->e.time = time;
	p->e.duration = -1;
	p->e.line = p->lineno;
	p->e.section = p->section;
	p->have = 1;
}

/* Hand over the entry being built, if any. */
static int
flush(struct irk_hist_parser *p)
{
	if (!p->have)
		return IRK_OK;
	p->have = 0;
	p->e.cmd = p->cur.data != NULL ? p->cur.data : "";
	p->e.len = p->cur.len;
	return p->emit(p->arg, &p->e);
}

/* The digits at s (at most 18 of them), or IRK_HIST_NOTIME. */
static int64_t
leading_number(const char *s, size_t len, size_t *used)
{
	uint64_t v;
	size_t n = 0;

	while (n < len && s[n] >= '0' && s[n] <= '9')
		n++;
	if (used != NULL)
		*used = n;
	if (n == 0 || n > 18 || irk_parse_u64n(s, n, 10, INT64_MAX, &v) != 0)
		return IRK_HIST_NOTIME;
	return (int64_t)v;
}

static int
bash_line(struct irk_hist_parser *p, const char *s, size_t len, int cut)
{
	int r;

	if (len >= 2 && s[0] == '#' && s[1] >= '0' && s[1] <= '9') {
		if (p->lineno == 1)
			p->multiline = 1;
		p->pending = leading_number(s + 1, len - 1, NULL);
		return IRK_OK;
	}
	if (len == 0)
		return IRK_OK;
	if (p->pending == IRK_HIST_NOTIME && p->multiline && p->have) {
		cur_add(p, "\n", 1);
		cur_add(p, s, len);
		p->e.cut |= cut;
		return IRK_OK;
	}
	if ((r = flush(p)) != IRK_OK)
		return r;
	begin(p, p->pending);
	p->pending = IRK_HIST_NOTIME;
	cur_add(p, s, len);
	p->e.cut |= cut;
	return IRK_OK;
}

size_t
irk_hist_unmetafy(char *s, size_t len)
{
	size_t i, o = 0;

	for (i = 0; i < len; i++) {
		if ((unsigned char)s[i] == ZSH_META && i + 1 < len)
			s[o++] = (char)(s[++i] ^ 0x20);
		else
			s[o++] = s[i];
	}
	return o;
}

/* ": START:ELAPSED;COMMAND": the time and elapsed taken off the entry. */
static void
zsh_extended(struct irk_hist_parser *p)
{
	const char *s = p->cur.data;
	size_t len = p->cur.len, i = 2, n;
	int64_t start, elapsed = -1;

	if (len < 3 || s[0] != ':' || s[1] != ' ')
		return;
	start = leading_number(s + i, len - i, &n);
	if (start == IRK_HIST_NOTIME)
		return;
	i += n;
	if (i < len && s[i] == ':') {
		i++;
		elapsed = leading_number(s + i, len - i, &n);
		i += n;
	}
	if (i >= len || s[i] != ';')
		return;
	i++;
	p->e.time = start;
	p->e.duration = elapsed == IRK_HIST_NOTIME ? -1 : elapsed;
	memmove(p->cur.data, s + i, len - i);
	p->cur.len = len - i;
	p->cur.data[p->cur.len] = '\0';
}

/* A whole zsh entry: unmetafied, its times taken, handed over. */
static int
zsh_entry(struct irk_hist_parser *p)
{
	if (p->cur.len == 0) {
		p->have = 0;
		return IRK_OK;
	}
	p->cur.len = irk_hist_unmetafy(p->cur.data, p->cur.len);
	p->cur.data[p->cur.len] = '\0';
	zsh_extended(p);
	return flush(p);
}

static int
zsh_line(struct irk_hist_parser *p, const char *s, size_t len, int cut)
{
	size_t spc;

	if (!p->more)
		begin(p, IRK_HIST_NOTIME);
	p->e.cut |= cut;
	/* as zsh's readhistline: a final backslash is a newline */
	if (len > 0 && s[len - 1] == '\\' && !cut) {
		cur_add(p, s, len - 1);
		cur_add(p, "\n", 1);
		p->more = 1;
		return IRK_OK;
	}
	/* spaces after a backslash: zsh wrote one more */
	for (spc = len; spc > 0 && s[spc - 1] == ' '; spc--)
		;
	if (spc != len && spc > 0 && s[spc - 1] == '\\')
		len--;
	cur_add(p, s, len);
	p->more = 0;
	return zsh_entry(p);
}

/* fish's escapes: "\\" and "\n"; any other backslash stays. */
static void
fish_add(struct irk_hist_parser *p, const char *s, size_t len)
{
	size_t i, from = 0;

	for (i = 0; i + 1 < len; i++) {
		if (s[i] != '\\' || (s[i + 1] != '\\' && s[i + 1] != 'n'))
			continue;
		cur_add(p, s + from, i - from);
		cur_add(p, s[i + 1] == 'n' ? "\n" : "\\", 1);
		from = i + 2;
		i++;
	}
	cur_add(p, s + from, len - from);
}

static int
fish_line(struct irk_hist_parser *p, const char *s, size_t len, int cut)
{
	int r;

	if (len >= 7 && memcmp(s, "- cmd: ", 7) == 0) {
		if ((r = flush(p)) != IRK_OK)
			return r;
		begin(p, IRK_HIST_NOTIME);
		fish_add(p, s + 7, len - 7);
		p->e.cut |= cut;
	} else if (p->have && len >= 8 && memcmp(s, "  when: ", 8) == 0)
		p->e.time = leading_number(s + 8, len - 8, NULL);
	return IRK_OK;
}

static int
octal(char c)
{
	return c >= '0' && c <= '7';
}

/* One entry a line; libedit's \ooo escapes and psql's 0x01 undone. */
static int
plain_line(struct irk_hist_parser *p, const char *s, size_t len, int cut)
{
	size_t i, from = 0;

	if (p->lineno == 1 && len == 12 && memcmp(s, "_HiStOrY_V2_", 12) == 0) {
		p->libedit = 1;
		return IRK_OK;
	}
	if (len == 0)
		return IRK_OK;
	begin(p, IRK_HIST_NOTIME);
	p->e.cut = cut;
	for (i = 0; i < len; i++) {
		char c;

		if (p->format == IRK_HIST_PSQL && s[i] == '\001')
			c = '\n';
		else if (p->libedit && s[i] == '\\' && i + 3 < len &&
		    octal(s[i + 1]) && octal(s[i + 2]) && octal(s[i + 3])) {
			c = (char)(((s[i + 1] - '0') << 6) |
			    ((s[i + 2] - '0') << 3) | (s[i + 3] - '0'));
			cur_add(p, s + from, i - from);
			cur_add(p, &c, 1);
			i += 3;
			from = i + 1;
			continue;
		} else
			continue;
		cur_add(p, s + from, i - from);
		cur_add(p, &c, 1);
		from = i + 1;
	}
	cur_add(p, s + from, len - from);
	return flush(p);
}

static int
less_line(struct irk_hist_parser *p, const char *s, size_t len, int cut)
{
	if (len > 0 && s[0] == '.') {
		if (len == 7 && memcmp(s, ".search", 7) == 0)
			p->section = "search";
		else if (len == 6 && memcmp(s, ".shell", 6) == 0)
			p->section = "shell";
		else
			p->section = NULL;
		return IRK_OK;
	}
	if (p->section == NULL || len == 0 || s[0] != '"')
		return IRK_OK;
	begin(p, IRK_HIST_NOTIME);
	p->e.cut = cut;
	cur_add(p, s + 1, len - 1);
	return flush(p);
}

int
irk_hist_line(struct irk_hist_parser *p, const char *line, size_t len,
    int cut)
{
	p->lineno++;
	switch (p->format) {
	case IRK_HIST_BASH:
		return bash_line(p, line, len, cut);
	case IRK_HIST_ZSH:
		return zsh_line(p, line, len, cut);
	case IRK_HIST_FISH:
		return fish_line(p, line, len, cut);
	case IRK_HIST_PLAIN:
	case IRK_HIST_PSQL:
		return plain_line(p, line, len, cut);
	case IRK_HIST_LESS:
		return less_line(p, line, len, cut);
	}
	return IRK_OK;
}

int
irk_hist_end(struct irk_hist_parser *p)
{
	if (p->format == IRK_HIST_ZSH && p->more) {
		/* a backslash on the last line: the entry as it stands */
		p->more = 0;
		return zsh_entry(p);
	}
	return flush(p);
}
