#!/usr/bin/env bats
#
# The logins collector (collectors/logins.c, utmp_parse.c) and the login
# record type (analyzer/records/login.c).
#
# Roots are built at test time: wtmp, btmp and lastlog written from the
# documented structures (utmp_make.py, python struct).  Oracles: utmpdump
# (field by field), last -f F --time-format iso -i -x -w (pairing),
# lastb -f (failed logins), lastlog -R ROOT (last logins), sqlite3, and
# an ext4 image of the same root (mkfs.ext4 -d).  Real samples of other
# architectures: tests/data/utmp (plaso's, Apache 2.0).
load helpers

T=1700000000	# 2023-11-14T22:13:20Z

setup() {
	setup_scratch
	export TZ=UTC
}

teardown() {
	teardown_scratch
}

MAKE=$BATS_TEST_DIRNAME/utmp_make.py
DATA=$BATS_TEST_DIRNAME/../data/utmp

# make_root DIR: wtmp (boots, a shutdown, logins ended every way), btmp
# (a burst of six failures from 198.51.100.7 before its login), lastlog
# and passwd.
make_root() {
	local r=$1
	mkdir -p "$r/var/log" "$r/run" "$r/etc" "$r/usr/bin"
	python3 "$MAKE" utmp "$r/var/log/wtmp" 384-le <<-EOF
	2 0 ~ ~~ reboot 6.1.0-13-amd64 - $T 0
	1 20 ~~ ~~ runlevel 6.1.0-13-amd64 - $((T+1)) 0
	7 1000 pts/0 ts/0 alice 192.0.2.10 192.0.2.10 $((T+100)) 123456
	7 1001 pts/1 ts/1 bob 2001:db8::1 2001:db8::1 $((T+200)) 5
	8 1000 pts/0 ts/0 - - - $((T+700)) 0
	7 1002 tty1 tty1 carol - - $((T+800)) 0
	1 0 ~~ ~~ shutdown 6.1.0-13-amd64 - $((T+1000)) 0
	2 0 ~ ~~ reboot 6.1.0-13-amd64 - $((T+1100)) 0
	7 2000 pts/2 ts/2 mallory 198.51.100.7 198.51.100.7 $((T+1500)) 0
	2 0 ~ ~~ reboot 6.1.0-13-amd64 - $((T+2000)) 0
	7 2100 pts/3 ts/3 dave 10.1.2.3 10.1.2.3 $((T+2100)) 0
	7 2200 pts/4 ts/4 erin 203.0.113.9 203.0.113.9 $((T+2200)) 0
	EOF
	{
		for i in 0 1 2 3 4 5; do
			echo "6 $((3000 + i)) ssh:notty - root 198.51.100.7 198.51.100.7 $((T + 1000 + i * 60)) 0"
		done
		# four from another address before its login: no burst
		for i in 0 1 2 3; do
			echo "6 $((3100 + i)) ssh:notty - admin 203.0.113.9 203.0.113.9 $((T + 2000 + i * 10)) 0"
		done
		echo "6 3200 ssh:notty - admin fe80::1 fe80::1 $((T+1300)) 7"
	} | python3 "$MAKE" utmp "$r/var/log/btmp" 384-le
	python3 "$MAKE" utmp "$r/run/utmp" 384-le <<-EOF
	2 0 ~ ~~ reboot 6.1.0-13-amd64 - $((T+2000)) 0
	7 2100 pts/3 ts/3 dave 10.1.2.3 10.1.2.3 $((T+2100)) 0
	EOF
	printf '%s\n' 'root:x:0:0:root:/root:/bin/bash' \
		'alice:x:1000:1000::/home/alice:/bin/bash' \
		'bob:x:1001:1001::/home/bob:/bin/bash' \
		'nobody:x:65534:65534::/nonexistent:/usr/sbin/nologin' > "$r/etc/passwd"
	printf '%s\n' "0 $((T+1500)) pts/2 198.51.100.7" \
		"1000 $((T+100)) pts/0 192.0.2.10" \
		"65534 $((T+50)) tty9 -" | python3 "$MAKE" lastlog "$r/var/log/lastlog"
}

