#!/usr/bin/env bats
# The process collector, against procps (ps), ss, sha256sum and GNU tar
# on the live host, and against a fake /proc tree built here.

load helpers

setup() {
	setup_scratch
	PIDS=()
}

teardown() {
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
	teardown_scratch
}

# Collect processes into $SCRATCH/out (extra args passed on), extract
# the archive into $SCRATCH/x; sets TOPDIR.
collect_extract() {
	mkdir -p "$SCRATCH/out" "$SCRATCH/x"
	run "$COLLECT" -q -o "$SCRATCH/out" --only processes "$@"
	echo "$output"
	a=$(archive_in "$SCRATCH/out")
	tar -xf "$a" -C "$SCRATCH/x"
	TOPDIR="$SCRATCH/x/$(ls "$SCRATCH/x")"
}

@test "live: the pid set matches ps -e, no process is hidden" {
	t0=$(date +%s)
	ps -e -o pid= | tr -d ' ' | sort -n > "$SCRATCH/before"
	collect_extract
	[ "$status" -eq 0 ]
	ps -e -o pid= | tr -d ' ' | sort -n > "$SCRATCH/after"
	python3 - "$SCRATCH" "$TOPDIR" "$t0" <<'PY'
import json, sys, datetime
scratch, top, t0 = sys.argv[1], sys.argv[2], int(sys.argv[3])
before = {int(x) for x in open(scratch + "/before")}
after = {int(x) for x in open(scratch + "/after")}
recs = [json.loads(l) for l in open(top + "/records/processes.jsonl")]
procs = {r["pid"]: r for r in recs if r["type"] == "process"}
assert len(procs) == len([r for r in recs if r["type"] == "process"]), "duplicate pids"
# every process alive during the whole run is there
missing = (before & after) - procs.keys()
assert not missing, ("missing", missing)
# anything else started during the run (ps itself, irkit-collect)
for pid in procs.keys() - (before | after):
    st = datetime.datetime.strptime(procs[pid]["start_time"], "%Y-%m-%dT%H:%M:%S.%fZ")
    st = st.replace(tzinfo=datetime.timezone.utc).timestamp()
    assert st >= t0 - 1, ("unknown old pid", pid, procs[pid])
assert not [p for p in procs.values() if p["hidden"]], "hidden on a clean host"
for p in procs.values():
    for k in ("pid", "ppid", "name", "exe", "exe_deleted", "exe_sha256",
              "argv", "cwd", "root", "uid", "euid", "gid", "egid", "user",
              "start_time", "state", "threads", "rss_bytes", "tty",
              "session", "cgroup", "namespaces", "sockets", "hidden"):
        assert k in p or (k in ("uid", "euid", "gid", "egid", "user") and
                          "access_denied" in p), (k, p)
PY
}

@test "live: argv, user, ppid, start time and exe hash of a process match ps and sha256sum" {
	sleep 987654 &
	pid=$!
	PIDS+=("$pid")
	collect_extract
	[ "$status" -eq 0 ]
	args=$(ps -o args= -p "$pid")
	user=$(ps -o user= -p "$pid" | tr -d ' ')
	ppid=$(ps -o ppid= -p "$pid" | tr -d ' ')
	lstart=$(TZ=UTC ps -o lstart= -p "$pid")
	exe=$(readlink "/proc/$pid/exe")
	sha=$(sha256sum "$exe" | cut -d' ' -f1)
	python3 - "$TOPDIR" "$pid" "$args" "$user" "$ppid" "$lstart" "$exe" "$sha" <<'PY'
import json, sys, datetime, hashlib, os
top, pid, args, user, ppid, lstart, exe, sha = sys.argv[1:]
recs = [json.loads(l) for l in open(top + "/records/processes.jsonl")]
p = [r for r in recs if r["type"] == "process" and r["pid"] == int(pid)][0]
assert " ".join(p["argv"]) == args, (p["argv"], args)
assert p["user"] == user, (p["user"], user)
assert p["ppid"] == int(ppid)
assert p["exe"] == exe and p["exe_deleted"] is False
assert p["exe_sha256"] == sha
assert p["name"] == "sleep" and p["state"] in ("S", "R")
assert p["uid"] == os.getuid() and p["threads"] == 1
ps_t = datetime.datetime.strptime(lstart.strip(), "%a %b %d %H:%M:%S %Y")
ir_t = datetime.datetime.strptime(p["start_time"], "%Y-%m-%dT%H:%M:%S.%fZ")
assert abs((ir_t - ps_t).total_seconds()) < 1.0, (ir_t, ps_t)
# the executable is in files/, once, and hashes the same
f = [r for r in recs if r["type"] == "file" and r["path"] == exe]
assert len(f) == 1, f
member = f[0].get("stored_as", exe)
data = open(top + "/files" + member, "rb").read()
assert hashlib.sha256(data).hexdigest() == sha
# the manifest lists it with the same hash
m = json.load(open(top + "/manifest.json"))
assert {"path": "files" + member, "size": len(data), "sha256": sha}.items() <= \
    [x for x in m["members"] if x["path"] == "files" + member][0].items()
PY
}

