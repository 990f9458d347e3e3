#!/usr/bin/env bats
#
# Hostile evidence runs no other program: libarchive would decompress
# lrzip and grzip (and lzop, lz4, zstd... built without their library)
# by running "lrzip -d" etc. on the evidence's bytes.  Oracle: stand-in
# programs of those names first on PATH, which leave a mark when run.
load helpers

setup() {
	setup_scratch
	mkdir "$SCRATCH/bin"
	for p in lrzip grzip lzop lz4 zstd xz bzip2 gzip lzip lzma compress uudecode; do
		printf '#!/bin/sh\ntouch "%s/ran-%s"\ncat >/dev/null\n' \
			"$SCRATCH" "$p" >"$SCRATCH/bin/$p"
		chmod +x "$SCRATCH/bin/$p"
	done
	# the magic of each: lrzip, grzip
	printf 'LRZI\0\6\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0' >"$SCRATCH/e.lrz"
	printf 'GRZipII\0\2\4:)\0\0\0\0\0\0\0\0' >"$SCRATCH/e.grz"
}

teardown() {
	teardown_scratch
}

@test "ingest: an lrzip or grzip file runs no program; it is refused, exit 1" {
	for f in e.lrz e.grz; do
		PATH="$SCRATCH/bin:$PATH" run "$ANALYZE" ingest --db "$SCRATCH/c.db" \
			--no-default-rules -q "$SCRATCH/$f"
		echo "$output"
		[ "$status" -eq 1 ]
		[[ "$output" == *"'$SCRATCH/$f' is not an archive this program reads"* ]]
	done
	run ls "$SCRATCH"
	echo "$output"
	[[ "$output" != *ran-* ]]
	[ "$(sqlite3 "$SCRATCH/c.db" "select count(*) from evidence")" -eq 0 ]
}

@test "verify: an lrzip file runs no program; exit 1" {
	PATH="$SCRATCH/bin:$PATH" run "$ANALYZE" verify "$SCRATCH/e.lrz"
	echo "$output"
	[ "$status" -eq 1 ]
	run ls "$SCRATCH"
	[[ "$output" != *ran-* ]]
}

@test "ingest: tar.gz, tar.bz2, tar.xz, tar.lz4, tar.zst and zip made by bsdtar load in-process, every file" {
	mkdir -p "$SCRATCH/t/d"
	printf 'one\n' >"$SCRATCH/t/d/a"
	printf 'two\n' >"$SCRATCH/t/d/b"
	n=0
	for c in gz bz2 xz lz4 zst zip; do
		case $c in
		zip) opt="--format zip" ;;
		*) opt="-a" ;;
		esac
		f=$SCRATCH/e.$([ $c = zip ] && echo zip || echo "tar.$c")
		# shellcheck disable=SC2086
		(cd "$SCRATCH/t" && bsdtar $opt -cf "$f" d) || skip "bsdtar cannot write $c"
		PATH="$SCRATCH/bin:$PATH" run "$ANALYZE" ingest --db "$SCRATCH/c.db" \
			--no-default-rules -q "$f"
		echo "$c: $output"
		[ "$status" -eq 0 ]
		n=$((n + 1))
		# the oracle: bsdtar's own listing of the regular files
		want=$(bsdtar -tvf "$f" | grep -c '^-')
		got=$(sqlite3 "$SCRATCH/c.db" "select count(*) from files f join evidence e on e.id = f.evidence_id where e.path like '%e.$([ $c = zip ] && echo zip || echo "tar.$c")' and f.skipped_reason is null")
		[ "$got" -eq "$want" ]
	done
	run ls "$SCRATCH"
	[[ "$output" != *ran-* ]]
}
