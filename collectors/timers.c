/*
 * timers.c - the systemd-timer part of the tasks collector: one "task"
 * record (kind "systemd-timer") per timer unit of the system scope, the
 * global user scope and each account's own user units (see tasks.h and
 * docs/services-tasks.md).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "calendar.h"
#include "irkit/json.h"
#include "irkit/timeutil.h"
#include "tasks.h"
#include "units.h"
#include "irkit/str.h"
#include "irkit/banned.h"

static const char *const on_keys[] = {
	"OnCalendar", "OnActiveSec", "OnBootSec", "OnStartupSec",
	"OnUnitActiveSec", "OnUnitInactiveSec", "OnClockChange",
	"OnTimezoneChange",
};

struct tctx {
	struct irk_collect *c;
	int64_t now;
	int host_utc;		/* the host clock runs in UTC */
	char tz[128];
	int warn;
};

/*
 * systemd evaluates OnCalendar= in the host's time zone unless the spec
 * names one.  Only UTC is computed here: /etc/timezone, else the
 * /etc/localtime link; no /etc/localtime at all means UTC.
 */
static void
host_zone(struct tctx *t)
{
	struct irk_buf b;
	struct irk_stat st;
	struct irk_err err;
	const char *z = NULL;

	irk_buf_init(&b, 4096);
	t->tz[0] = '\0';
	if (irk_fs_read_file(t->c->fs, "/etc/timezone", &b, NULL, NULL) ==
	    IRK_OK && b.len > 0) {
		b.data[strcspn(b.data, "\r\n \t")] = '\0';
		z = b.data;
	} else {
		irk_buf_reset(&b);
		if (t->c->fs->ops->readlink(t->c->fs, "/etc/localtime", &b,
		    &err) == IRK_OK) {
			const char *p = strstr(b.data, "zoneinfo/");

			z = p ? p + 9 : b.data;
		} else if (t->c->fs->ops->stat(t->c->fs, "/etc/localtime", 0,
		    &st, &err) != IRK_OK)
			z = "UTC";	/* systemd's default */
	}
	if (z != NULL)
		(void)snprintf(t->tz, sizeof(t->tz), "%s", z);
	t->host_utc = z != NULL && (strcasecmp(z, "UTC") == 0 ||
	    strcasecmp(z, "Etc/UTC") == 0 || strcasecmp(z, "Etc/UCT") == 0 ||
	    strcasecmp(z, "UCT") == 0 || strcasecmp(z, "Universal") == 0 ||
	    strcasecmp(z, "Etc/Universal") == 0 || strcasecmp(z, "Zulu") == 0 ||
	    strcasecmp(z, "Etc/Zulu") == 0 || strcasecmp(z, "Etc/GMT") == 0 ||
	    strcasecmp(z, "GMT") == 0);
	irk_buf_release(&b);
}

/* A command line of argv arrays, for the one-string "command" field. */
static void
append_argv_text(struct irk_buf *b, json_t *argv)
{
	size_t i;
	json_t *w;

	json_array_foreach(argv, i, w) {
		const char *s = json_string_value(w);

		if (i > 0)
			(void)irk_buf_addch(b, ' ');
		if (s != NULL && (s[0] == '\0' || strpbrk(s, " \t\"'\\") != NULL)) {
			(void)irk_buf_addch(b, '"');
			for (; *s; s++) {
				if (*s == '"' || *s == '\\')
					(void)irk_buf_addch(b, '\\');
				(void)irk_buf_addch(b, *s);
			}
			(void)irk_buf_addch(b, '"');
		} else if (s != NULL)
			(void)irk_buf_addstr(b, s);
	}
}

static void
last_run(struct tctx *t, const struct irk_units *u, const char *name,
    json_t *rec)
{
	char p[4096];
	struct irk_stat st;
	struct irk_err err;

	if (u->owner != NULL)
		(void)snprintf(p, sizeof(p),
		    "%s/.local/share/systemd/timers/stamp-%s", u->owner->home,
		    name);
	else if (!u->user_scope)
		(void)snprintf(p, sizeof(p), "/var/lib/systemd/timers/stamp-%s",
		    name);
	else {
		json_object_set_new(rec, "last_run", json_null());
		return;
	}
	if (t->c->fs->ops->stat(t->c->fs, p, 1, &st, &err) == IRK_OK) {
		irk_json_set_time(rec, "last_run", st.mtime);
		irk_json_set_str(rec, "last_run_source", p);
	} else
		json_object_set_new(rec, "last_run", json_null());
}

