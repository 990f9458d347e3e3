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

# repack DIR OUT: tar the top folder of DIR with zstd, and sha256sum
# writes OUT.sha256 beside it
repack() {
	tar -C "$1" --zstd -cf "$2" "$T"
	(cd "$(dirname "$2")" && sha256sum "$(basename "$2")" > "$2.sha256")
}

# pyrepack OUT [NAME...]: Python's tarfile writes the extracted archive
# again, plus a member under each NAME (as stored, after the top folder)
# that the rewritten manifest lists with its true size and SHA-256; the
# manifest comes last; zstd compresses it, sha256sum writes OUT.sha256
pyrepack() {
	out=$1
	shift
	python3 - "$V/x" "$T" "${out%.zst}" "$@" <<'PY'
import hashlib, io, json, os, sys, tarfile
root, top, out, names = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
man = json.load(open(os.path.join(root, top, "manifest.json")))
def add(t, name, data):
	ti = tarfile.TarInfo(name); ti.size = len(data); ti.mtime = 1767225600
	t.addfile(ti, io.BytesIO(data))
with tarfile.open(out, "w", format=tarfile.PAX_FORMAT) as t:
	for d, _, fs in os.walk(os.path.join(root, top)):
		for f in sorted(fs):
			p = os.path.join(d, f)
			rel = os.path.relpath(p, os.path.join(root, top))
			if rel != "manifest.json":
				add(t, top + "/" + rel, open(p, "rb").read())
	for n in names:
		data = b'{"type":"process","pid":4242,"name":"planted"}\n'
		add(t, top + "/" + n, data)
		man["members"].append({"path": n, "size": len(data),
		    "sha256": hashlib.sha256(data).hexdigest()})
	add(t, top + "/manifest.json", json.dumps(man).encode())
PY
	zstd -q -f --rm "${out%.zst}" -o "$out"
	(cd "$(dirname "$out")" && sha256sum "$(basename "$out")" > "$out.sha256")
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
	[ "$output" = "$A: intact" ]
}

@test "verify: an intact re-pack by GNU tar passes (member order is free)" {
	repack "$V/x" "$V/same.tar.zst"
	run "$ANALYZE" verify "$V/same.tar.zst"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = "$V/same.tar.zst: intact" ]
}

@test "verify: names exactly the one record file changed" {
	copy_tree c1
	echo '{"type":"process","pid":424242,"name":"planted"}' >> "$V/c1/$T/records/processes.jsonl"
	repack "$V/c1" "$V/changed.tar.zst"
	run "$ANALYZE" verify "$V/changed.tar.zst"
	echo "$output"
	[ "$status" -eq 1 ]
	[ "$output" = "$V/changed.tar.zst: changed: records/processes.jsonl" ]
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
	[ "$output" = "$V/flip.tar.zst: changed: log.jsonl" ]
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
	[[ "$output" == *"$V/mx.tar.zst: missing: log.jsonl"* ]]
	[[ "$output" == *"$V/mx.tar.zst: extra: records/extra.jsonl"* ]]
}

@test "verify: manifest absent, manifest unreadable" {
	copy_tree c4
	rm "$V/c4/$T/manifest.json"
	repack "$V/c4" "$V/noman.tar.zst"
	run "$ANALYZE" verify "$V/noman.tar.zst"
	echo "$output"
	[ "$status" -eq 1 ]
	[ "$output" = "$V/noman.tar.zst: manifest: missing" ]
	copy_tree c5
	echo '{"members": [' > "$V/c5/$T/manifest.json"
	repack "$V/c5" "$V/badman.tar.zst"
	run "$ANALYZE" verify "$V/badman.tar.zst"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == "$V/badman.tar.zst: manifest: unreadable"* ]]
}

