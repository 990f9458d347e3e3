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
