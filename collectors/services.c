/*
 * services.c - one "service" record per systemd service, socket and
 * path unit (system scope, global user scope, each account's own user
 * units), SysV init script, rc.local and XDG autostart entry.  Timers
 * are tasks (timers.c).  See docs/services-tasks.md.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "irkit/collect.h"
#include "irkit/json.h"
#include "irkit/parse.h"
#include "unitfile.h"
#include "units.h"
#include "irkit/str.h"
#include "irkit/banned.h"

#define SCRIPT_MAX	(1u << 20)	/* rc.local, init scripts read */
#define CGROUP_DEPTH	10
#define PIDS_MAX	4096

struct svc {
	struct irk_collect *c;
	struct irk_strmap pids;		/* "s:unit" / "u:UID:unit" -> json */
	int have_cgroups;
	int warn;
};

static void
pids_free(void *p)
{
	json_decref(p);
}

/* ---- files a record points at ---- */

static const char *const bin_dirs[] = {
	"/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin",
	"/sbin", "/bin",
};

/*
 * Copy each program (absolute path, or a bare name found in the
 * standard directories, as systemd looks it up) into the evidence.
 * Those not under the root are listed in missing.
 */
static void
copy_programs(struct svc *s, const struct irk_strv *progs, const char *why,
    json_t *missing)
{
	for (size_t i = 0; i < progs->n; i++) {
		const char *p = progs->v[i];
		struct irk_stat st;
		struct irk_err err;
		char path[4096];
		int found = 0;

		if (strchr(p, '$') != NULL || strchr(p, '%') != NULL)
			continue;	/* expanded only at run time */
		if (p[0] == '/') {
			(void)snprintf(path, sizeof(path), "%s", p);
			found = s->c->fs->ops->stat(s->c->fs, path, 1, &st,
			    &err) == IRK_OK;
		} else if (strchr(p, '/') == NULL) {
			for (size_t j = 0; j < sizeof(bin_dirs) /
			    sizeof(bin_dirs[0]) && !found; j++) {
				if (irk_path_join(path, sizeof(path),
				    bin_dirs[j], p) != IRK_OK)
					continue;
				found = s->c->fs->ops->stat(s->c->fs, path, 1,
				    &st, &err) == IRK_OK;
			}
		} else
			continue;
		if (!found) {
			if (missing != NULL)
				json_array_append_new(missing, irk_json_str(p));
			continue;
		}
		if (S_ISREG(st.mode))
			(void)irk_collect_file(s->c, path, why, NULL);
	}
}

/* Copy a unit file, drop-in or script; its sha256 and mtime on rec. */
static void
copy_source(struct svc *s, const char *path, const char *why, json_t *rec)
{
	char sha[IRK_SHA256_HEX];
	struct irk_stat st;
	struct irk_err err;

	if (irk_collect_file(s->c, path, why, sha) == IRK_OK && sha[0] &&
	    rec != NULL)
		irk_json_set_str(rec, "sha256", sha);
	if (rec != NULL && s->c->fs->ops->stat(s->c->fs, path, 1, &st,
	    &err) == IRK_OK)
		irk_json_set_time(rec, "mtime", st.mtime);
}

/* ---- cgroups (live hosts) ---- */

static void
add_pids(struct svc *s, const char *key, const char *procs)
{
	struct irk_buf b;
	const char *line;
	size_t pos = 0, n;
	json_t *arr = irk_strmap_get(&s->pids, key);

	irk_buf_init(&b, 1 << 20);
	if (irk_fs_read_file(s->c->fs, procs, &b, NULL, NULL) == IRK_FAIL) {
		irk_buf_release(&b);
		return;
	}
	if (arr == NULL) {
		arr = json_array();
		if (irk_strmap_put(&s->pids, key, arr) != 0) {
			json_decref(arr);
			irk_buf_release(&b);
			return;
		}
	}
	while (irk_buf_next_line(&b, &pos, &line, &n)) {
		uint64_t pid;

		if (json_array_size(arr) < PIDS_MAX &&
		    irk_parse_u64n(line, n, 10, INT32_MAX, &pid) == 0)
			json_array_append_new(arr, json_integer((json_int_t)pid));
	}
	irk_buf_release(&b);
}

