/*
 * processes.c - one "process" record per process in the root's /proc,
 * with its sockets, and a copy of every distinct executable (also those
 * deleted from disk, read back through /proc/<pid>/exe on a live host).
 *
 * Processes come from the /proc listing; then every pid up to a limit
 * is probed with a stat of /proc/<pid>: a process that answers but is
 * not listed (and is not a thread, nor new since the listing) is
 * reported with "hidden": true.  Last, one "socket" record per line of
 * the socket tables of every network namespace reached, with the
 * processes that hold it, or "owner": null and why.  See docs/FORMAT.md
 * for the fields.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "proc_parse.h"
#include "irkit/collect.h"
#include "irkit/json.h"
#include "irkit/parse.h"
#include "irkit/timeutil.h"
#include "irkit/banned.h"

#define SMALL_MAX	(64u << 10)	/* stat, status, cgroup */
#define CMDLINE_MAX	(1u << 20)
#define NET_MAX		(64u << 20)	/* one /proc/net table */
#define LINE_MAX_PROC	4096		/* longer socket lines are skipped */
#define PROBE_MARGIN	32768		/* pids probed past the highest seen */
#define PF_KTHREAD	0x00200000

enum { ONE_OK, ONE_GONE, ONE_SKIP };

struct sock_ent {
	uint64_t inode;
	size_t seq;		/* line order, for the socket records */
	json_t *obj;		/* the socket's JSON, without fd */
	json_t *owners;		/* [{pid, name, fd}] or NULL */
};

struct sock_table {
	uint64_t netns;		/* 0: unknown (a fixture root) */
	struct sock_ent *v;
	size_t n;
	size_t cap;
	int64_t fd_denied;	/* processes of it whose fds were refused */
};

struct procs {
	struct irk_collect *c;
	int procfd;		/* O_PATH on <root>/proc, for probes */
	int live;
	int64_t btime_us;	/* boot time, from /proc/stat */
	long clk_tck;
	long page_size;
	struct sock_table *tables;
	size_t ntables;
	uint64_t self_netns;	/* ours: for processes whose ns is hidden */
	struct irk_buf small;
	struct irk_buf cmdline;
	struct irk_buf link;
	struct irk_buf net;
	int64_t *listed;	/* sorted pids of the /proc listing */
	size_t nlisted;
	int64_t collect_start;	/* us, to tell new processes */
};

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

static int
cmp_sock(const void *a, const void *b)
{
	const struct sock_ent *x = a, *y = b;

	return x->inode < y->inode ? -1 : x->inode > y->inode;
}

