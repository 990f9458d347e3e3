#!/usr/bin/env bats
bats_require_minimum_version 1.5.0
#
# The collectors over an archive's files at ingest (analyzer/fs_spool.c):
# one fake Linux root made here, loaded four ways (irkit-collect --root
# then ingest; a tarball of it; the folder holding it; an ext4 image of
# it through image) gives the same record rows (sqlite3 is the oracle,
# evidence ids left out); a KAPE-style zip and a Velociraptor-style tar
# of a Windows root give the services of the hive (built with hivexsh)
# that image reads from a FAT volume holding it; hostile archives (".."
# names, absolute names, a link to the analyst's files) read nothing
# outside the root (a planted canary; strace).
load helpers

setup_file() {
	S=$(mktemp -d "${BATS_TMPDIR:-/tmp}/irkit-spool.XXXXXX")
	export S
	r=$S/root
	mkdir -p "$r"/etc/systemd/system/multi-user.target.wants "$r"/etc/cron.d \
		"$r"/etc/sudoers.d "$r"/usr/bin "$r"/var/log "$r"/var/spool/cron/crontabs \
		"$r"/home/alice
	printf 'web1\n' >"$r"/etc/hostname
	printf 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\n' \
		>"$r"/etc/os-release
	printf 'root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000:Alice:/home/alice:/bin/bash\nsvc:x:998:998::/nonexistent:/usr/sbin/nologin\n' \
		>"$r"/etc/passwd
	printf 'root:x:0:\nsudo:x:27:alice\nalice:x:1000:\nsvc:x:998:\n' >"$r"/etc/group
	printf 'root:$6$salt$hash:19000:0:99999:7:::\nalice:!:19000:0:99999:7:::\nsvc:*:19000::::::\n' \
		>"$r"/etc/shadow
	printf '[Unit]\nDescription=System updater\n[Service]\nExecStart=/usr/bin/updater --daemon\nUser=root\n[Install]\nWantedBy=multi-user.target\n' \
		>"$r"/etc/systemd/system/updater.service
	ln -s /etc/systemd/system/updater.service \
		"$r"/etc/systemd/system/multi-user.target.wants/updater.service
	printf '#!/bin/sh\nsleep 60\n' >"$r"/usr/bin/updater
	chmod 755 "$r"/usr/bin/updater
	printf 'SHELL=/bin/sh\n*/5 * * * * root /usr/bin/updater --once\n' >"$r"/etc/crontab
	printf '17 3 * * * root /opt/backup.sh\n' >"$r"/etc/cron.d/backup
	printf '@reboot /tmp/.x/run\n' >"$r"/var/spool/cron/crontabs/alice
	printf 'root ALL=(ALL:ALL) ALL\n%%sudo ALL=(ALL:ALL) ALL\n#includedir /etc/sudoers.d\n' \
		>"$r"/etc/sudoers
	printf 'alice ALL=(root) NOPASSWD: /usr/bin/vim\n' >"$r"/etc/sudoers.d/alice
	printf 'Dec  6 10:00:00 web1 sshd[1]: Accepted password for alice\n' >"$r"/var/log/auth.log
	find "$r" -exec touch -h -d "2023-11-14 22:13:20" {} +
}

teardown_file() {
	rm -rf "$S"
}

setup() {
	setup_scratch
}

teardown() {
	teardown_scratch
}

# The record rows of a case, evidence and host ids and times of "now" left out.
rows() {
	sqlite3 -batch "$1" "
	select 'svc', name, kind, enabled, exec_start, fragment_path, wanted_by, sha256 from services order by 2, 3, 6;
	select 'task', kind, name, schedule, user, command, source_path, sha256 from tasks order by 2, 3, 7, 5, 6;
	select 'acct', user, uid, gid, gecos, home, shell, password, locked, in_shadow, last_change, source, line from accounts order by 2;
	select 'grp', name, gid, members from account_groups order by 2;
	select 'sudo', kind, file, line, users, runas_users, tags, command from sudo_rules order by 3, 4;
	select 'host', hostname, os from hosts order by 2"
}

