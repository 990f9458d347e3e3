#!/usr/bin/env python3
"""usn_oracle.py parse J | make OUT SPEC...

parse J: the USN_RECORD_V2/V3 entries of a raw $UsnJrnl:$J stream, one
line each: usn|time (µs)|name|reason|file entry|file seq|parent entry|
parent seq|major, parsed with struct (the oracle of usn.bats).

make OUT SPEC...: write a $J stream: each SPEC is
  v2:NAME:FILE_ENTRY:FILE_SEQ:PARENT_ENTRY:PARENT_SEQ:REASON
  v3:...  (the same, as a V3 record with 128-bit ids)
  v4      (a range record, to be skipped)
  junk    (8 bytes of garbage)
  zeros:N (N bytes of zeros, page padding)
  bulk:N  (N V2 entries of files under the root, for tests/bench/usn.sh)
Times are 2024-01-02 03:04:05 plus one second per record."""
import struct
import sys

EPOCH = 116444736000000000
T0 = 1704164645


def parse(path):
    d = open(path, "rb").read()
    off = 0
    while off + 8 <= len(d):
        ln, major = struct.unpack_from("<IH", d, off)
        if ln == 0 or ln % 8 or ln > 65536 or major not in (2, 3, 4):
            off += 8   # padding, or not a record: the next 8 bytes
            continue
        if major == 2:
            fr, pr, usn, ts, reason = struct.unpack_from("<QQqqI", d, off + 8)
            nl, no = struct.unpack_from("<HH", d, off + 56)
        elif major == 3:
            fr, _, pr, _, usn, ts, reason = struct.unpack_from(
                "<QQQQqqI", d, off + 8)
            nl, no = struct.unpack_from("<HH", d, off + 72)
        else:
            off += (ln + 7) & ~7
            continue
        name = d[off + no:off + no + nl].decode("utf-16le")
        print("|".join(str(x) for x in (
            usn, (ts - EPOCH) // 10, name, reason, fr & 0xffffffffffff,
            fr >> 48, pr & 0xffffffffffff, pr >> 48, major)))
        off += (ln + 7) & ~7


def record(kind, name, fe, fs, pe, ps, reason, usn, n):
    nm = name.encode("utf-16le")
    ft = (T0 + n) * 10000000 + EPOCH
    fr, pr = fe | fs << 48, pe | ps << 48
    if kind == "v2":
        fixed = struct.pack("<IHHQQqqIIIIHH", 0, 2, 0, fr, pr, usn, ft,
                            reason, 0, 0, 0x20, len(nm), 60)
    else:
        fixed = struct.pack("<IHHQQQQqqIIIIHH", 0, 3, 0, fr, 0, pr, 0, usn,
                            ft, reason, 0, 0, 0x20, len(nm), 76)
    b = fixed + nm
    b += b"\0" * (-len(b) % 8)
    return struct.pack("<I", len(b)) + b[4:]


def make(out, specs):
    data = b""
    n = 0
    for s in specs:
        f = s.split(":")
        if f[0] in ("v2", "v3"):
            data += record(f[0], f[1], int(f[2]), int(f[3]), int(f[4]),
                           int(f[5]), int(f[6], 0), len(data), n)
            n += 1
        elif f[0] == "v4":
            data += struct.pack("<IHHQQQQqIIIHH", 80, 4, 0, 1, 0, 5, 0,
                                len(data), 1, 0, 0, 1, 16) + b"\0" * 16
        elif f[0] == "junk":
            data += b"\xff\x01\x02\x03\x04\x05\x06\x07"
        elif f[0] == "bulk":
            parts = [data]
            size = len(data)
            for i in range(int(f[1])):
                r = record("v2", "file%06d.txt" % i, 100 + i, 1, 5, 5,
                           0x80000102, size, n)
                parts.append(r)
                size += len(r)
                n += 1
            data = b"".join(parts)
        elif f[0] == "zeros":
            data += b"\0" * int(f[1])
    open(out, "wb").write(data)


if sys.argv[1] == "parse":
    parse(sys.argv[2])
else:
    make(sys.argv[2], sys.argv[3:])
