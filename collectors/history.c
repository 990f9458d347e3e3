/*
 * history.c - the history collector: the shell and tool histories of
 * every home (the root's /etc/passwd, and /root), one history_command
 * record per command and one history_file record per file
 * (docs/FORMAT.md 4.5).  The formats are parsed by history_parse.c.
 *
 * Bounded: at most HOMES_MAX homes, HIST_READ_MAX bytes of a file (the
 * rest is said in the log and in the file's record) and
 * IRK_HIST_ENTRY_MAX bytes of a command (a longer line is cut, flagged
 * and logged, never held whole).  A history that is a link is read
 * where it leads inside the root; one that leads to /dev/null (or is a
 * device) is recorded as such and not read: history was disabled.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "history_parse.h"
#include "irkit/collect.h"
#include "irkit/json.h"
#include "irkit/banned.h"

#define HOMES_MAX	4096
#define HIST_READ_MAX	(64u << 20)
#define HIST_CHUNK	(64u << 10)
#define CUT_LOGGED	3	/* cut lines logged one by one, per file */
#define TIME_MAX	253402300799LL	/* 9999-12-31T23:59:59Z */

struct hist_kind {
	const char *rel;		/* under the home */
	const char *shell;
	enum irk_hist_format format;
};

static const struct hist_kind kinds[] = {
	{ ".bash_history", "bash", IRK_HIST_BASH },
	{ ".zsh_history", "zsh", IRK_HIST_ZSH },
	{ ".local/share/fish/fish_history", "fish", IRK_HIST_FISH },
	{ ".python_history", "python", IRK_HIST_PLAIN },
	{ ".mysql_history", "mysql", IRK_HIST_PLAIN },
	{ ".psql_history", "psql", IRK_HIST_PSQL },
	{ ".lesshst", "less", IRK_HIST_LESS },
};

/* One history file being read. */
struct hist_file {
	struct irk_collect *c;
	const char *user;
	const char *shell;
	const char *path;
	struct irk_stat st;
	uint64_t entries;
	uint64_t cut;
	uint64_t bytes_read;
	int left_out;		/* the read bound was reached */
};

static const char *
file_type(uint32_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG:
		return "file";
	case S_IFLNK:
		return "link";
	case S_IFCHR:
		return "char";
	case S_IFDIR:
		return "dir";
	default:
		return "other";
	}
}

/* One command out (the parser's callback). */
static int
command_record(void *arg, const struct irk_hist_entry *e)
{
	struct hist_file *h = arg;
	json_t *rec;
	int recorded = e->time != IRK_HIST_NOTIME && e->time >= 0 &&
	    e->time <= TIME_MAX;

	if ((rec = irk_record_new("history_command")) == NULL)
		return IRK_FATAL;
	h->entries++;
	irk_json_set_str(rec, "user", h->user);
	irk_json_set_str(rec, "shell", h->shell);
	irk_json_set_str(rec, "path", h->path);
	irk_json_set_int(rec, "order", (int64_t)h->entries);
	irk_json_set_int(rec, "line", (int64_t)e->line);
	irk_json_set_strn(rec, "command", e->cmd, e->len);
	if (recorded) {
		irk_json_set_time(rec, "time", e->time * 1000000);
		irk_json_set_str(rec, "time_source", "recorded");
	} else {
		/* the file's last change is the only time there is */
		json_object_set_new(rec, "time", json_null());
		irk_json_set_str(rec, "time_source", "file-mtime");
		irk_json_set_time(rec, "file_mtime", h->st.mtime);
	}
	if (e->duration >= 0)
		irk_json_set_int(rec, "duration", e->duration);
	irk_json_set_bool(rec, "cut", e->cut);
	if (e->section != NULL)
		irk_json_set_str(rec, "section", e->section);
	if (e->cut && ++h->cut <= CUT_LOGGED)
		irk_collect_log(h->c, IRK_LOG_WARN, h->path, 0,
		    "line %llu longer than %u bytes: cut",
		    (unsigned long long)e->line, IRK_HIST_ENTRY_MAX);
	return irk_collect_record(h->c, rec) == IRK_FATAL ? IRK_FATAL :
	    IRK_OK;
}

/* One line to the parser: "" for an empty one. */
static int
give_line(struct irk_hist_parser *p, struct irk_buf *line, int cut)
{
	int r = irk_hist_line(p, line->len > 0 ? line->data : "", line->len,
	    cut);

	irk_buf_reset(line);
	return r;
}

