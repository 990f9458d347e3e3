/*
 * cmd_image.c - irkit-analyze image: open disk images with The Sleuth
 * Kit (raw, split raw, E01), walk every volume TSK can open, load the
 * file-system timeline (allocated and deleted names, exactly the lines
 * `fls -r -m /` prints) into files and events, scan file contents, and
 * run the collectors (Linux and Windows) on each root found.
 *
 * See docs/images.md.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pthread.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <tsk/libtsk.h>

#include "case_sink.h"
#include "db_read.h"
#include "evtx.h"
#include "vss.h"
#include "vss_rows.h"
#include "findings_cross.h"
#include "fs_image.h"
#include "image.h"
#include "media_ahead.h"
#include "media_hash.h"
#include "scan_opts.h"
#include "tsk_guard.h"
#include "rowq.h"
#include "scan.h"
#include "usn.h"
#include "irkit/collectors.h"
#include "irkit/fe.h"
#include "irkit/json.h"
#include "irkit/parse.h"
#include "irkit/sha256.h"
#include "irkit/timeutil.h"
#include "irkit/banned.h"

#define READ_CHUNK	(1U << 20)

enum {
	HASH_NONE = IRK_SCAN_HASH_NONE,
	HASH_SHA256 = IRK_SCAN_HASH_SHA256,
	HASH_ALL = IRK_SCAN_HASH_ALL,
};

struct image_opts {
	const char *db;
	struct irk_scan_args scan;	/* -r, --ioc, -j, --hash, ... */
	uint64_t max_size;	/* scan.max_size */
	int no_scan;
	int image_hash;		/* --image-hash: media SHA-256 and MD5 */
	int hash;		/* HASH_*, -1 unset */
	int quiet;		/* -q: errors only */
	int json;		/* --json: the summary as one object */
	int integrity_full;	/* --integrity full: every packaged file */
};

struct image_stats {
	uint64_t images, failed, skipped, volumes, bad_volumes;
	uint64_t files, deleted, scanned, matches, records;
	uint64_t cached_matches;	/* of matches: from the scan cache */
	uint64_t trusted;	/* skipped by an E01's stored MD5, unread */
	uint64_t too_large;	/* hashed, not scanned: over the cap */
};

struct ctx {
	const struct image_opts *o;
	struct irk_db *db;
	pthread_mutex_t dbmu;	/* db, while rowq writes in its thread */
	struct irk_rowq *rowq;	/* timeline-only walk: rows stored apart */
	int indexed;		/* the writer built the indexes early */
	struct irk_scan *scan;
	struct irk_strmap known;
	int tty;
	int problems;		/* in the whole run: exit 1 */
	int img_problems;	/* in the image being loaded: status partial */
	int img_trusted;	/* it was skipped by its stored MD5, unread */
	uint64_t img_refused;	/* irk_tsk_guard_refused() as it opened */
	uint64_t img_runs_cut;	/* irk_tsk_runs_cut() as it opened */
	uint64_t img_dirs_squeezed;	/* irk_tsk_dirs_squeezed() too */
	uint64_t inflight;
	struct image_stats st;
	/* the image being loaded */
	const char *image;
	TSK_FS_INFO *fsi;
	TSK_FS_TYPE_ENUM fs_type0;	/* found at byte 0 by is_disk_image */
	int64_t img_time;	/* its files' last change (µs): "now" for the
				   collectors' next-run times */
	char volume[128];
	unsigned char *buf;	/* content of one file, max_size bytes */
	struct irk_buf body, path;	/* add_line's, reused */
	uint64_t bytes, total;
	int64_t t0, last_progress;
	int walk_errors;
	json_t *inputs;		/* --json: one object per image */
	int64_t findings0, events0;	/* rows before the run */
	char *failure;		/* a write to the case failed: the run stops */
	/* the volume's files read (scan, hash) that start like an EVTX
	 * file, for the evtx collector after the walk */
	struct irk_evtx_found evtx_found;
	/* a volume shadow copy's walk and collectors: what it adds */
	struct irk_vss_rows *vss;
	/* -j 2 and more: the batch's media hashes, hashed ahead, and what
	 * ahead_batch() found of each image (size -1: not opened) */
	struct irk_mahead *ahead;
	TSK_IMG_TYPE_ENUM *ah_type;
	int64_t *ah_size;
	int *ah_stored;			/* an E01 that stores its MD5 */
	char (*ah_key)[IRK_SHA256_HEX];	/* identity_key(), "" unknown */
};

static void
usage(FILE *fp)
{
	fputs(
"usage: irkit-analyze image [--db FILE] [-r PATH]... [--no-default-rules]\n"
"                           [--ioc FILE]... [-j N] [--max-file-size SIZE]\n"
"                           [--no-scan] [--image-hash] [--no-image-hash]\n"
"                           [--hash none|sha256|all] [--integrity default|full]\n"
"                           [-q] [--json] IMAGE...\n"
"\n"
"Open raw, split raw (.001) and E01 disk images, walk every volume, load\n"
"the file-system timeline, scan contents and run the collectors on each\n"
"root.  Windows event logs are read from winevt/Logs and from any file\n"
"read (scanned or hashed) that starts with the EVTX signature.  Each\n"
"volume shadow copy of an NTFS volume holding Windows is read too: its\n"
"logs folder, its files (a walk as long as the volume's) and its hives,\n"
"paths vssN@TIME:/...; rows the live volume or an earlier copy has are\n"
"not stored again.  Then the findings across hosts are computed again\n"
"over the whole case (the same scored file, service, task or key on\n"
"several hosts, logins from one host to another).\n"
"\n", fp);
	irk_scan_load_help(fp);
	irk_scan_opts_help(fp);
	fputs(
"                        none: no content hash (default with --no-scan)\n"
"      --no-scan         timeline and collectors only\n"
"      --image-hash      read the whole media for its SHA-256 and MD5 (the\n"
"                        evidence key; an E01's stored MD5 is checked, and\n"
"                        never trusted to find the media in the case)\n"
"      --no-image-hash   do not (the default: the key is the E01's stored\n"
"                        MD5, trusted unread, or the image file's path,\n"
"                        size and times)\n"
"      --integrity default|full  the package-file check (dpkg, rpm): the\n"
"                        files an intruder replaces (default), or every\n"
"                        packaged file (docs/integrity.md)\n"
"  -h, --help            this help\n"
"\n"
"A file that is not a disk image (no partition table, no file system) is\n"
"refused and not added to the case.  The same media again (the same file,\n"
"its E01, a copy: same media SHA-256, or MD5 against an E01's stored one,\n"
"hashed when an image of the same size is in the case) is not loaded\n"
"twice.  The summary counts YARA matches \"N (M from the scan cache)\"\n"
"and the findings this run added.\n"
"\n"
"Exit status: 0 done; 1 done but something could not be read (an image,\n"
"a volume, a rule file that does not compile); 2 usage; 3 fatal (the case\n"
"is being loaded by another run or cannot be written, e.g. a full disk:\n"
"said with the case's name, and no summary; no --rules file compiles).\n",
	    fp);
}

static void
say(struct ctx *c, const char *level, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* One line on stderr, escaped (fe.h); info lines not with -q. */
static void
say_tty(struct ctx *c, const char *level, const char *msg)
{
	int info = strcmp(level, "info") == 0;

	if (info && c->o->quiet)
		return;
	if (c->tty)
		fputs("\r\033[K", stderr);
	if (info)
		irk_safe_fprintf(stderr, "%s: %s\n", irk_fe_prefix(), msg);
	else if (strcmp(level, "error") == 0)
		irk_fe_error("%s", msg);
	else
		irk_fe_warn("%s", msg);
}

/* A problem: stderr (escaped) and the case log. */
static void
say(struct ctx *c, const char *level, const char *path, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	size_t i;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* TSK's messages end with a newline */
	for (i = strlen(msg); i > 0 && (msg[i - 1] == '\n' ||
	    msg[i - 1] == ' '); i--)
		msg[i - 1] = '\0';
	say_tty(c, level, msg);
	if (c->db != NULL && irk_db_current_evidence(c->db) > 0) {
		if (c->rowq != NULL)
			pthread_mutex_lock(&c->dbmu);
		(void)irk_db_log(c->db, irk_now_us(), level, "image", path,
		    msg);
		if (c->rowq != NULL)
			pthread_mutex_unlock(&c->dbmu);
	}
	if (strcmp(level, "info") != 0)
		c->problems = c->img_problems = 1;
}

/*
 * A write to the case failed (a full disk): said once, with the case and
 * what was being written; the run stops (exit 3, no summary of a load).
 */
static void
db_fail_why(struct ctx *c, const char *what, const char *why)
{
	c->problems = c->img_problems = 1;	/* evidence status partial */
	if (c->failure != NULL)
		return;
	if (strncmp(why, "database: ", 10) == 0)
		why += 10;
	if (asprintf(&c->failure, "cannot write %s to the case '%s': %s",
	    what, c->o->db, why) < 0)
		c->failure = NULL;
	say_tty(c, "error", c->failure ? c->failure : "out of memory");
	if (c->failure == NULL)
		c->failure = strdup("");
}

/* The same, SQLite's reason for the statement that failed. */
static void
db_fail(struct ctx *c, const char *what)
{
	db_fail_why(c, what, irk_db_errmsg(c->db));
}

static void
progress(struct ctx *c, const char *phase, int force)
{
	int64_t now;
	double secs, rate;

	if (!c->tty)
		return;
	now = irk_now_us();
	if (!force && now - c->last_progress < 250000)
		return;
	c->last_progress = now;
	secs = (double)(now - c->t0) / 1e6;
	rate = secs > 0 ? (double)c->bytes / secs : 0;
	fputs("\r\033[K", stderr);
	irk_safe_fprintf(stderr, "%s: %s %" PRIu64 " MiB", c->image, phase,
	    c->bytes >> 20);
	if (c->total > 0) {
		fprintf(stderr, "/%" PRIu64 " MiB", c->total >> 20);
		if (rate > 0 && c->bytes <= c->total)
			fprintf(stderr, ", ETA %.0f s",
			    (double)(c->total - c->bytes) / rate);
	}
	fprintf(stderr, ", %.1f MiB/s, %" PRIu64 " files", rate / 1048576.0,
	    c->st.files);
}

/* --- scanning ------------------------------------------------------ */

static void
store_scan(struct ctx *c, struct irk_scan_item *it)
{
	struct irk_db_content k;
	int hm = c->o->hash;

	if (irk_db_scan_result(c->db, it->file_id, it) != IRK_OK)
		say(c, "warn", it->path, "cannot store scan result of '%s'",
		    it->path);
	memset(&k, 0, sizeof(k));
	k.sha256 = hm >= HASH_SHA256 && it->sha256[0] ? it->sha256 : NULL;
	k.md5 = hm >= HASH_SHA256 && it->md5[0] ? it->md5 : NULL;
	k.sha1 = hm >= HASH_SHA256 && it->sha1[0] ? it->sha1 : NULL;
	k.mime = it->mime;
	k.magic = it->magic;
	k.filetype = it->filetype;
	k.skipped = it->skipped;
	if (irk_db_file_content(c->db, it->file_id, &k) != IRK_OK)
		say(c, "warn", it->path, "cannot update '%s': %s", it->path,
		    irk_db_errmsg(c->db));
	c->st.scanned++;
	c->st.matches += json_array_size(it->matches) + it->cached_matches;
	c->st.cached_matches += it->cached_matches;
}

static void
pop_ready(struct ctx *c, int wait)
{
	struct irk_scan_item *it;

	while (c->inflight > 0 && (it = irk_scan_pop(c->scan, wait)) != NULL) {
		c->inflight--;
		store_scan(c, it);
		irk_scan_item_free(it);
	}
}

/* --- the timeline walk ---------------------------------------------- */

static void
sanitized(struct irk_buf *b, const char *s)
{
	const char *p = s;

	while (*p != '\0' && (unsigned char)*p >= 0x20)
		p++;
	if (*p == '\0') {
		(void)irk_buf_addstr(b, s);	/* the usual case */
		return;
	}
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		(void)irk_buf_addch(b, ch < 0x20 ? '^' : ch);
	}
}

