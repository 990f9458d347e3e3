#!/usr/bin/env bats
#
# The accounts and sudoers collectors (collectors/accounts.c, sudoers.c)
# and the account, group and sudo_rule record types.
#
# Oracles: chage -R ROOT -l (shadow fields), pwck -r -R ROOT (malformed
# passwd lines), visudo -c -f and cvtsudoers -f json (sudoers), sqlite3;
# the same root inside an ext4 image (mkfs.ext4 -d, irkit-analyze image).
load helpers

setup() {
	setup_scratch
	cd "$SCRATCH"
}

teardown() {
	teardown_scratch
}

# today in days since the epoch (shadow's unit)
today() {
	echo $(( $(date +%s) / 86400 ))
}

# A root with accounts of every kind: a second UID 0, an empty password,
# locked, disabled, a yescrypt hash changed 3 days ago, a deleted account
# (in the backups only), groups with gshadow, and a sudoers with includes.
make_root() {
	r=$SCRATCH/root
	mkdir -p "$r/etc/sudoers.d" "$r/usr/bin" "$r/root" "$r/home/bob"
	cat > "$r/etc/passwd" <<-'P'
	root:x:0:0:root:/root:/bin/bash
	daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
	toor:x:0:0:second root:/root:/bin/sh
	bob:x:1000:1000:Bob B,,,:/home/bob:/bin/bash
	eve:x:1001:1001::/home/eve:/bin/bash
	svc:x:999:999::/var/lib/svc:/bin/false
	P
	cat > "$r/etc/shadow" <<-S
	root:\$y\$j9T\$SALTSALTSALT\$HASHHASHHASHHASHHASHHASHHASHHASHHASHHASH:$(( $(today) - 3 )):0:99999:7:::
	daemon:*:19000:0:99999:7:::
	toor:!\$6\$salt\$SIXHASHSIXHASHSIXHASH:19500:0:99999:7:::
	bob::20400:1:90:7:5:20500:
	eve:\$1\$md5salt\$MDFIVEHASHMDFIVEHASH:18000:::::20100:
	svc:!:19999::::::
	S
	cat > "$r/etc/passwd-" <<-'P'
	root:x:0:0:root:/root:/bin/bash
	mallory:x:1002:1002::/home/mallory:/bin/bash
	P
	printf 'mallory:$6$m$MALLORYHASHMALLORYHASH:20300:0:99999:7:::\n' > "$r/etc/shadow-"
	cat > "$r/etc/group" <<-'G'
	root:x:0:
	sudo:x:27:bob,eve
	staff:x:50:
	G
	cat > "$r/etc/gshadow" <<-'G'
	root:*::
	sudo:!::bob,eve
	staff:$6$g$GROUPHASHGROUPHASH:bob:
	G
	printf 'root:x:0:\nsudo:x:27:bob\nhackers:x:1337:mallory\n' > "$r/etc/group-"
	cat > "$r/etc/sudoers" <<-'U'
	# the main file
	Defaults	env_reset
	Defaults:bob	!requiretty
	Cmnd_Alias SHELLS = /bin/bash, /usr/bin/zsh, \
		/bin/sh
	User_Alias ADMINS = bob, eve
	root	ALL=(ALL:ALL) ALL
	%sudo	ALL=(ALL:ALL) ALL
	ADMINS, carol ALL = (root) NOPASSWD: SHELLS, PASSWD: /usr/bin/apt update
	dave	ALL=(ALL) NOPASSWD:ALL   # everything
	#1001 web1 = (www-data) NOEXEC: /usr/bin/vi, !/usr/bin/su
	@includedir /etc/sudoers.d
	U
	printf 'frank ALL=(ALL) NOPASSWD: /usr/bin/less\n' > "$r/etc/sudoers.d/frank"
	printf 'not read\n' > "$r/etc/sudoers.d/skip.me"
	echo "$r"
}

# collect NAME ROOT [collectors]: an archive of ROOT in $SCRATCH/NAME.tar.zst
collect() {
	"$COLLECT" -q -o "$SCRATCH/$1.tar.zst" --root "$2" --only "${3:-accounts,sudoers}"
}

# records NAME COLLECTOR: the records member
records() {
	tar --zstd -xOf "$SCRATCH/$1.tar.zst" --wildcards "*/records/$2.jsonl"
}

