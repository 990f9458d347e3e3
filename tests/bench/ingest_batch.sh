#!/usr/bin/env bash
# ingest_batch.sh [RUNS] - a batch of 8 evidence archives, each a
# collection of the small Linux root of tests/gen/make_images.sh
# (irkit-collect --root, made once; each archive distinct), or with
# IRK_BATCH_HOST=N, N default collections of this host (real archives,
# about 18 MB each here): `ingest -j 2`
# over the batch against the same batch with -j 1 (the reference), RUNS
# times each in turn (default 3), with the bundled rules: wall (ms) and
# CPU seconds and the ratio (issue 19, target 3: <= 0.6).  Each run loads
# into a new case.  Also, for scale, a loop of single runs (`ingest -j 2`
# of one archive at a time into one case: what a shell loop over the
# archives costs, process start and case opening each time), as batch.sh
# does for images.  Not a timed test; run on a quiet machine.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
bin=${IRKIT_BUILD:-$top/build}/bin
runs=${1:-3}
[ -x /usr/bin/time ] || { echo "ingest_batch.sh: needs GNU time (package time)" >&2; exit 2; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/irkit-ibatch.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export XDG_CACHE_HOME=$tmp/cache
[ -n "${IRK_BATCH_HOST:-}" ] ||
	bash "$top/tests/gen/make_images.sh" "$tmp/img" > /dev/null 2>&1
n=${IRK_BATCH_HOST:-8}
for i in $(seq "$n"); do
	# exit 1 on a bare root (collectors with nothing to read)
	if [ -n "${IRK_BATCH_HOST:-}" ]; then
		"$bin/irkit-collect" -q -o "$tmp/c$i.tar.zst" > /dev/null 2>&1 || true
	else
		"$bin/irkit-collect" -q --root "$tmp/img/root" --note "copy $i" \
			-o "$tmp/c$i.tar.zst" > /dev/null 2>&1 || true
	fi
	[ -s "$tmp/c$i.tar.zst" ] || { echo "ingest_batch.sh: no collection" >&2; exit 1; }
done
# the rules compiled into the cache before the timed runs
"$bin/irkit-analyze" ingest -q --db "$tmp/warm.db" "$tmp/c1.tar.zst" > /dev/null 2>&1 || true
echo "bench: ingest of $n collections ($(du -ch "$tmp"/c?.tar.zst | tail -1 | cut -f1) in all), $runs runs, $(nproc) cpus, load $(cut -d' ' -f1 /proc/loadavg)"
timed() {	# timed JOBS: one batch into a new case; prints wall cpu
	local s e
	rm -f "$tmp/case.db"
	s=$(date +%s%N)
	/usr/bin/time -f '%U %S' -o "$tmp/t" "$bin/irkit-analyze" ingest -q \
		-j "$1" --db "$tmp/case.db" "$tmp"/c?.tar.zst > /dev/null 2>&1 || true
	e=$(date +%s%N)
	tail -1 "$tmp/t" | awk -v w=$(((e - s) / 1000000)) \
		'{ printf "%.3f %.2f\n", w / 1000, $1 + $2 }'
}
looped() {	# one run per archive into one new case; prints wall
	local s e
	rm -f "$tmp/case.db"
	s=$(date +%s%N)
	for i in "$tmp"/c?.tar.zst; do
		"$bin/irkit-analyze" ingest -q -j 2 --db "$tmp/case.db" "$i" \
			> /dev/null 2>&1 || true
	done
	e=$(date +%s%N)
	awk -v s="$s" -v e="$e" 'BEGIN { printf "%.3f\n", (e - s) / 1e9 }'
}
for r in $(seq "$runs"); do
	read -r sw sc <<< "$(timed 1)"
	read -r pw pc <<< "$(timed 2)"
	lw=$(looped)
	printf '  run %d: -j 2 %6.3f s wall %5.2f s cpu; -j 1 %6.3f s wall %5.2f s cpu; ratio %.2f (target <= 0.6); a loop of %d runs %6.3f s (ratio %.2f)\n' \
		"$r" "$pw" "$pc" "$sw" "$sc" "$(awk -v a="$pw" -v b="$sw" 'BEGIN { print a / b }')" \
		"$n" "$lw" "$(awk -v a="$pw" -v b="$lw" 'BEGIN { print a / b }')"
done
