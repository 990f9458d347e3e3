/*
 * usn_parse.c - USN_RECORD_V2 and V3 (and V4, skipped) from the bytes
 * of an NTFS $UsnJrnl:$J stream.  Every field is checked against the
 * record's length, the record's length against the buffer; records are
 * 8-byte aligned.
 */
#include <stdio.h>
#include <string.h>

#include "usn.h"
#include "irkit/fs.h"
#include "irkit/le.h"
#include "irkit/banned.h"

#define FT_EPOCH	116444736000000000ULL	/* 1601 to 1970, 100 ns */
#define V2_MIN		60	/* the fixed part of USN_RECORD_V2 */
#define V3_MIN		76
#define V4_MIN		56

static void
put_utf8(char *out, size_t len, size_t *o, uint32_t c)
{
	unsigned char b[4];
	size_t n;

	if (c < 0x80) {
		b[0] = (unsigned char)c;
		n = 1;
	} else if (c < 0x800) {
		b[0] = (unsigned char)(0xc0 | c >> 6);
		b[1] = (unsigned char)(0x80 | (c & 0x3f));
		n = 2;
	} else if (c < 0x10000) {
		b[0] = (unsigned char)(0xe0 | c >> 12);
		b[1] = (unsigned char)(0x80 | (c >> 6 & 0x3f));
		b[2] = (unsigned char)(0x80 | (c & 0x3f));
		n = 3;
	} else {
		b[0] = (unsigned char)(0xf0 | c >> 18);
		b[1] = (unsigned char)(0x80 | (c >> 12 & 0x3f));
		b[2] = (unsigned char)(0x80 | (c >> 6 & 0x3f));
		b[3] = (unsigned char)(0x80 | (c & 0x3f));
		n = 4;
	}
	if (*o + n < len) {
		memcpy(out + *o, b, n);
		*o += n;
	}
}

/* UTF-16LE (n units) to UTF-8; a lone surrogate becomes U+FFFD. */
static void
name_utf8(const unsigned char *p, size_t n, char *out, size_t len)
{
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		uint32_t c = irk_le16(p + 2 * i);

		if (c >= 0xd800 && c < 0xdc00 && i + 1 < n &&
		    irk_le16(p + 2 * i + 2) >= 0xdc00 &&
		    irk_le16(p + 2 * i + 2) < 0xe000) {
			c = 0x10000 + ((c - 0xd800) << 10) +
			    (irk_le16(p + 2 * i + 2) - 0xdc00);
			i++;
		} else if (c >= 0xd800 && c < 0xe000)
			c = 0xfffd;
		put_utf8(out, len, &o, c);
	}
	out[o] = '\0';
}

static int64_t
usn_time(uint64_t ft)
{
	if (ft < FT_EPOCH)
		return IRK_TIME_NONE;
	return (int64_t)((ft - FT_EPOCH) / 10);
}

/* The fields of a V2 or V3 record p of rl bytes; -1 if inconsistent. */
static int
fields(const unsigned char *p, uint32_t rl, struct irk_usn_rec *r)
{
	int v3 = r->major == 3;
	const unsigned char *q = p + (v3 ? 40 : 24);
	uint16_t nlen, noff;

	if (rl < (v3 ? V3_MIN : V2_MIN))
		return -1;
	r->file_ref = irk_le64(p + 8);
	r->parent_ref = irk_le64(p + (v3 ? 24 : 16));
	r->wide = v3 && (irk_le64(p + 16) != 0 || irk_le64(p + 32) != 0);
	r->usn = (int64_t)irk_le64(q);
	r->ts = usn_time(irk_le64(q + 8));
	r->reason = irk_le32(q + 16);
	r->source = irk_le32(q + 20);
	r->security_id = irk_le32(q + 24);
	r->attributes = irk_le32(q + 28);
	nlen = irk_le16(q + 32);
	noff = irk_le16(q + 34);
	if ((nlen & 1) || noff < (v3 ? V3_MIN : V2_MIN) ||
	    (uint32_t)noff + nlen > rl)
		return -1;
	name_utf8(p + noff, nlen / 2, r->name, sizeof(r->name));
	return 0;
}

int
irk_usn_next(const unsigned char *buf, size_t len, size_t *off,
    uint64_t base, struct irk_usn_rec *r, struct irk_usn_stats *st)
{
	size_t o = *off;

	/* records are 8-byte aligned in the stream */
	if ((base + o) & 7)
		o += 8 - ((base + o) & 7);
	while (o + 8 <= len) {
		const unsigned char *p = buf + o;
		uint32_t rl = irk_le32(p);
		uint16_t major = irk_le16(p + 4);

		if (rl == 0) {
			o += 8;
			continue;
		}
		if (rl < V4_MIN || rl > IRK_USN_REC_MAX || (rl & 7) ||
		    major < 2 || major > 4) {
			st->bad++;
			o += 8;
			continue;
		}
		if (rl > len - o)
			break;	/* cut: read again with what follows */
		if (major == 4) {
			st->v4++;
			o += rl;
			continue;
		}
		memset(r, 0, sizeof(*r));
		r->offset = base + o;
		r->major = major;
		r->minor = irk_le16(p + 6);
		if (fields(p, rl, r) != 0) {
			st->bad++;
			o += 8;
			continue;
		}
		st->records++;
		*off = o + rl;
		return 1;
	}
	*off = o < len ? o : len;
	return 0;
}

static const struct {
	uint32_t bit;
	const char *word;
} reason_words[] = {
	{ 0x00000001, "data_overwrite" },
	{ 0x00000002, "data_extend" },
	{ 0x00000004, "data_truncation" },
	{ 0x00000010, "named_data_overwrite" },
	{ 0x00000020, "named_data_extend" },
	{ 0x00000040, "named_data_truncation" },
	{ 0x00000100, "file_create" },
	{ 0x00000200, "file_delete" },
	{ 0x00000400, "ea_change" },
	{ 0x00000800, "security_change" },
	{ 0x00001000, "rename_old_name" },
	{ 0x00002000, "rename_new_name" },
	{ 0x00004000, "indexable_change" },
	{ 0x00008000, "basic_info_change" },
	{ 0x00010000, "hard_link_change" },
	{ 0x00020000, "compression_change" },
	{ 0x00040000, "encryption_change" },
	{ 0x00080000, "object_id_change" },
	{ 0x00100000, "reparse_point_change" },
	{ 0x00200000, "stream_change" },
	{ 0x00400000, "transacted_change" },
	{ 0x00800000, "integrity_change" },
	{ 0x80000000, "close" },
};

void
irk_usn_reasons(uint32_t reason, char *out, size_t len)
{
	size_t o = 0;

	if (len == 0)
		return;
	out[0] = '\0';
	for (size_t i = 0; i < sizeof(reason_words) / sizeof(reason_words[0]);
	    i++) {
		int n;

		if (!(reason & reason_words[i].bit))
			continue;
		reason &= ~reason_words[i].bit;
		n = snprintf(out + o, len - o, "%s%s", o ? " " : "",
		    reason_words[i].word);
		if (n < 0 || (size_t)n >= len - o)
			return;
		o += (size_t)n;
	}
	if (reason != 0)
		(void)snprintf(out + o, len - o, "%s0x%08x", o ? " " : "",
		    reason);
}
