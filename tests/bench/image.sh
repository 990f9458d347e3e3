#!/usr/bin/env bash
# image.sh - benchmark of irkit-analyze image (issue 7).
#
#   1. ext4 image (~1.4 GB) built with mke2fs -d from a directory with
#      thousands of files (default /usr/lib/x86_64-linux-gnu):
#      `image --no-scan` against `fls -r -m /` (target: within 1.5x),
#      with and without the media SHA-256 (--no-image-hash);
#   2. `image` with scanning (bundled rules, -j 2) against `yara -r -p 2`
#      with the same rules over the same files extracted by tsk_recover
#      (target: within 10 %);
#   3. the same disk added again to the same case, as an E01 made with
#      ewfacquire and as a copy of the raw file (target: at most 1/5).
# Prints wall and CPU (user+sys) seconds and the ratios; on a shared
# machine compare the CPU ratios.  BENCH_SRC and BENCH_DIR override the
# source directory and the scratch place (needs ~4 GB free).
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
analyze=${IRKIT_BUILD:-$top/build}/bin/irkit-analyze
src=${BENCH_SRC:-/usr/lib/x86_64-linux-gnu}
work=$(mktemp -d "${BENCH_DIR:-${TMPDIR:-/tmp}}/irkit-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

# run NAME CMD...: time CMD, print wall and cpu, keep them in W_NAME C_NAME
run() {
	local name=$1 w u s
	shift
	/usr/bin/time -o "$work/time" -f '%e %U %S' "$@" >/dev/null 2>&1 || true
	read -r w u s <"$work/time"
	printf -v "W_$name" '%s' "$w"
	printf -v "C_$name" '%s' "$(python3 -c "print('%.2f' % ($u + $s))")"
	printf '%-28s wall %7ss  cpu %7ss\n' "$name" "$w" "$(eval echo \$C_$name)"
}
ratio() { python3 -c "import sys; print('%.2f' % (float(sys.argv[1]) / float(sys.argv[2])))" "$1" "$2"; }

kb=$(du -sk "$src" | cut -f1)
size=$(( kb * 13 / 10 / 1024 + 64 ))M
echo "ext4 image of $size from $src ($(find "$src" -type f | wc -l) files)"
mke2fs -q -F -t ext4 -d "$src" "$work/bench.raw" "$size" >/dev/null 2>&1
ewfacquire -u -q -t "$work/bench" -f encase6 -c deflate:fast "$work/bench.raw" >/dev/null 2>&1
mkdir -p "$work/x"
tsk_recover -a "$work/bench.raw" "$work/x" >/dev/null
cat "$top"/yara-rules/*.yar >"$work/all.yar"
cat "$work/bench.raw" >/dev/null	# page cache warm for everyone

run fls fls -r -m / "$work/bench.raw"
run noscan_nohash "$analyze" image --no-scan --no-image-hash --db "$work/a.db" "$work/bench.raw"
run noscan "$analyze" image --no-scan --db "$work/a2.db" "$work/bench.raw"
echo "  --no-scan --no-image-hash / fls: wall $(ratio "$W_noscan_nohash" "$W_fls")  cpu $(ratio "$C_noscan_nohash" "$C_fls")  (target <= 1.5)"
echo "  --no-scan (media hashed) / fls:  wall $(ratio "$W_noscan" "$W_fls")  cpu $(ratio "$C_noscan" "$C_fls")"

run yara yara -r -p 2 -w "$work/all.yar" "$work/x"
run scan "$analyze" image -j 2 --db "$work/b.db" "$work/bench.raw"
echo "  image scan / yara -p 2:          wall $(ratio "$W_scan" "$W_yara")  cpu $(ratio "$C_scan" "$C_yara")  (target <= 1.10)"

run e01_again "$analyze" image -j 2 --db "$work/b.db" "$work/bench.E01"
echo "  E01, media hash dedup / first:  wall $(ratio "$W_e01_again" "$W_scan")  cpu $(ratio "$C_e01_again" "$C_scan")  (target <= 0.20)"
cp "$work/bench.raw" "$work/copy.raw"
cat "$work/copy.raw" >/dev/null
run copy_again "$analyze" image -j 2 --db "$work/b.db" "$work/copy.raw"
echo "  copy, media hash dedup / first:  wall $(ratio "$W_copy_again" "$W_scan")  cpu $(ratio "$C_copy_again" "$C_scan")  (target <= 0.20)"
run copy_nohash "$analyze" image -j 2 --no-image-hash --db "$work/b.db" "$work/copy.raw"
echo "  copy, loaded again with the scan cache (--no-image-hash) / first:"
echo "                                   wall $(ratio "$W_copy_nohash" "$W_scan")  cpu $(ratio "$C_copy_nohash" "$C_scan")"
