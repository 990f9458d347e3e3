/*
 * win_tasks.c - Windows scheduled tasks in an image: the task XML files
 * under Windows/System32/Tasks (UTF-16, parsed with libxml2, no network,
 * no entity expansion) and the TaskCache in the SOFTWARE hive (Tree\<path>
 * Id -> Tasks\{id} Path).  A task in the TaskCache without its XML file
 * gets a record too (a known hiding trick is to delete one of the two).
 * Records: "task" of kind "windows-task" (docs/images.md).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "image.h"
#include "win_reg.h"
#include "xml_util.h"
#include "irkit/json.h"
#include "irkit/strmap.h"
#include "irkit/banned.h"

#define TASKS_DIR	"/Windows/System32/Tasks"
#define SOFTWARE_HIVE	"/Windows/System32/config/SOFTWARE"
#define TASKCACHE	"\\Microsoft\\Windows NT\\CurrentVersion\\Schedule\\TaskCache"
#define MAX_DEPTH	16

/* The trimmed text of an element (malloc'd by libxml2), or NULL. */
static char *
text(const xmlNode *n)
{
	xmlChar *t;
	char *s, *e;
	size_t len;

	if (n == NULL || (t = xmlNodeGetContent(n)) == NULL)
		return NULL;
	s = (char *)t;
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	len = strlen(s);
	e = s + len;
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' ||
	    e[-1] == '\n'))
		e--;
	*e = '\0';
	if (s != (char *)t)
		memmove(t, s, (size_t)(e - s) + 1);
	if (t[0] == '\0') {
		xmlFree(t);
		return NULL;
	}
	return (char *)t;
}

/* obj[key] = text of n's child called name, when present. */
static void
set_text(json_t *obj, const char *key, const xmlNode *n, const char *name)
{
	char *t = text(irk_xml_child(n, name));

	if (t != NULL) {
		irk_json_set_str(obj, key, t);
		xmlFree(t);
	}
}

/* obj[key] = true/false from an xs:boolean child, when present. */
static void
set_bool(json_t *obj, const char *key, const xmlNode *n, const char *name)
{
	char *t = text(irk_xml_child(n, name));

	if (t != NULL) {
		irk_json_set_bool(obj, key, strcmp(t, "true") == 0 ||
		    strcmp(t, "1") == 0);
		xmlFree(t);
	}
}

static json_t *
trigger(const xmlNode *t, struct irk_buf *sched)
{
	json_t *o = json_object();
	const xmlNode *rep;
	char *start;

	if (o == NULL)
		return NULL;
	irk_json_set_str(o, "type", (const char *)t->name);
	set_text(o, "start", t, "StartBoundary");
	set_text(o, "end", t, "EndBoundary");
	set_text(o, "enabled", t, "Enabled");
	set_text(o, "delay", t, "Delay");
	set_text(o, "user", t, "UserId");
	set_text(o, "subscription", t, "Subscription");
	if ((rep = irk_xml_child(t, "Repetition")) != NULL) {
		set_text(o, "repeat_interval", rep, "Interval");
		set_text(o, "repeat_duration", rep, "Duration");
	}
	if (irk_xml_child(t, "ScheduleByDay") != NULL) {
		irk_json_set_str(o, "schedule", "daily");
		set_text(o, "days_interval", irk_xml_child(t, "ScheduleByDay"),
		    "DaysInterval");
	} else if (irk_xml_child(t, "ScheduleByWeek") != NULL)
		irk_json_set_str(o, "schedule", "weekly");
	else if (irk_xml_child(t, "ScheduleByMonth") != NULL ||
	    irk_xml_child(t, "ScheduleByMonthDayOfWeek") != NULL)
		irk_json_set_str(o, "schedule", "monthly");
	if (sched->len > 0)
		irk_buf_addstr(sched, "; ");
	irk_buf_addstr(sched, (const char *)t->name);
	if (json_object_get(o, "schedule") != NULL) {
		irk_buf_addch(sched, ' ');
		irk_buf_addstr(sched, json_string_value(json_object_get(o,
		    "schedule")));
	}
	if (json_object_get(o, "repeat_interval") != NULL) {
		irk_buf_addstr(sched, " every ");
		irk_buf_addstr(sched, json_string_value(json_object_get(o,
		    "repeat_interval")));
	}
	if ((start = text(irk_xml_child(t, "StartBoundary"))) != NULL) {
		irk_buf_addstr(sched, " from ");
		irk_buf_addstr(sched, start);
		xmlFree(start);
	}
	return o;
}

