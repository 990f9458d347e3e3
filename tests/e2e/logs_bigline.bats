#!/usr/bin/env bats
bats_require_minimum_version 1.5.0
#
# Hostile text logs: an auth.log with a 1 GiB line in the middle
# (docs/logs.md, "Reading"), written at test time (real bytes from
# /dev/zero through tr: not sparse) on an ext4 image (mkfs.ext4 -d)
# loaded with irkit-analyze image --no-scan (no content hash: the
# memory measured is the reading of the logs, not a hash's map of the
# file).  Oracles: the lines around it as written here; the peak RSS as
# GNU time -v measures it.
load helpers

BIG=$((1024 * 1024 * 1024))

setup() {
	setup_scratch
	cd "$SCRATCH"
	export LC_ALL=C.UTF-8
	R=$SCRATCH/root
	mkdir -p "$R/etc" "$R/usr/bin" "$R/var/log"
}

teardown() {
	teardown_scratch
}

@test "logs_bigline: a 1 GiB line in the middle of auth.log: cut and logged with its file and line, the lines around it loaded, peak RSS under 200 MB" {
	[ -x /usr/bin/time ] || { echo "GNU time (/usr/bin/time) is needed to measure the memory"; false; }
	avail=$(df --output=avail -B1 "$SCRATCH" | tail -1)
	if [ "$avail" -lt $((2 * BIG + 512 * 1024 * 1024)) ]; then
		echo "not enough room in $SCRATCH for the 1 GiB log and its image: $avail bytes free"
		false
	fi
	{
		printf '2024-01-02T03:04:05Z web1 sshd[1]: Accepted password for al from 192.0.2.1 port 1 ssh2\n'
		printf '2024-01-02T03:04:06Z web1 sshd[2]: '
		head -c "$BIG" /dev/zero | tr '\0' x
		printf '\n2024-01-02T03:04:07Z web1 sshd[3]: Failed password for bo from 192.0.2.2 port 2 ssh2\n'
	} > "$R/var/log/auth.log"
	size=$(stat -c %s "$R/var/log/auth.log")
	[ "$size" -gt "$BIG" ]
	# not sparse: every block is there
	[ "$(du -B1 "$R/var/log/auth.log" | cut -f1)" -ge "$BIG" ]
	command -v mkfs.ext4 >/dev/null || { echo "mkfs.ext4 is needed"; false; }
	truncate -s 1400M "$SCRATCH/r.raw"
	mkfs.ext4 -q -F -d "$R" "$SCRATCH/r.raw"
	rm "$R/var/log/auth.log"
	start=$(date +%s)
	run /usr/bin/time -v -o "$SCRATCH/time.txt" "$ANALYZE" image -q --no-scan --db "$SCRATCH/c.db" "$SCRATCH/r.raw"
	echo "$output" | tail -5
	[ "$status" -le 1 ]
	echo "took $(( $(date +%s) - start )) s" >&3
	rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$SCRATCH/time.txt")
	echo "peak RSS $rss kB" >&3
	[ "$rss" -gt 0 ]
	[ "$rss" -lt 200000 ]
	# the lines before and after, whole; the long one cut at 64 KiB
	[ "$(sqlite3 c.db "SELECT line, coalesce(cut, 0), event, coalesce(user, '') FROM log_lines WHERE path = '/var/log/auth.log' ORDER BY line" | tr '\n' ' ')" = \
	    "1|0|ssh_accept|al 2|1|| 3|0|ssh_fail|bo " ]
	[ "$(sqlite3 c.db "SELECT length(message) FROM log_lines WHERE line = 2 AND path = '/var/log/auth.log'")" -lt 65536 ]
	# a log row naming the file and the line
	sqlite3 c.db "SELECT message FROM log WHERE path = '/var/log/auth.log'" | grep -q '1 lines longer than 65536 bytes cut there (the first: line 2;'
	# the file as a whole: its bytes and lines
	[ "$(sqlite3 c.db "SELECT bytes, lines FROM log_files WHERE path = '/var/log/auth.log'")" = "$size|3" ]
}
