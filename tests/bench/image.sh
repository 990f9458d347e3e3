#!/usr/bin/env bash
# image.sh - benchmark of irkit-analyze image (issue 7).
#
#   1. ext4 image (~1.4 GB) built with mke2fs -d from a directory with
#      thousands of files (default /usr/lib/x86_64-linux-gnu):
#      `image --no-scan` (the default: the media is not read) against
#      `fls -r -m /` (target: within 1.5x), median of RUNS runs each
#      (in turn),
#      and `image --no-scan --image-hash` (media SHA-256 and MD5 read
#      while the walk runs) against md5sum of the image;
#   2. `image` with scanning (bundled rules, -j 2) against `yara -r -p 2`
#      with the same rules over the same files extracted by tsk_recover
#      (target: within 10 %);
#   3. the same disk added again to a case that loaded it with
#      --image-hash: a copy of the raw file with --image-hash (same media
#      SHA-256) and the E01 made with ewfacquire (its stored MD5 equals
#      the media MD5; nothing read), against that first load (target: at
#      most 1/5); and the copy without --image-hash (a new evidence row,
#      contents found in the scan cache).
# Prints wall and CPU (user+sys) seconds and the ratios; on a shared
# machine compare the CPU ratios.  BENCH_SRC and BENCH_DIR override the
# source directory and the scratch place (needs ~4 GB free); RUNS the
# number of runs of the short commands (default 10).
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
# pair A B PRE_B: RUNS runs of $CMD_A and $CMD_B (arrays) in turn (PRE_B,
# untimed, before each B), median wall and cpu of each at millisecond
# precision, in W_A C_A W_B C_B.  Alternating keeps a shared machine's
# load changes from falling on one side only.
pair() {
	local a=$1 b=$2 pre=$3 out wa ca wb cb
	out=$(python3 - "$RUNS" "$pre" "${#CMD_A[@]}" "${CMD_A[@]}" "${CMD_B[@]}" <<'PY'
import resource, statistics, subprocess, sys, time
n, pre, na = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
cmds = [sys.argv[4:4 + na], sys.argv[4 + na:]]
res = [([], []), ([], [])]
for _ in range(n):
    for k in (0, 1):
        if k == 1 and pre:
            subprocess.run(pre, shell=True, check=False)
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.monotonic()
        subprocess.run(cmds[k], stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL)
        res[k][0].append(time.monotonic() - t)
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        res[k][1].append(r1.ru_utime - r0.ru_utime + r1.ru_stime -
            r0.ru_stime)
print(' '.join('%.3f %.3f' % (statistics.median(w), statistics.median(c))
    for w, c in res))
PY
)
	read -r wa ca wb cb <<<"$out"
	printf -v "W_$a" '%s' "$wa"
	printf -v "C_$a" '%s' "$ca"
	printf -v "W_$b" '%s' "$wb"
	printf -v "C_$b" '%s' "$cb"
	printf '%-28s wall %7ss  cpu %7ss  (median of %s)\n' "$a" "$wa" "$ca" "$RUNS"
	printf '%-28s wall %7ss  cpu %7ss  (median of %s)\n' "$b" "$wb" "$cb" "$RUNS"
}
RUNS=${RUNS:-10}
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

CMD_A=(fls -r -m / "$work/bench.raw")
CMD_B=("$analyze" image --no-scan --db "$work/a.db" "$work/bench.raw")
pair fls noscan "rm -f $work/a.db*"
echo "  --no-scan / fls:                 wall $(ratio "$W_noscan" "$W_fls")  cpu $(ratio "$C_noscan" "$C_fls")  (target <= 1.5)"
run md5sum md5sum "$work/bench.raw"
run noscan_hash sh -c "rm -f '$work'/a2.db*; exec '$analyze' image --no-scan --image-hash --db '$work/a2.db' '$work/bench.raw'"
echo "  --no-scan --image-hash / md5sum: wall $(ratio "$W_noscan_hash" "$W_md5sum")  cpu $(ratio "$C_noscan_hash" "$C_md5sum")"

run yara yara -r -p 2 -w "$work/all.yar" "$work/x"
run scan "$analyze" image -j 2 --db "$work/b.db" "$work/bench.raw"
echo "  image scan / yara -p 2:          wall $(ratio "$W_scan" "$W_yara")  cpu $(ratio "$C_scan" "$C_yara")  (target <= 1.10)"
# the work yara does not do, alone: the same scan without YARA rules but
# with the bundled IOC lists (so SHA-256, MD5 and SHA-1 as above), libmagic,
# TSK reads, SQLite; on two cores yara keeps busy it can only add
iocs=()
for f in "$top"/yara-rules/iocs/*.txt; do iocs+=(--ioc "$f"); done
run norules "$analyze" image -j 2 --no-default-rules "${iocs[@]}" --db "$work/n.db" "$work/bench.raw"
echo "  work yara does not do, alone: cpu ${C_norules}s = $(python3 -c "print('%.0f' % (100 * $C_norules / $C_yara))")% of yara's cpu"

# the dedup cases: a case that loaded the raw image with --image-hash
run first_hash "$analyze" image -j 2 --image-hash --db "$work/c.db" "$work/bench.raw"
cp "$work/bench.raw" "$work/copy.raw"
cat "$work/copy.raw" >/dev/null
run copy_again "$analyze" image -j 2 --image-hash --db "$work/c.db" "$work/copy.raw"
echo "  copy, media sha256 / first:      wall $(ratio "$W_copy_again" "$W_first_hash")  cpu $(ratio "$C_copy_again" "$C_first_hash")  (target <= 0.20)"
run e01_again "$analyze" image -j 2 --db "$work/c.db" "$work/bench.E01"
echo "  E01, stored MD5 / first:         wall $(ratio "$W_e01_again" "$W_first_hash")  cpu $(ratio "$C_e01_again" "$C_first_hash")  (target <= 0.20)"
run e01_again_hash "$analyze" image -j 2 --image-hash --db "$work/c.db" "$work/bench.E01"
echo "  E01 --image-hash / first:        wall $(ratio "$W_e01_again_hash" "$W_first_hash")  cpu $(ratio "$C_e01_again_hash" "$C_first_hash")  (target <= 0.20)"
run copy_nohash "$analyze" image -j 2 --db "$work/c.db" "$work/copy.raw"
echo "  copy, loaded again with the scan cache (no --image-hash) / first:"
echo "                                   wall $(ratio "$W_copy_nohash" "$W_first_hash")  cpu $(ratio "$C_copy_nohash" "$C_first_hash")"
