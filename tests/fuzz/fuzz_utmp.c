/* fuzz_utmp.c - utmp/wtmp/btmp entries of every layout, and lastlog. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "utmp_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct irk_utmp_ent e;
	struct irk_lastlog_ent ll;
	const char *why;
	char addr[64];
	int layout = irk_utmp_detect(data, size);

	for (int l = 0; l < IRK_UTMP_LAYOUTS; l++) {
		size_t n = irk_utmp_size(l);

		for (size_t off = 0; off + n <= size; off += n) {
			if (irk_utmp_decode(data + off, l, &e, &why) != 0)
				continue;
			irk_utmp_addr(&e, addr, sizeof(addr));
			(void)irk_utmp_kind(&e);
			if (strlen(e.line) > 32 || strlen(e.user) > 32 ||
			    strlen(e.host) > 256 || strlen(e.id) > 4 ||
			    strlen(addr) >= sizeof(addr))
				abort();
		}
	}
	(void)irk_utmp_layout_name(layout);
	for (size_t off = 0; off + IRK_LASTLOG_SIZE <= size;
	    off += IRK_LASTLOG_SIZE)
		if (irk_lastlog_decode(data + off, &ll) == 0 &&
		    (strlen(ll.line) > 32 || strlen(ll.host) > 256))
			abort();
	return 0;
}
