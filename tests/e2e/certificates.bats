#!/usr/bin/env bats
# The certificates collector on a fake root whose certificates and keys
# are made at test time with openssl and ssh-keygen; every field is
# compared with what openssl (or ssh-keygen) prints for the same file.

load helpers

setup_file() {
	export FX
	FX=$(mktemp -d "${BATS_TMPDIR:-/tmp}/irkit-certs.XXXXXX")
	"$IRKIT_SRC"/tests/gen/cert_fixtures.sh "$FX"
	mkdir "$FX/out"
	"$COLLECT" -q -o "$FX/out" --root "$FX/root" --only certificates
	a=$(ls "$FX"/out/irkit-*.tar.zst)
	mkdir "$FX/x"
	tar --zstd -xf "$a" -C "$FX/x" 2>/dev/null
	export TOP
	TOP=$(ls -d "$FX"/x/irkit-*)
}

teardown_file() {
	[ -n "${FX:-}" ] && rm -rf "$FX"
}

setup() { setup_scratch; }
teardown() { teardown_scratch; }

# jq-less record query: q PYTHON-EXPRESSION over the list "rs"
q() {
	python3 -c "
import json, sys
rs = [json.loads(l) for l in open('$TOP/records/certificates.jsonl')]
def one(t, p, i=None):
    m = [r for r in rs if r['type'] == t and r['path'] == p and (i is None or r['index'] == i)]
    assert len(m) == 1, (t, p, i, len(m))
    return m[0]
print($1)"
}

spki_sha256() {	# a PEM public key on stdin
	openssl pkey -pubin -outform DER | sha256sum | cut -d' ' -f1
}

@test "every certificate field matches openssl x509" {
	python3 "$IRKIT_SRC"/tests/e2e/cert_oracle.py "$TOP/records/certificates.jsonl" "$FX/root" \
		/etc/ssl/certs/ca-certificates.crt:0 /etc/ssl/certs/ca-certificates.crt:1 \
		/srv/app/server.crt /opt/sign/signing.pem /srv/old/expired.pem \
		/srv/old/combined.pem:1 /var/lib/x/server.der \
		/usr/share/ca-certificates/mozilla/Shipped_Root.crt
}

@test "code signing, CA, expired and SAN facts" {
	[ "$(q "one('certificate', '/opt/sign/signing.pem')['ext_key_usage']")" = "['codeSigning']" ]
	[ "$(q "one('certificate', '/etc/ssl/certs/ca-certificates.crt', 1)['is_ca']")" = True ]
	[ "$(q "one('certificate', '/srv/app/server.crt')['is_ca']")" = False ]
	[ "$(q "one('certificate', '/srv/old/expired.pem')['expired']")" = True ]
	[ "$(q "one('certificate', '/srv/old/expired.pem')['not_after']")" = 2021-01-01T00:00:00.000000Z ]
	[ "$(q "one('certificate', '/srv/app/server.crt')['expired']")" = False ]
	[ "$(q "' '.join(one('certificate', '/srv/app/server.crt')['san'])")" = \
		"DNS:www.example.test DNS:*.example.test IP:192.0.2.7 email:ops@example.test" ]
	[ "$(q "one('certificate', '/etc/ssl/certs/ca-certificates.crt', 1)['self_signed']")" = True ]
	[ "$(q "one('certificate', '/srv/app/server.crt')['self_signed']")" = False ]
}

@test "trust store and distribution facts: an unshipped trusted root stands out" {
	[ "$(q "[r['subject'] for r in rs if r['type'] == 'certificate' and r['in_trust_store'] and not r['shipped_by_os']][0]")" = "CN=Evil Root CA,O=Evil Corp,C=XX" ]
	[ "$(q "one('certificate', '/usr/share/ca-certificates/mozilla/Shipped_Root.crt')['in_trust_store']")" = True ]
	[ "$(q "one('certificate', '/usr/share/ca-certificates/mozilla/Shipped_Root.crt')['shipped_by_os']")" = True ]
	[ "$(q "one('certificate', '/srv/app/server.crt')['in_trust_store']")" = False ]
	# the CA inside the PKCS#12 is the same certificate: trusted too
	[ "$(q "one('certificate', '/home/alice/open.p12', 1)['in_trust_store']")" = True ]
}

