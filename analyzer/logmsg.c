/*
 * logmsg.c - typed log messages (logmsg.h).  Each form is matched from
 * its first words; a message that does not follow the form to its end
 * is left untyped rather than half read.
 */
#include <string.h>

#include "logmsg.h"
#include "irkit/banned.h"

struct cur {
	const char *p, *end;
};

/* The literal s next: skipped, 1. */
static int
eat(struct cur *c, const char *s)
{
	size_t n = strlen(s);

	if ((size_t)(c->end - c->p) < n || memcmp(c->p, s, n) != 0)
		return 0;
	c->p += n;
	return 1;
}

/* Up to the next space (or the end). */
static struct irk_span
word(struct cur *c)
{
	struct irk_span w = { c->p, 0 };

	while (c->p < c->end && *c->p != ' ')
		c->p++;
	w.n = (size_t)(c->p - w.p);
	return w;
}

/* Up to the next sep (not taken), or to the end when none. */
static struct irk_span
upto(struct cur *c, const char *sep)
{
	struct irk_span w = { c->p, 0 };
	size_t n = strlen(sep);
	const char *q = c->p;

	while (q + n <= c->end && memcmp(q, sep, n) != 0)
		q++;
	if (q + n > c->end)
		q = c->end;
	w.n = (size_t)(q - w.p);
	c->p = q;
	return w;
}

static struct irk_span
restof(struct cur *c)
{
	struct irk_span w = { c->p, (size_t)(c->end - c->p) };

	c->p = c->end;
	return w;
}

static int
prog_is(const char *prog, size_t plen, const char *name)
{
	return strlen(name) == plen && memcmp(prog, name, plen) == 0;
}

/* "from ADDR port PORT[ ssh2[: KEY]]" */
static int
ssh_from(struct cur *c, struct irk_logmsg *m)
{
	if (!eat(c, " from "))
		return 0;
	m->address = word(c);
	if (eat(c, " port "))
		m->port = word(c);
	while (c->p < c->end && *c->p == ' ')
		c->p++;
	if (eat(c, "ssh2: "))
		m->key = restof(c);
	return m->address.n > 0;
}

static int
sshd(struct cur *c, struct irk_logmsg *m)
{
	if (eat(c, "Accepted "))
		m->event = "ssh_accept";
	else if (eat(c, "Failed "))
		m->event = "ssh_fail";
	if (m->event != NULL) {
		m->method = word(c);
		if (!eat(c, " for "))
			return 0;
		if (eat(c, "invalid user "))
			m->note = (struct irk_span){ "invalid user", 12 };
		/* a user name may hold spaces: up to " from " */
		m->user = upto(c, " from ");
		return ssh_from(c, m);
	}
	if (eat(c, "Invalid user ")) {
		m->event = "ssh_invalid_user";
		m->user = upto(c, " from ");
		return ssh_from(c, m);
	}
	return 0;
}

/* "al : TTY=pts/0 ; PWD=/home/al ; USER=root ; COMMAND=/bin/bash" */
static int
sudo(struct cur *c, struct irk_logmsg *m)
{
	while (c->p < c->end && *c->p == ' ')
		c->p++;
	m->user = upto(c, " : ");
	if (!eat(c, " : ") || m->user.n == 0)
		return 0;
	m->event = "sudo";
	if (!(c->end - c->p >= 4 && memcmp(c->p, "TTY=", 4) == 0))
		m->note = upto(c, " ; ");
	while (c->p < c->end) {
		(void)eat(c, " ; ");
		if (eat(c, "TTY="))
			m->tty = upto(c, " ; ");
		else if (eat(c, "PWD="))
			m->cwd = upto(c, " ; ");
		else if (eat(c, "USER="))
			m->run_as = upto(c, " ; ");
		else if (eat(c, "COMMAND="))
			m->command = restof(c);
		else
			(void)upto(c, " ; ");
	}
	return 1;
}

/* "user(uid=0)" -> "user" */
static struct irk_span
pam_user(struct cur *c)
{
	struct irk_span w = word(c);

	for (size_t i = 0; i < w.n; i++)
		if (w.p[i] == '(')
			w.n = i;
	return w;
}

static int
su(struct cur *c, struct irk_logmsg *m)
{
	m->event = "su";
	if (eat(c, "(to ")) {
		m->run_as = upto(c, ") ");
		if (!eat(c, ") "))
			return 0;
		m->user = upto(c, " on ");
		if (eat(c, " on "))
			m->tty = restof(c);
		return 1;
	}
	if (eat(c, "FAILED su for "))
		m->note = (struct irk_span){ "failed", 6 };
	if (m->note.p != NULL || eat(c, "Successful su for ")) {
		m->run_as = upto(c, " by ");
		if (!eat(c, " by "))
			return 0;
		m->user = restof(c);
		return 1;
	}
	if ((eat(c, "pam_unix(su:session): ") ||
	    eat(c, "pam_unix(su-l:session): ")) &&
	    eat(c, "session opened for user ")) {
		m->run_as = pam_user(c);
		if (eat(c, " by "))
			m->user = pam_user(c);
		return 1;
	}
	m->event = NULL;
	return 0;
}

