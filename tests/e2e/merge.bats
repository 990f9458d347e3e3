#!/usr/bin/env bats
bats_require_minimum_version 1.5.0
#
# irkit-analyze merge and cache (docs/scale-out.md): shards made one
# input each, merged, equal one ingest of the same inputs.
#
# Oracles: a single-process ingest and image of the same inputs, compared
# after case_norm.py (each table sorted by content, ids replaced by the
# rows they name); sqlite3 .dump and PRAGMA integrity_check for "the case
# is as it was"; sha256sum of the dump.
load helpers

setup() {
	setup_scratch
	cd "$SCRATCH"
}

teardown() {
	teardown_scratch
}

NORM() {
	python3 "$IRKIT_SRC/tests/e2e/case_norm.py" "$1"
}

# make_root DIR HOST: a small Linux root of host HOST with a service, a
# cron line and a program holding the rule's marker
make_root() {
	mkdir -p "$1/etc/systemd/system/multi-user.target.wants" \
	    "$1/usr/local/bin" "$1/etc/ssl/private"
	echo "$2" > "$1/etc/hostname"
	printf '%s\n' "$(printf '%s' "$2" | sha256sum | cut -c1-32)" > "$1/etc/machine-id"
	printf 'ID=debian\nPRETTY_NAME="Debian 12 (%s)"\n' "$2" > "$1/etc/os-release"
	printf '#!/bin/sh\n# irkit-merge-marker\nexec sleep 1000\n' > "$1/usr/local/bin/webd"
	chmod 755 "$1/usr/local/bin/webd"
	printf '[Service]\nExecStart=/usr/local/bin/webd\n[Install]\nWantedBy=multi-user.target\n' \
	    > "$1/etc/systemd/system/web.service"
	ln -s /etc/systemd/system/web.service \
	    "$1/etc/systemd/system/multi-user.target.wants/web.service"
	printf 'SHELL=/bin/sh\n17 * * * * root run-parts /etc/cron.hourly\n*/5 * * * * root /tmp/.%s/run\n' "$2" \
	    > "$1/etc/crontab"
	printf 'root:x:0:0:root:/root:/bin/bash\n%s:x:1000:1000::/home/%s:/bin/sh\n' "$2" "$2" > "$1/etc/passwd"
}

collect() {
	"$COLLECT" -q -o "$1" --root "$2" --skip processes,kernel_modules \
	    --cert-path /etc/ssl || true
}

# make_image FILE HOST SIZE: an ext4 image of a Linux root (mkfs.ext4 -d);
# images of one size are compared by their media SHA-256 when loaded into one
# case, which they would then hold: the sizes differ
make_image() {
	make_root "$SCRATCH/img-$2" "$2"
	truncate -s "$3" "$1"
	mkfs.ext4 -q -F -d "$SCRATCH/img-$2" "$1"
}

rules() {
	printf 'rule merge_marker { strings: $a = "irkit-merge-marker" condition: $a }\n' > marker.yar
}

# The inputs: collections of three hosts (alpha twice, changed between),
# two images of two more; ALL: the collections, IMAGES: the images.
make_inputs() {
	rules
	for h in alpha beta gamma; do
		make_root "root-$h" "$h"
	done
	collect a1.tar.zst root-alpha
	collect b.tar.zst root-beta
	collect g.tar.zst root-gamma
	sleep 1
	printf '[Service]\nExecStart=/tmp/.x/beacon\n' > root-alpha/etc/systemd/system/evil.service
	collect a2.tar.zst root-alpha
	make_image d.raw delta 8M
	make_image e.raw epsilon 9M
	ALL="a1.tar.zst b.tar.zst g.tar.zst a2.tar.zst"
	IMAGES="d.raw e.raw"
}

ingest_opts="-q --no-default-rules -r marker.yar"

# shards: one per input, s-INPUT.db
make_shards() {
	for i in $ALL; do
		"$ANALYZE" ingest $ingest_opts --db "s-$i.db" "$i"
	done
	for i in $IMAGES; do
		"$ANALYZE" image -q --no-default-rules -r marker.yar --db "s-$i.db" "$i"
	done
}

