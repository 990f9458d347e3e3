#!/usr/bin/env bats
bats_require_minimum_version 1.5.0
#
# irkit-analyze image on disk images built at test time by
# tests/gen/make_images.sh (ext4, FAT, NTFS laid out as a Windows server,
# DOS and GPT partition tables, split raw, E01, corrupt input).
#
# Oracles: TSK's own fls -r -m (the timeline, line for line), icat (file
# contents), regfexport (libregf-utils) and the hives' generator (Windows
# services, certificate thumbprints), openssl (certificates), the yara CLI
# (matches), sha256sum (the media hash).
load helpers

setup_file() {
	IMG=$(mktemp -d "${BATS_TMPDIR:-/tmp}/irkit-img.XXXXXX")
	export IMG
	"$IRKIT_SRC"/tests/gen/make_images.sh "$IMG" >"$IMG/gen.log" 2>&1
	cat >"$IMG/test.yar" <<'EOF'
rule irkit_img_planted {
	meta:
		description = "test: the planted service binary"
		score = 80
	strings:
		$a = "planted service binary"
	condition:
		$a
}
rule irkit_img_deleted {
	meta:
		description = "test: a deleted script"
		score = 60
	strings:
		$a = "to be deleted, still readable"
	condition:
		$a
}
EOF
	# one case holding the clean images, loaded once for most tests
	"$ANALYZE" image --db "$IMG/case.db" --rules "$IMG/test.yar" \
		"$IMG"/linux.raw "$IMG"/disk.raw "$IMG"/gpt.raw \
		$( [ -e "$IMG/ntfs.raw" ] && echo "$IMG/ntfs.raw" ) \
		>"$IMG/case.out" 2>"$IMG/case.err" || echo $? >"$IMG/case.rc"
}

teardown_file() {
	rm -rf "$IMG"
}

setup() {
	setup_scratch
}

teardown() {
	full_fs_gone "$SCRATCH/full"
	teardown_scratch
}

# The files rows of one volume as bodyfile lines (sorted), the same
# fields fls -m prints.
body_of() {
	sqlite3 "$1" "select '0|'||f.body_name||'|'||f.meta_addr||'|'||f.mode||'|'||
	    coalesce(f.uid,0)||'|'||coalesce(f.gid,0)||'|'||coalesce(f.size,0)||'|'||
	    coalesce(f.atime/1000000,0)||'|'||coalesce(f.mtime/1000000,0)||'|'||
	    coalesce(f.ctime/1000000,0)||'|'||coalesce(f.btime/1000000,0)
	    from files f join evidence e on e.id = f.evidence_id
	    where f.origin = 'image' and e.path = '$2' and f.volume = '$3'" |
		LC_ALL=C sort
}

# inode_of IMAGE PATH: TSK's address of the (first) name PATH, from fls
inode_of() {
	fls -r -p "$1" | awk -F'\t' -v p="$2" '$2 == p || $2 == p " (deleted)" {
		n = split($1, a, " "); x = a[n]; sub(":$", "", x); print x; exit }'
}

# compare_fls DB IMAGE VOLUME OFFSET
compare_fls() {
	body_of "$1" "$2" "$3" >"$SCRATCH/ours"
	fls -r -m / -o "$4" "$2" | LC_ALL=C sort >"$SCRATCH/fls"
	[ -s "$SCRATCH/fls" ]
	diff -u "$SCRATCH/fls" "$SCRATCH/ours"
}

@test "image: test images were built" {
	cat "$IMG/gen.log"
	[ -e "$IMG/linux.raw" ] && [ -e "$IMG/disk.raw" ] && [ -e "$IMG/disk.E01" ]
}

@test "image: the clean batch loads with exit 0" {
	cat "$IMG/case.err"
	[ ! -e "$IMG/case.rc" ]
	grep -q "loaded" "$IMG/case.err"
}

@test "image: ext4 timeline equals fls -r -m, allocated and deleted" {
	compare_fls "$IMG/case.db" "$IMG/linux.raw" "0:ext4@0" 0
	run sqlite3 "$IMG/case.db" "select count(*) from files where deleted = 1 and volume = '0:ext4@0' and body_name like '%dropper.sh (deleted%'"
	[ "$output" -ge 1 ]
}

@test "image: DOS partitions (ext4 + FAT16) each equal fls -o" {
	compare_fls "$IMG/case.db" "$IMG/disk.raw" "2:ext4@2048" 2048
	compare_fls "$IMG/case.db" "$IMG/disk.raw" "4:fat16@36864" 36864
	# the deleted FAT file is there, marked deleted
	run sqlite3 "$IMG/case.db" "select deleted from files where volume = '4:fat16@36864' and path like '%EL.TXT'"
	[ "$output" = 1 ]
}

@test "image: GPT partition equals fls -o" {
	vol=$(sqlite3 "$IMG/case.db" "select distinct volume from files f join evidence e on e.id = f.evidence_id where e.path = '$IMG/gpt.raw'")
	off=$(mmls "$IMG/gpt.raw" | awk '$2 ~ /^[0-9]+$/ { print $3 + 0; exit }')
	[ -n "$off" ] && [ -n "$vol" ]
	[ "${vol##*@}" = "$off" ]
	compare_fls "$IMG/case.db" "$IMG/gpt.raw" "$vol" "$off"
}

@test "image: NTFS timeline equals fls -r -m, with \$FILE_NAME rows and ADS" {
	[ -e "$IMG/ntfs.raw" ] || skip "ntfs-3g could not mount here"
	compare_fls "$IMG/case.db" "$IMG/ntfs.raw" "0:ntfs@0" 0
	grep -q '(\$FILE_NAME)' "$SCRATCH/ours"
	grep -q 'evil.exe:hidden' "$SCRATCH/ours"
	grep -q 'stage2.ps1 (deleted)' "$SCRATCH/ours"
}

@test "image: contents hashed, deleted but readable files included (icat)" {
	ino=$(inode_of "$IMG/linux.raw" tmp/dropper.sh)
	[ -n "$ino" ]
	want=$(icat -r "$IMG/linux.raw" "$ino" | sha256sum | cut -d' ' -f1)
	got=$(sqlite3 "$IMG/case.db" "select sha256 from files where volume = '0:ext4@0' and path = '/tmp/dropper.sh'")
	[ "$want" = "$got" ]
	ino=$(inode_of "$IMG/linux.raw" usr/lib/libblob.so)
	want=$(icat "$IMG/linux.raw" "$ino" | sha256sum | cut -d' ' -f1)
	got=$(sqlite3 "$IMG/case.db" "select sha256 from files where volume = '0:ext4@0' and path = '/usr/lib/libblob.so'")
	[ "$want" = "$got" ]
}

@test "image: YARA matches agree with the yara CLI on the extracted file" {
	[ -e "$IMG/ntfs.raw" ] || skip "no NTFS image"
	ino=$(inode_of "$IMG/ntfs.raw" ProgramData/svc/evil.exe)
	icat "$IMG/ntfs.raw" "$ino" >"$SCRATCH/evil.exe"
	yara "$IMG/test.yar" "$SCRATCH/evil.exe" | awk '{ print $1 }' | sort >"$SCRATCH/want"
	[ -s "$SCRATCH/want" ]
	sqlite3 "$IMG/case.db" "select distinct m.rule from yara_matches m join files f on f.id = m.file_id where f.path = '/ProgramData/svc/evil.exe' and m.rule like 'irkit_img_%'" | sort >"$SCRATCH/got"
	diff -u "$SCRATCH/want" "$SCRATCH/got"
}

