#!/usr/bin/env bats
#
# The packages collector and the package_file record type: the files of
# installed dpkg packages checked against the package database, and the
# executables in system folders no package owns (docs/integrity.md).
#
# Oracles: `dpkg --root=R --verify` and `debsums --root=R -a -s` on a root
# with a small dpkg database built here (three packages, a merged /usr),
# md5sum and sha256sum for the digests, sqlite3 for the case; strace for
# what the collector opens on a hostile database.
load helpers

setup() {
	setup_scratch
}

teardown() {
	teardown_scratch
}

# make_root R: three installed packages and one not installed; /bin and
# /sbin are links to usr/bin and usr/sbin; baz is Multi-Arch: same (its
# info files are baz:amd64.*) and lists its file as /bin/baz; foo ships
# a link (libfoo.so: listed, no MD5).
make_root() {
	local R=$1 d
	d=$R/var/lib/dpkg/info
	mkdir -p "$d" "$R/usr/bin" "$R/usr/sbin" "$R/etc/foo" "$R/tmp" \
		"$R/usr/lib/x86_64-linux-gnu/security" "$R/usr/share/doc/foo" \
		"$R/lib/systemd/system"
	ln -s usr/bin "$R/bin"
	ln -s usr/sbin "$R/sbin"
	printf '#!/bin/sh\necho foo\n' > "$R/usr/bin/foo"
	printf '#!/bin/sh\necho helper\n' > "$R/usr/sbin/foohelper"
	printf 'ELF lib\n' > "$R/usr/lib/x86_64-linux-gnu/libfoo.so.1"
	ln -s libfoo.so.1 "$R/usr/lib/x86_64-linux-gnu/libfoo.so"
	printf 'pam\n' > "$R/usr/lib/x86_64-linux-gnu/security/pam_foo.so"
	printf 'doc\n' > "$R/usr/share/doc/foo/README"
	printf 'key=1\n' > "$R/etc/foo/foo.conf"
	printf '[Unit]\nDescription=foo\n' > "$R/lib/systemd/system/foo.service"
	printf '#!/bin/sh\necho bar\n' > "$R/usr/bin/bar"
	printf 'bar=1\n' > "$R/etc/bar.conf"
	printf '#!/bin/sh\necho baz\n' > "$R/usr/bin/baz"
	chmod 755 "$R"/usr/bin/* "$R"/usr/sbin/*
	m() { md5sum "$R$1" | cut -d' ' -f1; }
	cat > "$R/var/lib/dpkg/status" <<-S
	Package: foo
	Status: install ok installed
	Maintainer: x <x@example.org>
	Architecture: amd64
	Version: 1.0-1
	Conffiles:
	 /etc/foo/foo.conf $(m /etc/foo/foo.conf)
	Description: a fake package
	 with a long description

	Package: bar
	Status: install ok installed
	Maintainer: x <x@example.org>
	Architecture: all
	Version: 2.0
	Conffiles:
	 /etc/bar.conf $(m /etc/bar.conf)
	Description: another

	Package: baz
	Status: install ok installed
	Maintainer: x <x@example.org>
	Multi-Arch: same
	Architecture: amd64
	Version: 3
	Description: multiarch

	Package: gone
	Status: deinstall ok not-installed
	Maintainer: x <x@example.org>
	Architecture: amd64
	Version: 1
	S
	(cd "$R" && md5sum usr/bin/foo sbin/foohelper \
		usr/lib/x86_64-linux-gnu/libfoo.so.1 \
		usr/lib/x86_64-linux-gnu/security/pam_foo.so \
		usr/share/doc/foo/README lib/systemd/system/foo.service) \
		> "$d/foo.md5sums"
	printf '%s\n' /. /usr /usr/bin /usr/bin/foo /sbin /sbin/foohelper \
		/usr/lib/x86_64-linux-gnu/libfoo.so.1 \
		/usr/lib/x86_64-linux-gnu/libfoo.so \
		/usr/lib/x86_64-linux-gnu/security/pam_foo.so \
		/usr/share/doc/foo/README /lib/systemd/system/foo.service \
		/etc/foo/foo.conf > "$d/foo.list"
	(cd "$R" && md5sum usr/bin/bar) > "$d/bar.md5sums"
	printf '%s\n' /. /usr/bin/bar /etc/bar.conf > "$d/bar.list"
	(cd "$R" && md5sum bin/baz) > "$d/baz:amd64.md5sums"
	printf '%s\n' /. /bin/baz > "$d/baz:amd64.list"
	echo 1 > "$d/format"
	: > "$R/var/lib/dpkg/diversions"
}

# tamper R: a replaced binary, a changed conffile, a missing library and
# its link (no MD5: only there or not), a binary replaced by a link, a changed file out of the default scope, an
# unowned executable and PAM module (and an unowned file that is not
# executable: not reported).
tamper() {
	local R=$1
	printf '#!/bin/sh\necho evil\n' > "$R/usr/bin/foo"
	printf 'key=2\n' > "$R/etc/foo/foo.conf"
	rm "$R/usr/lib/x86_64-linux-gnu/libfoo.so.1" "$R/usr/lib/x86_64-linux-gnu/libfoo.so"
	printf 'evil\n' > "$R/tmp/evil"
	rm "$R/usr/bin/bar"
	ln -s /tmp/evil "$R/usr/bin/bar"
	echo changed > "$R/usr/share/doc/foo/README"
	printf '#!/bin/sh\nbackdoor\n' > "$R/usr/bin/backdoor"
	chmod 755 "$R/usr/bin/backdoor"
	printf 'x' > "$R/usr/bin/notes.txt"
	printf 'evilpam' > "$R/usr/lib/x86_64-linux-gnu/security/pam_evil.so"
}

# collect R OUT [options]: the packages records of R in OUT.jsonl
collect() {
	local R=$1 out=$2
	shift 2
	run "$COLLECT" -q -o "$SCRATCH/$out.tar.zst" --root "$R" \
		--only packages "$@"
	echo "$output"
	tar --zstd -xOf "$SCRATCH/$out.tar.zst" --wildcards \
		'*/records/packages.jsonl' > "$SCRATCH/$out.jsonl"
	tar --zstd -xOf "$SCRATCH/$out.tar.zst" --wildcards \
		'*/log.jsonl' > "$SCRATCH/$out.log"
}

