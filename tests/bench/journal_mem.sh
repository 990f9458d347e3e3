#!/usr/bin/env bash
# journal_mem.sh [GB...] - the memory of loading a large systemd journal
# folder (default: 1 GB, then 2 GB: peak memory must not grow with it).
# The folder is built with systemd-journal-remote (batches of 40000
# entries of a 6000-byte message, base64 of random bytes, so it hardly
# compresses; journal-remote rotates at 128 MiB, above the 64 MiB bound
# over which irkit copies a file to disk, not memory) under a Linux root,
# loaded with `irkit-analyze ingest` of that root folder (a foreign
# root: the journal collector reads each file through the spool), and
# read by `journalctl --directory D -o json > /dev/null`.  For each:
# wall time, GNU time's peak RSS, and the peaks sampled every 0.1 s of
# the process's anonymous, file-backed and shared-memory RSS and of the
# tmpfs /dev/shm (where a file within the bound is copied).  Needs about
# 3x the largest size free in TMPDIR; everything is removed after.  Run
# under nice; it takes minutes (journal-remote writes about 10 MB/s).
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
analyze=${IRKIT_BUILD:-$top/build}/bin/irkit-analyze
sizes=${*:-1 2}
[ -x /usr/bin/time ] || { echo "journal_mem.sh: needs GNU time (package time)" >&2; exit 2; }
remote=/lib/systemd/systemd-journal-remote
[ -x "$remote" ] || { echo "journal_mem.sh: needs $remote" >&2; exit 2; }
tmp=$(mktemp -d "${TMPDIR:-/var/tmp}/journal_mem.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
max=0
for s in $sizes; do [ "$s" -gt "$max" ] && max=$s; done
free=$(df -Pk "$tmp" | awk 'NR == 2 { print $4 }')
if [ "$free" -lt $(( max * 3 << 20 )) ]; then
	echo "journal_mem.sh: $((free >> 20)) GB free in $tmp, $((max * 3)) GB needed" >&2
	exit 2
fi
d=$tmp/root/var/log/journal/3d1219c7c4c5404aaa1f6d2a48adfda4
mkdir -p "$tmp/root/etc" "$tmp/root/usr" "$d"
printf 'root:x:0:0::/root:/bin/sh\n' > "$tmp/root/etc/passwd"
printf 'root:x:0:\n' > "$tmp/root/etc/group"

# batch K: 40000 entries (about 200 MB) into $d/bK.journal (rotated)
batch() {
	python3 - 40000 "$1" <<-'PY' | nice -n 10 "$remote" -o "$d/b$1.journal" - 2>/dev/null
	import base64, os, sys
	n, k = int(sys.argv[1]), int(sys.argv[2])
	out = sys.stdout.buffer
	t0 = 1700000000000000 + k * 10**12
	boot = b"%032x" % (0xabc000 + k)
	blob = base64.b64encode(os.urandom(1 << 20))
	for i in range(n):
	    off = (i * 4099) % (len(blob) - 6000)
	    out.write(b"__REALTIME_TIMESTAMP=%d\n__MONOTONIC_TIMESTAMP=%d\n"
	        b"_BOOT_ID=%s\n_HOSTNAME=web1\nSYSLOG_IDENTIFIER=bench\n_PID=%d\n"
	        b"PRIORITY=6\nMESSAGE=%s\n\n" % (t0 + i * 1000, i * 1000 + 1,
	        boot, 1000 + i % 50, blob[off:off + 6000]))
	PY
}

# peak CMD...: runs CMD, prints "WALL_S MAXRSS_KB ANON_KB FILE_KB SHMEM_KB
# DEVSHM_KB" (the last: /dev/shm's use above what it was before)
peak() {
	local base pid a=0 f=0 m=0 s=0 v
	base=$(df -Pk /dev/shm | awk 'NR == 2 { print $3 }')
	/usr/bin/time -f '%e %M' -o "$tmp/t" nice -n 10 "$@" &
	pid=$!
	while kill -0 "$pid" 2>/dev/null; do
		for c in $(pgrep -P "$pid" 2>/dev/null; pgrep -P "$(pgrep -P "$pid" 2>/dev/null | head -1)" 2>/dev/null); do
			if [ -r "/proc/$c/status" ]; then
				read -r va vf vm < <(awk '/^RssAnon/ { a = $2 } /^RssFile/ { f = $2 } /^RssShmem/ { m = $2 } END { print a + 0, f + 0, m + 0 }' "/proc/$c/status" 2>/dev/null || echo "0 0 0")
				[ "$va" -gt "$a" ] && a=$va
				[ "$vf" -gt "$f" ] && f=$vf
				[ "$vm" -gt "$m" ] && m=$vm
			fi
		done
		v=$(( $(df -Pk /dev/shm | awk 'NR == 2 { print $3 }') - base ))
		[ "$v" -gt "$s" ] && s=$v
		sleep 0.1
	done
	wait "$pid" || true
	echo "$(cat "$tmp/t") $a $f $m $s"
}

echo "bench: journal folder of ${sizes// /, } GB, $(nproc) cpus, load $(cut -d' ' -f1 /proc/loadavg)"
k=0
for gb in $sizes; do
	while [ "$(du -sk "$d" | cut -f1)" -lt $(( gb << 20 )) ]; do
		k=$((k + 1))
		batch "$k"
	done
	files=$(ls "$d" | wc -l)
	big=$(ls -l "$d" | awk 'NR > 1 && $5 > m { m = $5 } END { print int(m / 1048576) }')
	n=$(( $(du -sk "$d" | cut -f1) >> 10 ))
	rm -f "$tmp/c.db"
	ours=$(peak "$analyze" ingest -q --db "$tmp/c.db" --no-default-rules "$tmp/root")
	ref=$(peak sh -c "journalctl --directory '$d' -o json > /dev/null")
	got=$(sqlite3 "$tmp/c.db" "SELECT count(*) FROM journal_entries")
	want=$(( k * 40000 ))
	[ "$got" -eq "$want" ] || echo "journal_mem.sh: $got entries loaded, not $want" >&2
	echo "$n MiB in $files files (largest $big MiB), $want entries:"
	awk -v o="$ours" -v r="$ref" 'BEGIN {
		split(o, O, " "); split(r, R, " ")
		printf "  %-22s %8s %10s %10s %10s %10s %10s\n", "", "wall s", "maxrss MiB", "anon MiB", "file MiB", "shmem MiB", "/dev/shm MiB"
		printf "  %-22s %8.1f %10.0f %10.0f %10.0f %10.0f %10.0f\n", "irkit-analyze ingest", O[1], O[2] / 1024, O[3] / 1024, O[4] / 1024, O[5] / 1024, O[6] / 1024
		printf "  %-22s %8.1f %10.0f %10.0f %10.0f %10.0f %10.0f\n", "journalctl -o json", R[1], R[2] / 1024, R[3] / 1024, R[4] / 1024, R[5] / 1024, R[6] / 1024
		printf "  ratio (irkit / journalctl) %.2f wall\n", O[1] / R[1]
	}'
done
