/*
 * span.h - a run of bytes inside a line being parsed (never owned, never
 * NUL-terminated): what the log parsers hand back.
 */
#ifndef IRKIT_SPAN_H
#define IRKIT_SPAN_H

#include <stddef.h>

struct irk_span {
	const char *p;		/* NULL: absent */
	size_t n;
};

#endif