static int64_t
tus(time_t s, uint32_t ns)
{
	if (s == 0)
		return IRK_TIME_NONE;	/* fls prints 0: the fs keeps none */
	return (int64_t)s * 1000000 + (int64_t)(ns / 1000);
}

/* Read an attribute's content (type/id, or the default when attr NULL). */
static ssize_t
read_content(struct ctx *c, TSK_FS_FILE *f, const TSK_FS_ATTR *attr,
    unsigned char *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		size_t want = len - got > READ_CHUNK ? READ_CHUNK : len - got;
		ssize_t n;

		if (attr != NULL)
			n = tsk_fs_file_read_type(f, attr->type, attr->id,
			    (TSK_OFF_T)got, (char *)buf + got, want,
			    TSK_FS_FILE_READ_FLAG_NONE);
		else
			n = tsk_fs_file_read(f, (TSK_OFF_T)got,
			    (char *)buf + got, want, TSK_FS_FILE_READ_FLAG_NONE);
		if (n < 0) {
			tsk_error_reset();
			return -1;
		}
		if (n == 0)
			break;
		got += (size_t)n;
		c->bytes += (uint64_t)n;
	}
	return (ssize_t)got;
}

/*
 * Content of one regular file: hashed or queued for the scanner; an
 * EVTX file noted when evtx (a plain file, not a stream or deleted).
 */
static void
content(struct ctx *c, TSK_FS_FILE *f, const TSK_FS_ATTR *attr,
    const char *path, uint64_t size, int64_t id, int evtx)
{
	const char *skip = NULL;
	unsigned char *data = c->buf;
	struct irk_scan_item *it;
	ssize_t n;

	if (size > c->o->max_size)
		skip = "too large";
	else if (c->scan != NULL &&
	    (data = malloc(size > 0 ? (size_t)size : 1)) == NULL)
		skip = "out of memory";
	else if (size > 0) {
		n = read_content(c, f, attr, data, (size_t)size);
		if (n < 0 || (uint64_t)n != size)
			skip = "unreadable";
	}
	if (skip != NULL) {
		struct irk_db_content k = { .skipped = skip };

		if (data != c->buf)
			free(data);
		c->st.too_large += strcmp(skip, "too large") == 0;
		(void)irk_db_file_content(c->db, id, &k);
		return;
	}
	if (evtx && irk_evtx_is_evtx(data, (size_t)size))
		irk_evtx_found_add(&c->evtx_found, path);
	if (c->scan == NULL) {
		struct irk_hash h;
		char sha[IRK_SHA256_HEX], md5[33], sha1[41];
		struct irk_db_content k = { .sha256 = sha };

		if (irk_hash_init(&h, c->o->hash == HASH_ALL) != IRK_OK)
			return;
		irk_hash_update(&h, data, (size_t)size);
		irk_hash_final(&h, sha, c->o->hash == HASH_ALL ? md5 : NULL,
		    c->o->hash == HASH_ALL ? sha1 : NULL);
		if (c->o->hash == HASH_ALL) {
			k.md5 = md5;
			k.sha1 = sha1;
		}
		(void)irk_db_file_content(c->db, id, &k);
		return;
	}
	if ((it = irk_scan_item_new(path, data, (size_t)size, size)) == NULL) {
		free(data);
		say(c, "error", path, "out of memory for '%s'", path);
		return;
	}
	it->file_id = id;
	if (irk_scan_push(c->scan, it) != IRK_OK) {
		say(c, "error", path, "cannot queue '%s' for scanning", path);
		return;
	}
	c->inflight++;
	pop_ready(c, 0);
}

/* One line of `fls -m`: a files row, its events, perhaps its content. */
/* What a walk line is: a $FILE_NAME entry, a named stream, deleted. */
struct line_kind {
	int fname, ads, deleted, realloc;
};

/* The line's names: body as fls -m / prints it, path as stored. */
static void
line_names(struct irk_buf *body, struct irk_buf *path, TSK_FS_FILE *f,
    const char *dir, const TSK_FS_ATTR *attr, const struct line_kind *k)
{
	const TSK_FS_META *m = f->meta;
	const char *name = f->name->name;

	(void)irk_buf_addch(body, '/');
	sanitized(body, dir);
	sanitized(body, name);
	(void)irk_buf_addch(path, '/');
	(void)irk_buf_addstr(path, dir);
	(void)irk_buf_addstr(path, name);
	if (k->ads) {
		(void)irk_buf_addch(body, ':');
		sanitized(body, attr->name);
		(void)irk_buf_addch(path, ':');
		(void)irk_buf_addstr(path, attr->name);
	}
	if (k->fname) {
		(void)irk_buf_addstr(body, " ($FILE_NAME)");
		(void)irk_buf_addstr(path, " ($FILE_NAME)");
	}
	if (m != NULL && m->type == TSK_FS_META_TYPE_LNK && m->link != NULL) {
		(void)irk_buf_addstr(body, " -> ");
		(void)irk_buf_addstr(body, m->link);
	}
	if (k->deleted)
		(void)irk_buf_addstr(body, k->realloc ? " (deleted-realloc)" :
		    " (deleted)");
}

/* Size, owner and times of the row from the metadata; the size. */
static uint64_t
line_meta(struct irk_db_file *row, const TSK_FS_META *m,
    const TSK_FS_ATTR *attr, int fname)
{
	uint64_t size = attr != NULL ? (uint64_t)attr->size :
	    (uint64_t)m->size;

	row->size = (int64_t)size;
	row->uid = (int64_t)m->uid;
	row->gid = (int64_t)m->gid;
	if (fname) {
		row->atime = tus(m->time2.ntfs.fn_atime,
		    (uint32_t)m->time2.ntfs.fn_atime_nano);
		row->mtime = tus(m->time2.ntfs.fn_mtime,
		    (uint32_t)m->time2.ntfs.fn_mtime_nano);
		row->ctime = tus(m->time2.ntfs.fn_ctime,
		    (uint32_t)m->time2.ntfs.fn_ctime_nano);
		row->btime = tus(m->time2.ntfs.fn_crtime,
		    (uint32_t)m->time2.ntfs.fn_crtime_nano);
	} else {
		row->atime = tus(m->atime, m->atime_nano);
		row->mtime = tus(m->mtime, m->mtime_nano);
		row->ctime = tus(m->ctime, m->ctime_nano);
		row->btime = tus(m->crtime, m->crtime_nano);
	}
	return size;
}

/*
 * A shadow copy's line (vss_rows.h): 1 to store it (its names now
 * prefixed), 0 when the live volume or an earlier copy has it.
 */
static int
vss_keep_file(struct ctx *c, struct irk_db_file *row)
{
	int keep = irk_vss_rows_file(c->vss, row);

	if (keep < 0)
		db_fail(c, "a shadow copy's files row");
	return keep > 0;
}

static void
add_line(struct ctx *c, TSK_FS_FILE *f, const char *dir,
    const TSK_FS_ATTR *attr)
{
	const TSK_FS_META *m = f->meta;
	const TSK_FS_NAME *nm = f->name;
	struct irk_buf body, path;
	struct irk_db_file row;
	char addr[64], mode[16], ls[12];
	struct line_kind k;
	uint64_t size = 0;
	int64_t id = -1;

	k.fname = attr != NULL && attr->type == TSK_FS_ATTR_TYPE_NTFS_FNAME;
	k.ads = attr != NULL && attr->name != NULL && !k.fname &&
	    (attr->type != TSK_FS_ATTR_TYPE_NTFS_IDXROOT ||
	    strcmp(attr->name, "$I30") != 0);
	k.deleted = (nm->flags & TSK_FS_NAME_FLAG_UNALLOC) != 0;
	k.realloc = k.deleted && m != NULL &&
	    (m->flags & TSK_FS_META_FLAG_ALLOC);
	/* the walk's two buffers, kept from line to line */
	body = c->body;
	path = c->path;
	irk_buf_reset(&body);
	irk_buf_reset(&path);
	line_names(&body, &path, f, dir, attr, &k);
	if (attr != NULL)
		snprintf(addr, sizeof(addr), "%" PRIuINUM "-%" PRIu32 "-%"
		    PRIu16, nm->meta_addr, (uint32_t)attr->type, attr->id);
	else
		snprintf(addr, sizeof(addr), "%" PRIuINUM, nm->meta_addr);
	if (m != NULL)
		tsk_fs_meta_make_ls(m, ls, sizeof(ls));
	else
		memcpy(ls, "----------", 11);
	snprintf(mode, sizeof(mode), "%s/%s",
	    nm->type < TSK_FS_NAME_TYPE_STR_MAX ?
	    tsk_fs_name_type_str[nm->type] : "-", ls);

	memset(&row, 0, sizeof(row));
	row.path = path.data;
	row.mode = mode;
	row.uid = row.gid = row.inode = -1;
	row.size = -1;
	row.atime = row.mtime = row.ctime = row.btime = IRK_TIME_NONE;
	if (m != NULL)
		size = line_meta(&row, m, attr, k.fname);
	row.inode = (int64_t)nm->meta_addr;
	row.deleted = k.deleted;
	row.origin = "image";
	row.volume = c->volume;
	row.meta_addr = addr;
	row.body_name = body.data;
	row.stream = k.fname ? "$FILE_NAME" : k.ads ? attr->name : NULL;
	if (c->vss != NULL && !vss_keep_file(c, &row))
		goto out;
	if (c->rowq != NULL) {
		/* timeline only: no content, nothing needs the row id */
		if (irk_rowq_add(c->rowq, &row) != IRK_OK)
			say(c, "error", path.data, "out of memory for '%s'",
			    path.data);
		c->st.files++;
		if (k.deleted)
			c->st.deleted++;
		goto out;
	}
	if (c->failure != NULL)
		goto out;
	if (irk_db_file_add(c->db, &row, &id) != IRK_OK) {
		db_fail(c, "a files row");
		goto out;
	}
	(void)irk_db_file_events(c->db, &row, id);
	c->st.files++;
	if (k.deleted)
		c->st.deleted++;
	/* content: regular files' data streams, not reallocated names */
	if (m != NULL && m->type == TSK_FS_META_TYPE_REG && !k.fname &&
	    !k.realloc && (attr == NULL ||
	    attr->type == TSK_FS_ATTR_TYPE_NTFS_DATA) &&
	    (c->scan != NULL || c->o->hash != HASH_NONE))
		content(c, f, attr, row.path, size, id, !k.ads &&
		    !k.deleted && c->vss == NULL);
	progress(c, "walk", 0);
out:
	c->body = body;
	c->path = path;
}

