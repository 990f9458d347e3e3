/*
 * io.c - whole writes (io.h).
 */
#include <errno.h>
#include <unistd.h>

#include "irkit/io.h"
#include "irkit/banned.h"

int
irk_write_all(int fd, const void *buf, size_t len)
{
	const unsigned char *p = buf;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n == 0)
			errno = EIO;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}