# users FILE true|false: the accounts of the records, deleted or not
users() {
	python3 - "$1" "$2" <<-'PY'
	import json, sys
	for l in open(sys.argv[1]):
	    r = json.loads(l)
	    if r["type"] == "account" and r["deleted"] == (sys.argv[2] == "true"):
	        print(r["user"])
	PY
}

logof() {
	tar --zstd -xOf "$SCRATCH/$1.tar.zst" --wildcards '*/log.jsonl'
}

@test "accounts: the shadow fields of every account as chage -l prints them" {
	root=$(make_root)
	collect a "$root" accounts || true
	records a accounts > recs.jsonl
	for u in root daemon toor bob eve svc; do
		echo "== $u"
		LC_ALL=C chage -R "$root" -l "$u"
	done > chage.txt
	python3 - recs.jsonl chage.txt <<-'PY'
	import json, sys, datetime
	recs = {r["user"]: r for r in map(json.loads, open(sys.argv[1]))
	        if r["type"] == "account" and not r["deleted"]}
	cur = None
	seen = 0
	def day(v):
	    if v is None:
	        return "never"
	    return datetime.datetime.fromisoformat(v.replace("Z", "+00:00")).strftime("%b %d, %Y")
	for line in open(sys.argv[2]):
	    if line.startswith("== "):
	        cur = recs[line[3:].strip()]
	        seen += 1
	        continue
	    k, v = [x.strip() for x in line.split(":", 1)]
	    if k == "Last password change":
	        assert v == day(cur["last_change"]), (cur["user"], k, v, cur)
	    elif k == "Account expires":
	        assert v == day(cur["expire"]), (cur["user"], k, v, cur)
	    elif k.startswith("Minimum"):
	        assert int(v) == (cur["min_days"] if cur["min_days"] is not None else -1), (cur, v)
	    elif k.startswith("Maximum"):
	        assert int(v) == (cur["max_days"] if cur["max_days"] is not None else -1), (cur, v)
	    elif k.startswith("Number of days of warning"):
	        assert int(v) == (cur["warn_days"] if cur["warn_days"] is not None else -1), (cur, v)
	assert seen == 6
	PY
	# shadow day 3 is midnight UTC of that day
	python3 - recs.jsonl <<-'PY'
	import json, sys
	r = {r["user"]: r for r in map(json.loads, open(sys.argv[1])) if r["type"] == "account"}
	assert r["bob"]["last_change"] == "2025-11-08T00:00:00.000000Z"
	assert r["bob"]["last_change_days"] == 20400 and r["bob"]["inactive_days"] == 5
	assert r["bob"]["expire"] == "2026-02-16T00:00:00.000000Z"
	# the password's state and scheme, never the hash
	want = {"root": ("set", "$y$", False), "daemon": ("disabled", None, False),
	        "toor": ("locked", "$6$", True), "bob": ("empty", None, False),
	        "eve": ("set", "$1$", False), "svc": ("locked", None, True)}
	for u, (state, scheme, locked) in want.items():
	    assert (r[u]["password"], r[u]["password_scheme"], r[u]["locked"]) == (state, scheme, locked), r[u]
	assert r["bob"]["gecos"] == "Bob B,,," and r["svc"]["shell"] == "/bin/false"
	PY
	# no hash anywhere in the archive
	for h in HASHHASH SIXHASH MDFIVEHASH MALLORYHASH GROUPHASH SALTSALT; do
		! tar --zstd -xOf "$SCRATCH/a.tar.zst" | grep -aq "$h" || false
	done
}

@test "accounts: the lines pwck -r finds malformed are the lines not read; binary junk is one of them" {
	root=$(make_root)
	printf 'bad line\n\001\377\033[31m:x:\n:x:5:5::/:/bin/sh\nnum:x:12a:1::/:/bin/sh\n' >> "$root/etc/passwd"
	run collect a "$root" accounts
	[ "$status" -eq 1 ]
	records a accounts > recs.jsonl
	run env LC_ALL=C pwck -r -R "$root"
	echo "$output"
	# an entry pwck cannot split, or with no name
	bad=$(grep -c "invalid password file entry\|invalid user name ''" <<< "$output")
	[ "$bad" -eq 4 ]
	logof a | grep -q "\"/etc/passwd\",\"message\":\"$bad of 10 line(s) not understood\""
	# every line pwck accepts is an account
	grep -v '^$' "$root/etc/passwd" | LC_ALL=C awk -F: 'NF == 7 && $1 != "" && $3 ~ /^[0-9]+$/ && $4 ~ /^[0-9]+$/ { print $1 }' > want
	users recs.jsonl false > got
	diff want got
}

