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
#include "out_util.h"
#include "scan.h"
#include "irkit/buf.h"
#include "irkit/fs.h"
#include "irkit/json.h"
#include "irkit/parse.h"
#include "irkit/timeutil.h"
#include "irkit/banned.h"

#define LINE_MAX_BYTES	(64u << 20)
#define DEFAULT_MAX	(64ULL << 20)

enum { EXIT_DONE = 0, EXIT_PARTIAL = 1, EXIT_USAGE = 2, EXIT_FATAL = 3 };

struct ingest {
	struct irk_db *db;
	struct irk_scan *scan;
	struct irk_strmap known;
	struct irk_strmap owners;
	uint64_t max_size;
	uint64_t outstanding;	/* items pushed, not yet stored */
	int progress;
	int64_t t0, last_progress;
	const char *input;
	/* totals */
	uint64_t n_files, n_records, n_matches, n_bytes, n_errors;
	uint64_t n_evidence, n_skipped, n_cached;
	int status;
	int fatal;
};

static void
usage(FILE *fp)
{
	fprintf(fp,
"usage: irkit-analyze ingest [--db FILE] [--rules PATH]... [--no-default-rules]\n"
"                            [--ioc FILE]... [-j N] [--max-file-size SIZE]\n"
"                            [--hash sha256|all] EVIDENCE...\n"
"\n"
"Load evidence into the case database: irkit evidence archives (records\n"
"into typed tables, checked against the manifest), any other archive\n"
"(tar.*, zip, 7z: UAC, KAPE, Velociraptor) or a directory (every file a\n"
"files row with its times on the timeline).  Every file is hashed, typed\n"
"with libmagic and scanned with YARA and the IOC lists; findings are\n"
"scored.  Nothing is extracted; only the database is written.  The same\n"
"evidence (same SHA-256) ingested again changes nothing.\n"
"\n"
"  --db FILE             case database (default case.db)\n"
"  --rules PATH          YARA rule file or folder (repeatable)\n"
"  --no-default-rules    do not load the bundled yara-rules/\n"
"  --ioc FILE            IOC list: hashes or file-name patterns (repeatable)\n"
"  -j, --jobs N          scanning threads (default: the CPUs)\n"
"  --max-file-size SIZE  larger files are not scanned (default 64M)\n"
"  --hash MODE           sha256 (default): SHA-256 of every file, MD5 or\n"
"                        SHA-1 too when an IOC list has values of that kind\n"
"                        (the bundled sha1.txt does); all: MD5 and SHA-1 of\n"
"                        every file\n"
"  -h, --help            this help\n"
"\n"
"Exit status: 0 done; 1 done but something could not be read (damaged\n"
"or truncated evidence, a manifest mismatch, unreadable records); 2\n"
"usage; 3 fatal.\n");
}

static void
progress(struct ingest *g, int force)
{
	int64_t now;

	if (!g->progress)
		return;
	now = irk_now_us();
	if (!force && now - g->last_progress < 250000)
		return;
	g->last_progress = now;
	fprintf(stderr, "\r\033[K%llu files, %.1f MiB, %llu records, "
	    "%llu matches, %.0f s", (unsigned long long)g->n_files,
	    (double)g->n_bytes / 1048576.0, (unsigned long long)g->n_records,
	    (unsigned long long)g->n_matches, (double)(now - g->t0) / 1e6);
}

static void
say(struct ingest *g, const char *input, const char *fmt, const char *arg)
{
	if (g->progress)
		fputs("\r\033[K", stderr);
	fputs("irkit-analyze: ", stderr);
	irk_out_safe(stderr, input);
	fputs(": ", stderr);
	fprintf(stderr, fmt, arg ? arg : "");
	fputc('\n', stderr);
}