static int
cmp_seq(const void *a, const void *b)
{
	const struct sock_ent *x = a, *y = b;

	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Read /proc/<rel> into b; IRK_OK, IRK_TOOBIG (b holds the start), IRK_FAIL. */
static int
read_proc(struct procs *p, const char *rel, struct irk_buf *b,
    struct irk_err *err)
{
	char path[256];

	if (snprintf(path, sizeof(path), "/proc/%s", rel) >= (int)sizeof(path)) {
		irk_err_set(err, ENAMETOOLONG, "path too long");
		return IRK_FAIL;
	}
	irk_buf_reset(b);
	return irk_fs_read_file(p->c->fs, path, b, NULL, err);
}

static int
readlink_proc(struct procs *p, const char *rel, struct irk_err *err)
{
	char path[512];

	if (snprintf(path, sizeof(path), "/proc/%s", rel) >= (int)sizeof(path)) {
		irk_err_set(err, ENAMETOOLONG, "path too long");
		return IRK_FAIL;
	}
	return p->c->fs->ops->readlink(p->c->fs, path, &p->link, err);
}

/* Boot time from /proc/stat "btime". */
static void
load_btime(struct procs *p)
{
	struct irk_err err;
	const char *line;
	size_t pos = 0, len;
	uint64_t v;

	p->btime_us = IRK_TIME_NONE;
	if (read_proc(p, "stat", &p->small, &err) == IRK_FAIL) {
		irk_collect_log_err(p->c, IRK_LOG_WARN, "/proc/stat", &err);
		return;
	}
	while (irk_buf_next_line(&p->small, &pos, &line, &len))
		if (len > 6 && memcmp(line, "btime ", 6) == 0 &&
		    irk_parse_u64n(line + 6, len - 6, 10, INT64_MAX / 1000000,
		    &v) == 0)
			p->btime_us = (int64_t)v * 1000000;
}

static int
table_add(struct sock_table *t, uint64_t inode, json_t *obj)
{
	if (t->n == t->cap) {
		size_t ncap = t->cap ? t->cap * 2 : 64;
		struct sock_ent *nv = realloc(t->v, ncap * sizeof(*nv));

		if (nv == NULL) {
			json_decref(obj);
			return -1;
		}
		t->v = nv;
		t->cap = ncap;
	}
	t->v[t->n].inode = inode;
	t->v[t->n].seq = t->n;
	t->v[t->n].obj = obj;
	t->v[t->n].owners = NULL;
	t->n++;
	return 0;
}

static json_t *
inet_obj(const char *proto, const struct irk_proc_sock *s, int udp)
{
	json_t *o = json_object();

	irk_json_set_str(o, "proto", proto);
	irk_json_set_str(o, "local_address", s->local);
	irk_json_set_int(o, "local_port", s->lport);
	irk_json_set_str(o, "remote_address", s->remote);
	irk_json_set_int(o, "remote_port", s->rport);
	irk_json_set_str(o, "state", udp ? irk_proc_udp_state(s->state) :
	    irk_proc_tcp_state(s->state));
	irk_json_set_int(o, "inode", (int64_t)s->inode);
	irk_json_set_int(o, "uid", s->uid);
	return o;
}

static json_t *
unix_obj(const struct irk_proc_sock *s)
{
	json_t *o = json_object();

	irk_json_set_str(o, "proto", "unix");
	irk_json_set_str(o, "type", irk_proc_unix_type(s->type));
	irk_json_set_str(o, "state", irk_proc_unix_state(s));
	irk_json_set_int(o, "inode", (int64_t)s->inode);
	if (s->path != NULL)
		irk_json_set_strn(o, "path", s->path, s->path_len);
	else
		json_object_set_new(o, "path", json_null());
	return o;
}

/*
 * Load the socket tables of one network namespace: from
 * /proc/<pid>/net/ on a live host (each pid sees its own namespace),
 * from /proc/net/ in a fixture root.
 */
static void
load_table(struct procs *p, struct sock_table *t, const char *pid)
{
	static const struct {
		const char *name;
		int kind;	/* 0 tcp, 1 udp and raw, 2 unix */
		int v6;
	} files[] = {
		{ "tcp", 0, 0 }, { "tcp6", 0, 1 }, { "udp", 1, 0 },
		{ "udp6", 1, 1 }, { "raw", 1, 0 }, { "raw6", 1, 1 },
		{ "unix", 2, 0 },
	};

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char rel[128];
		struct irk_err err;
		const char *line;
		size_t pos = 0, len;
		int r, first = 1, bad = 0, longl = 0;

		if (pid != NULL)
			(void)snprintf(rel, sizeof(rel), "%s/net/%s", pid,
			    files[i].name);
		else
			(void)snprintf(rel, sizeof(rel), "net/%s",
			    files[i].name);
		r = read_proc(p, rel, &p->net, &err);
		if (r == IRK_FAIL) {
			/* tcp6, udp6 and raw6 are missing without IPv6 */
			if (err.errnum != ENOENT)
				irk_collect_log_err(p->c, IRK_LOG_WARN, NULL,
				    &err);
			continue;
		}
		if (r == IRK_TOOBIG)
			irk_collect_log(p->c, IRK_LOG_WARN, NULL, EFBIG,
			    "'/proc/%s' over %u bytes, the rest not read", rel,
			    NET_MAX);
		while (irk_buf_next_line(&p->net, &pos, &line, &len)) {
			struct irk_proc_sock s;
			json_t *o;

			if (first) {	/* the header */
				first = 0;
				continue;
			}
			if (len == 0)
				continue;
			if (len > LINE_MAX_PROC) {
				longl++;
				continue;
			}
			if (files[i].kind == 2)
				r = irk_proc_parse_unix(line, len, &s);
			else
				r = irk_proc_parse_inet(line, len,
				    files[i].v6, &s);
			if (r != 0) {
				bad++;
				continue;
			}
			o = files[i].kind == 2 ? unix_obj(&s) :
			    inet_obj(files[i].name, &s, files[i].kind == 1);
			if (table_add(t, s.inode, o) != 0)
				break;
		}
		if (bad || longl)
			irk_collect_log(p->c, IRK_LOG_WARN, NULL, 0,
			    "'/proc/%s': %d lines not understood, %d over %d "
			    "bytes skipped", rel, bad, longl, LINE_MAX_PROC);
	}
	if (t->n > 1)	/* t->v is NULL while the table is empty */
		qsort(t->v, t->n, sizeof(*t->v), cmp_sock);
}

static struct sock_table *
get_table(struct procs *p, uint64_t netns, const char *pid)
{
	struct sock_table *nt;
	const char *from = pid;

	if (!p->live) {
		netns = 0;	/* a fixture root has one /proc/net */
		from = NULL;
	} else if (netns == 0) {
		/* its ns link is hidden from us: take it to be ours */
		netns = p->self_netns;
		from = NULL;
	}
	for (size_t i = 0; i < p->ntables; i++)
		if (p->tables[i].netns == netns)
			return &p->tables[i];
	nt = realloc(p->tables, (p->ntables + 1) * sizeof(*nt));
	if (nt == NULL)
		return NULL;
	p->tables = nt;
	nt = &p->tables[p->ntables++];
	memset(nt, 0, sizeof(*nt));
	nt->netns = netns;
	load_table(p, nt, from);
	return nt;
}

