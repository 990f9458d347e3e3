/*
 * win_shimcache.c - the ShimCache (AppCompatCache) of a SYSTEM hive:
 * the AppCompatCache value of Control\Session Manager\AppCompatCache in
 * the current control set, a blob parsed here (irk_shimcache_parse,
 * win_art.h) in the layouts of Windows 7/2008 R2 (x86 and x64), 8.0,
 * 8.1/2012 R2 and 10/11.  Records "shimcache", in the cache's order
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

#define W7_MAGIC	0xbadc0feeU
#define W7_HEADER	128
#define W7_X64_ENTRY	48
#define W7_X86_ENTRY	32
#define W8_HEADER	128
#define INSERT_EXECUTED	0x2	/* the insert flag CSRSS sets on a run */
#define TS_HEAD		12	/* "10ts", a hash, the entry's data size */

/* Windows 7 and 2008 R2: a table of fixed entries, paths elsewhere. */
static int
parse_win7(const unsigned char *b, size_t len, irk_shim_fn fn, void *arg,
    struct irk_err *err)
{
	uint32_t count = irk_le32(b + 4);
	struct irk_shim_entry e;
	int x64, r;
	size_t esz;

	if (count > IRK_SHIM_MAX_ENTRIES) {
		irk_err_set(err, EINVAL, "the header claims %u entries", count);
		return -1;
	}
	/* x64: 4 bytes of padding after the lengths, then a 64-bit offset */
	x64 = count == 0 || len < W7_HEADER + 8 ||
	    irk_le32(b + W7_HEADER + 4) == 0;
	esz = x64 ? W7_X64_ENTRY : W7_X86_ENTRY;
	memset(&e, 0, sizeof(e));
	e.format = x64 ? "win7-x64" : "win7-x86";
	for (e.index = 0; e.index < count; e.index++) {
		const unsigned char *p = b + W7_HEADER + e.index * esz;
		uint64_t off;
		uint16_t plen;

		if (W7_HEADER + (e.index + 1) * esz > len) {
			irk_err_set(err, EINVAL, "entry %zu of %u is past the "
			    "end (%zu bytes)", e.index + 1, count, len);
			return -1;
		}
		plen = irk_le16(p);
		off = x64 ? irk_le64(p + 8) : irk_le32(p + 4);
		e.mtime = irk_win_filetime(irk_le64(p + (x64 ? 16 : 8)));
		e.executed = (irk_le32(p + (x64 ? 24 : 16)) &
		    INSERT_EXECUTED) != 0;
		if (off > len || plen > len - off) {
			irk_err_set(err, EINVAL, "entry %zu: its path (%u "
			    "bytes at %llu) is past the end (%zu bytes)",
			    e.index + 1, plen, (unsigned long long)off, len);
			return -1;
		}
		irk_win_utf16(b + off, plen, e.path, sizeof(e.path));
		if ((r = fn(arg, &e)) != 0)
			return r;
	}
	return 0;
}

/*
 * The body of one "00ts"/"10ts" entry (n bytes): the path, then for 8.0
 * and 8.1 a package name and the insert flags before the time.
 */
static int
ts_body(const unsigned char *p, size_t n, int win8, struct irk_shim_entry *e)
{
	size_t at = 2, plen;

	if (n < 2)
		return -1;
	plen = irk_le16(p);
	if (plen > n - at)
		return -1;
	irk_win_utf16(p + at, plen, e->path, sizeof(e->path));
	at += plen;
	e->executed = -1;
	if (win8) {
		size_t pk;

		if (n - at < 2)
			return -1;
		pk = irk_le16(p + at);
		at += 2;
		if (pk > n - at || n - at - pk < 8)
			return -1;
		at += pk;
		e->executed = (irk_le32(p + at) & INSERT_EXECUTED) != 0;
		at += 8;	/* insert flags, shim flags */
	}
	if (n - at < 8)
		return -1;
	e->mtime = irk_win_filetime(irk_le64(p + at));
	return 0;
}

/* Windows 8 and later: "00ts" or "10ts" entries one after the other. */
static int
parse_ts(const unsigned char *b, size_t len, size_t start, const char *sig,
    const char *format, irk_shim_fn fn, void *arg, struct irk_err *err)
{
	struct irk_shim_entry e;
	size_t at = start;
	int r;

	memset(&e, 0, sizeof(e));
	e.format = format;
	for (e.index = 0; at < len; e.index++) {
		uint32_t n;

		if (e.index >= IRK_SHIM_MAX_ENTRIES) {
			irk_err_set(err, EINVAL, "more than %d entries",
			    IRK_SHIM_MAX_ENTRIES);
			return -1;
		}
		if (len - at < TS_HEAD || memcmp(b + at, sig, 4) != 0) {
			irk_err_set(err, EINVAL, "entry %zu at offset %zu: no "
			    "'%s' signature", e.index + 1, at, sig);
			return -1;
		}
		n = irk_le32(b + at + 8);
		if (n > len - at - TS_HEAD) {
			irk_err_set(err, EINVAL, "entry %zu at offset %zu: its "
			    "%u bytes are past the end (%zu bytes)",
			    e.index + 1, at, n, len);
			return -1;
		}
		if (ts_body(b + at + TS_HEAD, n, format[3] == '8', &e) != 0) {
			irk_err_set(err, EINVAL, "entry %zu at offset %zu: "
			    "its fields overrun its %u bytes", e.index + 1,
			    at, n);
			return -1;
		}
		if ((r = fn(arg, &e)) != 0)
			return r;
		at += TS_HEAD + n;
	}
	return 0;
}

