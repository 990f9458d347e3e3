/*
 * usn.h - the NTFS change journal ($Extend/$UsnJrnl, its $J stream):
 * USN_RECORD_V2 and V3 parsed from bytes (usn_parse.c: no TSK, for the
 * unit test and the fuzz harness), and its reading from an image volume
 * through TSK (usn.c: sparse runs skipped, one "usn" record per entry).
 */
#ifndef IRKIT_USN_H
#define IRKIT_USN_H

#include <stddef.h>
#include <stdint.h>

/* a record's length at most; records of one journal kept */
#define IRK_USN_REC_MAX		65536
#define IRK_USN_RECORDS_MAX	2000000
#define IRK_USN_BYTES_MAX	(2ULL << 30)	/* bytes of $J read */
#define IRK_USN_DEPTH_MAX	64	/* folders up from an entry */
/* 255 UTF-16 units as UTF-8 */
#define IRK_USN_NAME_BYTES	(255 * 3 + 1)

/* reason flags (winioctl.h) */
#define IRK_USN_DATA_OVERWRITE		0x00000001
#define IRK_USN_DATA_EXTEND		0x00000002
#define IRK_USN_DATA_TRUNCATION		0x00000004
#define IRK_USN_FILE_CREATE		0x00000100
#define IRK_USN_FILE_DELETE		0x00000200
#define IRK_USN_SECURITY_CHANGE		0x00000800
#define IRK_USN_RENAME_OLD_NAME		0x00001000
#define IRK_USN_RENAME_NEW_NAME		0x00002000
#define IRK_USN_BASIC_INFO_CHANGE	0x00008000
#define IRK_USN_CLOSE			0x80000000

struct irk_usn_rec {
	uint64_t offset;		/* of the record in the stream */
	uint16_t major, minor;
	/* NTFS file references: MFT entry in the low 48 bits, sequence
	 * number in the high 16; V3's 128-bit ids keep their low half,
	 * wide set when the high half is not zero (ReFS) */
	uint64_t file_ref, parent_ref;
	int wide;
	int64_t usn;
	int64_t ts;			/* µs, or IRK_TIME_NONE */
	uint32_t reason, source, security_id, attributes;
	char name[IRK_USN_NAME_BYTES];	/* UTF-8 */
};

struct irk_usn_stats {
	uint64_t records;		/* V2 and V3 returned */
	uint64_t v4;			/* V4 range records skipped */
	uint64_t bad;			/* 8-byte steps over damage */
};

/*
 * The next record of buf[*off, len) (base: the stream offset of buf[0]).
 * 1: r filled, *off past it.  0: no whole record left: *off is where the
 * rest starts (a record cut by the end of buf, to be read again with
 * what follows), or len.  Zeros (page padding, sparse ranges) are
 * skipped; what is not a record is stepped over 8 bytes at a time
 * (counted in st->bad).  Never reads outside buf.
 */
int irk_usn_next(const unsigned char *buf, size_t len, size_t *off,
    uint64_t base, struct irk_usn_rec *r, struct irk_usn_stats *st);

struct irk_collect;
struct TSK_FS_INFO;

/*
 * A collector (for irk_case_collect, not in the table) reading the
 * journal of fsi, volume naming it: valid until the next call
 * (irkit-analyze image loads one volume at a time).
 */
struct irk_collector;
const struct irk_collector *irk_usn_image(struct TSK_FS_INFO *fsi,
    const char *volume);

/* The reason flags as words ("create data_extend close"), in out. */
void irk_usn_reasons(uint32_t reason, char *out, size_t len);

#endif
