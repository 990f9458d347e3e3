/*
 * ssh.c - the ssh collector: the settings of /etc/ssh/sshd_config that
 * matter (with its Include files and Match blocks) as one "sshd_config"
 * record; one "ssh_key" record per key of every authorized_keys file of
 * every home (the AuthorizedKeysFile patterns of sshd_config, and
 * .ssh/authorized_keys and .ssh/authorized_keys2 always); one
 * "ssh_known_hosts" record per known_hosts file (docs/FORMAT.md 4.8).
 * Homes come from the root's /etc/passwd, and /root.
 */
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "dir_list.h"
#include "ssh_parse.h"
#include "irkit/buf.h"
#include "irkit/collect.h"
#include "irkit/json.h"
#include "irkit/banned.h"

#define SSH_FILE_MAX	(4u << 20)
#define SSHD_CONFIG	"/etc/ssh/sshd_config"
#define SSHD_DEPTH	8
#define SSHD_INCLUDES	256
#define KEYS_DEFAULT	".ssh/authorized_keys .ssh/authorized_keys2"

/* The sshd_config keywords kept, as sshd_config(5) spells them. */
static const char *const sshd_keys[] = {
	"PermitRootLogin", "PasswordAuthentication", "PubkeyAuthentication",
	"AuthorizedKeysFile", "AuthorizedKeysCommand",
	"AuthorizedKeysCommandUser", "AuthorizedPrincipalsFile",
	"AuthorizedPrincipalsCommand", "TrustedUserCAKeys",
	"PermitEmptyPasswords", "KbdInteractiveAuthentication",
	"ChallengeResponseAuthentication", "HostbasedAuthentication",
	"UsePAM", "Port", "ListenAddress", "AllowUsers", "AllowGroups",
	"DenyUsers", "DenyGroups", "PermitUserEnvironment", "ForceCommand",
	"AllowTcpForwarding", "GatewayPorts", "PermitTunnel", "PermitOpen",
	"PermitListen", "X11Forwarding", "Subsystem", "LogLevel",
	NULL,
};

/* The record's own keys for the settings asked about most. */
static const char *const sshd_flat[][2] = {
	{ "PermitRootLogin", "permit_root_login" },
	{ "PasswordAuthentication", "password_authentication" },
	{ "PubkeyAuthentication", "pubkey_authentication" },
	{ "AuthorizedKeysFile", "authorized_keys_file" },
	{ "AuthorizedKeysCommand", "authorized_keys_command" },
	{ NULL, NULL },
};

struct sshd {
	json_t *settings;	/* outside Match: the first value wins */
	json_t *matches;	/* [{criteria, file, line, settings}] */
	json_t *cur;		/* the settings of the Match block open */
	json_t *files;		/* the files read */
	int includes;
};

static int sshd_file(struct irk_collect *c, struct sshd *st,
    const char *path, int depth);

/* The files a glob pattern names (only its last part may hold one). */
static int
sshd_include_glob(struct irk_collect *c, struct sshd *st, const char *pat,
    int depth)
{
	char dir[4096], full[4096], **names;
	const char *slash = strrchr(pat, '/'), *base = slash + 1;
	size_t n;
	int r = IRK_OK;

	if (slash == NULL || strpbrk(base, "*?[") == NULL)
		return sshd_file(c, st, pat, depth);
	(void)snprintf(dir, sizeof(dir), "%.*s", (int)(slash - pat), pat);
	/* nothing matches when there is no folder: sshd says nothing */
	if ((names = irk_dir_list(c, dir[0] ? dir : "/", &n, 1)) == NULL)
		return IRK_OK;
	for (size_t i = 0; i < n && !c->fatal; i++)
		if (fnmatch(base, names[i], FNM_PERIOD) == 0 &&
		    irk_path_join(full, sizeof(full), dir, names[i]) == IRK_OK)
			r = irk_worst(r, sshd_file(c, st, full, depth));
	irk_dir_list_free(names, n);
	return r;
}

