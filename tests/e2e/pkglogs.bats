#!/usr/bin/env bats
bats_require_minimum_version 1.5.0
#
# The package logs docs/logs.md ("Packages") added after the first ones:
# apt's term.log, dnf.log and dnf's history.sqlite, read by the
# analyzer's package_logs collector on an ext4 root made at test time.
#
# Oracles: awk over the term.log and dnf.log lines with GNU date for
# the times (the target's zone given to date, the analyst's TZ set to
# another); dpkg --compare-versions for upgrades and downgrades; sqlite3
# queries written here over a history.sqlite made here with libdnf's
# swdb schema (docs/logs.md names its source), with a -wal made by
# Python's sqlite3 and read by the sqlite3 CLI.
load helpers

setup() {
	setup_scratch
	cd "$SCRATCH"
	export LC_ALL=C.UTF-8
	R=$SCRATCH/root
	mkdir -p "$R/etc" "$R/usr/bin" "$R/var/log/apt" "$R/var/lib/dnf"
	cp /usr/share/zoneinfo/America/New_York "$R/etc/localtime"
	echo America/New_York > "$R/etc/timezone"
	export TZ=Asia/Tokyo
}

teardown() {
	teardown_scratch
}

# local_us: each "YYYY-MM-DD HH:MM:SS" of stdin as UTC µs, read in the
# target's zone
local_us() {
	python3 -c '
import datetime as dt, sys, zoneinfo
tz = zoneinfo.ZoneInfo("America/New_York")
for l in sys.stdin:
    t = dt.datetime.strptime(l.strip(), "%Y-%m-%d %H:%M:%S").replace(tzinfo=tz)
    print(int(t.timestamp()) * 10**6)'
}

# term_oracle FILE: "action|package|arch|version|old|utc_us|how" of each
# package line of a term.log, by awk; the block's time by GNU date in
# the target's zone; unpacked over a version: reinstall, downgrade or
# upgrade as dpkg --compare-versions orders them
term_oracle() {
	awk '
	function dpkg_over(v, o) {
		if (system("dpkg --compare-versions \"" v "\" eq \"" o "\"") == 0) return "reinstall"
		if (system("dpkg --compare-versions \"" v "\" lt \"" o "\"") == 0) return "downgrade"
		return "upgrade"
	}
	/^Log started: / { d = $3 " " $4; next }
	/^Log ended: / { d = ""; next }
	{
		a = ""
		if ($1 == "Unpacking") { a = "install"; p = $2; v = $3 }
		else if ($1 == "Setting" && $2 == "up") { a = "configure"; p = $3; v = $4 }
		else if ($1 == "Removing") { a = "remove"; p = $2; v = $3 }
		else if ($1 == "Purging" && $2 == "configuration") { a = "purge"; p = $5; v = $6 }
		if (a == "" || v !~ /^\(.*\)$/) next
		gsub(/[()]/, "", v)
		o = ""
		if (a == "install" && $4 == "over") { o = $5; gsub(/[()]/, "", o); a = dpkg_over(v, o) }
		arch = ""
		if (p ~ /:/) { arch = p; sub(/.*:/, "", arch); sub(/:[^:]*$/, "", p) }
		print (d == "" ? "-" : d) "|" a "|" p "|" arch "|" v "|" o
	}' "$1" > term.fields
	cut -d'|' -f1 term.fields | local_us > term.times
	paste -d'|' term.fields term.times | awk -F'|' '{ print $2 "|" $3 "|" $4 "|" $5 "|" $6 "|" $7 "|local" }'
}

