/*
 * win_psreadline.c - the PowerShell command histories PSReadLine keeps
 * for each user: every *_history.txt (ConsoleHost_history.txt and those
 * of other hosts) under AppData/Roaming/Microsoft/Windows/PowerShell/
 * PSReadLine of each user folder.  One record "psreadline" per command
 * with the number of its first line; a command PSReadLine wrote on
 * several lines (each but the last ending in a backquote) is one.
 * Bounded: the file's size, the lines read, the length of a command
 * (docs/windows-artifacts.md).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <jansson.h>

#include "image.h"
#include "win_art.h"
#include "irkit/json.h"
#include "irkit/banned.h"

#define PSR_DIR		"AppData/Roaming/Microsoft/Windows/PowerShell/" \
	"PSReadLine"
#define PSR_SUFFIX	"_history.txt"
#define PSR_FILE_MAX	(64U << 20)
#define PSR_LINES_MAX	1000000
#define PSR_CMD_MAX	(64U << 10)

struct psr_ctx {
	struct irk_collect *c;
	const struct irk_win_user *u;
	const char *path;
	int64_t mtime;
	size_t ncmd;
};

static int
psr_emit(struct psr_ctx *x, const char *cmd, size_t len, size_t line,
    int cut)
{
	json_t *rec = irk_record_new("psreadline");
	const char *base = strrchr(x->path, '/');

	if (rec == NULL)
		return IRK_FATAL;
	base = base != NULL ? base + 1 : x->path;
	irk_win_set_user(rec, x->u);
	irk_json_set_str(rec, "path", x->path);
	irk_json_set_strn(rec, "host", base, strlen(base) -
	    strlen(PSR_SUFFIX));
	irk_json_set_int(rec, "line", (int64_t)line);
	irk_json_set_int(rec, "entry", (int64_t)++x->ncmd);
	irk_json_set_strn(rec, "command", cmd, len);
	if (cut)
		irk_json_set_bool(rec, "cut", 1);
	irk_json_set_time(rec, "file_mtime", x->mtime);
	return irk_collect_record(x->c, rec) == IRK_FATAL ? IRK_FATAL : IRK_OK;
}

/* Add what fits of n bytes to a command of PSR_CMD_MAX; *cut when not all. */
static void
add_cut(struct irk_buf *cmd, const char *p, size_t n, int *cut)
{
	size_t room = PSR_CMD_MAX - 1 - cmd->len;

	if (*cut)
		return;
	if (n > room) {
		n = room;
		*cut = 1;
	}
	if (irk_buf_add(cmd, p, n) != IRK_OK)
		*cut = 1;
}

/*
 * The commands of a history's bytes.  A line ending in '`' goes on in
 * the next.  IRK_OK, IRK_WARN (lines past the bound), IRK_FATAL.
 */
static int
psr_parse(struct psr_ctx *x, const char *b, size_t len)
{
	struct irk_buf cmd;
	size_t at = 0, line = 0, first = 0;
	int cut = 0, r = IRK_OK;

	if (len >= 3 && memcmp(b, "\xef\xbb\xbf", 3) == 0)
		at = 3;
	irk_buf_init(&cmd, PSR_CMD_MAX);
	while (at < len && r != IRK_FATAL) {
		const char *nl = memchr(b + at, '\n', len - at);
		size_t raw = nl != NULL ? (size_t)(nl - (b + at)) : len - at;
		size_t n = raw;
		int more;

		if (++line > PSR_LINES_MAX) {
			irk_collect_log(x->c, IRK_LOG_WARN, x->path, 0,
			    "more than %d lines: the rest is not read",
			    PSR_LINES_MAX);
			r = IRK_WARN;
			break;
		}
		if (cmd.len == 0 && !cut)
			first = line;
		if (n > 0 && b[at + n - 1] == '\r')
			n--;
		more = n > 0 && b[at + n - 1] == '`' && nl != NULL;
		if (cmd.len > 0)
			add_cut(&cmd, "\n", 1, &cut);
		add_cut(&cmd, b + at, n, &cut);
		at += raw + (nl != NULL ? 1 : 0);
		if (more)
			continue;
		if (cmd.len > 0)
			r = irk_worst(r, psr_emit(x, cmd.data, cmd.len, first,
			    cut));
		irk_buf_reset(&cmd);
		cut = 0;
	}
	irk_buf_release(&cmd);
	return r;
}

/* One history file. */
static int
psr_file(struct psr_ctx *x)
{
	struct irk_buf b;
	struct irk_stat st;
	struct irk_err err;
	int r;

	irk_buf_init(&b, PSR_FILE_MAX);
	if (irk_fs_read_file(x->c->fs, x->path, &b, &st, &err) != IRK_OK) {
		irk_collect_log_err(x->c, IRK_LOG_ERROR, x->path, &err);
		irk_buf_release(&b);
		return IRK_WARN;
	}
	x->mtime = st.mtime;
	x->ncmd = 0;
	r = psr_parse(x, b.data, b.len);
	irk_buf_release(&b);
	return r;
}

static int
has_suffix(const char *s, const char *suf)
{
	size_t n = strlen(s), k = strlen(suf);

	return n > k && strcasecmp(s + n - k, suf) == 0;
}

/* Every *_history.txt of a user's PSReadLine folder. */
static int
psr_user(struct irk_collect *c, const struct irk_win_user *u,
    const struct irk_win_user *users, size_t nusers, void *arg)
{
	struct psr_ctx x = { c, u, NULL, IRK_TIME_NONE, 0 };
	struct irk_dir *d;
	struct irk_dirent e;
	struct irk_err err;
	char dir[1024], path[1400];
	int r = IRK_OK;

	(void)users;
	(void)nusers;
	(void)arg;
	snprintf(dir, sizeof(dir), "%s/" PSR_DIR, u->home);
	if (c->fs->ops->opendir(c->fs, dir, &d, &err) != IRK_OK)
		return IRK_OK;	/* no PowerShell history */
	while (r != IRK_FATAL && c->fs->ops->readdir(d, &e) == 1) {
		if (!has_suffix(e.name, PSR_SUFFIX) ||
		    (e.type != 0 && e.type != S_IFREG))
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir,
		    e.name) >= sizeof(path))
			continue;
		x.path = path;
		r = irk_worst(r, psr_file(&x));
	}
	c->fs->ops->closedir(d);
	return r;
}

static int
win_psreadline(struct irk_collect *c)
{
	return irk_win_each_user(c, psr_user, NULL);
}

const struct irk_collector irk_collector_win_psreadline = {
	"win_psreadline", "PowerShell histories (PSReadLine) of Windows users",
	IRK_SRC_WINDOWS_ROOT, win_psreadline,
};
