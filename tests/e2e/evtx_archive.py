#!/usr/bin/env python3
"""evtx_archive.py IN OUT JSONL - a copy of the irkit archive IN with the
win_event records of JSONL as records/evtx.jsonl (listed in the
manifest with its size and SHA-256, before log.jsonl): event-log
records irkit has no sample log for, loaded by ingest like any
collection's records."""
import hashlib
import io
import json
import subprocess
import sys
import tarfile


def main():
    src, dst, jsonl = sys.argv[1:4]
    raw = subprocess.run(['zstd', '-dc', src], capture_output=True,
                         check=True).stdout
    tin = tarfile.open(fileobj=io.BytesIO(raw))
    members = [(m, tin.extractfile(m).read()) for m in tin.getmembers()]
    top = members[0][0].name.split('/')[0]
    recs = open(jsonl, 'rb').read()
    out = io.BytesIO()
    tout = tarfile.open(fileobj=out, mode='w', format=tarfile.PAX_FORMAT)
    for m, data in members:
        if m.name.endswith('/log.jsonl'):
            info = tarfile.TarInfo(top + '/records/evtx.jsonl')
            info.size, info.mtime, info.mode = len(recs), m.mtime, 0o644
            tout.addfile(info, io.BytesIO(recs))
        if m.name.endswith('/manifest.json'):
            man = json.loads(data)
            i = [x['path'] for x in man['members']].index('log.jsonl')
            man['members'].insert(i, {
                'path': 'records/evtx.jsonl', 'size': len(recs),
                'sha256': hashlib.sha256(recs).hexdigest()})
            data = json.dumps(man, indent=2).encode()
            m.size = len(data)
        tout.addfile(m, io.BytesIO(data))
    tout.close()
    comp = subprocess.run(['zstd', '-qc'], input=out.getvalue(),
                          capture_output=True, check=True).stdout
    open(dst, 'wb').write(comp)


if __name__ == '__main__':
    main()
