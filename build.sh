#!/usr/bin/env bash
# build.sh - the one entry point for irkit.
#
#   ./build.sh            check dependencies, build into build/
#   ./build.sh test       build and run every test (unit, end-to-end)
#   ./build.sh asan       the same under AddressSanitizer + UBSan
#   ./build.sh fuzz [S]   build the libFuzzer harnesses, run each S seconds
#   ./build.sh bench      run the benchmarks in tests/bench/
#   ./build.sh usb        make the portable kit in dist/
#   ./build.sh triage     collect this host, analyze it, write a report
#                         under cases/<UTC timestamp>/
#
# Missing Debian packages are installed when run as root (apt-get), else
# the exact install line is printed and the script exits 2.
set -euo pipefail

top=$(cd "$(dirname "$0")" && pwd)
cd "$top"
jobs=$(nproc 2>/dev/null || echo 2)

# Debian packages: to build, and (test) what the tests use as oracles.
build_pkgs=(build-essential pkg-config libarchive-dev libjansson-dev
	libssl-dev libzstd-dev liblz4-dev libacl1-dev libbz2-dev liblzma-dev
	nettle-dev libxml2-dev libyara-dev libmagic-dev libsqlite3-dev
	libtsk-dev libewf-dev libregf-dev libbfio-dev zlib1g-dev)
test_pkgs=(libcmocka-dev bats clang libclang-rt-14-dev yara sqlite3
	sleuthkit ewf-tools libregf-utils libhivex-bin mtools dosfstools
	ntfs-3g fdisk e2fsprogs procps zstd xz-utils python3 openssl
	openssh-client systemd util-linux file)

say() { printf 'build.sh: %s\n' "$*" >&2; }

missing_pkgs() {
	local p
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
			grep -q 'install ok installed' || printf '%s ' "$p"
	done
}

ensure_pkgs() {
	local miss
	miss=$(missing_pkgs "$@")
	[ -z "$miss" ] && return 0
	if [ "$(id -u)" -ne 0 ]; then
		say "missing packages; install them with:"
		printf '  sudo apt-get update && sudo apt-get install -y %s\n' "$miss" >&2
		exit 2
	fi
	say "installing: $miss"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >/dev/null
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $miss >/dev/null
}

build() {
	ensure_pkgs "${build_pkgs[@]}"
	make -s -j"$jobs" "$@"
}

# Run every unit test binary and bats file; print one closing line
# "N passed, N failed".  Binaries are taken from $IRKIT_BUILD/bin.
run_tests() {
	local builddir=$1 pass=0 fail=0 t out p f
	export IRKIT_BUILD="$top/$builddir" IRKIT_SRC="$top"
	for t in "$builddir"/tests/test_*; do
		[ -x "$t" ] || continue
		echo "== unit: ${t##*/}"
		if out=$("$t" 2>&1); then :; fi
		printf '%s\n' "$out" | grep -E '^\[ *(FAILED|ERROR) *\]|^\[  PASSED  \]' || true
		p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -1)
		f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -1)
		if [ -z "$p" ] && [ -z "$f" ]; then
			printf '%s\n' "$out" | tail -20
			f=1
		fi
		pass=$((pass + ${p:-0}))
		fail=$((fail + ${f:-0}))
	done
	local files=()
	if [ $# -gt 1 ]; then
		shift
		files=("$@")
	else
		for t in tests/e2e/*.bats; do [ -e "$t" ] && files+=("$t"); done
	fi
	if [ ${#files[@]} -gt 0 ]; then
		echo "== end-to-end: ${files[*]}"
		out=$(bats --tap "${files[@]}" 2>&1) || true
		printf '%s\n' "$out" | grep -vE '^ok ' || true
		p=$(printf '%s\n' "$out" | grep -cE '^ok ' || true)
		f=$(printf '%s\n' "$out" | grep -cE '^not ok ' || true)
		echo "   bats: $p ok, $f not ok"
		pass=$((pass + p))
		fail=$((fail + f))
	fi
	echo "$pass passed, $fail failed"
	[ "$fail" -eq 0 ]
}

cmd=${1:-build}
[ $# -gt 0 ] && shift
case "$cmd" in
build)
	build
	say "built build/bin/"
	;;
test)
	ensure_pkgs "${build_pkgs[@]}" "${test_pkgs[@]}"
	build
	run_tests build "$@"
	;;
asan)
	ensure_pkgs "${build_pkgs[@]}" "${test_pkgs[@]}"
	export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
	export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
	build BUILD=build-asan MODE=asan
	run_tests build-asan "$@"
	;;
fuzz)
	ensure_pkgs "${build_pkgs[@]}" "${test_pkgs[@]}"
	exec tests/fuzz/run.sh "${1:-30}"
	;;
bench)
	ensure_pkgs "${build_pkgs[@]}" "${test_pkgs[@]}"
	build
	for b in tests/bench/*.sh; do [ -e "$b" ] && bash "$b"; done
	;;
usb)
	ensure_pkgs "${build_pkgs[@]}"
	exec tests/../build-usb.sh 2>/dev/null || { say "usb kit: not available yet"; exit 3; }
	;;
triage)
	build
	ts=$(date -u +%Y%m%dT%H%M%SZ)
	dir="cases/$ts"
	mkdir -p "$dir"
	rc=0
	build/bin/irkit-collect -o "$dir" || rc=$?
	if [ "$rc" -ge 2 ]; then
		say "collection failed (exit $rc)"
		exit "$rc"
	fi
	say "evidence in $dir"
	;;
-h|--help|help)
	sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'
	;;
*)
	say "unknown command '$cmd' (see ./build.sh help)"
	exit 2
	;;
esac