# flagged JSONL: the paths of package files not as installed, sorted
flagged() {
	python3 -c '
import json, sys
for l in open(sys.argv[1]):
    r = json.loads(l)
    if r["status"] not in ("ok", "not-owned"):
        print(r["path"])' "$1" | sort
}

# dpkg_named R: the paths `dpkg --verify` names, sorted
dpkg_named() {
	dpkg --root="$1" --verify 2>/dev/null | awk '{ print $NF }' | sort
}

@test "packages: an untouched root: every file in scope ok, as dpkg --verify says" {
	make_root "$SCRATCH/r"
	[ -z "$(dpkg_named "$SCRATCH/r")" ]
	collect "$SCRATCH/r" a
	[ "$status" -eq 0 ]
	# oracle: md5sum of each file the records name
	python3 - "$SCRATCH/a.jsonl" "$SCRATCH/r" <<-'PY'
	import hashlib, json, sys
	recs = [json.loads(l) for l in open(sys.argv[1])]
	assert all(r["type"] == "package_file" and r["status"] == "ok" for r in recs)
	paths = sorted(r["path"] for r in recs)
	# the default scope: not the README; /sbin/foohelper and /bin/baz as listed
	assert paths == sorted(["/etc/foo/foo.conf", "/usr/bin/foo", "/sbin/foohelper",
	    "/usr/lib/x86_64-linux-gnu/libfoo.so.1",
	    "/usr/lib/x86_64-linux-gnu/security/pam_foo.so",
	    "/lib/systemd/system/foo.service", "/etc/bar.conf", "/usr/bin/bar",
	    "/bin/baz"]), paths
	for r in recs:
	    want = hashlib.md5(open(sys.argv[2] + r["path"], "rb").read()).hexdigest()
	    assert r["md5_actual"] == r["md5_expected"] == want, r
	    assert r["conffile"] == r["path"].startswith("/etc/")
	by = {r["path"]: r for r in recs}
	assert by["/bin/baz"]["package"] == "baz" and by["/bin/baz"]["version"] == "3"
	PY
	# the link is looked at, not hashed: 10 checked, 9 records
	grep -q '"3 package(s), 10 file(s) checked (default scope), [0-9]* byte(s) read, 0 not ok"' "$SCRATCH/a.log"
}