@test "pkglogs: apt's term.log: a real sample and a made one, each package line an event at its block's local time" {
	cp "$IRKIT_SRC/tests/data/logs/apt_term.log" "$R/var/log/apt/term.log"
	cat > "$R/var/log/apt/term.log.1" <<-'EOF'
	
	Log started: 2024-03-10  02:30:00
	Selecting previously unselected package nmap.
	Preparing to unpack .../nmap_7.93+dfsg1-1_amd64.deb ...
	Unpacking nmap (7.93+dfsg1-1) ...
	Unpacking libc6:amd64 (2.36-9+deb12u4) over (2.36-9+deb12u3) ...
	Unpacking bash (5.2.15-2+b2) over (5.2.15-2+b2) ...
	Unpacking curl (7.88.1-10+deb12u5) over (7.88.1-10+deb12u10) ...
	Unpacking vim (2:9.0.1378-2) over (2:9.0.1378-2~bpo12+1) ...
	Unpacking sudo (1.9.13p3-1) over (1.9.13p3-1+deb12u1) ...
	Unpacking zlib1g:amd64 (1:1.2.13.dfsg-1) over (1.2.13.dfsg-1) ...
	Setting up nmap (7.93+dfsg1-1) ...
	Setting up libc6:amd64 (2.36-9+deb12u4) ...
	Unpacking broken (no closing paren ...
	Removing telnet (0.17+2.4-2+b1) ...
	Purging configuration files for telnet (0.17+2.4-2+b1) ...
	Processing triggers for man-db (2.11.2-2) ...
	Log ended: 2024-03-10  02:30:09
	
	Log started: 2024-11-03  01:30:00
	Unpacking socat (1.7.4.4-2) ...
	Log ended: 2024-11-03  01:30:02
	EOF
	linux_image "$R" "$SCRATCH/c.db"
	{ term_oracle "$R/var/log/apt/term.log"; term_oracle "$R/var/log/apt/term.log.1"; } | LC_ALL=C sort > want
	sqlite3 c.db "SELECT action, package, coalesce(arch, ''), version, coalesce(old_version, ''), time, ts_how FROM package_events WHERE source = 'apt-term'" | LC_ALL=C sort > got
	diff want got
	# the real sample's package lines, counted by grep
	n=$(grep -cE '^(Unpacking|Setting up|Removing|Purging configuration files for) [^ ]+ \(' "$IRKIT_SRC/tests/data/logs/apt_term.log")
	[ "$n" -gt 200 ]
	[ "$(sqlite3 c.db "SELECT count(*) FROM package_events WHERE path = '/var/log/apt/term.log'")" -eq "$n" ]
	[ "$(sqlite3 c.db "SELECT count(*) FROM package_events WHERE path = '/var/log/apt/term.log.1'")" -eq 12 ]
	# the made one's actions (by Debian's order: u5 before u10, ~bpo
	# before the release, an epoch above none), its DST gap, its zone
	[ "$(sqlite3 c.db "SELECT group_concat(action || ':' || package, ' ') FROM (SELECT * FROM package_events WHERE path = '/var/log/apt/term.log.1' ORDER BY line)")" = \
	    "install:nmap upgrade:libc6 reinstall:bash downgrade:curl upgrade:vim downgrade:sudo upgrade:zlib1g configure:nmap configure:libc6 remove:telnet purge:telnet install:socat" ]
	[ "$(sqlite3 c.db "SELECT DISTINCT ts_note FROM package_events WHERE package = 'nmap' AND source = 'apt-term'")" = gap ]
	[ "$(sqlite3 c.db "SELECT DISTINCT tz FROM package_events WHERE source = 'apt-term'")" = America/New_York ]
	# one timeline event each
	[ "$(sqlite3 c.db "SELECT count(*) FROM events WHERE source = 'PACKAGE'")" -eq "$(sqlite3 c.db "SELECT count(*) FROM package_events")" ]
	run "$ANALYZE" findings --db "$SCRATCH/c.db"
	echo "$output" | grep -q 'network tool or compiler installed: nmap'
	echo "$output" | grep -q 'network tool or compiler installed: socat'
}

@test "pkglogs: dnf.log: the resolved transaction's packages with the run's command, UTC from the line's offset" {
	cat > "$R/var/log/dnf.log" <<-'EOF2'
	2023-02-01T10:00:00+0100 INFO --- logging initialized ---
	2023-02-01T10:00:00+0100 DDEBUG timer: config: 3 ms
	2023-02-01T10:00:00+0100 DEBUG DNF version: 4.7.0
	2023-02-01T10:00:00+0100 DDEBUG Command: dnf install nmap gcc 
	2023-02-01T10:00:00+0100 DDEBUG Installroot: /
	2023-02-01T10:00:05+0100 DEBUG --> Starting dependency resolution
	2023-02-01T10:00:05+0100 DEBUG ---> Package nmap.x86_64 2:7.70-6.el8 will be installed
	2023-02-01T10:00:05+0100 DEBUG ---> Package gcc.x86_64 8.5.0-4.el8 will be installed
	2023-02-01T10:00:05+0100 DEBUG ---> Package curl.x86_64 7.61.1-22.el8 will be upgraded
	2023-02-01T10:00:05+0100 DEBUG ---> Package curl.x86_64 7.61.1-25.el8 will be an upgrade
	2023-02-01T10:00:05.250000+0100 DEBUG ---> Package telnet.x86_64 1:0.17-76.el8 will be erased
	2023-02-01T10:00:05+0100 DEBUG ---> Package broken will be installed
	2023-02-01T10:00:05+0100 DEBUG --> Finished dependency resolution
	2023-02-01T10:00:09+0100 INFO Installed:
	2023-02-01T10:00:09+0100 INFO   nmap-2:7.70-6.el8.x86_64
	2023-03-04T08:00:00Z DEBUG DNF version: 4.7.0
	2023-03-04T08:00:00Z DDEBUG Command: dnf downgrade vim-enhanced 
	2023-03-04T08:00:01Z DEBUG ---> Package vim-enhanced.x86_64 2:8.0.1763-13.el8 will be a downgrade
	2023-03-04T08:00:01Z DEBUG ---> Package vim-enhanced.x86_64 2:8.0.1763-15.el8 will be downgraded
	2023-03-04T08:00:02Z DEBUG ---> Package bash.x86_64 4.4.20-4.el8 will be reinstalled
	2023-03-04T08:00:03Z DEBUG DNF version: 4.7.0
	2023-03-04T08:00:04Z DEBUG ---> Package socat.x86_64 1.7.4.1-1.el8 will be installed
	Mar 04 08:00:05 not a dnf line ---> Package nc.x86_64 1 will be installed
	EOF2
	linux_image "$R" "$SCRATCH/c.db"
	# awk: the run's command (reset by "DNF version:"), each "will be"
	# line that brings a package; GNU date for the RFC 3339 time
	awk '
	$2 ~ /DEBUG$/ && $3 == "Command:" { c = $0; sub(/^[^ ]+ [^ ]+ Command: /, "", c); next }
	$3 == "DNF" && $4 == "version:" { c = ""; next }
	$3 == "--->" && $4 == "Package" && $7 == "will" && $8 == "be" {
		w = $9 ($10 == "" ? "" : " " $10)
		a = w == "installed" ? "install" : w == "an upgrade" ? "upgrade" : w == "erased" ? "remove" : w == "a downgrade" ? "downgrade" : w == "reinstalled" ? "reinstall" : ""
		if (a == "") next
		n = $5; ar = n; sub(/\.[^.]*$/, "", n); sub(/.*\./, "", ar)
		print $1 "|" a "|" n "|" ar "|" $6 "|" c
	}' "$R/var/log/dnf.log" > fields
	cut -d'|' -f1 fields | sed 's/\([+-][0-9][0-9]\)\([0-9][0-9]\)$/\1:\2/' | date -f - +%s%N | cut -c1-16 > times
	paste -d'|' fields times | awk -F'|' '{ print $2 "|" $3 "|" $4 "|" $5 "|" $6 "|" $7 "|utc" }' | LC_ALL=C sort > want
	sqlite3 c.db "SELECT action, package, arch, version, coalesce(command, ''), time, ts_how FROM package_events WHERE source = 'dnf-log'" | LC_ALL=C sort > got
	diff want got
	[ "$(wc -l < got)" -eq 7 ]
	# the fraction of a second is kept; the command as dnf wrote it
	[ "$(sqlite3 c.db "SELECT time % 1000000 FROM package_events WHERE package = 'telnet'")" -eq 250000 ]
	[ "$(sqlite3 c.db "SELECT command FROM package_events WHERE package = 'gcc'")" = "dnf install nmap gcc " ]
	[ "$(sqlite3 c.db "SELECT count(*) FROM package_events WHERE package = 'socat' AND command IS NULL")" -eq 1 ]
	run "$ANALYZE" findings --db "$SCRATCH/c.db"
	echo "$output" | grep -q 'network tool or compiler installed: nmap'
	echo "$output" | grep -q 'network tool or compiler installed: gcc'
}

# swdb DB: an empty dnf history database with libdnf's swdb schema
# (libdnf/transaction/sql/create_tables.sql, version 1.2: the tables
# dnf 4 writes), the statements written here from its description
swdb() {
	sqlite3 "$1" <<-'SQL'
	CREATE TABLE trans (id INTEGER PRIMARY KEY AUTOINCREMENT,
	    dt_begin INTEGER NOT NULL, dt_end INTEGER,
	    rpmdb_version_begin TEXT, rpmdb_version_end TEXT,
	    releasever TEXT NOT NULL, user_id INTEGER NOT NULL, cmdline TEXT,
	    state INTEGER NOT NULL, comment TEXT DEFAULT '');
	CREATE TABLE repo (id INTEGER PRIMARY KEY, repoid TEXT NOT NULL);
	CREATE TABLE console_output (id INTEGER PRIMARY KEY,
	    trans_id INTEGER REFERENCES trans(id),
	    file_descriptor INTEGER NOT NULL, line TEXT NOT NULL);
	CREATE TABLE item (id INTEGER PRIMARY KEY, item_type INTEGER NOT NULL);
	CREATE TABLE trans_item (id INTEGER PRIMARY KEY AUTOINCREMENT,
	    trans_id INTEGER REFERENCES trans(id),
	    item_id INTEGER REFERENCES item(id),
	    repo_id INTEGER REFERENCES repo(id), action INTEGER NOT NULL,
	    reason INTEGER NOT NULL, state INTEGER NOT NULL);
	CREATE TABLE item_replaced_by (
	    trans_item_id INTEGER REFERENCES trans_item(id),
	    by_trans_item_id INTEGER REFERENCES trans_item(id),
	    PRIMARY KEY (trans_item_id, by_trans_item_id));
	CREATE TABLE trans_with (id INTEGER PRIMARY KEY AUTOINCREMENT,
	    trans_id INTEGER REFERENCES trans(id),
	    item_id INTEGER REFERENCES item(id),
	    CONSTRAINT trans_with_unique_trans_item UNIQUE (trans_id, item_id));
	CREATE TABLE rpm (item_id INTEGER UNIQUE NOT NULL, name TEXT NOT NULL,
	    epoch INTEGER NOT NULL, version TEXT NOT NULL,
	    release TEXT NOT NULL, arch TEXT NOT NULL,
	    FOREIGN KEY(item_id) REFERENCES item(id),
	    CONSTRAINT rpm_unique_nevra UNIQUE (name, epoch, version, release, arch));
	CREATE INDEX rpm_name ON rpm(name);
	CREATE INDEX trans_item_item_id ON trans_item(item_id);
	CREATE TABLE config (key TEXT PRIMARY KEY, value TEXT NOT NULL);
	INSERT INTO config VALUES ('version', '1.2');
	SQL
}

# swdb_fill DB: transactions: installs (one a network tool, one a
# compiler), an upgrade with the version it replaced, a removal, a
# downgrade, a reinstall, an obsoleting, a reason change (no event), a
# hostile command line (an escape, a NUL-free run of bad UTF-8), rows
# that are not rpms (a comps group)
swdb_fill() {
	sqlite3 "$1" <<-'SQL'
	INSERT INTO repo VALUES (1, 'baseos'), (2, '@System');
	INSERT INTO trans VALUES (1, 1675242000, 1675242009, 'a', 'b', '8', 0, 'dnf install nmap gcc', 1, '');
	INSERT INTO trans VALUES (2, 1677916800, 1677916810, 'b', 'c', '8', 1000, 'dnf upgrade curl', 1, '');
	INSERT INTO trans VALUES (3, 1680000000, 1680000005, 'c', 'd', '8', 1000, 'dnf remove telnet', 1, '');
	INSERT INTO trans VALUES (4, 1690000000, 1690000005, 'd', 'e', '8', 0, 'dnf downgrade vim-enhanced ; reinstall bash', 1, '');
	INSERT INTO trans VALUES (5, 1700000000, 1700000005, 'e', 'f', '8', 0, CAST(X'646e6620696e7374616c6c201b5b33316d6e6574636174ff' AS TEXT), 1, '');
	INSERT INTO item VALUES (1,1),(2,1),(3,1),(4,1),(5,1),(6,1),(7,1),(8,1),(9,1),(10,1),(11,1),(12,2),(13,1);
	INSERT INTO rpm VALUES (1, 'nmap', 2, '7.70', '6.el8', 'x86_64');
	INSERT INTO rpm VALUES (2, 'gcc', 0, '8.5.0', '4.el8', 'x86_64');
	INSERT INTO rpm VALUES (3, 'curl', 0, '7.61.1', '22.el8', 'x86_64');
	INSERT INTO rpm VALUES (4, 'curl', 0, '7.61.1', '25.el8', 'x86_64');
	INSERT INTO rpm VALUES (5, 'telnet', 1, '0.17', '76.el8', 'x86_64');
	INSERT INTO rpm VALUES (6, 'vim-enhanced', 2, '8.0.1763', '15.el8', 'x86_64');
	INSERT INTO rpm VALUES (7, 'vim-enhanced', 2, '8.0.1763', '13.el8', 'x86_64');
	INSERT INTO rpm VALUES (8, 'bash', 0, '4.4.20', '4.el8', 'x86_64');
	INSERT INTO rpm VALUES (9, 'systemd', 0, '239', '68.el8', 'x86_64');
	INSERT INTO rpm VALUES (10, 'sysvinit', 0, '2.88', '9.el8', 'x86_64');
	INSERT INTO rpm VALUES (11, 'tar', 2, '1.30', '9.el8', 'x86_64');
	INSERT INTO rpm VALUES (13, 'nc', 0, '7.92', '1.el8', 'x86_64');
	INSERT INTO trans_item VALUES (1, 1, 1, 1, 1, 2, 1), (2, 1, 2, 1, 1, 1, 1);
	INSERT INTO trans_item VALUES (3, 2, 4, 1, 6, 2, 1), (4, 2, 3, 2, 7, 2, 1);
	INSERT INTO item_replaced_by VALUES (4, 3);
	INSERT INTO trans_item VALUES (5, 3, 5, 2, 8, 2, 1);
	INSERT INTO trans_item VALUES (6, 4, 7, 1, 2, 2, 1), (7, 4, 6, 2, 3, 2, 1), (8, 4, 8, 1, 9, 2, 1), (9, 4, 8, 2, 10, 2, 1);
	INSERT INTO item_replaced_by VALUES (7, 6);
	INSERT INTO trans_item VALUES (10, 4, 9, 1, 4, 2, 1), (11, 4, 10, 2, 5, 2, 1), (12, 4, 11, 2, 11, 2, 1), (13, 4, 12, 1, 1, 2, 1);
	INSERT INTO trans_item VALUES (14, 5, 13, 1, 1, 2, 1);
	SQL
}

# hist_oracle DB: the events by sqlite3 over the fixture, a query
# written here: "trans|action|package|arch|version|old|uid|command|utc_us"
hist_oracle() {
	sqlite3 "$1" "SELECT t.id, CASE ti.action WHEN 1 THEN 'install'
	    WHEN 2 THEN 'downgrade' WHEN 4 THEN 'install' WHEN 5 THEN 'remove'
	    WHEN 6 THEN 'upgrade' WHEN 8 THEN 'remove' WHEN 9 THEN 'reinstall'
	    END, r.name, r.arch,
	    iif(r.epoch > 0, r.epoch || ':', '') || r.version || '-' || r.release,
	    coalesce((SELECT iif(o.epoch > 0, o.epoch || ':', '') || o.version
	    || '-' || o.release FROM item_replaced_by b JOIN trans_item x ON
	    x.id = b.trans_item_id JOIN rpm o ON o.item_id = x.item_id WHERE
	    b.by_trans_item_id = ti.id), ''), t.user_id, hex(t.cmdline),
	    t.dt_begin * 1000000 FROM trans t, trans_item ti, rpm r WHERE
	    ti.trans_id = t.id AND r.item_id = ti.item_id AND ti.action IN
	    (1, 2, 4, 5, 6, 8, 9)"
}

@test "pkglogs: dnf's history.sqlite: each package of each transaction, its user id and command line, as sqlite3 reads them" {
	swdb "$R/var/lib/dnf/history.sqlite"
	swdb_fill "$R/var/lib/dnf/history.sqlite"
	linux_image "$R" "$SCRATCH/c.db"
	hist_oracle "$R/var/lib/dnf/history.sqlite" | LC_ALL=C sort > want
	[ "$(wc -l < want)" -eq 9 ]
	# the command line is kept byte for byte but escaped (docs/FORMAT.md):
	# hex of what the case holds, unescaped by Python
	sqlite3 c.db "SELECT trans_id, action, package, arch, version, coalesce(old_version, ''), uid, command, time FROM package_events WHERE source = 'dnf-history'" |
	    python3 -c '
import sys
for l in sys.stdin:
    f = l.rstrip("\n").split("|")
    b = f[7].encode("utf-8").decode("unicode_escape").encode("latin-1") if "\\x" in f[7] else f[7].encode()
    f[7] = b.hex().upper()
    print("|".join(f))' | LC_ALL=C sort > got
	diff want got
	[ "$(sqlite3 c.db "SELECT DISTINCT ts_how FROM package_events WHERE source = 'dnf-history'")" = utc ]
	[ "$(sqlite3 c.db "SELECT old_version FROM package_events WHERE package = 'curl'")" = 7.61.1-22.el8 ]
	# the reason change, the old sides and the comps group are no events
	[ "$(sqlite3 c.db "SELECT count(*) FROM package_events WHERE package = 'tar'")" -eq 0 ]
	run "$ANALYZE" findings --db "$SCRATCH/c.db"
	echo "$output" | grep -q 'network tool or compiler installed: nmap'
	echo "$output" | grep -q 'network tool or compiler installed: gcc'
	# a copy beside it (the same history reached twice): stored once
	cp "$R/var/lib/dnf/history.sqlite" "$R/var/lib/dnf/history.sqlite.1"
	linux_image "$R" "$SCRATCH/d.db"
	[ "$(sqlite3 d.db "SELECT count(*) FROM package_events WHERE source = 'dnf-history'")" -eq 9 ]
}

@test "pkglogs: a hostile history.sqlite: not a database, another schema, a cut file: logged, the rest loaded" {
	printf 'Jan  2 03:04:05 h a[1]: x\n' > "$R/var/lib/dnf/history.sqlite.1"
	swdb "$R/var/lib/dnf/history.sqlite"
	swdb_fill "$R/var/lib/dnf/history.sqlite"
	sqlite3 "$SCRATCH/other.db" "CREATE TABLE trans (id); CREATE VIEW rpm AS SELECT 1 AS item_id"
	cp "$SCRATCH/other.db" "$R/var/lib/dnf/history.sqlite.2"
	head -c 8192 "$R/var/lib/dnf/history.sqlite" > "$R/var/lib/dnf/history.sqlite.3"
	printf '\nLog started: 2024-01-02  03:04:05\nUnpacking nmap (7.93) ...\n' > "$R/var/log/apt/term.log"
	linux_image "$R" "$SCRATCH/c.db"
	sqlite3 c.db "SELECT path, message FROM log WHERE path GLOB '/var/lib/dnf/*'"
	sqlite3 c.db "SELECT message FROM log WHERE path = '/var/lib/dnf/history.sqlite.1'" | grep -q 'not a sqlite database\|not dnf'
	sqlite3 c.db "SELECT message FROM log WHERE path = '/var/lib/dnf/history.sqlite.2'" | grep -q "not dnf's history"
	[ "$(sqlite3 c.db "SELECT count(*) FROM log WHERE path = '/var/lib/dnf/history.sqlite.3'")" -ge 1 ]
	[ "$(sqlite3 c.db "SELECT count(*) FROM package_events WHERE path = '/var/lib/dnf/history.sqlite'")" -eq 9 ]
	[ "$(sqlite3 c.db "SELECT count(*) FROM package_events WHERE source = 'apt-term'")" -eq 1 ]
}

@test "pkglogs: collect copies term.log, dnf.log and history.sqlite (within --logs-max); ingest gives the image's rows" {
	cp "$IRKIT_SRC/tests/data/logs/apt_term.log" "$R/var/log/apt/term.log"
	printf '2023-03-04T08:00:00Z DDEBUG Command: dnf install socat\n2023-03-04T08:00:04Z DEBUG ---> Package socat.x86_64 1.7.4.1-1.el8 will be installed\n' > "$R/var/log/dnf.log"
	swdb "$R/var/lib/dnf/history.sqlite"
	swdb_fill "$R/var/lib/dnf/history.sqlite"
	linux_image "$R" "$SCRATCH/img.db"
	run "$COLLECT" -q -o "$SCRATCH/a.tar.zst" --root "$R" --only logs
	[ "$status" -eq 0 ]
	tar --zstd -tf "$SCRATCH/a.tar.zst" | sed 's,^[^/]*/,,' | grep -E '^files/var/(lib|log)/' | sort > got
	printf '%s\n' files/var/lib/dnf/history.sqlite files/var/log/apt/term.log files/var/log/dnf.log > want
	diff want got
	tar --zstd -xOf "$SCRATCH/a.tar.zst" --wildcards '*/files/var/lib/dnf/history.sqlite' | cmp - "$R/var/lib/dnf/history.sqlite"
	run "$ANALYZE" ingest --db "$SCRATCH/live.db" "$SCRATCH/a.tar.zst"
	[ "$status" -le 1 ]
	q="SELECT path, source, action, package, version, old_version, uid, trans_id, command, time, ts_how, line_hash FROM package_events ORDER BY path, line, trans_id, package, action"
	sqlite3 img.db "$q" > img
	sqlite3 live.db "$q" > live
	diff img live
	[ "$(grep -c '^/var/lib/dnf/history.sqlite|' live)" -eq 9 ]
	# the history (72 KiB) is under the cap like a log, a source of its
	# own: over 40k it is left out and said, the 33 KiB term.log copied
	[ "$(stat -c %s "$R/var/lib/dnf/history.sqlite")" -gt 40960 ]
	run "$COLLECT" -q -o "$SCRATCH/b.tar.zst" --root "$R" --only logs --logs-max 40k
	tar --zstd -tf "$SCRATCH/b.tar.zst" > members
	! grep -q 'files/var/lib/dnf/history.sqlite$' members || false
	grep -q 'files/var/log/apt/term.log$' members
	tar --zstd -xOf "$SCRATCH/b.tar.zst" --wildcards '*/log.jsonl' | grep '"/var/lib/dnf/history.sqlite"' | grep -q 'left out: its log'
}

@test "pkglogs: one install seen in dpkg.log, apt's history and term.log is one finding; another version is another" {
	cat > "$R/var/log/dpkg.log" <<-'EOF2'
	2024-03-10 09:00:01 install nmap:amd64 <none> 7.93+dfsg1-1
	2024-03-10 09:00:02 status installed nmap:amd64 7.93+dfsg1-1
	2024-05-01 10:00:00 install gcc:amd64 <none> 4:12.2.0-3
	EOF2
	cat > "$R/var/log/apt/history.log" <<-'EOF2'

	Start-Date: 2024-03-10  09:00:00
	Commandline: apt-get install nmap
	Install: nmap:amd64 (7.93+dfsg1-1)
	End-Date: 2024-03-10  09:00:03
	EOF2
	cat > "$R/var/log/apt/term.log" <<-'EOF2'

	Log started: 2024-03-10  09:00:00
	Unpacking nmap (7.93+dfsg1-1) ...
	Setting up nmap (7.93+dfsg1-1) ...
	Log ended: 2024-03-10  09:00:03
	EOF2
	# a second nmap, of another version, in another dpkg log
	echo '2024-06-01 10:00:00 install nmap:amd64 <none> 7.94-1' > "$R/var/log/dpkg.log.1"
	linux_image "$R" "$SCRATCH/c.db"
	# the oracle: the installs as stored, per package and version
	[ "$(sqlite3 c.db "SELECT count(*) FROM package_events WHERE package = 'nmap' AND action = 'install' AND version = '7.93+dfsg1-1'")" -eq 3 ]
	sqlite3 c.db "SELECT package FROM package_events WHERE action IN ('install', 'reinstall') AND package IN ('nmap', 'gcc') GROUP BY package, version" | sort > want
	run "$ANALYZE" findings --db "$SCRATCH/c.db"
	echo "$output" | grep -o 'network tool or compiler installed: [a-z]*' | sed 's/.*: //' | sort > got
	diff want got
	[ "$(wc -l < got)" -eq 3 ]
}

# swdb_wal DIR: DIR/history.sqlite (swdb_fill's transactions, checkpointed)
# and DIR/history.sqlite-wal holding two more transactions only (an
# install of socat, a removal of nmap), copied while dnf's connection
# is open with wal_autocheckpoint=0, as a live copy finds them
swdb_wal() {
	swdb "$SCRATCH/w.sqlite"
	swdb_fill "$SCRATCH/w.sqlite"
	python3 - "$SCRATCH/w.sqlite" "$1" <<-'PY'
	import shutil, sqlite3, sys
	c = sqlite3.connect(sys.argv[1], isolation_level=None)
	c.execute("PRAGMA journal_mode=WAL")
	c.execute("PRAGMA wal_autocheckpoint=0")
	c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
	c.execute("BEGIN")
	c.execute("INSERT INTO trans VALUES (6, 1710000000, 1710000005, 'f', 'g', '8', 1000, 'dnf install socat', 1, '')")
	c.execute("INSERT INTO item VALUES (14, 1)")
	c.execute("INSERT INTO rpm VALUES (14, 'socat', 0, '1.7.4.1', '1.el8', 'x86_64')")
	c.execute("INSERT INTO trans_item VALUES (15, 6, 14, 1, 1, 2, 1)")
	c.execute("COMMIT")
	c.execute("INSERT INTO trans VALUES (7, 1720000000, 1720000005, 'g', 'h', '8', 0, 'dnf remove nmap', 1, '')")
	c.execute("INSERT INTO trans_item VALUES (16, 7, 1, 2, 8, 2, 1)")
	shutil.copy(sys.argv[1], sys.argv[2] + "/history.sqlite")
	shutil.copy(sys.argv[1] + "-wal", sys.argv[2] + "/history.sqlite-wal")
	PY
}

# hist_rows DB: the dnf-history events of a case as hist_oracle prints
# them, the command line left out
hist_rows() {
	sqlite3 "$1" "SELECT trans_id, action, package, arch, version, coalesce(old_version, ''), uid, time FROM package_events WHERE source = 'dnf-history'" | LC_ALL=C sort
}

@test "pkglogs: dnf's history.sqlite-wal: the transactions only in the write-ahead log loaded once, as sqlite3 reads db and log; live, image and foreign alike" {
	swdb_wal "$R/var/lib/dnf"
	# the fixture: the database alone has 9 events, with its log 11
	mkdir o1 o2
	cp "$R/var/lib/dnf/history.sqlite" o1/
	[ "$(hist_oracle o1/history.sqlite | wc -l)" -eq 9 ]
	cp "$R/var/lib/dnf/history.sqlite" "$R/var/lib/dnf/history.sqlite-wal" o2/
	hist_oracle o2/history.sqlite | cut -d'|' -f1-7,9 | LC_ALL=C sort > want
	[ "$(wc -l < want)" -eq 11 ]
	grep -q '^6|install|socat|x86_64|1.7.4.1-1.el8||1000|1710000000000000$' want
	grep -q '^7|remove|nmap|' want
	mkdir "$SCRATCH/tmp"
	export TMPDIR=$SCRATCH/tmp
	linux_image "$R" "$SCRATCH/c.db"
	hist_rows c.db > got
	diff want got
	[ "$(sqlite3 c.db "SELECT count(DISTINCT line_hash) FROM package_events WHERE source = 'dnf-history'")" -eq 11 ]
	sqlite3 c.db "SELECT message FROM log WHERE path = '/var/lib/dnf/history.sqlite-wal'" | grep -q 'frame(s) of the write-ahead log read'
	# the private copy is gone
	[ -z "$(ls -A "$SCRATCH/tmp")" ]
	# live: collect copies the log too; ingest of it and of a tarball
	# of the root give the same rows
	run "$COLLECT" -q -o "$SCRATCH/a.tar.zst" --root "$R" --only logs
	[ "$status" -eq 0 ]
	tar --zstd -xOf "$SCRATCH/a.tar.zst" --wildcards '*/files/var/lib/dnf/history.sqlite-wal' | cmp - "$R/var/lib/dnf/history.sqlite-wal"
	run "$ANALYZE" ingest --db "$SCRATCH/live.db" "$SCRATCH/a.tar.zst"
	[ "$status" -le 1 ]
	tar -C "$R" -czf "$SCRATCH/root.tar.gz" .
	run "$ANALYZE" ingest --db "$SCRATCH/foreign.db" "$SCRATCH/root.tar.gz"
	[ "$status" -le 1 ]
	hist_rows live.db | diff want -
	hist_rows foreign.db | diff want -
	[ -z "$(ls -A "$SCRATCH/tmp")" ]
}

@test "pkglogs: a garbage or mismatched history.sqlite-wal: logged naming it, the database's own rows loaded; a WAL database without its log read" {
	mkdir good
	swdb_wal good
	# a log of random bytes
	cp good/history.sqlite "$R/var/lib/dnf/history.sqlite"
	head -c "$(stat -c %s good/history.sqlite-wal)" /dev/urandom > "$R/var/lib/dnf/history.sqlite-wal"
	# a log whose first frame's salt is not its header's: SQLite stops
	# there (a frame of another generation of the log)
	cp good/history.sqlite "$R/var/lib/dnf/history.sqlite.1"
	python3 -c '
import sys
b = bytearray(open(sys.argv[1], "rb").read())
b[32 + 8] ^= 0xff
open(sys.argv[2], "wb").write(b)' good/history.sqlite-wal "$R/var/lib/dnf/history.sqlite.1-wal"
	# a database in WAL mode whose log was checkpointed and removed
	swdb "$R/var/lib/dnf/history.sqlite.2"
	sqlite3 "$R/var/lib/dnf/history.sqlite.2" "PRAGMA journal_mode=WAL;
	    INSERT INTO trans VALUES (1, 1730000000, 1730000001, 'a', 'b', '8', 0, 'dnf install zmap', 1, '');
	    INSERT INTO item VALUES (1, 1); INSERT INTO rpm VALUES (1, 'zmap', 0, '2.1.1', '1.el8', 'x86_64');
	    INSERT INTO trans_item VALUES (1, 1, 1, 1, 1, 2, 1)" > /dev/null
	[ ! -e "$R/var/lib/dnf/history.sqlite.2-wal" ]
	[ "$(od -An -tu1 -j18 -N2 "$R/var/lib/dnf/history.sqlite.2" | tr -d ' ')" = 22 ]
	mkdir "$SCRATCH/tmp"
	export TMPDIR=$SCRATCH/tmp
	linux_image "$R" "$SCRATCH/c.db"
	sqlite3 c.db "SELECT path, message FROM log WHERE path GLOB '/var/lib/dnf/*'"
	[ "$(sqlite3 c.db "SELECT package FROM package_events WHERE path = '/var/lib/dnf/history.sqlite.2'")" = zmap ]
	sqlite3 c.db "SELECT message FROM log WHERE path = '/var/lib/dnf/history.sqlite-wal'" | grep -q 'write-ahead log ignored'
	sqlite3 c.db "SELECT message FROM log WHERE path = '/var/lib/dnf/history.sqlite.1-wal'" | grep -q 'write-ahead log ignored'
	[ "$(sqlite3 c.db "SELECT count(*) FROM package_events WHERE path = '/var/lib/dnf/history.sqlite'")" -eq 9 ]
	[ "$(sqlite3 c.db "SELECT count(*) FROM package_events WHERE package = 'socat'")" -eq 0 ]
	[ -z "$(ls -A "$SCRATCH/tmp")" ]
}

@test "pkglogs: a downgrade in dpkg.log and term.log by Debian's version order; a security package downgraded is one finding (40), other downgrades and upgrades none" {
	cat > "$R/var/log/dpkg.log" <<-'EOF2'
	2024-05-02 10:00:01 upgrade sudo:amd64 1.9.13p3-1+deb12u1 1.9.13p3-1
	2024-05-02 10:00:02 upgrade openssh-server:amd64 1:9.2p1-2+deb12u3 1:9.2p1-2+deb12u2
	2024-05-02 10:00:03 upgrade curl:amd64 7.88.1-10+deb12u10 7.88.1-10+deb12u5
	2024-05-02 10:00:04 upgrade vim:amd64 2:9.0.1378-2~bpo12+1 2:9.0.1378-2
	2024-05-02 10:00:05 upgrade libc6:amd64 2.36-9+deb12u3 2.36-9+deb12u4
	2024-05-02 10:00:06 upgrade bash:amd64 5.2.15-2+b2 5.2.15-2+b2
	EOF2
	cat > "$R/var/log/apt/term.log" <<-'EOF2'

	Log started: 2024-05-02  10:00:00
	Unpacking sudo (1.9.13p3-1) over (1.9.13p3-1+deb12u1) ...
	Unpacking libc6:amd64 (2.36-9+deb12u4) over (2.36-9+deb12u3) ...
	Log ended: 2024-05-02  10:00:09
	EOF2
	linux_image "$R" "$SCRATCH/c.db"
	# the oracle: dpkg's own order over each dpkg.log line's versions
	while read -r d t a p old new; do
		if dpkg --compare-versions "$new" lt "$old"; then a=downgrade; fi
		echo "$a|${p%%:*}|$new|$old"
	done < "$R/var/log/dpkg.log" | LC_ALL=C sort > want
	grep -q '^downgrade|sudo|' want
	grep -q '^upgrade|vim|' want
	sqlite3 c.db "SELECT action, package, version, old_version FROM package_events WHERE source = 'dpkg'" | LC_ALL=C sort > got
	diff want got
	[ "$(sqlite3 c.db "SELECT action FROM package_events WHERE source = 'apt-term' AND package = 'sudo'")" = downgrade ]
	# findings: sudo (two logs, one finding) and openssh-server; not
	# curl (no security package), vim, libc6 (upgrades), bash (the same)
	run "$ANALYZE" findings --db "$SCRATCH/c.db"
	echo "$output" | grep -o 'security package downgraded: [a-z-]*' | sed 's/.*: //' | sort > got
	printf '%s\n' openssh-server sudo > want
	diff want got
	[ "$(sqlite3 c.db "SELECT count(*) FROM findings WHERE title = 'security package downgraded: sudo' AND score = 40")" -eq 1 ]
	sqlite3 c.db "SELECT reasons FROM findings WHERE title = 'security package downgraded: sudo'" | grep -q 'downgrade sudo to 1.9.13p3-1 from 1.9.13p3-1+deb12u1'
}
