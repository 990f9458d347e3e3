/*
 * win_art.h - Windows execution and persistence artifacts read from a
 * Windows root (docs/windows-artifacts.md): autoruns and UserAssist
 * (win_autorun.c), ShimCache (win_shimcache.c), BAM/DAM (win_bam.c),
 * Amcache.hve (win_amcache.c), PSReadLine histories (win_psreadline.c).
 * The parsers of binary values are pure (no I/O) for the unit tests and
 * the fuzzers; win_art.c holds what they share: registry values in a
 * loop, FILETIMEs, the users' folders and hives.
 */
#ifndef IRKIT_WIN_ART_H
#define IRKIT_WIN_ART_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>
#include <libregf.h>

#include "irkit/collect.h"
#include "win_reg.h"

/* Largest registry value read (a ShimCache blob is some hundred KiB). */
#define IRK_REG_VALUE_MAX	(16U << 20)
/* Values of one key looked at (a Run key, a BAM SID, UserAssist Count). */
#define IRK_REG_VALUES_MAX	100000

/* A FILETIME (100 ns since 1601) in µs since 1970, or IRK_TIME_NONE. */
int64_t irk_win_filetime(uint64_t ft);
/*
 * UTF-16LE (n bytes) to UTF-8 in out (len bytes, NUL-terminated; cut
 * at a character when short; unpaired surrogates become U+FFFD).
 */
void irk_win_utf16(const unsigned char *s, size_t n, char *out, size_t len);

/* One value of a key, read by irk_reg_value_at. */
struct irk_reg_val {
	char name[1024];	/* UTF-8; "" for the default value */
	uint32_t type;		/* LIBREGF_VALUE_TYPE_* */
	unsigned char *data;	/* raw bytes, malloc'd (NULL when empty) */
	size_t len;
	char *str;		/* string types: UTF-8, malloc'd, or NULL */
};
int irk_reg_nvalues(libregf_key_t *k);
/* The i-th value: 0, or -1 with err set when libregf cannot read it. */
int irk_reg_value_at(libregf_key_t *k, int i, struct irk_reg_val *v,
    struct irk_err *err);
void irk_reg_val_free(struct irk_reg_val *v);
/* A REG_QWORD (or REG_DWORD) value: 0 and *out, or -1. */
int irk_reg_qword(libregf_key_t *k, const char *name, uint64_t *out);

/* The current control set's name ("ControlSet00N") of a SYSTEM hive. */
void irk_win_control_set(struct irk_hive *h, char *out, size_t len);

/* A user's folder and hive (Users/NAME, Documents and Settings/NAME). */
struct irk_win_user {
	char name[256];		/* the folder's name */
	char home[512];		/* "/Users/bob" */
	char hive[600];		/* "/Users/bob/NTUSER.DAT" (may be absent) */
	char sid[192];		/* from SOFTWARE's ProfileList, or "" */
};
/*
 * The user folders of the root (NULL and 0 when there are none): their
 * SIDs from ProfileList\SID\ProfileImagePath in SOFTWARE when readable.
 * At most IRK_WIN_USERS_MAX.
 */
#define IRK_WIN_USERS_MAX	4096
int irk_win_users(struct irk_fs *fs, struct irk_win_user **out, size_t *n);
/* The folder name whose SID is sid among users, or NULL. */
const char *irk_win_user_by_sid(const struct irk_win_user *u, size_t n,
    const char *sid);

/*
 * Call fn on every user folder (users, nusers: all of them, to name a
 * SID): the worst of what fn returned; IRK_FAIL when they cannot be
 * listed (logged).
 */
typedef int (*irk_win_user_fn)(struct irk_collect *c,
    const struct irk_win_user *u, const struct irk_win_user *users,
    size_t nusers, void *arg);
int irk_win_each_user(struct irk_collect *c, irk_win_user_fn fn, void *arg);
/*
 * Call fn on the NTUSER.DAT of every user folder that has one (opened,
 * its impossible counts logged): the worst of what fn returned, an
 * unreadable hive logged as an error (IRK_WARN).  users, nusers: all the
 * folders (to name a SID).
 */
typedef int (*irk_user_hive_fn)(struct irk_collect *c, struct irk_hive *h,
    const struct irk_win_user *u, const struct irk_win_user *users,
    size_t nusers, void *arg);
int irk_win_user_hives(struct irk_collect *c, irk_user_hive_fn fn,
    void *arg);
/* "user" (the folder) and "sid" (or null) of a record. */
void irk_win_set_user(json_t *rec, const struct irk_win_user *u);

/*
 * IRK_WARN when the hive had keys with impossible counts (read without
 * them), else IRK_OK; nothing logged.  For the hives an earlier
 * collector of the list has opened and reported (irk_hive_report):
 * SYSTEM (win_services), SOFTWARE (win_tasks, win_certs), NTUSER.DAT
 * (win_certs): the same keys are not logged once per collector.
 */
int irk_hive_grade(const struct irk_hive *h);

/* ROT13 of the ASCII letters of s, in place (UserAssist value names). */
void irk_rot13(char *s);

/*
 * A UserAssist Count value: Windows 7 and later (72 bytes: run count at
 * 4, focus count at 8, focus time in ms at 12, last run FILETIME at 60)
 * or XP/2003 (16 bytes: run count at 4, offset by 5 from 5 up; last run
 * at 8).  0 with the fields set (*focus_count and *focus_ms -1 for the
 * old format), -1 for other sizes (UEME_CTLSESSION and the like).
 */
struct irk_userassist {
	int64_t count;
	int64_t focus_count;
	int64_t focus_ms;
	int64_t last_run;	/* µs or IRK_TIME_NONE */
	const char *format;	/* "win7", "xp" */
};
int irk_userassist_parse(const unsigned char *b, size_t len,
    struct irk_userassist *ua);

/*
 * The AppCompatCache blob of a SYSTEM hive: Windows 7 and 2008 R2
 * (x86, x64: signature 0xbadc0fee), 8.0 ("00ts" entries after a 128-byte
 * header), 8.1 and 2012 R2 ("10ts" after 128 bytes), 10 and 11 ("10ts"
 * after a 0x30 or 0x34 header).  fn is called for each entry in the
 * cache's order (most recent first); a non-zero return stops the walk
 * and is returned.  Returns 0 when the whole blob was read, else -1
 * with err saying where it stopped (the entries before were handed
 * over) or that the format is not one of these.
 */
struct irk_shim_entry {
	const char *format;	/* "win7-x64", "win7-x86", "win8.0", "win8.1",
				 * "win10" */
	size_t index;		/* 0 for the first */
	char path[2048];
	int64_t mtime;		/* the file's last modification, or NONE */
	int executed;		/* 1 or 0 (the insert flag of 7 and 8),
				 * -1 where the format has none */
};
typedef int (*irk_shim_fn)(void *arg, const struct irk_shim_entry *e);
#define IRK_SHIM_MAX_ENTRIES	100000
int irk_shimcache_parse(const unsigned char *b, size_t len, irk_shim_fn fn,
    void *arg, struct irk_err *err);

#endif