@test "packages: a tampered root: irkit flags exactly what dpkg --verify names (default scope, then --integrity full)" {
	make_root "$SCRATCH/r"
	tamper "$SCRATCH/r"
	dpkg_named "$SCRATCH/r" > "$SCRATCH/dpkg.txt"
	cat "$SCRATCH/dpkg.txt"
	[ "$(wc -l < "$SCRATCH/dpkg.txt")" -eq 6 ]
	collect "$SCRATCH/r" a
	[ "$status" -eq 0 ]
	# the default scope leaves out /usr/share/doc
	grep -v '^/usr/share/doc/' "$SCRATCH/dpkg.txt" > "$SCRATCH/want.txt"
	flagged "$SCRATCH/a.jsonl" > "$SCRATCH/got.txt"
	diff "$SCRATCH/want.txt" "$SCRATCH/got.txt"
	collect "$SCRATCH/r" full --integrity full
	[ "$status" -eq 0 ]
	flagged "$SCRATCH/full.jsonl" > "$SCRATCH/gotfull.txt"
	diff "$SCRATCH/dpkg.txt" "$SCRATCH/gotfull.txt"
	python3 - "$SCRATCH/a.jsonl" "$SCRATCH/r" <<-'PY'
	import hashlib, json, sys
	by = {}
	for l in open(sys.argv[1]):
	    r = json.loads(l)
	    assert r["path"] not in by, ("reported twice", r["path"])
	    by[r["path"]] = r
	root = sys.argv[2]
	md5 = lambda p: hashlib.md5(open(root + p, "rb").read()).hexdigest()
	assert by["/usr/bin/foo"]["status"] == "changed"
	assert by["/usr/bin/foo"]["md5_actual"] == md5("/usr/bin/foo")
	assert by["/usr/bin/foo"]["md5_expected"] != md5("/usr/bin/foo")
	assert by["/etc/foo/foo.conf"]["status"] == "conffile-changed"
	assert by["/etc/foo/foo.conf"]["conffile"] is True
	lib = by["/usr/lib/x86_64-linux-gnu/libfoo.so.1"]
	assert lib["status"] == "missing" and lib["md5_actual"] is None
	link = by["/usr/lib/x86_64-linux-gnu/libfoo.so"]
	assert link["status"] == "missing" and link["md5_expected"] is None
	bar = by["/usr/bin/bar"]
	assert bar["status"] == "replaced-by-link" and bar["link_target"] == "/tmp/evil"
	assert bar["md5_actual"] == md5("/tmp/evil")
	# unowned: the executable and the PAM module, once each (/bin is
	# /usr/bin); not the file that is not executable
	own = sorted(p for p, r in by.items() if r["status"] == "not-owned")
	assert own == ["/usr/bin/backdoor",
	    "/usr/lib/x86_64-linux-gnu/security/pam_evil.so"], own
	bd = by["/usr/bin/backdoor"]
	assert bd["package"] is None and bd["md5_expected"] is None
	assert bd["sha256"] == hashlib.sha256(open(root + "/usr/bin/backdoor", "rb").read()).hexdigest()
	PY
}

