/*
 * usn.c - the change journal of an NTFS volume of an image: the $J
 * stream of $Extend/$UsnJrnl read through TSK, run by run (sparse runs,
 * most of a journal's length, are skipped without reading), parsed by
 * usn_parse.c, one "usn" record each.  The parent folder of an entry is
 * resolved to a path through the MFT when its entry still holds the same
 * sequence number (cached per folder).  Bounded: IRK_USN_BYTES_MAX bytes
 * read, IRK_USN_RECORDS_MAX records, IRK_USN_DEPTH_MAX folders up.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <tsk/libtsk.h>

#include "usn.h"
#include "irkit/collect.h"
#include "irkit/json.h"
#include "irkit/strmap.h"
#include "irkit/banned.h"

#define CHUNK		(1U << 20)
#define REF_ENTRY(r)	((r) & 0xffffffffffffULL)
#define REF_SEQ(r)	((uint16_t)((r) >> 48))
#define ROOT_ENTRY	5		/* NTFS: the root folder's MFT entry */
#define CACHE_MAX	200000		/* folders whose path is kept */
#define PATH_MAX_LEN	4096

struct usn_ctx {
	struct irk_collect *c;
	TSK_FS_INFO *fsi;
	const char *volume;
	struct irk_strmap dirs;		/* "ref" -> path ("" root, "\1" none) */
	struct irk_usn_stats st;
	uint64_t bytes;
	int full;			/* IRK_USN_RECORDS_MAX reached */
	int r;
};

/* The name and parent of MFT entry ref if its sequence still matches. */
static int
entry_name(TSK_FS_INFO *fsi, uint64_t ref, char *name, size_t len,
    uint64_t *parent)
{
	TSK_FS_FILE *f = tsk_fs_file_open_meta(fsi, NULL, REF_ENTRY(ref));
	int r = -1;

	if (f == NULL) {
		tsk_error_reset();
		return -1;
	}
	if (f->meta != NULL && f->meta->seq == REF_SEQ(ref) &&
	    (f->meta->flags & TSK_FS_META_FLAG_ALLOC) &&
	    f->meta->name2 != NULL && f->meta->name2->name[0] != '\0') {
		snprintf(name, len, "%s", f->meta->name2->name);
		*parent = (uint64_t)f->meta->name2->par_inode |
		    (uint64_t)f->meta->name2->par_seq << 48;
		r = 0;
	}
	tsk_fs_file_close(f);
	return r;
}

/* The path of folder ref ("" for the root), or NULL; cached. */
static const char *
dir_path(struct usn_ctx *u, uint64_t ref, int depth)
{
	char key[32], name[512], path[PATH_MAX_LEN];
	const char *up, *hit;
	uint64_t parent;

	if (REF_ENTRY(ref) == ROOT_ENTRY)
		return "";
	snprintf(key, sizeof(key), "%" PRIu64, ref);
	if ((hit = irk_strmap_get(&u->dirs, key)) != NULL)
		return hit[0] == '\1' ? NULL : hit;
	if (depth >= IRK_USN_DEPTH_MAX ||
	    entry_name(u->fsi, ref, name, sizeof(name), &parent) != 0 ||
	    parent == ref || (up = dir_path(u, parent, depth + 1)) == NULL ||
	    irk_path_join(path, sizeof(path), up[0] ? up : "/", name) !=
	    IRK_OK)
		snprintf(path, sizeof(path), "\1");
	if (u->dirs.count < CACHE_MAX) {
		char *dup = strdup(path);

		if (dup != NULL && irk_strmap_put(&u->dirs, key, dup) != 0)
			free(dup);
		if ((hit = irk_strmap_get(&u->dirs, key)) != NULL)
			return hit[0] == '\1' ? NULL : hit;
	}
	/* not cached: no path rather than an unowned one */
	return NULL;
}

static json_t *
usn_record(struct usn_ctx *u, const struct irk_usn_rec *e)
{
	json_t *rec = irk_record_new("usn");
	char reasons[512], path[PATH_MAX_LEN];
	const char *dir;

	if (rec == NULL)
		return NULL;
	irk_usn_reasons(e->reason, reasons, sizeof(reasons));
	irk_json_set_str(rec, "volume", u->volume);
	irk_json_set_int(rec, "offset", (int64_t)e->offset);
	irk_json_set_int(rec, "usn", e->usn);
	irk_json_set_int(rec, "major", e->major);
	irk_json_set_time(rec, "time", e->ts);
	irk_json_set_str(rec, "name", e->name);
	irk_json_set_int(rec, "reason", e->reason);
	irk_json_set_str(rec, "reasons", reasons);
	irk_json_set_int(rec, "attributes", e->attributes);
	irk_json_set_int(rec, "source_info", e->source);
	irk_json_set_int(rec, "security_id", e->security_id);
	irk_json_set_int(rec, "file_entry", (int64_t)REF_ENTRY(e->file_ref));
	irk_json_set_int(rec, "file_seq", REF_SEQ(e->file_ref));
	irk_json_set_int(rec, "parent_entry",
	    (int64_t)REF_ENTRY(e->parent_ref));
	irk_json_set_int(rec, "parent_seq", REF_SEQ(e->parent_ref));
	if (!e->wide && (dir = dir_path(u, e->parent_ref, 0)) != NULL &&
	    irk_path_join(path, sizeof(path), dir[0] ? dir : "/", e->name) ==
	    IRK_OK)
		irk_json_set_str(rec, "path", path);
	return rec;
}

/* The records of buf[0, len) (base: its stream offset); the bytes of a
 * record cut at the end, to be read again, in *keep. */
