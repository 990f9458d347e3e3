#!/usr/bin/env python3
"""vss_make.py OLD NEW OUT [SECONDS] - a volume OUT holding NEW with one
Volume Shadow Snapshot (VSS) store whose view is OLD: the 16 KiB blocks
where OLD and NEW differ are kept in the store, as Windows keeps the
blocks it overwrites after a snapshot (copy on write).

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

SECONDS: the snapshot's creation time, seconds since 1970 UTC (default
1607817600, 2020-12-13 00:00:00 UTC).
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


def store_info():
    machine = 'VSSHOST'.encode('utf-16-le')
    info = PROVIDER_ID + COPY_ID + SET_ID
    # type ClientAccessibleWriters, provider, attributes: persistent,
    # client accessible, no auto release, differential
    info += struct.pack('<IIII', 0x0d, 0, 0x0002000d, 0)
    info += struct.pack('<H', len(machine)) + machine
    info += struct.pack('<H', len(machine)) + machine
    return info


def main():
    old = open(sys.argv[1], 'rb').read()
    img = bytearray(open(sys.argv[2], 'rb').read())
    seconds = int(sys.argv[4]) if len(sys.argv) > 4 else 1607817600
    created = (seconds + 11644473600) * 10000000     # FILETIME
    if len(old) != len(img):
        sys.exit('vss_make.py: OLD and NEW differ in size')
    # the file system ends where both are zero to the end
    end = len(img)
    while end > 0 and not any(old[end - BLOCK:end]) and \
            not any(img[end - BLOCK:end]):
        end -= BLOCK
    changed = [o for o in range(0, end, BLOCK)
               if old[o:o + BLOCK] != img[o:o + BLOCK]]
    nlist = max(1, (len(changed) + DESCS - 1) // DESCS)
    store = end + BLOCK         # the catalog at end, the store after it
    header_at = store
    list_at = store + BLOCK
    range_at = list_at + nlist * BLOCK
    bitmap_at = range_at + BLOCK
    data_at = bitmap_at + BLOCK
    total = data_at + len(changed) * BLOCK
    if total > len(img):
        sys.exit('vss_make.py: %d bytes needed, the volume has %d' %
                 (total, len(img)))
    # volume header
    put(img, 0x1e00, VSS_ID + struct.pack('<IIQQQQQ', 1, 1, 0x1e00, 0x1e00,
                                          0, end, 0) +
        VOLUME_ID + VOLUME_ID + struct.pack('<I', 0))
    # catalog
    cat = bytearray(block_header(2, 0, end, 0))
    cat += struct.pack('<QQ', 2, len(img)) + STORE_ID + \
        struct.pack('<QQQ', 1, 0x40, created) + bytes(72)
    cat += struct.pack('<QQ', 3, list_at) + STORE_ID + \
        struct.pack('<QQQQQQQ', header_at, range_at, bitmap_at, 0,
                    total - store, 0, 0) + bytes(40)
    put(img, end, bytes(cat))
    # store header
    info = store_info()
    put(img, header_at, block_header(4, 0, header_at, 0, len(info)) + info)
    # block list
    for i in range(nlist):
        at = list_at + i * BLOCK
        nxt = at + BLOCK if i + 1 < nlist else 0
        blk = bytearray(block_header(3, at - store, at, nxt))
        for k, o in enumerate(changed[i * DESCS:(i + 1) * DESCS]):
            d = data_at + (i * DESCS + k) * BLOCK
            blk += struct.pack('<QQQII', o, d - store, d, 0, 0)
        put(img, at, bytes(blk))
    # range list: the store's extent
    put(img, range_at, block_header(5, range_at - store, range_at, 0) +
        struct.pack('<QQQ', store, 0, total - store))
    # bitmap: every block in use
    put(img, bitmap_at, block_header(6, bitmap_at - store, bitmap_at, 0))
    for i, o in enumerate(changed):
        put(img, data_at + i * BLOCK, old[o:o + BLOCK])
    open(sys.argv[3], 'wb').write(img)
    print('%d blocks kept in the store' % len(changed))


if __name__ == '__main__':
    main()