@test "live: a listening TCP socket is joined to its process as ss sees it" {
	python3 -u -m http.server --bind 127.0.0.1 0 > "$SCRATCH/http.log" 2>&1 &
	PIDS+=("$!")
	for _ in $(seq 50); do
		grep -q 'port' "$SCRATCH/http.log" && break
		sleep 0.1
	done
	port=$(sed -n 's/.* port \([0-9]*\) .*/\1/p' "$SCRATCH/http.log" | head -1)
	[ -n "$port" ]
	sspid=$(ss -Hltnp "sport = :$port" | sed -n 's/.*pid=\([0-9]*\),.*/\1/p' | head -1)
	[ -n "$sspid" ]
	collect_extract
	[ "$status" -eq 0 ]
	python3 - "$TOPDIR" "$sspid" "$port" <<'PY'
import json, sys
top, pid, port = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
recs = [json.loads(l) for l in open(top + "/records/processes.jsonl")]
p = [r for r in recs if r["type"] == "process" and r["pid"] == pid][0]
s = [x for x in p["sockets"] if x.get("local_port") == port]
assert len(s) == 1, p["sockets"]
s = s[0]
assert s["proto"] == "tcp" and s["state"] == "LISTEN", s
assert s["local_address"] == "127.0.0.1" and s["remote_address"] == "0.0.0.0"
assert s["remote_port"] == 0 and isinstance(s["fd"], int) and s["inode"] > 0
PY
}

@test "live: a deleted executable is recovered through /proc/<pid>/exe" {
	cp /bin/sleep "$SCRATCH/evil-sleep"
	want=$(sha256sum "$SCRATCH/evil-sleep" | cut -d' ' -f1)
	"$SCRATCH/evil-sleep" 987653 &
	pid=$!
	PIDS+=("$pid")
	sleep 0.2
	rm "$SCRATCH/evil-sleep"
	collect_extract
	[ "$status" -eq 0 ]
	python3 - "$TOPDIR" "$pid" "$SCRATCH/evil-sleep" "$want" <<'PY'
import json, sys, hashlib
top, pid, exe, want = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
recs = [json.loads(l) for l in open(top + "/records/processes.jsonl")]
p = [r for r in recs if r["type"] == "process" and r["pid"] == pid][0]
assert p["exe"] == exe and p["exe_deleted"] is True, p
assert p["exe_sha256"] == want
f = [r for r in recs if r["type"] == "file" and r["path"] == exe][0]
assert f["sha256"] == want and f["why"] == "deleted process executable"
member = f.get("stored_as", exe)
assert hashlib.sha256(open(top + "/files" + member, "rb").read()).hexdigest() == want
PY
}

