/*
 * journal_read.c - one systemd journal file read with libsystemd from a
 * private copy, bounded, past damaged entries (see journal_read.h).
 *
 * libsystemd (252) opens a file whose header declares more bytes than
 * it has as unreadable (a truncated copy, a file cut by a full disk):
 * the copy is grown to the declared size with zeros, so the entries
 * before the cut are read.  sd_journal_next() stops at an entry it
 * cannot read (a damaged entry array or entry object): the reader then
 * goes backward from the tail down to the last entry read.  The header's
 * entry count, less the entries read, is what was lost.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <time.h>
#include <unistd.h>

#include <systemd/sd-journal.h>

#include "journal_read.h"
#include "irkit/parse.h"
#include "irkit/le.h"
#include "irkit/banned.h"

#define HEADER_MIN	208	/* bytes of the header read here */
#define CHECK_EVERY	256	/* entries between looks at the clock */
#define PAD_MAX		(1ull << 36)	/* a declared size padded up to */

/* The journal field of each irk_jfield, with its '='. */
static const char *const names[IRK_JF_N] = {
	[IRK_JF_HOSTNAME] = "_HOSTNAME=",
	[IRK_JF_UNIT] = "_SYSTEMD_UNIT=",
	[IRK_JF_USER_UNIT] = "_SYSTEMD_USER_UNIT=",
	[IRK_JF_IDENTIFIER] = "SYSLOG_IDENTIFIER=",
	[IRK_JF_PID] = "_PID=",
	[IRK_JF_UID] = "_UID=",
	[IRK_JF_GID] = "_GID=",
	[IRK_JF_COMM] = "_COMM=",
	[IRK_JF_EXE] = "_EXE=",
	[IRK_JF_CMDLINE] = "_CMDLINE=",
	[IRK_JF_PRIORITY] = "PRIORITY=",
	[IRK_JF_TRANSPORT] = "_TRANSPORT=",
	[IRK_JF_MESSAGE] = "MESSAGE=",
};

/* One reading: the entry being filled and where the reading is. */
struct jread {
	sd_journal *j;
	const struct irk_jread_limits *lim;
	irk_jentry_fn fn;
	void *arg;
	struct irk_jread_stats *st;
	struct irk_jentry e;
	char *buf[IRK_JF_N];		/* the fields' own copies */
	uint64_t max_seq;		/* the highest seqnum read forward */
	uint64_t prev_seq;
	int64_t prev_time;
	char prev_boot[33];
	int64_t deadline;		/* CLOCK_MONOTONIC µs, 0: none */
};

int
irk_journal_tmpfile(char name[IRK_JTMP_NAME], struct irk_err *err)
{
	struct statfs sf;
	int fd;

	(void)snprintf(name, IRK_JTMP_NAME, "%s/irkit-journal-XXXXXX",
	    IRK_JTMP_DIR);
	if (statfs(IRK_JTMP_DIR, &sf) != 0 || sf.f_type != TMPFS_MAGIC) {
		irk_err_set(err, ENOTSUP, "no tmpfs at '%s' to read journal "
		    "files in memory", IRK_JTMP_DIR);
		return -1;
	}
	if ((fd = mkostemp(name, O_CLOEXEC)) < 0)
		irk_err_set(err, errno, "cannot make a file in '%s'",
		    IRK_JTMP_DIR);
	return fd;
}