static int
isdot(const char *n)
{
	return n[0] == '.' && (n[1] == '\0' || (n[1] == '.' && n[2] == '\0'));
}

/* In the writer thread (irk_rowq_call). */
static void
early_indexes(void *db)
{
	(void)irk_db_timeline_indexes(db);
}

/* The same choices as fls's print_dent_act (-r -m /, no -a). */
static TSK_WALK_RET_ENUM
walk_cb(TSK_FS_FILE *f, const char *dir, void *arg)
{
	struct ctx *c = arg;

	if (f->name == NULL || f->name->name == NULL)
		return TSK_WALK_CONT;
	/*
	 * TSK lists $OrphanFiles last in the root, then searches every
	 * inode for orphans (as long as the rest of the walk on ext4): few
	 * rows come after it, and the writer builds the indexes meanwhile.
	 */
	if (c->rowq != NULL && !c->indexed && dir[0] == '\0' &&
	    f->name->type == TSK_FS_NAME_TYPE_VIRT_DIR &&
	    f->name->meta_addr == TSK_FS_ORPHANDIR_INUM(f->fs_info)) {
		c->indexed = 1;
		(void)irk_rowq_call(c->rowq, early_indexes, c->db);
	}
	if (TSK_FS_TYPE_ISNTFS(f->fs_info->ftype) && f->meta != NULL) {
		int i, n = tsk_fs_file_attr_getsize(f), printed = 0;

		for (i = 0; i < n; i++) {
			const TSK_FS_ATTR *a = tsk_fs_file_attr_get_idx(f, i);

			if (a == NULL)
				continue;
			if (a->type == TSK_FS_ATTR_TYPE_NTFS_DATA) {
				printed = 1;
				if (f->meta->type == TSK_FS_META_TYPE_DIR &&
				    f->name->name[0] == '.' &&
				    f->name->name[1] &&
				    f->name->name[2] == '\0')
					continue;
				add_line(c, f, dir, a);
			} else if (a->type == TSK_FS_ATTR_TYPE_NTFS_IDXROOT) {
				printed = 1;
				if (!isdot(f->name->name))
					add_line(c, f, dir, a);
			} else if (a->type == TSK_FS_ATTR_TYPE_NTFS_FNAME &&
			    a->id == f->meta->time2.ntfs.fn_id) {
				if (!isdot(f->name->name))
					add_line(c, f, dir, a);
			}
		}
		if (!printed)
			add_line(c, f, dir, NULL);
		tsk_error_reset();
	} else if (!isdot(f->name->name))
		add_line(c, f, dir, NULL);
	return TSK_WALK_CONT;
}

/* --- collectors on a root ----------------------------------------- */

static int
is_dir(struct irk_fs *fs, const char *path)
{
	struct irk_stat st;
	struct irk_err err;

	return fs->ops->stat(fs, path, 1, &st, &err) == IRK_OK &&
	    S_ISDIR(st.mode);
}

enum { ROOT_ETC = 1, ROOT_USR = 2, ROOT_WINDOWS = 4 };

/*
 * Which of etc, usr, Windows the root directory names (any case, any
 * type: is_dir() decides), read once instead of one path lookup each:
 * a root with thousands of names is not searched three times.
 */
static int
root_names(TSK_FS_INFO *fsi)
{
	TSK_FS_DIR *d = tsk_fs_dir_open_meta(fsi, fsi->root_inum);
	int found = 0;

	if (d == NULL) {
		tsk_error_reset();
		/* look each up */
		return ROOT_ETC | ROOT_USR | ROOT_WINDOWS;
	}
	for (size_t i = 0; i < tsk_fs_dir_getsize(d); i++) {
		const TSK_FS_NAME *nm = tsk_fs_dir_get_name(d, i);

		if (nm == NULL || nm->name == NULL ||
		    !(nm->flags & TSK_FS_NAME_FLAG_ALLOC))
			continue;
		if (strcasecmp(nm->name, "etc") == 0)
			found |= ROOT_ETC;
		else if (strcasecmp(nm->name, "usr") == 0)
			found |= ROOT_USR;
		else if (strcasecmp(nm->name, "Windows") == 0)
			found |= ROOT_WINDOWS;
	}
	tsk_fs_dir_close(d);
	return found;
}

/* The collectors whose sources meet holds (or only col) on a root. */
static void
run_collectors(struct ctx *c, struct irk_fs *fs, unsigned holds,
    const struct irk_collector *col)
{
	struct irk_case_sink s;
	char where[1200], why[600];
	int rc;

	memset(&s, 0, sizeof(s));
	(void)snprintf(where, sizeof(where), "'%s' %s", c->image, c->volume);
	s.db = c->db;
	s.where = where;
	s.tty = c->tty;
	s.integrity_full = c->o->integrity_full;
	s.now = c->img_time;
	if (c->vss != NULL) {
		s.keep = irk_vss_rows_record;
		s.keep_arg = c->vss;
		s.log_prefix = c->vss->prefix[c->vss->n - 1];
	}
	rc = irk_case_collect(&s, fs, holds, col, c->o->max_size, why,
	    sizeof(why));
	c->st.records += s.records;
	if (s.db_failed)
		db_fail_why(c, "a record", s.db_error);
	if (rc == IRK_FATAL)
		say(c, "error", NULL, "%s: collectors stopped: %s", c->volume,
		    why);
	if (s.problems)
		c->problems = c->img_problems = 1;
}

/*
 * The EVTX files the walk found by their signature, but the ones the
 * evtx collector read in a Windows root's logs folder (NAME.evtx), read
 * into the case.
 */
static void
run_found_evtx(struct ctx *c, struct irk_fs *fs, int windows)
{
	struct irk_evtx_found *f = &c->evtx_found;
	size_t n = 0;

	for (size_t i = 0; i < f->n; i++) {
		if (windows && irk_evtx_in_logs(f->paths[i]))
			free(f->paths[i]);
		else
			f->paths[n++] = f->paths[i];
	}
	f->n = n;
	if (n > 0 && fs != NULL)
		run_collectors(c, fs, 0, irk_evtx_found_collector(
		    (const char *const *)f->paths, n));
	irk_evtx_found_clear(f);
}

/* --- volume shadow copies (vss.h) ---------------------------------- */

#define WALK_ALL	(TSK_FS_DIR_WALK_FLAG_ALLOC | \
	TSK_FS_DIR_WALK_FLAG_UNALLOC | TSK_FS_DIR_WALK_FLAG_RECURSE)

/*
 * The collectors of a Windows root over a shadow copy, but its event
 * logs (read by irk_evtx_snapshot_collector) and the change journal.
 */
static void
vss_collectors(struct ctx *c, struct irk_fs *fs)
{
	for (size_t i = 0; i < irk_ncollectors && c->failure == NULL; i++) {
		const struct irk_collector *col = irk_collectors[i];

		if (!(col->sources & IRK_SRC_WINDOWS_ROOT) ||
		    (col->sources & IRK_SRC_ON_REQUEST) ||
		    strcmp(col->name, "evtx") == 0 ||
		    strcmp(col->name, "usn_file") == 0)
			continue;
		run_collectors(c, fs, 0, col);
	}
}

/*
 * Shadow copy i's walk and hives (fsi, fs), through rows: only what the
 * live volume and the earlier copies lack is stored, under prefix.
 */
static void
vss_contents(struct ctx *c, TSK_FS_INFO *fsi, struct irk_fs *fs,
    struct irk_vss_rows *rows, const char *prefix, int i)
{
	if (irk_vss_rows_store(rows, prefix) != IRK_OK) {
		say(c, "error", NULL, "'%s' %s: shadow copy %d: out of memory",
		    c->image, c->volume, i + 1);
		return;
	}
	c->vss = rows;
	if (tsk_fs_dir_walk(fsi, fsi->root_inum, WALK_ALL, walk_cb, c) != 0) {
		const char *e = tsk_error_get();

		say(c, "warn", NULL, "'%s' %s: shadow copy %d: walk stopped "
		    "early: %s", c->image, c->volume, i + 1, e ? e :
		    "unknown");
		tsk_error_reset();
	}
	if (c->scan != NULL)
		pop_ready(c, 1);
	if (is_dir(fs, "/Windows/System32/config"))
		vss_collectors(c, fs);
	c->vss = NULL;
	say(c, "info", NULL, "'%s' %s: shadow copy %d: %" PRIu64 " files "
	    "rows and %" PRIu64 " records stored as '%s', %" PRIu64 " and %"
	    PRIu64 " not (the live volume or an earlier copy has them)",
	    c->image, c->volume, i + 1, rows->files, rows->records, prefix,
	    rows->same_files, rows->same_records);
}

/*
 * Shadow copy i of v: the event logs of its NTFS, their paths prefixed
 * "vssN@TIME:" (records stored already, from the live volume or an
 * earlier copy, are not stored again: win_event's identity), then its
 * file-system walk and hives (vss_contents).
 */
