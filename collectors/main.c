/*
 * irkit-collect - snapshot a suspect Linux host into one evidence
 * archive (docs/FORMAT.md).  It never runs another program and writes
 * nothing but its output.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <getopt.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <openssl/crypto.h>

#include "irkit/collectors.h"
#include "irkit/hostinfo.h"
#include "irkit/buf.h"
#include "irkit/evidence.h"
#include "irkit/fe.h"
#include "irkit/json.h"
#include "irkit/parse.h"
#include "irkit/timeutil.h"
#include "irkit/version.h"
#include "irkit/banned.h"

#define RECORDS_MAX	(512u << 20)	/* one collector's records */
#define RECORDS_CHUNK	(16u << 20)	/* written as a member beyond this */
#define LOG_MAX		(64u << 20)
#define PROGRESS_US	250000		/* between two progress lines */
#define PROGRESS_COLS	60		/* of the folder shown */

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
	const char *with;
	int quiet;
	int progress;			/* stderr is a terminal */
	int col_index, ncols;		/* the running collector, of ncols */
	const char *col_name;
	uint64_t examined;		/* paths looked at by it */
	int64_t progress_last;
	int64_t progress_us;		/* between two lines (PROGRESS_US) */
	int progress_shown;		/* a progress line is on screen */
	int side_failed;		/* no .sha256 written */
	struct irk_collect_opts opts;
	const char **cert_paths;
	size_t ncert_paths;
	const char **walk_roots;
	size_t nwalk_roots;
	const char **walk_excludes;
	size_t nwalk_excludes;
	const char **excludes;
	size_t nexcludes;
	struct irk_evidence *ev;
	struct irk_buf records;		/* the running collector's */
	int records_parts;		/* its members written so far */
	struct irk_buf log;
	uint64_t log_dropped;
	uint64_t records_dropped;
};

/*
 * The running collector's records so far as a member: the first
 * records/NAME.jsonl, the next ones records/NAME.2.jsonl and so on.
 */
static int
records_member(struct collect_main *m, const char *collector,
    struct irk_err *err)
{
	char member[256];
	int r;

	if (m->records_parts == 0)
		(void)snprintf(member, sizeof(member), "records/%s.jsonl",
		    collector);
	else
		(void)snprintf(member, sizeof(member), "records/%s.%d.jsonl",
		    collector, m->records_parts + 1);
	r = irk_evidence_add_data(m->ev, member, m->records.data ?
	    m->records.data : "", m->records.len, err);
	irk_buf_reset(&m->records);
	m->records_parts++;
	return r;
}

static int
sink_record(void *arg, const char *collector, json_t *rec, struct irk_err *err)
{
	struct collect_main *m = arg;

	/* a big collector (filesystem) streams: memory stays bounded */
	if (m->records.len >= RECORDS_CHUNK &&
	    records_member(m, collector, err) != IRK_OK)
		return IRK_FATAL;
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
	int r = IRK_OK;

	/* present for every collector that ran, possibly empty */
	if (m->records_parts == 0 || m->records.len > 0)
		r = records_member(m, collector, err);
	m->records_parts = 0;
	return r;
}

static const struct irk_sink_ops evidence_sink = {
	sink_record, sink_file, sink_log, sink_end,
};

/*
 * What a SIGINT/SIGTERM handler removes: the .partial and the empty
 * .sha256.  Set while signals are blocked; the only globals here.
 */
static const char *volatile sig_partial;
static const char *volatile sig_side;

static void
on_signal(int sig)
{
	static const char msg[] = "irkit-collect: interrupted: collection "
	    "stopped, no evidence archive written\n";

	(void)sig;
	if (sig_partial != NULL)
		(void)unlink(sig_partial);
	if (sig_side != NULL)
		(void)unlink(sig_side);
	(void)!write(STDERR_FILENO, msg, sizeof(msg) - 1);
	_exit(EXIT_FATAL);
}

/* Block (how = SIG_BLOCK) or unblock SIGINT, SIGTERM and SIGHUP. */
static void
block_signals(int how)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	(void)sigprocmask(how, &set, NULL);
}

