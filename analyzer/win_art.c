/*
 * win_art.c - what the Windows artifact collectors share (win_art.h):
 * registry values in a loop, FILETIMEs, UTF-16, the users' folders and
 * the SIDs of their profiles, ROT13 and the UserAssist value.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "image.h"
#include "win_art.h"
#include "irkit/fe.h"
#include "irkit/json.h"
#include "irkit/le.h"
#include "irkit/banned.h"

#define FT_EPOCH_DIFF	116444736000000000ULL	/* 1601 to 1970 in 100 ns */
#define SOFTWARE_HIVE	"/Windows/System32/config/SOFTWARE"
#define PROFILE_LIST	"\\Microsoft\\Windows NT\\CurrentVersion\\ProfileList"

int64_t
irk_win_filetime(uint64_t ft)
{
	if (ft == 0 || ft < FT_EPOCH_DIFF || ft == UINT64_MAX)
		return IRK_TIME_NONE;
	return (int64_t)((ft - FT_EPOCH_DIFF) / 10);
}

/* Append the UTF-8 of code point cp to out if it fits whole. */
static size_t
put_utf8(char *out, size_t at, size_t len, uint32_t cp)
{
	unsigned char u[4];
	size_t n = irk_utf8_put(u, cp);

	if (at + n >= len)
		return 0;
	memcpy(out + at, u, n);
	return n;
}

void
irk_win_utf16(const unsigned char *s, size_t n, char *out, size_t len)
{
	size_t at = 0, k;

	if (len == 0)
		return;
	for (size_t i = 0; i + 1 < n; i += 2) {
		uint32_t cp = s[i] | (uint32_t)s[i + 1] << 8;

		if (cp == 0)
			break;
		if (cp >= 0xd800 && cp < 0xdc00 && i + 3 < n) {
			uint32_t lo = s[i + 2] | (uint32_t)s[i + 3] << 8;

			if (lo >= 0xdc00 && lo < 0xe000) {
				cp = 0x10000 + ((cp - 0xd800) << 10) +
				    (lo - 0xdc00);
				i += 2;
			} else
				cp = 0xfffd;
		} else if (cp >= 0xd800 && cp < 0xe000)
			cp = 0xfffd;
		if ((k = put_utf8(out, at, len, cp)) == 0)
			break;
		at += k;
	}
	out[at] = '\0';
}

/* --- values ------------------------------------------------------- */

int
irk_reg_nvalues(libregf_key_t *k)
{
	int n = 0;

	if (k == NULL || libregf_key_get_number_of_values(k, &n, NULL) != 1 ||
	    n < 0)
		return 0;
	return n > IRK_REG_VALUES_MAX ? IRK_REG_VALUES_MAX : n;
}

static void
val_err(struct irk_err *err, int i, libregf_error_t *e)
{
	char msg[256] = "";

	if (e != NULL) {
		libregf_error_sprint(e, msg, sizeof(msg));
		libregf_error_free(&e);
		msg[strcspn(msg, "\n")] = '\0';
	}
	irk_err_set(err, EINVAL, "value %d cannot be read (libregf: %s)",
	    i + 1, msg[0] ? msg : "unknown error");
}

static void
val_string(libregf_value_t *lv, struct irk_reg_val *v)
{
	size_t n = 0;

	if (v->type != LIBREGF_VALUE_TYPE_STRING &&
	    v->type != LIBREGF_VALUE_TYPE_EXPANDABLE_STRING &&
	    v->type != LIBREGF_VALUE_TYPE_MULTI_VALUE_STRING)
		return;
	if (libregf_value_get_value_utf8_string_size(lv, &n, NULL) != 1 ||
	    n == 0 || n > IRK_REG_VALUE_MAX || (v->str = malloc(n)) == NULL)
		return;
	if (libregf_value_get_value_utf8_string(lv, (uint8_t *)v->str, n,
	    NULL) != 1) {
		free(v->str);
		v->str = NULL;
	}
}

int
irk_reg_value_at(libregf_key_t *k, int i, struct irk_reg_val *v,
    struct irk_err *err)
{
	libregf_value_t *lv = NULL;
	libregf_error_t *e = NULL;
	size_t n = 0;

	memset(v, 0, sizeof(*v));
	if (libregf_key_get_value(k, i, &lv, &e) != 1 || lv == NULL) {
		val_err(err, i, e);
		return -1;
	}
	if (libregf_value_get_utf8_name_size(lv, &n, NULL) == 1 && n > 0 &&
	    n <= sizeof(v->name) &&
	    libregf_value_get_utf8_name(lv, (uint8_t *)v->name,
	    sizeof(v->name), NULL) != 1)
		v->name[0] = '\0';
	if (libregf_value_get_value_type(lv, &v->type, NULL) != 1)
		v->type = 0;
	n = 0;
	if (libregf_value_get_value_data_size(lv, &n, &e) != 1) {
		libregf_value_free(&lv, NULL);
		val_err(err, i, e);
		return -1;
	}
	if (n > 0 && n <= IRK_REG_VALUE_MAX &&
	    (v->data = malloc(n)) != NULL) {
		if (libregf_value_get_value_data(lv, v->data, n, NULL) == 1)
			v->len = n;
		else {
			free(v->data);
			v->data = NULL;
		}
	}
	val_string(lv, v);
	libregf_value_free(&lv, NULL);
	return 0;
}