/* A timer's On* settings and what they give. */
struct timer_sched {
	struct irk_buf text;	/* "OnCalendar=...; OnBootSec=..." */
	json_t *settings;	/* [{setting, value, path, line}] */
	json_t *notes;		/* next_run_not_computed */
	int64_t next;		/* earliest next elapse, or IRK_TIME_NONE */
	unsigned first_line;	/* first On* line in the fragment, or 0 */
};

/* One OnCalendar= value: the next elapse, or why it has none. */
static void
on_calendar(struct tctx *t, const struct irk_unit_setting *s,
    struct timer_sched *ts)
{
	struct irk_calendar cal;
	int64_t nx;
	char err[128];
	int r = irk_calendar_parse(s->value, &cal, err, sizeof(err));

	if (r == IRK_CAL_INVALID) {
		irk_collect_log(t->c, IRK_LOG_WARN, s->path, 0, "line %u: "
		    "OnCalendar=%s: %s (systemd ignores it)", s->line,
		    s->value, err);
		t->warn = 1;
		(void)irk_buf_printf(&ts->text, " (invalid)");
		return;
	}
	if (r == IRK_CAL_UNSUPPORTED) {
		json_array_append_new(ts->notes, json_pack("{s:s,s:s}",
		    "spec", s->value, "why", err));
		return;
	}
	if (!cal.utc && !t->host_utc) {
		char why[200];

		(void)snprintf(why, sizeof(why), "host time zone %s",
		    t->tz[0] ? t->tz : "unknown");
		json_array_append_new(ts->notes, json_pack("{s:s,s:s}",
		    "spec", s->value, "why", why));
		return;
	}
	if (irk_calendar_next(&cal, t->now, &nx) == 0 &&
	    (ts->next == IRK_TIME_NONE || nx < ts->next))
		ts->next = nx;
}

/* Is setting i an On* setting still in force (not reset later)? */
static int
on_setting(const struct irk_unit *un, size_t i)
{
	const struct irk_unit_setting *s = &un->uf.v[i];
	size_t k, idx[256], n;

	if (strcmp(s->section, "Timer") != 0)
		return 0;
	for (k = 0; k < sizeof(on_keys) / sizeof(on_keys[0]); k++)
		if (strcmp(s->key, on_keys[k]) == 0)
			break;
	if (k == sizeof(on_keys) / sizeof(on_keys[0]) || s->value[0] == '\0')
		return 0;
	n = irk_unitfile_list(&un->uf, "Timer", s->key, idx, 256);
	for (size_t j = 0; j < n; j++)
		if (idx[j] == i)
			return 1;
	return 0;	/* cleared by a later empty assignment */
}

/* Every On* setting in file order, after the reset rule. */
static void
timer_schedules(struct tctx *t, const struct irk_unit *un,
    struct timer_sched *ts)
{
	irk_buf_init(&ts->text, 1 << 16);
	ts->settings = json_array();
	ts->notes = json_array();
	ts->next = IRK_TIME_NONE;
	ts->first_line = 0;
	for (size_t i = 0; i < un->uf.n; i++) {
		const struct irk_unit_setting *s = &un->uf.v[i];
		json_t *o;

		if (!on_setting(un, i))
			continue;
		o = json_object();
		irk_json_set_str(o, "setting", s->key);
		irk_json_set_str(o, "value", s->value);
		irk_json_set_str(o, "path", s->path);
		irk_json_set_int(o, "line", s->line);
		json_array_append_new(ts->settings, o);
		if (ts->text.len > 0)
			(void)irk_buf_addstr(&ts->text, "; ");
		(void)irk_buf_printf(&ts->text, "%s=%s", s->key, s->value);
		if (ts->first_line == 0 && strcmp(s->path, un->fragment ?
		    un->fragment : "") == 0)
			ts->first_line = s->line;
		if (strcmp(s->key, "OnCalendar") == 0)
			on_calendar(t, s, ts);
	}
}

