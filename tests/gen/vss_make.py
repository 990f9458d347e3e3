#!/usr/bin/env python3
"""vss_make.py OLD... NEW OUT [SECONDS] - a volume OUT holding NEW with
one Volume Shadow Snapshot (VSS) store per OLD (the oldest first) whose
view is that OLD: each store keeps the 16 KiB blocks where its OLD and
the next state (the next OLD, or NEW) differ, as Windows keeps the
blocks it overwrites after a snapshot until the next one (copy on
write); a reader of an older store falls through to the newer stores,
then to the volume.

OLD and NEW are the same file system (NTFS formatted over their first
part, mkntfs SECTORS) before and after a change; the bytes after the
file system are where the VSS structures go (on Windows they live in
files of "System Volume Information": the place does not matter to a
reader).  Layout, from the public description of the format (libvshadow's
documentation, "Volume Shadow Snapshot (VSS) format"):

  0x1e00          volume header: VSS identifier, version 1, record type
                  1, catalog offset
  catalog         one 16 KiB block (record type 2): entries of type 2
                  (volume size, store identifier, creation time) and 3
                  (the store's block list, header, range list, bitmap)
  store header    record type 4, then the store information (shadow
                  copy and set identifiers, type, attributes, machine
                  names)
  block list      record type 3 blocks of 32-byte descriptors: original
                  offset, offset in the store, offset in the volume
  range list      record type 5: the store's own extent
  bitmap          record type 6, all blocks in use (none reads as zeros)
  data            the OLD blocks

SECONDS: the first snapshot's creation time, seconds since 1970 UTC
(default 1607817600, 2020-12-13 00:00:00 UTC); each next one a day
later.
"""
import struct
import sys

BLOCK = 0x4000
VSS_ID = bytes([0x6b, 0x87, 0x08, 0x38, 0x76, 0xc1, 0x48, 0x4e,
                0xb7, 0xae, 0x04, 0x04, 0x6e, 0x6c, 0xc7, 0x52])
VOLUME_ID = bytes(range(0x10, 0x20))
STORE_ID = bytes(range(0x20, 0x30))
COPY_ID = bytes(range(0x30, 0x40))
SET_ID = bytes(range(0x40, 0x50))
PROVIDER_ID = bytes(range(0x50, 0x60))
DESCS = (BLOCK - 128) // 32


def block_header(rtype, rel, cur, nxt, info=0):
    return VSS_ID + struct.pack('<IIQQQQ', 1, rtype, rel, cur, nxt, info) + \
        bytes(72)


def put(img, off, data):
    img[off:off + len(data)] = data


def store_info(k):
    machine = 'VSSHOST'.encode('utf-16-le')
    info = PROVIDER_ID + ident(COPY_ID, k) + ident(SET_ID, k)
    # type ClientAccessibleWriters, provider, attributes: persistent,
    # client accessible, no auto release, differential
    info += struct.pack('<IIII', 0x0d, 0, 0x0002000d, 0)
    info += struct.pack('<H', len(machine)) + machine
    info += struct.pack('<H', len(machine)) + machine
    return info


def ident(base, k):
    """The identifier base for store k (0: base itself)."""
    return bytes([base[0] + k]) + base[1:]


def put_store(img, k, state, changed, store):
    """Store k at offset store: its header, block list, range list,
    bitmap and the blocks of state at the offsets changed.  Returns the
    catalog's entries for it and where the store ends."""
    nlist = max(1, (len(changed) + DESCS - 1) // DESCS)
    header_at = store
    list_at = store + BLOCK
    range_at = list_at + nlist * BLOCK
    bitmap_at = range_at + BLOCK
    data_at = bitmap_at + BLOCK
    total = data_at + len(changed) * BLOCK
    if total > len(img):
        sys.exit('vss_make.py: %d bytes needed, the volume has %d' %
                 (total, len(img)))
    info = store_info(k)
    put(img, header_at, block_header(4, 0, header_at, 0, len(info)) + info)
    for i in range(nlist):
        at = list_at + i * BLOCK
        nxt = at + BLOCK if i + 1 < nlist else 0
        blk = bytearray(block_header(3, at - store, at, nxt))
        for j, o in enumerate(changed[i * DESCS:(i + 1) * DESCS]):
            d = data_at + (i * DESCS + j) * BLOCK
            blk += struct.pack('<QQQII', o, d - store, d, 0, 0)
        put(img, at, bytes(blk))
    # range list: the store's extent
    put(img, range_at, block_header(5, range_at - store, range_at, 0) +
        struct.pack('<QQQ', store, 0, total - store))
    # bitmap: every block in use
    put(img, bitmap_at, block_header(6, bitmap_at - store, bitmap_at, 0))
    for i, o in enumerate(changed):
        put(img, data_at + i * BLOCK, state[o:o + BLOCK])
    entry3 = struct.pack('<QQ', 3, list_at) + ident(STORE_ID, k) + \
        struct.pack('<QQQQQQQ', header_at, range_at, bitmap_at, 0,
                    total - store, 0, 0) + bytes(40)
    return entry3, total


def main():
    args = sys.argv[1:]
    seconds = 1607817600
    if len(args) > 3 and args[-1].isdigit():
        seconds = int(args.pop())
    if len(args) < 3:
        sys.exit('usage: vss_make.py OLD... NEW OUT [SECONDS]')
    states = [open(a, 'rb').read() for a in args[:-2]]
    img = bytearray(open(args[-2], 'rb').read())
    states.append(bytes(img))
    if any(len(st) != len(img) for st in states):
        sys.exit('vss_make.py: the states differ in size')
    # the file system ends where every state is zero to the end
    end = len(img)
    while end > 0 and not any(any(st[end - BLOCK:end]) for st in states):
        end -= BLOCK
    # volume header
    put(img, 0x1e00, VSS_ID + struct.pack('<IIQQQQQ', 1, 1, 0x1e00, 0x1e00,
                                          0, end, 0) +
        VOLUME_ID + VOLUME_ID + struct.pack('<I', 0))
    # the stores, oldest first, each after the catalog's block
    cat = bytearray(block_header(2, 0, end, 0))
    at, kept = end + BLOCK, 0
    for k in range(len(states) - 1):
        old, newer = states[k], states[k + 1]
        changed = [o for o in range(0, end, BLOCK)
                   if old[o:o + BLOCK] != newer[o:o + BLOCK]]
        created = (seconds + k * 86400 + 11644473600) * 10000000
        entry3, at = put_store(img, k, old, changed, at)
        cat += struct.pack('<QQ', 2, len(img)) + ident(STORE_ID, k) + \
            struct.pack('<QQQ', k + 1, 0x40, created) + bytes(72)
        cat += entry3
        kept += len(changed)
    put(img, end, bytes(cat))
    open(args[-1], 'wb').write(img)
    print('%d blocks kept in the stores' % kept)


if __name__ == '__main__':
    main()
