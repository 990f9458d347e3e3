#!/usr/bin/env bats
#
# The rpm_packages collector (irkit-analyze, librpm): the files of
# installed rpm packages checked as `rpm -V` does, into package_file
# records (docs/integrity.md).
#
# Oracle: `rpm --root R --dbpath /var/lib/rpm -Va` on a root where a
# package built here with rpmbuild was installed with `rpm --root R -i`,
# then tampered with: every file rpm names is a row with rpm's own
# letters (SM5DLUGTP) and the kind its letters say, and nothing else is;
# `rpm -qf` for the file no package owns; sqlite3 for the case.  The
# root is read inside an ext4 image (mkfs.ext4 -d, irkit-analyze image).
load helpers

RPMDB=/var/lib/rpm

setup_file() {
	command -v rpmbuild > /dev/null || skip "rpmbuild is not installed (Debian package rpm)"
	local top=$BATS_FILE_TMPDIR/top
	mkdir -p "$top"/{SPECS,SOURCES,BUILD,RPMS,SRPMS,BUILDROOT}
	cat > "$top/SPECS/foo.spec" <<-'EOF'
	Name: foo
	Version: 1.0
	Release: 1
	Summary: a package to tamper with
	License: MIT
	BuildArch: noarch
	%description
	irkit's rpm test package
	%install
	b=%{buildroot}
	mkdir -p $b/usr/bin $b/usr/sbin $b/usr/lib64/security $b/etc/foo \
		$b/usr/share/doc/foo $b/usr/lib/systemd/system
	printf '#!/bin/sh\necho foo\n' > $b/usr/bin/foo
	printf '#!/bin/sh\necho bar\n' > $b/usr/bin/bar
	printf '#!/bin/sh\necho helper\n' > $b/usr/sbin/foohelper
	printf 'ELF lib\n' > $b/usr/lib64/libfoo.so.1
	ln -s libfoo.so.1 $b/usr/lib64/libfoo.so
	printf 'pam\n' > $b/usr/lib64/security/pam_foo.so
	printf '[Unit]\nDescription=foo\n' > $b/usr/lib/systemd/system/foo.service
	printf 'key=1\n' > $b/etc/foo/foo.conf
	printf 'opt=1\n' > $b/etc/foo/opt.conf
	printf 'doc\n' > $b/usr/share/doc/foo/README
	chmod 755 $b/usr/bin/* $b/usr/sbin/* $b/usr/lib64/libfoo.so.1
	%files
	/usr/bin/foo
	/usr/bin/bar
	/usr/sbin/foohelper
	/usr/lib64/libfoo.so.1
	/usr/lib64/libfoo.so
	/usr/lib64/security/pam_foo.so
	/usr/lib/systemd/system/foo.service
	%config(noreplace) /etc/foo/foo.conf
	%config(missingok) /etc/foo/opt.conf
	/usr/share/doc/foo/README
	%ghost /var/log/foo.log
	EOF
	rpmbuild --quiet --define "_topdir $top" -bb "$top/SPECS/foo.spec" > /dev/null 2>&1
}

setup() {
	setup_scratch
	RPMFILE=$(ls "$BATS_FILE_TMPDIR"/top/RPMS/noarch/foo-*.rpm)
	export TMPDIR=$SCRATCH/tmp
	mkdir -p "$TMPDIR"
}

teardown() {
	teardown_scratch
}

# make_root R: foo installed into R with rpm itself, an account al (1000)
make_root() {
	local R=$1
	mkdir -p "$R/etc" "$R/tmp" "$R/var/log"
	printf 'root:x:0:0:root:/root:/bin/sh\nal:x:1000:1000::/home/al:/bin/sh\n' > "$R/etc/passwd"
	printf 'root:x:0:\nal:x:1000:\n' > "$R/etc/group"
	rpm --root "$R" --dbpath $RPMDB -i --nodeps --ignorearch "$RPMFILE" 2>/dev/null
}

# tamper R: a replaced binary, a changed config file, a missing library,
# a binary replaced by a link, a setuid bit added, a module given to
# another owner, a unit only touched (rpm's T alone), a changed file out
# of the default scope, a missingok config removed, an unowned
# executable.
tamper() {
	local R=$1
	printf '#!/bin/sh\necho evil\n' > "$R/usr/bin/foo"
	printf 'key=2\n' > "$R/etc/foo/foo.conf"
	rm "$R/usr/lib64/libfoo.so.1"
	printf 'evil\n' > "$R/tmp/evil"
	rm "$R/usr/bin/bar"
	ln -s /tmp/evil "$R/usr/bin/bar"
	chmod 4755 "$R/usr/sbin/foohelper"
	chown 1000:1000 "$R/usr/lib64/security/pam_foo.so"
	touch -d 2001-02-03 "$R/usr/lib/systemd/system/foo.service"
	echo changed > "$R/usr/share/doc/foo/README"
	rm "$R/etc/foo/opt.conf"
	printf '#!/bin/sh\nbackdoor\n' > "$R/usr/bin/backdoor"
	chmod 755 "$R/usr/bin/backdoor"
}

# image R DB [options]: R as an ext4 image read by irkit-analyze image
image() {
	local R=$1 db=$2
	shift 2
	rm -f "$SCRATCH/disk.raw"
	mkfs.ext4 -q -F -d "$R" "$SCRATCH/disk.raw" 16M
	run "$ANALYZE" image --no-scan --db "$SCRATCH/$db" "$@" "$SCRATCH/disk.raw"
	echo "$output"
}

# owned R: the files of every installed package, as rpm lists them
owned() {
	rpm --root "$1" --dbpath $RPMDB -qa --qf '[%{FILENAMES}\n]'
}

# rpm_va R: rpm's verdict, "LETTERS [MARKER] PATH" per line ("missing
# PATH"; the marker c for a %config file)
rpm_va() {
	rpm --root "$1" --dbpath $RPMDB -Va --nodeps 2>/dev/null || true
}

# check_oracle R DB [PATH...]: the rows of DB are what rpm -Va says of
# R, but for the PATHs named (out of the scope checked)
check_oracle() {
	local R=$1 db=$2
	shift 2
	rpm_va "$R" > "$SCRATCH/rpm.txt"
	cat "$SCRATCH/rpm.txt"
	sqlite3 -separator ' ' "$SCRATCH/$db" "SELECT path, status, coalesce(verify, '-') FROM package_files WHERE manager = 'rpm' AND package IS NOT NULL" > "$SCRATCH/irk.txt"
	python3 - "$R" "$SCRATCH/rpm.txt" "$SCRATCH/irk.txt" "$@" <<-'PY'
	import os, re, sys
	root, rpmf, irkf, skip = sys.argv[1], sys.argv[2], sys.argv[3], set(sys.argv[4:])
	want = {}
	for line in open(rpmf):
	    m = re.match(r"^(\S+)\s+([cdglr]?)\s+(/.*)$", line.rstrip("\n"))
	    letters, marker, path = m.groups()
	    if path in skip:
	        continue
	    if letters == "missing":
	        kind = "missing"
	    elif letters == ".......T.":
	        kind = "ok"  # rpm names a file only touched: not a change
	    elif "L" in letters and os.path.islink(root + path):
	        kind = "replaced-by-link"
	    elif marker == "c":
	        kind = "conffile-changed"
	    else:
	        kind = "changed"
	    want[path] = (kind, letters)
	got = {}
	for line in open(irkf):
	    path, status, verify = line.split()
	    got[path] = (status, verify)
	bad = []
	for path, (kind, letters) in want.items():
	    g = got.get(path)
	    if g is None or g[0] != kind or (kind != "missing" and g[1] != letters):
	        bad.append(("rpm", path, kind, letters, g))
	for path, (status, verify) in got.items():
	    if status != "ok" and path not in want:
	        bad.append(("irkit only", path, status, verify))
	assert want and not bad, bad
	print(len(want), "files named by rpm -Va found alike")
	PY
}

@test "rpm: an untouched root: rpm -Va names nothing, every row ok" {
	command -v mkfs.ext4 > /dev/null || skip "mkfs.ext4 is not installed"
	make_root "$SCRATCH/r"
	[ -z "$(rpm_va "$SCRATCH/r")" ]
	image "$SCRATCH/r" a.db
	[ "$status" -eq 0 ]
	[ "$(sqlite3 "$SCRATCH/a.db" "SELECT count(*) FROM package_files WHERE status <> 'ok'")" -eq 0 ]
	# the default scope: binaries, libraries and their link, the PAM
	# module, the unit, the conffiles; not the doc, nor the ghost
	[ "$(sqlite3 "$SCRATCH/a.db" "SELECT group_concat(path, ' ') FROM (SELECT path FROM package_files ORDER BY path)")" = "/etc/foo/foo.conf /etc/foo/opt.conf /usr/bin/bar /usr/bin/foo /usr/lib/systemd/system/foo.service /usr/lib64/libfoo.so /usr/lib64/libfoo.so.1 /usr/lib64/security/pam_foo.so /usr/sbin/foohelper" ]
	q="SELECT manager, package, version, architecture, digest_algo FROM package_files GROUP BY 1, 2, 3, 4, 5"
	[ "$(sqlite3 "$SCRATCH/a.db" "$q")" = "rpm|foo|1.0-1|noarch|sha256" ]
	# the header's digests are the files' SHA-256
	[ "$(sqlite3 "$SCRATCH/a.db" "SELECT digest_actual FROM package_files WHERE path = '/usr/bin/foo'")" = "$(sha256sum < "$SCRATCH/r/usr/bin/foo" | cut -d' ' -f1)" ]
	grep -q 'rpm: 1 package(s), 9 file(s) checked (default scope)' <(sqlite3 "$SCRATCH/a.db" "SELECT message FROM log")
	# the private copy of the database is gone
	[ -z "$(ls -A "$TMPDIR")" ]
}

@test "rpm: a tampered root inside an image: the files rpm -Va names, with its letters, and nothing else" {
	command -v mkfs.ext4 > /dev/null || skip "mkfs.ext4 is not installed"
	make_root "$SCRATCH/r"
	tamper "$SCRATCH/r"
	image "$SCRATCH/r" a.db
	[ "$status" -eq 0 ]
	# the doc is out of the default scope
	check_oracle "$SCRATCH/r" a.db /usr/share/doc/foo/README
	# ghosts and a missingok config removed: neither rpm nor irkit names them
	! grep -q -e foo.log -e opt.conf "$SCRATCH/rpm.txt" || false
	[ "$(sqlite3 "$SCRATCH/a.db" "SELECT count(*) FROM package_files WHERE path LIKE '%foo.log' OR (path LIKE '%opt.conf' AND status <> 'ok')")" -eq 0 ]
	# the unowned executable: in no package's file list
	! owned "$SCRATCH/r" | grep -qx /usr/bin/backdoor || false
	owned "$SCRATCH/r" | grep -qx /usr/bin/foo
	[ "$(sqlite3 "$SCRATCH/a.db" "SELECT status || ' ' || sha256 FROM package_files WHERE path = '/usr/bin/backdoor'")" = "not-owned $(sha256sum < "$SCRATCH/r/usr/bin/backdoor" | cut -d' ' -f1)" ]
	[ "$(sqlite3 "$SCRATCH/a.db" "SELECT count(*) FROM package_files WHERE status = 'not-owned'")" -eq 1 ]
	[ "$(sqlite3 "$SCRATCH/a.db" "SELECT link_target FROM package_files WHERE path = '/usr/bin/bar'")" = /tmp/evil ]
	# the findings: scored by kind
	q="SELECT score || ' ' || title FROM findings WHERE category = 'integrity' ORDER BY score DESC, title"
	sqlite3 "$SCRATCH/a.db" "$q" > "$SCRATCH/f.txt"
	cat "$SCRATCH/f.txt"
	diff - "$SCRATCH/f.txt" <<-'EOF'
	80 changed package binary /usr/bin/foo
	80 changed package binary /usr/lib64/security/pam_foo.so
	80 changed package binary /usr/sbin/foohelper
	60 missing package binary /usr/bin/bar
	60 missing package binary /usr/lib64/libfoo.so.1
	50 executable no package owns /usr/bin/backdoor
	30 changed conffile /etc/foo/foo.conf
	EOF
	sqlite3 "$SCRATCH/a.db" "SELECT reasons FROM findings WHERE title = 'changed package binary /usr/sbin/foohelper'" | grep -q 'rpm -V .M.......'
	[ -z "$(ls -A "$TMPDIR")" ]
}

@test "rpm: --integrity full on the image checks every packaged file, as rpm -Va" {
	command -v mkfs.ext4 > /dev/null || skip "mkfs.ext4 is not installed"
	make_root "$SCRATCH/r"
	tamper "$SCRATCH/r"
	image "$SCRATCH/r" full.db --integrity full
	[ "$status" -eq 0 ]
	check_oracle "$SCRATCH/r" full.db
	grep -q '/usr/share/doc/foo/README' "$SCRATCH/rpm.txt"
	[ "$(sqlite3 "$SCRATCH/full.db" "SELECT status FROM package_files WHERE path = '/usr/share/doc/foo/README'")" = changed ]
	# every packaged file but the ghost and the missingok config removed
	n=$(sqlite3 "$SCRATCH/full.db" "SELECT count(*) FROM package_files WHERE package IS NOT NULL")
	[ "$n" -eq "$(owned "$SCRATCH/r" | grep -vc -e foo.log -e opt.conf)" ]
	# more than the default scope on the same image
	image "$SCRATCH/r" default.db --integrity default
	d=$(sqlite3 "$SCRATCH/default.db" "SELECT count(*) FROM package_files WHERE package IS NOT NULL")
	echo "full $n, default $d"
	[ "$n" -gt "$d" ]
	# the summary counts them, and the unowned executable
	sqlite3 "$SCRATCH/full.db" "SELECT message FROM log" |
		grep -F "rpm: 1 package(s), $((n + 1)) file(s) checked (full)"
}

@test "rpm: a hostile database (garbage, a truncated sqlite, a garbage Packages) is a log entry; the rest of the image is read; exit 1" {
	command -v mkfs.ext4 > /dev/null || skip "mkfs.ext4 is not installed"
	make_root "$SCRATCH/good"
	for kind in garbage truncated bdb; do
		R=$SCRATCH/$kind
		rm -rf "$R"
		cp -a "$SCRATCH/good" "$R"
		db=$R$RPMDB
		case $kind in
		garbage)
			rm -f "$db"/rpmdb.sqlite*
			head -c 100000 /dev/urandom > "$db/rpmdb.sqlite" ;;
		truncated)
			sqlite3 "$db/rpmdb.sqlite" 'PRAGMA wal_checkpoint(TRUNCATE)' > /dev/null
			rm -f "$db"/rpmdb.sqlite-*
			truncate -s 8192 "$db/rpmdb.sqlite" ;;
		bdb)
			rm -f "$db"/rpmdb.sqlite*
			head -c 70000 /dev/urandom > "$db/Packages" ;;
		esac
		image "$R" $kind.db
		[ "$status" -eq 1 ]
		[[ "$output" == *"rpm_packages: $RPMDB"* ]]
		sqlite3 "$SCRATCH/$kind.db" "SELECT level, message FROM log WHERE path = '$RPMDB'" | grep -q '^error|'
		# librpm's messages name the database, not the private copy
		! sqlite3 "$SCRATCH/$kind.db" "SELECT message FROM log" | grep -q irkit-rpm || false
		# the other collectors ran: the accounts of the root are there
		[ "$(sqlite3 "$SCRATCH/$kind.db" "SELECT group_concat(user) FROM (SELECT user FROM accounts ORDER BY user)")" = "al,root" ]
		[ "$(sqlite3 "$SCRATCH/$kind.db" "SELECT count(*) FROM package_files WHERE status NOT IN ('ok', 'not-owned')")" -eq 0 ]
		[ -z "$(ls -A "$TMPDIR")" ]
	done
}

@test "rpm: Fedora's layout: the database in /usr/lib/sysimage/rpm, /var/lib/rpm a link climbing above the root, /bin a link" {
	command -v mkfs.ext4 > /dev/null || skip "mkfs.ext4 is not installed"
	R=$SCRATCH/r
	mkdir -p "$R/etc" "$R/var/lib" "$R/usr/bin"
	ln -s usr/bin "$R/bin"
	rpm --root "$R" --dbpath /usr/lib/sysimage/rpm -i --nodeps --ignorearch "$RPMFILE" 2>/dev/null
	# more ".." than the root is deep: it stops at the root
	ln -s ../../../../../../../usr/lib/sysimage/rpm "$R/var/lib/rpm"
	printf '#!/bin/sh\necho evil\n' > "$R/usr/bin/foo"
	image "$R" a.db
	[ "$status" -eq 0 ]
	RPMDB=/usr/lib/sysimage/rpm check_oracle "$R" a.db /usr/share/doc/foo/README
	[ "$(sqlite3 "$SCRATCH/a.db" "SELECT status FROM package_files WHERE path = '/usr/bin/foo'")" = changed ]
	sqlite3 "$SCRATCH/a.db" "SELECT path || ' ' || message FROM log WHERE component = 'rpm_packages'" | grep -q '^/usr/lib/sysimage/rpm rpm: 1 package(s)'
	[ -z "$(ls -A "$TMPDIR")" ]
}

# live R DB: R collected by irkit-collect --root (no librpm), then the
# archive ingested into DB (rpm_packages compares the copied database
# with the file states recorded)
live() {
	local R=$1 db=$2
	rm -f "$SCRATCH/c.tar.zst" "$SCRATCH/c.tar.zst.sha256"
	run "$COLLECT" -q -o "$SCRATCH/c.tar.zst" --root "$R" --only packages
	echo "$output"
	[ "$status" -eq 0 ]
	run "$ANALYZE" ingest -q --db "$SCRATCH/$db" "$SCRATCH/c.tar.zst"
	echo "$output"
}

# rows DB: the package_files rows as both ways of reading give them
rows() {
	sqlite3 "$SCRATCH/$1" "SELECT path, status, coalesce(verify, '-'), coalesce(digest_actual, '-'), coalesce(sha256, '-'), coalesce(link_target, '-'), size, mtime / 1000000 FROM package_files ORDER BY path"
}

@test "rpm: a live rpm root (irkit-collect --root, then ingest): the rows and findings of image, and what rpm -Va names" {
	command -v mkfs.ext4 > /dev/null || skip "mkfs.ext4 is not installed"
	make_root "$SCRATCH/r"
	tamper "$SCRATCH/r"
	live "$SCRATCH/r" live.db
	[ "$status" -eq 0 ]
	# the archive holds the database, and no package file
	tar --zstd -tf "$SCRATCH/c.tar.zst" > "$SCRATCH/members.txt"
	grep -q "/files$RPMDB/rpmdb.sqlite\$" "$SCRATCH/members.txt"
	! grep -q -e /files/usr/bin/foo -e /files/etc/foo "$SCRATCH/members.txt" || false
	# the state of what rpm -V compares, by path: the replaced binary's
	# SHA-256, the link's target
	[ "$(sqlite3 "$SCRATCH/live.db" "SELECT sha256 FROM file_states WHERE path = '/usr/bin/foo'")" = "$(sha256sum < "$SCRATCH/r/usr/bin/foo" | cut -d' ' -f1)" ]
	[ "$(sqlite3 "$SCRATCH/live.db" "SELECT kind || ' ' || target FROM file_states WHERE path = '/usr/bin/bar'")" = "link /tmp/evil" ]
	[ "$(sqlite3 "$SCRATCH/live.db" "SELECT mode || ' ' || user_name || ' ' || group_name FROM file_states WHERE path = '/usr/lib64/security/pam_foo.so'")" = "0100644 al al" ]
	[ "$(sqlite3 "$SCRATCH/live.db" "SELECT count(*) FROM file_states WHERE path = '/usr/share/doc/foo/README'")" -eq 0 ]
	check_oracle "$SCRATCH/r" live.db /usr/share/doc/foo/README
	sqlite3 "$SCRATCH/live.db" "SELECT message FROM log WHERE component = 'rpm_packages'" |
		grep -q 'rpm: 1 package(s), 9 file(s) checked (default scope), 0 byte(s) read, 7 not ok (against the file states the collection recorded)'
	# the same rows and findings as the image of the same root
	image "$SCRATCH/r" img.db
	[ "$status" -eq 0 ]
	rows live.db > "$SCRATCH/live.txt"
	rows img.db > "$SCRATCH/img.txt"
	cat "$SCRATCH/live.txt"
	diff "$SCRATCH/img.txt" "$SCRATCH/live.txt"
	q="SELECT score, title FROM findings WHERE category = 'integrity' ORDER BY title"
	[ "$(sqlite3 "$SCRATCH/live.db" "$q" | wc -l)" -eq 7 ]
	diff <(sqlite3 "$SCRATCH/img.db" "$q") <(sqlite3 "$SCRATCH/live.db" "$q")
	[ -z "$(ls -A "$TMPDIR")" ]
}

@test "rpm: live, packages with MD5 digests (rpm before 4.14) are compared but for the digest, and a file out of what was recorded is not checked" {
	local top=$SCRATCH/top
	mkdir -p "$top"/{SPECS,SOURCES,BUILD,RPMS,SRPMS,BUILDROOT}
	cat > "$top/SPECS/old.spec" <<-'EOF'
	Name: old
	Version: 2.0
	Release: 1
	Summary: MD5 file digests
	License: MIT
	BuildArch: noarch
	%description
	an rpm as rpm 4.13 built them
	%install
	mkdir -p %{buildroot}/usr/bin %{buildroot}/opt/old/systemd/system
	printf '#!/bin/sh\necho old\n' > %{buildroot}/usr/bin/oldtool
	printf '[Unit]\n' > %{buildroot}/opt/old/systemd/system/old.service
	chmod 755 %{buildroot}/usr/bin/oldtool
	%files
	/usr/bin/oldtool
	/opt/old/systemd/system/old.service
	EOF
	rpmbuild --quiet --define "_topdir $top" --define '_binary_filedigest_algorithm 1' -bb "$top/SPECS/old.spec" > /dev/null 2>&1
	R=$SCRATCH/r
	make_root "$R"
	rpm --root "$R" --dbpath $RPMDB -i --nodeps --ignorearch "$top"/RPMS/noarch/old-*.rpm 2>/dev/null
	# the same size, another content: only the digest says it
	touch -r "$R/usr/bin/oldtool" "$SCRATCH/when"
	printf '#!/bin/sh\necho OLD\n' > "$R/usr/bin/oldtool"
	touch -r "$SCRATCH/when" "$R/usr/bin/oldtool"
	rpm_va "$R" | grep -x '\.\.5\.\.\.\.\.\.    /usr/bin/oldtool'
	live "$R" live.db
	[ "$status" -eq 0 ]
	[[ "$output" == *"warning: "*"rpm_packages: /var/lib/rpm: 1 file(s) of packages with MD5 digests"* ]]
	[ "$(sqlite3 "$SCRATCH/live.db" "SELECT status || ' ' || verify || ' ' || digest_algo || ' ' || coalesce(digest_actual, '-') FROM package_files WHERE path = '/usr/bin/oldtool'")" = "ok ......... md5 -" ]
	sqlite3 "$SCRATCH/live.db" "SELECT level, message FROM log WHERE component = 'rpm_packages'" > "$SCRATCH/log.txt"
	cat "$SCRATCH/log.txt"
	grep -qx 'warning|1 file(s) of packages with MD5 digests (rpm before 4.14): compared but for the digest (the collection recorded SHA-256)' "$SCRATCH/log.txt"
	# in scope (a unit) but in no folder the collection walked: not
	# checked, not missing
	grep -qx 'info|1 file(s) out of what the collection recorded: not checked' "$SCRATCH/log.txt"
	[ "$(sqlite3 "$SCRATCH/live.db" "SELECT count(*) FROM package_files WHERE path LIKE '/opt/%'")" -eq 0 ]
	# foo's files are checked with their SHA-256 as before
	[ "$(sqlite3 "$SCRATCH/live.db" "SELECT count(*) FROM package_files WHERE package = 'foo' AND status = 'ok' AND digest_actual IS NOT NULL")" -eq 8 ]
	# the image reads the files: the MD5 differs
	command -v mkfs.ext4 > /dev/null || skip "mkfs.ext4 is not installed"
	image "$R" img.db
	[ "$(sqlite3 "$SCRATCH/img.db" "SELECT status || ' ' || verify FROM package_files WHERE path = '/usr/bin/oldtool'")" = "changed ..5......" ]
	[ "$(sqlite3 "$SCRATCH/img.db" "SELECT status FROM package_files WHERE path = '/opt/old/systemd/system/old.service'")" = ok ]
}

# ndb R N [KIND]: N a copy of R whose database is only an ndb
# Packages.db holding the headers of R's rpmdb.sqlite (tests/gen/rpm_ndb.py:
# written from the public layout of the format, so it shows irkit reads
# what we understand of it), with an Index.db beside it (not read: every
# header is), KIND a damage (rpm_ndb.py --break)
ndb() {
	local R=$1 N=$2
	shift 2
	rm -rf "$N"
	cp -a "$R" "$N"
	python3 "$IRKIT_SRC/tests/gen/rpm_ndb.py" ${1:+--break "$1"} "$N$RPMDB/rpmdb.sqlite" "$N$RPMDB/Packages.db"
	rm -f "$N$RPMDB"/rpmdb.sqlite*
	printf 'an index irkit does not read\n' > "$N$RPMDB/Index.db"
}

# same_as A B: the rows and integrity findings of case A and B are equal
same_as() {
	rows "$1" > "$SCRATCH/a.txt"
	rows "$2" > "$SCRATCH/b.txt"
	cat "$SCRATCH/b.txt"
	[ -s "$SCRATCH/a.txt" ]
	diff "$SCRATCH/a.txt" "$SCRATCH/b.txt"
	q="SELECT score, title FROM findings WHERE category = 'integrity' ORDER BY title"
	[ "$(sqlite3 "$SCRATCH/$1" "$q" | wc -l)" -ge 7 ]
	diff <(sqlite3 "$SCRATCH/$1" "$q") <(sqlite3 "$SCRATCH/$2" "$q")
}

@test "rpm: an ndb database (Packages.db) in an image: the rows and findings of the same root with its sqlite database, and what rpm -Va names" {
	command -v mkfs.ext4 > /dev/null || skip "mkfs.ext4 is not installed"
	make_root "$SCRATCH/r"
	tamper "$SCRATCH/r"
	ndb "$SCRATCH/r" "$SCRATCH/n"
	[ ! -e "$SCRATCH/n$RPMDB/rpmdb.sqlite" ]
	image "$SCRATCH/r" sqlite.db
	[ "$status" -eq 0 ]
	image "$SCRATCH/n" ndb.db
	[ "$status" -eq 0 ]
	same_as sqlite.db ndb.db
	check_oracle "$SCRATCH/r" ndb.db /usr/share/doc/foo/README
	sqlite3 "$SCRATCH/ndb.db" "SELECT path || ' ' || message FROM log WHERE component = 'rpm_packages'" |
		grep -q "^$RPMDB rpm: 1 package(s), 9 file(s) checked (default scope)"
	[ -z "$(ls -A "$TMPDIR")" ]
}

# bdb R B: B, a copy of root R whose rpm database is a BerkeleyDB hash
# Packages (the older releases') holding the headers of R's rpmdb.sqlite,
# keyed by instance (little-endian, 0: the next instance), written by
# db5.3_load from its dump format: BerkeleyDB's own writer
bdb() {
	local R=$1 B=$2
	rm -rf "$B"
	cp -a "$R" "$B"
	python3 - "$R$RPMDB/rpmdb.sqlite" "$SCRATCH/pk.dump" <<'PY'
import sqlite3, struct, sys
rows = sqlite3.connect(sys.argv[1]).execute(
    "SELECT hnum, blob FROM Packages ORDER BY hnum").fetchall()
out = ["VERSION=3", "format=bytevalue", "type=hash", "db_pagesize=4096",
       "HEADER=END", " " + struct.pack("<I", 0).hex(),
       " " + struct.pack("<I", max(h for h, _ in rows) + 1).hex()]
for h, b in rows:
    out += [" " + struct.pack("<I", h).hex(), " " + bytes(b).hex()]
open(sys.argv[2], "w").write("\n".join(out + ["DATA=END"]) + "\n")
PY
	rm -f "$B$RPMDB"/rpmdb.sqlite*
	db5.3_load -f "$SCRATCH/pk.dump" "$B$RPMDB/Packages"
}

@test "rpm: a BerkeleyDB Packages (older releases; db5.3_load's) in an image: the rows and findings of the sqlite root, what rpm's bdb_ro reads of it, no noise for the index files not copied" {
	command -v mkfs.ext4 > /dev/null || skip "mkfs.ext4 is not installed"
	command -v db5.3_load > /dev/null ||
		{ echo "db5.3_load not installed (Debian db5.3-util; ./build.sh test installs it)"; false; }
	make_root "$SCRATCH/r"
	tamper "$SCRATCH/r"
	bdb "$SCRATCH/r" "$SCRATCH/b"
	# the oracle reads it: rpm's own bdb_ro backend lists the package
	rpm --root "$SCRATCH/b" --dbpath $RPMDB --define '_db_backend bdb_ro' \
		-qa 2>/dev/null | grep -q '^foo-'
	image "$SCRATCH/r" sqlite.db
	[ "$status" -eq 0 ]
	image "$SCRATCH/b" bdb.db
	echo "$output"
	[ "$status" -eq 0 ]
	same_as sqlite.db bdb.db
	check_oracle "$SCRATCH/r" bdb.db /usr/share/doc/foo/README
	[ "$(sqlite3 "$SCRATCH/bdb.db" "SELECT count(*) FROM log WHERE component = 'rpm_packages' AND message LIKE '%could not open%'")" -eq 0 ]
}

@test "rpm: an ndb root collected live (Packages.db and Index.db copied) and ingested, and as a foreign collection: the rows and findings of the sqlite root" {
	command -v mkfs.ext4 > /dev/null || skip "mkfs.ext4 is not installed"
	make_root "$SCRATCH/r"
	tamper "$SCRATCH/r"
	ndb "$SCRATCH/r" "$SCRATCH/n"
	image "$SCRATCH/r" img.db
	[ "$status" -eq 0 ]
	live "$SCRATCH/n" live.db
	[ "$status" -eq 0 ]
	# both files in the archive, byte for byte
	for f in Packages.db Index.db; do
		[ "$(tar --zstd -xOf "$SCRATCH/c.tar.zst" --wildcards "*/files$RPMDB/$f" | sha256sum)" = "$(sha256sum < "$SCRATCH/n$RPMDB/$f")" ]
	done
	same_as img.db live.db
	check_oracle "$SCRATCH/r" live.db /usr/share/doc/foo/README
	sqlite3 "$SCRATCH/live.db" "SELECT message FROM log WHERE component = 'rpm_packages'" |
		grep -q 'rpm: 1 package(s), 9 file(s) checked (default scope), 0 byte(s) read, 7 not ok (against the file states'
	# a foreign collection: a tarball of each root
	for k in r n; do
		tar -czf "$SCRATCH/$k.tar.gz" -C "$SCRATCH/$k" .
		run "$ANALYZE" ingest -q --db "$SCRATCH/foreign-$k.db" "$SCRATCH/$k.tar.gz"
		echo "$output"
	done
	same_as foreign-r.db foreign-n.db
	check_oracle "$SCRATCH/r" foreign-n.db /usr/share/doc/foo/README
	# an Index.db over --max-file-size: not copied, said; the packages
	# are checked all the same
	[ "$(stat -c %s "$SCRATCH/n$RPMDB/Packages.db")" -lt 9000 ]
	head -c 20000 /dev/zero > "$SCRATCH/n$RPMDB/Index.db"
	run "$COLLECT" -q -o "$SCRATCH/m.tar.zst" --root "$SCRATCH/n" --only packages --max-file-size 9000
	[ "$status" -eq 1 ]
	tar --zstd -xOf "$SCRATCH/m.tar.zst" --wildcards '*/log.jsonl' | grep -F '"path":"/var/lib/rpm/Index.db","message":"ndb'"'"'s index is larger than --max-file-size: not copied (not needed to check the rpm packages)"'
	[ -z "$(tar --zstd -tf "$SCRATCH/m.tar.zst" | grep Index.db)" ]
	tar --zstd -tf "$SCRATCH/m.tar.zst" | grep -q "/files$RPMDB/Packages.db\$"
	run "$ANALYZE" ingest -q --db "$SCRATCH/m.db" "$SCRATCH/m.tar.zst"
	same_as img.db m.db
	[ -z "$(ls -A "$TMPDIR")" ]
}