/* Include's arguments: relative to /etc/ssh. */
static int
sshd_include(struct irk_collect *c, struct sshd *st, const char *arg,
    size_t len, int depth)
{
	char tok[4096], path[4096];
	size_t i = 0, j;
	int r = IRK_OK;

	while (i < len) {
		while (i < len && (arg[i] == ' ' || arg[i] == '\t'))
			i++;
		for (j = i; j < len && arg[j] != ' ' && arg[j] != '\t'; j++)
			;
		if (j > i && j - i < sizeof(tok)) {
			memcpy(tok, arg + i, j - i);
			tok[j - i] = '\0';
			if (tok[0] == '/')
				(void)snprintf(path, sizeof(path), "%s", tok);
			else if (irk_path_join(path, sizeof(path), "/etc/ssh",
			    tok) != IRK_OK)
				continue;
			r = irk_worst(r, sshd_include_glob(c, st, path,
			    depth + 1));
		}
		i = j;
	}
	return r;
}

static const char *
sshd_known(const char *kw, size_t kwlen)
{
	for (int i = 0; sshd_keys[i] != NULL; i++)
		if (strlen(sshd_keys[i]) == kwlen &&
		    strncasecmp(sshd_keys[i], kw, kwlen) == 0)
			return sshd_keys[i];
	return NULL;
}

static int
sshd_line(struct irk_collect *c, struct sshd *st, const char *path,
    size_t lineno, const char *line, size_t len, int depth)
{
	const char *kw, *arg, *name;
	size_t kwlen, arglen;
	json_t *target, *m;
	int r;

	if ((r = irk_sshd_config_line(line, len, &kw, &kwlen, &arg,
	    &arglen)) != 0)
		return r < 0 ? IRK_WARN : IRK_OK;
	if (kwlen == 7 && strncasecmp(kw, "Include", 7) == 0)
		return sshd_include(c, st, arg, arglen, depth);
	if (kwlen == 5 && strncasecmp(kw, "Match", 5) == 0) {
		st->cur = json_object();
		m = json_object();
		json_object_set_new(m, "criteria", irk_json_strn(arg, arglen));
		irk_json_set_str(m, "file", path);
		irk_json_set_int(m, "line", (int64_t)lineno);
		json_object_set(m, "settings", st->cur);
		json_array_append_new(st->matches, m);
		json_decref(st->cur);
		return IRK_OK;
	}
	if ((name = sshd_known(kw, kwlen)) == NULL)
		return IRK_OK;
	target = st->cur != NULL ? st->cur : st->settings;
	if (json_object_get(target, name) == NULL)
		json_object_set_new(target, name, irk_json_strn(arg, arglen));
	return IRK_OK;
}

static int
sshd_file(struct irk_collect *c, struct sshd *st, const char *path,
    int depth)
{
	struct irk_buf b;
	struct irk_err err;
	const char *line;
	size_t pos = 0, len, lineno = 0, bad = 0;
	int r;

	if (depth > SSHD_DEPTH || st->includes++ >= SSHD_INCLUDES) {
		irk_collect_log(c, IRK_LOG_WARN, path, 0, "Include nested "
		    "deeper than %d or more than %d files: not read",
		    SSHD_DEPTH, SSHD_INCLUDES);
		return IRK_WARN;
	}
	irk_buf_init(&b, SSH_FILE_MAX);
	r = irk_fs_read_file(c->fs, path, &b, NULL, &err);
	if (r == IRK_FAIL) {
		irk_buf_release(&b);
		if (err.errnum == ENOENT && depth == 0) {
			irk_collect_log(c, IRK_LOG_INFO, path, 0, "no sshd "
			    "configuration here");
			return IRK_OK;
		}
		irk_collect_log_err(c, IRK_LOG_WARN, path, &err);
		return IRK_WARN;
	}
	json_array_append_new(st->files, json_string(path));
	while (irk_buf_next_line(&b, &pos, &line, &len) && !c->fatal) {
		lineno++;
		if (pos >= b.len && r == IRK_TOOBIG)
			break;
		if (sshd_line(c, st, path, lineno, line, len, depth) ==
		    IRK_WARN)
			bad++;
	}
	irk_buf_release(&b);
	if (r == IRK_TOOBIG)
		irk_collect_log(c, IRK_LOG_WARN, path, 0, "longer than %u "
		    "bytes: the rest is not read", SSH_FILE_MAX);
	if (bad > 0)
		irk_collect_log(c, IRK_LOG_WARN, path, 0, "%zu of %zu line(s) "
		    "not understood", bad, lineno);
	return r == IRK_TOOBIG || bad > 0 ? IRK_WARN : IRK_OK;
}

