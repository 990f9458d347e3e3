/*
 * cmd_rules.c - `irkit-analyze rules check|compile`: compile YARA rule
 * files or folders with the same engine and externals as ingest, report
 * every error and warning as "file:line: message", save compiled rules.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "irkit/err.h"
#include "irkit/fe.h"
#include "irkit/json.h"
#include "irkit/parse.h"
#include "irkit/sha256.h"
#include "scan.h"
#include "scan_opts.h"
#include "irkit/banned.h"

#define COMMAND(name, help) int irk_cmd_##name(int, char **);
#include "commands.h"
#undef COMMAND

static void
usage(FILE *fp)
{
	fputs(
"usage: irkit-analyze rules check [PATH...]\n"
"       irkit-analyze rules compile [-o FILE] [PATH...]\n"
"       irkit-analyze rules scan [-r PATH]... [--no-default-rules]\n"
"                                [--ioc FILE]... [-j N] [--max-file-size SIZE]\n"
"                                [--hash sha256|all] [--no-preselect]\n"
"                                [--timeout S] [--json] FILE|DIR...\n"
"\n"
"PATH is a rule file or a folder (*.yar, *.yara, recursive);\n"
"without PATH the bundled yara-rules/ are used.  Errors and\n"
"warnings are printed as 'file:line: message'; exit 1 when a file\n"
"did not compile (compile still saves the others).  Compiled\n"
"rules load with 'yara -C FILE'.\n"
"scan runs the ingest scanner (YARA with the externals, libmagic,\n"
"IOC lists) over files and folders (recursive, links not followed)\n"
"and prints 'RULE PATH' per match as the yara CLI does (control\n"
"characters and bytes that are not UTF-8 in names as \\xNN), or\n"
"one JSON object per file with --json (ASCII; md5 and sha1 only\n"
"when an IOC list needs them or with --hash all); nothing is\n"
"stored.\n"
"\n"
"scan options:\n", fp);
	irk_scan_opts_help(fp);
	fputs(
"      --timeout S       seconds of YARA per file, 1 to 86400 (default 60)\n"
"      --json            one JSON object per file on stdout\n"
"  -h, --help            this help\n", fp);
}

static void
print_lines(FILE *fp, const json_t *a)
{
	size_t i;
	json_t *v;

	json_array_foreach(a, i, v)
		irk_safe_fprintf(fp, "%s\n", json_string_value(v));
}

struct scan_run {
	struct irk_scan *s;
	int json;
	int problems;
	uint64_t max_size;
};

static void
print_item(struct scan_run *r, struct irk_scan_item *it)
{
	size_t i;
	json_t *m;

	if (it->error != NULL || (it->skipped != NULL &&
	    strcmp(it->skipped, "too large") != 0))
		r->problems = 1;
	if (r->json) {
		json_t *o = json_object();
		char *line;

		json_object_set_new(o, "path", irk_json_str(it->path));
		json_object_set_new(o, "size", json_integer((json_int_t)it->size));
		json_object_set_new(o, "sha256", json_string(it->sha256));
		if (it->md5[0] != '\0')
			json_object_set_new(o, "md5", json_string(it->md5));
		if (it->sha1[0] != '\0')
			json_object_set_new(o, "sha1", json_string(it->sha1));
		if (it->mime != NULL)
			json_object_set_new(o, "mime", irk_json_str(it->mime));
		if (it->magic != NULL)
			json_object_set_new(o, "magic",
			    irk_json_str(it->magic));
		if (it->filetype != NULL)
			json_object_set_new(o, "filetype",
			    irk_json_str(it->filetype));
		if (it->skipped != NULL)
			json_object_set_new(o, "skipped",
			    json_string(it->skipped));
		if (it->error != NULL)
			json_object_set_new(o, "error",
			    irk_json_str(it->error));
		json_object_set_new(o, "matches", it->matches != NULL ?
		    json_incref(it->matches) : json_array());
		json_object_set_new(o, "iocs", it->iocs != NULL ?
		    json_incref(it->iocs) : json_array());
		/* ASCII only: no raw C1 control (U+009B) reaches a terminal */
		if ((line = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII)) !=
		    NULL) {
			printf("%s\n", line);
			free(line);
		}
		json_decref(o);
		return;
	}
	json_array_foreach(it->matches, i, m)
		irk_safe_fprintf(stdout, "%s %s\n",
		    json_string_value(json_object_get(m, "rule")), it->path);
	json_array_foreach(it->iocs, i, m)
		irk_safe_fprintf(stdout, "ioc:%s:%s %s\n",
		    json_string_value(json_object_get(m, "kind")),
		    json_string_value(json_object_get(m, "value")), it->path);
	if (it->skipped != NULL)
		irk_fe_error("'%s' skipped: %s", it->path, it->skipped);
	if (it->error != NULL)
		irk_fe_error("'%s': %s", it->path, it->error);
}

