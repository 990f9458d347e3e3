#!/usr/bin/env python3
"""mkhive.py OUT - write a minimal empty Windows registry hive (regf).

The format is libyal's "Windows NT Registry File (REGF) format": a
4096-byte base block ("regf", sequence numbers, version 1.3, root cell
offset, hive bins size, XOR checksum at 508), one 4096-byte hive bin
("hbin") holding the root key (an "nk" cell flagged as the hive entry),
its security cell ("sk", self-linked) and one free cell for the rest.
Fill it afterwards with hivexsh -w.
"""
import struct
import sys

FILETIME = 133444800000000000          # 2023-11-14, fixed for reproducibility


def cell(payload):
    size = len(payload) + 4
    size = (size + 7) & ~7
    return struct.pack("<i", -size) + payload + b"\0" * (size - 4 - len(payload))


def main(out):
    hbin_size = 4096
    sd = struct.pack("<BBHIIII", 1, 0, 0x8000, 0, 0, 0, 0)   # self-relative, empty
    root_off = 0x20
    name = b"ROOT"
    nk_len = 4 + 76 + len(name)
    nk_len = (nk_len + 7) & ~7
    sk_off = root_off + nk_len
    nk = struct.pack("<2sHQIIIIIIIIIIIIIIIHH", b"nk", 0x2C, FILETIME, 0,
                     0xFFFFFFFF, 0, 0, 0xFFFFFFFF, 0xFFFFFFFF, 0,
                     0xFFFFFFFF, sk_off, 0xFFFFFFFF, 0, 0, 0, 0, 0,
                     len(name), 0) + name
    sk = struct.pack("<2sHIIII", b"sk", 0, sk_off, sk_off, 1, len(sd)) + sd
    cells = cell(nk)
    assert len(cells) == nk_len
    cells += cell(sk)
    free = hbin_size - 32 - len(cells)
    cells += struct.pack("<i", free) + b"\0" * (free - 4)
    hbin = struct.pack("<4sIIQQI", b"hbin", 0, hbin_size, 0, FILETIME, 0) + cells
    assert len(hbin) == hbin_size
    base = bytearray(4096)
    struct.pack_into("<4sIIQIIIIIII", base, 0, b"regf", 1, 1, FILETIME, 1, 3,
                     0, 1, root_off, hbin_size, 1)
    fname = "irkit-test".encode("utf-16-le")
    base[48:48 + len(fname)] = fname
    csum = 0
    for i in range(0, 508, 4):
        csum ^= struct.unpack_from("<I", base, i)[0]
    struct.pack_into("<I", base, 508, csum)
    with open(out, "wb") as f:
        f.write(bytes(base) + hbin)


if __name__ == "__main__":
    main(sys.argv[1])