/* Store one finished scan. */
static void
store(struct ingest *g, struct irk_scan_item *it)
{
	if (irk_db_scan_result(g->db, it->file_id, it) != IRK_OK)
		g->fatal = 1;
	g->n_matches += json_array_size(it->matches);
	g->n_cached += it->cached ? 1 : 0;
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
 * Read the member's content: into memory when it fits the size cap,
 * else stream-hashed (the scanner records it "too large").
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
	g->n_bytes += streaming ? total : len;
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
		g->fatal = 1;
		free(magic);
		return;
	}
	free(magic);
	g->n_files++;
	if (m->type != IRK_M_FILE)
		return;
	it = read_content(g, r, m, path, &bad);
	if (bad) {
		g->n_errors++;
		(void)irk_db_log(g->db, irk_now_us(), "error", "ingest", path,
		    "member could not be read to its end");
	}
	if (it == NULL) {
		g->fatal = 1;
		return;
	}
	it->file_id = fid;
	if (g->scan == NULL) {
		irk_scan_item_free(it);
		return;
	}
	if (irk_scan_push(g->scan, it) != IRK_OK) {
		g->fatal = 1;
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
		g->n_errors++;
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
		g->fatal = 1;
	} else if (r != IRK_OK) {
		g->n_errors++;
		(void)snprintf(msg, sizeof(msg), "line %llu: %s",
		    (unsigned long long)lineno, err.msg);
		(void)irk_db_log(g->db, irk_now_us(), "error", "ingest",
		    c->member, msg);
	} else if (len > 0) {
		g->n_records++;
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
	if (n < 0) {
		g->n_errors++;
		(void)irk_db_log(g->db, irk_now_us(), "error", "ingest",
		    member, "member could not be read to its end");
	}
	irk_jsonl_end(&j, line_cb, &c);
	irk_jsonl_release(&j);
}

static int
has_suffix(const char *s, const char *suf)
{
	size_t a = strlen(s), b = strlen(suf);

	return a >= b && strcmp(s + a - b, suf) == 0;
}

/* Set host_id / host on the rows loaded before the manifest came. */
static void
fix_host(struct ingest *g, int64_t eid)
{
	static const char *const tables[] = {
		"files", "processes", "services", "tasks", "certificates",
		"private_keys", "records", "findings", NULL,
	};
	sqlite3_stmt *s;
	char q[160];

	for (size_t i = 0; tables[i] != NULL; i++) {
		(void)snprintf(q, sizeof(q), "UPDATE %s SET host_id = ? WHERE "
		    "evidence_id = ? AND host_id IS NULL", tables[i]);
		if (sqlite3_prepare_v2(g->db->h, q, -1, &s, NULL) != SQLITE_OK)
			continue;
		(void)sqlite3_bind_int64(s, 1, g->db->host_id);
		(void)sqlite3_bind_int64(s, 2, eid);
		(void)sqlite3_step(s);
		sqlite3_finalize(s);
	}
	if (sqlite3_prepare_v2(g->db->h, "UPDATE events SET host = ? WHERE "
	    "evidence_id = ? AND host IS NULL", -1, &s, NULL) == SQLITE_OK) {
		irk_db_bind_text(s, 1, g->db->hostname);
		(void)sqlite3_bind_int64(s, 2, eid);
		(void)sqlite3_step(s);
		sqlite3_finalize(s);
	}
}

