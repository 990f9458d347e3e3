/*
 * utmp_parse.h - pure parsers for the login record files the logins
 * collector reads: utmp/wtmp/btmp entries (glibc struct utmp) and
 * lastlog entries (struct lastlog).  No I/O: bytes in, structures out,
 * so they are unit tested and fuzzed directly.
 *
 * struct utmp comes in two sizes (glibc bits/utmp.h):
 *   384 bytes: ut_session and ut_tv of 32 bits (i386, x86-64 and the
 *     other ABIs with __WORDSIZE_TIME64_COMPAT32, arm);
 *   400 bytes: ut_session a 64-bit long and ut_tv two 64-bit fields
 *     (aarch64, s390x, ppc64, riscv64...);
 * each little- or big-endian (s390x, ppc64).  Offsets common to both:
 *   0 ut_type (short, padded to 4), 4 ut_pid, 8 ut_line[32],
 *   40 ut_id[4], 44 ut_user[32], 76 ut_host[256], 332 ut_exit
 *   (e_termination, e_exit: two shorts);
 * 384: 336 ut_session, 340 tv_sec, 344 tv_usec, 348 ut_addr_v6[16],
 *   364 unused[20];
 * 400: 336 ut_session, 344 tv_sec, 352 tv_usec, 360 ut_addr_v6[16],
 *   376 unused[20], 396 padding.
 * ut_type is a short: in the first two bytes, padded to 4.
 * struct lastlog is 292 bytes: ll_time (int32), ll_line[32],
 * ll_host[256], one per UID at offset UID * 292.
 */
#ifndef IRKIT_UTMP_PARSE_H
#define IRKIT_UTMP_PARSE_H

#include <stddef.h>
#include <stdint.h>

enum irk_utmp_layout {
	IRK_UTMP_384_LE,
	IRK_UTMP_384_BE,
	IRK_UTMP_400_LE,
	IRK_UTMP_400_BE,
	IRK_UTMP_LAYOUTS,
};

/* ut_type values */
enum {
	IRK_UT_EMPTY, IRK_UT_RUN_LVL, IRK_UT_BOOT_TIME, IRK_UT_NEW_TIME,
	IRK_UT_OLD_TIME, IRK_UT_INIT_PROCESS, IRK_UT_LOGIN_PROCESS,
	IRK_UT_USER_PROCESS, IRK_UT_DEAD_PROCESS, IRK_UT_ACCOUNTING,
};

#define IRK_LASTLOG_SIZE 292

struct irk_utmp_ent {
	int type;
	int32_t pid;
	char line[33];
	char id[5];
	char user[33];
	char host[257];
	int exit_termination, exit_status;
	int64_t session;
	int64_t time;			/* microseconds since the epoch */
	uint8_t addr[16];		/* ut_addr_v6 as stored */
};

struct irk_lastlog_ent {
	int64_t time;			/* microseconds; 0: never */
	char line[33];
	char host[257];
};

/* The size of an entry of layout l (384 or 400). */
size_t irk_utmp_size(int layout);
/* "384-le", "400-be"... */
const char *irk_utmp_layout_name(int layout);

/*
 * The layout of the entries in buf (the start of a file, len bytes):
 * the one under which most of the first entries are sound, the 384-byte
 * little-endian one on a tie or when none is.
 */
int irk_utmp_detect(const unsigned char *buf, size_t len);

/*
 * Decode one entry of the layout's size.  0, or -1 when it is not a
 * sound entry (why: static text): a type out of range, microseconds out
 * of range, a negative or far-future time, a pid below 0.
 */
int irk_utmp_decode(const unsigned char *rec, int layout,
    struct irk_utmp_ent *e, const char **why);

/*
 * The remote address: "" when ut_addr_v6 is all zeros, dotted IPv4 when
 * only its first word is set, else IPv6 text.
 */
void irk_utmp_addr(const struct irk_utmp_ent *e, char *out, size_t len);

/* The kind of an entry: "boot", "shutdown", "runlevel", "login"... */
const char *irk_utmp_kind(const struct irk_utmp_ent *e);

/* Decode one 292-byte lastlog entry; -1 when the time is negative. */
int irk_lastlog_decode(const unsigned char *rec, struct irk_lastlog_ent *e);

#endif
