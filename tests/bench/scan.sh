#!/usr/bin/env bash
# scan.sh - the scanning engine alone against the yara CLI.
#
# Builds a corpus of ~MB (default 300) of real binaries copied from
# /usr/lib and /usr/bin (regular files, each below 64 MiB) and a
# public-style rule set (tests/bench/gen_rules.py, default 3000 rules),
# then times, best of RUNS (default 3):
#   yara -C -r -p 2 compiled corpus              (rules compiled by yarac)
#   irkit-analyze rules scan -j 2 -r rules corpus (hashes + libmagic + IOCs
#                                                  + YARA; rules from cache)
# checks that both report the same (rule, file) pairs, and prints the
# wall-time ratio and the peak RSS.  Environment: MB, NRULES, RUNS, JOBS.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
ANALYZE=${IRKIT_BUILD:-$top/build}/bin/irkit-analyze
MB=${MB:-300}
NRULES=${NRULES:-3000}
RUNS=${RUNS:-3}
JOBS=${JOBS:-2}
W=$(mktemp -d "${TMPDIR:-/tmp}/irk-bench-scan.XXXXXX")
trap 'rm -rf "$W"' EXIT
export XDG_CACHE_HOME="$W/cache"

echo "== scan bench: ${MB} MB corpus, $NRULES rules, -j $JOBS / -p $JOBS"
python3 - "$W/corpus" "$MB" <<'PY'
import os, shutil, sys
out, mb = sys.argv[1], int(sys.argv[2])
os.makedirs(out)
total, n = 0, 0
for root in ("/usr/lib/x86_64-linux-gnu", "/usr/bin", "/usr/sbin", "/usr/lib"):
    for d, dirs, files in os.walk(root):
        dirs.sort()
        for f in sorted(files):
            p = os.path.join(d, f)
            try:
                st = os.lstat(p)
            except OSError:
                continue
            if not os.path.isfile(p) or os.path.islink(p) or st.st_size == 0 or st.st_size >= 64 << 20:
                continue
            n += 1
            shutil.copyfile(p, os.path.join(out, "%06d_%s" % (n, f)))
            total += st.st_size
            if total >= mb << 20:
                print("corpus: %d files, %d bytes" % (n, total))
                sys.exit(0)
print("corpus: %d files, %d bytes" % (n, total))
PY
python3 "$top/tests/bench/gen_rules.py" "$W/rules" "$NRULES"
yarac "$W"/rules/*.yar "$W/rules.yarc"
# warm the page cache and irkit's compiled-rules cache
cat "$W"/corpus/* > /dev/null
"$ANALYZE" rules scan --no-default-rules -r "$W/rules" -j "$JOBS" "$W/corpus" > /dev/null

best() { sort -n | head -1; }
ty=() ti=()
for i in $(seq "$RUNS"); do
	s=$(date +%s.%N)
	yara -C -r -p "$JOBS" "$W/rules.yarc" "$W/corpus" > "$W/yara.out"
	e=$(date +%s.%N)
	ty+=("$(awk "BEGIN { printf \"%.2f\", $e - $s }")")
	s=$(date +%s.%N)
	"$ANALYZE" rules scan --no-default-rules -r "$W/rules" -j "$JOBS" "$W/corpus" > "$W/irk.out"
	e=$(date +%s.%N)
	ti+=("$(awk "BEGIN { printf \"%.2f\", $e - $s }")")
done
y=$(printf '%s\n' "${ty[@]}" | best)
k=$(printf '%s\n' "${ti[@]}" | best)
sort "$W/yara.out" > "$W/y.sorted"
grep -v '^ioc:' "$W/irk.out" | sort > "$W/i.sorted"
if diff -q "$W/y.sorted" "$W/i.sorted" > /dev/null; then
	same="identical ($(wc -l < "$W/y.sorted") matches)"
else
	same="DIFFERENT"
	diff "$W/y.sorted" "$W/i.sorted" | head -20
fi
rss_y=$( { /usr/bin/time -f %M yara -C -r -p "$JOBS" "$W/rules.yarc" "$W/corpus" > /dev/null; } 2>&1 | tail -1)
rss_i=$( { /usr/bin/time -f %M "$ANALYZE" rules scan --no-default-rules -r "$W/rules" -j "$JOBS" "$W/corpus" > /dev/null; } 2>&1 | tail -1)
echo "yara -C -r -p $JOBS:  best ${y}s of ${ty[*]}; peak RSS ${rss_y} KiB"
echo "irkit rules scan:   best ${k}s of ${ti[*]}; peak RSS ${rss_i} KiB"
echo "ratio irkit/yara: $(awk "BEGIN { printf \"%.3f\", $k / $y }")   matches: $same"
[ "$same" != "DIFFERENT" ]
