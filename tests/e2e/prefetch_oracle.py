#!/usr/bin/env python3
"""prefetch_oracle.py DB PF... - compare the prefetch rows of DB with what
sccainfo (libscca-utils) prints for each .pf file: format version, hash,
executable, run count, last run times, the files referenced, the
volumes.  Prints one line per file checked; exits 1 on a difference."""
import datetime
import json
import os
import re
import sqlite3
import subprocess
import sys


def us(text):
    """'Mar 10, 2013 10:11:49.281250000 UTC' as microseconds."""
    m = re.match(r"(\w+ \d+, \d+ \d+:\d+:\d+)\.(\d{9}) UTC", text)
    d = datetime.datetime.strptime(m.group(1), "%b %d, %Y %H:%M:%S")
    d = d.replace(tzinfo=datetime.timezone.utc)
    return int(d.timestamp()) * 1000000 + int(m.group(2)) // 1000


def sccainfo(path):
    out = subprocess.run(["sccainfo", path], capture_output=True,
                         text=True, check=True).stdout
    o = {"runs": [], "files": [], "volumes": []}
    for line in out.splitlines():
        k, _, v = line.partition(":")
        k, v = k.strip(), v.strip()
        if k == "Format version":
            o["version"] = int(v)
        elif k == "Prefetch hash":
            o["hash"] = "%08x" % int(v, 16)
        elif k == "Executable filename":
            o["exe"] = v
        elif k == "Run count":
            o["run_count"] = int(v)
        elif k.startswith("Last run time"):
            v = line.split("\t: ", 1)[1].strip() if "\t: " in line else v
            if not v.startswith("Not set"):
                o["runs"].append(us(v))
        elif line.strip().startswith("Filename:"):
            o["files"].append(line.split("\t: ", 1)[1])
        elif k == "Device path":
            o["volumes"].append({"device_path": v})
        elif k == "Creation time":
            o["volumes"][-1]["created"] = us(v)
        elif k == "Serial number":
            o["volumes"][-1]["serial"] = "%08x" % int(v, 16)
    return o


def main():
    db = sqlite3.connect(sys.argv[1])
    bad = 0
    for pf in sys.argv[2:]:
        want = sccainfo(pf)
        name = os.path.basename(pf)
        row = db.execute("SELECT id, version, prefetch_hash, executable, "
                         "run_count, files, volumes, file_count FROM "
                         "prefetch WHERE path LIKE ?",
                         ("%/" + name,)).fetchone()
        if row is None:
            print("missing", name)
            bad = 1
            continue
        runs = sorted(r[0] for r in db.execute(
            "SELECT time FROM prefetch_runs WHERE prefetch_id = ?",
            (row[0],)))
        vols = []
        for v in json.loads(row[6]):
            created = datetime.datetime.strptime(
                v["created"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(
                tzinfo=datetime.timezone.utc)
            vols.append({"device_path": v["device_path"],
                         "serial": v["serial"],
                         "created": int(created.timestamp()) * 1000000 +
                         created.microsecond})
        got = {"version": row[1], "hash": row[2], "exe": row[3],
               "run_count": row[4], "files": json.loads(row[5]),
               "runs": runs, "volumes": vols}
        want["runs"].sort()
        if row[7] != len(want["files"]):
            print("file_count", name, row[7], len(want["files"]))
            bad = 1
        for k in want:
            if got[k] != want[k]:
                print("differs", name, k, repr(got[k])[:300],
                      repr(want[k])[:300])
                bad = 1
        print("checked", name, want["exe"], len(want["runs"]), "runs",
              len(want["files"]), "files")
    sys.exit(bad)


main()
