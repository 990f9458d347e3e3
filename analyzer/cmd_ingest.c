/*
 * cmd_ingest.c - irkit-analyze ingest: verify, scan and load evidence
 * into the case database (docs/analyze.md).
 *
 * One pass over each input: members stream out of libarchive (nothing
 * is extracted), records go into their tables as their lines arrive,
 * file contents are pushed to the scanner's worker threads while the
 * reader goes on, and finished scans are stored as they come back.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "case_sink.h"
#include "db.h"
#include "findings_cross.h"
#include "db_util.h"
#include "evidence_read.h"
#include "evtx.h"
#include "fs_spool.h"
#include "jsonl.h"
#include "scan.h"
#include "scan_opts.h"
#include "irkit/buf.h"
#include "irkit/collectors.h"
#include "irkit/fe.h"
#include "irkit/fs.h"
#include "irkit/json.h"
#include "irkit/parse.h"
#include "irkit/timeutil.h"
#include "irkit/str.h"
#include "irkit/banned.h"

#define LINE_MAX_BYTES	(64u << 20)
#define SPOOL_DEFAULT_MAX	(4ULL << 30)	/* --spool-max */
#define SPOOL_ROOT_DEPTH	4	/* folders above a root, at most */
#define SPOOL_MAX_ROOTS		8
#define SPOOL_LOG_MAX		1000	/* log rows of what was not spooled */
#define OPT_SPOOL_MAX		0x300
#define OPT_READ_AHEAD		0x301

enum { EXIT_DONE = 0, EXIT_PARTIAL = 1, EXIT_USAGE = 2, EXIT_FATAL = 3 };

/* What the inputs added (kept per input so a duplicate can be undone). */
struct ingest_counts {
	uint64_t files, records, bytes, errors;
	uint64_t cached;		/* files whose content was in the cache */
	uint64_t matches;		/* YARA matches, cached ones included */
	uint64_t cached_matches;	/* of which linked from the scan cache */
	uint64_t too_large;		/* hashed, not scanned: over the cap */
};

struct ingest {
	struct irk_db *db;
	struct irk_scan *scan;
	struct irk_strmap known;
	struct irk_strmap owners;
	uint64_t max_size;
	uint64_t outstanding;	/* items pushed, not yet stored */
	int progress;		/* stderr is a terminal, not -q */
	int quiet;		/* -q: errors only */
	int json;		/* --json: one summary object on stdout */
	int ahead;		/* archives read (decompressed) on a thread
				   of their own (--read-ahead) */
	int ahead_opt;		/* --read-ahead: -1 auto, 0 off, 1 on */
	int64_t t0, last_progress;
	/* the input being read */
	const char *input;
	struct irk_evread *reader;
	int64_t in_t0;
	int64_t in_time;	/* its mtime, µs (0 unknown): the collectors'
				   "now" for next-run times */
	const char *in_status;	/* loaded, partial, already, ... */
	int64_t in_evidence;	/* its evidence row, or the earlier one */
	/* totals */
	struct ingest_counts n;
	uint64_t n_evidence, n_skipped, n_refused, n_duplicates;
	int64_t findings0, events0;	/* rows in the case before the run */
	json_t *inputs;		/* --json: one object per input */
	int status;
	int fatal;
	const char *dbpath;	/* the case, for messages */
	char *failure;		/* what stopped the load (said once) */
	/* the collectors over an input's files (fs_spool.h) */
	uint64_t spool_max;	/* --spool-max; 0: no spool */
	int copied_collectors;	/* the table has IRK_SRC_COPIED ones */
	char *spool_dir;	/* the case's folder: the spool goes there */
	struct irk_spool *spool;	/* the input's, or NULL */
	json_t *spool_log;	/* what was not spooled, logged if used */
	uint64_t spool_log_more;	/* not kept in spool_log */
	int collect_problems;	/* a collector of the input logged errors */
	json_t *roots;		/* --json: the input's roots */
	/* members starting with the EVTX signature, read after the stream */
	unsigned char head[8];	/* the member's first bytes */
	size_t head_len;
	struct irk_evtx_found evtx_found;	/* their names as spooled */
};

static void
usage(FILE *fp)
{
	fputs(
"usage: irkit-analyze ingest [--db FILE] [-r PATH]... [--no-default-rules]\n"
"                            [--ioc FILE]... [-j N] [--max-file-size SIZE]\n"
"                            [--hash sha256|all] [-q] [--json] EVIDENCE...\n"
"\n"
"Load evidence into the case database: irkit evidence archives (records\n"
"into typed tables, checked against the manifest), any other archive\n"
"(tar.*, zip, 7z: UAC, KAPE, Velociraptor) or a directory (every file a\n"
"files row with its times on the timeline).  Every file is hashed, typed\n"
"with libmagic and scanned with YARA and the IOC lists; findings are\n"
"scored, then those across hosts over the whole case (the same scored\n"
"file, service, task or key on several hosts, logins from one host to\n"
"another; recomputed, never doubled).  Nothing is extracted; only the\n"
"database is written.  The same evidence ingested again changes nothing:\n"
"the same file (same SHA-256), or the same irkit collection re-packed or\n"
"recompressed (same manifest) is said to be loaded already (\"already\n"
"loaded as evidence N\").  A file that is neither an archive nor a\n"
"folder is refused (scan a lone file with 'irkit-analyze rules scan').\n"
"\n"
"The collectors run over the files too, as 'image' runs them over a\n"
"volume: over an irkit archive's copied files (files/) those that parse\n"
"copied files (logs, journals); over a foreign collection that holds a\n"
"Linux root (etc/ and usr/, or etc/ and var/log/) or a Windows root\n"
"(Windows/System32/config/, any case), at its top or under up to 4\n"
"folders (C/, <host>/C/, uploads/auto/C%3A/), those of that root.  An\n"
"archive's files are kept aside for them as they are read, in a deleted\n"
"temporary file in the case's folder.  Windows event logs are read from\n"
"a Windows root's winevt/Logs and from any member (or copied file) that\n"
"starts with the EVTX signature.\n"
"\n", fp);
	irk_scan_load_help(fp);
	irk_scan_opts_help(fp);
	fputs(
"      --spool-max SIZE  bytes of an archive's files kept aside for the\n"
"                        collectors (default 4G; files past it are not\n"
"                        read by them, said in the log); 0: no collectors\n"
"      --read-ahead auto|on|off\n"
"                        an archive read and decompressed on a thread of\n"
"                        its own; auto (the default): when the machine\n"
"                        has a CPU more than the -j workers and this one\n"
"  -h, --help            this help\n"
"\n"
"On a terminal, progress on stderr: input, bytes read of its size, rate,\n"
"ETA.  The summary counts what this run added: YARA matches \"N (M from\n"
"the scan cache)\" and findings, cached content included.\n"
"\n"
"Exit status: 0 done; 1 done but something could not be read (damaged\n"
"or truncated evidence, a manifest mismatch, unreadable records, an\n"
"input that is no archive, a rule file that does not compile); 2 usage;\n"
"3 fatal (the case is being loaded by another run, the database is\n"
"unusable or cannot be written, e.g. a full disk: said with the case's\n"
"name, and no summary; no --rules file compiles).\n", fp);
}

/*
 * The status line (a terminal only): input, bytes read of its size,
 * rate, ETA, files and matches so far.
 */
