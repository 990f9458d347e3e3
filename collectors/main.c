/*
 * irkit-collect - snapshot a suspect Linux host into one evidence
 * archive (docs/FORMAT.md).  It never runs another program and writes
 * nothing but its output.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <openssl/crypto.h>

#include "collectors.h"
#include "hostinfo.h"
#include "irkit/buf.h"
#include "irkit/evidence.h"
#include "irkit/json.h"
#include "irkit/parse.h"
#include "irkit/timeutil.h"
#include "irkit/version.h"
#include "irkit/banned.h"

#define RECORDS_MAX	(512u << 20)	/* one collector's records */
#define LOG_MAX		(64u << 20)

enum { EXIT_DONE = 0, EXIT_PARTIAL = 1, EXIT_USAGE = 2, EXIT_FATAL = 3 };

struct collect_main {
	const char *output;
	const char *root;
	const char *case_id;
	const char *examiner;
	const char *note;
	const char *compress;
	const char *only;
	const char *skip;
	int quiet;
	int progress;
	struct irk_collect_opts opts;
	const char **cert_paths;
	size_t ncert_paths;
	struct irk_evidence *ev;
	struct irk_buf records;		/* the running collector's */
	struct irk_buf log;
	uint64_t log_dropped;
	uint64_t records_dropped;
};

static int
sink_record(void *arg, const char *collector, json_t *rec, struct irk_err *err)
{
	struct collect_main *m = arg;

	(void)collector;
	if (irk_json_dump_line(rec, &m->records) != IRK_OK ||
	    irk_buf_addch(&m->records, '\n') != IRK_OK) {
		m->records_dropped++;
		irk_err_set(err, EFBIG, "records of '%s' over %u bytes, record "
		    "dropped", collector, RECORDS_MAX);
		return IRK_FAIL;
	}
	return IRK_OK;
}

static int
sink_file(void *arg, const char *path, struct irk_fs *fs, struct irk_file *f,
    const struct irk_stat *st, char sha256[IRK_SHA256_HEX], int *changed,
    struct irk_err *err)
{
	struct collect_main *m = arg;
	char member[8192];

	if (snprintf(member, sizeof(member), "files%s", path) >=
	    (int)sizeof(member)) {
		irk_err_set(err, ENAMETOOLONG, "path too long");
		return IRK_FAIL;
	}
	return irk_evidence_add_file(m->ev, member, fs, f, st, sha256, changed,
	    err);
}

static void
sink_log(void *arg, json_t *entry)
{
	struct collect_main *m = arg;

	if (irk_json_dump_line(entry, &m->log) != IRK_OK ||
	    irk_buf_addch(&m->log, '\n') != IRK_OK)
		m->log_dropped++;
}

static int
sink_end(void *arg, const char *collector, struct irk_err *err)
{
	struct collect_main *m = arg;
	char member[256];
	int r;

	(void)snprintf(member, sizeof(member), "records/%s.jsonl", collector);
	r = irk_evidence_add_data(m->ev, member, m->records.data ?
	    m->records.data : "", m->records.len, err);
	irk_buf_reset(&m->records);
	return r;
}

static const struct irk_sink_ops evidence_sink = {
	sink_record, sink_file, sink_log, sink_end,
};

static void
usage(FILE *fp)
{
	fprintf(fp,
"usage: irkit-collect [options]\n"
"\n"
"Snapshot this host (processes, services, scheduled tasks, certificates\n"
"and keys) into one evidence archive with a SHA-256 manifest.  Runs no\n"
"other program; writes nothing but the archive and its .sha256.\n"
"\n"
"  -o, --output DIR|FILE|-   where to write (default: current directory;\n"
"                            '-' streams the archive to stdout)\n"
"      --only LIST           run only these collectors (comma-separated)\n"
"      --skip LIST           run all but these\n"
"      --root DIR            collect a mounted root instead of / (paths in\n"
"                            records stay as seen on the target)\n"
"      --case ID             case identifier for the manifest\n"
"      --examiner NAME       who collected\n"
"      --note TEXT           free text for the manifest\n"
"      --max-file-size SIZE  do not copy files larger than SIZE\n"
"                            (default 256M; k, M, G suffixes)\n"
"      --compress zstd|gzip|xz|none   (default zstd)\n"
"      --copy-keys           also copy private key contents\n"
"      --cert-path PATH      search PATH for certificates and keys\n"
"                            (repeatable; replaces the default places)\n"
"  -q, --quiet               no progress, no summary\n"
"      --list                list the collectors and exit\n"
"  -h, --help                this help\n"
"  -V, --version             version\n"
"\n"
"Exit status: 0 all collected; 1 finished but something could not be read\n"
"(see log.jsonl in the archive); 2 usage; 3 nothing usable written.\n");
}

