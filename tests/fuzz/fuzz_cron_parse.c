/* fuzz_cron_parse.c - crontab, anacrontab and at job parsers. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cron_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct irk_cron_entry e;
	struct irk_anacron_entry a;
	struct irk_at_job j;
	char name[16], q;
	uint32_t job;
	int64_t t;

	for (int sys = 0; sys < 2; sys++) {
		if (irk_cron_parse_line(s, size, sys, &e) == IRK_CRON_ENTRY)
			(void)irk_cron_next_run(&e, 1795300161000000LL);
		irk_cron_entry_release(&e);
	}
	(void)irk_anacron_parse_line(s, size, &a);
	irk_anacron_entry_release(&a);
	(void)irk_at_parse_job(s, size, &j);
	irk_at_job_release(&j);
	if (size >= 14) {
		memcpy(name, s, 14);
		name[14] = '\0';
		(void)irk_at_parse_name(name, &q, &job, &t);
	}
	return 0;
}
