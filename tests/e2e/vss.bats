#!/usr/bin/env bats
bats_require_minimum_version 1.5.0
#
# Volume shadow copies (analyzer/vss.c, libvshadow): an NTFS image made
# at test time by tests/gen/make_vss_image.sh with one shadow copy whose
# Security.evtx holds records the live log lost, whose SYSTEM hive holds
# a service deleted since, and a file deleted since (vss_make.py writes
# the VSS structures from the public description of the format).
# Oracles: vshadowinfo (libvshadow-utils: the store and its creation
# time), TSK's fls/icat on the copy's state and on the live one,
# regfexport (libregf-utils) on their SYSTEM hives, evtxexport and
# evtx_dump.py (evtx_oracle.py), sqlite3.
load helpers

DATA=$IRKIT_SRC/tests/data/evtx
LOGS=/Windows/System32/winevt/Logs
SNAP=vss1@20201213T000000Z:

setup_file() {
	VIMG=$(mktemp -d "${BATS_TMPDIR:-/tmp}/irkit-vss.XXXXXX")
	export VIMG
	"$IRKIT_SRC"/tests/gen/make_vss_image.sh "$VIMG/vss.raw" "$VIMG/work" \
		"$VIMG/vss2.raw" >"$VIMG/gen.log" 2>&1
}

teardown_file() {
	rm -rf "$VIMG"
}

setup() {
	setup_scratch
	[ -e "$VIMG/vss.raw" ] || skip "ntfs-3g could not mount here"
	command -v vshadowinfo >/dev/null || skip "no vshadowinfo (libvshadow-utils)"
	command -v evtxexport >/dev/null || skip "no evtxexport (libevtx-utils)"
}
teardown() { teardown_scratch; }

q() { sqlite3 "$1" "$2"; }

@test "vss: the fixture: vshadowinfo lists one store created 2020-12-13; the copy's Security.evtx is the whole log, the live one its first chunk" {
	run vshadowinfo "$VIMG/vss.raw"
	[ "$status" -eq 0 ]
	grep -q 'Number of stores:[[:space:]]*1$' <<<"$output"
	grep -q 'Creation time[[:space:]]*: Dec 13, 2020 00:00:00' <<<"$output"
	# the copy's state and the live one, through TSK
	for s in old new; do
		inum=$(fls -r -p "$VIMG/work/$s.raw" | sed -n 's|^r/r \([0-9-]*\):[[:space:]]*Windows/System32/winevt/Logs/Security.evtx$|\1|p')
		icat "$VIMG/work/$s.raw" "$inum" >"$SCRATCH/$s.evtx"
	done
	cmp "$SCRATCH/old.evtx" "$DATA/Security.evtx"
	[ "$(evtxexport -f xml "$SCRATCH/new.evtx" 2>/dev/null | grep -c '<Event xmlns')" -eq 104 ]
	# the live volume of the image is the new state
	inum=$(fls -r -p "$VIMG/vss.raw" | sed -n 's|^r/r \([0-9-]*\):[[:space:]]*Windows/System32/winevt/Logs/Security.evtx$|\1|p')
	icat "$VIMG/vss.raw" "$inum" | cmp - "$SCRATCH/new.evtx"
}