# records FILE.tar.zst: the logins records, one JSON object a line
# (not the login_file records of the files read)
records() {
	tar --zstd -xOf "$1" --wildcards '*/records/logins.jsonl' |
		grep -v '^{"type": *"login_file"'
}

# collect_log ROOT STATUS: collect ROOT's logins into $SCRATCH/l.tar.zst
# with exit STATUS; its log in $SCRATCH/log.jsonl
collect_log() {
	cd "$SCRATCH"
	run "$COLLECT" -q -o l.tar.zst --root "$1" --only logins
	echo "$output"
	[ "$status" -eq "$2" ]
	tar --zstd -xOf l.tar.zst --wildcards '*/log.jsonl' > log.jsonl
	cat log.jsonl
}

# utmpdump's fields, one entry a line: type pid id user line host addr time
utmpdump_fields() {
	utmpdump "$1" 2>/dev/null | python3 -c '
import re, sys
for line in sys.stdin:
    f = re.findall(r"\[([^]]*)\]", line)
    if len(f) != 8 or f[0] == "0":
        continue
    f = [x.rstrip() for x in f]
    f[1] = str(int(f[1]))
    f[7] = f[7].replace(",", ".").replace("+00:00", "Z")
    print("|".join(f))'
}

# the same from the records of one source file
record_fields() {
	python3 -c '
import json, sys
rs = [json.loads(l) for l in sys.stdin]
for r in sorted(rs, key=lambda r: r.get("offset", -1)):
    if r.get("source") != sys.argv[1]:
        continue
    print("|".join(str(x) for x in (r["ut_type"], r["pid"], r["ut_id"] or "",
        r["user"] or "", r["tty"] or "", r["host"] or "",
        r["address"] or "0.0.0.0", r["time"])))' "$1"
}

@test "logins: every wtmp, btmp and utmp entry as utmpdump reads it, field by field" {
	make_root "$SCRATCH/root"
	cd "$SCRATCH"
	run "$COLLECT" -q -o l.tar.zst --root "$SCRATCH/root" --only logins
	echo "$output"
	[ "$status" -eq 0 ]
	records l.tar.zst > recs.jsonl
	for f in /var/log/wtmp /var/log/btmp /run/utmp; do
		utmpdump_fields "$SCRATCH/root$f" > want
		record_fields "$f" < recs.jsonl > got
		[ -s want ]
		diff want got
	done
	python3 - recs.jsonl <<-'PY'
	import json, sys
	rs = [json.loads(l) for l in open(sys.argv[1])]
	kinds = {(r["source"], r["kind"]) for r in rs}
	assert ("/var/log/wtmp", "boot") in kinds and ("/var/log/wtmp", "shutdown") in kinds
	assert ("/var/log/wtmp", "runlevel") in kinds and ("/var/log/wtmp", "logout") in kinds
	assert {r["kind"] for r in rs if r["source"] == "/var/log/btmp"} == {"failed"}
	assert all(r["layout"] == "384-le" for r in rs if "layout" in r)
	PY
}