static int
unit_suffix(const char *name)
{
	return irk_has_suffix(name, ".service") ||
	    irk_has_suffix(name, ".socket") || irk_has_suffix(name, ".scope") ||
	    irk_has_suffix(name, ".mount") || irk_has_suffix(name, ".swap");
}

static void
walk_cgroup(struct svc *s, const char *path, int depth, const char *key,
    long uid)
{
	struct irk_dirent de;
	struct irk_dir *d;
	struct irk_err err;
	char procs[4096];

	if (key != NULL && irk_path_join(procs, sizeof(procs), path,
	    "cgroup.procs") == IRK_OK)
		add_pids(s, key, procs);
	if (depth >= CGROUP_DEPTH ||
	    s->c->fs->ops->opendir(s->c->fs, path, &d, &err) != IRK_OK)
		return;
	while (s->c->fs->ops->readdir(d, &de) == 1) {
		char sub[4096], k[600];
		long u = uid;
		const char *nk = key;
		unsigned long x;

		if (de.type != 0 && de.type != S_IFDIR)
			continue;
		if (irk_path_join(sub, sizeof(sub), path, de.name) != IRK_OK)
			continue;
		if (sscanf(de.name, "user@%lu.service", &x) == 1)
			u = (long)x;
		if (unit_suffix(de.name)) {
			if (uid >= 0)
				(void)snprintf(k, sizeof(k), "u:%ld:%s", uid,
				    de.name);
			else
				(void)snprintf(k, sizeof(k), "s:%s", de.name);
			nk = k;
		} else if (de.type == 0 && !irk_has_suffix(de.name, ".slice"))
			continue;
		walk_cgroup(s, sub, depth + 1, nk, u);
	}
	s->c->fs->ops->closedir(d);
}

static void
scan_cgroups(struct svc *s)
{
	static const char *roots[] = { "/sys/fs/cgroup/unified",
	    "/sys/fs/cgroup/systemd", "/sys/fs/cgroup" };
	struct irk_stat st;
	struct irk_err err;

	if (!s->c->fs->live)
		return;
	for (size_t i = 0; i < 3; i++) {
		char p[256];

		(void)snprintf(p, sizeof(p), "%s/system.slice", roots[i]);
		if (s->c->fs->ops->stat(s->c->fs, p, 0, &st, &err) != IRK_OK)
			continue;
		s->have_cgroups = 1;
		walk_cgroup(s, roots[i], 0, NULL, -1);
		return;
	}
	irk_collect_log(s->c, IRK_LOG_INFO, "/sys/fs/cgroup", 0,
	    "no systemd cgroup tree: \"active\" and \"pids\" left out");
}

static void
set_active(struct svc *s, json_t *rec, const char *name, long uid)
{
	char k[600];
	json_t *pids;

	if (!s->have_cgroups)
		return;
	if (uid >= 0)
		(void)snprintf(k, sizeof(k), "u:%ld:%s", uid, name);
	else
		(void)snprintf(k, sizeof(k), "s:%s", name);
	pids = irk_strmap_get(&s->pids, k);
	irk_json_set_bool(rec, "active", pids != NULL &&
	    json_array_size(pids) > 0);
	if (pids != NULL)
		json_object_set(rec, "pids", pids);
	else
		json_object_set_new(rec, "pids", json_array());
}

/* ---- systemd units ---- */

static const struct {
	const char *key;
	const char *field;
} exec_keys[] = {
	{ "ExecStart", "exec_start" },
	{ "ExecStartPre", "exec_start_pre" },
	{ "ExecStartPost", "exec_start_post" },
	{ "ExecReload", "exec_reload" },
	{ "ExecStop", "exec_stop" },
	{ "ExecStopPost", "exec_stop_post" },
	{ "ExecCondition", "exec_condition" },
};

static void
set_expanded(json_t *rec, const char *field, const struct irk_unit *un,
    const char *section, const char *key)
{
	char *v = irk_unit_get_expanded(un, section, key);

	if (v != NULL)
		irk_json_set_str(rec, field, v);
	else
		json_object_set_new(rec, field, json_null());
	free(v);
}

