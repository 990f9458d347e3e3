#!/usr/bin/env bash
# collect.sh [RUNS] - default collection of this host (every collector
# built in), RUNS times (default 5): wall time and peak RSS from GNU
# time, as median and max, plus the ratio against UAC 3.3 (25 s for a
# comparable profile on the 2-core reference host).  Not a timed test.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
collect=${IRKIT_BUILD:-$top/build}/bin/irkit-collect
runs=${1:-5}
uac_s=25
[ -x /usr/bin/time ] || { echo "collect.sh: needs GNU time (package time)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
nproc_=$(ls /proc | grep -c '^[0-9]')
echo "bench: irkit-collect default collection, $runs runs, $nproc_ processes, $(nproc) cpus, load $(cut -d' ' -f1 /proc/loadavg)"
echo "collectors: $("$collect" --list | awk '{print $1}' | paste -sd, -)"
for i in $(seq "$runs"); do
	mkdir "$tmp/$i"
	/usr/bin/time -f '%e %M %U %S' -o "$tmp/time.$i" "$collect" -q -o "$tmp/$i" || true
	read -r wall rss usr sys < "$tmp/time.$i"
	size=$(stat -c %s "$tmp/$i"/irkit-*.tar.* 2>/dev/null | head -1)
	printf '  run %d: %6.2f s wall  %5.2f s cpu  %6.1f MB peak RSS  archive %s bytes\n' "$i" "$wall" \
		"$(awk -v u="$usr" -v s="$sys" 'BEGIN { print u + s }')" \
		"$(awk -v k="$rss" 'BEGIN { print k / 1024 }')" "${size:-?}"
	echo "$wall $rss $usr $sys" >> "$tmp/all"
done
python3 - "$tmp/all" "$uac_s" <<'PY'
import sys, statistics
rows = [tuple(map(float, l.split())) for l in open(sys.argv[1])]
uac = float(sys.argv[2])
wall = [r[0] for r in rows]; rss = [r[1] / 1024 for r in rows]
med = statistics.median(wall)
cpu = [r[2] + r[3] for r in rows]
print(f"wall: median {med:.2f} s, max {max(wall):.2f} s (target < 2 s)")
print(f"cpu (user+sys): median {statistics.median(cpu):.2f} s")
print(f"peak RSS: median {statistics.median(rss):.1f} MB, max {max(rss):.1f} MB (target < 64 MB)")
print(f"UAC 3.3: {uac:.0f} s -> irkit is {uac / max(med, 0.01):.0f}x faster")
PY
