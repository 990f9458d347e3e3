#!/usr/bin/env bats
#
# The ssh collector (collectors/ssh.c) and the ssh_key, ssh_known_hosts
# and sshd_config record types.
#
# Oracles: ssh-keygen -lf (bits, SHA256 fingerprint, comment of every
# key, as sshd logs them), ssh-keygen -H (hashed known_hosts), the files
# as written; sqlite3.
load helpers

setup() {
	setup_scratch
	cd "$SCRATCH"
}

teardown() {
	teardown_scratch
}

key() {
	ssh-keygen -q -t "$1" ${3:+-b "$3"} -N '' -C "$2" -f "$SCRATCH/k_$2"
	cat "$SCRATCH/k_$2.pub"
}

# A root: root's keys of every type and options, bob's through
# AuthorizedKeysFile /etc/ssh/keys/%u, a nologin account with a key,
# known_hosts hashed and not, an sshd_config with Include and Match.
make_root() {
	r=$SCRATCH/root
	mkdir -p "$r/etc/ssh/sshd_config.d" "$r/etc/ssh/keys" "$r/root/.ssh" \
	    "$r/home/bob/.ssh" "$r/var/lib/svc/.ssh"
	cat > "$r/etc/passwd" <<-'P'
	root:x:0:0:root:/root:/bin/bash
	bob:x:1000:1000::/home/bob:/bin/bash
	svc:x:999:999::/var/lib/svc:/usr/sbin/nologin
	P
	{
		key rsa rsa2048 2048
		key rsa rsa3072 3072
		echo "command=\"/usr/bin/backup --run, now\",no-pty,from=\"10.0.0.0/8,!10.0.0.1\" $(key ed25519 forced)"
		echo "  # a comment"
		echo "from=\"192.0.2.7\",environment=\"A=b c\" $(key ecdsa ec256 256)"
		key ecdsa ec384 384
		key ecdsa ec521 521
	} > "$r/root/.ssh/authorized_keys"
	key ed25519 bobkey > "$r/etc/ssh/keys/bob"
	key rsa bobold 1024 > "$r/home/bob/.ssh/authorized_keys2" 2>/dev/null ||
		key rsa bobold 2048 > "$r/home/bob/.ssh/authorized_keys2"
	key ed25519 svckey > "$r/var/lib/svc/.ssh/authorized_keys"
	printf 'github.com,140.82.121.4 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl\n' > "$r/home/bob/.ssh/known_hosts"
	printf 'gitlab.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAfuCHKVTjquxvt6CM6tdG4SLp1Btn/nOeHHE5UOzRdf\n[10.1.2.3]:2222 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAfuCHKVTjquxvt6CM6tdG4SLp1Btn/nOeHHE5UOzRdf\n@cert-authority *.corp ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAfuCHKVTjquxvt6CM6tdG4SLp1Btn/nOeHHE5UOzRdf\n' > "$r/root/.ssh/known_hosts"
	ssh-keygen -q -H -f "$r/root/.ssh/known_hosts" >/dev/null 2>&1
	rm -f "$r/root/.ssh/known_hosts.old"
	cat > "$r/etc/ssh/sshd_config" <<-'C'
	Include /etc/ssh/sshd_config.d/*.conf
	PermitRootLogin yes
	# sshd keeps the first value: the included one
	PasswordAuthentication no
	AuthorizedKeysFile .ssh/authorized_keys /etc/ssh/keys/%u %h/.ssh/authorized_keys2
	Match User bob Address 10.0.0.0/8
	    PasswordAuthentication yes
	    AuthorizedKeysCommand /usr/local/bin/keys %u
	C
	printf 'PasswordAuthentication yes\n' > "$r/etc/ssh/sshd_config.d/50-cloud.conf"
	printf 'PermitRootLogin no\n' > "$r/etc/ssh/sshd_config.d/x.conf.bak"
	echo "$r"
}

collect() {
	"$COLLECT" -q -o "$SCRATCH/$1.tar.zst" --root "$2" --only ssh
}

records() {
	tar --zstd -xOf "$SCRATCH/$1.tar.zst" --wildcards '*/records/ssh.jsonl'
}

logof() {
	tar --zstd -xOf "$SCRATCH/$1.tar.zst" --wildcards '*/log.jsonl'
}

@test "ssh: every key's bits, SHA256 fingerprint and comment as ssh-keygen -lf prints them" {
	root=$(make_root)
	collect s "$root"
	records s > recs.jsonl
	for f in root/.ssh/authorized_keys etc/ssh/keys/bob home/bob/.ssh/authorized_keys2 \
	    var/lib/svc/.ssh/authorized_keys; do
		ssh-keygen -lf "$root/$f" | sed "s|^|/$f |"
	done | sed -E 's/ \([A-Z0-9-]+\)$//' | sort > want
	python3 - recs.jsonl <<-'PY' | sort > got
	import json, sys
	for r in map(json.loads, open(sys.argv[1])):
	    if r["type"] == "ssh_key":
	        print(r["path"], r["bits"], r["fingerprint"], r["comment"])
	PY
	cat want
	diff want got
	[ "$(wc -l < got)" -eq 9 ]
}

