#!/usr/bin/env bats
#
# The systemd journal: the journal_files collector (collectors/
# journal_files.c) copies the files raw; irkit-analyze's journal collector
# (analyzer/journal.c, journal_read.c) reads them with libsystemd into
# journal_entry and journal_file records.
#
# Fixtures are built at test time from export format text
# (journal_make.py) by systemd-journal-remote, damaged by
# journal_corrupt.py.  Oracles: journalctl --file F -o json --all (the
# entries, cursors, times and fields), sha256sum (the copies), GNU tar,
# sqlite3.  Images: mkfs.ext4 -d without extents (TSK 4.11 cannot read
# the many-extent sparse files mkfs makes of journal files: "No filler
# entry").
load helpers

MID=3d1219c7c4c5404aaa1f6d2a48adfda4

setup() {
	command -v /lib/systemd/systemd-journal-remote >/dev/null ||
		skip "no systemd-journal-remote"
	setup_scratch
	cd "$SCRATCH"
	export LC_ALL=C.UTF-8
	R=$SCRATCH/root
	J=$R/var/log/journal/$MID
	mkdir -p "$R/etc" "$R/usr" "$J"
}

teardown() {
	teardown_scratch
}

# mkjournal KIND OUT [N]: a journal file made by systemd-journal-remote
mkjournal() {
	python3 "$BATS_TEST_DIRNAME/journal_make.py" "$1" ${3:-} |
		/lib/systemd/systemd-journal-remote -o "$2" - 2>/dev/null
	[ -s "$2" ]
}

# image ROOT: $SCRATCH/img.db, the root in an ext4 image read by image
image() {
	rm -f "$SCRATCH/r.raw"
	truncate -s 96M "$SCRATCH/r.raw"
	mkfs.ext4 -q -F -O ^extent,^64bit -d "$1" "$SCRATCH/r.raw"
	"$ANALYZE" image -q --no-scan --db "$SCRATCH/img.db" "$SCRATCH/r.raw" \
		2> "$SCRATCH/image.err" || true
}

# oracle FILE...: journalctl's entries as irkit stores them, one JSON line
# each, sorted by cursor
oracle() {
	for f in "$@"; do
		journalctl --file "$f" -o json --all
	done | python3 "$BATS_TEST_DIRNAME/journal_oracle.py" oracle
}

# ours DB: the journal_entries rows of DB the same way
ours() {
	sqlite3 -json "$1" "SELECT cursor, time, monotonic_us, boot_id,
	    hostname, unit, identifier, pid, uid, gid, comm, exe, cmdline,
	    priority, transport, message, message_cut FROM journal_entries" |
		python3 "$BATS_TEST_DIRNAME/journal_oracle.py" ours
}