static void
load_shadow_copy(struct ctx *c, struct irk_vss *v, int i,
    struct irk_vss_rows *rows)
{
	TSK_IMG_INFO *simg;
	TSK_FS_INFO *fsi;
	struct irk_fs *fs;
	struct irk_err err;
	int64_t created;
	char prefix[64], t[IRK_TIME_LEN] = "unknown";

	if ((simg = irk_vss_store_img(v, i, &created, &err)) == NULL) {
		say(c, "error", NULL, "'%s' %s: shadow copy %d: %s", c->image,
		    c->volume, i + 1, err.msg);
		return;
	}
	if (created != IRK_TIME_NONE)
		irk_time_fmt_compact(created, t);
	(void)snprintf(prefix, sizeof(prefix), "vss%d@%s:", i + 1, t);
	fsi = tsk_fs_open_img(simg, 0, TSK_FS_TYPE_NTFS_DETECT);
	if (fsi == NULL) {
		const char *e = tsk_error_get();

		say(c, "error", NULL, "'%s' %s: shadow copy %d: no NTFS TSK "
		    "can open: %s", c->image, c->volume, i + 1, e ? e :
		    "unknown");
		tsk_error_reset();
	} else if (irk_fs_image_open(&fs, fsi, &err) == IRK_OK) {
		say(c, "info", NULL, "'%s' %s: shadow copy %d of %d, created "
		    "%s: reading its event logs, files and hives as '%s'",
		    c->image, c->volume, i + 1, irk_vss_count(v), t, prefix);
		run_collectors(c, fs, 0, irk_evtx_snapshot_collector(prefix));
		if (rows != NULL && c->failure == NULL)
			vss_contents(c, fsi, fs, rows, prefix, i);
		irk_fs_free(fs);
	}
	if (fsi != NULL)
		tsk_fs_close(fsi);
	tsk_img_close(simg);
}

/* The shadow copies of the NTFS volume of len bytes at off. */
static void
load_shadow_copies(struct ctx *c, TSK_IMG_INFO *img, TSK_OFF_T off,
    TSK_OFF_T len)
{
	struct irk_vss *v;
	struct irk_vss_rows *rows = NULL;
	struct irk_err err;

	if (irk_vss_open(&v, img, off, len, &err) != IRK_OK) {
		say(c, "error", NULL, "'%s' %s: %s", c->image, c->volume,
		    err.msg);
		return;
	}
	if (v != NULL && irk_vss_rows_open(&rows, c->db, &err) != IRK_OK)
		db_fail_why(c, "a shadow copy's rows", err.msg);
	for (int i = 0; v != NULL && i < irk_vss_count(v) &&
	    c->failure == NULL; i++)
		load_shadow_copy(c, v, i, rows);
	irk_vss_rows_free(rows);
	irk_vss_free(v);
}

/* --- volumes -------------------------------------------------------- */

static void
load_fs(struct ctx *c, TSK_IMG_INFO *img, TSK_OFF_T off, TSK_OFF_T len,
    int idx, const char *desc)
{
	TSK_FS_INFO *fsi;
	struct irk_fs *fs = NULL;
	struct irk_err err;
	int linux_root = 0, win_root = 0;

	fsi = off == 0 && c->fs_type0 != TSK_FS_TYPE_DETECT ?
	    tsk_fs_open_img(img, off, c->fs_type0) :
	    irk_fs_image_detect(img, off);
	if (fsi == NULL) {
		const char *e = tsk_error_get();

		say(c, "warn", NULL, "'%s' volume %d (%s) at byte %" PRIdOFF
		    ": no file system TSK can open: %s", c->image, idx,
		    desc, off, e ? e : "unknown");
		tsk_error_reset();
		c->st.bad_volumes++;
		return;
	}
	c->st.volumes++;
	c->fsi = fsi;
	snprintf(c->volume, sizeof(c->volume), "%d:%s@%" PRIdOFF, idx,
	    tsk_fs_type_toname(fsi->ftype), off / 512);
	if (irk_fs_image_open(&fs, fsi, &err) == IRK_OK) {
		int top = root_names(fsi);

		linux_root = (top & (ROOT_ETC | ROOT_USR)) == (ROOT_ETC |
		    ROOT_USR) && is_dir(fs, "/etc") && is_dir(fs, "/usr");
		win_root = (top & ROOT_WINDOWS) &&
		    is_dir(fs, "/Windows/System32/config");
		if (linux_root || win_root)
			(void)irk_case_root_host(c->db, fs, win_root);
	}
	/* timeline only: SQLite stores rows in its thread during the walk */
	if (c->scan == NULL && c->o->hash == HASH_NONE &&
	    irk_rowq_start(&c->rowq, c->db, &c->dbmu, &err) != IRK_OK)
		c->rowq = NULL;		/* stored here instead */
	if (tsk_fs_dir_walk(fsi, fsi->root_inum, WALK_ALL, walk_cb, c) != 0) {
		const char *e = tsk_error_get();

		say(c, "warn", NULL, "'%s' %s: walk stopped early: %s",
		    c->image, c->volume, e ? e : "unknown");
		tsk_error_reset();
	}
	if (c->rowq != NULL) {
		char *first = NULL;
		uint64_t bad = irk_rowq_finish(c->rowq, &first);

		c->rowq = NULL;
		if (bad > 0)
			db_fail(c, "the files rows");
		free(first);
	}
	if (c->scan != NULL)
		pop_ready(c, 1);
	if (fs != NULL && TSK_FS_TYPE_ISNTFS(fsi->ftype))
		run_collectors(c, fs, 0, irk_usn_image(c->fsi, c->volume));
	if (fs != NULL && (linux_root || win_root)) {
		say(c, "info", NULL, "'%s' %s: %s root, running collectors",
		    c->image, c->volume, win_root ? "windows" : "linux");
		/* a volume with both is taken for Windows */
		run_collectors(c, fs, win_root ? IRK_SRC_WINDOWS_ROOT :
		    IRK_SRC_LINUX_ROOT, NULL);
	}
	run_found_evtx(c, fs, win_root);
	if (fs != NULL && win_root && TSK_FS_TYPE_ISNTFS(fsi->ftype))
		load_shadow_copies(c, img, off, len);
	irk_fs_free(fs);
	tsk_fs_close(fsi);
	c->fsi = NULL;
}

static TSK_WALK_RET_ENUM
part_cb(TSK_VS_INFO *vs, const TSK_VS_PART_INFO *p, void *arg)
{
	struct ctx *c = arg;

	load_fs(c, vs->img_info, (TSK_OFF_T)p->start * vs->block_size,
	    (TSK_OFF_T)p->len * vs->block_size,
	    (int)p->addr, p->desc ? p->desc : "?");
	return TSK_WALK_CONT;
}

/*
 * The default evidence key of a raw image (no --image-hash, no stored
 * MD5): "unhashed:" and the SHA-256 of each image file's absolute path,
 * size, inode, mtime and ctime.  Loading the same file again is still a
 * no-op; a copy elsewhere is a new evidence row (never skipped as a
 * duplicate).
 */
static int
identity_of(struct ctx *c, int nfiles, const char *const *files,
    char out[IRK_SHA256_HEX])
{
	struct irk_hash h;
	char line[8192], hex[IRK_SHA256_HEX];
	struct stat st;

	if (irk_hash_init(&h, 0) != IRK_OK)
		return IRK_FAIL;
	for (int i = 0; i < nfiles; i++) {
		char *abs = realpath(files[i], NULL);
		int n;

		if (abs == NULL || stat(abs, &st) != 0) {
			say(c, "error", files[i], "cannot stat '%s': %s",
			    files[i], strerror(errno));
			free(abs);
			irk_hash_release(&h);
			return IRK_FAIL;
		}
		n = snprintf(line, sizeof(line), "%s\n%jd %ju %jd.%09ld %jd.%09ld\n",
		    abs, (intmax_t)st.st_size, (uintmax_t)st.st_ino,
		    (intmax_t)st.st_mtim.tv_sec, st.st_mtim.tv_nsec,
		    (intmax_t)st.st_ctim.tv_sec, st.st_ctim.tv_nsec);
		free(abs);
		irk_hash_update(&h, line, n > 0 && (size_t)n < sizeof(line) ?
		    (size_t)n : 0);
	}
	irk_hash_final(&h, hex, NULL, NULL);
	/* "unhashed:" + 55 hex digits fits the 64-character column */
	snprintf(out, IRK_SHA256_HEX, "unhashed:%.55s", hex);
	return IRK_OK;
}

static int
identity_key(struct ctx *c, TSK_IMG_INFO *img, char out[IRK_SHA256_HEX])
{
	return identity_of(c, img->num_img, (const char *const *)img->images,
	    out);
}

/*
 * When the image was written (the latest modification time of its
 * files: the end of the acquisition), µs; 0 (the clock) if unknown.
 * The collectors compute next-run times after it, not after the load.
 */
static int64_t
image_time(TSK_IMG_INFO *img)
{
	int64_t t = 0;
	struct stat st;

	for (int i = 0; i < img->num_img; i++)
		if (stat(img->images[i], &st) == 0 &&
		    st.st_mtim.tv_sec > 0) {
			int64_t u = (int64_t)st.st_mtim.tv_sec * 1000000 +
			    st.st_mtim.tv_nsec / 1000;

			if (u > t)
				t = u;
		}
	return t;
}

/*
 * The container format from the first bytes (and a VHD's footer), so
 * TSK is asked for one format: its own detection tries every library in
 * turn (and libvhdi/libvmdk leak on the failed attempts).  Unknown
 * signatures are raw (dd, split raw); AFF goes to TSK's detection.
 */
static TSK_IMG_TYPE_ENUM
image_type(const char *path)
{
	static const unsigned char ewf[8] = { 'E', 'V', 'F', 0x09, 0x0d, 0x0a,
	    0xff, 0x00 };
	unsigned char head[8] = { 0 }, foot[8] = { 0 };
	struct stat st;
	TSK_IMG_TYPE_ENUM t = TSK_IMG_TYPE_RAW;
	FILE *fp;

	if ((fp = fopen(path, "rbe")) == NULL)
		return TSK_IMG_TYPE_RAW;	/* TSK says why it cannot */
	if (fread(head, 1, sizeof(head), fp) == sizeof(head)) {
		if (memcmp(head, ewf, sizeof(ewf)) == 0)
			t = TSK_IMG_TYPE_EWF_EWF;
		else if (memcmp(head, "KDMV", 4) == 0 ||
		    memcmp(head, "# Disk D", 8) == 0)
			t = TSK_IMG_TYPE_VMDK_VMDK;
		else if (memcmp(head, "AFF10\r\n", 7) == 0)
			t = TSK_IMG_TYPE_DETECT;
		else if (fstat(fileno(fp), &st) == 0 && st.st_size >= 512 &&
		    fseeko(fp, st.st_size - 512, SEEK_SET) == 0 &&
		    fread(foot, 1, sizeof(foot), fp) == sizeof(foot) &&
		    memcmp(foot, "conectix", 8) == 0)
			t = TSK_IMG_TYPE_VHD_VHD;
	}
	fclose(fp);
	return t;
}

