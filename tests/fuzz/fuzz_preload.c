/*
 * fuzz_preload.c - the preload collector's parsers
 * (collectors/preload_parse.c): ld.so.preload entries, ld.so.conf,
 * modprobe.d and pam.d lines, PAM system paths, environment lookups.
 * Every span returned must lie inside the input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "preload_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
inside(const char *s, size_t len, const struct irk_span *sp)
{
	if (sp->len > 0 && (sp->s < s || sp->s + sp->len > s + len))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct irk_modprobe_hook h;
	struct irk_pam_line pl;
	struct irk_span sp;
	size_t pos = 0;
	char *path;

	while (irk_preload_next(s, size, &pos, &sp))
		inside(s, size, &sp);
	if (irk_ldconf_line(s, size, &sp) != IRK_LDCONF_NONE)
		inside(s, size, &sp);
	if (irk_modprobe_line(s, size, &h)) {
		inside(s, size, &h.verb);
		inside(s, size, &h.module);
		inside(s, size, &h.command);
		inside(s, size, &h.program);
	}
	if (irk_pam_line(s, size, &pl)) {
		inside(s, size, &pl.type);
		inside(s, size, &pl.control);
		inside(s, size, &pl.module);
	}
	if (irk_environ_get(s, size, "LD_PRELOAD", &sp))
		inside(s, size, &sp);
	if ((path = malloc(size + 1)) != NULL) {
		memcpy(path, s, size);
		path[size] = '\0';
		(void)irk_pam_system_path(path);
		free(path);
	}
	return 0;
}