@test "accounts: an account or group only in the backup is deleted; groups with gshadow" {
	root=$(make_root)
	collect a "$root" accounts
	records a accounts > recs.jsonl
	python3 - recs.jsonl <<-'PY'
	import json, sys
	recs = list(map(json.loads, open(sys.argv[1])))
	acc = {(r["user"], r["deleted"]): r for r in recs if r["type"] == "account"}
	grp = {(r["name"], r["deleted"]): r for r in recs if r["type"] == "group"}
	# root is in both files: once, not deleted
	assert ("root", True) not in acc and ("root", False) in acc
	m = acc[("mallory", True)]
	assert m["source"] == "/etc/passwd-" and m["uid"] == 1002
	assert m["password_scheme"] == "$6$" and m["last_change_days"] == 20300
	assert ("hackers", True) in grp and grp[("hackers", True)]["members"] == ["mallory"]
	assert ("sudo", True) not in grp
	assert grp[("sudo", False)]["members"] == ["bob", "eve"]
	assert grp[("sudo", False)]["password"] == "locked"
	assert grp[("staff", False)]["admins"] == ["bob"]
	assert grp[("staff", False)]["password_scheme"] == "$6$"
	PY
	# oracle: names in the backup and not in the file
	comm -13 <(cut -d: -f1 "$root/etc/passwd" | sort) <(cut -d: -f1 "$root/etc/passwd-" | sort) > want
	users recs.jsonl true > got
	diff want got
}

@test "accounts: findings for a second UID 0, an empty password, a password set within 30 days; events" {
	root=$(make_root)
	collect a "$root"
	run "$ANALYZE" ingest -q --db c.db --no-default-rules "$SCRATCH/a.tar.zst"
	echo "$output"
	[ "$status" -eq 0 ]
	sqlite3 c.db "SELECT f.title FROM findings f ORDER BY f.title" > titles
	cat titles
	grep -qx "UID 0 account 'toor'" titles
	grep -qx "Account 'bob' without a password" titles
	# root's password was set 3 days ago; toor's long ago
	grep -qx "Account 'root' new or its password changed" titles
	! grep -q "'toor' new" titles || false
	# the deleted account is no finding
	! grep -q mallory titles || false
	# accounts as sqlite3 sees the passwd file
	[ "$(sqlite3 c.db "SELECT count(*) FROM accounts WHERE NOT deleted")" -eq "$(grep -c . "$root/etc/passwd")" ]
	[ "$(sqlite3 c.db "SELECT count(*) FROM events WHERE ts_desc = 'Password Change'")" -eq 7 ]
	[ "$(sqlite3 c.db "SELECT count(*) FROM events WHERE ts_desc = 'Account Expiry'")" -eq 2 ]
	# and the report shows them
	"$ANALYZE" report --db c.db -o r.html
	grep -q 'id="accounts"' r.html
	grep -q 'toor' r.html
}

@test "accounts: a 1 GB passwd line (sparse) and a missing shadow: a log entry, the lines before it read" {
	root=$(make_root)
	rm "$root/etc/shadow"
	truncate -s 1G "$root/etc/passwd"
	run collect a "$root" accounts
	[ "$status" -eq 1 ]
	logof a | grep -q '"/etc/passwd","message":"longer than 16777216 bytes: the rest is not read"'
	[ "$(records a accounts | grep -c '"deleted":false' )" -ge 6 ]
	records a accounts | grep '"user":"bob"' | grep -q '"in_shadow":false'
}

@test "accounts: shadow days past the year 9999 are kept as days, without a time" {
	root=$(make_root)
	printf 'huge:x:2000:2000::/home/huge:/bin/sh\n' >> "$root/etc/passwd"
	printf 'huge:*:2147483647:0:99999:7::2932897:\n' >> "$root/etc/shadow"
	collect a "$root" accounts
	records a accounts > recs.jsonl
	python3 - recs.jsonl <<-'PY'
	import json, sys
	r = [r for r in map(json.loads, open(sys.argv[1])) if r.get("user") == "huge"][0]
	assert r["last_change_days"] == 2147483647 and r["last_change"] is None, r
	assert r["expire_days"] == 2932897 and r["expire"] is None, r
	PY
}