@test "packages: debsums --root -a -s names the same changed and missing files" {
	command -v debsums > /dev/null || skip "debsums is not installed (Debian package debsums)"
	make_root "$SCRATCH/r"
	tamper "$SCRATCH/r"
	debsums --root="$SCRATCH/r" -a -s 2> "$SCRATCH/debsums.txt" || true
	cat "$SCRATCH/debsums.txt"
	sed -n "s|^debsums: [a-z]* file $SCRATCH/r\\(/[^ ]*\\) (from .*|\\1|p" \
		"$SCRATCH/debsums.txt" | sort > "$SCRATCH/want.txt"
	[ "$(wc -l < "$SCRATCH/want.txt")" -eq 5 ]
	collect "$SCRATCH/r" full --integrity full
	# debsums checks only what has an MD5 (not the missing link)
	jq -c 'select(.md5_expected != null)' "$SCRATCH/full.jsonl" > "$SCRATCH/hashed.jsonl"
	flagged "$SCRATCH/hashed.jsonl" > "$SCRATCH/got.txt"
	diff "$SCRATCH/want.txt" "$SCRATCH/got.txt"
}

@test "package_file records load into package_files with their findings, scored by kind" {
	make_root "$SCRATCH/r"
	tamper "$SCRATCH/r"
	collect "$SCRATCH/r" a
	run "$ANALYZE" ingest -q --db "$SCRATCH/c.db" --no-default-rules "$SCRATCH/a.tar.zst"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(sqlite3 "$SCRATCH/c.db" 'SELECT count(*) FROM package_files')" -eq "$(wc -l < "$SCRATCH/a.jsonl")" ]
	sqlite3 "$SCRATCH/c.db" "SELECT p.path, f.score, f.category FROM findings f
		JOIN finding_links l ON l.finding_id = f.id AND l.record_table = 'package_files'
		JOIN package_files p ON p.id = l.record_id ORDER BY p.path" > "$SCRATCH/got.txt"
	cat > "$SCRATCH/want.txt" <<-'W'
	/etc/foo/foo.conf|30|integrity
	/usr/bin/backdoor|50|integrity
	/usr/bin/bar|60|integrity
	/usr/bin/foo|80|integrity
	/usr/lib/x86_64-linux-gnu/libfoo.so|60|integrity
	/usr/lib/x86_64-linux-gnu/libfoo.so.1|60|integrity
	/usr/lib/x86_64-linux-gnu/security/pam_evil.so|50|integrity
	W
	diff "$SCRATCH/want.txt" "$SCRATCH/got.txt"
	# each title names its file, as the triage summary shows it
	[ "$(sqlite3 "$SCRATCH/c.db" "SELECT count(*) FROM findings f
		JOIN finding_links l ON l.finding_id = f.id AND l.record_table = 'package_files'
		JOIN package_files p ON p.id = l.record_id
		WHERE f.title NOT LIKE '% ' || p.path")" -eq 0 ]
	sqlite3 "$SCRATCH/c.db" "SELECT title FROM findings" | grep -qx 'executable no package owns /usr/bin/backdoor'
	# the report's section lists what is not ok
	"$ANALYZE" report --db "$SCRATCH/c.db" -o "$SCRATCH/r.html"
	grep -q 'Package files not as installed' "$SCRATCH/r.html"
	grep -q '/usr/bin/backdoor' "$SCRATCH/r.html"
}

