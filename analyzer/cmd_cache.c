/*
 * cmd_cache.c - irkit-analyze cache export|import: the scan cache of a
 * case out to a file and into another case, so workers loading shards
 * (docs/scale-out.md) do not scan again what another has scanned.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cache_file.h"
#include "db.h"
#include "db_merge.h"
#include "export.h"
#include "irkit/fe.h"
#include "irkit/banned.h"

int irk_cmd_cache(int argc, char **argv);

static void
usage(FILE *fp)
{
	fputs("usage: irkit-analyze cache export [--db FILE] CACHEFILE\n"
	    "       irkit-analyze cache import [--db FILE] CACHEFILE\n\n"
	    "export writes the case's scan cache (the SHA-256 of each content "
	    "scanned\nclean, under the content hash of the rule set, with "
	    "libmagic's answers) to\nCACHEFILE ('-': standard output), one "
	    "JSON object a line.  import adds\nthe rows of CACHEFILE the case "
	    "has not: a later ingest or image of that\ncase skips the scan of "
	    "content scanned with the same rules.  Importing a\nfile twice "
	    "changes nothing.  Every line is checked first; a file with a\n"
	    "bad line is refused whole.  Content that matched a rule is not "
	    "exported\n(its matches stay in its case): it is scanned again.  "
	    "Import only caches\nyour own workers wrote: a row says the "
	    "content is clean.\n\n"
	    "  -d, --db FILE  case database (default case.db)\n"
	    "  -h, --help     this help\n\n"
	    "Exit status: 0 done; 1 CACHEFILE refused (nothing imported); 2 "
	    "usage;\n3 the case or CACHEFILE cannot be read or written.\n", fp);
}

struct out {
	FILE *fp;
	uint64_t n;
};

static int
put_row(void *arg, const struct irk_cache_row *row)
{
	struct out *o = arg;

	if (irk_cache_write_row(o->fp, row) != 0)
		return IRK_FATAL;
	o->n++;
	return IRK_OK;
}

static int
export(const char *dbpath, const char *file)
{
	struct irk_outfile of;
	struct irk_db *db = NULL;
	struct irk_err err;
	struct out o = { NULL, 0 };
	int r;

	irk_err_clear(&err);
	if (irk_export_open_db(dbpath, &db) != 0)
		return 3;
	if (irk_export_open_out(&of, file) != 0) {
		irk_db_close(db);
		return 3;
	}
	o.fp = of.fp;
	r = irk_cache_write_header(o.fp) == 0 ? irk_db_cache_rows(db, put_row,
	    &o, &err) : IRK_FATAL;
	irk_db_close(db);
	if (r != IRK_OK && err.msg[0] != '\0')
		irk_fe_error("'%s': %s", dbpath, err.msg);
	if (irk_export_finish_out(&of, r == IRK_OK) != 0 || r != IRK_OK)
		return 3;
	if (strcmp(file, "-") != 0)
		irk_safe_fprintf(stderr, "%s: %llu rows written to '%s'\n",
		    irk_fe_prefix(), (unsigned long long)o.n, file);
	return 0;
}

/* Every line of fp checked, each row added; 0, 1 refused, 3. */
static int
import_lines(struct irk_db *db, FILE *fp, const char *file, uint64_t *added,
    uint64_t *had)
{
	char *line = NULL, why[256];
	size_t cap = 0, lineno = 0;
	ssize_t len;
	int rc = 0;

	while (rc == 0 && (len = getline(&line, &cap, fp)) >= 0) {
		struct irk_cache_row row;
		json_t *keep = NULL;
		int r;

		lineno++;
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		if (lineno == 1 ? irk_cache_parse_header(line, (size_t)len,
		    why, sizeof(why)) != 0 : irk_cache_parse_row(line,
		    (size_t)len, &row, &keep, why, sizeof(why)) != 0) {
			irk_fe_error("'%s' line %zu: %s: nothing imported",
			    file, lineno, why);
			rc = 1;
			break;
		}
		if (lineno == 1)
			continue;
		r = irk_db_cache_put(db, &row);
		json_decref(keep);
		if (r < 0) {
			irk_fe_error("cannot write the scan cache: %s",
			    irk_db_errmsg(db));
			rc = 3;
		} else
			*(r ? added : had) += 1;
	}
	if (rc == 0 && ferror(fp)) {
		irk_fe_error("cannot read '%s': %s", file, strerror(errno));
		rc = 3;
	} else if (rc == 0 && lineno == 0) {
		irk_fe_error("'%s' is empty: not a scan cache", file);
		rc = 1;
	}
	free(line);
	return rc;
}

static int
import(const char *dbpath, const char *file)
{
	struct irk_db *db = NULL;
	struct irk_err err;
	uint64_t added = 0, had = 0;
	FILE *fp;
	int rc;

	if ((fp = strcmp(file, "-") == 0 ? stdin : fopen(file, "re")) ==
	    NULL) {
		irk_fe_error("cannot read '%s': %s", file, strerror(errno));
		return 3;
	}
	if (irk_db_open_writer(&db, dbpath, 0, &err) != IRK_OK) {
		irk_fe_error("'%s': %s", dbpath, err.msg);
		if (fp != stdin)
			fclose(fp);
		return 3;
	}
	/* one transaction: a refused file leaves nothing behind */
	irk_db_hold(db, 1);
	rc = irk_db_begin(db) == IRK_OK ? import_lines(db, fp, file, &added,
	    &had) : 3;
	if (rc == 0 && irk_db_commit(db) != IRK_OK) {
		irk_fe_error("cannot write the scan cache: %s",
		    irk_db_errmsg(db));
		rc = 3;
	}
	if (rc != 0)
		(void)irk_db_rollback(db);
	irk_db_close(db);
	if (fp != stdin)
		fclose(fp);
	if (rc == 0)
		irk_safe_fprintf(stderr, "%s: %llu new rows, %llu known "
		    "already, from '%s'\n", irk_fe_prefix(),
		    (unsigned long long)added, (unsigned long long)had, file);
	return rc;
}

int
irk_cmd_cache(int argc, char **argv)
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
	if (argc - optind != 2 || (strcmp(argv[optind], "export") != 0 &&
	    strcmp(argv[optind], "import") != 0)) {
		usage(stderr);
		return 2;
	}
	return strcmp(argv[optind], "export") == 0 ?
	    export(dbpath, argv[optind + 1]) : import(dbpath, argv[optind + 1]);
}