@test "vss: image reads the shadow copy's logs: the records the live log lost stored once, their paths marked vss1@TIME:" {
	run "$ANALYZE" image --db "$SCRATCH/v.db" "$VIMG/vss.raw"
	[ "$status" -eq 0 ]
	grep -q "shadow copy 1 of 1, created 20201213T000000Z" <<<"$output"
	# the live log: its 104 records (the first chunk of the log)
	python3 "$IRKIT_SRC"/tests/gen/evtx_cut.py "$DATA/Security.evtx" "$SCRATCH/live.evtx" 1
	python3 "$IRKIT_SRC"/tests/e2e/evtx_oracle.py "$SCRATCH/live.evtx" "$SCRATCH/v.db" \
		"$LOGS/Security.evtx"
	# the live log and the copy's together: the whole log, every field
	python3 "$IRKIT_SRC"/tests/e2e/evtx_oracle.py "$DATA/Security.evtx" "$SCRATCH/v.db" \
		"%$LOGS/Security.evtx"
	# the copy gives only what the live log lost (105 to 194)
	[ "$(q "$SCRATCH/v.db" "SELECT min(record_id) || ' ' || max(record_id) || ' ' || count(*) FROM win_events WHERE path = '$SNAP$LOGS/Security.evtx'")" = "105 194 90" ]
	# the System log is the same in both: stored once, from the live volume
	[ "$(q "$SCRATCH/v.db" "SELECT count(*) FROM win_events WHERE path = '$SNAP$LOGS/System.evtx'")" = 0 ]
	[ "$(q "$SCRATCH/v.db" "SELECT count(*) FROM win_events WHERE path = '$LOGS/System.evtx'")" = 445 ]
	[ "$(q "$SCRATCH/v.db" "SELECT message FROM log WHERE component = 'evtx' AND path = '$SNAP$LOGS/System.evtx'")" = "445 event records (0 recovered)" ]
	# one timeline event per row, under the same path
	[ "$(q "$SCRATCH/v.db" "SELECT count(*) FROM events WHERE source = 'EVTX' AND path = '$SNAP$LOGS/Security.evtx'")" = 90 ]
	# loading the image again adds nothing
	run "$ANALYZE" image --db "$SCRATCH/v2.db" "$VIMG/vss.raw" "$VIMG/vss.raw"
	[ "$status" -eq 0 ]
	[ "$(q "$SCRATCH/v2.db" "SELECT count(*) FROM win_events")" = 639 ]
	[ "$(q "$SCRATCH/v2.db" "SELECT count(*) FROM services")" = 4 ]
	[ "$(q "$SCRATCH/v2.db" "SELECT count(*) FROM files")" = "$(q "$SCRATCH/v.db" "SELECT count(*) FROM files")" ]
}

# icat_path IMAGE PATH: the content of the allocated file PATH (fls -p)
icat_path() {
	local inum
	inum=$(fls -r -p "$1" | awk -F'\t' -v p="$2" '$1 ~ /^r\/r / && $2 == p {
		n = split($1, a, " "); x = a[n]; sub(":$", "", x); print x; exit }')
	[ -n "$inum" ] && icat "$1" "$inum"
}

# The files rows under prefix $2 as fls -m lines, the prefix taken off.
snap_body() {
	sqlite3 "$1" "SELECT '0|' || substr(body_name, length('$2') + 1) || '|' ||
	    meta_addr || '|' || mode || '|' || coalesce(uid, 0) || '|' ||
	    coalesce(gid, 0) || '|' || coalesce(size, 0) || '|' ||
	    coalesce(atime / 1000000, 0) || '|' || coalesce(mtime / 1000000, 0) ||
	    '|' || coalesce(ctime / 1000000, 0) || '|' ||
	    coalesce(btime / 1000000, 0) FROM files
	    WHERE path LIKE '$2%' AND substr(body_name, 1, length('$2')) = '$2'" |
		LC_ALL=C sort
}

@test "vss: a shadow copy's files: what fls -r -m lists in the copy's state and not in the live one is stored once under vss1@TIME:, nothing else" {
	run "$ANALYZE" image --db "$SCRATCH/v.db" "$VIMG/vss.raw"
	[ "$status" -eq 0 ]
	fls -r -m / "$VIMG/work/old.raw" | LC_ALL=C sort >"$SCRATCH/old"
	fls -r -m / "$VIMG/work/new.raw" | LC_ALL=C sort >"$SCRATCH/new"
	LC_ALL=C comm -23 "$SCRATCH/old" "$SCRATCH/new" >"$SCRATCH/want"
	# the deleted file, its folder, the changed hive and log
	grep -q '^0|/Users/Public/evil.exe|' "$SCRATCH/want"
	grep -q '^0|/Windows/System32/config/SYSTEM|' "$SCRATCH/want"
	! grep -q 'System.evtx' "$SCRATCH/want" || false
	snap_body "$SCRATCH/v.db" "$SNAP" >"$SCRATCH/ours"
	diff -u "$SCRATCH/want" "$SCRATCH/ours"
	# every snapshot row has the prefix in its path too, none twice
	[ "$(q "$SCRATCH/v.db" "SELECT count(*), count(DISTINCT path || meta_addr) FROM files WHERE path LIKE 'vss%'")" = \
	  "$(wc -l <"$SCRATCH/want")|$(wc -l <"$SCRATCH/want")" ]
	# the deleted file: once from the copy (allocated there), its events
	# under the copy's path; an unchanged file only from the live volume
	[ "$(q "$SCRATCH/v.db" "SELECT count(*), sum(deleted) FROM files WHERE path = '$SNAP/Users/Public/evil.exe'")" = "1|0" ]
	[ "$(q "$SCRATCH/v.db" "SELECT count(*) FROM events WHERE path = '$SNAP/Users/Public/evil.exe'")" -ge 1 ]
	[ "$(q "$SCRATCH/v.db" "SELECT count(*) FROM files WHERE path LIKE '%$LOGS/System.evtx'")" = 1 ]
	# the live volume's rows are fls's of the live state, as before
	[ "$(q "$SCRATCH/v.db" "SELECT count(*) FROM files WHERE path NOT LIKE 'vss%'")" = "$(wc -l <"$SCRATCH/new")" ]
	# the copy's file is scanned and hashed as the live ones are
	[ "$(q "$SCRATCH/v.db" "SELECT sha256 FROM files WHERE path = '$SNAP/Users/Public/evil.exe'")" = \
	  "$(icat_path "$VIMG/work/old.raw" Users/Public/evil.exe | sha256sum | cut -d' ' -f1)" ]
}