static struct sock_ent *
find_sock(const struct sock_table *t, uint64_t inode)
{
	struct sock_ent key = { inode, 0, NULL, NULL };

	if (t == NULL || t->n == 0)
		return NULL;
	return bsearch(&key, t->v, t->n, sizeof(*t->v), cmp_sock);
}

/* Add a "what: error" note to the denied list of a process. */
static void
note_denied(struct irk_buf *denied, const char *what, int errnum)
{
	if (denied->len > 0)
		(void)irk_buf_addstr(denied, ", ");
	(void)irk_buf_printf(denied, "%s (%s)", what, strerror(errnum));
}

/* Does /proc/<pid> still hold the process that started at starttime? */
static int
still_there(struct procs *p, const char *pid, uint64_t starttime)
{
	struct irk_proc_stat ps;
	struct irk_err err;
	char rel[64];

	(void)snprintf(rel, sizeof(rel), "%s/stat", pid);
	if (read_proc(p, rel, &p->small, &err) != IRK_OK ||
	    irk_proc_parse_stat(p->small.data, p->small.len, &ps) != 0)
		return 0;
	return ps.starttime == starttime;
}

/* Strip " (deleted)" from the link text in p->link; 1 if it was there. */
static int
strip_deleted(struct irk_buf *b)
{
	static const char suffix[] = " (deleted)";
	size_t n = sizeof(suffix) - 1;

	if (b->len >= n && memcmp(b->data + b->len - n, suffix, n) == 0) {
		b->len -= n;
		b->data[b->len] = '\0';
		return 1;
	}
	return 0;
}

/*
 * Copy the executable: on a live host through the magic link (which
 * also reads deleted files), in a fixture root through the fs.
 */
static void
copy_exe(struct procs *p, const char *pid, const char *exe, int deleted,
    json_t *rec, struct irk_buf *denied)
{
	char sha[IRK_SHA256_HEX], path[64];
	struct irk_file *f;
	struct irk_stat st;
	struct irk_err err;
	int fd;

	sha[0] = '\0';
	if (p->live) {
		(void)snprintf(path, sizeof(path), "/proc/%s/exe", pid);
		fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
		if (fd < 0) {
			if (errno == EACCES || errno == EPERM)
				note_denied(denied, "exe", errno);
			else if (errno != ENOENT)
				irk_collect_log(p->c, IRK_LOG_WARN, path,
				    errno, "cannot open executable");
			goto out;
		}
		if (irk_fs_host_wrap_fd(p->c->fs, fd, &f, &err) != IRK_OK) {
			close(fd);
			goto out;
		}
		(void)irk_collect_file_open(p->c, f, exe, deleted ?
		    "deleted process executable" : "process executable", sha);
		irk_fs_close(p->c->fs, f);
	} else {
		if (p->c->fs->ops->stat(p->c->fs, exe, 1, &st, &err) != IRK_OK ||
		    (st.mode & S_IFMT) != S_IFREG)
			goto out;
		(void)irk_collect_file(p->c, exe, "process executable", sha);
	}
out:
	irk_json_set_str(rec, "exe_sha256", sha[0] ? sha : NULL);
}

/* The process of rec holds se at fd. */
static void
add_owner(struct sock_ent *se, json_t *rec, int64_t fd)
{
	json_t *o = json_object();

	if (se->owners == NULL && (se->owners = json_array()) == NULL) {
		json_decref(o);
		return;
	}
	json_object_set(o, "pid", json_object_get(rec, "pid"));
	json_object_set(o, "name", json_object_get(rec, "name"));
	irk_json_set_int(o, "fd", fd);
	json_array_append_new(se->owners, o);
}

/* Sockets and fd count from /proc/<pid>/fd. */
static void
read_fds(struct procs *p, const char *pid, uint64_t netns, json_t *rec,
    struct irk_buf *denied)
{
	struct sock_table *t = NULL;
	struct irk_dir *d;
	struct irk_dirent de;
	struct irk_err err;
	char path[64], fpath[384];
	json_t *socks = json_array();
	int64_t nfd = 0;
	int link_err = 0;

