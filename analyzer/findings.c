/*
 * findings.c - score and explain, Loki-style (docs/SCHEMA.md, "findings").
 *
 * Each finding is one subject (a file, a process, a service, a task, a
 * certificate) with a score 0-100, the sum of its reasons' scores capped
 * at 100, and the reasons in words.  It links to the rows behind it
 * (finding_links) and is a timeline event (source FINDING).
 *
 *   YARA rule match               the rule's meta score, default 70
 *   IOC hash match                90;  IOC file-name match 60
 *   IOC domain/IP in a record's command line or socket        80
 *   process executable deleted    70;  in /tmp, /var/tmp, /dev/shm 70
 *   (not the collector's own process: exe SHA-256 = manifest tool.sha256)
 *   process hidden from /proc     80
 *   listening socket with no visible owner   60 (30 when the collector
 *     ran unprivileged or was refused the descriptors)
 *   service/task program in a writable place (/tmp, /var/tmp, /dev/shm,
 *     /home, /run/user, /var/www)                       60 (+10 enabled)
 *   service/task pipes a download into a shell          80
 *   code-signing certificate with its private key on the host, not
 *     encrypted                                         75
 *   trusted root no package ships (shipped_by_os false, or in a local
 *     anchor directory)                                 60
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_priv.h"
#include "db_util.h"
#include "records/record.h"
#include "irkit/fs.h"
#include "irkit/json.h"
#include "irkit/timeutil.h"
#include "irkit/banned.h"

/* Local trust anchor directories: what an administrator (or an
 * intruder) adds to the trust store. */
#define ANCHOR_SQL "(path LIKE '/usr/local/share/ca-certificates/%' OR " \
	"path LIKE '/etc/pki/ca-trust/source/anchors/%' OR " \
	"path LIKE '/etc/ca-certificates/trust-source/anchors/%')"
#define ANCHOR_SQL_CP "cp.path LIKE '/usr/local/share/ca-certificates/%' " \
	"OR cp.path LIKE '/etc/pki/ca-trust/source/anchors/%' OR cp.path " \
	"LIKE '/etc/ca-certificates/trust-source/anchors/%'"

struct finding {
	int64_t subject;	/* row id in table */
	const char *table;
	const char *category;
	char title[512];
	int score;
	json_t *reasons;
	int64_t ts;
	char path[1024];
	int64_t extra_id;	/* a second linked row (key of a cert) */
	const char *extra_table;
};

static void
f_init(struct finding *f, const char *table, int64_t id, const char *cat)
{
	memset(f, 0, sizeof(*f));
	f->table = table;
	f->subject = id;
	f->category = cat;
	f->reasons = json_array();
	f->ts = IRK_TIME_NONE;
}

static const char *
nz(const char *s)
{
	return s != NULL ? s : "";
}

/*
 * A reason: fmt, a literal checked by the compiler, with the strings a
 * and b (NULL as ""), cut to 600 bytes (display text, never a path).
 */
#define f_reason(f, score, fmt, a, b) do {				\
	char msg_[600];							\
									\
	if (snprintf(msg_, sizeof(msg_), fmt, nz(a), nz(b)) >= 0)	\
		f_reason_msg((f), (score), msg_);			\
} while (0)

static void
f_reason_msg(struct finding *f, int score, const char *msg)
{
	json_t *j;

	f->score += score;
	/* evidence text, maybe cut mid-character: invalid bytes as \xNN */
	if ((j = irk_json_str(msg)) != NULL)
		json_array_append_new(f->reasons, j);
}

static const char *
col(sqlite3_stmt *s, int i)
{
	return (const char *)sqlite3_column_text(s, i);
}

static int64_t
col_time(sqlite3_stmt *s, int i)
{
	return sqlite3_column_type(s, i) == SQLITE_NULL ? IRK_TIME_NONE :
	    sqlite3_column_int64(s, i);
}

static int64_t
evidence_time(struct irk_db *db)
{
	sqlite3_stmt *s;
	int64_t t = IRK_TIME_NONE;

	if ((s = irk_db_kept(db, "SELECT coalesce(collected_start, "
	    "ingested_at) FROM evidence WHERE id = ?")) == NULL)
		return t;
	(void)sqlite3_bind_int64(s, 1, db->evidence_id);
	if (sqlite3_step(s) == SQLITE_ROW)
		t = col_time(s, 0);
	sqlite3_reset(s);
	return t;
}

