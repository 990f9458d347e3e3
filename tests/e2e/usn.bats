#!/usr/bin/env bats
bats_require_minimum_version 1.5.0
#
# The NTFS change journal ($Extend/$UsnJrnl:$J, analyzer/usn.c) and the
# timestomp finding, on NTFS images made at test time by
# tests/gen/make_usn_ntfs.sh: the plaso $J sample planted with ntfscp,
# and a journal written by tests/e2e/usn_oracle.py naming files made
# through ntfs-3g.  ntfs-3g keeps no change journal itself, hence the
# planted streams.  Oracles: usn_oracle.py (struct parsing of the raw
# stream), TSK's fls and istat (paths, sequence numbers, SI and FN times).
load helpers

ORACLE=$IRKIT_SRC/tests/e2e/usn_oracle.py

setup_file() {
	IMG=$(mktemp -d "${BATS_TMPDIR:-/tmp}/irkit-usn.XXXXXX")
	export IMG
	"$IRKIT_SRC"/tests/gen/make_usn_ntfs.sh "$IMG" >"$IMG/gen.log" 2>&1 3>&- ||
		{ rm -f "$IMG/usn.raw"; return 0; }
	for i in sample usn none; do
		"$ANALYZE" image --db "$IMG/$i.db" --no-default-rules "$IMG/$i.raw" \
			>"$IMG/$i.out" 2>"$IMG/$i.err" || echo $? >"$IMG/$i.rc"
	done
}

teardown_file() {
	rm -rf "$IMG"
}

setup() {
	setup_scratch
	[ -e "$IMG/usn.raw" ] || skip "mkntfs, ntfs-3g or ntfscp could not make the images"
}

teardown() {
	teardown_scratch
}

rows() {
	sqlite3 "$IMG/$1.db" "SELECT usn, time, name, reason, file_entry, file_seq, parent_entry, parent_seq, major FROM usn_journal ORDER BY usn"
}

@test "usn: the plaso \$J sample's 19 entries equal struct parsing of the raw stream" {
	python3 "$ORACLE" parse "$IRKIT_SRC/tests/data/prefetch/UsnJrnl.raw" >"$SCRATCH/want"
	rows sample >"$SCRATCH/got"
	diff "$SCRATCH/want" "$SCRATCH/got"
	[ "$(wc -l <"$SCRATCH/got")" -eq 19 ]
	# one timeline event each, naming the file and the reasons
	[ "$(sqlite3 "$IMG/sample.db" "SELECT count(*) FROM events WHERE source = 'USN'")" -eq 19 ]
	[ "$(sqlite3 "$IMG/sample.db" "SELECT message FROM events WHERE source = 'USN' AND ts = 1448918147968750 ORDER BY id LIMIT 1")" = "Kopie van first.txt: file_create (file 31-1, parent 5-5)" ]
	[ "$(sqlite3 "$IMG/sample.db" "SELECT reasons FROM usn_journal WHERE usn = 1296")" = "data_overwrite data_extend file_create basic_info_change close" ]
	[ ! -e "$IMG/sample.rc" ]
}

@test "usn: V2 and V3 entries, a V4 range record skipped, junk stepped over, padding skipped" {
	python3 "$ORACLE" parse "$IMG/J" >"$SCRATCH/want"
	rows usn >"$SCRATCH/got"
	diff "$SCRATCH/want" "$SCRATCH/got"
	[ "$(wc -l <"$SCRATCH/got")" -eq 6 ]
	[ "$(sqlite3 "$IMG/usn.db" "SELECT count(*) FROM usn_journal WHERE major = 3")" -eq 1 ]
	[ "$(sqlite3 "$IMG/usn.db" "SELECT message FROM log WHERE component = 'usn'")" = "6 records, 1 V4 range records skipped, $(stat -c %s "$IMG/J") bytes read, 1 8-byte steps over damage" ]
}

