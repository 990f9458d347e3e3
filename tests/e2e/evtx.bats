#!/usr/bin/env bats
bats_require_minimum_version 1.5.0
#
# Windows event logs (the evtx collector) in disk images built at test
# time by tests/gen/make_evtx_images.sh from the real logs of
# tests/data/evtx (plaso's test data).  Oracles: evtxexport -f xml
# (libevtx-utils: every record's fields) and evtx_dump.py (python3-evtx,
# an independent parser: record ids and times), through
# tests/e2e/evtx_oracle.py; sqlite3.
load helpers

DATA=$IRKIT_SRC/tests/data/evtx
LOGS=/Windows/System32/winevt/Logs

setup_file() {
	EIMG=$(mktemp -d "${BATS_TMPDIR:-/tmp}/irkit-evtx.XXXXXX")
	export EIMG
	"$IRKIT_SRC"/tests/gen/make_evtx_images.sh "$EIMG" "$EIMG/work" \
		>"$EIMG/gen.log" 2>&1
	if [ -e "$EIMG/ntfs.raw" ]; then
		"$ANALYZE" image --db "$EIMG/ntfs.db" "$EIMG/ntfs.raw" \
			>"$EIMG/ntfs.out" 2>"$EIMG/ntfs.err" || echo $? >"$EIMG/ntfs.rc"
	fi
}

teardown_file() {
	rm -rf "$EIMG"
}

setup() { setup_scratch; }
teardown() { teardown_scratch; }

need_tools() {
	command -v evtxexport >/dev/null || skip "no evtxexport (libevtx-utils)"
	command -v evtx_dump.py >/dev/null || skip "no evtx_dump.py (python3-evtx)"
}

q() { sqlite3 "$1" "$2"; }

@test "evtx: each log of the logs folder, every record's fields equal evtxexport's, times evtx_dump.py's" {
	[ -e "$EIMG/ntfs.raw" ] || skip "ntfs-3g could not mount here"
	need_tools
	[ ! -e "$EIMG/ntfs.rc" ]
	for f in System Security; do
		python3 "$IRKIT_SRC"/tests/e2e/evtx_oracle.py "$DATA/$f.evtx" \
			"$EIMG/ntfs.db" "$LOGS/$f.evtx"
	done
	# the channel is the record's, the host the SYSTEM hive's
	[ "$(q "$EIMG/ntfs.db" "SELECT group_concat(DISTINCT channel) FROM win_events WHERE path = '$LOGS/Security.evtx'")" = Security ]
	[ "$(q "$EIMG/ntfs.db" "SELECT count(DISTINCT host_id) FROM win_events")" = 1 ]
	[ "$(q "$EIMG/ntfs.db" "SELECT count(*) FROM win_events WHERE recovered")" = 0 ]
}

@test "evtx: one EVTX timeline event per record, naming the event and its key fields" {
	[ -e "$EIMG/ntfs.raw" ] || skip "ntfs-3g could not mount here"
	db=$EIMG/ntfs.db
	[ "$(q "$db" "SELECT count(*) FROM events WHERE source = 'EVTX'")" = \
	  "$(q "$db" "SELECT count(*) FROM win_events")" ]
	[ "$(q "$db" "SELECT count(*) FROM events e JOIN win_events w ON w.id = e.record_id AND e.record_table = 'win_events' WHERE e.ts = w.ts AND e.path = w.path")" = \
	  "$(q "$db" "SELECT count(*) FROM win_events")" ]
	# a 7045 names the service and its image path from the record's data
	run q "$db" "SELECT e.message, json_extract(w.data, '\$.ServiceName'), json_extract(w.data, '\$.ImagePath') FROM events e JOIN win_events w ON w.id = e.record_id AND e.record_table = 'win_events' WHERE w.event_id = 7045 LIMIT 1"
	IFS='|' read -r msg name image <<<"$output"
	[[ "$msg" == "System 7045 a service was installed: ServiceName=$name ImagePath=$image"* ]]
	# a 4624 its logon type and account
	run q "$db" "SELECT e.message FROM events e JOIN win_events w ON w.id = e.record_id AND e.record_table = 'win_events' WHERE w.event_id = 4624 AND w.record_id = 16"
	[ "$output" = "Security 4624 an account logged on: TargetDomainName=NT AUTHORITY TargetUserName=SYSTEM LogonType=5 TargetLogonId=0x00000000000003e7" ]
	# an id without an entry is said plainly, with its provider
	run q "$db" "SELECT e.message FROM events e JOIN win_events w ON w.id = e.record_id AND e.record_table = 'win_events' WHERE w.event_id = 4608 LIMIT 1"
	[ "$output" = "Security 4608 (Microsoft-Windows-Security-Auditing)" ]
}