@test "logins: logins end as last pairs them (logout, down, crash, open), with durations" {
	make_root "$SCRATCH/root"
	cd "$SCRATCH"
	"$COLLECT" -q -o l.tar.zst --root "$SCRATCH/root" --only logins
	records l.tar.zst > recs.jsonl
	# last: user tty address login - (logout|down|crash) or no end
	last -f "$SCRATCH/root/var/log/wtmp" --time-format iso -i -x -w |
		awk '$1 !~ /^(reboot|shutdown|runlevel|wtmp)$/ && NF >= 4 {
			end = "open"
			if ($5 == "-") end = $6
			sub(/\+00:00$/, "", $4); sub(/\+00:00$/, "", end)
			print $1, $2, $3, $4, end }' | sort > want
	python3 - recs.jsonl <<-'PY' | sort > got
	import json, sys
	for l in open(sys.argv[1]):
	    r = json.loads(l)
	    if r["kind"] != "login" or r["source"] != "/var/log/wtmp":
	        continue
	    end = r["session_end"]
	    if end == "logout":
	        end = r["logout_time"][:19]
	    elif end is None:
	        end = "open"
	    print(r["user"], r["tty"], r["address"] or "0.0.0.0", r["time"][:19], end)
	PY
	cat want
	[ "$(wc -l < want)" -eq 6 ]
	diff want got
	# the durations: alice 600 s less her microseconds, mallory up to the boot
	python3 - recs.jsonl <<-'PY'
	import json, sys
	d = {r["user"]: r for r in map(json.loads, open(sys.argv[1]))
	     if r["kind"] == "login" and r["source"] == "/var/log/wtmp"}
	assert d["alice"]["duration_us"] == 600000000 - 123456, d["alice"]
	assert d["bob"]["duration_us"] == 800000000 - 5
	assert d["mallory"]["duration_us"] == 500000000
	assert d["dave"]["logout_time"] is None and d["dave"]["duration_us"] is None
	PY
}

@test "logins: btmp entries are the failed logins lastb lists" {
	make_root "$SCRATCH/root"
	cd "$SCRATCH"
	"$COLLECT" -q -o l.tar.zst --root "$SCRATCH/root" --only logins
	records l.tar.zst > recs.jsonl
	lastb -f "$SCRATCH/root/var/log/btmp" --time-format iso -i -w |
		awk 'NF >= 4 && $1 != "btmp" { sub(/\+00:00$/, "", $4); print $1, $2, $3, $4 }' | sort > want
	python3 - recs.jsonl <<-'PY' | sort > got
	import json, sys
	for l in open(sys.argv[1]):
	    r = json.loads(l)
	    if r["source"] == "/var/log/btmp":
	        assert r["kind"] == "failed"
	        print(r["user"], r["tty"], r["address"], r["time"][:19])
	PY
	[ "$(wc -l < want)" -eq 11 ]
	diff want got
}

@test "logins: lastlog entries of the accounts as lastlog -R reads them; a 2 GB sparse lastlog read quickly" {
	make_root "$SCRATCH/root"
	r=$SCRATCH/root
	# an account with a large UID, and a 2 GB apparent size
	echo 'far:x:4000000:100::/home/far:/bin/sh' >> "$r/etc/passwd"
	python3 - "$r/var/log/lastlog" 4000000 $((T+3000)) pts/9 far.example <<-'PY'
	import struct, sys
	uid, t, line, host = sys.argv[2:]
	with open(sys.argv[1], "r+b") as f:
	    f.seek(int(uid) * 292)
	    f.write(struct.pack("<i32s256s", int(t), line.encode(), host.encode()))
	PY
	truncate -s 2G "$r/var/log/lastlog"
	[ "$(du -k "$r/var/log/lastlog" | cut -f1)" -lt 1024 ]
	cd "$SCRATCH"
	start=$(date +%s%N)
	run "$COLLECT" -q -o l.tar.zst --root "$r" --only logins
	took=$(( ($(date +%s%N) - start) / 1000000 ))
	echo "$output; ${took} ms"
	[ "$status" -eq 0 ]
	[ "$took" -lt 5000 ]
	records l.tar.zst > recs.jsonl
	# lastlog: Username Port From Latest (date as "Tue Nov 14 22:38:20 +0000 2023")
	lastlog -R "$r" | awk 'NR > 1 && !/Never logged in/ {
		from = (NF == 9) ? $3 : "-"; print $1, $2, from }' | sort > want
	python3 - recs.jsonl <<-'PY' | sort > got
	import json, sys
	for l in open(sys.argv[1]):
	    r = json.loads(l)
	    if r["kind"] == "lastlog":
	        print(r["user"], r["tty"], r["host"] or "-")
	PY
	cat want
	[ "$(wc -l < want)" -eq 4 ]
	diff want got
	# the times, as lastlog -u prints them
	for u in root alice nobody far; do
		want_t=$(lastlog -R "$r" -u $u | awk 'NR == 2 { print $(NF-4), $(NF-3), $(NF-2), $(NF-1), $NF }')
		got_t=$(python3 - recs.jsonl "$u" <<-'PY'
		import json, sys, datetime
		for l in open(sys.argv[1]):
		    r = json.loads(l)
		    if r["kind"] == "lastlog" and r["user"] == sys.argv[2]:
		        t = datetime.datetime.strptime(r["time"], "%Y-%m-%dT%H:%M:%S.%fZ")
		        print(t.strftime("%b %d %H:%M:%S") + " +0000 " + t.strftime("%Y"))
		PY
		)
		[ "$want_t" = "$got_t" ]
	done
}

