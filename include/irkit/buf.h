/*
 * buf.h - a growable byte buffer with a hard maximum.
 *
 * Every read of untrusted input goes through one of these: the maximum
 * is required, so nothing read from /proc, a unit file, a certificate or
 * an archive member can grow memory without bound.  The data is always
 * NUL-terminated (the terminator is not counted in len).
 *
 *	struct irk_buf b;
 *	irk_buf_init(&b, 1 << 20);
 *	if (irk_buf_read_fd(&b, fd) == IRK_TOOBIG) ...
 *	irk_buf_release(&b);
 */
#ifndef IRKIT_BUF_H
#define IRKIT_BUF_H

#include <stddef.h>
#include <sys/types.h>

struct irk_buf {
	char *data;
	size_t len;
	size_t cap;
	size_t max;
};

void irk_buf_init(struct irk_buf *b, size_t max);
void irk_buf_release(struct irk_buf *b);
void irk_buf_reset(struct irk_buf *b);

/* Append; IRK_TOOBIG (nothing appended) when len would pass max. */
int irk_buf_add(struct irk_buf *b, const void *data, size_t len);
int irk_buf_addstr(struct irk_buf *b, const char *s);
int irk_buf_addch(struct irk_buf *b, int c);
int irk_buf_printf(struct irk_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * Read fd to EOF (files in /proc report size 0, so sizes are never
 * trusted).  Returns IRK_OK, IRK_TOOBIG when more than max bytes are
 * available (b holds the first max bytes), or IRK_FAIL with errno set.
 */
int irk_buf_read_fd(struct irk_buf *b, int fd);

/* Take the data out; the caller frees it.  The buffer is empty after. */
char *irk_buf_detach(struct irk_buf *b, size_t *len);

/*
 * Line iteration over a buffer: sets *line and *len to the next line without
 * its "\n" (and a trailing "\r"), advances *pos.  Returns 1 for a line, 0
 * at the end.  Lines longer than maxline are reported with *len set to
 * the full length so the caller can skip them explicitly.
 */
int irk_buf_next_line(const struct irk_buf *b, size_t *pos,
    const char **line, size_t *len);

#endif