/* sshd_config as one record; *keys_files gets AuthorizedKeysFile. */
static int
collect_sshd(struct irk_collect *c, char *keys_files, size_t klen)
{
	struct sshd st = { json_object(), json_array(), NULL, json_array(),
	    0 };
	const char *akf;
	json_t *rec;
	int r;

	r = sshd_file(c, &st, SSHD_CONFIG, 0);
	akf = json_string_value(json_object_get(st.settings,
	    "AuthorizedKeysFile"));
	(void)snprintf(keys_files, klen, "%s", akf ? akf : KEYS_DEFAULT);
	if (json_array_size(st.files) == 0 ||
	    (rec = irk_record_new("sshd_config")) == NULL) {
		json_decref(st.settings);
		json_decref(st.matches);
		json_decref(st.files);
		return r;
	}
	irk_json_set_str(rec, "path", SSHD_CONFIG);
	for (int i = 0; sshd_flat[i][0] != NULL; i++) {
		json_t *v = json_object_get(st.settings, sshd_flat[i][0]);

		json_object_set_new(rec, sshd_flat[i][1], v ? json_incref(v) :
		    json_null());
	}
	json_object_set_new(rec, "settings", st.settings);
	json_object_set_new(rec, "match_blocks", st.matches);
	json_object_set_new(rec, "files", st.files);
	if (irk_collect_record(c, rec) == IRK_FATAL)
		return IRK_FATAL;
	return r;
}

/* Whose file it is. */
struct owner {
	const char *user;
	int64_t uid;
	const char *home;
	const char *shell;
};

static void
set_owner(json_t *rec, const struct owner *o)
{
	irk_json_set_str(rec, "user", o->user);
	if (o->uid >= 0)
		irk_json_set_int(rec, "uid", o->uid);
	else
		json_object_set_new(rec, "uid", json_null());
	json_object_set_new(rec, "shell", irk_json_str(o->shell));
}

/* An AuthorizedKeysFile pattern: %h, %u, %U, %%; relative to the home. */
static int
expand(const char *pat, size_t plen, const struct owner *o, char *out,
    size_t outlen)
{
	struct irk_buf b;
	char uid[24];
	int r = IRK_OK;

	irk_buf_init(&b, outlen - 1);
	if (plen > 0 && pat[0] != '/' && pat[0] != '%')
		r = irk_buf_printf(&b, "%s/", strcmp(o->home, "/") ? o->home :
		    "");
	(void)snprintf(uid, sizeof(uid), "%lld", (long long)o->uid);
	for (size_t i = 0; i < plen && r == IRK_OK; i++) {
		if (pat[i] != '%' || i + 1 == plen)
			r = irk_buf_addch(&b, pat[i]);
		else if (pat[++i] == 'h')
			r = irk_buf_addstr(&b, o->home);
		else if (pat[i] == 'u')
			r = irk_buf_addstr(&b, o->user);
		else if (pat[i] == 'U')
			r = irk_buf_addstr(&b, uid);
		else
			r = irk_buf_addch(&b, pat[i]);
	}
	if (r == IRK_OK && b.len > 0 && b.data[0] == '/') {
		memcpy(out, b.data, b.len);
		out[b.len] = '\0';
	} else
		r = IRK_FAIL;
	irk_buf_release(&b);
	return r;
}

/*
 * Read a text file of a home: 1 read into b (a link is said in the log
 * and its target set in rec), 0 absent, IRK_WARN unreadable.
 */
