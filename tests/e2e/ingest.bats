#!/usr/bin/env bats
#
# irkit-analyze ingest: sqlite3 on the case database is the oracle for
# what was loaded; GNU tar and the yara CLI for what the archive holds;
# Python's tarfile builds the hostile archives.
load helpers

setup_file() {
	G="$(mktemp -d "${BATS_TMPDIR:-/tmp}/irk-ingest.XXXXXX")"
	export G
	export XDG_CACHE_HOME="$G/cache"
	"$COLLECT" --quiet -o "$G" >/dev/null 2>&1 || true
	A=$(archive_in "$G")
	export A
	mkdir -p "$G/case"
	(cd "$G/case" && "$ANALYZE" ingest "$A" > "$G/first.out" 2>&1; echo $? > "$G/first.rc")
	DB="$G/case/case.db"
	export DB
}

teardown_file() {
	rm -rf "$G"
}

q() {
	sqlite3 -batch -noheader "$1" "$2"
}

@test "ingest: the collector's archive, default case.db, exit 0" {
	cat "$G/first.out"
	[ "$(cat "$G/first.rc")" -eq 0 ]
	[ -f "$DB" ]
	[[ "$(cat "$G/first.out")" == *"1 evidence"* ]]
	[ "$(q "$DB" 'PRAGMA integrity_check')" = "ok" ]
	[ "$(q "$DB" "SELECT kind||' '||verify||' '||status FROM evidence")" = "irkit intact complete" ]
}

@test "ingest: one processes row per process record in the archive" {
	want=$(tar --zstd -xOf "$A" --wildcards '*/records/processes.jsonl' | grep -c '"type":"process"')
	[ "$want" -gt 0 ]
	[ "$(q "$DB" 'SELECT count(*) FROM processes')" -eq "$want" ]
	# our own pid's record is there with its command line
	[ "$(q "$DB" "SELECT count(*) FROM processes WHERE start_time IS NOT NULL")" -gt 0 ]
	[ "$(q "$DB" "SELECT count(*) FROM events WHERE ts_desc = 'Process Start'")" -eq \
	  "$(q "$DB" "SELECT count(*) FROM processes WHERE start_time IS NOT NULL")" ]
}

@test "ingest: host and collection times from the manifest" {
	host=$(tar --zstd -xOf "$A" --wildcards '*/manifest.json' | python3 -c 'import json,sys; print(json.load(sys.stdin)["host"]["hostname"])')
	[ "$(q "$DB" 'SELECT hostname FROM hosts')" = "$host" ]
	[ "$(q "$DB" "SELECT count(*) FROM events WHERE source = 'COLLECTION'")" -eq 2 ]
	# every row of the evidence carries the host, also rows loaded before the manifest
	[ "$(q "$DB" 'SELECT count(*) FROM processes WHERE host_id IS NULL')" -eq 0 ]
	[ "$(q "$DB" 'SELECT count(*) FROM events WHERE host IS NULL')" -eq 0 ]
}

@test "ingest: every files/ member is a collected files row, hashed as sha256sum says" {
	want=$(tar --zstd -tf "$A" | grep -c '^[^/]*/files/' || true)
	[ "$(q "$DB" "SELECT count(*) FROM files WHERE origin = 'collected' AND skipped_reason IS NULL")" -eq "$want" ]
	if [ "$want" -gt 0 ]; then
		m=$(tar --zstd -tf "$A" | grep -m1 '^[^/]*/files/')
		sum=$(tar --zstd -xOf "$A" "$m" | sha256sum | cut -d' ' -f1)
		p="/${m#*/files/}"
		[ "$(q "$DB" "SELECT sha256 FROM files WHERE path = '$p' LIMIT 1")" = "$sum" ]
		[ -n "$(q "$DB" "SELECT mime FROM files WHERE path = '$p' LIMIT 1")" ]
	fi
}

@test "ingest: the same evidence again changes nothing" {
	before=$(q "$DB" "SELECT (SELECT count(*) FROM evidence)||' '||(SELECT count(*) FROM files)||' '||(SELECT count(*) FROM events)||' '||(SELECT count(*) FROM processes)||' '||(SELECT count(*) FROM findings)||' '||(SELECT count(*) FROM yara_matches)")
	cd "$G/case"
	run "$ANALYZE" ingest "$A"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"already in the case"* ]]
	after=$(q "$DB" "SELECT (SELECT count(*) FROM evidence)||' '||(SELECT count(*) FROM files)||' '||(SELECT count(*) FROM events)||' '||(SELECT count(*) FROM processes)||' '||(SELECT count(*) FROM findings)||' '||(SELECT count(*) FROM yara_matches)")
	[ "$before" = "$after" ]
}

