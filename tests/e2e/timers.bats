#!/usr/bin/env bats
# systemd timers in the tasks collector, on fake roots; next_run checked
# against `systemd-analyze calendar` from the same fixed "now".

load helpers

FIX=$IRKIT_SRC/tests/data/roots/systemd
NOW='2026-11-21 23:00:00'

setup() {
	setup_scratch
	"$COLLECT" --list 2>/dev/null | grep -q '^tasks ' ||
	    skip "no tasks collector in this build"
}
teardown() { teardown_scratch; }

# collect ROOT [OPTION...]: the tasks collector with a fixed now (--now,
# unless other options are given); $OUT is the archive dir
collect() {
	local root=$1
	shift
	[ $# -gt 0 ] || set -- --now "${NOW/ /T}Z"
	mkdir -p "$SCRATCH/out" "$SCRATCH/x"
	run "$COLLECT" -q -o "$SCRATCH/out" --root "$root" \
	    --only tasks --compress none "$@"
	echo "$output"
	[ "$status" -le 1 ]
	tar -xf "$(archive_in "$SCRATCH/out")" -C "$SCRATCH/x"
	OUT=$(echo "$SCRATCH"/x/irkit-*)
}

@test "timers: schedule, unit, command, user, last_run from the stamp, files" {
	cp -a "$FIX" "$SCRATCH/root"
	touch -d '2026-11-20 03:31:07 UTC' \
	    "$SCRATCH/root/var/lib/systemd/timers/stamp-backup.timer"
	collect "$SCRATCH/root"
	python3 - "$OUT" <<'PY'
import json, sys
out = sys.argv[1]
recs = [json.loads(l) for l in open(out + "/records/tasks.jsonl")]
t = {(r["scope"], r.get("user"), r["name"]): r for r in recs
     if r["type"] == "task" and r["kind"] == "systemd-timer"}
files = {r["path"] for r in recs if r["type"] == "file"}
b = t[("system", "backup", "backup.timer")]
assert b["schedule"] == "OnCalendar=*-*-* 03:30:00; OnCalendar=Mon 12:00; OnBootSec=15min", b
assert b["unit"] == "backup.service" and b["run_as"] == "backup"
assert b["command"] == '/opt/evil/run --backup "/var/lib/my data"', b["command"]
assert b["exec_start"] == [["/opt/evil/run", "--backup", "/var/lib/my data"]]
assert b["next_run"] == "2026-11-22T03:30:00.000000Z", b["next_run"]
assert b["last_run"] == "2026-11-20T03:31:07.000000Z", b["last_run"]
assert b["last_run_source"] == "/var/lib/systemd/timers/stamp-backup.timer"
assert b["persistent"] is True and b["randomized_delay"] == "1h"
assert b["source_path"] == "/etc/systemd/system/backup.timer" and b["line"] == 5
assert b["enabled"] is True and b["wanted_by"] == ["timers.target"]
assert [s["setting"] for s in b["schedules"]] == ["OnCalendar", "OnCalendar", "OnBootSec"]
for f in ("/etc/systemd/system/backup.timer", "/etc/systemd/system/backup.service",
          "/opt/evil/run"):
    assert f in files, f
be = t[("system", "nobody", "beacon.timer")]
assert be["schedule"] == "OnUnitActiveSec=5min; OnCalendar=*:0/10", be
assert be["unit"] == "backdoor.service" and be["last_run"] is None
m = t[("user", "alice", "miner.timer")]
assert m["command"] == "/home/alice/.local/bin/miner --user alice --uid 1000"
assert m["next_run"] == "2026-11-22T00:00:00.000000Z"
bad = t[("system", "root", "badcal.timer")]
assert bad["next_run"] is None and bad["unit_error"] == "no such unit"
assert bad["next_run_not_computed"] == [
    {"spec": "daily Europe/Berlin", "why": "time zone other than UTC"}], bad
log = [json.loads(l) for l in open(out + "/log.jsonl")]
assert any(e.get("path") == "/etc/systemd/system/badcal.timer" and
           "line 2: OnCalendar=Sat..Mon" in e["message"] for e in log), log
PY
}

@test "timers: next_run equals systemd-analyze calendar for many specs" {
	R=$SCRATCH/cal
	mkdir -p "$R/etc/systemd/system"
	cat > "$SCRATCH/specs" <<'EOF'
minutely
hourly
daily
weekly
monthly
quarterly
semiannually
yearly
annually
*:0/15
*-*-* 04:05:06
Mon,Fri *-*-* 12:00
Mon..Wed,Fri 9:30
tuesday
Sat,Sun 20:00
*-*-1/2 3:4:5
*-*-01,15 04:00
*-*-31
*-02-29 06:00
*-*~1
*-02~03
*-1..3~2..4
Mon *-05~07/1
*-05~07/2
*-*-* 8..17/2:00
*-*-* 1,5..7/2:0
*-*-* 0/7:0/20:0/45
*:*:0/20
Fri *-*-13
2027-*-* 00:00
2028-02-29 12:00
2000/7-*-*
5-10/3
*-2
12:30
@1900000000
Thu,Sat 2027..2030-02-29
2027-02-29
Wed 2026-11-25 10:00
daily UTC
EOF
	i=0
	while IFS= read -r s; do
		i=$((i + 1))
		printf '[Timer]\nOnCalendar=%s\n' "$s" > "$R/etc/systemd/system/c$i.timer"
	done < "$SCRATCH/specs"
	collect "$R"
	i=0
	: > "$SCRATCH/want"
	while IFS= read -r s; do
		i=$((i + 1))
		n=$(TZ=UTC systemd-analyze calendar --base-time="$NOW UTC" "$s" |
		    sed -n 's/.*Next elapse: //p')
		if [ "$n" = never ]; then
			echo "c$i.timer never" >> "$SCRATCH/want"
		else
			# "Sun 2026-11-22 00:00:00 UTC" -> RFC 3339
			set -- $n
			echo "c$i.timer ${2}T${3}.000000Z" >> "$SCRATCH/want"
		fi
	done < "$SCRATCH/specs"
	python3 - "$OUT" "$SCRATCH/want" <<'PY'
import json, sys
out, want = sys.argv[1:3]
got = {}
for l in open(out + "/records/tasks.jsonl"):
    r = json.loads(l)
    if r["type"] == "task" and r.get("kind") == "systemd-timer":
        got[r["name"]] = r["next_run"] or "never"
n = 0
for line in open(want):
    name, exp = line.split()
    assert got[name] == exp, (name, got[name], exp)
    n += 1
print("agree", n, "of", n)
assert n == 40
PY
}

# next_run of backup.timer (OnCalendar=*-*-* 03:30:00) and of the cron
# entry "17 * * * *" in $OUT
next_runs() {
	python3 - "$OUT" <<'PY'
import json, sys
for l in open(sys.argv[1] + "/records/tasks.jsonl"):
    r = json.loads(l)
    if r["type"] != "task":
        continue
    if r["kind"] == "systemd-timer" and r["name"] == "backup.timer" and r["scope"] == "system":
        print("timer", r["next_run"])
    if r["kind"] == "cron" and r.get("schedule", "").startswith("17 *"):
        print("cron", r["next_run"])
PY
}

@test "timers: --now sets the clock for timers and cron; IRKIT_NOW in the environment does not" {
	cp -a "$FIX" "$SCRATCH/root"
	mkdir -p "$SCRATCH/root/etc"
	printf '17 * * * * root /bin/true\n' > "$SCRATCH/root/etc/crontab"
	collect "$SCRATCH/root" --now 2030-01-02T10:00:00Z
	next_runs > "$SCRATCH/fixed"
	cat "$SCRATCH/fixed"
	grep -qx 'timer 2030-01-03T03:30:00.000000Z' "$SCRATCH/fixed"
	grep -qx 'cron 2030-01-02T10:17:00.000000Z' "$SCRATCH/fixed"
	# a test hook in the environment is no longer read by the product
	rm -rf "$SCRATCH/out" "$SCRATCH/x"
	IRKIT_NOW=1999-01-01T00:00:00Z collect "$SCRATCH/root" --compress none
	next_runs > "$SCRATCH/clock"
	cat "$SCRATCH/clock"
	! grep -q ' 1999-' "$SCRATCH/clock" || false
	today=$(date -u +%Y)
	grep -q "^timer $today-\\|^timer $((today + 1))-" "$SCRATCH/clock"
}

@test "timers: --now refuses what is not an RFC 3339 time" {
	for bad in yesterday 2026-13-01T00:00:00Z '' 1970-01-01T00:00:00Z; do
		run "$COLLECT" -q -o "$SCRATCH" --root "$FIX" --only tasks --now "$bad"
		echo "$bad: $status $output"
		[ "$status" -eq 2 ]
		[[ "$output" == *"--now: not an RFC 3339 time"* ]]
	done
	[ -z "$(ls "$SCRATCH")" ]
}
