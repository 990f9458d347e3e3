/* err.c - the error context (see irkit/err.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "irkit/err.h"
#include "irkit/banned.h"

static void irk_err_vset(struct irk_err *, int, const char *, va_list)
    __attribute__((format(printf, 3, 0)));

static void
irk_err_vset(struct irk_err *err, int errnum, const char *fmt, va_list ap)
{
	if (err == NULL)
		return;
	err->errnum = errnum;
	(void)vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
}

void
irk_err_set(struct irk_err *err, int errnum, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	irk_err_vset(err, errnum, fmt, ap);
	va_end(ap);
}

void
irk_err_clear(struct irk_err *err)
{
	if (err == NULL)
		return;
	err->errnum = 0;
	err->msg[0] = '\0';
}

const char *
irk_err_str(const struct irk_err *err, char *buf, size_t len)
{
	if (err->errnum != 0)
		(void)snprintf(buf, len, "%s: %s", err->msg,
		    strerror(err->errnum));
	else
		(void)snprintf(buf, len, "%s", err->msg);
	return buf;
}

static int
severity(int r)
{
	switch (r) {
	case IRK_OK:
		return 0;
	case IRK_WARN:
		return 1;
	case IRK_FATAL:
		return 3;
	default:
		return 2;	/* IRK_FAIL, IRK_TOOBIG, anything unknown */
	}
}

int
irk_worst(int a, int b)
{
	return severity(b) > severity(a) ? b : a;
}
