/*
 * scan_opts.h - the scan options of `ingest`, `image` and `rules scan`,
 * parsed in one place: the same names, short options, limits, messages
 * and --help lines in the three commands (docs/scanning.md); and the
 * options of the two that load a case (-d/--db, -q/--quiet, --json).
 *
 *	static const struct option lo[] = { IRK_SCAN_LONGOPTS,
 *	    IRK_LOAD_LONGOPTS, ...own... };
 *	irk_scan_args_init(&a, argc, 0);
 *	while ((c = getopt_long(argc, argv, IRK_SCAN_SHORTOPTS
 *	    IRK_LOAD_SHORTOPTS "own",
 *	    lo, NULL)) != -1) {
 *		switch (irk_scan_opts_parse(&a, c, optarg)) {
 *		case IRK_SCAN_OPT_DONE: break;
 *		case IRK_SCAN_OPT_BAD: return 2;	(said)
 *		case 'n': ...				(the command's own)
 *		default: return irk_scan_opts_other(c, usage);
 *		}
 *	}
 *	if ((rc = irk_scan_opts_inputs(argc, usage)) != 0) return rc;
 *	irk_scan_args_opts(&a, &so); irk_scan_open(&s, &so, &err);
 *	irk_scan_args_release(&a);
 */
#ifndef IRKIT_SCAN_OPTS_H
#define IRKIT_SCAN_OPTS_H

#include <getopt.h>
#include <stdint.h>
#include <stdio.h>

#include "scan.h"

/* -r PATH, -j N; the other scan options are long only */
#define IRK_SCAN_SHORTOPTS	"r:j:"
/* -d FILE, -q (ingest, image) */
#define IRK_LOAD_SHORTOPTS	"d:q"

enum {
	IRK_SCAN_OPT_RULES = 'r',
	IRK_SCAN_OPT_JOBS = 'j',
	IRK_SCAN_OPT_IOC = 0x200,	/* above any short option */
	IRK_SCAN_OPT_NO_DEFAULT_RULES,
	IRK_SCAN_OPT_MAX_SIZE,
	IRK_SCAN_OPT_HASH,
	IRK_SCAN_OPT_NO_PRESELECT,
	IRK_SCAN_OPT_PRESELECT_MIN,
	IRK_SCAN_OPT_DB = 'd',
	IRK_SCAN_OPT_QUIET = 'q',
	IRK_SCAN_OPT_JSON = 0x280,
};

#define IRK_SCAN_LONGOPTS						\
	{ "rules", required_argument, NULL, IRK_SCAN_OPT_RULES },	\
	{ "no-default-rules", no_argument, NULL,			\
	    IRK_SCAN_OPT_NO_DEFAULT_RULES },				\
	{ "ioc", required_argument, NULL, IRK_SCAN_OPT_IOC },		\
	{ "jobs", required_argument, NULL, IRK_SCAN_OPT_JOBS },		\
	{ "max-file-size", required_argument, NULL, IRK_SCAN_OPT_MAX_SIZE }, \
	{ "hash", required_argument, NULL, IRK_SCAN_OPT_HASH },		\
	{ "no-preselect", no_argument, NULL, IRK_SCAN_OPT_NO_PRESELECT }, \
	{ "preselect-min", required_argument, NULL,			\
	    IRK_SCAN_OPT_PRESELECT_MIN }

#define IRK_SCAN_JSON_LONGOPT						\
	{ "json", no_argument, NULL, IRK_SCAN_OPT_JSON }

#define IRK_LOAD_LONGOPTS						\
	{ "db", required_argument, NULL, IRK_SCAN_OPT_DB },		\
	{ "quiet", no_argument, NULL, IRK_SCAN_OPT_QUIET },		\
	IRK_SCAN_JSON_LONGOPT

/* The limits: -j 1 to 256, --max-file-size 1 byte to 4 GiB. */
#define IRK_SCAN_JOBS_MAX	256
#define IRK_SCAN_MAX_SIZE_LIMIT	(4ULL << 30)

/* --hash: what is computed of every file's content */
enum {
	IRK_SCAN_HASH_UNSET = -1,	/* no --hash: the command decides */
	IRK_SCAN_HASH_NONE,		/* image only */
	IRK_SCAN_HASH_SHA256,
	IRK_SCAN_HASH_ALL,		/* and MD5 and SHA-1 */
};

/* irk_scan_opts_parse's answers, besides opt itself (not a scan option) */
enum {
	IRK_SCAN_OPT_DONE = 0,	/* taken */
	IRK_SCAN_OPT_BAD = -2,	/* a bad value, said: exit 2 */
};

struct irk_scan_args {
	const char **rules;	/* -r/--rules, in order */
	size_t nrules;
	const char **iocs;	/* --ioc */
	size_t niocs;
	int default_rules;	/* 0 with --no-default-rules */
	int jobs;		/* -j; default the CPUs (at most 256) */
	uint64_t max_size;	/* --max-file-size; default 64 MiB */
	int hash;		/* IRK_SCAN_HASH_*; UNSET without --hash */
	int hash_none;		/* --hash none accepted (image) */
	int no_preselect;	/* --no-preselect */
	uint64_t presel_min;	/* --preselect-min; default 16 MiB */
	const char *db;		/* -d/--db; default case.db */
	int quiet;		/* -q: errors only */
	int json;		/* --json */
};

/* Defaults, room for argc rule and IOC names: IRK_OK or IRK_FATAL. */
int irk_scan_args_init(struct irk_scan_args *a, int argc, int hash_none);
void irk_scan_args_release(struct irk_scan_args *a);
/* One getopt_long result (opt, optarg): IRK_SCAN_OPT_DONE, _BAD, or
 * opt when it is not a scan option. */
int irk_scan_opts_parse(struct irk_scan_args *a, int opt, const char *arg);
/*
 * The end of a getopt loop: opt, not a scan option nor one the command
 * takes, is 'h' (usage on stdout, -1: exit 0) or wrong (usage on stderr,
 * the getopt message said: 2).
 */
int irk_scan_opts_other(int opt, void (*usage)(FILE *));
/* After the loop: 0 when an input is named, else usage on stderr, 2. */
int irk_scan_opts_inputs(int argc, void (*usage)(FILE *));
/* The scanner's options from the arguments (timeout 60 s, no cache). */
void irk_scan_args_opts(const struct irk_scan_args *a,
    struct irk_scan_opts *o);
/* The --help lines of the scan options; of -d, -q and --json. */
void irk_scan_opts_help(FILE *fp);
void irk_scan_load_help(FILE *fp);

/*
 * Tell the user, on stderr, of the rule files that did not compile
 * ("rules: FILE:LINE: message"), and when none of --rules compiled.
 */
void irk_scan_say_rule_problems(const struct irk_scan *s);

#endif
