#!/usr/bin/env bats
# report: rendered in headless Chromium (an independent HTML/SVG engine);
# the screenshot must show the chart, hostile values must stay text.
bats_require_minimum_version 1.5.0

load helpers

setup_file() {
	export CASE_DIR=$(mktemp -d "${BATS_TMPDIR:-/tmp}/irkit-report.XXXXXX")
	python3 "$IRKIT_SRC/tests/e2e/mkcase.py" "$CASE_DIR/case.db" --events 3000
	python3 "$IRKIT_SRC/tests/e2e/mkcase.py" "$CASE_DIR/hostile.db" --events 300 --hostile
}

teardown_file() {
	rm -rf "$CASE_DIR"
}

setup() {
	setup_scratch
}

teardown() {
	teardown_scratch
}

chrome() {
	timeout 90 chromium --headless --no-sandbox --disable-gpu --disable-quic \
		--no-first-run --disable-background-networking \
		--disable-component-update --disable-sync \
		--user-data-dir="$(mktemp -d "$SCRATCH/chrome.XXXXXX")" "$@" 2>/dev/null
}

@test "report: one self-contained file, nothing fetched, no script" {
	run "$ANALYZE" report --db "$CASE_DIR/case.db" -o "$SCRATCH/r.html"
	[ "$status" -eq 0 ]
	f=$SCRATCH/r.html
	grep -q '<svg' "$f"
	grep -q '<style>' "$f"
	! grep -qi '<script' "$f"
	! grep -Eqi '(src|href)="(https?:|//)' "$f"
	! grep -qi '<link' "$f"
	grep -q '@media print' "$f"
	grep -q "Content-Security-Policy" "$f"
	# every section is there
	for id in evidence hosts activity findings yara processes services tasks certificates keys iocs log; do
		grep -q "id=\"$id\"" "$f"
	done
	# findings ranked by score
	scores=$(grep -o 'class="score s-[a-z]*">[0-9]*' "$f" | sed 's/.*>//' | tr '\n' ' ')
	[ "$scores" = "95 80 60 40 30 " ]
	grep -q 'damaged' "$f"
	grep -q 'APT_Backdoor_SUNBURST' "$f"
}

@test "report: Chromium renders the activity chart" {
	"$ANALYZE" report --db "$CASE_DIR/case.db" -o "$SCRATCH/r.html"
	chrome --screenshot="$SCRATCH/shot.png" --window-size=1280,2000 "file://$SCRATCH/r.html"
	[ -s "$SCRATCH/shot.png" ]
	# decode the PNG with zlib and look for the first host's bar colour
	# (#1f77b4) over an area only the chart's bars cover
	python3 - "$SCRATCH/shot.png" <<-'EOF'
	import struct, sys, zlib
	data = open(sys.argv[1], "rb").read()
	assert data[:8] == b"\x89PNG\r\n\x1a\n"
	pos, idat, w = 8, b"", 0
	while pos < len(data):
	    n, t = struct.unpack(">I4s", data[pos:pos + 8])
	    body = data[pos + 8:pos + 8 + n]
	    if t == b"IHDR":
	        w, h, depth, ctype, _, _, inter = struct.unpack(">IIBBBBB", body)
	        assert depth == 8 and inter == 0 and ctype in (2, 6), (depth, ctype)
	        bpp = 3 if ctype == 2 else 4
	    elif t == b"IDAT":
	        idat += body
	    pos += 12 + n
	raw = zlib.decompress(idat)
	stride = w * bpp
	prev = bytearray(stride)
	xs, ys, hits = [], [], 0
	for y in range(h):
	    f = raw[y * (stride + 1)]
	    line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
	    for i in range(stride):
	        a = line[i - bpp] if i >= bpp else 0
	        b = prev[i]
	        c = prev[i - bpp] if i >= bpp else 0
	        if f == 1: line[i] = (line[i] + a) & 255
	        elif f == 2: line[i] = (line[i] + b) & 255
	        elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
	        elif f == 4:
	            p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
	            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
	    for x in range(0, w, 2):
	        r, g, bl = line[x * bpp:x * bpp + 3]
	        if abs(r - 0x1f) < 6 and abs(g - 0x77) < 6 and abs(bl - 0xb4) < 6:
	            hits += 1; xs.append(x); ys.append(y)
	    prev = line
	assert hits > 2000, hits
	# bars spread across the page width and stand tall: a chart, not a
	# legend swatch
	assert max(xs) - min(xs) > 600, (min(xs), max(xs))
	assert max(ys) - min(ys) > 60, (min(ys), max(ys))
	print("chart pixels", hits, "x", min(xs), max(xs), "y", min(ys), max(ys))
	EOF
}