@test "packages: a hostile database: huge lines, '..' and paths leading out of the root are logged and never read" {
	make_root "$SCRATCH/r"
	R=$SCRATCH/r
	mkdir -p "$SCRATCH/outside"
	echo secret > "$SCRATCH/outside/secret"
	secret_md5=$(md5sum < "$SCRATCH/outside/secret" | cut -d' ' -f1)
	# a stanza with a 1 MB line, and one whose name climbs out
	python3 - "$R/var/lib/dpkg/status" <<-'PY'
	import sys
	with open(sys.argv[1], "a") as f:
	    f.write("\nPackage: huge\nStatus: install ok installed\n")
	    f.write("Description: " + "A" * (1 << 20) + "\n")
	    f.write("\nPackage: ../../../outside/x\nStatus: install ok installed\n")
	    f.write("Architecture: amd64\nVersion: 1\n")
	PY
	d=$R/var/lib/dpkg/info
	{
		echo "$secret_md5  ../../outside/secret"
		echo "$secret_md5  usr/../../outside/secret"
		echo "$secret_md5  /../../../outside/secret"
		echo "$secret_md5  usr/bin/escape"
		echo "$secret_md5  usr/bin/abs"
		python3 -c 'print("0" * 32 + "  " + "a/" * 40000)'
	} >> "$d/foo.md5sums"
	# links leading out: relative and absolute, kept inside the root
	ln -s ../../../../../../../../outside/secret "$R/usr/bin/escape"
	ln -s "$SCRATCH/outside/secret" "$R/usr/bin/abs"
	echo '/../../outside/secret' >> "$d/foo.list"
	if command -v strace > /dev/null; then
		strace -f -o "$SCRATCH/trace" -e trace=open,openat,openat2 \
			"$COLLECT" -q -o "$SCRATCH/s.tar.zst" --root "$R" --only packages || true
		# the link was looked at, and no open named the secret
		grep -q 'escape"' "$SCRATCH/trace"
		! grep -q 'secret"' "$SCRATCH/trace" || {
			grep 'secret' "$SCRATCH/trace"; false; }
	fi
	collect "$R" a
	# warnings: partial
	[ "$status" -eq 1 ]
	grep -q '1 line(s) longer than 65536 bytes skipped' "$SCRATCH/a.log"
	grep -q '1 stanza(s) with a bad name' "$SCRATCH/a.log"
	grep -q '5 line(s) with a bad path' "$SCRATCH/a.log"
	# foo's valid files still checked; the escapes are links to nothing
	# inside the root, never the secret
	! grep -q "$secret_md5\"" <(jq -r .md5_actual "$SCRATCH/a.jsonl") || false
	[ "$(jq -r 'select(.path == "/usr/bin/escape") | .status' "$SCRATCH/a.jsonl")" = replaced-by-link ]
	[ "$(jq -r 'select(.path == "/usr/bin/abs") | .md5_actual' "$SCRATCH/a.jsonl")" = null ]
	[ "$(jq -r 'select(.path == "/usr/bin/foo") | .status' "$SCRATCH/a.jsonl")" = ok ]
	! grep -q 'outside' <(jq -r .path "$SCRATCH/a.jsonl") || false
}

@test "packages: the same root collected with --root and inside an ext4 image gives the same records" {
	command -v mkfs.ext4 > /dev/null || skip "mkfs.ext4 is not installed"
	make_root "$SCRATCH/r"
	tamper "$SCRATCH/r"
	collect "$SCRATCH/r" a
	"$ANALYZE" ingest -q --db "$SCRATCH/live.db" --no-default-rules "$SCRATCH/a.tar.zst"
	truncate -s 16M "$SCRATCH/disk.raw"
	mkfs.ext4 -q -F -d "$SCRATCH/r" "$SCRATCH/disk.raw"
	run "$ANALYZE" image --no-scan --db "$SCRATCH/img.db" "$SCRATCH/disk.raw"
	echo "$output"
	q="SELECT package, path, status, conffile, md5_expected, md5_actual, sha256, size, link_target FROM package_files ORDER BY path"
	sqlite3 "$SCRATCH/live.db" "$q" > "$SCRATCH/live.txt"
	sqlite3 "$SCRATCH/img.db" "$q" > "$SCRATCH/img.txt"
	[ "$(wc -l < "$SCRATCH/live.txt")" -eq 12 ]
	diff "$SCRATCH/live.txt" "$SCRATCH/img.txt"
	# and the same findings
	q="SELECT score, title, reasons FROM findings WHERE category = 'integrity' ORDER BY 3"
	diff <(sqlite3 "$SCRATCH/live.db" "$q") <(sqlite3 "$SCRATCH/img.db" "$q")
}