# A fake root: two processes, a thread, sockets, a passwd, an executable.
make_fixture() {
	r=$SCRATCH/root
	mkdir -p "$r/etc" "$r/usr/bin" "$r/proc/net" "$r/proc/sys/kernel"
	printf 'root:x:0:0:root:/root:/bin/sh\nalice:x:1000:1000::/home/alice:/bin/sh\n' > "$r/etc/passwd"
	printf 'not really a program\n' > "$r/usr/bin/foo"
	printf 'cpu  1 2 3\nbtime 1700000000\nprocesses 9\n' > "$r/proc/stat"
	echo 50 > "$r/proc/sys/kernel/pid_max"
	echo 20 > "$r/proc/sys/kernel/ns_last_pid"
	# pid 10: alice's foo, listening on 127.0.0.1:8080, a unix socket
	p=$r/proc/10
	mkdir -p "$p/fd" "$p/ns"
	echo '10 (foo) S 1 10 10 34817 10 4194304 0 0 0 0 250 50 0 0 20 0 2 0 500 4096000 300 0' > "$p/stat"
	printf 'Name:\tfoo\nTgid:\t10\nPid:\t10\nPPid:\t1\nUid:\t1000\t1000\t1000\t1000\nGid:\t1000\t1000\t1000\t1000\nThreads:\t2\n' > "$p/status"
	printf '/usr/bin/foo\0--serve\0a b\0' > "$p/cmdline"
	printf '0::/system.slice/foo.service\n' > "$p/cgroup"
	ln -s /usr/bin/foo "$p/exe"
	ln -s /home/alice "$p/cwd"
	ln -s / "$p/root"
	ln -s 'socket:[5555]' "$p/fd/3"
	ln -s 'socket:[6666]' "$p/fd/4"
	ln -s /dev/null "$p/fd/0"
	ln -s 'net:[4026531840]' "$p/ns/net"
	ln -s 'pid:[4026531836]' "$p/ns/pid"
	# pid 11, thread of 10: reachable as /proc/11 but a thread (Tgid 10)
	p=$r/proc/11
	mkdir -p "$p"
	echo '11 (foo) S 1 10 10 0 -1 0 0 0 0 0 0 0 0 0 20 0 2 0 501 0 0 0' > "$p/stat"
	printf 'Tgid:\t10\nPid:\t11\nUid:\t1000\t1000\t1000\t1000\nGid:\t1000\t1000\t1000\t1000\n' > "$p/status"
	# pid 12: a weird name, a deleted executable, root
	p=$r/proc/12
	mkdir -p "$p"
	echo '12 (x) (y) Z 10 12 12 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 1000 0 0 0' > "$p/stat"
	printf 'Tgid:\t12\nUid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\n' > "$p/status"
	: > "$p/cmdline"
	ln -s '/tmp/gone (deleted)' "$p/exe"
	# pid 13: listed, but gone before its stat could be read
	mkdir -p "$r/proc/13"
	# pid 14: an argv over the 1 MiB bound
	p=$r/proc/14
	mkdir -p "$p"
	echo '14 (big) S 1 14 14 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 1000 0 0 0' > "$p/stat"
	printf 'Tgid:\t14\nUid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\n' > "$p/status"
	{ printf 'big\0'; head -c 1100000 /dev/zero | tr '\0' 'a'; } > "$p/cmdline"
	ln -s self "$r/proc/self-not-a-pid"
	{
		echo '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode'
		echo '   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 5555 1 0000000000000000 100 0 0 10 0'
		printf '   1: %s 0100007F:1F90 01 00000000:00000000\n' "$(head -c 5000 /dev/zero | tr '\0' 'A')"
	} > "$r/proc/net/tcp"
	{
		echo 'Num       RefCount Protocol Flags    Type St Inode Path'
		echo '0000000000000000: 00000002 00000000 00010000 0001 01 6666 /run/foo.sock'
	} > "$r/proc/net/unix"
	echo "$r"
}

@test "fixture root: records come from the fake /proc, threads are not processes" {
	root=$(make_fixture)
	collect_extract --root "$root"
	[ "$status" -eq 0 ]
	python3 - "$TOPDIR" <<'PY'
import json, sys, hashlib
top = sys.argv[1]
recs = [json.loads(l) for l in open(top + "/records/processes.jsonl")]
procs = {r["pid"]: r for r in recs if r["type"] == "process"}
assert sorted(procs) == [10, 12, 14], sorted(procs)
assert procs[14]["argv_truncated"] is True and procs[14]["argv"][0] == "big"
assert len(procs[14]["argv"][1]) == (1 << 20) - 4
p = procs[10]
assert p["name"] == "foo" and p["ppid"] == 1 and p["user"] == "alice"
assert p["argv"] == ["/usr/bin/foo", "--serve", "a b"]
assert p["exe"] == "/usr/bin/foo" and p["exe_deleted"] is False
assert p["cwd"] == "/home/alice" and p["root"] == "/"
assert p["tty"] == "pts/1" and p["session"] == 10 and p["threads"] == 2
assert p["start_time"] == "2023-11-14T22:13:25.000000Z", p["start_time"]
assert p["cgroup"] == "/system.slice/foo.service"
assert p["namespaces"] == {"net": 4026531840, "pid": 4026531836}
assert p["rss_bytes"] == 300 * 4096 and p["fd_count"] == 3
assert p["hidden"] is False
want = hashlib.sha256(b"not really a program\n").hexdigest()
assert p["exe_sha256"] == want
socks = sorted(p["sockets"], key=lambda s: s["fd"])
assert socks[0] == {"proto": "tcp", "local_address": "127.0.0.1",
    "local_port": 8080, "remote_address": "0.0.0.0", "remote_port": 0,
    "state": "LISTEN", "inode": 5555, "uid": 1000, "fd": 3}, socks[0]
assert socks[1]["proto"] == "unix" and socks[1]["path"] == "/run/foo.sock"
assert socks[1]["state"] == "LISTEN" and socks[1]["fd"] == 4
q = procs[12]
assert q["name"] == "x) (y" and q["state"] == "Z" and q["user"] == "root"
assert q["exe"] == "/tmp/gone" and q["exe_deleted"] is True
assert q["exe_sha256"] is None and q["argv"] == []
f = [r for r in recs if r["type"] == "file"]
assert len(f) == 1 and f[0]["path"] == "/usr/bin/foo" and f[0]["sha256"] == want
assert hashlib.sha256(open(top + "/files/usr/bin/foo", "rb").read()).hexdigest() == want
log = [json.loads(l) for l in open(top + "/log.jsonl")]
assert any("over 4096 bytes skipped" in e["message"] for e in log), log
assert any(e["level"] == "info" and "process 13 exited" in e["message"] for e in log)
PY
}

