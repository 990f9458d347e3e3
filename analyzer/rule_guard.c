/*
 * rule_guard.c - header and size guards of YARA rules, from their source
 * (see rule_guard.h).  A lexer of YARA's tokens (comments, text strings,
 * regular expressions, hex strings, numbers with KB/MB) and a parser of
 * the rule structure (imports, includes, private/global, tags, meta,
 * strings, condition); the condition's tokens are split at top-level
 * `and` and each conjunct is matched against the guard forms exactly,
 * token by token.  Anything else leaves the rule in every class.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "irkit/err.h"
#include "irkit/strmap.h"
#include "rule_guard.h"
#include "irkit/banned.h"

#define COND_MAX	(1u << 16)	/* condition tokens; more: unsure */
#define NEST_MAX	64		/* parentheses looked through */
#define NAME_MAX_LEN	256
#define PREFIX_LEN	4		/* header bytes the classes look at */
#define MAX_STR_BYTES	64		/* a `$s at N` string, decoded */

enum {
	T_EOF, T_BAD, T_IDENT, T_NUM, T_STR, T_REGEX, T_HEX, T_VAR, T_PUNCT,
};

struct tok {
	int kind;
	size_t off, len;
	uint64_t num;		/* T_NUM: value (KB/MB applied) */
	int num_ok;		/* T_NUM: an integer that fits */
};

struct lexer {
	const char *p;
	size_t len, pos;
	int prev_eq;		/* the last token was '=': '{' opens hex */
	struct tok la[2];	/* lookahead */
	int nla;
};

/* A string of the rule: `$name = value`, usable for `$name at N`. */
struct str_def {
	size_t name_off, name_len;
	unsigned char bytes[MAX_STR_BYTES];
	size_t nbytes;		/* 0: not exact bytes */
};

/* What one rule's conjuncts require of a file. */
struct req {
	unsigned char eq[PREFIX_LEN];
	unsigned eqmask;	/* positions of eq set */
	int conflict;		/* two guards disagree: unsure */
	unsigned hdr_no;	/* header classes ruled out */
	uint64_t max_size;
};

static const unsigned char mz_magic[] = { 'M', 'Z' };
static const unsigned char elf_magic[] = { 0x7f, 'E', 'L', 'F' };

static const struct {
	const unsigned char *p;
	size_t n;
} class_magic[] = {
	[IRK_GUARD_HDR_MZ] = { mz_magic, sizeof(mz_magic) },
	[IRK_GUARD_HDR_ELF] = { elf_magic, sizeof(elf_magic) },
};

/* ---- lexer ---- */

