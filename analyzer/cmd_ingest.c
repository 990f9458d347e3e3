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
#include <unistd.h>

#include "db.h"
#include "db_util.h"
#include "evidence_read.h"
#include "jsonl.h"
#include "scan.h"
#include "scan_opts.h"
#include "irkit/buf.h"
#include "irkit/fe.h"
#include "irkit/fs.h"
#include "irkit/json.h"
#include "irkit/parse.h"
#include "irkit/timeutil.h"
#include "irkit/str.h"
#include "irkit/banned.h"

#define LINE_MAX_BYTES	(64u << 20)

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
	int64_t t0, last_progress;
	/* the input being read */
	const char *input;
	struct irk_evread *reader;
	int64_t in_t0;
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
"scored.  Nothing is extracted; only the database is written.  The same\n"
"evidence ingested again changes nothing: the same file (same SHA-256),\n"
"or the same irkit collection re-packed or recompressed (same manifest)\n"
"is said to be loaded already (\"already loaded as evidence N\").  A file\n"
"that is neither an archive nor a folder is refused (scan a lone file\n"
"with 'irkit-analyze rules scan').\n"
"\n", fp);
	irk_scan_load_help(fp);
	irk_scan_opts_help(fp);
	fputs(
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
	if (m->size >= 0 && (uint64_t)m->size <= g->max_size) {
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

			n = irk_evread_data(r, &tmp, 1);
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
			n = irk_evread_data(r, chunk, sizeof(chunk));
			if (n <= 0)
				break;
			irk_hash_update(&h, chunk, (size_t)n);
			total += (uint64_t)n;
		} else {
			n = irk_evread_data(r, data + len, cap - len);
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
	it = read_content(g, r, m, path, &bad);
	if (bad)
		log_unread(g, r, path);
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
	int rc;

	irk_err_clear(&err);
	memset(&eo, 0, sizeof(eo));
	eo.prehash = ph;
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

/* Every member into its table; IRK_WARN (err set) at damage. */
static int
read_members(struct ingest *g, struct irk_evread *r, struct irk_err *err)
{
	enum irk_evkind kind = irk_evread_kind(r);
	struct irk_member m;
	int rc = 0;

	while (!g->fatal && (rc = irk_evread_next(r, &m, err)) == 1) {
		progress(g, 0);
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
	    g->fatal;
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
	finish_input(g, r, eid);
	input_done(g, incomplete(g, r) ||
	    json_array_size(irk_evread_problems(r)) > 0 ? "partial" :
	    "loaded", eid, &before, NULL);
out:
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

/* Options into a, -q and --json into g; optind at the first input.
 * EXIT_DONE, or the exit status (-1: --help, exit 0). */
static int
parse_args(struct ingest *g, struct irk_scan_args *a, int argc, char **argv)
{
	static const struct option lo[] = {
		IRK_SCAN_LONGOPTS,
		IRK_LOAD_LONGOPTS,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, IRK_SCAN_SHORTOPTS
	    IRK_LOAD_SHORTOPTS "h", lo, NULL)) != -1) {
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
	return EXIT_DONE;
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
	free(g.failure);
	irk_scan_args_release(&a);
	return g.status;
}
