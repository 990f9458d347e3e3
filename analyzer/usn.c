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
#include "irkit/fs.h"
#include "irkit/json.h"
#include "irkit/strmap.h"
#include "irkit/banned.h"

#define CHUNK		(1U << 20)
#define REF_ENTRY(r)	((r) & 0xffffffffffffULL)
#define REF_SEQ(r)	((uint16_t)((r) >> 48))
#define ROOT_ENTRY	5		/* the root folder's MFT entry */
#define CACHE_MAX	200000		/* folders whose path is kept */
#define PATH_MAX_LEN	4096

struct usn_ctx {
	struct irk_collect *c;
	TSK_FS_INFO *fsi;		/* NULL: no MFT to resolve paths */
	const char *volume;
	const char *path;		/* of the stream, for messages */
	/* bytes of the stream at off: > 0, or <= 0 on error */
	ssize_t (*read)(void *arg, void *buf, size_t len, uint64_t off);
	void *arg;
	struct irk_strmap dirs;		/* "ref" -> path, "\1": none */
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

	if (u->fsi == NULL)
		return NULL;
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

/* [start, end) of the stream read in chunks. */
static int
usn_range(struct usn_ctx *u, uint64_t start, uint64_t end,
    unsigned char *buf)
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
		n = u->read(u->arg, buf + keep, want, off);
		if (n <= 0) {
			irk_collect_log(u->c, IRK_LOG_WARN, u->path, 0,
			    "cannot read the journal at byte %" PRIu64, off);
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

static ssize_t
tsk_read(void *arg, void *buf, size_t len, uint64_t off)
{
	ssize_t n = tsk_fs_attr_read(arg, (TSK_OFF_T)off, buf, len,
	    TSK_FS_FILE_READ_FLAG_NONE);

	if (n <= 0)
		tsk_error_reset();
	return n;
}

/* Said when the journal was cut at a bound. */
static void
usn_cut(struct usn_ctx *u)
{
	irk_collect_log(u->c, IRK_LOG_WARN, u->path, 0, "journal read up "
	    "to its limit (%u records, %llu bytes): the rest not read",
	    IRK_USN_RECORDS_MAX, (unsigned long long)IRK_USN_BYTES_MAX);
	u->r = irk_worst(u->r, IRK_WARN);
}

/* The counts, as an info line. */
static void
usn_done(struct usn_ctx *u)
{
	irk_collect_log(u->c, IRK_LOG_INFO, u->path, 0, "%" PRIu64
	    " records, %" PRIu64 " V4 range records skipped, %" PRIu64
	    " bytes read, %" PRIu64 " 8-byte steps over damage",
	    u->st.records > IRK_USN_RECORDS_MAX ?
	    (uint64_t)IRK_USN_RECORDS_MAX : u->st.records, u->st.v4,
	    u->bytes, u->st.bad);
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
	u->read = tsk_read;
	u->arg = (void *)a;
	if (!(a->flags & TSK_FS_ATTR_NONRES))
		cut = usn_range(u, 0, size, buf);
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
			cut = usn_range(u, start, end, buf);
	}
	free(buf);
	if (cut || u->full)
		usn_cut(u);
	return u->r;
}

static void
usn_init(struct usn_ctx *u, struct irk_collect *c, const char *volume,
    const char *path)
{
	memset(u, 0, sizeof(*u));
	u->c = c;
	u->volume = volume;
	u->path = path;
	u->r = IRK_OK;
	irk_strmap_init(&u->dirs, free);
}

/*
 * The journal of an NTFS volume (fsi) as "usn" records through c (the
 * volume's name in each).  IRK_OK also when there is none (an info log
 * line); IRK_WARN when it was cut at a bound or could not be read whole.
 */
static int
usn_collect(struct irk_collect *c, TSK_FS_INFO *fsi, const char *volume)
{
	struct usn_ctx u;
	TSK_FS_FILE *f;
	const TSK_FS_ATTR *a;

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
	usn_init(&u, c, volume, "/$Extend/$UsnJrnl:$J");
	u.fsi = fsi;
	(void)usn_stream(&u, a);
	usn_done(&u);
	irk_strmap_release(&u.dirs);
	tsk_fs_file_close(f);
	return u.r;
}

/* The volume irk_usn_image names (image loads one volume at a time). */
static struct {
	TSK_FS_INFO *fsi;
	const char *volume;
} image_vol;

static int
collect_usn_image(struct irk_collect *c)
{
	if (image_vol.fsi == NULL)
		return IRK_OK;
	return usn_collect(c, image_vol.fsi, image_vol.volume);
}

static const struct irk_collector usn_image = {
	"usn", "the change journal of an NTFS volume of an image", 0,
	collect_usn_image
};

const struct irk_collector *
irk_usn_image(TSK_FS_INFO *fsi, const char *volume)
{
	image_vol.fsi = fsi;
	image_vol.volume = volume;
	return &usn_image;
}

/* --- a $J file of a collection ------------------------------------- */

/* where collections put the stream: KAPE, Velociraptor, by hand */
static const char *const j_files[] = {
	"/$Extend/$J", "/$Extend/$UsnJrnl%3A$J", "/$Extend/$UsnJrnl:$J",
	NULL,
};

struct fs_src {
	struct irk_fs *fs;
	struct irk_file *f;
};

static ssize_t
fs_read(void *arg, void *buf, size_t len, uint64_t off)
{
	struct fs_src *s = arg;

	return irk_fs_pread(s->fs, s->f, buf, len, off);
}

/*
 * A Windows root that is a collection's files (not an image: there the
 * journal is read through TSK, usn_collect): the $J stream copied as
 * a file, read whole (its sparse part, when the copy kept it, is zeros
 * skipped 8 bytes at a time); no MFT, so no paths.
 */
static int
collect_usn_file(struct irk_collect *c)
{
	struct fs_src src = { c->fs, NULL };
	struct irk_stat st;
	struct irk_err err;
	struct usn_ctx u;
	unsigned char *buf;
	const char *path = NULL;
	uint64_t start = 0;
	int cut;

	if (c->fs->kind != NULL && strcmp(c->fs->kind, "image") == 0)
		return IRK_OK;
	for (int i = 0; j_files[i] != NULL && path == NULL; i++)
		if (irk_fs_open(c->fs, j_files[i], &src.f, &err) == IRK_OK)
			path = j_files[i];
	if (path == NULL)
		return IRK_OK;
	if (c->fs->ops->fstat(src.f, &st) != IRK_OK ||
	    (buf = malloc(CHUNK)) == NULL) {
		irk_collect_log(c, IRK_LOG_ERROR, path, errno, "cannot read "
		    "the change journal");
		irk_fs_close(c->fs, src.f);
		return IRK_FAIL;
	}
	usn_init(&u, c, path, path);
	u.read = fs_read;
	u.arg = &src;
	/* a copy that kept the sparse part: its last 2 GiB (the newest) */
	if (st.size > IRK_USN_BYTES_MAX) {
		start = (st.size - IRK_USN_BYTES_MAX) & ~(uint64_t)4095;
		irk_collect_log(c, IRK_LOG_WARN, path, 0, "journal of %" PRIu64
		    " bytes: only its last %" PRIu64 " read", st.size,
		    st.size - start);
		u.r = IRK_WARN;
	}
	cut = usn_range(&u, start, st.size, buf);
	if (cut || u.full)
		usn_cut(&u);
	usn_done(&u);
	free(buf);
	irk_strmap_release(&u.dirs);
	irk_fs_close(c->fs, src.f);
	return u.r;
}

const struct irk_collector irk_collector_usn_file = {
	"usn_file", "an NTFS change journal ($J) a collection copied",
	IRK_SRC_WINDOWS_ROOT, collect_usn_file
};
