/*
 * acct_parse.c - the account files' lines (acct_parse.h; formats:
 * passwd(5), shadow(5), group(5), gshadow(5)).
 */
#include <stdint.h>
#include <string.h>

#include "acct_parse.h"
#include "irkit/json.h"
#include "irkit/parse.h"
#include "irkit/banned.h"

#define DES_CHARS	"./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ" \
	"abcdefghijklmnopqrstuvwxyz"
#define DAY_US	(86400LL * 1000000LL)
/* days a shadow field may hold: up to the year 9999 and beyond */
#define DAYS_MAX	(INT32_MAX)
#define DAYS_TIME_MAX	2932896		/* 9999-12-31 */

struct fields {
	const char *f[9];
	size_t len[9];
	size_t n;
};

/* Split at ':' into exactly want fields; -1 otherwise. */
static int
split(const char *line, size_t len, size_t want, struct fields *fs)
{
	size_t i = 0, start = 0;

	fs->n = 0;
	for (i = 0; i <= len; i++) {
		if (i < len && line[i] != ':')
			continue;
		if (fs->n == want)
			return -1;
		fs->f[fs->n] = line + start;
		fs->len[fs->n] = i - start;
		fs->n++;
		start = i + 1;
	}
	/* a name is never empty */
	return fs->n == want && fs->len[0] > 0 ? 0 : -1;
}

static int
id_field(const struct fields *fs, size_t i, uint64_t *v)
{
	return irk_parse_u64n(fs->f[i], fs->len[i], 10, UINT32_MAX, v);
}

/* A list "a,b,c" as an array (empty items dropped). */
static json_t *
list(const char *s, size_t len)
{
	json_t *a = json_array();
	size_t i = 0, j;

	while (a != NULL && i < len) {
		for (j = i; j < len && s[j] != ','; j++)
			;
		if (j > i)
			json_array_append_new(a, irk_json_strn(s + i, j - i));
		i = j + 1;
	}
	return a;
}

/* The scheme of a crypt(3) hash: "$id$", "des", "bsdi", or NULL. */
static const char *
scheme(const char *h, size_t len, char out[20])
{
	size_t i;

	if (len >= 3 && h[0] == '$') {
		for (i = 1; i < len && i < 16 && h[i] != '$'; i++)
			;
		if (i == 1 || i >= len || h[i] != '$')
			return NULL;
		memcpy(out, h, i + 1);
		out[i + 1] = '\0';
		return out;
	}
	if (len == 20 && h[0] == '_')
		return "bsdi";
	if (len == 13) {
		for (i = 0; i < len; i++)
			if (strchr(DES_CHARS, h[i]) == NULL || h[i] == '\0')
				return NULL;
		return "des";
	}
	return NULL;
}

/*
 * The password field's state into obj: "password" (empty, shadowed,
 * locked, disabled, set), "password_scheme" ($6$, des... or null) and
 * "locked".
 */
static void
password_state(json_t *obj, const char *pw, size_t len)
{
	const char *state, *sch = NULL;
	char buf[20];
	int locked = 0;

	if (len == 0)
		state = "empty";
	else if (len == 1 && pw[0] == 'x')
		state = "shadowed";
	else if (pw[0] == '!') {
		state = "locked";
		locked = 1;
		sch = scheme(pw + 1, len - 1, buf);
	} else if (pw[0] != '*' && (sch = scheme(pw, len, buf)) != NULL)
		state = "set";
	else
		state = "disabled";
	irk_json_set_str(obj, "password", state);
	json_object_set_new(obj, "password_scheme", irk_json_str(sch));
	irk_json_set_bool(obj, "locked", locked);
}

json_t *
irk_passwd_line(const char *line, size_t len)
{
	struct fields fs;
	uint64_t uid, gid;
	json_t *r;

	if (split(line, len, 7, &fs) != 0 || id_field(&fs, 2, &uid) != 0 ||
	    id_field(&fs, 3, &gid) != 0 ||
	    (r = irk_record_new("account")) == NULL)
		return NULL;
	json_object_set_new(r, "user", irk_json_strn(fs.f[0], fs.len[0]));
	json_object_set_new(r, "uid", json_integer((json_int_t)uid));
	json_object_set_new(r, "gid", json_integer((json_int_t)gid));
	json_object_set_new(r, "gecos", irk_json_strn(fs.f[4], fs.len[4]));
	json_object_set_new(r, "home", irk_json_strn(fs.f[5], fs.len[5]));
	json_object_set_new(r, "shell", irk_json_strn(fs.f[6], fs.len[6]));
	password_state(r, fs.f[1], fs.len[1]);
	return r;
}

/* A day count (days since 1970-01-01), or null when empty or bad. */
static void
days(json_t *o, const char *key, const char *timekey, const char *s,
    size_t len)
{
	uint64_t v;

	if (irk_parse_u64n(s, len, 10, DAYS_MAX, &v) != 0) {
		json_object_set_new(o, key, json_null());
		if (timekey != NULL)
			json_object_set_new(o, timekey, json_null());
		return;
	}
	json_object_set_new(o, key, json_integer((json_int_t)v));
	/* a day past 9999-12-31 has no time */
	if (timekey != NULL && v <= DAYS_TIME_MAX)
		irk_json_set_time(o, timekey, (int64_t)v * DAY_US);
	else if (timekey != NULL)
		json_object_set_new(o, timekey, json_null());
}

json_t *
irk_shadow_line(const char *line, size_t len)
{
	struct fields fs;
	json_t *r;

	if (split(line, len, 9, &fs) != 0 || (r = json_object()) == NULL)
		return NULL;
	json_object_set_new(r, "user", irk_json_strn(fs.f[0], fs.len[0]));
	password_state(r, fs.f[1], fs.len[1]);
	days(r, "last_change_days", "last_change", fs.f[2], fs.len[2]);
	days(r, "min_days", NULL, fs.f[3], fs.len[3]);
	days(r, "max_days", NULL, fs.f[4], fs.len[4]);
	days(r, "warn_days", NULL, fs.f[5], fs.len[5]);
	days(r, "inactive_days", NULL, fs.f[6], fs.len[6]);
	days(r, "expire_days", "expire", fs.f[7], fs.len[7]);
	return r;
}

json_t *
irk_group_line(const char *line, size_t len)
{
	struct fields fs;
	uint64_t gid;
	json_t *r;

	if (split(line, len, 4, &fs) != 0 || id_field(&fs, 2, &gid) != 0 ||
	    (r = irk_record_new("group")) == NULL)
		return NULL;
	json_object_set_new(r, "name", irk_json_strn(fs.f[0], fs.len[0]));
	json_object_set_new(r, "gid", json_integer((json_int_t)gid));
	password_state(r, fs.f[1], fs.len[1]);
	json_object_set_new(r, "members", list(fs.f[3], fs.len[3]));
	return r;
}

json_t *
irk_gshadow_line(const char *line, size_t len)
{
	struct fields fs;
	json_t *r;

	if (split(line, len, 4, &fs) != 0 || (r = json_object()) == NULL)
		return NULL;
	json_object_set_new(r, "name", irk_json_strn(fs.f[0], fs.len[0]));
	password_state(r, fs.f[1], fs.len[1]);
	json_object_set_new(r, "admins", list(fs.f[2], fs.len[2]));
	json_object_set_new(r, "members", list(fs.f[3], fs.len[3]));
	return r;
}