@test "image: Windows services from the current control set, as regfexport shows" {
	[ -e "$IMG/ntfs.raw" ] || skip "no NTFS image"
	ino=$(inode_of "$IMG/ntfs.raw" Windows/System32/config/SYSTEM)
	icat "$IMG/ntfs.raw" "$ino" >"$SCRATCH/SYSTEM"
	regfexport "$SCRATCH/SYSTEM" >"$SCRATCH/system.txt"
	grep -q 'C:\\ProgramData\\svc\\evil.exe -k run' "$SCRATCH/system.txt"
	run sqlite3 "$IMG/case.db" "select image_path, start_mode, account from services where name = 'EvilSvc'"
	[ "$output" = 'C:\ProgramData\svc\evil.exe -k run|auto|LocalSystem' ]
	run sqlite3 "$IMG/case.db" "select service_dll, start_mode from services where name = 'NetHelper'"
	[ "$output" = '%SystemRoot%\System32\evil.dll|manual' ]
	run sqlite3 "$IMG/case.db" "select start_mode from services where name = 'Tcpip'"
	[ "$output" = boot ]
	# ControlSet002 is not the current one
	run sqlite3 "$IMG/case.db" "select count(*) from services where name = 'Stale'"
	[ "$output" = 0 ]
	# every service key of the current set with a Type value is a record
	n=$(grep -c '^Key path: ROOT\\ControlSet001\\Services\\[^\\]*$' "$SCRATCH/system.txt")
	run sqlite3 "$IMG/case.db" "select count(*) from services where kind = 'windows'"
	[ "$output" = "$n" ]
}

@test "image: Windows tasks from XML and the TaskCache" {
	[ -e "$IMG/ntfs.raw" ] || skip "no NTFS image"
	run sqlite3 "$IMG/case.db" "select command, user from tasks where kind = 'windows-task' and name = '\\Updater'"
	[ "$output" = 'C:\ProgramData\svc\evil.exe -enc SQBFAFgA|S-1-5-18' ]
	# in the TaskCache, XML file gone
	run sqlite3 "$IMG/case.db" "select json_extract(record, '\$.xml_missing') from tasks where name = '\\Ghost'"
	[ "$output" = 1 ]
}

@test "image: Windows registry certificates decoded (openssl fingerprints)" {
	[ -e "$IMG/ntfs.raw" ] || skip "no NTFS image"
	run sqlite3 "$IMG/case.db" "select lower(sha1), store from certificates where store = 'ROOT'"
	echo "$output"
	[ "${#lines[@]}" -eq 1 ]
	thumb=$(sqlite3 "$IMG/case.db" "select lower(json_extract(record, '\$.thumbprint')) from certificates where store = 'ROOT'")
	[ "${output%%|*}" = "$thumb" ]
	run sqlite3 "$IMG/case.db" "select subject from certificates where store = 'user:bob:My'"
	[[ "$output" == *"bob code signing"* ]]
}

@test "image: split raw and E01 give the same timeline and media hashes as the raw image (--image-hash)" {
	"$ANALYZE" image --no-scan --image-hash --db "$SCRATCH/raw.db" "$IMG/disk.raw"
	"$ANALYZE" image --no-scan --image-hash --db "$SCRATCH/split.db" "$IMG/split.raw.001"
	"$ANALYZE" image --no-scan --image-hash --db "$SCRATCH/e01.db" "$IMG/disk.E01"
	sha=$(sha256sum "$IMG/disk.raw" | cut -d' ' -f1)
	md5=$(md5sum "$IMG/disk.raw" | cut -d' ' -f1)
	for db in raw split e01; do
		run sqlite3 "$SCRATCH/$db.db" "select sha256, media_md5 from evidence"
		[ "$output" = "$sha|$md5" ]
		sqlite3 "$SCRATCH/$db.db" "select volume, body_name, meta_addr, mode, size, atime, mtime, ctime, btime from files order by volume, body_name" >"$SCRATCH/$db.txt"
	done
	[ -s "$SCRATCH/raw.txt" ]
	diff -u "$SCRATCH/raw.txt" "$SCRATCH/split.txt"
	diff -u "$SCRATCH/raw.txt" "$SCRATCH/e01.txt"
	# the E01's stored MD5 (ewfinfo) was checked against the media
	stored=$(ewfinfo "$IMG/disk.E01" | awk '$1 == "MD5:" { print $2 }')
	[ "$stored" = "$md5" ]
	run sqlite3 "$SCRATCH/e01.db" "select format, verify, status from evidence"
	[ "$output" = "ewf|intact|complete" ]
	run sqlite3 "$SCRATCH/raw.db" "select verify is null from evidence"
	[ "$output" = 1 ]
}

@test "image: by default the media is not read: raw keyed by file, E01 by its stored MD5" {
	"$ANALYZE" image --no-scan --db "$SCRATCH/a.db" "$IMG/disk.raw"
	"$ANALYZE" image --no-scan --db "$SCRATCH/e.db" "$IMG/disk.E01"
	stored=$(ewfinfo "$IMG/disk.E01" | awk '$1 == "MD5:" { print $2 }')
	[ -n "$stored" ]
	run sqlite3 "$SCRATCH/a.db" "select format, substr(sha256, 1, 9), media_md5 is null, verify is null from evidence where path = '$IMG/disk.raw'"
	[ "$output" = "raw|unhashed:|1|1" ]
	run sqlite3 "$SCRATCH/e.db" "select format, sha256, media_md5, verify is null from evidence where path = '$IMG/disk.E01'"
	[ "$output" = "ewf|ewf-md5:$stored|$stored|1" ]
	# --no-image-hash is the default, still accepted
	run "$ANALYZE" image --no-scan --no-image-hash --db "$SCRATCH/a.db" "$IMG/disk.raw"
	[ "$status" -eq 0 ]
	[[ "$output" == *"already in the case"* ]]
}

@test "image: a copy (--image-hash) and the E01 (stored MD5) of media in the case are not loaded again" {
	"$ANALYZE" image --no-scan --image-hash --db "$SCRATCH/c.db" "$IMG/disk.raw"
	n=$(sqlite3 "$SCRATCH/c.db" "select count(*) from files")
	[ "$n" -gt 0 ]
	cp "$IMG/disk.raw" "$SCRATCH/copy.raw"
	run "$ANALYZE" image --no-scan --image-hash --db "$SCRATCH/c.db" "$SCRATCH/copy.raw"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"copy.raw' is already in the case (evidence 1, same media hash)"* ]]
	run "$ANALYZE" image --db "$SCRATCH/c.db" "$IMG/disk.E01"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"disk.E01' is already in the case (evidence 1, same media MD5 as stored in the image: trusted, the media not read; --image-hash checks it)"* ]]
	# with scanning too: the copy's contents are not read
	run "$ANALYZE" image --image-hash --db "$SCRATCH/c.db" "$SCRATCH/copy.raw"
	[ "$status" -eq 0 ]
	[[ "$output" == *"already in the case"* ]]
	[[ "$output" == *" 0 scanned"* ]]
	[ "$(sqlite3 "$SCRATCH/c.db" "select count(*) from files")" = "$n" ]
	[ "$(sqlite3 "$SCRATCH/c.db" "select count(*) from evidence")" = 1 ]
	[ "$(sqlite3 "$SCRATCH/c.db" "select count(*) from events where evidence_id != 1")" = 0 ]
	# the other way round: the E01 first (its stored MD5), then the raw
	"$ANALYZE" image --no-scan --db "$SCRATCH/d.db" "$IMG/disk.E01"
	for opt in --no-scan --hash=sha256; do
		run "$ANALYZE" image $opt --image-hash --db "$SCRATCH/d.db" "$IMG/disk.raw"
		echo "$output"
		[ "$status" -eq 0 ]
		[[ "$output" == *"disk.raw' is already in the case (evidence 1, same media "* ]]
	done
	[ "$(sqlite3 "$SCRATCH/d.db" "select count(*) from evidence")" = 1 ]
	[ "$(sqlite3 "$SCRATCH/d.db" "select count(distinct evidence_id) from files")" = 1 ]
}