static int
read_text(struct irk_collect *c, const char *path, struct irk_buf *b,
    struct irk_stat *st, json_t *rec)
{
	struct irk_err err;
	struct irk_buf t;
	int r;

	if (c->fs->ops->stat(c->fs, path, 0, st, &err) != IRK_OK)
		return err.errnum == ENOENT || err.errnum == ENOTDIR ? 0 :
		    (irk_collect_log_err(c, IRK_LOG_WARN, path, &err),
		    IRK_WARN);
	if (S_ISLNK(st->mode)) {
		irk_buf_init(&t, 4096);
		if (c->fs->ops->readlink(c->fs, path, &t, &err) == IRK_OK) {
			irk_collect_log(c, IRK_LOG_WARN, path, 0, "a link to "
			    "'%s'", t.data);
			irk_json_set_str(rec, "link_target", t.data);
		}
		irk_buf_release(&t);
	}
	r = irk_fs_read_file(c->fs, path, b, st, &err);
	if (r == IRK_FAIL) {
		irk_collect_log_err(c, IRK_LOG_WARN, path, &err);
		return IRK_WARN;
	}
	if (r == IRK_TOOBIG)
		irk_collect_log(c, IRK_LOG_WARN, path, 0, "longer than %u "
		    "bytes: the rest is not read", SSH_FILE_MAX);
	return 1;
}

/* One record per key of an authorized_keys file. */
static int
key_file(struct irk_collect *c, const char *path, const struct owner *o)
{
	struct irk_buf b;
	struct irk_stat st;
	const char *line;
	size_t pos = 0, len, lineno = 0, bad = 0, i;
	json_t *base = json_object(), *rec;
	int r;

	irk_buf_init(&b, SSH_FILE_MAX);
	if ((r = read_text(c, path, &b, &st, base)) != 1) {
		irk_buf_release(&b);
		json_decref(base);
		return r == 0 ? IRK_OK : r;
	}
	irk_json_set_str(base, "path", path);
	set_owner(base, o);
	irk_json_set_time(base, "file_mtime", st.mtime);
	while (irk_buf_next_line(&b, &pos, &line, &len) && !c->fatal) {
		lineno++;
		if (pos >= b.len && b.len == b.max)
			break;
		for (i = 0; i < len && (line[i] == ' ' || line[i] == '\t');
		    i++)
			;
		if (i == len || line[i] == '#')
			continue;
		if ((rec = irk_authorized_key_line(line, len)) == NULL) {
			bad++;
			continue;
		}
		json_object_update(rec, base);
		irk_json_set_int(rec, "line", (int64_t)lineno);
		(void)irk_collect_record(c, rec);
	}
	if (bad > 0)
		irk_collect_log(c, IRK_LOG_WARN, path, 0, "%zu of %zu line(s) "
		    "not understood", bad, lineno);
	irk_buf_release(&b);
	json_decref(base);
	if (c->fatal)
		return IRK_FATAL;
	return bad > 0 || b.len == b.max ? IRK_WARN : IRK_OK;
}

/* One record for a known_hosts file. */
static int
known_hosts_file(struct irk_collect *c, const char *path,
    const struct owner *o)
{
	struct irk_buf b;
	struct irk_stat st;
	const char *line, *marker;
	size_t pos = 0, len, n = 0, hashed = 0, bad = 0, ca = 0, revoked = 0;
	json_t *rec = irk_record_new("ssh_known_hosts"), *hosts = json_array();
	int r, h;

	irk_buf_init(&b, SSH_FILE_MAX);
	if ((r = read_text(c, path, &b, &st, rec)) != 1) {
		irk_buf_release(&b);
		json_decref(rec);
		json_decref(hosts);
		return r == 0 ? IRK_OK : r;
	}
	while (irk_buf_next_line(&b, &pos, &line, &len)) {
		if (pos >= b.len && b.len == b.max)
			break;
		if ((r = irk_known_hosts_line(line, len, hosts, &h,
		    &marker)) < 0)
			bad++;
		n += r > 0;
		hashed += r > 0 && h;
		ca += r > 0 && marker != NULL && marker[1] == 'c';
		revoked += r > 0 && marker != NULL && marker[1] == 'r';
	}
	irk_buf_release(&b);
	irk_json_set_str(rec, "path", path);
	set_owner(rec, o);
	irk_json_set_int(rec, "entries", (int64_t)n);
	irk_json_set_int(rec, "hashed", (int64_t)hashed);
	irk_json_set_int(rec, "cert_authorities", (int64_t)ca);
	irk_json_set_int(rec, "revoked", (int64_t)revoked);
	irk_json_set_int(rec, "bad_lines", (int64_t)bad);
	json_object_set_new(rec, "hosts", hosts);
	irk_json_set_time(rec, "file_mtime", st.mtime);
	if (bad > 0)
		irk_collect_log(c, IRK_LOG_WARN, path, 0, "%zu line(s) not "
		    "understood", bad);
	if (irk_collect_record(c, rec) == IRK_FATAL)
		return IRK_FATAL;
	return bad > 0 ? IRK_WARN : IRK_OK;
}

