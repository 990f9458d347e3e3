/*
 * cmd_verify.c - irkit-analyze verify EVIDENCE...: re-hash every member
 * of an irkit archive against its manifest and print one line per
 * problem.  Exit 0 only when everything is intact.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "evidence_read.h"
#include "out_util.h"
#include "irkit/banned.h"

static void
usage(FILE *fp)
{
	fprintf(fp,
"usage: irkit-analyze verify [-q] EVIDENCE...\n"
"\n"
"Re-hash every member of each irkit evidence archive as it streams by\n"
"and check it against the archive's manifest.json and the detached\n"
"<archive>.sha256 beside it.  One line per problem:\n"
"  changed: MEMBER     content or size differs from the manifest\n"
"  missing: MEMBER     listed in the manifest, absent from the archive\n"
"  extra: MEMBER       in the archive, not in the manifest (or a link)\n"
"  manifest: ...       manifest missing, unreadable or incomplete\n"
"  sha256: detached checksum mismatch\n"
"  damaged: ...        the archive is truncated or corrupt\n"
"With several inputs every line starts with the input's name.\n"
"Nothing is extracted.  Exit 0 when all are intact, 1 otherwise,\n"
"2 usage.\n"
"\n"
"  -q, --quiet   no \"intact\" lines\n"
"  -h, --help    this help\n");
}

int irk_cmd_verify(int argc, char **argv);

int
irk_cmd_verify(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, quiet = 0, status = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, "qh", lo, NULL)) != -1) {
		switch (c) {
		case 'q':
			quiet = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return 2;
	}
	for (int i = optind; i < argc; i++) {
		struct irk_evread *r = NULL;
		struct irk_err err;
		const char *prefix = argc - optind > 1 ? argv[i] : NULL;
		const json_t *probs;
		json_t *p;
		size_t k;

		irk_err_clear(&err);
		if (irk_evread_open(&r, argv[i], NULL, &err) != IRK_OK) {
			irk_out_prefix(stdout, prefix);
			fputs("unreadable: ", stdout);
			irk_out_safe(stdout, err.msg);
			fputc('\n', stdout);
			status = 1;
			continue;
		}
		irk_evread_finish(r);
		probs = irk_evread_problems(r);
		if (irk_evread_kind(r) != IRK_EVK_IRKIT &&
		    json_array_size(probs) == 0) {
			irk_out_prefix(stdout, prefix);
			fputs("manifest: not an irkit evidence archive\n",
			    stdout);
			status = 1;
		}
		json_array_foreach(probs, k, p) {
			irk_out_prefix(stdout, prefix);
			irk_out_safe(stdout, json_string_value(p));
			fputc('\n', stdout);
			status = 1;
		}
		if (strcmp(irk_evread_verify(r), "intact") == 0 && !quiet) {
			irk_out_prefix(stdout, prefix);
			fputs("intact\n", stdout);
		}
		irk_evread_free(r);
	}
	return status;
}