	(void)snprintf(path, sizeof(path), "/proc/%s/fd", pid);
	if (p->c->fs->ops->opendir(p->c->fs, path, &d, &err) != IRK_OK) {
		if ((err.errnum == EACCES || err.errnum == EPERM) &&
		    (t = get_table(p, netns, pid)) != NULL)
			t->fd_denied++;	/* its sockets will have no owner */
		if (err.errnum == EACCES || err.errnum == EPERM)
			note_denied(denied, "fd", err.errnum);
		json_object_set_new(rec, "fd_count", json_null());
		json_object_set_new(rec, "sockets", socks);
		return;
	}
	while (p->c->fs->ops->readdir(d, &de) == 1) {
		struct sock_ent *se;
		uint64_t ino, fdn;
		json_t *o;

		if (irk_parse_u64(de.name, 10, INT32_MAX, &fdn) != 0)
			continue;
		nfd++;
		(void)snprintf(fpath, sizeof(fpath), "%s/%s", path, de.name);
		if (p->c->fs->ops->readlink(p->c->fs, fpath, &p->link, &err) !=
		    IRK_OK) {
			if (err.errnum == EACCES || err.errnum == EPERM)
				link_err = err.errnum;
			continue;
		}
		if (irk_proc_parse_link_id(p->link.data, p->link.len, "socket",
		    &ino) != 0)
			continue;
		if (t == NULL && (t = get_table(p, netns, pid)) == NULL)
			break;
		if ((se = find_sock(t, ino)) == NULL) {
			/* netlink, packet, or a socket of another family */
			o = json_object();
			irk_json_set_str(o, "proto", "other");
			irk_json_set_int(o, "inode", (int64_t)ino);
		} else {
			o = json_deep_copy(se->obj);
			add_owner(se, rec, (int64_t)fdn);
		}
		irk_json_set_int(o, "fd", (int64_t)fdn);
		json_array_append_new(socks, o);
	}
	p->c->fs->ops->closedir(d);
	if (link_err != 0) {
		/* listed, but what the descriptors are is refused */
		note_denied(denied, "fd links", link_err);
		if (t != NULL || (t = get_table(p, netns, pid)) != NULL)
			t->fd_denied++;
	}
	json_object_set_new(rec, "fd_count", json_integer(nfd));
	json_object_set_new(rec, "sockets", socks);
}

/* Namespace ids from the links in /proc/<pid>/ns; returns the net one. */
static uint64_t
read_ns(struct procs *p, const char *pid, json_t *rec, struct irk_buf *denied)
{
	static const char *const names[] = {
		"cgroup", "ipc", "mnt", "net", "pid", "pid_for_children",
		"time", "time_for_children", "user", "uts",
	};
	json_t *ns = json_object();
	uint64_t netns = 0;
	int ndenied = 0;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct irk_err err;
		char rel[96];
		const char *type;
		uint64_t id;

		(void)snprintf(rel, sizeof(rel), "%s/ns/%s", pid, names[i]);
		if (readlink_proc(p, rel, &err) != IRK_OK) {
			if ((err.errnum == EACCES || err.errnum == EPERM) &&
			    ndenied++ == 0)
				note_denied(denied, "ns", err.errnum);
			continue;
		}
		/* pid_for_children links read "pid:[...]" */
		type = strncmp(names[i], "pid", 3) == 0 ? "pid" :
		    strncmp(names[i], "time", 4) == 0 ? "time" : names[i];
		if (irk_proc_parse_link_id(p->link.data, p->link.len, type,
		    &id) != 0)
			continue;
		irk_json_set_int(ns, names[i], (int64_t)id);
		if (strcmp(names[i], "net") == 0)
			netns = id;
	}
	json_object_set_new(rec, "namespaces", ns);
	return netns;
}

/* The cgroup v2 path ("0::/..."), else the first line's path. */
static void
read_cgroup(struct procs *p, const char *pid, json_t *rec)
{
	struct irk_err err;
	const char *line, *first = NULL, *best = NULL;
	size_t pos = 0, len, flen = 0, blen = 0;
	char rel[64];

	(void)snprintf(rel, sizeof(rel), "%s/cgroup", pid);
	if (read_proc(p, rel, &p->small, &err) == IRK_FAIL) {
		json_object_set_new(rec, "cgroup", json_null());
		return;
	}
	while (irk_buf_next_line(&p->small, &pos, &line, &len)) {
		const char *c1 = memchr(line, ':', len), *c2;

		if (c1 == NULL || (c2 = memchr(c1 + 1, ':',
		    len - (size_t)(c1 + 1 - line))) == NULL)
			continue;
		if (first == NULL) {
			first = c2 + 1;
			flen = len - (size_t)(c2 + 1 - line);
		}
		if (c1 - line == 1 && line[0] == '0' && c2 == c1 + 1) {
			best = c2 + 1;
			blen = len - (size_t)(c2 + 1 - line);
		}
	}
	if (best == NULL) {
		best = first;
		blen = flen;
	}
	if (best != NULL)
		irk_json_set_strn(rec, "cgroup", best, blen);
	else
		json_object_set_new(rec, "cgroup", json_null());
}

/* exe, cwd, root links: the target text, or null. */
static int
read_link_field(struct procs *p, const char *pid, const char *name,
    json_t *rec, struct irk_buf *denied)
{
	struct irk_err err;
	char rel[64];

	(void)snprintf(rel, sizeof(rel), "%s/%s", pid, name);
	if (readlink_proc(p, rel, &err) != IRK_OK) {
		if (err.errnum == EACCES || err.errnum == EPERM)
			note_denied(denied, name, err.errnum);
		json_object_set_new(rec, name, json_null());
		return -1;
	}
	return 0;
}

