#!/usr/bin/env bash
# merge.sh [N] - N collections of this host (default 16, each with its
# own --case) loaded two ways:
#   one:     irkit-analyze ingest of all N into one case, one process
#   sharded: one shard per collection, two at a time (xargs -P 2), then
#            irkit-analyze merge of the N shards into one case
# Prints the time of each, the merge's own time and peak RSS, the events
# merged per second, and the ratio sharded / one.  The collections skip
# the slow collectors (packages, journal_files, logs, certificates: each
# hashes or copies hundreds of MB on a desktop and would make the
# collections, not the merge, the benchmark).  Run under nice; on this
# 2-core machine two workers cannot beat one process by much: the point
# is the merge's cost and memory, which a cluster's N workers do not
# share.
set -euo pipefail
cd "$(dirname "$0")/../.."
make -s -j2 >/dev/null
n=${1:-16}
W=${BENCH_DIR:-$(mktemp -d /tmp/irk-bench-merge.XXXXXX)}
COLLECT=$PWD/build/bin/irkit-collect
ANALYZE=$PWD/build/bin/irkit-analyze
SKIP=packages,journal_files,logs,certificates
export XDG_CACHE_HOME="$W/cache"
echo "workdir $W"

mkdir -p "$W/in"
for i in $(seq -w 1 "$n"); do
	[ -n "$(ls "$W/in/$i"/irkit-*.tar.zst 2>/dev/null)" ] && continue
	mkdir -p "$W/in/$i"
	"$COLLECT" -q -o "$W/in/$i" --case "bench-$i" --skip "$SKIP" || true
done
inputs=$(ls "$W"/in/*/irkit-*.tar.zst)
# the rules compiled once, into the cache both runs use
"$ANALYZE" rules check >/dev/null 2>&1 || true

rm -f "$W"/one.db* "$W"/m.db* "$W"/cm.db* "$W"/shards/*.db*
mkdir -p "$W/shards"
t0=$(date +%s.%N)
# shellcheck disable=SC2086
"$ANALYZE" ingest -q --db "$W/one.db" $inputs
t1=$(date +%s.%N)
# shellcheck disable=SC2086
printf '%s\n' $inputs | xargs -P 2 -I{} sh -c \
    '"$1" ingest -q --db "$2/shards/$(basename "$(dirname "$3")").db" "$3"' \
    sh "$ANALYZE" "$W" {}
t2=$(date +%s.%N)
/usr/bin/time -f '%e %M' -o "$W/merge.time" \
    "$ANALYZE" merge -q --db "$W/m.db" "$W"/shards/*.db
t3=$(date +%s.%N)
# the same with the scan cache shared (docs/scale-out.md): the first
# shard's cache exported, imported into each other shard before its load
rm -rf "$W/cshards" && mkdir -p "$W/cshards"
first=$(printf '%s\n' $inputs | head -1)
"$ANALYZE" ingest -q --db "$W/cshards/first.db" "$first"
"$ANALYZE" cache export --db "$W/cshards/first.db" "$W/cache.jsonl" 2>/dev/null
# shellcheck disable=SC2086
printf '%s\n' $inputs | tail -n +2 | xargs -P 2 -I{} sh -c \
    'db="$2/cshards/$(basename "$(dirname "$3")").db"
     "$1" cache import --db "$db" "$2/cache.jsonl" 2>/dev/null &&
     "$1" ingest -q --db "$db" "$3"' sh "$ANALYZE" "$W" {}
t4=$(date +%s.%N)
"$ANALYZE" merge -q --db "$W/cm.db" "$W"/cshards/*.db
t5=$(date +%s.%N)
read -r mt mrss < "$W/merge.time"
ev=$(sqlite3 "$W/m.db" "SELECT count(*) FROM events")
ev1=$(sqlite3 "$W/one.db" "SELECT count(*) FROM events")
python3 - "$t0" "$t1" "$t2" "$t3" "$t4" "$t5" "$mt" "$mrss" "$ev" "$ev1" "$n" <<'PY'
import sys
t0, t1, t2, t3, t4, t5, mt = (float(x) for x in sys.argv[1:8])
rss, ev, ev1, n = (int(x) for x in sys.argv[8:12])
one, shards, merge = t1 - t0, t2 - t1, t3 - t2
cshards, cmerge = t4 - t3, t5 - t4
print(f"collections:          {n} (events: one case {ev1}, merged {ev})")
print(f"one process ingest:   {one:.1f} s (each input after the first "
      f"finds most content in the case's scan cache)")
print(f"shards (xargs -P 2):  {shards:.1f} s (each shard scans all)")
print(f"merge:                {mt:.1f} s, peak RSS {rss / 1024:.0f} MiB, "
      f"{ev / mt if mt else 0:.0f} events/s merged")
print(f"ratio (shards + merge) / one: {(shards + merge) / one:.2f}")
print(f"shards sharing the first's scan cache (cache export/import): "
      f"{cshards:.1f} s + merge {cmerge:.1f} s; ratio "
      f"{(cshards + cmerge) / one:.2f}")
PY