@test "logins: the 400-byte layouts of aarch64 (little-endian) and s390x (big-endian), real samples" {
	r=$SCRATCH/root
	mkdir -p "$r/var/log"
	cp "$DATA/utmp_x86_64" "$r/var/log/wtmp"
	cp "$DATA/utmp_aarch64" "$r/var/log/wtmp.a"
	cp "$DATA/utmp_s390" "$r/var/log/wtmp.s"
	cd "$SCRATCH"
	run "$COLLECT" -q -o l.tar.zst --root "$r" --only logins
	echo "$output"
	[ "$status" -eq 0 ]
	records l.tar.zst > recs.jsonl
	# the x86-64 sample: as utmpdump reads it
	utmpdump_fields "$r/var/log/wtmp" > want
	record_fields /var/log/wtmp < recs.jsonl > got
	diff want got
	# the others: the glibc struct utmp of a 64-bit long and time_t,
	# unpacked by python's struct in each byte order
	for f in a:'<' s:'>'; do
		python3 - "$r/var/log/wtmp.${f%%:*}" "${f#*:}" <<-'PY' > want
		import datetime, ipaddress, struct, sys
		data, e = open(sys.argv[1], "rb").read(), sys.argv[2]
		for off in range(0, len(data) - 399, 400):
		    (t, pid, line, uid, user, host, term, ex, sess, sec, usec,
		     addr) = struct.unpack(e + "hxxi32s4s32s256shhqqq16s20sxxxx",
		                           data[off:off + 400])[:12]
		    if t == 0:
		        continue
		    s = lambda b: b.split(b"\0")[0].decode()
		    a = "0.0.0.0"
		    if addr[4:] == bytes(12) and addr[:4] != bytes(4):
		        a = str(ipaddress.IPv4Address(addr[:4]))
		    elif addr != bytes(16):
		        a = str(ipaddress.IPv6Address(addr))
		    ts = datetime.datetime.fromtimestamp(sec, datetime.timezone.utc)
		    print("|".join(map(str, (t, pid, s(uid), s(user), s(line), s(host), a,
		          ts.strftime("%Y-%m-%dT%H:%M:%S") + ".%06dZ" % usec))))
		PY
		record_fields "/var/log/wtmp.${f%%:*}" < recs.jsonl > got
		[ "$(wc -l < want)" -eq 5 ]
		diff want got
	done
	grep '"/var/log/wtmp.a"' recs.jsonl | grep -q '"layout":"400-le"'
	grep '"/var/log/wtmp.s"' recs.jsonl | grep -q '"layout":"400-be"'
	# the three samples hold the same entries
	for s in /var/log/wtmp /var/log/wtmp.a /var/log/wtmp.s; do
		python3 -c '
import json, sys
for l in open(sys.argv[1]):
    r = json.loads(l)
    if r["source"] == sys.argv[2]:
        print(r["kind"], r["user"], r["tty"], r["ut_id"])' recs.jsonl "$s" > "kinds.${s##*/}"
	done
	diff kinds.wtmp kinds.wtmp.a
	diff kinds.wtmp kinds.wtmp.s
	grep -q '^boot reboot system boot' kinds.wtmp
}