static json_t *
list_json(const struct irk_unit *un, const char *section, const char *key,
    int split, json_t *arr)
{
	size_t idx[1024], n;

	if (arr == NULL)
		arr = json_array();
	n = irk_unitfile_list(&un->uf, section, key, idx, 1024);
	for (size_t i = 0; i < n; i++) {
		const char *v = un->uf.v[idx[i]].value;

		if (!split) {
			json_array_append_new(arr, irk_json_str(v));
			continue;
		}
		for (;;) {
			size_t w;

			v += strspn(v, " \t");
			if ((w = strcspn(v, " \t")) == 0)
				break;
			json_array_append_new(arr, irk_json_strn(v, w));
			v += w;
		}
	}
	return arr;
}

/* A socket's or path unit's: triggers, listen or watch. */
static void
trigger_fields(const struct irk_unit *un, const char *type,
    const char *section, json_t *rec)
{
	static const char *const lk[] = { "ListenStream", "ListenDatagram",
	    "ListenSequentialPacket", "ListenFIFO", "ListenNetlink",
	    "ListenSpecial", "ListenMessageQueue", "ListenUSBFunction" };
	static const char *const pk[] = { "PathExists", "PathExistsGlob",
	    "PathChanged", "PathModified", "DirectoryNotEmpty" };
	const char *t = irk_unitfile_get(&un->uf, section, "Unit");
	int socket = strcmp(type, "socket") == 0;
	char def[300];
	json_t *l;

	if (t == NULL) {
		struct irk_unit_name n;

		(void)irk_unit_name_parse(un->name, &n);
		(void)snprintf(def, sizeof(def), "%.*s.service",
		    (int)(strlen(un->name) - strlen(n.type) - 1), un->name);
		t = def;
	}
	irk_json_set_str(rec, "triggers", t);
	l = json_array();
	for (size_t i = 0; i < (socket ? 8 : 5); i++)
		list_json(un, section, socket ? lk[i] : pk[i], 0, l);
	json_object_set_new(rec, socket ? "listen" : "watch", l);
}

/* Copy the EnvironmentFile= files that exist ("-" ignores a missing one). */
static void
copy_env_files(struct svc *s, json_t *files)
{
	size_t i;
	json_t *v;

	json_array_foreach(files, i, v) {
		const char *p = json_string_value(v);
		struct irk_stat st;
		struct irk_err err;

		if (p == NULL)
			continue;
		if (*p == '-')
			p++;
		if (*p == '/' && s->c->fs->ops->stat(s->c->fs, p, 1, &st,
		    &err) == IRK_OK && S_ISREG(st.mode))
			(void)irk_collect_file(s->c, p,
			    "service environment file", NULL);
	}
}

