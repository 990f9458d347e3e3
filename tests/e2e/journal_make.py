#!/usr/bin/env python3
"""journal_make.py - journal export format text for systemd-journal-remote
(https://systemd.io/JOURNAL_EXPORT_FORMATS/), the fixtures of journal.bats.

  journal_make.py KIND [N]   writes the export text on stdout

KIND:
  basic   entries of two boots: sshd and sudo messages, a unit start, a
          message with bytes that are not UTF-8 and a newline (binary
          field), a 100 KB field (which journal-remote compresses)
  late    two entries written after those of basic (a later file)
  back    entries whose time goes back within one boot
  many    N generated entries (the bench, the corruption tests)
"""
import struct
import sys

BOOT1 = "0123456789abcdef0123456789abcdef"
BOOT2 = "fedcba9876543210fedcba9876543210"
T0 = 1700000000000000


def field(k, v):
    if isinstance(v, str):
        v = v.encode()
    if b"\n" in v or any(c < 32 and c != 9 for c in v) or \
            any(c >= 0x80 for c in v):
        return k.encode() + b"\n" + struct.pack("<Q", len(v)) + v + b"\n"
    return k.encode() + b"=" + v + b"\n"


def entry(t, mono, boot, fields):
    out = field("__REALTIME_TIMESTAMP", str(t))
    out += field("__MONOTONIC_TIMESTAMP", str(mono))
    out += field("_BOOT_ID", boot)
    out += field("_HOSTNAME", "web1")
    for k, v in fields:
        out += field(k, v)
    return out + b"\n"


def proc(ident, pid, uid, unit, msg, prio="6", transport="syslog"):
    return [("SYSLOG_IDENTIFIER", ident), ("_PID", str(pid)),
            ("_UID", str(uid)), ("_GID", str(uid)), ("_COMM", ident),
            ("_EXE", "/usr/sbin/" + ident),
            ("_CMDLINE", ident + ": worker"), ("_SYSTEMD_UNIT", unit),
            ("PRIORITY", prio), ("_TRANSPORT", transport), ("MESSAGE", msg)]


def basic():
    s = b""
    s += entry(T0, 5000000, BOOT1, proc("systemd", 1, 0, "init.scope",
               "Started ssh.service - OpenBSD Secure Shell server.",
               transport="journal"))
    s += entry(T0 + 1000000, 6000000, BOOT1, proc("sshd", 812, 0,
               "ssh.service", "Failed password for root from 203.0.113.9 "
               "port 50122 ssh2", prio="5"))
    s += entry(T0 + 2000000, 7000000, BOOT1, proc("sshd", 812, 0,
               "ssh.service", "Accepted publickey for al from 203.0.113.9 "
               "port 50124 ssh2: ED25519 SHA256:abc"))
    s += entry(T0 + 3000000, 8000000, BOOT1, proc("sudo", 900, 1000,
               "session-1.scope", "      al : TTY=pts/0 ; PWD=/home/al ; "
               "USER=root ; COMMAND=/bin/bash", prio="5"))
    s += entry(T0 + 4000000, 9000000, BOOT1, [
        ("SYSLOG_IDENTIFIER", "odd"), ("_PID", "901"),
        ("MESSAGE", b"bin\x01ary \xff\xfe\nsecond line"),
        ("BLOB", b"\x00\x01\x02" * 10)])
    s += entry(T0 + 5000000, 10000000, BOOT1, [
        ("SYSLOG_IDENTIFIER", "big"), ("_PID", "902"),
        ("MESSAGE", "large field follows"), ("LARGE", "A" * 100000)])
    # messages journal-remote compresses (over 512 bytes): one kept
    # whole, one longer than irkit keeps (8192 bytes)
    s += entry(T0 + 5500000, 10500000, BOOT1, [
        ("SYSLOG_IDENTIFIER", "long"), ("_PID", "903"),
        ("MESSAGE", "".join("compressed %05d " % i for i in range(300)))])
    s += entry(T0 + 5600000, 10600000, BOOT1, [
        ("SYSLOG_IDENTIFIER", "long"), ("_PID", "903"),
        ("MESSAGE", "".join("cut %05d " % i for i in range(2000)))])
    # the second boot: monotonic time starts again
    s += entry(T0 + 3600000000, 2000000, BOOT2, proc("kernel", 0, 0, "",
               "Linux version 6.1.0", prio="5", transport="kernel"))
    s += entry(T0 + 3601000000, 3000000, BOOT2, proc("sshd", 700, 0,
               "ssh.service", "Accepted password for root from "
               "198.51.100.7 port 40000 ssh2"))
    return s


def late():
    s = b""
    s += entry(T0 + 7200000000, 4000000, BOOT2, proc("cron", 50, 0,
               "cron.service", "(root) CMD (run-parts /etc/cron.hourly)"))
    s += entry(T0 + 7201000000, 5000000, BOOT2, proc("useradd", 51, 0,
               "", "new user: name=mallory, UID=1001, GID=1001"))
    return s


def back():
    s = b""
    s += entry(T0 + 100000000, 5000000, BOOT1, proc("a", 1, 0, "a.service",
               "first"))
    s += entry(T0, 6000000, BOOT1, proc("a", 1, 0, "a.service",
               "earlier than the first, written after it"))
    s += entry(T0 + 200000000, 7000000, BOOT1, proc("a", 1, 0, "a.service",
               "third"))
    return s


def many(n):
    out = sys.stdout.buffer
    for i in range(n):
        out.write(entry(T0 + i * 1000, 1000000 + i * 1000, BOOT1,
                        proc("sshd", 1000 + i % 500, 0, "ssh.service",
                             "Failed password for user%d from 192.0.2.%d "
                             "port %d ssh2" % (i % 97, i % 250, 1024 + i))))


def main():
    kind = sys.argv[1]
    if kind == "many":
        many(int(sys.argv[2]))
        return
    sys.stdout.buffer.write({"basic": basic, "late": late,
                             "back": back}[kind]())


main()