int
irk_shimcache_parse(const unsigned char *b, size_t len, irk_shim_fn fn,
    void *arg, struct irk_err *err)
{
	uint32_t sig;

	if (b == NULL || len < 8) {
		irk_err_set(err, EINVAL, "%zu bytes: too short for a header",
		    len);
		return -1;
	}
	sig = irk_le32(b);
	if (sig == W7_MAGIC) {
		if (len < W7_HEADER) {
			irk_err_set(err, EINVAL, "%zu bytes: too short for "
			    "the Windows 7 header", len);
			return -1;
		}
		return parse_win7(b, len, fn, arg, err);
	}
	if (sig == W8_HEADER && len >= W8_HEADER + 4 &&
	    memcmp(b + W8_HEADER, "00ts", 4) == 0)
		return parse_ts(b, len, W8_HEADER, "00ts", "win8.0", fn, arg,
		    err);
	if (sig == W8_HEADER && len >= W8_HEADER + 4 &&
	    memcmp(b + W8_HEADER, "10ts", 4) == 0)
		return parse_ts(b, len, W8_HEADER, "10ts", "win8.1", fn, arg,
		    err);
	if ((sig == 0x30 || sig == 0x34) && len >= sig)
		return parse_ts(b, len, sig, "10ts", "win10", fn, arg, err);
	if (sig == 0xdeadbeefU || sig == 0xbadc0ffeU)
		irk_err_set(err, ENOTSUP, "the Windows XP, 2003 or Vista "
		    "layout (signature 0x%08x) is not read", sig);
	else
		irk_err_set(err, ENOTSUP, "unknown signature 0x%08x", sig);
	return -1;
}

/* --- the collector ------------------------------------------------ */

struct shim_ctx {
	struct irk_collect *c;
	const char *set;
	const char *key;
};

static int
shim_record(void *arg, const struct irk_shim_entry *e)
{
	struct shim_ctx *x = arg;
	json_t *rec = irk_record_new("shimcache");

	if (rec == NULL)
		return IRK_FATAL;
	irk_json_set_str(rec, "hive", SYSTEM_HIVE);
	irk_json_set_str(rec, "key", x->key);
	irk_json_set_str(rec, "control_set", x->set);
	irk_json_set_str(rec, "format", e->format);
	irk_json_set_int(rec, "entry", (int64_t)e->index + 1);
	irk_json_set_str(rec, "path", e->path);
	irk_json_set_time(rec, "mtime", e->mtime);
	if (e->executed >= 0)
		irk_json_set_bool(rec, "executed", e->executed);
	return irk_collect_record(x->c, rec) == IRK_FATAL ? IRK_FATAL : 0;
}

static int
read_cache(struct irk_collect *c, struct irk_hive *h, const char *set)
{
	struct shim_ctx x = { c, set, NULL };
	char key[160];
	unsigned char *blob;
	libregf_key_t *k;
	struct irk_err err;
	size_t len = 0;
	int r;

	snprintf(key, sizeof(key), "%s\\Control\\Session Manager\\"
	    "AppCompatCache", set);
	x.key = key;
	if ((k = irk_hive_key(h, key)) == NULL) {
		irk_collect_log(c, IRK_LOG_INFO, SYSTEM_HIVE, 0,
		    "no key '%s': no ShimCache", key);
		return IRK_OK;
	}
	blob = irk_reg_bin(k, "AppCompatCache", IRK_REG_VALUE_MAX, &len);
	libregf_key_free(&k, NULL);
	if (blob == NULL) {
		irk_collect_log(c, IRK_LOG_WARN, SYSTEM_HIVE, 0, "key '%s': no "
		    "readable AppCompatCache value", key);
		return IRK_WARN;
	}
	r = irk_shimcache_parse(blob, len, shim_record, &x, &err);
	free(blob);
	if (r == IRK_FATAL)
		return IRK_FATAL;
	if (r != 0) {
		irk_collect_log(c, IRK_LOG_ERROR, SYSTEM_HIVE, 0, "key '%s' "
		    "value AppCompatCache: %s: the entries before it are kept",
		    key, err.msg);
		return IRK_WARN;
	}
	return IRK_OK;
}

static int
win_shimcache(struct irk_collect *c)
{
	struct irk_hive h;
	struct irk_err err;
	char set[32];
	int r;

	if (irk_hive_open(&h, c->fs, SYSTEM_HIVE, &err) != IRK_OK) {
		irk_collect_log_err(c, IRK_LOG_ERROR, SYSTEM_HIVE, &err);
		return IRK_FAIL;
	}
	r = irk_hive_grade(&h);
	irk_win_control_set(&h, set, sizeof(set));
	r = irk_worst(r, read_cache(c, &h, set));
	irk_hive_close(&h);
	return r;
}

const struct irk_collector irk_collector_win_shimcache = {
	"win_shimcache", "ShimCache (AppCompatCache) of the SYSTEM hive",
	IRK_SRC_WINDOWS_ROOT, win_shimcache,
};