@test "spool: a Linux root collected live, tarred, as a folder and imaged gives the same records" {
	mkdir -p "$SCRATCH/ev"
	"$COLLECT" --root "$S/root" -o "$SCRATCH/ev" >/dev/null 2>&1 || true
	arch=$(archive_in "$SCRATCH/ev")
	[ -n "$arch" ]
	"$ANALYZE" ingest --no-default-rules --db "$SCRATCH/live.db" "$arch" >/dev/null 2>&1 || true
	# a tarball of the root (GNU tar, names ./etc/...), as a foreign collection
	tar -C "$S/root" -czf "$SCRATCH/root.tgz" .
	run "$ANALYZE" ingest --no-default-rules --db "$SCRATCH/tar.db" "$SCRATCH/root.tgz"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"'$SCRATCH/root.tgz': linux root at the top: running the collectors"* ]]
	# a folder holding the root one level down (a UAC-like layout)
	mkdir -p "$SCRATCH/coll"
	cp -a "$S/root" "$SCRATCH/coll/web1"
	run "$ANALYZE" ingest --no-default-rules --db "$SCRATCH/dir.db" "$SCRATCH/coll"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"linux root at 'web1/': running the collectors"* ]]
	# an ext4 image of it, through image (as tests/e2e/image.bats)
	mke2fs -q -F -t ext4 -d "$S/root" "$SCRATCH/linux.raw" 16M >/dev/null 2>&1
	"$ANALYZE" image --no-scan --db "$SCRATCH/img.db" "$SCRATCH/linux.raw"
	rows "$SCRATCH/img.db" >"$SCRATCH/img.txt"
	cat "$SCRATCH/img.txt"
	# the oracle is the root's own files: all kinds are there
	for k in svc task acct grp sudo host; do
		grep -q "^$k|" "$SCRATCH/img.txt"
	done
	grep -q '^svc|updater.service|systemd|1|' "$SCRATCH/img.txt"
	grep -q '^sudo|rule|/etc/sudoers.d/alice|1|\["alice"\]|\["root"\]|\["NOPASSWD"\]|/usr/bin/vim$' "$SCRATCH/img.txt"
	grep -q '^host|web1|' "$SCRATCH/img.txt"
	for db in tar dir; do
		rows "$SCRATCH/$db.db" >"$SCRATCH/$db.txt"
		diff -u "$SCRATCH/img.txt" "$SCRATCH/$db.txt"
	done
	# live: the host row comes from the manifest (the collecting machine's
	# view of --root), the records are the same
	rows "$SCRATCH/live.db" | grep -v '^host|' >"$SCRATCH/live.txt"
	grep -v '^host|' "$SCRATCH/img.txt" | diff -u - "$SCRATCH/live.txt"
	# the root is said in the log; the records belong to the evidence
	[ "$(sqlite3 "$SCRATCH/tar.db" "select count(*) from log where component = 'ingest' and message like 'linux root: %'")" -eq 1 ]
	[ "$(sqlite3 "$SCRATCH/tar.db" "select count(*) from services where evidence_id = 1 and host_id = (select host_id from evidence)")" -eq 1 ]
	# the spool leaves nothing beside the case
	[ "$(ls -A "$SCRATCH" | grep -c spool || true)" -eq 0 ]
}

@test "spool: a foreign collection's cron next-run times are after the input's own time (its mtime), not the load's: a reload gives the same (GNU date)" {
	tar -C "$S/root" -czf "$SCRATCH/root.tgz" .
	mkdir -p "$SCRATCH/coll"
	cp -a "$S/root" "$SCRATCH/coll/web1"
	touch -d '2024-03-01 10:02:30Z' "$SCRATCH/root.tgz" "$SCRATCH/coll"
	q="select schedule||' '||coalesce(next_run, '-') from tasks where kind = 'cron' order by schedule"
	for in in root.tgz coll; do
		for db in a b; do
			"$ANALYZE" ingest -q --no-default-rules --db "$SCRATCH/$in-$db.db" "$SCRATCH/$in"
		done
		run sqlite3 "$SCRATCH/$in-a.db" "$q"
		echo "$output"
		# the oracle: GNU date for the next */5 minute and the next 03:17 UTC
		[[ "$output" == *"*/5 * * * * $(date -u -d '2024-03-01 10:05:00Z' +%s)000000"* ]]
		[[ "$output" == *"17 3 * * * $(date -u -d '2024-03-02 03:17:00Z' +%s)000000"* ]]
		[[ "$output" == *"@reboot -"* ]]
		[ "$output" = "$(sqlite3 "$SCRATCH/$in-b.db" "$q")" ]
	done
}

