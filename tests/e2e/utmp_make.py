#!/usr/bin/env python3
"""utmp_make.py - write utmp/wtmp/btmp and lastlog files from the
documented structures (glibc bits/utmp.h), for logins.bats.

  utmp_make.py utmp OUT LAYOUT < entries
      one entry a line: TYPE PID LINE ID USER HOST ADDR SEC USEC
      ("-" for an empty text field; ADDR an IPv4/IPv6 address or "-");
      LAYOUT: 384-le (x86-64, i386: 32-bit ut_session and ut_tv),
      400-le / 400-be (aarch64, s390x: 64-bit ones)
  utmp_make.py lastlog OUT < entries
      one entry a line: UID SEC LINE HOST (292-byte struct lastlog,
      written at UID * 292: the file stays sparse)
"""
import ipaddress
import struct
import sys


def field(s):
    return b"" if s == "-" else s.encode()


def addr16(s):
    if s == "-":
        return b"\0" * 16
    a = ipaddress.ip_address(s)
    return a.packed.ljust(16, b"\0")


def utmp_entry(layout, t, pid, line, uid, user, host, addr, sec, usec):
    e = ">" if layout.endswith("be") else "<"
    head = struct.pack(e + "hxxi32s4s32s256shh", t, pid, field(line),
                       field(uid), field(user), field(host), 0, 0)
    if layout.startswith("384"):
        tail = struct.pack(e + "iii", 0, sec, usec) + addr16(addr) + b"\0" * 20
        rec = head + tail
        assert len(rec) == 384
    else:
        tail = struct.pack(e + "qqq", 0, sec, usec) + addr16(addr) + b"\0" * 24
        rec = head + tail
        assert len(rec) == 400, len(rec)
    return rec


def main():
    what, out = sys.argv[1], sys.argv[2]
    if what == "utmp":
        layout = sys.argv[3]
        with open(out, "wb") as f:
            for line in sys.stdin:
                p = line.split()
                if not p:
                    continue
                f.write(utmp_entry(layout, int(p[0]), int(p[1]), p[2], p[3],
                                   p[4], p[5], p[6], int(p[7]), int(p[8])))
    elif what == "lastlog":
        with open(out, "wb") as f:
            for line in sys.stdin:
                p = line.split()
                if not p:
                    continue
                f.seek(int(p[0]) * 292)
                f.write(struct.pack("<i32s256s", int(p[1]), field(p[2]),
                                    field(p[3])))
    else:
        sys.exit("usage: utmp_make.py utmp|lastlog OUT [LAYOUT]")


main()