# tampered_e01 NAME: NAME.E01, an E01 of linux.raw (chunks not
# compressed) with one byte of file content changed inside a chunk, its
# stored MD5 (that of linux.raw) kept
tampered_e01() {
	ewfacquire -u -q -t "$1" -f encase6 -c none "$IMG/linux.raw" >/dev/null 2>&1
	python3 - "$1.E01" <<'PY'
import sys
p = sys.argv[1]
d = bytearray(open(p, 'rb').read())
i = d.find(b'0123456789abcdef0123456789abcdef')
assert i > 0
d[i] ^= 0x01
open(p, 'wb').write(d)
PY
}

@test "image: an E01 whose data does not match its stored MD5 is an error with --image-hash" {
	tampered_e01 "$SCRATCH/bad"
	run ewfverify -q "$SCRATCH/bad.E01"
	[ "$status" -ne 0 ]
	stored=$(ewfinfo "$SCRATCH/bad.E01" | awk '$1 == "MD5:" { print $2 }')
	[ "$stored" = "$(md5sum "$IMG/linux.raw" | cut -d' ' -f1)" ]
	run "$ANALYZE" image --no-scan --image-hash --db "$SCRATCH/bad.db" "$SCRATCH/bad.E01"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"bad.E01': media MD5 "*" does not match the MD5 stored in the image ($stored)"* ]]
	run sqlite3 "$SCRATCH/bad.db" "select verify, status, media_md5 != '$stored' from evidence"
	[ "$output" = "damaged|partial|1" ]
	run sqlite3 "$SCRATCH/bad.db" "select count(*) from log where level = 'error' and message like '%does not match the MD5 stored%'"
	[ "$output" = 1 ]
	# without --image-hash nothing is read to check it
	run "$ANALYZE" image --no-scan --db "$SCRATCH/bad2.db" "$SCRATCH/bad.E01"
	[ "$status" -eq 0 ]
}

@test "image: an E01 changed behind its stored MD5 is loaded with --image-hash, not skipped; without it the stored MD5 is said to be trusted" {
	ewfacquire -u -q -t "$SCRATCH/good" -f encase6 -c none "$IMG/linux.raw" >/dev/null 2>&1
	tampered_e01 "$SCRATCH/bad"
	stored=$(md5sum "$IMG/linux.raw" | cut -d' ' -f1)
	[ "$(ewfinfo "$SCRATCH/bad.E01" | awk '$1 == "MD5:" { print $2 }')" = "$stored" ]
	# the genuine E01 in the case, keyed by its stored MD5
	"$ANALYZE" image --no-scan --db "$SCRATCH/t.db" "$SCRATCH/good.E01"
	# without --image-hash: skipped by the stored MD5, and said so
	run "$ANALYZE" image --no-scan --db "$SCRATCH/t.db" "$SCRATCH/bad.E01"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"bad.E01' is already in the case (evidence 1, same media MD5 as stored in the image: trusted, the media not read; --image-hash checks it)"* ]]
	[[ "$output" == *"image: 1 of those already in case were found by the MD5 stored in an E01, trusted: their data was not read (--image-hash reads and checks it)"* ]]
	run --separate-stderr "$ANALYZE" image --no-scan --json --db "$SCRATCH/t.db" "$SCRATCH/bad.E01"
	[ "$status" -eq 0 ]
	python3 -c '
import json, sys
j = json.loads(sys.argv[1])
assert j["already"] == 1 and j["stored_md5_trusted"] == 1, j
assert j["inputs"][0]["status"] == "already", j
assert j["inputs"][0]["stored_md5_trusted"] is True, j
' "$output"
	[ "$(sqlite3 "$SCRATCH/t.db" "select count(*) from evidence")" = 1 ]
	# with --image-hash, the walk beside the hashing and with contents
	# read: the media is hashed before it is looked for; loaded, damaged
	for opt in --no-scan "--no-scan --hash sha256"; do
		rm -f "$SCRATCH"/u.db*
		"$ANALYZE" image --no-scan --db "$SCRATCH/u.db" "$SCRATCH/good.E01"
		run "$ANALYZE" image $opt --image-hash --db "$SCRATCH/u.db" "$SCRATCH/bad.E01"
		echo "$output"
		[ "$status" -eq 1 ]
		[[ "$output" != *"already in the case"* ]]
		[[ "$output" == *"bad.E01': media MD5 "*" does not match the MD5 stored in the image ($stored)"* ]]
		run sqlite3 "$SCRATCH/u.db" "select id, coalesce(verify, '-'), status, media_md5 = '$stored', length(media_md5) from evidence order by id"
		[ "${lines[0]}" = "1|-|complete|1|32" ]
		[ "${lines[1]}" = "2|damaged|partial|0|32" ]
		[ "$(sqlite3 "$SCRATCH/u.db" "select count(*) from files where evidence_id = 2")" -gt 0 ]
	done
	# an intact copy of the genuine E01 is still found, by its media hash
	cp "$SCRATCH/good.E01" "$SCRATCH/copy.E01"
	run "$ANALYZE" image --no-scan --image-hash --db "$SCRATCH/t.db" "$SCRATCH/copy.E01"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"copy.E01' is already in the case (evidence 1, same media "* ]]
	[[ "$output" != *"trusted"* ]]
	[ "$(sqlite3 "$SCRATCH/t.db" "select count(*) from evidence")" = 1 ]
}

@test "image: the same image twice is loaded once" {
	"$ANALYZE" image --no-scan --db "$SCRATCH/c.db" "$IMG/linux.raw"
	n=$(sqlite3 "$SCRATCH/c.db" "select count(*) from files")
	run "$ANALYZE" image --no-scan --db "$SCRATCH/c.db" "$IMG/linux.raw"
	[ "$status" -eq 0 ]
	[[ "$output" == *"already in the case"* ]]
	[ "$(sqlite3 "$SCRATCH/c.db" "select count(*) from files")" = "$n" ]
	[ "$(sqlite3 "$SCRATCH/c.db" "select count(*) from evidence")" = 1 ]
}

