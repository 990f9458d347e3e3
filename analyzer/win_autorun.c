/*
 * win_autorun.c - programs Windows starts by itself, from the SOFTWARE
 * hive and every user's NTUSER.DAT: the values of the Run, RunOnce,
 * RunServices(Once) and Policies\Explorer\Run keys (and their
 * Wow6432Node twins), Winlogon Shell, Userinit and Taskman, the
 * Debugger of each Image File Execution Options key, AppInit_DLLs, and
 * a user's Windows\Load and Run.  Records "autorun"
 * (docs/windows-artifacts.md).  And UserAssist: the programs a user
 * started from the shell, ROT13-coded value names under
 * Explorer\UserAssist\{GUID}\Count of NTUSER.DAT.  Records "userassist".
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "image.h"
#include "win_art.h"
#include "irkit/json.h"
#include "irkit/banned.h"

#define SOFTWARE_HIVE	"/Windows/System32/config/SOFTWARE"

enum { ALL_VALUES, NAMED_VALUES, IFEO };

struct run_key {
	const char *path;	/* below the hive's root */
	const char *kind;
	int how;
	const char *values[4];	/* NAMED_VALUES: which */
};

#define CV	"Microsoft\\Windows\\CurrentVersion\\"
#define NT	"Microsoft\\Windows NT\\CurrentVersion\\"
#define WOW	"Wow6432Node\\"

static const struct run_key machine_keys[] = {
	{ CV "Run", "run", ALL_VALUES, { NULL } },
	{ CV "RunOnce", "runonce", ALL_VALUES, { NULL } },
	{ CV "RunServices", "runservices", ALL_VALUES, { NULL } },
	{ CV "RunServicesOnce", "runservicesonce", ALL_VALUES, { NULL } },
	{ CV "Policies\\Explorer\\Run", "policies-run", ALL_VALUES, { NULL } },
	{ WOW CV "Run", "run", ALL_VALUES, { NULL } },
	{ WOW CV "RunOnce", "runonce", ALL_VALUES, { NULL } },
	{ NT "Winlogon", "winlogon", NAMED_VALUES,
	    { "Shell", "Userinit", "Taskman", NULL } },
	{ NT "Image File Execution Options", "ifeo-debugger", IFEO,
	    { NULL } },
	{ WOW NT "Image File Execution Options", "ifeo-debugger", IFEO,
	    { NULL } },
	{ NT "Windows", "appinit-dlls", NAMED_VALUES,
	    { "AppInit_DLLs", NULL } },
	{ WOW NT "Windows", "appinit-dlls", NAMED_VALUES,
	    { "AppInit_DLLs", NULL } },
	{ NULL, NULL, 0, { NULL } },
};

static const struct run_key user_keys[] = {
	{ "Software\\" CV "Run", "run", ALL_VALUES, { NULL } },
	{ "Software\\" CV "RunOnce", "runonce", ALL_VALUES, { NULL } },
	{ "Software\\" CV "Policies\\Explorer\\Run", "policies-run",
	    ALL_VALUES, { NULL } },
	{ "Software\\" NT "Winlogon", "winlogon", NAMED_VALUES,
	    { "Shell", NULL } },
	{ "Software\\" NT "Windows", "windows-load", NAMED_VALUES,
	    { "Load", "Run", NULL } },
	{ NULL, NULL, 0, { NULL } },
};

/* Where records come from: a hive and, for NTUSER.DAT, its user. */
struct hive_ctx {
	struct irk_collect *c;
	struct irk_hive *h;
	const struct irk_win_user *user;	/* NULL: SOFTWARE */
	int r;
};

static int
emit(struct hive_ctx *x, const struct run_key *rk, const char *keypath,
    const char *name, const char *data, int64_t ktime)
{
	json_t *rec = irk_record_new("autorun");

	if (rec == NULL)
		return IRK_FATAL;
	irk_json_set_str(rec, "kind", rk->kind);
	irk_json_set_str(rec, "hive", x->h->path);
	irk_json_set_str(rec, "key", keypath);
	irk_json_set_str(rec, "name", name);
	irk_json_set_str(rec, "command", data);
	if (x->user != NULL)
		irk_win_set_user(rec, x->user);
	irk_json_set_time(rec, "key_time", ktime);
	return irk_collect_record(x->c, rec) == IRK_FATAL ? IRK_FATAL : IRK_OK;
}