static void
load_manifest(struct ingest *g, json_t *man, int64_t eid, json_t *cols)
{
	json_t *host = json_object_get(man, "host"), *tool;
	int64_t start, end, hid;
	char *t = NULL;

	if (json_is_object(host) && irk_db_host(g->db, host, &hid) == IRK_OK) {
		json_object_set_new(cols, "host_id", json_integer(hid));
		fix_host(g, eid);
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

/*
 * IOC lists against what records name: executable and program paths
 * (file-name IOCs), command lines and remote addresses (domains, IPs).
 */
static void
record_iocs(struct ingest *g, int64_t eid)
{
	static const struct {
		const char *table, *sql;
	} q[] = {
		{ "processes", "SELECT id, exe, cmdline FROM processes "
		    "WHERE evidence_id = ?" },
		{ "services", "SELECT id, image_path, command FROM services "
		    "WHERE evidence_id = ?" },
		{ "tasks", "SELECT id, NULL, command FROM tasks "
		    "WHERE evidence_id = ?" },
		{ "sockets", "SELECT id, NULL, remote_addr FROM sockets "
		    "WHERE evidence_id = ? AND remote_addr IS NOT NULL" },
	};

	if (g->scan == NULL)
		return;
	for (size_t i = 0; i < sizeof(q) / sizeof(q[0]); i++) {
		sqlite3_stmt *s;

		if (sqlite3_prepare_v2(g->db->h, q[i].sql, -1, &s, NULL) !=
		    SQLITE_OK)
			continue;
		(void)sqlite3_bind_int64(s, 1, eid);
		while (sqlite3_step(s) == SQLITE_ROW) {
			int64_t id = sqlite3_column_int64(s, 0);
			const char *name = (const char *)sqlite3_column_text(s,
			    1);
			const char *text = (const char *)sqlite3_column_text(s,
			    2);
			json_t *hits[2] = { NULL, NULL }, *h;
			size_t k;

			if (name != NULL)
				hits[0] = irk_scan_ioc_name(g->scan, name);
			if (text != NULL)
				hits[1] = irk_scan_ioc_text(g->scan, text);
			for (int j = 0; j < 2; j++) {
				json_array_foreach(hits[j], k, h)
					if (irk_db_record_ioc(g->db, q[i].table,
					    id, h) != IRK_OK)
						g->fatal = 1;
				json_decref(hits[j]);
			}
		}
		sqlite3_finalize(s);
	}
}

static const char *
kind_name(enum irk_evkind k)
{
	return k == IRK_EVK_IRKIT ? "irkit" : k == IRK_EVK_DIRECTORY ?
	    "directory" : "archive";
}

/* One input.  Sets g->status on trouble. */
static void
ingest_one(struct ingest *g, const char *input, struct irk_prehash *ph)
{
	struct irk_evread_opts eo;
	struct irk_evread *r = NULL;
	struct irk_member m;
	struct irk_err err;
	json_t *cols = NULL;
	enum irk_evkind kind;
	int64_t eid;
	int rc;

	irk_err_clear(&err);
	g->input = input;
	memset(&eo, 0, sizeof(eo));
	eo.prehash = ph;
	if ((rc = irk_evread_open(&r, input, &eo, &err)) != IRK_OK) {
		say(g, input, "%s", err.msg);
		g->status = rc == IRK_FATAL ? EXIT_FATAL : EXIT_PARTIAL;
		return;
	}
	kind = irk_evread_kind(r);
	if (irk_db_begin(g->db) != IRK_OK) {
		g->fatal = 1;
		goto out;
	}
	rc = irk_db_evidence_add(g->db, input, irk_evread_sha256(r),
	    irk_evread_size(r), kind_name(kind), irk_evread_format(r), &eid,
	    &err);
	if (rc == 1) {
		say(g, input, "already in the case (same SHA-256)%s", NULL);
		g->n_skipped++;
		goto out;
	}
	if (rc != 0) {
		say(g, input, "%s", err.msg);
		g->fatal = 1;
		goto out;
	}
	if (g->db->replaced != 0) {
		char msg[128];

		(void)snprintf(msg, sizeof(msg), "%lld",
		    (long long)g->db->replaced);
		say(g, input, "an earlier load of this evidence (evidence %s) "
		    "did not finish: loading it again", msg);
		/* scan cache rows went with it: reread the set (the workers
		 * are idle between inputs) */
		irk_strmap_release(&g->known);
		irk_strmap_init(&g->known, NULL);
		if (irk_db_scanned_set(g->db, irk_scan_rules_hash(g->scan),
		    &g->known) != IRK_OK) {
			g->fatal = 1;
			goto out;
		}
	}
	g->n_evidence++;
	while (!g->fatal && (rc = irk_evread_next(r, &m, &err)) == 1) {
		if (kind == IRK_EVK_IRKIT && m.rel != NULL) {
			if (m.type == IRK_M_DIR)
				continue;
			if (strcmp(m.rel, "manifest.json") == 0)
				continue;	/* the reader keeps it */
			if (m.type == IRK_M_FILE &&
			    strncmp(m.rel, "records/", 8) == 0 &&
			    has_suffix(m.rel, ".jsonl")) {
				load_lines(g, r, m.rel, 0);
				continue;
			}
			if (m.type == IRK_M_FILE &&
			    strcmp(m.rel, "log.jsonl") == 0) {
				load_lines(g, r, m.rel, 1);
				continue;
			}
			if (strncmp(m.rel, "files/", 6) == 0) {
				load_member(g, r, &m, m.rel + 5, "collected");
				continue;
			}
			load_member(g, r, &m, m.rel, "member");
			continue;
		}
		if (m.type == IRK_M_DIR)
			continue;
		load_member(g, r, &m, m.name, "member");
		progress(g, 0);
	}
	pop_ready(g, 1);
	if (rc == IRK_WARN) {
		say(g, input, "damaged: %s (loaded up to the damage)", err.msg);
		(void)irk_db_log(g->db, irk_now_us(), "error", "ingest", NULL,
		    err.msg);
	}
	irk_evread_finish(r);
	cols = json_object();
	if (irk_evread_manifest(r) != NULL)
		load_manifest(g, irk_evread_manifest(r), eid, cols);
	json_object_set_new(cols, "verify", json_string(irk_evread_verify(r)));
	json_object_set(cols, "verify_detail",
	    (json_t *)irk_evread_problems(r));
	json_object_set_new(cols, "status", json_string(
	    irk_evread_partial(r) || g->fatal ? "partial" : "complete"));
	if (irk_db_evidence_set(g->db, eid, cols) != IRK_OK)
		g->fatal = 1;
	record_iocs(g, eid);
	if (irk_db_findings(g->db, &err) != IRK_OK) {
		say(g, input, "findings: %s", err.msg);
		g->status = EXIT_PARTIAL;
	}
	if (irk_db_commit(g->db) != IRK_OK)
		g->fatal = 1;
	if (json_array_size(irk_evread_problems(r)) > 0 ||
	    irk_evread_partial(r)) {
		const json_t *probs = irk_evread_problems(r);
		json_t *p;
		size_t i;

		json_array_foreach(probs, i, p)
			say(g, input, "%s", json_string_value(p));
		g->status = g->status > EXIT_PARTIAL ? g->status : EXIT_PARTIAL;
	}
out:
	json_decref(cols);
	pop_ready(g, 1);
	if (g->db->in_tx)
		(void)irk_db_commit(g->db);
	irk_evread_free(r);
	/*
	 * The workers are idle now (nothing queued, nothing in flight):
	 * what this input scanned joins the scan cache for the next one.
	 */
	if (g->scan != NULL && g->outstanding == 0 &&
	    irk_db_scanned_set(g->db, irk_scan_rules_hash(g->scan),
	    &g->known) != IRK_OK)
		g->fatal = 1;
}

int irk_cmd_ingest(int argc, char **argv);

int
irk_cmd_ingest(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "rules", required_argument, NULL, 'r' },
		{ "no-default-rules", no_argument, NULL, 'N' },
		{ "ioc", required_argument, NULL, 'i' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "max-file-size", required_argument, NULL, 'm' },
		{ "hash", required_argument, NULL, 'H' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct ingest g;
	struct irk_scan_opts so;
	struct irk_err err;
	const char *dbpath = "case.db";
	const char **rules = NULL, **iocs = NULL;
	size_t nrules = 0, niocs = 0;
	uint64_t v;
	long ncpu;
	int c, jobs = 0, default_rules = 1, hash_all = 0;
	struct irk_prehash *next = NULL;
	sqlite3_stmt *st;
	int64_t nfind = 0;

	memset(&g, 0, sizeof(g));
	irk_err_clear(&err);
	g.max_size = DEFAULT_MAX;
	if ((rules = calloc((size_t)argc + 1, sizeof(*rules))) == NULL ||
	    (iocs = calloc((size_t)argc + 1, sizeof(*iocs))) == NULL) {
		free(rules);
		return EXIT_FATAL;
	}
	optind = 1;
	while ((c = getopt_long(argc, argv, "d:j:h", lo, NULL)) != -1) {
		switch (c) {
		case 'd':
			dbpath = optarg;
			break;
		case 'r':
			rules[nrules++] = optarg;
			break;
		case 'N':
			default_rules = 0;
			break;
		case 'i':
			iocs[niocs++] = optarg;
			break;
		case 'j':
			if (irk_parse_u64(optarg, 10, 256, &v) != 0 || v == 0) {
				fprintf(stderr, "irkit-analyze: ingest: bad -j "
				    "'%s' (1-256)\n", optarg);
				goto usage;
			}
			jobs = (int)v;
			break;
		case 'm':
			if (irk_parse_size(optarg, &v) != 0 || v == 0 ||
			    v > ((uint64_t)1 << 32)) {
				fprintf(stderr, "irkit-analyze: ingest: bad "
				    "--max-file-size '%s'\n", optarg);
				goto usage;
			}
			g.max_size = v;
			break;
		case 'H':
			if (strcmp(optarg, "sha256") == 0)
				hash_all = 0;
			else if (strcmp(optarg, "all") == 0)
				hash_all = 1;
			else {
				fprintf(stderr, "irkit-analyze: ingest: bad "
				    "--hash '%s' (sha256 or all)\n", optarg);
				goto usage;
			}
			break;
		case 'h':
			usage(stdout);
			free(rules);
			free(iocs);
			return EXIT_DONE;
		default:
			goto usage;
		}
	}
	if (optind >= argc)
		goto usage;
	if (jobs == 0) {
		ncpu = sysconf(_SC_NPROCESSORS_ONLN);
		jobs = ncpu > 0 && ncpu < 64 ? (int)ncpu : 2;
	}
	next = irk_prehash_start(argv[optind]);
	g.t0 = irk_now_us();
	g.progress = isatty(STDERR_FILENO);
	irk_strmap_init(&g.known, NULL);
	irk_strmap_init(&g.owners, free);
	if (irk_db_open(&g.db, dbpath, &err) != IRK_OK ||
	    irk_db_lock_writer(g.db, dbpath, &err) != IRK_OK) {
		fprintf(stderr, "irkit-analyze: ingest: %s\n", err.msg);
		g.status = EXIT_FATAL;
		goto out;
	}
	memset(&so, 0, sizeof(so));
	so.rules = rules;
	so.nrules = nrules;
	so.default_rules = default_rules;
	so.iocs = iocs;
	so.niocs = niocs;
	so.jobs = jobs;
	so.max_size = g.max_size;
	so.timeout = 60;
	so.known = &g.known;
	so.hash_all = hash_all;
	if (irk_scan_open(&g.scan, &so, &err) != IRK_OK) {
		fprintf(stderr, "irkit-analyze: ingest: %s\n", err.msg);
		g.status = EXIT_FATAL;
		goto out;
	}
	{
		const json_t *re = irk_scan_rule_errors(g.scan);
		json_t *e;
		size_t i;

		json_array_foreach(re, i, e) {
			fputs("irkit-analyze: rules: ", stderr);
			irk_out_safe(stderr, json_string_value(e));
			fputc('\n', stderr);
		}
	}
	/* the scan cache: contents scanned before with these rules */
	if (irk_db_set_rules_hash(g.db, irk_scan_rules_hash(g.scan)) !=
	    IRK_OK || irk_db_scanned_set(g.db, irk_scan_rules_hash(g.scan),
	    &g.known) != IRK_OK) {
		fprintf(stderr, "irkit-analyze: ingest: cannot read the scan "
		    "cache\n");
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
	if (irk_db_finish_load(g.db, &err) != IRK_OK) {
		fprintf(stderr, "irkit-analyze: ingest: %s\n", err.msg);
		g.fatal = 1;
	}
	if (sqlite3_prepare_v2(g.db->h, "SELECT count(*) FROM findings",
	    -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			nfind = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	if (g.progress)
		fputs("\r\033[K", stderr);
	fprintf(stderr, "irkit-analyze: ingest: %llu evidence (%llu already "
	    "in), %llu files (%llu from the scan cache), %.1f MiB, %llu "
	    "records, %llu YARA matches, %lld findings in the case, %.1f s\n",
	    (unsigned long long)g.n_evidence, (unsigned long long)g.n_skipped,
	    (unsigned long long)g.n_files, (unsigned long long)g.n_cached,
	    (double)g.n_bytes / 1048576.0,
	    (unsigned long long)g.n_records, (unsigned long long)g.n_matches,
	    (long long)nfind, (double)(irk_now_us() - g.t0) / 1e6);
	if (g.fatal)
		g.status = EXIT_FATAL;
	else if (g.n_errors > 0 && g.status == EXIT_DONE)
		g.status = EXIT_PARTIAL;
out:
	irk_prehash_free(next);
	irk_scan_close(g.scan);
	irk_db_close(g.db);
	irk_strmap_release(&g.known);
	irk_strmap_release(&g.owners);
	free(rules);
	free(iocs);
	return g.status;
usage:
	usage(stderr);
	free(rules);
	free(iocs);
	return EXIT_USAGE;
}