@test "image: a load that never finished is redone; one loader per case" {
	"$ANALYZE" image --db "$SCRATCH/r.db" --rules "$IMG/test.yar" "$IMG/linux.raw"
	want=$(sqlite3 "$SCRATCH/r.db" "select (select count(*) from files)||' '||(select count(*) from events)||' '||(select count(*) from yara_matches)")
	# what a kill half way leaves: the row 'loading', later rows absent
	sqlite3 "$SCRATCH/r.db" "update evidence set status = 'loading';
		create temp table gone as select id from files where id > (select max(id) / 2 from files);
		delete from yara_matches where file_id in gone;
		delete from events where record_table = 'files' and record_id in gone;
		delete from finding_links; delete from findings;
		delete from files where id in gone;"
	run "$ANALYZE" image --db "$SCRATCH/r.db" --rules "$IMG/test.yar" "$IMG/linux.raw"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"did not finish: loading it again"* ]]
	[ "$(sqlite3 "$SCRATCH/r.db" "select count(*)||' '||status from evidence")" = "1 complete" ]
	[ "$(sqlite3 "$SCRATCH/r.db" "select (select count(*) from files)||' '||(select count(*) from events)||' '||(select count(*) from yara_matches)")" = "$want" ]
	[ "$(sqlite3 "$SCRATCH/r.db" "pragma integrity_check")" = ok ]
	run flock "$SCRATCH/r.db" "$ANALYZE" image --no-scan --db "$SCRATCH/r.db" "$IMG/disk.raw"
	[ "$status" -eq 3 ]
	[[ "$output" == *"is being loaded by another irkit-analyze"* ]]
}

@test "image: --no-default-rules scans with the given rules only, no bundled IOC digests" {
	run "$ANALYZE" image --no-default-rules --rules "$IMG/test.yar" --db "$SCRATCH/o.db" "$IMG/linux.raw"
	echo "$output"
	[ "$status" -eq 0 ]
	# the deleted script matches the test rule; nothing else is loaded
	[ "$(sqlite3 "$SCRATCH/o.db" "select group_concat(distinct rule) from yara_matches")" = irkit_img_deleted ]
	# another rule set than the default run's (bundled + test rules)
	[ "$(sqlite3 "$SCRATCH/o.db" "select count(distinct rules_hash) from scan_cache")" -eq 1 ]
	[ "$(sqlite3 "$IMG/case.db" "select count(*) from scan_cache where rules_hash = '$(sqlite3 "$SCRATCH/o.db" "select rules_hash from scan_cache limit 1")'")" -eq 0 ]
	# the default run had the bundled SHA-1 list, so SHA-1 digests
	[ "$(sqlite3 "$IMG/case.db" "select count(*) from files where sha1 is not null")" -gt 0 ]
	[ "$(sqlite3 "$SCRATCH/o.db" "select count(*) from files where sha1 is not null or md5 is not null")" -eq 0 ]
	[ "$(sqlite3 "$SCRATCH/o.db" "select count(*) from files where sha256 is not null")" -gt 0 ]
}

@test "image: --no-scan keeps no hashes, --no-scan --hash sha256 does" {
	"$ANALYZE" image --no-scan --db "$SCRATCH/a.db" "$IMG/linux.raw"
	run sqlite3 "$SCRATCH/a.db" "select count(*) from files where sha256 is not null"
	[ "$output" = 0 ]
	"$ANALYZE" image --no-scan --hash sha256 --db "$SCRATCH/b.db" "$IMG/linux.raw"
	ino=$(inode_of "$IMG/linux.raw" home/alice/notes.txt)
	want=$(icat "$IMG/linux.raw" "$ino" | sha256sum | cut -d' ' -f1)
	run sqlite3 "$SCRATCH/b.db" "select sha256, md5 is null from files where path = '/home/alice/notes.txt'"
	[ "$output" = "$want|1" ]
}

@test "image: corrupt input is reported per item, the rest of the batch is done" {
	run "$ANALYZE" image --no-scan --db "$SCRATCH/bad.db" \
		"$IMG/corrupt/random.raw" "$IMG/corrupt/truncated.raw" \
		"$IMG/corrupt/nosuper.raw" "$SCRATCH/does-not-exist.raw" \
		$( [ -e "$IMG/corrupt/badhive.raw" ] && echo "$IMG/corrupt/badhive.raw" ) \
		"$IMG/linux.raw"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"random.raw"*"no file system"* ]]
	[[ "$output" == *"nosuper.raw"*"no file system"* ]]
	[[ "$output" == *"does-not-exist.raw"* ]]
	if [ -e "$IMG/corrupt/badhive.raw" ]; then
		[[ "$output" == *"badhive.raw"*"win_services"* ]]
	fi
	# the good image after them is complete
	compare_fls "$SCRATCH/bad.db" "$IMG/linux.raw" "0:ext4@0" 0
	run sqlite3 "$SCRATCH/bad.db" "select status from evidence where path = '$IMG/linux.raw'"
	[ "$output" = complete ]
	run sqlite3 "$SCRATCH/bad.db" "select status from evidence where path = '$IMG/corrupt/truncated.raw'"
	[ "$output" = partial ]
}

@test "image: usage errors exit 2" {
	run "$ANALYZE" image
	[ "$status" -eq 2 ]
	run "$ANALYZE" image --hash md4 x.raw
	[ "$status" -eq 2 ]
	run "$ANALYZE" image --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"--no-scan"* ]]
}

@test "image: Linux collectors in the image give the records irkit-collect gives on the same root" {
	[ -d "$IMG/root" ]
	mkdir -p "$SCRATCH/ev"
	"$COLLECT" --root "$IMG/root" -o "$SCRATCH/ev" >/dev/null 2>&1 || true
	arch=$(archive_in "$SCRATCH/ev")
	[ -n "$arch" ]
	"$ANALYZE" ingest --db "$SCRATCH/live.db" "$arch" >/dev/null 2>&1 || true
	"$ANALYZE" image --no-scan --db "$SCRATCH/img.db" "$IMG/linux.raw"
	q="select name, kind, enabled, exec_start, fragment_path, wanted_by, sha256 from services order by 1, 2, 5;
	   select kind, name, schedule, user, command, source_path from tasks order by 1, 2, 6;
	   select path, subject, sha256 from certificates order by 1"
	sqlite3 "$SCRATCH/live.db" "$q" >"$SCRATCH/live.txt"
	sqlite3 "$SCRATCH/img.db" "$q" >"$SCRATCH/img.txt"
	cat "$SCRATCH/img.txt"
	grep -q updater.service "$SCRATCH/img.txt"
	diff -u "$SCRATCH/live.txt" "$SCRATCH/img.txt"
	# the image's host comes from the root's own files
	run sqlite3 "$SCRATCH/img.db" "select hostname from hosts"
	[ "$output" = webhost01 ]
}

@test "image: export --format bodyfile of an image equals fls -r -m" {
	for i in linux.raw $( [ -e "$IMG/ntfs.raw" ] && echo ntfs.raw ); do
		rm -f "$SCRATCH/e.db"
		"$ANALYZE" image --no-scan --db "$SCRATCH/e.db" "$IMG/$i"
		"$ANALYZE" export --db "$SCRATCH/e.db" --format bodyfile | LC_ALL=C sort >"$SCRATCH/exp"
		fls -r -m / "$IMG/$i" | LC_ALL=C sort >"$SCRATCH/fls"
		diff -u "$SCRATCH/fls" "$SCRATCH/exp"
	done
}

