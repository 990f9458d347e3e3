#!/usr/bin/env bash
# image.sh - benchmark of irkit-analyze image (issue 7).
#
#   1. ext4 image (~1.3 GB) built with mke2fs -d from a directory with
#      thousands of files (default /usr/lib/x86_64-linux-gnu):
#      `image --no-scan` against `fls -r -m /` (target: within 1.5x);
#   2. `image` with scanning (bundled rules) against `yara -r -p 2` with
#      the same rules over the same files (target: within 10 %);
#   3. a second image of the same disk (E01 made with ewfacquire) added
#      to the same case (target: at most 1/5 of the first).
# Prints the times and ratios.  BENCH_SRC, BENCH_DIR override the source
# directory and the scratch place (needs ~3 GB free).
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
analyze=${IRKIT_BUILD:-$top/build}/bin/irkit-analyze
src=${BENCH_SRC:-/usr/lib/x86_64-linux-gnu}
work=$(mktemp -d "${BENCH_DIR:-${TMPDIR:-/tmp}}/irkit-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

now() { date +%s.%N; }
secs() { python3 -c "import sys; print('%.2f' % (float(sys.argv[2]) - float(sys.argv[1])))" "$1" "$2"; }
ratio() { python3 -c "import sys; print('%.2f' % (float(sys.argv[1]) / float(sys.argv[2])))" "$1" "$2"; }

kb=$(du -sk "$src" | cut -f1)
size=$(( kb * 13 / 10 / 1024 + 64 ))M
echo "building ext4 image of $size from $src ($(find "$src" -type f | wc -l) files)"
mke2fs -q -F -t ext4 -d "$src" "$work/bench.raw" "$size" >/dev/null 2>&1
ewfacquire -u -q -t "$work/bench" -f encase6 -c deflate:fast "$work/bench.raw" >/dev/null 2>&1
cat "$work/bench.raw" >/dev/null	# page cache warm for everyone

t0=$(now); fls -r -m / "$work/bench.raw" >/dev/null; t1=$(now)
fls_t=$(secs "$t0" "$t1")
t0=$(now); "$analyze" image --no-scan --db "$work/a.db" "$work/bench.raw" 2>/dev/null; t1=$(now)
ns_t=$(secs "$t0" "$t1")
echo "fls -r -m:          ${fls_t}s"
echo "image --no-scan:    ${ns_t}s   ratio $(ratio "$ns_t" "$fls_t") (target <= 1.5)"

# the same files, extracted, scanned by the yara CLI with the same rules
mkdir -p "$work/x"
tsk_recover -a "$work/bench.raw" "$work/x" >/dev/null
cat "$top"/yara-rules/*.yar >"$work/all.yar"
t0=$(now); yara -r -p 2 -w "$work/all.yar" "$work/x" >/dev/null 2>&1 || true; t1=$(now)
yara_t=$(secs "$t0" "$t1")
t0=$(now); "$analyze" image -j 2 --db "$work/b.db" "$work/bench.raw" 2>/dev/null; t1=$(now)
scan_t=$(secs "$t0" "$t1")
echo "yara -r -p 2:       ${yara_t}s"
echo "image (scan, -j 2): ${scan_t}s   ratio $(ratio "$scan_t" "$yara_t") (target <= 1.10)"

t0=$(now); "$analyze" image -j 2 --db "$work/b.db" "$work/bench.E01" 2>/dev/null || true; t1=$(now)
e01_t=$(secs "$t0" "$t1")
echo "same disk as E01:   ${e01_t}s   ratio $(ratio "$e01_t" "$scan_t") (target <= 0.20)"
cp "$work/bench.raw" "$work/copy.raw"
t0=$(now); "$analyze" image -j 2 --db "$work/b.db" "$work/copy.raw" 2>/dev/null || true; t1=$(now)
copy_t=$(secs "$t0" "$t1")
echo "copy of the image:  ${copy_t}s   ratio $(ratio "$copy_t" "$scan_t") (target <= 0.20)"
