/*
 * test_logmsg.c - typed log messages (analyzer/logmsg.c) and the syslog
 * line forms (analyzer/syslog_parse.c), messages as sshd, sudo, su,
 * shadow's tools, systemd and cron write them.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "logmsg.h"
#include "syslog_parse.h"

struct want {
	const char *prog, *msg, *event, *user, *address, *port, *run_as,
	    *command, *group, *unit, *note, *key, *tty;
};

static void
same(struct irk_span s, const char *want, const char *what,
    const char *msg)
{
	char got[256];

	(void)snprintf(got, sizeof(got), "%.*s", (int)s.n, s.p ? s.p : "");
	if (strcmp(got, want ? want : "") != 0)
		fail_msg("%s of '%s': got '%s', want '%s'", what, msg, got,
		    want ? want : "");
}

static void
test_typed(void **state)
{
	static const struct want w[] = {
		{ "sshd", "Accepted publickey for al from 10.0.0.1 port 51234 "
		    "ssh2: RSA SHA256:abc", "ssh_accept", "al", "10.0.0.1",
		    "51234", NULL, NULL, NULL, NULL, NULL, "RSA SHA256:abc",
		    NULL },
		{ "sshd-session", "Failed password for invalid user bob from "
		    "2001:db8::1 port 4 ssh2", "ssh_fail", "bob", "2001:db8::1",
		    "4", NULL, NULL, NULL, NULL, "invalid user", NULL, NULL },
		{ "sshd", "Invalid user x y from 1.2.3.4 port 5", "ssh_invalid_user",
		    "x y", "1.2.3.4", "5", NULL, NULL, NULL, NULL, NULL, NULL,
		    NULL },
		{ "sshd", "Connection closed by 1.2.3.4 port 5", NULL, NULL,
		    NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL },
		{ "sudo", "    al : TTY=pts/0 ; PWD=/home/al ; USER=root ; "
		    "COMMAND=/bin/sh -c id ; echo", "sudo", "al", NULL, NULL,
		    "root", "/bin/sh -c id ; echo", NULL, NULL, NULL, NULL,
		    "pts/0" },
		{ "sudo", "bo : 3 incorrect password attempts ; TTY=pts/1 ; "
		    "PWD=/ ; USER=root ; COMMAND=/bin/ls", "sudo", "bo", NULL,
		    NULL, "root", "/bin/ls", NULL, NULL,
		    "3 incorrect password attempts", NULL, "pts/1" },
		{ "su", "(to root) al on pts/1", "su", "al", NULL, NULL, "root",
		    NULL, NULL, NULL, NULL, NULL, "pts/1" },
		{ "su", "FAILED su for root by al", "su", "al", NULL, NULL,
		    "root", NULL, NULL, NULL, "failed", NULL, NULL },
		{ "su", "pam_unix(su-l:session): session opened for user "
		    "root(uid=0) by al(uid=1000)", "su", "al", NULL, NULL,
		    "root", NULL, NULL, NULL, NULL, NULL, NULL },
		{ "useradd", "new user: name=eve, UID=1003, GID=1003, "
		    "home=/home/eve, shell=/bin/bash, from=/dev/pts/0",
		    "useradd", "eve", NULL, NULL, NULL, NULL, NULL, NULL, NULL,
		    NULL, "/dev/pts/0" },
		{ "groupadd", "new group: name=ops, GID=1004", "groupadd", NULL,
		    NULL, NULL, NULL, NULL, "ops", NULL, NULL, NULL, NULL },
		{ "usermod", "add 'eve' to shadow group 'sudo'", "usermod",
		    "eve", NULL, NULL, NULL, NULL, "sudo", NULL, NULL, NULL,
		    NULL },
		{ "gpasswd", "user eve added by root to group docker", "usermod",
		    "eve", NULL, NULL, NULL, NULL, "docker", NULL, NULL, NULL,
		    NULL },
		{ "passwd", "pam_unix(passwd:chauthtok): password changed for "
		    "eve", "passwd", "eve", NULL, NULL, NULL, NULL, NULL, NULL,
		    NULL, NULL, NULL },
		{ "systemd", "Started ssh.service - OpenBSD Secure Shell "
		    "server.", "unit_start", NULL, NULL, NULL, NULL, NULL, NULL,
		    "ssh.service", "OpenBSD Secure Shell server", NULL, NULL },
		{ "systemd", "Stopped Daily apt activities.", "unit_stop", NULL,
		    NULL, NULL, NULL, NULL, NULL, "Daily apt activities", NULL,
		    NULL, NULL },
		{ "CRON", "(root) CMD (cd / && run-parts --report "
		    "/etc/cron.hourly)", "cron_cmd", "root", NULL, NULL, NULL,
		    "cd / && run-parts --report /etc/cron.hourly", NULL, NULL,
		    NULL, NULL, NULL },
		{ "kernel", "Accepted password for al from 1.2.3.4 port 1 ssh2",
		    NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
		    NULL },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(w) / sizeof(w[0]); i++) {
		struct irk_logmsg m;
		int r = irk_logmsg_classify(w[i].prog, strlen(w[i].prog),
		    w[i].msg, strlen(w[i].msg), &m);

		assert_int_equal(r, w[i].event != NULL);
		if (w[i].event == NULL) {
			assert_null(m.event);
			continue;
		}
		assert_string_equal(m.event, w[i].event);
		same(m.user, w[i].user, "user", w[i].msg);
		same(m.address, w[i].address, "address", w[i].msg);
		same(m.port, w[i].port, "port", w[i].msg);
		same(m.run_as, w[i].run_as, "run_as", w[i].msg);
		same(m.command, w[i].command, "command", w[i].msg);
		same(m.group, w[i].group, "group", w[i].msg);
		same(m.unit, w[i].unit, "unit", w[i].msg);
		same(m.note, w[i].note, "note", w[i].msg);
		same(m.key, w[i].key, "key", w[i].msg);
		same(m.tty, w[i].tty, "tty", w[i].msg);
	}
}

static void
test_forms(void **state)
{
	struct irk_syslog s;
	const char *l;

	(void)state;
	l = "Feb  6 15:16:30 victoria process[2085]: Test";
	irk_syslog_parse(l, strlen(l), &s);
	assert_int_equal(s.form, IRK_SYSLOG_TRAD);
	assert_int_equal(s.mon * 100 + s.mday, 206);
	same(s.host, "victoria", "host", l);
	same(s.prog, "process", "prog", l);
	assert_int_equal(s.pid, 2085);
	same(s.msg, "Test", "msg", l);
	l = "2024-07-01T12:00:00.123456+02:00 h CRON[5]: x";
	irk_syslog_parse(l, strlen(l), &s);
	assert_int_equal(s.form, IRK_SYSLOG_RFC3339);
	assert_int_equal(s.has_off, 1);
	assert_int_equal(s.off, 7200);
	assert_int_equal(s.usec, 123456);
	l = "<34>1 2003-10-11T22:14:15.003Z mymachine su - ID47 "
	    "[exampleSDID@32473 iut=\"3\" x=\"a\\]b\"] BOM'su root' failed";
	irk_syslog_parse(l, strlen(l), &s);
	assert_int_equal(s.form, IRK_SYSLOG_RFC5424);
	assert_int_equal(s.pri, 34);
	same(s.prog, "su", "prog", l);
	same(s.msgid, "ID47", "msgid", l);
	same(s.sdata, "[exampleSDID@32473 iut=\"3\" x=\"a\\]b\"]", "sdata", l);
	same(s.msg, "BOM'su root' failed", "msg", l);
	/* not a time: a continuation */
	l = "MMM 22 07:54:32 h x: y";
	irk_syslog_parse(l, strlen(l), &s);
	assert_int_equal(s.form, IRK_SYSLOG_NONE);
	l = "Jan 32 07:54:32 h x: y";
	irk_syslog_parse(l, strlen(l), &s);
	assert_int_equal(s.form, IRK_SYSLOG_NONE);
	l = "Jan 2 25:54:32 h x: y";
	irk_syslog_parse(l, strlen(l), &s);
	assert_int_equal(s.form, IRK_SYSLOG_NONE);
	/* cut anywhere: never past the end (run under ASan) */
	l = "<13>Jan  2 07:54:32.5 host prog[12]: msg";
	for (size_t n = 0; n <= strlen(l); n++)
		irk_syslog_parse(l, n, &s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_typed),
		cmocka_unit_test(test_forms),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
