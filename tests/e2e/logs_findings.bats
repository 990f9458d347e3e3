#!/usr/bin/env bats
bats_require_minimum_version 1.5.0
#
# Findings of tampering with the logs (docs/logs.md, "Findings of the
# syslog lines"; docs/FORMAT.md 4.10): an empty wtmp beside a lastlog
# with entries; a log that shrank between two collections of one host;
# a gap between a rotation and the next.  Roots made at test time,
# collected with irkit-collect --root, loaded with ingest; wtmp and
# lastlog written from glibc's structures (utmp_make.py), checked with
# utmpdump and lastlog -R.
load helpers

MAKE=$BATS_TEST_DIRNAME/utmp_make.py
T=1700000000

setup() {
	setup_scratch
	cd "$SCRATCH"
	export LC_ALL=C.UTF-8
	R=$SCRATCH/root
	mkdir -p "$R/etc" "$R/usr/bin" "$R/var/log" "$R/run"
	printf '%s\n' 'root:x:0:0:root:/root:/bin/bash' \
		'alice:x:1000:1000::/home/alice:/bin/bash' > "$R/etc/passwd"
	printf '%s\n' "0 $((T+1500)) pts/2 198.51.100.7" \
		"1000 $((T+100)) pts/0 192.0.2.10" | python3 "$MAKE" lastlog "$R/var/log/lastlog"
}

teardown() {
	teardown_scratch
}

# load ROOT DB [ONLY]: collect ROOT (collectors ONLY, default logins)
# and ingest it into DB
load_root() {
	rm -f "$SCRATCH/x.tar.zst"
	run "$COLLECT" -q -o "$SCRATCH/x.tar.zst" --root "$1" --only "${3:-logins}"
	[ "$status" -le 1 ]
	run "$ANALYZE" ingest --db "$2" "$SCRATCH/x.tar.zst"
	echo "$output"
	[ "$status" -le 1 ]
}

@test "logs_findings: an empty wtmp beside a lastlog with entries (size 0, or only empty slots); a wtmp with entries is none" {
	# lastlog has two last logins (lastlog -R says so)
	[ "$(lastlog -R "$R" | grep -vc 'Never logged in\|^Username')" -eq 2 ]
	: > "$R/var/log/wtmp"
	load_root "$R" a.db
	run "$ANALYZE" findings --db "$SCRATCH/a.db"
	echo "$output" | grep -q 'empty wtmp with a non-empty lastlog'
	[ "$(sqlite3 a.db "SELECT path, kind, size, entries FROM login_files WHERE kind = 'wtmp'")" = "/var/log/wtmp|wtmp|0|0" ]
	[ "$(sqlite3 a.db "SELECT score FROM findings WHERE title = 'empty wtmp with a non-empty lastlog'")" -eq 50 ]
	sqlite3 a.db "SELECT reasons FROM findings WHERE title = 'empty wtmp with a non-empty lastlog'" | grep -q '2 last logins'
	# only empty slots (utmpdump shows none): the same
	head -c 1152 /dev/zero > "$R/var/log/wtmp"
	[ -z "$(utmpdump "$R/var/log/wtmp" 2>/dev/null | grep -v '^\[0\]')" ]
	load_root "$R" b.db
	[ "$(sqlite3 b.db "SELECT size, entries FROM login_files WHERE path = '/var/log/wtmp'")" = "1152|0" ]
	[ "$(sqlite3 b.db "SELECT count(*) FROM findings WHERE title = 'empty wtmp with a non-empty lastlog'")" -eq 1 ]
	# a wtmp with a boot and a login: no finding; the entries counted
	# as utmpdump counts them
	python3 "$MAKE" utmp "$R/var/log/wtmp" 384-le <<-EOF
	2 0 ~ ~~ reboot 6.1.0-13-amd64 - $((T+10)) 0
	7 2000 pts/2 ts/2 root 198.51.100.7 198.51.100.7 $((T+1500)) 0
	EOF
	load_root "$R" c.db
	[ "$(sqlite3 c.db "SELECT entries FROM login_files WHERE path = '/var/log/wtmp'")" -eq "$(utmpdump "$R/var/log/wtmp" 2>/dev/null | grep -c '^\[')" ]
	[ "$(sqlite3 c.db "SELECT count(*) FROM findings WHERE title = 'empty wtmp with a non-empty lastlog'")" -eq 0 ]
	# an empty wtmp and no lastlog entry: none either
	: > "$R/var/log/wtmp"
	rm "$R/var/log/lastlog"
	load_root "$R" d.db
	[ "$(sqlite3 d.db "SELECT count(*) FROM findings WHERE title = 'empty wtmp with a non-empty lastlog'")" -eq 0 ]
}

