#!/usr/bin/env bash
# export.sh - timeline export of 100k and 1M events: wall time and peak
# RSS (GNU time), against the sqlite3 CLI writing the same rows as CSV
# (the reference).  Fails when irkit's peak RSS grows with the event
# count (bounded memory: streaming over the events(ts) index).
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
A=${IRKIT_BUILD:-$top/build}/bin/irkit-analyze
tmp=$(mktemp -d "${TMPDIR:-/tmp}/irkit-bench-export.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

measure() {	# prints "seconds max_rss_kb"
	/usr/bin/time -f '%e %M' -o "$tmp/time" "$@" > /dev/null 2>"$tmp/err" ||
		{ cat "$tmp/err" >&2; exit 1; }
	cat "$tmp/time"
}

declare -A rss
echo "== export benchmark (events, format, wall s, peak RSS KiB)"
for n in 100000 1000000; do
	python3 "$top/tests/e2e/mkcase.py" "$tmp/c$n.db" --events "$n"
	for fmt in csv timesketch-jsonl l2tcsv; do
		read -r s kb < <(measure "$A" export --db "$tmp/c$n.db" --format "$fmt" -o "$tmp/out")
		printf '  irkit   %8d %-17s %6.2f s %8d KiB\n' "$n" "$fmt" "$s" "$kb"
		rss[$n$fmt]=$kb
	done
	read -r s kb < <(measure sqlite3 -csv -header "$tmp/c$n.db" \
		"SELECT * FROM events ORDER BY ts, id")
	printf '  sqlite3 %8d %-17s %6.2f s %8d KiB  (reference)\n' "$n" "csv" "$s" "$kb"
	read -r s kb < <(measure "$A" report --db "$tmp/c$n.db" -o "$tmp/r.html")
	printf '  irkit   %8d %-17s %6.2f s %8d KiB\n' "$n" "report" "$s" "$kb"
	rss[${n}report]=$kb
	rm -f "$tmp/out"
done
rc=0
for fmt in csv timesketch-jsonl l2tcsv report; do
	a=${rss[100000$fmt]} b=${rss[1000000$fmt]}
	# 10x the events must not cost more than 1.5x the memory (+8 MiB)
	if [ "$b" -gt $((a * 3 / 2 + 8192)) ]; then
		echo "FAIL: $fmt peak RSS grows with events: $a KiB -> $b KiB"
		rc=1
	else
		echo "ok: $fmt peak RSS bounded: $a KiB (100k) -> $b KiB (1M)"
	fi
done
exit $rc
