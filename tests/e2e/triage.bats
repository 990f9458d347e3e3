#!/usr/bin/env bats
# ./build.sh triage end to end on this machine: collect, ingest, report,
# timeline, summary (into a scratch directory via IRKIT_CASES).
load helpers

setup() {
	setup_scratch
}

teardown() {
	teardown_scratch
}

@test "triage: collects this host and writes case.db, report.html, timeline.csv" {
	cd "$IRKIT_SRC"
	# a fresh machine has no sqlite3 program: the summary must not need it
	mkdir -p "$SCRATCH/nosqlite"
	printf '#!/bin/sh\necho "sqlite3: not installed" >&2\nexit 127\n' > "$SCRATCH/nosqlite/sqlite3"
	chmod +x "$SCRATCH/nosqlite/sqlite3"
	run env PATH="$SCRATCH/nosqlite:$PATH" IRKIT_CASES="$SCRATCH" \
	    XDG_CACHE_HOME="$SCRATCH/cache" ./build.sh triage
	echo "$output"
	[ "$status" -eq 0 ]
	dir=$(ls -d "$SCRATCH"/2*Z)
	[ -s "$dir/case.db" ]
	[ -s "$dir/report.html" ]
	[ -s "$dir/timeline.csv" ]
	ls "$dir"/irkit-*.tar.zst
	[[ "$output" == *"== counts"* ]]
	[[ "$output" == *"== top findings"* ]]
	# the archive's integrity, as verify says it, and the top findings
	# (irkit-analyze findings) under their headings
	grep -A 1 -x '== integrity' <<<"$output" | grep -qx "  $dir/irkit-.*\.tar\.zst: intact"
	nf=$(sqlite3 "$dir/case.db" 'SELECT min(count(*), 10) FROM findings')
	top=$(sed -n '/^== top findings/,/^==/p' <<<"$output" | grep -c '^  ')
	[ "$top" -eq "$nf" ] || { [ "$nf" -eq 0 ] && [ "$top" -eq 1 ]; }
	# the counts (irkit-analyze counts, from the record registry) in the
	# order and layout the summary always had, as sqlite3 counts them
	grep -A 19 -x '== counts' <<<"$output" | sed -n '2,20s/^  \(.\{14\}\) .*/\1/p' > "$SCRATCH/labels"
	printf '%-14s\n' evidence processes services tasks sockets certificates "private keys" \
		files "kernel modules" accounts "SSH keys" "sudo rules" "login records" \
		"package files" "Windows events" events "YARA matches" "IOC hits" findings |
		diff - "$SCRATCH/labels"
	for pair in evidence:evidence processes:processes services:services tasks:tasks \
	    sockets:sockets certificates:certificates "private keys:private_keys" files:files \
	    "kernel modules:kernel_modules" accounts:accounts "SSH keys:ssh_keys" \
	    "sudo rules:sudo_rules" "login records:logins" "package files:package_files" \
	    "Windows events:win_events" events:events \
	    "YARA matches:yara_matches" "IOC hits:ioc_hits" findings:findings; do
		n=$(sqlite3 "$dir/case.db" "SELECT count(*) FROM ${pair#*:}")
		grep -qx "  $(printf '%-14s %s' "${pair%%:*}" "$n")" <<<"$output"
	done
	[[ "$output" == *"report:    $dir/report.html"* ]]
	# the evidence verified intact, the timeline has every event
	[ "$(sqlite3 "$dir/case.db" 'SELECT verify FROM evidence')" = intact ]
	python3 - "$dir/timeline.csv" "$(sqlite3 "$dir/case.db" 'SELECT count(*) FROM events')" <<-'PY'
	import csv, sys
	rows = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")))
	assert len(rows) == int(sys.argv[2]) > 0, (len(rows), sys.argv[2])
	assert all(r["message"] and r["datetime"] and r["timestamp_desc"] for r in rows)
	PY
	[ "$(sqlite3 "$dir/case.db" 'SELECT count(*) FROM processes')" -gt 0 ]
	# irkit's own checkout (test fixtures with keys) is not examined
	[[ "$output" == *"not examined: this irkit checkout ($IRKIT_SRC)"* ]]
	[ "$(sqlite3 "$dir/case.db" "SELECT count(*) FROM certificates WHERE path LIKE '$IRKIT_SRC/%'")" -eq 0 ]
}
