#!/usr/bin/env bats
#
# Cross-host findings and views (analyzer/findings_cross.c, db_cross.c,
# report_hosts.c; docs/cross-host.md) over a case of three fake hosts,
# each collected by irkit-collect --root over a root built at test time:
#
#   alpha 10.0.0.1  runs /tmp/.x/agent (a process finding); a socket to
#                   10.0.0.2:22, "ssh root@10.0.0.2" in root's history,
#                   10.0.0.2 in root's known_hosts; cron /etc/cron.d/upd
#                   runs /tmp/.cache/upd (a task finding); root's key
#                   without from= (a finding)
#   beta  10.0.0.2  the agent's content as /usr/local/bin/agent, run by
#                   cron (no finding of its own); sshd listening on 22;
#                   wtmp: root from 10.0.0.1 twice, root from 192.0.2.99;
#                   root's key with from= (no finding)
#   gamma 10.0.0.3  cron /etc/cron.d/upd as on alpha; wtmp: admin and
#                   "<i>x</i>" from "beta" (a host name), root from
#                   172.17.0.1 (a bridge address of alpha and beta:
#                   no edge); root's key with from=
#
# wtmp is written by utmpdump -r; the oracles are sqlite3 over the
# views and tables, sha256sum, and headless Chromium for the report.
load helpers

T=1700000000	# 2023-11-14T22:13:20Z
AGENT='#!/bin/sh
# not really an agent
sleep 1000
'

setup() {
	setup_scratch
	export TZ=UTC
}

teardown() {
	teardown_scratch
}

# utmp_line TYPE PID USER TTY HOST ADDR TIME: one utmpdump text line
utmp_line() {
	printf '[%d] [%05d] [%-4.4s] [%-8s] [%-12s] [%-20s] [%-15s] [%s]\n' \
		"$1" "$2" "${4#pts/}" "$3" "$4" "$5" "$6" \
		"$(date -u -d "@$7" +%Y-%m-%dT%H:%M:%S,000000+00:00)"
}

# proc_tcp LINE...: a /proc/net/tcp with these lines (local rem st inode)
proc_tcp() {
	echo '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode'
	local i=0 l
	for l in "$@"; do
		set -- $l
		printf '   %d: %s %s %s 00000000:00000000 00:00000000 00000000     0        0 %s 1 0000000000000000 100 0 0 10 0\n' \
			"$i" "$1" "$2" "$3" "$4"
		i=$((i + 1))
	done
}

# proc_one ROOT PID NAME EXE INODE...: one process of a fake /proc with
# sockets on fds 3...
proc_one() {
	local r=$1 pid=$2 name=$3 exe=$4 fd=3
	shift 4
	local p=$r/proc/$pid
	mkdir -p "$p/fd" "$p/ns" "$r/proc/net"
	printf 'cpu  1 2 3\nbtime %d\n' "$T" > "$r/proc/stat"
	echo "$pid ($name) S 1 $pid $pid 0 -1 4194304 0 0 0 0 250 50 0 0 20 0 1 0 500 4096000 300 0" > "$p/stat"
	printf 'Name:\t%s\nTgid:\t%d\nPid:\t%d\nPPid:\t1\nUid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\nThreads:\t1\n' \
		"$name" "$pid" "$pid" > "$p/status"
	printf '%s\0' "$exe" > "$p/cmdline"
	ln -s "$exe" "$p/exe"
	ln -s / "$p/cwd"
	ln -s / "$p/root"
	ln -s 'net:[4026531840]' "$p/ns/net"
	for i in "$@"; do
		ln -s "socket:[$i]" "$p/fd/$fd"
		fd=$((fd + 1))
	done
}