/* Every string value of k (a Run key). */
static int
all_values(struct hive_ctx *x, const struct run_key *rk, libregf_key_t *k,
    const char *keypath)
{
	int n = irk_reg_nvalues(k), r = IRK_OK;
	int64_t t = irk_reg_key_time(k);
	struct irk_err err;

	for (int i = 0; i < n && r != IRK_FATAL; i++) {
		struct irk_reg_val v;

		if (irk_reg_value_at(k, i, &v, &err) != 0) {
			irk_collect_log(x->c, IRK_LOG_ERROR, x->h->path, 0,
			    "key '%s': %s", keypath, err.msg);
			x->r = irk_worst(x->r, IRK_WARN);
			continue;
		}
		if (v.str != NULL)
			r = emit(x, rk, keypath, v.name, v.str, t);
		irk_reg_val_free(&v);
	}
	return r;
}

static int
named_values(struct hive_ctx *x, const struct run_key *rk,
    libregf_key_t *k, const char *keypath)
{
	int r = IRK_OK;

	for (int i = 0; rk->values[i] != NULL && r != IRK_FATAL; i++) {
		char *s = irk_reg_str(k, rk->values[i]);

		if (s != NULL)
			r = emit(x, rk, keypath, rk->values[i], s,
			    irk_reg_key_time(k));
		free(s);
	}
	return r;
}

/* Each sub-key (a program's name) with a Debugger value. */
static int
ifeo(struct hive_ctx *x, const struct run_key *rk, libregf_key_t *k,
    const char *keypath)
{
	int n = irk_reg_nsubkeys(k), r = IRK_OK;
	struct irk_err err;
	char name[512], sub[1024];

	for (int i = 0; i < n && r != IRK_FATAL; i++) {
		libregf_key_t *s = irk_reg_subkey_read(k, i, &err);
		char *dbg;

		if (s == NULL) {
			irk_collect_log(x->c, IRK_LOG_ERROR, x->h->path, 0,
			    "key '%s': sub-key %d of %d cannot be read (%s)",
			    keypath, i + 1, n, err.msg);
			x->r = irk_worst(x->r, IRK_WARN);
			continue;
		}
		irk_reg_key_name(s, name, sizeof(name));
		if ((dbg = irk_reg_str(s, "Debugger")) != NULL) {
			snprintf(sub, sizeof(sub), "%s\\%s", keypath, name);
			r = emit(x, rk, sub, name, dbg, irk_reg_key_time(s));
			free(dbg);
		}
		libregf_key_free(&s, NULL);
	}
	return r;
}

static int
run_keys(struct hive_ctx *x, const struct run_key *keys)
{
	char path[512];
	int r = IRK_OK;

	for (const struct run_key *rk = keys; rk->path != NULL &&
	    r != IRK_FATAL; rk++) {
		libregf_key_t *k;

		snprintf(path, sizeof(path), "\\%s", rk->path);
		if ((k = irk_hive_key(x->h, path)) == NULL)
			continue;
		if (rk->how == ALL_VALUES)
			r = all_values(x, rk, k, rk->path);
		else if (rk->how == NAMED_VALUES)
			r = named_values(x, rk, k, rk->path);
		else
			r = ifeo(x, rk, k, rk->path);
		libregf_key_free(&k, NULL);
	}
	return r == IRK_FATAL ? IRK_FATAL : x->r;
}

static int
user_autoruns(struct irk_collect *c, struct irk_hive *h,
    const struct irk_win_user *u, const struct irk_win_user *users,
    size_t nusers, void *arg)
{
	struct hive_ctx x = { c, h, u, IRK_OK };

	(void)users;
	(void)nusers;
	(void)arg;
	return run_keys(&x, user_keys);
}

static int
win_autorun(struct irk_collect *c)
{
	struct irk_hive h;
	struct irk_err err;
	struct hive_ctx x = { c, &h, NULL, IRK_OK };
	int r;

	if (irk_hive_open(&h, c->fs, SOFTWARE_HIVE, &err) != IRK_OK) {
		irk_collect_log_err(c, IRK_LOG_ERROR, SOFTWARE_HIVE, &err);
		r = IRK_WARN;
	} else {
		x.r = irk_hive_grade(&h);
		r = run_keys(&x, machine_keys);
		irk_hive_close(&h);
	}
	if (r == IRK_FATAL)
		return r;
	return irk_worst(r, irk_win_user_hives(c, user_autoruns, NULL));
}