# SYSTEM and SOFTWARE hives (mkhive.py, hivexsh) with three services in $1
make_hives() {
	mkdir -p "$1"
	python3 "$IRKIT_SRC"/tests/gen/mkhive.py "$1"/SYSTEM
	python3 "$IRKIT_SRC"/tests/gen/mkhive.py "$1"/SOFTWARE
	{
		printf 'add Select\ncd Select\nsetval 1\nCurrent\ndword:0x1\ncd \\\n'
		printf 'add ControlSet001\ncd ControlSet001\nadd Services\ncd Services\n'
		for s in Alpha EvilSvc Omega; do
			printf 'add %s\ncd %s\nsetval 2\nType\ndword:0x10\n' "$s" "$s"
			printf 'ImagePath\nstring:C:\\Users\\Public\\%s.exe\ncd ..\n' "$s"
		done
		printf 'commit\n'
	} | hivexsh -w "$1"/SYSTEM
}

winrows() {
	sqlite3 -batch "$1" "select name, kind, image_path, start_mode, account from services order by 1"
}

@test "spool: a Windows root in a KAPE zip and a Velociraptor tar gives the services image reads" {
	h=$SCRATCH/hives
	make_hives "$h"
	# the oracle: the same hives on a FAT volume through image
	truncate -s 4M "$SCRATCH/win.raw"
	mkfs.vfat -n WIN "$SCRATCH/win.raw" >/dev/null
	export MTOOLS_SKIP_CHECK=1
	mmd -i "$SCRATCH/win.raw" ::/Windows ::/Windows/System32 ::/Windows/System32/config
	mcopy -i "$SCRATCH/win.raw" "$h"/SYSTEM "$h"/SOFTWARE ::/Windows/System32/config/
	"$ANALYZE" image --no-scan --db "$SCRATCH/img.db" "$SCRATCH/win.raw"
	winrows "$SCRATCH/img.db" >"$SCRATCH/img.txt"
	cat "$SCRATCH/img.txt"
	[ "$(cut -d'|' -f1 "$SCRATCH/img.txt" | tr '\n' ,)" = "Alpha,EvilSvc,Omega," ]
	# KAPE --tdest: <host>/C/Windows/..., zipped
	k=$SCRATCH/kape/HOST1/C/Windows/System32/config
	mkdir -p "$k" "$SCRATCH/kape/HOST1/C/Users"
	cp "$h"/SYSTEM "$h"/SOFTWARE "$k"/
	(cd "$SCRATCH/kape" && zip -qr "$SCRATCH/kape.zip" HOST1)
	run "$ANALYZE" ingest --no-default-rules --db "$SCRATCH/kape.db" "$SCRATCH/kape.zip"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"windows root at 'HOST1/C/': running the collectors"* ]]
	winrows "$SCRATCH/kape.db" | diff -u "$SCRATCH/img.txt" -
	[ "$(sqlite3 "$SCRATCH/kape.db" "select count(*) from log where message like 'windows root: %' and path = 'HOST1/C'")" -eq 1 ]
	# --json names the root
	run --separate-stderr "$ANALYZE" ingest --no-default-rules --json --db "$SCRATCH/kj.db" "$SCRATCH/kape.zip"
	[ "$(printf '%s' "$output" | python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin)["inputs"][0]["roots"]))')" = '[{"kind": "windows", "at": "HOST1/C"}]' ]
	# Velociraptor: uploads/auto/C%3A/, the case of the names not kept
	v=$SCRATCH/velo/uploads/auto/C%3A/WINDOWS/system32/CONFIG
	mkdir -p "$v"
	cp "$h"/SYSTEM "$h"/SOFTWARE "$v"/
	tar -C "$SCRATCH/velo" -cf "$SCRATCH/velo.tar" uploads
	run "$ANALYZE" ingest --no-default-rules --db "$SCRATCH/velo.db" "$SCRATCH/velo.tar"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"windows root at 'uploads/auto/C%3A/'"* ]]
	winrows "$SCRATCH/velo.db" | diff -u "$SCRATCH/img.txt" -
	# the same KAPE tree as a folder (read in place)
	run "$ANALYZE" ingest --no-default-rules --db "$SCRATCH/kdir.db" "$SCRATCH/kape"
	[ "$status" -eq 0 ]
	winrows "$SCRATCH/kdir.db" | diff -u "$SCRATCH/img.txt" -
	# a folder is read as it is: names in another case are said
	run "$ANALYZE" ingest --no-default-rules --db "$SCRATCH/vdir.db" "$SCRATCH/velo"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"windows root at 'uploads/auto/C%3A/': a folder is read as it is, and its names are not in their usual case"* ]]
}

