#!/usr/bin/env bats
#
# The preload collector (collectors/preload.c, preload_parse.c) and the
# preload record type: ld.so.preload, loader variables in process
# environments, ld.so.conf, modules hidden from /proc/modules, modprobe
# hooks, PAM modules outside the system's folders.
#
# Oracles: sha256sum and test -e; ldconfig -r ROOT -N -v (the folders
# ld.so.conf gives, with their file and line); kmod's modprobe -c -C DIR
# (the install and remove hooks as kmod reads them); /proc/PID/environ
# read with tr; sqlite3 for the case; an ext4 image of the same root.
load helpers

setup() {
	setup_scratch
	# the oracles' files (want, got...) are written here
	cd "$SCRATCH"
	R=$SCRATCH/root
	mkdir -p "$R/etc/pam.d" "$R/etc/ld.so.conf.d" "$R/etc/modprobe.d" \
		"$R/usr/lib/modprobe.d" "$R/usr/lib/x86_64-linux-gnu/security" \
		"$R/usr/lib/evil" "$R/opt/lib" "$R/usr/local/lib" "$R/tmp" "$R/usr/bin"
	printf 'root:x:0:0:root:/root:/bin/bash\n' > "$R/etc/passwd"
	ln -s usr/lib "$R/lib"
}

teardown() {
	teardown_scratch
}

# collect ROOT [collectors]: the preload records in $SCRATCH/p.jsonl
collect() {
	"$COLLECT" -q -o "$SCRATCH/p.tar.zst" --root "$1" --only "${2:-preload}" || true
	tar --zstd -xOf "$SCRATCH/p.tar.zst" --wildcards '*/records/preload.jsonl' > "$SCRATCH/p.jsonl"
	tar --zstd -xOf "$SCRATCH/p.tar.zst" --wildcards '*/log.jsonl' > "$SCRATCH/log.jsonl"
}

# kind K FIELDS...: "a|b|c" lines of the records of kind K
kind() {
	python3 - "$SCRATCH/p.jsonl" "$@" <<-'PY'
	import json, sys
	for l in open(sys.argv[1]):
	    r = json.loads(l)
	    if r.get("kind") == sys.argv[2]:
	        print("|".join("" if r.get(k) is None else str(r[k]).lower()
	              if isinstance(r[k], bool) else str(r[k]) for k in sys.argv[3:]))
	PY
}

@test "preload: every ld.so.preload entry, whether it is there, its SHA-256" {
	printf 'evil\n' > "$R/usr/lib/evil/libhide.so"
	printf '/usr/lib/evil/libhide.so /gone.so\n\t/lib/evil/libhide.so:/tmp/x.so\n' > "$R/etc/ld.so.preload"
	collect "$R"
	kind ld.so.preload line path exists sha256 > got
	# oracle: the entries split as ld.so does, test -e and sha256sum
	awk -F'[ \t:]+' '{ for (i = 1; i <= NF; i++) if ($i != "") print NR, $i }' \
		"$R/etc/ld.so.preload" | while read -r l e; do
		if [ -e "$R$e" ]; then
			echo "$l|$e|true|$(sha256sum < "$R$e" | cut -d' ' -f1)"
		else
			echo "$l|$e|false|"
		fi
	done > want
	diff want got
	[ "$(wc -l < got)" -eq 4 ]
	# the library itself is in the evidence
	tar --zstd -tf "$SCRATCH/p.tar.zst" | grep -q 'files/usr/lib/evil/libhide.so$'
}

