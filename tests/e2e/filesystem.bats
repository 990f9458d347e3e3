#!/usr/bin/env bats
#
# The filesystem collector (irkit-collect --with filesystem): the
# file-system timeline of a live host or a mounted root, loaded as files
# rows (origin 'walk') and exported as a TSK bodyfile.
#
# Oracles: GNU find -printf and stat(1) (statx) for every name's inode,
# mode, owner, size and times; TSK's mactime on the exported bodyfile
# against mactime on a bodyfile written from find; sqlite3; GNU tar for
# the archive's members.
load helpers

setup() {
	setup_scratch
	cd "$SCRATCH"
}

teardown() {
	full_fs_gone "$SCRATCH/root/mnt" 2>/dev/null || true
	teardown_scratch
}

# A root with every kind of name: files, a link, a fifo, nested folders,
# names with a space, a '|' and a newline.
make_root() {
	r=$SCRATCH/root
	mkdir -p "$r/etc" "$r/home/u/.ssh" "$r/var/log" "$r/mnt"
	echo host1 > "$r/etc/hostname"
	printf 'x%.0s' $(seq 1 5000) > "$r/var/log/big"
	: > "$r/home/u/.ssh/authorized_keys"
	chmod 4750 "$r/var/log/big"
	chown 1000:1000 "$r/home/u/.ssh/authorized_keys"
	ln -s /etc/hostname "$r/home/u/link"
	mkfifo "$r/var/fifo"
	echo a > "$r/home/u/with space"
	echo b > "$r/home/u/pipe|name"
	touch -d '2001-02-03 04:05:06.789 UTC' "$r/etc/hostname"
	# read every folder once: under relatime their atimes then stay put
	# while the walk and find read them again
	ls -laR "$r" > /dev/null
	echo "$r"
}

collect_walk() {
	rm -f "$SCRATCH/w.tar.zst" "$SCRATCH/w.tar.zst.sha256"
	run "$COLLECT" -q -o "$SCRATCH/w.tar.zst" --root "$1" --only filesystem \
	    "${@:2}"
	echo "$output"
}

@test "filesystem: not in the default set; --list says so; --with runs it" {
	root=$(make_root)
	run "$COLLECT" --list
	[[ "$output" == *"filesystem"*"not in the default set: --with"* ]]
	run "$COLLECT" -q -o "$SCRATCH/d.tar.zst" --root "$root" \
	    --only kernel_modules
	run tar -tf "$SCRATCH/d.tar.zst"
	[[ "$output" != *records/filesystem* ]]
	# the default set: every collector but filesystem
	run "$COLLECT" -q -o "$SCRATCH/all.tar.zst" --root "$root" \
	    --skip processes,certificates
	tar -xOf "$SCRATCH/all.tar.zst" --wildcards '*/manifest.json' > m.json
	python3 -c '
import json; m = json.load(open("m.json"))
assert m["collectors"]["filesystem"]["status"] == "skipped", m["collectors"]'
	run "$COLLECT" -q -o "$SCRATCH/w.tar.zst" --root "$root" \
	    --with filesystem --skip processes,certificates
	tar -xOf "$SCRATCH/w.tar.zst" --wildcards '*/manifest.json' > m.json
	python3 -c '
import json; m = json.load(open("m.json"))
assert m["collectors"]["filesystem"]["status"] == "ok", m["collectors"]
assert m["collectors"]["services"]["status"] != "skipped"'
	run "$COLLECT" --with nosuch -o "$SCRATCH"
	[ "$status" -eq 2 ]
	[[ "$output" == *"unknown collector 'nosuch'"* ]]
}

