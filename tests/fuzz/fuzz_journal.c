/*
 * fuzz_journal.c - journal file bytes -> a file in memory -> libsystemd
 * -> entries (analyzer/journal_read.c): damage is counted, nothing read
 * past its bounds.
 * max_len: 4194304
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "journal_read.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
one(void *arg, const struct irk_jentry *e)
{
	(void)arg;
	for (int i = 0; i < IRK_JF_N; i++) {
		size_t max = i == IRK_JF_MESSAGE ? IRK_JMSG_MAX : IRK_JFIELD_MAX;

		if (e->f[i].data != NULL && e->f[i].len > max)
			abort();
	}
	if (e->cursor == NULL || strlen(e->boot_id) != 32)
		abort();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct irk_jread_limits lim = { 100000, 2000000 };
	struct irk_jread_stats st;
	struct irk_err err;
	char name[IRK_JTMP_NAME];
	int fd;

	if ((fd = irk_journal_tmpfile(name, &err)) < 0)
		abort();
	if (write(fd, data, size) != (ssize_t)size)
		abort();
	(void)irk_journal_read_fd(fd, name, size, &lim, one, NULL, &st, &err);
	if (st.entries > 100000 || access(name, F_OK) == 0)
		abort();
	return 0;
}
