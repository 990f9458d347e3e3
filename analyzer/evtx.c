/*
 * evtx.c - the evtx collector: every Windows/System32/winevt/Logs/NAME.evtx
 * of a Windows root (names in any case), read through the root's
 * struct irk_fs and handed to libevtx in memory (evtx_read.c).  Records:
 * "win_event" (docs/windows-events.md).  irkit-analyze image and ingest
 * also hand it the files found elsewhere by their signature
 * (irk_evtx_found_collector).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "evtx.h"
#include "irkit/banned.h"

#define LOGS_DIR	"/Windows/System32/winevt/Logs"
/* Bytes of EVTX read in one run of the collector. */
#define EVTX_TOTAL_MAX	(16ULL << 30)
#define LOGS_MAX	4096	/* files listed in the logs folder */

struct evtx_ctx {
	struct irk_collect *c;
	struct irk_evtx_limits lim;
	uint64_t total;		/* bytes read so far */
	const char *prefix;	/* before each path in records and the log */
};

static int
hand_over(void *arg, json_t *rec)
{
	struct irk_collect *c = arg;

	return irk_collect_record(c, rec) == IRK_FATAL;
}

/* One file: read, parsed, its problems logged.  The grade. */
static int
one_file(struct evtx_ctx *x, const char *path)
{
	struct irk_collect *c = x->c;
	struct irk_evtx_stats st;
	struct irk_buf b;
	struct irk_err err;
	char name[1500];
	int r;

	if (snprintf(name, sizeof(name), "%s%s", x->prefix ? x->prefix : "",
	    path) >= (int)sizeof(name)) {
		irk_collect_log(c, IRK_LOG_ERROR, path, 0, "path too long");
		return IRK_WARN;
	}
	if (x->total >= EVTX_TOTAL_MAX) {
		irk_collect_log(c, IRK_LOG_ERROR, name, 0, "not read: %llu "
		    "bytes of event logs read already",
		    (unsigned long long)x->total);
		return IRK_WARN;
	}
	irk_buf_init(&b, IRK_EVTX_MAX);
	r = irk_fs_read_file(c->fs, path, &b, NULL, &err);
	if (r == IRK_FAIL) {
		irk_collect_log_err(c, IRK_LOG_ERROR, name, &err);
		irk_buf_release(&b);
		return IRK_WARN;
	}
	if (r == IRK_TOOBIG)
		irk_collect_log(c, IRK_LOG_ERROR, name, 0, "larger than %llu "
		    "bytes: only its start is read",
		    (unsigned long long)IRK_EVTX_MAX);
	x->total += b.len;
	r = irk_evtx_read(b.data, b.len, name, &x->lim, hand_over, c, &st,
	    &err);
	irk_buf_release(&b);
	if (r == IRK_FATAL)
		return IRK_FATAL;
	if (r != IRK_OK)
		irk_collect_log_err(c, IRK_LOG_ERROR, name, &err);
	irk_collect_log(c, IRK_LOG_INFO, name, 0, "%llu event records (%llu "
	    "recovered)", (unsigned long long)st.records,
	    (unsigned long long)st.recovered);
	return r == IRK_OK ? IRK_OK : IRK_WARN;
}

/* In dir, the entry named name in any case: its path in out; 0 or -1. */
static int
find_ci(struct irk_fs *fs, const char *dir, const char *name, char *out,
    size_t len)
{
	struct irk_dir *d;
	struct irk_dirent de;
	struct irk_err err;
	int found = -1;

	if (fs->ops->opendir(fs, dir[0] ? dir : "/", &d, &err) != IRK_OK)
		return -1;
	while (found != 0 && fs->ops->readdir(d, &de) == 1)
		if (strcasecmp(de.name, name) == 0 &&
		    irk_path_join(out, len, dir[0] ? dir : "/", de.name) ==
		    IRK_OK)
			found = 0;
	fs->ops->closedir(d);
	return found;
}

/* The logs folder as the volume spells it, or -1 when there is none. */
static int
logs_dir(struct irk_fs *fs, char *out, size_t len)
{
	static const char *const parts[] = { "Windows", "System32", "winevt",
	    "Logs" };
	char cur[1024] = "";

	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		char next[1024];

		if (find_ci(fs, cur, parts[i], next, sizeof(next)) != 0)
			return -1;
		memcpy(cur, next, sizeof(cur));
	}
	snprintf(out, len, "%s", cur);
	return 0;
}

static int
is_evtx_name(const char *name)
{
	size_t n = strlen(name);

	return n > 5 && strcasecmp(name + n - 5, ".evtx") == 0;
}