static void
progress(struct ingest *g, int force)
{
	uint64_t done = 0, total = 0;
	double secs, rate;
	int64_t now;

	if (!g->progress || g->reader == NULL)
		return;
	now = irk_now_us();
	if (!force && now - g->last_progress < 250000)
		return;
	g->last_progress = now;
	irk_evread_progress(g->reader, &done, &total);
	secs = (double)(now - g->in_t0) / 1e6;
	rate = secs > 0 ? (double)done / secs : 0;
	fputs("\r\033[K", stderr);
	irk_safe_fprintf(stderr, "%s: %.1f of %.1f MiB, %.1f MiB/s", g->input,
	    (double)done / 1048576.0, (double)total / 1048576.0,
	    rate / 1048576.0);
	if (rate > 0 && done <= total)
		fprintf(stderr, ", ETA %.0f s", (double)(total - done) / rate);
	fprintf(stderr, ", %llu files, %llu matches",
	    (unsigned long long)g->n.files, (unsigned long long)g->n.matches);
	fflush(stderr);
}

/* A message about one input on stderr, escaped; info only without -q. */
static void say(struct ingest *g, int error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
say(struct ingest *g, int error, const char *fmt, ...)
{
	char msg[2048];
	va_list ap;

	if (!error && g->quiet)
		return;
	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (g->progress)
		fputs("\r\033[K", stderr);
	if (error)
		irk_fe_error("'%s': %s", g->input, msg);
	else
		irk_safe_fprintf(stderr, "%s: '%s': %s\n", irk_fe_prefix(),
		    g->input, msg);
}

/*
 * The load stops: said once, the first reason only (a full disk fails
 * every write after it).
 */
static void stop(struct ingest *g, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
stop(struct ingest *g, const char *fmt, ...)
{
	va_list ap;

	g->fatal = 1;
	if (g->failure != NULL)
		return;
	va_start(ap, fmt);
	if (vasprintf(&g->failure, fmt, ap) < 0)
		g->failure = NULL;
	va_end(ap);
	if (g->progress)
		fputs("\r\033[K", stderr);
	irk_fe_error("%s", g->failure ? g->failure : "out of memory");
}

/* A write to the case failed: the database, what, and SQLite's reason. */
static void
db_fail(struct ingest *g, const char *what)
{
	stop(g, "cannot write %s to the case '%s': %s", what, g->dbpath,
	    irk_db_errmsg(g->db));
}

/* Store one finished scan. */
static void
store(struct ingest *g, struct irk_scan_item *it)
{
	if (irk_db_scan_result(g->db, it->file_id, it) != IRK_OK)
		db_fail(g, "a scan result");
	g->n.matches += json_array_size(it->matches) + it->cached_matches;
	g->n.cached_matches += it->cached_matches;
	g->n.cached += it->cached ? 1 : 0;
	g->n.too_large += it->skipped != NULL &&
	    strcmp(it->skipped, "too large") == 0;
	if (it->error != NULL) {
		(void)irk_db_log(g->db, irk_now_us(), "warning", "scan",
		    it->path, it->error);
	}
	irk_scan_item_free(it);
	g->outstanding--;
}

static void
pop_ready(struct ingest *g, int wait)
{
	struct irk_scan_item *it;

	if (g->scan == NULL)
		return;
	while (g->outstanding > 0 && (it = irk_scan_pop(g->scan, wait)) !=
	    NULL)
		store(g, it);
}

static const char *
intern_owner(struct ingest *g, const char *name)
{
	char *v;

	if (name == NULL || *name == '\0')
		return NULL;
	if ((v = irk_strmap_get(&g->owners, name)) != NULL)
		return v;
	if ((v = strdup(name)) == NULL || irk_strmap_put(&g->owners, name,
	    v) != 0)
		return NULL;
	return v;
}

/* Content read: its first bytes kept, all of it teed into the spool. */
static void
tee(struct ingest *g, const void *buf, size_t n)
{
	if (g->head_len < sizeof(g->head)) {
		size_t k = sizeof(g->head) - g->head_len;

		if (k > n)
			k = n;
		memcpy(g->head + g->head_len, buf, k);
		g->head_len += k;
	}
	if (g->spool != NULL)
		irk_spool_data(g->spool, buf, n);
}

/* Content of the member, teed into the spool (read once). */
static ssize_t
member_data(struct ingest *g, struct irk_evread *r, void *buf, size_t len)
{
	ssize_t n = irk_evread_data(r, buf, len);

	if (n > 0)
		tee(g, buf, (size_t)n);
	return n;
}

/*
 * A file of a folder input over the size cap: scanned from a memory map
 * (docs/scanning.md), or NULL (read or stream-hashed as usual).
 */
static struct irk_scan_item *
map_content(struct ingest *g, struct irk_evread *r, const struct irk_member *m,
    const char *path)
{
	struct irk_scan_item *it;
	struct irk_err err;
	int fd;

	if (m->size <= 0 || (uint64_t)m->size <= g->max_size ||
	    (fd = irk_evread_fd(r)) < 0 ||
	    (it = irk_scan_item_map(path, fd, (uint64_t)m->size, &err)) ==
	    NULL)
		return NULL;
	irk_evread_data_taken(r, (uint64_t)m->size);
	g->n.bytes += (uint64_t)m->size;
	if (it->data != NULL && it->len >= sizeof(g->head)) {
		memcpy(g->head, it->data, sizeof(g->head));
		g->head_len = sizeof(g->head);
	}
	it->owner = intern_owner(g, m->uname);
	return it;
}

/*
 * Read the member's content: into memory when it fits the size cap,
 * else from a map (a folder's file) or stream-hashed (the scanner
 * records it "too large").
 */
static struct irk_scan_item *
read_content(struct ingest *g, struct irk_evread *r, const struct irk_member *m,
    const char *path, int *bad)
{
	struct irk_scan_item *it;
	unsigned char *data = NULL;
	size_t len = 0, cap = 0;
	uint64_t total = 0;
	struct irk_hash h;
	int streaming = 0;
	char chunk[65536];
	ssize_t n;

	*bad = 0;
	if ((it = map_content(g, r, m, path)) != NULL)
		return it;
	if (m->size > 0 && (uint64_t)m->size <= g->max_size &&
	    (n = irk_evread_data_take(r, (void **)&data)) > 0) {
		/* read whole on the read-ahead thread: kept, not copied */
		tee(g, data, (size_t)n);
		len = cap = (size_t)n;
	} else if (m->size >= 0 && (uint64_t)m->size <= g->max_size) {
		cap = (size_t)m->size;
		if ((data = malloc(cap ? cap : 1)) == NULL)
			return NULL;
	} else if (m->size < 0) {
		cap = 1 << 16;
		if ((data = malloc(cap)) == NULL)
			return NULL;
	} else {
		streaming = 1;
	}
	if (streaming && irk_hash_init(&h, 1) != 0) {
		free(data);
		return NULL;
	}
	for (;;) {
		if (!streaming && len == cap) {
			/* header lied or size unknown: grow up to the cap */
			unsigned char tmp;
			size_t nc;

			n = member_data(g, r, &tmp, 1);
			if (n <= 0)
				break;
			if (len + 1 > g->max_size) {
				/* over the cap: hash what we have, stream on */
				if (irk_hash_init(&h, 1) != 0)
					break;
				irk_hash_update(&h, data, len);
				irk_hash_update(&h, &tmp, 1);
				total = len + 1;
				free(data);
				data = NULL;
				len = 0;
				streaming = 1;
				continue;
			}
			nc = cap ? cap * 2 : 65536;
			if (nc > g->max_size)
				nc = (size_t)g->max_size;
			if (nc < len + 1)
				nc = len + 1;
			{
				unsigned char *nd = realloc(data, nc);

				if (nd == NULL)
					break;
				data = nd;
				cap = nc;
			}
			data[len++] = tmp;
			continue;
		}
		if (streaming) {
			n = member_data(g, r, chunk, sizeof(chunk));
			if (n <= 0)
				break;
			irk_hash_update(&h, chunk, (size_t)n);
			total += (uint64_t)n;
		} else {
			n = member_data(g, r, data + len, cap - len);
			if (n <= 0)
				break;
			len += (size_t)n;
		}
	}
	if (n < 0)
		*bad = 1;
	g->n.bytes += streaming ? total : len;
	if (streaming) {
		it = irk_scan_item_new(path, NULL, 0, total);
		if (it == NULL) {
			irk_hash_release(&h);
			return NULL;
		}
		irk_hash_final(&h, it->sha256, it->md5, it->sha1);
	} else {
		it = irk_scan_item_new(path, data, len, len);
		if (it == NULL)
			free(data);
	}
	if (it != NULL)
		it->owner = intern_owner(g, m->uname);
	return it;
}

/* A member whose content stopped short: an error row naming it and why. */
static void
log_unread(struct ingest *g, struct irk_evread *r, const char *member)
{
	const char *why = NULL;
	char msg[400];

	g->n.errors++;
	(void)irk_evread_unread(r, &why);
	(void)snprintf(msg, sizeof(msg), "member could not be read to its "
	    "end: %s", why != NULL && *why != '\0' ? why : "unknown error");
	(void)irk_db_log(g->db, irk_now_us(), "error", "ingest", member, msg);
}

static void
mode_str(char *out, size_t len, uint32_t mode)
{
	(void)snprintf(out, len, "%04o", mode & 07777);
}

/*
 * The member's name as the spool keeps it: an irkit archive's files/x
 * as x; NULL when it is not spooled (an irkit archive's other members).
 */
static const char *
spooled_name(enum irk_evkind kind, const struct irk_member *m)
{
	const char *name = m->name;

	if (kind == IRK_EVK_IRKIT) {
		if (m->rel == NULL || strncmp(m->rel, "files/", 6) != 0)
			return NULL;
		name = m->rel + 6;
	}
	return name;
}

/* A member read that starts like an EVTX file: kept for after the stream. */
static void
note_evtx(struct ingest *g, const struct irk_member *m)
{
	const char *name;

	if (g->spool == NULL || !irk_evtx_is_evtx(g->head, g->head_len) ||
	    (name = spooled_name(irk_evread_kind(g->reader), m)) == NULL)
		return;
	/* as the spool normalises it: no leading "/" or "./" */
	while (name[0] == '/' || (name[0] == '.' && name[1] == '/'))
		name += name[0] == '/' ? 1 : 2;
	irk_evtx_found_add(&g->evtx_found, name);
}

/* A files row (and its events) for a member; content scanned. */
static void
load_member(struct ingest *g, struct irk_evread *r, const struct irk_member *m,
    const char *path, const char *origin)
{
	struct irk_db_file f;
	struct irk_scan_item *it = NULL;
	char mode[16], *magic = NULL;
	int64_t fid;
	int bad = 0;

	memset(&f, 0, sizeof(f));
	mode_str(mode, sizeof(mode), m->mode);
	f.path = path;
	f.size = m->size;
	f.mode = mode;
	f.uid = m->uid;
	f.gid = m->gid;
	f.owner = m->uname && *m->uname ? m->uname : NULL;
	f.inode = m->ino;
	f.atime = m->atime;
	f.mtime = m->mtime;
	f.ctime = m->ctime;
	f.btime = m->btime;
	f.origin = origin;
	switch (m->type) {
	case IRK_M_FILE:
		break;
	case IRK_M_SYMLINK:
	case IRK_M_HARDLINK:
		f.skipped_reason = "link";
		f.mime = m->type == IRK_M_SYMLINK ? "inode/symlink" : NULL;
		if (m->link != NULL && asprintf(&magic, "%s to %s",
		    m->type == IRK_M_SYMLINK ? "symbolic link" : "hard link",
		    m->link) < 0)
			magic = NULL;
		f.magic = magic;
		f.size = 0;
		break;
	default:
		f.skipped_reason = "not a regular file";
		break;
	}
	/* a collected file's times come with its file record */
	if (irk_db_file_add(g->db, &f, &fid) != IRK_OK ||
	    (strcmp(origin, "collected") != 0 &&
	    irk_db_file_events(g->db, &f, fid) != IRK_OK)) {
		db_fail(g, "a files row");
		free(magic);
		return;
	}
	free(magic);
	g->n.files++;
	if (m->type != IRK_M_FILE)
		return;
	g->head_len = 0;
	it = read_content(g, r, m, path, &bad);
	if (bad)
		log_unread(g, r, path);
	if (bad && it != NULL) {
		/* what was read is scanned; a digest of it is not the
		 * file's (scan.h) */
		it->cut_short = 1;
		it->sha256[0] = it->md5[0] = it->sha1[0] = '\0';
	}
	note_evtx(g, m);
	if (it == NULL) {
		stop(g, "out of memory");
		return;
	}
	it->file_id = fid;
	if (g->scan == NULL) {
		irk_scan_item_free(it);
		return;
	}
	if (irk_scan_push(g->scan, it) != IRK_OK) {
		stop(g, "cannot queue '%s' for the scan", path);
		return;
	}
	g->outstanding++;
	pop_ready(g, 0);
}

struct lines_ctx {
	struct ingest *g;
	const char *member;
	int is_log;
};

static void
line_cb(void *arg, uint64_t lineno, const char *line, size_t len,
    int overlong)
{
	struct lines_ctx *c = arg;
	struct ingest *g = c->g;
	struct irk_err err;
	char msg[600];
	int r;

	if (overlong) {
		g->n.errors++;
		(void)snprintf(msg, sizeof(msg), "line %llu longer than %u "
		    "bytes: skipped", (unsigned long long)lineno, LINE_MAX_BYTES);
		(void)irk_db_log(g->db, irk_now_us(), "error", "ingest",
		    c->member, msg);
		return;
	}
	if (c->is_log) {
		json_t *rec = json_loadb(line, len, 0, NULL);
		const char *t = irk_j_str(rec, "message");
		const char *e = irk_j_str(rec, "error");
		char *m = NULL;

		if (!json_is_object(rec)) {
			json_decref(rec);
			return;
		}
		if (e != NULL && asprintf(&m, "%s: %s", t ? t : "", e) < 0)
			m = NULL;
		(void)irk_db_log(g->db, irk_j_time(rec, "time"),
		    irk_j_str(rec, "level"),
		    irk_j_str2(rec, "collector", "component"),
		    irk_j_str(rec, "path"), m ? m : t);
		free(m);
		json_decref(rec);
		return;
	}
	irk_err_clear(&err);
	r = irk_jsonl_record(g->db, line, len, &err);
	if (r == IRK_FATAL) {
		db_fail(g, "a record");
	} else if (r != IRK_OK) {
		g->n.errors++;
		(void)snprintf(msg, sizeof(msg), "line %llu: %s",
		    (unsigned long long)lineno, err.msg);
		(void)irk_db_log(g->db, irk_now_us(), "error", "ingest",
		    c->member, msg);
	} else if (len > 0) {
		g->n.records++;
	}
}

/* records/<x>.jsonl or log.jsonl: one JSON object per line, as it comes. */
static void
load_lines(struct ingest *g, struct irk_evread *r, const char *member,
    int is_log)
{
	struct lines_ctx c = { g, member, is_log };
	struct irk_jsonl j;
	char chunk[65536];
	ssize_t n;

	irk_jsonl_init(&j, LINE_MAX_BYTES);
	while ((n = irk_evread_data(r, chunk, sizeof(chunk))) > 0) {
		irk_jsonl_feed(&j, chunk, (size_t)n, line_cb, &c);
		progress(g, 0);
	}
	if (n < 0)
		log_unread(g, r, member);
	irk_jsonl_end(&j, line_cb, &c);
	irk_jsonl_release(&j);
}

static void
load_manifest(struct ingest *g, json_t *man, int64_t eid, json_t *cols)
{
	json_t *host = json_object_get(man, "host"), *tool;
	int64_t start, end, hid;
	char *t = NULL;

	if (json_is_object(host) && irk_db_host(g->db, host, &hid) == IRK_OK) {
		json_object_set_new(cols, "host_id", json_integer(hid));
		/* the rows loaded before the manifest came */
		if (irk_db_fix_host(g->db, eid) != IRK_OK)
			db_fail(g, "the host of the records");
	}
	json_object_set(cols, "case_id", json_object_get(man, "case_id"));
	json_object_set(cols, "examiner", json_object_get(man, "examiner"));
	start = irk_j_time(man, "start_time");
	end = irk_j_time(man, "end_time");
	if (start != IRK_TIME_NONE)
		json_object_set_new(cols, "collected_start", json_integer(start));
	if (end != IRK_TIME_NONE)
		json_object_set_new(cols, "collected_end", json_integer(end));
	tool = json_object_get(man, "tool");
	if (json_is_object(tool) && asprintf(&t, "%s %s",
	    irk_j_str(tool, "name") ? irk_j_str(tool, "name") : "?",
	    irk_j_str(tool, "version") ? irk_j_str(tool, "version") : "?") >= 0) {
		json_object_set_new(cols, "tool", json_string(t));
		free(t);
	}
	json_object_set(cols, "manifest", man);
	(void)irk_db_event(g->db, start, "Collection Start", NULL,
	    "COLLECTION", NULL, irk_j_str(man, "name"), "evidence", eid);
	(void)irk_db_event(g->db, end, "Collection End", NULL, "COLLECTION",
	    NULL, irk_j_str(man, "name"), "evidence", eid);
}

static const char *
kind_name(enum irk_evkind k)
{
	return k == IRK_EVK_IRKIT ? "irkit" : k == IRK_EVK_DIRECTORY ?
	    "directory" : "archive";
}

/* Raise the run's exit status to at least st. */
static void
raise_status(struct ingest *g, int st)
{
	if (g->status < st)
		g->status = st;
}

/* --json: how one input ended. */
static void
input_done(struct ingest *g, const char *status, int64_t evidence,
    const struct ingest_counts *before, const char *message)
{
	json_t *o;

	if (!g->json)
		return;
	o = json_pack("{s:s, s:s}", "input", g->input, "status", status);
	if (o == NULL)
		return;
	json_object_set_new(o, "evidence_id", evidence > 0 ?
	    json_integer(evidence) : json_null());
	if (before != NULL) {
		json_object_set_new(o, "files",
		    json_integer((json_int_t)(g->n.files - before->files)));
		json_object_set_new(o, "records",
		    json_integer((json_int_t)(g->n.records - before->records)));
		json_object_set_new(o, "matches",
		    json_integer((json_int_t)(g->n.matches - before->matches)));
		json_object_set_new(o, "errors",
		    json_integer((json_int_t)(g->n.errors - before->errors)));
	}
	if (message != NULL)
		json_object_set_new(o, "message", irk_json_str(message));
	if (json_array_size(g->roots) > 0)
		json_object_set_new(o, "roots", json_deep_copy(g->roots));
	json_array_append_new(g->inputs, o);
}

/* The scan cache set again (rows went with a forgotten evidence). */
static void
reread_known(struct ingest *g)
{
	if (g->scan == NULL)
		return;
	irk_strmap_release(&g->known);
	irk_strmap_init(&g->known, NULL);
	if (irk_db_scanned_set(g->db, irk_scan_rules_hash(g->scan),
	    &g->known) != IRK_OK)
		db_fail(g, "the scan cache");
}

/*
 * Open the input and give it an evidence row: 1 to load it, 0 when it
 * is not loaded (refused, already in the case: said and counted).
 */
static int
open_input(struct ingest *g, struct irk_prehash *ph, struct irk_evread **rp,
    int64_t *eid)
{
	struct irk_evread_opts eo;
	struct irk_err err;
	struct stat st;
	int rc;

	irk_err_clear(&err);
	memset(&eo, 0, sizeof(eo));
	eo.prehash = ph;
	eo.ahead = g->ahead;
	eo.whole_max = g->max_size;
	g->in_time = 0;
	if (stat(g->input, &st) == 0 && st.st_mtim.tv_sec > 0)
		g->in_time = (int64_t)st.st_mtim.tv_sec * 1000000 +
		    st.st_mtim.tv_nsec / 1000;
	if ((rc = irk_evread_open(rp, g->input, &eo, &err)) != IRK_OK) {
		irk_fe_error("%s", err.msg);
		raise_status(g, rc == IRK_FATAL ? EXIT_FATAL : EXIT_PARTIAL);
		g->n_refused++;
		input_done(g, "refused", 0, NULL, err.msg);
		return 0;
	}
	if (irk_db_begin(g->db) != IRK_OK) {
		db_fail(g, "the start of a transaction");
		return 0;
	}
	rc = irk_db_evidence_add(g->db, g->input, irk_evread_sha256(*rp),
	    irk_evread_size(*rp), kind_name(irk_evread_kind(*rp)),
	    irk_evread_format(*rp), eid, &err);
	if (rc == 1) {
		say(g, 0, "already loaded as evidence %lld (same SHA-256)",
		    (long long)*eid);
		g->n_skipped++;
		input_done(g, "already", *eid, NULL, NULL);
		return 0;
	}
	if (rc != 0) {
		db_fail(g, "the evidence row");
		return 0;
	}
	if (irk_db_replaced(g->db) != 0) {
		say(g, 0, "an earlier load of this evidence (evidence %lld) "
		    "did not finish: loading it again",
		    (long long)irk_db_replaced(g->db));
		/* scan cache rows went with it: reread the set (the workers
		 * are idle between inputs) */
		reread_known(g);
	}
	return !g->fatal;
}

/* --- the collectors over an input's files (fs_spool.h) -------------- */

/* What was not spooled: kept, logged only if the spool is used. */
static void
spool_log(void *arg, const char *path, const char *msg)
{
	struct ingest *g = arg;
	json_t *e;

	/* names that are not UTF-8 kept as irk_json_str writes them */
	if (json_array_size(g->spool_log) >= SPOOL_LOG_MAX ||
	    (e = json_pack("{s:o, s:o}", "path", irk_json_str(path),
	    "message", irk_json_str(msg))) == NULL) {
		g->spool_log_more++;
		return;
	}
	json_array_append_new(g->spool_log, e);
}

/*
 * A spool for the input: an irkit archive's copied files when some
 * collector reads them, any other archive (a root, if it holds one, is
 * known at its end); a folder's names only (its files are read in place).
 */
static void
spool_start(struct ingest *g, struct irk_evread *r)
{
	enum irk_evkind kind = irk_evread_kind(r);
	struct irk_spool_opts o;
	struct irk_err err;

	if (g->spool_max == 0 || (kind == IRK_EVK_IRKIT &&
	    !g->copied_collectors))
		return;
	memset(&o, 0, sizeof(o));
	o.dir = g->spool_dir;
	o.max_total = kind == IRK_EVK_DIRECTORY ? 0 : g->spool_max;
	o.max_file = o.max_total;
	o.log = spool_log;
	o.log_arg = g;
	irk_err_clear(&err);
	if (irk_spool_open(&g->spool, &o, &err) != IRK_OK) {
		g->spool = NULL;
		say(g, 1, "no spool, the collectors do not run: %s", err.msg);
		(void)irk_db_log(g->db, irk_now_us(), "error", "ingest", NULL,
		    err.msg);
		raise_status(g, EXIT_PARTIAL);
	}
}

/* An irkit archive's files/x: "x"; NULL for any other member. */
static const char *
copied_name(const char *name)
{
	const char *s;

	while (name[0] == '.' && name[1] == '/')
		name += 2;
	if ((s = strchr(name, '/')) == NULL || strncmp(s + 1, "files/", 6) !=
	    0)
		return NULL;
	return s + 7;
}

/* The member into the spool's index; its content follows as it is read. */
static void
spool_member(struct ingest *g, enum irk_evkind kind,
    const struct irk_member *m)
{
	const char *name, *link = m->link;
	struct irk_stat st;

	if (g->spool == NULL)
		return;
	irk_spool_end(g->spool);
	if ((name = spooled_name(kind, m)) == NULL)
		return;
	if (kind == IRK_EVK_IRKIT && m->type == IRK_M_HARDLINK && link != NULL)
		link = copied_name(link) ? copied_name(link) : "";
	memset(&st, 0, sizeof(st));
	switch (m->type) {
	case IRK_M_FILE:
	case IRK_M_HARDLINK:
		st.mode = S_IFREG;
		break;
	case IRK_M_DIR:
		st.mode = S_IFDIR;
		break;
	case IRK_M_SYMLINK:
		st.mode = S_IFLNK;
		break;
	default:
		return;
	}
	st.mode |= m->mode & 07777;
	st.nlink = 1;
	st.uid = m->uid >= 0 ? (uint32_t)m->uid : 0;
	st.gid = m->gid >= 0 ? (uint32_t)m->gid : 0;
	st.size = m->type == IRK_M_SYMLINK && link != NULL ? strlen(link) :
	    m->size > 0 ? (uint64_t)m->size : 0;
	st.ino = m->ino >= 0 ? (uint64_t)m->ino : 0;
	st.atime = m->atime;
	st.mtime = m->mtime;
	st.ctime = m->ctime;
	st.btime = m->btime;
	(void)irk_spool_add(g->spool, name, &st, link,
	    m->type == IRK_M_HARDLINK);
}

/* What was not spooled, into the log table (once, before a run). */
static void
spool_log_flush(struct ingest *g)
{
	json_t *e;
	size_t i;
	char msg[128];
	uint64_t n = irk_spool_unspooled(g->spool), refused;

	json_array_foreach(g->spool_log, i, e)
		(void)irk_db_log(g->db, irk_now_us(), "warning", "spool",
		    irk_j_str(e, "path"), irk_j_str(e, "message"));
	if (g->spool_log_more > 0) {
		(void)snprintf(msg, sizeof(msg), "%llu more members not "
		    "spooled or refused (not listed)",
		    (unsigned long long)g->spool_log_more);
		(void)irk_db_log(g->db, irk_now_us(), "warning", "spool", NULL,
		    msg);
	}
	refused = json_array_size(g->spool_log) + g->spool_log_more - n;
	if (n > 0 && !g->quiet) {
		if (g->progress)
			fputs("\r\033[K", stderr);
		irk_fe_warn("'%s': %llu file%s not spooled for the collectors "
		    "(--spool-max %llu bytes): see the log table (component "
		    "spool)", g->input, (unsigned long long)n, n == 1 ? "" :
		    "s", (unsigned long long)g->spool_max);
	}
	if (refused > 0 && !g->quiet) {
		if (g->progress)
			fputs("\r\033[K", stderr);
		irk_fe_warn("'%s': %llu member%s not given to the collectors "
		    "(names out of the root, links to nothing given): see the "
		    "log table (component spool)", g->input,
		    (unsigned long long)refused, refused == 1 ? "" : "s");
	}
	json_array_clear(g->spool_log);
	g->spool_log_more = 0;
}

/* The view of a root: the spool's, or a folder's files in place. */
static int
root_fs(struct ingest *g, const char *prefix, int windows,
    struct irk_fs **fs, struct irk_err *err)
{
	char path[4200];

	if (irk_evread_kind(g->reader) != IRK_EVK_DIRECTORY)
		return irk_fs_spool_open(fs, g->spool, prefix, windows, err);
	if (snprintf(path, sizeof(path), "%s/%s", g->input, prefix) >=
	    (int)sizeof(path)) {
		irk_err_set(err, ENAMETOOLONG, "path too long");
		return IRK_FAIL;
	}
	return irk_fs_host_open(fs, path, err);
}

/* A folder's Windows root has its names in the case the collectors use. */
static int
same_case(struct ingest *g, struct irk_fs *fs)
{
	struct irk_stat st;
	struct irk_err err;

	return irk_evread_kind(g->reader) != IRK_EVK_DIRECTORY ||
	    fs->ops->stat(fs, "/Windows/System32/config", 1, &st, &err) ==
	    IRK_OK;
}

/* What a root's kind is called in messages. */
static const char *
root_what(struct ingest *g, int kind)
{
	return kind == IRK_SPOOL_WINDOWS ? "windows root" :
	    kind == IRK_SPOOL_LINUX ? "linux root" :
	    irk_evread_kind(g->reader) == IRK_EVK_IRKIT ? "copied files" :
	    "files";
}

/* The words naming the root at prefix in messages: "'in.zip' windows
 * root at 'C/'". */
static void
root_where(struct ingest *g, const char *prefix, int kind, char *out,
    size_t len)
{
	if (prefix[0] == '\0')
		(void)snprintf(out, len, "'%s' %s at the top", g->input,
		    root_what(g, kind));
	else
		(void)snprintf(out, len, "'%s' %s at '%s/'", g->input,
		    root_what(g, kind), prefix);
}

/*
 * The collectors of holds (or only col) over fs into the case; where
 * starts their messages.
 */
static void
collect_over(struct ingest *g, struct irk_fs *fs, const char *where,
    const char *what, unsigned holds, const struct irk_collector *col)
{
	struct irk_case_sink s;
	char why[600];
	int rc;

	memset(&s, 0, sizeof(s));
	s.db = g->db;
	s.where = where;
	s.tty = g->progress;
	/* a collection's next-run times are after the collection (the
	 * input's mtime: when the archive or folder was written), not the
	 * load, so the same input gives the same whenever it is loaded */
	s.now = g->in_time;
	rc = irk_case_collect(&s, fs, holds, col, g->max_size, why,
	    sizeof(why));
	g->n.records += s.records;
	if (s.db_failed)
		stop(g, "cannot write a record to the case '%s': %s",
		    g->dbpath, s.db_error);
	else if (rc == IRK_FATAL)
		say(g, 1, "%s: collectors stopped: %s", what, why);
	if (s.problems || rc == IRK_FATAL) {
		g->collect_problems = 1;
		raise_status(g, EXIT_PARTIAL);
	}
}

/*
 * Run the collectors of holds over the root at prefix (kind: a root's
 * kind, or 0 for an irkit archive's copied files) into the case.
 */
static void
run_root(struct ingest *g, const char *prefix, int kind, int first)
{
	struct irk_fs *fs = NULL;
	struct irk_err err;
	char where[1400];
	const char *what = root_what(g, kind);

	irk_err_clear(&err);
	/* the copied files are the spool's names without files/ */
	if (root_fs(g, kind == 0 ? "" : prefix, kind == IRK_SPOOL_WINDOWS,
	    &fs, &err) != IRK_OK) {
		say(g, 1, "%s '%s/': %s", what, prefix, err.msg);
		raise_status(g, EXIT_PARTIAL);
		g->collect_problems = 1;
		return;
	}
	root_where(g, prefix, kind, where, sizeof(where));
	say(g, 0, "%s: running the collectors", where + strlen(g->input) + 3);
	(void)irk_db_log(g->db, irk_now_us(), "info", "ingest", prefix[0] ?
	    prefix : "/", kind == 0 ? "copied files: the collectors of "
	    "copied files run over them" : kind == IRK_SPOOL_WINDOWS ?
	    "windows root: the collectors run over it" :
	    "linux root: the collectors run over it");
	if (kind == IRK_SPOOL_WINDOWS && !same_case(g, fs))
		say(g, 1, "%s: a folder is read as it is, and its names are "
		    "not in their usual case (Windows/System32/config): the "
		    "collectors may not find their files (in a zip or tar, "
		    "names match in any case)", where + strlen(g->input) + 3);
	if (first && g->spool != NULL)
		spool_log_flush(g);
	if (kind != 0 && first)
		(void)irk_case_root_host(g->db, fs, kind == IRK_SPOOL_WINDOWS);
	json_array_append_new(g->roots, json_pack("{s:s, s:o}", "kind",
	    kind == 0 ? "copied" : kind == IRK_SPOOL_WINDOWS ? "windows" :
	    "linux", "at", irk_json_str(prefix)));
	collect_over(g, fs, where, what, kind == 0 ? IRK_SRC_COPIED :
	    kind == IRK_SPOOL_WINDOWS ? IRK_SRC_WINDOWS_ROOT :
	    IRK_SRC_LINUX_ROOT, NULL);
	irk_fs_free(fs);
}

/* The root of roots (n of them) holding name (spooled), or n: none. */
static size_t
root_of(const char *name, const struct irk_spool_root *roots, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(roots[i].prefix);

		if (len == 0 || (strncmp(name, roots[i].prefix, len) == 0 &&
		    name[len] == '/'))
			return i;
	}
	return n;
}

/*
 * The EVTX files found among the members of root k of roots (k == n:
 * those in no root), read through that root's view as the evtx
 * collector reads its own; a Windows root's logs folder is left out
 * (the collector read it).
 */
static void
evtx_found_in(struct ingest *g, const struct irk_spool_root *roots,
    size_t n, size_t k)
{
	const char *prefix = k < n ? roots[k].prefix : "";
	int kind = k < n ? roots[k].kind : 0;
	struct irk_evtx_found mine = { NULL, 0 };
	struct irk_fs *fs = NULL;
	struct irk_err err;
	char where[1400], path[4200];

	for (size_t i = 0; i < g->evtx_found.n; i++) {
		const char *name = g->evtx_found.paths[i];

		if (root_of(name, roots, n) != k ||
		    snprintf(path, sizeof(path), "/%s", name + strlen(prefix) +
		    (prefix[0] != '\0')) >= (int)sizeof(path) ||
		    (kind == IRK_SPOOL_WINDOWS && irk_evtx_in_logs(path)))
			continue;
		irk_evtx_found_add(&mine, path);
	}
	irk_err_clear(&err);
	if (mine.n > 0 && root_fs(g, prefix, kind == IRK_SPOOL_WINDOWS, &fs,
	    &err) != IRK_OK) {
		say(g, 1, "%s '%s/': %s", root_what(g, kind), prefix, err.msg);
		raise_status(g, EXIT_PARTIAL);
		g->collect_problems = 1;
	} else if (mine.n > 0) {
		root_where(g, prefix, kind, where, sizeof(where));
		collect_over(g, fs, where, root_what(g, kind), 0,
		    irk_evtx_found_collector((const char *const *)mine.paths,
		    mine.n));
		irk_fs_free(fs);
	}
	irk_evtx_found_clear(&mine);
}

/* After the members: the collectors over the copied files or the roots,
 * then the EVTX files found by their signature. */
static void
spool_run(struct ingest *g, struct irk_evread *r)
{
	struct irk_spool_root roots[SPOOL_MAX_ROOTS];
	size_t n = 0;

	if (g->spool == NULL || g->fatal)
		return;
	irk_spool_end(g->spool);
	if (irk_evread_kind(r) == IRK_EVK_IRKIT)
		run_root(g, "files", 0, 1);
	else
		n = irk_spool_roots(g->spool, SPOOL_ROOT_DEPTH, roots,
		    SPOOL_MAX_ROOTS);
	for (size_t i = 0; i < n && !g->fatal; i++)
		run_root(g, roots[i].prefix, roots[i].kind, i == 0);
	if (g->evtx_found.n > 0 && irk_evread_kind(r) != IRK_EVK_IRKIT &&
	    n == 0)
		spool_log_flush(g);
	for (size_t k = 0; k <= n && g->evtx_found.n > 0 && !g->fatal; k++)
		evtx_found_in(g, roots, n, k);
}

static void
spool_done(struct ingest *g)
{
	irk_evtx_found_clear(&g->evtx_found);
	irk_spool_free(g->spool);
	g->spool = NULL;
	json_array_clear(g->spool_log);
	json_array_clear(g->roots);
	g->spool_log_more = 0;
	g->collect_problems = 0;
}

/* Every member into its table; IRK_WARN (err set) at damage. */
static int
read_members(struct ingest *g, struct irk_evread *r, struct irk_err *err)
{
	enum irk_evkind kind = irk_evread_kind(r);
	struct irk_member m;
	int rc = 0;

	while (!g->fatal && (rc = irk_evread_next(r, &m, err)) == 1) {
		progress(g, 0);
		spool_member(g, kind, &m);
		if (m.type == IRK_M_DIR)
			continue;
		if (kind != IRK_EVK_IRKIT || m.rel == NULL) {
			load_member(g, r, &m, m.name, "member");
			continue;
		}
		if (strcmp(m.rel, "manifest.json") == 0)
			continue;	/* the reader keeps it */
		if (m.type == IRK_M_FILE && strncmp(m.rel, "records/", 8) == 0 &&
		    irk_has_suffix(m.rel, ".jsonl"))
			load_lines(g, r, m.rel, 0);
		else if (m.type == IRK_M_FILE && strcmp(m.rel, "log.jsonl") == 0)
			load_lines(g, r, m.rel, 1);
		else if (strncmp(m.rel, "files/", 6) == 0)
			load_member(g, r, &m, m.rel + 5, "collected");
		else
			load_member(g, r, &m, m.rel, "member");
	}
	return rc;
}

/*
 * The same collection loaded before (an intact irkit archive whose
 * manifest.json is byte for byte that of a complete evidence row): this
 * load is removed again.  1 when it was a duplicate.
 */
static int
drop_duplicate(struct ingest *g, struct irk_evread *r, int64_t eid,
    const struct ingest_counts *before)
{
	const char *msha = irk_evread_manifest_sha256(r);
	int64_t dup;
	int rc;

	if (msha == NULL || strcmp(irk_evread_verify(r), "intact") != 0 ||
	    irk_evread_partial(r))
		return 0;
	rc = irk_db_manifest_find(g->db, msha, eid, &dup);
	if (rc == 0)
		return 0;
	pop_ready(g, 1);
	if (rc < 0 || irk_db_evidence_forget(g->db, eid) != IRK_OK) {
		db_fail(g, "the removal of a duplicate load");
		return 1;
	}
	g->n = *before;
	g->n_duplicates++;
	say(g, 0, "already loaded as evidence %lld (the same collection: "
	    "same manifest.json, SHA-256 %s): not loaded again",
	    (long long)dup, msha);
	input_done(g, "duplicate", dup, NULL, NULL);
	return 1;
}

/* Members not read to their end: one line (each is a log row). */
static void
say_unread(struct ingest *g, const struct irk_evread *r)
{
	const char *why = NULL;
	uint64_t n = irk_evread_unread(r, &why);

	if (n == 0)
		return;
	say(g, 1, "%llu member%s could not be read to %s end (%s%s): see "
	    "the log table", (unsigned long long)n, n == 1 ? "" : "s",
	    n == 1 ? "its" : "their", n == 1 ? "" : "the last: ", why);
	raise_status(g, EXIT_PARTIAL);
}

/*
 * Not all of the input is in the case: reading stopped at damage, a
 * member could not be read to its end, or the load stopped.
 */
static int
incomplete(const struct ingest *g, const struct irk_evread *r)
{
	return irk_evread_partial(r) || irk_evread_unread(r, NULL) > 0 ||
	    g->fatal || g->collect_problems;
}

/* After the members: manifest, verification, IOCs on records, findings. */
static void
finish_input(struct ingest *g, struct irk_evread *r, int64_t eid)
{
	json_t *cols = json_object();
	struct irk_err err;
	const json_t *probs;
	json_t *p;
	size_t i;
	int absent;

	irk_err_clear(&err);
	if (irk_evread_manifest(r) != NULL)
		load_manifest(g, irk_evread_manifest(r), eid, cols);
	json_object_set_new(cols, "verify", json_string(irk_evread_verify(r)));
	json_object_set(cols, "verify_detail",
	    (json_t *)irk_evread_problems(r));
	json_object_set_new(cols, "status", json_string(
	    incomplete(g, r) ? "partial" : "complete"));
	if (irk_evread_manifest_sha256(r) != NULL)
		json_object_set_new(cols, "manifest_sha256",
		    json_string(irk_evread_manifest_sha256(r)));
	if (irk_db_evidence_set(g->db, eid, cols) != IRK_OK)
		db_fail(g, "the evidence row");
	json_decref(cols);
	/* IOC lists against what the records name */
	if (g->scan != NULL && irk_db_record_iocs(g->db, eid, g->scan) !=
	    IRK_OK)
		db_fail(g, "the IOC hits");
	if (irk_db_findings(g->db, &err) != IRK_OK) {
		say(g, 1, "findings: %s", err.msg);
		raise_status(g, EXIT_PARTIAL);
	}
	/* what verify would say, in the log too */
	/* (a missing .sha256 alone is a warning: a streamed collection) */
	probs = irk_evread_problems(r);
	absent = irk_evread_sha256_absent(r);
	json_array_foreach(probs, i, p)
		(void)irk_db_log(g->db, irk_now_us(), absent && json_array_size(
		    probs) == 1 ? "warning" : "error", "verify", NULL,
		    json_string_value(p));
	if (irk_db_commit(g->db) != IRK_OK)
		db_fail(g, "the rows of the evidence (commit)");
	say_unread(g, r);
	if (json_array_size(probs) == 1 && absent && !irk_evread_partial(r)) {
		say(g, 0, "sha256: absent (no .sha256 beside it; the "
		    "manifest was checked)");
	} else if (json_array_size(probs) > 0 || irk_evread_partial(r)) {
		json_array_foreach(probs, i, p)
			say(g, 1, "%s", json_string_value(p));
		raise_status(g, EXIT_PARTIAL);
	}
}

/* One input.  Sets g->status on trouble. */
static void
ingest_one(struct ingest *g, const char *input, struct irk_prehash *ph)
{
	struct irk_evread *r = NULL;
	struct ingest_counts before = g->n;
	struct irk_err err;
	int64_t eid = 0;
	int rc;

	irk_err_clear(&err);
	g->input = input;
	g->in_t0 = irk_now_us();
	if (!open_input(g, ph, &r, &eid))
		goto out;
	g->reader = r;
	g->n_evidence++;
	spool_start(g, r);
	rc = read_members(g, r, &err);
	pop_ready(g, 1);
	if (rc == IRK_WARN) {
		say(g, 1, "damaged: %s (loaded up to the damage)", err.msg);
		(void)irk_db_log(g->db, irk_now_us(), "error", "ingest", NULL,
		    err.msg);
	}
	irk_evread_finish(r);
	if (!g->fatal && drop_duplicate(g, r, eid, &before)) {
		g->n_evidence--;
		goto out;
	}
	spool_run(g, r);
	pop_ready(g, 1);
	finish_input(g, r, eid);
	input_done(g, incomplete(g, r) ||
	    json_array_size(irk_evread_problems(r)) > 0 ? "partial" :
	    "loaded", eid, &before, NULL);
out:
	spool_done(g);
	g->reader = NULL;
	pop_ready(g, 1);
	if (irk_db_in_tx(g->db))
		(void)irk_db_commit(g->db);
	irk_evread_free(r);
	/*
	 * The workers are idle now (nothing queued, nothing in flight):
	 * what this input scanned joins the scan cache for the next one.
	 */
	if (g->scan != NULL && g->outstanding == 0 &&
	    irk_db_scanned_set(g->db, irk_scan_rules_hash(g->scan),
	    &g->known) != IRK_OK)
		db_fail(g, "the scan cache");
}

/* The last line (or --json object) of the run. */
static void
summary(struct ingest *g)
{
	int64_t nfind = irk_db_count(g->db, "findings");
	int64_t nev = irk_db_count(g->db, "events");
	int64_t added = nfind >= g->findings0 ? nfind - g->findings0 : 0;
	double secs = (double)(irk_now_us() - g->t0) / 1e6;
	json_t *o;

	if (g->progress)
		fputs("\r\033[K", stderr);
	if (g->json) {
		o = json_pack("{s:O, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, "
		    "s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}",
		    "inputs", g->inputs,
		    "evidence", (json_int_t)g->n_evidence,
		    "already", (json_int_t)g->n_skipped,
		    "duplicates", (json_int_t)g->n_duplicates,
		    "refused", (json_int_t)g->n_refused,
		    "files", (json_int_t)g->n.files,
		    "files_cached", (json_int_t)g->n.cached,
		    "bytes", (json_int_t)g->n.bytes,
		    "records", (json_int_t)g->n.records,
		    "events", (json_int_t)(nev >= g->events0 ?
		    nev - g->events0 : 0),
		    "matches", (json_int_t)g->n.matches,
		    "matches_cached", (json_int_t)g->n.cached_matches,
		    "findings", (json_int_t)added,
		    "findings_in_case", (json_int_t)nfind,
		    "errors", (json_int_t)g->n.errors,
		    "exit", (json_int_t)g->status,
		    "ms", (json_int_t)(secs * 1000));
		if (o != NULL)
			json_object_set_new(o, "too_large",
			    json_integer((json_int_t)g->n.too_large));
		if (o != NULL && g->fatal)
			json_object_set_new(o, "error", irk_json_str(
			    g->failure ? g->failure : "out of memory"));
		if (o != NULL) {
			json_dumpf(o, stdout, JSON_COMPACT);
			fputc('\n', stdout);
		}
		json_decref(o);
		return;
	}
	if (g->fatal) {
		/* not a load's summary: what was written before it stopped */
		fprintf(stderr, "%s: the load stopped at the error above: "
		    "at most %llu files and %llu records of this run are in "
		    "the case\n", irk_fe_prefix(),
		    (unsigned long long)g->n.files,
		    (unsigned long long)g->n.records);
		return;
	}
	if (g->quiet)
		return;
	fprintf(stderr, "%s: %llu evidence (%llu already in, %llu refused), "
	    "%llu files (%llu from the scan cache), %.1f MiB, %llu records, "
	    "%llu YARA matches (%llu from the scan cache), %lld findings "
	    "added (%lld in the case), %.1f s\n", irk_fe_prefix(),
	    (unsigned long long)g->n_evidence,
	    (unsigned long long)(g->n_skipped + g->n_duplicates),
	    (unsigned long long)g->n_refused, (unsigned long long)g->n.files,
	    (unsigned long long)g->n.cached, (double)g->n.bytes / 1048576.0,
	    (unsigned long long)g->n.records, (unsigned long long)g->n.matches,
	    (unsigned long long)g->n.cached_matches, (long long)added,
	    (long long)nfind, secs);
	if (g->n.too_large > 0)
		fprintf(stderr, "%s: %llu files over --max-file-size hashed "
		    "but not scanned (files.skipped_reason 'too large')\n",
		    irk_fe_prefix(), (unsigned long long)g->n.too_large);
}

/*
 * Where spools go (the case's folder, not a small tmpfs) and whether an
 * irkit archive's copied files are spooled at all.  EXIT_DONE or fatal.
 */
static int
spool_setup(struct ingest *g)
{
	const char *slash = strrchr(g->dbpath, '/');

	for (size_t i = 0; i < irk_ncollectors; i++)
		if (irk_collectors[i]->sources & IRK_SRC_COPIED)
			g->copied_collectors = 1;
	if (slash == NULL)
		g->spool_dir = strdup(".");
	else if (slash == g->dbpath)
		g->spool_dir = strdup("/");
	else
		g->spool_dir = strndup(g->dbpath, (size_t)(slash - g->dbpath));
	if (g->spool_dir == NULL || (g->spool_log = json_array()) == NULL ||
	    (g->roots = json_array()) == NULL) {
		irk_fe_error("out of memory");
		return EXIT_FATAL;
	}
	return EXIT_DONE;
}

/* Options into a, -q and --json into g; optind at the first input.
 * EXIT_DONE, or the exit status (-1: --help, exit 0). */
static int
parse_args(struct ingest *g, struct irk_scan_args *a, int argc, char **argv)
{
	static const struct option lo[] = {
		IRK_SCAN_LONGOPTS,
		IRK_LOAD_LONGOPTS,
		{ "spool-max", required_argument, NULL, OPT_SPOOL_MAX },
		{ "read-ahead", required_argument, NULL, OPT_READ_AHEAD },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, IRK_SCAN_SHORTOPTS
	    IRK_LOAD_SHORTOPTS "h", lo, NULL)) != -1) {
		if (c == OPT_SPOOL_MAX) {
			if (irk_parse_size(optarg, &g->spool_max) != 0) {
				irk_fe_error("bad --spool-max '%s'", optarg);
				return EXIT_USAGE;
			}
			continue;
		}
		if (c == OPT_READ_AHEAD) {
			if (strcmp(optarg, "auto") == 0)
				g->ahead_opt = -1;
			else if (strcmp(optarg, "on") == 0)
				g->ahead_opt = 1;
			else if (strcmp(optarg, "off") == 0)
				g->ahead_opt = 0;
			else {
				irk_fe_error("bad --read-ahead '%s' (auto, on "
				    "or off)", optarg);
				return EXIT_USAGE;
			}
			continue;
		}
		switch (irk_scan_opts_parse(a, c, optarg)) {
		case IRK_SCAN_OPT_DONE:
			break;
		case IRK_SCAN_OPT_BAD:
			return EXIT_USAGE;
		default:
			return irk_scan_opts_other(c, usage);
		}
	}
	if ((c = irk_scan_opts_inputs(argc, usage)) != 0)
		return c;
	g->max_size = a->max_size;
	g->quiet = a->quiet;
	g->json = a->json;
	g->dbpath = a->db;
	return spool_setup(g);
}

