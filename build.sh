#!/usr/bin/env bash
# build.sh - the one entry point for irkit.
#
#   ./build.sh            check dependencies, build into build/
#   ./build.sh test       build and run every test (unit, end-to-end)
#   ./build.sh asan       the same under AddressSanitizer + UBSan
#   ./build.sh fuzz [S [NAME...]]  build the libFuzzer harnesses (or the
#                         NAMEs), run each S seconds (docs/security.md)
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
	libtsk-dev libewf-dev libregf-dev libbfio-dev zlib1g-dev
	librpm-dev libevtx-dev libscca-dev
	libfwnt-dev libsystemd-dev libvshadow-dev)
test_pkgs=(libcmocka-dev bats clang libclang-rt-14-dev yara sqlite3
	sleuthkit ewf-tools libregf-utils libhivex-bin mtools dosfstools
	ntfs-3g fdisk e2fsprogs procps zstd xz-utils python3 openssl
	openssh-client systemd util-linux file chromium time iproute2
	p7zip-full libarchive-tools zip zsh fish kmod sudo debsums strace
	rpm libevtx-utils python3-evtx libscca-utils regripper
	systemd-journal-remote auditd libvshadow-utils valgrind slurm-wlm munge
	parallel rsync db5.3-util)

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

# The default make goal (what triage, usb and a plain build run) must
# need only the build packages: nothing under tests/ (cmocka is a test
# package).  CI's machine has every package, so only this check can see
# a default goal that drifted.
check_default_goal() {
	local t
	t=$(mktemp -d)
	if make -n -B BUILD="$t/b" 2>/dev/null | grep -E '(^|[ /])tests/' >&2; then
		rm -rf "$t"
		say "the default make goal builds something under tests/ (see above):"
		say "a fresh machine without the test packages cannot run triage"
		return 1
	fi
	rm -rf "$t"
}

