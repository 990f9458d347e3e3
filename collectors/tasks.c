/*
 * tasks.c - the "tasks" collector: every scheduled job on a Linux root,
 * parsed from its files (never "crontab -l" or "atq"):
 *
 *	cron		/etc/crontab, the files in /etc/cron.d, and user
 *			crontabs in /var/spool/cron/crontabs (Debian) or
 *			/var/spool/cron (Red Hat)
 *	cron-script	the scripts in /etc/cron.{hourly,daily,weekly,monthly}
 *	anacron		/etc/anacrontab (+ /var/spool/anacron timestamps)
 *	at		the jobs in /var/spool/cron/atjobs (Debian) or
 *			/var/spool/at (Red Hat)
 *	systemd-timer	timers.c
 *
 * One "task" record per job; every source file, and every existing file
 * a command names by absolute path, is copied into the evidence.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cron_parse.h"
#include "tasks.h"
#include "irkit/collect.h"
#include "irkit/json.h"
#include "irkit/parse.h"
#include "irkit/timeutil.h"
#include "dir_list.h"
#include "irkit/banned.h"

#define TASK_FILE_MAX	(4u << 20)	/* a crontab or job file */
#define MAX_TARGETS	8		/* files copied per command */

struct source {
	const char *path;
	struct irk_buf text;
	struct irk_stat st;
	char sha256[IRK_SHA256_HEX];
};

/* Read and copy a source file; 0, or -1 (logged unless it is absent). */
static int
source_open(struct irk_collect *c, struct source *s, const char *path)
{
	struct irk_err err;
	int r;

	s->path = path;
	irk_buf_init(&s->text, TASK_FILE_MAX);
	r = irk_fs_read_file(c->fs, path, &s->text, &s->st, &err);
	if (r == IRK_TOOBIG) {
		irk_collect_log(c, IRK_LOG_WARN, path, 0, "larger than %u "
		    "bytes: not parsed", TASK_FILE_MAX);
		(void)irk_collect_file(c, path, "task source", s->sha256);
		irk_buf_release(&s->text);
		return -1;
	}
	if (r != IRK_OK) {
		if (err.errnum != ENOENT)
			irk_collect_log_err(c, IRK_LOG_ERROR, path, &err);
		irk_buf_release(&s->text);
		return -1;
	}
	if (irk_collect_file(c, path, "task source", s->sha256) != IRK_OK)
		s->sha256[0] = '\0';
	return 0;
}

static void
source_close(struct source *s)
{
	irk_buf_release(&s->text);
}

/* A new task record with the fields every kind shares. */
static json_t *
task_new(const char *kind, const struct source *s, size_t line)
{
	json_t *r = irk_record_new("task");

	irk_json_set_str(r, "kind", kind);
	irk_json_set_str(r, "source_path", s->path);
	if (line > 0)
		irk_json_set_int(r, "line", (int64_t)line);
	irk_json_set_str(r, "sha256", s->sha256[0] ? s->sha256 : NULL);
	irk_json_set_time(r, "mtime", s->st.mtime);
	irk_json_set_int(r, "source_uid", s->st.uid);
	irk_json_set_mode(r, "source_mode", s->st.mode);
	return r;
}

/*
 * Copy the files a command names by absolute path (the script a cron
 * line runs, the binary an at job starts), at most MAX_TARGETS.
 */
static void
copy_targets(struct irk_collect *c, const char *cmd)
{
	static const char stop[] = " \t\n;|&<>'\"`()$";
	char path[4096];
	int copied = 0;

	for (const char *p = cmd; p && *p && copied < MAX_TARGETS;) {
		size_t n;
		struct irk_stat st;
		struct irk_err err;

		p += strspn(p, stop);
		n = strcspn(p, stop);
		if (n > 1 && p[0] == '/' && n < sizeof(path)) {
			memcpy(path, p, n);
			path[n] = '\0';
			if (c->fs->ops->stat(c->fs, path, 1, &st, &err) ==
			    IRK_OK && S_ISREG(st.mode)) {
				(void)irk_collect_file(c, path, "task command",
				    NULL);
				copied++;
			}
		}
		p += n;
	}
}

