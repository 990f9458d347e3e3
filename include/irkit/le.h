/*
 * le.h - little-endian integers read from bytes (on-disk formats: NTFS,
 * registry hives, VSS, journal files, rpm's ndb, Prefetch).  The caller
 * has checked that the bytes are there.
 */
#ifndef IRKIT_LE_H
#define IRKIT_LE_H

#include <stdint.h>

static inline uint16_t
irk_le16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t
irk_le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static inline uint64_t
irk_le64(const unsigned char *p)
{
	return (uint64_t)irk_le32(p) | (uint64_t)irk_le32(p + 4) << 32;
}

#endif
