#!/usr/bin/env bats
# The evidence archive, checked with GNU tar, sha256sum and python's json.

load helpers

setup() { setup_scratch; }
teardown() { teardown_scratch; }

@test "archive opens with GNU tar, manifest last, detached sha256 verifies" {
	run "$COLLECT" -q -o "$SCRATCH" --only processes --case C-1 --examiner ann
	[ "$status" -eq 0 ]
	a=$(archive_in "$SCRATCH")
	[[ "$a" == *.tar.zst ]]
	(cd "$SCRATCH" && sha256sum -c "${a##*/}.sha256")
	tar --zstd -tf "$a" > "$SCRATCH/list"
	top=$(basename "$a" .tar.zst)
	[ "$(tail -1 "$SCRATCH/list")" = "$top/manifest.json" ]
	grep -qx "$top/records/processes.jsonl" "$SCRATCH/list"
	grep -qx "$top/log.jsonl" "$SCRATCH/list"
	! ls "$SCRATCH"/*.partial 2>/dev/null
}

@test "every member's size and sha256 in the manifest match sha256sum" {
	"$COLLECT" -q -o "$SCRATCH" --only processes
	a=$(archive_in "$SCRATCH")
	mkdir "$SCRATCH/x"
	tar --zstd -xf "$a" -C "$SCRATCH/x"
	top=$(ls "$SCRATCH/x")
	cd "$SCRATCH/x/$top"
	python3 - <<'PY'
import json, hashlib, os, sys
m = json.load(open("manifest.json"))
assert m["format"] == "irkit-evidence" and m["format_version"] == 1
listed = {x["path"] for x in m["members"]}
for x in m["members"]:
    data = open(x["path"], "rb").read()
    assert len(data) == x["size"], x
    assert hashlib.sha256(data).hexdigest() == x["sha256"], x
on_disk = set()
for d, _, fs in os.walk("."):
    for f in fs:
        on_disk.add(os.path.relpath(os.path.join(d, f), "."))
on_disk.discard("manifest.json")
assert on_disk == listed, (on_disk ^ listed)
assert m["collectors"]["processes"]["status"] in ("ok", "partial")
PY
	want=$(sha256sum "$COLLECT" | cut -d' ' -f1)
	python3 -c "import json,sys; assert json.load(open('manifest.json'))['tool']['sha256'] == '$want'"
}

@test "compression choices give archives GNU tar reads" {
	for c in gzip xz none; do
		mkdir "$SCRATCH/$c"
		"$COLLECT" -q -o "$SCRATCH/$c" --only processes --compress "$c"
		a=$(archive_in "$SCRATCH/$c")
		tar -tf "$a" | grep -q manifest.json
	done
}

@test "-o - streams the archive to stdout" {
	"$COLLECT" -q -o - --only processes > "$SCRATCH/out.tar.zst"
	tar --zstd -tf "$SCRATCH/out.tar.zst" | grep -q '/manifest.json$'
	[ "$(ls "$SCRATCH")" = "out.tar.zst" ]
}

@test "a full disk leaves no archive-looking file and exits 3" {
	run prlimit --fsize=4096 "$COLLECT" -q -o "$SCRATCH" --compress none
	[ "$status" -eq 3 ]
	[[ "$output" == *"no evidence archive written"* ]]
	[ -z "$(ls "$SCRATCH")" ]
}

@test "usage errors exit 2; --help and --version exit 0" {
	run "$COLLECT" --only nosuch
	[ "$status" -eq 2 ]
	[[ "$output" == *"unknown collector 'nosuch'"* ]]
	run "$COLLECT" --compress lz9
	[ "$status" -eq 2 ]
	run "$COLLECT" extra
	[ "$status" -eq 2 ]
	run "$COLLECT" --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"--max-file-size"* ]]
	run "$COLLECT" --version
	[ "$status" -eq 0 ]
}

@test "an unwritable output directory is fatal and says so" {
	run "$COLLECT" -q -o /proc/x.tar.zst
	[ "$status" -eq 3 ]
	[[ "$output" == *"cannot create"* ]]
	# a folder that does not exist is a usage error (tests/e2e/collect_cli.bats)
	run "$COLLECT" -q -o /proc/nonexistent/dir/x.tar.zst
	[ "$status" -eq 2 ]
}