/* Names Debian's cron and run-parts accept: [A-Za-z0-9_-]+. */
static int
debian_name_ok(const char *name)
{
	return *name != '\0' && strspn(name, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") == strlen(name);
}

/*
 * One crontab.  user is NULL for system format (a user field per line),
 * else the crontab's owner (the spool file's name).
 */
static void
collect_crontab(struct irk_collect *c, const char *path, const char *user,
    int64_t now, int cron_d)
{
	struct source s;
	const char *line;
	size_t pos = 0, n, lineno = 0;
	json_t *env = json_object();

	memset(&s, 0, sizeof(s));
	if (source_open(c, &s, path) != 0) {
		json_decref(env);
		return;
	}
	while (irk_buf_next_line(&s.text, &pos, &line, &n)) {
		struct irk_cron_entry e;
		json_t *r;
		int64_t next;

		lineno++;
		switch (irk_cron_parse_line(line, n, user == NULL, &e)) {
		case IRK_CRON_ENV:
			irk_json_set_str(env, e.env_name, e.env_value);
			break;
		case IRK_CRON_BAD:
			irk_collect_log(c, IRK_LOG_WARN, path, 0, "line %zu: "
			    "not a cron entry: %s", lineno, e.why);
			break;
		case IRK_CRON_ENTRY:
			r = task_new("cron", &s, lineno);
			irk_json_set_str(r, "schedule", e.schedule);
			irk_json_set_str(r, "user", user ? user : e.user);
			irk_json_set_str(r, "command", e.command);
			if (e.input != NULL)
				irk_json_set_str(r, "input", e.input);
			if (json_object_size(env) > 0)
				json_object_set_new(r, "env",
				    json_deep_copy(env));
			if (e.reboot)
				irk_json_set_bool(r, "at_boot", 1);
			next = irk_cron_next_run(&e, now);
			irk_json_set_time(r, "next_run", next < 0 ?
			    IRK_TIME_NONE : next);
			if (cron_d && !debian_name_ok(strrchr(path, '/') + 1))
				irk_json_set_bool(r, "ignored_by_debian_cron",
				    1);
			copy_targets(c, e.command);
			(void)irk_collect_record(c, r);
			break;
		default:
			break;
		}
		irk_cron_entry_release(&e);
	}
	json_decref(env);
	source_close(&s);
}

/* Every regular file in dir as a crontab; user: name is the owner. */
static void
collect_cron_dir(struct irk_collect *c, const char *dir, int user_format,
    int64_t now)
{
	char **names, path[4096];
	size_t n;

	if ((names = irk_dir_list(c, dir, &n, 0)) == NULL)
		return;
	for (size_t i = 0; i < n; i++) {
		struct irk_stat st;
		struct irk_err err;

		if (irk_path_join(path, sizeof(path), dir, names[i]) != IRK_OK ||
		    c->fs->ops->stat(c->fs, path, 1, &st, &err) != IRK_OK ||
		    !S_ISREG(st.mode))
			continue;
		if (user_format && names[i][0] == '.')
			continue;	/* cron's own lock and temp files */
		collect_crontab(c, path, user_format ? names[i] : NULL, now,
		    !user_format);
	}
	irk_dir_list_free(names, n);
}

static void
collect_cron_scripts(struct irk_collect *c)
{
	static const char *const periods[] = { "hourly", "daily", "weekly",
	    "monthly" };
	char dir[64], path[4096];

	for (size_t k = 0; k < 4; k++) {
		char **names;
		size_t n;

		(void)snprintf(dir, sizeof(dir), "/etc/cron.%s", periods[k]);
		if ((names = irk_dir_list(c, dir, &n, 0)) == NULL)
			continue;
		for (size_t i = 0; i < n; i++) {
			struct irk_stat st;
			struct irk_err err;
			char sha[IRK_SHA256_HEX] = "";
			json_t *r;

			if (irk_path_join(path, sizeof(path), dir, names[i]) !=
			    IRK_OK ||
			    c->fs->ops->stat(c->fs, path, 1, &st, &err) !=
			    IRK_OK || !S_ISREG(st.mode))
				continue;
			(void)irk_collect_file(c, path, "cron script", sha);
			r = irk_record_new("task");
			irk_json_set_str(r, "kind", "cron-script");
			irk_json_set_str(r, "schedule", periods[k]);
			irk_json_set_str(r, "user", "root");
			irk_json_set_str(r, "command", path);
			irk_json_set_str(r, "source_path", path);
			irk_json_set_str(r, "sha256", sha[0] ? sha : NULL);
			irk_json_set_time(r, "mtime", st.mtime);
			irk_json_set_mode(r, "source_mode", st.mode);
			irk_json_set_bool(r, "executable", (st.mode & 0111) != 0);
			if (!debian_name_ok(names[i]))
				irk_json_set_bool(r, "ignored_by_run_parts", 1);
			(void)irk_collect_record(c, r);
		}
		irk_dir_list_free(names, n);
	}
}

/* /var/spool/anacron/<job>: the day it last ran, "YYYYMMDD". */
static int64_t
anacron_stamp(struct irk_collect *c, const char *job)
{
	char path[512];
	struct irk_buf b;
	int64_t t = IRK_TIME_NONE;
	uint64_t y, m, d;

	if (snprintf(path, sizeof(path), "/var/spool/anacron/%s", job) >=
	    (int)sizeof(path))
		return t;
	irk_buf_init(&b, 64);
	if (irk_fs_read_file(c->fs, path, &b, NULL, NULL) == IRK_OK &&
	    b.len >= 8 && irk_parse_u64n(b.data, 4, 10, 9999, &y) == 0 &&
	    irk_parse_u64n(b.data + 4, 2, 10, 12, &m) == 0 &&
	    irk_parse_u64n(b.data + 6, 2, 10, 31, &d) == 0 && m > 0 && d > 0)
		t = irk_timegm((int)y, (int)m, (int)d, 0, 0, 0) * 1000000;
	irk_buf_release(&b);
	return t;
}

static void
collect_anacron(struct irk_collect *c)
{
	struct source s;
	const char *line;
	size_t pos = 0, n, lineno = 0;
	json_t *env = json_object();

	memset(&s, 0, sizeof(s));
	if (source_open(c, &s, "/etc/anacrontab") != 0) {
		json_decref(env);
		return;
	}
	while (irk_buf_next_line(&s.text, &pos, &line, &n)) {
		struct irk_anacron_entry e;
		char sched[80];
		json_t *r;

		lineno++;
		switch (irk_anacron_parse_line(line, n, &e)) {
		case IRK_CRON_ENV:
			irk_json_set_str(env, e.env_name, e.env_value);
			break;
		case IRK_CRON_BAD:
			irk_collect_log(c, IRK_LOG_WARN, s.path, 0, "line %zu: "
			    "not an anacron entry: %s", lineno, e.why);
			break;
		case IRK_CRON_ENTRY:
			r = task_new("anacron", &s, lineno);
			(void)snprintf(sched, sizeof(sched), "%s %s", e.period,
			    e.delay);
			irk_json_set_str(r, "schedule", sched);
			irk_json_set_str(r, "name", e.job_id);
			irk_json_set_str(r, "user", "root");
			irk_json_set_str(r, "command", e.command);
			if (json_object_size(env) > 0)
				json_object_set_new(r, "env",
				    json_deep_copy(env));
			irk_json_set_time(r, "last_run", anacron_stamp(c,
			    e.job_id));
			copy_targets(c, e.command);
			(void)irk_collect_record(c, r);
			break;
		default:
			break;
		}
		irk_anacron_entry_release(&e);
	}
	json_decref(env);
	source_close(&s);
}

static void
collect_at_dir(struct irk_collect *c, const char *dir)
{
	const struct irk_users *users = irk_collect_users(c);
	char **names, path[4096];
	size_t n;

	if ((names = irk_dir_list(c, dir, &n, 0)) == NULL)
		return;
	for (size_t i = 0; i < n; i++) {
		struct irk_at_job job;
		struct source s;
		char queue, q[2];
		uint32_t jobno;
		int64_t run_at;
		const char *owner;
		json_t *r;

		if (irk_at_parse_name(names[i], &queue, &jobno, &run_at) != 0)
			continue;	/* .SEQ, spool/ and the like */
		if (irk_path_join(path, sizeof(path), dir, names[i]) != IRK_OK)
			continue;
		memset(&s, 0, sizeof(s));
		if (source_open(c, &s, path) != 0)
			continue;
		r = task_new("at", &s, 0);
		q[0] = queue;
		q[1] = '\0';
		irk_json_set_str(r, "queue", q);
		irk_json_set_int(r, "job", jobno);
		irk_json_set_time(r, "run_at", run_at);
		irk_json_set_time(r, "next_run", run_at);
		irk_json_set_str(r, "schedule", json_string_value(
		    json_object_get(r, "run_at")));
		owner = irk_users_name(users, s.st.uid);
		if (irk_at_parse_job(s.text.data ? s.text.data : "", s.text.len,
		    &job) != 0)
			irk_collect_log(c, IRK_LOG_WARN, path, 0, "at job "
			    "without the usual preamble: all lines kept");
		if (job.uid >= 0 && job.uid != s.st.uid)
			irk_json_set_int(r, "atrun_uid", job.uid);
		irk_json_set_str(r, "user", owner);
		irk_json_set_int(r, "uid", s.st.uid);
		if (job.mail_user != NULL)
			irk_json_set_str(r, "mail_user", job.mail_user);
		if (job.cwd != NULL)
			irk_json_set_str(r, "cwd", job.cwd);
		irk_json_set_str(r, "command", job.commands ? job.commands : "");
		if (job.commands != NULL)
			copy_targets(c, job.commands);
		irk_at_job_release(&job);
		(void)irk_collect_record(c, r);
		source_close(&s);
	}
	irk_dir_list_free(names, n);
}

static int
collect_tasks(struct irk_collect *c)
{
	int64_t now = irk_collect_now(c);
	int r;

	collect_crontab(c, "/etc/crontab", NULL, now, 0);
	collect_cron_dir(c, "/etc/cron.d", 0, now);
	collect_cron_dir(c, "/var/spool/cron/crontabs", 1, now);
	collect_cron_dir(c, "/var/spool/cron/tabs", 1, now);	/* SUSE */
	/* Red Hat: crontabs straight in /var/spool/cron (dirs are skipped) */
	collect_cron_dir(c, "/var/spool/cron", 1, now);
	collect_cron_scripts(c);
	collect_anacron(c);
	collect_at_dir(c, "/var/spool/cron/atjobs");
	collect_at_dir(c, "/var/spool/at");
	r = irk_tasks_timers(c);
	/* the errors logged above make it partial (irk_collect_run) */
	return c->fatal ? IRK_FATAL : r;
}

const struct irk_collector irk_collector_tasks = {
	"tasks", "cron, anacron, at jobs and systemd timers",
	IRK_SRC_LIVE | IRK_SRC_LINUX_ROOT, collect_tasks,
};
