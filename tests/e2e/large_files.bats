#!/usr/bin/env bats
# Files over --max-file-size: on a host or folder input they are scanned
# from a memory map (docs/scanning.md); archive members and disk image
# contents over the cap are never skipped silently (summary line, --json
# too_large, files.skipped_reason).  Oracles: sha256sum, sqlite3, tar.

load helpers

setup() {
	setup_scratch
	mkdir -p "$SCRATCH/in"
	printf 'rule near_end { strings: $a = "IRKIT_NEAR_END_MARKER_42" condition: $a }\n' \
		> "$SCRATCH/r.yar"
	# 3 MB of noise, the marker at the end
	head -c 3000000 /dev/urandom > "$SCRATCH/in/big.bin"
	printf 'IRKIT_NEAR_END_MARKER_42' >> "$SCRATCH/in/big.bin"
	echo small > "$SCRATCH/in/small.txt"
}
teardown() { teardown_scratch; }

sql() { sqlite3 "$SCRATCH/case.db" "$1"; }

@test "a folder's file over the cap is scanned from a map: matched, hashed, not skipped" {
	run "$ANALYZE" ingest --no-default-rules -r "$SCRATCH/r.yar" --db "$SCRATCH/case.db" \
		--max-file-size 1M "$SCRATCH/in"
	[ "$status" -eq 0 ]
	[ "$(sql "SELECT skipped_reason IS NULL FROM files WHERE path = '/big.bin'")" = 1 ]
	[ "$(sql "SELECT sha256 FROM files WHERE path = '/big.bin'")" = \
		"$(sha256sum < "$SCRATCH/in/big.bin" | cut -d' ' -f1)" ]
	[ "$(sql "SELECT count(*) FROM yara_matches m JOIN files f ON f.id = m.file_id WHERE f.path = '/big.bin' AND m.rule = 'near_end'")" = 1 ]
	! grep -q 'not scanned' <<< "$output" || false
}

@test "an archive member over the cap: 'too large', said in the summary and in --json" {
	tar --zstd -cf "$SCRATCH/in.tar.zst" -C "$SCRATCH/in" .
	run "$ANALYZE" ingest --no-default-rules -r "$SCRATCH/r.yar" --db "$SCRATCH/case.db" \
		--max-file-size 1M "$SCRATCH/in.tar.zst"
	[ "$status" -eq 0 ]
	grep -q "ingest: 1 files over --max-file-size hashed but not scanned (files.skipped_reason 'too large')" <<< "$output"
	[ "$(sql "SELECT skipped_reason FROM files WHERE path LIKE '%big.bin'")" = "too large" ]
	[ "$(sql "SELECT sha256 FROM files WHERE path LIKE '%big.bin'")" = \
		"$(sha256sum < "$SCRATCH/in/big.bin" | cut -d' ' -f1)" ]
	rm "$SCRATCH/case.db"
	run "$ANALYZE" ingest --json -q --no-default-rules -r "$SCRATCH/r.yar" \
		--db "$SCRATCH/case.db" --max-file-size 1M "$SCRATCH/in.tar.zst"
	[ "$(python3 -c 'import json,sys; print(json.loads(sys.stdin.read())["too_large"])' <<< "$output")" = 1 ]
}

@test "a disk image's file over the cap: said in the summary and in --json" {
	command -v mke2fs >/dev/null || skip "no mke2fs"
	mkdir "$SCRATCH/fs"
	head -c 5000 /dev/urandom > "$SCRATCH/fs/five-k.bin"
	echo tiny > "$SCRATCH/fs/tiny.txt"
	mke2fs -q -t ext4 -d "$SCRATCH/fs" "$SCRATCH/disk.raw" 8M
	run "$ANALYZE" image --no-default-rules -r "$SCRATCH/r.yar" --db "$SCRATCH/case.db" \
		--max-file-size 1k "$SCRATCH/disk.raw"
	[ "$status" -eq 0 ]
	grep -q "image: 1 files over --max-file-size neither read nor scanned (files.skipped_reason 'too large')" <<< "$output"
	[ "$(sql "SELECT skipped_reason FROM files WHERE path LIKE '%five-k.bin'")" = "too large" ]
	rm "$SCRATCH/case.db"
	run "$ANALYZE" image --json -q --no-default-rules -r "$SCRATCH/r.yar" \
		--db "$SCRATCH/case.db" --max-file-size 1k "$SCRATCH/disk.raw"
	[ "$(python3 -c 'import json,sys; print(json.loads(sys.stdin.read().splitlines()[-1])["too_large"])' <<< "$output")" = 1 ]
}

@test "a sparse 2 GB file: rules scan finds the marker near its end from a map" {
	truncate -s 2G "$SCRATCH/mem.dmp" || skip "no sparse file here"
	printf 'IRKIT_NEAR_END_MARKER_42' | dd of="$SCRATCH/mem.dmp" bs=1 \
		seek=$((2 * 1024 * 1024 * 1024 - 4096)) conv=notrunc 2>/dev/null
	run "$ANALYZE" rules scan --no-default-rules -r "$SCRATCH/r.yar" "$SCRATCH/mem.dmp"
	echo "$output"
	[ "$status" -eq 0 ]
	grep -q "^near_end $SCRATCH/mem.dmp" <<< "$output"
	! grep -q 'too large' <<< "$output" || false
}