const struct irk_collector irk_collector_win_autorun = {
	"win_autorun", "Run keys, Winlogon, IFEO, AppInit_DLLs of Windows",
	IRK_SRC_WINDOWS_ROOT, win_autorun,
};

/* --- UserAssist --------------------------------------------------- */

#define UA_KEY	"\\Software\\Microsoft\\Windows\\CurrentVersion\\Explorer\\" \
	"UserAssist"

static int
ua_value(struct irk_collect *c, struct irk_hive *h,
    const struct irk_win_user *u, const char *guid, struct irk_reg_val *v)
{
	struct irk_userassist ua;
	json_t *rec;

	if (irk_userassist_parse(v->data, v->len, &ua) != 0)
		return IRK_OK;	/* UEME_CTLSESSION and other non-counts */
	if ((rec = irk_record_new("userassist")) == NULL)
		return IRK_FATAL;
	irk_rot13(v->name);
	irk_json_set_str(rec, "hive", h->path);
	irk_win_set_user(rec, u);
	irk_json_set_str(rec, "guid", guid);
	irk_json_set_str(rec, "name", v->name);
	irk_json_set_str(rec, "format", ua.format);
	irk_json_set_int(rec, "count", ua.count);
	if (ua.focus_count >= 0) {
		irk_json_set_int(rec, "focus_count", ua.focus_count);
		irk_json_set_int(rec, "focus_ms", ua.focus_ms);
	}
	irk_json_set_time(rec, "last_run", ua.last_run);
	return irk_collect_record(c, rec) == IRK_FATAL ? IRK_FATAL : IRK_OK;
}

static int
ua_count(struct irk_collect *c, struct irk_hive *h,
    const struct irk_win_user *u, libregf_key_t *g, const char *guid)
{
	libregf_key_t *k = irk_reg_subkey(g, "Count");
	struct irk_err err;
	int n, r = IRK_OK;

	if (k == NULL)
		return IRK_OK;
	n = irk_reg_nvalues(k);
	for (int i = 0; i < n && r != IRK_FATAL; i++) {
		struct irk_reg_val v;

		if (irk_reg_value_at(k, i, &v, &err) != 0) {
			irk_collect_log(c, IRK_LOG_ERROR, h->path, 0,
			    "key '%s\\%s\\Count': %s", UA_KEY, guid, err.msg);
			r = irk_worst(r, IRK_WARN);
			continue;
		}
		r = irk_worst(r, ua_value(c, h, u, guid, &v));
		irk_reg_val_free(&v);
	}
	libregf_key_free(&k, NULL);
	return r;
}

static int
user_assist(struct irk_collect *c, struct irk_hive *h,
    const struct irk_win_user *u, const struct irk_win_user *users,
    size_t nusers, void *arg)
{
	libregf_key_t *ua = irk_hive_key(h, UA_KEY);
	struct irk_err err;
	char guid[128];
	int n, r = IRK_OK;

	(void)users;
	(void)nusers;
	(void)arg;
	if (ua == NULL)
		return IRK_OK;
	n = irk_reg_nsubkeys(ua);
	for (int i = 0; i < n && r != IRK_FATAL; i++) {
		libregf_key_t *g = irk_reg_subkey_read(ua, i, &err);

		if (g == NULL) {
			irk_collect_log(c, IRK_LOG_ERROR, h->path, 0,
			    "key '%s': sub-key %d of %d cannot be read (%s)",
			    UA_KEY, i + 1, n, err.msg);
			r = irk_worst(r, IRK_WARN);
			continue;
		}
		irk_reg_key_name(g, guid, sizeof(guid));
		r = irk_worst(r, ua_count(c, h, u, g, guid));
		libregf_key_free(&g, NULL);
	}
	libregf_key_free(&ua, NULL);
	return r;
}

static int
win_userassist(struct irk_collect *c)
{
	return irk_win_user_hives(c, user_assist, NULL);
}

const struct irk_collector irk_collector_win_userassist = {
	"win_userassist", "UserAssist: programs each Windows user started",
	IRK_SRC_WINDOWS_ROOT, win_userassist,
};
