/*
 * proc_parse.h - pure parsers for the text of /proc: bytes in, values
 * out, no I/O.  Used by the process collector (processes.c), the unit
 * tests (tests/unit/test_proc_parse.c) and the fuzz harness
 * (tests/fuzz/fuzz_proc_parse.c).
 *
 * Every function takes a span (pointer and length, not necessarily
 * NUL-terminated) and returns 0 on success, -1 on bad or truncated
 * input, never reading past the span.
 */
#ifndef IRKIT_PROC_PARSE_H
#define IRKIT_PROC_PARSE_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

#define IRK_PROC_COMM_MAX	64	/* the kernel keeps 16; fixtures more */
#define IRK_PROC_ADDR_MAX	48	/* INET6_ADDRSTRLEN and some */

/* /proc/<pid>/stat, see proc(5). */
struct irk_proc_stat {
	int64_t pid;
	char comm[IRK_PROC_COMM_MAX];	/* NUL-terminated, cut if longer */
	size_t comm_len;		/* bytes kept in comm */
	char state;
	int64_t ppid;
	int64_t pgrp;
	int64_t session;
	int64_t tty_nr;
	uint64_t flags;			/* PF_*: 0x00200000 kernel thread */
	uint64_t utime;			/* clock ticks */
	uint64_t stime;
	int64_t num_threads;
	uint64_t starttime;		/* clock ticks after boot */
	uint64_t vsize;			/* bytes */
	int64_t rss;			/* pages */
};

/*
 * Parse a stat line.  comm is taken between the first "(" and the LAST
 * ")" so a name holding spaces, "(" or ")" cannot shift the fields.
 */
int irk_proc_parse_stat(const char *s, size_t len, struct irk_proc_stat *out);

/* The lines of /proc/<pid>/status a collector needs. */
struct irk_proc_status {
	int have_uid;
	int have_gid;
	uint32_t uid[4];		/* real, effective, saved, filesystem */
	uint32_t gid[4];
	int64_t tgid;			/* -1 when absent */
	int64_t pid;
	int64_t ppid;
	int64_t threads;
	int64_t vmrss_kb;		/* -1 when absent (kernel threads) */
};

/* Lines that do not parse are ignored; -1 only if no Uid/Gid/Tgid line. */
int irk_proc_parse_status(const char *s, size_t len,
    struct irk_proc_status *out);

/*
 * NUL-separated argv (/proc/<pid>/cmdline) as a JSON array of strings
 * (irk_json_strn: bytes kept, never altered).  A final NUL is optional;
 * an empty span gives an empty array.  NULL only when out of memory.
 */
json_t *irk_proc_parse_cmdline(const char *s, size_t len);

/*
 * Name of a controlling terminal from stat's tty_nr: "pts/3", "tty1",
 * "ttyS0", else "char:MAJ:MIN".  Returns 0, or -1 for "no terminal" (0)
 * or when out is too small.
 */
int irk_proc_tty_name(int64_t tty_nr, char *out, size_t outlen);

/* One socket from /proc/net/{tcp,tcp6,udp,udp6,unix}. */
struct irk_proc_sock {
	uint64_t inode;
	int state;			/* the kernel's number */
	/* inet */
	char local[IRK_PROC_ADDR_MAX];
	char remote[IRK_PROC_ADDR_MAX];
	uint32_t lport;
	uint32_t rport;
	uint32_t uid;
	/* unix */
	int type;			/* 1 stream, 2 dgram, 5 seqpacket */
	int listening;			/* __SO_ACCEPTCON flag */
	const char *path;		/* into the line; NULL if unnamed */
	size_t path_len;
};

/*
 * One line of /proc/net/tcp or udp (v6 = 0) or tcp6/udp6 (v6 = 1).
 * Addresses are printed by the kernel as native-endian 32-bit words of
 * the network-order address; they are decoded to text here ("127.0.0.1",
 * "::1", "::ffff:10.0.0.1").  The header line gives -1.
 */
int irk_proc_parse_inet(const char *line, size_t len, int v6,
    struct irk_proc_sock *out);
/* One line of /proc/net/unix; the header line gives -1. */
int irk_proc_parse_unix(const char *line, size_t len,
    struct irk_proc_sock *out);

/* "ESTABLISHED", "LISTEN"... for TCP; UDP uses "UNCONN" for 7. */
const char *irk_proc_tcp_state(int state);
const char *irk_proc_udp_state(int state);
/* "stream", "dgram", "seqpacket" or "unknown". */
const char *irk_proc_unix_type(int type);
/* "UNCONNECTED", "CONNECTING", "CONNECTED", "DISCONNECTING", "LISTEN". */
const char *irk_proc_unix_state(const struct irk_proc_sock *s);

/* "net:[4026531840]" -> 4026531840 (also "socket:[123]" with name). */
int irk_proc_parse_link_id(const char *s, size_t len, const char *name,
    uint64_t *id);

#endif