/*
 * The Actions element: every action into actions; the first Exec gives
 * rec's program and arguments and the command line (cmd), else the
 * first COM handler names the command.
 */
static void
task_actions(const xmlNode *n, json_t *rec, json_t *actions,
    struct irk_buf *cmd)
{
	int first_exec = 1;

	for (const xmlNode *a = n->children; a != NULL; a = a->next) {
		json_t *o;

		if (a->type != XML_ELEMENT_NODE || (o = json_object()) == NULL)
			continue;
		irk_json_set_str(o, "type", (const char *)a->name);
		set_text(o, "command", a, "Command");
		set_text(o, "arguments", a, "Arguments");
		set_text(o, "working_directory", a, "WorkingDirectory");
		set_text(o, "class_id", a, "ClassId");
		set_text(o, "data", a, "Data");
		if (irk_xml_is(a, "Exec") && first_exec &&
		    json_object_get(o, "command") != NULL) {
			const char *c = json_string_value(
			    json_object_get(o, "command"));
			const char *g = json_string_value(
			    json_object_get(o, "arguments"));

			first_exec = 0;
			irk_json_set_str(rec, "program", c);
			irk_json_set_str(rec, "arguments", g);
			irk_buf_addstr(cmd, c);
			if (g != NULL) {
				irk_buf_addch(cmd, ' ');
				irk_buf_addstr(cmd, g);
			}
		} else if (irk_xml_is(a, "ComHandler") && cmd->len == 0) {
			const char *id = json_string_value(
			    json_object_get(o, "class_id"));

			irk_buf_addstr(cmd, "COM handler ");
			irk_buf_addstr(cmd, id ? id : "?");
		}
		json_array_append_new(actions, o);
	}
}

json_t *
irk_win_task_parse(const unsigned char *data, size_t len, const char *name,
    struct irk_err *err)
{
	xmlDoc *doc;
	const xmlNode *root, *n;
	json_t *rec = NULL, *triggers, *actions, *principal;
	struct irk_buf sched, cmd;

	if (len == 0 || len > IRK_TASK_XML_MAX || len > (size_t)INT32_MAX) {
		irk_err_set(err, EINVAL, "task '%s': empty or too large", name);
		return NULL;
	}
	doc = xmlReadMemory((const char *)data, (int)len, NULL, NULL,
	    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
	    XML_PARSE_NOBLANKS);
	if (doc == NULL) {
		const xmlError *e = xmlGetLastError();

		irk_err_set(err, EINVAL, "task '%s': not XML%s%s", name,
		    e != NULL && e->message != NULL ? ": " : "",
		    e != NULL && e->message != NULL ? e->message : "");
		/* libxml2 messages end with a newline */
		err->msg[strcspn(err->msg, "\n")] = '\0';
		xmlResetLastError();
		return NULL;
	}
	root = xmlDocGetRootElement(doc);
	if (!irk_xml_is(root, "Task")) {
		irk_err_set(err, EINVAL, "task '%s': XML but not a task", name);
		xmlFreeDoc(doc);
		return NULL;
	}
	irk_buf_init(&sched, 4096);
	irk_buf_init(&cmd, 65536);
	rec = irk_record_new("task");
	triggers = json_array();
	actions = json_array();
	principal = json_object();
	irk_json_set_str(rec, "kind", "windows-task");
	irk_json_set_str(rec, "name", name);
	if ((n = irk_xml_child(root, "RegistrationInfo")) != NULL) {
		set_text(rec, "registration_date", n, "Date");
		set_text(rec, "author", n, "Author");
		set_text(rec, "description", n, "Description");
		set_text(rec, "uri", n, "URI");
	}
	if ((n = irk_xml_child(root, "Triggers")) != NULL)
		for (const xmlNode *t = n->children; t != NULL; t = t->next)
			if (t->type == XML_ELEMENT_NODE)
				json_array_append_new(triggers,
				    trigger(t, &sched));
	if ((n = irk_xml_child(irk_xml_child(root, "Principals"),
	    "Principal")) != NULL) {
		set_text(principal, "user_id", n, "UserId");
		set_text(principal, "group_id", n, "GroupId");
		set_text(principal, "logon_type", n, "LogonType");
		set_text(principal, "run_level", n, "RunLevel");
		if (json_object_get(principal, "user_id") != NULL)
			json_object_set(rec, "user",
			    json_object_get(principal, "user_id"));
		else if (json_object_get(principal, "group_id") != NULL)
			json_object_set(rec, "user",
			    json_object_get(principal, "group_id"));
	}
	if ((n = irk_xml_child(root, "Settings")) != NULL) {
		set_bool(rec, "hidden", n, "Hidden");
		set_bool(rec, "enabled", n, "Enabled");
	}
	if ((n = irk_xml_child(root, "Actions")) != NULL)
		task_actions(n, rec, actions, &cmd);
	if (cmd.len > 0)
		irk_json_set_str(rec, "command", cmd.data);
	if (sched.len > 0)
		irk_json_set_str(rec, "schedule", sched.data);
	json_object_set_new(rec, "triggers", triggers);
	json_object_set_new(rec, "actions", actions);
	json_object_set_new(rec, "principal", principal);
	irk_buf_release(&sched);
	irk_buf_release(&cmd);
	xmlFreeDoc(doc);
	return rec;
}

