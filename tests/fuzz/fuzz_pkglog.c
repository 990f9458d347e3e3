/*
 * fuzz_pkglog.c - package log lines (analyzer/pkglog_parse.c): each
 * line as dpkg.log, as an apt history list, an apt date, a yum/dnf
 * message, an apt term.log line and a dnf.log message; and the line cut
 * at its first blank as two Debian versions (lib/debver.c), ordered
 * both ways (the orders must be opposite) and each against itself.
 * max_len: 65536
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pkglog_parse.h"
#include "irkit/debver.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
each(void *arg, const struct irk_apt_pkg *p, size_t i)
{
	*(size_t *)arg += p->name.n + p->arch.n + p->v1.n + p->v2.n + i;
}

static int
sign(int v)
{
	return v < 0 ? -1 : v > 0;
}

/* s (len bytes) as two versions split at its first blank */
static void
versions(const char *s, size_t len)
{
	const char *sp = memchr(s, ' ', len);
	size_t an = sp != NULL ? (size_t)(sp - s) : len;
	const char *b = sp != NULL ? sp + 1 : s + len;
	size_t bn = len - (size_t)(b - s);

	if (sign(irk_debver_cmp(s, an, b, bn)) !=
	    -sign(irk_debver_cmp(b, bn, s, an)) ||
	    irk_debver_cmp(s, an, s, an) != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	size_t i = 0, n = 0;

	while (i < size) {
		const char *nl = memchr(s + i, '\n', size - i);
		size_t len = nl != NULL ? (size_t)(nl - (s + i)) : size - i;
		struct irk_dpkg_line d;
		struct irk_syslog l;
		struct irk_span name, version, arch, msg = { s + i, len };
		struct irk_term_line t;
		int f[6];

		if (irk_dpkg_line(s + i, len, &d))
			n += d.pkg.n + d.arch.n + d.oldv.n + d.newv.n;
		n += irk_apt_list(s + i, len, each, &n);
		n += (size_t)irk_apt_date(s + i, len, f);
		irk_syslog_parse(s + i, len, &l);
		if (irk_rpm_message(l.prog, l.msg, &name, &version, &arch))
			n += name.n + version.n + arch.n;
		if (irk_term_line(s + i, len, &t) == IRK_TERM_PKG)
			n += t.pkg.n + t.arch.n + t.version.n + t.old.n;
		if (irk_dnf_package(l.msg, &name, &arch, &version) != NULL ||
		    irk_dnf_package(msg, &name, &arch, &version) != NULL)
			n += name.n + version.n + arch.n;
		versions(s + i, len);
		i += len + 1;
	}
	return n == 1 ? 1 : 0;
}
