/*
 * evidence_read.h - a streaming reader over any evidence: an irkit
 * archive, any archive libarchive reads (tar.*, zip, 7z, ...) or a
 * directory.  Nothing is ever extracted or written: members are handed
 * out one by one with their metadata, their content read on demand.
 *
 * Every regular member of an irkit archive is hashed as it streams by,
 * whether the caller reads it or not.  For irkit archives (one top folder "irkit-*" with a
 * manifest.json, which comes last) irk_evread_finish() checks every
 * member against the manifest: changed, missing and extra members, a
 * manifest absent or unreadable, a detached <archive>.sha256 mismatch,
 * absent or unreadable, member names with "..", "." or empty components
 * ("bad name"), data after the tar's end marker ("trailing data", found
 * by decompressing the input a second time).
 *
 *	irk_evread_open(&r, path, &opts, &err);
 *	while ((n = irk_evread_next(r, &m, &err)) == 1)
 *		while ((len = irk_evread_data(r, buf, sizeof(buf))) > 0) ...
 *	irk_evread_finish(r);	verify outcome in irk_evread_verify()
 *	irk_evread_free(r);
 */
#ifndef IRKIT_EVIDENCE_READ_H
#define IRKIT_EVIDENCE_READ_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <jansson.h>

#include "irkit/err.h"
#include "irkit/sha256.h"

enum irk_evkind {
	IRK_EVK_ARCHIVE,	/* any archive, generic evidence */
	IRK_EVK_IRKIT,		/* an irkit evidence archive */
	IRK_EVK_DIRECTORY,
};

enum irk_mtype {
	IRK_M_FILE, IRK_M_DIR, IRK_M_SYMLINK, IRK_M_HARDLINK, IRK_M_OTHER,
};

struct irk_member {
	const char *name;	/* as stored in the archive; "/a/b" in a dir */
	const char *rel;	/* irkit: relative to the top folder, or NULL */
	enum irk_mtype type;
	const char *link;	/* link target as stored, or NULL */
	int64_t size;		/* -1 unknown */
	uint32_t mode;		/* permission bits */
	int64_t uid, gid;	/* -1 unknown */
	const char *uname;
	int64_t ino;		/* -1 unknown */
	int64_t atime, mtime, ctime, btime;	/* IRK_TIME_NONE unknown */
};

/*
 * The whole-input SHA-256 of an archive, computed on a thread of its own
 * so that it overlaps other work (loading rules, the previous input).
 * NULL when path is not a regular file or no thread could start: then
 * irk_evread_open hashes it itself.  Hand it to irk_evread_open in
 * opts.prehash (which waits for it); free it afterwards.
 */
struct irk_prehash;
struct irk_prehash *irk_prehash_start(const char *path);
void irk_prehash_free(struct irk_prehash *ph);

struct irk_evread_opts {
	uint64_t ratio_floor;	/* bytes out before the ratio check (256 MiB) */
	uint64_t max_ratio;	/* out/in above this stops reading (1000) */
	int no_prehash;		/* skip the whole-input hash (verify -q) */
	struct irk_prehash *prehash;	/* started for this path, or NULL */
	int ahead;		/* an archive read on a thread of its own
				   (evread_ahead.h): the same results */
	uint64_t whole_max;	/* with ahead: members up to this size come
				   whole, for irk_evread_data_take */
};

struct irk_evread;

/*
 * Open an input.  A file that is no archive (libarchive's mtree guess
 * for text, an empty file, an unknown format) is IRK_FAIL with a
 * message that says what ingest expects.
 */
int irk_evread_open(struct irk_evread **out, const char *path,
    const struct irk_evread_opts *opts, struct irk_err *err);
enum irk_evkind irk_evread_kind(const struct irk_evread *r);
/* SHA-256 of the input file (of the listing for a directory). */
const char *irk_evread_sha256(const struct irk_evread *r);
uint64_t irk_evread_size(const struct irk_evread *r);
/* "tar.zst", "zip", "directory"... (known after the first member). */
const char *irk_evread_format(const struct irk_evread *r);

/*
 * The next member: 1, 0 at the end, IRK_WARN when the input is damaged
 * (truncated, corrupt, ratio exceeded): reading stops there, err says
 * why, and the status becomes partial.
 */
int irk_evread_next(struct irk_evread *r, struct irk_member *m,
    struct irk_err *err);
/* Content of the current member: bytes, 0 at its end, -1 on damage. */
ssize_t irk_evread_data(struct irk_evread *r, void *buf, size_t len);
/*
 * With opts.ahead, when the current member's next bytes are a whole
 * buffer the thread read: that buffer (*buf, malloc'd, now the
 * caller's) and its length, as irk_evread_data would have copied them.
 * 0 (nothing taken) otherwise: read with irk_evread_data.
 */
ssize_t irk_evread_data_take(struct irk_evread *r, void **buf);
/*
 * The descriptor of the current member when it is a file of a folder
 * input on the host (to map it instead of reading it), else -1.  Still
 * owned by the reader.  A caller that took the content that way says so
 * with irk_evread_data_taken (bytes: for the progress), so that the next
 * member does not read the rest.
 */
int irk_evread_fd(struct irk_evread *r);
void irk_evread_data_taken(struct irk_evread *r, uint64_t bytes);

/* Drain and check against the manifest.  Call after the last next(). */
void irk_evread_finish(struct irk_evread *r);
/* intact | damaged | no-manifest | not-applicable */
const char *irk_evread_verify(const struct irk_evread *r);
/* The problems, one string each ("changed: records/x.jsonl"). */
const json_t *irk_evread_problems(const struct irk_evread *r);
/* The parsed manifest (irkit), or NULL. */
json_t *irk_evread_manifest(const struct irk_evread *r);
/*
 * The SHA-256 of manifest.json as stored (irkit, after finish, when the
 * manifest parsed), or NULL: the same collection re-packed, copied or
 * recompressed has the same one.
 */
const char *irk_evread_manifest_sha256(const struct irk_evread *r);
/*
 * How far the reading is: bytes of the input consumed and its size (an
 * archive, as compressed), or content bytes read and their sum (a folder).
 */
void irk_evread_progress(const struct irk_evread *r, uint64_t *done,
    uint64_t *total);
/* 1 when reading stopped at damage. */
int irk_evread_partial(const struct irk_evread *r);
/*
 * How many members' content could not be read to its end (an encrypted
 * or unsupported zip member, an unreadable file in a folder; reading
 * went on with the next member), and in *why (may be NULL) the reason
 * for the last of them, as libarchive or the system says it.
 */
uint64_t irk_evread_unread(const struct irk_evread *r, const char **why);
void irk_evread_free(struct irk_evread *r);

/*
 * Check a manifest's text against the members seen (rel path -> "size
 * sha256" strings): appends "changed: ", "missing: ", "extra: " and
 * "manifest: " problems to problems, and returns the parsed manifest in
 * *out (may be NULL).  0 when it parsed, -1 when unreadable.
 */
struct irk_strmap;
int irk_manifest_check(const char *text, size_t len,
    const struct irk_strmap *seen, json_t *problems, json_t **out);

/*
 * 1 when an irkit archive has no detached .sha256 beside it (e.g. it was
 * streamed with -o -): its problems then hold "sha256: absent", but its
 * verify status stays "intact" when nothing else is wrong.
 */
int irk_evread_sha256_absent(const struct irk_evread *r);

#endif
