/*
 * logmsg.h - what a log message says, typed: sshd logins (accepted,
 * failed, invalid user), sudo, su, useradd/usermod/groupadd/passwd,
 * systemd unit starts and stops, cron command runs (docs/logs.md,
 * "Typed messages").  Pure: the program's name and the message in,
 * spans into the message out; used on syslog lines and on the
 * journal's MESSAGE fields.
 */
#ifndef IRKIT_LOGMSG_H
#define IRKIT_LOGMSG_H

#include <stddef.h>

#include "span.h"

struct irk_logmsg {
	const char *event;	/* "ssh_accept", "ssh_fail",
				   "ssh_invalid_user", "sudo", "su",
				   "useradd", "usermod", "groupadd", "passwd",
				   "unit_start", "unit_stop", "cron_cmd"; NULL:
				   not typed */
	struct irk_span user;	/* who (sshd: the account logged into) */
	struct irk_span method;	/* sshd: password, publickey... */
	struct irk_span address, port;
	struct irk_span key;	/* sshd: key type and fingerprint */
	struct irk_span tty, cwd;
	struct irk_span run_as;	/* sudo USER=, su's target */
	struct irk_span command;
	struct irk_span group, uid, shell;
	struct irk_span unit;
	struct irk_span note;	/* "failed", "3 incorrect password
				   attempts"... */
};

/*
 * Type msg (mlen bytes) of program prog (plen bytes; sshd, sshd-session,
 * sudo, su, useradd, usermod, groupadd, gpasswd, passwd, chpasswd,
 * systemd, CRON/cron/crond).  Returns 1 when typed (m->event set).
 */
int irk_logmsg_classify(const char *prog, size_t plen, const char *msg,
    size_t mlen, struct irk_logmsg *m);

#endif