@test "ssh: options, the account of each file (AuthorizedKeysFile %u %h), known_hosts, sshd_config" {
	root=$(make_root)
	collect s "$root"
	records s > recs.jsonl
	python3 - recs.jsonl <<-'PY'
	import json, sys
	recs = list(map(json.loads, open(sys.argv[1])))
	keys = {r["comment"]: r for r in recs if r["type"] == "ssh_key"}
	f = keys["forced"]
	assert f["forced_command"] == "/usr/bin/backup --run, now", f
	assert f["from"] == "10.0.0.0/8,!10.0.0.1"
	assert f["options"] == ['command="/usr/bin/backup --run, now"', "no-pty",
	                        'from="10.0.0.0/8,!10.0.0.1"'], f["options"]
	assert f["key_type"] == "ssh-ed25519" and f["line"] == 3
	e = keys["ec256"]
	assert e["options"] == ['from="192.0.2.7"', 'environment="A=b c"'] and e["forced_command"] is None
	assert keys["rsa2048"]["options"] == [] and keys["rsa2048"]["from"] is None
	assert (keys["bobkey"]["user"], keys["bobkey"]["uid"], keys["bobkey"]["path"]) == ("bob", 1000, "/etc/ssh/keys/bob")
	assert keys["svckey"]["shell"] == "/usr/sbin/nologin"
	kh = {r["path"]: r for r in recs if r["type"] == "ssh_known_hosts"}
	b = kh["/home/bob/.ssh/known_hosts"]
	assert (b["entries"], b["hashed"], b["hosts"]) == (1, 0, ["github.com", "140.82.121.4"])
	r = kh["/root/.ssh/known_hosts"]
	# ssh-keygen -H hashes every host name but not the @cert-authority line
	assert (r["entries"], r["hashed"], r["cert_authorities"]) == (3, 2, 1), r
	assert r["hosts"] == ["*.corp"], r
	c = [r for r in recs if r["type"] == "sshd_config"][0]
	assert c["permit_root_login"] == "yes"
	assert c["password_authentication"] == "yes"    # the Include came first
	assert c["authorized_keys_file"] == ".ssh/authorized_keys /etc/ssh/keys/%u %h/.ssh/authorized_keys2"
	assert c["files"] == ["/etc/ssh/sshd_config", "/etc/ssh/sshd_config.d/50-cloud.conf"]
	m = c["match_blocks"]
	assert len(m) == 1 and m[0]["criteria"] == "User bob Address 10.0.0.0/8" and m[0]["line"] == 6
	assert m[0]["settings"] == {"PasswordAuthentication": "yes",
	                            "AuthorizedKeysCommand": "/usr/local/bin/keys %u"}
	PY
	# the hashed names are ssh-keygen's: -F finds gitlab.com in the file
	ssh-keygen -F gitlab.com -f "$root/root/.ssh/known_hosts" | grep -q '^|1|'
}

@test "ssh: findings for a forced command, root without from=, a key of a nologin account; report" {
	root=$(make_root)
	collect s "$root"
	run "$ANALYZE" ingest -q --db c.db --no-default-rules "$SCRATCH/s.tar.zst"
	echo "$output"
	[ "$status" -eq 0 ]
	sqlite3 c.db "SELECT reasons FROM findings WHERE category = 'ssh'" > reasons
	cat reasons
	# root's keys without from=: rsa2048, rsa3072, ec384, ec521 (forced and ec256 have from=)
	[ "$(grep -c 'without from=' reasons)" -eq 4 ]
	grep -q 'forced command: /usr/bin/backup --run, now' reasons
	grep -q 'shell is /usr/sbin/nologin' reasons
	[ "$(sqlite3 c.db "SELECT count(*) FROM ssh_keys")" -eq 9 ]
	[ "$(sqlite3 c.db "SELECT count(*) FROM events WHERE ts_desc = 'Authorized Keys Modification'")" -eq 9 ]
	"$ANALYZE" report --db c.db -o r.html
	grep -q 'id="sshkeys"' r.html
	grep -q "$(ssh-keygen -lf "$SCRATCH/k_bobkey.pub" | cut -d' ' -f2)" r.html
}

@test "ssh: authorized_keys linked to /etc/shadow inside and outside the root, junk, a long line: log entries, no secret" {
	root=$(make_root)
	mkdir -p "$root/etc"
	printf 'root:$6$salt$ROOTSHADOWHASH:20000:0:99999:7:::\nbob:$6$s$BOBSHADOWHASH:20000:0:99999:7:::\n' > "$root/etc/shadow"
	ln -sf /etc/shadow "$root/home/bob/.ssh/authorized_keys"
	ln -sf ../../../../../../../../../etc/shadow "$root/var/lib/svc/.ssh/authorized_keys2"
	printf '\001\377junk\000more\nssh-ed25519 !!!notbase64 x\nssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl mismatch\n' >> "$root/root/.ssh/authorized_keys"
	head -c 5000000 /dev/zero | tr '\0' 'A' > "$root/home/bob/.ssh/known_hosts2"
	run collect s "$root"
	echo "$output"
	[ "$status" -eq 1 ]
	logof s > log
	cat log
	grep -q '"/home/bob/.ssh/authorized_keys","message":"a link to '"'"'/etc/shadow'"'"'"' log
	grep -q '"/var/lib/svc/.ssh/authorized_keys2","message":"a link to' log
	# both read the root's shadow (2 lines), never the host's
	[ "$(grep -c '"message":"2 of 2 line(s) not understood"' log)" -eq 2 ]
	grep -q '"/root/.ssh/authorized_keys","message":"3 of 10 line(s) not understood"' log
	grep -q '"/home/bob/.ssh/known_hosts2","message":"longer than 4194304 bytes' log
	! tar --zstd -xOf "$SCRATCH/s.tar.zst" | grep -aq 'SHADOWHASH' || false
	# the good keys are still there
	[ "$(records s | grep -c '"type":"ssh_key"')" -eq 9 ]
}
