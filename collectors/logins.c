/*
 * logins.c - the logins collector: one login record per entry of the
 * login accounting files (docs/collect.md, docs/FORMAT.md 4.10):
 *   /var/log/wtmp*   logins, logouts, boots, shutdowns, run levels;
 *   /var/log/btmp*   failed logins (every entry is one);
 *   /run/utmp        the sessions open now (/var/run/utmp when another
 *                    file);
 *   /var/log/lastlog the last login of each account of /etc/passwd;
 *   /var/lib/wtmpdb/wtmp.db, /var/lib/lastlog/lastlog2.db: the SQLite
 *                    ones of Debian 13 (logins_db.c).
 *
 * The layout of a utmp file (384 or 400 bytes an entry, either byte
 * order) is detected from its first entries (utmp_parse.c).  An entry
 * that is not sound is logged with its file and offset and skipped; a
 * partial last entry is logged.  Compressed rotations (.gz, .xz...) are
 * named in the log and not read.
 *
 * Logins are paired with their ends in the collector, per wtmp file and
 * in file order, as last(1) does: a login on a tty ends at the next
 * entry on that tty (a logout, or another login), or at the next
 * shutdown ("down") or boot ("crash") when none comes first; a login
 * still open at the end of the file has no end.
 *
 * lastlog is sparse, one 292-byte entry per UID: only the entries of the
 * root's accounts are read, by offset (without /etc/passwd, the UIDs
 * below LASTLOG_UIDS); its apparent size is never read.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "logins.h"
#include "utmp_parse.h"
#include "irkit/collect.h"
#include "irkit/json.h"
#include "irkit/str.h"
#include "irkit/timeutil.h"
#include "irkit/banned.h"

#define CHUNK_ENTRIES	64
#define ENTRIES_MAX	(4u << 20)	/* entries read per file */
#define BAD_LOGGED	10		/* bad entries logged one by one */
#define OPEN_MAX	4096		/* logins waiting for their end */
#define DIR_NAMES_MAX	1024		/* wtmp and btmp files in /var/log */
#define LASTLOG_UIDS	1000		/* UIDs read without /etc/passwd */

enum file_kind { WTMP, BTMP, UTMP };

static const char *const compressed[] = {
	".gz", ".xz", ".bz2", ".zst", ".lz4", ".Z", NULL
};

/* One utmp file being read. */
struct utmp_file {
	struct irk_collect *c;
	const char *path;
	enum file_kind kind;
	int layout;
	uint64_t bad;
	uint64_t records;		/* entries handed over */
	struct irk_strmap open;		/* tty -> json_t login record */
	size_t nopen;
};

static void
json_free(void *p)
{
	json_decref(p);
}

static json_t *
entry_record(struct utmp_file *u, const struct irk_utmp_ent *e,
    uint64_t off)
{
	char addr[64];
	json_t *rec = irk_record_new("login");

	if (rec == NULL)
		return NULL;
	irk_utmp_addr(e, addr, sizeof(addr));
	irk_json_set_str(rec, "kind", u->kind == BTMP ? "failed" :
	    irk_utmp_kind(e));
	irk_json_set_int(rec, "ut_type", e->type);
	irk_json_set_str(rec, "user", e->user[0] ? e->user : NULL);
	irk_json_set_str(rec, "tty", e->line[0] ? e->line : NULL);
	irk_json_set_str(rec, "ut_id", e->id[0] ? e->id : NULL);
	irk_json_set_str(rec, "host", e->host[0] ? e->host : NULL);
	irk_json_set_str(rec, "address", addr[0] ? addr : NULL);
	irk_json_set_int(rec, "pid", e->pid);
	irk_json_set_int(rec, "session", e->session);
	if (e->type == IRK_UT_DEAD_PROCESS) {
		irk_json_set_int(rec, "exit_termination", e->exit_termination);
		irk_json_set_int(rec, "exit_status", e->exit_status);
	}
	irk_json_set_time(rec, "time", e->time);
	irk_json_set_str(rec, "source", u->path);
	irk_json_set_int(rec, "offset", (int64_t)off);
	irk_json_set_str(rec, "layout", irk_utmp_layout_name(u->layout));
	return rec;
}

