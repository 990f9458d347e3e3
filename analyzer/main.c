/*
 * irkit-analyze - verify, scan and load evidence into a case database,
 * export its timeline and render a report.  Dispatches to one file per
 * subcommand (commands.h).
 */
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "irkit/version.h"
#include "irkit/banned.h"

#define COMMAND(name, help) int irk_cmd_##name(int, char **);
#include "commands.h"
#undef COMMAND

struct command {
	const char *name;
	int (*fn)(int, char **);
	const char *help;
};

static const struct command commands[] = {
#define COMMAND(name, help) { #name, irk_cmd_##name, help },
#include "commands.h"
#undef COMMAND
	{ NULL, NULL, NULL },
};

static void
usage(FILE *fp)
{
	fprintf(fp, "usage: irkit-analyze COMMAND [options] [args]\n\n");
	for (const struct command *c = commands; c->name != NULL; c++)
		fprintf(fp, "  %-8s %s\n", c->name, c->help);
	fprintf(fp, "\n'irkit-analyze COMMAND --help' tells more.\n"
	    "Exit status: 0 done; 1 done but something could not be read; "
	    "2 usage; 3 fatal.\n");
}

int
main(int argc, char **argv)
{
	signal(SIGPIPE, SIG_IGN);
	/*
	 * Scanned content is one buffer per file, allocated by the reader
	 * and freed by a worker thousands of times a run: keep such buffers
	 * in the heap for reuse instead of a fresh zeroed mmap each time
	 * (that page clearing was ~7% of an ingest).  Above 32 MiB glibc
	 * still maps them.
	 */
	(void)mallopt(M_MMAP_THRESHOLD, 32 << 20);
	(void)mallopt(M_TRIM_THRESHOLD, 128 << 20);
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		printf("irkit-analyze %s\n", IRK_VERSION);
		return 0;
	}
	for (const struct command *c = commands; c->name != NULL; c++)
		if (strcmp(c->name, argv[1]) == 0)
			return c->fn(argc - 1, argv + 1);
	fprintf(stderr, "irkit-analyze: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