@test "report: hostile values are shown as text, never run" {
	"$ANALYZE" report --db "$CASE_DIR/hostile.db" -o "$SCRATCH/h.html"
	! grep -qi '<script' "$SCRATCH/h.html"
	! grep -qi '<img' "$SCRATCH/h.html"
	grep -q '&lt;script&gt;alert(1)&lt;/script&gt;' "$SCRATCH/h.html"
	# Chromium with JavaScript on: the DOM holds the text, no injected
	# element, and the title was not changed by an injected handler
	chrome --dump-dom --virtual-time-budget=2000 "file://$SCRATCH/h.html" > "$SCRATCH/dom.html"
	[ -s "$SCRATCH/dom.html" ]
	grep -q '&lt;script&gt;alert(1)&lt;/script&gt;' "$SCRATCH/dom.html"
	grep -q "&lt;img src=x onerror=\"document.title='pwned'\"&gt;" "$SCRATCH/dom.html"
	! grep -qi '<script' "$SCRATCH/dom.html"
	! grep -qi '<img' "$SCRATCH/dom.html"
	grep -q '<title>irkit case report' "$SCRATCH/dom.html"
	! grep -q '<title>pwned' "$SCRATCH/dom.html"
	# the non-UTF-8 name is shown with its bytes as \xNN
	grep -q 'bad utf8 \\xff\\xfe end' "$SCRATCH/h.html"
	# a file name with a newline stays one cell
	python3 -c "
import sys; t = open('$SCRATCH/h.html', encoding='utf-8').read()
assert '&quot;quoted&quot;' in t"
}

@test "report: a huge case stays bounded, an empty case still renders" {
	db=$SCRATCH/big.db
	cp "$CASE_DIR/case.db" "$db"
	python3 - "$db" <<-'EOF'
	import sqlite3, sys
	c = sqlite3.connect(sys.argv[1])
	c.executemany("INSERT INTO findings(evidence_id, host_id, score, title, reasons) VALUES (1,1,?,?,'[]')",
	              [(i % 100, "finding %d" % i) for i in range(5000)])
	c.executemany("INSERT INTO processes(evidence_id, host_id, pid, name, exe_deleted) VALUES (1,1,?,?,1)",
	              [(10000 + i, "p%d" % i) for i in range(3000)])
	c.commit()
	EOF
	"$ANALYZE" report --db "$db" -o "$SCRATCH/big.html"
	[ "$(stat -c %s "$SCRATCH/big.html")" -lt 3000000 ]
	grep -q '4905 more findings in the database' "$SCRATCH/big.html"
	grep -q '2901 more in the database' "$SCRATCH/big.html"
	# an empty database (schema only)
	sqlite3 "$SCRATCH/empty.db" < "$IRKIT_SRC/analyzer/schema.sql"
	run "$ANALYZE" report --db "$SCRATCH/empty.db" -o "$SCRATCH/e.html"
	[ "$status" -eq 0 ]
	grep -q 'No dated events in the timeline' "$SCRATCH/e.html"
	grep -q 'No findings' "$SCRATCH/e.html"
}

