#!/usr/bin/env bats
# The certificates collector's cheap first look (docs/certificates.md,
# "Where it looks"): content decides, never the name; text is searched
# for PEM armour up to the 4 MB cap; memory stays bounded whatever the
# number of certificates.  Oracles: openssl, GNU time.

load helpers

setup() {
	setup_scratch
	W=$SCRATCH/work
	R=$SCRATCH/root
	mkdir -p "$W" "$R/srv/sniff" "$R/srv/no"
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$W/k.pem" \
		-out "$W/c.pem" -days 30 -subj /CN=sniff.test 2>/dev/null
}
teardown() { teardown_scratch; }

collect() {	# collect the certificates of $R into $SCRATCH/x
	mkdir -p "$SCRATCH/out" "$SCRATCH/x"
	run /usr/bin/time -f '%M' -o "$SCRATCH/rss" "$COLLECT" -q -o "$SCRATCH/out" \
		--root "$R" --only certificates "$@"
	[ "$status" -eq 0 ]
	tar --zstd -xf "$(archive_in "$SCRATCH/out")" -C "$SCRATCH/x"
	TOP=$(ls -d "$SCRATCH"/x/irkit-*)
}

# paths of the records of type $1, sorted
paths() {
	python3 - "$TOP/records" "$1" <<'PY'
import glob, json, sys
rs = [json.loads(l) for f in sorted(glob.glob(sys.argv[1] + "/certificates*.jsonl")) for l in open(f)]
print("\n".join(sorted(r["path"] for r in rs if r["type"] == sys.argv[2])))
PY
}

text() {	# text N: N bytes of printable lines
	python3 -c "import sys; n=int(sys.argv[1]); l=b'# configuration text, no armour here\n'; sys.stdout.buffer.write((l*(n//len(l)+1))[:n])" "$1"
}

@test "a key named .pyc, a DER certificate with no extension, PEM after text at any offset under the cap are found" {
	cp "$W/k.pem" "$R/srv/sniff/x.pyc"
	openssl x509 -in "$W/c.pem" -outform DER -out "$R/srv/sniff/noext"
	{ text 10240; cat "$W/c.pem"; } > "$R/srv/sniff/after-10k.txt"
	# the armour straddles the first 4 KB read, then a 64 KB chunk
	{ text 4090; cat "$W/c.pem"; } > "$R/srv/sniff/straddle-4k"
	{ text $((4096 + 65536 - 14 - 5)); cat "$W/c.pem"; } > "$R/srv/sniff/straddle-chunk"
	{ text $((4 * 1024 * 1024 - 4000)); cat "$W/k.pem"; } > "$R/srv/sniff/key-at-4mb.log"
	# must not be found: over the cap, and text after a NUL in the first 512 bytes
	{ text $((4 * 1024 * 1024)); cat "$W/c.pem"; } > "$R/srv/no/over-cap.txt"
	{ printf 'bin\0ary'; text 100; cat "$W/c.pem"; } > "$R/srv/no/binary-head"
	collect --cert-path /srv
	run paths certificate
	[ "$output" = "$(printf '%s\n' /srv/sniff/after-10k.txt /srv/sniff/noext /srv/sniff/straddle-4k /srv/sniff/straddle-chunk)" ]
	run paths private_key
	[ "$output" = "$(printf '%s\n' /srv/sniff/key-at-4mb.log /srv/sniff/x.pyc)" ]
	# the oracle: the same certificate and key as openssl sees them
	want=$(openssl x509 -in "$W/c.pem" -outform DER | sha256sum | cut -d' ' -f1)
	spki=$(openssl pkey -in "$W/k.pem" -pubout -outform DER | sha256sum | cut -d' ' -f1)
	python3 - "$TOP/records/certificates.jsonl" "$want" "$spki" <<'PY'
import json, sys
rs = [json.loads(l) for l in open(sys.argv[1])]
for r in rs:
    if r["type"] == "file":
        continue
    if r["type"] == "certificate":
        assert r["sha256"] == sys.argv[2], r
        assert r["private_key_path"] == "/srv/sniff/key-at-4mb.log" or r["private_key_path"] == "/srv/sniff/x.pyc", r
    assert r["public_sha256"] == sys.argv[3], r
PY
	grep '/srv/no/over-cap.txt' "$TOP/log.jsonl" | grep -q 'not examined: 419[0-9]* bytes, over the 4 MB cap'
	! grep -q '/srv/no/binary-head' "$TOP/records/certificates.jsonl" || false
}

@test "6,000 certificates in 1,500 files: under 32 MB peak, every link right" {
	cat "$W/c.pem" "$W/c.pem" "$W/c.pem" "$W/c.pem" > "$W/b.pem"
	python3 - "$W/b.pem" "$R/srv/many" <<'PY'
import os, sys
b = open(sys.argv[1], "rb").read()
os.makedirs(sys.argv[2])
for i in range(1500):
    with open(f"{sys.argv[2]}/{i}.crt", "wb") as f:
        f.write(b)
PY
	cp "$W/k.pem" "$R/srv/many/the.key"
	collect --cert-path /srv/many
	rss=$(cat "$SCRATCH/rss")
	echo "peak RSS $rss KB"
	# under AddressSanitizer (build.sh asan) the bound is not irkit's
	[ -n "${IRK_ASAN:-}" ] || [ "$rss" -le 32768 ]
	python3 - "$TOP/records" <<'PY'
import glob, json, sys
rs = [json.loads(l) for f in glob.glob(sys.argv[1] + "/certificates*.jsonl") for l in open(f)]
rs = [r for r in rs if r["type"] != "file"]
certs = [r for r in rs if r["type"] == "certificate"]
keys = [r for r in rs if r["type"] == "private_key"]
assert len(certs) == 6000 and len(keys) == 1, (len(certs), len(keys))
assert len({(r["path"], r["index"]) for r in certs}) == 6000
assert all(r["private_key_path"] == "/srv/many/the.key" for r in certs)
assert keys[0]["certificate_path"].startswith("/srv/many/") and keys[0]["certificate_path"].endswith(".crt")
PY
}