static int
is_ident0(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int
is_ident(int c)
{
	return is_ident0(c) || (c >= '0' && c <= '9');
}

static int
hexval(int c)
{
	static const char digits[] = "0123456789abcdef";
	const char *d;

	if (c == '\0' || (d = strchr(digits, tolower(c))) == NULL)
		return -1;
	return (int)(d - digits);
}

/* Blanks and comments; -1 on an unterminated comment. */
static int
skip_space(struct lexer *lx)
{
	const char *p = lx->p;

	while (lx->pos < lx->len) {
		char c = p[lx->pos];

		if (c == ' ' || c == '\t' || c == '\r' || c == '\n' ||
		    c == '\f' || c == '\v') {
			lx->pos++;
		} else if (c == '/' && lx->pos + 1 < lx->len &&
		    p[lx->pos + 1] == '/') {
			while (lx->pos < lx->len && p[lx->pos] != '\n')
				lx->pos++;
		} else if (c == '/' && lx->pos + 1 < lx->len &&
		    p[lx->pos + 1] == '*') {
			lx->pos += 2;
			while (lx->pos + 1 < lx->len && !(p[lx->pos] == '*' &&
			    p[lx->pos + 1] == '/'))
				lx->pos++;
			if (lx->pos + 1 >= lx->len)
				return -1;
			lx->pos += 2;
		} else {
			break;
		}
	}
	return 0;
}

/* A quoted string or a regular expression up to its closing delimiter
 * on the same line (a backslash escapes the next byte). */
static int
lex_quoted(struct lexer *lx, char delim)
{
	lx->pos++;
	while (lx->pos < lx->len && lx->p[lx->pos] != delim) {
		if (lx->p[lx->pos] == '\n')
			return -1;
		if (lx->p[lx->pos] == '\\')
			lx->pos++;
		lx->pos++;
	}
	if (lx->pos >= lx->len)
		return -1;
	lx->pos++;
	return 0;
}

/* A hex string: up to the closing brace, comments allowed inside. */
static int
lex_hex(struct lexer *lx)
{
	lx->pos++;
	for (;;) {
		if (skip_space(lx) != 0 || lx->pos >= lx->len ||
		    lx->p[lx->pos] == '{')
			return -1;
		if (lx->p[lx->pos++] == '}')
			return 0;
	}
}

static void
lex_number(struct lexer *lx, struct tok *t)
{
	const char *p = lx->p;
	uint64_t v = 0;
	int ok = 1, base = 10;

	if (lx->pos + 1 < lx->len && p[lx->pos] == '0' &&
	    (p[lx->pos + 1] == 'x' || p[lx->pos + 1] == 'X')) {
		base = 16;
		lx->pos += 2;
	} else if (lx->pos + 1 < lx->len && p[lx->pos] == '0' &&
	    p[lx->pos + 1] == 'o') {
		base = 8;
		lx->pos += 2;
	}
	while (lx->pos < lx->len && is_ident(p[lx->pos])) {
		int d = hexval(p[lx->pos]);

		if (d < 0 || d >= base)
			break;
		if (v > (UINT64_MAX >> 4))
			ok = 0;
		v = v * (uint64_t)base + (uint64_t)d;
		lx->pos++;
	}
	/* a float (1.5) is not a number here; 0..10 is a range */
	if (lx->pos + 1 < lx->len && p[lx->pos] == '.' &&
	    p[lx->pos + 1] >= '0' && p[lx->pos + 1] <= '9') {
		ok = 0;
		lx->pos++;
		while (lx->pos < lx->len && is_ident(p[lx->pos]))
			lx->pos++;
	}
	if (base == 10 && lx->pos + 1 < lx->len && p[lx->pos + 1] == 'B' &&
	    (p[lx->pos] == 'K' || p[lx->pos] == 'M')) {
		unsigned shift = p[lx->pos] == 'K' ? 10 : 20;

		if (v > (UINT64_MAX >> shift))
			ok = 0;
		v <<= shift;
		lx->pos += 2;
	}
	/* an identifier glued to the digits is no number YARA knows */
	if (lx->pos < lx->len && is_ident(p[lx->pos])) {
		t->kind = T_BAD;
		return;
	}
	t->num = v;
	t->num_ok = ok && v <= (uint64_t)INT64_MAX;
}

static void
lex_punct(struct lexer *lx, struct tok *t)
{
	static const char *const two[] = {
		"==", "!=", "<=", ">=", "<<", ">>", "..", NULL,
	};
	const char *p = lx->p + lx->pos;

	if (lx->pos + 1 < lx->len)
		for (int i = 0; two[i] != NULL; i++)
			if (p[0] == two[i][0] && p[1] == two[i][1]) {
				lx->pos += 2;
				return;
			}
	if (strchr("()[]{},:=<>+-*\\%&|^~.", p[0]) == NULL || p[0] == '\0')
		t->kind = T_BAD;
	lx->pos++;
}

static void
lex_one(struct lexer *lx, struct tok *t)
{
	char c;

	memset(t, 0, sizeof(*t));
	if (skip_space(lx) != 0) {
		t->kind = T_BAD;
		return;
	}
	t->off = lx->pos;
	if (lx->pos >= lx->len) {
		t->kind = T_EOF;
		return;
	}
	c = lx->p[lx->pos];
	if (c == '"' || c == '/') {
		t->kind = c == '"' ? T_STR : T_REGEX;
		if (lex_quoted(lx, c) != 0)
			t->kind = T_BAD;
		else if (c == '/')	/* flags: /re/is */
			while (lx->pos < lx->len && is_ident(lx->p[lx->pos]))
				lx->pos++;
	} else if (c == '{' && lx->prev_eq) {
		t->kind = lex_hex(lx) == 0 ? T_HEX : T_BAD;
	} else if (c >= '0' && c <= '9') {
		t->kind = T_NUM;
		lex_number(lx, t);
	} else if (is_ident0(c)) {
		t->kind = T_IDENT;
		while (lx->pos < lx->len && is_ident(lx->p[lx->pos]))
			lx->pos++;
	} else if ((c == '$' || c == '#' || c == '@' || c == '!') &&
	    !(c == '!' && lx->pos + 1 < lx->len &&
	    lx->p[lx->pos + 1] == '=')) {
		t->kind = T_VAR;
		lx->pos++;
		while (lx->pos < lx->len && is_ident(lx->p[lx->pos]))
			lx->pos++;
		if (lx->pos < lx->len && lx->p[lx->pos] == '*')
			lx->pos++;
	} else {
		t->kind = T_PUNCT;
		lex_punct(lx, t);
	}
	t->len = lx->pos - t->off;
	lx->prev_eq = t->kind == T_PUNCT && t->len == 1 && c == '=';
}

/* The token n ahead (0: the next one), not consumed. */
static const struct tok *
peek(struct lexer *lx, int n)
{
	while (lx->nla <= n)
		lex_one(lx, &lx->la[lx->nla++]);
	return &lx->la[n];
}

static struct tok
next(struct lexer *lx)
{
	struct tok t = *peek(lx, 0);

	lx->la[0] = lx->la[1];
	lx->nla--;
	return t;
}

static int
tok_is(const char *text, const struct tok *t, int kind, const char *s)
{
	size_t n = strlen(s);

	return t->kind == kind && t->len == n && memcmp(text + t->off, s, n) ==
	    0;
}

#define IS_ID(lx, t, s)	tok_is((lx)->p, (t), T_IDENT, (s))
#define IS_P(lx, t, s)	tok_is((lx)->p, (t), T_PUNCT, (s))

/* ---- string definitions ---- */

/* "MZ" with escapes \" \\ \t \n \r \xHH: its bytes, or 0 when not exact. */
static size_t
decode_text(const char *p, size_t len, unsigned char *out)
{
	size_t n = 0;

	for (size_t i = 1; i + 1 < len; i++) {
		unsigned char c = (unsigned char)p[i];

		if (n >= MAX_STR_BYTES)
			return 0;
		if (c == '\\') {
			if (++i + 1 >= len)
				return 0;
			switch (p[i]) {
			case '"': case '\\': c = (unsigned char)p[i]; break;
			case 't': c = '\t'; break;
			case 'n': c = '\n'; break;
			case 'r': c = '\r'; break;
			case 'x':
				if (i + 3 > len || hexval(p[i + 1]) < 0 ||
				    hexval(p[i + 2]) < 0)
					return 0;
				c = (unsigned char)(hexval(p[i + 1]) * 16 +
				    hexval(p[i + 2]));
				i += 2;
				break;
			default:
				return 0;
			}
		}
		out[n++] = c;
	}
	return n;
}

/* { 4D 5A }: its bytes, or 0 with any wildcard, jump or alternative. */
static size_t
decode_hex(const char *p, size_t len, unsigned char *out)
{
	size_t n = 0;
	int hi = -1;

	for (size_t i = 1; i + 1 < len; i++) {
		int d = hexval(p[i]);

		if (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' ||
		    p[i] == '\n') {
			if (hi >= 0)
				return 0;
			continue;
		}
		if (d < 0 || n >= MAX_STR_BYTES)
			return 0;
		if (hi < 0) {
			hi = d;
		} else {
			out[n++] = (unsigned char)(hi * 16 + d);
			hi = -1;
		}
	}
	return hi >= 0 ? 0 : n;
}

/* ---- the condition ---- */

struct cond {
	const char *text;
	struct tok *t;
	size_t n, cap;
	const struct str_def *strs;
	size_t nstrs;
	int flags;
};

static int
is_word(const struct cond *c, size_t i, const char *s)
{
	return i < c->n && tok_is(c->text, &c->t[i], T_IDENT, s);
}

static int
is_op(const struct cond *c, size_t i, const char *s)
{
	return i < c->n && tok_is(c->text, &c->t[i], T_PUNCT, s);
}

static int
is_num(const struct cond *c, size_t i)
{
	return i < c->n && c->t[i].kind == T_NUM && c->t[i].num_ok;
}

/* The index of the bracket closing the one at i, or hi. */
static size_t
closing(const struct cond *c, size_t i, size_t hi)
{
	int depth = 0;

	for (; i < hi; i++) {
		if (is_op(c, i, "(") || is_op(c, i, "["))
			depth++;
		else if ((is_op(c, i, ")") || is_op(c, i, "]")) && --depth == 0)
			return i;
	}
	return hi;
}

static void
require_bytes(struct req *r, uint64_t off, const unsigned char *b, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		uint64_t pos = off + k;

		if (pos >= PREFIX_LEN)
			break;
		if ((r->eqmask & (1u << pos)) && r->eq[pos] != b[k])
			r->conflict = 1;
		r->eq[pos] = b[k];
		r->eqmask |= 1u << pos;
	}
}

