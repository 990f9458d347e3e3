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
	"(a.command GLOB '*/sh' OR a.command GLOB '*/bash' OR " \
	"a.command GLOB '*/zsh' OR a.command GLOB '*/dash' OR " \
	"a.command GLOB '*/ksh' OR a.command GLOB '*/fish' OR " \
	"a.command GLOB '*/sh -*' OR a.command GLOB '*/bash -*' OR " \
	"a.command GLOB '*/su' OR a.command GLOB '*/su -*' OR " \
	"a.command GLOB '*/su root*')"

/* what the report shows and flags of the typed messages */
#define IRK_LOG_FINDINGS_WHY \
	"behind a finding: logins after failures, logins of nologin " \
	"accounts, new accounts, sudo to a shell"
#define IRK_LOG_FINDINGS_FLAGGED \
	"a login after failures, a login of an account without a shell, " \
	"an account created or added to a group, sudo to a shell"

/*
 * A journal entry whose message rsyslog also wrote to a text log: the
 * log line of the same evidence with the same event, user, address and
 * command within a second (syslog's times are whole seconds).  The
 * finding is the log line's; the journal's rules skip that entry.
 */
#define IRK_LOG_IN_SYSLOG \
	" AND NOT EXISTS (SELECT 1 FROM log_lines x WHERE x.evidence_id = " \
	"a.evidence_id AND x.event = a.event AND x.user IS a.user AND " \
	"x.address IS a.address AND x.command IS a.command AND x.time " \
	"BETWEEN a.time - 1000000 AND a.time + 1000000)"

/*
 * The rules of table T (a string literal), as irk_record_finding rows;
 * SKIP (a string literal, "" for none) is a condition more on the row
 * a finding is about, alias a.
 */
#define IRK_LOG_FINDINGS(T, SKIP) \
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
	    "a.event = 'ssh_accept'" SKIP " GROUP BY a.id HAVING " \
	    "count(DISTINCT coalesce(f.port, f.id)) >= 5" }, \
	{ 50, "SELECT a.id AS id, 'login of an account without a shell: ' " \
	    "|| a.user AS title, 'ssh accepted for ' || a.user || ' whose " \
	    "shell is ' || s.shell AS reason, a.time AS ts, a.path AS path " \
	    "FROM " T " a JOIN accounts s ON s.evidence_id = " \
	    "a.evidence_id AND s.user = a.user WHERE a.evidence_id = ?1 AND " \
	    "a.event = 'ssh_accept' AND (s.shell GLOB '*nologin' OR " \
	    "s.shell GLOB '*/false')" SKIP " GROUP BY a.id" }, \
	{ 30, "SELECT a.id, 'account created: ' || coalesce(a.user, '?') " \
	    "AS title, 'useradd: ' || substr(a.message, 1, 200) AS reason, " \
	    "a.time AS ts, a.path FROM " T " a WHERE a.evidence_id = ?1 AND " \
	    "a.event = 'useradd'" SKIP }, \
	{ 40, "SELECT a.id, 'added to a privileged group: ' || " \
	    "coalesce(a.user, '?') AS title, 'added to ' || a.group_name || " \
	    "': ' || substr(a.message, 1, 200) AS reason, a.time AS ts, " \
	    "a.path FROM " T " a WHERE a.evidence_id = ?1 AND a.event = " \
	    "'usermod' AND a.group_name IN ('sudo', 'wheel', 'admin', " \
	    "'root', 'adm', 'docker', 'lxd', 'disk', 'shadow')" SKIP }, \
	{ 10, "SELECT a.id, 'group membership changed: ' || " \
	    "coalesce(a.user, '?') AS title, substr(a.message, 1, 200) AS " \
	    "reason, a.time AS ts, a.path FROM " T " a WHERE a.evidence_id = " \
	    "?1 AND a.event IN ('usermod', 'groupadd') AND a.group_name IS " \
	    "NOT NULL" SKIP }, \
	{ 40, "SELECT a.id, 'sudo to a shell by ' || coalesce(a.user, '?') " \
	    "AS title, 'sudo: ' || coalesce(a.user, '?') || ' ran ' || " \
	    "substr(a.command, 1, 200) || ' as ' || coalesce(a.run_as, " \
	    "'root') AS reason, a.time AS ts, a.path FROM " T " a WHERE " \
	    "a.evidence_id = ?1 AND a.event = 'sudo' AND a.note IS NULL " \
	    "AND " TO_SHELL SKIP }

#endif