# auth LINES FIRST: LINES auth.log lines (RFC 3339, UTC), one a minute
# from FIRST (seconds since 1970)
auth() {
	python3 -c '
import datetime as dt, sys
n, t0 = int(sys.argv[1]), int(sys.argv[2])
for i in range(n):
    t = dt.datetime.fromtimestamp(t0 + 60 * i, dt.timezone.utc)
    print("%s web1 sshd[%d]: Accepted publickey for al from 192.0.2.%d port %d ssh2" % (t.strftime("%Y-%m-%dT%H:%M:%SZ"), 100 + i, i % 250, 40000 + i))' "$1" "$2"
}

@test "logs_findings: a log that shrank between two collections of one host (the same first line); one that grew or was rotated is none" {
	echo web1 > "$R/etc/hostname"
	auth 40 $T > "$R/var/log/auth.log"
	load_root "$R" c.db logs
	cp x.tar.zst first.tar.zst
	# the same file, cut to its first 25 lines, collected later
	head -25 "$R/var/log/auth.log" > cut && cat cut > "$R/var/log/auth.log"
	sleep 1
	load_root "$R" c.db logs
	cp x.tar.zst second.tar.zst
	sqlite3 c.db "SELECT evidence_id, path, bytes, lines, first_hash FROM log_files"
	# the sizes as wc says
	[ "$(sqlite3 c.db "SELECT group_concat(bytes || ':' || lines, ' ') FROM (SELECT * FROM log_files ORDER BY evidence_id)")" = \
	    "$(auth 40 $T | wc -c):40 $(wc -c < cut):25" ]
	[ "$(sqlite3 c.db "SELECT DISTINCT first_hash FROM log_files")" = "$(head -1 cut | tr -d '\n' | sha256sum | cut -d' ' -f1)" ]
	run "$ANALYZE" findings --db "$SCRATCH/c.db"
	echo "$output"
	echo "$output" | grep -q 'log shrank: /var/log/auth.log'
	[ "$(sqlite3 c.db "SELECT count(*) FROM findings WHERE title = 'log shrank: /var/log/auth.log'")" -eq 1 ]
	sqlite3 c.db "SELECT reasons FROM findings WHERE title GLOB 'log shrank*'" | grep -q "$(wc -c < cut) bytes (25 lines)"
	# loaded the other way round: the later, smaller one is still the one
	load_root_file() { run "$ANALYZE" ingest --db "$2" "$1"; [ "$status" -le 1 ]; }
	load_root_file second.tar.zst r.db
	load_root_file first.tar.zst r.db
	[ "$(sqlite3 r.db "SELECT count(*) FROM findings WHERE title = 'log shrank: /var/log/auth.log'")" -eq 1 ]
	[ "$(sqlite3 r.db "SELECT l.lines FROM findings f JOIN finding_links k ON k.finding_id = f.id JOIN log_files l ON l.id = k.record_id WHERE f.title GLOB 'log shrank*'")" -eq 25 ]
	# a log that grew, and one rotated (another first line): none
	auth 10 $T > "$R/var/log/auth.log"
	load_root "$R" g.db logs
	auth 60 $T > "$R/var/log/auth.log"
	load_root "$R" g.db logs
	auth 5 $((T + 86400)) > "$R/var/log/auth.log"
	load_root "$R" g.db logs
	[ "$(sqlite3 g.db "SELECT count(*) FROM log_files")" -eq 3 ]
	[ "$(sqlite3 g.db "SELECT count(*) FROM findings WHERE title GLOB 'log shrank*'")" -eq 0 ]
}

@test "logs_findings: a gap of more than 24 hours between a rotation and the next, with no boot between; a boot in it or a short gap is none" {
	auth 10 $T > "$R/var/log/auth.log.2"
	# .1 begins 30 hours after .2 ends: a gap
	auth 10 $((T + 600 + 30 * 3600)) > "$R/var/log/auth.log.1"
	# the live file begins 5 hours after .1 ends: none
	auth 10 $((T + 1200 + 35 * 3600)) > "$R/var/log/auth.log"
	load_root "$R" a.db logs
	run "$ANALYZE" findings --db "$SCRATCH/a.db"
	echo "$output"
	[ "$(sqlite3 a.db "SELECT count(*) FROM findings WHERE title = 'gap between log rotations: auth.log'")" -eq 1 ]
	sqlite3 a.db "SELECT reasons FROM findings WHERE title GLOB 'gap between*'" | grep -q '/var/log/auth.log.2 ends 30 hours before /var/log/auth.log.1 begins'
	# a boot in the gap (wtmp): the host was down, no finding
	python3 "$MAKE" utmp "$R/var/log/wtmp" 384-le <<-EOF
	2 0 ~ ~~ reboot 6.1.0-13-amd64 - $((T + 10 * 3600)) 0
	EOF
	load_root "$R" b.db logs,logins
	[ "$(sqlite3 b.db "SELECT count(*) FROM logins WHERE kind = 'boot'")" -eq 1 ]
	[ "$(sqlite3 b.db "SELECT count(*) FROM findings WHERE title GLOB 'gap between*'")" -eq 0 ]
}