@test "keys and certificates are linked by public key, whatever the names" {
	[ "$(q "one('certificate', '/opt/sign/signing.pem')['private_key_path']")" = /opt/sign/keys/blob.bin ]
	[ "$(q "one('private_key', '/opt/sign/keys/blob.bin')['certificate_path']")" = /opt/sign/signing.pem ]
	[ "$(q "one('certificate', '/srv/app/server.crt')['private_key_path']")" = /srv/app/server.key ]
	[ "$(q "one('private_key', '/srv/app/server.key')['certificate_path']")" = /srv/app/server.crt ]
	[ "$(q "one('certificate', '/srv/old/expired.pem')['private_key_path']")" = /srv/old/combined.pem ]
	[ "$(q "one('certificate', '/etc/ssl/certs/ca-certificates.crt', 1)['private_key_path']")" = None ]
	[ "$(q "one('private_key', '/home/alice/.ssh/id_rsa')['certificate_path']")" = None ]
}

@test "private keys: format, type, bits, encryption and fingerprint match openssl and ssh-keygen" {
	r=$FX/root
	for k in /srv/app/server.key:pkcs8:rsa /opt/sign/keys/blob.bin:pkcs1:rsa \
		/etc/ssl/private/ec.key:sec1:ec; do
		IFS=: read -r p fmt type <<< "$k"
		[ "$(q "one('private_key', '$p')['format']")" = "$fmt" ]
		[ "$(q "one('private_key', '$p')['key_type']")" = "$type" ]
		[ "$(q "one('private_key', '$p')['encrypted']")" = False ]
		bits=$(openssl pkey -in "$r$p" -noout -text | sed -n 's/.*Private-Key: (\([0-9]*\) bit.*/\1/p')
		[ "$(q "one('private_key', '$p')['bits']")" = "$bits" ]
		want=$(openssl pkey -in "$r$p" -pubout | spki_sha256)
		[ "$(q "one('private_key', '$p')['public_sha256']")" = "$want" ]
	done
	[ "$(q "one('private_key', '/root/enc-pkcs8.key')['encrypted']")" = True ]
	[ "$(q "one('private_key', '/root/enc-pkcs8.key')['format']")" = pkcs8 ]
	[ "$(q "one('private_key', '/root/enc-trad.key')['encrypted']")" = True ]
	[ "$(q "one('private_key', '/root/enc-trad.key')['key_type']")" = rsa ]
	[ "$(q "one('private_key', '/root/enc-trad.key')['encryption']")" = AES-128-CBC ]
	# OpenSSH: public half in clear even when encrypted
	s=$r/home/alice/.ssh
	for k in id_rsa id_ecdsa id_ed25519; do
		bits=$(ssh-keygen -l -f "$s/$k.pub" | cut -d' ' -f1)
		[ "$(q "one('private_key', '/home/alice/.ssh/$k')['bits']")" = "$bits" ]
		[ "$(q "one('private_key', '/home/alice/.ssh/$k')['format']")" = openssh ]
	done
	[ "$(q "one('private_key', '/home/alice/.ssh/id_rsa')['encrypted']")" = False ]
	[ "$(q "one('private_key', '/home/alice/.ssh/id_ed25519')['encrypted']")" = True ]
	[ "$(q "one('private_key', '/home/alice/.ssh/id_ed25519')['key_type']")" = ed25519 ]
	for k in id_rsa id_ecdsa; do
		want=$(ssh-keygen -e -m PKCS8 -f "$s/$k.pub" | spki_sha256)
		[ "$(q "one('private_key', '/home/alice/.ssh/$k')['public_sha256']")" = "$want" ]
	done
	# Ed25519 SPKI by hand: fixed prefix (RFC 8410) and the 32 raw bytes
	want=$(python3 -c "
import base64, hashlib
b = base64.b64decode(open('$s/id_ed25519.pub').read().split()[1])
print(hashlib.sha256(bytes.fromhex('302a300506032b6570032100') + b[-32:]).hexdigest())")
	[ "$(q "one('private_key', '/home/alice/.ssh/id_ed25519')['public_sha256']")" = "$want" ]
}

@test "PKCS#12: the empty password opens it, any other is never guessed" {
	[ "$(q "len([r for r in rs if r['path'] == '/home/alice/open.p12'])")" = 3 ]
	[ "$(q "one('private_key', '/home/alice/open.p12')['encrypted']")" = False ]
	[ "$(q "one('private_key', '/home/alice/open.p12')['certificate_path']")" = /srv/app/server.crt ]
	[ "$(q "one('certificate', '/home/alice/open.p12', 0)['sha256']")" = \
		"$(q "one('certificate', '/srv/app/server.crt')['sha256']")" ]
	[ "$(q "len([r for r in rs if r['path'] == '/home/alice/locked.pfx'])")" = 1 ]
	[ "$(q "one('private_key', '/home/alice/locked.pfx')['encrypted']")" = True ]
}

@test "Java keystore: trusted certificate entries become records" {
	[ -e "$FX/root/opt/sign/trust.jks" ] || skip "no keytool"
	[ "$(q "one('certificate', '/opt/sign/trust.jks', 0)['keystore_alias']")" = evilroot ]
	[ "$(q "one('certificate', '/opt/sign/trust.jks', 0)['sha256']")" = \
		"$(openssl x509 -in "$FX/work/ca.pem" -outform DER | sha256sum | cut -d' ' -f1)" ]
}

@test "certificate files are copied, key contents only with --copy-keys" {
	f=$TOP/files
	cmp "$f/srv/app/server.crt" "$FX/root/srv/app/server.crt"
	cmp "$f/etc/ssl/certs/ca-certificates.crt" "$FX/root/etc/ssl/certs/ca-certificates.crt"
	[ ! -e "$f/srv/app/server.key" ]
	[ ! -e "$f/home/alice/.ssh/id_rsa" ]
	[ ! -e "$f/srv/old/combined.pem" ]
	[ ! -e "$f/home/alice/open.p12" ]
	"$COLLECT" -q -o "$SCRATCH" --root "$FX/root" --only certificates --copy-keys
	mkdir "$SCRATCH/x"
	tar --zstd -xf "$(archive_in "$SCRATCH")" -C "$SCRATCH/x" 2>/dev/null
	g=$(ls -d "$SCRATCH"/x/irkit-*)/files
	cmp "$g/srv/app/server.key" "$FX/root/srv/app/server.key"
	cmp "$g/home/alice/.ssh/id_rsa" "$FX/root/home/alice/.ssh/id_rsa"
	cmp "$g/home/alice/open.p12" "$FX/root/home/alice/open.p12"
}

@test "hostile inputs: a log entry each, no record, no crash" {
	for f in badb64.pem truncated.der truncated.pem noend.pem absurd.der absurd_ssh.key absurd.jks huge.pem; do
		grep -q "\"path\":\"/srv/hostile/$f\"" "$TOP/log.jsonl" || { echo "no log for $f"; false; }
	done
	[ "$(q "len([r for r in rs if r['path'].startswith('/srv/hostile/') and r['type'] != 'file'])")" = 0 ]
	! grep -q '"path":"/srv/hostile/plain.txt"' "$TOP/log.jsonl" || false
	! grep -q '"path":"/srv/hostile/zeros.bin"' "$TOP/log.jsonl" || false
}

@test "the host's CA bundle: one record per BEGIN CERTIFICATE (--cert-path accepts a file)" {
	b=/etc/ssl/certs/ca-certificates.crt
	[ -r "$b" ] || skip "no $b"
	"$COLLECT" -q -o "$SCRATCH" --only certificates --cert-path "$b"
	mkdir "$SCRATCH/x"
	tar --zstd -xf "$(archive_in "$SCRATCH")" -C "$SCRATCH/x" 2>/dev/null
	n=$(grep -c 'BEGIN CERTIFICATE' "$b")
	got=$(grep -c '"type":"certificate"' "$SCRATCH"/x/irkit-*/records/certificates.jsonl)
	[ "$got" -eq "$n" ]
	got=$(grep '"type":"certificate"' "$SCRATCH"/x/irkit-*/records/certificates.jsonl | grep -c '"in_trust_store":true')
	[ "$got" -eq "$n" ]
}

@test "--cert-path replaces the default roots" {
	"$COLLECT" -q -o "$SCRATCH" --root "$FX/root" --only certificates --cert-path /srv/app
	mkdir "$SCRATCH/x"
	tar --zstd -xf "$(archive_in "$SCRATCH")" -C "$SCRATCH/x" 2>/dev/null
	r=$(ls -d "$SCRATCH"/x/irkit-*)/records/certificates.jsonl
	python3 -c "
import json
rs = [json.loads(l) for l in open('$r') if '\"type\":\"file\"' not in l]
assert sorted(r['path'] for r in rs) == ['/srv/app/server.crt', '/srv/app/server.key'], rs
# trust facts still come from the root's trust configuration
assert all(r['in_trust_store'] is False for r in rs if r['type'] == 'certificate')"
}

@test "directory links are not followed; /proc is never entered" {
	ln -s /proc "$FX/root/srv/proclink"
	ln -s /srv/app "$FX/root/opt/applink"
	"$COLLECT" -q -o "$SCRATCH" --root "$FX/root" --only certificates
	mkdir "$SCRATCH/x"
	tar --zstd -xf "$(archive_in "$SCRATCH")" -C "$SCRATCH/x" 2>/dev/null
	r=$(ls -d "$SCRATCH"/x/irkit-*)/records/certificates.jsonl
	! grep -q '/opt/applink' "$r" || false
	! grep -q '/srv/proclink' "$r" || false
	rm "$FX/root/srv/proclink" "$FX/root/opt/applink"
}

@test "a planted trusted root: dated when it came to the host (ctime of its earliest copy), named by the file it was installed from" {
	r=$SCRATCH/root
	w=$SCRATCH/w
	mkdir -p "$r"/etc/ssl/certs "$r"/usr/local/share/ca-certificates \
		"$r"/usr/share/ca-certificates/mozilla "$r"/etc/pki/ca-trust/source/anchors "$w"/ca
	cp "$FX/root/etc/passwd" "$FX/root/etc/group" "$r"/etc/
	o() { openssl "$@" 2>/dev/null; }
	# a CA valid 2000..2099 (so notBefore is no time on this host)
	: > "$w"/ca/index.txt
	echo 1000 > "$w"/ca/serial
	printf '[ca]\ndefault_ca = d\n[d]\ndir = %s\ndatabase = $dir/index.txt\nnew_certs_dir = $dir\nserial = $dir/serial\ndefault_md = sha256\npolicy = p\nunique_subject = no\ncopy_extensions = none\n[p]\ncommonName = supplied\n[v3]\nbasicConstraints = critical,CA:TRUE\nkeyUsage = critical,keyCertSign,cRLSign\n' "$w/ca" > "$w"/ca.cnf
	o req -new -newkey rsa:2048 -nodes -keyout "$w"/p.key -out "$w"/p.csr -subj "/CN=Planted Root"
	o ca -batch -selfsign -config "$w"/ca.cnf -keyfile "$w"/p.key -in "$w"/p.csr \
		-startdate 20000101000000Z -enddate 20991231235959Z -extensions v3 -notext -out "$w"/p.pem
	[ "$(openssl x509 -in "$w"/p.pem -noout -startdate)" = "notBefore=Jan  1 00:00:00 2000 GMT" ]
	cp "$FX/root/usr/share/ca-certificates/mozilla/Shipped_Root.crt" "$r"/usr/share/ca-certificates/mozilla/
	# installed: the anchor file first, its mtime set back (cp -p, touch)
	x=$r/usr/local/share/ca-certificates/x.crt
	cp "$w"/p.pem "$x"
	touch -d '2024-03-01 12:00:00Z' "$x"
	sleep 1.1
	# a second anchor copy later, then the bundle made from them
	cp "$w"/p.pem "$r"/etc/pki/ca-trust/source/anchors/x.pem
	sleep 1.1
	cat "$r"/usr/share/ca-certificates/mozilla/Shipped_Root.crt "$w"/p.pem > "$r"/etc/ssl/certs/ca-certificates.crt
	ln -s /usr/local/share/ca-certificates/x.crt "$r"/etc/ssl/certs/x.pem
	mkdir "$SCRATCH/out"
	"$COLLECT" -q -o "$SCRATCH/out" --root "$r" --only certificates
	run "$ANALYZE" ingest --no-default-rules --db "$SCRATCH/c.db" "$(archive_in "$SCRATCH/out")"
	[ "$status" -eq 0 ]
	db=$SCRATCH/c.db
	# the oracle: the copies' inode change times as stat(2) gives them
	want=$(python3 -c "import os; print(os.stat('$x').st_ctime_ns // 1000)")
	mtime=$(python3 -c "import os; print(os.stat('$x').st_mtime_ns // 1000)")
	for f in "$r"/etc/pki/ca-trust/source/anchors/x.pem "$r"/etc/ssl/certs/ca-certificates.crt; do
		[ "$(python3 -c "import os; print(os.stat('$f').st_ctime_ns // 1000)")" -gt "$want" ]
	done
	[ "$(sqlite3 "$db" "SELECT count(*) FROM findings WHERE title LIKE 'trusted root%'")" -eq 1 ]
	[ "$(sqlite3 "$db" "SELECT title FROM findings WHERE title LIKE 'trusted root%'")" = "trusted root CN=Planted Root" ]
	got=$(sqlite3 "$db" "SELECT ts FROM findings WHERE title LIKE 'trusted root%'")
	echo "finding $got ctime $want mtime $mtime"
	[ "$got" -eq "$want" ]
	[ "$got" -ne "$mtime" ]
	[ "$got" -ne 946684800000000 ]
	# named by the anchor file it came from, not the bundle; the link too
	[ "$(sqlite3 "$db" "SELECT path FROM events WHERE source = 'FINDING' AND message LIKE '%trusted root%'")" = /usr/local/share/ca-certificates/x.crt ]
	[ "$(sqlite3 "$db" "SELECT c.path FROM findings f JOIN finding_links l ON l.finding_id = f.id JOIN certificates c ON c.id = l.record_id WHERE f.title LIKE 'trusted root%'")" = /usr/local/share/ca-certificates/x.crt ]
	reasons=$(sqlite3 "$db" "SELECT reasons FROM findings WHERE title LIKE 'trusted root%'")
	echo "$reasons"
	[[ $reasons == *"installed from /usr/local/share/ca-certificates/x.crt"* ]]
	[[ $reasons == *"change time (ctime) of /usr/local/share/ca-certificates/x.crt, the earliest of its 3 copies"* ]]
	[[ $reasons == *"/etc/ssl/certs/ca-certificates.crt (a bundle)"* ]]
	# the shipped root in the same bundle is no finding
	[ "$(sqlite3 "$db" "SELECT count(*) FROM findings WHERE title LIKE '%Shipped Root%'")" -eq 0 ]
}

@test "--exclude: the folder is not examined, the rest is, and the log says so" {
	"$COLLECT" -q -o "$SCRATCH" --root "$FX/root" --only certificates --exclude /srv/app/
	mkdir "$SCRATCH/x"
	tar --zstd -xf "$(archive_in "$SCRATCH")" -C "$SCRATCH/x" 2>/dev/null
	top=$(ls -d "$SCRATCH"/x/irkit-*)
	# the excluded folder gives no record; the full walk's other
	# records are all there (the oracle: the walk without --exclude)
	! grep -q '"path":"/srv/app/' "$top/records/certificates.jsonl" || false
	grep -v '"path":"/srv/app/' "$TOP/records/certificates.jsonl" |
		python3 -c "import json,sys; print('\n'.join(sorted(json.loads(l)['path'] for l in sys.stdin)))" > "$SCRATCH/want"
	python3 -c "import json,sys; print('\n'.join(sorted(json.loads(l)['path'] for l in open(sys.argv[1]))))" \
		"$top/records/certificates.jsonl" > "$SCRATCH/got"
	[ -s "$SCRATCH/want" ]
	diff "$SCRATCH/want" "$SCRATCH/got"
	grep '"path":"/srv/app"' "$top/log.jsonl" | grep -q 'excluded by the examiner'
	# a relative path is refused
	run "$COLLECT" -q -o "$SCRATCH/y" --root "$FX/root" --only certificates --exclude srv/app
	[ "$status" -eq 2 ]
	[[ "$output" == *"not an absolute path"* ]]
}