@test "merge: shards of four collections (three hosts) and two images equal one ingest of them all" {
	make_inputs
	"$ANALYZE" ingest $ingest_opts --db one.db $ALL
	for i in $IMAGES; do
		"$ANALYZE" image -q --no-default-rules -r marker.yar --db one.db "$i"
	done
	make_shards
	run "$ANALYZE" merge --db m.db s-a1.tar.zst.db s-b.tar.zst.db s-g.tar.zst.db \
	    s-a2.tar.zst.db s-d.raw.db s-e.raw.db
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(grep -c ': 1 evidence merged, 0 skipped' <<< "$output")" -eq 6 ]
	NORM one.db > one.txt
	NORM m.db > m.txt
	diff one.txt m.txt > d.txt || { head -c 3000 d.txt; false; }
	# what is compared: every table of the case, rows in them
	[ "$(sqlite3 m.db "SELECT count(*) FROM evidence")" -eq 6 ]
	[ "$(sqlite3 m.db "SELECT group_concat(hostname) FROM (SELECT hostname FROM hosts ORDER BY 1)")" = alpha,beta,delta,epsilon,gamma ]
	[ "$(sqlite3 m.db "SELECT count(*) FROM yara_matches WHERE rule = 'merge_marker'")" -ge 5 ]
	[ "$(sqlite3 m.db "SELECT count(DISTINCT evidence_id) FROM findings WHERE category = 'yara'")" -eq 6 ]
	[ "$(sqlite3 m.db "SELECT count(*) FROM files WHERE origin = 'image'")" -gt 20 ]
	[ "$(sqlite3 m.db "PRAGMA integrity_check")" = ok ]
	tables=$(sqlite3 m.db "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%'")
	[ "$(grep -c '^== ' m.txt)" -eq "$tables" ]
	# every reference points at a row of the case
	[ "$(sqlite3 m.db "SELECT count(*) FROM files f LEFT JOIN evidence e ON e.id = f.evidence_id WHERE e.id IS NULL")" -eq 0 ]
	[ "$(sqlite3 m.db "SELECT count(*) FROM events v LEFT JOIN evidence e ON e.id = v.evidence_id WHERE e.id IS NULL")" -eq 0 ]
	[ "$(sqlite3 m.db "SELECT count(*) FROM yara_matches y LEFT JOIN files f ON f.id = y.file_id WHERE f.id IS NULL")" -eq 0 ]
	[ "$(sqlite3 m.db "SELECT count(*) FROM finding_links l LEFT JOIN findings f ON f.id = l.finding_id WHERE f.id IS NULL")" -eq 0 ]
	[ "$(sqlite3 m.db "SELECT count(*) FROM services s LEFT JOIN hosts h ON h.id = s.host_id WHERE h.id IS NULL")" -eq 0 ]
}

# a shard of one collection of host HOST: s-HOST.db (and HOST.tar.zst)
one_shard() {
	rules
	make_root "root-$1" "$1"
	collect "$1.tar.zst" "root-$1"
	"$ANALYZE" ingest $ingest_opts --db "s-$1.db" "$1.tar.zst"
}

dump_sum() {
	sqlite3 "$1" .dump | sha256sum
}

@test "merge: the same shard twice, or evidence the case has from ingest, changes nothing and says so" {
	one_shard alpha
	one_shard beta
	"$ANALYZE" ingest $ingest_opts --db c.db alpha.tar.zst
	before=$(dump_sum c.db)
	run "$ANALYZE" merge --db c.db s-alpha.db
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"'s-alpha.db': evidence 1 ('alpha.tar.zst') already in the case as evidence 1 (same content): skipped"* ]]
	[[ "$output" == *"'s-alpha.db': 0 evidence merged, 1 skipped; 0 rows"* ]]
	[ "$(dump_sum c.db)" = "$before" ]
	"$ANALYZE" merge -q --db c.db s-beta.db
	once=$(dump_sum c.db)
	[ "$once" != "$before" ]
	[ "$(sqlite3 c.db "SELECT count(*) FROM evidence")" -eq 2 ]
	run "$ANALYZE" merge --db c.db s-beta.db s-alpha.db s-beta.db
	[ "$status" -eq 0 ]
	[ "$(grep -c 'skipped$' <<< "$output")" -eq 3 ]
	[ "$(dump_sum c.db)" = "$once" ]
}