@test "packages: irkit-analyze image --integrity full checks every packaged file of the image, as dpkg --verify" {
	command -v mkfs.ext4 > /dev/null || skip "mkfs.ext4 is not installed"
	make_root "$SCRATCH/r"
	tamper "$SCRATCH/r"
	dpkg_named "$SCRATCH/r" > "$SCRATCH/dpkg.txt"
	grep -q '^/usr/share/doc/foo/README$' "$SCRATCH/dpkg.txt"
	mkfs.ext4 -q -F -d "$SCRATCH/r" "$SCRATCH/disk.raw" 16M
	q="SELECT path FROM package_files WHERE status NOT IN ('ok', 'not-owned') ORDER BY path"
	for scope in default full; do
		run "$ANALYZE" image --no-scan --integrity $scope --db "$SCRATCH/$scope.db" "$SCRATCH/disk.raw"
		echo "$output"
		[ "$status" -eq 0 ]
		sqlite3 "$SCRATCH/$scope.db" "$q" > "$SCRATCH/$scope.txt"
	done
	# full: what dpkg --verify names; default: that but /usr/share/doc
	diff "$SCRATCH/dpkg.txt" "$SCRATCH/full.txt"
	diff <(grep -v '^/usr/share/doc/' "$SCRATCH/dpkg.txt") "$SCRATCH/default.txt"
	n() { sqlite3 "$SCRATCH/$1.db" "SELECT count(*) FROM package_files"; }
	[ "$(n full)" -gt "$(n default)" ]
	sqlite3 "$SCRATCH/full.db" "SELECT message FROM log" | grep -q 'file(s) checked (full)'
	run "$ANALYZE" image --integrity most --db "$SCRATCH/x.db" "$SCRATCH/disk.raw"
	[ "$status" -eq 2 ]
	[[ "$output" == *"--integrity: 'default' or 'full', not 'most'"* ]]
}

@test "packages: no dpkg database is said, not an error; --integrity takes default or full" {
	mkdir -p "$SCRATCH/empty/etc"
	collect "$SCRATCH/empty" a
	[ "$status" -eq 0 ]
	grep -q 'no dpkg database here' "$SCRATCH/a.log"
	[ ! -s "$SCRATCH/a.jsonl" ]
	run "$COLLECT" --integrity most -o "$SCRATCH" --only packages
	[ "$status" -eq 2 ]
	[[ "$output" == *"--integrity: 'default' or 'full', not 'most'"* ]]
}

@test "packages: files hashed on two threads keep the database's order (each package's files, then its missing listed paths)" {
	local R=$SCRATCH/order d=$SCRATCH/order/var/lib/dpkg/info n i f
	mkdir -p "$d" "$R/usr/bin"
	: > "$SCRATCH/want"
	for n in $(seq 1 12); do
		printf 'Package: pk%s\nStatus: install ok installed\n' "$n" \
			>> "$R/var/lib/dpkg/status"
		printf 'Architecture: all\nVersion: 1.%s\n\n' "$n" \
			>> "$R/var/lib/dpkg/status"
		: > "$d/pk$n.md5sums"
		: > "$d/pk$n.list"
		for i in 1 2 3; do
			f=usr/bin/p$n-$i
			printf '#!/bin/sh\necho %s %s\n' "$n" "$i" > "$R/$f"
			chmod 755 "$R/$f"
			(cd "$R" && md5sum "$f") >> "$d/pk$n.md5sums"
			echo "/$f" >> "$d/pk$n.list"
			echo "pk$n /$f" >> "$SCRATCH/want"
		done
		echo "/usr/bin/gone$n" >> "$d/pk$n.list"
		echo "pk$n /usr/bin/gone$n" >> "$SCRATCH/want"
	done
	echo changed >> "$R/usr/bin/p5-2"
	collect "$R" a
	[ "$status" -eq 0 ]
	jq -r '"\(.package) \(.path)"' "$SCRATCH/a.jsonl" > "$SCRATCH/got"
	diff "$SCRATCH/want" "$SCRATCH/got"
	# what is flagged is what dpkg --verify names
	[ "$(flagged "$SCRATCH/a.jsonl")" = "$(dpkg_named "$R")" ]
	[ "$(flagged "$SCRATCH/a.jsonl" | wc -l)" -eq 13 ]
}

