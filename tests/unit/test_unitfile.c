/* test_unitfile.c - unit-file text, Exec= splitting, specifiers. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "unitfile.h"

struct diags {
	unsigned lines[16];
	size_t n;
};

static void
diag(void *arg, const char *path, unsigned line, const char *msg)
{
	struct diags *d = arg;

	(void)path;
	(void)msg;
	if (d->n < 16)
		d->lines[d->n++] = line;
}

static void
test_parse_basic(void **state)
{
	static const char text[] =
	    "\xef\xbb\xbf# comment\r\n"
	    "; other comment\n"
	    "orphan=1\n"
	    "[Unit]\n"
	    "Description = spaced value  \r\n"
	    "[Service]\n"
	    "ExecStart=/bin/a \\\n"
	    "# ignored comment in a continuation\n"
	    "  --flag\n"
	    "no equals here\n"
	    "[bad\n"
	    "Key=in bad section\n"
	    "[Service]\n"
	    "ExecStart=\n"
	    "ExecStart=/bin/b\n"
	    "ExecStart=/bin/c\n";
	struct irk_unitfile u = { 0 };
	struct diags d = { { 0 }, 0 };
	size_t idx[8];

	(void)state;
	assert_int_equal(irk_unitfile_parse(&u, text, sizeof(text) - 1, "/x",
	    0, diag, &d), 0);
	assert_string_equal(irk_unitfile_get(&u, "Unit", "Description"),
	    "spaced value");
	assert_int_equal(irk_unitfile_list(&u, "Service", "ExecStart", idx, 8),
	    2);
	assert_string_equal(u.v[idx[0]].value, "/bin/b");
	assert_string_equal(u.v[idx[1]].value, "/bin/c");
	assert_int_equal(u.v[idx[1]].line, 16);
	assert_null(irk_unitfile_get(&u, "bad", "Key"));
	/* orphan (3), no equals (10), bad header (11) */
	assert_int_equal(d.n, 3);
	assert_int_equal(d.lines[0], 3);
	assert_int_equal(d.lines[1], 10);
	assert_int_equal(d.lines[2], 11);
	/* the first ExecStart was continued: line 7 */
	assert_string_equal(u.v[1].value, "/bin/a    --flag");
	assert_int_equal(u.v[1].line, 7);
	irk_unitfile_release(&u);
}

static void
test_parse_long_and_nul(void **state)
{
	size_t n = IRK_UNIT_LINE_MAX + 100, len;
	char *t = malloc(n + 64);
	struct irk_unitfile u = { 0 };
	struct diags d = { { 0 }, 0 };

	(void)state;
	len = (size_t)snprintf(t, 64, "[S]\nA=");
	memset(t + len, 'x', n);
	len += n;
	memcpy(t + len, "\nB=ok\nC=\0bad\nD=1", 16);
	len += 16;
	assert_int_equal(irk_unitfile_parse(&u, t, len, "/x", 0, diag, &d), 0);
	assert_null(irk_unitfile_get(&u, "S", "A"));
	assert_string_equal(irk_unitfile_get(&u, "S", "B"), "ok");
	assert_null(irk_unitfile_get(&u, "S", "C"));
	assert_string_equal(irk_unitfile_get(&u, "S", "D"), "1");
	assert_int_equal(d.n, 2);
	assert_int_equal(d.lines[0], 2);
	assert_int_equal(d.lines[1], 4);
	irk_unitfile_release(&u);
	free(t);
}

static void
check_argv(const struct irk_exec *e, const char *path, ...)
{
	va_list ap;
	size_t i = 0;
	const char *s;

	assert_string_equal(e->path, path);
	va_start(ap, path);
	while ((s = va_arg(ap, const char *)) != NULL) {
		assert_true(i < e->argv.n);
		assert_string_equal(e->argv.v[i], s);
		i++;
	}
	va_end(ap);
	assert_int_equal(i, e->argv.n);
}

static void
test_exec_split(void **state)
{
	struct irk_execv ev;
	char err[128];

	(void)state;
	assert_int_equal(irk_exec_split("-/bin/sh -c 'echo \"hi\" there' "
	    "a\\x41\\tb x\"y z\"w", NULL, &ev, err, sizeof(err)), 0);
	assert_int_equal(ev.n, 1);
	assert_int_equal(ev.v[0].flags, IRK_EXEC_IGNORE_FAILURE);
	check_argv(&ev.v[0], "/bin/sh", "/bin/sh", "-c", "echo \"hi\" there",
	    "aA\tb", "xy zw", NULL);
	irk_execv_release(&ev);

	assert_int_equal(irk_exec_split("@+/bin/real name a ; !!/bin/b \\; "
	    "\\q", NULL, &ev, err, sizeof(err)), 0);
	assert_int_equal(ev.n, 2);
	assert_int_equal(ev.v[0].flags, IRK_EXEC_ARGV0 | IRK_EXEC_PRIVILEGED);
	check_argv(&ev.v[0], "/bin/real", "name", "a", NULL);
	assert_int_equal(ev.v[1].flags, IRK_EXEC_AMBIENT);
	check_argv(&ev.v[1], "/bin/b", "/bin/b", ";", "\\q", NULL);
	irk_execv_release(&ev);

	/* must fail */
	assert_int_equal(irk_exec_split("/bin/a \"open", NULL, &ev, err,
	    sizeof(err)), -1);
	assert_int_equal(irk_exec_split("- /bin/a", NULL, &ev, err,
	    sizeof(err)), -1);
	assert_int_equal(irk_exec_split("@/bin/a", NULL, &ev, err,
	    sizeof(err)), -1);
	assert_int_equal(irk_exec_split("", NULL, &ev, err, sizeof(err)), 0);
	assert_int_equal(ev.n, 0);
}