static int
unit_record(struct svc *s, const struct irk_units *u,
    const struct irk_unit *un, const char *type)
{
	const char *section = strcmp(type, "service") == 0 ? "Service" :
	    strcmp(type, "socket") == 0 ? "Socket" : "Path";
	struct irk_strv progs = { 0 }, paths = { 0 };
	json_t *rec = irk_record_new("service"), *raw, *missing, *inst;
	long uid = -1;

	irk_json_set_str(rec, "name", un->name);
	irk_json_set_str(rec, "kind", "systemd");
	irk_json_set_str(rec, "scope", u->user_scope ? "user" : "system");
	irk_json_set_str(rec, "user", u->owner ? u->owner->name : NULL);
	if (u->owner != NULL)
		uid = (long)u->owner->uid;
	irk_json_set_str(rec, "unit_type", type);
	set_expanded(rec, "description", un, "Unit", "Description");
	set_expanded(rec, "service_type", un, section, "Type");
	for (size_t i = 0; i < sizeof(exec_keys) / sizeof(exec_keys[0]); i++) {
		json_t *a = irk_unit_exec_json(s->c, un, section,
		    exec_keys[i].key, i == 0 ? &raw : NULL, &progs, &paths);

		json_object_set_new(rec, exec_keys[i].field, a);
		if (i == 0)
			json_object_set_new(rec, "exec_start_raw", raw);
	}
	set_expanded(rec, "run_as", un, section, "User");
	set_expanded(rec, "group", un, section, "Group");
	set_expanded(rec, "working_directory", un, section,
	    "WorkingDirectory");
	json_object_set_new(rec, "environment",
	    list_json(un, section, "Environment", 0, NULL));
	json_object_set_new(rec, "environment_files",
	    list_json(un, section, "EnvironmentFile", 0, NULL));
	if (strcmp(type, "service") != 0)
		trigger_fields(un, type, section, rec);
	irk_json_set_bool(rec, "enabled", un->links.n > 0);
	irk_json_set_str(rec, "enablement", irk_unit_enablement(u, un));
	irk_json_set_bool(rec, "masked", un->masked);
	irk_json_set_bool(rec, "template", un->is_template);
	json_object_set_new(rec, "wanted_by", irk_strv_json(&un->wanted_by));
	json_object_set_new(rec, "required_by", irk_strv_json(&un->required_by));
	json_object_set_new(rec, "enabled_by", irk_strv_json(&un->links));
	inst = list_json(un, "Install", "WantedBy", 1, NULL);
	json_object_set_new(rec, "install_wanted_by", inst);
	json_object_set_new(rec, "install_required_by",
	    list_json(un, "Install", "RequiredBy", 1, NULL));
	json_object_set_new(rec, "aliases", irk_strv_json(&un->aliases));
	irk_json_set_str(rec, "unit_path", un->unit_path);
	irk_json_set_str(rec, "fragment_path", un->fragment);
	json_object_set_new(rec, "dropins", irk_strv_json(&un->dropins));
	if (un->error != NULL)
		irk_json_set_str(rec, "load_error", un->error);
	json_object_set_new(rec, "sha256", json_null());
	json_object_set_new(rec, "mtime", json_null());
	if (un->fragment != NULL)
		copy_source(s, un->fragment, "unit file", rec);
	else if (un->masked && un->unit_path != NULL) {
		struct irk_stat st;
		struct irk_err err;

		if (s->c->fs->ops->stat(s->c->fs, un->unit_path, 0, &st,
		    &err) == IRK_OK)
			irk_json_set_time(rec, "mtime", st.mtime);
	}
	for (size_t i = 0; i < un->dropins.n; i++)
		copy_source(s, un->dropins.v[i], "unit drop-in", NULL);
	missing = json_array();
	if (!un->masked && !un->is_template) {
		copy_programs(s, &progs, "service program", missing);
		copy_programs(s, &paths, "service program argument", NULL);
	}
	json_object_set_new(rec, "exec_missing", missing);
	copy_env_files(s, json_object_get(rec, "environment_files"));
	if (!un->is_template)
		set_active(s, rec, un->name, uid);
	irk_strv_release(&progs);
	irk_strv_release(&paths);
	return irk_collect_record(s->c, rec);
}

/* The unit types this collector reports. */
static int
service_type(const char *name)
{
	return irk_has_suffix(name, ".service") ||
	    irk_has_suffix(name, ".socket") || irk_has_suffix(name, ".path");
}

static int
service_unit(void *arg, const struct irk_units *u, const struct irk_unit *un)
{
	return unit_record(arg, u, un, strrchr(un->name, '.') + 1);
}

/* ---- SysV init scripts ---- */

static int
sysv_skip(const char *n)
{
	static const char *skip[] = { "README", "skeleton", "rc", "rcS",
	    "functions", ".depend.boot", ".depend.start", ".depend.stop",
	    ".legacy-bootordering" };

	for (size_t i = 0; i < sizeof(skip) / sizeof(skip[0]); i++)
		if (strcmp(n, skip[i]) == 0)
			return 1;
	return n[0] == '.' || irk_has_suffix(n, ".dpkg-old") ||
	    irk_has_suffix(n, ".dpkg-dist") || irk_has_suffix(n, ".dpkg-new") ||
	    irk_has_suffix(n, "~");
}

/* "# Short-Description: x" and friends from the LSB header. */
static json_t *
lsb_field(const struct irk_buf *b, const char *key)
{
	const char *line;
	size_t pos = 0, n, kl = strlen(key);

	while (irk_buf_next_line(b, &pos, &line, &n)) {
		const char *p = line;
		size_t left = n;

		if (left == 0 || *p != '#')
			continue;
		p++;
		left--;
		while (left > 0 && (*p == ' ' || *p == '\t')) {
			p++;
			left--;
		}
		if (left > kl && strncmp(p, key, kl) == 0 && p[kl] == ':') {
			p += kl + 1;
			left -= kl + 1;
			while (left > 0 && (*p == ' ' || *p == '\t')) {
				p++;
				left--;
			}
			while (left > 0 && (p[left - 1] == ' ' ||
			    p[left - 1] == '\t'))
				left--;
			return irk_json_strn(p, left);
		}
		if (strncmp(p, "### END INIT INFO", 17) == 0)
			break;
	}
	return json_null();
}