/* Store f (if it has reasons) and free its reasons. */
static int
f_flush(struct irk_db *db, struct finding *f)
{
	sqlite3_stmt *s = NULL;
	char *reasons = NULL;
	int64_t fid;
	int r = IRK_FATAL;

	if (f->reasons == NULL || json_array_size(f->reasons) == 0) {
		json_decref(f->reasons);
		f->reasons = NULL;
		return IRK_OK;
	}
	if (f->score > 100)
		f->score = 100;
	reasons = json_dumps(f->reasons, JSON_COMPACT);
	if ((s = irk_db_kept(db, "INSERT INTO findings (evidence_id, "
	    "host_id, score, title, category, reasons, ts) VALUES (?, ?, ?, "
	    "?, ?, ?, ?)")) == NULL)
		goto out;
	(void)sqlite3_bind_int64(s, 1, db->evidence_id);
	if (db->host_id > 0)
		(void)sqlite3_bind_int64(s, 2, db->host_id);
	(void)sqlite3_bind_int(s, 3, f->score);
	irk_db_bind_text(s, 4, f->title);
	irk_db_bind_text(s, 5, f->category);
	irk_db_bind_text(s, 6, reasons);
	irk_db_bind_time(s, 7, f->ts);
	if (sqlite3_step(s) != SQLITE_DONE)
		goto out;
	fid = sqlite3_last_insert_rowid(db->h);
	sqlite3_reset(s);
	s = NULL;
	if ((s = irk_db_kept(db, "INSERT INTO finding_links (finding_id, "
	    "record_table, record_id) VALUES (?, ?, ?)")) == NULL)
		goto out;
	(void)sqlite3_bind_int64(s, 1, fid);
	irk_db_bind_text(s, 2, f->table);
	(void)sqlite3_bind_int64(s, 3, f->subject);
	if (sqlite3_step(s) != SQLITE_DONE)
		goto out;
	if (f->extra_table != NULL) {
		sqlite3_reset(s);
		(void)sqlite3_bind_int64(s, 1, fid);
		irk_db_bind_text(s, 2, f->extra_table);
		(void)sqlite3_bind_int64(s, 3, f->extra_id);
		if (sqlite3_step(s) != SQLITE_DONE)
			goto out;
	}
	{
		char msg[700];
		int64_t ts = f->ts;
		const char *desc = "Finding";

		/* no time of its own: on the timeline at the collection */
		if (ts == IRK_TIME_NONE) {
			ts = evidence_time(db);
			desc = "Finding (time of collection)";
		}
		(void)snprintf(msg, sizeof(msg), "[%d] %s: %s", f->score,
		    f->title, reasons ? reasons : "");
		r = irk_db_event(db, ts, desc, NULL, "FINDING",
		    f->path[0] ? f->path : NULL, msg, "findings", fid);
	}
out:
	sqlite3_reset(s);
	free(reasons);
	json_decref(f->reasons);
	f->reasons = NULL;
	return r;
}

/* YARA and IOC hits, one finding per file. */
static int
files_findings(struct irk_db *db)
{
	static const char q[] =
	    "SELECT f.id, f.path, coalesce(f.mtime, f.ctime), 'yara', y.rule,"
	    "  coalesce(y.score, 70),"
	    "  coalesce(json_extract(y.meta, '$.description'), '')"
	    " FROM yara_matches y JOIN files f ON f.id = y.file_id"
	    " WHERE f.evidence_id = ?1"
	    " UNION ALL "
	    "SELECT f.id, f.path, coalesce(f.mtime, f.ctime), 'ioc', i.kind,"
	    "  CASE WHEN i.kind IN ('sha256', 'sha1', 'md5') THEN 90 ELSE 60 END,"
	    "  i.value || coalesce(' (' || i.description || ')', '')"
	    " FROM ioc_hits i JOIN files f ON f.id = i.file_id"
	    " WHERE f.evidence_id = ?1"
	    " ORDER BY 1";
	struct finding f;
	sqlite3_stmt *s;
	int64_t cur = -1;
	int r = IRK_OK, nyara = 0;

	if ((s = irk_db_kept(db, q)) == NULL)
		return IRK_FATAL;
	(void)sqlite3_bind_int64(s, 1, db->evidence_id);
	memset(&f, 0, sizeof(f));
	while (sqlite3_step(s) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(s, 0);
		const char *kind = col(s, 3), *what = col(s, 4);
		const char *desc = col(s, 6);
		int score = sqlite3_column_int(s, 5);
		char buf[400];

		if (id != cur) {
			if (cur >= 0 && f_flush(db, &f) != IRK_OK)
				r = IRK_FATAL;
			f_init(&f, "files", id, "yara");
			nyara = 0;
			cur = id;
			(void)snprintf(f.path, sizeof(f.path), "%s",
			    col(s, 1) ? col(s, 1) : "");
			f.ts = col_time(s, 2);
		}
		if (strcmp(kind, "yara") == 0) {
			(void)snprintf(buf, sizeof(buf), "YARA rule %s%s%s",
			    what ? what : "?", desc && *desc ? ": " : "",
			    desc ? desc : "");
			f_reason(&f, score, "%s%s", buf, NULL);
			/* a title is cut to fit (the path has its column) */
			if (nyara++ == 0 && snprintf(f.title, sizeof(f.title),
			    "YARA %s in %s", what ? what : "?", f.path) < 0)
				f.title[0] = '\0';
		} else {
			(void)snprintf(buf, sizeof(buf), "IOC %s match: %s",
			    what ? what : "?", desc ? desc : "");
			f_reason(&f, score, "%s%s", buf, NULL);
			if (nyara == 0) {
				f.category = "ioc";
				if (snprintf(f.title, sizeof(f.title),
				    "IOC %s match in %s", what ? what : "?",
				    f.path) < 0)
					f.title[0] = '\0';
			}
		}
	}
	sqlite3_reset(s);
	if (cur >= 0 && f_flush(db, &f) != IRK_OK)
		r = IRK_FATAL;
	return r;
}