# base_root ROOT NAME KEYLINE: hostname, accounts, root's authorized key
base_root() {
	local r=$1
	mkdir -p "$r/etc/cron.d" "$r/usr/bin" "$r/var/log" "$r/root/.ssh" "$r/tmp"
	echo "$2" > "$r/etc/hostname"
	printf '%s\n' "$(echo "$2" | sha256sum | cut -c1-32)" > "$r/etc/machine-id"
	printf 'root:x:0:0:root:/root:/bin/bash\nadmin:x:1000:1000::/home/admin:/bin/bash\n' > "$r/etc/passwd"
	printf 'root:x:0:\nadmin:x:1000:\n' > "$r/etc/group"
	printf 'PRETTY_NAME="Test Linux"\nID=test\n' > "$r/etc/os-release"
	echo "$3" > "$r/root/.ssh/authorized_keys"
}

make_hosts() {
	local d=$SCRATCH/roots key
	ssh-keygen -q -t ed25519 -N '' -C shared@ops -f "$SCRATCH/k" >/dev/null
	key=$(cat "$SCRATCH/k.pub")
	printf '%s' "$AGENT" > "$SCRATCH/agent"

	# alpha
	base_root "$d/alpha" alpha "$key"
	mkdir -p "$d/alpha/tmp/.x"
	cp "$SCRATCH/agent" "$d/alpha/tmp/.x/agent"
	chmod 755 "$d/alpha/tmp/.x/agent"
	proc_one "$d/alpha" 100 agent /tmp/.x/agent 1111
	# 172.17.0.1:8080: a container bridge's address, on alpha and beta
	proc_tcp '0100000A:C350 0200000A:0016 01 1111' \
		'010011AC:1F90 00000000:0000 0A 1112' > "$d/alpha/proc/net/tcp"
	echo 'ssh root@10.0.0.2' > "$d/alpha/root/.bash_history"
	echo "10.0.0.2 $(cut -d' ' -f1-2 "$SCRATCH/k.pub")" > "$d/alpha/root/.ssh/known_hosts"
	echo '*/5 * * * * root /tmp/.cache/upd' > "$d/alpha/etc/cron.d/upd"

	# beta
	base_root "$d/beta" beta "from=\"10.0.0.0/8\" $key"
	mkdir -p "$d/beta/usr/local/bin" "$d/beta/usr/sbin"
	cp "$SCRATCH/agent" "$d/beta/usr/local/bin/agent"
	chmod 755 "$d/beta/usr/local/bin/agent"
	echo 'not sshd' > "$d/beta/usr/sbin/sshd"
	proc_one "$d/beta" 200 sshd /usr/sbin/sshd 2222 2223
	proc_tcp '00000000:0016 00000000:0000 0A 2222' \
		'0200000A:0016 0100000A:C350 01 2223' \
		'010011AC:1F90 00000000:0000 0A 2224' > "$d/beta/proc/net/tcp"
	echo '*/5 * * * * root /usr/local/bin/agent' > "$d/beta/etc/cron.d/agent"
	{
		utmp_line 7 3001 root pts/0 10.0.0.1 10.0.0.1 $((T + 100))
		utmp_line 8 3001 '' pts/0 '' 0.0.0.0 $((T + 200))
		utmp_line 7 3002 root pts/1 10.0.0.1 10.0.0.1 $((T + 300))
		utmp_line 7 3003 root pts/2 192.0.2.99 192.0.2.99 $((T + 400))
	} | utmpdump -r > "$d/beta/var/log/wtmp" 2>/dev/null

	# gamma
	base_root "$d/gamma" gamma "from=\"10.0.0.0/8\" $key"
	echo 'foo' > "$d/gamma/usr/bin/foo"
	proc_one "$d/gamma" 300 foo /usr/bin/foo 3333
	proc_tcp '0300000A:0050 00000000:0000 0A 3333' > "$d/gamma/proc/net/tcp"
	echo '*/5 * * * * root /tmp/.cache/upd' > "$d/gamma/etc/cron.d/upd"
	{
		utmp_line 7 4001 admin pts/0 beta 0.0.0.0 $((T + 500))
		# markup in an account name: text in the report, never markup
		utmp_line 7 4002 '<i>x</i>' pts/1 beta 0.0.0.0 $((T + 600))
		# from an address two hosts have: no host of the case
		utmp_line 7 4003 root pts/2 172.17.0.1 172.17.0.1 $((T + 700))
	} | utmpdump -r > "$d/gamma/var/log/wtmp" 2>/dev/null

	local h
	for h in alpha beta gamma; do
		"$COLLECT" -q -o "$SCRATCH/$h.tar.zst" --root "$d/$h" \
			--now 2023-11-15T00:00:00Z >/dev/null 2>&1 || true
		[ -s "$SCRATCH/$h.tar.zst" ]
	done
}

