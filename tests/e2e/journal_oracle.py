#!/usr/bin/env python3
"""journal_oracle.py - journal entries in one shape, to compare
journalctl's reading with irkit's (journal.bats).

  journalctl --file F -o json --all | journal_oracle.py oracle
  sqlite3 -json CASE "SELECT ... FROM journal_entries" | journal_oracle.py ours

One JSON line per entry, sorted by cursor.  The oracle applies irkit's
documented rules to journalctl's values: a message is kept up to 8192
bytes (message_cut 1 when longer); bytes that are not UTF-8, NUL and
backslash are written \\xNN (docs/FORMAT.md); numbers are integers.
"""
import json
import sys

MSG_MAX = 8192
FIELDS = {"cursor": "__CURSOR", "time": "__REALTIME_TIMESTAMP",
          "monotonic_us": "__MONOTONIC_TIMESTAMP", "boot_id": "_BOOT_ID",
          "hostname": "_HOSTNAME", "unit": "_SYSTEMD_UNIT",
          "identifier": "SYSLOG_IDENTIFIER", "pid": "_PID", "uid": "_UID",
          "gid": "_GID", "comm": "_COMM", "exe": "_EXE",
          "cmdline": "_CMDLINE", "priority": "PRIORITY",
          "transport": "_TRANSPORT", "message": "MESSAGE"}
NUMBERS = ("time", "monotonic_us", "pid", "uid", "gid", "priority")


def esc(b):
    out, i = [], 0
    while i < len(b):
        ch = None
        for n in (1, 2, 3, 4):
            try:
                ch = b[i:i + n].decode("utf-8")
                break
            except UnicodeDecodeError:
                pass
        if ch is None or b[i] in (0, 0x5c):
            out.append("\\x%02x" % b[i])
            i += 1
        else:
            out.append(ch)
            i += n
    return "".join(out)


def value(v):
    if isinstance(v, list):
        return bytes(v)
    return v.encode()


def from_journalctl(line):
    e = json.loads(line)
    r = {}
    for k, f in FIELDS.items():
        v = e.get(f)
        if v is None:
            r[k] = None
            continue
        b = value(v)
        if k in NUMBERS:
            r[k] = int(b)
        elif k == "message":
            r[k] = esc(b[:MSG_MAX])
            r["message_cut"] = 1 if len(b) > MSG_MAX else None
        else:
            r[k] = esc(b)
    r.setdefault("message_cut", None)
    return r


def main():
    if sys.argv[1] == "oracle":
        rows = [from_journalctl(l) for l in sys.stdin if l.strip()]
    else:
        text = sys.stdin.read().strip()
        rows = json.loads(text) if text else []
        for r in rows:
            r["message_cut"] = r.get("message_cut") or None
    for r in sorted(rows, key=lambda r: r["cursor"]):
        print(json.dumps(r, sort_keys=True))


main()