/* Give a waiting login its end and hand it over. */
static int
end_login(struct utmp_file *u, json_t *rec, int64_t end, const char *how)
{
	int64_t start;

	if (irk_time_parse(json_string_value(json_object_get(rec, "time")),
	    &start) == 0 && end != IRK_TIME_NONE) {
		irk_json_set_time(rec, "logout_time", end);
		irk_json_set_int(rec, "duration_us", end - start);
	} else {
		irk_json_set_time(rec, "logout_time", IRK_TIME_NONE);
		json_object_set_new(rec, "duration_us", json_null());
	}
	irk_json_set_str(rec, "session_end", how);
	return irk_collect_record(u->c, json_incref(rec));
}

/* Every waiting login ends (end IRK_TIME_NONE: the file ended). */
static int
end_all(struct utmp_file *u, int64_t end, const char *how)
{
	const char *key;
	void *v;
	size_t i = 0;
	int r = IRK_OK;

	if (u->nopen > 0)
		while (irk_strmap_next(&u->open, &i, &key, &v))
			if (v != NULL && end_login(u, v, end, how) == IRK_FATAL)
				r = IRK_FATAL;
	irk_strmap_release(&u->open);
	irk_strmap_init(&u->open, json_free);
	u->nopen = 0;
	return r;
}

/* The login waiting on tty ends at end. */
static int
end_tty(struct utmp_file *u, const char *tty, int64_t end)
{
	json_t *rec = irk_strmap_get(&u->open, tty);
	int r;

	if (rec == NULL)
		return IRK_OK;
	r = end_login(u, rec, end, "logout");
	(void)irk_strmap_put(&u->open, tty, NULL);
	u->nopen--;
	return r;
}

/* A wtmp entry: pair, then hand over (a login waits for its end). */
static int
wtmp_entry(struct utmp_file *u, const struct irk_utmp_ent *e, json_t *rec)
{
	const char *kind = irk_utmp_kind(e);
	int r = IRK_OK;

	if (strcmp(kind, "shutdown") == 0)
		r = end_all(u, e->time, "down");
	else if (strcmp(kind, "boot") == 0)
		r = end_all(u, e->time, "crash");
	else if ((e->type == IRK_UT_USER_PROCESS ||
	    e->type == IRK_UT_DEAD_PROCESS) && e->line[0] != '\0')
		r = end_tty(u, e->line, e->time);
	if (r == IRK_FATAL) {
		json_decref(rec);
		return r;
	}
	if (e->type != IRK_UT_USER_PROCESS || e->line[0] == '\0' ||
	    u->nopen >= OPEN_MAX)
		return irk_collect_record(u->c, rec);
	if (irk_strmap_put(&u->open, e->line, rec) != 0) {
		json_decref(rec);
		return IRK_FATAL;
	}
	u->nopen++;
	return IRK_OK;
}

static void
bad_entry(struct utmp_file *u, uint64_t off, const char *why)
{
	if (++u->bad <= BAD_LOGGED)
		irk_collect_log(u->c, IRK_LOG_WARN, u->path, 0,
		    "entry at offset %llu: %s: skipped",
		    (unsigned long long)off, why);
}

/* The entries of one chunk: IRK_OK or IRK_FATAL. */
static int
utmp_chunk(struct utmp_file *u, const unsigned char *buf, size_t n,
    uint64_t off)
{
	size_t size = irk_utmp_size(u->layout);
	struct irk_utmp_ent e;
	const char *why;
	json_t *rec;
	int r;

	for (size_t i = 0; i + size <= n; i += size) {
		if (irk_utmp_decode(buf + i, u->layout, &e, &why) != 0) {
			bad_entry(u, off + i, why);
			continue;
		}
		/* an empty slot (utmp's free entries, wtmp's padding) */
		if (e.type == IRK_UT_EMPTY)
			continue;
		if ((rec = entry_record(u, &e, off + i)) == NULL)
			return IRK_FATAL;
		u->records++;
		if (u->kind == WTMP)
			r = wtmp_entry(u, &e, rec);
		else
			r = irk_collect_record(u->c, rec);
		if (r == IRK_FATAL)
			return r;
	}
	return IRK_OK;
}

