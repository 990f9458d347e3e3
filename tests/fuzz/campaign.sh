#!/usr/bin/env bash
# campaign.sh SECONDS NAME... - a longer fuzzing campaign: builds the
# harnesses (run.sh 0), then runs them IRK_FUZZ_PAR (2) at a time under
# nice -n 19, each for SECONDS on its seeds (with its max_len, as
# run.sh), and prints one Markdown table row per harness: executions,
# executions per second, slowest input, peak RSS, and what stopped it
# (crash, leak, timeout = an input over IRK_FUZZ_TIMEOUT seconds, default
# 10, or none).  Logs in build-fuzz/campaign/NAME.log, inputs that failed
# in build-fuzz/campaign/.  IRK_FUZZ_ARGS adds libFuzzer options.
# IRK_FUZZ_RUNS=N stops a harness after N executions.  IRK_FUZZ_SEGMENT=S
# runs each harness in runs of at most S seconds, each one starting from
# the corpus the one before grew, until SECONDS or IRK_FUZZ_RUNS is
# reached or a run finds something: a run under ASan slows down as it
# ages (fuzz_cert_parse: ASan's Allocate is 12% of a fresh run's time,
# 40% of one ten minutes old), so shorter runs make more executions
# of the same harness in the same time.  The row then sums the runs.
set -euo pipefail
cd "$(dirname "$0")/../.."
secs=${1:?usage: campaign.sh SECONDS NAME...}
shift
tests/fuzz/run.sh 0 "$@"
# the libraries' own leaks (tests/lsan.supp), as run.sh
export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
out=build-fuzz/campaign
mkdir -p "$out"
# the harnesses that write files (databases, hives) run up to twice as
# fast on a tmpfs: /dev/shm when there is one (IRK_FUZZ_TMPDIR
# overrides; the seeds are made there and kept in build-fuzz/seeds, 12 MB)
tmpbase=${IRK_FUZZ_TMPDIR:-${TMPDIR:-/tmp}}
[ -z "${IRK_FUZZ_TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ] && tmpbase=/dev/shm
tmp=$(mktemp -d "$tmpbase/irkit-fuzz.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export IRK_FUZZ_TMP=$tmp
tests/fuzz/gen_seeds.sh build-fuzz/seeds "$tmp" >/dev/null 2>&1 || true

one() {
	local name=$1 maxlen seeds=() start left slice n total=0 extra
	maxlen=$(sed -n 's/^ \* max_len: \([0-9]*\)$/\1/p' "tests/fuzz/$name.c" | head -1)
	mkdir -p "build-fuzz/corpus/$name"
	[ -d "tests/fuzz/corpus/$name" ] && seeds+=("tests/fuzz/corpus/$name")
	[ -d "build-fuzz/seeds/$name" ] && seeds+=("build-fuzz/seeds/$name")
	start=$(date +%s)
	: >"$out/$name.log"
	while :; do
		left=$((secs - ($(date +%s) - start)))
		[ "$left" -gt 0 ] || break
		slice=$left
		[ -n "${IRK_FUZZ_SEGMENT:-}" ] && [ "$IRK_FUZZ_SEGMENT" -lt "$slice" ] &&
			slice=$IRK_FUZZ_SEGMENT
		extra=()
		[ -n "${IRK_FUZZ_RUNS:-}" ] && extra=(-runs=$((IRK_FUZZ_RUNS - total)))
		nice -n 19 "build-fuzz/$name" -max_total_time="$slice" \
			-max_len="${maxlen:-65536}" -timeout="${IRK_FUZZ_TIMEOUT:-10}" \
			-rss_limit_mb=2048 -report_slow_units=2 -print_final_stats=1 \
			-close_fd_mask=3 -artifact_prefix="$out/$name-" "${extra[@]}" \
			${IRK_FUZZ_ARGS:-} "build-fuzz/corpus/$name" "${seeds[@]}" \
			>"$out/$name.run" 2>&1 || true
		cat "$out/$name.run" >>"$out/$name.log"
		n=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/$name.run" | tail -1)
		[ -n "$n" ] || break	# no final statistics: killed
		total=$((total + n))
		grep -q 'ERROR: \|runtime error:' "$out/$name.run" && break
		[ -n "${IRK_FUZZ_RUNS:-}" ] && [ "$total" -ge "$IRK_FUZZ_RUNS" ] && break
		[ -n "${IRK_FUZZ_SEGMENT:-}" ] || break
	done
	rm -f "$out/$name.run"
}

row() {
	local log=$out/$1.log what=none
	if grep -q 'ERROR: libFuzzer: timeout' "$log"; then what=timeout
	elif grep -q 'ERROR: LeakSanitizer' "$log"; then what=leak
	elif grep -q 'ERROR: \(AddressSanitizer\|libFuzzer\)\|runtime error:' "$log"; then what=crash
	fi
	# each run's final statistics: executions and their time summed, the
	# largest slowest input and peak RSS
	awk -v name="$1" -v what="$what" '
		/^stat::number_of_executed_units:/ { n = $2; total += n; runs++ }
		/^stat::average_exec_per_sec:/ { if ($2 > 0) secs += n / $2 }
		/^stat::slowest_unit_time_sec:/ { if ($2 > slow) slow = $2 }
		/^stat::peak_rss_mb:/ { if ($2 > rss) rss = $2 }
		END {
			more = (runs > 1) ? " (" runs " runs)" : ""
			rate = (secs > 0) ? total / secs : 0
			if (slow == 0) slow = "< 2"
			printf "| %s | %d%s | %d | %s s | %d MB | %s |\n", name, total,
			    more, rate, slow, rss, what
		}' "$log"
}

echo "| harness | executions | exec/s | slowest input | peak RSS | stopped by |"
echo "|---|---|---|---|---|---|"
# a pool of IRK_FUZZ_PAR harnesses at a time (default 2): the next one
# starts as soon as any finishes; a row is printed as each ends
par=${IRK_FUZZ_PAR:-2}
running=0
for n in "$@"; do
	if [ "$running" -ge "$par" ]; then
		wait -n || true
		running=$((running - 1))
	fi
	{ one "$n"; row "$n"; } &
	running=$((running + 1))
done
wait