@test "ingest: the views answer" {
	for v in v_findings v_timeline v_suspicious_processes v_writable_persistence v_untrusted_roots v_yara_hits; do
		q "$DB" "SELECT count(*) FROM $v" >/dev/null
	done
	[ "$(q "$DB" 'SELECT count(*) FROM v_timeline')" -eq "$(q "$DB" 'SELECT count(*) FROM events')" ]
}

@test "ingest: a hostile tar (traversal, absolute, link out then a file through it) writes nothing outside" {
	h="$G/hostile"
	mkdir -p "$h/work" "$h/canary"
	python3 - "$h/evil.tar" "$h/canary" <<'PY'
import io, sys, tarfile
out, canary = sys.argv[1], sys.argv[2]
def add(t, name, data=b"pwned\n"):
	ti = tarfile.TarInfo(name); ti.size = len(data); t.addfile(ti, io.BytesIO(data))
with tarfile.open(out, "w", format=tarfile.GNU_FORMAT) as t:
	add(t, "../../traversal.txt")
	add(t, "../" * 12 + canary.lstrip("/") + "/up.txt")
	add(t, canary + "/absolute.txt")
	ln = tarfile.TarInfo("escape"); ln.type = tarfile.SYMTYPE; ln.linkname = canary; t.addfile(ln)
	add(t, "escape/through-link.txt")
	hl = tarfile.TarInfo("hard"); hl.type = tarfile.LNKTYPE; hl.linkname = "/etc/passwd"; t.addfile(hl)
	add(t, "./ok/normal.txt", b"just a file\n")
PY
	cd "$h/work"
	run "$ANALYZE" ingest --db evil.db "$h/evil.tar"
	echo "$output"
	[ "$status" -eq 0 ]
	[ -z "$(ls -A "$h/canary")" ]
	[ ! -e "$h/traversal.txt" ] && [ ! -e "$G/traversal.txt" ]
	[ -z "$(ls -A "$h/work" | grep -v '^evil\.db\(-wal\|-shm\)\?$')" ]
	[ "$(q evil.db 'PRAGMA integrity_check')" = "ok" ]
	# every member is a row, under its name as stored
	[ "$(q evil.db 'SELECT count(*) FROM files')" -eq 7 ]
	[ "$(q evil.db "SELECT skipped_reason FROM files WHERE path = 'escape'")" = "link" ]
	[ "$(q evil.db "SELECT count(*) FROM files WHERE path = '../../traversal.txt'")" -eq 1 ]
}

@test "ingest: a truncated archive loads up to the damage, is marked partial, exit 1" {
	size=$(stat -c %s "$A")
	head -c $((size * 2 / 3)) "$A" > "$G/trunc.tar.zst"
	cd "$G"
	run "$ANALYZE" ingest --db trunc.db "$G/trunc.tar.zst"
	echo "$output"
	[ "$status" -eq 1 ]
	[ "$(q trunc.db 'PRAGMA integrity_check')" = "ok" ]
	[ "$(q trunc.db "SELECT status FROM evidence")" = "partial" ]
	[ "$(q trunc.db "SELECT verify FROM evidence")" != "intact" ]
	# and again: nothing changes
	c1=$(q trunc.db 'SELECT count(*) FROM files')
	run "$ANALYZE" ingest --db trunc.db "$G/trunc.tar.zst"
	[[ "$output" == *"already in the case"* ]]
	[ "$(q trunc.db 'SELECT count(*) FROM files')" -eq "$c1" ]
}