/* The case (locked), the scanner and the scan cache.  IRK_OK or fatal. */
static int
open_case(struct ingest *g, const struct irk_scan_args *a)
{
	struct irk_scan_opts so;
	struct irk_err err;
	int rc;

	irk_err_clear(&err);
	if (irk_db_open_writer(&g->db, a->db, 0, &err) != IRK_OK) {
		if (strncmp(err.msg, "database: ", 10) == 0)
			irk_fe_error("cannot write the tables to the case "
			    "'%s': %s", a->db, err.msg + 10);
		else
			irk_fe_error("%s", err.msg);
		return IRK_FATAL;
	}
	irk_scan_args_opts(a, &so);
	/*
	 * auto: only with a core neither this thread nor the scan workers
	 * use.  Without one it costs more than it saves: the data crosses
	 * cores (the spool's copy of it gets slower) and the decompression
	 * competes with the rest (docs/performance.md, "Ingest batches").
	 */
	g->ahead = g->ahead_opt >= 0 ? g->ahead_opt :
	    sysconf(_SC_NPROCESSORS_ONLN) >= so.jobs + 2;
	so.known = &g->known;
	if (irk_scan_open(&g->scan, &so, &err) != IRK_OK) {
		irk_fe_error("%s", err.msg);
		return IRK_FATAL;
	}
	irk_scan_say_rule_problems(g->scan);
	if ((rc = irk_db_rule_problems(g->db, g->scan)) < 0)
		return IRK_FATAL;
	if (rc > 0)
		raise_status(g, EXIT_PARTIAL);
	/* the scan cache: contents scanned before with these rules */
	if (irk_db_set_rules_hash(g->db, irk_scan_rules_hash(g->scan)) !=
	    IRK_OK || irk_db_scanned_set(g->db, irk_scan_rules_hash(g->scan),
	    &g->known) != IRK_OK) {
		irk_fe_error("cannot read the scan cache");
		return IRK_FATAL;
	}
	g->findings0 = irk_db_count(g->db, "findings");
	g->events0 = irk_db_count(g->db, "events");
	return IRK_OK;
}

