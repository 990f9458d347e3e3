#!/usr/bin/env bash
# cert_fixtures.sh DIR - a fake root under DIR/root with certificates and
# keys made by the real tools (openssl, ssh-keygen), for
# tests/e2e/certificates.bats.  Harmless test material, made at test time.
set -euo pipefail
d=$1
r=$d/root
w=$d/work
mkdir -p "$r"/etc/ssl/certs "$r"/etc/ssl/private "$r"/usr/share/ca-certificates/mozilla \
	"$r"/srv/app "$r"/srv/old "$r"/opt/sign/keys "$r"/root "$r"/home/alice/.ssh \
	"$r"/var/lib/x "$r"/srv/hostile "$w"
printf 'root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000:Alice:/home/alice:/bin/bash\n' > "$r"/etc/passwd
printf 'root:x:0:\nalice:x:1000:\n' > "$r"/etc/group
o() { openssl "$@" 2>/dev/null; }

# a CA, and a root "shipped" by the distribution
o req -x509 -newkey rsa:2048 -nodes -keyout "$w"/ca.key -out "$w"/ca.pem -days 3650 \
	-subj "/C=XX/O=Evil Corp/CN=Evil Root CA" \
	-addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
o req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$w"/shipped.key \
	-out "$r"/usr/share/ca-certificates/mozilla/Shipped_Root.crt -days 3650 \
	-subj "/C=XX/O=Shipped Org/CN=Shipped Root"
cat "$r"/usr/share/ca-certificates/mozilla/Shipped_Root.crt "$w"/ca.pem > "$r"/etc/ssl/certs/ca-certificates.crt
ln -s /usr/share/ca-certificates/mozilla/Shipped_Root.crt "$r"/etc/ssl/certs/Shipped_Root.pem

# a server certificate with SANs signed by the CA, key in PKCS#8
o req -new -newkey rsa:2048 -nodes -keyout "$r"/srv/app/server.key -out "$w"/server.csr \
	-subj "/C=XX/O=Example, Inc./CN=www.example.test"
printf 'subjectAltName=DNS:www.example.test,DNS:*.example.test,IP:192.0.2.7,email:ops@example.test\nextendedKeyUsage=serverAuth,clientAuth\nkeyUsage=digitalSignature,keyEncipherment\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n' > "$w"/server.ext
o x509 -req -in "$w"/server.csr -CA "$w"/ca.pem -CAkey "$w"/ca.key -CAcreateserial \
	-days 400 -extfile "$w"/server.ext -out "$r"/srv/app/server.crt

# a code-signing certificate; its key under another name, PKCS#1
o genrsa -traditional -out "$r"/opt/sign/keys/blob.bin 3072
o req -new -key "$r"/opt/sign/keys/blob.bin -out "$w"/sign.csr -subj "/CN=Totally Legit Software Ltd"
printf 'extendedKeyUsage=codeSigning\nkeyUsage=digitalSignature\n' > "$w"/sign.ext
o x509 -req -in "$w"/sign.csr -CA "$w"/ca.pem -CAkey "$w"/ca.key -CAcreateserial \
	-days 30 -extfile "$w"/sign.ext -out "$r"/opt/sign/signing.pem

# an expired certificate (openssl ca with dates in the past)
mkdir -p "$w"/ca/newcerts
: > "$w"/ca/index.txt
echo 1000 > "$w"/ca/serial
cat > "$w"/ca.cnf <<CNF
[ca]
default_ca = d
[d]
dir = $w/ca
database = \$dir/index.txt
new_certs_dir = \$dir/newcerts
serial = \$dir/serial
certificate = $w/ca.pem
private_key = $w/ca.key
default_md = sha256
policy = p
unique_subject = no
copy_extensions = none
[p]
commonName = supplied
CNF
o req -new -newkey ec -pkeyopt ec_paramgen_curve:P-384 -nodes -keyout "$w"/old.key \
	-out "$w"/old.csr -subj "/CN=old.example.test"
o ca -batch -config "$w"/ca.cnf -in "$w"/old.csr -out "$w"/old.pem \
	-startdate 20200101000000Z -enddate 20210101000000Z -notext
cp "$w"/old.pem "$r"/srv/old/expired.pem
# key and certificate in one file (not copied without --copy-keys)
cat "$w"/old.key "$w"/old.pem > "$r"/srv/old/combined.pem

# DER certificate, EC key in SEC1, encrypted keys
o x509 -in "$r"/srv/app/server.crt -outform DER -out "$r"/var/lib/x/server.der
o ecparam -genkey -name prime256v1 -noout -out "$r"/etc/ssl/private/ec.key
o genrsa -out "$w"/enc.key 2048
o pkcs8 -topk8 -in "$w"/enc.key -v2 aes-256-cbc -passout pass:secret -out "$r"/root/enc-pkcs8.key
o rsa -in "$w"/enc.key -aes128 -traditional -passout pass:secret -out "$r"/root/enc-trad.key

# PKCS#12: empty password, and a real one
o pkcs12 -export -in "$r"/srv/app/server.crt -inkey "$r"/srv/app/server.key \
	-certfile "$w"/ca.pem -passout pass: -out "$r"/home/alice/open.p12
o pkcs12 -export -in "$r"/srv/app/server.crt -inkey "$r"/srv/app/server.key \
	-passout pass:hunter2 -out "$r"/home/alice/locked.pfx

# OpenSSH keys: plain and encrypted, rsa, ecdsa and ed25519
ssh-keygen -q -t rsa -b 2048 -N '' -C alice@rsa -f "$r"/home/alice/.ssh/id_rsa
ssh-keygen -q -t ed25519 -N 'pass phrase' -C alice@ed -f "$r"/home/alice/.ssh/id_ed25519
ssh-keygen -q -t ecdsa -b 384 -N '' -C alice@ec -f "$r"/home/alice/.ssh/id_ecdsa

# hostile inputs
h=$r/srv/hostile
printf -- '-----BEGIN CERTIFICATE-----\nMIIB!!!!not base64***\n-----END CERTIFICATE-----\n' > "$h"/badb64.pem
head -c 300 "$r"/var/lib/x/server.der > "$h"/truncated.der
{ echo '-----BEGIN CERTIFICATE-----'; openssl x509 -in "$r"/srv/app/server.crt -outform DER |
	head -c 200 | base64; echo '-----END CERTIFICATE-----'; } > "$h"/truncated.pem
{ echo '-----BEGIN CERTIFICATE-----'; head -c 3000 /dev/urandom | base64; } > "$h"/noend.pem
printf '\x30\x84\x7f\xff\xff\xff\x30\x82\x01\x00' > "$h"/absurd.der
{ printf 'openssh-key-v1\0'; printf '\0\0\0\4none\0\0\0\4none\0\0\0\0\x7f\xff\xff\xff'; } |
	{ echo '-----BEGIN OPENSSH PRIVATE KEY-----'; base64; echo '-----END OPENSSH PRIVATE KEY-----'; } > "$h"/absurd_ssh.key
printf '\xfe\xed\xfe\xed\0\0\0\2\x7f\xff\xff\xff' > "$h"/absurd.jks
truncate -s 1G "$h"/huge.pem
# a non-key text file and a binary
printf 'just text\n' > "$h"/plain.txt
head -c 4096 /dev/zero > "$h"/zeros.bin

# Java keystore (only when keytool is here)
if command -v keytool >/dev/null 2>&1; then
	keytool -importcert -noprompt -alias evilroot -file "$w"/ca.pem \
		-keystore "$r"/opt/sign/trust.jks -storetype JKS -storepass changeit >/dev/null 2>&1 || true
fi