/* Is name in the comma-separated list? */
static int
in_list(const char *list, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = list; p && *p;) {
		const char *e = strchr(p, ',');
		size_t l = e ? (size_t)(e - p) : strlen(p);

		if (l == n && strncmp(p, name, n) == 0)
			return 1;
		p = e ? e + 1 : NULL;
	}
	return 0;
}

/* Every name in list must be a collector. */
static int
check_list(const char *list, const char *opt)
{
	char name[64];

	for (const char *p = list; p && *p;) {
		const char *e = strchr(p, ',');
		size_t l = e ? (size_t)(e - p) : strlen(p);

		if (l == 0 || l >= sizeof(name)) {
			fprintf(stderr, "irkit-collect: bad list for %s\n", opt);
			return -1;
		}
		memcpy(name, p, l);
		name[l] = '\0';
		if (irk_collector_find(name) == NULL) {
			fprintf(stderr, "irkit-collect: unknown collector '%s' "
			    "(see --list)\n", name);
			return -1;
		}
		p = e ? e + 1 : NULL;
	}
	return 0;
}

/* SHA-256 of the running binary, read back through /proc/self/exe. */
static void
self_sha256(char sha[IRK_SHA256_HEX])
{
	char chunk[65536];
	struct irk_hash h;
	ssize_t n;
	int fd;

	sha[0] = '\0';
	if ((fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC)) < 0)
		return;
	if (irk_hash_init(&h, 0) == IRK_OK) {
		while ((n = read(fd, chunk, sizeof(chunk))) > 0)
			irk_hash_update(&h, chunk, (size_t)n);
		if (n == 0)
			irk_hash_final(&h, sha, NULL, NULL);
		else
			irk_hash_release(&h);
	}
	close(fd);
}

static json_t *
tool_info(void)
{
	json_t *t = json_object();
	char sha[IRK_SHA256_HEX];

	self_sha256(sha);
	irk_json_set_str(t, "name", "irkit-collect");
	irk_json_set_str(t, "version", IRK_VERSION);
	irk_json_set_str(t, "sha256", sha[0] ? sha : NULL);
	return t;
}

static json_t *
command_line(int argc, char **argv)
{
	json_t *a = json_array();

	for (int i = 0; i < argc; i++)
		json_array_append_new(a, irk_json_str(argv[i]));
	return a;
}

static const char *
status_name(int r, const struct irk_collect_stats *st)
{
	if (r == IRK_FAIL || r == IRK_FATAL)
		return "failed";
	if (r == IRK_WARN || st->errors > 0)
		return "partial";
	return "ok";
}

static int
selected(const struct collect_main *m, const struct irk_collector *col)
{
	if (m->only != NULL && !in_list(m->only, col->name))
		return 0;
	if (m->skip != NULL && in_list(m->skip, col->name))
		return 0;
	return 1;
}

static int
parse_args(struct collect_main *m, int argc, char **argv)
{
	enum { O_ONLY = 256, O_SKIP, O_ROOT, O_CASE, O_EXAMINER, O_NOTE,
	    O_MAXSIZE, O_COMPRESS, O_COPYKEYS, O_CERTPATH, O_LIST };
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "only", required_argument, NULL, O_ONLY },
		{ "skip", required_argument, NULL, O_SKIP },
		{ "root", required_argument, NULL, O_ROOT },
		{ "case", required_argument, NULL, O_CASE },
		{ "examiner", required_argument, NULL, O_EXAMINER },
		{ "note", required_argument, NULL, O_NOTE },
		{ "max-file-size", required_argument, NULL, O_MAXSIZE },
		{ "compress", required_argument, NULL, O_COMPRESS },
		{ "copy-keys", no_argument, NULL, O_COPYKEYS },
		{ "cert-path", required_argument, NULL, O_CERTPATH },
		{ "quiet", no_argument, NULL, 'q' },
		{ "list", no_argument, NULL, O_LIST },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char **np;
	int ch;

	while ((ch = getopt_long(argc, argv, "o:qhV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'o': m->output = optarg; break;
		case O_ONLY: m->only = optarg; break;
		case O_SKIP: m->skip = optarg; break;
		case O_ROOT: m->root = optarg; break;
		case O_CASE: m->case_id = optarg; break;
		case O_EXAMINER: m->examiner = optarg; break;
		case O_NOTE: m->note = optarg; break;
		case O_MAXSIZE:
			if (irk_parse_size(optarg, &m->opts.max_file_size) != 0) {
				fprintf(stderr, "irkit-collect: bad size '%s'\n",
				    optarg);
				return EXIT_USAGE;
			}
			break;
		case O_COMPRESS:
			if (strcmp(optarg, "zstd") && strcmp(optarg, "gzip") &&
			    strcmp(optarg, "xz") && strcmp(optarg, "none")) {
				fprintf(stderr, "irkit-collect: unknown "
				    "compression '%s'\n", optarg);
				return EXIT_USAGE;
			}
			m->compress = optarg;
			break;
		case O_COPYKEYS: m->opts.copy_keys = 1; break;
		case O_CERTPATH:
			np = realloc(m->cert_paths, (m->ncert_paths + 1) *
			    sizeof(*np));
			if (np == NULL)
				return EXIT_FATAL;
			np[m->ncert_paths++] = optarg;
			m->cert_paths = np;
			break;
		case 'q': m->quiet = 1; break;
		case O_LIST:
			for (size_t i = 0; i < irk_ncollectors; i++)
				printf("%-14s %s\n", irk_collectors[i]->name,
				    irk_collectors[i]->description);
			return -1;
		case 'h': usage(stdout); return -1;
		case 'V': printf("irkit-collect %s\n", IRK_VERSION); return -1;
		default: usage(stderr); return EXIT_USAGE;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "irkit-collect: unexpected argument '%s'\n",
		    argv[optind]);
		return EXIT_USAGE;
	}
	if (check_list(m->only, "--only") || check_list(m->skip, "--skip"))
		return EXIT_USAGE;
	m->opts.cert_paths = m->cert_paths;
	m->opts.ncert_paths = m->ncert_paths;
	return 0;
}

