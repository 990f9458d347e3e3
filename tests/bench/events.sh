#!/usr/bin/env bash
# events.sh [N] - timeline event inserts per second through irk_db_event
# into a fresh case database (target: 300k events/s or more), and the
# time to index them afterwards.
set -euo pipefail
cd "$(dirname "$0")/../.."
make -s -j2 >/dev/null
n=${1:-2000000}
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
apc() { pkg-config "$@" yara sqlite3 tsk libewf libregf libxml-2.0 libarchive jansson libcrypto 2>/dev/null; }
cc -O2 -std=gnu11 -D_GNU_SOURCE -Iinclude -Ianalyzer $(apc --cflags) \
	tests/bench/bench_events.c build/lib/libirkanalyze.a build/lib/libirkcollect.a \
	build/lib/libirkit.a $(apc --libs) -lmagic -lpthread -lm -o "$w/bench_events"
"$w/bench_events" "$w/case.db" "$n"
ls -l "$w/case.db" | awk '{print "db_bytes=" $5}'