static int
in_temp(const char *p)
{
	return p != NULL && (strncmp(p, "/tmp/", 5) == 0 ||
	    strncmp(p, "/var/tmp/", 9) == 0 || strncmp(p, "/dev/shm/", 9) == 0);
}

/* A program path in a place any user (or a web server) can write. */
static const char *
writable_place(const char *cmd)
{
	static const char *const dirs[] = {
		"/tmp/", "/var/tmp/", "/dev/shm/", "/home/", "/run/user/",
		"/var/www/", "\\Users\\", "\\Temp\\", "\\ProgramData\\",
		"\\AppData\\", NULL,
	};

	if (cmd == NULL)
		return NULL;
	for (size_t i = 0; dirs[i] != NULL; i++)
		if (strstr(cmd, dirs[i]) != NULL)
			return dirs[i];
	return NULL;
}

/* "curl ... | sh", "wget -O- ... | bash", "base64 -d | sh" ... */
static int
pipes_to_shell(const char *cmd)
{
	const char *bar;
	int fetch;

	if (cmd == NULL)
		return 0;
	fetch = strstr(cmd, "curl") != NULL || strstr(cmd, "wget") != NULL ||
	    strstr(cmd, "base64") != NULL || strstr(cmd, "/dev/tcp/") != NULL;
	if (!fetch)
		return 0;
	if (strstr(cmd, "/dev/tcp/") != NULL)
		return 1;
	for (bar = strchr(cmd, '|'); bar != NULL; bar = strchr(bar + 1, '|')) {
		const char *p = bar + 1;

		while (*p == ' ' || *p == '\t' || *p == '|')
			p++;
		if (strncmp(p, "sudo ", 5) == 0)
			p += 5;
		if (strncmp(p, "/bin/", 5) == 0)
			p += 5;
		else if (strncmp(p, "/usr/bin/", 9) == 0)
			p += 9;
		if (strncmp(p, "sh", 2) == 0 || strncmp(p, "bash", 4) == 0 ||
		    strncmp(p, "dash", 4) == 0 || strncmp(p, "zsh", 3) == 0 ||
		    strncmp(p, "python", 6) == 0 || strncmp(p, "perl", 4) == 0)
			return 1;
	}
	return 0;
}