int irk_cmd_ingest(int argc, char **argv);

int
irk_cmd_ingest(int argc, char **argv)
{
	struct ingest g;
	struct irk_scan_args a;
	struct irk_err err;
	struct irk_prehash *next = NULL;
	int rc;

	irk_fe_set_prog("irkit-analyze");
	irk_fe_set_cmd("ingest");
	memset(&g, 0, sizeof(g));
	memset(&a, 0, sizeof(a));
	g.spool_max = SPOOL_DEFAULT_MAX;
	g.ahead_opt = -1;
	irk_err_clear(&err);
	irk_strmap_init(&g.known, NULL);
	irk_strmap_init(&g.owners, free);
	if (irk_scan_args_init(&a, argc, 0) != IRK_OK ||
	    (g.inputs = json_array()) == NULL) {
		g.status = EXIT_FATAL;
		goto out;
	}
	if ((rc = parse_args(&g, &a, argc, argv)) != EXIT_DONE) {
		g.status = rc < 0 ? EXIT_DONE : rc;
		goto out;
	}
	next = irk_prehash_start(argv[optind]);
	g.t0 = irk_now_us();
	g.progress = !g.quiet && irk_fe_isatty(stderr);
	if (open_case(&g, &a) != IRK_OK) {
		g.status = EXIT_FATAL;
		goto out;
	}
	/*
	 * Each input's own SHA-256 (its identity in the case) is read on a
	 * thread while the rules load and, for the next input, while this
	 * one is ingested, instead of in front of it with a core idle.
	 */
	for (int i = optind; i < argc && !g.fatal; i++) {
		struct irk_prehash *cur = next;

		next = i + 1 < argc ? irk_prehash_start(argv[i + 1]) : NULL;
		ingest_one(&g, argv[i], cur);
		irk_prehash_free(cur);
	}
	if (g.scan != NULL) {
		irk_scan_drain(g.scan);
		pop_ready(&g, 1);
	}
	if (irk_db_finish_load(g.db, &err) != IRK_OK)
		stop(&g, "cannot write the indexes and views to the case '%s': "
		    "%s", g.dbpath, strncmp(err.msg, "database: ", 10) == 0 ?
		    err.msg + 10 : err.msg);
	if (!g.fatal && irk_findings_cross(g.db, &err) != IRK_OK)
		stop(&g, "cannot write the cross-host findings to the case "
		    "'%s': %s", g.dbpath, err.msg);
	if (g.fatal)
		g.status = EXIT_FATAL;
	else if (g.n.errors > 0)
		raise_status(&g, EXIT_PARTIAL);
	summary(&g);
out:
	irk_prehash_free(next);
	irk_scan_close(g.scan);
	irk_db_close(g.db);
	irk_strmap_release(&g.known);
	irk_strmap_release(&g.owners);
	json_decref(g.inputs);
	json_decref(g.spool_log);
	json_decref(g.roots);
	free(g.spool_dir);
	free(g.failure);
	irk_scan_args_release(&a);
	return g.status;
}