@test "preload: ld.so.conf folders as ldconfig reads them, includes followed, a loop bounded" {
	command -v ldconfig >/dev/null || skip "no ldconfig"
	printf '# libs\ninclude /etc/ld.so.conf.d/*.conf\n/opt/lib\n/nonexist\n' > "$R/etc/ld.so.conf"
	printf '/usr/local/lib # c\n' > "$R/etc/ld.so.conf.d/a.conf"
	printf '/usr/lib/evil\ninclude ld.so.conf\n' > "$R/etc/ld.so.conf.d/b.conf"
	printf '/not/read\n' > "$R/etc/ld.so.conf.d/c.txt"
	collect "$R"
	# ldconfig: "DIR: (from FILE:LINE)" for each folder it found
	ldconfig -r "$R" -N -v 2>/dev/null | sed -n 's/^\(.*\): (from \(.*\))$/\1|\2/p' | grep -v '<builtin>' | sort -u > want
	kind ld.so.conf path source line exists | awk -F'|' '$4 == "true" { print $1 "|" $2 ":" $3 }' | sort -u > got
	diff want got
	# a folder that is not there: ldconfig cannot stat it either
	[ "$(kind ld.so.conf path exists | grep '|false$' | sort -u)" = "/nonexist|false" ]
	ldconfig -r "$R" -N -v 2>&1 | grep -q "Can't stat /nonexist"
	grep -q 'included more than 3 deep: not read' "$SCRATCH/log.jsonl"
	! grep -q /not/read "$SCRATCH/p.jsonl" || false
}

@test "preload: modprobe install and remove hooks as kmod reads them" {
	modprobe=$(command -v modprobe || echo /sbin/modprobe)
	[ -x "$modprobe" ] || skip "no kmod modprobe"
	cat > "$R/etc/modprobe.d/x.conf" <<-'M'
	# hooks
	install usb-storage /bin/true
	install evil /sbin/modprobe --ignore-install evil; /tmp/.x
	remove foo /usr/local/bin/hook \
	 --arg
	blacklist pcspkr
	options snd index=1
	M
	printf 'install bar /bin/false\n' > "$R/usr/lib/modprobe.d/y.conf"
	printf 'install notconf /tmp/y\n' > "$R/etc/modprobe.d/readme"
	collect "$R"
	# /lib is /usr/lib here: y.conf is read once
	[ "$(grep -c '"module":"bar"' "$SCRATCH/p.jsonl")" -eq 1 ]
	for d in "$R/etc/modprobe.d" "$R/usr/lib/modprobe.d"; do
		"$modprobe" -c -C "$d" | grep -E '^(install|remove) '
	done | sort > want
	kind modprobe name module value | awk -F'|' '{ gsub(/-/, "_", $2); print $1 " " $2 " " $3 }' | sort > got
	diff want got
	[ "$(kind modprobe module program | grep -c .)" -eq 4 ]
	kind modprobe module program | grep -qx 'foo|/usr/local/bin/hook'
}

@test "preload: PAM modules, where they lie and which are outside the system folders" {
	touch "$R/usr/lib/x86_64-linux-gnu/security/pam_unix.so" "$R/tmp/.pam_x.so"
	cat > "$R/etc/pam.d/sshd" <<-'P'
	# sshd
	@include common-auth
	auth required pam_unix.so nullok
	auth [success=1 default=ignore] /tmp/.pam_x.so
	account include common-account
	-session optional pam_systemd.so
	session optional ../../../../tmp/.pam_x.so
	password sufficient /lib/x86_64-linux-gnu/security/pam_unix.so
	P
	collect "$R"
	# oracle: the third word of each module line (a bracketed control
	# taken whole), include/substack lines left out; test -e
	sed -e 's/#.*//' -e 's/\[[^]]*\]/C/' "$R/etc/pam.d/sshd" |
		awk '$1 ~ /^-?(auth|account|password|session)$/ && $2 != "include" && $2 != "substack" { print $1 "|" $3 }' > want
	kind pam name value > got
	diff want got
	kind pam value path exists outside > got
	cat > want <<-W
	pam_unix.so|/lib/x86_64-linux-gnu/security/pam_unix.so|true|false
	/tmp/.pam_x.so|/tmp/.pam_x.so|true|true
	pam_systemd.so||false|false
	../../../../tmp/.pam_x.so|/tmp/.pam_x.so|true|true
	/lib/x86_64-linux-gnu/security/pam_unix.so|/lib/x86_64-linux-gnu/security/pam_unix.so|true|false
	W
	diff want got
}

