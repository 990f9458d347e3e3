#!/usr/bin/env bats
#
# irkit-analyze verify: every problem named exactly, against archives
# re-packed with GNU tar (the independent writer) after one change each.
load helpers

setup_file() {
	V="$(mktemp -d "${BATS_TMPDIR:-/tmp}/irk-verify.XXXXXX")"
	export V
	"$COLLECT" --quiet -o "$V" --only processes >/dev/null 2>&1 || true
	A=$(archive_in "$V")
	export A
	T=$(basename "$A" .tar.zst)
	export T
	mkdir "$V/x"
	tar -C "$V/x" --zstd -xf "$A"
}

teardown_file() {
	rm -rf "$V"
}

# repack DIR OUT: tar the top folder of DIR with zstd
repack() {
	tar -C "$1" --zstd -cf "$2" "$T"
}

copy_tree() {
	rm -rf "$V/$1"
	cp -a "$V/x" "$V/$1"
}

@test "verify: the collector's archive is intact, exit 0" {
	[ -f "$A" ]
	run "$ANALYZE" verify "$A"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = "intact" ]
}

@test "verify: an intact re-pack by GNU tar passes (member order is free)" {
	repack "$V/x" "$V/same.tar.zst"
	run "$ANALYZE" verify "$V/same.tar.zst"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = "intact" ]
}

@test "verify: names exactly the one record file changed" {
	copy_tree c1
	echo '{"type":"process","pid":424242,"name":"planted"}' >> "$V/c1/$T/records/processes.jsonl"
	repack "$V/c1" "$V/changed.tar.zst"
	run "$ANALYZE" verify "$V/changed.tar.zst"
	echo "$output"
	[ "$status" -eq 1 ]
	[ "$output" = "changed: records/processes.jsonl" ]
}

@test "verify: a same-size change is caught by the hash" {
	copy_tree c2
	f="$V/c2/$T/log.jsonl"
	[ -s "$f" ] || echo '{"level":"info"}' > "$f"
	python3 - "$f" <<'PY'
import sys
p = sys.argv[1]
b = bytearray(open(p, 'rb').read())
b[0] ^= 0x01
open(p, 'wb').write(b)
PY
	repack "$V/c2" "$V/flip.tar.zst"
	run "$ANALYZE" verify "$V/flip.tar.zst"
	echo "$output"
	[ "$status" -eq 1 ]
	[ "$output" = "changed: log.jsonl" ]
}

@test "verify: missing and extra members are named" {
	copy_tree c3
	rm "$V/c3/$T/log.jsonl"
	echo planted > "$V/c3/$T/records/extra.jsonl"
	repack "$V/c3" "$V/mx.tar.zst"
	run "$ANALYZE" verify "$V/mx.tar.zst"
	echo "$output"
	[ "$status" -eq 1 ]
	[ "${#lines[@]}" -eq 2 ]
	[[ "$output" == *"missing: log.jsonl"* ]]
	[[ "$output" == *"extra: records/extra.jsonl"* ]]
}

@test "verify: manifest absent, manifest unreadable" {
	copy_tree c4
	rm "$V/c4/$T/manifest.json"
	repack "$V/c4" "$V/noman.tar.zst"
	run "$ANALYZE" verify "$V/noman.tar.zst"
	echo "$output"
	[ "$status" -eq 1 ]
	[ "$output" = "manifest: missing" ]
	copy_tree c5
	echo '{"members": [' > "$V/c5/$T/manifest.json"
	repack "$V/c5" "$V/badman.tar.zst"
	run "$ANALYZE" verify "$V/badman.tar.zst"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == "manifest: unreadable"* ]]
}

@test "verify: detached .sha256 mismatch" {
	cp "$A" "$V/d.tar.zst"
	printf '%064d  d.tar.zst\n' 0 > "$V/d.tar.zst.sha256"
	run "$ANALYZE" verify "$V/d.tar.zst"
	echo "$output"
	[ "$status" -eq 1 ]
	[ "$output" = "sha256: detached checksum mismatch" ]
	# the collector's own .sha256 agrees with sha256sum (and with us)
	(cd "$V" && sha256sum -c "$(basename "$A").sha256")
}

@test "verify: a truncated archive is damaged, exit 1" {
	size=$(stat -c %s "$A")
	head -c $((size / 2)) "$A" > "$V/t.tar.zst"
	run "$ANALYZE" verify "$V/t.tar.zst"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"damaged"* || "$output" == *"unreadable"* ]]
}

@test "verify: several inputs prefix their lines; usage and help" {
	run "$ANALYZE" verify "$A" "$V/changed.tar.zst"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"$A: intact"* ]]
	[[ "$output" == *"$V/changed.tar.zst: changed: records/processes.jsonl"* ]]
	run "$ANALYZE" verify
	[ "$status" -eq 2 ]
	run "$ANALYZE" verify --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"usage: irkit-analyze verify"* ]]
	run "$ANALYZE" verify /nonexistent.tar.zst
	[ "$status" -eq 1 ]
}
