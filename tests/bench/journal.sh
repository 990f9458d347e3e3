#!/usr/bin/env bash
# journal.sh [N] - loading a systemd journal of N entries (default
# 200000: sshd messages, journal_make.py many) built with
# systemd-journal-remote: `irkit-analyze image --no-scan` of an ext4 image
# holding it as /var/log/journal/<id>/system.journal (the journal
# collector: in-memory copy, libsystemd, records, the case database)
# against `journalctl --file F -o json > /dev/null`.  Prints both times,
# entries per second and the ratio; checks that the case holds N entries.
# Run under nice when others build.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
analyze=${IRKIT_BUILD:-$top/build}/bin/irkit-analyze
n=${1:-200000}
[ -x /usr/bin/time ] || { echo "journal.sh: needs GNU time (package time)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
j=$tmp/root/var/log/journal/3d1219c7c4c5404aaa1f6d2a48adfda4
mkdir -p "$tmp/root/etc" "$tmp/root/usr" "$j"
printf 'root:x:0:0::/root:/bin/sh\n' > "$tmp/root/etc/passwd"
printf 'root:x:0:\n' > "$tmp/root/etc/group"
python3 "$top/tests/e2e/journal_make.py" many "$n" |
	/lib/systemd/systemd-journal-remote -o "$j/system.journal" - 2>/dev/null
size=$(stat -c %s "$j/system.journal")
truncate -s $(( size * 2 + (64 << 20) )) "$tmp/r.raw"
mkfs.ext4 -q -F -O ^extent,^64bit -d "$tmp/root" "$tmp/r.raw"
echo "bench: $n entries, journal $((size >> 20)) MiB, $(nproc) cpus, load $(cut -d' ' -f1 /proc/loadavg)"

# secs CMD...: "WALL CPU" seconds (GNU time)
secs() { /usr/bin/time -f '%e %U %S' -o "$tmp/t" "$@"; awk '{ print $1, $2 + $3 }' "$tmp/t"; }
# the page cache warm for both
cat "$j/system.journal" "$tmp/r.raw" > /dev/null
ref=$(secs sh -c "journalctl --file '$j/system.journal' -o json > /dev/null")
ours=$(secs sh -c "'$analyze' image -q --no-scan --db '$tmp/c.db' '$tmp/r.raw' || true")
got=$(sqlite3 "$tmp/c.db" "SELECT count(*) FROM journal_entries")
[ "$got" -eq "$n" ] || { echo "journal.sh: $got entries loaded, not $n" >&2; exit 1; }
awk -v n="$n" -v r="$ref" -v o="$ours" 'BEGIN {
	split(r, R, " "); split(o, O, " ")
	printf "  journalctl -o json   %7.2f s wall %7.2f s cpu  %9.0f entries/s\n", R[1], R[2], n / R[1]
	printf "  irkit-analyze image  %7.2f s wall %7.2f s cpu  %9.0f entries/s\n", O[1], O[2], n / O[1]
	printf "  ratio (irkit / journalctl) %.2f wall, %.2f cpu\n", O[1] / R[1], O[2] / R[2]
}'
