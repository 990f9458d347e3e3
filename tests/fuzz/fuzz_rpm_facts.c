/*
 * fuzz_rpm_facts.c - the file states of a live rpm collection as
 * rpm_packages keeps them at ingest (analyzer/rpm_facts.c): each input
 * line "PATH<TAB>TARGET<TAB>WALK" is a recorded state (a link to TARGET
 * when it is not empty, else a folder; WALK "complete" or anything else
 * on a walked folder), then every PATH (and PATH/x) is resolved through
 * the recorded links and asked whether a name not recorded would be
 * missing.  The resolution must stay absolute, bounded, and end.
 *
 * max_len: 65536
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "rpm_facts.h"
#include "irkit/pkgcheck.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FIELD	4200

/* The next tab-separated field of line (len), into out (bounded). */
static size_t
field(const char *line, size_t len, size_t pos, char *out)
{
	const char *tab = memchr(line + pos, '\t', len - pos);
	size_t end = tab != NULL ? (size_t)(tab - line) : len;
	size_t n = end - pos < FIELD - 1 ? end - pos : FIELD - 1;

	memcpy(out, line + pos, n);
	out[n] = '\0';
	return end < len ? end + 1 : end;
}

/* Each line of data handed to fn. */
static void
each_line(const uint8_t *data, size_t size, struct irk_rpm_facts *f,
    void (*fn)(struct irk_rpm_facts *, const char *, size_t))
{
	const char *p = (const char *)data, *end = p + size, *nl;

	for (; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		fn(f, p, (size_t)(nl - p));
	}
}

static void
add(struct irk_rpm_facts *f, const char *line, size_t len)
{
	static char path[FIELD], target[FIELD], walk[FIELD];
	struct irk_file_state fs;
	size_t pos = field(line, len, 0, path);

	pos = field(line, len, pos, target);
	(void)field(line, len, pos, walk);
	memset(&fs, 0, sizeof(fs));
	fs.path = path;
	fs.st.mode = target[0] != '\0' ? S_IFLNK | 0777 : S_IFDIR | 0755;
	fs.target = target[0] != '\0' ? target : NULL;
	fs.walk = walk[0] != '\0' ? walk : NULL;
	if (irk_rpm_facts_add(f, &fs) != IRK_OK)
		abort();
}

static void
ask(struct irk_rpm_facts *f, const char *line, size_t len)
{
	static char path[FIELD], sub[FIELD + 8];
	char out[IRK_PKG_PATH_MAX];

	(void)field(line, len, 0, path);
	(void)snprintf(sub, sizeof(sub), "%s/x.so", path);
	for (int i = 0; i < 2; i++) {
		if (irk_rpm_facts_canon(f, i ? sub : path, out, sizeof(out)) !=
		    IRK_OK)
			continue;
		if (out[0] != '/' || strlen(out) >= sizeof(out))
			abort();
		(void)irk_rpm_facts_covered(f, out);
		(void)irk_rpm_facts_get(f, out);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct irk_rpm_facts f;

	irk_rpm_facts_init(&f);
	each_line(data, size, &f, add);
	each_line(data, size, &f, ask);
	irk_rpm_facts_release(&f);
	return 0;
}
