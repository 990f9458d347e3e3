#!/usr/bin/env bats
#
# The kernel_modules collector and the kernel_module record type: a
# record type added with its collector file and list line, its record
# declaration (analyzer/records/kernel_module.c) and list line, and
# nothing in the db, ingest, findings or report code.
#
# Oracles: awk reading the same /proc/modules; sqlite3; on a host with
# loadable modules, /proc/modules itself (lsmod's source).
load helpers

setup() {
	setup_scratch
}

teardown() {
	teardown_scratch
}

# A root with a /proc/modules of every shape, and a tainted kernel.
make_root() {
	r=$SCRATCH/root
	mkdir -p "$r/proc/sys/kernel"
	cat > "$r/proc/modules" <<-'M'
	nf_tables 294912 3 nft_compat,nft_chain_nat, Live 0xffffffffc0a3f000
	nft_compat 20480 1 - Live 0x0000000000000000
	evilmod 16384 0 - Live 0xffffffffc0900000 (OE)
	going 4096 - - Unloading 0xffffffffc0800000
	this line is not a module
	M
	printf '12288\n' > "$r/proc/sys/kernel/tainted"
	echo "$r"
}

@test "kernel_modules: one record per module line, as awk reads it; taint flags decoded" {
	root=$(make_root)
	cd "$SCRATCH"
	run "$COLLECT" -q -o m.tar.zst --root "$root" --only kernel_modules
	echo "$output"
	# the line that is not a module is a warning: partial
	[ "$status" -eq 1 ]
	tar --zstd -xOf m.tar.zst --wildcards '*/records/kernel_modules.jsonl' > recs.jsonl
	tar --zstd -xOf m.tar.zst --wildcards '*/log.jsonl' | grep -q '1 of 5 line(s) not understood'
	# oracle: name size refcount deps state, "-" as null/empty
	awk 'NF >= 6 && $2 ~ /^[0-9]+$/ { d = $4; if (d == "-") d = ""; sub(/,$/, "", d)
		print $1, $2, ($3 == "-" ? "null" : $3), d, $5 }' "$root/proc/modules" > want
	python3 - recs.jsonl > got <<-'PY'
	import json, sys
	for line in open(sys.argv[1]):
	    r = json.loads(line)
	    assert r["type"] == "kernel_module"
	    rc = "null" if r["refcount"] is None else r["refcount"]
	    print(r["name"], r["size"], rc, ",".join(r["dependencies"]), r["state"])
	PY
	diff want got
	python3 - recs.jsonl <<-'PY'
	import json, sys
	m = {r["name"]: r for r in map(json.loads, open(sys.argv[1]))}
	assert m["evilmod"]["taint"] == "OE" and m["nf_tables"]["taint"] is None
	assert m["nft_compat"]["address"] is None          # hidden by kptr_restrict
	assert m["nf_tables"]["address"] == "0xffffffffc0a3f000"
	assert all(r["kernel_tainted"] == 12288 and r["kernel_taint_flags"] == "OE"
	           for r in m.values())
	PY
}

@test "kernel_module records load into their own table, match IOCs and show in the report" {
	root=$(make_root)
	cd "$SCRATCH"
	"$COLLECT" -q -o m.tar.zst --root "$root" --only kernel_modules || true
	printf 'filename:evilmod\n' > iocs.txt
	run "$ANALYZE" ingest -q --db c.db --no-default-rules --ioc iocs.txt m.tar.zst
	echo "$output"
	[ "$status" -eq 0 ]
	awk 'NF >= 6 && $2 ~ /^[0-9]+$/ { print $1 "|" $2 "|" $5 }' "$root/proc/modules" > want
	sqlite3 c.db 'SELECT name, size, state FROM kernel_modules ORDER BY id' > got
	diff want got
	[ "$(sqlite3 c.db "SELECT taint FROM kernel_modules WHERE name = 'evilmod'")" = OE ]
	[ "$(sqlite3 c.db "SELECT count(*) FROM kernel_modules WHERE host_id IS NULL")" -eq 0 ]
	# nothing of the type went into the catch-all table
	[ "$(sqlite3 c.db "SELECT count(*) FROM records")" -eq 0 ]
	# the IOC list names the module: a hit on its row and a finding
	[ "$(sqlite3 c.db "SELECT count(*) FROM ioc_hits WHERE record_table = 'kernel_modules'")" -eq 1 ]
	sqlite3 c.db "SELECT title FROM findings" | grep -qx 'IOC filename evilmod in kernel_modules evilmod'
	"$ANALYZE" report --db c.db -o r.html
	grep -q '<h2 id="modules">Suspicious kernel modules</h2>' r.html
	grep -q 'href="#modules"' r.html
	grep -q '>evilmod<' r.html
	! grep -q '>nf_tables<' r.html || false
}

@test "a case from before kernel_module (no table, opened read-only) reports and counts as before" {
	root=$(make_root)
	cd "$SCRATCH"
	"$COLLECT" -q -o m.tar.zst --root "$root" --only kernel_modules,processes || true
	printf 'filename:evilmod\nfilename:foo\n' > iocs.txt
	"$ANALYZE" ingest -q --db c.db --no-default-rules --ioc iocs.txt m.tar.zst || true
	# as an older irkit made it: no kernel_modules table, no hit on one
	sqlite3 c.db "DELETE FROM ioc_hits WHERE record_table = 'kernel_modules';
		DROP TABLE kernel_modules;
		INSERT INTO ioc_hits (record_table, record_id, kind, value, ioc_source)
		VALUES ('processes', 1, 'filename', 'planted', 'iocs.txt')"
	run "$ANALYZE" report --db c.db -o r.html
	echo "$output"
	[ "$status" -eq 0 ]
	! grep -q 'id="modules"' r.html || false
	! grep -q 'href="#modules"' r.html || false
	# the other IOC hits are still listed
	grep -A4 '<h2 id="iocs">' r.html | grep -q '>planted<'
	run "$ANALYZE" counts --db c.db
	[ "$status" -eq 0 ]
	[[ "$output" == *"processes	"* ]]
}

@test "kernel_modules: a root without /proc/modules is said in the log, not an error" {
	mkdir -p "$SCRATCH/empty"
	cd "$SCRATCH"
	run "$COLLECT" -q -o e.tar.zst --root "$SCRATCH/empty" --only kernel_modules
	echo "$output"
	[ "$status" -eq 0 ]
	tar --zstd -xOf e.tar.zst --wildcards '*/log.jsonl' | grep -q 'no loadable kernel modules here'
}

@test "kernel_modules on this host: the modules /proc/modules lists" {
	[ -r /proc/modules ] || skip "no /proc/modules on this host"
	cd "$SCRATCH"
	"$COLLECT" -q -o l.tar.zst --only kernel_modules
	tar --zstd -xOf l.tar.zst --wildcards '*/records/kernel_modules.jsonl' |
		python3 -c 'import json, sys; [print(json.loads(l)["name"]) for l in sys.stdin]' | sort > got
	awk '{ print $1 }' /proc/modules | sort > want
	diff want got
}