@test "merge: a file that is not an irkit case, or a case of another schema, is refused naming it; the others are merged, exit 1" {
	one_shard alpha
	one_shard beta
	echo 'just text' > text.db
	: > empty.db
	sqlite3 other.db "CREATE TABLE t (x); INSERT INTO t VALUES (1)"
	cp s-beta.db v2.db
	sqlite3 v2.db "UPDATE meta SET value = '2' WHERE key = 'schema_version'"
	cp s-beta.db newer.db
	sqlite3 newer.db "CREATE TABLE gadgets (id INTEGER PRIMARY KEY, evidence_id INTEGER, name TEXT)"
	cp s-beta.db newcol.db
	sqlite3 newcol.db "ALTER TABLE files ADD COLUMN colour TEXT"
	run "$ANALYZE" merge --db c.db text.db empty.db other.db nosuch.db v2.db newer.db newcol.db s-alpha.db
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"merge: 'text.db' is not an irkit case (file is not a database)"* ]]
	[[ "$output" == *"'empty.db' is not an irkit case (no such table: meta)"* ]]
	[[ "$output" == *"'other.db' is not an irkit case (no such table: meta)"* ]]
	[[ "$output" == *"cannot read 'nosuch.db': No such file or directory"* ]]
	[[ "$output" == *"'v2.db' is a case of schema version '2'; this irkit-analyze merges version 1 only"* ]]
	[[ "$output" == *"'newer.db' has 'gadgets', which this case has not"* ]]
	[[ "$output" == *"'newcol.db' has 'files.colour', which this case has not"* ]]
	[[ "$output" == *"'s-alpha.db': 1 evidence merged"* ]]
	[ "$(sqlite3 c.db "SELECT group_concat(path) FROM evidence")" = alpha.tar.zst ]
	# the case itself
	run "$ANALYZE" merge --db c.db c.db
	[ "$status" -eq 1 ]
	[[ "$output" == *"'c.db' is the case itself"* ]]
	# usage
	run "$ANALYZE" merge --db c.db
	[ "$status" -eq 2 ]
	run "$ANALYZE" merge --bogus x.db
	[ "$status" -eq 2 ]
}

@test "merge: every table of the case is merged or the merge refuses; a table of evidence rows is copied with its ids moved" {
	one_shard alpha
	one_shard beta
	"$ANALYZE" merge -q --db c.db s-alpha.db
	# a table the schema might gain: rows of an evidence, and a child
	# of a record (record_table, record_id)
	for d in c.db s-beta.db; do
		sqlite3 "$d" "CREATE TABLE widgets (id INTEGER PRIMARY KEY, evidence_id INTEGER, host_id INTEGER, file_id INTEGER, name TEXT);
		    CREATE TABLE notes (id INTEGER PRIMARY KEY, record_table TEXT, record_id INTEGER, note TEXT)"
	done
	sqlite3 s-beta.db "INSERT INTO widgets (evidence_id, host_id, file_id, name) SELECT evidence_id, host_id, id, 'w ' || path FROM files;
	    INSERT INTO notes (record_table, record_id, note) SELECT 'services', id, 'n ' || name FROM services"
	run "$ANALYZE" merge --db c.db s-beta.db
	echo "$output"
	[ "$status" -eq 0 ]
	# the rows, pointing at beta's rows in the case
	[ "$(sqlite3 c.db "SELECT count(*) FROM widgets w JOIN files f ON f.id = w.file_id AND w.name = 'w ' || f.path JOIN evidence e ON e.id = w.evidence_id AND e.id = f.evidence_id JOIN hosts h ON h.id = w.host_id WHERE e.path = 'beta.tar.zst' AND h.hostname = 'beta'")" -eq \
	    "$(sqlite3 s-beta.db "SELECT count(*) FROM files")" ]
	[ "$(sqlite3 c.db "SELECT count(*) FROM notes n JOIN services s ON s.id = n.record_id AND n.note = 'n ' || s.name JOIN evidence e ON e.id = s.evidence_id WHERE n.record_table = 'services' AND e.path = 'beta.tar.zst'")" -eq \
	    "$(sqlite3 s-beta.db "SELECT count(*) FROM services")" ]
	# a table merge cannot place: refused, the case unchanged
	one_shard gamma
	sqlite3 c.db "CREATE TABLE gizmos (id INTEGER PRIMARY KEY, name TEXT)"
	before=$(dump_sum c.db)
	run "$ANALYZE" merge --db c.db s-gamma.db
	echo "$output"
	[ "$status" -eq 3 ]
	[[ "$output" == *"the case's table 'gizmos' has no evidence_id, file_id or record_table"* ]]
	[ "$(dump_sum c.db)" = "$before" ]
}