/* The files of one account's home, each path once (seen). */
static int
home_files(struct irk_collect *c, const struct owner *o, const char *akf,
    json_t *seen)
{
	static const char *const known[] = { ".ssh/known_hosts",
	    ".ssh/known_hosts2", NULL };
	char all[4096], path[4096];
	size_t i = 0, j, len;
	int r = IRK_OK;

	(void)snprintf(all, sizeof(all), "%s %s", akf, KEYS_DEFAULT);
	len = strlen(all);
	while (i < len && !c->fatal) {
		while (i < len && (all[i] == ' ' || all[i] == '\t'))
			i++;
		for (j = i; j < len && all[j] != ' ' && all[j] != '\t'; j++)
			;
		if (j > i && !(j - i == 4 && strncasecmp(all + i, "none",
		    4) == 0) && expand(all + i, j - i, o, path,
		    sizeof(path)) == IRK_OK && !json_object_get(seen, path)) {
			json_object_set_new(seen, path, json_true());
			r = irk_worst(r, key_file(c, path, o));
		}
		i = j;
	}
	for (int k = 0; known[k] != NULL && !c->fatal; k++)
		if (expand(known[k], strlen(known[k]), o, path,
		    sizeof(path)) == IRK_OK && !json_object_get(seen, path)) {
			json_object_set_new(seen, path, json_true());
			r = irk_worst(r, known_hosts_file(c, path, o));
		}
	return c->fatal ? IRK_FATAL : r;
}

static int
collect_ssh(struct irk_collect *c)
{
	static const char *const sys_known[] = { "/etc/ssh/ssh_known_hosts",
	    "/etc/ssh/ssh_known_hosts2", NULL };
	const struct irk_users *u = irk_collect_users(c);
	struct owner root = { "root", 0, "/root", NULL }, sys = { NULL, -1,
	    "/", NULL };
	char akf[4096];
	json_t *seen = json_object();
	int r, has_root = 0;

	r = collect_sshd(c, akf, sizeof(akf));
	for (size_t i = 0; i < u->nusers && r != IRK_FATAL; i++) {
		struct owner o = { u->users[i].name, u->users[i].uid,
		    u->users[i].home, u->users[i].shell };

		if (o.home == NULL || o.home[0] != '/' || o.user == NULL)
			continue;
		has_root |= strcmp(o.home, "/root") == 0;
		r = irk_worst(r, home_files(c, &o, akf, seen));
	}
	if (!has_root && r != IRK_FATAL)
		r = irk_worst(r, home_files(c, &root, akf, seen));
	for (int k = 0; sys_known[k] != NULL && r != IRK_FATAL; k++)
		r = irk_worst(r, known_hosts_file(c, sys_known[k], &sys));
	json_decref(seen);
	return r;
}

const struct irk_collector irk_collector_ssh = {
	"ssh", "sshd settings, the authorized keys and known hosts of every "
	"home", IRK_SRC_LIVE | IRK_SRC_LINUX_ROOT, collect_ssh,
};