@test "usn: the parent folder is resolved to its path only while its MFT entry keeps the sequence number" {
	read -r bob bobseq evil evilseq gone <"$IMG/refs"
	# oracles: fls names the folder's entry, istat its sequence number
	[ "$(fls -rp "$IMG/usn.raw" | awk -F'\t' -v e="$bob" '$1 ~ ("^d/d " e "-") {print $2}')" = "Users/bob" ]
	istat "$IMG/usn.raw" "$bob" | grep -q "Sequence: $bobseq\$"
	[ "$(sqlite3 "$IMG/usn.db" "SELECT DISTINCT path FROM usn_journal WHERE name = 'evil.exe'")" = "/Users/bob/evil.exe" ]
	[ "$(sqlite3 "$IMG/usn.db" "SELECT path FROM usn_journal WHERE name = 'renamed.exe'")" = "/Users/bob/renamed.exe" ]
	# a stale sequence number, a deleted folder: no path
	[ "$(sqlite3 "$IMG/usn.db" "SELECT parent_seq, path IS NULL FROM usn_journal WHERE name = 'stale.txt'")" = "$((bobseq + 1))|1" ]
	[ "$(sqlite3 "$IMG/usn.db" "SELECT parent_entry, path IS NULL FROM usn_journal WHERE name = 'lost.txt'")" = "$gone|1" ]
	[ "$(sqlite3 "$IMG/usn.db" "SELECT path FROM events WHERE source = 'USN' AND message LIKE 'evil.exe: file_create (file $evil-$evilseq, parent $bob-$bobseq)'")" = "/Users/bob/evil.exe" ]
}

@test "usn: a volume without a change journal says so and loads no entry" {
	[ ! -e "$IMG/none.rc" ]
	[ "$(sqlite3 "$IMG/none.db" "SELECT level || ' ' || message FROM log WHERE component = 'usn'")" = "info no change journal" ]
	[ "$(sqlite3 "$IMG/none.db" "SELECT count(*) FROM usn_journal")" -eq 0 ]
}

# istat's "Created:" time of the attribute $1 (STANDARD_INFORMATION or
# FILE_NAME) of the file $2, cut to microseconds
created() {
	ino=$(ifind -n "$2" "$IMG/usn.raw")
	istat "$IMG/usn.raw" "$ino" | awk -v a="\$$1 Attribute Values:" '
		$0 == a {on = 1} on && /^Created:/ {print $2 " " substr($3, 1, 15); exit}'
}

@test "timestomp: an executable created before its \$FILE_NAME, and one on whole seconds, are findings; a text file and untouched ones are not" {
	si=$(created STANDARD_INFORMATION /Windows/System32/early.exe)
	fn=$(created FILE_NAME /Windows/System32/early.exe)
	[[ "$si" < "$fn" ]]
	[ "$(sqlite3 "$IMG/usn.db" "SELECT score || ' ' || reasons FROM findings WHERE title = 'timestamps set back on /Windows/System32/early.exe'")" = "50 [\"\$STANDARD_INFORMATION created $si, before its \$FILE_NAME created $fn\"]" ]
	si=$(created STANDARD_INFORMATION /Users/bob/stomp.dll)
	[ "${si#*.}" = 000000 ]
	[ "$(sqlite3 "$IMG/usn.db" "SELECT score || ' ' || category FROM findings WHERE title = 'timestamps set back on /Users/bob/stomp.dll'")" = "30 timestomp" ]
	# notes.txt was set back too, but is no executable
	[[ "$(created STANDARD_INFORMATION /Users/bob/notes.txt)" < "$(created FILE_NAME /Users/bob/notes.txt)" ]]
	[ "$(sqlite3 "$IMG/usn.db" "SELECT count(*) FROM findings WHERE category = 'timestomp'")" -eq 2 ]
	[ "$(sqlite3 "$IMG/sample.db" "SELECT count(*) FROM findings WHERE category = 'timestomp'")" -eq 0 ]
}