/* `bytes at off != b`: classes whose magic holds exactly those bytes. */
static void
forbid_bytes(struct req *r, uint64_t off, const unsigned char *b, size_t n)
{
	for (int h = 0; h < IRK_GUARD_HDR_OTHER; h++)
		if (off + n <= class_magic[h].n &&
		    memcmp(class_magic[h].p + off, b, n) == 0)
			r->hdr_no |= 1u << h;
}

/* uint16(0) and friends: width and byte order, or 0. */
static int
int_reader(const struct cond *c, size_t i, int *be)
{
	static const struct {
		const char *name;
		int width, be;
	} fns[] = {
		{ "uint8", 1, 0 }, { "uint16", 2, 0 }, { "uint32", 4, 0 },
		{ "uint8be", 1, 1 }, { "uint16be", 2, 1 }, { "uint32be", 4, 1 },
	};

	for (size_t k = 0; k < sizeof(fns) / sizeof(fns[0]); k++)
		if (is_word(c, i, fns[k].name)) {
			*be = fns[k].be;
			return fns[k].width;
		}
	return 0;
}

/* [uintN ( OFF ) OP VALUE] or [VALUE OP uintN ( OFF )], exactly. */
static int
match_int_guard(const struct cond *c, size_t lo, size_t hi, struct req *r)
{
	size_t f = lo, v = lo + 5, op = lo + 4;
	int width, be, eq;
	unsigned char b[4];
	uint64_t val;

	if (hi - lo != 6)
		return 0;
	if (is_num(c, lo)) {
		f = lo + 2;
		v = lo;
		op = lo + 1;
	}
	if ((width = int_reader(c, f, &be)) == 0 || !is_op(c, f + 1, "(") ||
	    !is_num(c, f + 2) || !is_op(c, f + 3, ")") || !is_num(c, v))
		return 0;
	if (!(eq = is_op(c, op, "==")) && !is_op(c, op, "!="))
		return 0;
	val = c->t[v].num;
	if (width < 8 && val >> (8 * width) != 0)
		return 0;
	for (int k = 0; k < width; k++)
		b[be ? width - 1 - k : k] = (unsigned char)(val >> (8 * k));
	if (eq)
		require_bytes(r, c->t[f + 2].num, b, (size_t)width);
	else
		forbid_bytes(r, c->t[f + 2].num, b, (size_t)width);
	return 1;
}

