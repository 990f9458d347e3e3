#!/usr/bin/env bats
bats_require_minimum_version 1.5.0
#
# Windows execution and persistence artifacts (docs/windows-artifacts.md)
# read by irkit-analyze image from a FAT volume laid out as Windows,
# built at test time: hives written with hivexsh from the scripts of
# tests/gen/win_art.py (autoruns, UserAssist, ShimCache, BAM/DAM,
# Amcache), PSReadLine histories.
#
# Oracles: RegRipper (regripper -p run, userassist, appcompatcache, bam,
# amcache) on the same hive files, regfexport (libregf-utils) for raw
# values and key times, the generator's own inputs for the PSReadLine
# lines, the bundled IOC lists (grep) for the hits.
load helpers

# hive NAME EMBEDDED SCRIPT: an empty hive made with mkhive.py, its
# embedded name set (RegRipper guesses the hive's kind from it), filled
# by hivexsh
hive() {
	python3 "$IRKIT_SRC"/tests/gen/mkhive.py "$W/$1"
	python3 "$IRKIT_SRC"/tests/gen/win_art.py --embed "$W/$1" "$2"
	hivexsh -w "$W/$1" < "$W/$3"
}

# win_tree DIR: the hives and histories of tests/gen/win_art.py, and the
# Windows root laid out under DIR/root
win_tree() {
	W=$1
	mkdir -p "$W"
	python3 "$IRKIT_SRC"/tests/gen/win_art.py "$W"
	hive SOFTWARE SOFTWARE software.hsh
	hive SYSTEM SYSTEM system.hsh
	hive NTUSER-bob NTUSER.DAT ntuser-bob.hsh
	hive NTUSER-alice NTUSER.DAT ntuser-alice.hsh
	hive Amcache.hve Amcache.hve amcache.hsh
	local r=$W/root
	mkdir -p "$r/Windows/System32/config" "$r/Windows/AppCompat/Programs" \
		"$r/Users/Public/Documents"
	cp "$W/SYSTEM" "$W/SOFTWARE" "$r/Windows/System32/config/"
	cp "$W/Amcache.hve" "$r/Windows/AppCompat/Programs/"
	cp "$W/NTUSER-bob" "$r/Users/bob/NTUSER.DAT"
	cp "$W/NTUSER-alice" "$r/Users/alice/NTUSER.DAT"
}