static int64_t
mono_us(void)
{
	struct timespec ts;

	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void
hex_id(char out[33], const unsigned char *p)
{
	for (int i = 0; i < 16; i++)
		(void)snprintf(out + 2 * i, 3, "%02x", p[i]);
}

/* Keep the first damage in words. */
static void damage(struct irk_jread_stats *st, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
damage(struct irk_jread_stats *st, const char *fmt, ...)
{
	va_list ap;

	if (st->error[0] != '\0')
		return;
	va_start(ap, fmt);
	(void)vsnprintf(st->error, sizeof(st->error), fmt, ap);
	va_end(ap);
}

/*
 * Read the header's sizes, counts and ids; grow a truncated file to the
 * size the header declares (a sparse tail: no memory).
 */
static int
prepare(int fd, uint64_t size, struct irk_jread_stats *st,
    struct irk_err *err)
{
	unsigned char h[HEADER_MIN];
	static const char *const states[] = { "offline", "online",
	    "archived" };

	if (size < HEADER_MIN || pread(fd, h, sizeof(h), 0) !=
	    (ssize_t)sizeof(h) || memcmp(h, "LPKSHHRH", 8) != 0) {
		irk_err_set(err, EBADMSG, "not a journal file (no header)");
		return IRK_FAIL;
	}
	st->state = h[16] < 3 ? states[h[16]] : "?";
	hex_id(st->file_id, h + 24);
	hex_id(st->seqnum_id, h + 72);
	st->declared = irk_le64(h + 88) + irk_le64(h + 96);
	st->header_entries = irk_le64(h + 152);
	/* sparse: the zeros cost no memory until read */
	if (st->declared > size && st->declared >= irk_le64(h + 88) &&
	    st->declared <= PAD_MAX) {
		if (ftruncate(fd, (off_t)st->declared) != 0) {
			irk_err_set(err, errno, "cannot pad the truncated file");
			return IRK_FAIL;
		}
		st->padded = 1;
	}
	return IRK_OK;
}

/* Keep one field's value if it is one of ours ("NAME=value"). */
static void
keep_field(struct jread *jr, const char *d, size_t l)
{
	for (int i = 0; i < IRK_JF_N; i++) {
		size_t nl = strlen(names[i]);
		size_t max = i == IRK_JF_MESSAGE ? IRK_JMSG_MAX : IRK_JFIELD_MAX;
		struct irk_jvalue *v = &jr->e.f[i];

		if (l < nl || memcmp(d, names[i], nl) != 0)
			continue;
		if (v->data != NULL)
			return;		/* a field twice: the first kept */
		v->len = l - nl > max ? max : l - nl;
		v->cut = l - nl > max;
		memcpy(jr->buf[i], d + nl, v->len);
		v->data = jr->buf[i];
		return;
	}
}

/* The sequence number in a cursor ("...;i=HEX;..."), 0 if none. */
static uint64_t
cursor_seqnum(const char *c)
{
	const char *p = strstr(c, ";i=");
	uint64_t v = 0;
	size_t n = 0;

	if (p == NULL)
		return 0;
	p += 3;
	while (p[n] != '\0' && p[n] != ';')
		n++;
	if (irk_parse_u64n(p, n, 16, UINT64_MAX, &v) != 0)
		return 0;
	return v;
}

/* Is this entry out of order against the previous one read forward? */
static void
check_order(struct jread *jr, int forward)
{
	struct irk_jentry *e = &jr->e;

	if (forward && jr->st->entries > 0 &&
	    (e->seqnum <= jr->prev_seq || (strcmp(e->boot_id,
	    jr->prev_boot) == 0 && e->realtime < jr->prev_time)))
		jr->st->out_of_order++;
	jr->prev_seq = e->seqnum;
	jr->prev_time = e->realtime;
	memcpy(jr->prev_boot, e->boot_id, sizeof(jr->prev_boot));
}

/* The entry the journal is at, read and handed to fn. */
static int
one_entry(struct jread *jr, int forward)
{
	struct irk_jentry *e = &jr->e;
	char *cursor = NULL;
	const void *d;
	size_t l;
	sd_id128_t boot;
	uint64_t rt, mono;
	int r;

	memset(e->f, 0, sizeof(e->f));
	e->nfields = 0;
	if ((r = sd_journal_get_cursor(jr->j, &cursor)) < 0 ||
	    (r = sd_journal_get_realtime_usec(jr->j, &rt)) < 0 ||
	    (r = sd_journal_get_monotonic_usec(jr->j, &mono, &boot)) < 0) {
		free(cursor);
		return r;
	}
	e->cursor = cursor;
	e->seqnum = cursor_seqnum(cursor);
	e->realtime = rt > INT64_MAX ? INT64_MAX : (int64_t)rt;
	e->monotonic = mono > INT64_MAX ? INT64_MAX : (int64_t)mono;
	(void)sd_id128_to_string(boot, e->boot_id);
	SD_JOURNAL_FOREACH_DATA(jr->j, d, l) {
		e->nfields++;
		keep_field(jr, d, l);
	}
	check_order(jr, forward);
	r = jr->fn(jr->arg, e);
	free(cursor);
	e->cursor = NULL;
	if (r == IRK_FATAL)
		return r;
	jr->st->entries++;
	if (jr->st->first == INT64_MIN || e->realtime < jr->st->first)
		jr->st->first = e->realtime;
	if (jr->st->last == INT64_MIN || e->realtime > jr->st->last)
		jr->st->last = e->realtime;
	return 0;
}

/* A limit reached?  Said in st->cut. */
static int
limit(struct jread *jr)
{
	if (jr->lim == NULL)
		return 0;
	if (jr->lim->max_entries > 0 &&
	    jr->st->entries >= jr->lim->max_entries) {
		jr->st->cut = "entries";
		return 1;
	}
	if (jr->deadline != 0 && jr->st->entries % CHECK_EVERY == 0 &&
	    mono_us() > jr->deadline) {
		jr->st->cut = "time";
		return 1;
	}
	return 0;
}

/* Forward from the head; 1 when stopped by damage. */
static int
read_forward(struct jread *jr)
{
	int r;

	while (!limit(jr)) {
		if ((r = sd_journal_next(jr->j)) == 0)
			return 0;
		if (r > 0)
			r = one_entry(jr, 1);
		if (r == IRK_FATAL)
			return r;
		if (r < 0) {
			damage(jr->st, "an entry cannot be read (%s) after "
			    "%llu entries", strerror(-r),
			    (unsigned long long)jr->st->entries);
			return 1;
		}
		if (jr->e.seqnum > jr->max_seq)
			jr->max_seq = jr->e.seqnum;
	}
	return 0;
}

/* Backward from the tail down to the last entry read forward. */
static int
read_backward(struct jread *jr)
{
	int r;

	if (sd_journal_seek_tail(jr->j) < 0)
		return 0;
	while (!limit(jr)) {
		uint64_t seq;
		char *cursor = NULL;

		if ((r = sd_journal_previous(jr->j)) == 0)
			return 0;
		if (r < 0) {
			damage(jr->st, "an entry cannot be read backward "
			    "(%s) after %llu entries", strerror(-r),
			    (unsigned long long)jr->st->entries);
			return 0;
		}
		if (sd_journal_get_cursor(jr->j, &cursor) < 0)
			return 0;
		seq = cursor_seqnum(cursor);
		free(cursor);
		if (seq <= jr->max_seq)
			return 0;
		if ((r = one_entry(jr, 0)) == IRK_FATAL)
			return r;
		if (r < 0)
			return 0;
	}
	return 0;
}

static int
read_all(struct jread *jr)
{
	int r = read_forward(jr);

	if (r == 1)
		r = read_backward(jr);
	if (r == IRK_FATAL)
		return r;
	if (jr->st->cut == NULL &&
	    jr->st->header_entries > jr->st->entries)
		jr->st->unreadable = jr->st->header_entries - jr->st->entries;
	return IRK_OK;
}

int
irk_journal_read_fd(int fd, const char *name, uint64_t size,
    const struct irk_jread_limits *lim, irk_jentry_fn fn, void *arg,
    struct irk_jread_stats *st, struct irk_err *err)
{
	struct jread jr;
	int fds[1] = { fd };
	int r = IRK_FATAL;

	memset(st, 0, sizeof(*st));
	st->size = size;
	st->first = st->last = INT64_MIN;
	st->state = "?";
	r = prepare(fd, size, st, err);
	if (r != IRK_OK) {
		if (name != NULL)
			(void)unlink(name);
		(void)close(fd);
		return r;
	}
	memset(&jr, 0, sizeof(jr));
	jr.lim = lim;
	jr.fn = fn;
	jr.arg = arg;
	jr.st = st;
	if (lim != NULL && lim->max_us > 0)
		jr.deadline = mono_us() + lim->max_us;
	for (int i = 0; i < IRK_JF_N; i++)
		if ((jr.buf[i] = malloc(i == IRK_JF_MESSAGE ? IRK_JMSG_MAX :
		    IRK_JFIELD_MAX)) == NULL) {
			if (name != NULL)
				(void)unlink(name);
			(void)close(fd);
			r = IRK_FATAL;
			goto out;
		}
	r = sd_journal_open_files_fd(&jr.j, fds, 1, 0);
	/* libsystemd holds it: no name left behind */
	if (name != NULL)
		(void)unlink(name);
	if (r < 0) {
		/* not taken: still ours */
		(void)close(fd);
		irk_err_set(err, -r, "not readable as a journal: %s",
		    strerror(-r));
		r = IRK_FAIL;
		goto out;
	}
	/* a field is read no longer than what is kept of it */
	(void)sd_journal_set_data_threshold(jr.j, IRK_JMSG_MAX + 64);
	r = read_all(&jr);
	sd_journal_close(jr.j);
out:
	for (int i = 0; i < IRK_JF_N; i++)
		free(jr.buf[i]);
	return r;
}