/* [$name at OFF] with $name plain text or hex bytes. */
static int
match_at_guard(const struct cond *c, size_t lo, size_t hi, struct req *r)
{
	const struct tok *v = &c->t[lo];

	if (hi - lo != 3 || v->kind != T_VAR || c->text[v->off] != '$' ||
	    v->len < 2 || c->text[v->off + v->len - 1] == '*' ||
	    !is_word(c, lo + 1, "at") || !is_num(c, lo + 2))
		return 0;
	for (size_t k = 0; k < c->nstrs; k++) {
		const struct str_def *s = &c->strs[k];

		if (s->name_len == v->len && memcmp(c->text + s->name_off,
		    c->text + v->off, v->len) == 0) {
			if (s->nbytes == 0)
				return 0;
			require_bytes(r, c->t[lo + 2].num, s->bytes, s->nbytes);
			return 1;
		}
	}
	return 0;
}

/* [pe . is_pe], [elf . type == elf . NAME], [elf . type == N] */
static int
match_module_guard(const struct cond *c, size_t lo, size_t hi, struct req *r)
{
	if (hi - lo == 3 && is_word(c, lo, "pe") && is_op(c, lo + 1, ".") &&
	    is_word(c, lo + 2, "is_pe")) {
		/* is_pe needs a DOS header: "MZ" */
		r->hdr_no |= (1u << IRK_GUARD_HDR_ELF) |
		    (1u << IRK_GUARD_HDR_OTHER);
		return 1;
	}
	if ((hi - lo == 5 || hi - lo == 7) && is_word(c, lo, "elf") &&
	    is_op(c, lo + 1, ".") && is_word(c, lo + 2, "type") &&
	    is_op(c, lo + 3, "==") && (hi - lo == 5 ? is_num(c, lo + 4) :
	    is_word(c, lo + 4, "elf") && is_op(c, lo + 5, ".") &&
	    c->t[lo + 6].kind == T_IDENT)) {
		/* elf.type is undefined unless the file starts \x7fELF */
		r->hdr_no |= (1u << IRK_GUARD_HDR_MZ) |
		    (1u << IRK_GUARD_HDR_OTHER);
		return 1;
	}
	return 0;
}

