#!/usr/bin/env bash
# filesystem.sh [ROOT] [RUNS] - the filesystem collector's walk of ROOT
# (default /) against GNU find printing the same fields (the oracle of
# tests/e2e/filesystem.bats), RUNS times each (default 3): wall time,
# peak RSS and names, medians, and the ratio irkit / find.  Also one
# default collection, to say whether the walk belongs in the default set
# (docs/collect.md).  Not a timed test.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
collect=${IRKIT_BUILD:-$top/build}/bin/irkit-collect
root=${1:-/}
runs=${2:-3}
[ -x /usr/bin/time ] || { echo "filesystem.sh: needs GNU time (package time)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "bench: walk of $root, $runs runs, $(nproc) cpus, load $(cut -d' ' -f1 /proc/loadavg)"
names=$(find "$root" -xdev \( -path /proc -o -path /sys -o -path /dev \) -prune -o -print 2>/dev/null | wc -l)
echo "names: $names"
for i in $(seq "$runs"); do
	# zstd archive, as a responder would write it
	/usr/bin/time -f '%e %M' -o "$tmp/irk.$i" "$collect" -q --only filesystem \
		--fs-root "$root" -o "$tmp/w$i.tar.zst" || true
	/usr/bin/time -f '%e %M' -o "$tmp/find.$i" find "$root" -xdev \
		\( -path /proc -o -path /sys -o -path /dev \) -prune -o \
		-printf '%p|%i|%M|%U|%G|%s|%A@|%T@|%C@|%B@\n' > "$tmp/find.out" 2>/dev/null || true
	echo "$(tail -1 "$tmp/irk.$i") $(tail -1 "$tmp/find.$i")" >> "$tmp/all"
	rm -f "$tmp/w$i.tar.zst"*
done
/usr/bin/time -f '%e %M' -o "$tmp/default" "$collect" -q -o "$tmp" || true
python3 - "$tmp/all" "$tmp/default" <<'PY'
import sys, statistics
rows = [tuple(map(float, l.split())) for l in open(sys.argv[1])]
iw = statistics.median(r[0] for r in rows); im = statistics.median(r[1] for r in rows) / 1024
fw = statistics.median(r[2] for r in rows); fm = statistics.median(r[3] for r in rows) / 1024
dw, dm = map(float, open(sys.argv[2]).read().split("\n")[-2].split())
print(f"irkit-collect --only filesystem: {iw:.2f} s wall, {im:.1f} MB peak RSS")
print(f"find -xdev -printf:              {fw:.2f} s wall, {fm:.1f} MB peak RSS")
print(f"ratio irkit / find: {iw / max(fw, 0.01):.2f}")
print(f"default collection (no walk):    {dw:.2f} s wall, {dm / 1024:.1f} MB peak RSS")
PY