static void
set_user(struct procs *p, json_t *rec, const char *key, uint32_t uid)
{
	const char *name = irk_users_name(irk_collect_users(p->c), uid);

	irk_json_set_str(rec, key, name);
}

/*
 * /proc/PID/stat and status into ps and pst (pst zeroed with tgid and
 * vmrss_kb -1 when status is unreadable).  ONE_OK, ONE_GONE (exited,
 * logged), ONE_SKIP (unreadable, a thread or a non-process).
 */
static int
read_stats(struct procs *p, const char *pid, int64_t pidn,
    struct irk_proc_stat *ps, struct irk_proc_status *pst)
{
	struct irk_err err;
	char rel[64];

	(void)snprintf(rel, sizeof(rel), "%s/stat", pid);
	if (read_proc(p, rel, &p->small, &err) != IRK_OK) {
		if (err.errnum == ENOENT || err.errnum == ESRCH) {
			irk_collect_log(p->c, IRK_LOG_INFO, NULL, 0, "process "
			    "%s exited while it was read", pid);
			return ONE_GONE;
		}
		irk_collect_log_err(p->c, IRK_LOG_ERROR, NULL, &err);
		return ONE_SKIP;
	}
	if (irk_proc_parse_stat(p->small.data, p->small.len, ps) != 0 ||
	    ps->pid != pidn) {
		irk_collect_log(p->c, IRK_LOG_ERROR, NULL, 0, "'/proc/%s' not "
		    "understood", rel);
		return ONE_SKIP;
	}
	(void)snprintf(rel, sizeof(rel), "%s/status", pid);
	if (read_proc(p, rel, &p->small, &err) == IRK_FAIL ||
	    irk_proc_parse_status(p->small.data, p->small.len, pst) != 0) {
		if (!still_there(p, pid, ps->starttime)) {
			irk_collect_log(p->c, IRK_LOG_INFO, NULL, 0, "process "
			    "%s exited while it was read", pid);
			return ONE_GONE;
		}
		irk_collect_log(p->c, IRK_LOG_WARN, NULL, err.errnum, "'/proc/%s' "
		    "not readable", rel);
		memset(pst, 0, sizeof(*pst));
		pst->tgid = -1;
		pst->vmrss_kb = -1;
	}
	if (pst->tgid >= 0 && pst->tgid != pidn)
		return ONE_SKIP;	/* a thread, reachable but not listed */
	return ONE_OK;
}

/* exe, exe_deleted, exe_memfd; returns whether the file was deleted. */
static int
exe_fields(struct procs *p, const char *pid, json_t *rec,
    struct irk_buf *denied)
{
	int deleted = 0;

	if (read_link_field(p, pid, "exe", rec, denied) == 0) {
		deleted = strip_deleted(&p->link);
		irk_json_set_strn(rec, "exe", p->link.data, p->link.len);
		irk_json_set_bool(rec, "exe_deleted", deleted);
		/* fileless: an executable run from a memfd_create() file */
		irk_json_set_bool(rec, "exe_memfd", strncmp(p->link.data,
		    "/memfd:", 7) == 0);
	} else {
		irk_json_set_bool(rec, "exe_deleted", 0);
		irk_json_set_bool(rec, "exe_memfd", 0);
	}
	return deleted;
}

/* The fields of stat and status: ids, times, sizes, tty, session. */
static void
stat_fields(struct procs *p, json_t *rec, const struct irk_proc_stat *ps,
    const struct irk_proc_status *pst)
{
	char tty[32];

	if (pst->have_uid) {
		irk_json_set_int(rec, "uid", pst->uid[0]);
		irk_json_set_int(rec, "euid", pst->uid[1]);
		irk_json_set_int(rec, "suid", pst->uid[2]);
		irk_json_set_int(rec, "fsuid", pst->uid[3]);
		set_user(p, rec, "user", pst->uid[0]);
		set_user(p, rec, "euser", pst->uid[1]);
	}
	if (pst->have_gid) {
		irk_json_set_int(rec, "gid", pst->gid[0]);
		irk_json_set_int(rec, "egid", pst->gid[1]);
		irk_json_set_int(rec, "sgid", pst->gid[2]);
		irk_json_set_int(rec, "fsgid", pst->gid[3]);
	}
	if (p->btime_us != IRK_TIME_NONE && p->clk_tck > 0)
		irk_json_set_time(rec, "start_time", p->btime_us +
		    (int64_t)(ps->starttime / (uint64_t)p->clk_tck) * 1000000 +
		    (int64_t)(ps->starttime % (uint64_t)p->clk_tck) * 1000000 /
		    p->clk_tck);
	else
		json_object_set_new(rec, "start_time", json_null());
	irk_json_set_int(rec, "start_ticks", (int64_t)ps->starttime);
	irk_json_set_strn(rec, "state", &ps->state, 1);
	irk_json_set_int(rec, "threads", ps->num_threads);
	irk_json_set_int(rec, "rss_bytes", ps->rss * p->page_size);
	irk_json_set_int(rec, "vsize_bytes", (int64_t)ps->vsize);
	if (p->clk_tck > 0) {
		irk_json_set_int(rec, "utime_us", (int64_t)(ps->utime *
		    1000000 / (uint64_t)p->clk_tck));
		irk_json_set_int(rec, "stime_us", (int64_t)(ps->stime *
		    1000000 / (uint64_t)p->clk_tck));
	}
	if (irk_proc_tty_name(ps->tty_nr, tty, sizeof(tty)) == 0)
		irk_json_set_str(rec, "tty", tty);
	else
		json_object_set_new(rec, "tty", json_null());
	irk_json_set_int(rec, "pgrp", ps->pgrp);
	irk_json_set_int(rec, "session", ps->session);
	irk_json_set_bool(rec, "kernel_thread", (ps->flags & PF_KTHREAD) != 0);
}