/* Every log of the logs folder, paths prefixed with prefix. */
static int
collect_logs(struct irk_collect *c, const char *prefix)
{
	struct evtx_ctx x = { .c = c, .prefix = prefix };
	struct irk_dir *d;
	struct irk_dirent de;
	struct irk_err err;
	char dir[1024];
	int r = IRK_OK, n = 0;

	irk_evtx_limits_default(&x.lim);
	if (logs_dir(c->fs, dir, sizeof(dir)) != 0) {
		if (prefix != NULL)
			return IRK_OK;	/* said of the live volume */
		irk_collect_log(c, IRK_LOG_INFO, LOGS_DIR, 0, "no event logs "
		    "folder");
		return IRK_OK;
	}
	if (c->fs->ops->opendir(c->fs, dir, &d, &err) != IRK_OK) {
		irk_collect_log_err(c, IRK_LOG_ERROR, dir, &err);
		return IRK_FAIL;
	}
	while (r != IRK_FATAL && c->fs->ops->readdir(d, &de) == 1) {
		char path[1400];

		if (!is_evtx_name(de.name) || (de.type != 0 &&
		    de.type != S_IFREG) ||
		    irk_path_join(path, sizeof(path), dir, de.name) != IRK_OK)
			continue;
		if (++n > LOGS_MAX) {
			irk_collect_log(c, IRK_LOG_ERROR, dir, 0, "more than "
			    "%d logs: the others are not read", LOGS_MAX);
			r = irk_worst(r, IRK_WARN);
			break;
		}
		r = irk_worst(r, one_file(&x, path));
	}
	c->fs->ops->closedir(d);
	return r;
}

static int
collect_evtx(struct irk_collect *c)
{
	return collect_logs(c, NULL);
}

/* The prefix irk_evtx_snapshot_collector was given (one run at a time). */
static const char *snapshot_prefix;

static int
collect_snapshot(struct irk_collect *c)
{
	return collect_logs(c, snapshot_prefix);
}

static const struct irk_collector snapshot_collector = {
	"evtx", "Windows event logs of a volume shadow copy", 0,
	collect_snapshot,
};

const struct irk_collector *
irk_evtx_snapshot_collector(const char *prefix)
{
	snapshot_prefix = prefix;
	return &snapshot_collector;
}

/* The files at paths (n of them) read as the collector reads its own. */
static int
collect_paths(struct irk_collect *c, const char *const *paths, size_t n)
{
	struct evtx_ctx x = { .c = c };
	int r = IRK_OK;

	irk_evtx_limits_default(&x.lim);
	for (size_t i = 0; i < n && r != IRK_FATAL; i++)
		r = irk_worst(r, one_file(&x, paths[i]));
	return r;
}

void
irk_evtx_found_add(struct irk_evtx_found *f, const char *path)
{
	char *p, **grown;

	if (f->n >= IRK_EVTX_FOUND_MAX || (p = strdup(path)) == NULL)
		return;
	grown = realloc(f->paths, (f->n + 1) * sizeof(*grown));
	if (grown == NULL) {
		free(p);
		return;
	}
	f->paths = grown;
	f->paths[f->n++] = p;
}

void
irk_evtx_found_clear(struct irk_evtx_found *f)
{
	for (size_t i = 0; i < f->n; i++)
		free(f->paths[i]);
	free(f->paths);
	f->paths = NULL;
	f->n = 0;
}

int
irk_evtx_in_logs(const char *path)
{
	static const char logs[] = LOGS_DIR "/";
	const char *name = path + sizeof(logs) - 1;

	return strncasecmp(path, logs, sizeof(logs) - 1) == 0 &&
	    strchr(name, '/') == NULL && is_evtx_name(name);
}

/* The list irk_evtx_found_collector was given (one run at a time). */
static struct {
	const char *const *paths;
	size_t n;
} found;

static int
collect_found(struct irk_collect *c)
{
	return collect_paths(c, found.paths, found.n);
}

static const struct irk_collector found_collector = {
	"evtx", "EVTX files found by their signature", IRK_SRC_WINDOWS_ROOT |
	    IRK_SRC_LINUX_ROOT, collect_found,
};

const struct irk_collector *
irk_evtx_found_collector(const char *const *paths, size_t n)
{
	found.paths = paths;
	found.n = n;
	return &found_collector;
}

const struct irk_collector irk_collector_evtx = {
	"evtx", "Windows event logs (winevt/Logs/*.evtx) with libevtx",
	IRK_SRC_WINDOWS_ROOT, collect_evtx,
};
