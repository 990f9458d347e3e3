/*
 * win_amcache.c - Windows/AppCompat/Programs/Amcache.hve: the files
 * Windows inventoried, with their SHA-1.  Windows 10 and 11 keep one key
 * per file under Root\InventoryApplicationFile (LowerCaseLongPath,
 * FileId = "0000" and the SHA-1, Size, LinkDate, ProductName,
 * Publisher, Version, ProgramId, Name); Windows 8 and early 10 one
 * under Root\File\{volume}\{id} whose values are named by number (15
 * the path, 101 the SHA-1, 0 the product, 1 the company, 5 the version,
 * 6 the size, f the link time, 11 and 17 modification times, 12 the
 * creation time, 100 the program).  The key's last-written time is when
 * Windows first saw the file.  Records "amcache_file"
 * (docs/windows-artifacts.md).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "image.h"
#include "win_art.h"
#include "irkit/json.h"
#include "irkit/banned.h"

#define AMCACHE_HIVE	"/Windows/AppCompat/Programs/Amcache.hve"
#define IAF_KEY		"\\Root\\InventoryApplicationFile"
#define FILE_KEY	"\\Root\\File"
/* keys read per layout: a real Amcache has some tens of thousands */
#define AMCACHE_MAX_FILES	1000000

struct am_ctx {
	struct irk_collect *c;
	const char *hive;
	size_t n;
	int r;
};

/* The SHA-1 of a FileId ("0000" and 40 hex digits), lowercase, or "". */
static void
file_sha1(const char *id, char out[41])
{
	size_t n = id != NULL ? strlen(id) : 0;

	out[0] = '\0';
	if (n == 44 && strncmp(id, "0000", 4) == 0)
		id += 4;
	else if (n != 40)
		return;
	for (int i = 0; i < 40; i++) {
		if (!isxdigit((unsigned char)id[i])) {
			out[0] = '\0';
			return;
		}
		out[i] = (char)tolower((unsigned char)id[i]);
	}
	out[40] = '\0';
}

static int64_t
days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

/* LinkDate "MM/DD/YYYY HH:MM:SS" (UTC) in µs, or IRK_TIME_NONE. */
static int64_t
link_date(const char *s)
{
	unsigned mo, d, y, h, mi, se;
	char tail;

	if (s == NULL || sscanf(s, "%2u/%2u/%4u %2u:%2u:%2u%c", &mo, &d, &y,
	    &h, &mi, &se, &tail) != 6 || mo < 1 || mo > 12 || d < 1 ||
	    d > 31 || y < 1970 || y > 9999 || h > 23 || mi > 59 || se > 60)
		return IRK_TIME_NONE;
	return ((days_from_civil(y, mo, d) * 86400) + h * 3600 + mi * 60 +
	    se) * 1000000LL;
}

static void
set_qword(json_t *rec, const char *key, libregf_key_t *k, const char *v)
{
	uint64_t q;
	char *s;

	if (irk_reg_qword(k, v, &q) == 0 && q <= INT64_MAX)
		irk_json_set_int(rec, key, (int64_t)q);
	else if ((s = irk_reg_str(k, v)) != NULL) {
		char *end;
		unsigned long long x = strtoull(s, &end, 0);

		if (end != s && *end == '\0' && x <= INT64_MAX)
			irk_json_set_int(rec, key, (int64_t)x);
		free(s);
	}
}

static void
set_str(json_t *rec, const char *key, libregf_key_t *k, const char *v)
{
	char *s = irk_reg_str(k, v);

	if (s != NULL && s[0] != '\0')
		irk_json_set_str(rec, key, s);
	free(s);
}

static void
set_ft(json_t *rec, const char *key, libregf_key_t *k, const char *v)
{
	uint64_t q;

	if (irk_reg_qword(k, v, &q) == 0)
		irk_json_set_time(rec, key, irk_win_filetime(q));
}

static int
emit(struct am_ctx *x, json_t *rec, libregf_key_t *k, const char *id,
    const char *layout, const char *keypath)
{
	char sha1[41], *fid;
	const char *path, *base;

	fid = irk_reg_str(k, id);
	file_sha1(fid, sha1);
	free(fid);
	if (sha1[0] != '\0')
		irk_json_set_str(rec, "sha1", sha1);
	irk_json_set_str(rec, "hive", x->hive);
	irk_json_set_str(rec, "layout", layout);
	irk_json_set_str(rec, "key", keypath);
	irk_json_set_time(rec, "first_seen", irk_reg_key_time(k));
	path = json_string_value(json_object_get(rec, "path"));
	if (json_object_get(rec, "name") == NULL && path != NULL) {
		base = strrchr(path, '\\');
		irk_json_set_str(rec, "name", base != NULL ? base + 1 : path);
	}
	x->n++;
	return irk_collect_record(x->c, rec) == IRK_FATAL ? IRK_FATAL : IRK_OK;
}

