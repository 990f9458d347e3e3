#!/usr/bin/env bash
# run.sh [SECONDS [NAME...]] - build every tests/fuzz/fuzz_*.c (or the
# NAMEs given) as a libFuzzer harness (clang, ASan + UBSan) against all
# of lib/, collectors/ and analyzer/ (but the mains), and run each for
# SECONDS (default 30) on its seed corpus tests/fuzz/corpus/<name>/ if
# present, plus the seeds made here (gen_seeds.sh: those too big for the
# repository).  0 seconds: build only.
#
# A harness says how large an input may be with a line "max_len: N" in
# its leading comment (default 65536).  Every run has -timeout=10 (an
# input that takes over 10 s is a hang) and -rss_limit_mb=2048; the
# harnesses' files live in a private folder removed at the end.
# IRK_FUZZ_ARGS adds libFuzzer options (e.g. -runs=N, -jobs=1).  Leaks
# inside the libraries we do not own, each checked with the library's own
# tool under valgrind, are suppressed by tests/lsan.supp (as ./build.sh
# asan); a leak of irkit's own still stops the run.
set -euo pipefail
cd "$(dirname "$0")/../.."
export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
secs=${1:-30}
shift || true
out=build-fuzz
mkdir -p "$out/obj"
pc() { pkg-config "$@" libarchive jansson libcrypto yara sqlite3 tsk libewf libregf libbfio libxml-2.0 rpm libscca libfwnt libsystemd libvshadow zlib 2>/dev/null; }
cflags="-g -O1 -std=gnu11 -D_GNU_SOURCE -D_FILE_OFFSET_BITS=64 -Iinclude -Icollectors -Ianalyzer -fsanitize=fuzzer-no-link,address,undefined $(pc --cflags)"
# libevtx statically, first, its symbols kept inside (the Makefile's EVTX_LIBS)
libs="-Wl,--exclude-libs,libevtx.a -l:libevtx.a $(pc --libs) -lmagic -lpthread -lm"
objs=()
for src in lib/*.c collectors/*.c analyzer/*.c analyzer/records/*.c; do
	case "$src" in */main.c) continue ;; esac
	[ -e "$src" ] || continue
	o="$out/obj/${src//\//_}.o"
	# rebuilt when its source or any header is newer (a struct that
	# grew must not meet objects built with its old layout)
	if [ ! -e "$o" ] || [ "$src" -nt "$o" ] ||
	    [ -n "$(find include lib collectors analyzer -name '*.h' -newer "$o" -print -quit)" ]; then
		clang $cflags -c "$src" -o "$o"
	fi
	objs+=("$o")
done
harnesses=()
if [ $# -gt 0 ]; then
	for n in "$@"; do harnesses+=("tests/fuzz/$n.c"); done
else
	harnesses=(tests/fuzz/fuzz_*.c)
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/irkit-fuzz.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export IRK_FUZZ_TMP=$tmp
[ "$secs" = 0 ] || tests/fuzz/gen_seeds.sh "$out/seeds" "$tmp" >/dev/null 2>&1 || true
rc=0
for h in "${harnesses[@]}"; do
	[ -e "$h" ] || continue
	name=$(basename "$h" .c)
	if [ ! -e "$out/$name" ] || [ "$h" -nt "$out/$name" ] ||
		[ -n "$(find "${objs[@]}" tests/fuzz/*.h -newer "$out/$name" | head -1)" ]; then
		clang $cflags -Itests/fuzz -fsanitize=fuzzer "$h" "${objs[@]}" $libs -o "$out/$name"
	fi
	[ "$secs" = 0 ] && continue
	maxlen=$(sed -n 's/^ \* max_len: \([0-9]*\)$/\1/p' "$h" | head -1)
	corpus="$out/corpus/$name"
	mkdir -p "$corpus"
	seeds=()
	[ -d "tests/fuzz/corpus/$name" ] && seeds+=("tests/fuzz/corpus/$name")
	[ -d "$out/seeds/$name" ] && seeds+=("$out/seeds/$name")
	echo "== $name (${secs}s, max_len ${maxlen:-65536})"
	# shellcheck disable=SC2086
	if ! "$out/$name" -max_total_time="$secs" -max_len="${maxlen:-65536}" \
		-timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
		${IRK_FUZZ_ARGS:-} "$corpus" "${seeds[@]}" > "$out/$name.log" 2>&1; then
		tail -40 "$out/$name.log"
		rc=1
	fi
done
exit $rc