/* [filesize < N], <=, or N > filesize, N >= filesize. */
static int
match_size_guard(const struct cond *c, size_t lo, size_t hi, struct req *r)
{
	const char *lt = "<", *le = "<=";
	size_t n = lo + 2;
	int incl;
	uint64_t max;

	if (hi - lo != 3)
		return 0;
	if (is_num(c, lo) && is_word(c, lo + 2, "filesize")) {
		n = lo;
		lt = ">";
		le = ">=";
	} else if (!is_word(c, lo, "filesize") || !is_num(c, lo + 2)) {
		return 0;
	}
	if (is_op(c, lo + 1, lt))
		incl = 0;
	else if (is_op(c, lo + 1, le))
		incl = 1;
	else
		return 0;
	if (!incl && c->t[n].num == 0)
		return 0;
	max = incl ? c->t[n].num : c->t[n].num - 1;
	if (max < r->max_size)
		r->max_size = max;
	return 1;
}

/*
 * The conjuncts of c->t[lo, hi): parentheses around the whole are
 * dropped, a top-level `or` ends the search (unless BREAK_OR), and each
 * operand of a top-level `and` is a conjunct, searched again.
 */
static void
conjuncts(const struct cond *c, size_t lo, size_t hi, struct req *r,
    int depth)
{
	size_t i, start;
	int has_or = 0, has_and = 0;

	if (depth > NEST_MAX)
		return;
	for (int k = 0; k < NEST_MAX && lo < hi && is_op(c, lo, "(") &&
	    closing(c, lo, hi) == hi - 1; k++) {
		lo++;
		hi--;
	}
	if (lo >= hi)
		return;
	for (i = lo; i < hi; i++) {
		if (is_op(c, i, "(") || is_op(c, i, "[")) {
			i = closing(c, i, hi);
			continue;
		}
		if (is_word(c, i, "or"))
			has_or = 1;
		else if (is_word(c, i, "and"))
			has_and = 1;
	}
	if (has_or && !(c->flags & IRK_GUARD_BREAK_OR))
		return;
	if (has_or || has_and) {
		for (i = start = lo; i <= hi; i++) {
			if (i < hi && (is_op(c, i, "(") || is_op(c, i, "["))) {
				i = closing(c, i, hi);
				continue;
			}
			if (i == hi || is_word(c, i, "and") ||
			    is_word(c, i, "or")) {
				conjuncts(c, start, i, r, depth + 1);
				start = i + 1;
			}
		}
		return;
	}
	(void)(match_int_guard(c, lo, hi, r) || match_at_guard(c, lo, hi, r) ||
	    match_module_guard(c, lo, hi, r) || match_size_guard(c, lo, hi, r));
}

