#!/usr/bin/env bats
bats_require_minimum_version 1.5.0
#
# The journal's messages typed as the syslog lines are (docs/logs.md,
# "Typed messages"; analyzer/logmsg.c): the same sshd, sudo, su,
# account, unit and cron messages written once as journal entries (a
# journal made by systemd-journal-remote from export format text) and
# once as auth.log lines give the same typed fields and the same
# findings.  Oracles: journalctl --file F -o json for the entries; the
# auth.log reading for the fields; the expected fields written here.
load helpers

MID=5a1e7c0ffee0400a9b1f6d2a48adfda4

setup() {
	command -v /lib/systemd/systemd-journal-remote >/dev/null ||
		skip "no systemd-journal-remote"
	command -v mkfs.ext4 >/dev/null || skip "no mkfs.ext4"
	setup_scratch
	cd "$SCRATCH"
	export LC_ALL=C.UTF-8
	R=$SCRATCH/root
	mkdir -p "$R/etc" "$R/usr/bin" "$R/var/log/journal/$MID"
	cat > "$R/etc/passwd" <<-'P'
	root:x:0:0:root:/root:/bin/bash
	svc:x:998:998::/nonexistent:/usr/sbin/nologin
	P
}

teardown() {
	teardown_scratch
}

# The messages: "seconds after T0|identifier|pid|message"
messages() {
	cat <<-'EOF'
	0|systemd|1|Started ssh.service - OpenBSD Secure Shell server.
	10|sshd|812|Failed password for root from 203.0.113.9 port 50001 ssh2
	11|sshd|812|Failed password for root from 203.0.113.9 port 50002 ssh2
	12|sshd|812|Failed password for invalid user admin from 203.0.113.9 port 50003 ssh2
	13|sshd|812|Invalid user admin from 203.0.113.9 port 50004
	14|sshd|812|Failed password for root from 203.0.113.9 port 50005 ssh2
	15|sshd|812|Failed password for root from 203.0.113.9 port 50006 ssh2
	20|sshd|813|Accepted password for root from 203.0.113.9 port 50007 ssh2
	30|sshd|814|Accepted publickey for svc from 198.51.100.7 port 40000 ssh2: ED25519 SHA256:Zm9vYmFy
	40|sudo|900|     al : TTY=pts/0 ; PWD=/home/al ; USER=root ; COMMAND=/bin/bash
	50|su|901|(to root) al on pts/1
	60|useradd|902|new user: name=mallory, UID=1005, GID=1005, home=/home/mallory, shell=/bin/bash, from=/dev/pts/0
	61|usermod|903|add 'mallory' to group 'sudo'
	62|groupadd|904|group added to /etc/group: name=ops, GID=1006
	63|passwd|905|pam_unix(passwd:chauthtok): password changed for mallory
	70|CRON|906|(root) CMD (test -x /usr/sbin/anacron || run-parts /etc/cron.daily)
	80|systemd|1|Stopped Daily apt upgrade and clean activities.
	90|kernel|0|not typed: a kernel line
	EOF
}

T0=1700000000

# export FILE: the messages as journal export format text
export_text() {
	messages | python3 -c '
import sys
t0 = int(sys.argv[1])
for i, l in enumerate(sys.stdin):
    s, ident, pid, msg = l.rstrip("\n").split("|", 3)
    t = (t0 + int(s)) * 10**6
    print("__REALTIME_TIMESTAMP=%d" % t)
    print("__MONOTONIC_TIMESTAMP=%d" % (5000000 + i))
    print("_BOOT_ID=0123456789abcdef0123456789abcdef")
    print("_HOSTNAME=web1")
    print("SYSLOG_IDENTIFIER=" + ident)
    print("_PID=" + pid)
    print("_UID=0")
    print("_COMM=" + ident.lower())
    print("_SYSTEMD_UNIT=" + ("init.scope" if ident == "systemd" else ident.lower() + ".service"))
    print("PRIORITY=6")
    print("MESSAGE=" + msg)
    print()' "$T0"
}

# the same messages as auth.log lines (RFC 3339 UTC: the same times)
auth_log() {
	messages | python3 -c '
import datetime as dt, sys
t0 = int(sys.argv[1])
for l in sys.stdin:
    s, ident, pid, msg = l.rstrip("\n").split("|", 3)
    t = dt.datetime.fromtimestamp(t0 + int(s), dt.timezone.utc)
    print("%s web1 %s[%s]: %s" % (t.strftime("%Y-%m-%dT%H:%M:%S.000000+00:00"), ident, pid, msg))' "$T0"
}

# load DB: the root as an ext4 image (no extents: TSK and journal
# files, docs/journal.md) loaded into DB
load_root() {
	rm -f r.raw
	truncate -s 96M r.raw
	mkfs.ext4 -q -F -O ^extent,^64bit -d "$R" r.raw
	run "$ANALYZE" image -q --no-scan --db "$1" r.raw
	[ "$status" -le 1 ]
}

TYPED="event, user, method, address, port, key, tty, cwd, run_as, command, group_name"