@test "spool: a foreign archive with no root loads as before, no collectors" {
	mkdir -p "$SCRATCH/docs/etc"
	printf 'x\n' >"$SCRATCH/docs/etc/passwd"
	printf 'y\n' >"$SCRATCH/docs/readme"
	tar -C "$SCRATCH/docs" -czf "$SCRATCH/docs.tgz" .
	run "$ANALYZE" ingest --no-default-rules --db "$SCRATCH/d.db" "$SCRATCH/docs.tgz"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" != *"root at"* ]]
	[ "$(sqlite3 "$SCRATCH/d.db" "select count(*) from files")" -eq 2 ]
	[ "$(sqlite3 "$SCRATCH/d.db" "select count(*) from accounts")" -eq 0 ]
	[ "$(sqlite3 "$SCRATCH/d.db" "select count(*) from log where component in ('spool', 'accounts')")" -eq 0 ]
}

@test "spool: a hostile archive reads nothing outside the root (canary, strace); the run goes on and names the members" {
	# the analyst's own files a hostile archive points at
	mkdir -p "$SCRATCH/outside"
	printf 'canary:x:4242:4242:CANARY:/:/bin/sh\n' >"$SCRATCH/outside/passwd"
	printf '[Service]\nExecStart=/canary\n' >"$SCRATCH/outside/canary.service"
	python3 - "$SCRATCH/hostile.tar" "$SCRATCH/outside" <<'PY'
import io, sys, tarfile
out, outside = sys.argv[1], sys.argv[2]
t = tarfile.open(out, "w", format=tarfile.GNU_FORMAT, encoding="utf-8",
                 errors="surrogateescape")
def add(name, data=None, link=None, kind=None):
    i = tarfile.TarInfo(name)
    i.mtime = 1700000000
    if link is not None:
        i.type = kind or tarfile.SYMTYPE
        i.linkname = link
        t.addfile(i)
    elif data is None:
        i.type = tarfile.DIRTYPE
        t.addfile(i)
    else:
        i.size = len(data)
        t.addfile(i, io.BytesIO(data))
add("etc/")
add("usr/")
add("etc/systemd/system/")
# the accounts' passwd a link to the analyst's file, absolute and relative
add("etc/passwd", link=outside + "/passwd")
add("etc/group", link="../../../../../../../../" + outside.lstrip("/") + "/passwd")
# a unit linked out of the root
add("etc/systemd/system/canary.service", link=outside + "/canary.service")
add("etc/systemd/system/good.service", b"[Service]\nExecStart=/usr/bin/good\n")
# names climbing out, absolute names
add("../../escape.service", b"[Service]\nExecStart=/escape\n")
add("etc/systemd/system/../../../../up.conf", b"x")
# a climbing name that is not UTF-8, with terminal controls
add("../\udcff\x1b]0;pwned\x07.service", b"x")
add("/etc/systemd/system/abs.service", b"[Service]\nExecStart=/usr/bin/abs\n")
# a hard link to the analyst's file
add("etc/shadow", link=outside + "/passwd", kind=tarfile.LNKTYPE)
t.close()
PY
	# LeakSanitizer cannot run under ptrace (build.sh asan): leaks off
	run env ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
		strace -f -e trace=open,openat,openat2,stat,newfstatat,readlink,readlinkat \
		-o "$SCRATCH/trace" "$ANALYZE" ingest --no-default-rules --db "$SCRATCH/h.db" "$SCRATCH/hostile.tar"
	echo "$output"
	[ "$status" -le 1 ]
	[[ "$output" == *"linux root at the top: running the collectors"* ]]
	[[ "$output" == *"hostile.tar': 4 members not given to the collectors"* ]]
	printf '%s' "$output" >"$SCRATCH/out"
	no_raw_controls "$SCRATCH/out"
	# nothing outside was opened or looked at (strace saw the archive opened)
	grep -q "hostile.tar" "$SCRATCH/trace"
	run grep -c "$SCRATCH/outside" "$SCRATCH/trace"
	[ "$output" -eq 0 ]
	# no canary in the case
	[ "$(sqlite3 "$SCRATCH/h.db" "select count(*) from accounts where user = 'canary'")" -eq 0 ]
	[ "$(sqlite3 "$SCRATCH/h.db" "select count(*) from services where exec_start like '%canary%' or exec_start like '%escape%'")" -eq 0 ]
	# the run went on: the good unit, and the absolute name taken inside the root
	[ "$(sqlite3 "$SCRATCH/h.db" "select group_concat(name) from (select name from services where fragment_path is not null order by 1)")" = abs.service,good.service ]
	# the refused members are named in the log
	[ "$(sqlite3 "$SCRATCH/h.db" "select count(*) from log where component = 'spool' and path = '../../escape.service' and message like '%''..''%'")" -eq 1 ]
	[ "$(sqlite3 "$SCRATCH/h.db" "select count(*) from log where component = 'spool' and path = 'etc/shadow' and message like '%hard link%'")" -eq 1 ]
	[ "$(sqlite3 "$SCRATCH/h.db" "select count(*) from log where component = 'spool' and path like '../\\xff%' and message like '%''..''%'")" -eq 1 ]
	# a folder holding a root whose links point out: read in place, confined
	mkdir -p "$SCRATCH/hdir/r/etc" "$SCRATCH/hdir/r/usr"
	ln -s "$SCRATCH/outside/passwd" "$SCRATCH/hdir/r/etc/passwd"
	ln -s "../../../../../../../../../$SCRATCH/outside/passwd" "$SCRATCH/hdir/r/etc/group"
	run env ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
		strace -f -e trace=open,openat,openat2 -o "$SCRATCH/trace2" \
		"$ANALYZE" ingest --no-default-rules --db "$SCRATCH/hd.db" "$SCRATCH/hdir"
	echo "$output"
	[ "$status" -le 1 ]
	[[ "$output" == *"linux root at 'r/': running the collectors"* ]]
	grep -q "hdir" "$SCRATCH/trace2"
	run grep "$SCRATCH/outside" "$SCRATCH/trace2"
	[ "$status" -ne 0 ]
	[ "$(sqlite3 "$SCRATCH/hd.db" "select count(*) from accounts")" -eq 0 ]
}