static void
catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigfillset(&sa.sa_mask);
	(void)sigaction(SIGINT, &sa, NULL);
	(void)sigaction(SIGTERM, &sa, NULL);
	(void)sigaction(SIGHUP, &sa, NULL);
}

/* Erase the progress line, if one is shown. */
static void
progress_clear(struct collect_main *m)
{
	if (m->progress_shown) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
		m->progress_shown = 0;
	}
}

/*
 * IRKIT_PROGRESS_MS (0-10000) sets the time between two progress lines,
 * as GIT_PROGRESS_DELAY does for git: 0 shows every path (the tests use
 * it to see a given folder on the line without timing the walk).
 */
static int64_t
progress_interval(void)
{
	const char *v = getenv("IRKIT_PROGRESS_MS");
	uint64_t ms;

	if (v == NULL || irk_parse_u64(v, 10, 10000, &ms) != IRK_OK)
		return PROGRESS_US;
	return (int64_t)ms * 1000;
}

/*
 * The fs tells of every path looked at: on a terminal, one line that is
 * rewritten at most every PROGRESS_US, "N files examined, in 'FOLDER'",
 * the folder (evidence) escaped and cut to fit.
 */
static void
on_path(void *arg, const char *path, int isdir)
{
	struct collect_main *m = arg;
	char esc[4096], shown[PROGRESS_COLS + 4];
	int64_t now;
	size_t n;

	if (!isdir)
		m->examined++;
	if (!m->progress || (now = irk_now_us()) - m->progress_last <
	    m->progress_us)
		return;
	m->progress_last = now;
	n = irk_safe_escape(esc, sizeof(esc), path, strlen(path));
	if (n >= sizeof(esc))
		n = sizeof(esc) - 1;
	if (n > PROGRESS_COLS) {
		const char *t = esc + n - (PROGRESS_COLS - 3);

		while (((unsigned char)*t & 0xc0) == 0x80)
			t++;	/* not in the middle of a character */
		(void)snprintf(shown, sizeof(shown), "...%s", t);
	} else {
		memcpy(shown, esc, n);	/* n <= PROGRESS_COLS: it fits */
		shown[n] = '\0';
	}
	fprintf(stderr, "\r\033[K[%d/%d] %s: %ju files examined, at %s",
	    m->col_index, m->ncols, m->col_name, (uintmax_t)m->examined,
	    shown);
	fflush(stderr);
	m->progress_shown = 1;
}