@test "sudoers: every rule as cvtsudoers -f json reads it; visudo -c accepts the file" {
	root=$(make_root)
	# the oracle reads one file: the rules without the include
	grep -v includedir "$root/etc/sudoers" > one
	# tags carried over, overridden and given again on one line
	echo 'eve ALL = (root) NOPASSWD: /a, PASSWD: NOEXEC: /b, NOPASSWD: /c, EXEC: SETENV: /d, NOEXEC: LOG_OUTPUT: /e' >> one
	cp one "$root/etc/sudoers"
	visudo -c -f one
	collect s "$root" sudoers
	records s sudoers > recs.jsonl
	cvtsudoers -f json one > cvt.json
	python3 - recs.jsonl cvt.json <<-'PY'
	import json, sys
	def name(d):
	    neg = "!" if d.get("negated") else ""
	    for k, v in d.items():
	        if k == "negated":
	            continue
	        if k == "usergroup":
	            return neg + "%" + v
	        if k == "userid":
	            return neg + "#" + str(v)
	        return neg + str(v)
	# each tag pair sets one of cvtsudoers' options; the last one wins
	pairs = {"PASSWD": ("authenticate", True), "NOPASSWD": ("authenticate", False),
	         "EXEC": ("noexec", False), "NOEXEC": ("noexec", True),
	         "SETENV": ("setenv", True), "NOSETENV": ("setenv", False),
	         "LOG_OUTPUT": ("log_output", True), "NOLOG_OUTPUT": ("log_output", False)}
	def options(tags):
	    assert len(tags) == len(set(tags)), tags
	    return {pairs[t][0]: pairs[t][1] for t in tags if t in pairs}
	want = []
	for spec in json.load(open(sys.argv[2]))["User_Specs"]:
	    users = [name(u) for u in spec["User_List"]]
	    hosts = [name(h) for h in spec["Host_List"]]
	    for cs in spec["Cmnd_Specs"]:
	        runas = [name(u) for u in cs.get("runasusers", [])]
	        opts = {k: v for o in cs.get("Options", []) for k, v in o.items()
	                if k in ("authenticate", "noexec", "setenv", "log_output")}
	        nopw = opts.get("authenticate") is False
	        for c in cs["Commands"]:
	            # sudo implies SETENV for ALL; irkit keeps the tags written
	            o = {k: v for k, v in opts.items()
	                 if not (k == "setenv" and name(c) == "ALL")}
	            want.append((users, hosts, runas, nopw, o, name(c)))
	got = [(r["users"], r["hosts"], r["runas_users"], r["nopasswd"],
	        options(r["tags"]), r["command"])
	       for r in map(json.loads, open(sys.argv[1])) if r["kind"] == "rule"]
	assert got == want, (got, want)
	assert any(w[-1] == "/e" for w in want)
	PY
}

@test "sudoers: includes followed in the root, aliases expanded, Defaults kept; NOPASSWD findings" {
	root=$(make_root)
	for f in "$root/etc/sudoers" "$root/etc/sudoers.d/frank"; do
		visudo -c -f "$f"
	done
	collect s "$root" sudoers
	records s sudoers > recs.jsonl
	python3 - recs.jsonl <<-'PY'
	import json, sys
	recs = list(map(json.loads, open(sys.argv[1])))
	rules = [r for r in recs if r["kind"] == "rule"]
	f = [r for r in rules if r["users"] == ["frank"]]
	assert len(f) == 1 and f[0]["file"] == "/etc/sudoers.d/frank" and f[0]["nopasswd"]
	sh = [r for r in rules if r["command"] == "SHELLS"][0]
	assert sh["commands_expanded"] == ["/bin/bash", "/usr/bin/zsh", "/bin/sh"]
	assert sh["line"] == 9 and sh["runas_users"] == ["root"]
	d = [(r["binding"], r["settings"]) for r in recs if r["kind"] == "defaults"]
	assert d == [("Defaults", "env_reset"), ("Defaults:bob", "!requiretty")]
	a = {r["name"]: r["members"] for r in recs if r["kind"] == "alias"}
	assert a == {"SHELLS": ["/bin/bash", "/usr/bin/zsh", "/bin/sh"], "ADMINS": ["bob", "eve"]}
	# a file name with a dot is skipped, as sudo does
	assert not any(r["file"].endswith("skip.me") for r in recs)
	PY
	"$ANALYZE" ingest -q --db c.db --no-default-rules "$SCRATCH/s.tar.zst"
	sqlite3 c.db "SELECT reasons FROM findings WHERE category = 'sudo' ORDER BY 1" > got
	cat got
	[ "$(wc -l < got)" -eq 2 ]
	grep -q 'NOPASSWD for a shell: SHELLS (/etc/sudoers:9)' got
	grep -q 'NOPASSWD for all commands (/etc/sudoers:10)' got
	# less is no shell, apt update asks for the password
	! grep -q 'less\|apt' got || false
}