# fat_image DIR OUT: DIR's tree on a FAT volume (mtools)
fat_image() {
	truncate -s 16M "$2"
	mkfs.vfat -n WIN "$2" >/dev/null
	MTOOLS_SKIP_CHECK=1 mcopy -s -i "$2" "$1"/* ::/
}

# hives_image: in $W, the hives of win_art.py (with its environment) on
# a FAT volume $W/win.raw, without the users' folders
hives_image() {
	win_tree "$W"
	rm -rf "$W/root/Users"
	fat_image "$W/root" "$W/win.raw"
}

setup_file() {
	FX=$(mktemp -d "${BATS_TMPDIR:-/tmp}/irkit-winart.XXXXXX")
	export FX
	win_tree "$FX/w"
	fat_image "$FX/w/root" "$FX/win.raw"
	"$ANALYZE" image -q --db "$FX/case.db" "$FX/win.raw" \
		>"$FX/image.out" 2>&1 || echo "status $?" >>"$FX/image.out"
}

teardown_file() {
	[ -n "${FX:-}" ] && rm -rf "$FX"
}

setup() {
	setup_scratch
}

teardown() {
	teardown_scratch
}

q() {
	sqlite3 -separator '|' "$FX/case.db" "$@"
}

@test "winart: the image loads complete, every artifact collector ran" {
	cat "$FX/image.out"
	! grep -q status "$FX/image.out" || false
	[ "$(q "select status from evidence")" = complete ]
	[ "$(q "select count(*) from log where level in ('error', 'warn')")" -eq 0 ]
}

# rr_run HIVE: regripper -p run as "KEY|NAME|DATA|LASTWRITE" lines
rr_run() {
	regripper -r "$1" -p run 2>/dev/null | awk '
		/^LastWrite Time / { t = $3 " " $4; sub(/Z$/, "", t); next }
		/^[A-Za-z]/ && !/not found|no subkeys|has no values|^run v|^Launching|^\(/ { key = $0; next }
		/^  / { sub(/^  /, ""); i = index($0, " - "); print key "|" substr($0, 1, i - 1) "|" substr($0, i + 3) "|" t }' |
		sort
}

# regf_strings HIVE: regfexport's string values as "KEY|NAME|DATA" (the
# key below the root)
regf_strings() {
	regfexport "$1" 2>/dev/null | awk '
		/^Key path: / { k = substr($0, 11); sub(/^[^\\]*\\?/, "", k); next }
		/^Value: / { n = $0; sub(/^Value: [0-9]+ ?/, "", n); next }
		/^Type: / { s = ($0 ~ /REG_(EXPAND_)?SZ/); next }
		/^Data: / && s { print k "|" n "|" substr($0, 7) }'
}

@test "autorun: SOFTWARE Run keys and their times equal regripper -p run" {
	rr_run "$FX/w/SOFTWARE" > "$SCRATCH/want"
	cat "$SCRATCH/want"
	q "select key, name, command, strftime('%Y-%m-%d %H:%M:%S', key_time / 1000000, 'unixepoch') from autoruns where hive = '/Windows/System32/config/SOFTWARE' and kind in ('run', 'runonce') order by 1, 2" | sort > "$SCRATCH/got"
	diff "$SCRATCH/want" "$SCRATCH/got"
	[ "$(wc -l < "$SCRATCH/got")" -eq 4 ]
}

@test "autorun: each user's Run keys equal regripper -p run on their NTUSER.DAT, with the user and the SID of ProfileList" {
	rr_run "$FX/w/NTUSER-bob" > "$SCRATCH/want"
	q "select key, name, command, strftime('%Y-%m-%d %H:%M:%S', key_time / 1000000, 'unixepoch') from autoruns where kind = 'run' and user = 'bob'" | sort > "$SCRATCH/got"
	diff "$SCRATCH/want" "$SCRATCH/got"
	[ "$(wc -l < "$SCRATCH/got")" -eq 2 ]
	[ "$(q "select distinct hive || '|' || sid from autoruns where user = 'bob'")" = "/Users/bob/NTUSER.DAT|S-1-5-21-111-222-333-1001" ]
	# alice's profile path uses %SystemDrive%: her SID is found all the same
	[ "$(q "select sid from autoruns where user = 'alice'")" = S-1-5-21-111-222-333-1002 ]
	# Public has no NTUSER.DAT: nothing, and no error (first test)
}

@test "autorun: Winlogon, IFEO Debugger and AppInit_DLLs values equal regfexport's" {
	regf_strings "$FX/w/SOFTWARE" | grep -E '\\Winlogon\|(Shell|Userinit|Taskman)\||\|Debugger\||\|AppInit_DLLs\|' | sort > "$SCRATCH/want"
	cat "$SCRATCH/want"
	[ "$(wc -l < "$SCRATCH/want")" -eq 4 ]
	q "select key, case kind when 'ifeo-debugger' then 'Debugger' else name end, command from autoruns where hive like '%SOFTWARE' and kind in ('winlogon', 'ifeo-debugger', 'appinit-dlls')" | sort > "$SCRATCH/got"
	diff "$SCRATCH/want" "$SCRATCH/got"
	# the IFEO row is named by its program
	[ "$(q "select name from autoruns where kind = 'ifeo-debugger'")" = sethc.exe ]
	# notepad.exe's IFEO key has no Debugger: no row
	[ "$(q "select count(*) from autoruns where name = 'notepad.exe'")" -eq 0 ]
}

@test "autorun findings: user-folder Run values, the IFEO debugger, AppInit_DLLs, a changed Winlogon Shell; not the default ones" {
	q "select title from findings where category = 'persistence' order by title" > "$SCRATCH/f"
	cat "$SCRATCH/f"
	grep -qx 'autorun from a user folder: Updater' "$SCRATCH/f"
	grep -qx 'autorun from a user folder: Helper32' "$SCRATCH/f"
	grep -qx 'autorun from a user folder: Sync' "$SCRATCH/f"
	grep -qx 'debugger set for sethc.exe' "$SCRATCH/f"
	grep -qx 'AppInit_DLLs set' "$SCRATCH/f"
	grep -qx 'Winlogon Shell changed' "$SCRATCH/f"
	# the defaults and the programs under Program Files are no finding
	! grep -q 'OneDrive\|Teams\|Setup\|Userinit' "$SCRATCH/f" || false
	# alice's Shell: one finding, both reasons, the scores summed (capped)
	run q "select f.score || '|' || json_array_length(f.reasons) from findings f join finding_links l on l.finding_id = f.id and l.record_table = 'autoruns' join autoruns a on a.id = l.record_id where a.user = 'alice'"
	[ "$output" = "100|2" ]
}

@test "userassist: ROT13 names, run counts and last runs equal regripper -p userassist (to the second)" {
	regripper -r "$FX/w/NTUSER-bob" -p userassist 2>/dev/null | awk '
		/^[0-9][0-9][0-9][0-9]-/ { t = $1 " " $2; sub(/Z$/, "", t); next }
		/^  / { sub(/^  /, ""); n = $0; sub(/ \([0-9]+\)$/, "", n); c = $0; sub(/.* \(/, "", c); sub(/\)$/, "", c); print n "|" c "|" t }' |
		sort > "$SCRATCH/want"
	cat "$SCRATCH/want"
	[ "$(wc -l < "$SCRATCH/want")" -eq 3 ]
	q "select name, count, strftime('%Y-%m-%d %H:%M:%S', last_run / 1000000, 'unixepoch') from userassist order by 1" | sort > "$SCRATCH/got"
	cat "$SCRATCH/got"
	# regripper rounds some FILETIMEs down a second (floating point)
	python3 - "$SCRATCH/want" "$SCRATCH/got" <<'PY'
import sys, datetime
def rows(p):
    out = []
    for l in open(p):
        n, c, t = l.rstrip("\n").rsplit("|", 2)
        out.append((n, int(c), datetime.datetime.strptime(t, "%Y-%m-%d %H:%M:%S")))
    return sorted(out)
w, g = rows(sys.argv[1]), rows(sys.argv[2])
assert len(w) == len(g), (w, g)
for a, b in zip(w, g):
    assert a[:2] == b[:2], (a, b)
    assert abs((a[2] - b[2]).total_seconds()) <= 1, (a, b)
PY
	# the Windows 7 value's focus fields; UEME_CTLSESSION is not a count
	[ "$(q "select focus_count || '|' || focus_ms || '|' || user || '|' || sid from userassist where name like '%cmd.exe'")" = "3|12345|bob|S-1-5-21-111-222-333-1001" ]
	[ "$(q "select count(*) from userassist where name like 'UEME%'")" -eq 0 ]
	# a timeline event per run
	[ "$(q "select count(*) from events where source = 'USERASSIST'")" -eq 3 ]
}

@test "userassist: a name in the IOC file-name list is an IOC finding" {
	grep -q '^gracious_truth.jpg' "$IRKIT_SRC/yara-rules/iocs/filenames.txt"
	run sqlite3 "$FX/case.db" "select count(*) from ioc_hits where record_table = 'userassist' and kind = 'filename' and value = 'gracious_truth.jpg'"
	[ "$output" -eq 1 ]
	run sqlite3 "$FX/case.db" "select f.category || '|' || f.title from findings f join finding_links l on l.finding_id = f.id where l.record_table = 'userassist'"
	echo "$output"
	[[ "$output" == "ioc|IOC filename gracious_truth.jpg in userassist bob: C:\Users\bob\Downloads\gracious_truth.jpg" ]]
}

@test "contract: every key the Windows artifact collectors write is declared and documented" {
	: > "$SCRATCH/r.jsonl"
	for t in autoruns userassist shimcache bam amcache_files psreadline_commands; do
		q "select record from $t" >> "$SCRATCH/r.jsonl"
	done
	for t in autorun userassist shimcache bam amcache_file psreadline; do
		grep -q "\"type\":\"$t\"" "$SCRATCH/r.jsonl"
	done
	run env IRKIT_TEST_RECORDS="$SCRATCH/r.jsonl" "$IRKIT_BUILD/tests/test_records"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"[       OK ] test_collected_keys_are_declared"* ]]
}

# rr_shim HIVE: regripper -p appcompatcache as "PATH|TIME|EXECUTED" lines
rr_shim() {
	regripper -r "$1" -p appcompatcache 2>/dev/null | awk '
		/^[A-Za-z]:\\/ { ex = ($NF == "Executed"); if (ex) NF--; t = $(NF - 1) " " $NF; NF -= 2; print $0 "|" t "|" ex }' | sort
}

# same_shim WANT GOT: the same paths and executed flags, times within 1 s
# (regripper rounds some FILETIMEs down a second)
same_shim() {
	python3 - "$1" "$2" <<'PY'
import sys, datetime
def rows(p):
    out = []
    for l in open(p):
        n, t, e = l.rstrip("\n").rsplit("|", 2)
        out.append((n, e, datetime.datetime.strptime(t, "%Y-%m-%d %H:%M:%S")))
    return sorted(out)
w, g = rows(sys.argv[1]), rows(sys.argv[2])
assert len(w) == len(g) == 3, (w, g)
for a, b in zip(w, g):
    assert a[:2] == b[:2], (a, b)
    assert abs((a[2] - b[2]).total_seconds()) <= 1, (a, b)
PY
}

@test "shimcache: Windows 10 entries of the current control set equal regripper -p appcompatcache, in the cache's order" {
	rr_shim "$FX/w/SYSTEM" > "$SCRATCH/want"
	cat "$SCRATCH/want"
	q "select path, strftime('%Y-%m-%d %H:%M:%S', mtime / 1000000, 'unixepoch'), 0 from shimcache" > "$SCRATCH/got"
	same_shim "$SCRATCH/want" "$SCRATCH/got"
	# the order of the blob (most recent first), ControlSet002 not read
	[ "$(q "select group_concat(entry || ':' || format || ':' || control_set, ' ') from shimcache")" = "1:win10:ControlSet001 2:win10:ControlSet001 3:win10:ControlSet001" ]
	[ "$(q "select count(*) from shimcache where path like '%stale%'")" -eq 0 ]
	[ "$(q "select count(*) from shimcache where executed is not null")" -eq 0 ]
	[ "$(q "select count(*) from events where source = 'SHIMCACHE'")" -eq 3 ]
}

@test "shimcache: the Windows 7 (x64, x86), 8.0 and 8.1 layouts equal regripper -p appcompatcache, with the executed flag" {
	local f
	for f in win7-x64 win7-x86 win8.0 win8.1; do
		W=$SCRATCH/$f
		SHIM_FORMAT=$f hives_image
		"$ANALYZE" image -q --no-scan --db "$W/c.db" "$W/win.raw"
		rr_shim "$W/SYSTEM" > "$W/want"
		sqlite3 -separator '|' "$W/c.db" "select path, strftime('%Y-%m-%d %H:%M:%S', mtime / 1000000, 'unixepoch'), case when '$f' like 'win7%' then executed else 0 end from shimcache" > "$W/got"
		echo "$f"; cat "$W/want"
		same_shim "$W/want" "$W/got"
		[ "$(sqlite3 "$W/c.db" "select group_concat(distinct format) from shimcache")" = "$f" ]
		# 7 and 8 keep the insert flag: cmd.exe and h.exe ran
		[ "$(sqlite3 "$W/c.db" "select group_concat(executed, '') from shimcache order by entry")" = 101 ]
	done
}

@test "shimcache: an entry claiming 2 GiB is an error naming the hive and key; the entry before it loads; exit 1" {
	W=$SCRATCH/h
	SHIM_HOSTILE=1 hives_image
	run timeout 30 "$ANALYZE" image --no-scan --db "$W/c.db" "$W/win.raw"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"win_shimcache"*"AppCompatCache"*"entry 2 at offset"*"past the end"* ]]
	[ "$(sqlite3 "$W/c.db" "select count(*) from log where level = 'error' and path = '/Windows/System32/config/SYSTEM' and message like 'key ''ControlSet001\Control\Session Manager\AppCompatCache'' value AppCompatCache: entry 2 at offset % past the end%'")" -eq 1 ]
	[ "$(sqlite3 "$W/c.db" "select path from shimcache")" = 'C:\Windows\System32\cmd.exe' ]
	[ "$(sqlite3 "$W/c.db" "select status from evidence")" = partial ]
	# the only error: the other collectors of the hive ran
	[ "$(sqlite3 "$W/c.db" "select count(*) from log where level = 'error'")" -eq 1 ]
	[ "$(sqlite3 "$W/c.db" "select count(*) from services")" -eq 0 ]
	[ "$(sqlite3 "$W/c.db" "select count(*) from autoruns")" -gt 0 ]
}

@test "bam: the programs and last runs of bam\\State\\UserSettings equal regripper -p bam; dam and the old layout read too" {
	regripper -r "$FX/w/SYSTEM" -p bam 2>/dev/null | awk '
		/^S-1-/ { sid = $1; next }
		/^  [0-9]/ { t = $1 " " $2; sub(/Z$/, "", t); p = $0; sub(/^  [^ ]+ [^ ]+ - /, "", p); print sid "|" p "|" t }' | sort > "$SCRATCH/want"
	cat "$SCRATCH/want"
	[ "$(wc -l < "$SCRATCH/want")" -eq 2 ]
	q "select sid, path, strftime('%Y-%m-%d %H:%M:%S', last_run / 1000000, 'unixepoch') from bam where kind = 'bam' and key like '%\State\UserSettings\%'" | sort > "$SCRATCH/got"
	diff "$SCRATCH/want" "$SCRATCH/got"
	# the user of the SID (ProfileList); Version and SequenceNumber are no program
	[ "$(q "select distinct user from bam where sid = 'S-1-5-21-111-222-333-1001'")" = bob ]
	[ "$(q "select count(*) from bam where path in ('Version', 'SequenceNumber')")" -eq 0 ]
	# DAM (alice) and bam\UserSettings (before Windows 10 1809): the
	# value names as regfexport lists them, the times the generator wrote
	regfexport "$FX/w/SYSTEM" 2>/dev/null > "$SCRATCH/sys.txt"
	grep -q '^Value: 0 Microsoft.WindowsCalculator_8wekyb3d8bbwe$' "$SCRATCH/sys.txt"
	[ "$(q "select user || '|' || path || '|' || strftime('%Y-%m-%d %H:%M:%S', last_run / 1000000, 'unixepoch') from bam where kind = 'dam'")" = "alice|Microsoft.WindowsCalculator_8wekyb3d8bbwe|2023-11-15 06:00:00" ]
	[ "$(q "select key || '|' || coalesce(user, '-') || '|' || strftime('%H:%M', last_run / 1000000, 'unixepoch') from bam where sid = 'S-1-5-18'")" = 'ControlSet001\Services\bam\UserSettings\S-1-5-18|-|07:00' ]
	[ "$(q "select count(*) from events where source = 'BAM'")" -eq 4 ]
}

@test "amcache: both layouts equal regripper -p amcache (path, SHA-1, first seen, times), sizes as regfexport shows them" {
	regripper -r "$FX/w/Amcache.hve" -p amcache 2>/dev/null > "$SCRATCH/rr"
	cat "$SCRATCH/rr"
	# InventoryApplicationFile: "PATH  LastWrite: T" then "Hash: SHA1"
	awk '/  LastWrite: / { p = $0; sub(/  LastWrite: .*/, "", p); t = $(NF - 1) " " $NF; sub(/Z$/, "", t) }
		/^Hash: / { print p "|" $2 "|" t }' "$SCRATCH/rr" | sort > "$SCRATCH/want"
	# Root\File: "Path", "SHA-1" (0000 and the SHA-1), "LastWrite",
	# "Last Mod Time2", "Compile Time"
	awk -F ' *: ' '/^Path/ { p = $2 } /^SHA-1/ { h = substr($2, 5) } /^LastWrite/ { t = $2 }
		/^Last Mod Time2/ { m = $2 } /^Compile Time/ { c = $2; print p "|" h "|" t "|" m "|" c }' "$SCRATCH/rr" |
		sed 's/Z|/|/g; s/Z$//' > "$SCRATCH/want_old"
	[ "$(wc -l < "$SCRATCH/want")" -eq 2 ]
	[ "$(wc -l < "$SCRATCH/want_old")" -eq 1 ]
	t="strftime('%Y-%m-%d %H:%M:%S', X / 1000000, 'unixepoch')"
	q "select path, sha1, ${t//X/first_seen} from amcache_files where layout = 'InventoryApplicationFile'" | sort > "$SCRATCH/got"
	diff "$SCRATCH/want" "$SCRATCH/got"
	q "select path, sha1, ${t//X/first_seen}, ${t//X/modified}, ${t//X/link_date} from amcache_files where layout = 'File'" > "$SCRATCH/got_old"
	diff "$SCRATCH/want_old" "$SCRATCH/got_old"
	# Size (REG_QWORD) and LinkDate as regfexport prints them
	regfexport "$FX/w/Amcache.hve" 2>/dev/null > "$SCRATCH/regf"
	grep -qx 'Data: 1011032' "$SCRATCH/regf"
	grep -qx 'Data: 03/24/2020 08:48:56' "$SCRATCH/regf"
	[ "$(q "select size || '|' || ${t//X/link_date} || '|' || publisher || '|' || name from amcache_files where sha1 like '16505d0b%'")" = "1011032|2020-03-24 08:48:56|solarwinds worldwide, llc|SolarWinds.Orion.Core.BusinessLayer.dll" ]
	# the old layout's name is the path's last part
	[ "$(q "select name || '|' || size || '|' || product from amcache_files where layout = 'File'")" = "mimikatz.exe|862720|mimikatz" ]
	[ "$(q "select count(*) from events where source = 'AMCACHE'")" -eq 6 ]
}

@test "amcache: the bundled SUNBURST SHA-1 in FileId is an IOC hit and a finding, with the file-name hit" {
	# the SHA-1 is a value of the bundled list, not a comment
	grep -q '^16505d0b929d80ad1680f993c02954cfd3772207[[:space:]]' "$IRKIT_SRC/yara-rules/iocs/sha1.txt"
	[ "$(q "select count(*) from ioc_hits where record_table = 'amcache_files' and kind = 'sha1' and value = '16505d0b929d80ad1680f993c02954cfd3772207'")" -eq 1 ]
	run q "select f.score || '|' || f.title || '|' || f.reasons from findings f join finding_links l on l.finding_id = f.id where l.record_table = 'amcache_files'"
	echo "$output"
	[ "${#lines[@]}" -eq 1 ]
	[[ "$output" == "100|IOC "*"solarwinds.orion.core.businesslayer.dll"* ]]
	[[ "$output" == *"IOC sha1 match: 16505d0b929d80ad1680f993c02954cfd3772207 - SUNBURST"* ]]
	# no other Amcache row hits
	[ "$(q "select count(distinct record_id) from ioc_hits where record_table = 'amcache_files'")" -eq 1 ]
	# the ShimCache entry of the same name: a file-name hit only
	[ "$(q "select group_concat(kind) from ioc_hits where record_table = 'shimcache'")" = filename ]
}

@test "psreadline: one row per command of every user's history, as the files' own lines say (python3 oracle)" {
	python3 - "$FX/w/root/Users" > "$SCRATCH/want" <<'PY'
import glob, os, sys
for p in sorted(glob.glob(sys.argv[1] + "/*/AppData/Roaming/Microsoft/Windows/PowerShell/PSReadLine/*_history.txt")):
    user = p[len(sys.argv[1]) + 1:].split("/")[0]
    host = os.path.basename(p)[:-len("_history.txt")]
    text = open(p, "rb").read().decode("utf-8-sig")
    lines = text.replace("\r\n", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    cmd, first, entry = [], 0, 0
    for i, l in enumerate(lines, 1):
        if not cmd:
            first = i
        cmd.append(l)
        if l.endswith("`") and i < len(lines):
            continue
        c = "\n".join(cmd)
        cmd = []
        if c:
            entry += 1
            print("%s|%s|%d|%d|%d|%s" % (user, host, entry, first, len(c.encode()), c[:40].replace("\n", "\\n")))
PY
	sort "$SCRATCH/want" > "$SCRATCH/w"
	q "select user, host, entry, line, length(cast(command as blob)), replace(substr(command, 1, 40), char(10), '\n') from psreadline_commands" | sort > "$SCRATCH/g"
	# the long command is kept cut to 65535 bytes, the rest equal
	sed 's/^\(alice|ConsoleHost|4|6|\)70011|/\165535|/' "$SCRATCH/w" | diff - "$SCRATCH/g"
	[ "$(q "select count(*) from psreadline_commands where cut")" -eq 1 ]
	[ "$(q "select count(*) from psreadline_commands")" -eq 11 ]
	[ "$(q "select distinct sid from psreadline_commands where user = 'bob'")" = S-1-5-21-111-222-333-1001 ]
}

@test "psreadline findings: a download cradle, an encoded command, Defender switched off; an IOC domain; not the plain commands" {
	run q "select title from findings where category = 'powershell' order by 1"
	echo "$output"
	[ "$output" = "$(printf '%s\n' 'defences switched off in the PowerShell history of bob' 'download cradle in the PowerShell history of bob' 'encoded command in the PowerShell history of bob')" ]
	[ "$(q "select count(*) from ioc_hits where record_table = 'psreadline_commands' and kind = 'domain' and value = 'avsvmcloud.com'")" -eq 1 ]
	grep -q '^avsvmcloud.com' "$IRKIT_SRC/yara-rules/iocs/domains.txt"
	# alice's commands are no finding
	[ "$(q "select count(*) from findings f join finding_links l on l.finding_id = f.id join psreadline_commands p on p.id = l.record_id and l.record_table = 'psreadline_commands' where p.user = 'alice'")" -eq 0 ]
}

@test "hostile hives: Amcache and NTUSER.DAT keys claiming 2^30 sub-keys or values are errors naming hive and key; the rest loads; exit 1" {
	W=$SCRATCH/bad
	win_tree "$W"
	python3 "$IRKIT_SRC"/tests/gen/hive_count.py "$W/root/Windows/AppCompat/Programs/Amcache.hve" InventoryApplicationFile subkeys 0x40000000
	python3 "$IRKIT_SRC"/tests/gen/hive_count.py "$W/root/Users/bob/NTUSER.DAT" Run values 0x40000000
	fat_image "$W/root" "$W/win.raw"
	start=$(date +%s)
	run timeout 60 "$ANALYZE" image --no-scan --db "$W/c.db" "$W/win.raw"
	echo "$output"
	[ "$status" -eq 1 ]
	[ $(( $(date +%s) - start )) -lt 30 ]
	[[ "$output" == *"win_amcache: /Windows/AppCompat/Programs/Amcache.hve: key '"*"Root"*"InventoryApplicationFile' claims 1073741824 sub-keys"* ]]
	d() { sqlite3 "$W/c.db" "$@"; }
	[ "$(d "select count(*) from log where level = 'error' and path = '/Windows/AppCompat/Programs/Amcache.hve' and message like 'key ''\Root\InventoryApplicationFile'' claims 1073741824 sub-keys%'")" -eq 1 ]
	# said once (by win_certs, the first collector to open NTUSER.DAT)
	[ "$(d "select count(*) from log where level = 'error' and path = '/Users/bob/NTUSER.DAT' and message like 'key ''\Software\Microsoft\Windows\CurrentVersion\Run'' claims 1073741824 values%'")" -eq 1 ]
	[ "$(d "select status from evidence")" = partial ]
	# the old Amcache layout, bob's UserAssist, alice's and SOFTWARE's autoruns load
	[ "$(d "select group_concat(layout) from amcache_files")" = File ]
	[ "$(d "select count(*) from userassist where user = 'bob'")" -eq 3 ]
	[ "$(d "select count(*) from autoruns where user = 'bob'")" -eq 0 ]
	[ "$(d "select count(*) from autoruns where user = 'alice'")" -eq 1 ]
	[ "$(d "select count(*) from autoruns where user is null")" -eq 8 ]
}
