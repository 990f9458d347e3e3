/*
 * cmd_rules.c - `irkit-analyze rules check|compile`: compile YARA rule
 * files or folders with the same engine and externals as ingest, report
 * every error and warning as "file:line: message", save compiled rules.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "irkit/err.h"
#include "scan.h"
#include "irkit/banned.h"

#define COMMAND(name, help) int irk_cmd_##name(int, char **);
#include "commands.h"
#undef COMMAND

static void
usage(FILE *fp)
{
	fprintf(fp, "usage: irkit-analyze rules check [PATH...]\n"
	    "       irkit-analyze rules compile [-o FILE] [PATH...]\n\n"
	    "PATH is a rule file or a folder (*.yar, *.yara, recursive);\n"
	    "without PATH the bundled yara-rules/ are used.  Errors and\n"
	    "warnings are printed as 'file:line: message'; exit 1 when a file\n"
	    "did not compile (compile still saves the others).  Compiled\n"
	    "rules load with 'yara -C FILE'.\n");
}

static void
print_lines(FILE *fp, const json_t *a)
{
	size_t i;
	json_t *v;

	json_array_foreach(a, i, v)
		fprintf(fp, "%s\n", json_string_value(v));
}

int
irk_cmd_rules(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct irk_scan_opts o;
	struct irk_scan *s = NULL;
	struct irk_err err;
	const char *output = "rules.yarc", *sub;
	int compile, c, rc;

	if (argc < 2 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	sub = argv[1];
	if (strcmp(sub, "check") == 0)
		compile = 0;
	else if (strcmp(sub, "compile") == 0)
		compile = 1;
	else {
		fprintf(stderr, "irkit-analyze rules: unknown subcommand "
		    "'%s'\n", sub);
		usage(stderr);
		return 2;
	}
	argc--;
	argv++;
	optind = 1;
	while ((c = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			if (!compile) {
				usage(stderr);
				return 2;
			}
			output = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	memset(&o, 0, sizeof(o));
	o.rules = (const char *const *)(argv + optind);
	o.nrules = (size_t)(argc - optind);
	o.default_rules = o.nrules == 0;
	o.jobs = 0;
	irk_err_clear(&err);
	if (irk_scan_open(&s, &o, &err) != IRK_OK) {
		fprintf(stderr, "irkit-analyze rules: %s\n", err.msg);
		return 3;
	}
	print_lines(stdout, irk_scan_rule_errors(s));
	print_lines(stdout, irk_scan_rule_warnings(s));
	rc = json_array_size(irk_scan_rule_errors(s)) > 0 ? 1 : 0;
	fprintf(stderr, "irkit-analyze rules: %u rules from %zu files, "
	    "%zu errors, %zu warnings, hash %s\n", irk_scan_rule_count(s),
	    json_array_size(irk_scan_rule_files(s)),
	    json_array_size(irk_scan_rule_errors(s)),
	    json_array_size(irk_scan_rule_warnings(s)),
	    irk_scan_rules_hash(s));
	if (compile) {
		if (irk_scan_save_rules(s, output, &err) != IRK_OK) {
			fprintf(stderr, "irkit-analyze rules: %s\n", err.msg);
			rc = 3;
		} else {
			fprintf(stderr, "irkit-analyze rules: saved '%s'\n",
			    output);
		}
	}
	irk_scan_close(s);
	return rc;
}