@test "logins: corrupted and truncated entries are logged with file and offset and skipped, the rest read" {
	r=$SCRATCH/root
	mkdir -p "$r/var/log"
	cp "$DATA/utmp_corrupted" "$r/var/log/btmp"
	cp "$DATA/wtmp.1" "$r/var/log/wtmp.1"
	# a wtmp cut in its last entry
	make_root "$SCRATCH/full"
	head -c $((384 * 5 + 100)) "$SCRATCH/full/var/log/wtmp" > "$r/var/log/wtmp"
	# binary junk
	head -c 100000 /dev/urandom > "$r/var/log/wtmp.2"
	head -c 1000 /dev/urandom > "$r/var/log/lastlog"
	cd "$SCRATCH"
	run "$COLLECT" -q -o l.tar.zst --root "$r" --only logins
	echo "$output"
	# partial: the warnings make it so
	[ "$status" -eq 1 ]
	tar --zstd -xOf l.tar.zst --wildcards '*/log.jsonl' > log.jsonl
	tar --zstd -xOf l.tar.zst --wildcards '*/manifest.json' | grep -q '"partial"'
	grep '"/var/log/btmp"' log.jsonl | grep -q 'entry at offset 384: type out of range: skipped'
	grep '"/var/log/btmp"' log.jsonl | grep -q 'entry at offset 768: type out of range: skipped'
	grep '"/var/log/btmp"' log.jsonl | grep -q 'a partial entry of 50 bytes at offset 1536: not read'
	grep '"/var/log/wtmp.1"' log.jsonl | grep -q 'a partial entry of 1 bytes at offset 1536'
	grep '"/var/log/wtmp"' log.jsonl | grep -q 'a partial entry of 100 bytes at offset 1920'
	records l.tar.zst > recs.jsonl
	# the sound entries of each: as utmpdump reads them (it shows the bad ones too)
	utmpdump_fields "$r/var/log/btmp" | grep -v '^99|' > want
	python3 -c '
import json, sys
for l in open(sys.argv[1]):
    r = json.loads(l)
    if r["source"] == "/var/log/btmp":
        print(r["user"], r["tty"], r["time"])' recs.jsonl > got
	[ "$(wc -l < got)" -eq 2 ]
	[ "$(cut -d'|' -f4,5 want | tr '|' ' ')" = "$(cut -d' ' -f1,2 got)" ]
	[ "$(grep -c '"/var/log/wtmp"' recs.jsonl)" -eq 5 ]
	[ "$(grep -c '"/var/log/wtmp.1"' recs.jsonl)" -eq 2 ]
	# junk: each bad entry up to ten logged, then a count
	[ "$(grep '"/var/log/wtmp.2"' log.jsonl | grep -c 'entry at offset')" -le 10 ]
	grep '"/var/log/wtmp.2"' log.jsonl | grep -q 'entries not sound: skipped'
}

# the logins rows of a case, in a stable order
rows() {
	sqlite3 "$1" "SELECT kind, user, uid, tty, host, address, pid, session,
		time, logout_time, duration_us, session_end, source, offset
		FROM logins ORDER BY source, offset, kind"
}

@test "logins: the same root collected live (--root) and inside an ext4 image gives the same records" {
	make_root "$SCRATCH/root"
	cd "$SCRATCH"
	"$COLLECT" -q -o l.tar.zst --root "$SCRATCH/root" --only logins
	"$ANALYZE" ingest -q --db live.db --no-default-rules l.tar.zst
	truncate -s 64M img.raw
	mkfs.ext4 -q -F -d "$SCRATCH/root" img.raw
	run "$ANALYZE" image -q --no-scan --db img.db img.raw
	echo "$output"
	rows live.db > live.txt
	rows img.db > img.txt
	[ "$(wc -l < live.txt)" -gt 20 ]
	diff live.txt img.txt
}

