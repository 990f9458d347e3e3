#!/usr/bin/env bash
# merge_mem.sh [MILLIONS...] - does merge's memory grow with the events
# merged?  For each size (default: 1 and 4 million events) a shard is
# made cheaply: a small fake host (irkit-collect --root) ingested, then
# its events copied in SQL (sqlite3) until the shard holds that many
# (each copy another time and path, the same evidence and record).
# Each shard is merged into a fresh case, and the largest also into a
# case that holds the smallest already (a WAL-mode case, not fresh).
# Prints, per merge: the events merged, the wall time, events/s and the
# peak RSS (/usr/bin/time -v).  Runs under nice -n 10.
#
# Environment: ANALYZE (default build/bin/irkit-analyze), BENCH_DIR (the
# work folder, kept; default a new one under /tmp, removed).
set -euo pipefail
cd "$(dirname "$0")/../.."
make -s -j2 >/dev/null
sizes=${*:-1 4}
ANALYZE=${ANALYZE:-$PWD/build/bin/irkit-analyze}
COLLECT=$PWD/build/bin/irkit-collect
if [ -n "${BENCH_DIR:-}" ]; then
	W=$BENCH_DIR
	mkdir -p "$W"
else
	W=$(mktemp -d /tmp/irk-bench-mmem.XXXXXX)
	trap 'rm -rf "$W"' EXIT
fi
export XDG_CACHE_HOME="$W/cache"
echo "workdir $W, irkit-analyze $ANALYZE"

# a small Linux root: a service, a cron line, a user, a few hundred files
r=$W/root
rm -rf "$r"
mkdir -p "$r"/etc/systemd/system "$r"/etc/cron.d "$r"/usr/bin "$r"/home/alice
echo benchhost >"$r"/etc/hostname
echo 0123456789abcdef0123456789abcdef >"$r"/etc/machine-id
printf 'root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/bash\n' \
	>"$r"/etc/passwd
printf '[Service]\nExecStart=/usr/bin/updater\n' >"$r"/etc/systemd/system/u.service
printf '*/5 * * * * root /usr/bin/updater\n' >"$r"/etc/cron.d/upd
for i in $(seq 1 300); do echo "file $i" >"$r/home/alice/f$i"; done
nice -n 10 "$COLLECT" -q --root "$r" -o "$W/host.tar.zst" >/dev/null 2>&1 || true
rm -f "$W"/base.db*
nice -n 10 "$ANALYZE" ingest -q --no-default-rules -j 1 --db "$W/base.db" "$W/host.tar.zst"

# shard M: base.db with its events copied up to M million
make_shard() {
	local db=$W/shard-$1M.db n=$(($1 * 1000000))
	[ -f "$db" ] && return 0
	cp "$W/base.db" "$db.part"
	nice -n 10 sqlite3 "$db.part" >/dev/null "PRAGMA journal_mode = OFF;
	PRAGMA synchronous = OFF;
	-- another content: not the same evidence as another size's shard
	UPDATE evidence SET sha256 = lower(hex(randomblob(32))),
	    manifest_sha256 = lower(hex(randomblob(32)));
	CREATE TEMP TABLE b AS SELECT * FROM events;
	WITH RECURSIVE c(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM c
	    WHERE i < $n - (SELECT count(*) FROM b) - 1)
	INSERT INTO events (ts, ts_desc, macb, source, host, path, message,
	    evidence_id, record_table, record_id)
	SELECT b.ts + c.i, b.ts_desc, b.macb, b.source, b.host,
	    b.path || '.' || c.i, b.message, b.evidence_id, b.record_table,
	    b.record_id FROM c JOIN b ON b.rowid = 1 + c.i % (SELECT count(*) FROM b);"
	mv "$db.part" "$db"
}

# merge CASE SHARD LABEL: one merge, measured
merge() {
	local t=$W/time.txt ev
	nice -n 10 /usr/bin/time -v -o "$t" "$ANALYZE" merge -q --db "$1" "$2"
	ev=$(sqlite3 "$2" "SELECT count(*) FROM events")
	awk -v ev="$ev" -v label="$3" -F': ' '
		/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0
			for (i = 1; i <= n; i++) s = s * 60 + p[i] }
		/Maximum resident set size/ { rss = $2 }
		END { printf "%-34s %9d events %7.1f s %9.0f events/s  peak RSS %4.0f MiB\n",
			label, ev, s, s ? ev / s : 0, rss / 1024 }' "$t"
}

first=
for m in $sizes; do
	make_shard "$m"
	rm -f "$W"/case-"$m"M.db*
	merge "$W/case-${m}M.db" "$W/shard-${m}M.db" "${m}M events into a new case"
	[ -n "$first" ] || first=$m
	last=$m
done
if [ "$first" != "$last" ]; then
	cp "$W/case-${first}M.db" "$W/both.db"
	merge "$W/both.db" "$W/shard-${last}M.db" \
	    "${last}M events into the ${first}M case"
fi