@test "image: a raw image and its E01 are the same media: the second is not loaded, nothing doubles (md5sum, ewfinfo)" {
	stored=$(ewfinfo "$IMG/disk.E01" | awk '$1 == "MD5:" { print $2 }')
	[ "$stored" = "$(md5sum < "$IMG/disk.raw" | cut -d' ' -f1)" ]
	counts() {
		sqlite3 "$1" "select (select count(*) from evidence)||' '||(select count(*) from files)||' '||(select count(*) from events)||' '||(select count(*) from findings)||' '||(select count(*) from services)"
	}
	# the raw image first, then its E01, and the other way round (no --image-hash)
	for pair in "re disk.raw disk.E01" "er disk.E01 disk.raw"; do
		set -- $pair
		"$ANALYZE" image --no-scan --db "$SCRATCH/$1.db" "$IMG/$2"
		before=$(counts "$SCRATCH/$1.db")
		run "$ANALYZE" image --no-scan --db "$SCRATCH/$1.db" "$IMG/$3"
		echo "$output"
		[ "$status" -eq 0 ]
		[[ "$output" == *"$3' is already in the case (evidence 1, same media MD5"* ]]
		# the E01's own MD5 was not read but trusted: said
		if [ "$3" = disk.E01 ]; then
			[[ "$output" == *"as stored in the image: trusted, the media not read"* ]]
		else
			[[ "$output" == *"(evidence 1, same media MD5)"* ]]
		fi
		[ "$(counts "$SCRATCH/$1.db")" = "$before" ]
		# the media MD5 was read where it was missing, and kept: md5sum's
		[ "$(sqlite3 "$SCRATCH/$1.db" "select media_md5 from evidence")" = "$stored" ]
	done
	# other media of another size is loaded as usual
	run "$ANALYZE" image --no-scan --db "$SCRATCH/er.db" "$IMG/linux.raw"
	[ "$status" -eq 0 ]
	[ "$(sqlite3 "$SCRATCH/er.db" "select count(*) from evidence")" -eq 2 ]
}

@test "image -j 2: a batch of same-size images is hashed ahead; a copy in the batch or the case is found by its SHA-256; the same case as -j 1 (sha256sum, md5sum)" {
	for i in a b; do
		cp "$IMG/linux.raw" "$SCRATCH/$i.raw"
		printf 'disk %s' "$i" | dd of="$SCRATCH/$i.raw" bs=1 seek=$((16 * 1024 * 1024 - 16)) conv=notrunc 2>/dev/null
	done
	cp "$SCRATCH/a.raw" "$SCRATCH/c.raw"
	[ "$(stat -c %s "$SCRATCH/a.raw")" = "$(stat -c %s "$SCRATCH/b.raw")" ]
	rows() {
		sqlite3 "$1" "select path||' '||coalesce(media_sha256, '-')||' '||coalesce(media_md5, '-')||' '||status from evidence order by id; select count(*) from files; select count(*) from events"
	}
	for j in 1 2; do
		run "$ANALYZE" image --no-scan -j "$j" --db "$SCRATCH/j$j.db" "$SCRATCH/a.raw" "$SCRATCH/b.raw" "$SCRATCH/c.raw"
		echo "$output"
		[ "$status" -eq 0 ]
		[[ "$output" == *"c.raw' is already in the case (evidence 1, same media SHA-256)"* ]]
		[[ "$output" == *"2 loaded, 1 already in case, 0 failed"* ]]
		# said when the thread reads them: -j 2 only
		if [ "$j" = 2 ]; then
			[[ "$output" == *"3 image(s) of the same media size as another in the batch or the case: their media hash is read ahead"* ]]
		else
			[[ "$output" != *"read ahead"* ]]
		fi
	done
	# the oracle: sha256sum of each file; no MD5 was needed (raw
	# images only); both runs made the same case
	for i in a b; do
		[ "$(sqlite3 "$SCRATCH/j2.db" "select media_sha256 from evidence where path = '$SCRATCH/$i.raw'")" = "$(sha256sum < "$SCRATCH/$i.raw" | cut -d' ' -f1)" ]
	done
	[ "$(sqlite3 "$SCRATCH/j2.db" "select count(*) from evidence where media_md5 is not null")" -eq 0 ]
	[ "$(rows "$SCRATCH/j1.db")" = "$(rows "$SCRATCH/j2.db")" ]
	# the copy's partner already in the case, from an earlier run
	"$ANALYZE" image --no-scan -j 2 --db "$SCRATCH/k.db" "$SCRATCH/a.raw" 2>/dev/null
	run "$ANALYZE" image --no-scan -j 2 --db "$SCRATCH/k.db" "$SCRATCH/c.raw" "$SCRATCH/b.raw" "$SCRATCH/a.raw"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"c.raw' is already in the case (evidence 1, same media SHA-256)"* ]]
	[[ "$output" == *"a.raw' is already in the case (evidence 1, same file)"* ]]
	# a.raw, in the case by its key, is not read again
	[[ "$output" == *"2 image(s) of the same media size"* ]]
	[ "$(sqlite3 "$SCRATCH/k.db" "select count(*) from evidence")" -eq 2 ]
	# an unreadable image in the batch is said and the others load
	run "$ANALYZE" image --no-scan -j 2 --db "$SCRATCH/m.db" "$SCRATCH/none.raw" "$SCRATCH/a.raw" "$SCRATCH/c.raw"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"none.raw"* ]]
	[[ "$output" == *"c.raw' is already in the case (evidence 1, same media SHA-256)"* ]]
	# an E01 known by its stored MD5 and its raw image in one batch: the
	# raw image's MD5 is read ahead (md5sum, ewfinfo), as with -j 1
	stored=$(ewfinfo "$IMG/disk.E01" | awk '$1 == "MD5:" { print $2 }')
	for j in 1 2; do
		run "$ANALYZE" image --no-scan -j "$j" --db "$SCRATCH/e$j.db" "$IMG/disk.E01" "$IMG/disk.raw"
		echo "$output"
		[ "$status" -eq 0 ]
		[[ "$output" == *"disk.raw' is already in the case (evidence 1, same media MD5)"* ]]
		if [ "$j" = 2 ]; then
			[[ "$output" == *"1 image(s) of the same media size"* ]]
		fi
		[ "$(sqlite3 "$SCRATCH/e$j.db" "select count(*)||' '||media_md5 from evidence")" = "1 $stored" ]
	done
	[ "$stored" = "$(md5sum < "$IMG/disk.raw" | cut -d' ' -f1)" ]
	# a raw image first, its E01 second: the E01 trusts its stored MD5,
	# the raw image's MD5 is read from its file and kept
	run "$ANALYZE" image --no-scan -j 2 --db "$SCRATCH/r2.db" "$IMG/disk.raw" "$IMG/disk.E01"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"disk.E01' is already in the case (evidence 1, same media MD5 as stored in the image: trusted"* ]]
	[ "$(sqlite3 "$SCRATCH/r2.db" "select count(*)||' '||media_md5 from evidence")" = "1 $stored" ]
	# a row as an irkit older than media_sha256 left it (its media MD5
	# only), its file no longer the one loaded: a copy is compared by MD5
	sqlite3 "$SCRATCH/j1.db" "update evidence set media_sha256 = null, media_md5 = '$(md5sum < "$SCRATCH/a.raw" | cut -d' ' -f1)' where path = '$SCRATCH/a.raw'"
	touch -d '2024-01-01 00:00:00Z' "$SCRATCH/a.raw"
	cp "$SCRATCH/a.raw" "$SCRATCH/d.raw"
	run "$ANALYZE" image --no-scan -j 1 --db "$SCRATCH/j1.db" "$SCRATCH/d.raw"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"d.raw' is already in the case (evidence 1, same media MD5)"* ]]
}