static void
test_specifiers(void **state)
{
	struct irk_unit_spec sp = { 0 };
	struct irk_buf b;

	(void)state;
	sp.name = "get-ty@tty\\x2d1-a.service";
	sp.user = "root";
	sp.home = "/root";
	sp.hostname = "box.example";
	sp.fragment = "/usr/lib/systemd/system/get-ty@.service";
	irk_buf_init(&b, 4096);
	assert_int_equal(irk_unit_specifiers(&sp,
	    "%n|%N|%p|%P|%i|%I|%j|%f|%u|%h|%H|%l|%Y|%t|%%|%E", &b), 0);
	assert_string_equal(b.data, "get-ty@tty\\x2d1-a.service|"
	    "get-ty@tty\\x2d1-a|get-ty|get/ty|tty\\x2d1-a|tty-1/a|ty|"
	    "/tty-1/a|root|/root|box.example|box|/usr/lib/systemd/system|"
	    "/run|%|/etc");
	irk_buf_reset(&b);
	/* unknown or unavailable: kept as written, reported */
	assert_int_equal(irk_unit_specifiers(&sp, "%m %Z x%", &b), 1);
	assert_string_equal(b.data, "%m %Z x%");
	irk_buf_reset(&b);
	assert_int_equal(irk_unit_specifiers(&sp, "%J|%S|%C|%L|%T|%V|%y|%U",
	    &b), 1);
	assert_string_equal(b.data, "ty|/var/lib|/var/cache|/var/log|/tmp|"
	    "/var/tmp|/usr/lib/systemd/system/get-ty@.service|%U");
	/* user scope: the home's folders, the user's runtime folder */
	sp.user_scope = 1;
	sp.runtime_dir = "/run/user/0";
	irk_buf_reset(&b);
	assert_int_equal(irk_unit_specifiers(&sp, "%S|%C|%L|%E|%t", &b), 0);
	assert_string_equal(b.data, "/root/.local/state|/root/.cache|"
	    "/root/.local/state/log|/root/.config|/run/user/0");
	sp.home = NULL;
	irk_buf_reset(&b);
	assert_int_equal(irk_unit_specifiers(&sp, "%S", &b), 1);
	assert_string_equal(b.data, "%S");
	/* "-" is the root for %f; a name that does not parse has no %p */
	sp.name = "-.mount";
	sp.fragment = NULL;
	irk_buf_reset(&b);
	assert_int_equal(irk_unit_specifiers(&sp, "[%f]%Y", &b), 1);
	assert_string_equal(b.data, "[]%Y");
	sp.name = "no-type";
	irk_buf_reset(&b);
	assert_int_equal(irk_unit_specifiers(&sp, "%p|%l", &b), 1);
	assert_string_equal(b.data, "%p|box");
	irk_buf_release(&b);
}

static void
test_unit_names(void **state)
{
	struct irk_unit_name n;

	(void)state;
	assert_int_equal(irk_unit_name_parse("foo@bar.service", &n), 0);
	assert_true(n.is_instance);
	assert_string_equal(n.prefix, "foo");
	assert_string_equal(n.instance, "bar");
	assert_string_equal(n.type, "service");
	assert_int_equal(irk_unit_name_parse("foo@.timer", &n), 0);
	assert_true(n.is_template);
	assert_int_equal(irk_unit_name_parse("noext", &n), -1);
	assert_int_equal(irk_unit_name_parse("@x.service", &n), -1);
	assert_int_equal(irk_unit_name_parse("a/b.service", &n), -1);
	assert_int_equal(irk_unit_name_parse("a.Service", &n), -1);
}

static void
test_desktop_exec(void **state)
{
	struct irk_strv a = { 0 };

	(void)state;
	assert_int_equal(irk_desktop_exec_split("\"/opt/my app/x\" --a=\"b c\" "
	    "%U 100%% \"q\\\"t\"", &a), 0);
	assert_int_equal(a.n, 4);
	assert_string_equal(a.v[0], "/opt/my app/x");
	assert_string_equal(a.v[1], "--a=b c");
	assert_string_equal(a.v[2], "100%");
	assert_string_equal(a.v[3], "q\"t");
	irk_strv_release(&a);
	assert_int_equal(irk_desktop_exec_split("\"open", &a), -1);
	irk_strv_release(&a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_basic),
		cmocka_unit_test(test_parse_long_and_nul),
		cmocka_unit_test(test_exec_split),
		cmocka_unit_test(test_specifiers),
		cmocka_unit_test(test_unit_names),
		cmocka_unit_test(test_desktop_exec),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
