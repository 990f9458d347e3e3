#!/usr/bin/env bats
#
# The record registry (analyzer/records/): its contract against what the
# collectors really write, and `irkit-analyze counts`.
#
# The contract's checks live in the unit test build/tests/test_records
# (declared columns exist in a fresh case, identity keys, docs); here it
# is also given the records the collectors wrote over the test roots
# (tests/data/roots, a fake /proc, a certificate root) and over a test
# disk image (the Windows collectors), and must find every key of every
# record declared or listed as not stored.  Oracle for counts: sqlite3.
load helpers

setup_file() {
	FX=$(mktemp -d "${BATS_TMPDIR:-/tmp}/irkit-reg.XXXXXX")
	export FX
	local r=$FX/proc p
	# a fake /proc: a process with a socket, one without an owner
	mkdir -p "$r/etc" "$r/usr/bin" "$r/proc/net" "$r/proc/sys/kernel"
	printf 'root:x:0:0:root:/root:/bin/sh\n' > "$r/etc/passwd"
	printf 'cpu  1 2 3\nbtime 1700000000\n' > "$r/proc/stat"
	p=$r/proc/10
	mkdir -p "$p/fd" "$p/ns"
	echo '10 (foo) S 1 10 10 34817 10 4194304 0 0 0 0 250 50 0 0 20 0 2 0 500 4096000 300 0' > "$p/stat"
	printf 'Name:\tfoo\nTgid:\t10\nPid:\t10\nPPid:\t1\nUid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\nThreads:\t1\n' > "$p/status"
	printf '/usr/bin/foo\0--serve\0' > "$p/cmdline"
	printf 'x\n' > "$r/usr/bin/foo"
	ln -s /usr/bin/foo "$p/exe"
	ln -s / "$p/cwd"
	ln -s / "$p/root"
	ln -s 'socket:[5555]' "$p/fd/3"
	ln -s 'net:[4026531840]' "$p/ns/net"
	{
		echo '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode'
		echo '   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 5555 1 0000000000000000 100 0 0 10 0'
		echo '   1: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 7777 1 0000000000000000 100 0 0 10 0'
	} > "$r/proc/net/tcp"
	printf 'nf_tables 294912 1 nft_compat, Live 0x0000000000000000\nevil 4096 0 - Live 0xffffffffc0900000 (OE)\n' > "$r/proc/modules"
	echo 12288 > "$r/proc/sys/kernel/tainted"
	"$IRKIT_SRC"/tests/gen/cert_fixtures.sh "$FX/cert" >/dev/null 2>&1
	mkdir -p "$FX/out" "$FX/img"
	local root
	for root in "$IRKIT_SRC"/tests/data/roots/* "$FX/proc" "$FX/cert/root"; do
		"$COLLECT" -q -o "$FX/out/$(basename "$(dirname "$root")")-$(basename "$root").tar.zst" \
			--root "$root" --with filesystem >/dev/null 2>&1 || true
	done
	: > "$FX/records.jsonl"
	for a in "$FX"/out/*.tar.zst; do
		tar --zstd -xOf "$a" --wildcards '*/records/*.jsonl' >> "$FX/records.jsonl"
	done
	# the Windows collectors run on an image's NTFS root
	"$IRKIT_SRC"/tests/gen/make_images.sh "$FX/img" >"$FX/img/gen.log" 2>&1 || true
	if [ -f "$FX/img/ntfs.raw" ]; then
		"$ANALYZE" image -q --db "$FX/img.db" --no-scan "$FX/img/ntfs.raw" >/dev/null 2>&1 || true
		local t
		for t in services tasks certificates; do
			sqlite3 "$FX/img.db" "SELECT record FROM $t" >> "$FX/records.jsonl"
		done
	fi
}

teardown_file() {
	[ -n "${FX:-}" ] && rm -rf "$FX"
}

setup() {
	setup_scratch
}

teardown() {
	teardown_scratch
}

@test "contract: every key the collectors write over the test roots and an image is declared" {
	# what the collection holds: every record type the collectors write
	for t in process socket service task certificate private_key file kernel_module \
	    history_command history_file preload; do
		grep -q "\"type\":\"$t\"" "$FX/records.jsonl" || { echo "no $t record"; false; }
	done
	[ -f "$FX/img/ntfs.raw" ] || skip "no NTFS test image (ntfs-3g cannot mount here)"
	# the Windows collectors' records are among them
	grep '"type":"service"' "$FX/records.jsonl" | grep -q '"kind":"windows"'
	grep -q '"kind":"windows-task"' "$FX/records.jsonl"
	grep -q '"store":"ROOT"' "$FX/records.jsonl"
	run env IRKIT_TEST_RECORDS="$FX/records.jsonl" "$IRKIT_BUILD/tests/test_records"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"[       OK ] test_collected_keys_are_declared"* ]]
	[[ "$output" != *SKIPPED* ]]
}

@test "contract: a key no declaration names, or a type the registry lacks, fails it" {
	head -50 "$FX/records.jsonl" > "$SCRATCH/r.jsonl"
	echo '{"type":"process","pid":1,"brand_new_key":1}' >> "$SCRATCH/r.jsonl"
	echo '{"type":"service","name":"x","exec_start":[["/a"]],"sockets":[{"proto":"tcp","fresh_socket_key":2}]}' >> "$SCRATCH/r.jsonl"
	echo '{"type":"process","pid":2,"sockets":[{"proto":"tcp","fresh_socket_key":2}]}' >> "$SCRATCH/r.jsonl"
	echo '{"type":"no_such_type"}' >> "$SCRATCH/r.jsonl"
	run env IRKIT_TEST_RECORDS="$SCRATCH/r.jsonl" "$IRKIT_BUILD/tests/test_records"
	echo "$output"
	[ "$status" -ne 0 ]
	[[ "$output" == *"process: key 'brand_new_key' is neither declared"* ]]
	# a service has no child sockets: its "sockets" key is undeclared
	[[ "$output" == *"service: key 'sockets' is neither declared"* ]]
	# a process's sockets are checked as socket rows
	[[ "$output" == *"socket: key 'fresh_socket_key' is neither declared"* ]]
	[[ "$output" == *"type 'no_such_type' is not in the registry"* ]]
	[[ "$output" == *"FAILED  ] test_collected_keys_are_declared"* ]]
}

@test "counts: the rows of a case by kind, as sqlite3 counts them" {
	cd "$SCRATCH"
	"$ANALYZE" ingest -q --db c.db --no-default-rules "$FX"/out/*.tar.zst
	run "$ANALYZE" counts --db c.db
	echo "$output"
	[ "$status" -eq 0 ]
	want=""
	for pair in evidence:evidence processes:processes services:services \
	    tasks:tasks sockets:sockets certificates:certificates \
	    "private keys:private_keys" files:files \
	    "kernel modules:kernel_modules" accounts:accounts \
	    "SSH keys:ssh_keys" "sudo rules:sudo_rules" "login records:logins" \
	    "package files:package_files" "event records:win_events" \
	    events:events "YARA matches:yara_matches" \
	    "IOC hits:ioc_hits" findings:findings; do
		want+="${pair%%:*}	$(sqlite3 c.db "SELECT count(*) FROM ${pair#*:}")"$'\n'
	done
	[ "$output" = "${want%$'\n'}" ]
	# records of every counted kind are there
	[ "$(sqlite3 c.db 'SELECT count(*) FROM processes')" -gt 0 ]
	[ "$(sqlite3 c.db 'SELECT count(*) FROM private_keys')" -gt 0 ]
	[ "$(sqlite3 c.db 'SELECT count(*) FROM tasks')" -gt 0 ]
}

@test "counts: a missing case is fatal, a stray argument is usage" {
	cd "$SCRATCH"
	run "$ANALYZE" counts --db nothing.db
	echo "$output"
	[ "$status" -eq 3 ]
	[ ! -e nothing.db ]
	run "$ANALYZE" counts --db x.db extra
	[ "$status" -eq 2 ]
	[[ "$output" == *"irkit-analyze counts: unexpected argument 'extra'"* ]]
	run "$ANALYZE" counts --bogus
	[ "$status" -eq 2 ]
}