/* What the kernel refused (denied) and a process missing from the list. */
static void
log_refused(struct procs *p, const char *pid, const struct irk_proc_stat *ps,
    json_t *rec, const struct irk_buf *denied, int hidden)
{
	if (denied->len > 0) {
		/*
		 * Unprivileged, other users' processes are closed: an error
		 * (the run is partial).  As root, the kernel still refuses a
		 * process whose capabilities exceed ours or that an LSM
		 * protects: a warning, and the record says so.  A kernel
		 * thread has no executable, folders or files to miss: a note.
		 */
		irk_json_set_str(rec, "access_denied", denied->data);
		irk_collect_log(p->c, (ps->flags & PF_KTHREAD) ? IRK_LOG_INFO :
		    geteuid() == 0 ? IRK_LOG_WARN : IRK_LOG_ERROR, NULL, EACCES,
		    "process %s (%s): not readable: %s", pid, ps->comm,
		    denied->data);
	}
	if (hidden)
		irk_collect_log(p->c, IRK_LOG_WARN, NULL, 0, "process %s (%s) "
		    "answers at /proc/%s but is missing from the /proc listing",
		    pid, ps->comm, pid);
}

/*
 * One process.  ONE_GONE when it exited while being read (logged, no
 * record), ONE_SKIP for a thread or a non-process.
 */
static int
collect_one(struct procs *p, int64_t pidn, int hidden)
{
	struct irk_proc_stat ps;
	struct irk_proc_status pst;
	struct irk_buf denied;
	struct irk_err err;
	char pid[24], rel[64];
	json_t *rec, *argv, *exe;
	uint64_t netns;
	int r, deleted;

	(void)snprintf(pid, sizeof(pid), "%lld", (long long)pidn);
	if ((r = read_stats(p, pid, pidn, &ps, &pst)) != ONE_OK)
		return r;
	irk_buf_init(&denied, 4096);
	rec = irk_record_new("process");
	irk_json_set_int(rec, "pid", pidn);
	irk_json_set_int(rec, "ppid", ps.ppid);
	irk_json_set_strn(rec, "name", ps.comm, ps.comm_len);
	deleted = exe_fields(p, pid, rec, &denied);

	/* argv */
	(void)snprintf(rel, sizeof(rel), "%s/cmdline", pid);
	r = read_proc(p, rel, &p->cmdline, &err);
	if (r == IRK_FAIL) {
		if (!still_there(p, pid, ps.starttime))
			goto gone;
		json_object_set_new(rec, "argv", json_null());
	} else {
		argv = irk_proc_parse_cmdline(p->cmdline.data, p->cmdline.len);
		json_object_set_new(rec, "argv", argv ? argv : json_null());
		if (r == IRK_TOOBIG)
			irk_json_set_bool(rec, "argv_truncated", 1);
	}
	if (read_link_field(p, pid, "cwd", rec, &denied) == 0)
		irk_json_set_strn(rec, "cwd", p->link.data, p->link.len);
	if (read_link_field(p, pid, "root", rec, &denied) == 0)
		irk_json_set_strn(rec, "root", p->link.data, p->link.len);
	stat_fields(p, rec, &ps, &pst);
	read_cgroup(p, pid, rec);
	netns = read_ns(p, pid, rec, &denied);
	(void)get_table(p, netns, pid);	/* every namespace reached */
	read_fds(p, pid, netns, rec, &denied);
	irk_json_set_bool(rec, "hidden", hidden);

	/* the executable, once the record says where it is */
	exe = json_object_get(rec, "exe");
	if (json_is_string(exe) && json_string_value(exe)[0] == '/')
		copy_exe(p, pid, json_string_value(exe), deleted, rec, &denied);
	else
		json_object_set_new(rec, "exe_sha256", json_null());

	if (!still_there(p, pid, ps.starttime))
		goto gone;
	log_refused(p, pid, &ps, rec, &denied, hidden);
	irk_buf_release(&denied);
	(void)irk_collect_record(p->c, rec);
	return ONE_OK;
gone:
	irk_collect_log(p->c, IRK_LOG_INFO, NULL, 0, "process %s exited while "
	    "it was read", pid);
	json_decref(rec);
	irk_buf_release(&denied);
	return ONE_GONE;
}