static void
usage(FILE *fp)
{
	fprintf(fp,
"usage: irkit-collect [options]\n"
"\n"
"Snapshot this host (processes, services, scheduled tasks, certificates\n"
"and keys, kernel modules, package files checked against dpkg) into one\n"
"evidence archive with a SHA-256 manifest.  Runs no other program;\n"
"writes nothing but the archive and its .sha256.\n"
"\n"
"  -o, --output DIR|FILE|-   where to write: an existing folder (default:\n"
"                            the current one), a new FILE ending in the\n"
"                            --compress extension (.tar.zst), or '-' for\n"
"                            stdout (not a terminal)\n"
"      --only LIST           run only these collectors (comma-separated)\n"
"      --skip LIST           run all but these\n"
"      --with LIST           also run these collectors, which are not in\n"
"                            the default set (--list: filesystem)\n"
"      --fs-root PATH        filesystem: walk PATH (repeatable; default /)\n"
"      --fs-exclude PATH     filesystem: do not walk PATH (repeatable)\n"
"      --exclude PATH        certificates and filesystem: do not look\n"
"                            inside PATH (absolute, as on the target;\n"
"                            repeatable; each is logged)\n"
"      --fs-cross-mounts     filesystem: enter other mounts (never\n"
"                            /proc, /sys, /dev)\n"
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
"      --now TIME            compute next-run times as of TIME (RFC 3339,\n"
"                            e.g. 2026-11-21T23:00:00Z) instead of the\n"
"                            clock\n"
"      --journal-max SIZE    journal_files: copy at most SIZE of each\n"
"                            journal folder, newest files first\n"
"                            (default 1G; k, M, G suffixes)\n"
"      --integrity default|full  packages: check the files an intruder\n"
"                            replaces (default), or every packaged file\n"
"      --logs-max SIZE       logs: copy at most SIZE of each log and its\n"
"                            rotations, newest first (default 1G)\n"
"  -q, --quiet               no progress, no summary (the SHA-256 is still\n"
"                            printed when no .sha256 file holds it)\n"
"      --list                list the collectors and exit\n"
"  -h, --help                this help\n"
"  -V, --version             version\n"
"\n"
"The closing line gives the archive's SHA-256, also in <archive>.sha256.\n"
"Exit status: 0 all collected; 1 finished but something could not be read\n"
"(see log.jsonl in the archive); 2 usage; 3 nothing usable written\n"
"(also when interrupted: the .partial file is removed).\n");
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

/* Every name in list must be a collector; "" is no list. */
static int
check_list(const char *list, const char *opt)
{
	char name[64];

	if (list != NULL && *list == '\0') {
		irk_fe_error("empty list for %s (see --list)", opt);
		return -1;
	}
	for (const char *p = list; p && *p;) {
		const char *e = strchr(p, ',');
		size_t l = e ? (size_t)(e - p) : strlen(p);

		if (l == 0 || l >= sizeof(name)) {
			irk_fe_error("bad list for %s", opt);
			return -1;
		}
		memcpy(name, p, l);
		name[l] = '\0';
		if (irk_collector_find(name) == NULL) {
			irk_fe_error("unknown collector '%s' (see --list)", name);
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

/* The manifest's name of a collector's grade (irk_collect_run). */
static const char *
status_name(int r)
{
	if (r == IRK_FAIL || r == IRK_FATAL)
		return "failed";
	if (r != IRK_OK)
		return "partial";
	return "ok";
}

static int
selected(const struct collect_main *m, const struct irk_collector *col)
{
	if (m->only != NULL && !in_list(m->only, col->name))
		return 0;
	/* on request: named by --only or --with */
	if ((col->sources & IRK_SRC_ON_REQUEST) && m->only == NULL &&
	    (m->with == NULL || !in_list(m->with, col->name)))
		return 0;
	if (m->skip != NULL && in_list(m->skip, col->name))
		return 0;
	return 1;
}

/* What options say together: a collector left to run, a usable -o. */
static int
check_args(struct collect_main *m)
{
	struct irk_err err;

	if (check_list(m->only, "--only") || check_list(m->skip, "--skip") ||
	    check_list(m->with, "--with"))
		return -1;
	m->ncols = 0;
	for (size_t i = 0; i < irk_ncollectors; i++)
		m->ncols += selected(m, irk_collectors[i]);
	if (m->ncols == 0) {
		irk_fe_error("--only and --skip leave no collector to run "
		    "(see --list)");
		return -1;
	}
	if (irk_evidence_check_output(m->output, m->compress, &err) !=
	    IRK_OK) {
		irk_fe_error("-o: %s", err.msg);
		return -1;
	}
	if (m->output != NULL && strcmp(m->output, "-") == 0 &&
	    isatty(STDOUT_FILENO)) {
		irk_fe_error("-o -: refusing to write the archive to a "
		    "terminal (redirect standard output, or give a folder)");
		return -1;
	}
	return 0;
}

/* Append s to a repeatable option's list; -1 when out of memory. */
static int
push(const char ***list, size_t *n, const char *s)
{
	const char **np;

	if ((np = realloc(*list, (*n + 1) * sizeof(*np))) == NULL)
		return -1;
	np[(*n)++] = s;
	*list = np;
	return 0;
}

static void
list_collectors(void)
{
	for (size_t i = 0; i < irk_ncollectors; i++)
		printf("%-14s %s%s\n", irk_collectors[i]->name,
		    irk_collectors[i]->description,
		    (irk_collectors[i]->sources & IRK_SRC_ON_REQUEST) ?
		    " (not in the default set: --with)" : "");
}

static int
parse_args(struct collect_main *m, int argc, char **argv)
{
	enum { O_ONLY = 256, O_SKIP, O_ROOT, O_CASE, O_EXAMINER, O_NOTE,
	    O_MAXSIZE, O_COMPRESS, O_COPYKEYS, O_CERTPATH, O_LIST, O_NOW,
	    O_WITH, O_FSROOT, O_FSEXCLUDE, O_EXCLUDE, O_FSCROSS, O_INTEGRITY, O_LOGSMAX,
	    O_JOURNALMAX };
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
		{ "now", required_argument, NULL, O_NOW },
		{ "with", required_argument, NULL, O_WITH },
		{ "fs-root", required_argument, NULL, O_FSROOT },
		{ "fs-exclude", required_argument, NULL, O_FSEXCLUDE },
		{ "exclude", required_argument, NULL, O_EXCLUDE },
		{ "fs-cross-mounts", no_argument, NULL, O_FSCROSS },
		{ "integrity", required_argument, NULL, O_INTEGRITY },
		{ "logs-max", required_argument, NULL, O_LOGSMAX },
		{ "journal-max", required_argument, NULL, O_JOURNALMAX },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
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
				irk_fe_error("bad size '%s'", optarg);
				return EXIT_USAGE;
			}
			break;
		case O_COMPRESS:
			if (irk_evidence_ext(optarg) == NULL) {
				irk_fe_error("unknown compression '%s'", optarg);
				return EXIT_USAGE;
			}
			m->compress = optarg;
			break;
		case O_COPYKEYS: m->opts.copy_keys = 1; break;
		case O_CERTPATH:
			if (push(&m->cert_paths, &m->ncert_paths, optarg) != 0)
				return EXIT_FATAL;
			break;
		case O_WITH: m->with = optarg; break;
		case O_FSROOT:
			if (push(&m->walk_roots, &m->nwalk_roots, optarg) != 0)
				return EXIT_FATAL;
			break;
		case O_FSEXCLUDE:
			if (push(&m->walk_excludes, &m->nwalk_excludes,
			    optarg) != 0)
				return EXIT_FATAL;
			break;
		case O_EXCLUDE:
			if (optarg[0] != '/') {
				irk_fe_error("--exclude: not an absolute path "
				    "'%s'", optarg);
				return EXIT_USAGE;
			}
			if (push(&m->excludes, &m->nexcludes, optarg) != 0)
				return EXIT_FATAL;
			break;
		case O_FSCROSS: m->opts.walk_cross_mounts = 1; break;
		case 'q': m->quiet = 1; break;
		case O_NOW:
			if (irk_time_parse(optarg, &m->opts.now) != 0 ||
			    m->opts.now == 0) {
				irk_fe_error("--now: not an RFC 3339 time '%s'",
				    optarg);
				return EXIT_USAGE;
			}
			break;
		case O_INTEGRITY:
			if (strcmp(optarg, "full") != 0 &&
			    strcmp(optarg, "default") != 0) {
				irk_fe_error("--integrity: 'default' or 'full', "
				    "not '%s'", optarg);
				return EXIT_USAGE;
			}
			m->opts.integrity_full = strcmp(optarg, "full") == 0;
			break;
		case O_LOGSMAX:
			if (irk_parse_size(optarg, &m->opts.logs_max_bytes) !=
			    0 || m->opts.logs_max_bytes == 0) {
				irk_fe_error("--logs-max: bad size '%s'", optarg);
				return EXIT_USAGE;
			}
			break;
		case O_JOURNALMAX:
			if (irk_parse_size(optarg, &m->opts.journal_max) != 0 ||
			    m->opts.journal_max == 0) {
				irk_fe_error("--journal-max: bad size '%s'",
				    optarg);
				return EXIT_USAGE;
			}
			break;
		case O_LIST:
			list_collectors();
			return -1;
		case 'h': usage(stdout); return -1;
		case 'V': printf("irkit-collect %s\n", IRK_VERSION); return -1;
		default: usage(stderr); return EXIT_USAGE;
		}
	}
	if (optind != argc) {
		irk_fe_error("unexpected argument '%s'", argv[optind]);
		return EXIT_USAGE;
	}
	if (check_args(m) != 0)
		return EXIT_USAGE;
	m->opts.cert_paths = m->cert_paths;
	m->opts.ncert_paths = m->ncert_paths;
	m->opts.walk_roots = m->walk_roots;
	m->opts.nwalk_roots = m->nwalk_roots;
	m->opts.walk_excludes = m->walk_excludes;
	m->opts.nwalk_excludes = m->nwalk_excludes;
	m->opts.excludes = m->excludes;
	m->opts.nexcludes = m->nexcludes;
	return 0;
}

/* One collector's entry in the manifest; returns its status name. */
static const char *
run_one(struct collect_main *m, struct irk_collect *c,
    const struct irk_collector *col, json_t *cs)
{
	int64_t t0 = irk_now_us();
	const char *st;
	int r;

	m->col_name = col->name;
	m->col_index++;
	m->examined = 0;
	m->progress_last = 0;	/* the first path is shown at once */
	if (m->progress)
		fprintf(stderr, "[%d/%d] %s...\n", m->col_index, m->ncols,
		    col->name);
	if (!(col->sources & IRK_SRC_LINUX_ROOT) && !c->fs->live &&
	    m->root != NULL)
		irk_collect_log(c, IRK_LOG_INFO, NULL, 0, "'%s' reads "
		    "'%s/proc', not the running host", col->name, m->root);
	r = irk_collect_run(c, col);
	progress_clear(m);
	st = status_name(r);
	irk_json_set_str(cs, "status", st);
	irk_json_set_int(cs, "records", (int64_t)c->stats.records);
	irk_json_set_int(cs, "files", (int64_t)c->stats.files);
	irk_json_set_int(cs, "bytes", (int64_t)c->stats.bytes);
	irk_json_set_int(cs, "errors", (int64_t)c->stats.errors);
	irk_json_set_int(cs, "warnings", (int64_t)c->stats.warnings);
	irk_json_set_int(cs, "duration_us", irk_now_us() - t0);
	return st;
}

/* Run the selected collectors; returns the exit status. */
static int
run(struct collect_main *m, struct irk_fs *fs, json_t *manifest)
{
	struct irk_collect c;
	const struct irk_err *side;
	json_t *cols = json_object();
	uint64_t nrec = 0, nfiles = 0, nbytes = 0, nerr = 0;
	int status = EXIT_DONE;

	json_object_set_new(manifest, "collectors", cols);
	irk_collect_init(&c, fs, &m->opts, &evidence_sink, m);
	if ((side = irk_evidence_side_error(m->ev)) != NULL) {
		/* logged in the archive: the digest will be on stderr only */
		irk_collect_log(&c, IRK_LOG_ERROR, NULL, side->errnum, "%s: "
		    "the archive's SHA-256 is printed on stderr only",
		    side->msg);
		status = EXIT_PARTIAL;
		nerr++;
	}
	irk_fs_host_set_progress(fs, on_path, m);
	for (size_t i = 0; i < irk_ncollectors && !c.fatal; i++) {
		const struct irk_collector *col = irk_collectors[i];
		json_t *cs = json_object();

		json_object_set_new(cols, col->name, cs);
		if (!selected(m, col)) {
			irk_json_set_str(cs, "status", "skipped");
			continue;
		}
		if (strcmp(run_one(m, &c, col, cs), "ok") != 0)
			status = EXIT_PARTIAL;
		nrec += c.stats.records;
		nfiles += c.stats.files;
		nbytes += c.stats.bytes;
		nerr += c.stats.errors;
	}
	irk_fs_host_set_progress(fs, NULL, NULL);
	if (c.fatal) {
		char e[700];

		irk_fe_error("%s", irk_err_str(&c.sink_err, e, sizeof(e)));
		status = EXIT_FATAL;
	}
	irk_collect_release(&c);
	irk_json_set_int(manifest, "record_count", (int64_t)nrec);
	irk_json_set_int(manifest, "file_count", (int64_t)nfiles);
	irk_json_set_int(manifest, "file_bytes", (int64_t)nbytes);
	irk_json_set_int(manifest, "error_count", (int64_t)nerr);
	return status;
}

/*
 * Not root: say once, before collecting, what the kernel will hide from
 * the selected collectors.
 */
static void
warn_unprivileged(const struct collect_main *m)
{
	char what[512];
	size_t n = 0;

	if (geteuid() == 0)
		return;
	what[0] = '\0';
	for (size_t i = 0; i < irk_ncollectors; i++) {
		const struct irk_collector *col = irk_collectors[i];
		const char *w = NULL;

		if (!selected(m, col))
			continue;
		if (strcmp(col->name, "processes") == 0)
			w = "other users' executables, working folders, open "
			    "files and socket owners";
		else if (strcmp(col->name, "tasks") == 0)
			w = "other users' crontabs and at jobs";
		else if (strcmp(col->name, "certificates") == 0)
			w = "keys and certificates only root may read";
		else if (strcmp(col->name, "services") == 0)
			w = "unit files only root may read";
		else if (strcmp(col->name, "history") == 0)
			w = "other users' shell histories";
		else if (strcmp(col->name, "preload") == 0)
			w = "other users' process environments";
		else if (strcmp(col->name, "accounts") == 0)
			w = "the shadow fields of accounts and groups";
		else if (strcmp(col->name, "sudoers") == 0)
			w = "the sudo rules";
		else if (strcmp(col->name, "ssh") == 0)
			w = "the keys of homes only their owner may read";
		else if (strcmp(col->name, "logins") == 0)
			w = "failed logins (btmp)";
		else if (strcmp(col->name, "packages") == 0)
			w = "package files only root may read";
		else if (strcmp(col->name, "logs") == 0)
			w = "auth, audit and system logs";
		if (w != NULL && n < sizeof(what))
			n += (size_t)snprintf(what + n, sizeof(what) - n,
			    "%s%s", n ? "; " : "", w);
	}
	irk_fe_warn("not running as root (euid %ju): %s will be missing, "
	    "and the run partial", (uintmax_t)geteuid(), what[0] ? what :
	    "files only root may read");
}

/* The manifest's fixed part, before the collectors run. */
static json_t *
manifest_new(struct collect_main *m, json_t *host, int64_t start, int argc,
    char **argv)
{
	json_t *manifest = json_object();

	irk_json_set_str(manifest, "format", IRK_FORMAT_NAME);
	irk_json_set_int(manifest, "format_version", IRK_FORMAT_VERSION);
	json_object_set_new(manifest, "tool", tool_info());
	irk_json_set_str(manifest, "name", irk_evidence_top(m->ev));
	irk_json_set_str(manifest, "case_id", m->case_id);
	irk_json_set_str(manifest, "examiner", m->examiner);
	irk_json_set_str(manifest, "note", m->note);
	json_object_set_new(manifest, "host", host);
	irk_json_set_str(manifest, "root", m->root ? m->root : "/");
	irk_json_set_time(manifest, "start_time", start);
	json_object_set_new(manifest, "command_line", command_line(argc, argv));
	irk_json_set_int(manifest, "euid", (int64_t)geteuid());
	return manifest;
}

/* log.jsonl, the manifest, the rename and the .sha256; the exit status. */
static int
finish(struct collect_main *m, json_t *manifest, int status)
{
	struct irk_err err;
	char e[700];
	int r;

	if (m->log_dropped > 0)
		irk_json_set_int(manifest, "log_dropped", (int64_t)m->log_dropped);
	if (irk_evidence_add_data(m->ev, "log.jsonl", m->log.data ?
	    m->log.data : "", m->log.len, &err) != IRK_OK) {
		irk_fe_error("%s", irk_err_str(&err, e, sizeof(e)));
		return EXIT_FATAL;
	}
	irk_json_set_time(manifest, "end_time", irk_now_us());
	r = irk_evidence_finish(m->ev, manifest, &err);
	if (r == IRK_FATAL) {
		irk_fe_error("%s", irk_err_str(&err, e, sizeof(e)));
		return EXIT_FATAL;
	}
	if (r != IRK_OK) {
		/* only the .sha256 is missing: the digest must not be lost */
		irk_fe_error("%s: the archive's SHA-256 is on stderr only",
		    irk_err_str(&err, e, sizeof(e)));
		m->side_failed = 1;
		status = EXIT_PARTIAL;
	}
	return status;
}

static intmax_t
count(json_t *manifest, const char *key)
{
	return (intmax_t)json_integer_value(json_object_get(manifest, key));
}

/* The closing line: where, how much, and the archive's SHA-256. */
static void
summary(const struct collect_main *m, json_t *manifest, int status,
    int64_t start)
{
	const char *sha = irk_evidence_sha256(m->ev);
	const char *path = irk_evidence_path(m->ev);
	int unsaved = strcmp(path, "-") == 0 || m->side_failed;

	if (!m->quiet)
		irk_safe_fprintf(stderr, "%s: %s: %jd records, %jd files (%jd "
		    "bytes), %jd errors in %.2f s, sha256 %s%s\n",
		    irk_fe_prefix(), path,
		    count(manifest, "record_count"),
		    count(manifest, "file_count"),
		    count(manifest, "file_bytes"),
		    count(manifest, "error_count"),
		    (irk_now_us() - start) / 1e6, sha ? sha : "?",
		    status == EXIT_PARTIAL ? " (partial: see log.jsonl)" : "");
	else if (unsaved && sha != NULL)
		/* no .sha256 file holds it: keep it on stderr, sha256sum style */
		irk_safe_fprintf(stderr, "%s  %s\n", sha, path);
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
	char e[700];
	int status, r;

	/*
	 * Never read the host's openssl.cnf: on a suspect host it could
	 * name providers or engines to load into this process.
	 */
	(void)OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CONFIG, NULL);
	irk_fe_set_prog("irkit-collect");
	/*
	 * libarchive converts member names from the locale's charset: in a
	 * UTF-8 one, non-ASCII names are written without "hdrcharset" (see
	 * docs/FORMAT.md).  Only the character type, never the host's LANG.
	 */
	if (setlocale(LC_CTYPE, "C.UTF-8") == NULL)
		(void)setlocale(LC_CTYPE, "C.utf8");
	signal(SIGPIPE, SIG_IGN);	/* a closed pipe is an EPIPE error */
	signal(SIGXFSZ, SIG_IGN);	/* a file size limit is EFBIG */
	block_signals(SIG_BLOCK);
	catch_signals();
	memset(&m, 0, sizeof(m));
	m.opts.max_file_size = 256u << 20;
	if ((r = parse_args(&m, argc, argv)) != 0) {
		free(m.cert_paths);
		free(m.walk_roots);
		free(m.walk_excludes);
		free(m.excludes);
		return r < 0 ? EXIT_DONE : r;
	}
	m.progress = !m.quiet && irk_fe_isatty(stderr);
	m.progress_us = progress_interval();
	irk_buf_init(&m.records, RECORDS_MAX);
	irk_buf_init(&m.log, LOG_MAX);
	if (irk_fs_host_open(&fs, m.root, &err) != IRK_OK) {
		irk_fe_error("%s", irk_err_str(&err, e, sizeof(e)));
		status = EXIT_USAGE;
		goto out;
	}
	warn_unprivileged(&m);
	host = irk_hostinfo(fs, fs->live);
	memset(&eo, 0, sizeof(eo));
	eo.output = m.output;
	eo.hostname = json_string_value(json_object_get(host, "hostname"));
	eo.compress = m.compress;
	eo.start = start;
	if (irk_evidence_open(&m.ev, &eo, &err) != IRK_OK) {
		irk_fe_error("%s", irk_err_str(&err, e, sizeof(e)));
		json_decref(host);
		status = EXIT_FATAL;
		goto out;
	}
	{
		const char *partial, *side;

		irk_evidence_temp_paths(m.ev, &partial, &side);
		sig_partial = partial;
		sig_side = side;
	}
	block_signals(SIG_UNBLOCK);
	manifest = manifest_new(&m, host, start, argc, argv);
	status = run(&m, fs, manifest);
	/* from here the archive completes or is removed: no interruption */
	block_signals(SIG_BLOCK);
	if (status != EXIT_FATAL)
		status = finish(&m, manifest, status);
	sig_partial = sig_side = NULL;
	if (status == EXIT_FATAL) {
		irk_evidence_abort(m.ev);
		irk_fe_error("no evidence archive written");
	} else {
		summary(&m, manifest, status, start);
		irk_evidence_free(m.ev);
	}
out:
	json_decref(manifest);
	irk_fs_free(fs);
	irk_buf_release(&m.records);
	irk_buf_release(&m.log);
	free(m.cert_paths);
	free(m.walk_roots);
	free(m.walk_excludes);
	free(m.excludes);
	return status;
}
