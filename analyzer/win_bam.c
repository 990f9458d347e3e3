/*
 * win_bam.c - the Background and Desktop Activity Moderators of Windows
 * 10 and 11: in the current control set of SYSTEM, Services\bam and
 * Services\dam, State\UserSettings\SID (1809 and later) or
 * UserSettings\SID (before): one value per program the user ran, its
 * data starting with the FILETIME of the last run.  Records "bam"
 * (docs/windows-artifacts.md).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "image.h"
#include "win_art.h"
#include "irkit/json.h"
#include "irkit/le.h"
#include "irkit/banned.h"

#define SYSTEM_HIVE	"/Windows/System32/config/SYSTEM"

struct bam_ctx {
	struct irk_collect *c;
	const struct irk_win_user *users;
	size_t nusers;
	const char *kind;
	int r;
};

static int
bam_value(struct bam_ctx *x, const char *key, const char *sid,
    const struct irk_reg_val *v)
{
	const char *user;
	json_t *rec;

	/* Version, SequenceNumber: DWORDs; a program's value is binary */
	if (v->type != LIBREGF_VALUE_TYPE_BINARY_DATA || v->len < 8)
		return IRK_OK;
	if ((rec = irk_record_new("bam")) == NULL)
		return IRK_FATAL;
	irk_json_set_str(rec, "kind", x->kind);
	irk_json_set_str(rec, "hive", SYSTEM_HIVE);
	irk_json_set_str(rec, "key", key);
	irk_json_set_str(rec, "sid", sid);
	user = irk_win_user_by_sid(x->users, x->nusers, sid);
	irk_json_set_str(rec, "user", user);
	irk_json_set_str(rec, "path", v->name);
	irk_json_set_time(rec, "last_run",
	    irk_win_filetime(irk_le64(v->data)));
	return irk_collect_record(x->c, rec) == IRK_FATAL ? IRK_FATAL : IRK_OK;
}

/* The values of one SID's key. */
static int
bam_sid(struct bam_ctx *x, libregf_key_t *k, const char *parent)
{
	char sid[192], key[512];
	struct irk_err err;
	int n, r = IRK_OK;

	irk_reg_key_name(k, sid, sizeof(sid));
	snprintf(key, sizeof(key), "%s\\%s", parent, sid);
	n = irk_reg_nvalues(k);
	for (int i = 0; i < n && r != IRK_FATAL; i++) {
		struct irk_reg_val v;

		if (irk_reg_value_at(k, i, &v, &err) != 0) {
			irk_collect_log(x->c, IRK_LOG_ERROR, SYSTEM_HIVE, 0,
			    "key '%s': %s", key, err.msg);
			x->r = irk_worst(x->r, IRK_WARN);
			continue;
		}
		r = bam_value(x, key, sid, &v);
		irk_reg_val_free(&v);
	}
	return r;
}

static int
bam_key(struct bam_ctx *x, struct irk_hive *h, const char *path)
{
	libregf_key_t *us = irk_hive_key(h, path);
	struct irk_err err;
	int n, r = IRK_OK;

	if (us == NULL)
		return IRK_OK;
	n = irk_reg_nsubkeys(us);
	for (int i = 0; i < n && r != IRK_FATAL; i++) {
		libregf_key_t *k = irk_reg_subkey_read(us, i, &err);

		if (k == NULL) {
			irk_collect_log(x->c, IRK_LOG_ERROR, SYSTEM_HIVE, 0,
			    "key '%s': sub-key %d of %d cannot be read (%s)",
			    path + 1, i + 1, n, err.msg);
			x->r = irk_worst(x->r, IRK_WARN);
			continue;
		}
		r = bam_sid(x, k, path + 1);
		libregf_key_free(&k, NULL);
	}
	libregf_key_free(&us, NULL);
	return r;
}

static int
win_bam(struct irk_collect *c)
{
	static const char *const kinds[] = { "bam", "dam" };
	static const char *const where[] = { "State\\UserSettings",
	    "UserSettings" };
	struct bam_ctx x = { c, NULL, 0, NULL, IRK_OK };
	struct irk_win_user *users = NULL;
	struct irk_hive h;
	struct irk_err err;
	char set[32], path[256];
	int r = IRK_OK;

	if (irk_hive_open(&h, c->fs, SYSTEM_HIVE, &err) != IRK_OK) {
		irk_collect_log_err(c, IRK_LOG_ERROR, SYSTEM_HIVE, &err);
		return IRK_FAIL;
	}
	x.r = irk_hive_grade(&h);
	(void)irk_win_users(c->fs, &users, &x.nusers);
	x.users = users;
	irk_win_control_set(&h, set, sizeof(set));
	for (int k = 0; k < 2 && r != IRK_FATAL; k++)
		for (int w = 0; w < 2 && r != IRK_FATAL; w++) {
			x.kind = kinds[k];
			snprintf(path, sizeof(path), "\\%s\\Services\\%s\\%s",
			    set, kinds[k], where[w]);
			r = bam_key(&x, &h, path);
		}
	free(users);
	irk_hive_close(&h);
	return r == IRK_FATAL ? r : x.r;
}

const struct irk_collector irk_collector_win_bam = {
	"win_bam", "BAM and DAM: the programs each Windows user ran",
	IRK_SRC_WINDOWS_ROOT, win_bam,
};