@test "logins: a failed-login burst then a login from the same address is a finding; the report shows logins per host" {
	make_root "$SCRATCH/root"
	cd "$SCRATCH"
	"$COLLECT" -q -o l.tar.zst --root "$SCRATCH/root" --only logins
	run "$ANALYZE" ingest -q --db c.db --no-default-rules l.tar.zst
	echo "$output"
	[ "$status" -eq 0 ]
	run sqlite3 c.db "SELECT f.score, f.title, f.reasons, l.user FROM findings f
		JOIN finding_links k ON k.finding_id = f.id AND k.record_table = 'logins'
		JOIN logins l ON l.id = k.record_id"
	echo "$output"
	# 198.51.100.7: six failures in the ten minutes before mallory's login;
	# 203.0.113.9: four before erin's, no finding
	[ "${#lines[@]}" -eq 1 ]
	[[ "$output" == '60|failed logins then a login from 198.51.100.7|'*'6 failed logins from 198.51.100.7 within 10 minutes before mallory logged in on pts/2'*'|mallory' ]]
	# timeline: logins and their ends
	[ "$(sqlite3 c.db "SELECT count(*) FROM events WHERE source = 'LOGIN' AND ts_desc = 'Session End'")" -eq 4 ]
	sqlite3 c.db "SELECT message FROM events WHERE ts_desc = 'Login Record'" | grep -qx 'login alice on pts/0 from 192.0.2.10'
	"$ANALYZE" report --db c.db -o r.html
	grep -q '<h2 id="logins">Logins</h2>' r.html
	grep -q 'href="#logins"' r.html
	grep -q '>mallory<' r.html
	grep -q '>198.51.100.7<' r.html
}

@test "logins: a wtmp emptied while lastlog still holds logins is a finding" {
	make_root "$SCRATCH/root"
	: > "$SCRATCH/root/var/log/wtmp"
	cd "$SCRATCH"
	"$COLLECT" -q -o l.tar.zst --root "$SCRATCH/root" --only logins
	"$ANALYZE" ingest -q --db c.db --no-default-rules l.tar.zst
	run sqlite3 c.db "SELECT f.title, l.user FROM findings f
		JOIN finding_links k ON k.finding_id = f.id AND k.record_table = 'logins'
		JOIN logins l ON l.id = k.record_id WHERE f.title = 'lastlog newer than wtmp' ORDER BY 2"
	echo "$output"
	[ "$output" = "$(printf 'lastlog newer than wtmp|alice\nlastlog newer than wtmp|nobody\nlastlog newer than wtmp|root')" ]
	# with wtmp whole, none
	make_root "$SCRATCH/whole"
	"$COLLECT" -q -o w.tar.zst --root "$SCRATCH/whole" --only logins
	"$ANALYZE" ingest -q --db w.db --no-default-rules w.tar.zst
	[ "$(sqlite3 w.db "SELECT count(*) FROM findings WHERE title = 'lastlog newer than wtmp'")" -eq 0 ]
}

# make_db_root DIR: Debian 13's wtmpdb and lastlog2 databases (their
# schemas as wtmpdb and util-linux create them)
make_db_root() {
	local r=$1
	mkdir -p "$r/var/lib/wtmpdb" "$r/var/lib/lastlog" "$r/etc" "$r/usr"
	sqlite3 "$r/var/lib/wtmpdb/wtmp.db" "CREATE TABLE wtmp(ID INTEGER PRIMARY KEY,
		Type INTEGER, User TEXT NOT NULL, Login INTEGER, Logout INTEGER,
		TTY TEXT, RemoteHost TEXT, Service TEXT) STRICT;
	INSERT INTO wtmp VALUES (1, 2, 'reboot', ${T}000000, $((T+1000))000000, '~', '6.12.0-amd64', NULL);
	INSERT INTO wtmp VALUES (2, 3, 'alice', $((T+100))123456, $((T+700))000000, 'pts/0', '192.0.2.10', 'sshd');
	INSERT INTO wtmp VALUES (3, 3, 'bob', $((T+200))000000, NULL, 'pts/1', '2001:db8::1', 'sshd');"
	sqlite3 "$r/var/lib/lastlog/lastlog2.db" "CREATE TABLE Lastlog2(Name TEXT PRIMARY KEY,
		Time INTEGER NOT NULL, TTY TEXT, RemoteHost TEXT, Service TEXT);
	INSERT INTO Lastlog2 VALUES ('alice', $((T+100)), 'pts/0', '192.0.2.10', 'sshd'),
		('root', $((T+50)), 'tty1', NULL, 'login');"
}

