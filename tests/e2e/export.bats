#!/usr/bin/env bats
bats_require_minimum_version 1.5.0
# export: every format read back by an independent consumer (TSK's
# mactime, Python's csv and json), filters checked against sqlite3, and
# hostile values surviving each format.

load helpers

setup_file() {
	export CASE_DIR=$(mktemp -d "${BATS_TMPDIR:-/tmp}/irkit-export.XXXXXX")
	python3 "$IRKIT_SRC/tests/e2e/mkcase.py" "$CASE_DIR/case.db" --events 3000
	python3 "$IRKIT_SRC/tests/e2e/mkcase.py" "$CASE_DIR/hostile.db" --events 300 --hostile
	python3 "$IRKIT_SRC/tests/e2e/mkcase.py" "$CASE_DIR/noidx.db" --events 300 --no-index
}

teardown_file() {
	rm -rf "$CASE_DIR"
}

setup() {
	setup_scratch
}

teardown() {
	full_fs_gone "$SCRATCH/full"
	teardown_scratch
}

# events as sqlite3 counts them
nevents() {
	sqlite3 "$1" "SELECT count(*) FROM events ${2:-}"
}

@test "export: l2tcsv header is plaso's exact 17 columns" {
	run "$ANALYZE" export --db "$CASE_DIR/case.db" --format l2tcsv
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "date,time,timezone,MACB,source,sourcetype,type,user,host,short,desc,version,filename,inode,notes,format,extra" ]
	"$ANALYZE" export --db "$CASE_DIR/case.db" --format l2tcsv -o "$SCRATCH/t.csv"
	python3 - "$SCRATCH/t.csv" "$(nevents "$CASE_DIR/case.db")" <<-'EOF'
	import csv, re, sys
	rows = list(csv.reader(open(sys.argv[1], newline="")))
	assert len(rows) - 1 == int(sys.argv[2]), (len(rows), sys.argv[2])
	for r in rows[1:]:
	    assert len(r) == 17, r
	    assert re.fullmatch(r"\d\d/\d\d/\d{4}", r[0]), r[0]
	    assert re.fullmatch(r"\d\d:\d\d:\d\d", r[1]), r[1]
	    assert r[2] == "UTC" and r[11] == "2"
	EOF
}

@test "export: csv and jsonl hold every event column, one row per event, in time order" {
	n=$(nevents "$CASE_DIR/case.db")
	"$ANALYZE" export --db "$CASE_DIR/case.db" --format csv -o "$SCRATCH/e.csv"
	"$ANALYZE" export --db "$CASE_DIR/case.db" --format jsonl -o "$SCRATCH/e.jsonl"
	cols=$(sqlite3 "$CASE_DIR/case.db" "SELECT group_concat(name) FROM pragma_table_info('events')")
	python3 - "$SCRATCH" "$n" "$cols" <<-'EOF'
	import csv, json, sys
	d, n, cols = sys.argv[1], int(sys.argv[2]), sys.argv[3].split(",")
	rows = list(csv.DictReader(open(d + "/e.csv", newline="")))
	assert len(rows) == n, (len(rows), n)
	for c in cols + ["datetime"]:
	    assert c in rows[0], c
	ts = [int(r["ts"]) for r in rows]
	assert ts == sorted(ts)
	objs = [json.loads(l) for l in open(d + "/e.jsonl")]
	assert len(objs) == n
	for c in cols + ["datetime"]:
	    assert c in objs[0], c
	assert [o["ts"] for o in objs] == ts
	assert objs[0]["datetime"].endswith("+00:00")
	EOF
}

@test "export: timesketch jsonl and csv carry message, datetime, timestamp_desc, timestamp" {
	n=$(nevents "$CASE_DIR/case.db")
	"$ANALYZE" export --db "$CASE_DIR/case.db" --format timesketch-jsonl -o "$SCRATCH/ts.jsonl"
	"$ANALYZE" export --db "$CASE_DIR/case.db" --format timesketch-csv -o "$SCRATCH/ts.csv"
	python3 - "$SCRATCH" "$n" <<-'EOF'
	import csv, datetime, json, sys
	d, n = sys.argv[1], int(sys.argv[2])
	for rows in ([json.loads(l) for l in open(d + "/ts.jsonl")],
	             list(csv.DictReader(open(d + "/ts.csv", newline="")))):
	    assert len(rows) == n
	    for r in rows:
	        for k in ("message", "datetime", "timestamp_desc", "timestamp"):
	            assert r[k] not in ("", None), (k, r)
	        dt = datetime.datetime.fromisoformat(r["datetime"])
	        assert dt.utcoffset() is not None
	        assert int(dt.timestamp() * 1000000) == int(r["timestamp"]) or \
	            abs(dt.timestamp() * 1e6 - int(r["timestamp"])) < 2
	EOF
}

