#!/usr/bin/env python3
"""evtx_oracle.py EVTX DB PATH [recovered] - compare the win_events rows of the case
DB stored from PATH (a LIKE pattern when it holds a %: the rows of
several paths, e.g. a log and its shadow copies') with what evtxexport -f xml (libevtx-utils) and
evtx_dump.py (python3-evtx, an independent parser) read from EVTX.

evtxexport: every record's channel, provider, event id, record id,
computer, Security UserID, level, TimeCreated (to the microsecond) and
EventData/UserData names and values.  evtx_dump.py: the record ids and their times.
With "recovered": the rows marked recovered against the records
evtxexport -m recovered reads from the free space of dirty chunks (and
the other rows against evtxexport's items); evtx_dump.py reads no
recovered record, so its check covers the others.
Prints each difference; exits 1 when there is one.
"""
import json
import re
import sqlite3
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import datetime, timezone

NS = '{http://schemas.microsoft.com/win/2004/08/events/event}'


def us(text):
    m = re.match(r'(\d{4}-\d\d-\d\d)[T ](\d\d:\d\d:\d\d)(?:\.(\d+))?', text)
    frac = (m.group(3) or '').ljust(6, '0')[:6]
    t = datetime.strptime(m.group(1) + ' ' + m.group(2), '%Y-%m-%d %H:%M:%S')
    return int(t.replace(tzinfo=timezone.utc).timestamp()) * 1000000 + \
        int(frac)


def leaves(el, out):
    for c in el:
        if len(c):
            leaves(c, out)
        else:
            name = c.tag.split('}')[-1]
            out[name] = c.text or ''


def event_data(ev):
    out = {}
    ed = ev.find(NS + 'EventData')
    if ed is not None:
        k = 0
        for d in ed:
            tag = d.tag.split('}')[-1]
            name = d.get('Name') if tag == 'Data' else tag
            if not name:
                k += 1
                name = 'Data%d' % k
            key, i = name, 2
            while key in out:
                key, i = '%s#%d' % (name, i), i + 1
            out[key] = d.text or ''
        return out
    ud = ev.find(NS + 'UserData')
    if ud is not None:
        leaves(ud, out)
    return out


def evtxexport(path, mode='items'):
    text = subprocess.run(['evtxexport', '-m', mode, '-f', 'xml', path],
                          capture_output=True, text=True).stdout
    recs = {}
    for m in re.finditer(r'<Event xmlns.*?</Event>', text, re.S):
        ev = ET.fromstring(m.group(0))
        s = ev.find(NS + 'System')
        rid = int(s.find(NS + 'EventRecordID').text)
        recs[rid] = {
            'channel': s.find(NS + 'Channel').text,
            'provider': s.find(NS + 'Provider').get('Name'),
            'event_id': int(s.find(NS + 'EventID').text),
            'computer': s.find(NS + 'Computer').text,
            'user_sid': s.find(NS + 'Security').get('UserID'),
            'level': int(s.find(NS + 'Level').text),
            'ts': us(s.find(NS + 'TimeCreated').get('SystemTime')),
            'data': event_data(ev),
        }
    return recs


def evtx_dump(path):
    text = subprocess.run(['evtx_dump.py', path], capture_output=True,
                          text=True).stdout
    ids = re.findall(r'<EventRecordID>(\d+)</EventRecordID>', text)
    times = re.findall(r'<TimeCreated SystemTime="([^"]*)"', text)
    return {int(i): us(t) for i, t in zip(ids, times)}


def compare(want, rows, what):
    """The differences of rows (by record id) from want, printed."""
    bad = 0
    if len(want) != len(rows):
        print('count: evtxexport%s %d, irkit %d' % (what, len(want),
                                                   len(rows)))
        bad += 1
    for rid, w in want.items():
        r = rows.get(rid)
        if r is None:
            print('record %d: not stored' % rid)
            bad += 1
            continue
        got = {'channel': r[1], 'provider': r[2], 'event_id': r[3],
               'computer': r[4], 'ts': r[5], 'data': json.loads(r[6]),
               'user_sid': r[7], 'level': r[8]}
        for k in w:
            if w[k] != got[k]:
                print('record %d %s: evtxexport %r, irkit %r' %
                      (rid, k, w[k], got[k]))
                bad += 1
    return bad


def main():
    evtx, db, path = sys.argv[1:4]
    recovered = sys.argv[4:5] == ['recovered']
    con = sqlite3.connect(db)
    rows, rec = {}, {}
    for r in con.execute(
            'SELECT record_id, channel, provider, event_id, computer, ts, '
            'data, user_sid, level, recovered '
            'FROM win_events WHERE path %s ?' % ('LIKE' if '%' in path
                                                 else '='), (path,)):
        (rec if r[9] else rows)[r[0]] = r
    bad = compare(evtxexport(evtx), rows, '')
    if recovered:
        bad += compare(evtxexport(evtx, 'recovered'), rec, ' -m recovered')
        if not rec:
            print('no recovered record')
            bad += 1
    elif rec:
        print('%d recovered records, none expected' % len(rec))
        bad += 1
    other = evtx_dump(evtx)
    if len(other) != len(rows):
        print('count: evtx_dump.py %d, irkit %d' % (len(other), len(rows)))
        bad += 1
    # evtx_dump.py converts FILETIME through a float: a few us off
    for rid, t in other.items():
        if rid not in rows or abs(rows[rid][5] - t) > 3:
            print('record %d: evtx_dump.py time %d, irkit %s' %
                  (rid, t, rows[rid][5] if rid in rows else None))
            bad += 1
    print('%d records, %d recovered, %d differences' % (len(rows), len(rec),
                                                        bad))
    sys.exit(1 if bad else 0)


if __name__ == '__main__':
    main()