@test "journal: journal_files copies system, user, dirty and volatile journals as they are, no link followed" {
	mkjournal basic "$J/system.journal"
	mkjournal back "$J/user-1000.journal"
	cp "$J/system.journal" "$J/system@0005f1-0123.journal~"
	# the dirty copy is older: the newest is copied first, the same
	# content after it is stored once
	touch -d @1700000000 "$J/system@0005f1-0123.journal~"
	mkdir -p "$R/run/log/journal/$MID" "$R/var/log/journal/remote"
	mkjournal late "$R/run/log/journal/$MID/system.journal"
	mkjournal back "$R/var/log/journal/remote/remote-10.0.0.1.journal"
	echo not a journal > "$J/notes.txt"
	ln -s /etc/shadow "$J/link.journal"
	mkdir -p "$J/deeper/more"
	mkjournal late "$J/deeper/more/too-deep.journal"
	"$COLLECT" -q -o "$SCRATCH/c.tar.zst" --root "$R" --only journal_files
	mkdir x && tar --zstd -xf "$SCRATCH/c.tar.zst" -C x
	got=$(cd x/*/files && find . -type f | sort)
	want=$(printf '%s\n' "./run/log/journal/$MID/system.journal" \
	    "./var/log/journal/$MID/system.journal" \
	    "./var/log/journal/$MID/user-1000.journal" \
	    "./var/log/journal/remote/remote-10.0.0.1.journal" | sort)
	[ "$got" = "$want" ]
	grep -q '"path":"/var/log/journal/'$MID'/system@0005f1-0123.journal~".*"stored_as":"/var/log/journal/'$MID'/system.journal"' x/*/records/journal_files.jsonl
	# the copies are the files, byte for byte
	(cd x/*/files && sha256sum $(find . -type f | sort)) > got
	(cd "$R" && sha256sum $want) > want
	diff want got
	! grep -q 'shadow\|link.journal\|notes.txt\|too-deep' x/*/records/journal_files.jsonl || false
}

@test "journal: --journal-max keeps the newest files of a folder and names those left out in the log" {
	mkjournal basic "$J/system@a-1.journal"
	mkjournal back "$J/system@b-2.journal"
	mkjournal late "$J/system.journal"
	touch -d @1700000000 "$J/system@a-1.journal"
	touch -d @1700001000 "$J/system@b-2.journal"
	touch -d @1700002000 "$J/system.journal"
	run "$COLLECT" -q -o "$SCRATCH/c.tar.zst" --root "$R" --only journal_files --journal-max 17M
	[ "$status" -eq 1 ]
	tar --zstd -tf "$SCRATCH/c.tar.zst" | grep '\.journal$' | sed 's|.*/||' | sort > got
	printf 'system.journal\nsystem@b-2.journal\n' | diff - got
	tar --zstd -xOf "$SCRATCH/c.tar.zst" --wildcards '*/log.jsonl' > log.jsonl
	grep -q '"collector":"journal_files".*"path":"/var/log/journal".*journal cap of 17825792 bytes reached: 1 file(s) of 8388608 bytes left out, the newest .*system@a-1.journal' log.jsonl
	run "$COLLECT" -q -o "$SCRATCH/d.tar.zst" --root "$R" --only journal_files --journal-max 0
	[ "$status" -eq 2 ]
	[[ "$output" == *"--journal-max: bad size '0'"* ]]
}

@test "journal: entries in an ext4 image equal journalctl's (cursors, times, fields, compressed and cut messages, binary bytes, two boots)" {
	command -v mkfs.ext4 >/dev/null || skip "no mkfs.ext4"
	mkjournal basic "$J/system.journal"
	mkjournal back "$J/user-1000.journal"
	# the long messages are stored compressed (zstd): not in the file
	# as text
	! grep -q 'compressed 00100' "$J/system.journal" || false
	journalctl --file "$J/system.journal" --header | grep -q 'COMPRESSED-'
	image "$R"
	oracle "$J/system.journal" "$J/user-1000.journal" > want
	ours "$SCRATCH/img.db" > got
	[ "$(wc -l < want)" -eq 13 ]
	diff want got
	# the times are UTC, said so; the boots apart
	[ "$(sqlite3 img.db "SELECT count(DISTINCT boot_id) FROM journal_entries WHERE path GLOB '*system.journal'")" -eq 2 ]
	[ "$(sqlite3 img.db "SELECT DISTINCT ts_how FROM journal_entries")" = utc ]
	# one timeline event per entry, naming identifier, unit and message
	[ "$(sqlite3 img.db "SELECT count(*) FROM events WHERE source = 'JOURNAL'")" -eq 13 ]
	sqlite3 img.db "SELECT message FROM events WHERE source = 'JOURNAL' AND ts = 1700000002000000" | grep -qx 'sshd\[812\] (ssh.service): Accepted publickey for al from 203.0.113.9 port 50124 ssh2: ED25519 SHA256:abc'
	sqlite3 img.db "SELECT n_entries FROM (SELECT entries AS n_entries FROM journal_files WHERE path GLOB '*system.journal')" | grep -qx 10
	# the entries read are no finding
	[ "$(sqlite3 img.db "SELECT count(*) FROM findings WHERE category = 'journal' AND reasons LIKE '%system.journal%'")" -eq 0 ]
	[ -z "$(ls /dev/shm | grep irkit-journal || true)" ]
}

@test "journal: an entry reached twice (a .journal and its .journal~ copy) is stored once" {
	command -v mkfs.ext4 >/dev/null || skip "no mkfs.ext4"
	mkjournal basic "$J/system.journal"
	cp "$J/system.journal" "$J/system@0005f1-0123.journal~"
	mkjournal late "$J/system@0005f1-0456.journal"
	image "$R"
	[ "$(sqlite3 img.db "SELECT count(*) FROM journal_files")" -eq 3 ]
	[ "$(sqlite3 img.db "SELECT sum(entries) FROM journal_files")" -eq 22 ]
	[ "$(sqlite3 img.db "SELECT count(*) FROM journal_entries")" -eq 12 ]
	[ "$(sqlite3 img.db "SELECT count(DISTINCT cursor) FROM journal_entries")" -eq 12 ]
	[ "$(sqlite3 img.db "SELECT count(*) FROM events WHERE source = 'JOURNAL'")" -eq 12 ]
	oracle "$J/system.journal" "$J/system@0005f1-0456.journal" > want
	ours "$SCRATCH/img.db" > got
	diff want got
	# the same files in a second image of the host, loaded into the same
	# case: read again, not stored again
	echo other > "$R/etc/other"
	truncate -s 96M "$SCRATCH/r2.raw"
	mkfs.ext4 -q -F -O ^extent,^64bit -d "$R" "$SCRATCH/r2.raw"
	"$ANALYZE" image -q --no-scan --db "$SCRATCH/img.db" "$SCRATCH/r2.raw" 2>/dev/null || true
	[ "$(sqlite3 img.db "SELECT count(DISTINCT evidence_id) FROM journal_files")" -eq 2 ]
	[ "$(sqlite3 img.db "SELECT count(*) FROM journal_files")" -eq 6 ]
	[ "$(sqlite3 img.db "SELECT count(*) FROM journal_entries")" -eq 12 ]
	[ "$(sqlite3 img.db "SELECT count(*) FROM events WHERE source = 'JOURNAL'")" -eq 12 ]
}

@test "journal: a damaged entry, entry array or hash table, a truncated file: logged, the rest loaded, a finding" {
	command -v mkfs.ext4 >/dev/null || skip "no mkfs.ext4"
	for mode in entry array hashtable truncate; do
		# one file each: their entries are not the same ones
		mkjournal many "$J/$mode.journal" 1000
		python3 "$BATS_TEST_DIRNAME/journal_corrupt.py" "$J/$mode.journal" $mode 500 > "$SCRATCH/$mode.hit"
	done
	image "$R"
	q() { sqlite3 img.db "SELECT $1 FROM journal_files WHERE path GLOB '*/$2.journal'"; }
	# a smashed entry: that one lost, as journalctl loses it
	[ "$(q entries entry)" -eq 999 ]
	[ "$(q unreadable entry)" -eq 1 ]
	oracle "$J/entry.journal" > want
	sqlite3 -json img.db "SELECT cursor, time, monotonic_us, boot_id, hostname, unit, identifier, pid, uid, gid, comm, exe, cmdline, priority, transport, message, message_cut FROM journal_entries WHERE path GLOB '*/entry.journal'" |
		python3 "$BATS_TEST_DIRNAME/journal_oracle.py" ours > got
	diff want got
	! grep -q "i=$(printf %x "$(cat "$SCRATCH/entry.hit")");" got || false
	# an entry array overwritten: what libsystemd reaches, at least
	# what journalctl shows
	[ "$(q entries array)" -ge "$(journalctl --file "$J/array.journal" -o json 2>/dev/null | wc -l)" ]
	[ "$(q unreadable array)" -gt 0 ]
	# the hash table is not needed to read entries
	[ "$(q entries hashtable)" -eq 1000 ]
	[ "$(q unreadable hashtable)" -eq 0 ]
	# cut short: journalctl reads nothing, irkit the entries before the cut
	! journalctl --file "$J/truncate.journal" -o json >/dev/null 2>&1 ||
		[ "$(journalctl --file "$J/truncate.journal" -o json 2>/dev/null | wc -l)" -lt 500 ]
	[ "$(q entries truncate)" -eq 500 ]
	[ "$(q truncated truncate)" -eq 1 ]
	[ "$(q size truncate)" -lt "$(q declared_size truncate)" ]
	# each said in the log with the file and what
	grep -q "entry.journal: damaged: 1 of the 1000 entries its header counts cannot be read, 999 read" image.err
	grep -q "truncate.journal: cut short: [0-9]* of the 8388608 bytes" image.err
	sqlite3 img.db "SELECT path || ': ' || message FROM log WHERE component = 'journal'" > log
	grep -q "array.journal: damaged" log
	! grep -q "hashtable.journal" log || false
	# findings: the three damaged files, not the one read whole
	sqlite3 img.db "SELECT reasons FROM findings WHERE category = 'journal'" > f
	[ "$(grep -c 'journal file damaged\|cannot be read' f)" -eq 3 ]
	! grep -q hashtable f || false
	grep -q 'truncate.journal: 500 of the 1000 entries its header counts cannot be read (cut short: ' f
}

@test "journal: entries out of order are a finding, an ordered journal is not; a file that is no journal is logged and the rest read" {
	command -v mkfs.ext4 >/dev/null || skip "no mkfs.ext4"
	mkjournal back "$J/user-1000.journal"
	mkjournal late "$J/system.journal"
	head -c 300000 /dev/urandom > "$J/system@bad.journal"
	printf 'LPKSHHRH' | dd of="$J/system@bad2.journal" bs=1 seek=0 conv=notrunc 2>/dev/null
	head -c 100 /dev/zero >> "$J/system@bad2.journal"
	image "$R"
	[ "$(sqlite3 img.db "SELECT out_of_order FROM journal_files WHERE path GLOB '*user-1000.journal'")" -eq 1 ]
	[ "$(sqlite3 img.db "SELECT out_of_order FROM journal_files WHERE path GLOB '*/system.journal'")" -eq 0 ]
	sqlite3 img.db "SELECT title || ': ' || reasons FROM findings WHERE category = 'journal'" > f
	[ "$(wc -l < f)" -eq 1 ]
	grep -q "journal entries out of order: .*user-1000.journal: 1 entries written after one that is later in time" f
	grep -q "system@bad.journal: not a journal file (no header)" image.err
	grep -q "system@bad2.journal: not a journal file (no header)" image.err
	[ "$(sqlite3 img.db "SELECT count(*) FROM journal_entries")" -eq 5 ]
}

@test "journal: collected live and ingested, found in an image, found in a foreign collection: the same entries" {
	command -v mkfs.ext4 >/dev/null || skip "no mkfs.ext4"
	mkjournal basic "$J/system.journal"
	mkjournal back "$J/user-1000.journal"
	cp "$J/system.journal" "$J/system@0005f1-0123.journal~"
	touch -d @1700000000 "$J/system@0005f1-0123.journal~"
	printf 'root:x:0:0::/root:/bin/sh\n' > "$R/etc/passwd"
	printf 'root:x:0:\n' > "$R/etc/group"
	"$COLLECT" -q -o "$SCRATCH/c.tar.zst" --root "$R" --only journal_files
	"$ANALYZE" ingest -q --db "$SCRATCH/live.db" --no-default-rules "$SCRATCH/c.tar.zst"
	image "$R"
	tar -czf "$SCRATCH/root.tar.gz" -C "$R" .
	"$ANALYZE" ingest -q --db "$SCRATCH/foreign.db" --no-default-rules "$SCRATCH/root.tar.gz" 2>/dev/null || true
	oracle "$J/system.journal" "$J/user-1000.journal" > want
	[ "$(wc -l < want)" -eq 13 ]
	for db in live img foreign; do
		ours "$SCRATCH/$db.db" > "got.$db"
		diff want "got.$db"
		sqlite3 "$SCRATCH/$db.db" "SELECT ts, source, message FROM events WHERE source = 'JOURNAL' ORDER BY ts, message" > "ev.$db"
		[ "$(sqlite3 "$SCRATCH/$db.db" "SELECT count(*) FROM events WHERE source = 'JOURNAL'")" -eq 13 ]
		sqlite3 "$SCRATCH/$db.db" "SELECT path, entries, out_of_order FROM journal_files ORDER BY path" > "files.$db"
		sqlite3 "$SCRATCH/$db.db" "SELECT title FROM findings WHERE category = 'journal'" > "find.$db"
	done
	diff ev.live ev.img
	diff ev.live ev.foreign
	# the archive holds the dirty copy once, under the first name
	# (stored_as): its entries are the same ones
	diff files.live <(grep -v '~|' files.img)
	diff files.img files.foreign
	[ "$(cat find.live)" = "journal entries out of order" ]
	diff find.live find.img
	diff find.live find.foreign
	grep -q 'system@0005f1-0123.journal~|10|0' files.img
}

@test "journal: a file above the memory bound (IRKIT_JOURNAL_MEM_MAX) is copied to disk under TMPDIR and loads as journalctl reads it, as below it; nothing left behind" {
	command -v mkfs.ext4 >/dev/null || skip "no mkfs.ext4"
	mkjournal basic "$J/system.journal"
	mkjournal many "$J/system@big.journal" 3000
	mkjournal many "$J/cut.journal" 1000
	python3 "$BATS_TEST_DIRNAME/journal_corrupt.py" "$J/cut.journal" truncate 500 > /dev/null
	cut=$(stat -c %s "$J/cut.journal")
	[ "$cut" -lt "$(stat -c %s "$J/system.journal")" ]
	oracle "$J/system.journal" "$J/system@big.journal" > want
	[ "$(wc -l < want)" -eq 3010 ]
	q="SELECT cursor, time, monotonic_us, boot_id, hostname, unit, identifier, pid, uid, gid, comm, exe, cmdline, priority, transport, message, message_cut FROM journal_entries WHERE path NOT GLOB '*/cut.journal'"
	# the default bound (64 MiB): every file in memory
	image "$R"
	sqlite3 -json img.db "$q" | python3 "$BATS_TEST_DIRNAME/journal_oracle.py" ours > mem
	diff want mem
	# the bound at the cut file's size, TMPDIR not a folder: the files
	# above it cannot be copied (said in the log), the one within it
	# loads (in memory)
	export IRKIT_JOURNAL_MEM_MAX=$cut
	export TMPDIR=$SCRATCH/none
	rm -f img.db
	image "$R"
	grep -q "system@big.journal: cannot make a temporary folder in '$SCRATCH/none'" image.err
	grep -q "/system.journal: cannot make a temporary folder" image.err
	[ "$(sqlite3 img.db "SELECT count(*) FROM journal_entries WHERE path NOT GLOB '*/cut.journal'")" -eq 0 ]
	[ "$(sqlite3 img.db "SELECT entries FROM journal_files WHERE path GLOB '*/cut.journal'")" -eq 500 ]
	# a bound of 1 byte and TMPDIR a folder: every file on disk, read
	# as in memory, as journalctl reads them; the file cut short padded
	# on disk as in memory
	export IRKIT_JOURNAL_MEM_MAX=1
	mkdir "$SCRATCH/tmp"
	export TMPDIR=$SCRATCH/tmp
	rm -f img.db
	image "$R"
	sqlite3 -json img.db "$q" | python3 "$BATS_TEST_DIRNAME/journal_oracle.py" ours > disk
	diff want disk
	[ "$(sqlite3 img.db "SELECT entries || ' ' || truncated FROM journal_files WHERE path GLOB '*/cut.journal'")" = "500 1" ]
	[ -z "$(ls -A "$SCRATCH/tmp")" ]
	[ -z "$(ls /dev/shm | grep irkit-journal || true)" ]
}