@test "export: bodyfile is read by TSK mactime, entries agree with the files table" {
	"$ANALYZE" export --db "$CASE_DIR/hostile.db" --format bodyfile -o "$SCRATCH/body"
	[ "$(wc -l < "$SCRATCH/body")" -eq "$(sqlite3 "$CASE_DIR/hostile.db" 'SELECT count(*) FROM files')" ]
	mactime -b "$SCRATCH/body" -d -z UTC > "$SCRATCH/mac.csv"
	# mactime: one line per distinct (second, inode, name) of each file
	# that has at least one time; unknown times are 0 and count too
	want=$(sqlite3 "$CASE_DIR/hostile.db" "
		WITH f AS (SELECT * FROM files WHERE coalesce(atime, mtime, ctime, btime) IS NOT NULL),
		t AS (SELECT id, inode, atime AS x FROM f UNION ALL SELECT id, inode, mtime FROM f
		      UNION ALL SELECT id, inode, ctime FROM f UNION ALL SELECT id, inode, btime FROM f)
		SELECT count(*) FROM (SELECT DISTINCT id, CASE WHEN x IS NULL OR x < 0 THEN 0 ELSE x / 1000000 END FROM t)")
	python3 - "$SCRATCH/mac.csv" "$want" <<-'EOF'
	import csv, sys
	rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8", errors="surrogateescape")))
	assert rows[0][0] == "Date"
	assert len(rows) - 1 == int(sys.argv[2]), (len(rows) - 1, sys.argv[2])
	names = {r[7] for r in rows[1:]}
	# hostile names come back whole through mactime's %XX decoding
	assert "/tmp/pipe|in|name %41 percent" in names, names
	assert '/tmp/comma, "quoted" value' in names
	assert "/tmp/<script>alert(1)</script>" in names
	assert any(n.startswith("/tmp/line one\\x0aline two") for n in names)
	# a right-to-left override is shown as text, never applied
	assert "/tmp/invoice\\u202Egnp.exe" in names, names
	assert not any("\u202e" in n for n in names)
	EOF
}

@test "export: filters --from --to --host --source --grep agree with sqlite3" {
	db=$CASE_DIR/case.db
	from=2025-11-22T03:00:00Z to=2025-11-22T09:30:00.5Z
	f=1763780400000000 t=1763803800500000
	run --separate-stderr "$ANALYZE" export --db "$db" --format jsonl --from "$from" --to "$to" --host web01 --source file
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq "$(nevents "$db" "WHERE ts >= $f AND ts <= $t AND host = 'web01' AND source = 'FILE'")" ]
	run --separate-stderr "$ANALYZE" export --db "$db" --format jsonl --grep 'EVENT 1'
	[ "${#lines[@]}" -eq "$(nevents "$db" "WHERE lower(message) LIKE '%event 1%' OR lower(path) LIKE '%event 1%'")" ]
	[ "${#lines[@]}" -gt 100 ]
	run --separate-stderr "$ANALYZE" export --db "$db" --format jsonl --to 2025-11-22T01:00:00+02:00
	[ "${#lines[@]}" -eq "$(nevents "$db" "WHERE ts <= 1763766000000000")" ]
	run --separate-stderr "$ANALYZE" export --db "$db" --format jsonl --host nosuchhost
	[ "$status" -eq 1 ]
	[ -z "$output" ] || [ "${#lines[@]}" -eq 0 ]
}

@test "export: --host ignores case, for events and for the bodyfile" {
	db=$CASE_DIR/case.db
	run --separate-stderr "$ANALYZE" export --db "$db" --format jsonl --host WeB01
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq "$(nevents "$db" "WHERE host = 'web01'")" ]
	[ "${#lines[@]}" -gt 0 ]
	run --separate-stderr "$ANALYZE" export --db "$db" --format bodyfile --host DB02
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq "$(sqlite3 "$db" "SELECT count(*) FROM files f JOIN hosts h ON h.id = f.host_id WHERE h.hostname = 'db02'")" ]
	[ "${#lines[@]}" -gt 0 ]
}