/* Run the selected collectors; returns the exit status. */
static int
run(struct collect_main *m, struct irk_fs *fs, json_t *manifest)
{
	struct irk_collect c;
	json_t *cols = json_object();
	uint64_t nrec = 0, nfiles = 0, nbytes = 0, nerr = 0;
	int status = EXIT_DONE, nsel = 0, done = 0;

	json_object_set_new(manifest, "collectors", cols);
	for (size_t i = 0; i < irk_ncollectors; i++)
		nsel += selected(m, irk_collectors[i]);
	irk_collect_init(&c, fs, &m->opts, &evidence_sink, m);
	for (size_t i = 0; i < irk_ncollectors && !c.fatal; i++) {
		const struct irk_collector *col = irk_collectors[i];
		json_t *cs = json_object();
		int64_t t0 = irk_now_us();
		const char *st;
		int r;

		json_object_set_new(cols, col->name, cs);
		if (!selected(m, col)) {
			irk_json_set_str(cs, "status", "skipped");
			continue;
		}
		if (m->progress)
			fprintf(stderr, "[%d/%d] %s...\n", ++done, nsel,
			    col->name);
		if (!(col->sources & IRK_SRC_IMAGE) && !fs->live &&
		    m->root != NULL)
			irk_collect_log(&c, IRK_LOG_INFO, NULL, 0, "'%s' reads "
			    "'%s/proc', not the running host", col->name,
			    m->root);
		r = irk_collect_run(&c, col);
		st = status_name(r, &c.stats);
		irk_json_set_str(cs, "status", st);
		irk_json_set_int(cs, "records", (int64_t)c.stats.records);
		irk_json_set_int(cs, "files", (int64_t)c.stats.files);
		irk_json_set_int(cs, "bytes", (int64_t)c.stats.bytes);
		irk_json_set_int(cs, "errors", (int64_t)c.stats.errors);
		irk_json_set_int(cs, "warnings", (int64_t)c.stats.warnings);
		irk_json_set_int(cs, "duration_us", irk_now_us() - t0);
		if (strcmp(st, "ok") != 0)
			status = EXIT_PARTIAL;
		nrec += c.stats.records;
		nfiles += c.stats.files;
		nbytes += c.stats.bytes;
		nerr += c.stats.errors;
	}
	if (c.fatal) {
		char e[700];

		fprintf(stderr, "irkit-collect: %s\n", irk_err_str(&c.sink_err,
		    e, sizeof(e)));
		status = EXIT_FATAL;
	}
	irk_collect_release(&c);
	irk_json_set_int(manifest, "record_count", (int64_t)nrec);
	irk_json_set_int(manifest, "file_count", (int64_t)nfiles);
	irk_json_set_int(manifest, "file_bytes", (int64_t)nbytes);
	irk_json_set_int(manifest, "error_count", (int64_t)nerr);
	return status;
}

