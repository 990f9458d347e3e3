/*
 * fuzz_proc_parse.c - every /proc parser of collectors/proc_parse.c on
 * the same bytes: stat, status, cmdline, tcp/udp (v4 and v6) and unix
 * socket lines, namespace/socket link ids.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proc_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* a copy of exactly size bytes, so reads past the span are caught */
	char *s = malloc(size ? size : 1);
	struct irk_proc_stat ps;
	struct irk_proc_status st;
	struct irk_proc_sock sk;
	char tty[32];
	uint64_t id;
	json_t *a;

	if (s == NULL)
		return 0;
	if (size > 0)
		memcpy(s, data, size);
	if (irk_proc_parse_stat(s, size, &ps) == 0)
		(void)irk_proc_tty_name(ps.tty_nr, tty, sizeof(tty));
	(void)irk_proc_parse_status(s, size, &st);
	a = irk_proc_parse_cmdline(s, size);
	json_decref(a);
	if (irk_proc_parse_inet(s, size, 0, &sk) == 0)
		(void)irk_proc_tcp_state(sk.state);
	(void)irk_proc_parse_inet(s, size, 1, &sk);
	if (irk_proc_parse_unix(s, size, &sk) == 0)
		(void)irk_proc_unix_state(&sk);
	(void)irk_proc_parse_link_id(s, size, "socket", &id);
	free(s);
	return 0;
}