@test "verify: detached .sha256 mismatch" {
	cp "$A" "$V/d.tar.zst"
	printf '%064d  d.tar.zst\n' 0 > "$V/d.tar.zst.sha256"
	run "$ANALYZE" verify "$V/d.tar.zst"
	echo "$output"
	[ "$status" -eq 1 ]
	[ "$output" = "$V/d.tar.zst: sha256: detached checksum mismatch" ]
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

@test "verify: several inputs, each line names its input; usage and help" {
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
	[ "$output" = "/nonexistent.tar.zst: unreadable: cannot open '/nonexistent.tar.zst': No such file or directory" ]
	run "$ANALYZE" verify --bogus "$A"
	[ "$status" -eq 2 ]
	run "$ANALYZE" verify -q "$A"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}

# expected NAME...: {"path", "status", "changed", "missing", "extra"} per
# archive, computed independently: GNU tar lists and extracts each
# archive, sha256sum hashes the members, the manifest is read by Python.
expected() {
	for a in "$@"; do
		d=$(mktemp -d "$V/exp.XXXXXX")
		tar -C "$d" --zstd -xf "$a"
		(cd "$d/$T" && find . -type f -printf '%P\n' | sort | while read -r f; do
			printf '%s  %s\n' "$(sha256sum < "$f" | cut -c1-64)" "$f"
		done) > "$d.sums"
		python3 - "$a" "$d/$T/manifest.json" "$d.sums" <<'PY'
import json, sys
a, man, sums = sys.argv[1:]
got = {}
for l in open(sums):
    h, p = l.rstrip("\n").split("  ", 1)
    got[p] = h
m = json.load(open(man))
want = {e["path"]: e["sha256"] for e in m["members"]}
got.pop("manifest.json", None)
changed = sum(1 for p in want if p in got and got[p] != want[p])
missing = sum(1 for p in want if p not in got)
extra = sum(1 for p in got if p not in want)
print(json.dumps({"path": a, "changed": changed, "missing": missing, "extra": extra}))
PY
	done
}

@test "verify --json: one summary object, counts agree with GNU tar + sha256sum" {
	[ -f "$V/changed.tar.zst" ] || { copy_tree c1; echo x >> "$V/c1/$T/records/processes.jsonl"; repack "$V/c1" "$V/changed.tar.zst"; }
	[ -f "$V/mx.tar.zst" ] || { copy_tree c3; rm "$V/c3/$T/log.jsonl"; echo p > "$V/c3/$T/records/extra.jsonl"; repack "$V/c3" "$V/mx.tar.zst"; }
	run "$ANALYZE" verify --json "$A" "$V/changed.tar.zst" "$V/mx.tar.zst" "$V/none.tar.zst"
	echo "$output"
	[ "$status" -eq 1 ]
	[ "${#lines[@]}" -eq 1 ]
	exp=$(expected "$A" "$V/changed.tar.zst" "$V/mx.tar.zst")
	echo "$exp"
	python3 - "$output" "$exp" "$V/none.tar.zst" <<'PY'
import json, sys
o = json.loads(sys.argv[1])
exp = [json.loads(l) for l in sys.argv[2].splitlines()]
ins = o["inputs"]
assert len(ins) == 4, ins
for e, i in zip(exp, ins):
    for k in ("path", "changed", "missing", "extra"):
        assert i[k] == e[k], (k, i, e)
    bad = e["changed"] + e["missing"] + e["extra"]
    assert i["status"] == ("damaged" if bad else "intact"), i
    assert len(i["problems"]) == bad, i
assert ins[0]["problems"] == []
assert ins[3]["path"] == sys.argv[3] and ins[3]["status"] == "unreadable"
assert o["intact"] == 1 and o["failed"] == 3, o
PY
	run "$ANALYZE" verify --json "$A"
	[ "$status" -eq 0 ]
	python3 -c 'import json,sys; o=json.loads(sys.argv[1]); assert o["intact"]==1 and o["failed"]==0 and o["inputs"][0]["status"]=="intact"' "$output"
}

@test "verify: hostile member and archive names are escaped on stdout and stderr" {
	copy_tree c6
	evil=$(printf 'x\033]0;pwned\007\033[31m\233\377')
	echo planted > "$V/c6/$T/records/$evil.jsonl"
	repack "$V/c6" "$V/$evil.tar.zst"
	"$ANALYZE" verify "$V/$evil.tar.zst" "$V/missing-$evil.tar.zst" \
	    > "$V/h.out" 2> "$V/h.err" && false || [ $? -eq 1 ]
	cat -v "$V/h.out" "$V/h.err"
	no_raw_controls "$V/h.out"
	no_raw_controls "$V/h.err"
	grep -qF 'extra: records/x\x1b]0;pwned\x07\x1b[31m' "$V/h.out"
	grep -qF "unreadable: cannot open" "$V/h.out"
	[ "$(grep -c ': extra: ' "$V/h.out")" -eq 1 ]
	# --json is JSON: the name comes back exactly where it is UTF-8
	"$ANALYZE" verify --json "$V/$evil.tar.zst" > "$V/h.json" || true
	no_raw_controls "$V/h.json"
	python3 -c 'import json,sys; o=json.load(open(sys.argv[1])); assert "x\x1b]0;pwned\x07\x1b[31m" in o["inputs"][0]["problems"][0], o' "$V/h.json"
}

@test "verify: an archive rewritten by Python tarfile with its sha256sum stays intact, exit 0" {
	pyrepack "$V/py.tar.zst"
	run "$ANALYZE" verify "$V/py.tar.zst"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = "$V/py.tar.zst: intact" ]
	run "$ANALYZE" verify --json "$V/py.tar.zst"
	[ "$status" -eq 0 ]
	python3 -c 'import json,sys; o=json.loads(sys.argv[1]); assert o["intact"]==1 and o["inputs"][0]["status"]=="intact" and o["inputs"][0]["problems"]==[], o' "$output"
}