int
main(int argc, char **argv)
{
	struct collect_main m;
	struct irk_evidence_opts eo;
	struct irk_fs *fs = NULL;
	struct irk_err err;
	json_t *manifest = NULL, *host;
	int64_t start = irk_now_us();
	char t[IRK_TIME_LEN], e[700];
	int status, r;

	/*
	 * Never read the host's openssl.cnf: on a suspect host it could
	 * name providers or engines to load into this process.
	 */
	(void)OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CONFIG, NULL);
	signal(SIGPIPE, SIG_IGN);	/* a closed pipe is an EPIPE error */
	signal(SIGXFSZ, SIG_IGN);	/* a file size limit is EFBIG */
	memset(&m, 0, sizeof(m));
	m.opts.max_file_size = 256u << 20;
	if ((r = parse_args(&m, argc, argv)) != 0) {
		free(m.cert_paths);
		return r < 0 ? EXIT_DONE : r;
	}
	m.progress = !m.quiet && isatty(STDERR_FILENO);
	irk_buf_init(&m.records, RECORDS_MAX);
	irk_buf_init(&m.log, LOG_MAX);
	if (irk_fs_host_open(&fs, m.root, &err) != IRK_OK) {
		fprintf(stderr, "irkit-collect: %s\n", irk_err_str(&err, e,
		    sizeof(e)));
		status = EXIT_USAGE;
		goto out;
	}
	host = irk_hostinfo(fs, fs->live);
	memset(&eo, 0, sizeof(eo));
	eo.output = m.output;
	eo.hostname = json_string_value(json_object_get(host, "hostname"));
	eo.compress = m.compress;
	eo.start = start;
	if (irk_evidence_open(&m.ev, &eo, &err) != IRK_OK) {
		fprintf(stderr, "irkit-collect: %s\n", irk_err_str(&err, e,
		    sizeof(e)));
		json_decref(host);
		status = EXIT_FATAL;
		goto out;
	}
	manifest = json_object();
	irk_json_set_str(manifest, "format", IRK_FORMAT_NAME);
	irk_json_set_int(manifest, "format_version", IRK_FORMAT_VERSION);
	json_object_set_new(manifest, "tool", tool_info());
	irk_json_set_str(manifest, "name", irk_evidence_top(m.ev));
	irk_json_set_str(manifest, "case_id", m.case_id);
	irk_json_set_str(manifest, "examiner", m.examiner);
	irk_json_set_str(manifest, "note", m.note);
	json_object_set_new(manifest, "host", host);
	irk_json_set_str(manifest, "root", m.root ? m.root : "/");
	irk_json_set_time(manifest, "start_time", start);
	json_object_set_new(manifest, "command_line", command_line(argc, argv));
	irk_json_set_int(manifest, "euid", (int64_t)geteuid());

	status = run(&m, fs, manifest);
	if (status != EXIT_FATAL) {
		if (m.log_dropped > 0)
			irk_json_set_int(manifest, "log_dropped",
			    (int64_t)m.log_dropped);
		if (irk_evidence_add_data(m.ev, "log.jsonl", m.log.data ?
		    m.log.data : "", m.log.len, &err) != IRK_OK) {
			fprintf(stderr, "irkit-collect: %s\n", irk_err_str(&err,
			    e, sizeof(e)));
			status = EXIT_FATAL;
		}
	}
	if (status != EXIT_FATAL) {
		irk_json_set_time(manifest, "end_time", irk_now_us());
		r = irk_evidence_finish(m.ev, manifest, &err);
		if (r == IRK_FATAL) {
			fprintf(stderr, "irkit-collect: %s\n", irk_err_str(&err,
			    e, sizeof(e)));
			status = EXIT_FATAL;
		} else if (r != IRK_OK) {
			fprintf(stderr, "irkit-collect: %s\n", irk_err_str(&err,
			    e, sizeof(e)));
			status = EXIT_PARTIAL;
		}
	}
	if (status == EXIT_FATAL) {
		irk_evidence_abort(m.ev);
		fprintf(stderr, "irkit-collect: no evidence archive written\n");
	} else {
		if (!m.quiet)
			fprintf(stderr, "irkit-collect: %s: %jd records, %jd "
			    "files (%jd bytes), %jd errors in %.2f s%s\n",
			    irk_evidence_path(m.ev),
			    (intmax_t)json_integer_value(json_object_get(
			    manifest, "record_count")),
			    (intmax_t)json_integer_value(json_object_get(
			    manifest, "file_count")),
			    (intmax_t)json_integer_value(json_object_get(
			    manifest, "file_bytes")),
			    (intmax_t)json_integer_value(json_object_get(
			    manifest, "error_count")),
			    (irk_now_us() - start) / 1e6,
			    status == EXIT_PARTIAL ? " (partial: see log.jsonl)"
			    : "");
		irk_evidence_free(m.ev);
	}
	(void)t;
out:
	json_decref(manifest);
	irk_fs_free(fs);
	irk_buf_release(&m.records);
	irk_buf_release(&m.log);
	free(m.cert_paths);
	return status;
}
