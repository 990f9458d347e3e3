/* test_dpkg_parse.c - the dpkg status, Conffiles and .md5sums parsers. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "dpkg_parse.h"

struct seen {
	int n;
	struct irk_dpkg_pkg p[4];
	char conf[4][256];
};

static int
keep(void *arg, const struct irk_dpkg_pkg *p)
{
	struct seen *s = arg;

	if (s->n < 4) {
		s->p[s->n] = *p;
		if (p->conffiles != NULL && p->conffiles_len < 256) {
			memcpy(s->conf[s->n], p->conffiles, p->conffiles_len);
			s->conf[s->n][p->conffiles_len] = '\0';
		}
		s->p[s->n].conffiles = s->conf[s->n];
	}
	s->n++;
	return 0;
}

static void
test_status(void **state)
{
	static const char st[] =
	    "Package: foo\nStatus: install ok installed\n"
	    "Architecture: amd64\nVersion: 1:2.0-1\nMulti-Arch: same\n"
	    "Conffiles:\n /etc/a 0123456789abcdef0123456789ABCDEF\n"
	    " /etc/b c 0123456789abcdef0123456789abcdef obsolete\n"
	    "Description: x\n continued\n\n"
	    "package: bar\nstatus: deinstall ok not-installed\n\n"
	    "Package: Bad/Name\nStatus: install ok installed\n\n"
	    "Package: half\nStatus: install reinstreq half-installed\n";
	struct irk_dpkg_stats ds;
	struct irk_dpkg_file f;
	struct seen s;
	size_t pos = 0;

	(void)state;
	memset(&s, 0, sizeof(s));
	assert_int_equal(irk_dpkg_status_parse(st, sizeof(st) - 1, keep, &s,
	    &ds), 0);
	assert_int_equal(s.n, 4);
	assert_int_equal(ds.stanzas, 4);
	assert_string_equal(s.p[0].name, "foo");
	assert_string_equal(s.p[0].arch, "amd64");
	assert_string_equal(s.p[0].version, "1:2.0-1");
	assert_true(s.p[0].installed && s.p[0].multiarch_same && !s.p[0].bad);
	assert_int_equal(irk_dpkg_conffile_next(s.conf[0], strlen(s.conf[0]),
	    &pos, &f), IRK_DPKG_OK);
	assert_string_equal(f.path, "/etc/a");
	assert_string_equal(f.md5, "0123456789abcdef0123456789abcdef");
	/* a path with a space; the flag after the hash */
	assert_int_equal(irk_dpkg_conffile_next(s.conf[0], strlen(s.conf[0]),
	    &pos, &f), IRK_DPKG_OK);
	assert_string_equal(f.path, "/etc/b c");
	assert_true(f.obsolete);
	assert_int_equal(irk_dpkg_conffile_next(s.conf[0], strlen(s.conf[0]),
	    &pos, &f), -1);
	assert_string_equal(s.p[1].name, "bar");
	assert_false(s.p[1].installed);
	assert_true(s.p[2].bad);
	assert_false(s.p[3].installed);
}

static void
test_long_line(void **state)
{
	size_t n = IRK_DPKG_LINE_MAX + 100, off;
	char *b = malloc(n + 200);
	struct irk_dpkg_stats ds;
	struct seen s;

	(void)state;
	assert_non_null(b);
	off = (size_t)snprintf(b, 200, "Package: a\nDescription: ");
	memset(b + off, 'x', n);
	off += n;
	off += (size_t)snprintf(b + off, 200, "\nStatus: install ok "
	    "installed\n");
	memset(&s, 0, sizeof(s));
	assert_int_equal(irk_dpkg_status_parse(b, off, keep, &s, &ds), 0);
	assert_int_equal(ds.long_lines, 1);
	assert_int_equal(s.n, 1);
	assert_true(s.p[0].installed);
	free(b);
}

static void
test_md5sums(void **state)
{
	static const char *const bad[] = {
		"0123456789abcdef0123456789abcdef  ../etc/shadow",
		"0123456789abcdef0123456789abcdef  usr/../../x",
		"0123456789abcdef0123456789abcdef  /",
		"0123456789abcdef0123456789abcdeg  usr/bin/x",
		"0123456789abcdef0123456789abcdef usr/bin/x",
		"0123456789abcdef  usr/bin/x",
	};
	struct irk_dpkg_file f;
	char p[IRK_DPKG_PATH_MAX];

	(void)state;
	assert_int_equal(irk_dpkg_md5sums_line(
	    "0123456789ABCDEF0123456789abcdef  usr/bin/x y", 45, &f),
	    IRK_DPKG_OK);
	assert_string_equal(f.path, "/usr/bin/x y");
	assert_string_equal(f.md5, "0123456789abcdef0123456789abcdef");
	assert_int_equal(irk_dpkg_md5sums_line(
	    "0123456789abcdef0123456789abcdef *./usr//bin/x", 46, &f),
	    IRK_DPKG_OK);
	assert_string_equal(f.path, "/usr/bin/x");
	assert_int_equal(irk_dpkg_md5sums_line("", 0, &f), IRK_DPKG_SKIP);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(irk_dpkg_md5sums_line(bad[i], strlen(bad[i]),
		    &f), IRK_DPKG_BAD);
	assert_int_equal(irk_dpkg_path("a\0b", 3, p), IRK_DPKG_BAD);
	assert_int_equal(irk_dpkg_path("/a/..b", 6, p), IRK_DPKG_OK);
	assert_string_equal(p, "/a/..b");
}

static void
test_names(void **state)
{
	(void)state;
	assert_true(irk_dpkg_name_ok("libc6", 5));
	assert_true(irk_dpkg_name_ok("g++-12", 6));
	assert_false(irk_dpkg_name_ok("../x", 4));
	assert_false(irk_dpkg_name_ok("A", 1));
	assert_false(irk_dpkg_name_ok("", 0));
	assert_true(irk_dpkg_arch_ok("amd64", 5));
	assert_false(irk_dpkg_arch_ok("amd64/..", 8));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_status),
		cmocka_unit_test(test_long_line),
		cmocka_unit_test(test_md5sums),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
