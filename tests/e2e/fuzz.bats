#!/usr/bin/env bats
# Every libFuzzer harness builds and survives a short run from its seeds.
load helpers

@test "fuzz harnesses build and run 5 s each without a crash" {
	cd "$IRKIT_SRC"
	run tests/fuzz/run.sh 5
	echo "$output"
	[ "$status" -eq 0 ]
}

@test "every seed fits its harness's max_len (libFuzzer would cut it short)" {
	cd "$IRKIT_SRC"
	bad=0
	for h in tests/fuzz/fuzz_*.c; do
		name=$(basename "$h" .c)
		max=$(sed -n 's/^ \* max_len: \([0-9]*\)$/\1/p' "$h" | head -1)
		[ -d "tests/fuzz/corpus/$name" ] || continue
		while read -r size f; do
			if [ "$size" -gt "${max:-65536}" ]; then
				echo "$f: $size bytes over max_len ${max:-65536}"
				bad=1
			fi
		done < <(find "tests/fuzz/corpus/$name" -type f -printf '%s %p\n')
	done
	[ "$bad" -eq 0 ]
}

@test "the harnesses leave no file behind (their folder is removed)" {
	cd "$IRKIT_SRC"
	export TMPDIR=$BATS_TEST_TMPDIR
	run tests/fuzz/run.sh 1 fuzz_hostinfo fuzz_evidence_read
	echo "$output"
	[ "$status" -eq 0 ]
	run find "$BATS_TEST_TMPDIR" -mindepth 1
	echo "$output"
	[ -z "$output" ]
}
