/* test_rule_guard.c - guards of YARA rules read from their source
 * (analyzer/rule_guard.c) and the pre-selection classes built on them
 * (analyzer/presel.c): tricky conditions that must keep a rule in every
 * class, and the guard forms that may leave it out. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "irkit/err.h"
#include "presel.h"
#include "rule_guard.h"

#define MZ	(1u << IRK_GUARD_HDR_MZ)
#define ELF	(1u << IRK_GUARD_HDR_ELF)
#define OTHER	(1u << IRK_GUARD_HDR_OTHER)
#define ALL	IRK_GUARD_ALL_HDR
#define NOB	IRK_GUARD_NO_BOUND

struct guard_case {
	const char *cond;
	int flags;
	unsigned hdr;
	uint64_t max;
};

/* One rule "t" with this condition (and strings $mz, $t, $h): its guards. */
static void
cond_is(const struct guard_case *k)
{
	char text[2048];
	struct irk_guard_file g;

	snprintf(text, sizeof(text),
	    "rule t {\n strings:\n  $mz = \"MZ\"\n  $t = \"x and y or z\"\n"
	    "  $n = \"MZ\" nocase\n  $h = { 4D 5A }\n  $w = { 4D ?? }\n"
	    " condition:\n  %s\n}\n", k->cond);
	assert_int_equal(irk_guard_parse(text, strlen(text), k->flags, &g),
	    IRK_OK);
	assert_int_equal(g.whole, 0);
	assert_int_equal(g.nrules, 1);
	if (g.rules[0].hdr_ok != k->hdr || g.rules[0].max_size != k->max)
		fail_msg("'%s': hdr %x max %llu, want %x %llu", k->cond,
		    g.rules[0].hdr_ok, (unsigned long long)g.rules[0].max_size,
		    k->hdr, (unsigned long long)k->max);
	irk_guard_release(&g);
}

static const struct guard_case forms[] = {
	{ "uint16(0) == 0x5A4D and $t", 0, MZ, NOB },
	{ "0x5a4d == uint16(0) and $t", 0, MZ, NOB },
	{ "uint16(0) == 23117 and $t", 0, MZ, NOB },
	{ "uint32(0) == 0x464c457f and $t", 0, ELF, NOB },
	{ "uint32be(0) == 0x7F454C46 and $t", 0, ELF, NOB },
	{ "uint16be(0) == 0x4D5A and $t", 0, MZ, NOB },
	{ "uint8(0) == 0x4D and uint8(1) == 0x5A and $t", 0, MZ, NOB },
	/* only M: an "MA" file is in the other class */
	{ "uint8(0) == 0x4D and $t", 0, MZ | OTHER, NOB },
	/* a magic of neither class: MZ and ELF files cannot match */
	{ "uint32(0) == 0x04034b50 and $t", 0, OTHER, NOB },
	{ "uint32(0) != 0x464C457F and $t", 0, MZ | OTHER, NOB },
	{ "uint16(0) != 0x5A4D and uint32(0) != 0x41524159", 0,
	    ELF | OTHER, NOB },
	{ "$mz at 0 and $t", 0, MZ, NOB },
	{ "$h at 0 and $t", 0, MZ, NOB },
	{ "pe.is_pe and $t", 0, MZ, NOB },
	{ "elf.type == elf.ET_EXEC and $t", 0, ELF, NOB },
	{ "filesize < 200KB and $t", 0, ALL, 200 * 1024 - 1 },
	{ "filesize <= 2MB and $t", 0, ALL, 2 << 20 },
	{ "100 > filesize and $t", 0, ALL, 99 },
	{ "100 >= filesize", 0, ALL, 100 },
	{ "filesize < 1MB and filesize < 10KB and $t", 0, ALL,
	    10 * 1024 - 1 },
	/* nested parentheses of conjunctions are conjunctions */
	{ "((uint16(0) == 0x5A4D) and (filesize < 1KB and $t)) and $mz",
	    0, MZ, 1023 },
	/* comments and strings holding `or` do not count */
	{ "uint16(0) == 0x5A4D /* or */ and // or filesize\n $t", 0, MZ,
	    NOB },
	{ "uint16(0) == 0x5A4D and $t and \"a or b\" == \"x\"", 0, MZ,
	    NOB },
	{ "uint16(0) == 0x5A4D and filename matches /a or b\\/ and/",
	    0, MZ, NOB },
};

static void
test_guard_forms(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++)
		cond_is(&forms[i]);
}