/* Wait for the media hash (what: IRK_MHASH_*), with progress. */
static void
hash_wait(struct ctx *c, struct irk_mhash *mh, int what)
{
	while (!irk_mhash_wait(mh, what, c->tty ? 250 : -1)) {
		c->bytes = irk_mhash_done(mh, &c->total);
		progress(c, "hash", 1);
	}
}

/* Say that path is in the case already (evidence id, why). */
static void
already(struct ctx *c, const char *path, int64_t id, const char *why)
{
	say(c, "info", path, "'%s' is already in the case (evidence %" PRId64
	    ", %s)", path, id, why);
	c->st.skipped++;
}

/*
 * Skipped by the MD5 an E01 stores, the media not read: its data may
 * differ (the summary says how many were; --image-hash checks it).
 */
static void
already_trusted(struct ctx *c, const char *path, int64_t id)
{
	say(c, "info", path, "'%s' is already in the case (evidence %" PRId64
	    ", same media MD5 as stored in the image: trusted, the media not "
	    "read; --image-hash checks it)", path, id);
	c->st.skipped++;
	c->st.trusted++;
	c->img_trusted = 1;
}

/* Set one text column of the evidence row being loaded. */
static void
evidence_str(struct ctx *c, const char *col, const char *v)
{
	json_t *cols = json_pack("{s:s?}", col, v);

	(void)irk_db_evidence_set(c->db, irk_db_current_evidence(c->db), cols);
	json_decref(cols);
}

/*
 * Media hashes known (--image-hash): the key becomes the media SHA-256
 * (media_sha256 too), media_md5 the computed MD5, and an E01's stored
 * MD5 is checked against it as ewfverify does.  1 when another evidence
 * row has the same media (the caller rolls this load back), 0, or
 * IRK_FAIL (not readable).
 */
static int
media_done(struct ctx *c, struct irk_mhash *mh, const char *path,
    const char *stored_md5, int64_t *dup)
{
	char sha[IRK_SHA256_HEX], md5[33];
	struct irk_err err;
	json_t *cols;
	int r;

	/* a copy is known by its SHA-256, ready before the MD5 */
	hash_wait(c, mh, IRK_MHASH_SHA256);
	if (irk_db_holding(c->db) && irk_mhash_result(mh, sha, NULL, &err) == IRK_OK) {
		r = irk_db_evidence_find(c->db, sha, NULL, irk_db_current_evidence(c->db),
		    dup);
		if (r != 0)
			return r < 0 ? IRK_FAIL : 1;
	}
	hash_wait(c, mh, IRK_MHASH_ALL);
	if (irk_mhash_result(mh, sha, md5, &err) != IRK_OK) {
		char eb[600];

		say(c, "error", path, "'%s': no media hash: %s", path,
		    irk_err_str(&err, eb, sizeof(eb)));
		return IRK_FAIL;
	}
	if (irk_db_holding(c->db)) {
		r = irk_db_evidence_find(c->db, NULL, md5, irk_db_current_evidence(c->db),
		    dup);
		if (r != 0)
			return r < 0 ? IRK_FAIL : 1;
	}
	cols = json_pack("{s:s, s:s, s:s}", "sha256", sha, "media_sha256", sha,
	    "media_md5", md5);
	if (irk_db_evidence_set(c->db, irk_db_current_evidence(c->db), cols) != IRK_OK)
		say(c, "error", path, "'%s': cannot store its media hash: %s",
		    path, irk_db_errmsg(c->db));
	json_decref(cols);
	if (stored_md5[0] == '\0')
		return 0;
	if (strcmp(stored_md5, md5) == 0) {
		evidence_str(c, "verify", "intact");
		return 0;
	}
	say(c, "error", path, "'%s': media MD5 %s does not match the MD5 "
	    "stored in the image (%s): the image is damaged", path, md5,
	    stored_md5);
	cols = json_pack("{s:s, s:[s]}", "verify", "damaged", "verify_detail",
	    "damaged: media MD5 does not match the stored MD5");
	(void)irk_db_evidence_set(c->db, irk_db_current_evidence(c->db), cols);
	json_decref(cols);
	return 0;
}

static void
walk_image(struct ctx *c, TSK_IMG_INFO *img, const char *path)
{
	TSK_VS_INFO *vs;

	vs = tsk_vs_open(img, 0, TSK_VS_TYPE_DETECT);
	if (vs != NULL) {
		if (tsk_vs_part_walk(vs, 0, vs->part_count - 1,
		    TSK_VS_PART_FLAG_ALLOC, part_cb, c) != 0) {
			const char *e = tsk_error_get();

			say(c, "warn", path, "'%s': partition walk: %s", path,
			    e ? e : "unknown");
		}
		tsk_vs_close(vs);
	} else {
		uint64_t before = c->st.volumes;

		tsk_error_reset();
		load_fs(c, img, 0, img->size, 0, "whole image");
		if (c->st.volumes == before)
			say(c, "error", path, "'%s': no partition table and no "
			    "file system TSK can open", path);
	}
	tsk_error_reset();
}

/* --json: how one image ended. */
static void
image_done(struct ctx *c, const char *path, const char *status,
    int64_t evidence, const struct image_stats *before)
{
	json_t *o;

	if (!c->o->json || (o = json_pack("{s:s, s:s}", "input", path,
	    "status", status)) == NULL)
		return;
	if (c->img_trusted)	/* skipped by its stored MD5, unread */
		json_object_set_new(o, "stored_md5_trusted", json_true());
	json_object_set_new(o, "evidence_id", evidence > 0 ?
	    json_integer(evidence) : json_null());
	if (before != NULL) {
		json_object_set_new(o, "files", json_integer((json_int_t)
		    (c->st.files - before->files)));
		json_object_set_new(o, "records", json_integer((json_int_t)
		    (c->st.records - before->records)));
		json_object_set_new(o, "matches", json_integer((json_int_t)
		    (c->st.matches - before->matches)));
	}
	json_array_append_new(c->inputs, o);
}

/*
 * A raw file is a disk image when TSK finds a partition table or a file
 * system at its start (a container, E01 or VHD, is one by its format).
 */
static int
is_disk_image(struct ctx *c, TSK_IMG_INFO *img)
{
	TSK_VS_INFO *vs;
	TSK_FS_INFO *fs;

	if (!TSK_IMG_TYPE_ISRAW(img->itype))
		return 1;
	if ((vs = tsk_vs_open(img, 0, TSK_VS_TYPE_DETECT)) != NULL) {
		tsk_vs_close(vs);
		return 1;
	}
	tsk_error_reset();
	if ((fs = irk_fs_image_detect(img, 0)) != NULL) {
		/* load_fs opens it as that type: detection again would try
		 * every file system TSK knows (yaffs2's reads the image) */
		c->fs_type0 = fs->ftype;
		tsk_fs_close(fs);
		return 1;
	}
	tsk_error_reset();
	return 0;
}

/* v when it is n lowercase hex digits (64: a SHA-256, 32: an MD5). */
static const char *
hex_of(const char *v, size_t n)
{
	return v != NULL && strlen(v) == n &&
	    strspn(v, "0123456789abcdef") == n ? v : NULL;
}

/*
 * The media hashes of img (read whole, with progress, unless hashed
 * ahead): what (IRK_MAHEAD_SHA256 or IRK_MAHEAD_MD5) is set in sha or
 * md5; the other may be set too, when it came with it.  IRK_OK or said.
 */
static int
media_hash_of(struct ctx *c, TSK_IMG_INFO *img, const char *path,
    int what, char sha[IRK_SHA256_HEX], char md5[33])
{
	struct irk_mhash *mh = NULL;
	char s[IRK_SHA256_HEX], m[33], eb[600];
	struct irk_err err;
	int want_md5 = what == IRK_MAHEAD_MD5, r;

	/* hashed ahead (a batch with -j 2 or more) */
	if (irk_mahead_get(c->ahead, path, what, want_md5 ? md5 : sha) == 1) {
		if (want_md5 && irk_mahead_get(c->ahead, path,
		    IRK_MAHEAD_SHA256, s) == 1)
			memcpy(sha, s, sizeof(s));
		return IRK_OK;
	}
	/* the SHA-256 alone unless the MD5 is wanted: twice as fast */
	if (irk_mhash_start(&mh, img, TSK_IMG_TYPE_ISRAW(img->itype),
	    want_md5, &err) == IRK_OK) {
		hash_wait(c, mh, IRK_MHASH_ALL);
		r = irk_mhash_result(mh, s, m, &err);
		irk_mhash_free(mh);
		if (r == IRK_OK && (!want_md5 || m[0] != '\0')) {
			memcpy(sha, s, sizeof(s));
			if (want_md5)
				memcpy(md5, m, sizeof(m));
			return IRK_OK;
		}
		if (r == IRK_OK)
			irk_err_set(&err, 0, "no MD5");
	}
	say(c, "warn", path, "'%s': cannot hash the media: %s", path,
	    irk_err_str(&err, eb, sizeof(eb)));
	return IRK_FAIL;
}

/*
 * A media hash (what) of an image row that has none: read from its file
 * when that is still the very file loaded (same identity key), then
 * kept in media_sha256 (and media_md5 when computed).  IRK_OK with out
 * set, or IRK_FAIL.
 */
static int
row_hash(struct ctx *c, int64_t id, const char *rpath, const char *rkey,
    int what, char *out)
{
	const char *one[1] = { rpath };
	char key[IRK_SHA256_HEX], sha[IRK_SHA256_HEX] = "", md5[33] = "";
	TSK_IMG_INFO *img;
	json_t *cols;
	int r = IRK_FAIL;

	img = tsk_img_open_utf8(1, one, image_type(rpath), 0);
	if (img == NULL) {
		tsk_error_reset();
		return IRK_FAIL;
	}
	if (identity_key(c, img, key) == IRK_OK && strcmp(key, rkey) == 0 &&
	    media_hash_of(c, img, rpath, what, sha, md5) == IRK_OK) {
		cols = json_pack("{s:s?, s:s?}", "media_sha256", sha[0] ? sha :
		    NULL, "media_md5", md5[0] ? md5 : NULL);
		(void)irk_db_evidence_set(c->db, id, cols);
		json_decref(cols);
		if (what == IRK_MAHEAD_MD5)
			memcpy(out, md5, sizeof(md5));
		else
			memcpy(out, sha, sizeof(sha));
		r = IRK_OK;
	}
	tsk_img_close(img);
	return r;
}

