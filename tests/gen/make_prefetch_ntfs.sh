#!/usr/bin/env bash
# make_prefetch_ntfs.sh OUT WORKDIR - an NTFS image with a Windows root
# whose Windows/Prefetch holds the samples of tests/data/prefetch/, a copy
# of CMD.EXE's file whose paths say it ran from a temp folder, and
# hostile files (junk, a MAM header asking for 2 GiB, a cut file).
# Needs mkntfs, ntfs-3g (FUSE), python3.  Exits non-zero when the volume
# cannot be made or mounted.
set -euo pipefail
out=$1 work=$2
here=$(cd "$(dirname "$0")" && pwd)
data=$here/../data/prefetch
m=$work/mnt
p=$m/Windows/Prefetch
truncate -s 16M "$out"
mkntfs -q -F -f "$out" >/dev/null 2>&1
mkdir -p "$m"
ntfs-3g "$out" "$m"
trap 'fusermount -u "$m" 2>/dev/null || umount "$m" 2>/dev/null || true' EXIT
mkdir -p "$m/Windows/System32/config" "$p"
cp "$data"/*.pf "$p"/
# CMD.EXE's paths moved to a temp folder (same length; the format has no
# checksum)
python3 - "$data/CMD.EXE-087B4001.pf" "$p/CMD.EXE-0000TEMP.pf" <<'PY'
import sys
b = open(sys.argv[1], "rb").read()
old = "\\WINDOWS\\SYSTEM32\\CMD.EXE".encode("utf-16le")
new = "\\WINDOWS\\TEMP\\X1Y\\CMD.EXE".encode("utf-16le")
assert len(old) == len(new) and old in b
open(sys.argv[2], "wb").write(b.replace(old, new))
PY
printf 'not a prefetch file' >"$p/JUNK.EXE-00000001.pf"
# a MAM header asking for 2 GiB
printf 'MAM\004\377\377\377\177garbage' >"$p/HUGE.EXE-00000002.pf"
head -c 200 "$data/TASKHOST.EXE-3AE259FC.pf" >"$p/CUT.EXE-00000003.pf"
"$here"/ntfs_umount.sh "$m" "$out"
trap - EXIT