static int
process_findings(struct irk_db *db)
{
	sqlite3_stmt *s;
	int r = IRK_OK;

	if ((s = irk_db_kept(db, "SELECT id, pid, name, exe, exe_deleted, "
	    "hidden, start_time FROM processes WHERE evidence_id = ? AND "
	    "(exe_deleted = 1 OR hidden = 1 OR exe LIKE '/tmp/%' OR exe LIKE "
	    "'/var/tmp/%' OR exe LIKE '/dev/shm/%') "
	    /* the collector itself, run from a stick or /tmp: the very
	     * binary the manifest names (same SHA-256) is not a finding */
	    "AND coalesce(exe_sha256, '') <> coalesce((SELECT json_extract("
	    "manifest, '$.tool.sha256') FROM evidence WHERE id = ? AND "
	    "json_valid(manifest)), '-')")) == NULL)
		return IRK_FATAL;
	(void)sqlite3_bind_int64(s, 1, db->evidence_id);
	(void)sqlite3_bind_int64(s, 2, db->evidence_id);
	while (sqlite3_step(s) == SQLITE_ROW) {
		struct finding f;
		const char *name = col(s, 2), *exe = col(s, 3);
		char pid[32];

		f_init(&f, "processes", sqlite3_column_int64(s, 0), "process");
		(void)snprintf(pid, sizeof(pid), "%lld",
		    (long long)sqlite3_column_int64(s, 1));
		(void)snprintf(f.title, sizeof(f.title), "process %s (pid %s)",
		    name ? name : "?", pid);
		(void)snprintf(f.path, sizeof(f.path), "%s", exe ? exe : "");
		f.ts = col_time(s, 6);
		if (sqlite3_column_int(s, 4) == 1)
			f_reason(&f, 70, "executable deleted from disk: %s%s",
			    exe, NULL);
		if (in_temp(exe))
			f_reason(&f, 70, "executable in a temporary directory: "
			    "%s%s", exe, NULL);
		if (sqlite3_column_int(s, 5) == 1)
			f_reason(&f, 80, "hidden: absent from the /proc listing "
			    "but answering by pid%s%s", NULL, NULL);
		if (f_flush(db, &f) != IRK_OK)
			r = IRK_FATAL;
	}
	sqlite3_reset(s);
	return r;
}

static int
persistence_findings(struct irk_db *db, const char *table)
{
	char q[400];
	sqlite3_stmt *s;
	int r = IRK_OK, svc = strcmp(table, "services") == 0;

	if (svc)
		(void)snprintf(q, sizeof(q), "SELECT id, name, coalesce(command,"
		    " image_path), image_path, coalesce(enabled, 0), mtime, "
		    "fragment_path, kind FROM services WHERE evidence_id = ?");
	else
		(void)snprintf(q, sizeof(q), "SELECT id, coalesce(name, "
		    "schedule), command, NULL, 1, coalesce(last_run, mtime), "
		    "source_path, kind FROM tasks WHERE evidence_id = ?");
	if ((s = irk_db_kept(db, q)) == NULL)
		return IRK_FATAL;
	(void)sqlite3_bind_int64(s, 1, db->evidence_id);
	while (sqlite3_step(s) == SQLITE_ROW) {
		struct finding f;
		const char *name = col(s, 1), *cmd = col(s, 2);
		const char *img = col(s, 3), *where, *kind = col(s, 7);
		int enabled = sqlite3_column_int(s, 4);

		where = writable_place(img ? img : cmd);
		if (where == NULL && !pipes_to_shell(cmd))
			continue;
		f_init(&f, table, sqlite3_column_int64(s, 0), svc ? "service" :
		    "task");
		(void)snprintf(f.title, sizeof(f.title), "%s %s%s%s",
		    kind ? kind : "", svc ? "service" : "task",
		    name ? " " : "", name ? name : "");
		(void)snprintf(f.path, sizeof(f.path), "%s", col(s, 6) ?
		    col(s, 6) : "");
		f.ts = col_time(s, 5);
		if (where != NULL)
			f_reason(&f, enabled ? 70 : 60, "runs a program from "
			    "a writable place (%s): %s", where, img ? img : cmd);
		if (pipes_to_shell(cmd))
			f_reason(&f, 80, "pipes a download into a shell: %s%s",
			    cmd, NULL);
		if (f_flush(db, &f) != IRK_OK)
			r = IRK_FATAL;
	}
	sqlite3_reset(s);
	return r;
}

/*
 * Trusted roots that no package ships, one finding per certificate
 * (SHA-256), dated when it came to the host and naming the file it was
 * installed from.
 *
 * Its copies are every file of the evidence that holds it.  The time is
 * the earliest of theirs, each copy's inode change time (ctime, from the
 * collected file's record; the certificate record has only mtime): ctime
 * is set when the file is written on this host and cannot be set back by
 * touch, cp -p or tar, which carry an mtime from elsewhere.  A later chmod
 * or rewrite moves ctime later, never earlier, so the earliest copy's
 * ctime is the latest moment the certificate can have arrived by.  A copy
 * with no file record (not copied, a registry store) gives its mtime.
 * notBefore is the issuer's claim, not a time on the host: never used.
 *
 * The file named is the one it was installed from: a copy in a local
 * anchor directory first, then a file of its own in the trust store,
 * then any file of its own; a bundle (a file holding several
 * certificates, or a generated one such as ca-certificates.crt) only when
 * there is nothing else.  Earliest first among equals.
 */