@test "logs_journal: journal messages typed as auth.log's lines: the same fields, as journalctl reads the entries" {
	J=$R/var/log/journal/$MID/system.journal
	export_text | /lib/systemd/systemd-journal-remote -o "$J" - 2>/dev/null
	[ -s "$J" ]
	auth_log > "$R/var/log/auth.log"
	load_root c.db
	# the entries are journalctl's (time, identifier, message)
	journalctl --file "$J" -o json --all | python3 -c '
import json, sys
for l in sys.stdin:
    e = json.loads(l)
    print("%s|%s|%s" % (e["__REALTIME_TIMESTAMP"], e["SYSLOG_IDENTIFIER"], e["MESSAGE"]))' | sort > want
	sqlite3 c.db "SELECT time, identifier, message FROM journal_entries" | sort > got
	diff want got
	[ "$(wc -l < got)" -eq 18 ]
	# the typed fields: the same from the journal and from auth.log
	sqlite3 c.db "SELECT time, $TYPED, uid, shell, unit, note FROM log_lines ORDER BY time" > from_log
	sqlite3 c.db "SELECT time, $TYPED, account_uid, shell, target_unit, note FROM journal_entries ORDER BY time" > from_journal
	diff from_log from_journal
	[ "$(sqlite3 c.db "SELECT count(*) FROM journal_entries WHERE event IS NOT NULL")" -eq 17 ]
	# and they are what the messages say (written here)
	[ "$(sqlite3 c.db "SELECT event, user, method, address, port, key FROM journal_entries WHERE time = ($T0 + 30) * 1000000")" = \
	    "ssh_accept|svc|publickey|198.51.100.7|40000|ED25519 SHA256:Zm9vYmFy" ]
	[ "$(sqlite3 c.db "SELECT event, user, tty, cwd, run_as, command FROM journal_entries WHERE identifier = 'sudo'")" = \
	    "sudo|al|pts/0|/home/al|root|/bin/bash" ]
	[ "$(sqlite3 c.db "SELECT event, user, account_uid, shell FROM journal_entries WHERE identifier = 'useradd'")" = "useradd|mallory|1005|/bin/bash" ]
	[ "$(sqlite3 c.db "SELECT event, target_unit, unit FROM journal_entries WHERE time = $T0 * 1000000")" = "unit_start|ssh.service|init.scope" ]
	[ "$(sqlite3 c.db "SELECT event, user, command FROM journal_entries WHERE identifier = 'CRON'")" = \
	    "cron_cmd|root|test -x /usr/sbin/anacron || run-parts /etc/cron.daily" ]
	[ "$(sqlite3 c.db "SELECT count(*) FROM journal_entries WHERE identifier = 'kernel' AND event IS NULL")" -eq 1 ]
}

@test "logs_journal: the journal's typed messages give the findings auth.log's give" {
	J=$R/var/log/journal/$MID/system.journal
	export_text | /lib/systemd/systemd-journal-remote -o "$J" - 2>/dev/null
	load_root j.db
	rm -f "$J"
	auth_log > "$R/var/log/auth.log"
	load_root a.db
	q="SELECT f.title, f.score, f.ts FROM findings f WHERE f.category = 'logs' ORDER BY 1"
	sqlite3 a.db "$q" > from_log
	sqlite3 j.db "$q" > from_journal
	cat from_journal
	diff from_log from_journal
	for t in 'ssh login after failures from 203.0.113.9' \
	    'login of an account without a shell: svc' \
	    'account created: mallory' 'added to a privileged group: mallory' \
	    'sudo to a shell by al'; do
		grep -qF "$t" from_journal
	done
	# the journal's findings link its entries
	[ "$(sqlite3 j.db "SELECT count(DISTINCT l.record_table) FROM finding_links l JOIN findings f ON f.id = l.finding_id WHERE f.category = 'logs'")" -eq 1 ]
	[ "$(sqlite3 j.db "SELECT DISTINCT l.record_table FROM finding_links l JOIN findings f ON f.id = l.finding_id WHERE f.category = 'logs'")" = journal_entries ]
}

@test "logs_journal: a message in both the journal and auth.log (rsyslog's copy) is one finding, the log line's; one only in the journal still counts" {
	J=$R/var/log/journal/$MID/system.journal
	auth_log > "$R/var/log/auth.log"
	load_root a.db
	export_text | /lib/systemd/systemd-journal-remote -o "$J" - 2>/dev/null
	load_root both.db
	q="SELECT f.title, f.score, f.ts FROM findings f WHERE f.category = 'logs' ORDER BY 1"
	sqlite3 a.db "$q" > from_log
	sqlite3 both.db "$q" > from_both
	cat from_both
	[ -s from_log ]
	diff from_log from_both
	[ "$(sqlite3 both.db "SELECT DISTINCT l.record_table FROM finding_links l JOIN findings f ON f.id = l.finding_id WHERE f.category = 'logs'")" = log_lines ]
	# auth.log cut before mallory's useradd: the journal's entry is the
	# only one left, and its finding is there, once, linked to it
	auth_log | grep -v useradd > "$R/var/log/auth.log"
	load_root cut.db
	[ "$(sqlite3 cut.db "SELECT count(*) FROM findings WHERE title = 'account created: mallory'")" -eq 1 ]
	[ "$(sqlite3 cut.db "SELECT l.record_table FROM finding_links l JOIN findings f ON f.id = l.finding_id WHERE f.title = 'account created: mallory'")" = journal_entries ]
	[ "$(sqlite3 cut.db "SELECT count(*) FROM findings WHERE category = 'logs'")" -eq "$(wc -l < from_log)" ]
}
