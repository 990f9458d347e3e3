#!/usr/bin/env bats
# irkit-collect's command line at its edges: -o, the archive name, the
# closing line's SHA-256 (against sha256sum), signals, --only/--skip,
# progress on a terminal (a pty from python3), unprivileged runs.

load helpers

setup() { setup_scratch; }
teardown() { teardown_scratch; }

# Run "$@" with stdin, stdout and stderr on a pseudo-terminal; what it
# wrote goes to $SCRATCH/pty.out; returns its exit status.
in_pty() {
	python3 - "$SCRATCH/pty.out" "$@" <<'PY'
import os, pty, sys
out = open(sys.argv[1], "wb")
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])
while True:
    try:
        b = os.read(fd, 65536)
    except OSError:
        break
    if not b:
        break
    out.write(b)
_, st = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(st))
PY
}

@test "-o: an existing folder is written into, with or without a final slash" {
	mkdir "$SCRATCH/out"
	run "$COLLECT" -q -o "$SCRATCH/out/" --only tasks
	[ "$status" -eq 0 ]
	a=$(archive_in "$SCRATCH/out")
	[[ "$a" == "$SCRATCH/out/irkit-"*.tar.zst ]]
	(cd "$SCRATCH/out" && sha256sum -c "${a##*/}.sha256")
}

@test "-o: a missing folder, a final slash or a foreign extension is a usage error" {
	cd "$SCRATCH"
	for o in missing/ missing missing/x.tar.zst x.tar.gz x.tar x.bin; do
		run "$COLLECT" -q -o "$o" --only tasks
		echo "$o: $status $output"
		[ "$status" -eq 2 ]
		[[ "$output" == *"irkit-collect: -o: "* ]]
		[ -z "$(ls "$SCRATCH")" ]
	done
	run "$COLLECT" -q -o x.tar.gz --only tasks
	[[ "$output" == *"'x.tar.gz' ends in '.tar.gz' but the archive is zstd data"* ]]
	run "$COLLECT" -q -o missing/ --only tasks
	[[ "$output" == *"no folder 'missing/'"* ]]
	# the name that matches --compress is taken
	run "$COLLECT" -q -o x.tar.gz --compress gzip --only tasks
	[ "$status" -eq 0 ]
	gzip -t x.tar.gz
	sha256sum -c x.tar.gz.sha256
	# and never overwritten
	run "$COLLECT" -q -o x.tar.gz --compress gzip --only tasks
	[ "$status" -eq 2 ]
	[[ "$output" == *"'x.tar.gz' already exists"* ]]
}

@test "-o -: refuses a terminal on stdout, as zstd and GNU tar do" {
	run in_pty "$COLLECT" -q -o - --only tasks
	cat "$SCRATCH/pty.out"
	[ "$status" -eq 2 ]
	grep -q 'refusing to write the archive to a terminal' "$SCRATCH/pty.out"
	# no archive bytes reached the terminal
	[ "$(wc -l < "$SCRATCH/pty.out")" -eq 1 ]
}

@test "two runs in the same second both succeed, with distinct names" {
	mkdir "$SCRATCH/out"
	# a fake clock is not available: run until two starts share a second
	for _ in 1 2 3; do
		rm -f "$SCRATCH"/out/*
		"$COLLECT" -q -o "$SCRATCH/out" --only tasks &
		p1=$!
		"$COLLECT" -q -o "$SCRATCH/out" --only tasks &
		p2=$!
		wait "$p1"
		wait "$p2"
		[ "$(ls "$SCRATCH"/out/*.tar.zst | wc -l)" -eq 2 ]
		ls "$SCRATCH"/out/*-2.tar.zst 2>/dev/null && break
	done
	ls "$SCRATCH"/out
	b=$(ls "$SCRATCH"/out/irkit-*Z-2.tar.zst)
	a=${b%-2.tar.zst}.tar.zst
	[ -f "$a" ]
	cd "$SCRATCH/out"
	sha256sum -c ./*.sha256
	# the top folder inside follows the file name
	top=$(basename "$b" .tar.zst)
	[ "$(tar -tf "$b" | tail -1)" = "$top/manifest.json" ]
	tar -xOf "$b" "$top/manifest.json" | python3 -c "
import json, sys; assert json.load(sys.stdin)['name'] == '$top'"
	! ls ./*.partial 2>/dev/null || false
}

@test "the closing line gives the archive's SHA-256, as sha256sum computes it" {
	run "$COLLECT" -o "$SCRATCH" --only tasks
	[ "$status" -eq 0 ]
	a=$(archive_in "$SCRATCH")
	want=$(sha256sum "$a" | cut -d' ' -f1)
	[[ "$output" == *"sha256 $want"* ]]
	[ "$(cut -d' ' -f1 "$a.sha256")" = "$want" ]
	# -o -: on stderr only (also with -q: no .sha256 file holds it)
	"$COLLECT" -q -o - --only tasks > "$SCRATCH/s.tar.zst" 2> "$SCRATCH/err"
	want=$(sha256sum < "$SCRATCH/s.tar.zst" | cut -d' ' -f1)
	[ "$(cat "$SCRATCH/err")" = "$want  -" ]
}

@test "a .sha256 that cannot be written: partial, logged, digest on stderr" {
	cd "$SCRATCH"
	echo 'stale' > x.tar.zst.sha256
	run "$COLLECT" -o x.tar.zst --only tasks
	echo "$output"
	[ "$status" -eq 1 ]
	want=$(sha256sum x.tar.zst | cut -d' ' -f1)
	[[ "$output" == *"cannot create 'x.tar.zst.sha256'"* ]]
	[[ "$output" == *"sha256 $want"* ]]
	[ "$(cat x.tar.zst.sha256)" = "stale" ]
	tar -xOf x.tar.zst --wildcards '*/log.jsonl' | python3 -c '
import json, sys
log = [json.loads(l) for l in sys.stdin]
assert any(e["level"] == "error" and "x.tar.zst.sha256" in e["message"]
           for e in log), log'
	# -q still keeps the digest
	echo 'stale' > y.tar.zst.sha256
	run "$COLLECT" -q -o y.tar.zst --only tasks
	[ "$status" -eq 1 ]
	want=$(sha256sum y.tar.zst | cut -d' ' -f1)
	[[ "$output" == *"$want  y.tar.zst"* ]]
}