@test "export: filters that match nothing say so, list the case's hosts and sources, exit 1" {
	cp "$CASE_DIR/case.db" "$SCRATCH/c.db"
	# a hostile host name: listed escaped, never raw
	python3 - "$SCRATCH/c.db" <<-'EOF'
	import sqlite3, sys
	c = sqlite3.connect(sys.argv[1])
	c.execute("INSERT INTO events(ts, ts_desc, source, host, message) VALUES (1763762400000000, 'x', 'FILE', CAST(? AS TEXT), 'm')",
	          (b"evil\x1b]0;pwned\x07\x1b[31m\x9b\xff",))
	c.commit()
	EOF
	run --separate-stderr "$ANALYZE" export --db "$SCRATCH/c.db" --format csv --host nosuchhost
	echo "$stderr"
	[ "$status" -eq 1 ]
	[ "${#lines[@]}" -eq 1 ]	# the header only
	[[ "$stderr" == *"irkit-analyze export: no events match the filters"* ]]
	hosts=$(sqlite3 "$SCRATCH/c.db" "SELECT DISTINCT host FROM events WHERE host NOT LIKE 'evil%' ORDER BY 1")
	for h in $hosts; do [[ "$stderr" == *"'$h'"* ]]; done
	for s in $(sqlite3 "$SCRATCH/c.db" "SELECT DISTINCT source FROM events"); do
		[[ "$stderr" == *"'$s'"* ]]
	done
	[[ "$stderr" == *"'evil\x1b]0;pwned\x07\x1b[31m\x9b\xff'"* ]]
	"$ANALYZE" export --db "$SCRATCH/c.db" --format csv --host nosuchhost 2> "$SCRATCH/err" > /dev/null || true
	no_raw_controls "$SCRATCH/err"
	# the same for a time range outside the case, and for the bodyfile
	run --separate-stderr "$ANALYZE" export --db "$CASE_DIR/case.db" --format csv --from 2030-01-01
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"no events match"*"events from 2025-11-2"* ]]
	run --separate-stderr "$ANALYZE" export --db "$CASE_DIR/case.db" --format bodyfile --host nosuchhost
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"no files match"*"'db02', 'web01'"* ]]
	# no filter, empty case: nothing to say, exit 0
	sqlite3 "$SCRATCH/e.db" < "$IRKIT_SRC/analyzer/schema.sql"
	run --separate-stderr "$ANALYZE" export --db "$SCRATCH/e.db" --format csv
	[ "$status" -eq 0 ]
	[[ "$stderr" != *"match"* ]]
}

@test "export: --from later than --to is a usage error" {
	run --separate-stderr "$ANALYZE" export --db "$CASE_DIR/case.db" --format csv --from 2025-11-22 --to 2025-11-21
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"irkit-analyze export: --from '2025-11-22' is later than --to '2025-11-21'"* ]]
	[ -z "$output" ]
	run --separate-stderr "$ANALYZE" export --db "$CASE_DIR/case.db" --format csv --from 2025-11-22T01:00:00+02:00 --to 2025-11-21T22:30:00Z
	[ "$status" -eq 2 ]
	# equal ends are a range of one instant
	run --separate-stderr "$ANALYZE" export --db "$CASE_DIR/case.db" --format csv --from 2025-11-22T00:00:00Z --to 2025-11-22T00:00:00Z
	[ "$status" -ne 2 ]
}

@test "export: times without a zone are read in --tz (GNU date is the oracle)" {
	db=$CASE_DIR/case.db
	for tz in Europe/Berlin America/New_York +05:30 UTC; do
		case $tz in
		+*) f=$(date -d "2025-11-22T03:00:00$tz" +%s) t=$(date -d "2025-11-22T09:30:00$tz" +%s) ;;
		*) f=$(TZ=$tz date -d "2025-11-22 03:00:00" +%s) t=$(TZ=$tz date -d "2025-11-22 09:30:00" +%s) ;;
		esac
		run --separate-stderr "$ANALYZE" export --db "$db" --format jsonl --tz "$tz" --from 2025-11-22T03:00:00 --to "2025-11-22 09:30"
		[ "$status" -eq 0 ]
		want=$(nevents "$db" "WHERE ts >= ${f}000000 AND ts <= ${t}000000")
		echo "$tz $f $t ${#lines[@]} $want"
		[ "${#lines[@]}" -eq "$want" ]
	done
	# a date alone is its midnight in --tz; an explicit zone wins over --tz
	f=$(TZ=Asia/Tokyo date -d "2025-11-22 00:00:00" +%s)
	run --separate-stderr "$ANALYZE" export --db "$db" --format jsonl --tz Asia/Tokyo --from 2025-11-22
	[ "${#lines[@]}" -eq "$(nevents "$db" "WHERE ts >= ${f}000000")" ]
	run --separate-stderr "$ANALYZE" export --db "$db" --format jsonl --tz Asia/Tokyo --from 2025-11-22T03:00:00Z
	[ "${#lines[@]}" -eq "$(nevents "$db" "WHERE ts >= 1763780400000000")" ]
}