/* The numeric entries of /proc, sorted, into *out. */
static int
list_pids(struct procs *p, int64_t **out, size_t *nout)
{
	struct irk_dir *d;
	struct irk_dirent de;
	struct irk_err err;
	int64_t *v = NULL, *nv;
	size_t n = 0, cap = 0;
	int r;

	if (p->c->fs->ops->opendir(p->c->fs, "/proc", &d, &err) != IRK_OK) {
		irk_collect_log_err(p->c, IRK_LOG_ERROR, "/proc", &err);
		return IRK_FAIL;
	}
	while ((r = p->c->fs->ops->readdir(d, &de)) == 1) {
		uint64_t pid;

		if (de.name[0] == '0' ||
		    irk_parse_u64(de.name, 10, INT32_MAX, &pid) != 0)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			if ((nv = realloc(v, cap * sizeof(*v))) == NULL) {
				r = -1;
				break;
			}
			v = nv;
		}
		v[n++] = (int64_t)pid;
	}
	p->c->fs->ops->closedir(d);
	if (r < 0) {
		irk_collect_log(p->c, IRK_LOG_ERROR, "/proc", errno,
		    "cannot list");
		free(v);
		return IRK_FAIL;
	}
	if (n > 0)
		qsort(v, n, sizeof(*v), cmp_i64);
	*out = v;
	*nout = n;
	return IRK_OK;
}

static int
is_in(const int64_t *v, size_t n, int64_t pid)
{
	return n > 0 && bsearch(&pid, v, n, sizeof(*v), cmp_i64) != NULL;
}

/* A number from a one-line /proc/sys file, or -1. */
static int64_t
proc_sys_num(struct procs *p, const char *rel)
{
	struct irk_err err;
	uint64_t v;

	if (read_proc(p, rel, &p->small, &err) != IRK_OK)
		return -1;
	if (irk_parse_u64n(p->small.data, strcspn(p->small.data, "\n"), 10,
	    INT32_MAX, &v) != 0)
		return -1;
	return (int64_t)v;
}

/*
 * Probe /proc/<pid> for every pid from 1 to the limit: all of pid_max
 * when that is within PROBE_MARGIN of the highest pid seen, else up to
 * that margin (a full probe of a 4M pid_max would take seconds).
 */
