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

/*
 * Check -o before anything is collected: "-", an existing folder (with
 * or without a final "/"), or a new file name ending in the extension
 * of compress whose folder exists.  IRK_FAIL (a usage error) otherwise:
 * a missing folder, an existing file, a name for other compressed data.
 */
int irk_evidence_check_output(const char *output, const char *compress,
    struct irk_err *err);
/* ".tar.zst", ".tar.gz", ".tar.xz", ".tar"; NULL for an unknown name. */
const char *irk_evidence_ext(const char *compress);

/*
 * Create the output.  In a folder the name is "<top><ext>", or
 * "<top>-N<ext>" (N from 2) when that is taken (see docs/FORMAT.md).
 * The ".sha256" is created (empty) with the ".partial": when it cannot
 * be, irk_evidence_side_error() says why and the run goes on.
 */
int irk_evidence_open(struct irk_evidence **out,
    const struct irk_evidence_opts *opts, struct irk_err *err);

/* "irkit-<host>-<YYYYmmddTHHMMSSZ>[-N]", the top folder inside. */
const char *irk_evidence_top(const struct irk_evidence *ev);
/* The final file name, or "-" for stdout. */
const char *irk_evidence_path(const struct irk_evidence *ev);

/* The archive's SHA-256 (hex) once finished, else NULL. */
const char *irk_evidence_sha256(const struct irk_evidence *ev);
/* Why the .sha256 could not be created, or NULL. */
const struct irk_err *irk_evidence_side_error(const struct irk_evidence *ev);
/*
 * The files to remove if the run is killed (for a signal handler; NULL
 * when none): the .partial and the still empty .sha256.
 */
void irk_evidence_temp_paths(const struct irk_evidence *ev,
    const char **partial, const char **side);

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
 * it as manifest.json, close the stream, rename the .partial file (never
 * over an existing file) and write the .sha256 beside it.  IRK_WARN when
 * only the .sha256 could not be written (irk_evidence_sha256() still
 * gives the digest).  manifest is not stolen.
 */
int irk_evidence_finish(struct irk_evidence *ev, json_t *manifest,
    struct irk_err *err);

/* Give up: close and remove the .partial file.  Frees ev. */
void irk_evidence_abort(struct irk_evidence *ev);
void irk_evidence_free(struct irk_evidence *ev);

#endif
