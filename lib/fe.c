/* fe.c - message prefix, warnings, safe printing (see irkit/fe.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "irkit/fe.h"
#include "irkit/banned.h"

/* The prefix is set once by main(); the one global of the front end. */
static char fe_prefix[96] = "irkit";
static char fe_prog[48] = "irkit";

void
irk_fe_set_prog(const char *prog)
{
	(void)snprintf(fe_prog, sizeof(fe_prog), "%s", prog);
	(void)snprintf(fe_prefix, sizeof(fe_prefix), "%s", prog);
}

void
irk_fe_set_cmd(const char *cmd)
{
	if (cmd == NULL || *cmd == '\0')
		(void)snprintf(fe_prefix, sizeof(fe_prefix), "%s", fe_prog);
	else
		(void)snprintf(fe_prefix, sizeof(fe_prefix), "%s %s", fe_prog,
		    cmd);
}

const char *
irk_fe_prefix(void)
{
	return fe_prefix;
}

size_t
irk_utf8_put(unsigned char u[4], uint32_t cp)
{
	if (cp < 0x80) {
		u[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		u[0] = (unsigned char)(0xc0 | (cp >> 6));
		u[1] = (unsigned char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		u[0] = (unsigned char)(0xe0 | (cp >> 12));
		u[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		u[2] = (unsigned char)(0x80 | (cp & 0x3f));
		return 3;
	}
	u[0] = (unsigned char)(0xf0 | (cp >> 18));
	u[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
	u[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
	u[3] = (unsigned char)(0x80 | (cp & 0x3f));
	return 4;
}

size_t
irk_utf8_seq(const unsigned char *u, size_t n)
{
	size_t len, i;
	unsigned int cp;

	if (n == 0)
		return 0;
	if (u[0] < 0x80)
		return 1;
	if (u[0] >= 0xc2 && u[0] <= 0xdf) {
		len = 2;
		cp = u[0] & 0x1f;
	} else if (u[0] >= 0xe0 && u[0] <= 0xef) {
		len = 3;
		cp = u[0] & 0x0f;
	} else if (u[0] >= 0xf0 && u[0] <= 0xf4) {
		len = 4;
		cp = u[0] & 0x07;
	} else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((u[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (u[i] & 0x3f);
	}
	if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return len;
}

unsigned int
irk_bidi_control(const unsigned char *u, size_t k)
{
	unsigned int cp;

	if (k == 2 && u[0] == 0xd8 && u[1] == 0x9c)
		return 0x061c;		/* ARABIC LETTER MARK */
	if (k != 3 || u[0] != 0xe2 || (u[1] != 0x80 && u[1] != 0x81))
		return 0;
	cp = 0x2000 | ((unsigned int)(u[1] & 0x3f) << 6) | (u[2] & 0x3f);
	if (cp == 0x200e || cp == 0x200f || (cp >= 0x202a && cp <= 0x202e) ||
	    (cp >= 0x2066 && cp <= 0x2069))
		return cp;
	return 0;
}

/* Copy n bytes to dst at offset at (cut at dstlen); the new offset. */
static size_t
put(char *dst, size_t dstlen, size_t at, const char *s, size_t n)
{
	if (at < dstlen) {
		size_t room = dstlen - at - 1;
		memcpy(dst + at, s, n < room ? n : room);
	}
	return at + n;
}

size_t
irk_safe_escape(char *dst, size_t dstlen, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, k, at = 0;
	unsigned int bidi;
	char esc[12];

	while (i < n) {
		k = irk_utf8_seq(u + i, n - i);
		if (k == 1 && u[i] >= 0x20 && u[i] != 0x7f && u[i] != '\\') {
			at = put(dst, dstlen, at, s + i, 1);
		} else if (k == 1 && (u[i] == '\n' || u[i] == '\t' ||
		    u[i] == '\\')) {
			esc[0] = '\\';
			esc[1] = u[i] == '\n' ? 'n' : u[i] == '\t' ? 't' : '\\';
			at = put(dst, dstlen, at, esc, 2);
		} else if (k == 2 && u[i] == 0xc2 && u[i + 1] < 0xa0) {
			/* C1 controls (U+0080..U+009F): CSI and friends */
			(void)snprintf(esc, sizeof(esc), "\\x%02x\\x%02x", u[i],
			    u[i + 1]);
			at = put(dst, dstlen, at, esc, 8);
		} else if ((bidi = irk_bidi_control(u + i, k)) != 0) {
			/* a bidirectional control would reorder the line */
			(void)snprintf(esc, sizeof(esc), "\\u%04X", bidi);
			at = put(dst, dstlen, at, esc, 6);
		} else if (k > 1) {
			at = put(dst, dstlen, at, s + i, k);
		} else {
			(void)snprintf(esc, sizeof(esc), "\\x%02x", u[i]);
			at = put(dst, dstlen, at, esc, 4);
			k = 1;
		}
		i += k;
	}
	if (dstlen > 0)
		dst[at < dstlen ? at : dstlen - 1] = '\0';
	return at;
}

static void
irk_safe_write(FILE *fp, const char *s, size_t n)
{
	char out[1024];
	size_t i, chunk, need;

	/* escape in slices; a slice never ends inside a UTF-8 sequence */
	for (i = 0; i < n; i += chunk) {
		chunk = n - i < 200 ? n - i : 200;
		while (chunk < n - i && chunk > 196 &&
		    ((unsigned char)s[i + chunk] & 0xc0) == 0x80)
			chunk--;
		need = irk_safe_escape(out, sizeof(out), s + i, chunk);
		(void)fwrite(out, 1, need < sizeof(out) ? need :
		    sizeof(out) - 1, fp);
	}
}

void
irk_safe_fputs(const char *s, FILE *fp)
{
	if (s == NULL)
		s = "(null)";
	irk_safe_write(fp, s, strlen(s));
}

static int irk_safe_vfprintf(FILE *, const char *, va_list)
    __attribute__((format(printf, 2, 0)));

static int
irk_safe_vfprintf(FILE *fp, const char *fmt, va_list ap)
{
	char small[1024], *p = small;
	va_list ap2;
	int n;
	size_t len;

	va_copy(ap2, ap);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	if (n < 0) {
		va_end(ap2);
		return -1;
	}
	if ((size_t)n >= sizeof(small)) {
		if ((p = malloc((size_t)n + 1)) == NULL) {
			va_end(ap2);
			return -1;
		}
		(void)vsnprintf(p, (size_t)n + 1, fmt, ap2);
	}
	va_end(ap2);
	len = (size_t)n;
	if (len > 0 && p[len - 1] == '\n') {
		irk_safe_write(fp, p, len - 1);
		(void)fputc('\n', fp);
	} else
		irk_safe_write(fp, p, len);
	if (p != small)
		free(p);
	return n;
}

int
irk_safe_fprintf(FILE *fp, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = irk_safe_vfprintf(fp, fmt, ap);
	va_end(ap);
	return n;
}

static void fe_vmsg(const char *kind, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

static void
fe_vmsg(const char *kind, const char *fmt, va_list ap)
{
	(void)fflush(stdout);
	(void)fprintf(stderr, "%s: %s", fe_prefix, kind);
	(void)irk_safe_vfprintf(stderr, fmt, ap);
	(void)fputc('\n', stderr);
}

void
irk_fe_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fe_vmsg("", fmt, ap);
	va_end(ap);
}

void
irk_fe_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fe_vmsg("warning: ", fmt, ap);
	va_end(ap);
}

int
irk_fe_isatty(FILE *fp)
{
	return isatty(fileno(fp));
}