static void
usn_buf(struct usn_ctx *u, const unsigned char *buf, size_t len,
    uint64_t base, size_t *keep)
{
	struct irk_usn_rec e;
	size_t off = 0;

	while (!u->full && u->r != IRK_FATAL &&
	    irk_usn_next(buf, len, &off, base, &e, &u->st) == 1) {
		json_t *rec;

		if (u->st.records > IRK_USN_RECORDS_MAX) {
			u->full = 1;
			break;
		}
		if ((rec = usn_record(u, &e)) == NULL ||
		    irk_collect_record(u->c, rec) == IRK_FATAL)
			u->r = IRK_FATAL;
	}
	*keep = len - off;
}

/* One run of the stream: [start, end) read in chunks. */
static int
usn_range(struct usn_ctx *u, const TSK_FS_ATTR *a, uint64_t start,
    uint64_t end, unsigned char *buf)
{
	size_t keep = 0, total;

	for (uint64_t off = start; off < end && !u->full &&
	    u->r != IRK_FATAL;) {
		size_t want = CHUNK - keep;
		ssize_t n;

		if (want > end - off)
			want = (size_t)(end - off);
		if (u->bytes + want > IRK_USN_BYTES_MAX)
			return -1;
		n = tsk_fs_attr_read(a, (TSK_OFF_T)off, (char *)buf + keep,
		    want, TSK_FS_FILE_READ_FLAG_NONE);
		if (n <= 0) {
			tsk_error_reset();
			irk_collect_log(u->c, IRK_LOG_WARN, "/$Extend/$UsnJrnl:$J",
			    0, "cannot read the journal at byte %" PRIu64, off);
			u->r = irk_worst(u->r, IRK_WARN);
			return 0;
		}
		u->bytes += (uint64_t)n;
		off += (uint64_t)n;
		total = keep + (size_t)n;
		usn_buf(u, buf, total, off - total, &keep);
		memmove(buf, buf + total - keep, keep);
	}
	return 0;
}

/* The $J data attribute of $UsnJrnl, or NULL. */
static const TSK_FS_ATTR *
j_attr(TSK_FS_FILE *f)
{
	int n = tsk_fs_file_attr_getsize(f);

	for (int i = 0; i < n; i++) {
		const TSK_FS_ATTR *a = tsk_fs_file_attr_get_idx(f, i);

		if (a != NULL && a->type == TSK_FS_ATTR_TYPE_NTFS_DATA &&
		    a->name != NULL && strcmp(a->name, "$J") == 0)
			return a;
	}
	return NULL;
}

/* The allocated runs of a, or the resident bytes. */
static int
usn_stream(struct usn_ctx *u, const TSK_FS_ATTR *a)
{
	uint64_t bs = u->fsi->block_size, size = (uint64_t)a->size;
	unsigned char *buf;
	int cut = 0;

	if ((buf = malloc(CHUNK)) == NULL)
		return IRK_FATAL;
	if (!(a->flags & TSK_FS_ATTR_NONRES))
		cut = usn_range(u, a, 0, size, buf);
	for (const TSK_FS_ATTR_RUN *run = (a->flags & TSK_FS_ATTR_NONRES) ?
	    a->nrd.run : NULL; run != NULL && !cut && !u->full &&
	    u->r != IRK_FATAL; run = run->next) {
		uint64_t start = (uint64_t)run->offset * bs;
		uint64_t end = start + (uint64_t)run->len * bs;

		if (run->flags & (TSK_FS_ATTR_RUN_FLAG_SPARSE |
		    TSK_FS_ATTR_RUN_FLAG_FILLER))
			continue;
		if (end > size)
			end = size;
		if (start < end)
			cut = usn_range(u, a, start, end, buf);
	}
	free(buf);
	if (cut || u->full) {
		irk_collect_log(u->c, IRK_LOG_WARN, "/$Extend/$UsnJrnl:$J", 0,
		    "journal read up to its limit (%u records, %llu bytes): "
		    "the rest not read", IRK_USN_RECORDS_MAX,
		    (unsigned long long)IRK_USN_BYTES_MAX);
		u->r = irk_worst(u->r, IRK_WARN);
	}
	return u->r;
}

int
irk_usn_collect(struct irk_collect *c, TSK_FS_INFO *fsi, const char *volume)
{
	struct usn_ctx u;
	TSK_FS_FILE *f;
	const TSK_FS_ATTR *a;

	memset(&u, 0, sizeof(u));
	u.c = c;
	u.fsi = fsi;
	u.volume = volume;
	u.r = IRK_OK;
	f = tsk_fs_file_open(fsi, NULL, "/$Extend/$UsnJrnl");
	if (f == NULL) {
		tsk_error_reset();
		irk_collect_log(c, IRK_LOG_INFO, "/$Extend/$UsnJrnl", 0,
		    "no change journal");
		return IRK_OK;
	}
	if ((a = j_attr(f)) == NULL) {
		tsk_error_reset();
		irk_collect_log(c, IRK_LOG_WARN, "/$Extend/$UsnJrnl", 0,
		    "change journal without a $J stream");
		tsk_fs_file_close(f);
		return IRK_WARN;
	}
	irk_strmap_init(&u.dirs, free);
	(void)usn_stream(&u, a);
	irk_collect_log(c, IRK_LOG_INFO, "/$Extend/$UsnJrnl:$J", 0,
	    "%" PRIu64 " records, %" PRIu64 " V4 range records skipped, "
	    "%" PRIu64 " bytes read, %" PRIu64 " 8-byte steps over damage",
	    u.st.records > IRK_USN_RECORDS_MAX ? (uint64_t)IRK_USN_RECORDS_MAX :
	    u.st.records, u.st.v4, u.bytes, u.st.bad);
	irk_strmap_release(&u.dirs);
	tsk_fs_file_close(f);
	return u.r;
}