/* Read the entries of an open file; IRK_OK, IRK_WARN or IRK_FATAL. */
static int
utmp_read(struct utmp_file *u, struct irk_file *f, unsigned char *buf)
{
	uint64_t off = 0, entries = 0;
	size_t size = 0, want = CHUNK_ENTRIES * 400, have;
	ssize_t got = 0;
	int r = IRK_OK;

	for (;;) {
		have = 0;
		while (have < want && (got = irk_fs_pread(u->c->fs, f,
		    buf + have, want - have, off + have)) > 0)
			have += (size_t)got;
		if (have < want && got < 0) {
			irk_collect_log(u->c, IRK_LOG_ERROR, u->path, errno,
			    "read failed at offset %llu",
			    (unsigned long long)(off + have));
			r = IRK_WARN;
		}
		if (off == 0) {
			u->layout = irk_utmp_detect(buf, have);
			size = irk_utmp_size(u->layout);
			want = CHUNK_ENTRIES * size;
			if (have > want)
				have = want;
		}
		if (utmp_chunk(u, buf, have, off) == IRK_FATAL)
			return IRK_FATAL;
		entries += have / size;
		if (have % size != 0 && have < want) {
			irk_collect_log(u->c, IRK_LOG_WARN, u->path, 0,
			    "a partial entry of %zu bytes at offset %llu: "
			    "not read", have % size,
			    (unsigned long long)(off + have - have % size));
			r = IRK_WARN;
		}
		off += have - have % size;
		if (have < want || r != IRK_OK)
			break;
		if (entries >= ENTRIES_MAX) {
			irk_collect_log(u->c, IRK_LOG_WARN, u->path, 0,
			    "more than %u entries: the rest is not read",
			    ENTRIES_MAX);
			r = IRK_WARN;
			break;
		}
	}
	return r;
}

/* A login record file that is a link (to /dev/null: records not kept). */
static void
say_link(struct irk_collect *c, const char *path)
{
	struct irk_stat st;
	struct irk_err err;
	struct irk_buf b;

	if (c->fs->ops->stat(c->fs, path, 0, &st, &err) != IRK_OK ||
	    !S_ISLNK(st.mode))
		return;
	irk_buf_init(&b, 4096);
	if (c->fs->ops->readlink(c->fs, path, &b, &err) == IRK_OK)
		irk_collect_log(c, IRK_LOG_WARN, path, 0, "a link to '%s'%s",
		    b.data, strcmp(b.data, "/dev/null") == 0 ? ": login "
		    "records are thrown away" : "");
	irk_buf_release(&b);
}

/*
 * The file itself: its size and the entries it gave (an empty wtmp
 * beside a lastlog with entries is a finding: analyzer/records/
 * login_file.c).
 */
static int
file_record(struct utmp_file *u, struct irk_file *f)
{
	static const char *const kinds[] = { [WTMP] = "wtmp",
	    [BTMP] = "btmp", [UTMP] = "utmp" };
	struct irk_stat st;
	json_t *rec = irk_record_new("login_file");

	if (rec == NULL)
		return IRK_FATAL;
	irk_json_set_str(rec, "path", u->path);
	irk_json_set_str(rec, "kind", kinds[u->kind]);
	if (u->c->fs->ops->fstat(f, &st) == IRK_OK) {
		irk_json_set_int(rec, "size", (int64_t)st.size);
		irk_json_set_time(rec, "mtime", st.mtime);
	}
	irk_json_set_int(rec, "entries", (int64_t)u->records);
	return irk_collect_record(u->c, rec) == IRK_FATAL ? IRK_FATAL :
	    IRK_OK;
}

