#!/usr/bin/env bats
bats_require_minimum_version 1.5.0
# irkit-analyze findings: the case's findings on the command line, checked
# against sqlite3 on a case built here (mkcase.py plus findings of a
# second host, ties, unknown times and hostile titles).

load helpers

setup_file() {
	export FDIR=$(mktemp -d "${BATS_TMPDIR:-/tmp}/irkit-findings.XXXXXX")
	python3 "$IRKIT_SRC/tests/e2e/mkcase.py" "$FDIR/case.db" --events 50
	python3 - "$FDIR/case.db" <<-'EOF'
	import sqlite3, sys
	c = sqlite3.connect(sys.argv[1])
	T = 1763762400000000
	rows = [
	    (10, 2, 2, 95, "Tie on db02, later", "process", '["a"]', T + 7200000000),
	    (11, 2, 2, 95, "Tie on db02, earlier", "process", '["b"]', T + 3600000000),
	    (12, 2, 2, 70, "No time known", "service", '["c"]', None),
	    (13, 2, 2, 70, b"evil \x1b]0;pwned\x07 \x1b[31mred \xc2\x9b csi", "task", '["d"]', T),
	    (14, 2, 2, 20, b"not utf-8 \x9b\xff", "task", None, T),
	]
	for r in rows:
	    r = list(r)
	    if isinstance(r[4], bytes):
	        c.execute("INSERT INTO findings VALUES (?,?,?,?,CAST(? AS TEXT),?,?,?)", r)
	    else:
	        c.execute("INSERT INTO findings VALUES (?,?,?,?,?,?,?,?)", r)
	c.execute("INSERT INTO finding_links VALUES (10, 'processes', 4)")
	c.execute("INSERT INTO finding_links VALUES (10, 'files', 9)")
	c.commit()
	EOF
}

teardown_file() {
	rm -rf "$FDIR"
}

# The oracle: score, host, title, evidence of each finding as sqlite3
# ranks them, titles with control characters and non-UTF-8 shown hex.
oracle() {
	sqlite3 -separator '|' "$FDIR/case.db" "SELECT f.score, h.hostname,
	    CASE WHEN f.title GLOB '*[^ -~]*' THEN 'HEX:' || hex(f.title) ELSE f.title END,
	    e.path FROM findings f LEFT JOIN hosts h ON h.id = f.host_id
	    LEFT JOIN evidence e ON e.id = f.evidence_id WHERE f.score >= ${1:-0} ${2:-}
	    ORDER BY f.score DESC, f.ts IS NULL, f.ts, f.id"
}

# The command's --json output in the oracle's form (a title's \xNN text,
# what --json writes for bytes that are not UTF-8, back to those bytes).
ours() {
	"$ANALYZE" findings --db "$FDIR/case.db" --json "$@" | python3 -c '
import json, re, sys
for l in sys.stdin:
    o = json.loads(l)
    t = o["title"]
    if any(not (" " <= ch <= "~") for ch in t) or "\\x" in t:
        b = re.sub(rb"\\x([0-9a-f]{2})", lambda m: bytes([int(m.group(1), 16)]), t.encode())
        t = "HEX:" + b.hex().upper()
    print("%d|%s|%s|%s" % (o["score"], o["host"], t, o["evidence"]))
'
}

@test "findings: ranked as sqlite3 ranks them, with host, title and evidence" {
	run --separate-stderr ours
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = "$(oracle)" ]
	[ "${#lines[@]}" -eq "$(sqlite3 "$FDIR/case.db" 'SELECT count(*) FROM findings')" ]
	# the ties: the earlier first; the unknown time after the known ones
	[[ "${lines[0]}" == "95|db02|Tie on db02, earlier|"* ]]
	[[ "${lines[1]}" == "95|db02|Tie on db02, later|"* ]]
	# the text table: the same rows, one per line after a header
	run --separate-stderr "$ANALYZE" findings --db "$FDIR/case.db"
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" =~ ^SCORE\ +HOST\ +TITLE\ +EVIDENCE$ ]]
	[ "${#lines[@]}" -eq $(( $(sqlite3 "$FDIR/case.db" 'SELECT count(*) FROM findings') + 1 )) ]
	[[ "${lines[3]}" =~ ^\ +95\ +web01\ +SUNBURST\ backdoor\ in\ /usr/bin/tool3\ +/cases/irkit-web01-20251121T220000Z.tar.zst$ ]]
}

@test "findings: --min-score and --host (case ignored) filter as sqlite3 does" {
	run --separate-stderr ours --min-score 70
	[ "$status" -eq 0 ]
	[ "$output" = "$(oracle 70)" ]
	[ "${#lines[@]}" -gt 2 ]
	run --separate-stderr ours --host DB02
	[ "$output" = "$(oracle 0 "AND h.hostname = 'db02'")" ]
	[ "${#lines[@]}" -eq 5 ]
	run --separate-stderr ours --host Web01 --min-score 60
	[ "$output" = "$(oracle 60 "AND h.hostname = 'web01'")" ]
	[ "${#lines[@]}" -eq 3 ]
}