@test "export: a closed pipe (| head -1) ends quietly with exit 0" {
	for fmt in csv jsonl l2tcsv bodyfile tln; do
		st=$(bash -c '"$1" export --db "$2" --format "$3" 2> "$4" | head -1 > /dev/null; echo "${PIPESTATUS[0]}"' _ \
		    "$ANALYZE" "$CASE_DIR/case.db" "$fmt" "$SCRATCH/err.$fmt")
		echo "$fmt: exit $st: $(cat "$SCRATCH/err.$fmt")"
		[ "$st" -eq 0 ]
		# a small output may fit in the pipe before head exits: then
		# the export ended normally and its summary line is all it says
		[ ! -s "$SCRATCH/err.$fmt" ] ||
			grep -qxE "irkit-analyze export: [0-9]+ (events|files) written \($fmt\)" "$SCRATCH/err.$fmt"
	done
	# another write error is still one (exit 3, said on stderr)
	run "$ANALYZE" export --db "$CASE_DIR/case.db" --format csv -o /dev/full
	[ "$status" -eq 3 ]
	[[ "$output" == *"irkit-analyze export: writing '/dev/full' failed: No space left on device"* ]]
}

@test "export: hostile values survive csv, jsonl, timesketch, l2tcsv and tln" {
	db=$CASE_DIR/hostile.db
	for f in csv jsonl timesketch-csv timesketch-jsonl l2tcsv tln; do
		"$ANALYZE" export --db "$db" --format $f -o "$SCRATCH/h.$f"
	done
	python3 - "$SCRATCH" "$(nevents "$db")" <<-'EOF'
	import csv, json, sys
	d, n = sys.argv[1], int(sys.argv[2])
	want = ["<script>alert(1)</script>", 'comma, "quoted" value',
	        "line one\nline two\r\nline three", "pipe|in|name %41 percent",
	        "bad utf8 \\xff\\xfe end", "=cmd|' /C calc'!A0"]
	for f, rd in (("csv", "csv"), ("timesketch-csv", "csv"), ("l2tcsv", "csv"),
	              ("jsonl", "json"), ("timesketch-jsonl", "json")):
	    raw = open(d + "/h." + f, "rb").read()
	    text = raw.decode("utf-8")          # valid UTF-8 throughout
	    if rd == "csv":
	        rows = list(csv.reader(open(d + "/h." + f, newline="", encoding="utf-8")))
	        assert len(rows) - 1 == n, (f, len(rows))
	        cells = {c for r in rows for c in r}
	    else:
	        rows = [json.loads(l) for l in text.splitlines()]
	        assert len(rows) == n, f
	        cells = {v for r in rows for v in r.values() if isinstance(v, str)}
	    for w in want:
	        assert w in cells, (f, w)
	tln = open(d + "/h.tln", encoding="utf-8").read().splitlines()
	assert len(tln) == n
	for l in tln:
	    assert len(l.split("|")) == 5, l
	assert any("pipe%7Cin%7Cname %2541 percent" in l for l in tln)
	assert any("line one\\x0aline two\\x0d\\x0aline three" in l for l in tln)
	assert any("invoice\\u202Egnp.exe" in l for l in tln)
	assert not any("\u202e" in l for l in tln)
	EOF
}