/* The header classes a rule requiring r may match. */
static unsigned
classes_ok(const struct req *r)
{
	unsigned ok = IRK_GUARD_ALL_HDR & ~r->hdr_no;

	for (int h = 0; h < IRK_GUARD_HDR_OTHER; h++) {
		int all = 1;

		for (size_t k = 0; k < class_magic[h].n; k++) {
			if (!(r->eqmask & (1u << k))) {
				all = 0;
			} else if (r->eq[k] != class_magic[h].p[k]) {
				ok &= ~(1u << h);
				all = 0;
			}
		}
		/* the guard says the file starts with this class's magic */
		if (all)
			ok &= ~(1u << IRK_GUARD_HDR_OTHER);
	}
	return ok;
}

/* ---- the rules ---- */

struct parser {
	struct lexer lx;
	struct irk_guard_file *g;
	struct cond c;
	struct str_def *strs;
	size_t nstrs, capstrs;
	size_t rule_end;	/* after the last rule's '}' */
	int flags;
};

static int
grow(void **v, size_t *cap, size_t need, size_t size)
{
	size_t nc;
	void *nv;

	if (need <= *cap)
		return 0;
	nc = *cap ? *cap * 2 : 16;
	while (nc < need)
		nc *= 2;
	if ((nv = realloc(*v, nc * size)) == NULL)
		return -1;
	*v = nv;
	*cap = nc;
	return 0;
}

static int
add_name(char ***v, size_t *n, const char *p, size_t len)
{
	char **nv;

	if (len >= NAME_MAX_LEN)
		return 0;
	if ((nv = realloc(*v, (*n + 1) * sizeof(**v))) == NULL)
		return -1;
	*v = nv;
	if ((nv[*n] = strndup(p, len)) == NULL)
		return -1;
	(*n)++;
	return 0;
}

/* `$name = value modifiers...` in the strings section; -1 unsure. */
static int
parse_string_def(struct parser *ps)
{
	struct lexer *lx = &ps->lx;
	struct tok name = next(lx), v;
	struct str_def *s;
	int plain = 1;

	if (name.kind != T_VAR || lx->p[name.off] != '$' ||
	    !IS_P(lx, peek(lx, 0), "="))
		return -1;
	(void)next(lx);
	v = next(lx);
	if (v.kind != T_STR && v.kind != T_HEX && v.kind != T_REGEX)
		return -1;
	/* modifiers: ascii, wide, nocase, xor(1-2), base64("..."), ... */
	while (peek(lx, 0)->kind == T_IDENT && !(IS_ID(lx, peek(lx, 0),
	    "condition") && IS_P(lx, peek(lx, 1), ":"))) {
		struct tok m = next(lx);

		if (!IS_ID(lx, &m, "ascii") && !IS_ID(lx, &m, "private"))
			plain = 0;
		if (IS_P(lx, peek(lx, 0), "(")) {
			while (peek(lx, 0)->kind != T_EOF &&
			    peek(lx, 0)->kind != T_BAD &&
			    !IS_P(lx, peek(lx, 0), ")"))
				(void)next(lx);
			if (!IS_P(lx, peek(lx, 0), ")"))
				return -1;
			(void)next(lx);
		}
	}
	if (grow((void **)&ps->strs, &ps->capstrs, ps->nstrs + 1,
	    sizeof(*ps->strs)) != 0)
		return -2;
	s = &ps->strs[ps->nstrs++];
	memset(s, 0, sizeof(*s));
	s->name_off = name.off;
	s->name_len = name.len;
	if (plain && v.kind == T_STR)
		s->nbytes = decode_text(lx->p + v.off, v.len, s->bytes);
	else if (plain && v.kind == T_HEX)
		s->nbytes = decode_hex(lx->p + v.off, v.len, s->bytes);
	return 0;
}