@test "image: cron next-run times are after the image's own time (its file's mtime), not the load's: a reload gives the same (GNU date)" {
	cp "$IMG/linux.raw" "$SCRATCH/t.raw"
	touch -d '2024-03-01 10:02:30Z' "$SCRATCH/t.raw"
	for db in a b; do
		"$ANALYZE" image -q --no-scan --db "$SCRATCH/$db.db" "$SCRATCH/t.raw"
	done
	q="select schedule||' '||coalesce(next_run, '-') from tasks where kind = 'cron' order by schedule"
	run sqlite3 "$SCRATCH/a.db" "$q"
	echo "$output"
	# the oracle: GNU date for the next */5 minute and the next 03:17 UTC
	[[ "$output" == *"*/5 * * * * $(date -u -d '2024-03-01 10:05:00Z' +%s)000000"* ]]
	[[ "$output" == *"17 3 * * * $(date -u -d '2024-03-02 03:17:00Z' +%s)000000"* ]]
	[[ "$output" == *"@reboot -"* ]]
	[ "$output" = "$(sqlite3 "$SCRATCH/b.db" "$q")" ]
}

@test "image: what is not a disk image is refused, no evidence row; the other images load" {
	cp /etc/passwd "$SCRATCH/passwd"
	head -c 1048576 /dev/zero > "$SCRATCH/zeros.raw"
	# oracle: TSK's own tools find neither a partition table nor a file system
	run mmls "$SCRATCH/passwd"
	[ "$status" -ne 0 ]
	run fsstat "$SCRATCH/zeros.raw"
	[ "$status" -ne 0 ]
	run "$ANALYZE" image --no-scan --db "$SCRATCH/n.db" "$SCRATCH/passwd" "$SCRATCH/zeros.raw" "$IMG/linux.raw"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"'$SCRATCH/passwd' is not a disk image"* ]]
	[[ "$output" == *"'$SCRATCH/zeros.raw' is not a disk image"* ]]
	[ "$(sqlite3 "$SCRATCH/n.db" "select count(*) from evidence")" -eq 1 ]
	[ "$(sqlite3 "$SCRATCH/n.db" "select count(*) from evidence where path = '$IMG/linux.raw' and status = 'complete'")" -eq 1 ]
}

@test "image: a second image with the same file counts its match from the scan cache; --json and -q" {
	"$ANALYZE" image --db "$SCRATCH/m.db" --rules "$IMG/test.yar" "$IMG/linux.raw" 2>/dev/null
	run "$ANALYZE" image --db "$SCRATCH/m.db" --rules "$IMG/test.yar" "$IMG/gpt.raw"
	echo "$output"
	[ "$status" -eq 0 ]
	m=$(sqlite3 "$SCRATCH/m.db" "select count(*) from yara_matches y join files f on f.id = y.file_id where f.evidence_id = 2")
	f=$(sqlite3 "$SCRATCH/m.db" "select count(*) from findings where evidence_id = 2")
	[ "$m" -ge 1 ]
	[ "$f" -ge 1 ]
	[[ "$output" == *" $m matches ($m from the scan cache), $f findings added"* ]]
	# --json: one object on stdout
	"$ANALYZE" image --db "$SCRATCH/j.db" --rules "$IMG/test.yar" "$IMG/linux.raw" 2>/dev/null
	"$ANALYZE" image --json --db "$SCRATCH/j.db" --rules "$IMG/test.yar" "$IMG/gpt.raw" "$IMG/linux.raw" > "$SCRATCH/j.json" 2>/dev/null
	python3 - "$SCRATCH/j.json" "$m" "$f" <<'PY'
import json, sys
lines = open(sys.argv[1]).read().splitlines()
assert len(lines) == 1, lines
o = json.loads(lines[0])
m, f = int(sys.argv[2]), int(sys.argv[3])
assert o["matches"] == m and o["matches_cached"] == m and o["findings"] == f, o
assert o["exit"] == 0 and o["images"] == 1 and o["already"] == 1, o
assert [i["status"] for i in o["inputs"]] == ["loaded", "already"], o
assert o["inputs"][0]["files"] > 0 and o["events"] > 0, o
PY
	# -q: nothing on a clean run, only the error otherwise
	"$ANALYZE" image -q --no-scan --db "$SCRATCH/q.db" "$IMG/linux.raw" > "$SCRATCH/out" 2> "$SCRATCH/err"
	[ ! -s "$SCRATCH/out" ]
	[ ! -s "$SCRATCH/err" ]
	run "$ANALYZE" image -q --no-scan --db "$SCRATCH/q.db" /etc/passwd "$IMG/linux.raw"
	[ "$status" -eq 1 ]
	[ "${#lines[@]}" -eq 1 ]
	[[ "$output" == *"not a disk image"* ]]
}

@test "image: a rule file that does not compile is an error in the log, exit 1; only broken --rules is fatal" {
	printf 'rule broken_one {\n  condition:\n    no_such_identifier\n}\n' > "$SCRATCH/broken.yar"
	run yara "$SCRATCH/broken.yar" /dev/null
	[ "$status" -ne 0 ]
	run "$ANALYZE" image --db "$SCRATCH/b.db" --no-default-rules --rules "$SCRATCH/broken.yar" --rules "$IMG/test.yar" "$IMG/linux.raw"
	echo "$output"
	[ "$status" -eq 1 ]
	[ "$(sqlite3 "$SCRATCH/b.db" "select count(*) from log where level = 'error' and component = 'rules' and message like '%broken.yar:%'")" -eq 1 ]
	[ "$(sqlite3 "$SCRATCH/b.db" "select count(*) from yara_matches where rule like 'irkit_img_%'")" -ge 1 ]
	run "$ANALYZE" image --db "$SCRATCH/o.db" --rules "$SCRATCH/broken.yar" "$IMG/linux.raw"
	echo "$output"
	[ "$status" -eq 3 ]
	[ "$(sqlite3 "$SCRATCH/o.db" "select count(*) from evidence")" -eq 0 ]
}