/*
 * The unit the timer starts: unit, run_as, user, unit_fragment_path (or
 * unit_error), command, exec_start; its files are copied, its programs
 * and paths added to progs and paths.
 */
static void
timer_target(struct tctx *t, const struct irk_units *u,
    const struct irk_unit *un, json_t *rec, struct irk_strv *progs,
    struct irk_strv *paths)
{
	const struct irk_unit *svc;
	const char *target;
	char def[300];
	struct irk_buf cmd;
	json_t *exec = NULL;

	irk_buf_init(&cmd, 1 << 20);
	if ((target = irk_unitfile_get(&un->uf, "Timer", "Unit")) == NULL) {
		(void)snprintf(def, sizeof(def), "%.*s.service",
		    (int)(strlen(un->name) - 6), un->name);
		target = def;
	}
	irk_json_set_str(rec, "unit", target);
	svc = irk_units_find(u, target);
	if (svc != NULL && !svc->masked) {
		char *ra = irk_unit_get_expanded(svc, "Service", "User");
		size_t i;
		json_t *argv;

		exec = irk_unit_exec_json(t->c, svc, "Service", "ExecStart",
		    NULL, progs, paths);
		json_array_foreach(exec, i, argv) {
			if (i > 0)
				(void)irk_buf_addstr(&cmd, " ; ");
			append_argv_text(&cmd, argv);
		}
		irk_json_set_str(rec, "run_as", ra);
		irk_json_set_str(rec, "user", ra ? ra : u->owner ?
		    u->owner->name : u->user_scope ? NULL : "root");
		free(ra);
		irk_json_set_str(rec, "unit_fragment_path", svc->fragment);
		if (svc->fragment != NULL)
			(void)irk_collect_file(t->c, svc->fragment,
			    "timer's unit file", NULL);
		for (size_t k = 0; k < svc->dropins.n; k++)
			(void)irk_collect_file(t->c, svc->dropins.v[k],
			    "timer's unit drop-in", NULL);
	} else {
		irk_json_set_str(rec, "user", u->owner ? u->owner->name :
		    u->user_scope ? NULL : "root");
		irk_json_set_str(rec, "unit_error", svc == NULL ?
		    "no such unit" : "masked");
	}
	irk_json_set_str(rec, "command", cmd.len ? cmd.data : NULL);
	json_object_set_new(rec, "exec_start", exec ? exec : json_array());
	irk_buf_release(&cmd);
}

/* [Timer] options and the unit's own state. */
static void
timer_settings(const struct irk_units *u, const struct irk_unit *un,
    json_t *rec)
{
	const char *v;
	int b;

	v = irk_unitfile_get(&un->uf, "Timer", "Persistent");
	irk_json_set_bool(rec, "persistent", v != NULL &&
	    irk_unit_parse_bool(v, &b) == 0 && b);
	irk_json_set_str(rec, "randomized_delay",
	    irk_unitfile_get(&un->uf, "Timer", "RandomizedDelaySec"));
	irk_json_set_str(rec, "accuracy",
	    irk_unitfile_get(&un->uf, "Timer", "AccuracySec"));
	v = irk_unitfile_get(&un->uf, "Timer", "WakeSystem");
	irk_json_set_bool(rec, "wake_system", v != NULL &&
	    irk_unit_parse_bool(v, &b) == 0 && b);
	irk_json_set_bool(rec, "enabled", un->links.n > 0);
	irk_json_set_str(rec, "enablement", irk_unit_enablement(u, un));
	irk_json_set_bool(rec, "masked", un->masked);
	json_object_set_new(rec, "wanted_by", irk_strv_json(&un->wanted_by));
	json_object_set_new(rec, "enabled_by", irk_strv_json(&un->links));
	irk_json_set_str(rec, "unit_path", un->unit_path);
	irk_json_set_str(rec, "fragment_path", un->fragment);
	json_object_set_new(rec, "dropins", irk_strv_json(&un->dropins));
	if (un->error != NULL)
		irk_json_set_str(rec, "load_error", un->error);
}