@test "filesystem: every name as find and stat see it (inode, mode, owner, size, times)" {
	root=$(make_root)
	collect_walk "$root"
	[ "$status" -eq 0 ]
	tar -xOf "$SCRATCH/w.tar.zst" --wildcards '*/records/filesystem.jsonl' \
	    > walk.jsonl
	# find's view, after the walk (the folders' atimes settled first)
	(cd "$root" && find . -printf '%p\0%i\0%M\0%U\0%G\0%s\0%A@\0%T@\0%C@\0%y\0') \
	    > find.bin
	python3 - "$root" <<'PY'
import json, os, subprocess, sys
from datetime import datetime, timezone
root = sys.argv[1]
def us(t):
    d = datetime.strptime(t, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)
    return int(d.timestamp()) * 1000000 + d.microsecond
walk = {}
for line in open("walk.jsonl"):
    r = json.loads(line)
    assert r["type"] == "fs_entry"
    walk[r["path"]] = r
f = open("find.bin", "rb").read().split(b"\0")[:-1]
seen = 0
for i in range(0, len(f), 10):
    p, ino, mode, uid, gid, size, at, mt, ct, y = [x.decode() for x in f[i:i+10]]
    path = "/" if p == "." else p[1:]
    r = walk.pop(path)
    assert r["inode"] == int(ino), (path, r, ino)
    assert int(r["uid"]) == int(uid) and int(r["gid"]) == int(gid), path
    assert r["size"] == int(size), (path, r["size"], size)
    # mode: type and permission bits as find prints them
    st = os.lstat(os.path.join(root, path.lstrip("/")) if path != "/" else root)
    assert int(r["mode"], 8) == st.st_mode, (path, r["mode"], oct(st.st_mode))
    kinds = {"f": "file", "d": "dir", "l": "link", "p": "fifo"}
    assert r["kind"] == kinds[y], (path, r["kind"], y)
    # times: find gives nanoseconds, irkit keeps microseconds
    def ns_us(s):
        sec, frac = s.split(".")
        return int(sec) * 1000000 + int((frac + "000000000")[:6])
    assert us(r["mtime"]) == ns_us(mt), (path, r["mtime"], mt)
    assert us(r["ctime"]) == ns_us(ct), (path, r["ctime"], ct)
    assert us(r["atime"]) == ns_us(at), (path, r["atime"], at)
    # birth time: stat(1) asks statx as irkit does
    w = subprocess.run(["stat", "-c", "%.6W",
        os.path.join(root, path.lstrip("/")) if path != "/" else root],
        capture_output=True, text=True).stdout.strip()
    if w in ("0", "0.000000", "-", "?"):
        assert r["btime"] is None, (path, r["btime"], w)
    else:
        sec, frac = w.split(".")
        assert us(r["btime"]) == int(sec) * 1000000 + int(frac), (path, w)
    if y == "l":
        assert r["target"] == "/etc/hostname", r
    seen += 1
assert not walk, walk.keys()
assert seen == 15, seen
PY
	# the touched file's time, to the microsecond
	grep -F '"path":"/etc/hostname"' walk.jsonl | grep -F '"mtime":"2001-02-03T04:05:06.789000Z"'
}

@test "filesystem: the exported bodyfile reads in mactime as a bodyfile made from find" {
	root=$(make_root)
	collect_walk "$root"
	[ "$status" -eq 0 ]
	run "$ANALYZE" ingest -q --no-default-rules --db c.db "$SCRATCH/w.tar.zst"
	[ "$status" -eq 0 ]
	# files rows of origin 'walk', one per name, none scanned
	[ "$(sqlite3 c.db "SELECT count(*) FROM files WHERE origin = 'walk'")" -eq 15 ]
	[ "$(sqlite3 c.db "SELECT count(*) FROM files WHERE origin IS NOT 'walk'")" -eq 0 ]
	# MACB events for them, as for every file
	[ "$(sqlite3 c.db "SELECT count(*) FROM events WHERE path = '/etc/hostname'")" -ge 1 ]
	run "$ANALYZE" export --db c.db --format bodyfile -o body.txt
	[ "$status" -eq 0 ]
	# find's bodyfile: the same columns, times in seconds (btime from stat)
	(cd "$root" && find . -printf '%p\t%i\t%U\t%G\t%s\t%A@\t%T@\t%C@\n') | \
	    python3 -c '
import os, subprocess, sys
root = sys.argv[1]
for line in sys.stdin:
    p, ino, uid, gid, size, a, m, c = line.rstrip("\n").split("\t")
    path = "/" if p == "." else p[1:]
    full = root if path == "/" else os.path.join(root, path[1:])
    w = subprocess.run(["stat", "-c", "%W", full], capture_output=True,
        text=True).stdout.strip()
    b = int(w) if w.lstrip("-").isdigit() and int(w) > 0 else 0
    name = path + (" -> " + os.readlink(full) if os.path.islink(full) else "")
    name = name.replace("%", "%25").replace("|", "%7C")
    print("0|%s|%s|MODE|%s|%s|%s|%d|%d|%d|%d" % (name, ino, uid, gid, size,
        int(float(a)), int(float(m)), int(float(c)), b))
' "$root" > find-body.txt
	# all but the mode column (fls's "r/rrw-r--r--" form against none)
	mactime -b body.txt -d -z UTC | cut -d, -f1,2,3,5- | sort > ours.csv
	mactime -b find-body.txt -d -z UTC | cut -d, -f1,2,3,5- | sort > theirs.csv
	diff ours.csv theirs.csv
	[ "$(wc -l < ours.csv)" -ge 10 ]
	grep -q 'pipe|name\|pipe%7Cname' body.txt
}