@test "report: a wide time range switches to day buckets and a log scale" {
	db=$SCRATCH/wide.db
	cp "$CASE_DIR/case.db" "$db"
	python3 - "$db" <<-'EOF'
	import sqlite3, sys
	c = sqlite3.connect(sys.argv[1])
	day = 86400 * 1000000
	t0 = 1763762400 * 1000000
	c.executemany("INSERT INTO events(ts, ts_desc, source, host, message) VALUES (?,?,?,?,?)",
	              [(t0 - (i % 90) * day, "Content Modification Time", "FILE", "web01", "old %d" % i)
	               for i in range(2000)])
	c.commit()
	EOF
	"$ANALYZE" report --db "$db" -o "$SCRATCH/w.html"
	grep -q 'one bar per day; events, log scale' "$SCRATCH/w.html"
}

@test "report: bad usage and bad databases fail" {
	run "$ANALYZE" report --db "$SCRATCH/none.db" -o "$SCRATCH/x.html"
	[ "$status" -eq 3 ]
	[ ! -e "$SCRATCH/x.html" ]
	echo "junk" > "$SCRATCH/junk.db"
	run "$ANALYZE" report --db "$SCRATCH/junk.db" -o "$SCRATCH/x.html"
	[ "$status" -eq 3 ]
	run "$ANALYZE" report --bogus
	[ "$status" -eq 2 ]
	run "$ANALYZE" report --db "$CASE_DIR/case.db" extra
	[ "$status" -eq 2 ]
}

@test "report and export: a real ingest (YARA fixtures) end to end" {
	export XDG_CACHE_HOME=$SCRATCH/cache
	python3 "$IRKIT_SRC/tests/gen/yara_fixtures.py" "$SCRATCH/fx" > /dev/null
	run "$ANALYZE" ingest --db "$SCRATCH/p.db" "$SCRATCH/fx"
	[ "$status" -le 1 ]
	"$ANALYZE" report --db "$SCRATCH/p.db" -o "$SCRATCH/p.html"
	# every rule that matched is in the YARA table (up to the cap)
	n=$(sqlite3 "$SCRATCH/p.db" "SELECT count(*) FROM yara_matches")
	[ "$n" -gt 0 ]
	for rule in $(sqlite3 "$SCRATCH/p.db" "SELECT DISTINCT rule FROM yara_matches ORDER BY score DESC LIMIT 20"); do
		grep -q "<b>$rule</b>" "$SCRATCH/p.html"
	done
	# the best finding leads the report
	top=$(sqlite3 "$SCRATCH/p.db" "SELECT score FROM findings ORDER BY score DESC LIMIT 1")
	first=$(grep -o 'class="score s-[a-z]*">[0-9]*' "$SCRATCH/p.html" | head -1 | sed 's/.*>//')
	[ "$first" = "$top" ]
	# every event is exported once; mactime agrees with the files table
	"$ANALYZE" export --db "$SCRATCH/p.db" --format jsonl -o "$SCRATCH/p.jsonl"
	[ "$(wc -l < "$SCRATCH/p.jsonl")" -eq "$(sqlite3 "$SCRATCH/p.db" 'SELECT count(*) FROM events')" ]
	"$ANALYZE" export --db "$SCRATCH/p.db" --format bodyfile -o "$SCRATCH/body"
	want=$(sqlite3 "$SCRATCH/p.db" "
		WITH f AS (SELECT * FROM files WHERE coalesce(atime, mtime, ctime, btime) IS NOT NULL),
		t AS (SELECT id, atime AS x FROM f UNION ALL SELECT id, mtime FROM f
		      UNION ALL SELECT id, ctime FROM f UNION ALL SELECT id, btime FROM f)
		SELECT count(*) FROM (SELECT DISTINCT id, CASE WHEN x IS NULL OR x < 0 THEN 0 ELSE x / 1000000 END FROM t)")
	got=$(mactime -b "$SCRATCH/body" -d -z UTC | python3 -c "import csv, sys; print(len(list(csv.reader(sys.stdin))) - 1)")
	[ "$got" -eq "$want" ]
}
