/*
 * journal.c - the journal collector of irkit-analyze: every systemd
 * journal file of a root (irk_journal_list: /var/log/journal,
 * /run/log/journal) read with libsystemd, one journal_entry record per
 * entry and one journal_file record per file (docs/journal.md).
 *
 * A file is read through c->fs (an image volume, the copied files of a
 * collection) into a file on a tmpfs (memory; unlinked as soon as
 * libsystemd has it open) when it is at most MEM_MAX bytes, else into a
 * private file on disk (tmpcopy.h: page cache, not memory; also
 * unlinked once open), and opened alone, so a 4 GB journal folder is read
 * in bounded memory; at most FILE_MAX bytes of a file (the rest of a
 * larger file is not read, said in the log).  Each file is read for at most ENTRIES_MAX entries and TIME_MAX
 * of time.  Damage is logged with the file and what, and the rest of the
 * file read (journal_read.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "journal_read.h"
#include "logs_common.h"
#include "tmpcopy.h"
#include "irkit/collect.h"
#include "irkit/journal_files.h"
#include "irkit/json.h"
#include "irkit/parse.h"
#include "irkit/banned.h"

#define FILE_MAX	(1ull << 30)	/* bytes read of one file */
#define ENTRIES_MAX	10000000ull	/* entries of one file */
#define TIME_MAX	(600ll * 1000000)	/* µs for one file */
#define MEM_MAX		(64ull << 20)	/* bytes of a copy in memory */

/* The record keys of the fields read (journal_read.h's order). */
static const char *const keys[IRK_JF_N] = {
	[IRK_JF_HOSTNAME] = "hostname",
	[IRK_JF_UNIT] = "unit",
	[IRK_JF_USER_UNIT] = "user_unit",
	[IRK_JF_IDENTIFIER] = "identifier",
	[IRK_JF_PID] = "pid",
	[IRK_JF_UID] = "uid",
	[IRK_JF_GID] = "gid",
	[IRK_JF_COMM] = "comm",
	[IRK_JF_EXE] = "exe",
	[IRK_JF_CMDLINE] = "cmdline",
	[IRK_JF_PRIORITY] = "priority",
	[IRK_JF_TRANSPORT] = "transport",
	[IRK_JF_MESSAGE] = "message",
};

struct jfile_read {
	struct irk_collect *c;
	const char *path;
};

/* A number field as an integer; text that is no number stays text. */
static void
set_number(json_t *rec, const char *key, const struct irk_jvalue *v)
{
	uint64_t n;

	if (irk_parse_u64n(v->data, v->len, 10, INT64_MAX, &n) == 0)
		irk_json_set_int(rec, key, (int64_t)n);
	else
		irk_json_set_strn(rec, key, v->data, v->len);
}

/*
 * The message typed as a syslog line's (logmsg.c), its identifier (or
 * comm) as the program: the same sshd login has the same fields from
 * auth.log and from the journal.
 */
static void
set_typed(json_t *rec, const struct irk_jentry *e)
{
	const struct irk_jvalue *prog = &e->f[IRK_JF_IDENTIFIER];
	const struct irk_jvalue *msg = &e->f[IRK_JF_MESSAGE];
	struct irk_logmsg m;

	if (prog->data == NULL)
		prog = &e->f[IRK_JF_COMM];
	if (prog->data == NULL || msg->data == NULL)
		return;
	if (irk_logmsg_classify(prog->data, prog->len, msg->data, msg->len,
	    &m))
		irk_logmsg_json(rec, &m, "account_uid", "target_unit");
}

static int
entry_record(void *arg, const struct irk_jentry *e)
{
	struct jfile_read *jf = arg;
	json_t *rec;

	if ((rec = irk_record_new("journal_entry")) == NULL)
		return IRK_FATAL;
	irk_json_set_time(rec, "time", e->realtime);
	irk_json_set_str(rec, "ts_how", "utc");
	irk_json_set_int(rec, "monotonic_us", e->monotonic);
	irk_json_set_str(rec, "boot_id", e->boot_id);
	for (int i = 0; i < IRK_JF_N; i++) {
		const struct irk_jvalue *v = &e->f[i];

		if (v->data == NULL)
			continue;
		if (i == IRK_JF_PID || i == IRK_JF_UID || i == IRK_JF_GID ||
		    i == IRK_JF_PRIORITY)
			set_number(rec, keys[i], v);
		else
			irk_json_set_strn(rec, keys[i], v->data, v->len);
	}
	if (e->f[IRK_JF_MESSAGE].cut)
		irk_json_set_bool(rec, "message_cut", 1);
	set_typed(rec, e);
	irk_json_set_int(rec, "fields", (int64_t)e->nfields);
	irk_json_set_str(rec, "cursor", e->cursor);
	irk_json_set_str(rec, "path", jf->path);
	return irk_collect_record(jf->c, rec) == IRK_FATAL ? IRK_FATAL :
	    IRK_OK;
}

