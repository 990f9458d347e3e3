/*
 * collect.c - the collector driver and the services every collector
 * uses: records, file copies (deduplicated by content), the log (see
 * irkit/collect.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "irkit/collect.h"
#include "irkit/json.h"
#include "irkit/timeutil.h"
#include "irkit/banned.h"

void
irk_collect_init(struct irk_collect *c, struct irk_fs *fs,
    const struct irk_collect_opts *opts, const struct irk_sink_ops *sink,
    void *sink_arg)
{
	memset(c, 0, sizeof(*c));
	c->fs = fs;
	c->opts = opts;
	c->sink = sink;
	c->sink_arg = sink_arg;
	c->collector = "irkit";
	irk_strmap_init(&c->by_path, free);
	irk_strmap_init(&c->by_hash, free);
}

void
irk_collect_release(struct irk_collect *c)
{
	irk_strmap_release(&c->by_path);
	irk_strmap_release(&c->by_hash);
	if (c->users_loaded)
		irk_users_release(&c->users);
}

const struct irk_users *
irk_collect_users(struct irk_collect *c)
{
	if (!c->users_loaded) {
		struct irk_err err;

		if (irk_users_load(&c->users, c->fs, &err) != IRK_OK)
			irk_collect_log_err(c, IRK_LOG_WARN, "/etc/passwd", &err);
		c->users_loaded = 1;
	}
	return &c->users;
}

static void vlog(struct irk_collect *c, int level, const char *path,
    int errnum, const char *fmt, va_list ap)
    __attribute__((format(printf, 5, 0)));

int64_t
irk_collect_now(const struct irk_collect *c)
{
	if (c->opts != NULL && c->opts->now != 0)
		return c->opts->now;
	return irk_now_us();
}

static void
vlog(struct irk_collect *c, int level, const char *path, int errnum,
    const char *fmt, va_list ap)
{
	static const char *names[] = { "info", "warning", "error" };
	char msg[1024], t[IRK_TIME_LEN];
	json_t *e;

	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	if (level == IRK_LOG_WARN)
		c->stats.warnings++;
	else if (level == IRK_LOG_ERROR)
		c->stats.errors++;
	if (c->sink->log == NULL || (e = json_object()) == NULL)
		return;
	irk_json_set_str(e, "time", irk_time_fmt(irk_now_us(), t));
	irk_json_set_str(e, "level", names[level < 0 || level > 2 ? 2 : level]);
	irk_json_set_str(e, "collector", c->collector);
	if (path != NULL)
		irk_json_set_str(e, "path", path);
	if (errnum != 0) {
		irk_json_set_int(e, "errno", errnum);
		irk_json_set_str(e, "error", strerror(errnum));
	}
	irk_json_set_str(e, "message", msg);
	c->sink->log(c->sink_arg, e);
	json_decref(e);
}

void
irk_collect_log(struct irk_collect *c, int level, const char *path,
    int errnum, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(c, level, path, errnum, fmt, ap);
	va_end(ap);
}

void
irk_collect_log_err(struct irk_collect *c, int level, const char *path,
    const struct irk_err *err)
{
	irk_collect_log(c, level, path, err->errnum, "%s", err->msg);
}

int
irk_collect_record(struct irk_collect *c, json_t *rec)
{
	struct irk_err err;
	int r;

	if (rec == NULL)
		return IRK_FAIL;
	if (c->fatal) {
		json_decref(rec);
		return IRK_FATAL;
	}
	irk_err_clear(&err);
	r = c->sink->record(c->sink_arg, c->collector, rec, &err);
	json_decref(rec);
	if (r == IRK_FATAL) {
		c->fatal = 1;
		c->sink_err = err;
		return r;
	}
	if (r != IRK_OK) {
		irk_collect_log_err(c, IRK_LOG_ERROR, NULL, &err);
		return r;
	}
	c->stats.records++;
	return IRK_OK;
}

static int
irk_collect_hash(struct irk_collect *c, struct irk_file *f,
    char sha256[IRK_SHA256_HEX], uint64_t *size)
{
	char chunk[65536];
	struct irk_hash h;
	uint64_t off = 0;
	ssize_t n;

	if (irk_hash_init(&h, 0) != IRK_OK)
		return IRK_FAIL;
	while ((n = irk_fs_pread(c->fs, f, chunk, sizeof(chunk), off)) > 0) {
		irk_hash_update(&h, chunk, (size_t)n);
		off += (uint64_t)n;
	}
	if (n < 0) {
		irk_hash_release(&h);
		return IRK_FAIL;
	}
	irk_hash_final(&h, sha256, NULL, NULL);
	if (size != NULL)
		*size = off;
	return IRK_OK;
}

/* A file record whose content was not read. */
static int
unstored(struct irk_collect *c, json_t *rec, char *sha256)
{
	(void)json_object_set_new(rec, "sha256", json_null());
	if (sha256 != NULL)
		sha256[0] = '\0';
	return irk_collect_record(c, rec);
}

