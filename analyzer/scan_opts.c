/*
 * scan_opts.c - the scan options of `ingest`, `image` and `rules scan`
 * (scan_opts.h): one parser, one set of limits and messages, one block
 * of --help lines.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "irkit/err.h"
#include "irkit/fe.h"
#include "irkit/parse.h"
#include "scan_opts.h"
#include "irkit/banned.h"

int
irk_scan_args_init(struct irk_scan_args *a, int argc, int hash_none)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);

	memset(a, 0, sizeof(*a));
	a->default_rules = 1;
	a->jobs = ncpu < 1 ? 1 : ncpu > IRK_SCAN_JOBS_MAX ?
	    IRK_SCAN_JOBS_MAX : (int)ncpu;
	a->max_size = IRK_SCAN_DEFAULT_MAX_SIZE;
	a->presel_min = IRK_SCAN_DEFAULT_PRESEL_MIN;
	a->hash = IRK_SCAN_HASH_UNSET;
	a->hash_none = hash_none;
	a->db = "case.db";
	/* every argument could be one -r or --ioc value */
	a->rules = calloc((size_t)argc + 1, sizeof(*a->rules));
	a->iocs = calloc((size_t)argc + 1, sizeof(*a->iocs));
	if (a->rules == NULL || a->iocs == NULL) {
		irk_scan_args_release(a);
		return IRK_FATAL;
	}
	return IRK_OK;
}

void
irk_scan_args_release(struct irk_scan_args *a)
{
	free(a->rules);
	free(a->iocs);
	a->rules = a->iocs = NULL;
	a->nrules = a->niocs = 0;
}

static int
parse_hash(struct irk_scan_args *a, const char *arg)
{
	if (strcmp(arg, "sha256") == 0)
		a->hash = IRK_SCAN_HASH_SHA256;
	else if (strcmp(arg, "all") == 0)
		a->hash = IRK_SCAN_HASH_ALL;
	else if (a->hash_none && strcmp(arg, "none") == 0)
		a->hash = IRK_SCAN_HASH_NONE;
	else {
		irk_fe_error("bad --hash '%s' (%ssha256 or all)", arg,
		    a->hash_none ? "none, " : "");
		return IRK_SCAN_OPT_BAD;
	}
	return IRK_SCAN_OPT_DONE;
}

int
irk_scan_opts_parse(struct irk_scan_args *a, int opt, const char *arg)
{
	uint64_t v;

	switch (opt) {
	case IRK_SCAN_OPT_RULES:
		a->rules[a->nrules++] = arg;
		return IRK_SCAN_OPT_DONE;
	case IRK_SCAN_OPT_IOC:
		a->iocs[a->niocs++] = arg;
		return IRK_SCAN_OPT_DONE;
	case IRK_SCAN_OPT_NO_DEFAULT_RULES:
		a->default_rules = 0;
		return IRK_SCAN_OPT_DONE;
	case IRK_SCAN_OPT_NO_PRESELECT:
		a->no_preselect = 1;
		return IRK_SCAN_OPT_DONE;
	case IRK_SCAN_OPT_PRESELECT_MIN:
		if (irk_parse_size(arg, &v) != 0 || v > IRK_SCAN_MAX_SIZE_LIMIT) {
			irk_fe_error("bad --preselect-min '%s' (0 to 4G)", arg);
			return IRK_SCAN_OPT_BAD;
		}
		a->presel_min = v;
		return IRK_SCAN_OPT_DONE;
	case IRK_SCAN_OPT_JOBS:
		if (irk_parse_u64(arg, 10, IRK_SCAN_JOBS_MAX, &v) != 0 ||
		    v == 0) {
			irk_fe_error("bad -j '%s' (1 to %d)", arg,
			    IRK_SCAN_JOBS_MAX);
			return IRK_SCAN_OPT_BAD;
		}
		a->jobs = (int)v;
		return IRK_SCAN_OPT_DONE;
	case IRK_SCAN_OPT_MAX_SIZE:
		if (irk_parse_size(arg, &v) != 0 || v == 0 ||
		    v > IRK_SCAN_MAX_SIZE_LIMIT) {
			irk_fe_error("bad --max-file-size '%s' (1 to 4G)", arg);
			return IRK_SCAN_OPT_BAD;
		}
		a->max_size = v;
		return IRK_SCAN_OPT_DONE;
	case IRK_SCAN_OPT_HASH:
		return parse_hash(a, arg);
	case IRK_SCAN_OPT_DB:
		a->db = arg;
		return IRK_SCAN_OPT_DONE;
	case IRK_SCAN_OPT_QUIET:
		a->quiet = 1;
		return IRK_SCAN_OPT_DONE;
	case IRK_SCAN_OPT_JSON:
		a->json = 1;
		return IRK_SCAN_OPT_DONE;
	default:
		return opt;
	}
}

int
irk_scan_opts_other(int opt, void (*usage)(FILE *))
{
	if (opt == 'h') {
		usage(stdout);
		return -1;
	}
	usage(stderr);
	return 2;
}

int
irk_scan_opts_inputs(int argc, void (*usage)(FILE *))
{
	if (optind < argc)
		return 0;
	usage(stderr);
	return 2;
}

void
irk_scan_args_opts(const struct irk_scan_args *a, struct irk_scan_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->rules = a->rules;
	o->nrules = a->nrules;
	o->default_rules = a->default_rules;
	o->iocs = a->iocs;
	o->niocs = a->niocs;
	o->jobs = a->jobs;
	o->max_size = a->max_size;
	o->timeout = IRK_SCAN_DEFAULT_TIMEOUT;
	o->hash_all = a->hash == IRK_SCAN_HASH_ALL;
	o->no_preselect = a->no_preselect;
	o->presel_min = a->presel_min;
}

void
irk_scan_opts_help(FILE *fp)
{
	fputs(
"  -r, --rules PATH      YARA rule file or folder (repeatable)\n"
"      --no-default-rules\n"
"                        do not load the bundled yara-rules/ (nor their IOC\n"
"                        lists)\n"
"      --ioc FILE        IOC list: hashes or file-name patterns (repeatable)\n"
"  -j, --jobs N          scanning threads, 1 to 256 (default: the CPUs)\n"
"      --max-file-size SIZE\n"
"                        larger files are not scanned, 1 to 4G (k, M, G;\n"
"                        default 64M)\n"
"      --hash MODE       sha256 (default): SHA-256 of every file, MD5 or\n"
"                        SHA-1 too when an IOC list has values of that kind\n"
"                        (the bundled sha1.txt does); all: MD5 and SHA-1 of\n"
"                        every file\n"
"      --no-preselect    scan every file with every rule (no pre-selection\n"
"                        by header and size: the same matches, slower)\n"
"      --preselect-min SIZE\n"
"                        a class of files gets its own rule set once its\n"
"                        files total SIZE, 0 to 4G (default 16M)\n", fp);
}

void
irk_scan_load_help(FILE *fp)
{
	fputs(
"  -d, --db FILE         case database (default case.db)\n"
"  -q, --quiet           errors only: no progress, no summary\n"
"      --json            the summary as one JSON object on stdout\n", fp);
}

void
irk_scan_say_rule_problems(const struct irk_scan *s)
{
	const json_t *e;
	size_t i;

	json_array_foreach(irk_scan_rule_errors(s), i, e)
		irk_fe_error("rules: %s", json_string_value(e));
	if (!irk_scan_user_rules_usable(s))
		irk_fe_error("no rule file given with --rules compiles: "
		    "nothing loaded");
}