@test "merge: killed with SIGKILL in the middle of a large shard, the case is as it was; merged again, it is whole" {
	one_shard alpha
	one_shard beta
	# beta's shard made large: 400000 more events
	sqlite3 s-beta.db "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 400000)
	    INSERT INTO events (ts, ts_desc, source, host, path, message, evidence_id)
	    SELECT 1700000000000000 + i, 'Filler', 'FILE', 'beta', '/x/' || i, 'filler event ' || i, 1 FROM n"
	want=$(sqlite3 s-beta.db "SELECT count(*) FROM events")
	"$ANALYZE" merge -q --db c.db s-alpha.db
	before=$(dump_sum c.db)
	sqlite3 c.db "PRAGMA wal_checkpoint(TRUNCATE)" > /dev/null
	mkdir keep && cp c.db* keep/
	# killed once it has written part of the shard into the case's WAL
	# and before its commit: stopped there, and the case read, to know
	# (its 128 MiB cache may hold the whole change until the commit,
	# which a fast machine writes between two looks: then again)
	in_tx=
	for _ in 1 2 3 4 5; do
		rm -f c.db*; cp keep/c.db* .
		"$ANALYZE" merge -q --db c.db s-beta.db & pid=$!
		for _ in $(seq 2000); do
			[ "$(stat -c %s c.db-wal 2>/dev/null || echo 0)" -gt 4000000 ] && break
			sleep 0.005
		done
		# the merge ended before that (its WAL gone at the close): again
		kill -STOP "$pid" 2>/dev/null || { wait "$pid" || true; continue; }
		# not committed yet: the case still has one evidence
		[ "$(sqlite3 c.db "SELECT count(*) FROM evidence")" -eq 1 ] && in_tx=1
		kill -9 "$pid"
		wait "$pid" || true
		echo "killed with a WAL of $(stat -c %s c.db-wal) bytes, before the commit: ${in_tx:-no}"
		[ -n "$in_tx" ] && break
	done
	[ -n "$in_tx" ]
	[ "$(sqlite3 c.db "PRAGMA integrity_check")" = ok ]
	[ "$(dump_sum c.db)" = "$before" ]
	[ "$(sqlite3 c.db "SELECT count(*) FROM evidence")" -eq 1 ]
	run "$ANALYZE" merge --db c.db s-beta.db
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(sqlite3 c.db "SELECT count(*) FROM events e JOIN evidence v ON v.id = e.evidence_id WHERE v.path = 'beta.tar.zst' AND e.source != 'FINDING'")" -eq \
	    "$(sqlite3 s-beta.db "SELECT count(*) FROM events WHERE source != 'FINDING'")" ]
	[ "$want" -gt 400000 ]
}

