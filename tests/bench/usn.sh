#!/usr/bin/env bash
# usn.sh - benchmark of the NTFS change journal reader (analyzer/usn.c):
# an NTFS image whose $Extend/$UsnJrnl:$J holds N entries (default
# 300000, ~26 MB: a busy volume's default 32 MB journal) written by
# tests/e2e/usn_oracle.py and planted with ntfscp.  Times `irkit-analyze
# image --no-scan` on it (rows and events of every entry into a case)
# less the same on the image without a journal, against the oracle's
# own struct parsing of the raw stream (`usn_oracle.py parse`, one line
# per entry), and prints entries per second and the ratio.  Needs
# mkntfs, ntfscp, python3.  N=... overrides the entry count.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
analyze=${IRKIT_BUILD:-$top/build}/bin/irkit-analyze
orc=$top/tests/e2e/usn_oracle.py
n=${N:-300000}
work=$(mktemp -d "${TMPDIR:-/tmp}/irkit-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

python3 "$orc" make "$work/J" "bulk:$n"
for i in usn none; do
	truncate -s 96M "$work/$i.raw"
	mkntfs -q -F -f "$work/$i.raw" >/dev/null 2>&1
done
ntfscp -f -N '$J' "$work/usn.raw" "$work/J" '/$Extend/$UsnJrnl' >/dev/null

# secs CMD...: wall seconds of CMD (output discarded)
secs() {
	python3 - "$@" <<'PY'
import subprocess, sys, time
t = time.monotonic()
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=False)
print("%.3f" % (time.monotonic() - t))
PY
}
base=$(secs "$analyze" image -q --no-scan --db "$work/none.db" "$work/none.raw")
full=$(secs "$analyze" image -q --no-scan --db "$work/usn.db" "$work/usn.raw")
ref=$(secs python3 "$orc" parse "$work/J")
rows=$(sqlite3 "$work/usn.db" "SELECT count(*) FROM usn_journal")
python3 - "$n" "$rows" "$base" "$full" "$ref" "$(stat -c %s "$work/J")" <<'PY'
import sys
n, rows = int(sys.argv[1]), int(sys.argv[2])
base, full, ref = map(float, sys.argv[3:6])
irk = max(full - base, 0.001)
print("entries %d (rows %d), $J %.1f MB" % (n, rows, int(sys.argv[6]) / 1e6))
print("irkit image (journal part)  %.3f s  %.0f entries/s" % (irk, n / irk))
print("usn_oracle.py parse         %.3f s  %.0f entries/s" % (ref, n / ref))
print("ratio irkit/reference       %.2f" % (irk / ref))
PY
