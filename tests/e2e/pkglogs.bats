#!/usr/bin/env bats
bats_require_minimum_version 1.5.0
#
# The package logs docs/logs.md ("Packages") added after the first ones:
# apt's term.log, dnf.log and dnf's history.sqlite, read by the
# analyzer's package_logs collector on an ext4 root made at test time.
#
# Oracles: awk over the term.log and dnf.log lines with GNU date for
# the times (the target's zone given to date, the analyst's TZ set to
# another); sqlite3 queries written here over a history.sqlite made here
# with libdnf's swdb schema (docs/logs.md names its source).
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

image() {
	command -v mkfs.ext4 >/dev/null || skip "no mkfs.ext4"
	rm -f "$SCRATCH/r.raw"
	mkfs.ext4 -q -F -d "$1" "$SCRATCH/r.raw" 64M
	run "$ANALYZE" image -q --no-scan --db "$2" "$SCRATCH/r.raw"
	echo "$output"
	[ "$status" -le 1 ]
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
# the target's zone
term_oracle() {
	awk '
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
		if (a == "install" && $4 == "over") { o = $5; gsub(/[()]/, "", o); a = (o == v) ? "reinstall" : "upgrade" }
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
	image "$R" "$SCRATCH/c.db"
	{ term_oracle "$R/var/log/apt/term.log"; term_oracle "$R/var/log/apt/term.log.1"; } | LC_ALL=C sort > want
	sqlite3 c.db "SELECT action, package, coalesce(arch, ''), version, coalesce(old_version, ''), time, ts_how FROM package_events WHERE source = 'apt-term'" | LC_ALL=C sort > got
	diff want got
	# the real sample's package lines, counted by grep
	n=$(grep -cE '^(Unpacking|Setting up|Removing|Purging configuration files for) [^ ]+ \(' "$IRKIT_SRC/tests/data/logs/apt_term.log")
	[ "$n" -gt 200 ]
	[ "$(sqlite3 c.db "SELECT count(*) FROM package_events WHERE path = '/var/log/apt/term.log'")" -eq "$n" ]
	[ "$(sqlite3 c.db "SELECT count(*) FROM package_events WHERE path = '/var/log/apt/term.log.1'")" -eq 8 ]
	# the made one's actions, its DST gap, its zone
	[ "$(sqlite3 c.db "SELECT group_concat(action || ':' || package, ' ') FROM (SELECT * FROM package_events WHERE path = '/var/log/apt/term.log.1' ORDER BY line)")" = \
	    "install:nmap upgrade:libc6 reinstall:bash configure:nmap configure:libc6 remove:telnet purge:telnet install:socat" ]
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
	image "$R" "$SCRATCH/c.db"
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
