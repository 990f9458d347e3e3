#!/usr/bin/env python3
"""hive_count.py HIVE NAME values|subkeys|subkey-list N - a hostile hive:
set the value count (or sub-key count, or the sub-keys list's offset) in
the nk cell of the key named NAME (the first one found) to N, as a
corrupt or crafted hive may claim.

An nk cell (libyal's REGF format): after the 4-byte cell size, "nk",
flags, FILETIME, access bits, parent offset, sub-key count (at 0x14 of
the cell data), volatile sub-key count, sub-keys list offset, volatile
list offset, value count (at 0x24), values list offset, ..., name size
at 0x48 and the name at 0x4c.  The base block's checksum is untouched
(it covers only the base block).
"""
import struct
import sys


def main(path, name, what, count):
    b = bytearray(open(path, "rb").read())
    want = name.encode("latin-1")
    off = 4096
    while off + 32 <= len(b) and b[off:off + 4] == b"hbin":
        size = struct.unpack_from("<I", b, off + 8)[0]
        cell = off + 32
        while cell + 4 <= off + size:
            csize = struct.unpack_from("<i", b, cell)[0]
            if csize == 0:
                break
            d = cell + 4
            if csize < 0 and b[d:d + 2] == b"nk":
                nlen = struct.unpack_from("<H", b, d + 0x48)[0]
                if bytes(b[d + 0x4c:d + 0x4c + nlen]) == want:
                    at = d + {"values": 0x24, "subkeys": 0x14,
                              "subkey-list": 0x1c}[what]
                    struct.pack_into("<I", b, at, count)
                    open(path, "wb").write(bytes(b))
                    return 0
            cell += abs(csize)
        off += size
    sys.stderr.write("hive_count.py: no key '%s'\n" % name)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4], 0)))