/* The condition's tokens up to the rule's closing brace (consumed). */
static int
read_condition(struct parser *ps)
{
	struct lexer *lx = &ps->lx;
	int depth = 0;

	ps->c.n = 0;
	for (;;) {
		struct tok t = next(lx);

		if (t.kind == T_EOF || t.kind == T_BAD || t.kind == T_HEX ||
		    ps->c.n >= COND_MAX)
			return -1;
		if (depth == 0 && IS_P(lx, &t, "}")) {
			ps->rule_end = t.off + t.len;
			return ps->c.n > 0 ? 0 : -1;
		}
		if (IS_P(lx, &t, "(") || IS_P(lx, &t, "["))
			depth++;
		else if (IS_P(lx, &t, ")") || IS_P(lx, &t, "]"))
			depth--;
		if (depth < 0)
			return -1;
		if (grow((void **)&ps->c.t, &ps->c.cap, ps->c.n + 1,
		    sizeof(*ps->c.t)) != 0)
			return -2;
		ps->c.t[ps->c.n++] = t;
	}
}

/* Identifiers of the condition (not after '.'), IDENT* as prefixes. */
static int
collect_refs(struct parser *ps)
{
	const struct cond *c = &ps->c;
	struct irk_guard_file *g = ps->g;

	for (size_t i = 0; i < c->n; i++) {
		const struct tok *t = &c->t[i];
		int rc;

		if (t->kind != T_IDENT || (i > 0 && is_op(c, i - 1, ".")))
			continue;
		if (is_op(c, i + 1, "*"))
			rc = add_name(&g->prefixes, &g->nprefixes,
			    c->text + t->off, t->len);
		else
			rc = add_name(&g->refs, &g->nrefs, c->text + t->off,
			    t->len);
		if (rc != 0)
			return -2;
	}
	return 0;
}

/* The sections of a rule's body after '{'; -1 unsure, -2 no memory. */
static int
parse_body(struct parser *ps)
{
	struct lexer *lx = &ps->lx;
	int section = 0;	/* 0 none, 'm' meta, 's' strings */

	ps->nstrs = 0;
	for (;;) {
		const struct tok *t = peek(lx, 0);
		int rc;

		if (t->kind == T_IDENT && IS_P(lx, peek(lx, 1), ":")) {
			if (IS_ID(lx, t, "condition")) {
				(void)next(lx);
				(void)next(lx);
				return read_condition(ps);
			}
			if (IS_ID(lx, t, "meta"))
				section = 'm';
			else if (IS_ID(lx, t, "strings"))
				section = 's';
			else
				return -1;
			(void)next(lx);
			(void)next(lx);
			continue;
		}
		if (section == 's') {
			if ((rc = parse_string_def(ps)) != 0)
				return rc;
			continue;
		}
		/* meta: NAME = "text" | N | -N | true | false */
		if (section != 'm' || t->kind != T_IDENT ||
		    !IS_P(lx, peek(lx, 1), "="))
			return -1;
		(void)next(lx);
		(void)next(lx);
		if (IS_P(lx, peek(lx, 0), "-"))
			(void)next(lx);
		t = peek(lx, 0);
		if (t->kind != T_STR && t->kind != T_NUM && t->kind != T_IDENT)
			return -1;
		(void)next(lx);
	}
}

/* One rule from its modifiers to '}'; -1 unsure, -2 no memory. */
static int
parse_rule(struct parser *ps)
{
	struct lexer *lx = &ps->lx;
	struct irk_guard_file *g = ps->g;
	struct irk_guard_rule *r;
	struct tok t = *peek(lx, 0), name;
	struct req q;
	size_t start = t.off;
	int global = 0, rc;

	while (IS_ID(lx, peek(lx, 0), "private") ||
	    IS_ID(lx, peek(lx, 0), "global")) {
		t = next(lx);
		if (IS_ID(lx, &t, "global"))
			global = 1;
	}
	t = next(lx);
	name = next(lx);
	if (!IS_ID(lx, &t, "rule") || name.kind != T_IDENT ||
	    name.len >= NAME_MAX_LEN)
		return -1;
	if (IS_P(lx, peek(lx, 0), ":"))
		for ((void)next(lx); peek(lx, 0)->kind == T_IDENT;)
			(void)next(lx);
	t = next(lx);
	if (!IS_P(lx, &t, "{"))
		return -1;
	if ((rc = parse_body(ps)) != 0)
		return rc;
	if (collect_refs(ps) != 0)
		return -2;
	if ((r = realloc(g->rules, (g->nrules + 1) * sizeof(*r))) == NULL)
		return -2;
	g->rules = r;
	r = &g->rules[g->nrules];
	memset(r, 0, sizeof(*r));
	if ((r->name = strndup(lx->p + name.off, name.len)) == NULL)
		return -2;
	g->nrules++;
	r->start = start;
	r->end = ps->rule_end;
	memset(&q, 0, sizeof(q));
	q.max_size = IRK_GUARD_NO_BOUND;
	ps->c.strs = ps->strs;
	ps->c.nstrs = ps->nstrs;
	conjuncts(&ps->c, 0, ps->c.n, &q, 0);
	r->global = global;
	r->keep = global || q.conflict;
	r->hdr_ok = q.conflict ? IRK_GUARD_ALL_HDR : classes_ok(&q);
	r->max_size = q.conflict ? IRK_GUARD_NO_BOUND : q.max_size;
	return 0;
}