static int
collect_sysv(struct svc *s, const struct irk_strv *native)
{
	static const char rl[] = "0123456S";
	struct irk_strv scripts = { 0 };
	json_t *start[8], *stop[8];
	struct irk_dirent de;
	struct irk_dir *d;
	struct irk_err err;
	int r = IRK_OK;

	irk_err_clear(&err);
	if (s->c->fs->ops->opendir(s->c->fs, "/etc/init.d", &d, &err) !=
	    IRK_OK) {
		if (err.errnum != ENOENT) {
			irk_collect_log_err(s->c, IRK_LOG_WARN, "/etc/init.d",
			    &err);
			s->warn = 1;
		}
		return IRK_OK;
	}
	while (s->c->fs->ops->readdir(d, &de) == 1 && scripts.n < 10000)
		if (!sysv_skip(de.name))
			(void)irk_strv_add(&scripts, de.name);
	s->c->fs->ops->closedir(d);
	irk_strv_sort(&scripts);
	/* runlevel links: /etc/rcN.d/SNNname, KNNname */
	for (int i = 0; i < 8; i++) {
		char dir[32];

		start[i] = json_object();
		stop[i] = json_object();
		(void)snprintf(dir, sizeof(dir), "/etc/rc%c.d", rl[i]);
		if (s->c->fs->ops->opendir(s->c->fs, dir, &d, &err) != IRK_OK)
			continue;
		while (s->c->fs->ops->readdir(d, &de) == 1) {
			size_t n = strlen(de.name);

			if (n < 4 || (de.name[0] != 'S' && de.name[0] != 'K') ||
			    de.name[1] < '0' || de.name[1] > '9' ||
			    de.name[2] < '0' || de.name[2] > '9')
				continue;
			json_object_set_new(de.name[0] == 'S' ? start[i] :
			    stop[i], de.name + 3, json_true());
		}
		s->c->fs->ops->closedir(d);
	}
	for (size_t i = 0; i < scripts.n && r != IRK_FATAL; i++) {
		const char *n = scripts.v[i];
		json_t *rec, *argv, *es, *sr = json_array(), *kr = json_array();
		struct irk_stat st;
		struct irk_buf b;
		char path[300], unit[300];
		int enabled = 0;

		(void)snprintf(path, sizeof(path), "/etc/init.d/%s", n);
		if (s->c->fs->ops->stat(s->c->fs, path, 1, &st, &err) !=
		    IRK_OK || !S_ISREG(st.mode)) {
			json_decref(sr);
			json_decref(kr);
			continue;
		}
		rec = irk_record_new("service");
		irk_json_set_str(rec, "name", n);
		irk_json_set_str(rec, "kind", "sysv");
		irk_json_set_str(rec, "scope", "system");
		json_object_set_new(rec, "user", json_null());
		irk_json_set_str(rec, "unit_type", "sysv");
		irk_buf_init(&b, SCRIPT_MAX);
		(void)irk_fs_read_file(s->c->fs, path, &b, NULL, NULL);
		json_object_set_new(rec, "description",
		    lsb_field(&b, "Short-Description"));
		json_object_set_new(rec, "provides", lsb_field(&b, "Provides"));
		irk_buf_release(&b);
		argv = json_array();
		json_array_append_new(argv, irk_json_str(path));
		json_array_append_new(argv, json_string("start"));
		es = json_array();
		json_array_append_new(es, argv);
		json_object_set_new(rec, "exec_start", es);
		for (int k = 0; k < 8; k++) {
			char w[2] = { rl[k], 0 };

			if (json_object_get(start[k], n) != NULL) {
				json_array_append_new(sr, json_string(w));
				if (k >= 2 && k <= 5)
					enabled = 1;
				if (rl[k] == 'S')
					enabled = 1;
			}
			if (json_object_get(stop[k], n) != NULL)
				json_array_append_new(kr, json_string(w));
		}
		json_object_set_new(rec, "start_runlevels", sr);
		json_object_set_new(rec, "stop_runlevels", kr);
		irk_json_set_bool(rec, "enabled", enabled);
		irk_json_set_bool(rec, "masked", 0);
		(void)snprintf(unit, sizeof(unit), "%s.service", n);
		/* systemd's sysv-generator skips scripts with a native unit */
		irk_json_set_bool(rec, "has_native_unit",
		    irk_strv_has(native, unit));
		irk_json_set_bool(rec, "executable", (st.mode & 0111) != 0);
		irk_json_set_str(rec, "fragment_path", path);
		copy_source(s, path, "init script", rec);
		r = irk_collect_record(s->c, rec);
	}
	for (int i = 0; i < 8; i++) {
		json_decref(start[i]);
		json_decref(stop[i]);
	}
	irk_strv_release(&scripts);
	return r == IRK_FATAL ? IRK_FATAL : IRK_OK;
}

