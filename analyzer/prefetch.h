/*
 * prefetch.h - Windows Prefetch files (Windows/Prefetch/NAME.pf) read with
 * libscca from memory: the formats 17 (XP, 2003), 23 (Vista, 7), 26
 * (8.1) and 30 (10, 11), plain or compressed in the MAM container
 * (Windows 10 and 11: LZXPRESS Huffman, which libscca decodes through
 * libfwnt).  Shared by the collector (prefetch.c), its unit test and the
 * fuzz harness.
 */
#ifndef IRKIT_PREFETCH_H
#define IRKIT_PREFETCH_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "irkit/err.h"

/* bytes of one .pf read; a MAM file's unpacked size; the files it
 * references kept, and the bytes of one */
#define IRK_PF_FILE_MAX		(8U << 20)
#define IRK_PF_MAM_MAX		(16U << 20)
#define IRK_PF_NAMES_MAX	1024
#define IRK_PF_NAME_MAX		4096
#define IRK_PF_VOLUMES_MAX	16
#define IRK_PF_RUNS_MAX		8		/* last run times */

/*
 * The "prefetch" record of the file held in data (len bytes; path: its
 * path, for the record and messages).  IRK_OK and *out, or IRK_FAIL with
 * err saying why (a format version libscca does not read, a MAM size
 * above IRK_PF_MAM_MAX, a damaged file).
 */
int irk_prefetch_parse(const unsigned char *data, size_t len,
    const char *path, json_t **out, struct irk_err *err);

/*
 * The format version of a MAM (compressed) file's content, unpacked with
 * libfwnt's LZXPRESS Huffman decoder within IRK_PF_MAM_MAX; 0 when it is
 * not one or does not unpack.
 */
uint32_t irk_prefetch_mam_version(const unsigned char *data, size_t len);

#endif
