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
	! ls "$SCRATCH"/*.partial 2>/dev/null || false
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

@test "non-ASCII and non-UTF-8 names: GNU tar and bsdtar list them without a warning" {
	r=$SCRATCH/root
	mkdir -p "$r/etc/cron.d" "$SCRATCH/out"
	printf '* * * * * root /bin/true # a\n' > "$r/etc/cron.d/caf$(printf '\303\251')"
	printf '* * * * * root /bin/true # b\n' > "$r/etc/cron.d/bad$(printf '\377')name"
	run "$COLLECT" -q -o "$SCRATCH/out" --only tasks --root "$r"
	a=$(archive_in "$SCRATCH/out")
	top=$(basename "$a" .tar.zst)
	tar -tvf "$a" > "$SCRATCH/gnu.out" 2> "$SCRATCH/gnu.err"
	bsdtar -tvf "$a" > "$SCRATCH/bsd.out" 2> "$SCRATCH/bsd.err"
	cat "$SCRATCH/gnu.err" "$SCRATCH/bsd.err"
	[ ! -s "$SCRATCH/gnu.err" ]
	[ ! -s "$SCRATCH/bsd.err" ]
	tar --quoting-style=literal -tf "$a" > "$SCRATCH/names"
	grep -qxF "$top/files/etc/cron.d/café" "$SCRATCH/names"
	# bytes that are not UTF-8 are \xNN, as in the records and manifest
	grep -qxF "$top/files/etc/cron.d/bad\\xffname" "$SCRATCH/names"
	want=$(sha256sum < "$r/etc/cron.d/bad$(printf '\377')name" | cut -d' ' -f1)
	got=$(tar -xOf "$a" "$top/files/etc/cron.d/bad\\xffname" | sha256sum | cut -d' ' -f1)
	[ "$want" = "$got" ]
	tar -xOf "$a" "$top/manifest.json" | python3 -c '
import json, sys
m = json.load(sys.stdin)
paths = {x["path"] for x in m["members"]}
assert "files/etc/cron.d/bad\\xffname" in paths, paths
assert "files/etc/cron.d/caf\u00e9" in paths, paths'
	tar -xOf "$a" "$top/records/tasks.jsonl" | python3 -c '
import json, sys
recs = [json.loads(l) for l in sys.stdin]
assert any(r.get("path") == "/etc/cron.d/bad\\xffname" and r.get("stored") for r in recs), recs'
}
