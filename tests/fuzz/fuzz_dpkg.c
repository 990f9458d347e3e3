/* fuzz_dpkg.c - the dpkg status file, Conffiles and .md5sums parsers. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dpkg_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
each(void *arg, const struct irk_dpkg_pkg *p)
{
	struct irk_dpkg_file f;
	size_t pos = 0;

	*(size_t *)arg += strlen(p->name) + strlen(p->version);
	while (irk_dpkg_conffile_next(p->conffiles, p->conffiles_len, &pos,
	    &f) != -1)
		*(size_t *)arg += strlen(f.path);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct irk_dpkg_stats st;
	struct irk_dpkg_file f;
	char path[IRK_DPKG_PATH_MAX];
	size_t n = 0, i = 0;

	(void)irk_dpkg_status_parse(s, size, each, &n, &st);
	/* the same bytes as .md5sums lines and .list paths */
	while (i < size) {
		const char *nl = memchr(s + i, '\n', size - i);
		size_t len = nl != NULL ? (size_t)(nl - (s + i)) : size - i;

		(void)irk_dpkg_md5sums_line(s + i, len, &f);
		(void)irk_dpkg_path(s + i, len, path);
		i += len + 1;
	}
	return 0;
}
