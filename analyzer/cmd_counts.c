/*
 * cmd_counts.c - irkit-analyze counts: the rows of a case by kind (the
 * evidence, each record type of the registry that is counted, events,
 * YARA matches, IOC hits, findings), one "LABEL<TAB>N" line each, for
 * build.sh's triage summary and scripts.  The database is opened
 * read-only.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "db.h"
#include "export.h"
#include "irkit/fe.h"
#include "irkit/banned.h"

int irk_cmd_counts(int argc, char **argv);

static void
usage(FILE *fp)
{
	fputs("usage: irkit-analyze counts [--db FILE]\n\n"
	    "The rows of the case by kind, one 'LABEL<TAB>N' line each:\n"
	    "evidence, each record type (processes, services, ...), files,\n"
	    "events, YARA matches, IOC hits, findings.\n\n"
	    "  --db FILE   case database (default case.db), opened read-only\n"
	    "  -h, --help  this help\n\n"
	    "Exit status: 0 done; 2 usage; 3 the database cannot be read.\n",
	    fp);
}

static void
print_count(void *arg, const char *label, int64_t n)
{
	(void)arg;
	printf("%s\t%lld\n", label, (long long)n);
}

int
irk_cmd_counts(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dbpath = "case.db";
	struct irk_db *db = NULL;
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "d:h", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			dbpath = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		irk_fe_error("unexpected argument '%s'", argv[optind]);
		usage(stderr);
		return 2;
	}
	if (irk_export_open_db(dbpath, &db) != 0)
		return 3;
	rc = irk_db_counts(db, print_count, NULL) == IRK_OK ? 0 : 3;
	if (rc != 0)
		irk_fe_error("cannot count the rows of '%s': %s", dbpath,
		    irk_db_errmsg(db));
	/* IRK_WARN: `| head` has what it wanted */
	if (irk_export_close_out(stdout, "-") == IRK_FATAL)
		rc = 3;
	irk_db_close(db);
	return rc;
}
