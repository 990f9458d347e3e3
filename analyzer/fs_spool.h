/*
 * fs_spool.h - a struct irk_fs over the members of an archive, built
 * while ingest streams them once (nothing is extracted, the archive is
 * not read twice), so the collectors written against irkit/fs.h run over
 * an archive's files as they run over a host or an image volume.
 *
 * Every member handed over (file, directory, link) goes into an index in
 * memory keyed by its normalised name; a regular file's bytes, teed from
 * the reading ingest does anyway, are appended to one anonymous
 * temporary file (O_TMPFILE, or mkstemp and unlink at once) in a folder
 * given by the caller: nothing is left behind, even after kill -9.
 *
 * Names are evidence: a leading "/" and "./" are dropped (tar's rule),
 * empty and "." components skipped, a name with a ".." component, a
 * component over 255 bytes or a name over 4095 bytes is refused, a name
 * given twice keeps its last member.  Links are resolved only inside the
 * view's root (irkit/fs.h: an absolute target is relative to the root,
 * ".." stops at it, at most IRK_WALK_MAXLINKS links).  The spool's bytes
 * (max_total) and a file's bytes (max_file) are bounded: a file over
 * them is in the index with no content (opening it fails, saying why),
 * and said once through the log function.
 *
 * A view (irk_fs_spool_open) is the tree under a prefix ("" for the
 * whole archive, "C" for a KAPE drive folder), optionally matched
 * without regard to case (Windows roots, as TSK does on NTFS).
 */
#ifndef IRKIT_FS_SPOOL_H
#define IRKIT_FS_SPOOL_H

#include <stddef.h>
#include <stdint.h>

#include "irkit/err.h"
#include "irkit/fs.h"

/* What was not spooled or refused, and why (path as stored). */
typedef void (*irk_spool_log_fn)(void *arg, const char *path,
    const char *msg);

struct irk_spool_opts {
	const char *dir;	/* the temporary file's folder (NULL: ".") */
	uint64_t max_total;	/* bytes spooled at most (0: no content) */
	uint64_t max_file;	/* bytes of one file at most */
	size_t max_nodes;	/* index entries at most (0: 4 million) */
	irk_spool_log_fn log;
	void *log_arg;
};

struct irk_spool;

int irk_spool_open(struct irk_spool **out, const struct irk_spool_opts *o,
    struct irk_err *err);
void irk_spool_free(struct irk_spool *sp);

/*
 * A member: name as stored, st->mode's type bits say file, directory
 * or link (other types are kept as entries with no content), link its
 * target (symbolic link) or, with hardlink set, the name of the member
 * it shares content with.  A file's bytes follow with irk_spool_data()
 * until irk_spool_end() or the next add.  IRK_OK, or IRK_WARN when the
 * member is refused (said through the log).  A file whose bytes cannot
 * be written (limits, a full disk) stays in the index without content.
 */
int irk_spool_add(struct irk_spool *sp, const char *name,
    const struct irk_stat *st, const char *link, int hardlink);
/* Bytes of the current file, in order. */
void irk_spool_data(struct irk_spool *sp, const void *buf, size_t len);
/* The current file is complete (its size is what was given). */
void irk_spool_end(struct irk_spool *sp);
/* Bytes spooled; files left without content. */
uint64_t irk_spool_bytes(const struct irk_spool *sp);
uint64_t irk_spool_unspooled(const struct irk_spool *sp);

/* What kind of root a folder of the archive holds. */
enum { IRK_SPOOL_LINUX = 1, IRK_SPOOL_WINDOWS = 2 };

struct irk_spool_root {
	char prefix[1024];	/* "" (the archive's top), "C", "h1/C" */
	int kind;		/* IRK_SPOOL_LINUX or IRK_SPOOL_WINDOWS */
};

/*
 * The roots the index holds, shallowest first, at most max, none inside
 * another, looked for down to depth folders below the top: a Windows
 * root has Windows/System32/config (any case), a Linux root has etc and
 * usr, or etc and var/log (directories).  Returns how many.
 */
size_t irk_spool_roots(const struct irk_spool *sp, int depth,
    struct irk_spool_root *out, size_t max);

/*
 * A file system over the index under prefix (borrowed: the spool must
 * outlive it).  nocase: names match without regard to ASCII case when no
 * name matches exactly.
 */
int irk_fs_spool_open(struct irk_fs **out, struct irk_spool *sp,
    const char *prefix, int nocase, struct irk_err *err);

#endif
