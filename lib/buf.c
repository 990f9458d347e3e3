/* buf.c - bounded growable buffer (see irkit/buf.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "irkit/buf.h"
#include "irkit/err.h"
#include "irkit/banned.h"

void
irk_buf_init(struct irk_buf *b, size_t max)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max;
}

void
irk_buf_release(struct irk_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

void
irk_buf_reset(struct irk_buf *b)
{
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

static int
grow(struct irk_buf *b, size_t need)
{
	size_t ncap;
	char *p;

	if (need > b->max)
		return IRK_TOOBIG;
	if (need + 1 <= b->cap)
		return IRK_OK;
	ncap = b->cap ? b->cap : 256;
	while (ncap < need + 1)
		ncap *= 2;
	if (ncap > b->max + 1)
		ncap = b->max + 1;
	if ((p = realloc(b->data, ncap)) == NULL)
		return IRK_FAIL;
	b->data = p;
	b->cap = ncap;
	return IRK_OK;
}

int
irk_buf_add(struct irk_buf *b, const void *data, size_t len)
{
	int r;

	if (len > b->max || b->len > b->max - len)
		return IRK_TOOBIG;
	if ((r = grow(b, b->len + len)) != IRK_OK)
		return r;
	if (len > 0)
		memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
	return IRK_OK;
}

int
irk_buf_addstr(struct irk_buf *b, const char *s)
{
	return irk_buf_add(b, s, strlen(s));
}

int
irk_buf_addch(struct irk_buf *b, int c)
{
	char ch = (char)c;

	return irk_buf_add(b, &ch, 1);
}

int
irk_buf_printf(struct irk_buf *b, const char *fmt, ...)
{
	va_list ap;
	char small[256];
	int n, r;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return IRK_FAIL;
	if ((size_t)n < sizeof(small))
		return irk_buf_add(b, small, (size_t)n);
	if (b->len > b->max || (size_t)n > b->max - b->len)
		return IRK_TOOBIG;
	if ((r = grow(b, b->len + (size_t)n)) != IRK_OK)
		return r;
	va_start(ap, fmt);
	(void)vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return IRK_OK;
}

int
irk_buf_read_fd(struct irk_buf *b, int fd)
{
	char chunk[16384];
	ssize_t n;
	size_t room;

	for (;;) {
		n = read(fd, chunk, sizeof(chunk));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return IRK_FAIL;
		}
		if (n == 0)
			return IRK_OK;
		room = b->max - b->len;
		if ((size_t)n > room) {
			(void)irk_buf_add(b, chunk, room);
			return IRK_TOOBIG;
		}
		if (irk_buf_add(b, chunk, (size_t)n) != IRK_OK)
			return IRK_FAIL;
	}
}

char *
irk_buf_detach(struct irk_buf *b, size_t *len)
{
	char *p = b->data;

	if (p == NULL)
		p = calloc(1, 1);
	if (len != NULL)
		*len = b->len;
	b->data = NULL;
	b->len = b->cap = 0;
	return p;
}

int
irk_buf_next_line(const struct irk_buf *b, size_t *pos, const char **line,
    size_t *len)
{
	const char *s, *nl;
	size_t n;

	if (b->data == NULL || *pos >= b->len)
		return 0;
	s = b->data + *pos;
	nl = memchr(s, '\n', b->len - *pos);
	n = nl ? (size_t)(nl - s) : b->len - *pos;
	*pos += n + (nl ? 1 : 0);
	if (n > 0 && s[n - 1] == '\r')
		n--;
	*line = s;
	*len = n;
	return 1;
}