struct walk {
	struct irk_collect *c;
	struct irk_strmap seen;		/* task names with an XML file */
	struct irk_strmap cache;	/* TaskCache: task name -> json {id, mtime} */
	int r;
};

static void
one_file(struct walk *w, const char *path)
{
	struct irk_collect *c = w->c;
	struct irk_buf b;
	struct irk_stat st;
	struct irk_err err;
	json_t *rec;
	char name[1024], sha[IRK_SHA256_HEX];
	size_t i;

	/* the scheduler's name: "\\Microsoft\\Windows\\Defrag\\X" */
	if (snprintf(name, sizeof(name), "%s", path + strlen(TASKS_DIR)) >=
	    (int)sizeof(name)) {
		irk_err_set(&err, 0, "task name too long");
		irk_collect_log_err(c, IRK_LOG_ERROR, path, &err);
		w->r = irk_worst(w->r, IRK_WARN);
		return;
	}
	for (i = 0; name[i] != '\0'; i++)
		if (name[i] == '/')
			name[i] = '\\';
	/*
	 * A task file that cannot be read or is not a task's XML hides
	 * what it schedules: an error (the image is partial, exit 1).
	 */
	irk_buf_init(&b, IRK_TASK_XML_MAX);
	if (irk_fs_read_file(c->fs, path, &b, &st, &err) != IRK_OK) {
		irk_collect_log_err(c, IRK_LOG_ERROR, path, &err);
		w->r = irk_worst(w->r, IRK_WARN);
		goto out;
	}
	(void)irk_strmap_put(&w->seen, name, NULL);
	rec = irk_win_task_parse((const unsigned char *)b.data, b.len, name,
	    &err);
	if (rec == NULL) {
		irk_collect_log_err(c, IRK_LOG_ERROR, path, &err);
		w->r = irk_worst(w->r, IRK_WARN);
		goto out;
	}
	{
		json_t *ce = irk_strmap_get(&w->cache, name);

		if (ce != NULL) {
			json_object_set(rec, "task_id", json_object_get(ce, "id"));
			irk_json_set_bool(rec, "in_task_cache", 1);
		} else if (w->cache.count > 0)
			irk_json_set_bool(rec, "in_task_cache", 0);
	}
	irk_sha256_hex(b.data, b.len, sha);
	irk_json_set_str(rec, "source_path", path);
	irk_json_set_str(rec, "sha256", sha);
	irk_json_set_time(rec, "mtime", st.mtime);
	irk_json_set_time(rec, "btime", st.btime);
	if (irk_collect_record(c, rec) == IRK_FATAL)
		w->r = IRK_FATAL;
out:
	irk_buf_release(&b);
}