static void
probe_hidden(struct procs *p)
{
	int64_t pid_max, last, hi, limit, *cand = NULL, *nv, *again = NULL;
	size_t ncand = 0, cap = 0, nagain = 0;
	char name[24];
	struct stat st;

	if (p->procfd < 0)
		return;
	pid_max = proc_sys_num(p, "sys/kernel/pid_max");
	last = proc_sys_num(p, "sys/kernel/ns_last_pid");
	hi = p->nlisted > 0 ? p->listed[p->nlisted - 1] : 0;
	if (last > hi)
		hi = last;
	limit = hi + PROBE_MARGIN;
	if (pid_max > 0 && limit > pid_max)
		limit = pid_max;
	for (int64_t pid = 1; pid < limit; pid++) {
		(void)snprintf(name, sizeof(name), "%lld", (long long)pid);
		if (fstatat(p->procfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
		    !S_ISDIR(st.st_mode) || is_in(p->listed, p->nlisted, pid))
			continue;
		if (ncand == cap) {
			cap = cap ? cap * 2 : 64;
			if ((nv = realloc(cand, cap * sizeof(*nv))) == NULL)
				break;
			cand = nv;
		}
		cand[ncand++] = pid;
	}
	if (ncand > 0 && list_pids(p, &again, &nagain) != IRK_OK)
		nagain = 0;
	for (size_t i = 0; i < ncand; i++) {
		/* new since the first listing: an ordinary process */
		if (is_in(again, nagain, cand[i]))
			(void)collect_one(p, cand[i], 0);
		else
			(void)collect_one(p, cand[i], 1);
		if (p->c->fatal)
			break;
	}
	irk_collect_log(p->c, IRK_LOG_INFO, "/proc", 0, "probed pids 1 to "
	    "%lld: %zu not in the listing (threads and new processes "
	    "included)", (long long)limit - 1, ncand);
	free(cand);
	free(again);
}

/* Why nobody is known to hold se. */
static const char *
owner_reason(const struct sock_table *t, const struct sock_ent *se,
    char *buf, size_t len)
{
	if (se->inode == 0)
		return "no descriptor holds it (inode 0: a connection being "
		    "closed, e.g. TIME_WAIT)";
	if (t->fd_denied > 0) {
		(void)snprintf(buf, len, "not among the descriptors that could "
		    "be read: the open files of %lld process%s were refused",
		    (long long)t->fd_denied, t->fd_denied > 1 ? "es" : "");
		return buf;
	}
	return "no process listed in /proc holds it: a kernel socket, or "
	    "one of a process hidden from /proc";
}

/*
 * One "socket" record per line of the socket tables of every network
 * namespace reached, in the order of the lines, with its owners.
 */
static void
emit_sockets(struct procs *p)
{
	char buf[256];

	for (size_t i = 0; i < p->ntables && !p->c->fatal; i++) {
		struct sock_table *t = &p->tables[i];

		if (t->n > 1)
			qsort(t->v, t->n, sizeof(*t->v), cmp_seq);
		for (size_t j = 0; j < t->n && !p->c->fatal; j++) {
			struct sock_ent *se = &t->v[j];
			json_t *rec = irk_record_new("socket");

			if (t->netns != 0)
				irk_json_set_int(rec, "netns", (int64_t)t->netns);
			else
				json_object_set_new(rec, "netns", json_null());
			json_object_update(rec, se->obj);
			if (json_object_get(se->obj, "type") != NULL) {
				/* a unix socket's type: not the record's */
				json_object_set(rec, "socket_type",
				    json_object_get(se->obj, "type"));
				irk_json_set_str(rec, "type", "socket");
			}
			if (se->owners != NULL) {
				json_object_set(rec, "owner", json_array_get(
				    se->owners, 0));
				json_object_set(rec, "owners", se->owners);
			} else {
				json_object_set_new(rec, "owner", json_null());
				json_object_set_new(rec, "owners", json_array());
				irk_json_set_str(rec, "owner_reason",
				    owner_reason(t, se, buf, sizeof(buf)));
			}
			(void)irk_collect_record(p->c, rec);
		}
	}
}

/* Our own network namespace, from /proc/self/ns/net (live hosts). */
static uint64_t
self_netns(struct procs *p)
{
	struct irk_err err;
	uint64_t id;

	if (!p->live || readlink_proc(p, "self/ns/net", &err) != IRK_OK ||
	    irk_proc_parse_link_id(p->link.data, p->link.len, "net", &id) != 0)
		return 0;
	return id;
}

static int
collect_processes(struct irk_collect *c)
{
	struct procs p;
	const char *root = irk_fs_host_root(c->fs);
	char procdir[4096];
	int ret = IRK_OK;

	memset(&p, 0, sizeof(p));
	p.c = c;
	p.live = c->fs->live;
	p.procfd = -1;
	p.clk_tck = sysconf(_SC_CLK_TCK);
	p.page_size = sysconf(_SC_PAGESIZE);
	p.collect_start = irk_now_us();
	irk_buf_init(&p.small, SMALL_MAX);
	irk_buf_init(&p.cmdline, CMDLINE_MAX);
	irk_buf_init(&p.link, 8192);
	irk_buf_init(&p.net, NET_MAX);
	if (root != NULL && snprintf(procdir, sizeof(procdir), "%s/proc",
	    strcmp(root, "/") == 0 ? "" : root) < (int)sizeof(procdir))
		p.procfd = open(procdir, O_PATH | O_DIRECTORY | O_NOFOLLOW |
		    O_CLOEXEC);
	load_btime(&p);
	p.self_netns = self_netns(&p);
	(void)get_table(&p, p.self_netns, NULL);	/* ours, or the fixture's */
	if (list_pids(&p, &p.listed, &p.nlisted) != IRK_OK) {
		ret = IRK_FAIL;
		goto out;
	}
	for (size_t i = 0; i < p.nlisted && !c->fatal; i++)
		(void)collect_one(&p, p.listed[i], 0);
	if (!c->fatal)
		probe_hidden(&p);
	emit_sockets(&p);
out:
	for (size_t i = 0; i < p.ntables; i++) {
		for (size_t j = 0; j < p.tables[i].n; j++) {
			json_decref(p.tables[i].v[j].obj);
			json_decref(p.tables[i].v[j].owners);
		}
		free(p.tables[i].v);
	}
	free(p.tables);
	free(p.listed);
	if (p.procfd >= 0)
		close(p.procfd);
	irk_buf_release(&p.small);
	irk_buf_release(&p.cmdline);
	irk_buf_release(&p.link);
	irk_buf_release(&p.net);
	return c->fatal ? IRK_FATAL : ret;
}

const struct irk_collector irk_collector_processes = {
	"processes", "running processes, their executables and sockets",
	IRK_SRC_LIVE, collect_processes,
};