@test "filesystem: excludes, mount points not entered unless asked, /proc never" {
	root=$(make_root)
	mkdir -p "$root/proc/1"
	echo x > "$root/proc/1/status"
	full_fs "$root/mnt" 1m
	echo inner > "$root/mnt/inner"
	collect_walk "$root" --fs-exclude /var/log
	[ "$status" -eq 0 ]
	tar -xOf "$SCRATCH/w.tar.zst" --wildcards '*/records/filesystem.jsonl' > w.jsonl
	grep -qF '"path":"/var"' w.jsonl
	! grep -qF '"path":"/var/log' w.jsonl || false
	! grep -qF '"path":"/proc' w.jsonl || false
	# the mount point itself, not what is in it
	grep -qF '"path":"/mnt"' w.jsonl
	! grep -qF '"path":"/mnt/inner"' w.jsonl || false
	collect_walk "$root" --fs-cross-mounts --fs-root /mnt --fs-root /etc
	[ "$status" -eq 0 ]
	tar -xOf "$SCRATCH/w.tar.zst" --wildcards '*/records/filesystem.jsonl' > w.jsonl
	grep -qF '"path":"/mnt/inner"' w.jsonl
	grep -qF '"path":"/etc/hostname"' w.jsonl
	! grep -qF '"path":"/var' w.jsonl || false
	# a walk root that is not absolute, or absent: said, exit 1
	collect_walk "$root" --fs-root /nosuch
	[ "$status" -eq 1 ]
	tar -xOf "$SCRATCH/w.tar.zst" --wildcards '*/log.jsonl' | grep -F '/nosuch'
}

@test "filesystem: a walk of many names streams in several members, all loaded; a deep tree is bounded" {
	root=$SCRATCH/many
	mkdir -p "$root"
	python3 - "$root" <<'PY'
import os, sys
r = sys.argv[1]
for d in range(120):
    os.mkdir(os.path.join(r, "d%03d" % d))
    for f in range(1000):
        open(os.path.join(r, "d%03d" % d, "file-with-a-longish-name-%04d" % f), "w").close()
# 300 levels: deeper than the walk goes
p = os.path.join(r, "deep")
os.mkdir(p)
os.chdir(p)
for i in range(300):
    os.mkdir("a")
    os.chdir("a")
PY
	collect_walk "$root"
	# the deep tree is cut at the bound, in the log: partial
	[ "$status" -eq 1 ]
	tar -xOf "$SCRATCH/w.tar.zst" --wildcards '*/log.jsonl' | grep -F 'deeper than 256 levels'
	run tar -tf "$SCRATCH/w.tar.zst"
	[[ "$output" == *records/filesystem.jsonl* ]]
	[[ "$output" == *records/filesystem.2.jsonl* ]]
	run "$ANALYZE" verify "$SCRATCH/w.tar.zst"
	[ "$status" -eq 0 ]
	run "$ANALYZE" ingest -q --no-default-rules --db c.db "$SCRATCH/w.tar.zst"
	[ "$status" -eq 0 ]
	# every name but the levels of deep/a/a/... past the bound
	n=$(sqlite3 c.db "SELECT count(*) FROM files WHERE origin = 'walk'")
	levels=$(sqlite3 c.db "SELECT count(*) FROM files WHERE origin = 'walk' AND path LIKE '/deep/a%'")
	want=$(( $(cd "$root" && find . -path ./deep -prune -o -print | wc -l) + 1 ))
	[ "$n" -eq $(( want + levels )) ]
	[ "$levels" -ge 250 ] && [ "$levels" -lt 300 ]
}