# The fake-root suites again on fs_host's walk for kernels without
# openat2 (IRKIT_FS_NO_OPENAT2=1, docs/collect.md); about 15 s.
# certificates.bats (about 40 s) is left to a run by hand.
fs_walk_tests() {
	local walk=() t
	for t in "$@"; do
		case ${t##*/} in
		services.bats|tasks.bats|timers.bats) walk+=("$t") ;;
		esac
	done
	[ ${#walk[@]} -gt 0 ] || return 0
	IRKIT_FS_NO_OPENAT2=1 run_bats "end-to-end, IRKIT_FS_NO_OPENAT2=1" \
	    "${walk[@]}"
}

# Run bats files, show what did not pass, add to the caller's pass, fail.
run_bats() {
	local label=$1 out p f
	shift
	echo "== $label: $*"
	out=$(bats --tap "$@" 2>&1) || true
	printf '%s\n' "$out" | grep -vE '^ok ' || true
	p=$(printf '%s\n' "$out" | grep -cE '^ok ' || true)
	f=$(printf '%s\n' "$out" | grep -cE '^not ok ' || true)
	echo "   bats: $p ok, $f not ok"
	pass=$((pass + p))
	fail=$((fail + f))
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
		run_bats end-to-end "${files[@]}"
		fs_walk_tests "${files[@]}"
	fi
	echo "$pass passed, $fail failed"
	[ "$fail" -eq 0 ]
}

# The portable kit: a fully static irkit-collect (static glibc and every
# library libarchive needs), a responder's README, SHA256SUMS, and a
# tarball of the folder, all under dist/ ($IRKIT_DIST; the static objects
# go to build-static/, $IRKIT_STATIC_BUILD: the tests point both away).
make_usb() {
	local ver kit dir libs dist=${IRKIT_DIST:-dist} sb=${IRKIT_STATIC_BUILD:-build-static}
	ver=$(sed -n 's/^#define IRK_VERSION "\(.*\)"/\1/p' include/irkit/version.h)
	kit="irkit-usb-$ver-$(uname -m)"
	dir="$dist/$kit"
	libs=$(pkg-config --static --libs libarchive jansson libcrypto sqlite3)
	# libarchive's format table pulls in its xar writer, hence libxml2
	# and ICU; --gc-sections drops what is never called.
	libs="$libs $(pkg-config --static --libs libxml-2.0) -lstdc++ -lm"
	mkdir -p "$sb"
	CFLAGS="-O2 -ffunction-sections -fdata-sections" \
	LDFLAGS="-static -Wl,--gc-sections -s" \
		make -s -j"$jobs" BUILD="$sb" MODE=release LIBS="$libs" \
		"$sb/bin/irkit-collect" 2> "$sb/link.log" || {
		cat "$sb/link.log" >&2
		say "static build failed"
		exit 3
	}
	# the only static-glibc warnings allowed: libcrypto's dlopen (never
	# called: no config, no engines) and libxml2's nanohttp resolver
	if grep "statically linked" "$sb/link.log" |
		grep -vE "'(dlopen|getaddrinfo|gethostbyname)'" >&2; then
		say "static build uses NSS or other dynamic glibc parts"
		exit 3
	fi
	rm -rf "$dir" "$dist/$kit.tar.gz"
	mkdir -p "$dir"
	install -m 0755 "$sb/bin/irkit-collect" "$dir/irkit-collect"
	sed "s/@VERSION@/$ver/g" docs/usb-README.txt > "$dir/README.txt"
	(cd "$dir" && sha256sum irkit-collect README.txt > SHA256SUMS)
	tar -C "$dist" --owner=0 --group=0 --numeric-owner -czf "$dist/$kit.tar.gz" "$kit"
	(cd "$dist" && sha256sum "$kit.tar.gz" > "$kit.tar.gz.sha256")
	say "kit in $dir ($(stat -c %s "$dir/irkit-collect") bytes) and $dist/$kit.tar.gz"
}

# triage: collect this host with every collector, ingest it with the
# bundled rules, write report.html and timeline.csv under
# cases/<UTC timestamp>/ and print a summary.  Exit 0 unless a step
# really failed (a partial collection is reported, not fatal).
triage_summary() {
	local db=$1 archive=$2 label n top
	local an="${bin:-build/bin}/irkit-analyze"
	# irkit-analyze alone: a fresh machine has no sqlite3 program
	echo
	echo "== counts"
	# the kinds of rows (the record types among them) from the analyzer
	"$an" counts --db "$db" 2>/dev/null |
		while IFS=$'\t' read -r label n; do
			printf '  %-14s %s\n' "$label" "$n"
		done
	echo "== integrity"
	"$an" verify "$archive" 2>&1 | sed 's/^/  /' || true
	echo "== top findings (score, host, title, evidence)"
	top=$("$an" findings --db "$db" 2>/dev/null | sed -n '2,11s/^/  /p' || true)
	if [ -n "$top" ]; then printf '%s\n' "$top"; else echo "  none"; fi
}

triage() {
	build
	local ts dir crc=0 irc=0 archive bin=build/bin
	ts=$(date -u +%Y%m%dT%H%M%SZ)
	dir="${IRKIT_CASES:-cases}/$ts"	# IRKIT_CASES: elsewhere (tests)
	mkdir -p "$dir"
	say "collecting this host into $dir/ (every collector)"
	[ "$(id -u)" -ne 0 ] && say "not root: much of the host will be unreadable (run as root)"
	# irkit's own checkout (its test fixtures: certificates, keys) is
	# not part of the host's story; the archive's log names it
	say "not examined: this irkit checkout ($PWD)"
	"$bin/irkit-collect" -o "$dir" --case "triage-$ts" --exclude "$PWD" || crc=$?
	case $crc in
	0) ;;
	1) say "collection partial: some things could not be read (see the report's problems section)" ;;
	*) say "collection failed (irkit-collect exit $crc)"; exit 3 ;;
	esac
	archive=$(ls "$dir"/irkit-*.tar* 2>/dev/null | grep -v '\.sha256$' | head -1 || true)
	if [ -z "$archive" ]; then
		say "no evidence archive in $dir"
		exit 3
	fi
	say "ingesting $archive with the bundled rules"
	"$bin/irkit-analyze" ingest --db "$dir/case.db" "$archive" || irc=$?
	case $irc in
	0) ;;
	1) say "ingest done, but something could not be read (see the report)" ;;
	*) say "ingest failed (exit $irc)"; exit 3 ;;
	esac
	"$bin/irkit-analyze" report --db "$dir/case.db" -o "$dir/report.html" ||
		{ say "report failed"; exit 3; }
	"$bin/irkit-analyze" export --db "$dir/case.db" --format timesketch-csv \
		-o "$dir/timeline.csv" || { say "timeline export failed"; exit 3; }
	triage_summary "$dir/case.db" "$archive"
	local abs
	abs=$(cd "$dir" && pwd)
	echo "== files"
	echo "  evidence:  $abs/${archive##*/}"
	echo "  database:  $abs/case.db"
	echo "  report:    $abs/report.html   (open in a browser: file://$abs/report.html)"
	echo "  timeline:  $abs/timeline.csv  (Timesketch CSV; Timeline Explorer, LibreOffice)"
	[ "$crc" -eq 0 ] || echo "  note: the collection was partial (irkit-collect exit $crc)"
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
	check_default_goal
	build all units
	run_tests build "$@"
	;;
asan)
	ensure_pkgs "${build_pkgs[@]}" "${test_pkgs[@]}"
	# full stacks for leaks: a library built without frame pointers
	# (SQLite) cuts the fast unwinder's, and tests/lsan.supp names the
	# caller above it (librpm's rpmtsOpenDB)
	export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:fast_unwind_on_malloc=0
	export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
	export LSAN_OPTIONS="suppressions=$top/tests/lsan.supp:print_suppressions=0"
	# the tests that bound memory skip only that bound (the sanitizers'
	# shadow and quarantine are not irkit's), and build with MODE=asan
	export IRK_ASAN=1
	build BUILD=build-asan MODE=asan all units
	run_tests build-asan "$@"
	;;
fuzz)
	ensure_pkgs "${build_pkgs[@]}" "${test_pkgs[@]}"
	exec tests/fuzz/run.sh "${1:-30}" "${@:2}"
	;;
bench)
	ensure_pkgs "${build_pkgs[@]}" "${test_pkgs[@]}"
	build
	for b in tests/bench/*.sh; do [ -e "$b" ] && bash "$b"; done
	;;
usb)
	ensure_pkgs "${build_pkgs[@]}"
	make_usb
	;;
triage)
	triage
	;;
-h|--help|help)
	sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'
	;;
*)
	say "unknown command '$cmd' (see ./build.sh help)"
	exit 2
	;;
esac