/* ---- rc.local ---- */

static int
same_file(struct svc *s, const char *a, const char *b)
{
	struct irk_stat sa, sb;
	struct irk_err err;

	return b != NULL && s->c->fs->ops->stat(s->c->fs, a, 1, &sa,
	    &err) == IRK_OK && s->c->fs->ops->stat(s->c->fs, b, 1, &sb,
	    &err) == IRK_OK && sa.dev == sb.dev && sa.ino == sb.ino;
}

/* path; other: a path already reported (links between the two) */
static int
collect_rc_local(struct svc *s, const char *path, const char *other)
{
	struct irk_buf b;
	struct irk_stat st;
	struct irk_err err;
	json_t *rec, *cmds, *es, *argv;
	const char *line;
	size_t pos = 0, n;
	unsigned lineno = 0;
	int r;

	if (same_file(s, path, other))
		return IRK_OK;
	irk_err_clear(&err);
	irk_buf_init(&b, SCRIPT_MAX);
	r = irk_fs_read_file(s->c->fs, path, &b, &st, &err);
	if (r == IRK_FAIL) {
		if (err.errnum != ENOENT) {
			irk_collect_log_err(s->c, IRK_LOG_WARN, path, &err);
			s->warn = 1;
		}
		irk_buf_release(&b);
		return IRK_OK;
	}
	if (r == IRK_TOOBIG) {
		irk_collect_log(s->c, IRK_LOG_WARN, path, EFBIG,
		    "only the first %u bytes read", SCRIPT_MAX);
		s->warn = 1;
	}
	rec = irk_record_new("service");
	irk_json_set_str(rec, "name", strrchr(path, '/') + 1);
	irk_json_set_str(rec, "kind", "rc-local");
	irk_json_set_str(rec, "scope", "system");
	json_object_set_new(rec, "user", json_null());
	irk_json_set_str(rec, "unit_type", "rc-local");
	argv = json_array();
	json_array_append_new(argv, irk_json_str(path));
	es = json_array();
	json_array_append_new(es, argv);
	json_object_set_new(rec, "exec_start", es);
	cmds = json_array();
	while (irk_buf_next_line(&b, &pos, &line, &n)) {
		const char *p = line;
		size_t left = n;
		json_t *o;

		lineno++;
		while (left > 0 && (*p == ' ' || *p == '\t')) {
			p++;
			left--;
		}
		if (left == 0 || *p == '#')
			continue;
		if (left > 4096) {
			irk_collect_log(s->c, IRK_LOG_WARN, path, 0,
			    "line %u: longer than 4096 bytes, kept cut", lineno);
			left = 4096;
		}
		o = json_object();
		irk_json_set_int(o, "line", lineno);
		irk_json_set_strn(o, "command", p, left);
		json_array_append_new(cmds, o);
	}
	json_object_set_new(rec, "commands", cmds);
	/* systemd-rc-local-generator: only an executable rc.local runs */
	irk_json_set_bool(rec, "enabled", (st.mode & 0111) != 0);
	irk_json_set_bool(rec, "masked", 0);
	irk_json_set_str(rec, "fragment_path", path);
	copy_source(s, path, "rc.local", rec);
	irk_buf_release(&b);
	return irk_collect_record(s->c, rec);
}

/* ---- XDG autostart ---- */

