/* test_history_parse.c - the history formats (collectors/history_parse.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "history_parse.h"
#include "irkit/err.h"

#define MAXE 16

struct got {
	char cmd[MAXE][256];
	int64_t time[MAXE], duration[MAXE];
	uint64_t line[MAXE];
	int cut[MAXE];
	size_t n;
};

static int
keep(void *arg, const struct irk_hist_entry *e)
{
	struct got *g = arg;

	if (g->n < MAXE) {
		(void)snprintf(g->cmd[g->n], sizeof(g->cmd[0]), "%.*s",
		    (int)e->len, e->cmd);
		g->time[g->n] = e->time;
		g->duration[g->n] = e->duration;
		g->line[g->n] = e->line;
		g->cut[g->n] = e->cut;
	}
	g->n++;
	return IRK_OK;
}

/* Parse text (lines split at '\n') in format into g. */
static void
parse(enum irk_hist_format f, const char *text, size_t len, struct got *g)
{
	struct irk_hist_parser p;
	size_t i = 0;

	memset(g, 0, sizeof(*g));
	irk_hist_init(&p, f, keep, g);
	while (i < len) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t n = nl ? (size_t)(nl - text - i) : len - i;

		assert_int_equal(irk_hist_line(&p, text + i, n, 0), IRK_OK);
		i += n + 1;
	}
	assert_int_equal(irk_hist_end(&p), IRK_OK);
	irk_hist_release(&p);
}

#define PARSE(f, s, g) parse(f, s, sizeof(s) - 1, g)

static void
test_bash(void **state)
{
	struct got g;

	(void)state;
	/* a first time: multi-line; the later of two times; "#1x" is 1 */
	PARSE(IRK_HIST_BASH, "#100\nls\nmore\n\n#5\n#6\nid\n#1x\nw", &g);
	assert_int_equal(g.n, 3);
	assert_string_equal(g.cmd[0], "ls\nmore");
	assert_int_equal(g.time[0], 100);
	assert_int_equal(g.line[0], 2);
	assert_int_equal(g.time[1], 6);
	assert_int_equal(g.time[2], 1);
	/* no first time: one entry a line, no times */
	PARSE(IRK_HIST_BASH, "a\nb\n#7\nc\nd", &g);
	assert_int_equal(g.n, 4);
	assert_int_equal(g.time[0], IRK_HIST_NOTIME);
	assert_int_equal(g.time[2], 7);
	assert_int_equal(g.time[3], IRK_HIST_NOTIME);
	assert_int_equal(g.duration[0], -1);
}

static void
test_zsh(void **state)
{
	struct got g;

	(void)state;
	PARSE(IRK_HIST_ZSH, ": 10:3;a \\\\\nb\nplain\n: 11:0;t \\ \n"
	    ": 12:0;\x83\xa3x\n: bad;y\n", &g);
	assert_int_equal(g.n, 5);
	assert_string_equal(g.cmd[0], "a \\\nb");
	assert_int_equal(g.time[0], 10);
	assert_int_equal(g.duration[0], 3);
	assert_string_equal(g.cmd[1], "plain");
	assert_int_equal(g.time[1], IRK_HIST_NOTIME);
	assert_string_equal(g.cmd[2], "t \\");
	assert_string_equal(g.cmd[3], "\x83x");
	/* not the extended form: the line as it is */
	assert_string_equal(g.cmd[4], ": bad;y");
	assert_int_equal(irk_hist_unmetafy((char[]){ "\x83" }, 1), 1);
}

static void
test_fish(void **state)
{
	struct got g;

	(void)state;
	PARSE(IRK_HIST_FISH, "- cmd: a\\\\b\\nc\\t\n  when: 42\n  paths:\n"
	    "    - x\n- cmd: none\n  when: z\n", &g);
	assert_int_equal(g.n, 2);
	assert_string_equal(g.cmd[0], "a\\b\nc\\t");
	assert_int_equal(g.time[0], 42);
	assert_int_equal(g.time[1], IRK_HIST_NOTIME);
}

static void
test_plain_less(void **state)
{
	struct got g;

	(void)state;
	PARSE(IRK_HIST_PLAIN, "_HiStOrY_V2_\nselect\\0401;\n\\09\n", &g);
	assert_int_equal(g.n, 2);
	assert_string_equal(g.cmd[0], "select 1;");
	assert_string_equal(g.cmd[1], "\\09");
	PARSE(IRK_HIST_PLAIN, "_HiStOrY_V2_x\n", &g);
	assert_string_equal(g.cmd[0], "_HiStOrY_V2_x");
	PARSE(IRK_HIST_PSQL, "a\001b\n", &g);
	assert_string_equal(g.cmd[0], "a\nb");
	PARSE(IRK_HIST_LESS, ".less-history-file:\n\"no\n.search\n\"pw\n"
	    ".mark\n\"x\n.shell\n\"id\n", &g);
	assert_int_equal(g.n, 2);
	assert_string_equal(g.cmd[0], "pw");
	assert_string_equal(g.cmd[1], "id");
}

static void
test_cut(void **state)
{
	struct irk_hist_parser p;
	struct got g;
	char *big = malloc(IRK_HIST_ENTRY_MAX + 10);

	(void)state;
	assert_non_null(big);
	memset(big, 'a', IRK_HIST_ENTRY_MAX + 10);
	memset(&g, 0, sizeof(g));
	/* a line the caller cut, and an entry that grows past the bound */
	irk_hist_init(&p, IRK_HIST_BASH, keep, &g);
	assert_int_equal(irk_hist_line(&p, "x", 1, 1), IRK_OK);
	assert_int_equal(irk_hist_line(&p, big, IRK_HIST_ENTRY_MAX + 10, 0),
	    IRK_OK);
	assert_int_equal(irk_hist_end(&p), IRK_OK);
	irk_hist_release(&p);
	assert_int_equal(g.n, 2);
	assert_int_equal(g.cut[0], 1);
	assert_int_equal(g.cut[1], 1);
	free(big);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bash),
		cmocka_unit_test(test_zsh),
		cmocka_unit_test(test_fish),
		cmocka_unit_test(test_plain_less),
		cmocka_unit_test(test_cut),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