@test "evtx: a log exported and renamed outside any Windows root is found by its signature" {
	need_tools
	run "$ANALYZE" image --db "$SCRATCH/m.db" "$EIMG/moved.raw"
	[ "$status" -eq 0 ]
	python3 "$IRKIT_SRC"/tests/e2e/evtx_oracle.py "$DATA/Security.evtx" \
		"$SCRATCH/m.db" /export/sec.bin
	[ "$(q "$SCRATCH/m.db" "SELECT group_concat(DISTINCT channel) FROM win_events")" = Security ]
}

@test "evtx: the same records through two paths and two images are stored once (computer, channel, record id)" {
	[ -e "$EIMG/ntfs.raw" ] || skip "ntfs-3g could not mount here"
	run "$ANALYZE" image --db "$SCRATCH/c.db" "$EIMG/ntfs.raw" "$EIMG/moved.raw"
	[ "$status" -eq 0 ]
	[ "$(q "$SCRATCH/c.db" "SELECT count(*) FROM win_events")" = 639 ]
	[ "$(q "$SCRATCH/c.db" "SELECT count(*) FROM win_events WHERE path = '/export/sec.bin'")" = 0 ]
	[ "$(q "$SCRATCH/c.db" "SELECT count(*) FROM events WHERE source = 'EVTX'")" = 639 ]
	[ "$(q "$SCRATCH/c.db" "SELECT count(*) FROM (SELECT 1 FROM win_events GROUP BY computer, channel, record_id HAVING count(*) > 1)")" = 0 ]
}

@test "evtx: a truncated log, a chunk with a bad checksum and garbage are errors naming them; the rest loads, exit 1" {
	need_tools
	run "$ANALYZE" image --db "$SCRATCH/h.db" "$EIMG/hostile.raw"
	[ "$status" -eq 1 ]
	for f in truncate badsum garbage; do
		grep -q "evtx: $LOGS/$f.evtx: corrupted" <<<"$output"
		[ "$(q "$SCRATCH/h.db" "SELECT count(*) FROM log WHERE level = 'error' AND path = '$LOGS/$f.evtx'")" = 1 ]
	done
	# the good log beside them is whole
	python3 "$IRKIT_SRC"/tests/e2e/evtx_oracle.py "$DATA/Security.evtx" \
		"$SCRATCH/h.db" "$LOGS/Security.evtx"
	# what libevtx reads of the truncated one is kept: evtxexport's count
	python3 "$IRKIT_SRC"/tests/gen/evtx_cut.py "$DATA/System.evtx" "$SCRATCH/t.evtx" 0 truncate
	[ "$(q "$SCRATCH/h.db" "SELECT count(*) FROM win_events WHERE path = '$LOGS/truncate.evtx'")" = \
	  "$(evtxexport -f xml "$SCRATCH/t.evtx" 2>/dev/null | grep -c '<Event xmlns')" ]
	[ "$(q "$SCRATCH/h.db" "SELECT count(*) FROM win_events WHERE path = '$LOGS/garbage.evtx'")" = 0 ]
}