# check_one FILE LINE: verify says exactly LINE, exit 1, and --json has it
check_one() {
	local want_status=${3:-damaged}
	run "$ANALYZE" verify "$1"
	echo "$output"
	[ "$status" -eq 1 ]
	[ "$output" = "$1: $2" ]
	run "$ANALYZE" verify --json "$1"
	echo "$output"
	[ "$status" -eq 1 ]
	python3 -c 'import json,sys; o=json.loads(sys.argv[1]); i=o["inputs"][0]; assert o["failed"]==1 and i["status"]==sys.argv[3] and i["problems"]==[sys.argv[2]], o' "$output" "$2" "$want_status"
}

@test "verify: an empty, garbage or folder .sha256 is 'sha256: unreadable', exit 1" {
	cp "$A" "$V/s.tar.zst"
	: > "$V/s.tar.zst.sha256"
	check_one "$V/s.tar.zst" "sha256: unreadable"
	printf 'not a checksum at all, not 64 hex digits either....................\n' > "$V/s.tar.zst.sha256"
	check_one "$V/s.tar.zst" "sha256: unreadable"
	# 64 hex digits glued to more of them is no sha256sum line
	printf '%s0  s.tar.zst\n' "$(sha256sum < "$A" | cut -c1-64)" > "$V/s.tar.zst.sha256"
	check_one "$V/s.tar.zst" "sha256: unreadable"
	rm "$V/s.tar.zst.sha256"
	mkdir "$V/s.tar.zst.sha256"
	check_one "$V/s.tar.zst" "sha256: unreadable"
	rmdir "$V/s.tar.zst.sha256"
	# the oracle: a sha256sum line is read, and agrees
	(cd "$V" && sha256sum s.tar.zst > s.tar.zst.sha256 && sha256sum -c s.tar.zst.sha256)
	run "$ANALYZE" verify "$V/s.tar.zst"
	[ "$status" -eq 0 ]
	[ "$output" = "$V/s.tar.zst: intact" ]
}

@test "verify: an archive without its .sha256 is 'sha256: absent', exit 1" {
	cp "$A" "$V/alone.tar.zst"
	[ ! -e "$V/alone.tar.zst.sha256" ]
	# said, exit 1; the members themselves checked out (status intact)
	check_one "$V/alone.tar.zst" "sha256: absent" intact
}

@test "verify: member names with '..' or '.' are 'bad name' even when the manifest lists them" {
	pyrepack "$V/dd.tar.zst" "../../x"
	# the oracle: GNU tar sees the name as stored
	tar --zstd -tf "$V/dd.tar.zst" | grep -qxF "$T/../../x"
	check_one "$V/dd.tar.zst" "bad name: $T/../../x"
	pyrepack "$V/dot.tar.zst" "files/./a/../../records/planted.jsonl"
	tar --zstd -tf "$V/dot.tar.zst" | grep -qxF "$T/files/./a/../../records/planted.jsonl"
	check_one "$V/dot.tar.zst" "bad name: $T/files/./a/../../records/planted.jsonl"
}