static const char trusted_root_sql[] =
    "WITH roots AS (SELECT sha256, min(id) AS id FROM certificates"
    "  WHERE evidence_id = ?1 AND in_trust_store = 1 AND sha256 IS NOT NULL"
    "  AND (is_ca = 1 OR self_signed = 1) AND (shipped_by_os = 0 OR " ANCHOR_SQL
    "  ) GROUP BY sha256),"
    " cp AS (SELECT sha256, path, min(id) AS cid,"
    "  max(coalesce(in_trust_store, 0)) AS trusted,"
    "  min(mtime) AS mtime FROM certificates WHERE evidence_id = ?1 AND"
    "  sha256 IN (SELECT sha256 FROM roots) GROUP BY sha256, path),"
    " fc AS (SELECT path, min(ctime) AS ctime FROM files WHERE"
    "  evidence_id = ?1 AND path IN (SELECT path FROM cp) GROUP BY path),"
    " nf AS (SELECT path, count(*) AS n FROM certificates WHERE"
    "  evidence_id = ?1 AND path IN (SELECT path FROM cp) GROUP BY path)"
    " SELECT r.id, c.subject, cp.path, coalesce(fc.ctime, cp.mtime) AS t,"
    "  fc.ctime IS NOT NULL, coalesce(nf.n, 1) > 1 OR cp.path IN"
    "  ('/etc/ssl/certs/ca-certificates.crt',"
    "  '/etc/pki/tls/certs/ca-bundle.crt', '/etc/pki/tls/cert.pem',"
    "  '/etc/ssl/cert.pem') OR"
    "  cp.path LIKE '/etc/pki/ca-trust/extracted/%' AS bundle, cp.cid"
    " FROM roots r JOIN certificates c ON c.id = r.id"
    " JOIN cp ON cp.sha256 = r.sha256"
    " LEFT JOIN fc ON fc.path = cp.path LEFT JOIN nf ON nf.path = cp.path"
    " ORDER BY r.id, bundle, NOT (" ANCHOR_SQL_CP "), cp.trusted DESC,"
    "  t IS NULL, t, cp.path";

/* The copies of one root, installed-from first; the finding in f. */
struct root_copies {
	int n;
	int64_t first;			/* earliest copy's time */
	char first_path[1024];
	int first_ctime;
	char others[600];		/* the other copies, for a reason */
};

static void
root_copy(struct finding *f, struct root_copies *rc, sqlite3_stmt *s)
{
	const char *path = col(s, 2) ? col(s, 2) : "?";
	int64_t t = col_time(s, 3);
	size_t len = strlen(rc->others);

	if (rc->n++ == 0) {
		/* the finding links the installed-from copy's row */
		f->subject = sqlite3_column_int64(s, 6);
		(void)snprintf(f->path, sizeof(f->path), "%s", path);
	} else if (len + strlen(path) + 40 < sizeof(rc->others))
		(void)snprintf(rc->others + len, sizeof(rc->others) - len,
		    "%s%s%s", len > 0 ? ", " : "", path,
		    sqlite3_column_int(s, 5) ? " (a bundle)" : "");
	if (t != IRK_TIME_NONE && (rc->first == IRK_TIME_NONE ||
	    t < rc->first)) {
		rc->first = t;
		rc->first_ctime = sqlite3_column_int(s, 4);
		(void)snprintf(rc->first_path, sizeof(rc->first_path), "%s",
		    path);
	}
}

static int
root_flush(struct irk_db *db, struct finding *f, struct root_copies *rc)
{
	char buf[1400], t[IRK_TIME_LEN];

	f_reason(f, 60, "trusted root certificate that no OS package ships, "
	    "installed from %s%s", f->path, NULL);
	f->ts = rc->first;
	if (rc->first != IRK_TIME_NONE) {
		(void)snprintf(buf, sizeof(buf), "on the host since %s: the "
		    "%s of %s, the earliest of its %d cop%s", irk_time_fmt(
		    rc->first, t), rc->first_ctime ? "change time (ctime)" :
		    "modification time (mtime)", rc->first_path, rc->n,
		    rc->n == 1 ? "y" : "ies");
		f_reason(f, 0, "%s%s", buf, NULL);
	}
	if (rc->others[0] != '\0')
		f_reason(f, 0, "also in %s%s", rc->others, NULL);
	return f_flush(db, f);
}