@test "merge: a shard's baseline mark is kept; the case's later collection of that host gets its baseline findings" {
	rules
	make_root root-alpha alpha
	collect a1.tar.zst root-alpha
	sleep 1
	printf '[Service]\nExecStart=/tmp/.x/beacon\n[Install]\nWantedBy=multi-user.target\n' \
	    > root-alpha/etc/systemd/system/evil.service
	ln -s /etc/systemd/system/evil.service \
	    root-alpha/etc/systemd/system/multi-user.target.wants/evil.service
	collect a2.tar.zst root-alpha
	"$ANALYZE" ingest $ingest_opts --db s1.db a1.tar.zst
	"$ANALYZE" baseline --db s1.db 1
	"$ANALYZE" ingest $ingest_opts --db c.db a2.tar.zst
	[ "$(sqlite3 c.db "SELECT count(*) FROM findings WHERE category = 'baseline'")" -eq 0 ]
	run "$ANALYZE" merge --db c.db s1.db
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *", 1 baselines;"* ]]
	[ "$(sqlite3 c.db "SELECT e.path FROM baselines b JOIN evidence e ON e.id = b.evidence_id")" = a1.tar.zst ]
	sqlite3 c.db "SELECT f.title, e.path FROM findings f JOIN evidence e ON e.id = f.evidence_id WHERE f.category = 'baseline'" | tee f.txt
	grep -qx 'new service since the baseline: systemd  system  evil.service|a2.tar.zst' f.txt
	# on the timeline, on the host's name
	[ "$(sqlite3 c.db "SELECT count(*) FROM events e JOIN findings f ON e.record_table = 'findings' AND e.record_id = f.id WHERE f.category = 'baseline' AND e.host = 'alpha'")" -eq "$(wc -l < f.txt)" ]
	# the same as marking it in one case
	"$ANALYZE" ingest $ingest_opts --db one.db a2.tar.zst a1.tar.zst
	"$ANALYZE" baseline --db one.db 2
	[ "$(sqlite3 one.db "SELECT f.title, e.path FROM findings f JOIN evidence e ON e.id = f.evidence_id WHERE f.category = 'baseline' ORDER BY 1")" = \
	    "$(sqlite3 c.db "SELECT f.title, e.path FROM findings f JOIN evidence e ON e.id = f.evidence_id WHERE f.category = 'baseline' ORDER BY 1")" ]
	# merged again: nothing more
	before=$(dump_sum c.db)
	"$ANALYZE" merge -q --db c.db s1.db
	[ "$(dump_sum c.db)" = "$before" ]
}

@test "cache: export then import into another case; its ingest scans only what was not scanned; twice changes nothing" {
	one_shard alpha
	run "$ANALYZE" cache export --db s-alpha.db c.jsonl
	echo "$output"
	[ "$status" -eq 0 ]
	# the rows: the content scanned clean (sqlite3 is the oracle), no match
	tail -n +2 c.jsonl | python3 -c 'import json,sys; [print(json.loads(l)["sha256"]) for l in sys.stdin]' | sort > got
	sqlite3 s-alpha.db "SELECT sha256 FROM scan_cache WHERE matches = 0 ORDER BY 1" > want
	diff got want
	[ "$(wc -l < got)" -ge 2 ]
	[ "$(sqlite3 s-alpha.db "SELECT count(*) FROM scan_cache WHERE matches > 0")" -ge 1 ]
	[ "$(head -1 c.jsonl)" = '{"format":"irkit-scan-cache","version":1}' ]
	run "$ANALYZE" cache import --db n.db c.jsonl
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"$(wc -l < want) new rows, 0 known already, from 'c.jsonl'"* ]]
	before=$(dump_sum n.db)
	run "$ANALYZE" cache import --db n.db c.jsonl
	[[ "$output" == *"0 new rows, $(wc -l < want) known already"* ]]
	[ "$(dump_sum n.db)" = "$before" ]
	# the rules are known by their content: the same file elsewhere
	mkdir other && cp marker.yar other/
	run "$ANALYZE" ingest --no-default-rules -r other/marker.yar --db n.db alpha.tar.zst
	echo "$output"
	[[ "$output" == *"($(wc -l < want) from the scan cache)"* ]]
	[[ "$output" == *"1 YARA matches (0 from the scan cache)"* ]]
	[ "$(sqlite3 n.db "SELECT count(*) FROM yara_matches WHERE rule = 'merge_marker'")" -eq 1 ]
	# export to standard output
	[ "$("$ANALYZE" cache export --db s-alpha.db - | wc -l)" -eq "$(wc -l < c.jsonl)" ]
}