# NAME|ImagePath of each service of a SYSTEM hive, as regfexport reads it
svc_pairs() {
	regfexport "$1" 2>/dev/null | awk '
	    /^Key path: ROOT\\ControlSet001\\Services\\[^\\]*$/ {
		n = split($0, a, "\\"); name = a[n]; v = 0; next }
	    /^Key path: / { name = ""; next }
	    name != "" && /^Value: [0-9]+ ImagePath$/ { v = 1; next }
	    name != "" && v && /^Data: / { sub(/^Data: /, ""); print name "|" $0; v = 0 }' |
		LC_ALL=C sort
}

@test "vss: a shadow copy's SYSTEM hive: the services deleted or changed since stored once, their source under vss1@TIME:; the unchanged one only from the live volume" {
	command -v regfexport >/dev/null || skip "no regfexport (libregf-utils)"
	run "$ANALYZE" image --db "$SCRATCH/v.db" "$VIMG/vss.raw"
	[ "$status" -eq 0 ]
	grep -q "shadow copy 1: 5 files rows and 2 records stored as '$SNAP'" <<<"$output"
	# the oracle: the services of each state's own SYSTEM hive
	for s in old new; do
		icat_path "$VIMG/work/$s.raw" Windows/System32/config/SYSTEM >"$SCRATCH/$s.hive"
		svc_pairs "$SCRATCH/$s.hive" >"$SCRATCH/$s.svc"
	done
	LC_ALL=C comm -23 "$SCRATCH/old.svc" "$SCRATCH/new.svc" >"$SCRATCH/want"
	[ "$(cut -d'|' -f1 "$SCRATCH/want" | tr '\n' ' ')" = "ChangedSvc GoneSvc " ]
	[ "$(wc -l <"$SCRATCH/new.svc")" -eq 2 ]
	# the copy adds those, once each, saying where they were read
	q "$SCRATCH/v.db" "SELECT name || '|' || image_path FROM services
	    WHERE fragment_path LIKE 'vss%' ORDER BY name" | diff -u "$SCRATCH/want" -
	[ "$(q "$SCRATCH/v.db" "SELECT count(*) FROM services WHERE fragment_path = '$SNAP/Windows/System32/config/SYSTEM:\\ControlSet001\\Services\\' || name")" = 2 ]
	# the live volume's: every service of the live hive, as it is there
	q "$SCRATCH/v.db" "SELECT name || '|' || image_path FROM services
	    WHERE fragment_path NOT LIKE 'vss%' ORDER BY name" | diff -u "$SCRATCH/new.svc" -
	# the unchanged service: stored once
	[ "$(q "$SCRATCH/v.db" "SELECT count(*) FROM services WHERE name = 'KeptSvc'")" = 1 ]
	# the collectors' log entries of the copy name it
	[ "$(q "$SCRATCH/v.db" "SELECT count(*) FROM log WHERE component = 'win_shimcache' AND path = '$SNAP/Windows/System32/config/SYSTEM'")" = 1 ]
}

