/*
 * cmd_baseline.c - irkit-analyze baseline: mark a collection as the
 * known-good state of its host (db_baseline.c), or list the case's
 * baselines.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "db.h"
#include "export.h"
#include "irkit/fe.h"
#include "irkit/timeutil.h"
#include "irkit/banned.h"

int irk_cmd_baseline(int argc, char **argv);

static void
usage(FILE *fp)
{
	fputs("usage: irkit-analyze baseline [--db FILE] [EVIDENCE]\n\n"
	    "Mark EVIDENCE (its id, its path as loaded, or six or more hex "
	    "digits of its\nSHA-256) as the known-good collection of its "
	    "host.  Every later collection\nof that host in the case, loaded "
	    "before or after, gets a finding\n(category 'baseline') for each "
	    "service, task, kernel module, trusted root,\nprivate key, "
	    "listening socket or program that is new or changed since it\n"
	    "(irkit-analyze diff shows all the differences).  A host has one "
	    "baseline:\nmarking another replaces it.  Without EVIDENCE, list "
	    "the baselines.\n\n"
	    "  -d, --db FILE  case database (default case.db)\n"
	    "  -h, --help     this help\n\n"
	    "Exit status: 0 done; 1 the evidence has no host; 2 usage (also "
	    "EVIDENCE\nnaming no evidence or several); 3 the case cannot be "
	    "read or written.\n", fp);
}

static void
print_baseline(void *arg, const char *host, int64_t evidence,
    const char *path, int64_t marked_at)
{
	char t[IRK_TIME_LEN];

	(void)arg;
	/* evidence text escaped, the tabs between the fields kept */
	irk_safe_fputs(host ? host : "?", stdout);
	printf("\t%lld\t", (long long)evidence);
	irk_safe_fputs(path ? path : "", stdout);
	printf("\t%s\n", irk_time_fmt(marked_at, t));
}

static int
list(const char *dbpath)
{
	struct irk_db *h = NULL;
	int rc;

	if (irk_export_open_db(dbpath, &h) != 0)
		return 3;
	rc = irk_db_baselines(h, print_baseline, NULL) == IRK_OK ? 0 : 3;
	if (rc != 0)
		irk_fe_error("cannot read the baselines of '%s': %s", dbpath,
		    irk_db_errmsg(h));
	irk_db_close(h);
	return rc;
}

static int
mark(const char *dbpath, const char *ref)
{
	struct irk_baseline_result res;
	struct irk_db *db = NULL;
	struct irk_err err;
	int r;

	if (irk_db_open_writer(&db, dbpath, 0, &err) != IRK_OK) {
		irk_fe_error("'%s': %s", dbpath, err.msg);
		return 3;
	}
	r = irk_db_baseline_mark(db, ref, &res, &err);
	irk_db_close(db);
	if (r != IRK_OK) {
		irk_fe_error("%s", err.msg);
		return r == IRK_FATAL ? 3 : strncmp(err.msg, "evidence ", 9) ==
		    0 ? 1 : 2;
	}
	irk_safe_fprintf(stdout, "%s: evidence %lld (%s) is the baseline of "
	    "its host; %llu baseline findings in %llu later collections\n",
	    irk_fe_prefix(), (long long)res.evidence_id, res.path,
	    (unsigned long long)res.findings, (unsigned long long)res.later);
	return 0;
}

int
irk_cmd_baseline(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dbpath = "case.db";
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "d:h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': dbpath = optarg; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (argc - optind > 1) {
		irk_fe_error("unexpected argument '%s'", argv[optind + 1]);
		usage(stderr);
		return 2;
	}
	return optind == argc ? list(dbpath) : mark(dbpath, argv[optind]);
}
