/*
 * err.h - result codes and the error context every library-style
 * function fills instead of printing.
 *
 * Functions return 0 (IRK_OK) on success and a negative IRK_* code on
 * failure, after storing a message with irk_err_set().  Callers decide
 * whether to log, continue or give up.
 */
#ifndef IRKIT_ERR_H
#define IRKIT_ERR_H

#include <stdarg.h>

enum {
	IRK_OK = 0,
	IRK_WARN = -1,		/* done, but part of the work could not be */
	IRK_FAIL = -2,		/* this item failed; others may go on */
	IRK_FATAL = -3,		/* nothing usable can be produced */
	IRK_TOOBIG = -4,	/* input is larger than the allowed bound */
};

/*
 * The worse of two results, so a later IRK_OK never hides an earlier
 * failure: IRK_FATAL > IRK_FAIL, IRK_TOOBIG > IRK_WARN > IRK_OK (a and b
 * equally bad: a).  Keep a running result with r = irk_worst(r, step()).
 */
int irk_worst(int a, int b);

struct irk_err {
	int errnum;		/* errno of the cause, 0 if none */
	char msg[512];
};

/* Store a formatted message (lowercase, no final period) and errno. */
void irk_err_set(struct irk_err *err, int errnum, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void irk_err_clear(struct irk_err *err);

/* "msg: strerror(errnum)" or just "msg", into a static-free buffer. */
const char *irk_err_str(const struct irk_err *err, char *buf, size_t len);

#endif
