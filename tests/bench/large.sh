#!/usr/bin/env bash
# large.sh [MB] [RUNS] - one large file, as a memory dump is (issue 19,
# target 4): MB megabytes (default 2048) of real binaries from /usr/lib
# laid end to end, with a marker string 4 KB before the end, scanned
#   yara -C -p 2 rules FILE                   (the reference)
#   irkit-analyze rules scan -j 2 -r rules FILE
#   irkit-analyze ingest -j 2 of a folder holding FILE (hashes, libmagic,
#                                                       the case database)
# with the bundled rules plus one rule for the marker, RUNS times each in
# turn (default 3): wall and CPU seconds, the ratio to yara, and memory.
# The file is over --max-file-size (64 MiB), so irkit maps it instead of
# copying it: the pages it reads are the page cache's and show in the
# peak RSS GNU time gives (as they do for yara, which maps it too); the
# bound is on the process's own memory, sampled from /proc/PID/status
# (RssAnon) every 20 ms.  Each must report the marker.  Not a timed
# test; run it on a quiet machine.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
ANALYZE=${IRKIT_BUILD:-$top/build}/bin/irkit-analyze
MB=${1:-2048}
RUNS=${2:-3}
[ -x /usr/bin/time ] || { echo "large.sh: needs GNU time (package time)" >&2; exit 2; }
W=$(mktemp -d "${TMPDIR:-/tmp}/irk-bench-large.XXXXXX")
trap 'rm -rf "$W"' EXIT
export XDG_CACHE_HOME="$W/cache"
mkdir "$W/dir"
F=$W/dir/mem.dmp

python3 - "$F" "$MB" <<'PY'
import os, sys
out, mb = sys.argv[1], int(sys.argv[2])
want = (mb << 20) - 4096
bins = []
for d, dirs, files in os.walk("/usr/lib/x86_64-linux-gnu"):
    dirs.sort()
    for f in sorted(files):
        p = os.path.join(d, f)
        if os.path.isfile(p) and not os.path.islink(p) and 0 < os.path.getsize(p) < 64 << 20:
            bins.append(p)
with open(out, "wb") as o:
    n = 0
    while n < want:
        for p in bins:
            with open(p, "rb") as i:
                b = i.read(want - n)
            o.write(b)
            n += len(b)
            if n >= want:
                break
    o.write(b"IRKIT_BENCH_LARGE_MARKER" + b"\0" * (4096 - 24))
PY
cat > "$W/marker.yar" <<'Y'
rule irk_bench_large_marker { strings: $m = "IRKIT_BENCH_LARGE_MARKER" condition: $m }
Y
yarac "$top"/yara-rules/*.yar "$W/marker.yar" "$W/rules.yarc"
echo "== large file bench: $(du -m "$F" | cut -f1) MB, $(nproc) cpus, load $(cut -d' ' -f1 /proc/loadavg)"
# warm the page cache and irkit's compiled-rules cache
cat "$F" > /dev/null
"$ANALYZE" rules scan -r "$W/marker.yar" -j 2 "$F" > /dev/null || true

# run NAME CMD...: GNU time's wall, CPU and peak RSS, and the peak
# RssAnon sampled while it runs; the output kept in $W/NAME.out
run() {
	local name=$1 pid peak=0 a
	shift
	/usr/bin/time -f '%e %U %S %M' -o "$W/$name.time" "$@" > "$W/$name.out" 2>&1 &
	pid=$!
	while kill -0 "$pid" 2>/dev/null; do
		for c in $(pgrep -P "$pid"); do
			a=$(sed -n 's/^RssAnon:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$c/status" 2>/dev/null || true)
			[ -n "$a" ] && [ "$a" -gt "$peak" ] && peak=$a
		done
		sleep 0.02
	done
	wait "$pid" || true
	read -r wall usr sys rss < <(tail -1 "$W/$name.time")
	echo "$wall $(awk -v u="$usr" -v s="$sys" 'BEGIN { print u + s }') $rss $peak" > "$W/$name.t"
}

for i in $(seq "$RUNS"); do
	run yara yara -C -p 2 "$W/rules.yarc" "$F"
	grep -q '^irk_bench_large_marker ' "$W/yara.out" || { echo "yara missed the marker" >&2; exit 1; }
	run scan "$ANALYZE" rules scan -j 2 -r "$W/marker.yar" "$F"
	grep -q '^irk_bench_large_marker ' "$W/scan.out" || { echo "rules scan missed the marker" >&2; cat "$W/scan.out" >&2; exit 1; }
	rm -f "$W/case.db"*
	run ingest "$ANALYZE" ingest -q -j 2 -r "$W/marker.yar" --db "$W/case.db" "$W/dir"
	[ "$(sqlite3 "$W/case.db" "SELECT count(*) FROM yara_matches WHERE rule = 'irk_bench_large_marker'")" = 1 ] ||
		{ echo "ingest missed the marker" >&2; cat "$W/ingest.out" >&2; exit 1; }
	read -r yw yc yr ya < "$W/yara.t"
	for n in scan ingest; do
		read -r w c r a < "$W/$n.t"
		printf '  run %d %-6s %6.2f s wall %6.2f s cpu  peak RSS %5d MB (own %4d MB) | yara %6.2f s wall %6.2f s cpu %5d MB (own %4d MB) | ratio wall %.2f cpu %.2f\n' \
			"$i" "$n" "$w" "$c" $((r / 1024)) $((a / 1024)) "$yw" "$yc" $((yr / 1024)) $((ya / 1024)) \
			"$(awk -v a="$w" -v b="$yw" 'BEGIN { print a / b }')" \
			"$(awk -v a="$c" -v b="$yc" 'BEGIN { print a / b }')"
	done
done
