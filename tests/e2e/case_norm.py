#!/usr/bin/env python3
"""case_norm.py CASE.db - a case database as text that does not depend
on row ids, for comparing two cases made in different ways (merge.bats:
shards merged against one ingest of the same inputs).

Each table is printed sorted by content; a reference to another row
(evidence_id, host_id, file_id, a parent such as process_id or
prefetch_id, record_table/record_id, finding_id) is replaced by the
content of the row it names, recursively; ids themselves are left out.
Columns that say when the case was made (ingested_at, scanned_at,
marked_at, the analyzer's own log times) are blanked, and so is the text
of a YARA event, which says whether the content was scanned or found in
the scan cache ("YARA rule R matched" or "1 YARA rule(s) matched (scan
cache)"): which input of a case scanned it first is not content; nor
is its time, the file's time when the match was stored (ingest stores a
match from the scan cache at once, often before the collected file's
record has given the row its exact mtime: the archive member's whole
second then)."""
import sqlite3
import sys

# when the case was made, not what is in it
VOLATILE = {("evidence", "ingested_at"), ("scan_cache", "scanned_at"),
            ("baselines", "marked_at"), ("meta", "value")}

db = sqlite3.connect(sys.argv[1])
db.text_factory = bytes
tables = [r[0].decode() for r in db.execute(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND "
    "name NOT LIKE 'sqlite%' ORDER BY name")]
cols = {t: [r[1].decode() if isinstance(r[1], bytes) else r[1]
            for r in db.execute("PRAGMA table_info(%s)" % t)]
        for t in tables}


def ref_table(col):
    """The table a column X_id names, or None."""
    if not col.endswith("_id"):
        return None
    base = col[:-3]
    for cand in (base, base + "s", base + "es"):
        if cand in cols and "id" in cols[cand]:
            return cand
    return None


memo = {}


def sig(table, rid, depth=0):
    """The content of row rid of table, references resolved."""
    if rid is None:
        return None
    key = (table, rid)
    if key in memo:
        return memo[key]
    if table not in cols or depth > 8:
        return ("?", table)
    row = db.execute("SELECT * FROM %s WHERE id = ?" % table,
                     (rid,)).fetchone()
    memo[key] = content(table, row, depth + 1) if row else ("missing",)
    return memo[key]


def content(table, row, depth=0):
    c = cols[table]
    out = []
    for i, name in enumerate(c):
        v = row[i]
        if name == "id" or (table, name) in VOLATILE:
            continue
        if table == "log" and name == "ts":
            continue
        if (table == "events" and name in ("message", "ts") and
                row[c.index("source")] == b"YARA"):
            v = b"YARA match"
        # a finding with no time of its own is on the timeline at its
        # evidence's collection, or its load (ingested_at) for an image
        if (table == "events" and name == "ts" and
                row[c.index("ts_desc")] == b"Finding (time of collection)"):
            v = b"collection or load"
        if name == "record_id" and "record_table" in c:
            rt = row[c.index("record_table")]
            v = sig(rt.decode(), v, depth) if rt else v
        elif ref_table(name):
            v = sig(ref_table(name), v, depth)
        out.append((name, v))
    return tuple(out)


for t in tables:
    rows = sorted(repr(content(t, r)) for r in db.execute(
        "SELECT * FROM %s" % t))
    print("== %s (%d rows)" % (t, len(rows)))
    for r in rows:
        print(r)