@test "vss: diff and baseline compare the host's state, not its shadow copies: the live state's own image against the image with the copy is no change" {
	"$ANALYZE" image -q --db "$SCRATCH/d.db" "$VIMG/work/new.raw" || true
	"$ANALYZE" image -q --db "$SCRATCH/d.db" "$VIMG/vss.raw" || true
	# the copy's services are there, in the second evidence
	[ "$(q "$SCRATCH/d.db" "SELECT count(*) FROM services WHERE evidence_id = 2 AND fragment_path LIKE 'vss1@%'")" = 2 ]
	run "$ANALYZE" diff --db "$SCRATCH/d.db" --json 1 2
	echo "$output"
	[ "$status" -eq 0 ]
	# only volatile differences (the events stored once per case)
	[ "$(grep -c '"volatile":false' <<<"$output")" -eq 0 ]
	grep -q '"volatile":true' <<<"$output"
	run "$ANALYZE" diff --db "$SCRATCH/d.db" 1 2
	grep -q ' 0 changes' <<<"$output"
	# nor are they new since a baseline of the live state
	"$ANALYZE" baseline --db "$SCRATCH/d.db" 1
	[ "$(q "$SCRATCH/d.db" "SELECT count(*) FROM findings WHERE category = 'baseline'")" = 0 ]
}

@test "vss: a shadow copy equal to the live volume adds no files row and no record (vss_make.py with the live state twice)" {
	python3 "$IRKIT_SRC"/tests/gen/vss_make.py "$VIMG/work/new.raw" "$VIMG/work/new.raw" \
		"$SCRATCH/same.raw" >/dev/null
	vshadowinfo "$SCRATCH/same.raw" | grep -q 'Number of stores:[[:space:]]*1$'
	run "$ANALYZE" image --db "$SCRATCH/s.db" "$SCRATCH/same.raw"
	[ "$status" -eq 0 ]
	grep -q "shadow copy 1: 0 files rows and 0 records stored as '$SNAP'" <<<"$output"
	[ "$(q "$SCRATCH/s.db" "SELECT count(*) FROM files WHERE path LIKE 'vss%'")" = 0 ]
	[ "$(q "$SCRATCH/s.db" "SELECT count(*) FROM services")" = 2 ]
	[ "$(q "$SCRATCH/s.db" "SELECT count(*) FROM win_events WHERE path LIKE 'vss%'")" = 0 ]
}

@test "vss: two shadow copies: the second stores only what neither the live volume nor the first has (fls -r -m of the three states)" {
	SNAP2=vss2@20201214T000000Z:
	run vshadowinfo "$VIMG/vss2.raw"
	grep -q 'Number of stores:[[:space:]]*2$' <<<"$output"
	grep -q 'Creation time[[:space:]]*: Dec 14, 2020 00:00:00' <<<"$output"
	run "$ANALYZE" image --db "$SCRATCH/w.db" "$VIMG/vss2.raw"
	[ "$status" -eq 0 ]
	grep -q "shadow copy 2 of 2, created 20201214T000000Z" <<<"$output"
	for s in old mid new2; do
		fls -r -m / "$VIMG/work/$s.raw" | LC_ALL=C sort >"$SCRATCH/$s"
	done
	# vss1: its state less the live one's; vss2: its state less both
	LC_ALL=C comm -23 "$SCRATCH/old" "$SCRATCH/new2" >"$SCRATCH/want1"
	LC_ALL=C comm -23 "$SCRATCH/mid" "$SCRATCH/new2" |
		LC_ALL=C comm -23 - "$SCRATCH/old" >"$SCRATCH/want2"
	grep -q '^0|/Users/Public/mid.txt|' "$SCRATCH/want2"
	! grep -q 'evil.exe' "$SCRATCH/want2" || false
	snap_body "$SCRATCH/w.db" "$SNAP" | diff -u "$SCRATCH/want1" -
	snap_body "$SCRATCH/w.db" "$SNAP2" | diff -u "$SCRATCH/want2" -
	# the file both copies hold, the service, the lost records: from
	# the first copy only
	[ "$(q "$SCRATCH/w.db" "SELECT group_concat(path, ' ') FROM files WHERE path LIKE '%/Users/Public/evil.exe' AND deleted = 0")" = \
	  "$SNAP/Users/Public/evil.exe" ]
	[ "$(q "$SCRATCH/w.db" "SELECT group_concat(fragment_path, ' ') FROM services WHERE name = 'GoneSvc'")" = \
	  "$SNAP/Windows/System32/config/SYSTEM:\\ControlSet001\\Services\\GoneSvc" ]
	[ "$(q "$SCRATCH/w.db" "SELECT count(*) FROM services")" = 4 ]
	[ "$(q "$SCRATCH/w.db" "SELECT count(*) FROM win_events WHERE path LIKE 'vss2%'")" = 0 ]
	[ "$(q "$SCRATCH/w.db" "SELECT count(*) FROM win_events")" = 639 ]
}