@test "cache: a hostile cache file is refused whole, naming it and its line; nothing imported" {
	one_shard alpha
	"$ANALYZE" cache export --db s-alpha.db good.jsonl
	h='{"format":"irkit-scan-cache","version":1}'
	s=$(printf 'x%.0s' {1..64} | tr x a)
	r=$(sed -n 2p good.jsonl | python3 -c 'import json,sys; print(json.loads(sys.stdin.read())["rules_hash"])')
	bad() {
		{ echo "$h"; sed -n 2p good.jsonl; echo "$1"; } > "$2"
		run "$ANALYZE" cache import --db n.db "$2"
		echo "$output"
		[ "$status" -eq 1 ]
		[[ "$output" == *"cache: '$2' line 3: $3: nothing imported"* ]]
		[ ! -e n.db ] || [ "$(sqlite3 n.db "SELECT count(*) FROM scan_cache")" -eq 0 ]
	}
	bad "{\"sha256\":\"$s\",\"rules_hash\":\"$r\",\"matches\":1}" m.jsonl "matches must be 0"
	bad "{\"sha256\":\"${s:0:63}\",\"rules_hash\":\"$r\",\"matches\":0}" short.jsonl "sha256 and rules_hash must be 64 lowercase hex digits"
	bad "{\"sha256\":\"${s^^}\",\"rules_hash\":\"$r\",\"matches\":0}" upper.jsonl "sha256 and rules_hash must be 64 lowercase hex digits"
	bad "{\"sha256\":\"$s\",\"rules_hash\":\"$r\",\"matches\":0,\"evil\":1}" key.jsonl 'unknown key "evil"'
	bad "{\"sha256\":\"$s\",\"rules_hash\":\"$r\",\"matches\":0,\"mime\":7}" mime.jsonl "mime and magic must be text of at most 1024 bytes"
	bad "{\"sha256\":\"$s\",\"rules_hash\":\"$r\",\"matches\":0,\"scanned_at\":\"now\"}" ts.jsonl "scanned_at must be microseconds"
	bad '[1,2]' arr.jsonl "not a JSON object"
	bad '{"sha256":' trunc.jsonl "not JSON (unexpected token near end of file)"
	bad "{\"sha256\":\"$s\",\"rules_hash\":\"$r\",\"matches\":0,\"magic\":\"$(head -c 5000 /dev/zero | tr '\0' m)\"}" long.jsonl "a line of more than 4096 bytes"
	# not a cache at all
	echo '{"format":"other"}' > nc.jsonl
	run "$ANALYZE" cache import --db n.db nc.jsonl
	[ "$status" -eq 1 ]
	[[ "$output" == *"'nc.jsonl' line 1: not an irkit scan cache"* ]]
	: > e.jsonl
	run "$ANALYZE" cache import --db n.db e.jsonl
	[ "$status" -eq 1 ]
	[[ "$output" == *"'e.jsonl' is empty: not a scan cache"* ]]
	run "$ANALYZE" cache import --db n.db nosuch.jsonl
	[ "$status" -eq 3 ]
	run "$ANALYZE" cache frobnicate --db n.db x
	[ "$status" -eq 2 ]
}

@test "merge: an image is known by its media hash: a copy imaged elsewhere is skipped; an image's or a collection's shard holds no path of its worker but what it was given" {
	make_image d.raw delta 8M
	mkdir -p elsewhere
	cp d.raw elsewhere/copy.raw
	"$ANALYZE" image -q --no-scan --image-hash --db c.db d.raw
	(cd elsewhere && "$ANALYZE" image -q --no-scan --image-hash --db ../s.db copy.raw)
	want=$(sha256sum < d.raw | cut -c1-64)
	[ "$(sqlite3 s.db "SELECT sha256 FROM evidence")" = "$want" ]
	# the image's path as it was given, nothing of the worker's folder
	[ "$(sqlite3 s.db "SELECT path FROM evidence")" = copy.raw ]
	! sqlite3 s.db .dump | grep -F "$SCRATCH/elsewhere" || false
	run "$ANALYZE" merge --db c.db s.db
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"already in the case as evidence 1 (same content): skipped"* ]]
	[ "$(sqlite3 c.db "SELECT count(*) FROM evidence")" -eq 1 ]
	# keyed by its file (no --image-hash) but compared with an image of
	# the same size, an image has its media_sha256: a shard's image keyed
	# by its media hash is found by it, and the other way round
	cp d.raw other.raw
	printf 'other' | dd of=other.raw bs=1 seek=$((8 * 1024 * 1024 - 16)) conv=notrunc 2>/dev/null
	"$ANALYZE" image -q --no-scan --db c2.db d.raw other.raw
	[ "$(sqlite3 c2.db "SELECT media_sha256 FROM evidence WHERE path = 'd.raw'")" = "$want" ]
	run "$ANALYZE" merge --db c2.db s.db
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"already in the case as evidence 1 (same content): skipped"* ]]
	[ "$(sqlite3 c2.db "SELECT count(*) FROM evidence")" -eq 2 ]
	(cd elsewhere && cp ../other.raw . && "$ANALYZE" image -q --no-scan --db ../s2.db copy.raw other.raw)
	run "$ANALYZE" merge --db c.db s2.db
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"evidence 1 ('copy.raw') already in the case as evidence 1 (same content): skipped"* ]]
	[ "$(sqlite3 c.db "SELECT count(*) FROM evidence")" -eq 2 ]
	# a collection's shard, its input named relative: no path of the
	# worker's (the scratch folder) anywhere in it
	rules
	make_root root-alpha alpha
	collect a.tar.zst root-alpha
	mkdir worker
	mv a.tar.zst a.tar.zst.sha256 marker.yar worker/
	(cd worker && "$ANALYZE" ingest $ingest_opts --db sa.db a.tar.zst)
	[ "$(sqlite3 worker/sa.db "SELECT count(*) FROM files")" -gt 0 ]
	! sqlite3 worker/sa.db .dump | grep -F "$SCRATCH/worker" || false
	[ "$(sqlite3 worker/sa.db "SELECT path FROM evidence")" = a.tar.zst ]
}