@test "preload: a module in /sys/module but not in /proc/modules is hidden; built-in ones are not" {
	mkdir -p "$R/proc" "$R/sys/module/ext4" "$R/sys/module/nf_tables" \
		"$R/sys/module/rootkit" "$R/sys/module/printk/parameters"
	printf 'ext4 1000 1 - Live 0x0\nnf_tables 2000 0 - Live 0x0\n' > "$R/proc/modules"
	for m in ext4 nf_tables rootkit; do echo live > "$R/sys/module/$m/initstate"; done
	collect "$R"
	# oracle: the loadable modules (an initstate) comm'd with /proc/modules
	comm -23 <(ls "$R"/sys/module/*/initstate | awk -F/ '{ print $(NF-1) }' | sort) \
		<(awk '{ print $1 }' "$R/proc/modules" | sort) > want
	kind hidden_module name > got
	diff want got
	[ "$(cat got)" = rootkit ]
	"$ANALYZE" ingest -q --db "$SCRATCH/c.db" --no-default-rules "$SCRATCH/p.tar.zst"
	[ "$(sqlite3 "$SCRATCH/c.db" "SELECT title FROM findings WHERE category = 'preload'")" = "kernel module rootkit hidden" ]
}

@test "preload: LD_PRELOAD in the environment of a running process (live), as /proc/PID/environ says" {
	[ -r /proc/self/environ ] || skip "no /proc"
	cd "$SCRATCH"
	LD_PRELOAD=/nonexistent/irkit-test.so LD_LIBRARY_PATH=/opt/irkit-test sleep 60 2>/dev/null &
	pid=$!
	sleep 0.3
	"$COLLECT" -q -o live.tar.zst --only preload || true
	kill "$pid"
	tar --zstd -xOf live.tar.zst --wildcards '*/records/preload.jsonl' > p.jsonl
	tr '\0' '\n' < /proc/self/environ > /dev/null
	python3 - p.jsonl "$pid" <<-'PY'
	import json, sys
	pid = int(sys.argv[2])
	rs = [json.loads(l) for l in open(sys.argv[1])]
	mine = {r["name"]: r["value"] for r in rs if r["kind"] == "environ" and r["pid"] == pid}
	assert mine == {"LD_PRELOAD": "/nonexistent/irkit-test.so",
	                "LD_LIBRARY_PATH": "/opt/irkit-test"}, mine
	assert [r["process"] for r in rs if r.get("pid") == pid][0] == "sleep"
	PY
}

@test "preload: not root, the environments refused are one error with their count: partial" {
	[ "$(id -u)" -eq 0 ] || skip "needs root to become another user"
	command -v setpriv >/dev/null || skip "no setpriv"
	[ -d /proc/1 ] || skip "no /proc"
	chmod 777 "$SCRATCH"
	cd "$SCRATCH"
	run setpriv --reuid=65534 --regid=65534 --clear-groups "$COLLECT" -q -o u.tar.zst --only preload
	echo "$output"
	[ "$status" -eq 1 ]
	tar --zstd -xOf u.tar.zst --wildcards '*/log.jsonl' |
		grep '"level":"error"' | grep -q 'the environment of [0-9]* process(es) could not be read (first: 1)'
}

@test "preload: a fake /proc under --root; findings for each thing that preloads or hides" {
	mkdir -p "$R/proc/4242" "$R/proc/77"
	printf 'HOME=/root\0LD_PRELOAD=/usr/lib/evil/libhide.so\0' > "$R/proc/4242/environ"
	printf 'sshd\n' > "$R/proc/4242/comm"
	printf 'PATH=/bin\0LD_LIBRARY_PATH=/opt/lib\0' > "$R/proc/77/environ"
	printf 'cron\n' > "$R/proc/77/comm"
	printf '/usr/lib/evil/libhide.so\n' > "$R/etc/ld.so.preload"
	printf 'x\n' > "$R/usr/lib/evil/libhide.so"
	printf 'install usb-storage /bin/true\ninstall evil /sbin/modprobe --ignore-install evil; /tmp/.x\ninstall e2 /tmp/.y\n' > "$R/etc/modprobe.d/x.conf"
	printf 'auth required pam_unix.so\nauth optional /tmp/.pam_x.so\n' > "$R/etc/pam.d/login"
	touch "$R/usr/lib/x86_64-linux-gnu/security/pam_unix.so"
	collect "$R"
	[ "$(kind environ pid process name value | sort)" = "$(printf '4242|sshd|LD_PRELOAD|/usr/lib/evil/libhide.so\n77|cron|LD_LIBRARY_PATH|/opt/lib')" ]
	"$ANALYZE" ingest -q --db "$SCRATCH/c.db" --no-default-rules "$SCRATCH/p.tar.zst"
	sqlite3 "$SCRATCH/c.db" "SELECT title FROM findings WHERE category = 'preload' ORDER BY title" > got
	cat > want <<-'W'
	LD_PRELOAD in process sshd (4242)
	PAM module outside the system folders: /tmp/.pam_x.so
	ld.so.preload loads /usr/lib/evil/libhide.so
	modprobe install hook for e2
	modprobe install hook for evil
	W
	diff want got
	sqlite3 "$SCRATCH/c.db" "SELECT reasons FROM findings WHERE title LIKE 'ld.so.preload%'" |
		grep -q "sha256 $(sha256sum < "$R/usr/lib/evil/libhide.so" | cut -d' ' -f1)"
	"$ANALYZE" report --db "$SCRATCH/c.db" -o "$SCRATCH/r.html"
	grep -q '<h2 id="preload">What preloads or hides</h2>' "$SCRATCH/r.html"
	grep -q '/tmp/.pam_x.so' "$SCRATCH/r.html"
	! grep -q '>usb-storage<' "$SCRATCH/r.html" || false
}

@test "preload: the same root collected live and inside an ext4 image gives the same records" {
	command -v mkfs.ext4 >/dev/null || skip "no mkfs.ext4"
	printf 'x\n' > "$R/usr/lib/evil/libhide.so"
	printf '/usr/lib/evil/libhide.so /gone.so\n' > "$R/etc/ld.so.preload"
	printf 'include /etc/ld.so.conf.d/*.conf\n/opt/lib\n' > "$R/etc/ld.so.conf"
	printf '/usr/local/lib\n' > "$R/etc/ld.so.conf.d/a.conf"
	printf 'install evil /tmp/.x\nremove foo /bin/true\n' > "$R/etc/modprobe.d/x.conf"
	printf 'auth required pam_unix.so\nauth optional /tmp/.pam_x.so\n' > "$R/etc/pam.d/login"
	touch "$R/usr/lib/x86_64-linux-gnu/security/pam_unix.so"
	collect "$R"
	"$ANALYZE" ingest -q --db "$SCRATCH/live.db" --no-default-rules "$SCRATCH/p.tar.zst"
	truncate -s 16M "$SCRATCH/r.raw"
	mkfs.ext4 -q -F -d "$R" "$SCRATCH/r.raw"
	"$ANALYZE" image -q --no-scan --db "$SCRATCH/img.db" "$SCRATCH/r.raw" || true
	q="SELECT kind, source, line, name, value, path, present, sha256, outside, module, program FROM preloads ORDER BY kind, source, line, value"
	sqlite3 "$SCRATCH/live.db" "$q" > live
	sqlite3 "$SCRATCH/img.db" "$q" > img
	[ "$(wc -l < live)" -eq 8 ]
	diff live img
	q="SELECT title FROM findings WHERE category = 'preload' ORDER BY title"
	diff <(sqlite3 "$SCRATCH/live.db" "$q") <(sqlite3 "$SCRATCH/img.db" "$q")
}