void
irk_reg_val_free(struct irk_reg_val *v)
{
	free(v->data);
	free(v->str);
	v->data = NULL;
	v->str = NULL;
}

int
irk_reg_qword(libregf_key_t *k, const char *name, uint64_t *out)
{
	libregf_value_t *v = NULL;
	uint32_t type = 0, d;
	int r = -1;

	if (k == NULL || libregf_key_get_value_by_utf8_name(k,
	    (const uint8_t *)name, strlen(name), &v, NULL) != 1 || v == NULL)
		return -1;
	if (libregf_value_get_value_type(v, &type, NULL) == 1) {
		if (type == LIBREGF_VALUE_TYPE_INTEGER_64BIT_LITTLE_ENDIAN &&
		    libregf_value_get_value_64bit(v, out, NULL) == 1)
			r = 0;
		else if (type ==
		    LIBREGF_VALUE_TYPE_INTEGER_32BIT_LITTLE_ENDIAN &&
		    libregf_value_get_value_32bit(v, &d, NULL) == 1) {
			*out = d;
			r = 0;
		}
	}
	libregf_value_free(&v, NULL);
	return r;
}

void
irk_win_control_set(struct irk_hive *h, char *out, size_t len)
{
	libregf_key_t *sel = irk_hive_key(h, "\\Select");
	uint32_t cur = 0;

	if (sel != NULL) {
		if (irk_reg_dword(sel, "Current", &cur) != 0 || cur == 0 ||
		    cur >= 1000)
			cur = 0;
		libregf_key_free(&sel, NULL);
	}
	snprintf(out, len, "ControlSet%03u", cur ? cur : 1);
}

int
irk_hive_grade(const struct irk_hive *h)
{
	return h->nbad > 0 ? IRK_WARN : IRK_OK;
}

/* --- users -------------------------------------------------------- */

/* Fill the SIDs of users from ProfileList (their profile's last name). */
static void
profile_sids(struct irk_fs *fs, struct irk_win_user *u, size_t n)
{
	struct irk_hive h;
	struct irk_err err;
	libregf_key_t *pl;
	char sid[192];
	int nk;

	if (irk_hive_open(&h, fs, SOFTWARE_HIVE, &err) != IRK_OK)
		return;
	if ((pl = irk_hive_key(&h, PROFILE_LIST)) == NULL) {
		irk_hive_close(&h);
		return;
	}
	nk = irk_reg_nsubkeys(pl);
	for (int i = 0; i < nk && i < IRK_WIN_USERS_MAX; i++) {
		libregf_key_t *k = irk_reg_subkey_at(pl, i);
		char *img;
		const char *base;

		if (k == NULL)
			continue;
		irk_reg_key_name(k, sid, sizeof(sid));
		img = irk_reg_str(k, "ProfileImagePath");
		libregf_key_free(&k, NULL);
		if (img == NULL)
			continue;
		base = strrchr(img, '\\');
		base = base != NULL ? base + 1 : img;
		for (size_t j = 0; j < n; j++)
			if (u[j].sid[0] == '\0' &&
			    strcasecmp(u[j].name, base) == 0)
				snprintf(u[j].sid, sizeof(u[j].sid), "%s", sid);
		free(img);
	}
	libregf_key_free(&pl, NULL);
	irk_hive_close(&h);
}

static int
is_dir(struct irk_fs *fs, const char *dir, const struct irk_dirent *e)
{
	struct irk_stat st;
	struct irk_err err;
	char p[1024];

	if (e->type != 0)
		return e->type == S_IFDIR;
	if ((size_t)snprintf(p, sizeof(p), "%s/%s", dir, e->name) >= sizeof(p))
		return 0;
	return fs->ops->stat(fs, p, 1, &st, &err) == IRK_OK &&
	    S_ISDIR(st.mode);
}

