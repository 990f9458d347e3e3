#!/usr/bin/env bats
# Every libFuzzer harness builds and survives a short run from its seeds.
load helpers

@test "fuzz harnesses build and run 5 s each without a crash" {
	cd "$IRKIT_SRC"
	run tests/fuzz/run.sh 5
	echo "$output"
	[ "$status" -eq 0 ]
}
