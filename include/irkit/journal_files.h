/*
 * journal_files.h - where the systemd journal files of a root are
 * (collectors/journal_files.c), shared by the journal_files collector
 * (which copies them) and irkit-analyze's journal collector (which reads
 * them): the *.journal and *.journal~ files directly in, or one folder
 * below, /var/log/journal and /run/log/journal, no link followed,
 * bounded (docs/journal.md).
 */
#ifndef IRKIT_JOURNAL_FILES_H
#define IRKIT_JOURNAL_FILES_H

#include <stddef.h>
#include <stdint.h>

#include "irkit/collect.h"

/* The folders looked in, NULL ends. */
extern const char *const irk_journal_sources[];

struct irk_jfile {
	char *path;
	uint64_t size;
	int64_t mtime;
};

struct irk_jfiles {
	struct irk_jfile *v;
	size_t n, cap;
};

/*
 * The journal files under source, newest first (by mtime, then path),
 * appended to out; what is odd or left out is logged.  Returns the
 * worst of IRK_OK, IRK_WARN, IRK_FAIL, or IRK_FATAL (out of memory).
 */
int irk_journal_list(struct irk_collect *c, const char *source,
    struct irk_jfiles *out);
void irk_journal_files_free(struct irk_jfiles *l);

#endif