/* Add the folders under dir to *out (grown); -1 out of memory. */
static int
list_homes(struct irk_fs *fs, const char *dir, struct irk_win_user **out,
    size_t *n)
{
	struct irk_dir *d;
	struct irk_dirent e;
	struct irk_err err;
	int r = 0;

	if (fs->ops->opendir(fs, dir, &d, &err) != IRK_OK)
		return 0;
	while (*n < IRK_WIN_USERS_MAX && fs->ops->readdir(d, &e) == 1) {
		struct irk_win_user *u, *grown;

		if (!is_dir(fs, dir, &e))
			continue;
		if ((grown = realloc(*out, (*n + 1) * sizeof(**out))) == NULL) {
			r = -1;
			break;
		}
		*out = grown;
		u = &grown[*n];
		memset(u, 0, sizeof(*u));
		snprintf(u->name, sizeof(u->name), "%s", e.name);
		snprintf(u->home, sizeof(u->home), "%s/%s", dir, e.name);
		snprintf(u->hive, sizeof(u->hive), "%s/NTUSER.DAT", u->home);
		(*n)++;
	}
	fs->ops->closedir(d);
	return r;
}

int
irk_win_users(struct irk_fs *fs, struct irk_win_user **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	if (list_homes(fs, "/Users", out, n) != 0 ||
	    list_homes(fs, "/Documents and Settings", out, n) != 0) {
		free(*out);
		*out = NULL;
		*n = 0;
		return -1;
	}
	if (*n > 0)
		profile_sids(fs, *out, *n);
	return 0;
}

const char *
irk_win_user_by_sid(const struct irk_win_user *u, size_t n, const char *sid)
{
	for (size_t i = 0; i < n; i++)
		if (u[i].sid[0] != '\0' && strcasecmp(u[i].sid, sid) == 0)
			return u[i].name;
	return NULL;
}

/* --- UserAssist --------------------------------------------------- */

void
irk_rot13(char *s)
{
	for (; *s != '\0'; s++) {
		if (*s >= 'a' && *s <= 'z')
			*s = (char)('a' + (*s - 'a' + 13) % 26);
		else if (*s >= 'A' && *s <= 'Z')
			*s = (char)('A' + (*s - 'A' + 13) % 26);
	}
}

#define UA_WIN7_LEN	72
#define UA_XP_LEN	16

int
irk_userassist_parse(const unsigned char *b, size_t len,
    struct irk_userassist *ua)
{
	uint32_t count;

	if (b == NULL)
		return -1;
	if (len == UA_WIN7_LEN) {
		ua->count = irk_le32(b + 4);
		ua->focus_count = irk_le32(b + 8);
		ua->focus_ms = irk_le32(b + 12);
		ua->last_run = irk_win_filetime(irk_le64(b + 60));
		ua->format = "win7";
		return 0;
	}
	if (len == UA_XP_LEN) {
		count = irk_le32(b + 4);
		ua->count = count >= 5 ? count - 5 : count;
		ua->focus_count = -1;
		ua->focus_ms = -1;
		ua->last_run = irk_win_filetime(irk_le64(b + 8));
		ua->format = "xp";
		return 0;
	}
	return -1;
}

/* --- every user's hive -------------------------------------------- */

int
irk_win_each_user(struct irk_collect *c, irk_win_user_fn fn, void *arg)
{
	struct irk_win_user *u;
	size_t n;
	int r = IRK_OK;

	if (irk_win_users(c->fs, &u, &n) != 0) {
		irk_collect_log(c, IRK_LOG_ERROR, "/Users", ENOMEM,
		    "cannot list the user folders");
		return IRK_FAIL;
	}
	for (size_t i = 0; i < n && r != IRK_FATAL; i++)
		r = irk_worst(r, fn(c, &u[i], u, n, arg));
	free(u);
	return r;
}

struct hive_fn {
	irk_user_hive_fn fn;
	void *arg;
};

/* A user's NTUSER.DAT opened for a hive_fn, if there is one. */
static int
user_hive(struct irk_collect *c, const struct irk_win_user *u,
    const struct irk_win_user *users, size_t n, void *arg)
{
	const struct hive_fn *hf = arg;
	struct irk_hive h;
	struct irk_stat st;
	struct irk_err err;
	int r = IRK_OK;

	if (c->fs->ops->stat(c->fs, u->hive, 1, &st, &err) != IRK_OK ||
	    !S_ISREG(st.mode))
		return IRK_OK;
	if (irk_hive_open(&h, c->fs, u->hive, &err) != IRK_OK) {
		irk_collect_log_err(c, IRK_LOG_ERROR, u->hive, &err);
		return IRK_WARN;
	}
	r = irk_worst(irk_hive_grade(&h), hf->fn(c, &h, u, users, n,
	    hf->arg));
	irk_hive_close(&h);
	return r;
}

int
irk_win_user_hives(struct irk_collect *c, irk_user_hive_fn fn, void *arg)
{
	struct hive_fn hf = { fn, arg };

	return irk_win_each_user(c, user_hive, &hf);
}

void
irk_win_set_user(json_t *rec, const struct irk_win_user *u)
{
	irk_json_set_str(rec, "user", u->name);
	irk_json_set_str(rec, "sid", u->sid[0] ? u->sid : NULL);
}
