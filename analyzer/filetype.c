/*
 * filetype.c - the short upper-case kind of a file for the YARA
 * "filetype" external (Loki/THOR style), from its first bytes only.
 */
#include <stdint.h>
#include <string.h>

#include "scan.h"
#include "irkit/banned.h"

static int
at(const unsigned char *p, size_t len, size_t off, const void *sig, size_t n)
{
	return len >= off + n && memcmp(p + off, sig, n) == 0;
}

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

/* Printable text (ASCII or UTF-8) in the first 4 KiB, no NUL. */
static int
is_text(const unsigned char *p, size_t len)
{
	size_t n = len < 4096 ? len : 4096;

	/* UTF-16 with a byte-order mark is text too */
	if (len >= 2 && ((p[0] == 0xff && p[1] == 0xfe) ||
	    (p[0] == 0xfe && p[1] == 0xff)))
		return 1;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = p[i];

		if (c == 0)
			return 0;
		if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' &&
		    c != '\f' && c != 0x1b)
			return 0;
	}
	return 1;
}

static int
starts_ci(const unsigned char *p, size_t len, const char *s)
{
	size_t n = strlen(s);

	if (len < n)
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = p[i];

		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		if (c != (unsigned char)s[i])
			return 0;
	}
	return 1;
}

const char *
irk_scan_filetype(const unsigned char *p, size_t len)
{
	size_t skip = 0;

	if (p == NULL || len == 0)
		return "EMPTY";
	if (at(p, len, 0, "MZ", 2))
		return "EXE";
	if (at(p, len, 0, "\x7f" "ELF", 4))
		return "ELF";
	if (len >= 4) {
		uint32_t m = be32(p);

		if (m == 0xfeedface || m == 0xfeedfacf || m == 0xcefaedfe ||
		    m == 0xcffaedfe)
			return "MACHO";
		if (m == 0xcafebabe && len >= 8) {
			/* fat Mach-O: a small arch count; Java: version >= 45 */
			uint32_t n = be32(p + 4);

			return n > 0 && n < 30 ? "MACHO" : "CLASS";
		}
	}
	if (at(p, len, 0, "PK\x03\x04", 4) || at(p, len, 0, "PK\x05\x06", 4) ||
	    at(p, len, 0, "PK\x07\x08", 4))
		return "ZIP";
	if (at(p, len, 0, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8))
		return "OLE";
	if (at(p, len, 0, "{\\rt", 4))
		return "RTF";
	if (at(p, len, 0, "\x1f\x8b", 2))
		return "GZIP";
	if (at(p, len, 0, "BZh", 3))
		return "BZIP2";
	if (at(p, len, 0, "\xfd" "7zXZ\x00", 6))
		return "XZ";
	if (at(p, len, 0, "\x28\xb5\x2f\xfd", 4))
		return "ZSTD";
	if (at(p, len, 0, "7z\xbc\xaf\x27\x1c", 6))
		return "7Z";
	if (at(p, len, 0, "Rar!\x1a\x07", 6))
		return "RAR";
	if (at(p, len, 0, "MSCF", 4))
		return "CAB";
	if (at(p, len, 257, "ustar", 5))
		return "TAR";
	if (at(p, len, 0, "\x4c\x00\x00\x00\x01\x14\x02\x00", 8))
		return "LNK";
	if (at(p, len, 0, "dex\n", 4))
		return "DEX";
	if (at(p, len, 0, "\x00" "asm", 4))
		return "WASM";
	if (at(p, len, 0, "MDMP", 4))
		return "MDMP";
	if (at(p, len, 0, "ElfFile\x00", 8))
		return "EVTX";
	if (at(p, len, 0, "regf", 4))
		return "REGISTRY";
	if (at(p, len, 0, "SQLite format 3\x00", 16))
		return "SQLITE";
	if (at(p, len, 0, "\xd4\xc3\xb2\xa1", 4) ||
	    at(p, len, 0, "\xa1\xb2\xc3\xd4", 4) ||
	    at(p, len, 0, "\x0a\x0d\x0d\x0a", 4))
		return "PCAP";
	if (at(p, len, 0, "\xff\xd8\xff", 3))
		return "JPEG";
	if (at(p, len, 0, "\x89PNG\r\n\x1a\n", 8))
		return "PNG";
	if (at(p, len, 0, "GIF87a", 6) || at(p, len, 0, "GIF89a", 6))
		return "GIF";
	/* %PDF may follow some junk: readers look in the first 1 KiB */
	if (len >= 5 && memmem(p, len < 1024 ? len : 1024, "%PDF-", 5) != NULL)
		return "PDF";
	if (at(p, len, 0, "-----BEGIN ", 11))
		return "PEM";
	if (at(p, len, 0, "#!", 2))
		return "SCRIPT";
	if (at(p, len, 0, "\xef\xbb\xbf", 3))
		skip = 3;	/* UTF-8 byte-order mark */
	while (skip < len && skip < 256 && (p[skip] == ' ' ||
	    p[skip] == '\t' || p[skip] == '\r' || p[skip] == '\n'))
		skip++;
	if (starts_ci(p + skip, len - skip, "<?php") ||
	    starts_ci(p + skip, len - skip, "<%@") ||
	    starts_ci(p + skip, len - skip, "<script"))
		return "SCRIPT";
	if (starts_ci(p + skip, len - skip, "<?xml"))
		return "XML";
	if (starts_ci(p + skip, len - skip, "<!doctype html") ||
	    starts_ci(p + skip, len - skip, "<html"))
		return "HTML";
	if (is_text(p, len))
		return "TEXT";
	return "UNKNOWN";
}
