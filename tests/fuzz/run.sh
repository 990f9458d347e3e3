#!/usr/bin/env bash
# run.sh [SECONDS] - build every tests/fuzz/fuzz_*.c as a libFuzzer
# harness (clang, ASan + UBSan) against all of lib/, collectors/ and
# analyzer/ (but the mains), and run each for SECONDS (default 30) on its
# seed corpus tests/fuzz/corpus/<name>/ if present.  0 seconds: build only.
set -euo pipefail
cd "$(dirname "$0")/../.."
secs=${1:-30}
out=build-fuzz
mkdir -p "$out/obj"
pc() { pkg-config "$@" libarchive jansson libcrypto yara sqlite3 tsk libewf libregf libbfio libxml-2.0 2>/dev/null; }
cflags="-g -O1 -std=gnu11 -D_GNU_SOURCE -D_FILE_OFFSET_BITS=64 -Iinclude -Icollectors -Ianalyzer -fsanitize=fuzzer-no-link,address,undefined $(pc --cflags)"
libs="$(pc --libs) -lmagic -lpthread -lm"
objs=()
for src in lib/*.c collectors/*.c analyzer/*.c analyzer/records/*.c; do
	case "$src" in */main.c) continue ;; esac
	[ -e "$src" ] || continue
	o="$out/obj/${src//\//_}.o"
	if [ ! -e "$o" ] || [ "$src" -nt "$o" ]; then
		clang $cflags -c "$src" -o "$o"
	fi
	objs+=("$o")
done
rc=0
for h in tests/fuzz/fuzz_*.c; do
	[ -e "$h" ] || continue
	name=$(basename "$h" .c)
	clang $cflags -fsanitize=fuzzer "$h" "${objs[@]}" $libs -o "$out/$name"
	[ "$secs" = 0 ] && continue
	corpus="$out/corpus/$name"
	mkdir -p "$corpus"
	seeds=()
	[ -d "tests/fuzz/corpus/$name" ] && seeds=("tests/fuzz/corpus/$name")
	echo "== $name (${secs}s)"
	if ! "$out/$name" -max_total_time="$secs" -max_len=65536 -rss_limit_mb=2048 \
		-print_final_stats=0 "$corpus" "${seeds[@]}" > "$out/$name.log" 2>&1; then
		tail -40 "$out/$name.log"
		rc=1
	fi
done
exit $rc