static int
utmp_file(struct irk_collect *c, const char *path, enum file_kind kind)
{
	struct utmp_file u;
	struct irk_file *f;
	struct irk_err err;
	unsigned char *buf;
	int r;

	say_link(c, path);
	if (irk_fs_open(c->fs, path, &f, &err) != IRK_OK) {
		if (err.errnum == ENOENT)
			return IRK_OK;
		irk_collect_log_err(c, IRK_LOG_ERROR, path, &err);
		return IRK_FAIL;
	}
	if ((buf = malloc(CHUNK_ENTRIES * 400)) == NULL) {
		irk_fs_close(c->fs, f);
		return IRK_FATAL;
	}
	memset(&u, 0, sizeof(u));
	u.c = c;
	u.path = path;
	u.kind = kind;
	irk_strmap_init(&u.open, json_free);
	r = utmp_read(&u, f, buf);
	if (r != IRK_FATAL && end_all(&u, IRK_TIME_NONE, NULL) == IRK_FATAL)
		r = IRK_FATAL;
	if (r != IRK_FATAL && file_record(&u, f) == IRK_FATAL)
		r = IRK_FATAL;
	irk_strmap_release(&u.open);
	free(buf);
	irk_fs_close(c->fs, f);
	if (u.bad > BAD_LOGGED)
		irk_collect_log(c, IRK_LOG_WARN, path, 0,
		    "%llu entries not sound: skipped",
		    (unsigned long long)u.bad);
	if (r == IRK_OK && u.bad > 0)
		r = IRK_WARN;
	return r;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in /var/log starting with prefix, sorted (*out: freed). */
static int
log_names(struct irk_collect *c, const char *prefix, char ***out,
    size_t *n)
{
	struct irk_dir *d;
	struct irk_dirent de;
	struct irk_err err;
	char **names;
	int r;

	*out = NULL;
	*n = 0;
	if (c->fs->ops->opendir(c->fs, "/var/log", &d, &err) != IRK_OK) {
		if (err.errnum == ENOENT)
			return IRK_OK;
		irk_collect_log_err(c, IRK_LOG_ERROR, "/var/log", &err);
		return IRK_FAIL;
	}
	if ((names = calloc(DIR_NAMES_MAX, sizeof(*names))) == NULL) {
		c->fs->ops->closedir(d);
		return IRK_FATAL;
	}
	while ((r = c->fs->ops->readdir(d, &de)) == 1 && *n < DIR_NAMES_MAX)
		if (strncmp(de.name, prefix, strlen(prefix)) == 0 &&
		    (names[*n] = strdup(de.name)) != NULL)
			(*n)++;
	c->fs->ops->closedir(d);
	qsort(names, *n, sizeof(*names), name_cmp);
	*out = names;
	return r < 0 ? IRK_WARN : IRK_OK;
}

static int
is_compressed(const char *name)
{
	for (int i = 0; compressed[i] != NULL; i++)
		if (irk_has_suffix(name, compressed[i]))
			return 1;
	return 0;
}

/* /var/log/wtmp* or /var/log/btmp*. */
static int
log_files(struct irk_collect *c, const char *prefix, enum file_kind kind)
{
	char **names, path[300];
	size_t n;
	int r = log_names(c, prefix, &names, &n);

	for (size_t i = 0; i < n && r != IRK_FATAL; i++) {
		if (irk_path_join(path, sizeof(path), "/var/log",
		    names[i]) != IRK_OK)
			continue;
		if (is_compressed(names[i]))
			irk_collect_log(c, IRK_LOG_INFO, path, 0,
			    "compressed: not read");
		else
			r = irk_worst(r, utmp_file(c, path, kind));
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return r;
}

/* /run/utmp, and /var/run/utmp when it is another file. */
static int
utmp_files(struct irk_collect *c)
{
	struct irk_stat a, b;
	struct irk_err err;
	int r = utmp_file(c, "/run/utmp", UTMP);

	if (c->fs->ops->stat(c->fs, "/var/run/utmp", 1, &b, &err) != IRK_OK)
		return r;
	if (c->fs->ops->stat(c->fs, "/run/utmp", 1, &a, &err) == IRK_OK &&
	    a.dev == b.dev && a.ino == b.ino)
		return r;
	return irk_worst(r, utmp_file(c, "/var/run/utmp", UTMP));
}

/* One UID's lastlog entry: IRK_OK (also when never), IRK_FAIL, FATAL. */
static int
lastlog_uid(struct irk_collect *c, struct irk_file *f, uint32_t uid,
    const char *user)
{
	unsigned char rec[IRK_LASTLOG_SIZE];
	uint64_t off = (uint64_t)uid * IRK_LASTLOG_SIZE;
	struct irk_lastlog_ent e;
	ssize_t got;
	json_t *j;

	got = irk_fs_pread(c->fs, f, rec, sizeof(rec), off);
	if (got < 0) {
		irk_collect_log(c, IRK_LOG_ERROR, "/var/log/lastlog", errno,
		    "read failed at offset %llu", (unsigned long long)off);
		return IRK_FAIL;
	}
	if ((size_t)got < sizeof(rec))
		return IRK_OK;
	if (irk_lastlog_decode(rec, &e) != 0) {
		irk_collect_log(c, IRK_LOG_WARN, "/var/log/lastlog", 0,
		    "entry at offset %llu: time out of range: skipped",
		    (unsigned long long)off);
		return IRK_FAIL;
	}
	if (e.time == 0)
		return IRK_OK;
	if ((j = irk_record_new("login")) == NULL)
		return IRK_FATAL;
	irk_json_set_str(j, "kind", "lastlog");
	irk_json_set_int(j, "uid", uid);
	irk_json_set_str(j, "user", user);
	irk_json_set_str(j, "tty", e.line[0] ? e.line : NULL);
	irk_json_set_str(j, "host", e.host[0] ? e.host : NULL);
	irk_json_set_time(j, "time", e.time);
	irk_json_set_str(j, "source", "/var/log/lastlog");
	irk_json_set_int(j, "offset", (int64_t)off);
	return irk_collect_record(c, j) == IRK_FATAL ? IRK_FATAL : IRK_OK;
}

static int
lastlog(struct irk_collect *c)
{
	const struct irk_users *users;
	struct irk_file *f;
	struct irk_err err;
	int r = IRK_OK, one;

	if (irk_fs_open(c->fs, "/var/log/lastlog", &f, &err) != IRK_OK) {
		if (err.errnum == ENOENT)
			return IRK_OK;
		irk_collect_log_err(c, IRK_LOG_ERROR, "/var/log/lastlog",
		    &err);
		return IRK_FAIL;
	}
	users = irk_collect_users(c);
	if (users->nusers > 0) {
		for (size_t i = 0; i < users->nusers && r != IRK_FATAL; i++) {
			one = lastlog_uid(c, f, users->users[i].uid,
			    users->users[i].name);
			r = irk_worst(r, one == IRK_FAIL ? IRK_WARN : one);
		}
	} else {
		irk_collect_log(c, IRK_LOG_INFO, "/var/log/lastlog", 0,
		    "no accounts in /etc/passwd: UIDs below %u read",
		    LASTLOG_UIDS);
		for (uint32_t uid = 0; uid < LASTLOG_UIDS && r != IRK_FATAL;
		    uid++) {
			one = lastlog_uid(c, f, uid, NULL);
			r = irk_worst(r, one == IRK_FAIL ? IRK_WARN : one);
		}
	}
	irk_fs_close(c->fs, f);
	return r;
}

static int
collect_logins(struct irk_collect *c)
{
	int r = log_files(c, "wtmp", WTMP);

	if (r != IRK_FATAL)
		r = irk_worst(r, log_files(c, "btmp", BTMP));
	if (r != IRK_FATAL)
		r = irk_worst(r, utmp_files(c));
	if (r != IRK_FATAL)
		r = irk_worst(r, lastlog(c));
	if (r != IRK_FATAL)
		r = irk_worst(r, irk_logins_databases(c));
	return c->fatal ? IRK_FATAL : r;
}

const struct irk_collector irk_collector_logins = {
	"logins", "logins, logouts, boots and failed logins (wtmp, btmp, "
	"utmp, lastlog)", IRK_SRC_LIVE | IRK_SRC_LINUX_ROOT, collect_logins,
};
