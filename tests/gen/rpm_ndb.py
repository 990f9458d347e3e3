#!/usr/bin/env python3
"""rpm_ndb.py SQLITE OUT [--break KIND] - an rpm ndb Packages.db (SUSE's
database format) holding the package headers of an rpm sqlite database.

The header blobs are librpm's own: `SELECT hnum, blob FROM Packages` of
an rpmdb.sqlite written by `rpm --root R -i`; each is stored under its
hnum as package index.  The container is written from the public
description of the format (rpm's lib/backend/ndb/rpmpkg.c), not with
rpm's code (Debian's rpm cannot write ndb): a fixture made here proves
that irkit reads what we understand of the layout, not that it reads
SUSE's own files byte for byte.

Layout (little-endian, blocks of 16 bytes):
  0     "RpmP", version 0, generation, slot page count, next package index
  32    slots of 16 bytes to the end of the slot pages (4096 bytes each):
        "Slot", package index, block offset, block count (offset 0: free)
  blob  at block offset * 16: "BlbS", package index, time, length; the
        blob; zeros to the last 12 bytes of its blocks; Adler-32 of all
        before it in the blocks, length, "BlbE"

--break KIND damages the first package (its slot or blob) and leaves the
others good, or the header:
  outside    its slot points past the end of the file
  biglen     its blob's length is larger than its blocks
  pages      the header says 2^31 slot pages
  notheader  its blob is not an rpm header (a valid container)
  digest     a letter of its header's data changed (the case of the first
             string of 8 or more printable bytes): librpm's digest check
             of the header fails
"""
import argparse
import re
import sqlite3
import struct
import zlib

PAGE = 4096
BLK = 16


def blob_bytes(pkgidx, data, when):
    blkcnt = (16 + len(data) + 12 + BLK - 1) // BLK
    body = struct.pack("<4sIII", b"BlbS", pkgidx, when, len(data)) + data
    body += b"\0" * (blkcnt * BLK - 12 - len(body))
    tail = struct.pack("<II4s", zlib.adler32(body) & 0xffffffff, len(data), b"BlbE")
    return body + tail, blkcnt


def change_letter(data):
    il = struct.unpack(">I", data[8:12])[0]
    store = 16 + 16 * il + 16  # after the index and the region's trailer
    m = re.compile(rb"[\x21-\x7e]{8,}").search(data, store)
    i = m.start()
    while not chr(data[i]).isalpha():
        i += 1
    return data[:i] + bytes([data[i] ^ 0x20]) + data[i + 1:]


def build(pkgs, brk):
    nslots = len(pkgs)
    npages = max(1, (32 + 16 * nslots + PAGE - 1) // PAGE)
    slots = bytearray()
    blobs = bytearray()
    blkoff = npages * PAGE // BLK
    for i, (pkgidx, data) in enumerate(pkgs):
        if brk == "notheader" and i == 0:
            data = b"not an rpm header, but a blob all the same\n" * 8
        if brk == "digest" and i == 0:
            data = change_letter(data)
        b, blkcnt = blob_bytes(pkgidx, data, 1700000000)
        if brk == "biglen" and i == 0:
            b = b[:12] + struct.pack("<I", blkcnt * BLK) + b[16:]
        slots += struct.pack("<4sIII", b"Slot", pkgidx, blkoff, blkcnt)
        blobs += b
        blkoff += blkcnt
    if brk == "outside":
        end = blkoff
        slots[8:12] = struct.pack("<I", end + 100)
    free = PAGE * npages - 32 - len(slots)
    slots += struct.pack("<4sIII", b"Slot", 0, 0, 0) * (free // 16)
    next_idx = max([p for p, _ in pkgs] + [0]) + 1
    head = struct.pack("<4sIIII12x", b"RpmP", 0, 1, 1 << 31 if brk == "pages" else npages, next_idx)
    return head + bytes(slots) + bytes(blobs)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("sqlite")
    ap.add_argument("out")
    ap.add_argument("--break", dest="brk", choices=["outside", "biglen", "pages", "notheader", "digest"])
    a = ap.parse_args()
    db = sqlite3.connect(a.sqlite)
    pkgs = [(int(h), bytes(b)) for h, b in db.execute("SELECT hnum, blob FROM Packages ORDER BY hnum")]
    db.close()
    with open(a.out, "wb") as f:
        f.write(build(pkgs, a.brk))


if __name__ == "__main__":
    main()