@test "SIGTERM and SIGINT: the .partial is removed, one line says so, exit 3" {
	for sig in TERM INT; do
		mkdir "$SCRATCH/$sig"
		# a slow scope: every certificate under /
		"$COLLECT" -o "$SCRATCH/$sig" --only certificates --cert-path / \
			2> "$SCRATCH/$sig.err" &
		p=$!
		for _ in $(seq 50); do
			ls "$SCRATCH/$sig"/*.partial >/dev/null 2>&1 && break
			sleep 0.1
		done
		ls "$SCRATCH/$sig"/*.partial
		kill -s "$sig" "$p"
		st=0
		wait "$p" || st=$?
		[ "$st" -eq 3 ]
		[ -z "$(ls "$SCRATCH/$sig")" ]
		[ "$(grep -c interrupted "$SCRATCH/$sig.err")" -eq 1 ]
	done
}

@test "--only \"\", --skip of every collector, --only X --skip X: usage errors" {
	cd "$SCRATCH"
	run "$COLLECT" -q --only ""
	[ "$status" -eq 2 ]
	[[ "$output" == *"empty list for --only"* ]]
	run "$COLLECT" -q --skip "$("$COLLECT" --list | cut -d' ' -f1 | paste -sd,)"
	[ "$status" -eq 2 ]
	[[ "$output" == *"no collector to run"* ]]
	run "$COLLECT" -q --only tasks --skip tasks
	[ "$status" -eq 2 ]
	run "$COLLECT" -q --skip ""
	[ "$status" -eq 2 ]
	[ -z "$(ls "$SCRATCH")" ]
}

@test "progress on a terminal for every collector; none when stderr is not one" {
	mkdir "$SCRATCH/out"
	run in_pty "$COLLECT" -o "$SCRATCH/out" --cert-path /etc/ssl \
	    --with filesystem --fs-root /etc/ssl
	[ "$status" -le 1 ]
	for c in $("$COLLECT" --list | cut -d' ' -f1); do
		grep -a -q "\] $c: [0-9]* files examined, at /" "$SCRATCH/pty.out"
	done
	rm -f "$SCRATCH"/out/*
	"$COLLECT" -o "$SCRATCH/out" --cert-path /etc/ssl 2> "$SCRATCH/err" ||
		true
	! grep -q 'files examined' "$SCRATCH/err" || false
	! grep -q $'\r' "$SCRATCH/err" || false
	grep -q 'sha256 ' "$SCRATCH/err"
}

@test "unprivileged: one line up front says what is missing; kernel threads are no errors" {
	chmod 711 "$SCRATCH"
	mkdir -m 777 "$SCRATCH/out"
	run setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$COLLECT" -o "$SCRATCH/out" --only processes
	echo "$output"
	[ "$status" -eq 1 ]
	first=$(printf '%s\n' "$output" | head -1)
	[[ "$first" == "irkit-collect: warning: not running as root"* ]]
	[[ "$first" == *"socket owners"* ]]
	a=$(archive_in "$SCRATCH/out")
	mkdir "$SCRATCH/x"
	tar -xf "$a" -C "$SCRATCH/x"
	top="$SCRATCH/x/$(ls "$SCRATCH/x")"
	python3 - "$top" <<'PY'
import json, re, sys
top = sys.argv[1]
recs = [json.loads(l) for l in open(top + "/records/processes.jsonl")]
kthreads = {r["pid"] for r in recs if r["type"] == "process" and r["kernel_thread"]}
assert kthreads, "no kernel thread seen"
log = [json.loads(l) for l in open(top + "/log.jsonl")]
errs = [e for e in log if e["level"] == "error"]
assert errs, "other users' processes are errors"
for e in errs:
    m = re.match(r"process (\d+) ", e["message"])
    assert not (m and int(m.group(1)) in kthreads), e
m = json.load(open(top + "/manifest.json"))
assert m["collectors"]["processes"]["errors"] == len(errs), (m, len(errs))
PY
}

@test "progress escapes names from the host: no terminal sequence gets through" {
	r=$SCRATCH/root
	evil=$(printf 'x\033]0;owned\007\033[31my')
	mkdir -p "$r/$evil" "$SCRATCH/out"
	(cd "$r/$evil" && seq 20 | xargs touch)
	# a line at every path: the hostile folder is on one, however fast
	# the walk (IRKIT_PROGRESS_MS, as git's GIT_PROGRESS_DELAY)
	IRKIT_PROGRESS_MS=0 run in_pty "$COLLECT" -o "$SCRATCH/out" \
		--only certificates --root "$r" --cert-path "/$evil"
	[ "$status" -le 1 ]
	grep -a -q -F 'files examined, at /x\x1b]0;owned\x07\x1b[31my/' "$SCRATCH/pty.out"
	! grep -a -q $'\033]0;owned' "$SCRATCH/pty.out" || false
	! grep -a -q $'\033\\[31m' "$SCRATCH/pty.out" || false
}