/*
 * How this image is compared with an image row of the same size
 * (media_sha256 rs, key rk, media_md5 rm): an E01 known by the MD5 it
 * stores (smd5) by MD5, its media not read; otherwise by SHA-256 when
 * the row has one (media_sha256, or an --image-hash key, which is the
 * media SHA-256) or has no hash at all (its file is read again), by MD5
 * when it has only that (an E01 known by its stored MD5).
 */
static int
compare_by(const char *smd5, const char *rs, const char *rk, const char *rm)
{
	if (smd5[0] != '\0')
		return IRK_MAHEAD_MD5;
	if (hex_of(rs, 64) != NULL || hex_of(rk, 64) != NULL)
		return IRK_MAHEAD_SHA256;
	return hex_of(rm, 32) != NULL ? IRK_MAHEAD_MD5 : IRK_MAHEAD_SHA256;
}

/*
 * The same media under another key (a raw image and its E01, a copy of
 * a raw image): only images of the same media size in the case are
 * candidates, and only then is anything hashed (this image's SHA-256,
 * or its MD5 against a row known only by an MD5, unless it stores one;
 * a candidate's when it has none).  1 with *dup and *how ("SHA-256",
 * "MD5") when one has the same media; 0; sha and md5 get this image's
 * hashes when known.
 */
static int
same_media(struct ctx *c, TSK_IMG_INFO *img, const char *path,
    const char *smd5, char sha[IRK_SHA256_HEX], char md5[33],
    int64_t *dup, const char **how)
{
	struct irk_db_rows *s;
	struct irk_err err;
	int found = 0;

	sha[0] = '\0';
	snprintf(md5, 33, "%s", smd5);
	if (irk_db_images_of_size_open(c->db, (int64_t)img->size, &s, &err) !=
	    IRK_OK)
		return 0;
	while (!found && irk_db_rows_next(s) == 1) {
		int64_t id = irk_db_rows_int(s, 0);
		const char *rp = irk_db_rows_text(s, 1, NULL);
		const char *rk = irk_db_rows_text(s, 2, NULL);
		const char *rm = irk_db_rows_text(s, 3, NULL);
		const char *rs = irk_db_rows_text(s, 4, NULL);
		int what = compare_by(smd5, rs, rk, rm);
		char *mine = what == IRK_MAHEAD_MD5 ? md5 : sha;
		const char *known;
		char theirs[IRK_SHA256_HEX] = "";

		if (mine[0] == '\0' &&
		    media_hash_of(c, img, path, what, sha, md5) != IRK_OK)
			break;
		if (what == IRK_MAHEAD_MD5)
			known = hex_of(rm, 32);
		else
			known = hex_of(rs, 64) ? rs : hex_of(rk, 64);
		if (known != NULL)
			snprintf(theirs, sizeof(theirs), "%s", known);
		else if (rp == NULL || rk == NULL ||
		    row_hash(c, id, rp, rk, what, theirs) != IRK_OK)
			continue;
		if (strcmp(theirs, mine) == 0) {
			*dup = id;
			*how = what == IRK_MAHEAD_MD5 ? "same media MD5" :
			    "same media SHA-256";
			found = 1;
		}
	}
	irk_db_rows_close(s);
	return found;
}

/*
 * Media the case has already: the same key or stored MD5, the media
 * hash with --image-hash (mh started here), or the same media MD5 as an
 * image of the same size.  1 when it is (said), 0 to load it, -1 failed.
 * msha and md5 get the media hashes known here (or "").
 */
static int
known_media(struct ctx *c, TSK_IMG_INFO *img, const char *path,
    const char *key, const char *smd5, struct irk_mhash **mh,
    char msha[IRK_SHA256_HEX], char md5[33], int64_t *dup)
{
	int content = c->scan != NULL || c->o->hash != HASH_NONE;
	char sha[IRK_SHA256_HEX], m5[33], eb[600];
	const char *how = NULL;
	struct irk_err err;

	md5[0] = msha[0] = '\0';
	/* --image-hash: the stored MD5 is checked, never trusted (smd5 "") */
	if (irk_db_evidence_find(c->db, key, smd5, 0, dup) == 1) {
		if (smd5[0] != '\0')
			already_trusted(c, path, *dup);
		else
			already(c, path, *dup, "same file");
		return 1;
	}
	if (c->o->image_hash &&
	    irk_mhash_start(mh, img, TSK_IMG_TYPE_ISRAW(img->itype), 1,
	    &err) != IRK_OK) {
		say(c, "error", path, "'%s': cannot hash the media: %s", path,
		    irk_err_str(&err, eb, sizeof(eb)));
		return -1;
	}
	if (*mh != NULL && content) {
		/* no content read for media the case already has */
		hash_wait(c, *mh, IRK_MHASH_SHA256);
		if (irk_mhash_result(*mh, sha, NULL, &err) == IRK_OK &&
		    irk_db_evidence_find(c->db, sha, NULL, 0, dup) == 1) {
			already(c, path, *dup, "same media sha256");
			return 1;
		}
		/*
		 * The MD5 (twice as slow) is waited for only when an E01 in
		 * the case is known by its stored MD5 alone; otherwise it is
		 * finished while the contents are read.
		 */
		if (irk_db_evidence_md5_keyed(c->db) != 0) {
			hash_wait(c, *mh, IRK_MHASH_ALL);
			if (irk_mhash_result(*mh, sha, m5, &err) == IRK_OK &&
			    irk_db_evidence_find(c->db, NULL, m5, 0,
			    dup) == 1) {
				already(c, path, *dup, "same media MD5");
				return 1;
			}
		}
	}
	/* msha and md5 get what it computed (md5 the stored MD5 if any:
	 * add_row keeps that one) */
	if (*mh == NULL && same_media(c, img, path, smd5, msha, md5, dup,
	    &how)) {
		if (smd5[0] != '\0')
			already_trusted(c, path, *dup);
		else
			already(c, path, *dup, how);
		return 1;
	}
	return 0;
}

/* The evidence row of a new image: 0, 1 already in (said), -1 failed. */
static int
add_row(struct ctx *c, TSK_IMG_INFO *img, const char *path, const char *key,
    const char *smd5, const char *ssha1, const char *md5, const char *msha,
    int64_t *evid)
{
	struct irk_err err;
	json_t *cols;
	int r;

	/* the path as given, as ingest keeps it: none of this machine's
	 * folders in the case (a shard made on a worker, scale-out.md) */
	r = irk_db_evidence_add(c->db, path, key, (uint64_t)img->size,
	    "image", tsk_img_type_toname(img->itype), evid, &err);
	if (r == 1) {
		already(c, path, *evid, "same key");
		return 1;
	}
	if (r != IRK_OK) {
		db_fail(c, "the evidence row");
		return -1;
	}
	if (irk_db_replaced(c->db) != 0) {
		say(c, "info", path, "an earlier load of '%s' (evidence %"
		    PRId64 ") did not finish: loading it again", path,
		    irk_db_replaced(c->db));
		/* scan cache rows may have gone with it; the workers are
		 * idle between images */
		if (c->scan != NULL) {
			irk_strmap_release(&c->known);
			irk_strmap_init(&c->known, NULL);
			(void)irk_db_scanned_set(c->db,
			    irk_scan_rules_hash(c->scan), &c->known);
		}
	}
	cols = json_pack("{s:s?, s:s?, s:s?}", "media_md5", smd5[0] ? smd5 :
	    md5[0] ? md5 : NULL, "media_sha1", ssha1[0] ? ssha1 : NULL,
	    "media_sha256", msha[0] ? msha : NULL);
	if (json_object_size(cols) > 0)
		(void)irk_db_evidence_set(c->db, irk_db_current_evidence(c->db), cols);
	json_decref(cols);
	return 0;
}

/* What the TSK guard refused since the image opened, said once. */
static void
guard_said(struct ctx *c, const char *path)
{
	uint64_t big, n = irk_tsk_guard_refused(&big) - c->img_refused;
	uint64_t inum, dirs, runs = irk_tsk_runs_cut(&inum) - c->img_runs_cut;

	if (n > 0)
		say(c, "warn", path, "'%s': TSK asked for more memory than "
		    "the image holds %llu time(s) (up to %llu bytes, for a "
		    "size the volume claims): refused, and TSK could not "
		    "read what needed it", path, (unsigned long long)n,
		    (unsigned long long)big);
	if (runs > 0)
		say(c, "warn", path, "'%s': a file's list of blocks went "
		    "past what the volume can hold (more runs than two per "
		    "block), %llu time(s), the last inode %llu: such a file "
		    "is not read", path, (unsigned long long)runs,
		    (unsigned long long)inum);
	dirs = irk_tsk_dirs_squeezed(&inum) - c->img_dirs_squeezed;
	if (dirs > 0)
		say(c, "info", path, "'%s': directories with holes (which "
		    "hold no names) read without them, %llu time(s), the "
		    "last inode %llu", path, (unsigned long long)dirs,
		    (unsigned long long)inum);
	c->img_refused += n;
	c->img_runs_cut += runs;
	c->img_dirs_squeezed += dirs;
}

/* Walk, scan, hash; 1 when the media hash found it a copy (undone). */
static int
load_walk(struct ctx *c, TSK_IMG_INFO *img, const char *path,
    struct irk_mhash *mh, const char *smd5, int64_t *dup)
{
	struct image_stats before = c->st;
	struct irk_err err;
	char eb[600];
	int content = c->scan != NULL || c->o->hash != HASH_NONE;

