/*
 * evidence.h - the evidence archive writer (format 1, docs/FORMAT.md).
 *
 * One compressed tar stream with everything under one top folder,
 * manifest.json last.  Nothing is written to a temporary file: members
 * are streamed into libarchive as they come.  A file output is named
 * "<name>.partial" while it is written and renamed when complete, with
 * a detached "<name>.sha256" (sha256sum format) beside it.
 */
#ifndef IRKIT_EVIDENCE_H
#define IRKIT_EVIDENCE_H

#include <stdint.h>
#include <jansson.h>

#include "irkit/err.h"
#include "irkit/fs.h"
#include "irkit/sha256.h"

struct irk_evidence;

struct irk_evidence_opts {
	const char *output;	/* directory, file name, or "-" (stdout) */
	const char *hostname;	/* for the archive name */
	const char *compress;	/* "zstd" (default), "gzip", "xz", "none" */
	int64_t start;		/* collection start, us since the epoch */
};

int irk_evidence_open(struct irk_evidence **out,
    const struct irk_evidence_opts *opts, struct irk_err *err);

/* "irkit-<host>-<YYYYmmddTHHMMSSZ>", the top folder inside. */
const char *irk_evidence_top(const struct irk_evidence *ev);
/* The final file name, or "-" for stdout. */
const char *irk_evidence_path(const struct irk_evidence *ev);

/* A member from memory (records, log).  member is relative to the top. */
int irk_evidence_add_data(struct irk_evidence *ev, const char *member,
    const void *data, size_t len, struct irk_err *err);

/*
 * A member from an open file, whose header says st->size bytes with the
 * original owner, mode and times.  If the file shrinks while it is read
 * the rest is zero-filled, if it grows the extra is cut; *changed is then
 * set to 1.  The SHA-256 of the bytes stored is written to sha256.
 * Errors from the output are fatal (IRK_FATAL): the archive is unusable.
 */
int irk_evidence_add_file(struct irk_evidence *ev, const char *member,
    struct irk_fs *fs, struct irk_file *f, const struct irk_stat *st,
    char sha256[IRK_SHA256_HEX], int *changed, struct irk_err *err);

/*
 * Add "members" (path, size, sha256 of every member) to manifest, write
 * it as manifest.json, close the stream, rename the .partial file and
 * write the .sha256 beside it.  manifest is not stolen.
 */
int irk_evidence_finish(struct irk_evidence *ev, json_t *manifest,
    struct irk_err *err);

/* Give up: close and remove the .partial file.  Frees ev. */
void irk_evidence_abort(struct irk_evidence *ev);
void irk_evidence_free(struct irk_evidence *ev);

#endif
