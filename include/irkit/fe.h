/*
 * fe.h - the front-end layer both programs share: the message prefix
 * ("irkit-analyze ingest: "), warnings and errors on stderr, and safe
 * printing of text that came from evidence.
 *
 * Evidence is written by attackers: a file or member name may hold
 * terminal escape sequences.  Everything printed through this layer is
 * escaped (as bsdtar's safe_fprintf does): C0 and C1 control characters,
 * DEL, backslash and bytes that are not valid UTF-8 become \xNN (or \n,
 * \t, \\); the Unicode bidirectional controls become \uXXXX (as \u202E:
 * "photo<U+202E>gpj.exe" would show as "photoexe.jpg"); other valid
 * UTF-8 passes.  Only a single newline at the very end of a formatted
 * message is written as is.
 *
 * Messages follow git's style: lowercase, no final period, names in
 * quotes.  Only main() exits.
 */
#ifndef IRKIT_FE_H
#define IRKIT_FE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Program and (optional) command name used as the message prefix. */
void irk_fe_set_prog(const char *prog);
void irk_fe_set_cmd(const char *cmd);
/* "irkit-analyze ingest" or "irkit-collect"; never NULL. */
const char *irk_fe_prefix(void);

/* "PREFIX: MESSAGE\n" on stderr, the message escaped. */
void irk_fe_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "PREFIX: warning: MESSAGE\n" on stderr, the message escaped. */
void irk_fe_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Format, then write escaped; a final '\n' of the result stays a newline. */
int irk_safe_fprintf(FILE *fp, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* The same for a NUL-terminated string; NULL prints as "(null)". */
void irk_safe_fputs(const char *s, FILE *fp);

/*
 * Escape into dst (always NUL-terminated when dstlen > 0).  Returns the
 * length the escaped text needs (like snprintf): a result >= dstlen
 * means it was cut.
 */
size_t irk_safe_escape(char *dst, size_t dstlen, const char *s, size_t n);

/*
 * Length (1..4) of the valid UTF-8 sequence at u, 0 when it is not one
 * (overlong forms, surrogates, > U+10FFFF and cut sequences included).
 * n is the number of bytes available.
 */
size_t irk_utf8_seq(const unsigned char *u, size_t n);

/* The UTF-8 of code point cp (at most U+10FFFF) in u: its length, 1..4. */
size_t irk_utf8_put(unsigned char u[4], uint32_t cp);

/*
 * The code point of the Unicode bidirectional control whose k-byte
 * UTF-8 sequence is at u (U+061C, U+200E, U+200F, U+202A..U+202E,
 * U+2066..U+2069); 0 for any other character.  k is irk_utf8_seq's.
 */
unsigned int irk_bidi_control(const unsigned char *u, size_t k);

/* Non-zero when fp is a terminal (progress is shown only then). */
int irk_fe_isatty(FILE *fp);

#endif