/*
 * Hand the content of f (hashed as sha) to the sink under member; the
 * record says what was stored (sha becomes the digest of what the sink
 * read).  IRK_FATAL when the sink is broken, else IRK_OK (a file that
 * could not be stored is logged and marked "cannot store").
 */
static int
store(struct irk_collect *c, struct irk_file *f, const struct irk_stat *st,
    const char *path, const char *member, char sha[IRK_SHA256_HEX],
    json_t *rec)
{
	char stored[IRK_SHA256_HEX];
	struct irk_err err;
	int changed = 0, r;

	irk_err_clear(&err);
	r = c->sink->file(c->sink_arg, member, c->fs, f, st, stored,
	    &changed, &err);
	if (r == IRK_FATAL) {
		c->fatal = 1;
		c->sink_err = err;
		return r;
	}
	if (r != IRK_OK) {
		irk_collect_log_err(c, IRK_LOG_ERROR, path, &err);
		irk_json_set_str(rec, "skipped", "cannot store");
		irk_json_set_str(rec, "sha256", sha);
		return IRK_OK;
	}
	if (changed || strcmp(stored, sha) != 0) {
		irk_collect_log(c, IRK_LOG_WARN, path, 0,
		    "changed while it was copied");
		irk_json_set_bool(rec, "changed_during_copy", 1);
	}
	memcpy(sha, stored, IRK_SHA256_HEX);
	irk_json_set_str(rec, "sha256", sha);
	if (member != path)
		irk_json_set_str(rec, "stored_as", member);
	(void)irk_strmap_put(&c->by_hash, sha, strdup(member));
	irk_json_set_bool(rec, "stored", 1);
	c->stats.files++;
	c->stats.bytes += st->size;
	return IRK_OK;
}

