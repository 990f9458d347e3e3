#!/usr/bin/env bats
# ./build.sh usb: a fully static irkit-collect that runs with an empty
# environment, its README, SHA256SUMS and tarball.  Built away from the
# source tree (IRKIT_DIST, IRKIT_STATIC_BUILD).

load helpers

setup() { setup_scratch; }
teardown() { teardown_scratch; }

static_possible() {
	local d
	d=$(gcc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)
	for l in c archive zstd lzma bz2 lz4 z crypto jansson acl xml2 nettle; do
		[ -e "/usr/lib/$d/lib$l.a" ] || return 1
	done
}

@test "usb kit: static, runs under env -i, collects, sums verify" {
	static_possible || skip "static libraries are not installed"
	IRKIT_DIST="$SCRATCH/dist" IRKIT_STATIC_BUILD="$SCRATCH/bs" \
		"$IRKIT_SRC/build.sh" usb
	kit=$(ls -d "$SCRATCH"/dist/irkit-usb-*-x86_64)
	[ -x "$kit/irkit-collect" ]
	[ -s "$kit/README.txt" ]
	(cd "$kit" && sha256sum -c SHA256SUMS)
	(cd "$SCRATCH/dist" && sha256sum -c ./*.tar.gz.sha256)
	tar -tzf "$kit.tar.gz" | grep -qx "${kit##*/}/irkit-collect"
	file "$kit/irkit-collect" | grep -q 'statically linked'
	# no NSS in the binary: only libcrypto's dlopen and libxml2's
	# (never called) resolver are allowed in the link warnings
	! grep 'statically linked' "$SCRATCH/bs/link.log" |
		grep -vE "'(dlopen|getaddrinfo|gethostbyname)'" || false
	size=$(stat -c %s "$kit/irkit-collect")
	[ "$size" -lt $((8 * 1024 * 1024)) ]
	run env -i "$kit/irkit-collect" --version
	[ "$status" -eq 0 ]
	[[ "$output" == "irkit-collect "* ]]
	mkdir "$SCRATCH/out"
	run env -i "$kit/irkit-collect" -q -o "$SCRATCH/out" --only processes
	[ "$status" -eq 0 ]
	a=$(archive_in "$SCRATCH/out")
	(cd "$SCRATCH/out" && sha256sum -c "${a##*/}.sha256")
	tar --zstd -xOf "$a" --wildcards '*/records/processes.jsonl' | grep -q '"type":"process"'
	# the manifest names the static binary's own hash
	want=$(sha256sum "$kit/irkit-collect" | cut -d' ' -f1)
	tar --zstd -xOf "$a" --wildcards '*/manifest.json' | grep -Eq "\"sha256\": ?\"$want\""
}