@test "rpm: a hostile ndb database (a slot outside the file, a blob longer than its blocks, 2^31 slot pages, a blob that is not a header, a header changed) is an error naming the file; the rest is read; exit 1" {
	command -v mkfs.ext4 > /dev/null || skip "mkfs.ext4 is not installed"
	local top=$SCRATCH/top
	mkdir -p "$top"/{SPECS,SOURCES,BUILD,RPMS,SRPMS,BUILDROOT}
	printf '%s\n' 'Name: baz' 'Version: 3.0' 'Release: 1' 'Summary: a second package' \
		'License: MIT' 'BuildArch: noarch' '%description' 'baz' '%install' \
		'mkdir -p %{buildroot}/usr/bin' "printf 'baz\\n' > %{buildroot}/usr/bin/baz" \
		'chmod 755 %{buildroot}/usr/bin/baz' '%files' '/usr/bin/baz' > "$top/SPECS/baz.spec"
	rpmbuild --quiet --define "_topdir $top" -bb "$top/SPECS/baz.spec" > /dev/null 2>&1
	make_root "$SCRATCH/good"
	rpm --root "$SCRATCH/good" --dbpath $RPMDB -i --nodeps --ignorearch "$top"/RPMS/noarch/baz-*.rpm 2>/dev/null
	# foo is package 1 (its slot is slot 2, the first after the header)
	[ "$(sqlite3 "$SCRATCH/good$RPMDB/rpmdb.sqlite" "SELECT hnum FROM Packages ORDER BY hnum" | tr '\n' ' ')" = "1 2 " ]
	ndb "$SCRATCH/good" "$SCRATCH/n"
	image "$SCRATCH/n" good.db
	[ "$status" -eq 0 ]
	[ "$(sqlite3 "$SCRATCH/good.db" "SELECT group_concat(package) FROM (SELECT DISTINCT package FROM package_files WHERE package IS NOT NULL ORDER BY 1)")" = "baz,foo" ]
	for kind in outside biglen pages notheader digest; do
		ndb "$SCRATCH/good" "$SCRATCH/$kind" $kind
		image "$SCRATCH/$kind" $kind.db
		[ "$status" -eq 1 ]
		[[ "$output" == *"rpm_packages: $RPMDB"*"Packages.db"* ]]
		sqlite3 "$SCRATCH/$kind.db" "SELECT level, message FROM log WHERE path = '$RPMDB' AND level = 'error'" > "$SCRATCH/err.txt"
		cat "$SCRATCH/err.txt"
		case $kind in
		outside) grep -q '^error|ndb Packages.db slot 2 (package 1): blocks [0-9]* to [0-9]* outside the file' "$SCRATCH/err.txt" ;;
		biglen) grep -q '^error|ndb Packages.db slot 2 (package 1): blob length [0-9]* does not fit its [0-9]* block(s)' "$SCRATCH/err.txt" ;;
		pages) grep -q '^error|ndb Packages.db: 2147483648 slot page(s): not 1 to 4096, no package read' "$SCRATCH/err.txt" ;;
		notheader) grep -q '^error|ndb Packages.db slot 2 (package 1): librpm refuses the header' "$SCRATCH/err.txt" ;;
		# librpm's own check of the header's digests, as for sqlite
		digest) grep -q '^error|ndb Packages.db slot 2 (package 1): librpm refuses the header: Header SHA256 digest: BAD (Expected [0-9a-f]* != [0-9a-f]*); Header SHA1 digest: BAD' "$SCRATCH/err.txt" ;;
		esac
		[ "$(wc -l < "$SCRATCH/err.txt")" -eq 1 ]
		# the rest: the other package (not when no slot can be read),
		# the other collectors
		want=baz
		[ $kind = pages ] && want=
		[ "$(sqlite3 "$SCRATCH/$kind.db" "SELECT coalesce(group_concat(package), '') FROM (SELECT DISTINCT package FROM package_files WHERE package IS NOT NULL)")" = "$want" ]
		[ "$(sqlite3 "$SCRATCH/$kind.db" "SELECT group_concat(user) FROM (SELECT user FROM accounts ORDER BY user)")" = "al,root" ]
		[ -z "$(ls -A "$TMPDIR")" ]
	done
}

