#!/usr/bin/env python3
"""journal_corrupt.py - damage a journal file in place, the way a disk,
a crash or an intruder does, for journal.bats (the layout:
https://systemd.io/JOURNAL_FILE_FORMAT/).

  journal_corrupt.py FILE entry N      smash the object header of the
                                       N-th entry object (0-based)
  journal_corrupt.py FILE array        overwrite the middle of the
                                       largest entry array's items
  journal_corrupt.py FILE hashtable    overwrite the data hash table
  journal_corrupt.py FILE truncate     cut the file after the middle
                                       entry object

Prints the sequence numbers of the entries the damage hits, when known
(entry: one), on stdout.
"""
import struct
import sys

OBJ_ENTRY, OBJ_DATA_HASH, OBJ_ENTRY_ARRAY = 3, 4, 6


def objects(b):
    header_size = struct.unpack_from("<Q", b, 88)[0]
    tail = struct.unpack_from("<Q", b, 136)[0]
    off = header_size
    while off <= tail and off + 16 <= len(b):
        typ = b[off]
        size = struct.unpack_from("<Q", b, off + 8)[0]
        if size < 16:
            break
        yield off, typ, size
        off += (size + 7) & ~7


def main():
    path, mode = sys.argv[1], sys.argv[2]
    b = bytearray(open(path, "rb").read())
    objs = list(objects(b))
    entries = [(o, s) for o, t, s in objs if t == OBJ_ENTRY]
    if mode == "entry":
        o, _ = entries[int(sys.argv[3])]
        print(struct.unpack_from("<Q", b, o + 16)[0])
        b[o:o + 16] = b"\xee" * 16
    elif mode == "array":
        o, _, s = max((x for x in objs if x[1] == OBJ_ENTRY_ARRAY),
                      key=lambda x: x[2])
        mid = o + 24 + ((s - 24) // 2 & ~7)
        b[mid:mid + 64] = b"\xee" * 64
    elif mode == "hashtable":
        o, _, s = [x for x in objs if x[1] == OBJ_DATA_HASH][0]
        b[o + 16:o + s] = b"\xee" * (s - 16)
    elif mode == "truncate":
        o, _ = entries[len(entries) // 2]
        del b[o:]
    else:
        sys.exit("unknown mode " + mode)
    open(path, "wb").write(bytes(b))


main()