@test "unprivileged: collects what it can, logs what it cannot, exits 1" {
	chmod 711 "$SCRATCH"
	mkdir -m 777 "$SCRATCH/out"
	sleep 987652 &
	PIDS+=("$!")
	# root's listener: its owner is hidden from nobody
	python3 -u -c '
import socket, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen()
print(s.getsockname()[1], flush=True); time.sleep(600)' > "$SCRATCH/port" &
	PIDS+=("$!")
	for _ in $(seq 50); do [ -s "$SCRATCH/port" ] && break; sleep 0.1; done
	run setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$COLLECT" -q -o "$SCRATCH/out" --only processes
	[ "$status" -eq 1 ]
	a=$(archive_in "$SCRATCH/out")
	mkdir "$SCRATCH/x"
	tar -xf "$a" -C "$SCRATCH/x"
	top="$SCRATCH/x/$(ls "$SCRATCH/x")"
	python3 - "$top" "${PIDS[0]}" "$(cat "$SCRATCH/port")" <<'PY'
import json, sys
top, pid, port = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
recs = [json.loads(l) for l in open(top + "/records/processes.jsonl")]
s = [r for r in recs if r["type"] == "socket" and r.get("local_port") == port]
assert len(s) == 1 and s[0]["state"] == "LISTEN", s
assert s[0]["owner"] is None and "were refused" in s[0]["owner_reason"], s
m = json.load(open(top + "/manifest.json"))
assert m["euid"] == 65534
assert m["collectors"]["processes"]["status"] == "partial"
recs = [json.loads(l) for l in open(top + "/records/processes.jsonl")]
p = [r for r in recs if r["type"] == "process" and r["pid"] == pid][0]
# what /proc shows everybody is there, what it hides is null and said so
assert p["name"] == "sleep" and p["argv"] == ["sleep", "987652"]
assert p["user"] == "root" and p["exe"] is None and "exe" in p["access_denied"]
log = [json.loads(l) for l in open(top + "/log.jsonl")]
assert any(e["level"] == "error" and e.get("errno") == 13 for e in log)
PY
}

@test "output to a directory nobody may write: exit 3, nothing left" {
	chmod 711 "$SCRATCH"
	mkdir -m 755 "$SCRATCH/ro"
	run setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$COLLECT" -q -o "$SCRATCH/ro" --only processes
	[ "$status" -eq 3 ]
	[ -z "$(ls "$SCRATCH/ro")" ]
}