@test "ingest: a generic tar.gz of real binaries: (rule, file) pairs equal the yara CLI's" {
	s="$G/gen"
	mkdir -p "$s/src/bin"
	python3 "$IRKIT_SRC/tests/gen/yara_fixtures.py" "$s/src/fx" >/dev/null
	for b in ls cat bash sh tar gzip; do cp "$(command -v $b)" "$s/src/bin/" 2>/dev/null || true; done
	tar -C "$s" -czf "$s/gen.tar.gz" src
	cd "$s"
	run "$ANALYZE" ingest --db gen.db -j 2 "$s/gen.tar.gz"
	echo "$output"
	[ "$status" -eq 0 ]
	mkdir "$s/x" && tar -C "$s/x" -xzf "$s/gen.tar.gz"
	(cd "$s/x" && yara -r "$IRKIT_SRC"/yara-rules/*.yar src) | sort > "$s/oracle.txt"
	[ -s "$s/oracle.txt" ]
	q gen.db "SELECT rule||' '||path FROM v_yara_hits" | sort > "$s/ours.txt"
	diff "$s/ours.txt" "$s/oracle.txt"
	# every member is a files row with a type, its mtime on the timeline
	n=$(tar -tzf "$s/gen.tar.gz" | grep -vc '/$')
	[ "$(q gen.db 'SELECT count(*) FROM files')" -eq "$n" ]
	[ "$(q gen.db 'SELECT count(*) FROM files WHERE mime IS NULL')" -eq 0 ]
	[ "$(q gen.db "SELECT count(DISTINCT record_id) FROM events WHERE source = 'FILE'")" -eq "$n" ]
	# matches are findings, scored
	[ "$(q gen.db "SELECT count(*) FROM findings WHERE category = 'yara'")" -eq \
	  "$(q gen.db 'SELECT count(DISTINCT file_id) FROM yara_matches')" ]
}

@test "ingest: the scan cache links known content without scanning it again" {
	s="$G/gen"
	[ -f "$s/gen.tar.gz" ] || skip "needs the previous test"
	# the same files in another archive (other bytes: zip)
	(cd "$s/x" && python3 -c '
import os, zipfile
with zipfile.ZipFile("../gen.zip", "w") as z:
	for d, _, fs in os.walk("src"):
		for f in fs: z.write(os.path.join(d, f))')
	cd "$s"
	run "$ANALYZE" ingest --db gen.db "$s/gen.zip"
	echo "$output"
	[ "$status" -eq 0 ]
	# zip matches equal tar matches, file by file
	a=$(q gen.db "SELECT rule||' '||f.path FROM yara_matches y JOIN files f ON f.id = y.file_id WHERE f.evidence_id = 1" | sort)
	b=$(q gen.db "SELECT rule||' '||f.path FROM yara_matches y JOIN files f ON f.id = y.file_id WHERE f.evidence_id = 2" | sort)
	[ -n "$a" ]
	[ "$a" = "$b" ]
	[ "$(q gen.db 'SELECT count(*) FROM scan_cache')" -eq "$(q gen.db 'SELECT count(DISTINCT sha256) FROM files WHERE evidence_id = 1 AND skipped_reason IS NULL')" ]
}

@test "ingest: a directory; a link out of it is recorded, not followed" {
	d="$G/dir"
	mkdir -p "$d/ev/sub" "$d/outside"
	echo secret > "$d/outside/secret.txt"
	echo hello > "$d/ev/sub/a.txt"
	ln -s "$d/outside/secret.txt" "$d/ev/link"
	ln -s ../../outside "$d/ev/sub/up"
	cd "$d"
	run "$ANALYZE" ingest --db d.db "$d/ev"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(q d.db "SELECT kind FROM evidence")" = "directory" ]
	[ "$(q d.db "SELECT count(*) FROM files WHERE path LIKE '%secret%'")" -eq 0 ]
	[ "$(q d.db "SELECT skipped_reason FROM files WHERE path = '/link'")" = "link" ]
	[ "$(q d.db "SELECT sha256 FROM files WHERE path = '/sub/a.txt'")" = "$(sha256sum < "$d/ev/sub/a.txt" | cut -d' ' -f1)" ]
}

@test "ingest: usage errors exit 2, --help exits 0" {
	run "$ANALYZE" ingest
	[ "$status" -eq 2 ]
	run "$ANALYZE" ingest -j 0 x
	[ "$status" -eq 2 ]
	run "$ANALYZE" ingest --max-file-size banana x
	[ "$status" -eq 2 ]
	run "$ANALYZE" ingest --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"usage: irkit-analyze ingest"* ]]
	cd "$G"
	run "$ANALYZE" ingest --db nothing.db /nonexistent/evidence.tar
	[ "$status" -eq 1 ]
}

@test "ingest: files above --max-file-size are rows marked too large, still hashed" {
	s="$G/big"
	mkdir -p "$s/src"
	head -c 300000 /dev/urandom > "$s/src/big.bin"
	echo small > "$s/src/small.txt"
	tar -C "$s" -cf "$s/b.tar" src
	cd "$s"
	run "$ANALYZE" ingest --db b.db --max-file-size 100k "$s/b.tar"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(q b.db "SELECT skipped_reason FROM files WHERE path = 'src/big.bin'")" = "too large" ]
	[ "$(q b.db "SELECT sha256 FROM files WHERE path = 'src/big.bin'")" = "$(sha256sum < "$s/src/big.bin" | cut -d' ' -f1)" ]
	[ -z "$(q b.db "SELECT skipped_reason FROM files WHERE path = 'src/small.txt'")" ]
}
