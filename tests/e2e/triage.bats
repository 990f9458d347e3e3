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
	run env IRKIT_CASES="$SCRATCH" XDG_CACHE_HOME="$SCRATCH/cache" ./build.sh triage
	echo "$output"
	[ "$status" -eq 0 ]
	dir=$(ls -d "$SCRATCH"/2*Z)
	[ -s "$dir/case.db" ]
	[ -s "$dir/report.html" ]
	[ -s "$dir/timeline.csv" ]
	ls "$dir"/irkit-*.tar.zst
	[[ "$output" == *"== counts"* ]]
	[[ "$output" == *"== top findings"* ]]
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
}
