/*
 * cmd_verify.c - irkit-analyze verify EVIDENCE...: re-hash every member
 * of an irkit archive against its manifest and print one line per
 * problem, each starting with the input's name (as sha256sum -c does),
 * or one JSON summary with --json.  Exit 0 only when everything is
 * intact.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evidence_read.h"
#include "irkit/fe.h"
#include "irkit/json.h"
#include "irkit/banned.h"

static void
usage(FILE *fp)
{
	fprintf(fp,
"usage: irkit-analyze verify [-q] [--json] EVIDENCE...\n"
"\n"
"Re-hash every member of each irkit evidence archive as it streams by\n"
"and check it against the archive's manifest.json and the detached\n"
"<archive>.sha256 beside it.  One line per problem, each starting with\n"
"the input's name (as 'sha256sum -c' does):\n"
"  EVIDENCE: intact              every member checked out\n"
"  EVIDENCE: changed: MEMBER     content or size differs from the manifest\n"
"  EVIDENCE: missing: MEMBER     listed in the manifest, absent\n"
"  EVIDENCE: extra: MEMBER       in the archive, not in the manifest\n"
"  EVIDENCE: manifest: ...       manifest missing, unreadable or incomplete\n"
"  EVIDENCE: sha256: detached checksum mismatch\n"
"  EVIDENCE: sha256: unreadable  the .sha256 is empty, garbage or no file\n"
"  EVIDENCE: sha256: absent      no .sha256 beside an irkit archive\n"
"  EVIDENCE: bad name: MEMBER    a name with '..', '.' or empty parts\n"
"  EVIDENCE: trailing data: N bytes  data after the tar's end\n"
"  EVIDENCE: damaged: ...        the archive is truncated or corrupt\n"
"  EVIDENCE: unreadable: ...     cannot be opened or is not an archive\n"
"Names from the evidence are printed with control characters and bytes\n"
"that are not UTF-8 escaped (\\xNN).  Nothing is extracted.\n"
"Exit 0 when all are intact, 1 otherwise, 2 usage.\n"
"\n"
"  -q, --quiet   no \"intact\" lines\n"
"  --json        one JSON object on standard output instead of the lines:\n"
"                {\"inputs\": [{\"path\", \"status\" (intact, damaged,\n"
"                no-manifest, not-applicable or unreadable), \"changed\",\n"
"                \"missing\", \"extra\" (member counts), \"problems\" (the\n"
"                lines above)}], \"intact\": N, \"failed\": N}\n"
"  -h, --help    this help\n");
}

struct verify_run {
	int quiet;
	json_t *inputs;		/* --json: the summary's "inputs" */
	int failed;
};

static json_int_t
count_kind(const json_t *probs, const char *kind)
{
	size_t k, n = strlen(kind);
	json_int_t c = 0;
	json_t *p;

	json_array_foreach(probs, k, p)
		if (strncmp(json_string_value(p), kind, n) == 0)
			c++;
	return c;
}

static void
add_json(struct verify_run *v, const char *path, const char *status,
    json_t *probs)
{
	json_t *o = json_object();

	json_object_set_new(o, "path", irk_json_str(path));
	json_object_set_new(o, "status", json_string(status));
	json_object_set_new(o, "changed", json_integer(count_kind(probs,
	    "changed: ")));
	json_object_set_new(o, "missing", json_integer(count_kind(probs,
	    "missing: ")));
	json_object_set_new(o, "extra", json_integer(count_kind(probs,
	    "extra: ")));
	json_object_set_new(o, "problems", json_incref(probs));
	json_array_append_new(v->inputs, o);
}

/* Check one input; print its lines or add its summary. */
static void
verify_one(struct verify_run *v, const char *path)
{
	struct irk_evread *r = NULL;
	struct irk_err err;
	json_t *probs = json_array(), *p;
	const char *status;
	char msg[sizeof(err.msg) + 64], line[sizeof(msg) + 16];
	size_t k;

	irk_err_clear(&err);
	line[0] = '\0';
	if (irk_evread_open(&r, path, NULL, &err) != IRK_OK) {
		status = "unreadable";
		/* the message holds the name as given: raw bytes */
		(void)snprintf(line, sizeof(line), "unreadable: %s",
		    irk_err_str(&err, msg, sizeof(msg)));
		json_array_append_new(probs, irk_json_str(line));
	} else {
		irk_evread_finish(r);
		json_decref(probs);
		probs = json_deep_copy(irk_evread_problems(r));
		status = irk_evread_verify(r);
		if (irk_evread_kind(r) != IRK_EVK_IRKIT &&
		    json_array_size(probs) == 0)
			json_array_append_new(probs, json_string("manifest: "
			    "not an irkit evidence archive"));
	}
	if (strcmp(status, "intact") != 0 || json_array_size(probs) > 0)
		v->failed++;
	if (v->inputs != NULL)
		add_json(v, path, status, probs);
	else if (line[0] != '\0')
		irk_safe_fprintf(stdout, "%s: %s\n", path, line);
	else {
		json_array_foreach(probs, k, p)
			irk_safe_fprintf(stdout, "%s: %s\n", path,
			    json_string_value(p));
		if (json_array_size(probs) == 0 &&
		    strcmp(status, "intact") == 0 && !v->quiet)
			irk_safe_fprintf(stdout, "%s: intact\n", path);
	}
	json_decref(probs);
	irk_evread_free(r);
}

int irk_cmd_verify(int argc, char **argv);

int
irk_cmd_verify(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "quiet", no_argument, NULL, 'q' },
		{ "json", no_argument, NULL, 'J' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct verify_run v;
	int c, json = 0;

	memset(&v, 0, sizeof(v));
	optind = 1;
	while ((c = getopt_long(argc, argv, "qh", lo, NULL)) != -1) {
		switch (c) {
		case 'q':
			v.quiet = 1;
			break;
		case 'J':
			json = 1;
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
		irk_fe_error("no evidence named");
		usage(stderr);
		return 2;
	}
	if (json)
		v.inputs = json_array();
	for (int i = optind; i < argc; i++)
		verify_one(&v, argv[i]);
	if (json) {
		json_t *o = json_pack("{s:o, s:i, s:i}", "inputs", v.inputs,
		    "intact", argc - optind - v.failed, "failed", v.failed);

		(void)json_dumpf(o, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER |
		    JSON_ENSURE_ASCII);
		putchar('\n');
		json_decref(o);
	}
	return v.failed > 0 ? 1 : 0;
}
