/* test_preload_parse.c - the preload collector's parsers
 * (collectors/preload_parse.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "preload_parse.h"

static int
eq(const struct irk_span *s, const char *want)
{
	return s->len == strlen(want) && memcmp(s->s, want, s->len) == 0;
}

static void
test_preload_entries(void **state)
{
	const char *t = " /a.so:/b.so\t\n\n/c.so";
	struct irk_span e;
	size_t pos = 0;

	(void)state;
	assert_int_equal(irk_preload_next(t, strlen(t), &pos, &e), 1);
	assert_true(eq(&e, "/a.so"));
	assert_int_equal(irk_preload_next(t, strlen(t), &pos, &e), 1);
	assert_true(eq(&e, "/b.so"));
	assert_int_equal(irk_preload_next(t, strlen(t), &pos, &e), 1);
	assert_true(eq(&e, "/c.so"));
	assert_int_equal(irk_preload_next(t, strlen(t), &pos, &e), 0);
}

static void
test_ldconf(void **state)
{
	struct irk_span v;

	(void)state;
	assert_int_equal(irk_ldconf_line("include  x/*.conf # c", 21, &v),
	    IRK_LDCONF_INCLUDE);
	assert_true(eq(&v, "x/*.conf"));
	assert_int_equal(irk_ldconf_line("/opt/lib=libc6", 14, &v),
	    IRK_LDCONF_DIR);
	assert_true(eq(&v, "/opt/lib"));
	assert_int_equal(irk_ldconf_line("  # /x", 6, &v), IRK_LDCONF_NONE);
	assert_int_equal(irk_ldconf_line("hwcap 0 x", 9, &v), IRK_LDCONF_NONE);
	assert_int_equal(irk_ldconf_line("include", 7, &v), IRK_LDCONF_NONE);
}

static void
test_modprobe(void **state)
{
	const char *l = "install  usb-storage /bin/sh -c 'x; y' # z";
	struct irk_modprobe_hook h;

	(void)state;
	assert_int_equal(irk_modprobe_line(l, strlen(l), &h), 1);
	assert_true(eq(&h.verb, "install"));
	assert_true(eq(&h.module, "usb-storage"));
	assert_true(eq(&h.command, "/bin/sh -c 'x; y'"));
	assert_true(eq(&h.program, "/bin/sh"));
	assert_int_equal(irk_modprobe_line("options x y=1", 13, &h), 0);
	assert_int_equal(irk_modprobe_line("remove x", 8, &h), 0);
}

static void
test_pam(void **state)
{
	const char *l = "-auth [success=1 default=ignore]\t/x/pam_y.so a b";
	struct irk_pam_line p;

	(void)state;
	assert_int_equal(irk_pam_line(l, strlen(l), &p), 1);
	assert_true(eq(&p.type, "-auth"));
	assert_true(eq(&p.control, "[success=1 default=ignore]"));
	assert_true(eq(&p.module, "/x/pam_y.so"));
	assert_int_equal(irk_pam_line("@include common-auth", 20, &p), 0);
	assert_int_equal(irk_pam_line("auth include common", 19, &p), 0);
	assert_int_equal(irk_pam_line("session substack x", 18, &p), 0);
	assert_int_equal(irk_pam_line("bogus required x.so", 19, &p), 0);
	assert_int_equal(irk_pam_line("auth [unclosed x.so", 19, &p), 0);
	assert_int_equal(irk_pam_line("auth required", 13, &p), 0);
}

static void
test_pam_system_path(void **state)
{
	(void)state;
	assert_true(irk_pam_system_path("/lib/security/pam_unix.so"));
	assert_true(irk_pam_system_path("/usr/lib64/security/pam_unix.so"));
	assert_true(irk_pam_system_path(
	    "/lib/x86_64-linux-gnu/security/pam_unix.so"));
	assert_true(irk_pam_system_path(
	    "/usr/lib/aarch64-linux-gnu/security/pam_unix.so"));
	assert_false(irk_pam_system_path("/tmp/pam_unix.so"));
	assert_false(irk_pam_system_path("/lib/security/../../tmp/x.so"));
	assert_false(irk_pam_system_path("/usr/lib/evil/security/x.so"));
	assert_false(irk_pam_system_path("/usr/local/lib/security/x.so"));
	assert_false(irk_pam_system_path("/lib/security/"));
	assert_false(irk_pam_system_path("/lib/security"));
	assert_false(irk_pam_system_path("pam_unix.so"));
	assert_false(irk_pam_system_path("/lib//security/x.so"));
}

static void
test_environ(void **state)
{
	const char env[] = "A=1\0LD_PRELOADX=2\0LD_PRELOAD=/a.so\0"
	    "LD_PRELOAD=/b.so";
	struct irk_span v;

	(void)state;
	assert_int_equal(irk_environ_get(env, sizeof(env) - 1, "LD_PRELOAD",
	    &v), 1);
	assert_true(eq(&v, "/a.so"));
	assert_int_equal(irk_environ_get(env, sizeof(env) - 1, "B", &v), 0);
	assert_int_equal(irk_environ_get(env, 0, "A", &v), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_preload_entries),
		cmocka_unit_test(test_ldconf),
		cmocka_unit_test(test_modprobe),
		cmocka_unit_test(test_pam),
		cmocka_unit_test(test_pam_system_path),
		cmocka_unit_test(test_environ),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
