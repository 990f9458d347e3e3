/*
 * io.h - whole writes: write(2) until every byte is written.
 */
#ifndef IRKIT_IO_H
#define IRKIT_IO_H

#include <stddef.h>

/* All len bytes of buf to fd (EINTR retried): 0, or -1 with errno. */
int irk_write_all(int fd, const void *buf, size_t len);

#endif