# peak_rss CMD...: run CMD, print its peak RSS in MiB and its exit status
# (the kernel's count, through python's getrusage of the child)
peak_rss() {
	python3 -c 'import resource, subprocess, sys
r = subprocess.run(sys.argv[1:]).returncode
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024, r)' "$@"
}

@test "merge: memory is bounded by the page cache, not the shard: 300 MB of events merge into a new case and into one with evidence under 300 MiB" {
	rules
	make_root root-alpha alpha
	collect a.tar.zst root-alpha
	"$ANALYZE" ingest $ingest_opts --db s.db a.tar.zst
	# another evidence of 250 000 more events, 1 KB each
	cp s.db big.db
	sqlite3 big.db >/dev/null "PRAGMA journal_mode = OFF;
	UPDATE evidence SET sha256 = lower(hex(randomblob(32))),
	    manifest_sha256 = lower(hex(randomblob(32)));
	CREATE TEMP TABLE b AS SELECT * FROM events;
	WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c
	    WHERE i < 250000)
	INSERT INTO events (ts, ts_desc, macb, source, host, path, message,
	    evidence_id, record_table, record_id)
	SELECT b.ts + c.i, b.ts_desc, b.macb, b.source, b.host,
	    b.path || '.' || c.i, hex(zeroblob(500)), b.evidence_id,
	    b.record_table, b.record_id
	FROM c JOIN b ON b.rowid = 1 + c.i % (SELECT count(*) FROM b)"
	[ "$(stat -c %s big.db)" -gt 300000000 ]
	want=$(sqlite3 big.db "SELECT count(*) FROM events WHERE source != 'FINDING'")
	# a new case
	read -r rss st < <(peak_rss "$ANALYZE" merge -q --db new.db big.db)
	echo "new case: peak RSS $rss MiB, exit $st"
	[ "$st" -eq 0 ]
	[ "$(sqlite3 new.db "SELECT count(*) FROM events WHERE source != 'FINDING'")" -eq "$want" ]
	# under AddressSanitizer (build.sh asan) the bound is not irkit's
	[ -n "${IRK_ASAN:-}" ] || [ "$rss" -lt 300 ]
	# a case that has evidence (its indexes made, its WAL)
	"$ANALYZE" merge -q --db old.db s.db
	read -r rss st < <(peak_rss "$ANALYZE" merge -q --db old.db big.db)
	echo "case with evidence: peak RSS $rss MiB, exit $st"
	[ "$st" -eq 0 ]
	[ "$(sqlite3 old.db "SELECT count(*) FROM events WHERE evidence_id = 2 AND source != 'FINDING'")" -eq "$want" ]
	[ -n "${IRK_ASAN:-}" ] || [ "$rss" -lt 300 ]
}