@test "spool: --spool-max bounds what is kept aside; what was left out is said and logged" {
	tar -C "$S/root" -cf "$SCRATCH/root.tar" .
	run "$ANALYZE" ingest --no-default-rules --spool-max 300 --db "$SCRATCH/m.db" "$SCRATCH/root.tar"
	echo "$output"
	[[ "$output" == *"files not spooled for the collectors (--spool-max 300 bytes)"* ]]
	n=$(sqlite3 "$SCRATCH/m.db" "select count(*) from log where component = 'spool' and message like 'not spooled for the collectors: %'")
	[ "$n" -ge 1 ]
	# every file is still a files row, hashed as usual
	[ "$(sqlite3 "$SCRATCH/m.db" "select count(*) from files where sha256 is not null")" -eq "$(find "$S/root" -type f | wc -l)" ]
	# 0: no collectors at all
	run "$ANALYZE" ingest --no-default-rules --spool-max 0 --db "$SCRATCH/z.db" "$SCRATCH/root.tar"
	[ "$status" -eq 0 ]
	[[ "$output" != *"root at"* ]]
	[ "$(sqlite3 "$SCRATCH/z.db" "select count(*) from services")" -eq 0 ]
	run "$ANALYZE" ingest --spool-max lots --db "$SCRATCH/u.db" "$SCRATCH/root.tar"
	[ "$status" -eq 2 ]
}