static const struct guard_case unsure[] = {
	/* a guard inside `or` guards nothing */
	{ "filesize < 1MB or $t", 0, ALL, NOB },
	{ "uint16(0) == 0x5A4D and $t or $mz", 0, ALL, NOB },
	{ "(uint16(0) == 0x5A4D and $t) or $mz", 0, ALL, NOB },
	{ "(uint16(0) == 0x5A4D or $t) and $mz", 0, ALL, NOB },
	/* negated */
	{ "not uint16(0) == 0x5A4D and $t", 0, ALL, NOB },
	{ "not (uint16(0) == 0x5A4D and filesize < 10)", 0, ALL, NOB },
	{ "not filesize < 100 and $t", 0, ALL, NOB },
	/* inside a loop or another expression */
	{ "for any i in (0..1) : (uint16(0) == 0x5A4D) and $t", 0, ALL,
	    NOB },
	{ "for all of them : (uint16(0) == 0x5A4D)", 0, ALL, NOB },
	{ "uint16(0) == 0x5A4D + 0 and $t", 0, ALL, NOB },
	{ "uint16(0) & 0xffff == 0x5A4D and $t", 0, ALL, NOB },
	{ "uint16(4) == 0x5A4D and $t", 0, ALL, NOB },
	/* "LF" at 2 in an ELF file: not 4D 5A */
	{ "uint16(2) == 0x5A4D and $t", 0, MZ | OTHER, NOB },
	{ "int16(0) == 0x5A4D and $t", 0, ALL, NOB },
	{ "filesize > 100 and $t", 0, ALL, NOB },
	{ "filesize < 1.5 and $t", 0, ALL, NOB },
	/* a string that is not exactly these bytes; "MZ" at 1 fits
	 * neither magic */
	{ "$n at 0 and $t", 0, ALL, NOB },
	{ "$w at 0 and $t", 0, ALL, NOB },
	{ "$mz at 1 and $t", 0, OTHER, NOB },
	{ "elf.type != 1 and $t", 0, ALL, NOB },
	/* guards that contradict each other: unsure, kept */
	{ "uint16(0) == 0x5A4D and uint8(0) == 0x7f", 0, ALL, NOB },
	/* the deliberately wrong reading the equivalence test catches */
	{ "uint16(0) == 0x5A4D or $t", IRK_GUARD_BREAK_OR, MZ, NOB },
};

static void
test_guard_unsure(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(unsure) / sizeof(unsure[0]); i++)
		cond_is(&unsure[i]);
}

static const char file_text[] =
    "import \"pe\"\n"
    "/* rule fake { condition: uint16(0) == 0x5A4D } */\n"
    "private rule base : tag1 tag2 {\n"
    " meta:\n  strings = \"meta named strings\"\n  n = -1\n  b = true\n"
    " condition:\n  uint16(0) == 0x5A4D\n}\n"
    "global rule gl { condition: filesize < 10MB }\n"
    "rule uses { strings: $a = /x{2,3}\\/y/is $b = { 4D // c\n 5A }\n"
    " $c = \"q\" xor(1-3) wide\n condition: base and $a and $b and $c }\n"
    "rule alone { condition: uint32(0) == 0x464C457F and filesize < 4KB }\n"
    "rule Set1 { condition: uint16(0) == 0x5A4D }\n"
    "rule sets { condition: uint16(0) == 0x5A4D and any of (Set*) }\n";

static void
test_guard_file(void **state)
{
	struct irk_guard_file g;
	size_t n = strlen(file_text);

	(void)state;
	assert_int_equal(irk_guard_parse(file_text, n, 0, &g), IRK_OK);
	assert_int_equal(g.whole, 0);
	assert_int_equal(g.nrules, 6);
	assert_string_equal(g.rules[0].name, "base");
	assert_string_equal(g.rules[1].name, "gl");
	assert_string_equal(g.rules[2].name, "uses");
	assert_string_equal(g.rules[3].name, "alone");
	for (size_t i = 0; i < g.nrules; i++) {
		assert_true(g.rules[i].end <= n);
		assert_true(strncmp(file_text + g.rules[i].start, "rule", 4) ==
		    0 || strncmp(file_text + g.rules[i].start, "private", 7) ==
		    0 || strncmp(file_text + g.rules[i].start, "global", 6) ==
		    0);
		assert_int_equal(file_text[g.rules[i].end - 1], '}');
	}
	assert_int_equal(g.rules[0].hdr_ok, MZ);
	assert_true(g.rules[1].global && g.rules[1].keep);
	assert_int_equal(g.rules[3].hdr_ok, ELF);
	assert_int_equal(g.rules[3].max_size, 4095);
	assert_int_equal(irk_guard_mark_refs(&g, 1), IRK_OK);
	/* referenced by `uses`: in every set */
	assert_true(g.rules[0].keep);
	assert_true(irk_guard_may_match(&g.rules[0], IRK_GUARD_HDR_ELF, 0));
	/* `Set1` fits `Set*` */
	assert_true(g.rules[4].keep);
	assert_false(g.rules[3].keep);
	assert_false(irk_guard_may_match(&g.rules[3], IRK_GUARD_HDR_MZ, 0));
	assert_false(irk_guard_may_match(&g.rules[3], IRK_GUARD_HDR_ELF,
	    4096));
	assert_true(irk_guard_may_match(&g.rules[3], IRK_GUARD_HDR_ELF, 4095));
	irk_guard_release(&g);
}