@test "export: timesketch values are cut under 32 KB and say so" {
	db=$SCRATCH/big.db
	cp "$CASE_DIR/case.db" "$db"
	python3 -c "
import sqlite3; c = sqlite3.connect('$db')
c.execute(\"UPDATE events SET message = ? WHERE id = 1\", ('\u00e9' * 40000,))
c.commit()"
	"$ANALYZE" export --db "$db" --format timesketch-jsonl -o "$SCRATCH/ts.jsonl"
	python3 - "$SCRATCH/ts.jsonl" <<-'EOF'
	import json, sys
	r = [json.loads(l) for l in open(sys.argv[1]) if '"event_id":1,' in l][0]
	m = r["message"]
	assert len(m.encode()) < 32768, len(m.encode())
	assert m.endswith("\u2026[truncated]") and m.startswith("\u00e9\u00e9")
	EOF
	# the plain formats keep the whole value
	"$ANALYZE" export --db "$db" --format jsonl | python3 -c "
import json, sys
assert any(len(json.loads(l)['message'] or '') == 40000 for l in sys.stdin)"
}

@test "export: --tz prints local time with its offset" {
	run "$ANALYZE" export --db "$CASE_DIR/case.db" --format csv --tz Asia/Kolkata
	[ "$status" -eq 0 ]
	[[ "${lines[1]}" == *"+05:30,"* ]]
	run "$ANALYZE" export --db "$CASE_DIR/case.db" --format l2tcsv --tz -03:00
	[[ "${lines[1]}" == *",-03:00,"* ]]
	run "$ANALYZE" export --db "$CASE_DIR/case.db" --format csv --tz Mars/Olympus
	[ "$status" -eq 2 ]
	run "$ANALYZE" export --db "$CASE_DIR/case.db" --format csv --tz ../../etc/passwd
	[ "$status" -eq 2 ]
}

@test "export: streams over the events(ts) index; warns when it is missing" {
	plan=$(sqlite3 "$CASE_DIR/case.db" "EXPLAIN QUERY PLAN SELECT * FROM events WHERE 1 AND ts >= 1 AND +host = 'web01' ORDER BY ts, id")
	[[ "$plan" == *"USING INDEX"* ]]
	[[ "$plan" != *"TEMP B-TREE"* ]]
	run "$ANALYZE" export --db "$CASE_DIR/case.db" --format csv --host web01 -o "$SCRATCH/x"
	[[ "$output" != *"no index"* ]]
	run "$ANALYZE" export --db "$CASE_DIR/noidx.db" --format csv -o "$SCRATCH/x"
	[ "$status" -eq 0 ]
	[[ "$output" == *"no index on events(ts)"* ]]
	[ "$(wc -l < "$SCRATCH/x")" -eq 301 ]
}

@test "export: bad usage and unreadable databases fail" {
	run "$ANALYZE" export --db "$CASE_DIR/case.db"
	[ "$status" -eq 2 ]
	run "$ANALYZE" export --db "$CASE_DIR/case.db" --format xml
	[ "$status" -eq 2 ]
	run "$ANALYZE" export --db "$CASE_DIR/case.db" --format csv --from yesterday
	[ "$status" -eq 2 ]
	run "$ANALYZE" export --db "$SCRATCH/none.db" --format csv
	[ "$status" -eq 3 ]
	[ ! -e "$SCRATCH/none.db" ]
	echo "not a database" > "$SCRATCH/bad.db"
	run "$ANALYZE" export --db "$SCRATCH/bad.db" --format csv
	[ "$status" -eq 3 ]
	# read-only: the database is not modified
	sum=$(sha256sum < "$CASE_DIR/case.db")
	"$ANALYZE" export --db "$CASE_DIR/case.db" --format csv > /dev/null
	[ "$(sha256sum < "$CASE_DIR/case.db")" = "$sum" ]
}

@test "export: on a full disk no file is left at the target, nor a temporary; an existing one stays" {
	full_fs "$SCRATCH/full" 16k
	f="$SCRATCH/full/out.csv"
	run "$ANALYZE" export --db "$CASE_DIR/case.db" --format csv -o "$f"
	echo "$output"
	[ "$status" -eq 3 ]
	[[ "$output" == *"writing '$f' failed: No space left on device"* ]]
	[ -z "$(ls -A "$SCRATCH/full")" ]
	# an earlier output is replaced only by a complete one
	echo earlier > "$f"
	umask 022
	run "$ANALYZE" export --db "$CASE_DIR/case.db" --format csv -o "$f"
	[ "$status" -eq 3 ]
	[ "$(ls -A "$SCRATCH/full")" = "out.csv" ]
	[ "$(cat "$f")" = earlier ]
}

@test "export: a complete output replaces the earlier file; no temporary is left" {
	mkdir "$SCRATCH/o"
	f="$SCRATCH/o/out.csv"
	echo earlier > "$f"
	umask 022
	run "$ANALYZE" export --db "$CASE_DIR/case.db" --format csv -o "$f"
	[ "$status" -eq 0 ]
	[ "$(ls -A "$SCRATCH/o")" = "out.csv" ]
	# the mode a new file gets (not a temporary's 0600)
	[ "$(stat -c %a "$f")" = 644 ]
	"$ANALYZE" export --db "$CASE_DIR/case.db" --format csv -o - > "$SCRATCH/stdout.csv" 2>/dev/null
	cmp "$f" "$SCRATCH/stdout.csv"
}

# formula_case DB: a small case whose events hold cells a spreadsheet
# would read as formulas, a legitimate leading '-' and a negative number
formula_case() {
	python3 "$IRKIT_SRC/tests/e2e/mkcase.py" "$1" --events 3
	python3 - "$1" <<-'EOF2'
	import sqlite3, sys
	c = sqlite3.connect(sys.argv[1])
	msgs = ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1:A9)", "\tx=1",
	        "\rx=2", "-rwxr-xr-x /bin/ls", "a=b, plain", " =spaced"]
	for i, m in enumerate(msgs):
	    c.execute("INSERT INTO events VALUES (?,?,?,?,?,?,?,?,?,?,?)",
	              (100 + i, 1763762400000000 + i, "Process Start", "M...",
	               "PROCESS", "web01", "-path%d" % i, m, 1, "processes", -7))
	c.commit()
	EOF2
}