static void
drain_ready(struct scan_run *r, int wait)
{
	struct irk_scan_item *it;

	while ((it = irk_scan_pop(r->s, wait)) != NULL) {
		print_item(r, it);
		irk_scan_item_free(it);
	}
}

/* Read a whole file, or map it when above max_size (hash it in a stream
 * when it cannot be mapped). */
static void
scan_file(struct scan_run *r, const char *path, int follow)
{
	struct irk_scan_item *it;
	struct irk_err err;
	struct stat st;
	unsigned char *data = NULL;
	size_t len = 0;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | (follow ? 0 : O_NOFOLLOW))) <
	    0 ||
	    fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		irk_fe_error("cannot read '%s': %s", path, strerror(errno));
		r->problems = 1;
		if (fd >= 0)
			close(fd);
		return;
	}
	if ((uint64_t)st.st_size <= r->max_size) {
		size_t cap = (size_t)st.st_size;

		if ((data = malloc(cap > 0 ? cap : 1)) == NULL)
			goto fail;
		while (len < cap) {
			ssize_t n = read(fd, data + len, cap - len);

			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0)
				goto fail;
			if (n == 0)
				break;	/* the file shrank */
			len += (size_t)n;
		}
		if ((it = irk_scan_item_new(path, data, len, len)) == NULL)
			goto fail;
		data = NULL;
	} else if ((it = irk_scan_item_map(path, fd, (uint64_t)st.st_size,
	    &err)) == NULL) {
		/* over the cap: scanned from a map; else hashed, "too large" */
		struct irk_hash h;
		unsigned char buf[1 << 16];
		ssize_t n;

		if ((it = irk_scan_item_new(path, NULL, 0,
		    (uint64_t)st.st_size)) == NULL)
			goto fail;
		if (irk_hash_init(&h, 1) == IRK_OK) {
			while ((n = read(fd, buf, sizeof(buf))) > 0)
				irk_hash_update(&h, buf, (size_t)n);
			irk_hash_final(&h, it->sha256, it->md5, it->sha1);
		}
	}
	close(fd);
	irk_scan_push(r->s, it);
	drain_ready(r, 0);
	return;
fail:
	irk_fe_error("cannot read '%s'", path);
	r->problems = 1;
	free(data);
	close(fd);
}

static void
scan_path(struct scan_run *r, const char *path, int depth)
{
	struct stat st;
	DIR *d;
	struct dirent *de;

	/* links are followed only when named on the command line */
	if ((depth == 0 ? stat(path, &st) : lstat(path, &st)) != 0) {
		irk_fe_error("cannot read '%s': %s", path, strerror(errno));
		r->problems = 1;
		return;
	}
	if (S_ISREG(st.st_mode)) {
		scan_file(r, path, depth == 0);
		return;
	}
	if (!S_ISDIR(st.st_mode) || depth > 64)
		return;
	if ((d = opendir(path)) == NULL) {
		irk_fe_error("cannot open '%s': %s", path, strerror(errno));
		r->problems = 1;
		return;
	}
	while ((de = readdir(d)) != NULL) {
		char p[PATH_MAX];

		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		if (snprintf(p, sizeof(p), "%s/%s", path, de->d_name) >=
		    (int)sizeof(p))
			continue;
		scan_path(r, p, depth + 1);
	}
	closedir(d);
}

