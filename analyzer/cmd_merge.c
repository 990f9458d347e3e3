/*
 * cmd_merge.c - irkit-analyze merge: shards (case databases made by
 * ingest or image, one input each, on any machine) into one case
 * (db_merge.c; docs/scale-out.md, "Shards and merge").
 */
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "db.h"
#include "db_merge.h"
#include "findings_cross.h"
#include "irkit/fe.h"
#include "irkit/banned.h"

int irk_cmd_merge(int argc, char **argv);

static void
usage(FILE *fp)
{
	fputs("usage: irkit-analyze merge [--db FILE] [-q] SHARD...\n\n"
	    "Merge each SHARD (a case database made by ingest or image, "
	    "typically one\ninput each, on another machine) into the case: "
	    "each shard in one\ntransaction, its rows copied with new ids.  "
	    "Evidence the case has already\n(the same SHA-256, media hash or "
	    "collection manifest) is skipped and said\nso: merging a shard "
	    "twice changes nothing.  The scan cache and baseline\nmarks are "
	    "merged; the findings of the merged evidence are computed as\n"
	    "ingest computes them, then the findings across hosts over the whole\n"
	    "case (docs/cross-host.md).  A merge that is killed leaves the case as "
	    "it was.\nA file that is not an irkit case, or a case of another "
	    "schema, is refused.\nMemory does not grow with the shards: "
	    "what SQLite's cache and sorts do not\nhold goes to temporary "
	    "files in $SQLITE_TMPDIR, else $TMPDIR, else /var/tmp.\n\n"
	    "  -d, --db FILE  case database (default case.db; created if "
	    "missing)\n"
	    "  -q, --quiet    no line per shard\n"
	    "  -h, --help     this help\n\n"
	    "Exit status: 0 done; 1 a SHARD refused (the others merged); 2 "
	    "usage;\n3 the case cannot be written (the shard being merged left "
	    "out).\n", fp);
}

static void
skipped(void *arg, const char *path, int64_t shard_id, int64_t case_id)
{
	const char *shard = arg;

	if (case_id == 0)
		irk_fe_warn("'%s': evidence %lld ('%s') did not finish "
		    "loading there: not merged", shard, (long long)shard_id,
		    path ? path : "?");
	else
		irk_safe_fprintf(stderr, "%s: '%s': evidence %lld ('%s') "
		    "already in the case as evidence %lld (same content): "
		    "skipped\n", irk_fe_prefix(), shard, (long long)shard_id,
		    path ? path : "?", (long long)case_id);
}

static int
merge_one(struct irk_db *db, const char *shard, int quiet, uint64_t *merged)
{
	struct irk_merge_result res;
	struct irk_err err;
	char eb[700];
	int r;

	irk_err_clear(&err);
	r = irk_db_merge(db, shard, skipped, (void *)shard, &res, &err);
	if (r != IRK_OK) {
		irk_fe_error("%s", irk_err_str(&err, eb, sizeof(eb)));
		return r == IRK_FATAL ? 3 : 1;
	}
	*merged += res.evidence;
	if (!quiet)
		irk_safe_fprintf(stdout, "%s: '%s': %llu evidence merged, "
		    "%llu skipped; %llu rows (%llu events), %llu scan cache "
		    "rows, %llu baselines; %llu findings\n", irk_fe_prefix(),
		    shard, (unsigned long long)res.evidence,
		    (unsigned long long)res.skipped,
		    (unsigned long long)res.rows,
		    (unsigned long long)res.events,
		    (unsigned long long)res.cache,
		    (unsigned long long)res.baselines,
		    (unsigned long long)res.findings);
	return 0;
}

int
irk_cmd_merge(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dbpath = "case.db";
	struct irk_db *db = NULL;
	struct irk_err err;
	uint64_t merged = 0;		/* evidence merged: the case changed */
	int c, quiet = 0, rc = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, "d:qh", opts, NULL)) != -1) {
		switch (c) {
		case 'd': dbpath = optarg; break;
		case 'q': quiet = 1; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind == argc) {
		irk_fe_error("no shard given");
		usage(stderr);
		return 2;
	}
	irk_db_merge_init();
	if (irk_db_open_writer(&db, dbpath, 0, &err) != IRK_OK) {
		irk_fe_error("'%s': %s", dbpath, err.msg);
		return 3;
	}
	for (int i = optind; i < argc && rc < 3; i++) {
		int r = merge_one(db, argv[i], quiet, &merged);

		rc = r > rc ? r : rc;
	}
	if (irk_db_finish_load(db, &err) != IRK_OK) {
		irk_fe_error("'%s': %s", dbpath, err.msg);
		rc = 3;
	} else if (merged > 0 && (irk_findings_cross(db, &err) != IRK_OK ||
	    irk_db_finish_load(db, &err) != IRK_OK)) {
		/* over the whole case: hosts of different shards meet here;
		 * then the statistics again, counting those findings, so a
		 * later merge that adds nothing leaves the case as it is */
		irk_fe_error("cannot write the cross-host findings to the "
		    "case '%s': %s", dbpath, err.msg);
		rc = 3;
	}
	irk_db_close(db);
	return rc;
}