@test "vss: a catalog block naming itself as the next one (libvshadow read it forever: fuzz_vss) is an error naming the loop, within seconds; the live volume still loads" {
	cp "$VIMG/vss.raw" "$SCRATCH/loop.raw"
	python3 - "$SCRATCH/loop.raw" <<'PY'
import struct, sys
f = open(sys.argv[1], 'r+b')
f.seek(0x1e00 + 0x30)
cat = struct.unpack('<Q', f.read(8))[0]
f.seek(cat + 0x28)
f.write(struct.pack('<Q', cat))
PY
	run timeout 60 "$ANALYZE" image --db "$SCRATCH/l.db" "$SCRATCH/loop.raw"
	echo "$output"
	[ "$status" -eq 1 ]
	grep -q "shadow copy catalog: block 2 at offset [0-9]* is block 1 again (a loop): not read" <<<"$output"
	[ "$(q "$SCRATCH/l.db" "SELECT count(*) FROM win_events")" = 549 ]
	[ "$(q "$SCRATCH/l.db" "SELECT count(*) FROM win_events WHERE path LIKE 'vss%'")" = 0 ]
}

@test "vss: a VSS header whose catalog libvshadow refuses is an error naming the volume (exit 1); the live volume still loads" {
	cp "$VIMG/vss.raw" "$SCRATCH/bad.raw"
	# the catalog offset pointed at zeros (the volume's last block)
	python3 - "$SCRATCH/bad.raw" <<'PY'
import struct, sys
f = open(sys.argv[1], 'r+b')
f.seek(0, 2)
end = f.tell()
f.seek(0x1e00 + 48)
f.write(struct.pack('<Q', end - 0x4000))
PY
	run "$ANALYZE" image --db "$SCRATCH/b.db" "$SCRATCH/bad.raw"
	[ "$status" -eq 1 ]
	grep -q "'$SCRATCH/bad.raw' 0:ntfs@0: libvshadow cannot read the shadow copies" <<<"$output"
	[ "$(q "$SCRATCH/b.db" "SELECT count(*) FROM log WHERE level = 'error' AND message LIKE '%libvshadow cannot read the shadow copies%'")" = 1 ]
	[ "$(q "$SCRATCH/b.db" "SELECT count(*) FROM win_events")" = 549 ]
	[ "$(q "$SCRATCH/b.db" "SELECT count(*) FROM win_events WHERE path LIKE 'vss%'")" = 0 ]
}

@test "vss: the same rows through an E01 of the image and from the volume inside a DOS partition table" {
	command -v ewfacquire >/dev/null || skip "no ewfacquire (ewf-tools)"
	command -v sfdisk >/dev/null || skip "no sfdisk"
	"$ANALYZE" image -q --db "$SCRATCH/raw.db" "$VIMG/vss.raw"
	ewfacquire -u -q -t "$SCRATCH/vss" -f encase6 -c fast "$VIMG/vss.raw" >/dev/null 2>&1
	# 24 MiB volume at sector 2048 of a 26 MiB disk
	truncate -s 26M "$SCRATCH/disk.raw"
	echo 'start=2048, size=49152, type=7' | sfdisk -q "$SCRATCH/disk.raw"
	dd if="$VIMG/vss.raw" of="$SCRATCH/disk.raw" bs=512 seek=2048 conv=notrunc status=none
	rows() {
		sqlite3 -batch "$1" "SELECT path, channel, record_id, ts, data
		    FROM win_events ORDER BY path, record_id;
		    SELECT name, fragment_path FROM services ORDER BY name;
		    SELECT path, meta_addr, size, mtime, deleted FROM files
		    WHERE path LIKE 'vss%' ORDER BY path"
	}
	rows "$SCRATCH/raw.db" >"$SCRATCH/want"
	# the copy's 90 event records and 5 files rows, its services
	[ "$(grep -c "^$SNAP" "$SCRATCH/want")" -eq 95 ]
	grep -q "^GoneSvc|$SNAP" "$SCRATCH/want"
	grep -q "^ChangedSvc|$SNAP" "$SCRATCH/want"
	for img in vss.E01 disk.raw; do
		run "$ANALYZE" image --db "$SCRATCH/$img.db" "$SCRATCH/$img"
		[ "$status" -eq 0 ]
		rows "$SCRATCH/$img.db" | diff -u "$SCRATCH/want" -
	done
}