/* Windows 10 and 11: one key per file. */
static int
iaf_file(struct am_ctx *x, libregf_key_t *k, const char *keypath)
{
	json_t *rec = irk_record_new("amcache_file");
	uint64_t q;
	char *ld;

	if (rec == NULL)
		return IRK_FATAL;
	set_str(rec, "path", k, "LowerCaseLongPath");
	set_str(rec, "name", k, "Name");
	set_qword(rec, "size", k, "Size");
	if ((ld = irk_reg_str(k, "LinkDate")) != NULL)
		irk_json_set_time(rec, "link_date", link_date(ld));
	free(ld);
	set_str(rec, "product", k, "ProductName");
	set_str(rec, "publisher", k, "Publisher");
	set_str(rec, "version", k, "Version");
	set_str(rec, "program_id", k, "ProgramId");
	if (irk_reg_qword(k, "IsOsComponent", &q) == 0)
		irk_json_set_bool(rec, "os_component", q != 0);
	return emit(x, rec, k, "FileId", "InventoryApplicationFile", keypath);
}

/* Windows 8 and early 10: values named by number. */
static int
old_file(struct am_ctx *x, libregf_key_t *k, const char *keypath)
{
	json_t *rec = irk_record_new("amcache_file");
	uint32_t t;

	if (rec == NULL)
		return IRK_FATAL;
	set_str(rec, "path", k, "15");
	set_qword(rec, "size", k, "6");
	if (irk_reg_dword(k, "f", &t) == 0 && t != 0)
		irk_json_set_time(rec, "link_date", (int64_t)t * 1000000);
	set_str(rec, "product", k, "0");
	set_str(rec, "publisher", k, "1");
	set_str(rec, "version", k, "5");
	set_str(rec, "program_id", k, "100");
	set_ft(rec, "modified", k, "11");
	set_ft(rec, "created", k, "12");
	set_ft(rec, "modified2", k, "17");
	return emit(x, rec, k, "101", "File", keypath);
}

/* What is done with a key: its path below the root. */
typedef int (*am_key_fn)(struct am_ctx *x, libregf_key_t *k,
    const char *keypath);

/* fn on each sub-key of k (at path, below the root), unreadable ones
 * logged. */
static int
each_subkey(struct am_ctx *x, libregf_key_t *k, const char *path,
    am_key_fn fn)
{
	struct irk_err err;
	char name[512], sub[1024];
	int n = irk_reg_nsubkeys(k), r = IRK_OK;

	for (int i = 0; i < n && r != IRK_FATAL; i++) {
		libregf_key_t *s;

		if (x->n >= AMCACHE_MAX_FILES) {
			irk_collect_log(x->c, IRK_LOG_ERROR, x->hive, 0,
			    "key '%s': more than %d files: the rest is not "
			    "read", path, AMCACHE_MAX_FILES);
			x->r = irk_worst(x->r, IRK_WARN);
			break;
		}
		if ((s = irk_reg_subkey_read(k, i, &err)) == NULL) {
			irk_collect_log(x->c, IRK_LOG_ERROR, x->hive, 0,
			    "key '%s': sub-key %d of %d cannot be read (%s)",
			    path, i + 1, n, err.msg);
			x->r = irk_worst(x->r, IRK_WARN);
			continue;
		}
		irk_reg_key_name(s, name, sizeof(name));
		snprintf(sub, sizeof(sub), "%s\\%s", path, name);
		r = fn(x, s, sub);
		libregf_key_free(&s, NULL);
	}
	return r;
}

/* Root\File\{volume}: each of its files. */
static int
old_volume(struct am_ctx *x, libregf_key_t *k, const char *keypath)
{
	return each_subkey(x, k, keypath, old_file);
}

static int
walk_layout(struct am_ctx *x, struct irk_hive *h, const char *path,
    am_key_fn fn)
{
	libregf_key_t *k = irk_hive_key(h, path);
	int r;

	if (k == NULL)
		return IRK_OK;
	r = each_subkey(x, k, path + 1, fn);
	libregf_key_free(&k, NULL);
	return r;
}

/*
 * The Amcache.hve walk: records of type "amcache_file" for each key of
 * Root\InventoryApplicationFile and Root\File\{volume}\{id}, handed to
 * c (records only; problems logged on c naming path).  IRK_OK, IRK_WARN
 * (something skipped), or IRK_FATAL (the sink failed).
 */
static int
amcache_walk(struct irk_hive *h, struct irk_collect *c, const char *path)
{
	struct am_ctx x = { c, path, 0, IRK_OK };
	int r;

	r = walk_layout(&x, h, IAF_KEY, iaf_file);
	if (r != IRK_FATAL)
		r = walk_layout(&x, h, FILE_KEY, old_volume);
	return r == IRK_FATAL ? r : x.r;
}

static int
win_amcache(struct irk_collect *c)
{
	struct irk_hive h;
	struct irk_stat st;
	struct irk_err err;
	int r;

	if (c->fs->ops->stat(c->fs, AMCACHE_HIVE, 1, &st, &err) != IRK_OK) {
		irk_collect_log(c, IRK_LOG_INFO, AMCACHE_HIVE, 0,
		    "no Amcache.hve");
		return IRK_OK;
	}
	if (irk_hive_open(&h, c->fs, AMCACHE_HIVE, &err) != IRK_OK) {
		irk_collect_log_err(c, IRK_LOG_ERROR, AMCACHE_HIVE, &err);
		return IRK_FAIL;
	}
	r = irk_hive_report(&h, c) != IRK_OK ? IRK_WARN : IRK_OK;
	r = irk_worst(r, amcache_walk(&h, c, AMCACHE_HIVE));
	irk_hive_close(&h);
	return r;
}

const struct irk_collector irk_collector_win_amcache = {
	"win_amcache", "Amcache.hve: files Windows inventoried, with SHA-1",
	IRK_SRC_WINDOWS_ROOT, win_amcache,
};