/* Options into a, o and r; optind at the first path.  0, or the exit
 * status (-1: --help, exit 0). */
static int
scan_args(struct irk_scan_args *a, struct irk_scan_opts *o,
    struct scan_run *r, int argc, char **argv)
{
	static const struct option longopts[] = {
		IRK_SCAN_LONGOPTS,
		IRK_SCAN_JSON_LONGOPT,
		{ "timeout", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t v;
	int c, timeout = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, IRK_SCAN_SHORTOPTS "h", longopts,
	    NULL)) != -1) {
		switch (irk_scan_opts_parse(a, c, optarg)) {
		case IRK_SCAN_OPT_DONE:
			break;
		case IRK_SCAN_OPT_BAD:
			return 2;
		case 't':
			if (irk_parse_u64(optarg, 10, 86400, &v) != 0 ||
			    v == 0) {
				irk_fe_error("bad --timeout '%s' (1 to 86400)",
				    optarg);
				return 2;
			}
			timeout = (int)v;
			break;
		default:
			return irk_scan_opts_other(c, usage);
		}
	}
	if ((c = irk_scan_opts_inputs(argc, usage)) != 0)
		return c;
	r->json = a->json;
	irk_scan_args_opts(a, o);
	if (timeout > 0)
		o->timeout = timeout;
	return 0;
}

static int
cmd_scan(int argc, char **argv)
{
	struct irk_scan_args a;
	struct irk_scan_opts o;
	struct scan_run r;
	struct irk_err err;
	int rc;

	memset(&r, 0, sizeof(r));
	if (irk_scan_args_init(&a, argc, 0) != IRK_OK)
		return 3;
	if ((rc = scan_args(&a, &o, &r, argc, argv)) != 0) {
		rc = rc < 0 ? 0 : rc;
		goto out;
	}
	irk_err_clear(&err);
	if (irk_scan_open(&r.s, &o, &err) != IRK_OK) {
		irk_fe_error("%s", err.msg);
		rc = 3;
		goto out;
	}
	print_lines(stderr, irk_scan_rule_errors(r.s));
	if (json_array_size(irk_scan_rule_errors(r.s)) > 0)
		r.problems = 1;
	r.max_size = irk_scan_max_size(r.s);
	for (int i = optind; i < argc; i++)
		scan_path(&r, argv[i], 0);
	irk_scan_drain(r.s);
	drain_ready(&r, 1);
	irk_scan_close(r.s);
	rc = r.problems ? 1 : 0;
out:
	irk_scan_args_release(&a);
	return rc;
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
	/* getopt's own messages start with argv[0]: the message prefix */
	argv[1] = (char *)irk_fe_prefix();
	if (strcmp(sub, "scan") == 0)
		return cmd_scan(argc - 1, argv + 1);
	if (strcmp(sub, "check") == 0)
		compile = 0;
	else if (strcmp(sub, "compile") == 0)
		compile = 1;
	else {
		irk_fe_error("unknown subcommand '%s'", sub);
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
		irk_fe_error("%s", err.msg);
		return 3;
	}
	print_lines(stdout, irk_scan_rule_errors(s));
	print_lines(stdout, irk_scan_rule_warnings(s));
	rc = json_array_size(irk_scan_rule_errors(s)) > 0 ? 1 : 0;
	irk_fe_error("%u rules from %zu files, %zu errors, %zu warnings, "
	    "hash %s", irk_scan_rule_count(s),
	    json_array_size(irk_scan_rule_files(s)),
	    json_array_size(irk_scan_rule_errors(s)),
	    json_array_size(irk_scan_rule_warnings(s)),
	    irk_scan_rules_hash(s));
	if (compile) {
		if (irk_scan_save_rules(s, output, &err) != IRK_OK) {
			irk_fe_error("%s", err.msg);
			rc = 3;
		} else {
			irk_fe_error("saved '%s'", output);
		}
	}
	irk_scan_close(s);
	return rc;
}