@test "findings: --json carries reasons, links, time and category as stored" {
	run --separate-stderr "$ANALYZE" findings --db "$FDIR/case.db" --json --host db02 --min-score 95
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 2 ]
	python3 - "$FDIR/case.db" "$output" <<-'EOF'
	import datetime, json, sqlite3, sys
	c = sqlite3.connect(sys.argv[1])
	for l in sys.argv[2].splitlines():
	    o = json.loads(l)
	    score, cat, reasons, ts, ev = c.execute(
	        "SELECT score, category, reasons, ts, evidence_id FROM findings WHERE id = ?",
	        (o["id"],)).fetchone()
	    assert o["score"] == score and o["category"] == cat, o
	    assert o["reasons"] == json.loads(reasons), o
	    assert o["evidence_id"] == ev
	    t = datetime.datetime.fromisoformat(o["time"].replace("Z", "+00:00"))
	    assert round(t.timestamp() * 1000000) == ts, (o["time"], ts)
	    links = c.execute("SELECT record_table, record_id FROM finding_links WHERE finding_id = ?",
	                      (o["id"],)).fetchall()
	    assert sorted((x["table"], x["id"]) for x in o["links"]) == sorted(links), o
	EOF
	# an unknown time is null
	run --separate-stderr "$ANALYZE" findings --db "$FDIR/case.db" --json --host db02 --min-score 70
	[[ "$output" == *'"title":"No time known","category":"service","time":null'* ]]
}

@test "findings: hostile titles are escaped in the table, kept in --json" {
	"$ANALYZE" findings --db "$FDIR/case.db" > "$FDIR/t.out" 2> "$FDIR/t.err"
	"$ANALYZE" findings --db "$FDIR/case.db" --json > "$FDIR/j.out"
	for f in t.out t.err j.out; do
		no_raw_controls "$FDIR/$f"
	done
	grep -qF 'evil \x1b]0;pwned\x07 \x1b[31mred \xc2\x9b csi' "$FDIR/t.out"
	grep -qF 'not utf-8 \x9b\xff' "$FDIR/t.out"
	python3 -c '
import json, sys
ts = [json.loads(l)["title"] for l in open(sys.argv[1])]
assert "evil \x1b]0;pwned\x07 \x1b[31mred \x9b csi" in ts, ts
assert "not utf-8 \\x9b\\xff" in ts, ts
' "$FDIR/j.out"
}

@test "findings: nothing matched says so (exit 1); usage errors exit 2; no database exits 3" {
	run --separate-stderr "$ANALYZE" findings --db "$FDIR/case.db" --host nosuchhost
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[[ "$stderr" == *"irkit-analyze findings: no findings match (10 in the case)"* ]]
	[[ "$stderr" == *"'db02', 'web01'"* ]]
	run --separate-stderr "$ANALYZE" findings --db "$FDIR/case.db" --min-score 101
	[ "$status" -eq 2 ]
	[[ "$stderr" == "irkit-analyze findings: bad --min-score '101' (0-100)"* ]]
	run --separate-stderr "$ANALYZE" findings --db "$FDIR/case.db" --min-score x
	[ "$status" -eq 2 ]
	run --separate-stderr "$ANALYZE" findings --db "$FDIR/case.db" extra
	[ "$status" -eq 2 ]
	run --separate-stderr "$ANALYZE" findings --db "$FDIR/none.db"
	[ "$status" -eq 3 ]
	[[ "$stderr" == "irkit-analyze findings: cannot read '$FDIR/none.db'"* ]]
	# an empty case: nothing to list, not an error
	sqlite3 "$FDIR/empty.db" < "$IRKIT_SRC/analyzer/schema.sql"
	run --separate-stderr "$ANALYZE" findings --db "$FDIR/empty.db"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	[[ "$stderr" == *"no findings in the case"* ]]
	# read-only
	sum=$(sha256sum < "$FDIR/case.db")
	"$ANALYZE" findings --db "$FDIR/case.db" > /dev/null
	[ "$(sha256sum < "$FDIR/case.db")" = "$sum" ]
}

@test "findings: bidirectional controls in a title are shown as \\uXXXX in the table, kept in --json" {
	cp "$FDIR/case.db" "$FDIR/bidi.db"
	python3 - "$FDIR/bidi.db" <<-'EOF2'
	import sqlite3, sys
	c = sqlite3.connect(sys.argv[1])
	c.execute("INSERT INTO findings VALUES (20, 1, 1, 99, ?, 'process', NULL, NULL)",
	          ("process photo\u202Egpj.exe \u2066x\u2069 \u200e\u200f\u061c\u202a",))
	c.commit()
	EOF2
	"$ANALYZE" findings --db "$FDIR/bidi.db" > "$FDIR/b.out"
	"$ANALYZE" findings --db "$FDIR/bidi.db" --json > "$FDIR/b.json"
	no_raw_bidi "$FDIR/b.out"
	grep -qF 'process photo\u202Egpj.exe \u2066x\u2069 \u200E\u200F\u061C\u202A' "$FDIR/b.out"
	python3 -c '
import json, sys
ts = [json.loads(l)["title"] for l in open(sys.argv[1])]
assert "process photo\u202Egpj.exe \u2066x\u2069 \u200e\u200f\u061c\u202a" in ts, ts
' "$FDIR/b.json"
}
