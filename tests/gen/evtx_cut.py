#!/usr/bin/env python3
"""evtx_cut.py IN OUT CHUNKS [MODE] - an EVTX file made of the first CHUNKS
chunks of IN (CHUNKS 0: all; A:B the chunks A to B-1), the file header
fixed to match (chunk count, last chunk, next record id, CRC32), dirty
flag cleared.

MODE makes a hostile copy instead:
  truncate  cut in the middle of the last chunk (header kept as it was)
  badsum    one byte of the last chunk's records changed (its checksums
            no longer match)
  garbage   the file header, then chunks of pseudo-random bytes
  repeat:N  the chunks written N times over, the records of copy k
            renumbered (+ k million; chunk checksums redone): a large
            file of distinct records for the bench
  free:N    the last N records of the last chunk left in its free space
            (the chunk's last record, free space offset and checksums
            set as if they had never been written there): records
            libevtx recovers
"""
import struct
import sys
import zlib

HDR, CHUNK = 4096, 65536


def fix_header(h, nchunks, next_id):
    h = bytearray(h[:HDR])
    struct.pack_into('<QQQ', h, 8, 0, nchunks - 1, next_id)
    struct.pack_into('<H', h, 42, nchunks & 0xffff)
    struct.pack_into('<I', h, 120, 0)
    struct.pack_into('<I', h, 124, zlib.crc32(bytes(h[:120])) & 0xffffffff)
    return bytes(h)


def renumber(chunk, add):
    """A copy of chunk whose record ids are add more, checksums redone."""
    c = bytearray(chunk)
    for off in (8, 16, 24, 32):
        struct.pack_into('<Q', c, off, struct.unpack_from('<Q', c, off)[0] + add)
    for at, _, rid in records(c):
        struct.pack_into('<Q', c, at + 8, rid + add)
    chunk_sums(c)
    return bytes(c)


def records(c):
    """(offset, size, id) of each record of chunk c."""
    out, at = [], 512
    free = struct.unpack_from('<I', c, 48)[0]
    while at + 24 <= free and c[at:at + 4] == b'\x2a\x2a\0\0':
        size = struct.unpack_from('<I', c, at + 4)[0]
        if size < 24:
            break
        out.append((at, size, struct.unpack_from('<Q', c, at + 8)[0]))
        at += size
    return out


def chunk_sums(c):
    """The records' and the header's CRC32 of chunk c set (in place)."""
    free = struct.unpack_from('<I', c, 48)[0]
    struct.pack_into('<I', c, 52, zlib.crc32(bytes(c[512:free])) & 0xffffffff)
    struct.pack_into('<I', c, 124,
                     zlib.crc32(bytes(c[:120]) + bytes(c[128:512])) & 0xffffffff)


def free_tail(chunk, n):
    """A copy of chunk whose last n records lie in its free space."""
    c = bytearray(chunk)
    recs = records(c)
    at, size, rid = recs[-n - 1]
    first = struct.unpack_from('<Q', c, 8)[0]
    struct.pack_into('<Q', c, 16, first + len(recs) - n - 1)
    struct.pack_into('<Q', c, 32, rid)
    struct.pack_into('<II', c, 44, at, at + size)
    chunk_sums(c)
    return bytes(c)


def main():
    src, dst, n = sys.argv[1], sys.argv[2], sys.argv[3]
    mode = sys.argv[4] if len(sys.argv) > 4 else ''
    data = open(src, 'rb').read()
    chunks = [data[HDR + i * CHUNK:HDR + (i + 1) * CHUNK]
              for i in range((len(data) - HDR) // CHUNK)]
    chunks = [c for c in chunks if c[:8] == b'ElfChnk\0']
    if ':' in n:
        a, b = n.split(':')
        chunks = chunks[int(a):int(b)]
    elif int(n) > 0:
        chunks = chunks[:int(n)]
    if mode.startswith('repeat:'):
        chunks = [renumber(c, k * 1000000)
                  for k in range(int(mode.split(':')[1])) for c in chunks]
    elif mode.startswith('free:'):
        chunks[-1] = free_tail(chunks[-1], int(mode.split(':')[1]))
    last_id = struct.unpack_from('<Q', chunks[-1], 32)[0]
    body = b''.join(chunks)
    out = fix_header(data, len(chunks), last_id + 1) + body
    if mode == 'truncate':
        out = out[:len(out) - CHUNK // 2 - 123]
    elif mode == 'badsum':
        b = bytearray(out)
        at = len(b) - CHUNK + 700
        b[at] ^= 0x5a
        out = bytes(b)
    elif mode == 'garbage':
        b = bytearray(out[:HDR])
        x = 12345
        for _ in range(len(chunks) * CHUNK):
            x = (x * 1103515245 + 12345) & 0x7fffffff
            b.append(x >> 16 & 0xff)
        out = bytes(b)
    open(dst, 'wb').write(out)


if __name__ == '__main__':
    main()
