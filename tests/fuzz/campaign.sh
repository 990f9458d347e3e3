#!/usr/bin/env bash
# campaign.sh SECONDS NAME... - a longer fuzzing campaign: builds the
# harnesses (run.sh 0), then runs them IRK_FUZZ_PAR (2) at a time under
# nice -n 19, each for SECONDS on its seeds (with its max_len, as
# run.sh), and prints one Markdown table row per harness: executions,
# executions per second, slowest input, peak RSS, and what stopped it
# (crash, leak, timeout = an input over IRK_FUZZ_TIMEOUT seconds, default
# 10, or none).  Logs in build-fuzz/campaign/NAME.log, inputs that failed
# in build-fuzz/campaign/.  IRK_FUZZ_ARGS adds libFuzzer options (e.g.
# -runs=10000000 to stop a harness at ten million executions).
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
	local name=$1 maxlen seeds=()
	maxlen=$(sed -n 's/^ \* max_len: \([0-9]*\)$/\1/p' "tests/fuzz/$name.c" | head -1)
	mkdir -p "build-fuzz/corpus/$name"
	[ -d "tests/fuzz/corpus/$name" ] && seeds+=("tests/fuzz/corpus/$name")
	[ -d "build-fuzz/seeds/$name" ] && seeds+=("build-fuzz/seeds/$name")
	nice -n 19 "build-fuzz/$name" -max_total_time="$secs" \
		-max_len="${maxlen:-65536}" -timeout="${IRK_FUZZ_TIMEOUT:-10}" \
		-rss_limit_mb=2048 -report_slow_units=2 -print_final_stats=1 \
		-close_fd_mask=3 -artifact_prefix="$out/$name-" ${IRK_FUZZ_ARGS:-} \
		"build-fuzz/corpus/$name" "${seeds[@]}" >"$out/$name.log" 2>&1 || true
}

row() {
	local log=$out/$1.log stat what=none
	stat() { sed -n "s/^stat::$1: *//p" "$log" | tail -1; }
	if grep -q 'ERROR: libFuzzer: timeout' "$log"; then what=timeout
	elif grep -q 'ERROR: LeakSanitizer' "$log"; then what=leak
	elif grep -q 'ERROR: \(AddressSanitizer\|libFuzzer\)\|runtime error:' "$log"; then what=crash
	fi
	slow=$(stat slowest_unit_time_sec)
	[ "${slow:-0}" = 0 ] && slow="< 2"
	printf '| %s | %s | %s | %s s | %s MB | %s |\n' "$1" \
		"$(stat number_of_executed_units)" "$(stat average_exec_per_sec)" \
		"$slow" "$(stat peak_rss_mb)" "$what"
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
