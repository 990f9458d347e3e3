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