/* Split a chunk into lines; a line past its bound is cut. */
static int
chunk_lines(struct irk_hist_parser *p, struct irk_buf *line, int *cut,
    const char *chunk, size_t n)
{
	size_t i = 0;
	int r = IRK_OK;

	while (i < n && r == IRK_OK) {
		const char *nl = memchr(chunk + i, '\n', n - i);
		size_t seg = nl != NULL ? (size_t)(nl - chunk - i) : n - i;
		size_t room = line->max - line->len;

		if (seg > room)
			*cut = 1;
		if (irk_buf_add(line, chunk + i, seg > room ? room : seg) !=
		    IRK_OK)
			*cut = 1;
		i += seg;
		if (nl == NULL)
			break;
		i++;
		r = give_line(p, line, *cut);
		*cut = 0;
	}
	return r;
}

/* Read the open file through the parser, HIST_READ_MAX bytes at most. */
static int
read_history(struct hist_file *h, struct irk_file *f,
    struct irk_hist_parser *p)
{
	struct irk_fs *fs = h->c->fs;
	struct irk_buf line;
	char *chunk;
	int cut = 0, r = IRK_OK;
	ssize_t n;

	if ((chunk = malloc(HIST_CHUNK)) == NULL)
		return IRK_FATAL;
	irk_buf_init(&line, IRK_HIST_ENTRY_MAX);
	for (;;) {
		size_t want = HIST_CHUNK;

		if (h->bytes_read >= HIST_READ_MAX) {
			h->left_out = 1;
			break;
		}
		if (want > HIST_READ_MAX - h->bytes_read)
			want = HIST_READ_MAX - h->bytes_read;
		n = irk_fs_pread(fs, f, chunk, want, h->bytes_read);
		if (n < 0) {
			irk_collect_log(h->c, IRK_LOG_ERROR, h->path, errno,
			    "cannot read");
			r = IRK_FAIL;
			break;
		}
		if (n == 0)
			break;
		h->bytes_read += (uint64_t)n;
		if ((r = chunk_lines(p, &line, &cut, chunk, (size_t)n)) !=
		    IRK_OK)
			break;
	}
	/* the last line, without a newline (cut when the bound stopped it) */
	if (r == IRK_OK && (line.len > 0 || cut))
		r = give_line(p, &line, cut || h->left_out);
	if (r == IRK_OK)
		r = irk_hist_end(p);
	irk_buf_release(&line);
	free(chunk);
	return r;
}

static int
file_record(struct hist_file *h, const char *home, const char *target)
{
	json_t *rec;

	if ((rec = irk_record_new("history_file")) == NULL)
		return IRK_FATAL;
	irk_json_set_str(rec, "user", h->user);
	irk_json_set_str(rec, "home", home);
	irk_json_set_str(rec, "shell", h->shell);
	irk_json_set_str(rec, "path", h->path);
	irk_json_set_str(rec, "file_type", file_type(h->st.mode));
	irk_json_set_str(rec, "link_target", target);
	irk_json_set_int(rec, "size", (int64_t)h->st.size);
	irk_json_set_time(rec, "mtime", h->st.mtime);
	irk_json_set_int(rec, "entries", (int64_t)h->entries);
	irk_json_set_int(rec, "entries_cut", (int64_t)h->cut);
	irk_json_set_int(rec, "bytes_read", (int64_t)h->bytes_read);
	irk_json_set_int(rec, "bytes_left", h->left_out &&
	    h->st.size > h->bytes_read ? (int64_t)(h->st.size - h->bytes_read) :
	    0);
	return irk_collect_record(h->c, rec) == IRK_FATAL ? IRK_FATAL :
	    IRK_OK;
}

/* Parse a regular history file (its record comes after). */
static int
parse_file(struct hist_file *h, const struct hist_kind *k)
{
	struct irk_hist_parser p;
	struct irk_file *f;
	struct irk_err err;
	int r;

	if (irk_fs_open(h->c->fs, h->path, &f, &err) != IRK_OK) {
		irk_collect_log_err(h->c, IRK_LOG_ERROR, h->path, &err);
		return IRK_FAIL;
	}
	if (h->c->fs->ops->fstat(f, &h->st) != IRK_OK) {
		irk_collect_log(h->c, IRK_LOG_ERROR, h->path, errno,
		    "cannot stat");
		irk_fs_close(h->c->fs, f);
		return IRK_FAIL;
	}
	irk_hist_init(&p, k->format, command_record, h);
	r = read_history(h, f, &p);
	irk_hist_release(&p);
	irk_fs_close(h->c->fs, f);
	if (h->cut > CUT_LOGGED)
		irk_collect_log(h->c, IRK_LOG_WARN, h->path, 0,
		    "%llu line(s) longer than %u bytes cut in all",
		    (unsigned long long)h->cut, IRK_HIST_ENTRY_MAX);
	if (h->left_out) {
		irk_collect_log(h->c, IRK_LOG_WARN, h->path, 0,
		    "only the first %u bytes read: %llu byte(s) left out",
		    HIST_READ_MAX, (unsigned long long)(h->st.size >
		    h->bytes_read ? h->st.size - h->bytes_read : 0));
		r = irk_worst(r, IRK_WARN);
	}
	if (h->cut > 0)
		r = irk_worst(r, IRK_WARN);
	return r;
}