/* Where a journal file is copied to be read. */
struct jcopy {
	int fd;
	uint64_t size;			/* bytes copied */
	char dir[PATH_MAX];		/* a private folder on disk, or "" */
	char name[PATH_MAX + 16];	/* its name until libsystemd has it */
};

/* The bound of an in-memory copy: IRKIT_JOURNAL_MEM_MAX (bytes, for the
 * tests) or MEM_MAX. */
static uint64_t
mem_max(void)
{
	const char *v = getenv("IRKIT_JOURNAL_MEM_MAX");
	uint64_t n;

	if (v != NULL && irk_parse_u64n(v, strlen(v), 10, UINT64_MAX, &n) == 0)
		return n;
	return MEM_MAX;
}

/*
 * A file on disk for a copy above the memory bound: filled unnamed
 * (O_TMPFILE), named in a private folder only once full (to_disk_name),
 * or, without O_TMPFILE, named in the folder from the start.
 */
static int
to_disk_open(struct jcopy *j, struct irk_err *err)
{
	if ((j->fd = irk_tmp_unnamed(err)) >= 0)
		return IRK_OK;
	if (irk_tmp_dir_new(j->dir, "irkit-journal", err) != IRK_OK)
		return IRK_FAIL;
	if ((j->fd = irk_tmp_create(j->dir, "journal", err)) < 0)
		return IRK_FAIL;
	(void)snprintf(j->name, sizeof(j->name), "%s/journal", j->dir);
	return IRK_OK;
}

static int
to_disk_name(struct jcopy *j, struct irk_err *err)
{
	if (j->name[0] != '\0')
		return IRK_OK;
	if (irk_tmp_dir_new(j->dir, "irkit-journal", err) != IRK_OK ||
	    irk_tmp_link(j->fd, j->dir, "journal", err) != IRK_OK)
		return IRK_FAIL;
	(void)snprintf(j->name, sizeof(j->name), "%s/journal", j->dir);
	return IRK_OK;
}

/* Undo a copy not handed to the reader. */
static void
copy_drop(struct jcopy *j)
{
	if (j->fd >= 0)
		(void)close(j->fd);
	j->fd = -1;
	if (j->dir[0] == '\0' && j->name[0] != '\0')
		(void)unlink(j->name);
	irk_tmp_dir_remove(j->dir);
	j->name[0] = '\0';
}

/*
 * The file's bytes (at most FILE_MAX) copied to be read: into a file in
 * memory (a tmpfs) up to the memory bound, above it into a file on disk
 * (tmpcopy.h), so that a large file costs page cache, not memory.
 * IRK_OK, or IRK_FAIL logged (nothing left behind).
 */
static int
copy_file(struct irk_collect *c, const char *path, struct jcopy *j)
{
	struct irk_stat st;
	struct irk_err err;
	char mname[IRK_JTMP_NAME];
	uint64_t want;
	int r;

	memset(j, 0, sizeof(*j));
	j->fd = -1;
	if (c->fs->ops->stat(c->fs, path, 1, &st, &err) != IRK_OK) {
		irk_collect_log_err(c, IRK_LOG_ERROR, path, &err);
		return IRK_FAIL;
	}
	want = st.size > FILE_MAX ? FILE_MAX : st.size;
	if (st.size > FILE_MAX)
		irk_collect_log(c, IRK_LOG_WARN, path, 0, "larger than %llu "
		    "bytes: only the first %llu are read",
		    (unsigned long long)FILE_MAX, (unsigned long long)FILE_MAX);
	if (want <= mem_max()) {
		if ((j->fd = irk_journal_tmpfile(mname, &err)) >= 0)
			(void)snprintf(j->name, sizeof(j->name), "%s", mname);
		r = j->fd >= 0 ? IRK_OK : IRK_FAIL;
	} else
		r = to_disk_open(j, &err);
	if (r != IRK_OK) {
		irk_collect_log_err(c, IRK_LOG_ERROR, path, &err);
		copy_drop(j);
		return IRK_FAIL;
	}
	r = irk_tmp_copy(c, path, j->fd, want, &j->size);
	if (r == IRK_OK && want > mem_max() && to_disk_name(j, &err) !=
	    IRK_OK) {
		irk_collect_log_err(c, IRK_LOG_ERROR, path, &err);
		r = IRK_FAIL;
	}
	if (r != IRK_OK)
		copy_drop(j);
	return r;
}