	c->st.images++;
	/* the walk runs while the media is hashed; undone if it is a copy */
	irk_db_hold(c->db, mh != NULL && !content);
	c->bytes = 0;
	c->total = 0;
	c->t0 = irk_now_us();
	walk_image(c, img, path);
	guard_said(c, path);
	if (c->scan != NULL) {
		pop_ready(c, 1);
		/*
		 * What this image scanned is cached for the next one.  The
		 * workers read the known set only while they hold an item;
		 * none is queued or in flight now (pop_ready waited for all),
		 * and the next push orders this update before their reads.
		 */
		if (irk_db_commit(c->db) != IRK_OK)
			db_fail(c, "the rows of the image (commit)");
		(void)irk_db_scanned_set(c->db, irk_scan_rules_hash(c->scan),
		    &c->known);
	}
	if (mh != NULL && media_done(c, mh, path, smd5, dup) == 1) {
		irk_db_hold(c->db, 0);
		/* the rows of the walk, then the evidence row (committed
		 * on its own before the walk) */
		(void)irk_db_rollback(c->db);
		if (irk_db_begin(c->db) != IRK_OK ||
		    irk_db_evidence_forget(c->db, irk_db_current_evidence(c->db)) != IRK_OK)
			db_fail(c, "the removal of the copy's evidence row");
		c->st = before;
		irk_db_set_current_evidence(c->db, 0);
		c->img_problems = 0;
		if (c->tty)
			fputs("\r\033[K", stderr);
		already(c, path, *dup, "same media hash");
		return 1;
	}
	irk_db_hold(c->db, 0);
	/* one transaction for the findings, committed by load_image: not
	 * one for each of their statements */
	if (irk_db_begin(c->db) != IRK_OK)
		db_fail(c, "the findings (begin)");
	/* IOC lists against what the records name (as ingest does) */
	if (c->scan != NULL && irk_db_record_iocs(c->db,
	    irk_db_current_evidence(c->db), c->scan) != IRK_OK)
		db_fail(c, "the IOC hits");
	if (irk_db_findings(c->db, &err) != IRK_OK)
		say(c, "warn", path, "findings: %s",
		    irk_err_str(&err, eb, sizeof(eb)));
	evidence_str(c, "status", c->img_problems ? "partial" : "complete");
	progress(c, "done", 1);
	if (c->tty)
		fputs("\r\033[K", stderr);
	return 0;
}

static void
load_image(struct ctx *c, const char *path)
{
	const char *one[1] = { path };
	TSK_IMG_INFO *img;
	struct irk_mhash *mh = NULL;
	struct image_stats before = c->st;
	char key[IRK_SHA256_HEX], smd5[33] = "", ssha1[41] = "", md5[33];
	char msha[IRK_SHA256_HEX];
	const char *status = "failed", *trust;
	int64_t evid = 0;
	struct irk_err err;
	char eb[600];
	int r;

	c->image = path;
	c->fs_type0 = TSK_FS_TYPE_DETECT;
	c->img_problems = 0;
	c->img_trusted = 0;
	c->bytes = c->total = 0;
	c->t0 = irk_now_us();
	irk_db_set_current_evidence(c->db, 0);
	img = tsk_img_open_utf8(1, one, image_type(path), 0);
	if (img == NULL) {
		const char *e = tsk_error_get();

		say(c, "error", path, "cannot open '%s': %s", path,
		    e ? e : "unknown format");
		tsk_error_reset();
		c->st.failed++;
		image_done(c, path, status, 0, NULL);
		return;
	}
	/* nothing in the image is bigger than the image (tsk_guard.h) */
	irk_tsk_guard_set((uint64_t)img->size > IRK_TSK_GUARD_FLOOR ?
	    (uint64_t)img->size : IRK_TSK_GUARD_FLOOR);
	c->img_refused = irk_tsk_guard_refused(NULL);
	c->img_runs_cut = irk_tsk_runs_cut(NULL);
	c->img_dirs_squeezed = irk_tsk_dirs_squeezed(NULL);
	if (!is_disk_image(c, img)) {
		guard_said(c, path);
		say(c, "error", path, "'%s' is not a disk image: no partition "
		    "table and no file system TSK can open (expected a raw, "
		    "split raw or E01 image; an evidence archive or a folder "
		    "goes to 'irkit-analyze ingest')", path);
		c->st.failed++;
		image_done(c, path, "refused", 0, NULL);
		goto out;
	}
	if (TSK_IMG_TYPE_ISEWF(img->itype) &&
	    irk_ewf_stored_hashes(img, smd5, ssha1, &err) != IRK_OK)
		say(c, "warn", path, "'%s': no stored hashes: %s", path,
		    irk_err_str(&err, eb, sizeof(eb)));
	if (identity_key(c, img, key) != IRK_OK) {
		c->st.failed++;
		image_done(c, path, status, 0, NULL);
		goto out;
	}
	c->img_time = image_time(img);
	/*
	 * The stored MD5 keys the image and finds it in the case, trusted;
	 * with --image-hash it is only compared with the media's (the key
	 * becomes the media SHA-256), so changed data is never skipped.
	 */
	trust = c->o->image_hash ? "" : smd5;
	if (trust[0] != '\0')
		snprintf(key, sizeof(key), "ewf-md5:%s", smd5);
	irk_db_begin(c->db);
	if ((r = known_media(c, img, path, key, trust, &mh, msha, md5,
	    &evid)) == 0)
		r = add_row(c, img, path, key, trust, ssha1, md5, msha, &evid);
	if (r != 0) {
		/* in the case already (said), or failed */
		if (r < 0)
			c->st.failed++;
		image_done(c, path, r > 0 ? "already" : status, r > 0 ? evid :
		    0, NULL);
		goto out;
	}
	if (load_walk(c, img, path, mh, smd5, &evid) == 1)
		image_done(c, path, "already", evid, NULL);
	else
		image_done(c, path, c->img_problems ? "partial" : "loaded",
		    evid, &before);
out:
	irk_db_hold(c->db, 0);
	if (irk_db_commit(c->db) != IRK_OK)
		db_fail(c, "the rows of the image (commit)");
	irk_mhash_free(mh);
	tsk_img_close(img);
}

/*
 * The size of a raw image in one file (a file or a block device) without
 * TSK, whose every open allocates and zeroes its 2 MB read cache; -1 when
 * TSK must say (not there, or a segment of a split image, which TSK finds
 * the others of by its name).  Only for pairing images by size: a wrong
 * answer costs a read ahead, never a result (media_hash_of() opens the
 * image through TSK).
 */
static int64_t
raw_size(const char *path)
{
	const char *dot = strrchr(path, '.');
	struct stat st;
	off_t end;
	int fd;

	if (dot != NULL && dot[1] != '\0' && (strspn(dot + 1, "0123456789") ==
	    strlen(dot + 1) || (strlen(dot + 1) == 2 &&
	    strspn(dot + 1, "abcdefghijklmnopqrstuvwxyz") == 2)))
		return -1;	/* .001, .aa: perhaps split */
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	if (fstat(fd, &st) != 0)
		end = -1;
	else if (S_ISREG(st.st_mode))
		end = st.st_size;
	else if (S_ISBLK(st.st_mode))
		end = lseek(fd, 0, SEEK_END);
	else
		end = -1;
	close(fd);
	return end > 0 ? (int64_t)end : -1;
}

/*
 * With -j 2 or more (and not --image-hash, which hashes each image as it
 * loads it): the images of the batch whose media hash same_media() will
 * want (another image of the batch or of the case has the same media
 * size, and the image stores no MD5 of its own) are hashed ahead, in
 * order, on a thread of their own (media_ahead.h): the SHA-256, and the
 * MD5 too when a partner is known only by an MD5 (compare_by()).
 * ahead_batch() starts it on the batch's own pairs before the case and
 * the rules are opened; ahead_case() adds the images the case has a
 * partner for and drops those it has already.
 */
static void
ahead_batch(struct ctx *c, char **paths, int n)
{
	struct irk_err err;

	if (c->o->scan.jobs < 2 || c->o->image_hash || n < 1 ||
	    irk_mahead_start(&c->ahead, (size_t)n, &err) != IRK_OK)
		return;		/* hashed as each loads */
	c->ah_type = calloc(n, sizeof(*c->ah_type));
	c->ah_size = calloc(n, sizeof(*c->ah_size));
	c->ah_stored = calloc(n, sizeof(*c->ah_stored));
	c->ah_key = calloc(n, sizeof(*c->ah_key));
	if (c->ah_type == NULL || c->ah_size == NULL || c->ah_key == NULL ||
	    c->ah_stored == NULL) {
		irk_mahead_free(c->ahead);
		c->ahead = NULL;
		return;
	}
	for (int i = 0; i < n; i++) {
		const char *one[1] = { paths[i] };
		char m5[33] = "", s1[41] = "";
		TSK_IMG_INFO *img;

		c->ah_size[i] = -1;	/* unknown: not hashed ahead */
		c->ah_type[i] = image_type(paths[i]);
		if (c->ah_type[i] == TSK_IMG_TYPE_RAW &&
		    (c->ah_size[i] = raw_size(paths[i])) >= 0) {
			if (identity_of(c, 1, one, c->ah_key[i]) != IRK_OK)
				c->ah_key[i][0] = '\0';
			continue;
		}
		if ((img = tsk_img_open_utf8(1, one, c->ah_type[i], 0)) == NULL) {
			tsk_error_reset();	/* load_image says why */
			continue;
		}
		if (identity_key(c, img, c->ah_key[i]) != IRK_OK)
			c->ah_key[i][0] = '\0';
		/* an E01 that stores its MD5 is compared by that */
		c->ah_stored[i] = TSK_IMG_TYPE_ISEWF(img->itype) &&
		    irk_ewf_stored_hashes(img, m5, s1, &err) == IRK_OK &&
		    m5[0] != '\0';
		c->ah_size[i] = (int64_t)img->size;
		tsk_img_close(img);
	}
	for (int i = 0; i < n; i++) {
		int want = 0;

		for (int j = 0; j < n && c->ah_size[i] >= 0 &&
		    !c->ah_stored[i]; j++)
			if (j != i && c->ah_size[j] == c->ah_size[i] &&
			    strcmp(paths[j], paths[i]) != 0)
				want |= c->ah_stored[j] ? IRK_MAHEAD_MD5 :
				    IRK_MAHEAD_SHA256;
		if (want != 0)
			irk_mahead_add(c->ahead, paths[i], c->ah_type[i], want);
	}
}

/*
 * The hashes an image of this media size is compared by with the case's
 * images of that size (compare_by()), or-ed; 0 when the case has none.
 */
static int
case_wants(struct ctx *c, int64_t size)
{
	struct irk_db_rows *s;
	struct irk_err err;
	int want = 0;

	if (irk_db_images_of_size_open(c->db, size, &s, &err) != IRK_OK)
		return 0;
	while (irk_db_rows_next(s) == 1)
		want |= compare_by("", irk_db_rows_text(s, 4, NULL),
		    irk_db_rows_text(s, 2, NULL), irk_db_rows_text(s, 3, NULL));
	irk_db_rows_close(s);
	return want;
}