# q SQL: sqlite3 over the case, one row a line, fields by |
q() {
	sqlite3 "$SCRATCH/case.db" "$1"
}

ingest_all() {
	run "$ANALYZE" ingest -q --db "$SCRATCH/case.db" --no-default-rules \
		"$SCRATCH/alpha.tar.zst" "$SCRATCH/beta.tar.zst" "$SCRATCH/gamma.tar.zst"
	echo "$output"
	[ "$status" -eq 0 ]
}

@test "crosshost: views: host addresses, login edges, host summaries" {
	make_hosts
	ingest_all
	# each host's addresses: its name and its sockets' local addresses
	run q "SELECT h.hostname, a.address, a.source FROM v_host_addresses a
		JOIN hosts h ON h.id = a.host_id ORDER BY 1, 2"
	echo "$output"
	[ "$output" = "alpha|10.0.0.1|socket
alpha|172.17.0.1|socket
alpha|alpha|hostname
beta|10.0.0.2|socket
beta|172.17.0.1|socket
beta|beta|hostname
gamma|10.0.0.3|socket
gamma|gamma|hostname" ]
	# alpha -> beta on both ends; beta -> gamma by name, nothing on beta's
	# side; 192.0.2.99 is no host of the case, 172.17.0.1 two of them
	run q "SELECT src_host, dst_host, account, count, first, last,
		matched_on, coalesce(outgoing, '-') FROM v_login_edges ORDER BY 1, 2, 3"
	echo "$output"
	[ "$output" = "alpha|beta|root|2|$(((T + 100) * 1000000))|$(((T + 300) * 1000000))|10.0.0.1 (socket, wtmp)|known_hosts, history, socket
beta|gamma|<i>x</i>|1|$(((T + 600) * 1000000))|$(((T + 600) * 1000000))|beta (hostname, wtmp)|-
beta|gamma|admin|1|$(((T + 500) * 1000000))|$(((T + 500) * 1000000))|beta (hostname, wtmp)|-" ]
	# per host: one evidence each, the event span, findings by band
	run q "SELECT host, evidence, first_event IS NOT NULL, last_event >= first_event
		FROM v_host_summary ORDER BY host"
	[ "$output" = "alpha|1|1|1
beta|1|1|1
gamma|1|1|1" ]
	# the record counts per host agree with the tables
	[ "$(q "SELECT count FROM v_host_records WHERE host = 'beta' AND kind = 'login'")" = \
		"$(q "SELECT count(*) FROM logins l JOIN evidence e ON e.id = l.evidence_id
			JOIN hosts h ON h.id = e.host_id WHERE h.hostname = 'beta'")" ]
	[ "$(q "SELECT count FROM v_host_records WHERE host = 'alpha' AND kind = 'process'")" = 1 ]
	# the bands add up to each host's findings
	[ "$(q "SELECT count(*) FROM v_host_summary s WHERE findings_70 + findings_40 + findings_low
		<> (SELECT count(*) FROM findings f WHERE f.host_id = s.host_id)")" = 0 ]
}

@test "crosshost: the same content, task and key on several hosts; logins between hosts" {
	make_hosts
	ingest_all
	sha=$(sha256sum "$SCRATCH/agent" | cut -d' ' -f1)
	# the content alpha's process runs, also on beta (files row): 20 on
	# alpha where it scored, 50 on beta where it did not
	run q "SELECT h.hostname, f.score FROM findings f JOIN cross_findings c
		ON c.finding_id = f.id JOIN hosts h ON h.id = f.host_id
		WHERE c.kind = 'file' AND c.indicator = '$sha' ORDER BY 1"
	echo "$output"
	[ "$output" = "alpha|20
beta|50" ]
	# beta's finding links its own copy of the file
	[ "$(q "SELECT fi.path FROM findings f JOIN cross_findings c ON c.finding_id = f.id
		JOIN finding_links l ON l.finding_id = f.id JOIN files fi ON
		l.record_table = 'files' AND fi.id = l.record_id JOIN hosts h ON
		h.id = f.host_id WHERE c.kind = 'file' AND h.hostname = 'beta'")" = /usr/local/bin/agent ]
	# the cron task of alpha and gamma (a finding on both), the key of
	# all three (a finding on alpha only: beta's and gamma's have from=)
	run q "SELECT c.kind, h.hostname, f.score FROM findings f JOIN
		cross_findings c ON c.finding_id = f.id JOIN hosts h ON
		h.id = f.host_id WHERE c.kind IN ('task', 'ssh_key') ORDER BY 1, 2"
	echo "$output"
	[ "$output" = "ssh_key|alpha|20
ssh_key|beta|40
ssh_key|gamma|40
task|alpha|20
task|gamma|20" ]
	[ "$(q "SELECT json_extract(indicator, '\$[1]') FROM cross_findings WHERE kind = 'ssh_key' LIMIT 1")" = \
		"$(ssh-keygen -lf "$SCRATCH/k.pub" | cut -d' ' -f2)" ]
	# logins: on the destination; both ends seen: 40, one end: 30
	run q "SELECT h.hostname, f.score, f.title FROM findings f JOIN
		cross_findings c ON c.finding_id = f.id JOIN hosts h ON
		h.id = f.host_id WHERE c.kind = 'login' ORDER BY 1, 3"
	echo "$output"
	[ "$output" = "beta|40|login from alpha to beta as root
gamma|30|login from beta to gamma as <i>x</i>
gamma|30|login from beta to gamma as admin" ]
	# alpha -> beta links beta's two login records from 10.0.0.1
	[ "$(q "SELECT count(*) FROM finding_links l JOIN findings f ON f.id = l.finding_id
		JOIN logins g ON l.record_table = 'logins' AND g.id = l.record_id
		WHERE f.title = 'login from alpha to beta as root' AND g.address = '10.0.0.1'")" = 2 ]
	# the indicators across hosts
	run q "SELECT kind, hosts, host_list FROM v_cross_indicators ORDER BY 1"
	echo "$output"
	[ "$output" = "file|2|alpha,beta
ssh_key|3|alpha,beta,gamma
task|2|alpha,gamma" ]
	# every cross finding is of category cross-host, one per row
	[ "$(q "SELECT count(*) FROM findings WHERE category = 'cross-host'")" = 10 ]
	[ "$(q "SELECT count(*) FROM cross_findings")" = 10 ]
	# each is a timeline event, as every finding: the logins at the first
	# login, the others at their host's collection
	[ "$(q "SELECT count(*) FROM events WHERE source = 'FINDING'")" = "$(q "SELECT count(*) FROM findings")" ]
	[ "$(q "SELECT v.ts, v.host, v.ts_desc FROM events v JOIN findings f ON
		v.record_table = 'findings' AND v.record_id = f.id WHERE f.title =
		'login from alpha to beta as root'")" = "$(((T + 100) * 1000000))|beta|Finding" ]
	[ "$(q "SELECT v.path, v.ts_desc FROM events v JOIN cross_findings c ON
		v.record_table = 'findings' AND v.record_id = c.finding_id JOIN
		findings f ON f.id = c.finding_id WHERE c.kind = 'file' AND
		f.score = 50")" = "/usr/local/bin/agent|Finding (time of collection)" ]
}

@test "crosshost: ingest again, and another evidence, never duplicates the cross-host findings" {
	make_hosts
	ingest_all
	before=$(q "SELECT h.hostname, c.kind, c.indicator, f.score FROM findings f
		JOIN cross_findings c ON c.finding_id = f.id JOIN hosts h ON
		h.id = f.host_id ORDER BY 1, 2, 3")
	nlinks=$(q "SELECT count(*) FROM finding_links WHERE finding_id IN
		(SELECT finding_id FROM cross_findings)")
	ingest_all
	[ "$(q "SELECT h.hostname, c.kind, c.indicator, f.score FROM findings f
		JOIN cross_findings c ON c.finding_id = f.id JOIN hosts h ON
		h.id = f.host_id ORDER BY 1, 2, 3")" = "$before" ]
	[ "$(q "SELECT count(*) FROM finding_links WHERE finding_id IN
		(SELECT finding_id FROM cross_findings)")" = "$nlinks" ]
	# no finding link is left without its finding
	[ "$(q "SELECT count(*) FROM finding_links WHERE finding_id NOT IN (SELECT id FROM findings)")" = 0 ]
	[ "$(q "SELECT count(*) FROM events WHERE record_table = 'findings' AND record_id NOT IN (SELECT id FROM findings)")" = 0 ]
	[ "$(q "SELECT count(*) FROM events WHERE source = 'FINDING'")" = "$(q "SELECT count(*) FROM findings")" ]
	# the evidence one at a time, in another order: the same findings
	for h in gamma alpha beta; do
		run "$ANALYZE" ingest -q --db "$SCRATCH/two.db" --no-default-rules "$SCRATCH/$h.tar.zst"
		[ "$status" -eq 0 ]
	done
	[ "$(sqlite3 "$SCRATCH/two.db" "SELECT h.hostname, c.kind, c.indicator, f.score FROM findings f
		JOIN cross_findings c ON c.finding_id = f.id JOIN hosts h ON
		h.id = f.host_id ORDER BY 1, 2, 3")" = "$before" ]
}

@test "crosshost: image computes them too: gamma's disk image joins alpha's and beta's collections" {
	make_hosts
	mkfs.ext4 -q -d "$SCRATCH/roots/gamma" "$SCRATCH/gamma.img" 8M
	run "$ANALYZE" ingest -q --db "$SCRATCH/case.db" --no-default-rules \
		"$SCRATCH/alpha.tar.zst" "$SCRATCH/beta.tar.zst"
	[ "$status" -eq 0 ]
	[ "$(q "SELECT count(*) FROM cross_findings c JOIN findings f ON f.id = c.finding_id
		JOIN hosts h ON h.id = f.host_id WHERE h.hostname = 'gamma'")" = 0 ]
	run "$ANALYZE" image -q --db "$SCRATCH/case.db" --no-scan "$SCRATCH/gamma.img"
	echo "$output"
	[ "$status" -eq 0 ]
	# the task alpha shares with gamma, the key of all three, the
	# logins from beta: gamma's findings now
	run q "SELECT c.kind, f.score, f.title FROM findings f JOIN cross_findings c
		ON c.finding_id = f.id JOIN hosts h ON h.id = f.host_id
		WHERE h.hostname = 'gamma' ORDER BY 1, 3"
	echo "$output"
	[ "$output" = "login|30|login from beta to gamma as <i>x</i>
login|30|login from beta to gamma as admin
ssh_key|40|authorized key on 3 hosts: ssh-ed25519 $(ssh-keygen -lf "$SCRATCH/k.pub" | cut -d' ' -f2) shared@ops
task|20|task on 2 hosts: */5 * * * * /tmp/.cache/upd" ]
	[ "$(q "SELECT count(*) FROM cross_findings WHERE kind = 'task'")" = 2 ]
}

@test "crosshost: a single-host case has no cross-host finding, edge or report section" {
	make_hosts
	run "$ANALYZE" ingest -q --db "$SCRATCH/case.db" --no-default-rules "$SCRATCH/beta.tar.zst"
	[ "$status" -eq 0 ]
	[ "$(q "SELECT count(*) FROM findings WHERE category = 'cross-host'")" = 0 ]
	[ "$(q "SELECT count(*) FROM v_login_edges")" = 0 ]
	[ "$(q "SELECT count(*) FROM v_cross_indicators")" = 0 ]
	# its own findings are there (the views were made)
	[ "$(q "SELECT count(*) FROM v_host_summary")" = 1 ]
	run "$ANALYZE" report --db "$SCRATCH/case.db" -o "$SCRATCH/r.html"
	[ "$status" -eq 0 ]
	! grep -q 'id="host-summary"\|id="across-hosts"\|id="login-graph"' "$SCRATCH/r.html" || false
}

@test "crosshost: the report compares the hosts, groups by indicator and draws the login graph (chromium)" {
	make_hosts
	ingest_all
	run "$ANALYZE" report --db "$SCRATCH/case.db" -o "$SCRATCH/r.html"
	[ "$status" -eq 0 ]
	# self-contained: nothing fetched
	! grep -Eiq '(src|href)="(https?:)?//' "$SCRATCH/r.html" || false
	chrome --dump-dom "file://$SCRATCH/r.html" > "$SCRATCH/r.dom.html"
	python3 "$IRKIT_SRC/tests/e2e/dom_tables.py" "$SCRATCH/r.dom.html" > "$SCRATCH/r.json"
	# the findings of each host by score band, counted by sqlite3 over
	# the findings table
	sqlite3 -separator ' ' "$SCRATCH/case.db" "SELECT h.hostname,
		(SELECT count(*) FROM evidence e WHERE e.host_id = h.id),
		sum(f.score >= 70), sum(f.score >= 40 AND f.score < 70),
		sum(f.score < 40), sum(f.category = 'cross-host')
		FROM hosts h JOIN findings f ON f.host_id = h.id
		GROUP BY h.id ORDER BY 1" > "$SCRATCH/bands.want"
	python3 - "$SCRATCH/r.json" "$SCRATCH/bands.want" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
t = d["tables"]
rows = t["host-summary"][0]["rows"]
got = [" ".join([r[0], r[1]] + r[4:8]) for r in rows]
want = open(sys.argv[2]).read().split("\n")[:-1]
assert got == want, (got, want)
assert "4 login" in rows[1][8].split("\n"), rows[1]
ind = {r[0]: r for r in t["across-hosts"][0]["rows"]}
assert ind["file"][1] == "/tmp/.x/agent" and ind["file"][3] == "2", ind
assert ind["file"][4] == "alpha, beta", ind
assert ind["ssh_key"][3] == "3" and ind["task"][4] == "alpha, gamma", ind
edges = [r[:4] + [r[7]] for r in t["login-graph"][0]["rows"]]
assert edges == [["alpha", "beta", "root", "2", "known_hosts, history, socket"],
                 ["beta", "gamma", "<i>x</i>", "1", ""],
                 ["beta", "gamma", "admin", "1", ""]], edges
graph = [c for c in d["charts"] if "alpha" in c["texts"]]
assert len(graph) == 1, d["charts"]
texts = graph[0]["texts"]
for w in ("alpha", "beta", "gamma", "root \u00d72", "admin \u00d71", "<i>x</i> \u00d71"):
    assert w in texts, (w, texts)
PY
	# the account's markup is text: no <i> element came of it
	! grep -q '<i>x</i>' "$SCRATCH/r.dom.html" || false
}