@test "logins: Debian 13's wtmpdb and lastlog2 databases, row by row as sqlite3 reads them, live and in an image" {
	make_db_root "$SCRATCH/root"
	cd "$SCRATCH"
	run "$COLLECT" -q -o l.tar.zst --root "$SCRATCH/root" --only logins
	echo "$output"
	[ "$status" -eq 0 ]
	"$ANALYZE" ingest -q --db live.db --no-default-rules l.tar.zst
	sqlite3 "$SCRATCH/root/var/lib/wtmpdb/wtmp.db" "SELECT CASE Type WHEN 2 THEN 'boot'
		WHEN 3 THEN 'login' END, User, TTY, RemoteHost, Login, Logout,
		Logout - Login, '/var/lib/wtmpdb/wtmp.db', ID FROM wtmp ORDER BY ID" > want
	sqlite3 "$SCRATCH/root/var/lib/lastlog/lastlog2.db" "SELECT 'lastlog', Name, TTY,
		RemoteHost, Time * 1000000, NULL, NULL, '/var/lib/lastlog/lastlog2.db', rowid
		FROM Lastlog2 ORDER BY rowid" >> want
	sqlite3 live.db "SELECT kind, user, tty, host, time, logout_time, duration_us,
		source, offset FROM logins ORDER BY source DESC, offset" > got
	diff want got
	[ "$(sqlite3 live.db "SELECT session_end FROM logins WHERE user = 'alice' AND kind = 'login'")" = logout ]
	# the same from an ext4 image of the root
	truncate -s 32M img.raw
	mkfs.ext4 -q -F -d "$SCRATCH/root" img.raw
	"$ANALYZE" image -q --no-scan --db img.db img.raw || true
	rows live.db > live.txt
	rows img.db > img.txt
	diff live.txt img.txt
	# lastlog2 is not newer than wtmpdb: no finding
	[ "$(sqlite3 live.db "SELECT count(*) FROM findings")" -eq 0 ]
}

@test "logins: a wtmpdb that is not a database, or of other tables, is logged; the rest is read" {
	make_db_root "$SCRATCH/root"
	head -c 5000 /dev/urandom > "$SCRATCH/root/var/lib/wtmpdb/wtmp.db"
	sqlite3 "$SCRATCH/root/var/lib/lastlog/lastlog2.db" "ALTER TABLE Lastlog2 RENAME TO other"
	mkdir -p "$SCRATCH/root/var/log"
	cp "$DATA/utmp_x86_64" "$SCRATCH/root/var/log/wtmp"
	collect_log "$SCRATCH/root" 1
	grep '"/var/lib/wtmpdb/wtmp.db"' log.jsonl | grep -q 'not an SQLite database\|not the expected tables'
	grep '"/var/lib/lastlog/lastlog2.db"' log.jsonl | grep -q 'not the expected tables: no such table: Lastlog2'
	[ "$(records l.tar.zst | grep -c '"/var/log/wtmp"')" -eq 5 ]
}

@test "logins: a wtmp or btmp that is a link to /dev/null is a warning naming it" {
	r=$SCRATCH/root
	mkdir -p "$r/var/log" "$r/dev"
	ln -s /dev/null "$r/var/log/wtmp"
	ln -s ../../dev/null "$r/var/log/btmp"
	# nothing unread: complete, the links said
	collect_log "$r" 0
	grep '"/var/log/wtmp"' log.jsonl | grep -q "a link to '/dev/null': login records are thrown away"
	grep '"/var/log/btmp"' log.jsonl | grep -q "a link to '../../dev/null'"
}