@test "verify: a second tar after the end marker (another zstd frame) is 'trailing data: N bytes'" {
	printf 'hidden\n' > "$V/hidden"
	tar -C "$V" -cf "$V/second.tar" hidden
	# N: the second tar without the zeros that pad its end
	n=$(python3 -c 'import sys; print(len(open(sys.argv[1], "rb").read().rstrip(b"\0")))' "$V/second.tar")
	cat "$A" > "$V/tr.tar.zst"
	zstd -q -c "$V/second.tar" >> "$V/tr.tar.zst"
	(cd "$V" && sha256sum tr.tar.zst > tr.tar.zst.sha256)
	# the oracle: zstd reads two frames, GNU tar stops at the first end
	[ "$(zstd -dc "$V/tr.tar.zst" | tar -tf - | grep -c hidden)" -eq 0 ]
	zstd -dc "$V/tr.tar.zst" | tail -c "$(stat -c %s "$V/second.tar")" | cmp - "$V/second.tar"
	check_one "$V/tr.tar.zst" "trailing data: $n bytes"
}

@test "ingest: the same problems make the evidence not intact, with a log row, exit 1; a good archive stays intact" {
	export XDG_CACHE_HOME="$V/cache"
	pyrepack "$V/ig-good.tar.zst"
	pyrepack "$V/ig-name.tar.zst" "../../x"
	cp "$A" "$V/ig-alone.tar.zst"
	cp "$A" "$V/ig-empty.tar.zst"
	: > "$V/ig-empty.tar.zst.sha256"
	printf 'hidden\n' > "$V/hidden2"
	tar -C "$V" -cf "$V/second2.tar" hidden2
	cat "$A" > "$V/ig-trail.tar.zst"
	zstd -q -c "$V/second2.tar" >> "$V/ig-trail.tar.zst"
	(cd "$V" && sha256sum ig-trail.tar.zst > ig-trail.tar.zst.sha256)
	n=$(python3 -c 'import sys; print(len(open(sys.argv[1], "rb").read().rstrip(b"\0")))' "$V/second2.tar")
	for k in good name alone empty trail; do
		mkdir -p "$V/case-$k"
		rc=0
		(cd "$V/case-$k" && "$ANALYZE" ingest -q "$V/ig-$k.tar.zst" > out 2>&1) || rc=$?
		echo "$rc" > "$V/case-$k/rc"
		cat "$V/case-$k/out"
	done
	db() { sqlite3 -batch -noheader "$V/case-$1/case.db" "$2"; }
	[ "$(cat "$V/case-good/rc")" -eq 0 ]
	[ "$(db good "SELECT verify FROM evidence")" = "intact" ]
	[ "$(db good "SELECT count(*) FROM log WHERE component = 'verify'")" -eq 0 ]
	# a streamed collection has no .sha256: a warning, intact, exit 0
	[ "$(cat "$V/case-alone/rc")" -eq 0 ]
	[ "$(db alone "SELECT verify FROM evidence")" = "intact" ]
	[ "$(db alone "SELECT level||' '||message FROM log WHERE component = 'verify'")" = "warning sha256: absent" ]
	for k in name empty trail; do
		case $k in
		name) want="bad name: $T/../../x" ;;
		empty) want="sha256: unreadable" ;;
		trail) want="trailing data: $n bytes" ;;
		esac
		echo "$k: $want"
		[ "$(cat "$V/case-$k/rc")" -eq 1 ]
		grep -qF "$want" "$V/case-$k/out"
		[ "$(db "$k" "SELECT verify FROM evidence")" = "damaged" ]
		[ "$(db "$k" "SELECT verify_detail FROM evidence")" = "[\"$want\"]" ]
		[ "$(db "$k" "SELECT level||' '||message FROM log WHERE component = 'verify'")" = "error $want" ]
		# the records were loaded all the same
		[ "$(db "$k" "SELECT count(*) FROM processes")" -gt 0 ]
	done
}
