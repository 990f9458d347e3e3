/*
 * fuzz_syslog.c - the syslog line forms (analyzer/syslog_parse.c) and
 * the typed messages (analyzer/logmsg.c) over each line of the input.
 * max_len: 65536
 */
#include <stdint.h>
#include <string.h>

#include "logmsg.h"
#include "syslog_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t
sum(struct irk_span s)
{
	size_t n = 0;

	for (size_t i = 0; s.p != NULL && i < s.n; i++)
		n += (unsigned char)s.p[i];
	return n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	volatile size_t n = 0;
	size_t i = 0;

	while (i < size) {
		const char *nl = memchr(s + i, '\n', size - i);
		size_t len = nl != NULL ? (size_t)(nl - (s + i)) : size - i;
		struct irk_syslog l;
		struct irk_logmsg m;

		irk_syslog_parse(s + i, len, &l);
		n += sum(l.host) + sum(l.prog) + sum(l.msg) + sum(l.sdata);
		if (irk_logmsg_classify(l.prog.p, l.prog.n, l.msg.p, l.msg.n,
		    &m))
			n += sum(m.user) + sum(m.command) + sum(m.address) +
			    sum(m.key) + sum(m.run_as) + sum(m.unit);
		/* the whole line as a message of each program */
		(void)irk_logmsg_classify("sshd", 4, s + i, len, &m);
		(void)irk_logmsg_classify("sudo", 4, s + i, len, &m);
		(void)irk_logmsg_classify("su", 2, s + i, len, &m);
		(void)irk_logmsg_classify("usermod", 7, s + i, len, &m);
		(void)irk_logmsg_classify("CRON", 4, s + i, len, &m);
		n += sum(m.user);
		i += len + 1;
	}
	return 0;
}