/* A link's target as stored, into target (empty when unreadable). */
static void
link_target(struct hist_file *h, char *target, size_t len)
{
	struct irk_buf b;
	struct irk_err err;

	target[0] = '\0';
	irk_buf_init(&b, 4096);
	if (h->c->fs->ops->readlink(h->c->fs, h->path, &b, &err) == IRK_OK)
		(void)snprintf(target, len, "%s", b.data);
	irk_buf_release(&b);
}

/* One history file of a home, if it is there. */
static int
one_file(struct irk_collect *c, const char *home, const char *user,
    const struct hist_kind *k)
{
	struct hist_file h;
	struct irk_stat to;
	struct irk_err err;
	char path[4096], target[4096];
	int r = IRK_OK, reg;

	memset(&h, 0, sizeof(h));
	if (irk_path_join(path, sizeof(path), home, k->rel) != IRK_OK)
		return IRK_OK;
	if (c->fs->ops->stat(c->fs, path, 0, &h.st, &err) != IRK_OK) {
		if (err.errnum == ENOENT || err.errnum == ENOTDIR)
			return IRK_OK;
		irk_collect_log_err(c, IRK_LOG_ERROR, path, &err);
		return IRK_FAIL;
	}
	h.c = c;
	h.user = user;
	h.shell = k->shell;
	h.path = path;
	target[0] = '\0';
	if (S_ISLNK(h.st.mode))
		link_target(&h, target, sizeof(target));
	/* where a link leads: read only a regular file, never /dev/null */
	reg = S_ISREG(h.st.mode) || (S_ISLNK(h.st.mode) &&
	    strcmp(target, "/dev/null") != 0 &&
	    c->fs->ops->stat(c->fs, path, 1, &to, &err) == IRK_OK &&
	    S_ISREG(to.mode));
	if (reg)
		r = parse_file(&h, k);
	if (r == IRK_FATAL || c->fatal)
		return IRK_FATAL;
	if (!reg)
		irk_collect_log(c, IRK_LOG_INFO, path, 0, "not a file%s%s: "
		    "not read", target[0] ? " but a link to " : "", target);
	return irk_worst(r, file_record(&h, home, target[0] ? target : NULL));
}

struct home {
	const char *home;
	const char *user;
};

/* The homes to look in: /root, then each passwd home once. */
static size_t
homes(struct irk_collect *c, struct home *out, size_t max)
{
	const struct irk_users *u = irk_collect_users(c);
	size_t n = 0, skipped = 0;
	const char *root = irk_users_name(u, 0);

	out[n].home = "/root";
	out[n++].user = root != NULL ? root : "root";
	for (size_t i = 0; i < u->nusers; i++) {
		const char *h = u->users[i].home;
		size_t j;

		if (h == NULL || h[0] != '/')
			continue;
		for (j = 0; j < n && strcmp(out[j].home, h) != 0; j++)
			;
		if (j < n)
			continue;
		if (n == max) {
			skipped++;
			continue;
		}
		out[n].home = h;
		out[n++].user = u->users[i].name;
	}
	if (skipped > 0)
		irk_collect_log(c, IRK_LOG_WARN, "/etc/passwd", 0,
		    "more than %zu homes: %zu left out", max, skipped);
	return n;
}

static int
collect_history(struct irk_collect *c)
{
	struct home *list;
	size_t n;
	int r = IRK_OK;

	if ((list = calloc(HOMES_MAX, sizeof(*list))) == NULL)
		return IRK_FAIL;
	n = homes(c, list, HOMES_MAX);
	for (size_t i = 0; i < n && !c->fatal; i++)
		for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]) &&
		    !c->fatal; k++)
			r = irk_worst(r, one_file(c, list[i].home,
			    list[i].user, &kinds[k]));
	free(list);
	return c->fatal ? IRK_FATAL : r;
}

const struct irk_collector irk_collector_history = {
	"history", "shell and tool histories of every home",
	IRK_SRC_LIVE | IRK_SRC_LINUX_ROOT, collect_history,
};