/*
 * Copy the timer file (its sha256 and mtime into rec), its drop-ins and
 * the programs and paths its unit runs.
 */
static void
timer_files(struct tctx *t, const struct irk_unit *un, json_t *rec,
    const struct irk_strv *progs, const struct irk_strv *paths)
{
	char sha[IRK_SHA256_HEX];
	struct irk_stat st;
	struct irk_err err;

	json_object_set_new(rec, "sha256", json_null());
	json_object_set_new(rec, "mtime", json_null());
	if (un->fragment != NULL) {
		if (irk_collect_file(t->c, un->fragment, "timer unit file",
		    sha) == IRK_OK && sha[0])
			irk_json_set_str(rec, "sha256", sha);
		if (t->c->fs->ops->stat(t->c->fs, un->fragment, 1, &st,
		    &err) == IRK_OK)
			irk_json_set_time(rec, "mtime", st.mtime);
	}
	for (size_t k = 0; k < un->dropins.n; k++)
		(void)irk_collect_file(t->c, un->dropins.v[k],
		    "timer drop-in", NULL);
	for (size_t k = 0; k < progs->n + paths->n; k++) {
		const char *p = k < progs->n ? progs->v[k] :
		    paths->v[k - progs->n];

		if (p[0] == '/' && strchr(p, '$') == NULL &&
		    t->c->fs->ops->stat(t->c->fs, p, 1, &st, &err) == IRK_OK &&
		    (st.mode & 0170000) == 0100000)
			(void)irk_collect_file(t->c, p, k < progs->n ?
			    "timer program" : "timer program argument", NULL);
	}
}

static int
timer_record(struct tctx *t, const struct irk_units *u,
    const struct irk_unit *un)
{
	struct irk_strv progs = { 0 }, paths = { 0 };
	struct timer_sched ts;
	json_t *rec = irk_record_new("task");

	irk_json_set_str(rec, "kind", "systemd-timer");
	irk_json_set_str(rec, "name", un->name);
	irk_json_set_str(rec, "scope", u->user_scope ? "user" : "system");
	timer_schedules(t, un, &ts);
	irk_json_set_str(rec, "schedule", ts.text.len ? ts.text.data : NULL);
	json_object_set_new(rec, "schedules", ts.settings);
	timer_target(t, u, un, rec, &progs, &paths);
	irk_json_set_str(rec, "source_path", un->fragment ? un->fragment :
	    un->unit_path);
	if (ts.first_line > 0)
		irk_json_set_int(rec, "line", ts.first_line);
	else
		json_object_set_new(rec, "line", json_null());
	irk_json_set_time(rec, "next_run", ts.next);
	if (json_array_size(ts.notes) > 0)
		json_object_set(rec, "next_run_not_computed", ts.notes);
	last_run(t, u, un->name, rec);
	timer_settings(u, un, rec);
	timer_files(t, un, rec, &progs, &paths);
	json_decref(ts.notes);
	irk_buf_release(&ts.text);
	irk_strv_release(&progs);
	irk_strv_release(&paths);
	return irk_collect_record(t->c, rec);
}

static int
is_timer(const char *name)
{
	return strlen(name) > 6 && irk_has_suffix(name, ".timer");
}

static int
timer_unit(void *arg, const struct irk_units *u, const struct irk_unit *un)
{
	return timer_record(arg, u, un);
}

int
irk_tasks_timers(struct irk_collect *c)
{
	const struct irk_user **homes = NULL;
	struct tctx t;
	size_t nh = 0;
	int r;

	memset(&t, 0, sizeof(t));
	t.c = c;
	t.now = irk_collect_now(c);
	host_zone(&t);
	if (irk_units_homes(c, &homes, &nh) != IRK_OK)
		return IRK_FAIL;
	r = irk_units_each(c, homes, nh, is_timer, timer_unit, &t);
	free(homes);
	r = irk_worst(r, t.warn ? IRK_WARN : IRK_OK);
	/* a scope that failed leaves the others' timers: partial */
	return r == IRK_FAIL ? IRK_WARN : r;
}
