/*
 * log_findings.h - the findings of typed log messages (logmsg.c), over
 * a table T with the typed columns (event, user, address, port,
 * group_name, command, run_as, note, message, time, path): the syslog
 * lines (log_lines) and the journal's entries (journal_entries) give
 * the same findings for the same messages (docs/logs.md, "Findings of
 * the syslog lines").
 */
#ifndef IRKIT_LOG_FINDINGS_H
#define IRKIT_LOG_FINDINGS_H

/* a shell as sudo's command */
#define TO_SHELL \
	"(command GLOB '*/sh' OR command GLOB '*/bash' OR " \
	"command GLOB '*/zsh' OR command GLOB '*/dash' OR " \
	"command GLOB '*/ksh' OR command GLOB '*/fish' OR " \
	"command GLOB '*/sh -*' OR command GLOB '*/bash -*' OR " \
	"command GLOB '*/su' OR command GLOB '*/su -*' OR " \
	"command GLOB '*/su root*')"

/* what the report shows and flags of the typed messages */
#define IRK_LOG_FINDINGS_WHY \
	"behind a finding: logins after failures, logins of nologin " \
	"accounts, new accounts, sudo to a shell"
#define IRK_LOG_FINDINGS_FLAGGED \
	"a login after failures, a login of an account without a shell, " \
	"an account created or added to a group, sudo to a shell"

/* The rules of table T (a string literal), as irk_record_finding rows. */
#define IRK_LOG_FINDINGS(T) \
	/* five failed attempts (ports told apart) in the ten minutes \
	 * before a login from the same address */ \
	{ 60, "SELECT a.id AS id, 'ssh login after failures from ' || " \
	    "a.address AS title, count(DISTINCT coalesce(f.port, f.id)) || " \
	    "' failed ssh logins from ' || a.address || ' in the 10 minutes " \
	    "before ' || coalesce(a.user, '?') || ' logged in' AS reason, " \
	    "a.time AS ts, a.path AS path FROM " T " a JOIN " T " f " \
	    "ON f.evidence_id = a.evidence_id AND f.address = a.address AND " \
	    "f.event IN ('ssh_fail', 'ssh_invalid_user') AND f.time BETWEEN " \
	    "a.time - 600000000 AND a.time WHERE a.evidence_id = ?1 AND " \
	    "a.event = 'ssh_accept' GROUP BY a.id HAVING count(DISTINCT " \
	    "coalesce(f.port, f.id)) >= 5" }, \
	{ 50, "SELECT l.id AS id, 'login of an account without a shell: ' " \
	    "|| l.user AS title, 'ssh accepted for ' || l.user || ' whose " \
	    "shell is ' || a.shell AS reason, l.time AS ts, l.path AS path " \
	    "FROM " T " l JOIN accounts a ON a.evidence_id = " \
	    "l.evidence_id AND a.user = l.user WHERE l.evidence_id = ?1 AND " \
	    "l.event = 'ssh_accept' AND (a.shell GLOB '*nologin' OR " \
	    "a.shell GLOB '*/false') GROUP BY l.id" }, \
	{ 30, "SELECT id, 'account created: ' || coalesce(user, '?') AS " \
	    "title, 'useradd: ' || substr(message, 1, 200) AS reason, time " \
	    "AS ts, path FROM " T " WHERE evidence_id = ?1 AND event = " \
	    "'useradd'" }, \
	{ 40, "SELECT id, 'added to a privileged group: ' || coalesce(user, " \
	    "'?') AS title, 'added to ' || group_name || ': ' || " \
	    "substr(message, 1, 200) AS reason, time AS ts, path FROM " \
	    T " WHERE evidence_id = ?1 AND event = 'usermod' AND " \
	    "group_name IN ('sudo', 'wheel', 'admin', 'root', 'adm', " \
	    "'docker', 'lxd', 'disk', 'shadow')" }, \
	{ 10, "SELECT id, 'group membership changed: ' || coalesce(user, " \
	    "'?') AS title, substr(message, 1, 200) AS reason, time AS ts, " \
	    "path FROM " T " WHERE evidence_id = ?1 AND event IN " \
	    "('usermod', 'groupadd') AND group_name IS NOT NULL" }, \
	{ 40, "SELECT id, 'sudo to a shell by ' || coalesce(user, '?') AS " \
	    "title, 'sudo: ' || coalesce(user, '?') || ' ran ' || " \
	    "substr(command, 1, 200) || ' as ' || coalesce(run_as, 'root') " \
	    "AS reason, time AS ts, path FROM " T " WHERE evidence_id = " \
	    "?1 AND event = 'sudo' AND note IS NULL AND " TO_SHELL }

#endif