static void
test_guard_whole(void **state)
{
	static const char *const texts[] = {
		"include \"other.yar\"\nrule a { condition: uint16(0) == "
		    "0x5A4D }\n",
		"rule a { condition: uint16(0) == 0x5A4D }\nrule b {",
		"rule a { condition: uint16(0) == 0x5A4D }\nrule b { "
		    "condition: \"unterminated }\n",
		"rule a { condition: uint16(0) == 0x5A4D }\n/* open comment",
		"rule a { condition: uint16(0) == 0x5A4D }\nwhat is this\n",
		"rule a { condition: uint16(0) == 0x5A4D }\nrule b { "
		    "strings: $a = { 4D { 5A } condition: $a }\n",
	};
	(void)state;
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		struct irk_guard_file g;

		assert_int_equal(irk_guard_parse(texts[i], strlen(texts[i]), 0,
		    &g), IRK_OK);
		assert_int_equal(g.whole, 1);
		for (size_t k = 0; k < g.nrules; k++)
			assert_true(g.rules[k].keep);
		irk_guard_release(&g);
	}
}

static void
test_guard_hdr_class(void **state)
{
	(void)state;
	assert_int_equal(irk_guard_hdr_class((const unsigned char *)"MZ\x90",
	    3), IRK_GUARD_HDR_MZ);
	assert_int_equal(irk_guard_hdr_class((const unsigned char *)"\x7f"
	    "ELF\2", 5), IRK_GUARD_HDR_ELF);
	assert_int_equal(irk_guard_hdr_class((const unsigned char *)"\x7f"
	    "EL", 3), IRK_GUARD_HDR_OTHER);
	assert_int_equal(irk_guard_hdr_class((const unsigned char *)"M", 1),
	    IRK_GUARD_HDR_OTHER);
	assert_int_equal(irk_guard_hdr_class(NULL, 0), IRK_GUARD_HDR_OTHER);
}

static const char presel_a[] =
    "rule mz_small { condition: uint16(0) == 0x5A4D and filesize < 1KB }\n"
    "rule elf_any {\n condition:\n  uint32(0) == 0x464C457F\n}\n"
    "rule any_big { condition: filesize < 1MB }\n";
static const char presel_b[] =
    "rule free { condition: true }\n";

static void
test_presel_classes(void **state)
{
	struct irk_presel_src src[2] = {
		{ presel_a, sizeof(presel_a) - 1 },
		{ presel_b, sizeof(presel_b) - 1 },
	};
	struct irk_presel p;
	unsigned char *big = calloc(1, 2 << 20);
	char *t;
	int c_mz, c_elf, c_other, c;

	(void)state;
	assert_non_null(big);
	assert_int_equal(irk_presel_init(&p, src, 2, 0), IRK_OK);
	assert_int_equal(p.nbounds, 2);
	/* a small MZ file: elf_any is left out */
	c_mz = irk_presel_class(&p, (const unsigned char *)"MZ", 2);
	assert_true(c_mz >= 0);
	assert_int_equal(irk_presel_text(&p, c_mz, 0, &t), IRK_OK);
	assert_non_null(strstr(t, "rule mz_small"));
	assert_null(strstr(t, "rule elf_any"));
	assert_non_null(strstr(t, "rule any_big"));
	/* blanked bytes keep the length and the lines */
	assert_int_equal(memcmp(t + (strchr(presel_a, '\n') - presel_a + 1),
	    "              \n", 15), 0);
	free(t);
	c_elf = irk_presel_class(&p, (const unsigned char *)"\x7f" "ELF", 4);
	c_other = irk_presel_class(&p, (const unsigned char *)"text", 4);
	assert_true(c_elf >= 0 && c_other >= 0 && c_elf != c_mz &&
	    c_other != c_elf && c_other != c_mz);
	/* 2 MB of ELF: only elf_any left, any_big and mz_small out */
	big[0] = 0x7f;
	memcpy(big + 1, "ELF", 3);
	c = irk_presel_class(&p, big, 2 << 20);
	assert_int_equal(irk_presel_text(&p, c, 0, &t), IRK_OK);
	assert_null(strstr(t, "mz_small"));
	assert_null(strstr(t, "any_big"));
	assert_non_null(strstr(t, "elf_any"));
	free(t);
	/* the other file is never touched */
	assert_int_equal(irk_presel_text(&p, c, 1, &t), IRK_OK);
	assert_memory_equal(t, presel_b, sizeof(presel_b) - 1);
	free(t);
	/* classes leaving out different rules have different keys */
	assert_string_not_equal(irk_presel_key(&p, irk_presel_class(&p,
	    (const unsigned char *)"MZ", 2)), irk_presel_key(&p, c));
	irk_presel_release(&p);
	free(big);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_guard_forms),
		cmocka_unit_test(test_guard_unsure),
		cmocka_unit_test(test_guard_file),
		cmocka_unit_test(test_guard_whole),
		cmocka_unit_test(test_guard_hdr_class),
		cmocka_unit_test(test_presel_classes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