@test "rpm: a root with a dpkg and an rpm database: the unowned finding names only what neither owns (image, and live)" {
	command -v mkfs.ext4 > /dev/null || skip "mkfs.ext4 is not installed"
	R=$SCRATCH/r
	make_root "$R"
	# dpkg's package dtool owns /usr/bin/dtool; /usr/bin/backdoor: none
	mkdir -p "$R/var/lib/dpkg/info"
	printf '#!/bin/sh\necho dtool\n' > "$R/usr/bin/dtool"
	printf '#!/bin/sh\nbackdoor\n' > "$R/usr/bin/backdoor"
	chmod 755 "$R/usr/bin/dtool" "$R/usr/bin/backdoor"
	printf 'Package: dtool\nStatus: install ok installed\nMaintainer: x <x@example.org>\nArchitecture: all\nVersion: 1\nDescription: d\n' > "$R/var/lib/dpkg/status"
	(cd "$R" && md5sum usr/bin/dtool) > "$R/var/lib/dpkg/info/dtool.md5sums"
	printf '/usr\n/usr/bin\n/usr/bin/dtool\n' > "$R/var/lib/dpkg/info/dtool.list"
	# the oracles: each manager owns its file, neither the backdoor
	rpm --root "$R" --dbpath $RPMDB -qf /usr/bin/foo
	! rpm --root "$R" --dbpath $RPMDB -qf /usr/bin/dtool || false
	[ "$(dpkg --root="$R" -S /usr/bin/dtool)" = "dtool: /usr/bin/dtool" ]
	! dpkg --root="$R" -S /usr/bin/foo || false
	! dpkg --root="$R" -S /usr/bin/backdoor || false
	! rpm --root "$R" --dbpath $RPMDB -qf /usr/bin/backdoor || false
	q="SELECT title FROM findings WHERE title LIKE 'executable no package owns%'"
	image "$R" img.db
	[ "$status" -eq 0 ]
	[ "$(sqlite3 "$SCRATCH/img.db" "$q")" = "executable no package owns /usr/bin/backdoor" ]
	live "$R" live.db
	[ "$status" -eq 0 ]
	[ "$(sqlite3 "$SCRATCH/live.db" "$q")" = "executable no package owns /usr/bin/backdoor" ]
	# dpkg's own view is kept (its rows), flagged only where neither owns
	[ "$(sqlite3 "$SCRATCH/live.db" "SELECT group_concat(path, ' ') FROM (SELECT path FROM package_files WHERE status = 'not-owned' ORDER BY path)")" = "/usr/bin/backdoor /usr/bin/bar /usr/bin/foo /usr/lib64/security/pam_foo.so /usr/sbin/foohelper" ]
	[ "$(sqlite3 "$SCRATCH/live.db" "SELECT group_concat(package || ':' || status, ' ') FROM (SELECT package, status FROM package_files WHERE path IN ('/usr/bin/dtool', '/usr/bin/foo') AND package IS NOT NULL ORDER BY package)")" = "dtool:ok foo:ok" ]
	"$ANALYZE" report --db "$SCRATCH/live.db" -o "$SCRATCH/r.html"
	grep -q '/usr/bin/backdoor' "$SCRATCH/r.html"
}

@test "rpm: no rpm database is said, not an error" {
	command -v mkfs.ext4 > /dev/null || skip "mkfs.ext4 is not installed"
	mkdir -p "$SCRATCH/r/etc" "$SCRATCH/r/usr/bin"
	printf 'root:x:0:0:root:/root:/bin/sh\n' > "$SCRATCH/r/etc/passwd"
	printf 'root:x:0:\n' > "$SCRATCH/r/etc/group"
	image "$SCRATCH/r" a.db
	[ "$status" -eq 0 ]
	sqlite3 "$SCRATCH/a.db" "SELECT message FROM log" | grep -q 'no rpm database here'
	[ "$(sqlite3 "$SCRATCH/a.db" "SELECT count(*) FROM package_files")" -eq 0 ]
}