@test "live: a socket in another network namespace is read from that namespace" {
	unshare --net true 2>/dev/null || skip "cannot create a network namespace"
	unshare --net python3 -u -c '
import socket, time, sys
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen()
print(s.getsockname()[1], flush=True)
time.sleep(600)' > "$SCRATCH/port" &
	PIDS+=("$!")
	for _ in $(seq 50); do [ -s "$SCRATCH/port" ] && break; sleep 0.1; done
	port=$(cat "$SCRATCH/port")
	[ -n "$port" ]
	# the host namespace does not know this socket
	[ -z "$(ss -Hltn "sport = :$port")" ]
	collect_extract
	[ "$status" -eq 0 ]
	python3 - "$TOPDIR" "$port" "$(readlink /proc/self/ns/net)" <<'PY'
import json, sys
top, port, hostns = sys.argv[1], int(sys.argv[2]), sys.argv[3]
hostns = int(hostns.split("[")[1].rstrip("]"))
recs = [json.loads(l) for l in open(top + "/records/processes.jsonl")]
hits = [(r, s) for r in recs if r["type"] == "process"
        for s in r["sockets"] if s.get("local_port") == port and s["proto"] == "tcp"]
assert len(hits) == 1, hits
r, s = hits[0]
assert s["state"] == "LISTEN" and s["local_address"] == "127.0.0.1"
assert r["namespaces"]["net"] != hostns
# and as a socket record of that namespace, with its owner
sr = [x for x in recs if x["type"] == "socket" and x.get("local_port") == port
      and x["proto"] == "tcp"]
assert len(sr) == 1 and sr[0]["netns"] == r["namespaces"]["net"], sr
assert sr[0]["owner"]["pid"] == r["pid"], sr
PY
}

@test "fixture root: every socket line is a socket record; ownerless ones say why and are a finding" {
	root=$(make_fixture)
	{
		echo '   2: 00000000:7A69 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 7777 1 0000000000000000 100 0 0 10 0'
		echo '   3: 0100007F:1F90 0100007F:D431 06 00000000:00000000 03:00000DB4 00000000     0        0 0 3 0000000000000000'
	} >> "$root/proc/net/tcp"
	{
		echo '  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops'
		echo '  0: 00000000000000000000000000000000:0035 00000000000000000000000000000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 8888 2 0000000000000000 0'
	} > "$root/proc/net/udp6"
	{
		echo '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops'
		echo '   1: 00000000:0001 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 9999 2 0000000000000000 0'
	} > "$root/proc/net/raw"
	collect_extract --root "$root"
	[ "$status" -eq 0 ]
	python3 - "$TOPDIR" <<'PY'
import json, sys
top = sys.argv[1]
recs = [json.loads(l) for l in open(top + "/records/processes.jsonl")]
socks = {(s["proto"], s["inode"]): s for s in recs if s["type"] == "socket"}
assert len(socks) == 6, sorted(socks)
owned = socks[("tcp", 5555)]
assert owned["owner"] == {"pid": 10, "name": "foo", "fd": 3}, owned
assert owned["owners"] == [owned["owner"]] and "owner_reason" not in owned
assert owned["local_address"] == "127.0.0.1" and owned["local_port"] == 8080
assert owned["state"] == "LISTEN" and owned["netns"] is None
u = socks[("unix", 6666)]
assert u["owner"]["pid"] == 10 and u["socket_type"] == "stream"
orphan = socks[("tcp", 7777)]
assert orphan["owner"] is None and orphan["owners"] == []
assert orphan["local_address"] == "0.0.0.0" and orphan["local_port"] == 31337
assert "no process listed in /proc holds it" in orphan["owner_reason"], orphan
tw = socks[("tcp", 0)]
assert tw["state"] == "TIME_WAIT" and "inode 0" in tw["owner_reason"], tw
assert socks[("udp6", 8888)]["state"] == "UNCONN"
assert socks[("udp6", 8888)]["local_address"] == "::"
raw = socks[("raw", 9999)]
assert raw["local_port"] == 1 and raw["owner"] is None
PY
	# the analyzer: ownerless sockets in the sockets table, one finding
	a=$(archive_in "$SCRATCH/out")
	run "$ANALYZE" ingest --db "$SCRATCH/case.db" "$a"
	echo "$output"
	[ "$(sqlite3 "$SCRATCH/case.db" "SELECT count(*) FROM sockets WHERE process_id IS NULL")" -eq 4 ]
	[ "$(sqlite3 "$SCRATCH/case.db" "SELECT count(*) FROM sockets WHERE process_id IS NOT NULL")" -eq 2 ]
	run sqlite3 "$SCRATCH/case.db" "SELECT score || ' ' || title FROM findings WHERE category = 'socket'"
	[ "$output" = "60 listening socket tcp 0.0.0.0:31337 with no visible owner" ]
	run sqlite3 "$SCRATCH/case.db" "SELECT s.inode FROM findings f JOIN finding_links l ON l.finding_id = f.id JOIN sockets s ON l.record_table = 'sockets' AND s.id = l.record_id WHERE f.category = 'socket'"
	[ "$output" = "7777" ]
}