static int
trusted_root_findings(struct irk_db *db)
{
	struct finding f;
	struct root_copies rc;
	sqlite3_stmt *s;
	int64_t cur = -1;
	int r = IRK_OK;

	if ((s = irk_db_kept(db, trusted_root_sql)) == NULL)
		return IRK_FATAL;
	(void)sqlite3_bind_int64(s, 1, db->evidence_id);
	while (sqlite3_step(s) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(s, 0);

		if (id != cur) {
			if (cur >= 0 && root_flush(db, &f, &rc) != IRK_OK)
				r = IRK_FATAL;
			cur = id;
			f_init(&f, "certificates", id, "certificate");
			memset(&rc, 0, sizeof(rc));
			rc.first = IRK_TIME_NONE;
			(void)snprintf(f.title, sizeof(f.title), "trusted root "
			    "%s", col(s, 1) ? col(s, 1) : "?");
		}
		root_copy(&f, &rc, s);
	}
	sqlite3_reset(s);
	if (cur >= 0 && root_flush(db, &f, &rc) != IRK_OK)
		r = IRK_FATAL;
	return r;
}

static int
cert_findings(struct irk_db *db)
{
	sqlite3_stmt *s;
	int r = IRK_OK;

	/*
	 * code signing, with its key on the host and not encrypted; dated
	 * when the pair came to the host (the earlier of the two files'
	 * change times, else their mtime), never by notBefore: a validity
	 * date is no activity on the host
	 */
	if ((s = irk_db_kept(db, "SELECT c.id, c.subject, c.path, k.id, "
	    "k.path, (SELECT min(t) FROM (SELECT coalesce((SELECT min(f.ctime) "
	    "FROM files f WHERE f.evidence_id = c.evidence_id AND f.path = "
	    "c.path), c.mtime) AS t UNION ALL SELECT coalesce((SELECT "
	    "min(f.ctime) FROM files f WHERE f.evidence_id = k.evidence_id AND "
	    "f.path = k.path), k.mtime))) "
	    "FROM certificates c JOIN private_keys k ON "
	    "k.evidence_id = c.evidence_id AND (k.path = c.private_key_path OR "
	    "k.certificate_path = c.path) WHERE c.evidence_id = ? AND "
	    "c.ext_key_usage LIKE '%codeSigning%' AND "
	    "coalesce(k.encrypted, 0) = 0 GROUP BY c.id")) == NULL)
		return IRK_FATAL;
	(void)sqlite3_bind_int64(s, 1, db->evidence_id);
	while (sqlite3_step(s) == SQLITE_ROW) {
		struct finding f;

		f_init(&f, "certificates", sqlite3_column_int64(s, 0),
		    "certificate");
		f.extra_table = "private_keys";
		f.extra_id = sqlite3_column_int64(s, 3);
		(void)snprintf(f.title, sizeof(f.title), "code-signing "
		    "certificate %s", col(s, 1) ? col(s, 1) : "?");
		(void)snprintf(f.path, sizeof(f.path), "%s", col(s, 2) ?
		    col(s, 2) : "");
		f.ts = col_time(s, 5);
		f_reason(&f, 75, "can sign code and its private key sits on "
		    "the host unencrypted: %s%s", col(s, 4), NULL);
		if (f_flush(db, &f) != IRK_OK)
			r = IRK_FATAL;
	}
	sqlite3_reset(s);
	if (trusted_root_findings(db) != IRK_OK)
		r = IRK_FATAL;
	return r;
}

/*
 * The IOC hits on the records of the current evidence, built from the
 * registry (the types that declare IOC columns): table, id, kind, value,
 * description, what names the row, its time; by table and row.
 */