int
irk_guard_parse(const char *text, size_t len, int flags,
    struct irk_guard_file *g)
{
	struct parser ps;
	int rc = 0;

	memset(g, 0, sizeof(*g));
	memset(&ps, 0, sizeof(ps));
	ps.lx.p = text;
	ps.lx.len = len;
	ps.g = g;
	ps.flags = flags;
	ps.c.text = text;
	ps.c.flags = flags;
	while (rc == 0) {
		const struct tok *t = peek(&ps.lx, 0);

		if (t->kind == T_EOF)
			break;
		if (IS_ID(&ps.lx, t, "import") || IS_ID(&ps.lx, t, "include")) {
			if (IS_ID(&ps.lx, t, "include"))
				g->whole = 1;
			(void)next(&ps.lx);
			if (next(&ps.lx).kind != T_STR)
				rc = -1;
			continue;
		}
		rc = parse_rule(&ps);
	}
	if (rc != 0)
		g->whole = 1;
	for (size_t i = 0; g->whole && i < g->nrules; i++)
		g->rules[i].keep = 1;
	free(ps.c.t);
	free(ps.strs);
	return rc == -2 ? IRK_FATAL : IRK_OK;
}

static void
free_names(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void
irk_guard_release(struct irk_guard_file *g)
{
	if (g == NULL)
		return;
	for (size_t i = 0; i < g->nrules; i++)
		free(g->rules[i].name);
	free(g->rules);
	free_names(g->refs, g->nrefs);
	free_names(g->prefixes, g->nprefixes);
	memset(g, 0, sizeof(*g));
}

int
irk_guard_mark_refs(struct irk_guard_file *files, size_t n)
{
	struct irk_strmap refs;
	int rc = IRK_OK;

	irk_strmap_init(&refs, NULL);
	for (size_t f = 0; f < n && rc == IRK_OK; f++)
		for (size_t i = 0; i < files[f].nrefs; i++)
			if (irk_strmap_put(&refs, files[f].refs[i], NULL) != 0) {
				rc = IRK_FATAL;
				break;
			}
	for (size_t f = 0; f < n && rc == IRK_OK; f++) {
		for (size_t i = 0; i < files[f].nrules; i++) {
			struct irk_guard_rule *r = &files[f].rules[i];

			if (irk_strmap_has(&refs, r->name))
				r->keep = 1;
			for (size_t k = 0; k < n && !r->keep; k++)
				for (size_t j = 0; j < files[k].nprefixes; j++)
					if (strncmp(r->name, files[k].prefixes[j],
					    strlen(files[k].prefixes[j])) == 0) {
						r->keep = 1;
						break;
					}
		}
	}
	irk_strmap_release(&refs);
	return rc;
}

int
irk_guard_hdr_class(const unsigned char *p, size_t len)
{
	for (int h = 0; h < IRK_GUARD_HDR_OTHER; h++)
		if (len >= class_magic[h].n &&
		    memcmp(p, class_magic[h].p, class_magic[h].n) == 0)
			return h;
	return IRK_GUARD_HDR_OTHER;
}

int
irk_guard_may_match(const struct irk_guard_rule *r, int hdr,
    uint64_t min_size)
{
	if (r->keep)
		return 1;
	if (hdr < 0 || hdr >= IRK_GUARD_NHDR || !(r->hdr_ok & (1u << hdr)))
		return 0;
	return r->max_size >= min_size;
}
