#!/usr/bin/env bash
# batch.sh [RUNS] - a batch of 8 small disk images (the ext4 of
# tests/gen/make_images.sh, each a distinct copy): `image -j 2` over the
# batch against the same batch with -j 1 (the reference, what a loop of
# single runs costs), RUNS times each in turn (default 3): wall and CPU
# seconds and the ratio (issue 19 target: <= 0.6).  Each run loads into
# a new case.  IRK_BATCH_MB=N makes each image's media N MB (the 16 MB
# volume, then zeros: more to hash, the same files).  Also, for scale, a loop of eight single runs (one image
# each, into one case: what a shell loop over the images costs, process
# start and case opening eight times).  Not a timed test; run under nice
# when others build.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
analyze=${IRKIT_BUILD:-$top/build}/bin/irkit-analyze
runs=${1:-3}
[ -x /usr/bin/time ] || { echo "batch.sh: needs GNU time (package time)" >&2; exit 2; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/irkit-batch.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
bash "$top/tests/gen/make_images.sh" "$tmp/img" > /dev/null 2>&1
mb=${IRK_BATCH_MB:-16}	# media size: the ext4 volume, then zeros
for i in 1 2 3 4 5 6 7 8; do
	cp "$tmp/img/linux.raw" "$tmp/l$i.raw"
	[ "$mb" -le 16 ] || truncate -s "${mb}M" "$tmp/l$i.raw"
	printf 'copy %d' "$i" | dd of="$tmp/l$i.raw" bs=1 seek=$((mb * 1024 * 1024 - 16)) conv=notrunc 2>/dev/null
done
echo "bench: image of 8 ext4 images of $mb MB, $runs runs, $(nproc) cpus, load $(cut -d' ' -f1 /proc/loadavg)"
timed() {	# timed NAME JOBS: one batch into a new case; prints wall cpu
	local s e	# (the wall in ms: GNU time's %e counts hundredths)
	rm -f "$tmp/case.db"
	s=$(date +%s%N)
	/usr/bin/time -f '%U %S' -o "$tmp/t" "$analyze" image -q -j "$2" \
		--db "$tmp/case.db" "$tmp"/l?.raw > /dev/null 2>&1 || true
	e=$(date +%s%N)
	tail -1 "$tmp/t" | awk -v w=$(((e - s) / 1000000)) \
		'{ printf "%.3f %.2f\n", w / 1000, $1 + $2 }'
}
looped() {	# eight single runs into one new case; prints wall
	local s e
	rm -f "$tmp/case.db"
	s=$(date +%s%N)
	for i in "$tmp"/l?.raw; do
		"$analyze" image -q --db "$tmp/case.db" "$i" > /dev/null 2>&1 || true
	done
	e=$(date +%s%N)
	awk -v s="$s" -v e="$e" 'BEGIN { printf "%.2f\n", (e - s) / 1e9 }'
}
for r in $(seq "$runs"); do
	read -r sw sc <<< "$(timed seq 1)"
	read -r pw pc <<< "$(timed par 2)"
	lw=$(looped)
	printf '  run %d: -j 2 %6.3f s wall %5.2f s cpu; -j 1 %6.3f s wall %5.2f s cpu; ratio %.2f (target <= 0.6); a loop of 8 runs %5.2f s (ratio %.2f)\n' \
		"$r" "$pw" "$pc" "$sw" "$sc" "$(awk -v a="$pw" -v b="$sw" 'BEGIN { print a / b }')" \
		"$lw" "$(awk -v a="$pw" -v b="$lw" 'BEGIN { print a / b }')"
done
