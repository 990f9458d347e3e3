/*
 * win_reg.h - registry hives read from a disk image with libregf, in
 * memory (libbfio memory range: no temporary file, nothing written).
 * Shared by the Windows collectors (win_services.c, win_tasks.c,
 * win_certs.c).  Transaction logs (.LOG1/.LOG2) are not replayed: a
 * dirty hive is read as it is on disk.
 */
#ifndef IRKIT_WIN_REG_H
#define IRKIT_WIN_REG_H

#include <stddef.h>
#include <stdint.h>

#include <libregf.h>

#include "irkit/buf.h"
#include "irkit/collect.h"

/*
 * A key whose nk cell claims more values or sub-keys than the hive's
 * bytes can hold, with those of the keys before it (libregf would grow
 * a list one entry at a time: minutes and gigabytes for one key).  Such
 * counts are set to 0 in the in-memory copy before libregf sees it, and
 * kept here to be reported (irk_hive_report).
 */
#define IRK_HIVE_BAD_MAX	8
struct irk_hive_bad {
	char key[400];		/* "\\A\\B" below the root */
	const char *what;	/* "values" or "sub-keys" */
	uint32_t count;
};

struct irk_hive {
	struct irk_buf data;
	libbfio_handle_t *io;
	libregf_file_t *file;
	char path[512];
	struct irk_hive_bad bad[IRK_HIVE_BAD_MAX];
	size_t nbad;		/* all found; the first IRK_HIVE_BAD_MAX kept */
};

/* Read the hive at path through fs (bounded) and open it. */
int irk_hive_open(struct irk_hive *h, struct irk_fs *fs,
    const char *path, struct irk_err *err);
/* Open a hive held in memory (data is copied).  Used by the fuzzer. */
int irk_hive_open_mem(struct irk_hive *h, const void *data, size_t len,
    struct irk_err *err);
void irk_hive_close(struct irk_hive *h);
/*
 * Log each key of an open hive whose counts were impossible as an error
 * of the collector c (the image becomes partial): IRK_OK when there is
 * none, else IRK_FAIL.
 */
int irk_hive_report(const struct irk_hive *h, struct irk_collect *c);

/* The key at a "A\\B\\C" path below the root, or NULL. */
libregf_key_t *irk_hive_key(struct irk_hive *h, const char *path);
libregf_key_t *irk_reg_subkey(libregf_key_t *k, const char *name);

/* Sub-key count and the i-th sub-key (or NULL). */
int irk_reg_nsubkeys(libregf_key_t *k);
libregf_key_t *irk_reg_subkey_at(libregf_key_t *k, int i);
/* The same; NULL with err set to libregf's reason when it cannot be read. */
libregf_key_t *irk_reg_subkey_read(libregf_key_t *k, int i,
    struct irk_err *err);
/* The key's name (UTF-8, NUL-terminated, "" on failure). */
void irk_reg_key_name(libregf_key_t *k, char *out, size_t len);
/* Last-written time in microseconds, or IRK_TIME_NONE. */
int64_t irk_reg_key_time(libregf_key_t *k);

/* A string value (REG_SZ, REG_EXPAND_SZ; first of a REG_MULTI_SZ): malloc'd. */
char *irk_reg_str(libregf_key_t *k, const char *name);
/* A REG_DWORD value: 0 and *out, or -1 when absent or another type. */
int irk_reg_dword(libregf_key_t *k, const char *name, uint32_t *out);
/* A binary value: malloc'd bytes and *len, or NULL. */
unsigned char *irk_reg_bin(libregf_key_t *k, const char *name, size_t max,
    size_t *len);

#endif
