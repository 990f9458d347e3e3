/*
 * test_journal_read.c - the journal reader's limits and its in-memory
 * file (analyzer/journal_read.c), on a journal systemd-journal-remote
 * writes here from export format text (skipped without it).
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "journal_read.h"

#define REMOTE	"/lib/systemd/systemd-journal-remote"
#define N	600

static char dir[] = "/tmp/irkit-jtest.XXXXXX";
static char path[128];

/* N entries in export format into journal-remote's stdin. */
static int
make_journal(void **state)
{
	int p[2], st;
	pid_t pid;
	FILE *fp;

	(void)state;
	if (access(REMOTE, X_OK) != 0)
		return 0;
	assert_non_null(mkdtemp(dir));
	(void)snprintf(path, sizeof(path), "%s/t.journal", dir);
	assert_int_equal(pipe(p), 0);
	if ((pid = fork()) == 0) {
		(void)dup2(p[0], 0);
		(void)close(p[1]);
		/* its log to /dev/null: a closed 2 would become the file */
		(void)dup2(open("/dev/null", O_WRONLY), 2);
		execl(REMOTE, REMOTE, "-o", path, "-", (char *)NULL);
		_exit(127);
	}
	(void)close(p[0]);
	assert_non_null(fp = fdopen(p[1], "w"));
	for (int i = 0; i < N; i++)
		fprintf(fp, "__REALTIME_TIMESTAMP=%lld\n"
		    "__MONOTONIC_TIMESTAMP=%d\n_BOOT_ID=%s\nMESSAGE=m%d\n"
		    "_PID=%d\n\n", 1700000000000000LL + i * 1000LL,
		    1000000 + i, "0123456789abcdef0123456789abcdef", i, i);
	fclose(fp);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	return 0;
}

static int
cleanup(void **state)
{
	(void)state;
	if (path[0] != '\0') {
		(void)unlink(path);
		(void)rmdir(dir);
	}
	return 0;
}

/* The journal in a new in-memory file: its fd, its name in name. */
static int
load(char name[IRK_JTMP_NAME], uint64_t *size)
{
	struct irk_err err;
	char buf[65536];
	ssize_t n;
	int in, fd;

	assert_true((fd = irk_journal_tmpfile(name, &err)) >= 0);
	assert_true((in = open(path, O_RDONLY)) >= 0);
	*size = 0;
	while ((n = read(in, buf, sizeof(buf))) > 0) {
		assert_int_equal(write(fd, buf, (size_t)n), n);
		*size += (uint64_t)n;
	}
	(void)close(in);
	return fd;
}

struct seen {
	int n;
	int stop_at;
};

static int
count(void *arg, const struct irk_jentry *e)
{
	struct seen *s = arg;

	assert_non_null(e->cursor);
	assert_int_equal(e->realtime, 1700000000000000LL + s->n * 1000LL);
	s->n++;
	return s->n == s->stop_at ? IRK_FATAL : IRK_OK;
}

static void
read_with(const struct irk_jread_limits *lim, struct seen *s,
    struct irk_jread_stats *st, int want)
{
	char name[IRK_JTMP_NAME];
	struct irk_err err;
	uint64_t size;
	int fd = load(name, &size);

	err.msg[0] = '\0';
	if (irk_journal_read_fd(fd, name, size, lim, count, s, st, &err) !=
	    want)
		fail_msg("read: %s (%llu bytes)", err.msg,
		    (unsigned long long)size);
	/* unlinked once open, and the fd is closed */
	assert_int_equal(access(name, F_OK), -1);
	assert_int_equal(fcntl(fd, F_GETFD), -1);
}

static void
test_whole(void **state)
{
	struct irk_jread_limits lim = { 0, 0 };
	struct irk_jread_stats st;
	struct seen s = { 0, -1 };

	(void)state;
	if (path[0] == '\0')
		skip();
	read_with(&lim, &s, &st, IRK_OK);
	assert_int_equal(s.n, N);
	assert_int_equal(st.entries, N);
	assert_int_equal(st.header_entries, N);
	assert_int_equal(st.unreadable, 0);
	assert_null(st.cut);
	assert_string_equal(st.state, "offline");
}

/* The entry limit: the first ones read, the cut said. */
static void
test_entry_limit(void **state)
{
	struct irk_jread_limits lim = { 3, 0 };
	struct irk_jread_stats st;
	struct seen s = { 0, -1 };

	(void)state;
	if (path[0] == '\0')
		skip();
	read_with(&lim, &s, &st, IRK_OK);
	assert_int_equal(st.entries, 3);
	assert_string_equal(st.cut, "entries");
	/* a cut file's unread entries are no damage */
	assert_int_equal(st.unreadable, 0);
}

/* The time limit, looked at every 256 entries: 1 µs is past at once. */
static void
test_time_limit(void **state)
{
	struct irk_jread_limits lim = { 0, 1 };
	struct irk_jread_stats st;
	struct seen s = { 0, -1 };

	(void)state;
	if (path[0] == '\0')
		skip();
	usleep(10);
	read_with(&lim, &s, &st, IRK_OK);
	assert_true(st.entries < N);
	assert_string_equal(st.cut, "time");
}

/* The callback's IRK_FATAL stops the reading and is returned. */
static void
test_fatal_stops(void **state)
{
	struct irk_jread_limits lim = { 0, 0 };
	struct irk_jread_stats st;
	struct seen s = { 0, 5 };

	(void)state;
	if (path[0] == '\0')
		skip();
	read_with(&lim, &s, &st, IRK_FATAL);
	assert_int_equal(s.n, 5);
}

/* Not a journal: refused, the file gone, the fd closed. */
static void
test_not_journal(void **state)
{
	struct irk_jread_stats st;
	struct irk_err err;
	char name[IRK_JTMP_NAME];
	struct seen s = { 0, -1 };
	int fd;

	(void)state;
	assert_true((fd = irk_journal_tmpfile(name, &err)) >= 0);
	assert_int_equal(write(fd, "LPKSHHRX", 8), 8);
	assert_int_equal(irk_journal_read_fd(fd, name, 8, NULL, count, &s,
	    &st, &err), IRK_FAIL);
	assert_non_null(strstr(err.msg, "not a journal file"));
	assert_int_equal(access(name, F_OK), -1);
	assert_int_equal(fcntl(fd, F_GETFD), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_whole),
		cmocka_unit_test(test_entry_limit),
		cmocka_unit_test(test_time_limit),
		cmocka_unit_test(test_fatal_stops),
		cmocka_unit_test(test_not_journal),
	};

	return cmocka_run_group_tests(tests, make_journal, cleanup);
}