@test "export: csv cells are the data as it is; --safe-csv puts ' before = + - @ tab CR (Python csv reads both)" {
	db=$SCRATCH/formula.db
	formula_case "$db"
	for f in csv l2tcsv timesketch-csv; do
		"$ANALYZE" export --db "$db" --format $f --tz -05:00 -o "$SCRATCH/plain.$f"
		"$ANALYZE" export --db "$db" --format $f --tz -05:00 --safe-csv -o "$SCRATCH/safe.$f"
	done
	python3 - "$SCRATCH" <<-'EOF2'
	import csv, sys
	d = sys.argv[1]
	msgs = ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1:A9)", "\tx=1",
	        "\rx=2", "-rwxr-xr-x /bin/ls", "a=b, plain", " =spaced"]
	def rows(name):
	    with open(d + "/" + name, newline="", encoding="utf-8") as fp:
	        r = list(csv.reader(fp))
	    return [dict(zip(r[0], x)) for x in r[1:]]
	def safe(m):
	    return "'" + m if m[0] in "=+-@\t\r" else m
	for f, mcol, pcol in (("csv", "message", "path"), ("l2tcsv", "desc", "filename"),
	                      ("timesketch-csv", "message", "path")):
	    plain, neut = rows("plain." + f), rows("safe." + f)
	    assert len(plain) == len(neut) == 3 + len(msgs), f
	    pm = [r[mcol] for r in plain]
	    sm = [r[mcol] for r in neut]
	    for m in msgs:
	        assert m in pm, (f, m)             # faithful by default
	        assert safe(m) in sm, (f, m)       # neutralised, the rest kept
	    assert "-path3" in [r[pcol] for r in plain], f
	    assert "'-path3" in [r[pcol] for r in neut], f
	    for r in neut:
	        for k, v in r.items():
	            # no cell starts a formula, except irkit's own "-", the
	            # --tz offset and numbers
	            assert v[:1] not in ("=", "+", "@", "\t", "\r"), (f, k, v)
	            if v.startswith("-"):
	                assert v == "-" or k in ("timezone", "record_id") or \
	                    v.lstrip("-").isdigit(), (f, k, v)
	l2t = rows("safe.l2tcsv")
	assert {r["timezone"] for r in l2t} == {"-05:00"}
	assert {r["user"] for r in l2t} == {"-"}
	assert "'-rwxr-xr-x /bin/ls"[:120] in [r["short"] for r in l2t]
	assert "-7" in [r["record_id"] for r in rows("safe.csv")]
	assert "-7" in [r["record_id"] for r in rows("plain.csv")]
	EOF2
	# plain output is byte for byte what it was without the option on a
	# case with nothing to neutralise
	"$ANALYZE" export --db "$CASE_DIR/case.db" --format csv -o "$SCRATCH/a.csv"
	"$ANALYZE" export --db "$CASE_DIR/case.db" --format csv --safe-csv -o "$SCRATCH/b.csv"
	cmp "$SCRATCH/a.csv" "$SCRATCH/b.csv"
	# not a CSV format: a usage error
	run "$ANALYZE" export --db "$db" --format jsonl --safe-csv
	[ "$status" -eq 2 ]
	[[ "$output" == *"--safe-csv is for csv"* ]]
}