@test "packages: a package of 3000 files (its .md5sums read in chunks, lines across them, no final newline): flagged as dpkg --verify names; a 300 KB line is skipped" {
	make_root "$SCRATCH/r"
	R=$SCRATCH/r
	d=$R/var/lib/dpkg/info
	# long names: the .md5sums is about 470 KB, the reader's chunk 256 KB
	python3 - "$R" <<-'PY'
	import hashlib, os, sys
	R = sys.argv[1]
	dirn = "usr/bin/" + "long-folder-name-" * 4
	os.makedirs(os.path.join(R, dirn))
	md5, lst = [], ["/.", "/usr/bin", "/" + dirn]
	for i in range(3000):
	    p = "%s/tool-%05d-%s" % (dirn, i, "x" * 40)
	    data = b"#!/bin/sh\necho %d\n" % i
	    with open(os.path.join(R, p), "wb") as f:
	        f.write(data)
	    os.chmod(os.path.join(R, p), 0o755)
	    md5.append("%s  %s" % (hashlib.md5(data).hexdigest(), p))
	    lst.append("/" + p)
	info = os.path.join(R, "var/lib/dpkg/info")
	open(os.path.join(info, "big.md5sums"), "w").write("\n".join(md5) + "\n")
	open(os.path.join(info, "big.list"), "w").write("\n".join(lst) + "\n")
	with open(os.path.join(R, "var/lib/dpkg/status"), "a") as f:
	    f.write("\nPackage: big\nStatus: install ok installed\n"
	            "Maintainer: x <x@example.org>\nArchitecture: amd64\n"
	            "Version: 1\nDescription: many files\n")
	PY
	[ "$(stat -c %s "$d/big.md5sums")" -gt 400000 ]
	# three changed: the first, one near the chunk's end, the last
	dir=$R/usr/bin/long-folder-name-long-folder-name-long-folder-name-long-folder-name-
	for i in 00000 01800 02999; do
		echo evil >> "$dir/tool-$i-$(printf 'x%.0s' $(seq 40))"
	done
	want=$(dpkg_named "$R")
	[ "$(wc -l <<< "$want")" -eq 3 ]
	# dpkg wants the final newline; irkit reads the last line without it
	truncate -s -1 "$d/big.md5sums"
	collect "$R" a
	[ "$status" -eq 0 ]
	[ "$(flagged "$SCRATCH/a.jsonl")" = "$want" ]
	[ "$(jq -r 'select(.package == "big") | .path' "$SCRATCH/a.jsonl" | wc -l)" -eq 3000 ]
	# a line longer than the chunk, and one with a CR: one skipped, the
	# CR dropped, the rest as before
	python3 - "$d/big.md5sums" "$R" <<-'PY'
	import hashlib, sys
	lines = open(sys.argv[1]).read().split("\n")
	lines.insert(1500, "0" * 32 + "  usr/bin/" + "y" * 300000)
	lines[10] += "\r"
	open(sys.argv[1], "w").write("\n".join(lines))
	PY
	collect "$R" b
	[ "$status" -eq 1 ]
	grep -q '"1 line(s) with a bad path' "$SCRATCH/b.log"
	[ "$(flagged "$SCRATCH/b.jsonl")" = "$want" ]
	[ "$(jq -r 'select(.package == "big") | .path' "$SCRATCH/b.jsonl" | wc -l)" -eq 3000 ]
}
