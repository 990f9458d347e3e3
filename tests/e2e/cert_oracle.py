#!/usr/bin/env python3
"""cert_oracle.py RECORDS.jsonl ROOT PATH[:INDEX]... - compare the
certificate records irkit wrote with what `openssl x509` prints for the
same certificates (the independent oracle).  Exit 1 on any difference."""
import hashlib, json, re, subprocess, sys, tempfile
from datetime import datetime, timezone

recs = [json.loads(l) for l in open(sys.argv[1])]
root = sys.argv[2]
bad = 0


def ossl(args, data):
    return subprocess.run(["openssl"] + args, input=data, capture_output=True,
                          check=True).stdout


def pem_blocks(path):
    data = open(path, "rb").read()
    if b"-----BEGIN" not in data:
        return {0: ossl(["x509", "-inform", "DER"], data)}
    out, idx = {}, 0
    for m in re.finditer(rb"-----BEGIN ([A-Z0-9 ]+)-----.*?-----END \1-----", data, re.S):
        if m.group(1) in (b"CERTIFICATE", b"TRUSTED CERTIFICATE"):
            out[idx] = m.group(0)
        idx += 1
    return out


def field(out, name):
    for line in out.decode().splitlines():
        if line.startswith(name + "="):
            return line[len(name) + 1:]
    raise KeyError(name)


def ext(pem, name):
    out = ossl(["x509", "-noout", "-ext", name], pem).decode().splitlines()
    return out[1].strip() if len(out) > 1 else None


def iso(s):  # "Jan  1 00:00:00 2020 GMT"
    return datetime.strptime(s, "%b %d %H:%M:%S %Y %Z").replace(
        tzinfo=timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000000Z")


def same(what, got, want):
    global bad
    if got != want:
        print(f"{what}: irkit {got!r} openssl {want!r}")
        bad += 1


EKU = {"TLS Web Server Authentication": "serverAuth",
       "TLS Web Client Authentication": "clientAuth",
       "Code Signing": "codeSigning", "E-mail Protection": "emailProtection",
       "Time Stamping": "timeStamping", "OCSP Signing": "OCSPSigning"}
KU = {"Digital Signature": "digitalSignature", "Non Repudiation": "nonRepudiation",
      "Key Encipherment": "keyEncipherment", "Data Encipherment": "dataEncipherment",
      "Key Agreement": "keyAgreement", "Certificate Sign": "keyCertSign",
      "CRL Sign": "cRLSign"}

for spec in sys.argv[3:]:
    path, _, index = spec.partition(":")
    index = int(index or 0)
    pem = pem_blocks(root + path)[index]
    r = [x for x in recs if x["type"] == "certificate" and x["path"] == path
         and x["index"] == index]
    if len(r) != 1:
        print(f"{spec}: {len(r)} records")
        bad += 1
        continue
    r = r[0]
    w = f"{spec}"
    o = ossl(["x509", "-noout", "-nameopt", "RFC2253,-esc_msb", "-subject",
              "-issuer", "-serial", "-startdate", "-enddate"], pem)
    same(w + " subject", r["subject"], field(o, "subject"))
    same(w + " issuer", r["issuer"], field(o, "issuer"))
    same(w + " serial", r["serial"], field(o, "serial").lower())
    same(w + " not_before", r["not_before"], iso(field(o, "notBefore")))
    same(w + " not_after", r["not_after"], iso(field(o, "notAfter")))
    na = datetime.strptime(field(o, "notAfter"), "%b %d %H:%M:%S %Y %Z")
    same(w + " expired", r["expired"], na < datetime.utcnow())
    for md in ("sha1", "sha256"):
        f = ossl(["x509", "-noout", "-fingerprint", "-" + md], pem).decode()
        same(w + " " + md, r[md], f.split("=", 1)[1].strip().replace(":", "").lower())
    der = ossl(["x509", "-outform", "DER"], pem)
    same(w + " sha256 of DER", r["sha256"], hashlib.sha256(der).hexdigest())
    spki = ossl(["pkey", "-pubin", "-outform", "DER"], ossl(["x509", "-noout", "-pubkey"], pem))
    same(w + " public_sha256", r["public_sha256"], hashlib.sha256(spki).hexdigest())
    text = ossl(["x509", "-noout", "-text"], pem).decode()
    same(w + " key_bits", r["key_bits"], int(re.search(r"Public-Key: \((\d+) bit\)", text).group(1)))
    same(w + " signature_algorithm", r["signature_algorithm"],
         re.search(r"Signature Algorithm: (\S+)", text).group(1))
    kt = re.search(r"Public Key Algorithm: (\S+)", text).group(1)
    same(w + " key_type", r["key_type"], {"rsaEncryption": "rsa", "id-ecPublicKey": "ec",
                                         "ED25519": "ed25519"}.get(kt, kt))
    bc = ext(pem, "basicConstraints")
    same(w + " is_ca", r["is_ca"], bc is not None and "CA:TRUE" in bc)
    san = ext(pem, "subjectAltName")
    want = [] if san is None else [s.replace("IP Address:", "IP:") for s in san.split(", ")]
    same(w + " san", r["san"], want)
    eku = ext(pem, "extendedKeyUsage")
    same(w + " ext_key_usage", r["ext_key_usage"], [] if eku is None else [EKU.get(s, s) for s in eku.split(", ")])
    ku = ext(pem, "keyUsage")
    same(w + " key_usage", r["key_usage"], [] if ku is None else [KU.get(s, s) for s in ku.split(", ")])
    ski = ext(pem, "subjectKeyIdentifier")
    same(w + " ski", r["ski"], None if ski is None else ski.replace(":", "").lower())
    aki = ext(pem, "authorityKeyIdentifier")
    same(w + " aki", r["aki"], None if aki is None else
         aki.replace("keyid:", "").replace(":", "").lower())
    with tempfile.NamedTemporaryFile(suffix=".pem") as t:
        t.write(pem)
        t.flush()
        v = subprocess.run(["openssl", "verify", "-no-CApath", "-CAfile", t.name,
                            t.name], capture_output=True).returncode
    same(w + " self_signed", r["self_signed"],
         field(o, "subject") == field(o, "issuer") and v == 0)
    print(f"ok {spec}")
sys.exit(1 if bad else 0)