int
irk_collect_file_open(struct irk_collect *c, struct irk_file *f,
    const char *path, const char *why, char sha256[IRK_SHA256_HEX])
{
	char sha[IRK_SHA256_HEX], ident[96];
	char altpath[8192], altkey[8192];
	struct irk_stat st;
	const char *first, *other = NULL, *member = path;
	json_t *rec;

	if (c->fatal)
		return IRK_FATAL;
	if (c->fs->ops->fstat(f, &st) != IRK_OK) {
		irk_collect_log(c, IRK_LOG_ERROR, path, errno, "cannot stat");
		return IRK_FAIL;
	}
	/* by_path values: "<sha256> <dev>:<ino>:<size>:<mtime>" */
	(void)snprintf(ident, sizeof(ident), "%llu:%llu:%llu:%lld",
	    (unsigned long long)st.dev, (unsigned long long)st.ino,
	    (unsigned long long)st.size, (long long)st.mtime);
	if ((first = irk_strmap_get(&c->by_path, path)) != NULL) {
		if (strcmp(first + IRK_SHA256_HEX, ident) == 0) {
			/* this file is in already: nothing new to say */
			if (sha256 != NULL)
				memcpy(sha256, first, IRK_SHA256_HEX);
			return IRK_OK;
		}
		/*
		 * Another file under a path already stored (a binary
		 * replaced on disk while the old one still runs): kept
		 * under "<path>.irkit-<sha256 prefix>", see docs/FORMAT.md.
		 */
		other = first;
		(void)snprintf(altkey, sizeof(altkey), "%s\n%s", path, ident);
		if ((first = irk_strmap_get(&c->by_path, altkey)) != NULL) {
			if (sha256 != NULL)
				memcpy(sha256, first, IRK_SHA256_HEX);
			return IRK_OK;
		}
	}
	rec = irk_record_new("file");
	irk_json_set_str(rec, "path", path);
	irk_json_set_stat(rec, &st);
	irk_json_set_str(rec, "why", why);
	if (c->opts != NULL && c->opts->max_file_size > 0 &&
	    st.size > c->opts->max_file_size) {
		irk_json_set_str(rec, "skipped", "too large");
		return unstored(c, rec, sha256);
	}
	if (irk_collect_hash(c, f, sha, NULL) != IRK_OK) {
		irk_collect_log(c, IRK_LOG_ERROR, path, errno, "cannot read");
		irk_json_set_str(rec, "skipped", "unreadable");
		return unstored(c, rec, sha256);
	}
	if (other != NULL && strncmp(other, sha, IRK_SHA256_HEX - 1) == 0) {
		/* the same content after all (touched, or hard-linked) */
		json_decref(rec);
		if (sha256 != NULL)
			memcpy(sha256, sha, IRK_SHA256_HEX);
		return IRK_OK;
	}
	if (other != NULL) {
		(void)snprintf(altpath, sizeof(altpath), "%s.irkit-%.12s",
		    path, sha);
		member = altpath;
	}
	first = irk_strmap_get(&c->by_hash, sha);
	if (first != NULL || c->sink->file == NULL) {
		/* the same content is stored already (or never stored) */
		irk_json_set_str(rec, "sha256", sha);
		if (first != NULL)
			irk_json_set_str(rec, "stored_as", first);
	} else if (store(c, f, &st, path, member, sha, rec) == IRK_FATAL) {
		json_decref(rec);
		return IRK_FATAL;
	}
	{
		char *v = malloc(IRK_SHA256_HEX + strlen(ident) + 1);

		if (v != NULL) {
			memcpy(v, sha, IRK_SHA256_HEX);
			memcpy(v + IRK_SHA256_HEX, ident, strlen(ident) + 1);
		}
		(void)irk_strmap_put(&c->by_path, other ? altkey : path, v);
	}
	if (sha256 != NULL)
		memcpy(sha256, sha, IRK_SHA256_HEX);
	return irk_collect_record(c, rec);
}

int
irk_collect_file(struct irk_collect *c, const char *path, const char *why,
    char sha256[IRK_SHA256_HEX])
{
	struct irk_file *f;
	struct irk_err err;
	int r;

	if (sha256 != NULL)
		sha256[0] = '\0';
	if (irk_fs_open(c->fs, path, &f, &err) != IRK_OK) {
		irk_collect_log_err(c, IRK_LOG_ERROR, path, &err);
		return IRK_FAIL;
	}
	r = irk_collect_file_open(c, f, path, why, sha256);
	irk_fs_close(c->fs, f);
	return r;
}

int
irk_collect_run(struct irk_collect *c, const struct irk_collector *col)
{
	struct irk_err err;
	int r;

	memset(&c->stats, 0, sizeof(c->stats));
	c->collector = col->name;
	r = col->collect(c);
	/* one policy for every collector: an error logged makes it partial */
	if (c->stats.errors > 0)
		r = irk_worst(r, IRK_WARN);
	if (c->fatal)
		r = IRK_FATAL;
	irk_err_clear(&err);
	if (c->sink->collector_end != NULL && !c->fatal &&
	    c->sink->collector_end(c->sink_arg, col->name, &err) != IRK_OK) {
		c->fatal = 1;
		c->sink_err = err;
		r = IRK_FATAL;
	}
	c->collector = "irkit";
	return r;
}