static int
desktop_record(struct svc *s, const char *path, const char *user,
    json_t *shadowed)
{
	struct irk_unitfile uf = { 0 };
	struct irk_strv argv = { 0 }, progs = { 0 }, paths = { 0 };
	struct irk_buf b;
	struct irk_err err;
	json_t *rec, *es, *a, *missing;
	const char *v;
	int r, enabled = 1, bv;

	irk_buf_init(&b, SCRIPT_MAX);
	r = irk_fs_read_file(s->c->fs, path, &b, NULL, &err);
	if (r == IRK_FAIL) {
		irk_collect_log_err(s->c, IRK_LOG_WARN, path, &err);
		s->warn = 1;
		irk_buf_release(&b);
		return IRK_OK;
	}
	(void)irk_unitfile_parse(&uf, b.data, b.len, path, IRK_UNITFILE_NOCONT,
	    NULL, NULL);
	irk_buf_release(&b);
	rec = irk_record_new("service");
	irk_json_set_str(rec, "name", strrchr(path, '/') + 1);
	irk_json_set_str(rec, "kind", "xdg-autostart");
	irk_json_set_str(rec, "scope", user ? "user" : "system");
	irk_json_set_str(rec, "user", user);
	irk_json_set_str(rec, "unit_type", "desktop");
	irk_json_set_str(rec, "description",
	    irk_unitfile_get(&uf, "Desktop Entry", "Name"));
	v = irk_unitfile_get(&uf, "Desktop Entry", "Exec");
	irk_json_set_str(rec, "exec_raw", v);
	es = json_array();
	if (v != NULL && irk_desktop_exec_split(v, &argv) == 0 && argv.n > 0) {
		a = irk_strv_json(&argv);
		json_array_append_new(es, a);
		(void)irk_strv_add(&progs, argv.v[0]);
		for (size_t i = 1; i < argv.n; i++)
			if (argv.v[i][0] == '/')
				(void)irk_strv_add(&paths, argv.v[i]);
	} else if (v != NULL) {
		irk_collect_log(s->c, IRK_LOG_WARN, path, 0,
		    "Exec= does not parse: unbalanced quotes");
		s->warn = 1;
	}
	json_object_set_new(rec, "exec_start", es);
	if ((v = irk_unitfile_get(&uf, "Desktop Entry", "Hidden")) != NULL &&
	    irk_unit_parse_bool(v, &bv) == 0 && bv)
		enabled = 0;
	if ((v = irk_unitfile_get(&uf, "Desktop Entry",
	    "X-GNOME-Autostart-enabled")) != NULL &&
	    irk_unit_parse_bool(v, &bv) == 0 && !bv)
		enabled = 0;
	irk_json_set_str(rec, "only_show_in",
	    irk_unitfile_get(&uf, "Desktop Entry", "OnlyShowIn"));
	irk_json_set_str(rec, "try_exec",
	    irk_unitfile_get(&uf, "Desktop Entry", "TryExec"));
	irk_json_set_bool(rec, "enabled", enabled);
	irk_json_set_bool(rec, "masked", 0);
	if (shadowed != NULL)
		json_object_set(rec, "overridden_for", shadowed);
	irk_json_set_str(rec, "fragment_path", path);
	copy_source(s, path, "xdg autostart entry", rec);
	missing = json_array();
	copy_programs(s, &progs, "autostart program", missing);
	copy_programs(s, &paths, "autostart program argument", NULL);
	json_object_set_new(rec, "exec_missing", missing);
	irk_strv_release(&argv);
	irk_strv_release(&progs);
	irk_strv_release(&paths);
	irk_unitfile_release(&uf);
	return irk_collect_record(s->c, rec);
}

static void
list_desktop(struct svc *s, const char *dir, struct irk_strv *out)
{
	struct irk_dirent de;
	struct irk_dir *d;
	struct irk_err err;

	irk_err_clear(&err);
	if (s->c->fs->ops->opendir(s->c->fs, dir, &d, &err) != IRK_OK) {
		if (err.errnum != ENOENT) {
			irk_collect_log_err(s->c, IRK_LOG_WARN, dir, &err);
			s->warn = 1;
		}
		return;
	}
	while (s->c->fs->ops->readdir(d, &de) == 1 && out->n < 10000)
		if (irk_has_suffix(de.name, ".desktop"))
			(void)irk_strv_add(out, de.name);
	s->c->fs->ops->closedir(d);
	irk_strv_sort(out);
}