# Count per (state, proto, local address, port) of the host namespace,
# as ss -tuan shows it: "*" and "[::]" are "::", "%lo" suffixes dropped.
ss_counts() {
	{
		ss -Htan4 | awk '{print $1, "tcp", $4}'
		ss -Htan6 | awk '{print $1, "tcp6", $4}'
		ss -Huan4 | awk '{print $1, "udp", $4}'
		ss -Huan6 | awk '{print $1, "udp6", $4}'
	} | sed -E 's/ \*:/ [::]:/; s/\[([^]]*)\]:/\1:/; s/%[^: ]*:/:/' | sort | uniq -c
}

@test "live: socket records match ss -tuan per state and local address, owners as ss -p" {
	python3 -u -c '
import socket, time
ls = []
for fam, host in ((socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::1")):
    s = socket.socket(fam); s.bind((host, 0)); s.listen(); ls.append(s)
    u = socket.socket(fam, socket.SOCK_DGRAM); u.bind((host, 0)); ls.append(u)
c = socket.create_connection(ls[0].getsockname()[:2]); a, _ = ls[0].accept()
print(ls[0].getsockname()[1], flush=True)
time.sleep(600)' > "$SCRATCH/port" &
	PIDS+=("$!")
	for _ in $(seq 50); do [ -s "$SCRATCH/port" ] && break; sleep 0.1; done
	port=$(cat "$SCRATCH/port")
	[ -n "$port" ]
	sspid=$(ss -Hltnp "sport = :$port" | sed -n 's/.*pid=\([0-9]*\),.*/\1/p' | head -1)
	[ "$sspid" = "${PIDS[0]}" ]
	ss_counts > "$SCRATCH/ss.before"
	collect_extract
	[ "$status" -eq 0 ]
	ss_counts > "$SCRATCH/ss.after"
	python3 - "$TOPDIR" "$SCRATCH" "$(readlink /proc/self/ns/net)" "$sspid" "$port" <<'PY'
import json, sys, collections
top, scratch, ns, sspid, port = sys.argv[1:]
ns = int(ns.split("[")[1].rstrip("]"))
def load(f):
    c = collections.Counter()
    for l in open(f):
        n, st, proto, addr = l.split()
        c[(st, proto, addr)] = int(n)
    return c
before, after = load(scratch + "/ss.before"), load(scratch + "/ss.after")
names = {"LISTEN": "LISTEN", "ESTABLISHED": "ESTAB", "UNCONN": "UNCONN",
         "TIME_WAIT": "TIME-WAIT", "SYN_SENT": "SYN-SENT", "SYN_RECV":
         "SYN-RECV", "FIN_WAIT1": "FIN-WAIT-1", "FIN_WAIT2": "FIN-WAIT-2",
         "CLOSE_WAIT": "CLOSE-WAIT", "LAST_ACK": "LAST-ACK", "CLOSING":
         "CLOSING", "CLOSE": "UNCONN", "NEW_SYN_RECV": "SYN-RECV"}
recs = [json.loads(l) for l in open(top + "/records/processes.jsonl")]
got = collections.Counter()
for s in recs:
    if s["type"] != "socket" or s["netns"] != ns or s["proto"] not in ("tcp", "tcp6", "udp", "udp6"):
        continue
    got[(names[s["state"]], s["proto"], "%s:%d" % (s["local_address"], s["local_port"]))] += 1
keys = set(before) | set(after) | set(got)
for k in keys:
    lo, hi = min(before[k], after[k]), max(before[k], after[k])
    assert lo <= got[k] <= hi, (k, before[k], after[k], got[k])
# the test's own sockets: all there, with their owner
mine = [s for s in recs if s["type"] == "socket" and s["owner"] and s["owner"]["pid"] == int(sspid)]
assert sorted((s["proto"], s["state"]) for s in mine) == sorted([
    ("tcp", "LISTEN"), ("udp", "UNCONN"), ("tcp6", "LISTEN"), ("udp6", "UNCONN"),
    ("tcp", "ESTABLISHED"), ("tcp", "ESTABLISHED")]), mine
assert [s for s in mine if s["state"] == "LISTEN" and s["local_port"] == int(port)][0]["owner"]["name"] == "python3"
PY
}