static void
ahead_case(struct ctx *c, char **paths, int npaths)
{
	int64_t id;
	size_t n = 0;
	int want;

	if (c->ahead == NULL)
		return;
	for (int i = 0; i < npaths; i++) {
		if (c->ah_size[i] < 0 || c->ah_stored[i])
			continue;
		/* the very file is in the case: skipped by its key (the
		 * thread may have started it already: read for nothing) */
		if (c->ah_key[i][0] != '\0' && irk_db_evidence_find(c->db,
		    c->ah_key[i], "", 0, &id) == 1) {
			irk_mahead_drop(c->ahead, paths[i]);
			continue;
		}
		if ((want = case_wants(c, c->ah_size[i])) != 0)
			irk_mahead_add(c->ahead, paths[i], c->ah_type[i], want);
		if (irk_mahead_has(c->ahead, paths[i]))
			n++;
	}
	irk_mahead_close(c->ahead);
	if (n > 0)
		say(c, "info", NULL, "%zu image(s) of the same media size as "
		    "another in the batch or the case: their media hash is "
		    "read ahead, on a thread of its own, to find copies", n);
}

enum { O_INTEGRITY = 1000 };

/* Options into o; optind at the first image.  0, or the exit status
 * (-1: --help, exit 0). */
static int
parse_args(struct image_opts *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		IRK_SCAN_LONGOPTS,
		IRK_LOAD_LONGOPTS,
		{ "no-scan", no_argument, NULL, 'n' },
		{ "image-hash", no_argument, NULL, 'I' },
		{ "no-image-hash", no_argument, NULL, 'N' },
		{ "integrity", required_argument, NULL, O_INTEGRITY },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	optind = 1;
	while ((ch = getopt_long(argc, argv, IRK_SCAN_SHORTOPTS
	    IRK_LOAD_SHORTOPTS "h", longopts, NULL)) != -1) {
		switch (irk_scan_opts_parse(&o->scan, ch, optarg)) {
		case IRK_SCAN_OPT_DONE:
			break;
		case IRK_SCAN_OPT_BAD:
			return 2;
		case 'n':
			o->no_scan = 1;
			break;
		case 'I':
			o->image_hash = 1;
			break;
		case 'N':
			o->image_hash = 0;	/* the default */
			break;
		case O_INTEGRITY:
			if (strcmp(optarg, "full") != 0 &&
			    strcmp(optarg, "default") != 0) {
				irk_fe_error("--integrity: 'default' or 'full', "
				    "not '%s'", optarg);
				return 2;
			}
			o->integrity_full = strcmp(optarg, "full") == 0;
			break;
		default:
			return irk_scan_opts_other(ch, usage);
		}
	}
	if ((ch = irk_scan_opts_inputs(argc, usage)) != 0)
		return ch;
	o->db = o->scan.db;
	o->quiet = o->scan.quiet;
	o->json = o->scan.json;
	o->max_size = o->scan.max_size;
	o->hash = o->scan.hash;
	if (o->hash == IRK_SCAN_HASH_UNSET)
		o->hash = o->no_scan ? HASH_NONE : HASH_SHA256;
	return 0;
}

/* The case (locked), the scanner, the scan cache: 0, 1 or 3. */
static int
open_case(struct ctx *c)
{
	const struct image_opts *o = c->o;
	struct irk_scan_opts so;
	struct irk_err err;
	char eb[600];
	int n;

	if (irk_db_open_writer(&c->db, o->db, 1, &err) != IRK_OK) {
		if (strncmp(err.msg, "database: ", 10) == 0)
			irk_fe_error("cannot write the tables to the case "
			    "'%s': %s", o->db, err.msg + 10);
		else
			irk_fe_error("%s", irk_err_str(&err, eb, sizeof(eb)));
		return 3;
	}
	c->findings0 = irk_db_count(c->db, "findings");
	c->events0 = irk_db_count(c->db, "events");
	if (o->no_scan)
		return 0;
	irk_scan_args_opts(&o->scan, &so);
	so.known = &c->known;
	if (irk_scan_open(&c->scan, &so, &err) != IRK_OK) {
		irk_fe_error("%s", irk_err_str(&err, eb, sizeof(eb)));
		return 3;
	}
	irk_scan_say_rule_problems(c->scan);
	if ((n = irk_db_rule_problems(c->db, c->scan)) < 0)
		return 3;
	if (n > 0)
		c->problems = 1;
	if (irk_db_set_rules_hash(c->db, irk_scan_rules_hash(c->scan)) !=
	    IRK_OK || irk_db_scanned_set(c->db, irk_scan_rules_hash(c->scan),
	    &c->known) != IRK_OK) {
		irk_fe_error("cannot read the scan cache of '%s'", o->db);
		return 3;
	}
	return 0;
}

/* The last line, or with --json one object on stdout. */
static void
summary(struct ctx *c, int rc)
{
	int64_t nf = irk_db_count(c->db, "findings");
	int64_t ne = irk_db_count(c->db, "events");
	int64_t added = nf >= c->findings0 ? nf - c->findings0 : 0;
	json_t *j;

	if (c->o->json) {
		j = json_pack("{s:O, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, "
		    "s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:i}", "inputs", c->inputs,
		    "images", (json_int_t)c->st.images,
		    "already", (json_int_t)c->st.skipped,
		    "failed", (json_int_t)c->st.failed,
		    "volumes", (json_int_t)c->st.volumes,
		    "volumes_unreadable", (json_int_t)c->st.bad_volumes,
		    "files", (json_int_t)c->st.files,
		    "deleted", (json_int_t)c->st.deleted,
		    "scanned", (json_int_t)c->st.scanned,
		    "records", (json_int_t)c->st.records,
		    "events", (json_int_t)(ne >= c->events0 ?
		    ne - c->events0 : 0),
		    "matches", (json_int_t)c->st.matches,
		    "matches_cached", (json_int_t)c->st.cached_matches,
		    "stored_md5_trusted", (json_int_t)c->st.trusted,
		    "findings", (json_int_t)added,
		    "findings_in_case", (json_int_t)nf, "exit", rc);
		if (j != NULL)
			json_object_set_new(j, "too_large",
			    json_integer((json_int_t)c->st.too_large));
		if (j != NULL && c->failure != NULL)
			json_object_set_new(j, "error",
			    irk_json_str(c->failure));
		if (j != NULL) {
			json_dumpf(j, stdout, JSON_COMPACT);
			fputc('\n', stdout);
		}
		json_decref(j);
		return;
	}
	if (c->failure != NULL) {
		/* not a load's summary: what was written before it stopped */
		fprintf(stderr, "%s: the load stopped at the error above: at "
		    "most %" PRIu64 " files and %" PRIu64 " records of this "
		    "run are in the case\n", irk_fe_prefix(), c->st.files,
		    c->st.records);
		return;
	}
	if (c->o->quiet)
		return;
	fprintf(stderr, "%s: %" PRIu64 " loaded, %" PRIu64 " already in "
	    "case, %" PRIu64 " failed; %" PRIu64 " volumes (%" PRIu64 " not "
	    "readable), %" PRIu64 " files (%" PRIu64 " deleted), %" PRIu64
	    " scanned, %" PRIu64 " matches (%" PRIu64 " from the scan cache), "
	    "%" PRId64 " findings added (%" PRId64 " in the case), %" PRIu64
	    " records\n", irk_fe_prefix(), c->st.images, c->st.skipped,
	    c->st.failed, c->st.volumes, c->st.bad_volumes, c->st.files,
	    c->st.deleted, c->st.scanned, c->st.matches,
	    c->st.cached_matches, added, nf, c->st.records);
	if (c->st.too_large > 0)
		fprintf(stderr, "%s: %" PRIu64 " files over --max-file-size "
		    "neither read nor scanned (files.skipped_reason 'too "
		    "large')\n", irk_fe_prefix(), c->st.too_large);
	if (c->st.trusted > 0)
		fprintf(stderr, "%s: %" PRIu64 " of those already in case were "
		    "found by the MD5 stored in an E01, trusted: their data "
		    "was not read (--image-hash reads and checks it)\n",
		    irk_fe_prefix(), c->st.trusted);
}

int irk_cmd_image(int argc, char **argv);

int
irk_cmd_image(int argc, char **argv)
{
	struct image_opts o;
	struct ctx c;
	struct irk_err err;
	int rc = 0;

	irk_fe_set_prog("irkit-analyze");
	irk_fe_set_cmd("image");
	memset(&o, 0, sizeof(o));
	memset(&c, 0, sizeof(c));
	pthread_mutex_init(&c.dbmu, NULL);
	irk_buf_init(&c.body, 1 << 16);
	irk_buf_init(&c.path, 1 << 16);
	irk_strmap_init(&c.known, NULL);
	if (irk_scan_args_init(&o.scan, argc, 1) != IRK_OK ||
	    (c.inputs = json_array()) == NULL) {
		rc = 3;
		goto out;
	}
	if ((rc = parse_args(&o, argc, argv)) != 0) {
		rc = rc < 0 ? 0 : rc;
		goto out;
	}
	c.o = &o;
	c.tty = !o.quiet && irk_fe_isatty(stderr);
	if ((c.buf = malloc(o.max_size > READ_CHUNK ? (size_t)o.max_size :
	    READ_CHUNK)) == NULL) {
		irk_fe_error("out of memory");
		rc = 3;
		goto out;
	}
	ahead_batch(&c, argv + optind, argc - optind);
	if ((rc = open_case(&c)) == 3)
		goto out;
	ahead_case(&c, argv + optind, argc - optind);
	for (int i = optind; i < argc && c.failure == NULL; i++)
		load_image(&c, argv[i]);
	if (c.scan != NULL) {
		irk_scan_drain(c.scan);
		pop_ready(&c, 1);
	}
	if (irk_db_commit(c.db) != IRK_OK)
		db_fail(&c, "the rows of the image (commit)");
	if (irk_db_finish_load(c.db, &err) != IRK_OK)
		db_fail_why(&c, "the indexes and views", err.msg);
	if (c.failure == NULL && irk_findings_cross(c.db, &err) != IRK_OK)
		db_fail_why(&c, "the cross-host findings", err.msg);
	rc = c.failure != NULL ? 3 : c.problems || c.st.failed ? 1 : 0;
	summary(&c, rc);
out:
	irk_mahead_free(c.ahead);
	free(c.ah_type);
	free(c.ah_size);
	free(c.ah_stored);
	free(c.ah_key);
	if (c.scan != NULL)
		irk_scan_close(c.scan);
	if (c.db != NULL)
		irk_db_close(c.db);
	irk_strmap_release(&c.known);
	irk_buf_release(&c.body);
	irk_buf_release(&c.path);
	pthread_mutex_destroy(&c.dbmu);
	json_decref(c.inputs);
	free(c.failure);
	free(c.buf);
	irk_scan_args_release(&o.scan);
	return rc;
}