static char *
record_ioc_query(void)
{
	sqlite3_str *q = sqlite3_str_new(NULL);
	int n = 0;

	for (size_t i = 0; irk_record_types[i] != NULL; i++) {
		const struct irk_record_type *t = irk_record_types[i];

		if (t->ioc_name == NULL && t->ioc_text == NULL &&
		    t->ioc_hash == NULL)
			continue;
		sqlite3_str_appendf(q, "%sSELECT i.record_table, i.record_id, "
		    "i.kind, i.value, coalesce(i.description, ''), (SELECT %s "
		    "FROM %s WHERE id = i.record_id), (SELECT %s FROM %s WHERE "
		    "id = i.record_id) FROM ioc_hits i WHERE i.file_id IS NULL "
		    "AND i.record_table = '%s' AND i.record_id IN (SELECT id "
		    "FROM %s WHERE evidence_id = ?1)", n++ ? " UNION ALL " : "",
		    t->ioc_label ? t->ioc_label : "NULL", t->table,
		    t->ioc_time ? t->ioc_time : "NULL", t->table, t->table,
		    t->table);
	}
	sqlite3_str_appendall(q, n ? " ORDER BY 1, 2" : "SELECT NULL, 0, "
	    "NULL, NULL, NULL, NULL, NULL WHERE 0");
	return sqlite3_str_finish(q);
}

/* IOC hits on records (a process, service, task, socket...): a finding
 * per record. */
static int
record_ioc_findings(struct irk_db *db)
{
	const struct irk_record_type *t;
	struct finding f;
	sqlite3_stmt *s;
	int64_t cur = -1;
	char curt[32] = "", *q;
	int r = IRK_OK;

	if ((q = record_ioc_query()) == NULL)
		return IRK_FATAL;
	s = irk_db_kept(db, q);
	sqlite3_free(q);
	if (s == NULL)
		return IRK_FATAL;
	(void)sqlite3_bind_int64(s, 1, db->evidence_id);
	memset(&f, 0, sizeof(f));
	while (sqlite3_step(s) == SQLITE_ROW) {
		const char *table = col(s, 0), *kind = col(s, 2);
		const char *value = col(s, 3), *desc = col(s, 4);
		const char *what = col(s, 5);
		int64_t id = sqlite3_column_int64(s, 1);
		char buf[400];

		if (table == NULL || (t = irk_record_by_table(table)) == NULL)
			continue;
		if (id != cur || strcmp(table, curt) != 0) {
			if (cur >= 0 && f_flush(db, &f) != IRK_OK)
				r = IRK_FATAL;
			(void)snprintf(curt, sizeof(curt), "%s", table);
			cur = id;
			f_init(&f, t->table, id, "ioc");
			(void)snprintf(f.title, sizeof(f.title), "IOC %s %s in "
			    "%s %s", kind ? kind : "?", value ? value : "?",
			    table, what ? what : "");
			(void)snprintf(f.path, sizeof(f.path), "%s",
			    what ? what : "");
			f.ts = col_time(s, 6);
		}
		(void)snprintf(buf, sizeof(buf), "IOC %s match: %s%s%s",
		    kind ? kind : "?", value ? value : "", desc && *desc ?
		    " - " : "", desc ? desc : "");
		f_reason(&f, kind && (strcmp(kind, "filename") == 0) ? 60 : 80,
		    "%s%s", buf, NULL);
	}
	sqlite3_reset(s);
	if (cur >= 0 && f_flush(db, &f) != IRK_OK)
		r = IRK_FATAL;
	return r;
}

/*
 * The rules a type declares (records/record.h): one query over all of
 * them, ordered by subject, so the rows of one subject make one finding.
 */
static char *
type_rules_query(const struct irk_record_type *t)
{
	char *q = NULL, *next;

	for (int k = 0; t->findings[k].sql != NULL; k++) {
		next = sqlite3_mprintf("%s%sSELECT *, %d, %d FROM (%s)",
		    q ? q : "", q ? " UNION ALL " : "", t->findings[k].score,
		    k, t->findings[k].sql);
		sqlite3_free(q);
		if ((q = next) == NULL)
			return NULL;
	}
	next = sqlite3_mprintf("%s ORDER BY 1, 7", q ? q : "SELECT 1 "
	    "WHERE 0");
	sqlite3_free(q);
	return next;
}

