#!/usr/bin/env bash
# evtx.sh - Windows event log records per second: `irkit-analyze image`
# of a FAT volume holding one large EVTX file under
# Windows/System32/winevt/Logs (everything: libevtx, the XML, the
# win_events rows, the timeline events, the findings) against
# `evtxexport -f xml > /dev/null` (libevtx-utils: the XML only) on the
# same file.  The file is plaso's System.evtx (5009 records, 2 MiB) when
# /work/shared/testdata is there, else tests/data/evtx/System.evtx;
# BENCH_EVTX names another.  Median of RUNS runs (default 5), the two in
# turn.  Prints records, the seconds and records/s of each, and the
# ratio irkit/evtxexport (of the times: above 1, irkit is slower).
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
analyze=${IRKIT_BUILD:-$top/build}/bin/irkit-analyze
log=${BENCH_EVTX:-/work/shared/testdata/plaso/evtx/System.evtx}
[ -e "$log" ] || log=$top/tests/data/evtx/System.evtx
runs=${RUNS:-5}
work=$(mktemp -d "${TMPDIR:-/tmp}/irkit-bench-evtx.XXXXXX")
trap 'rm -rf "$work"' EXIT
export MTOOLS_SKIP_CHECK=1

size=$(stat -c %s "$log")
truncate -s $(( size + 16 * 1024 * 1024 )) "$work/win.raw"
mkfs.vfat -n EVTX "$work/win.raw" >/dev/null
mmd -i "$work/win.raw" ::/Windows ::/Windows/System32 \
	::/Windows/System32/config ::/Windows/System32/winevt \
	::/Windows/System32/winevt/Logs
mcopy -i "$work/win.raw" "$log" ::/Windows/System32/winevt/Logs/Big.evtx
records=$(evtxexport -f xml "$log" 2>/dev/null | grep -c '<Event xmlns')

python3 - "$runs" "$records" "$analyze" "$work" "$log" <<'PY'
import statistics, subprocess, sys, time
runs, records, analyze, work, log = int(sys.argv[1]), int(sys.argv[2]), *sys.argv[3:]
ours, ref = [], []
for i in range(runs):
    db = "%s/case%d.db" % (work, i)
    t = time.monotonic()
    subprocess.run([analyze, "image", "-q", "--no-scan", "--hash", "sha256",
                    "--db", db, work + "/win.raw"], stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    ours.append(time.monotonic() - t)
    t = time.monotonic()
    subprocess.run(["evtxexport", "-f", "xml", log], stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    ref.append(time.monotonic() - t)
stored = subprocess.run(["sqlite3", db, "SELECT count(*) FROM win_events"],
                        capture_output=True, text=True).stdout.strip()
a, b = statistics.median(ours), statistics.median(ref)
print("records %d (stored by irkit: %s)" % (records, stored))
print("irkit-analyze image   %.3f s  %8.0f records/s" % (a, records / a))
print("evtxexport -f xml     %.3f s  %8.0f records/s" % (b, records / b))
print("ratio irkit/evtxexport %.2f" % (a / b))
PY
