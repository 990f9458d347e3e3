#!/usr/bin/env bats
# The services collector on fake roots (tests/data/roots/systemd, copied
# and extended with generated hostile files), checked for exact values
# and against systemd's own tools (systemctl --root, systemd-analyze).

load helpers

FIX=$IRKIT_SRC/tests/data/roots/systemd

setup() {
	setup_scratch
	ROOT=$SCRATCH/root
	cp -a "$FIX" "$ROOT"
}
teardown() { teardown_scratch; }

# collect ROOT: run the services collector, extract, set $OUT
collect() {
	mkdir -p "$SCRATCH/out" "$SCRATCH/x"
	run "$COLLECT" -q -o "$SCRATCH/out" --root "$1" --only services \
	    --compress none
	echo "$output"
	[ "$status" -le 1 ]
	tar -xf "$(archive_in "$SCRATCH/out")" -C "$SCRATCH/x"
	OUT=$(echo "$SCRATCH"/x/irkit-*)
}

add_hostile() {
	local d=$ROOT/etc/systemd/system
	printf '[Unit]\r\nDescription=CRLF unit\r\n[Service]\r\nExecStart=/usr/bin/crlf --x\r\nUser=crlfuser\r\n' \
	    > "$d/crlf.service"
	python3 - "$d/long.service" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("[Unit]\nDescription=short\n[Service]\n")
    f.write("ExecStartPre=/bin/" + "A" * (1536 * 1024) + "\n")
    f.write("ExecStart=/usr/bin/after-long\nUser=after\n")
PY
	python3 - "$d/junk.service" <<'PY'
import sys, random
r = random.Random(7)
junk = bytes(r.randrange(256) for _ in range(4096))
with open(sys.argv[1], "wb") as f:
    f.write(b"[Service]\nExecStart=/usr/bin/junk-ok\n")
    f.write(junk.replace(b"[", b"x"))
    f.write(b"\n\x00\x01\x02=\xff\xfe\n")
PY
	ln -s loop2.service "$d/loop1.service"
	ln -s loop1.service "$d/loop2.service"
}