static int
collect_xdg(struct svc *s, const struct irk_user *const *homes, size_t nh)
{
	struct irk_strv sys = { 0 };
	struct irk_strv *per = calloc(nh ? nh : 1, sizeof(*per));
	int r = IRK_OK;

	if (per == NULL)
		return IRK_FAIL;
	list_desktop(s, "/etc/xdg/autostart", &sys);
	for (size_t h = 0; h < nh; h++) {
		char dir[4096];

		(void)snprintf(dir, sizeof(dir), "%s/.config/autostart",
		    homes[h]->home);
		list_desktop(s, dir, &per[h]);
	}
	for (size_t i = 0; i < sys.n && r != IRK_FATAL; i++) {
		char p[4096];
		json_t *shadowed = json_array();

		/* a user's file of the same name replaces it for that user */
		for (size_t h = 0; h < nh; h++)
			if (irk_strv_has(&per[h], sys.v[i]))
				json_array_append_new(shadowed,
				    irk_json_str(homes[h]->name));
		(void)snprintf(p, sizeof(p), "/etc/xdg/autostart/%s", sys.v[i]);
		r = desktop_record(s, p, NULL, shadowed);
		json_decref(shadowed);
	}
	for (size_t h = 0; h < nh && r != IRK_FATAL; h++)
		for (size_t i = 0; i < per[h].n && r != IRK_FATAL; i++) {
			char p[4096];

			(void)snprintf(p, sizeof(p), "%s/.config/autostart/%s",
			    homes[h]->home, per[h].v[i]);
			r = desktop_record(s, p, homes[h]->name, NULL);
		}
	for (size_t h = 0; h < nh; h++)
		irk_strv_release(&per[h]);
	free(per);
	irk_strv_release(&sys);
	return r == IRK_FATAL ? IRK_FATAL : IRK_OK;
}

/* Names of the system units, for the SysV "has_native_unit" check. */
static void
native_units(struct svc *s, struct irk_strv *out)
{
	static const char *dirs[] = { "/etc/systemd/system",
	    "/run/systemd/system", "/usr/local/lib/systemd/system",
	    "/lib/systemd/system", "/usr/lib/systemd/system" };

	for (size_t i = 0; i < 5; i++) {
		struct irk_dirent de;
		struct irk_dir *d;
		struct irk_err err;

		if (s->c->fs->ops->opendir(s->c->fs, dirs[i], &d, &err) !=
		    IRK_OK)
			continue;
		while (s->c->fs->ops->readdir(d, &de) == 1 && out->n < 100000)
			if (irk_has_suffix(de.name, ".service") &&
			    !irk_strv_has(out, de.name))
				(void)irk_strv_add(out, de.name);
		s->c->fs->ops->closedir(d);
	}
}

static int
collect_services(struct irk_collect *c)
{
	const struct irk_user **homes = NULL;
	struct irk_strv native = { 0 };
	struct svc s;
	size_t nh = 0;
	int r;

	memset(&s, 0, sizeof(s));
	s.c = c;
	irk_strmap_init(&s.pids, pids_free);
	scan_cgroups(&s);
	if (irk_units_homes(c, &homes, &nh) != IRK_OK)
		return IRK_FAIL;
	/* every part runs; the worst result of them is kept */
	r = irk_units_each(c, homes, nh, service_type, service_unit, &s);
	if (r != IRK_FATAL) {
		native_units(&s, &native);
		r = irk_worst(r, collect_sysv(&s, &native));
	}
	if (r != IRK_FATAL)
		r = irk_worst(r, collect_rc_local(&s, "/etc/rc.local", NULL));
	if (r != IRK_FATAL)
		r = irk_worst(r, collect_rc_local(&s, "/etc/rc.d/rc.local",
		    "/etc/rc.local"));
	if (r != IRK_FATAL)
		r = irk_worst(r, collect_xdg(&s, homes, nh));
	irk_strv_release(&native);
	free(homes);
	irk_strmap_release(&s.pids);
	r = irk_worst(r, s.warn ? IRK_WARN : IRK_OK);
	/* a part that failed leaves the others' records: partial */
	return r == IRK_FAIL ? IRK_WARN : r;
}

const struct irk_collector irk_collector_services = {
	"services", "systemd units, SysV scripts, rc.local, XDG autostart",
	IRK_SRC_LIVE | IRK_SRC_LINUX_ROOT, collect_services,
};
