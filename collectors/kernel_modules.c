/*
 * kernel_modules.c - the kernel_modules collector: one kernel_module
 * record per line of /proc/modules (under the root), with the kernel's
 * taint flags from /proc/sys/kernel/tainted (docs/FORMAT.md 4.4).
 *
 * A line is "NAME SIZE REFCOUNT DEPS STATE ADDRESS [(TAINT)]": DEPS is
 * "-" or "a,b,", REFCOUNT "-" without unload support, ADDRESS 0 when
 * kptr_restrict hides it.  No /proc/modules (a kernel without loadable
 * modules, a root that is not a live host) is said in the log, not an
 * error.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "irkit/buf.h"
#include "irkit/collect.h"
#include "irkit/json.h"
#include "irkit/parse.h"
#include "irkit/banned.h"

#define MODULES_MAX	(4u << 20)
#define MODULE_FIELDS	7

/* The letters of the kernel's taint bits, bit 0 first (kernel docs,
 * admin-guide/tainted-kernels). */
static const char taint_letters[] = "PFSRMBUDAWCIOELKXTN";

/* The taint bitmask, or -1 when unreadable. */
static int64_t
kernel_tainted(struct irk_collect *c, struct irk_buf *b)
{
	struct irk_err err;
	uint64_t v;
	size_t n;

	irk_buf_reset(b);
	if (irk_fs_read_file(c->fs, "/proc/sys/kernel/tainted", b, NULL,
	    &err) != IRK_OK)
		return -1;
	for (n = 0; n < b->len && b->data[n] >= '0' && b->data[n] <= '9'; n++)
		;
	if (irk_parse_u64n(b->data, n, 10, INT64_MAX, &v) != 0)
		return -1;
	return (int64_t)v;
}

static void
set_taint(json_t *rec, int64_t tainted)
{
	char flags[sizeof(taint_letters)];
	size_t n = 0;

	if (tainted < 0) {
		json_object_set_new(rec, "kernel_tainted", json_null());
		json_object_set_new(rec, "kernel_taint_flags", json_null());
		return;
	}
	for (size_t i = 0; i + 1 < sizeof(taint_letters); i++)
		if (tainted & ((int64_t)1 << i))
			flags[n++] = taint_letters[i];
	flags[n] = '\0';
	irk_json_set_int(rec, "kernel_tainted", tainted);
	irk_json_set_str(rec, "kernel_taint_flags", flags);
}

/* "a,b," as ["a", "b"]; "-" as []. */
static json_t *
dependencies(const char *s, size_t len)
{
	json_t *a = json_array();
	size_t i = 0, j;

	if (a == NULL || (len == 1 && s[0] == '-'))
		return a;
	while (i < len) {
		for (j = i; j < len && s[j] != ','; j++)
			;
		if (j > i)
			json_array_append_new(a, irk_json_strn(s + i, j - i));
		i = j + 1;
	}
	return a;
}

/* An integer field, or null ("-", not a number). */
static json_t *
number(const char *s, size_t len)
{
	uint64_t v;

	if (irk_parse_u64n(s, len, 10, INT64_MAX, &v) != 0)
		return json_null();
	return json_integer((json_int_t)v);
}

/* The address, or null when hidden (all zeros) or not one. */
static json_t *
address(const char *s, size_t len)
{
	uint64_t v;

	if (len < 3 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X') ||
	    irk_parse_u64n(s + 2, len - 2, 16, UINT64_MAX, &v) != 0 || v == 0)
		return json_null();
	return irk_json_strn(s, len);
}

/* One line: IRK_OK, IRK_FAIL (not a module line), IRK_FATAL (sink). */
static int
module_line(struct irk_collect *c, const char *line, size_t len,
    int64_t tainted)
{
	const char *f[MODULE_FIELDS];
	size_t fl[MODULE_FIELDS], nf = 0, i = 0;
	uint64_t size;
	json_t *rec;

	while (i < len && nf < MODULE_FIELDS) {
		while (i < len && line[i] == ' ')
			i++;
		if (i == len)
			break;
		f[nf] = line + i;
		while (i < len && line[i] != ' ')
			i++;
		fl[nf] = (size_t)(line + i - f[nf]);
		nf++;
	}
	/* a module line has six fields or seven, the size a number */
	if (nf < 6 || (nf == MODULE_FIELDS && i < len) ||
	    irk_parse_u64n(f[1], fl[1], 10, INT64_MAX, &size) != 0 ||
	    (rec = irk_record_new("kernel_module")) == NULL)
		return IRK_FAIL;
	json_object_set_new(rec, "name", irk_json_strn(f[0], fl[0]));
	json_object_set_new(rec, "size", json_integer((json_int_t)size));
	json_object_set_new(rec, "refcount", number(f[2], fl[2]));
	json_object_set_new(rec, "dependencies", dependencies(f[3], fl[3]));
	json_object_set_new(rec, "state", irk_json_strn(f[4], fl[4]));
	json_object_set_new(rec, "address", address(f[5], fl[5]));
	if (nf == 7 && fl[6] > 2 && f[6][0] == '(' && f[6][fl[6] - 1] == ')')
		json_object_set_new(rec, "taint", irk_json_strn(f[6] + 1,
		    fl[6] - 2));
	else
		json_object_set_new(rec, "taint", json_null());
	set_taint(rec, tainted);
	return irk_collect_record(c, rec) == IRK_FATAL ? IRK_FATAL : IRK_OK;
}

static int
collect_kernel_modules(struct irk_collect *c)
{
	struct irk_buf b;
	struct irk_err err;
	int64_t tainted;
	size_t i = 0, lineno = 0, bad = 0;
	int r;

	irk_buf_init(&b, MODULES_MAX);
	tainted = kernel_tainted(c, &b);
	irk_buf_reset(&b);
	r = irk_fs_read_file(c->fs, "/proc/modules", &b, NULL, &err);
	if (r == IRK_FAIL) {
		irk_buf_release(&b);
		if (err.errnum == ENOENT) {
			irk_collect_log(c, IRK_LOG_INFO, "/proc/modules", 0,
			    "no loadable kernel modules here");
			return IRK_OK;
		}
		irk_collect_log_err(c, IRK_LOG_ERROR, "/proc/modules", &err);
		return IRK_FAIL;
	}
	if (r == IRK_TOOBIG)
		irk_collect_log(c, IRK_LOG_WARN, "/proc/modules", 0,
		    "longer than %u bytes: the rest is not read", MODULES_MAX);
	while (i < b.len && !c->fatal) {
		const char *line = b.data + i;
		const char *nl = memchr(line, '\n', b.len - i);
		size_t len = nl != NULL ? (size_t)(nl - line) : b.len - i;

		i += len + 1;
		lineno++;
		/* a line cut by the size bound is not a module */
		if (nl == NULL && r == IRK_TOOBIG)
			break;
		if (len > 0 && module_line(c, line, len, tainted) == IRK_FAIL)
			bad++;
	}
	if (bad > 0)
		irk_collect_log(c, IRK_LOG_WARN, "/proc/modules", 0,
		    "%zu of %zu line(s) not understood", bad, lineno);
	irk_buf_release(&b);
	if (c->fatal)
		return IRK_FATAL;
	return r == IRK_TOOBIG || bad > 0 ? IRK_WARN : IRK_OK;
}

const struct irk_collector irk_collector_kernel_modules = {
	"kernel_modules", "loaded kernel modules and the kernel's taint flags",
	IRK_SRC_LIVE, collect_kernel_modules,
};