@test "services: overrides, drop-ins, masks, templates, specifiers, user units" {
	collect "$ROOT"
	python3 - "$OUT" <<'PY'
import json, sys, os
out = sys.argv[1]
recs = [json.loads(l) for l in open(out + "/records/services.jsonl")]
svc = {(r["kind"], r["scope"], r.get("user"), r["name"]): r
       for r in recs if r["type"] == "service"}
files = {r["path"]: r for r in recs if r["type"] == "file"}
def S(name, scope="system", user=None, kind="systemd"):
    return svc[(kind, scope, user, name)]

b = S("backdoor.service")
assert b["fragment_path"] == "/etc/systemd/system/backdoor.service", b
assert b["description"] == "Evil backdoor.service on fixhost.example.org", b
assert b["exec_start"] == [["/opt/evil/run", "--flag", "quoted arg",
                            "single quoted", "tab\there"]], b
assert b["run_as"] == "nobody" and b["enabled"] is True
assert b["enablement"] == "enabled" and b["wanted_by"] == ["multi-user.target"]
assert b["dropins"] == ["/etc/systemd/system/service.d/99-all.conf"]
assert b["environment"] == ["ALL=1"]
assert "/opt/evil/run" in files and files["/opt/evil/run"]["stored"]

w = S("web.service")
assert w["exec_start"] == [["/usr/local/bin/web-evil", "-x"]], w
assert w["exec_start_pre"] == [["/bin/true"], ["/bin/echo", "pre"]], w
assert w["exec_stop"] == [["/bin/kill", "-TERM", "$MAINPID"]]
assert w["dropins"] == [
    "/usr/lib/systemd/system/web.service.d/05-env.conf",
    "/etc/systemd/system/web.service.d/10-override.conf",
    "/run/systemd/system/web.service.d/20-pre.conf",
    "/etc/systemd/system/service.d/99-all.conf"], w["dropins"]
assert w["aliases"] == ["alias-name.service"]
assert w["environment"] == ["A=1", "ALL=1"]
assert ("systemd", "system", None, "alias-name.service") not in svc
assert "/usr/local/bin/web-evil" in files
assert "/usr/lib/systemd/system/web.service.d/10-override.conf" not in files

a = S("web-api.service")
assert a["dropins"][0] == "/etc/systemd/system/web-.service.d/50-prefix.conf"
assert a["environment"] == ["PREFIX=web-", "ALL=1"]

for m in ("masked.service", "empty.service"):
    r = S(m)
    assert r["masked"] is True and r["enablement"] == "masked", r
    assert r["exec_start"] == [] and r["dropins"] == [], r
assert "/usr/lib/systemd/system/masked.service" not in files

i = S("worker@job-a.service")
assert i["exec_start"] == [["/usr/bin/worker", "--name", "job-a", "--path",
    "job/a", "--unit", "worker@job-a.service", "--prefix", "worker",
    "--home", "/root", "--user", "root", "--host", "fixhost", "--pct",
    "100%", "--frag", "/usr/lib/systemd/system/worker@.service"]], i
assert i["enabled"] is True and i["description"] == "Worker job-a"
t = S("worker@.service")
assert t["template"] is True and t["enablement"] == "indirect"

l = S("linked.service")
assert l["fragment_path"] == "/opt/units/linked.service"
assert l["unit_path"] == "/etc/systemd/system/linked.service"
assert l["enablement"] == "linked"

c = S("cont.service")
assert c["description"] == "Continued    description", c
assert c["exec_start"] == [["/bin/sh", "-c", "echo hi > /tmp/x"],
    ["/usr/bin/real", "fakename", "arg1"], ["/bin/second", "a b", ";", "c"]], c
assert c["exec_start_post"] == [["/bin/chmod", "0644", "/tmp/x"]]
assert c["exec_stop"] == []

s = S("evil.socket")
assert s["unit_type"] == "socket" and s["listen"] == ["0.0.0.0:4444"]
assert s["triggers"] == "evil.service" and s["enabled"] is True
p = S("watch.path")
assert p["triggers"] == "backdoor.service" and p["watch"] == ["/etc/shadow"]

m = S("miner.service", "user", "alice")
assert m["exec_start"] == [["/home/alice/.local/bin/miner", "--user",
                            "alice", "--uid", "1000"]], m
assert m["enabled"] is True and m["wanted_by"] == ["default.target"]
assert m["description"] == "Miner for alice"
assert "/home/alice/.local/bin/miner" in files
g = S("pulse.service", "user", None)
assert g["exec_start"] == [["/usr/bin/pulse", "--daemon"]]
assert ("systemd", "user", "alice", "pulse.service") not in svc

o = S("oldsvc", kind="sysv")
assert o["start_runlevels"] == ["2"] and o["stop_runlevels"] == ["0"]
assert o["enabled"] is True and o["description"] == "Old style service"
assert ("sysv", "system", None, "README") not in svc

rl = S("rc.local", kind="rc-local")
assert rl["commands"] == [
    {"line": 4, "command": "/usr/bin/nc -l -p 4444 -e /bin/sh &"},
    {"line": 5, "command": "echo started"},
    {"line": 6, "command": "exit 0"}], rl
assert rl["enabled"] is True

x = S("tool.desktop", kind="xdg-autostart")
assert x["exec_start"] == [["/usr/bin/worker", "--opt", "a b"]], x
assert x["overridden_for"] == ["alice"] and x["enabled"] is True
assert S("hidden.desktop", kind="xdg-autostart")["enabled"] is False
assert S("tool.desktop", "user", "alice", "xdg-autostart")["enabled"] is False
u = S("updater.desktop", "user", "alice", "xdg-autostart")
assert u["exec_start"] == [["/home/alice/.local/bin/miner", "-q"]]

for r in svc.values():
    if r.get("fragment_path") and r["kind"] != "systemd" or \
       (r["kind"] == "systemd" and r.get("fragment_path")):
        assert r["fragment_path"] in files, r["fragment_path"]
        assert r["sha256"] == files[r["fragment_path"]]["sha256"]
        data = open(out + "/files" + r["fragment_path"], "rb").read()
        import hashlib
        assert hashlib.sha256(data).hexdigest() == r["sha256"]

log = [json.loads(l) for l in open(out + "/log.jsonl")]
msgs = [(e.get("path"), e["message"]) for e in log]
assert ("/run/systemd/transient",
        "unit directory is not a directory, skipped") in msgs, msgs
assert ("/etc/systemd/system/cont.service",
        "line 12: missing '=', ignoring the line") in msgs, msgs
assert any(p == "/etc/systemd/system/cont.service" and "line 11: ExecStop=" in m
           for p, m in msgs), msgs
PY
}

@test "services: CRLF, a 1.5 MB line, binary junk, link loops are survived" {
	add_hostile
	collect "$ROOT"
	python3 - "$OUT" <<'PY'
import json, sys
out = sys.argv[1]
recs = [json.loads(l) for l in open(out + "/records/services.jsonl")]
svc = {r["name"]: r for r in recs if r["type"] == "service"
       and r["kind"] == "systemd" and r["scope"] == "system"}
c = svc["crlf.service"]
assert c["description"] == "CRLF unit" and c["run_as"] == "crlfuser", c
assert c["exec_start"] == [["/usr/bin/crlf", "--x"]], c
l = svc["long.service"]
assert l["exec_start_pre"] == [] and l["run_as"] == "after", l
assert l["exec_start"] == [["/usr/bin/after-long"]]
j = svc["junk.service"]
assert j["exec_start"] == [["/usr/bin/junk-ok"]], j
assert "loop1.service" not in svc or svc["loop1.service"].get("load_error")
log = [json.loads(l) for l in open(out + "/log.jsonl")]
def has(path, text):
    return any(e.get("path") == path and text in e["message"] for e in log)
assert has("/etc/systemd/system/long.service", "line 4: line longer than")
assert has("/etc/systemd/system/junk.service", "NUL byte")
assert has("/etc/systemd/system/loop1.service", "cannot load unit")
# the manifest marks the collector partial, not failed
m = json.load(open(out + "/manifest.json"))
assert m["collectors"]["services"]["status"] == "partial", m["collectors"]
PY
}

