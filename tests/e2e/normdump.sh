#!/usr/bin/env bash
# normdump.sh [-i TABLE.COLUMN]... DB - a case database's rows by
# content, not by id, to compare two cases with diff (a single-process
# ingest and the merge of its shards load the same rows with other ids).
#
# Every table, one line a row, "TABLE|v1|v2|..." sorted, where the row's
# own id is left out and each reference to another row is replaced by
# that row's content (recursively; evidence by its SHA-256 and hosts by
# hostname and machine id, the keys a merge matches them by): evidence_id, host_id, process_id,
# prefetch_id, finding_id, declared foreign keys, and record_table +
# record_id pairs.  Left out too: SQLite's own tables (sqlite_stat1) and
# the columns that say when or where the case was loaded, not what it
# holds (evidence.ingested_at, evidence.path, scan_cache.scanned_at,
# log.ts); -i leaves out more.
set -euo pipefail
exec python3 - "$@" <<'PY'
import sqlite3
import sys

IGNORE = {("evidence", "ingested_at"), ("evidence", "path"),
          ("scan_cache", "scanned_at"), ("log", "ts")}
# columns that name a row of another table by its id, by name
BY_NAME = {"evidence_id": "evidence", "host_id": "hosts",
           "process_id": "processes", "prefetch_id": "prefetch",
           "finding_id": "findings"}
# rows named by these columns only (their identity)
NATURAL = {"evidence": ("sha256",), "hosts": ("hostname", "machine_id")}

args = sys.argv[1:]
while len(args) > 1 and args[0] == "-i":
    t, _, c = args[1].partition(".")
    IGNORE.add((t, c))
    args = args[2:]
if len(args) != 1:
    sys.exit("usage: normdump.sh [-i TABLE.COLUMN]... DB")
db = sqlite3.connect("file:%s?mode=ro" % args[0], uri=True)
tables = [r[0] for r in db.execute(
    "select name from sqlite_master where type = 'table' "
    "and name not like 'sqlite_%' order by name")]
cols, refs, rows, keys = {}, {}, {}, {}

for t in tables:
    info = db.execute("pragma table_info('%s')" % t).fetchall()
    cols[t] = [r[1] for r in info]
    has_id = "id" in cols[t]
    r = {f[3]: f[2] for f in db.execute("pragma foreign_key_list('%s')" % t)}
    for c in cols[t]:
        if c in BY_NAME and BY_NAME[c] in tables and c not in r:
            r[c] = BY_NAME[c]
    refs[t] = r
    q = "select %s from '%s'" % (", ".join('"%s"' % c for c in cols[t]), t)
    rows[t] = {}
    for i, row in enumerate(db.execute(q)):
        rid = row[cols[t].index("id")] if has_id else ("#", i)
        rows[t][rid] = row


def text(v):
    if isinstance(v, bytes):
        return "x'" + v.hex() + "'"
    return "NULL" if v is None else str(v)


def key(t, rid, depth=0):
    """the content of row rid of table t, references resolved"""
    if t not in rows or rid not in rows[t]:
        return "<%s:missing>" % t if rid is not None else "NULL"
    k = (t, rid)
    if k not in keys:
        if depth > 8:
            return "<%s:deep>" % t
        if t in NATURAL:
            r = rows[t][rid]
            v = [text(r[cols[t].index(c)]) for c in NATURAL[t]]
        else:
            v = content(t, rows[t][rid], depth + 1)
        keys[k] = "(" + ",".join(v) + ")"
    return keys[k]


def content(t, row, depth=0):
    out = []
    c = cols[t]
    for j, name in enumerate(c):
        v = row[j]
        if name == "id" or (t, name) in IGNORE:
            continue
        if name in refs[t]:
            out.append(key(refs[t][name], v, depth) if v is not None else "NULL")
        elif name == "record_id" and "record_table" in c:
            out.append(key(row[c.index("record_table")], v, depth)
                       if v is not None else "NULL")
        else:
            out.append(text(v))
    return out


lines = []
for t in tables:
    for row in rows[t].values():
        lines.append(t + "|" + "|".join(content(t, row)))
lines.sort()
sys.stdout.write("".join(line + "\n" for line in lines))
PY
