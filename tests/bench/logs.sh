#!/usr/bin/env bash
# logs.sh [LINES] - loading a large generated auth.log (LINES lines,
# default 500000, gzip-compressed as a rotation is) with irkit-analyze
# image from an ext4 image (mkfs.ext4 -d), against `zcat | wc -l` over
# the same file: wall time of each, log_line events per second, the
# ratio.  Also the peak memory (GNU time's maximum RSS), which must not
# grow with the file (docs/logs.md: lines are streamed).  Run under nice
# when others build.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
analyze=${IRKIT_BUILD:-$top/build}/bin/irkit-analyze
lines=${1:-500000}
[ -x /usr/bin/time ] || { echo "logs.sh: needs GNU time (package time)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "bench: auth.log of $lines lines, $(nproc) cpus, load $(cut -d' ' -f1 /proc/loadavg)"
mkdir -p "$tmp/r/etc" "$tmp/r/usr/bin" "$tmp/r/var/log"
cp /usr/share/zoneinfo/Europe/Berlin "$tmp/r/etc/localtime"
python3 - "$lines" <<'PY' | gzip -1 > "$tmp/r/var/log/auth.log.2.gz"
import sys
n = int(sys.argv[1])
forms = [
    "sshd[%d]: Failed password for root from 203.0.113.%d port %d ssh2",
    "sshd[%d]: Accepted publickey for al from 198.51.100.%d port %d ssh2: ED25519 SHA256:Zm9vYmFyYmF6cXV4",
    "sudo:       al : TTY=pts/%d ; PWD=/home/al ; USER=root ; COMMAND=/usr/bin/apt update %d %d",
    "CRON[%d]: (root) CMD (run-parts /etc/cron.hourly %d %d)",
    "systemd[%d]: Started Session %d of user al %d.",
]
out = sys.stdout
for i in range(n):
    s = i % 86400
    out.write("Mar %2d %02d:%02d:%02d host1 " % (1 + (i // 86400) % 28, s // 3600, s // 60 % 60, s % 60))
    out.write(forms[i % 5] % (1000 + i % 30000, i % 250, 1024 + i % 60000) + "\n")
PY
touch -d "2024-04-01" "$tmp/r/var/log/auth.log.2.gz"
size=$(du -m "$tmp/r/var/log/auth.log.2.gz" | cut -f1)
mkfs.ext4 -q -F -d "$tmp/r" "$tmp/r.raw" $((size * 2 + 64))M
/usr/bin/time -f '%e %M' -o "$tmp/zcat.t" sh -c "zcat '$tmp/r/var/log/auth.log.2.gz' | wc -l" > "$tmp/zcat.out"
/usr/bin/time -f '%e %M' -o "$tmp/irk.t" "$analyze" image -q --no-scan --db "$tmp/c.db" "$tmp/r.raw" > /dev/null 2>&1 || true
read -r zw _ < "$tmp/zcat.t"
read -r iw irss < "$tmp/irk.t"
n=$(sqlite3 "$tmp/c.db" "SELECT count(*) FROM log_lines")
echo "  zcat | wc -l      $(cat "$tmp/zcat.out") lines   ${zw} s"
echo "  irkit-analyze     $n log_line rows  ${iw} s  max RSS ${irss} KiB"
awk -v n="$n" -v i="$iw" -v z="$zw" 'BEGIN {
	printf "  irkit: %.0f events/s; zcat|wc: %.0f lines/s; ratio irkit/zcat time %.1f\n",
	    n / (i > 0 ? i : 0.01), n / (z > 0 ? z : 0.01), i / (z > 0 ? z : 0.01) }'