@test "services: enablement agrees with systemctl --root on the fixture" {
	add_hostile
	collect "$ROOT"
	systemctl --root="$ROOT" list-unit-files --no-legend --no-pager \
	    > "$SCRATCH/systemctl" 2>/dev/null || true
	python3 - "$OUT" "$SCRATCH/systemctl" <<'PY'
import json, sys
out, ref = sys.argv[1:3]
ours = {}
for l in open(out + "/records/services.jsonl"):
    r = json.loads(l)
    if r["type"] == "service" and r["kind"] == "systemd" and r["scope"] == "system":
        ours[r["name"]] = r["enablement"]
n = 0
for line in open(ref):
    name, state = line.split()[:2]
    if not name.endswith((".service", ".socket", ".path")) or state in ("alias", "bad"):
        continue
    n += 1
    assert ours.get(name) == state, (name, state, ours.get(name))
assert n >= 10, n
PY
}

@test "services: every directory of systemd-analyze unit-paths is searched, in its order" {
	mkdir -p "$SCRATCH/probe"
	P=$SCRATCH/probe
	i=0
	systemd-analyze unit-paths > "$SCRATCH/paths"
	while read -r d; do
		i=$((i + 1))
		mkdir -p "$P$d"
		printf '[Unit]\nDescription=%s\n[Service]\nExecStart=/bin/probe%s\n' "$d" "$i" \
		    > "$P$d/probe$i.service"
		# the same name everywhere: the first directory must win
		printf '[Unit]\nDescription=%s\n[Service]\nExecStart=/bin/x\n' "$d" \
		    > "$P$d/prec.service"
	done < "$SCRATCH/paths"
	collect "$P"
	python3 - "$OUT" "$SCRATCH/paths" <<'PY'
import json, sys
out, paths = sys.argv[1:3]
dirs = [l.strip() for l in open(paths) if l.strip()]
svc = {}
for l in open(out + "/records/services.jsonl"):
    r = json.loads(l)
    if r["type"] == "service" and r["scope"] == "system":
        svc[r["name"]] = r
for i, d in enumerate(dirs, 1):
    r = svc["probe%d.service" % i]
    assert r["unit_path"] == "%s/probe%d.service" % (d, i), (d, r["unit_path"])
assert svc["prec.service"]["description"] == dirs[0], svc["prec.service"]
PY
}

@test "services: live host, enabled units under /etc/systemd/system agree with systemctl --root=/" {
	[ -d /etc/systemd/system ] || skip "no systemd here"
	mkdir -p "$SCRATCH/out"
	"$COLLECT" -q -o "$SCRATCH/out" --only services --compress none || true
	mkdir -p "$SCRATCH/x"
	tar -xf "$(archive_in "$SCRATCH/out")" -C "$SCRATCH/x"
	OUT=$(echo "$SCRATCH"/x/irkit-*)
	systemctl --root=/ list-unit-files --no-legend --no-pager > "$SCRATCH/ref"
	find /etc/systemd/system -path '*.wants/*' -name '*.service' \
	    -printf '%f\n' | sort -u > "$SCRATCH/wants"
	python3 - "$OUT" "$SCRATCH/ref" "$SCRATCH/wants" <<'PY'
import json, sys
out, ref, wants = sys.argv[1:4]
ours, enabled_names = {}, set()
for l in open(out + "/records/services.jsonl"):
    r = json.loads(l)
    if r["type"] == "service" and r["kind"] == "systemd" and r["scope"] == "system":
        ours[r["name"]] = r["enablement"]
        for p in r["enabled_by"]:
            if p.startswith("/etc/systemd/system/"):
                enabled_names.add(p.rsplit("/", 1)[1])
want = {l.strip() for l in open(wants) if l.strip()}
assert want == {n for n in enabled_names if n.endswith(".service")}, (want, enabled_names)
n = bad = 0
for line in open(ref):
    name, state = line.split()[:2]
    if not name.endswith((".service", ".socket", ".path")) or state in ("alias", "bad"):
        continue
    n += 1
    if ours.get(name) != state:
        bad += 1
        print("differs:", name, state, ours.get(name))
print("agree", n - bad, "of", n)
assert bad == 0
PY
}