@test "sudoers: an include loop, a deep chain and a link out of the root: log entries, no crash" {
	root=$(make_root)
	echo '@include /etc/sudoers' >> "$root/etc/sudoers.d/frank"
	# a chain of 12 includes, deeper than the bound
	for i in $(seq 1 12); do
		echo "@include chain$((i + 1))" > "$root/etc/chain$i"
		echo "u$i ALL=(ALL) ALL" >> "$root/etc/chain$i"
	done
	echo '@include /etc/chain1' >> "$root/etc/sudoers"
	# a relative include climbing out of the root stays in it
	echo '#include ../../../../../../../../etc/hostname' >> "$root/etc/sudoers"
	run collect s "$root" sudoers
	echo "$output"
	[ "$status" -eq 1 ]
	logof s > log
	grep -q "an include loop: '/etc/sudoers' is being read" log
	grep -q 'includes nested deeper than 8' log
	# the chain is read up to the bound; the rules before the loop are all there
	records s sudoers > recs.jsonl
	grep -q '"users":\["u7"\]' recs.jsonl
	! grep -q '"users":\["u12"\]' recs.jsonl || false
	[ "$(grep -c '"users":\["frank"\]' recs.jsonl)" -eq 1 ]
}

@test "sudoers: aliases of aliases that fan out are cut with a log entry, in bounded time" {
	root=$(make_root)
	# 40^7 paths to an alias that names nothing
	{
		for l in A B C D E F G; do
			n=$(printf '%s' "$l" | tr 'A-G' 'B-H')
			printf 'Cmnd_Alias %s = %s' "$l" "$n"
			for i in $(seq 2 40); do printf ', %s' "$n"; done
			printf '\n'
		done
		printf 'Cmnd_Alias H =\n'
		printf 'zed ALL = (root) NOPASSWD: A, /bin/ls\n'
	} > "$root/etc/sudoers"
	run timeout 20 "$COLLECT" -q -o "$SCRATCH/s.tar.zst" --root "$root" --only sudoers
	echo "$output"
	[ "$status" -eq 1 ]
	logof s | grep -q 'the aliases of line 9 expand to more than 1024 commands or 10000 steps: cut'
	records s sudoers | grep '"users":\["zed"\]' > zed
	[ "$(wc -l < zed)" -eq 2 ]
	grep -q '"command":"/bin/ls".*"commands_expanded":\["/bin/ls"\]' zed
}

@test "accounts, sudoers, ssh: the same root live (--root) and in an ext4 image give the same rows" {
	root=$(make_root)
	mkdir -p "$root/root/.ssh" "$root/etc/ssh"
	ssh-keygen -q -t ed25519 -N '' -C 'img key' -f "$SCRATCH/k"
	cp "$SCRATCH/k.pub" "$root/root/.ssh/authorized_keys"
	printf 'PermitRootLogin prohibit-password\n' > "$root/etc/ssh/sshd_config"
	collect live "$root" accounts,sudoers,ssh
	"$ANALYZE" ingest -q --db live.db --no-default-rules "$SCRATCH/live.tar.zst"
	mkfs.ext4 -q -F -d "$root" disk.raw 16M
	run "$ANALYZE" image --no-scan --no-image-hash --db img.db disk.raw
	echo "$output"
	q_acc="SELECT user, uid, gid, gecos, home, shell, password, password_scheme, locked, last_change, expire, source, deleted FROM accounts ORDER BY user, deleted"
	q_grp="SELECT name, gid, members, admins, password, deleted FROM account_groups ORDER BY name, deleted"
	q_sudo="SELECT kind, file, line, users, hosts, runas_users, tags, nopasswd, command, commands_expanded, name, members, settings FROM sudo_rules ORDER BY file, line, id"
	q_ssh="SELECT path, user, key_type, bits, fingerprint, comment, options FROM ssh_keys ORDER BY path, line"
	q_sshd="SELECT permit_root_login, settings FROM sshd_configs"
	for q in "$q_acc" "$q_grp" "$q_sudo" "$q_ssh" "$q_sshd"; do
		sqlite3 live.db "$q" > a
		sqlite3 img.db "$q" > b
		[ -s a ]
		diff a b
	done
}