# A FAT volume holding /Windows/System32/config/{SYSTEM,SOFTWARE}: hives
# made with mkhive.py and hivexsh, SYSTEM with three services.
win_fat() {
	local h=$SCRATCH/hives
	mkdir -p "$h"
	python3 "$IRKIT_SRC"/tests/gen/mkhive.py "$h"/SYSTEM
	python3 "$IRKIT_SRC"/tests/gen/mkhive.py "$h"/SOFTWARE
	{
		printf 'add Select\ncd Select\nsetval 1\nCurrent\ndword:0x1\ncd \\\n'
		printf 'add ControlSet001\ncd ControlSet001\nadd Services\ncd Services\n'
		for s in Alpha EvilSvc Omega; do
			printf 'add %s\ncd %s\nsetval 2\nType\ndword:0x10\n' "$s" "$s"
			printf 'ImagePath\nstring:C:\\%s.exe\ncd ..\n' "$s"
		done
		printf 'commit\n'
	} | hivexsh -w "$h"/SYSTEM
	"$@"
	truncate -s 4M "$SCRATCH/win.raw"
	mkfs.vfat -n WIN "$SCRATCH/win.raw" >/dev/null
	export MTOOLS_SKIP_CHECK=1
	mmd -i "$SCRATCH/win.raw" ::/Windows ::/Windows/System32 \
		::/Windows/System32/config
	mcopy -i "$SCRATCH/win.raw" "$h"/SYSTEM "$h"/SOFTWARE \
		::/Windows/System32/config/
	if [ -d "$SCRATCH/tasks" ]; then
		mcopy -s -i "$SCRATCH/win.raw" "$SCRATCH/tasks" ::/Windows/System32/Tasks
	fi
}

@test "image: a hive key claiming 2^30 values is an error, not a hang; the other services load" {
	# the clean hive first: the oracle for what the hostile one must keep
	win_fat true
	run timeout 30 "$ANALYZE" image --no-scan --db "$SCRATCH/ok.db" "$SCRATCH/win.raw"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(sqlite3 "$SCRATCH/ok.db" "select group_concat(name) from (select name from services order by 1)")" = Alpha,EvilSvc,Omega ]
	rm -rf "$SCRATCH/hives" "$SCRATCH/win.raw"
	win_fat python3 "$IRKIT_SRC"/tests/gen/hive_count.py "$SCRATCH/hives/SYSTEM" EvilSvc values 0x40000000
	# regfexport (libregf-utils) takes many seconds on the same key
	start=$(date +%s)
	run timeout 30 "$ANALYZE" image --no-scan --db "$SCRATCH/bad.db" "$SCRATCH/win.raw"
	echo "$output"
	[ "$status" -eq 1 ]
	[ $(( $(date +%s) - start )) -lt 10 ]
	# stderr escapes the backslashes of the key path (irk_safe_fprintf)
	[[ "$output" == *"win_services"*"Services"*"EvilSvc' claims 1073741824 values"* ]]
	run sqlite3 "$SCRATCH/bad.db" "select status from evidence"
	[ "$output" = partial ]
	run sqlite3 "$SCRATCH/bad.db" "select count(*) from log where level = 'error' and path = '/Windows/System32/config/SYSTEM' and message like 'key ''\\ControlSet001\\Services\\EvilSvc'' claims 1073741824 values%'"
	[ "$output" = 1 ]
	run sqlite3 "$SCRATCH/bad.db" "select group_concat(name) from (select name from services order by 1)"
	[ "$output" = Alpha,Omega ]
}

@test "image: a hive key claiming 2^30 sub-keys is an error; the other services load" {
	win_fat python3 "$IRKIT_SRC"/tests/gen/hive_count.py "$SCRATCH/hives/SYSTEM" Omega subkeys 0x40000000
	run timeout 30 "$ANALYZE" image --no-scan --db "$SCRATCH/bad.db" "$SCRATCH/win.raw"
	echo "$output"
	[ "$status" -eq 1 ]
	run sqlite3 "$SCRATCH/bad.db" "select status from evidence"
	[ "$output" = partial ]
	run sqlite3 "$SCRATCH/bad.db" "select count(*) from log where level = 'error' and message like 'key ''\\ControlSet001\\Services\\Omega'' claims 1073741824 sub-keys%'"
	[ "$output" = 1 ]
	run sqlite3 "$SCRATCH/bad.db" "select group_concat(name) from (select name from services order by 1)"
	[ "$output" = Alpha,EvilSvc,Omega ]
}

@test "image: a service key libregf cannot open is named; the other services load" {
	# one sub-key, its list far outside the hive: libregf cannot open the
	# key (and leaks its key item, tests/lsan.supp: ./build.sh asan)
	win_fat sh -c 'python3 "$1" "$2" Omega subkeys 1 &&
		python3 "$1" "$2" Omega subkey-list 0x7ffffff0' sh \
		"$IRKIT_SRC"/tests/gen/hive_count.py "$SCRATCH/hives/SYSTEM"
	run timeout 30 "$ANALYZE" image --no-scan --db "$SCRATCH/bad.db" "$SCRATCH/win.raw"
	echo "$output"
	# an error naming the hive and the key: the image is partial, exit 1
	[ "$status" -eq 1 ]
	[[ "$output" == *"win_services: /Windows/System32/config/SYSTEM: key '"*"Services': sub-key 3 of 3 cannot be read (libregf: "*"that service is not listed"* ]]
	run sqlite3 "$SCRATCH/bad.db" "select count(*) from log where level = 'error' and path = '/Windows/System32/config/SYSTEM' and message like 'key ''\ControlSet001\Services'': sub-key 3 of 3 cannot be read (libregf: %'"
	[ "$output" = 1 ]
	run sqlite3 "$SCRATCH/bad.db" "select status from evidence"
	[ "$output" = partial ]
	run sqlite3 "$SCRATCH/bad.db" "select group_concat(name) from (select name from services order by 1)"
	[ "$output" = Alpha,EvilSvc ]
}

@test "image: a full disk stops the load with the case's path and what was written, no summary" {
	# an ext4 image of 3000 files (mkfs.ext4 -d): a case of more than 768 KiB
	python3 - "$SCRATCH/many" <<'PY'
import os, sys
for i in range(3000):
	d = os.path.join(sys.argv[1], "d%d" % (i % 30))
	os.makedirs(d, exist_ok=True)
	with open(os.path.join(d, "file-with-a-longish-name-%06d.txt" % i), "w") as f:
		f.write("x%d\n" % i)
PY
	truncate -s 32M "$SCRATCH/many.raw"
	mkfs.ext4 -q -F -d "$SCRATCH/many" "$SCRATCH/many.raw"
	full_fs "$SCRATCH/full" 1600k
	run "$ANALYZE" image --no-scan --db "$SCRATCH/full/case.db" "$SCRATCH/many.raw"
	echo "$output"
	[ "$status" -eq 3 ]
	[[ "$output" == *"cannot write "*" to the case '$SCRATCH/full/case.db': database or disk is full"* ]]
	[ "$(grep -c 'database or disk is full' <<< "$output")" -eq 1 ]
	[[ "$output" != *" loaded, "* ]]
	[[ "$output" == *"the load stopped at the error above"* ]]
	# --json: exit 3 and the message
	full_fs_gone "$SCRATCH/full"
	full_fs "$SCRATCH/full" 1600k
	rc=0
	"$ANALYZE" image --json --no-scan --db "$SCRATCH/full/case.db" "$SCRATCH/many.raw" > "$SCRATCH/out.json" 2>/dev/null || rc=$?
	[ "$rc" -eq 3 ]
	python3 - "$SCRATCH/full/case.db" "$SCRATCH/out.json" <<'PY'
import json, sys
o = json.load(open(sys.argv[2]))
assert o["exit"] == 3, o
assert "database or disk is full" in o["error"] and sys.argv[1] in o["error"], o
PY
}