/* The journal_file record of a file read. */
static int
file_record(struct irk_collect *c, const char *path,
    const struct irk_jread_stats *st)
{
	json_t *rec = irk_record_new("journal_file");

	if (rec == NULL)
		return IRK_FATAL;
	irk_json_set_str(rec, "path", path);
	irk_json_set_str(rec, "file_id", st->file_id);
	irk_json_set_str(rec, "seqnum_id", st->seqnum_id);
	irk_json_set_str(rec, "state", st->state);
	irk_json_set_int(rec, "size", (int64_t)st->size);
	irk_json_set_int(rec, "declared_size", (int64_t)st->declared);
	irk_json_set_bool(rec, "truncated", st->padded);
	irk_json_set_int(rec, "header_entries", (int64_t)st->header_entries);
	irk_json_set_int(rec, "entries", (int64_t)st->entries);
	irk_json_set_int(rec, "unreadable", (int64_t)st->unreadable);
	irk_json_set_int(rec, "out_of_order", (int64_t)st->out_of_order);
	irk_json_set_time(rec, "first", st->first == INT64_MIN ?
	    IRK_TIME_NONE : st->first);
	irk_json_set_time(rec, "last", st->last == INT64_MIN ?
	    IRK_TIME_NONE : st->last);
	irk_json_set_str(rec, "cut", st->cut);
	irk_json_set_str(rec, "error", st->error[0] ? st->error : NULL);
	return irk_collect_record(c, rec) == IRK_FATAL ? IRK_FATAL : IRK_OK;
}

/* Say what of a file read was damaged, cut or left out. */
static int
log_damage(struct irk_collect *c, const char *path,
    const struct irk_jread_stats *st)
{
	int r = IRK_OK;

	if (st->padded) {
		irk_collect_log(c, IRK_LOG_WARN, path, 0, "cut short: %llu of "
		    "the %llu bytes its header declares (read up to the cut)",
		    (unsigned long long)st->size,
		    (unsigned long long)st->declared);
		r = IRK_WARN;
	}
	if (st->unreadable > 0 || st->error[0]) {
		irk_collect_log(c, IRK_LOG_WARN, path, 0, "damaged: %llu of "
		    "the %llu entries its header counts cannot be read, %llu "
		    "read%s%s", (unsigned long long)st->unreadable,
		    (unsigned long long)st->header_entries,
		    (unsigned long long)st->entries, st->error[0] ? ": " : "",
		    st->error);
		r = IRK_WARN;
	}
	if (st->cut != NULL) {
		irk_collect_log(c, IRK_LOG_WARN, path, 0, "%s limit reached "
		    "after %llu entries: the rest is not read", st->cut,
		    (unsigned long long)st->entries);
		r = IRK_WARN;
	}
	return r;
}

static int
read_file(struct irk_collect *c, const char *path)
{
	struct irk_jread_limits lim = { ENTRIES_MAX, TIME_MAX };
	struct irk_jread_stats st;
	struct jfile_read jf = { c, path };
	struct irk_err err;
	struct jcopy j;
	int r;

	if (copy_file(c, path, &j) != IRK_OK)
		return IRK_FAIL;
	irk_err_clear(&err);
	/* the fd is the reader's now, its name unlinked there */
	r = irk_journal_read_fd(j.fd, j.name, j.size, &lim, entry_record, &jf,
	    &st, &err);
	irk_tmp_dir_remove(j.dir);
	if (r == IRK_FATAL)
		return r;
	if (r != IRK_OK) {
		irk_collect_log_err(c, IRK_LOG_ERROR, path, &err);
		return IRK_FAIL;
	}
	r = log_damage(c, path, &st);
	return irk_worst(r, file_record(c, path, &st));
}

static int
collect_journal(struct irk_collect *c)
{
	struct irk_jfiles l;
	int r = IRK_OK;

	memset(&l, 0, sizeof(l));
	for (size_t i = 0; irk_journal_sources[i] != NULL && r != IRK_FATAL;
	    i++)
		r = irk_worst(r, irk_journal_list(c, irk_journal_sources[i],
		    &l));
	for (size_t i = 0; i < l.n && r != IRK_FATAL && !c->fatal; i++)
		r = irk_worst(r, read_file(c, l.v[i].path));
	irk_journal_files_free(&l);
	return c->fatal ? IRK_FATAL : r;
}

const struct irk_collector irk_collector_journal = {
	"journal", "systemd journal entries (read with libsystemd)",
	IRK_SRC_LINUX_ROOT | IRK_SRC_COPIED, collect_journal
};