/* "name=bob, UID=1001, GID=1001, home=/home/bob, shell=/bin/bash" */
static void
key_values(struct cur *c, struct irk_logmsg *m, int group)
{
	while (c->p < c->end) {
		(void)eat(c, ", ");
		if (eat(c, "name=")) {
			if (group)
				m->group = upto(c, ", ");
			else
				m->user = upto(c, ", ");
		} else if (eat(c, "UID="))
			m->uid = upto(c, ", ");
		else if (eat(c, "shell="))
			m->shell = upto(c, ", ");
		else if (eat(c, "home="))
			m->cwd = upto(c, ", ");
		else if (eat(c, "from="))
			m->tty = upto(c, ", ");
		else
			(void)upto(c, ", ");
	}
}

/* 'quoted' */
static struct irk_span
quoted(struct cur *c)
{
	struct irk_span w = { NULL, 0 };

	if (!eat(c, "'"))
		return w;
	w = upto(c, "'");
	(void)eat(c, "'");
	return w;
}

static int
accounts(const char *prog, size_t plen, struct cur *c, struct irk_logmsg *m)
{
	if (eat(c, "new user: ")) {
		m->event = "useradd";
		key_values(c, m, 0);
		return m->user.n > 0;
	}
	if (eat(c, "new group: ") || eat(c, "group added to /etc/group: ")) {
		m->event = "groupadd";
		key_values(c, m, 1);
		return m->group.n > 0;
	}
	if (prog_is(prog, plen, "usermod") && eat(c, "add ")) {
		m->event = "usermod";
		m->user = quoted(c);
		if (eat(c, " to shadow group ") || eat(c, " to group "))
			m->group = quoted(c);
		return m->user.n > 0 && m->group.n > 0;
	}
	if (prog_is(prog, plen, "usermod") && (eat(c, "change user ") ||
	    eat(c, "lock user ") || eat(c, "unlock user "))) {
		m->event = "usermod";
		m->user = quoted(c);
		m->note = restof(c);
		return m->user.n > 0;
	}
	if (prog_is(prog, plen, "gpasswd") && eat(c, "user ")) {
		m->event = "usermod";
		m->user = word(c);
		if (!eat(c, " added by "))
			return 0;
		(void)word(c);
		if (!eat(c, " to group "))
			return 0;
		m->group = restof(c);
		return 1;
	}
	if (eat(c, "pam_unix(passwd:chauthtok): password changed for ") ||
	    eat(c, "pam_unix(chpasswd:chauthtok): password changed for ")) {
		m->event = "passwd";
		m->user = restof(c);
		return 1;
	}
	return 0;
}

/* "Started foo.service - Foo Service." or "Started Foo Service." */
static int
systemd(struct cur *c, struct irk_logmsg *m)
{
	struct irk_span u;

	if (eat(c, "Started "))
		m->event = "unit_start";
	else if (eat(c, "Stopped "))
		m->event = "unit_stop";
	else
		return 0;
	u = restof(c);
	if (u.n > 0 && u.p[u.n - 1] == '.')
		u.n--;
	for (size_t i = 0; i + 3 <= u.n; i++)
		if (memcmp(u.p + i, " - ", 3) == 0) {
			m->note = (struct irk_span){ u.p + i + 3,
			    u.n - i - 3 };
			u.n = i;
			break;
		}
	m->unit = u;
	return u.n > 0;
}

/* "(root) CMD (command)" */
static int
cron(struct cur *c, struct irk_logmsg *m)
{
	struct irk_span cmd;

	if (!eat(c, "("))
		return 0;
	m->user = upto(c, ") CMD (");
	if (!eat(c, ") CMD ("))
		return 0;
	cmd = restof(c);
	if (cmd.n > 0 && cmd.p[cmd.n - 1] == ')')
		cmd.n--;
	m->event = "cron_cmd";
	m->command = cmd;
	return 1;
}

int
irk_logmsg_classify(const char *prog, size_t plen, const char *msg,
    size_t mlen, struct irk_logmsg *m)
{
	struct cur c = { msg, msg + mlen };
	int r = 0;

	memset(m, 0, sizeof(*m));
	if (prog == NULL || msg == NULL)
		return 0;
	while (c.p < c.end && *c.p == ' ')
		c.p++;
	if (prog_is(prog, plen, "sshd") || prog_is(prog, plen, "sshd-session"))
		r = sshd(&c, m);
	else if (prog_is(prog, plen, "sudo"))
		r = sudo(&c, m);
	else if (prog_is(prog, plen, "su"))
		r = su(&c, m);
	else if (prog_is(prog, plen, "useradd") ||
	    prog_is(prog, plen, "groupadd") || prog_is(prog, plen, "usermod") ||
	    prog_is(prog, plen, "gpasswd") || prog_is(prog, plen, "passwd") ||
	    prog_is(prog, plen, "chpasswd"))
		r = accounts(prog, plen, &c, m);
	else if (prog_is(prog, plen, "systemd") || prog_is(prog, plen, "init"))
		r = systemd(&c, m);
	else if (prog_is(prog, plen, "CRON") || prog_is(prog, plen, "cron") ||
	    prog_is(prog, plen, "crond"))
		r = cron(&c, m);
	if (!r)
		memset(m, 0, sizeof(*m));
	return r;
}