@test "image: a task file that is not a task's XML is an error naming it; the image is partial, exit 1; the good task loads" {
	mkdir -p "$SCRATCH/tasks/Sub"
	printf '<?xml version="1.0"?>\n<Task xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task"><Actions><Exec><Command>C:\\good.exe</Command></Exec></Actions></Task>\n' >"$SCRATCH/tasks/Good"
	printf 'this is not XML at all <<<' >"$SCRATCH/tasks/Broken"
	printf '<?xml version="1.0"?><NotATask/>' >"$SCRATCH/tasks/Sub/Other"
	win_fat true
	run "$ANALYZE" image --no-scan --db "$SCRATCH/t.db" "$SCRATCH/win.raw"
	echo "$output"
	[ "$status" -eq 1 ]
	# stderr escapes the backslash (irk_safe_fprintf)
	[[ "$output" == *"win_tasks: /Windows/System32/Tasks/Broken: task '\\\\Broken': not XML"* ]]
	run sqlite3 "$SCRATCH/t.db" "select path, message from log where level = 'error' order by path"
	[ "${#lines[@]}" -eq 2 ]
	[[ "${lines[0]}" == "/Windows/System32/Tasks/Broken|task '\\Broken': not XML"* ]]
	[ "${lines[1]}" = "/Windows/System32/Tasks/Sub/Other|task '\\Sub\\Other': XML but not a task" ]
	run sqlite3 "$SCRATCH/t.db" "select status from evidence"
	[ "$output" = partial ]
	run sqlite3 "$SCRATCH/t.db" "select name, command from tasks where kind = 'windows-task'"
	[ "$output" = '\Good|C:\good.exe' ]
}

@test "image: an ext4 inode that claims 1.7 GB of inline data does not make TSK allocate it; the names are fls's, partial, exit 1" {
	# fls on the same image allocates and zeroes what the inode claims
	# (3.4 GB, 20 s here); the oracle is fls on the image before the
	# inode is changed (the names do not change)
	mkdir -p "$SCRATCH/inl/etc"
	printf 'host\n' >"$SCRATCH/inl/etc/hostname"
	printf 'other\n' >"$SCRATCH/inl/etc/other"
	truncate -s 4M "$SCRATCH/inl.raw"
	mke2fs -q -F -t ext4 -d "$SCRATCH/inl" "$SCRATCH/inl.raw"
	fls -r -m / "$SCRATCH/inl.raw" | cut -d'|' -f2 | sort >"$SCRATCH/fls.txt"
	debugfs -w -R "set_inode_field /etc/hostname flags 0x10000000" "$SCRATCH/inl.raw"
	debugfs -w -R "set_inode_field /etc/hostname size 1744898048" "$SCRATCH/inl.raw"
	run /usr/bin/time -f '%M' -o "$SCRATCH/rss" "$ANALYZE" image --no-scan \
		--db "$SCRATCH/inl.db" "$SCRATCH/inl.raw"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"TSK asked for more memory than the image holds"*"up to 1744898048 bytes"* ]]
	rss=$(tail -1 "$SCRATCH/rss")
	echo "peak RSS $rss kB"
	[ -n "${IRK_ASAN:-}" ] || [ "$rss" -le 262144 ]
	sqlite3 "$SCRATCH/inl.db" "select path from files" | sort >"$SCRATCH/ours.txt"
	diff "$SCRATCH/fls.txt" "$SCRATCH/ours.txt"
	run sqlite3 "$SCRATCH/inl.db" "select status from evidence; select size from files where path = '/etc/hostname'; select count(*) from log where level = 'warn' and message like '%more memory than the image holds%'"
	[ "${lines[0]}" = partial ]
	[ "${lines[1]}" = 1744898048 ]
	[ "${lines[2]}" = 1 ]
}

@test "image: a file whose indirect blocks point at the same blocks over and over, and a directory of holes: bounded, the names fls lists" {
	# libtsk appends a file's runs walking the whole list each time
	# (quadratic) and goes on through every indirect block after the
	# file's end.  /etc/hostname (the host row reads it: /etc and /usr
	# make a Linux root) claims 16 GiB through one triple indirect
	# block whose pointers all lead to one block of pointers alternating
	# between two data blocks: 16 million runs (irkit before: over 60 s
	# and no end in sight; fls -r -m does not load the runs).  /d claims
	# 1 GiB of holes after its one block of names (fls: 30 s here),
	# which irkit reads without (a hole holds no name).
	mkdir -p "$SCRATCH/runs/d" "$SCRATCH/runs/etc" "$SCRATCH/runs/usr"
	printf 'a\n' >"$SCRATCH/runs/d/a"
	printf 'b\n' >"$SCRATCH/runs/d/b"
	printf 'host\n' >"$SCRATCH/runs/etc/hostname"
	truncate -s 2M "$SCRATCH/runs.raw"
	mke2fs -q -F -t ext2 -b 1024 -d "$SCRATCH/runs" "$SCRATCH/runs.raw"
	fls -r -m / "$SCRATCH/runs.raw" | cut -d'|' -f2 | sort >"$SCRATCH/fls.txt"
	grep -qx /d/a "$SCRATCH/fls.txt"
	ptrs() { perl -e 'print pack("V*", @ARGV)' "$@"; }
	# block 1900 -> 256 x 1901 -> 256 x 1902 -> 1950, 1960, 1950, ...
	ptrs $(yes 1901 | head -256) | dd of="$SCRATCH/runs.raw" bs=1024 seek=1900 conv=notrunc status=none
	ptrs $(yes 1902 | head -256) | dd of="$SCRATCH/runs.raw" bs=1024 seek=1901 conv=notrunc status=none
	ptrs $(yes '1950 1960' | head -128) | dd of="$SCRATCH/runs.raw" bs=1024 seek=1902 conv=notrunc status=none
	debugfs -w -R "set_inode_field /etc/hostname block[TIND] 1900" "$SCRATCH/runs.raw"
	debugfs -w -R "set_inode_field /etc/hostname size 17179869184" "$SCRATCH/runs.raw"
	debugfs -w -R "set_inode_field /d size 1073741824" "$SCRATCH/runs.raw"
	run timeout 300 "$ANALYZE" image --no-scan --db "$SCRATCH/runs.db" "$SCRATCH/runs.raw"
	echo "$output"
	[ "$status" -eq 1 ]
	ino=$(debugfs -R "stat /etc/hostname" "$SCRATCH/runs.raw" | sed -n 's/^Inode: \([0-9]*\) .*/\1/p')
	[[ "$output" == *"a file's list of blocks went past what the volume can hold"*"the last inode $ino: such a file is not read"* ]]
	ino=$(debugfs -R "stat /d" "$SCRATCH/runs.raw" | sed -n 's/^Inode: \([0-9]*\) .*/\1/p')
	[[ "$output" == *"directories with holes (which hold no names) read without them, "*" time(s), the last inode $ino"* ]]
	sqlite3 "$SCRATCH/runs.db" "select path from files" | sort >"$SCRATCH/ours.txt"
	diff "$SCRATCH/fls.txt" "$SCRATCH/ours.txt"
	run sqlite3 "$SCRATCH/runs.db" "select status from evidence; select size from files where path = '/etc/hostname'; select size from files where path = '/d'"
	[ "${lines[0]}" = partial ]
	[ "${lines[1]}" = 17179869184 ]
	[ "${lines[2]}" = 1073741824 ]
}
