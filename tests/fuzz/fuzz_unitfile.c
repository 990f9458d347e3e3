/* fuzz_unitfile.c - the unit-file parser, Exec= splitting, specifiers. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "unitfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct irk_unitfile u = { 0 };
	struct irk_unit_spec sp = { 0 };
	struct irk_buf b;

	sp.name = "fuzz-a@in\\x2dst.service";
	sp.user = "root";
	sp.home = "/root";
	sp.hostname = "h.example";
	sp.fragment = "/etc/systemd/system/fuzz-a@.service";
	if (irk_unitfile_parse(&u, (const char *)data, size, "/fuzz", 0, NULL,
	    NULL) != 0)
		return 0;
	irk_buf_init(&b, 1 << 16);
	for (size_t i = 0; i < u.n; i++) {
		struct irk_execv ev;
		struct irk_strv a = { 0 };
		char err[64];

		if (irk_exec_split(u.v[i].value, &sp, &ev, err,
		    sizeof(err)) == 0)
			irk_execv_release(&ev);
		irk_buf_reset(&b);
		(void)irk_unit_specifiers(&sp, u.v[i].value, &b);
		(void)irk_desktop_exec_split(u.v[i].value, &a);
		irk_strv_release(&a);
	}
	irk_buf_release(&b);
	irk_unitfile_release(&u);
	return 0;
}