static int
type_rule_findings(struct irk_db *db, const struct irk_record_type *t)
{
	struct finding f;
	sqlite3_stmt **kept = irk_db_type_rules_stmt(db, t), *s = *kept;
	int64_t cur = -1;
	char *q;
	int r, rc;

	/* prepared once a run: each image of a batch runs it again */
	if (s == NULL) {
		if ((q = type_rules_query(t)) == NULL)
			return IRK_FATAL;
		r = sqlite3_prepare_v3(db->h, q, -1,
		    SQLITE_PREPARE_PERSISTENT, &s, NULL);
		sqlite3_free(q);
		if (r != SQLITE_OK)
			return IRK_FATAL;
		*kept = s;
	}
	r = IRK_OK;
	(void)sqlite3_bind_int64(s, 1, db->evidence_id);
	memset(&f, 0, sizeof(f));
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(s, 0);
		const char *title = col(s, 1), *path = col(s, 4);

		if (id != cur) {
			if (cur >= 0 && f_flush(db, &f) != IRK_OK)
				r = IRK_FATAL;
			cur = id;
			f_init(&f, t->table, id, t->category ? t->category :
			    t->type);
			(void)snprintf(f.title, sizeof(f.title), "%s",
			    title ? title : t->type);
			(void)snprintf(f.path, sizeof(f.path), "%s",
			    path ? path : "");
			f.ts = col_time(s, 3);
		}
		f_reason(&f, sqlite3_column_int(s, 5), "%s%s", col(s, 2),
		    NULL);
	}
	if (rc != SQLITE_DONE)
		r = IRK_FATAL;
	(void)sqlite3_reset(s);
	if (cur >= 0 && f_flush(db, &f) != IRK_OK)
		r = IRK_FATAL;
	return r;
}

/* The findings the record types declare. */
static int
declared_findings(struct irk_db *db)
{
	int r = IRK_OK;

	for (int i = 0; irk_record_types[i] != NULL; i++)
		if (irk_record_types[i]->findings != NULL &&
		    type_rule_findings(db, irk_record_types[i]) != IRK_OK)
			r = IRK_FATAL;
	return r;
}

/*
 * A listening socket no process listed in /proc holds: a kernel socket
 * (NFS, a tunnel), or the socket of a hidden process.  When descriptors
 * were refused (unprivileged run) it is only a lead.
 */
static int
socket_findings(struct irk_db *db)
{
	sqlite3_stmt *s;
	int r = IRK_OK;

	if ((s = irk_db_kept(db, "SELECT id, proto, coalesce(local_addr, "
	    "path, ''), coalesce(local_port, inode), coalesce(owner_reason, '') "
	    "FROM sockets WHERE evidence_id = ? AND process_id IS NULL AND "
	    "state = 'LISTEN'")) == NULL)
		return IRK_FATAL;
	(void)sqlite3_bind_int64(s, 1, db->evidence_id);
	while (sqlite3_step(s) == SQLITE_ROW) {
		struct finding f;
		const char *proto = col(s, 1), *addr = col(s, 2);
		const char *why = col(s, 4);
		char where[300];

		f_init(&f, "sockets", sqlite3_column_int64(s, 0), "socket");
		if (proto != NULL && strcmp(proto, "unix") == 0)
			(void)snprintf(where, sizeof(where), "%s", *addr ? addr :
			    "(unnamed)");
		else
			(void)snprintf(where, sizeof(where), "%s:%lld", addr,
			    (long long)sqlite3_column_int64(s, 3));
		(void)snprintf(f.title, sizeof(f.title), "listening socket %s "
		    "%s with no visible owner", proto ? proto : "?", where);
		f_reason(&f, strstr(why, "refused") != NULL ? 30 : 60,
		    "listening socket with no visible owner: %s%s", why, NULL);
		if (f_flush(db, &f) != IRK_OK)
			r = IRK_FATAL;
	}
	sqlite3_reset(s);
	return r;
}

int
irk_db_finding_add(struct irk_db *db, const char *table, int64_t id,
    const char *category, const char *title, int score, const char *reason,
    int64_t ts, const char *path)
{
	struct finding f;

	f_init(&f, table, id, category);
	(void)snprintf(f.title, sizeof(f.title), "%s", title);
	(void)snprintf(f.path, sizeof(f.path), "%s", path ? path : "");
	f.ts = ts;
	f_reason_msg(&f, score, reason);
	return f_flush(db, &f);
}

int
irk_db_findings(struct irk_db *db, struct irk_err *err)
{
	int r = IRK_OK;

	if (db->evidence_id <= 0)
		return IRK_OK;
	if (files_findings(db) != IRK_OK ||
	    process_findings(db) != IRK_OK ||
	    socket_findings(db) != IRK_OK ||
	    persistence_findings(db, "services") != IRK_OK ||
	    persistence_findings(db, "tasks") != IRK_OK ||
	    cert_findings(db) != IRK_OK ||
	    record_ioc_findings(db) != IRK_OK ||
	    declared_findings(db) != IRK_OK ||
	    irk_db_baseline_findings(db) != IRK_OK) {
		irk_err_set(err, 0, "database: %s", sqlite3_errmsg(db->h));
		r = IRK_FAIL;
	}
	return r;
}