static void
walk_dir(struct walk *w, const char *dir, int depth)
{
	struct irk_collect *c = w->c;
	struct irk_dir *d;
	struct irk_dirent ent;
	struct irk_err err;
	char path[4096];
	int r;

	if (depth > MAX_DEPTH)
		return;
	if (c->fs->ops->opendir(c->fs, dir, &d, &err) != IRK_OK) {
		if (depth > 0) {
			irk_collect_log_err(c, IRK_LOG_WARN, dir, &err);
			w->r = irk_worst(w->r, IRK_WARN);
		}
		return;
	}
	while ((r = c->fs->ops->readdir(d, &ent)) == 1 && w->r != IRK_FATAL) {
		if (irk_path_join(path, sizeof(path), dir, ent.name) != IRK_OK)
			continue;
		if (ent.type == S_IFDIR)
			walk_dir(w, path, depth + 1);
		else if (ent.type == S_IFREG)
			one_file(w, path);
	}
	c->fs->ops->closedir(d);
}

static void
free_json(void *p)
{
	json_decref(p);
}

/* TaskCache\Tasks\{id} Path: the tasks the scheduler knows. */
static void
task_cache_load(struct walk *w)
{
	struct irk_collect *c = w->c;
	struct irk_hive h;
	struct irk_err err;
	libregf_key_t *tasks;
	char id[256];
	int n, i;

	if (irk_hive_open(&h, c->fs, SOFTWARE_HIVE, &err) != IRK_OK) {
		irk_collect_log_err(c, IRK_LOG_WARN, SOFTWARE_HIVE, &err);
		w->r = irk_worst(w->r, IRK_WARN);
		return;
	}
	w->r = irk_worst(w->r, irk_hive_report(&h, c));
	if ((tasks = irk_hive_key(&h, TASKCACHE "\\Tasks")) == NULL) {
		irk_collect_log(c, IRK_LOG_INFO, SOFTWARE_HIVE, 0,
		    "no TaskCache in the SOFTWARE hive");
		irk_hive_close(&h);
		return;
	}
	n = irk_reg_nsubkeys(tasks);
	for (i = 0; i < n; i++) {
		libregf_key_t *k = irk_reg_subkey_at(tasks, i);
		char *path;
		json_t *e;

		if (k == NULL)
			continue;
		irk_reg_key_name(k, id, sizeof(id));
		path = irk_reg_str(k, "Path");
		if (path != NULL && !irk_strmap_has(&w->cache, path) &&
		    (e = json_object()) != NULL) {
			irk_json_set_str(e, "id", id);
			irk_json_set_time(e, "mtime", irk_reg_key_time(k));
			if (irk_strmap_put(&w->cache, path, e) != 0)
				json_decref(e);
		}
		free(path);
		libregf_key_free(&k, NULL);
	}
	libregf_key_free(&tasks, NULL);
	irk_hive_close(&h);
}

/* Tasks the scheduler knows whose XML file is gone. */
static void
task_cache_orphans(struct walk *w)
{
	const char *name;
	void *v;
	size_t i = 0;

	while (w->r != IRK_FATAL && irk_strmap_next(&w->cache, &i, &name, &v)) {
		json_t *e = v, *rec;
		char src[1024];

		if (irk_strmap_has(&w->seen, name))
			continue;
		rec = irk_record_new("task");
		irk_json_set_str(rec, "kind", "windows-task");
		irk_json_set_str(rec, "name", name);
		json_object_set(rec, "task_id", json_object_get(e, "id"));
		irk_json_set_bool(rec, "in_task_cache", 1);
		irk_json_set_bool(rec, "xml_missing", 1);
		snprintf(src, sizeof(src), "%s:%s\\Tasks\\%s", SOFTWARE_HIVE,
		    TASKCACHE, json_string_value(json_object_get(e, "id")));
		irk_json_set_str(rec, "source_path", src);
		json_object_set(rec, "mtime", json_object_get(e, "mtime"));
		if (irk_collect_record(w->c, rec) == IRK_FATAL)
			w->r = IRK_FATAL;
	}
}

static int
win_tasks(struct irk_collect *c)
{
	struct walk w;

	memset(&w, 0, sizeof(w));
	w.c = c;
	irk_strmap_init(&w.seen, NULL);
	irk_strmap_init(&w.cache, free_json);
	task_cache_load(&w);
	walk_dir(&w, TASKS_DIR, 0);
	if (w.r != IRK_FATAL)
		task_cache_orphans(&w);
	irk_strmap_release(&w.seen);
	irk_strmap_release(&w.cache);
	return w.r;
}

const struct irk_collector irk_collector_win_tasks = {
	"win_tasks", "Windows scheduled tasks (XML and TaskCache)",
	IRK_SRC_WINDOWS_ROOT, win_tasks,
};
