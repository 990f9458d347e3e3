# helpers.bash - shared by the bats files: where the binaries are, and a
# scratch directory per test.
IRKIT_SRC=${IRKIT_SRC:-$(cd "$BATS_TEST_DIRNAME/../.." && pwd)}
IRKIT_BUILD=${IRKIT_BUILD:-$IRKIT_SRC/build}
COLLECT=$IRKIT_BUILD/bin/irkit-collect
ANALYZE=$IRKIT_BUILD/bin/irkit-analyze

setup_scratch() {
	SCRATCH=$(mktemp -d "${BATS_TMPDIR:-/tmp}/irkit.XXXXXX")
}

teardown_scratch() {
	[ -n "${SCRATCH:-}" ] && rm -rf "$SCRATCH"
}

# The one archive in $1 (a directory).
archive_in() {
	ls "$1"/irkit-*.tar* | grep -v '\.sha256$' | head -1
}

# no_raw_controls FILE: no raw ESC, BEL, C1 CSI (0x9b) or 0xff byte in
# FILE (evidence text reached the terminal escaped)
no_raw_controls() {
	python3 - "$1" <<'PY'
import sys
b = open(sys.argv[1], "rb").read()
for c in (0x1b, 0x07, 0x9b, 0xff):
    assert bytes([c]) not in b, (hex(c), b[:400])
PY
}

# full_fs DIR SIZE: a tmpfs of SIZE (e.g. 768k) on DIR, to fill (root only:
# the test is skipped otherwise); full_fs_gone DIR unmounts it.
full_fs() {
	[ "$(id -u)" -eq 0 ] || skip "mounting a tmpfs needs root"
	mkdir -p "$1"
	mount -t tmpfs -o "size=$2" tmpfs "$1" || skip "cannot mount a tmpfs"
}

full_fs_gone() {
	if mountpoint -q "$1" 2>/dev/null; then
		umount "$1"
	fi
}

# no_raw_bidi FILE: no raw Unicode bidirectional control (U+061C, U+200E,
# U+200F, U+202A..U+202E, U+2066..U+2069) in FILE: a name cannot display
# reversed
no_raw_bidi() {
	python3 - "$1" <<'PY'
import re, sys
t = open(sys.argv[1], "rb").read().decode("utf-8", "replace")
raw = re.findall("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]", t)
assert not raw, ([hex(ord(c)) for c in raw], t[:400])
PY
}

# Headless Chromium (an independent HTML/SVG engine) with a scratch profile.
chrome() {
	timeout 90 chromium --headless --no-sandbox --disable-gpu --disable-quic \
		--no-first-run --disable-background-networking \
		--disable-component-update --disable-sync \
		--user-data-dir="$(mktemp -d "$SCRATCH/chrome.XXXXXX")" "$@" 2>/dev/null
}

# linux_image ROOT DB: ROOT (a Linux root: etc/, usr/) as an ext4 image
# $SCRATCH/r.raw, loaded into DB with image --no-scan
linux_image() {
	command -v mkfs.ext4 >/dev/null || skip "no mkfs.ext4"
	rm -f "$SCRATCH/r.raw"
	mkfs.ext4 -q -F -d "$1" "$SCRATCH/r.raw" 64M
	run "$ANALYZE" image -q --no-scan --db "$2" "$SCRATCH/r.raw"
	echo "$output"
	[ "$status" -le 1 ]
}
