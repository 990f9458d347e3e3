#!/usr/bin/env bats
bats_require_minimum_version 1.5.0
#
# The prefetch collector (analyzer/prefetch.c) on an NTFS image made at
# test time with the plaso samples of tests/data/prefetch/ under
# Windows/Prefetch: formats 17, 23, 26, 30 compressed (MAM), 31 (which
# libscca does not read), a copy of CMD.EXE's file whose paths say it ran
# from a temp folder, and hostile files.  Oracle: sccainfo (libscca-utils).
load helpers

DATA=$IRKIT_SRC/tests/data/prefetch

setup_file() {
	IMG=$(mktemp -d "${BATS_TMPDIR:-/tmp}/irkit-pf.XXXXXX")
	export IMG
	"$IRKIT_SRC"/tests/gen/make_prefetch_ntfs.sh "$IMG/pf.raw" "$IMG" \
		>"$IMG/gen.log" 2>&1 3>&- || { rm -f "$IMG/pf.raw"; return 0; }
	printf 'onedrive.exe\t# test: a program in the IOC list\nsysmain.sdb\t# test: a file programs used\n' \
		>"$IMG/filenames.txt"
	"$ANALYZE" image --db "$IMG/case.db" --no-default-rules \
		--ioc "$IMG/filenames.txt" "$IMG/pf.raw" \
		>"$IMG/case.out" 2>"$IMG/case.err" || echo $? >"$IMG/case.rc"
}

teardown_file() {
	rm -rf "$IMG"
}

setup() {
	setup_scratch
	[ -e "$IMG/pf.raw" ] || skip "mkntfs or ntfs-3g could not make the image"
}

teardown() {
	teardown_scratch
}

q() {
	sqlite3 "$IMG/case.db" "$1"
}

@test "prefetch: formats 17, 23, 26 and 30 (compressed) equal sccainfo's fields" {
	command -v sccainfo >/dev/null || skip "no sccainfo (libscca-utils)"
	run python3 "$IRKIT_SRC/tests/e2e/prefetch_oracle.py" "$IMG/case.db" \
		"$DATA/CMD.EXE-087B4001.pf" "$DATA/PING.EXE-B29F6629.pf" \
		"$DATA/TASKHOST.EXE-3AE259FC.pf" "$DATA/NOTEPAD.EXE-D8414F97.pf" \
		"$DATA/ONEDRIVE.EXE-7E152375.pf"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(grep -c '^checked' <<<"$output")" -eq 5 ]
	[ "$(q "SELECT group_concat(version || ':' || compressed, ' ') FROM (SELECT version, compressed FROM prefetch WHERE path NOT LIKE '%TEMP.pf' ORDER BY version, compressed)")" = "17:0 23:0 26:0 30:1 30:1" ]
	# the executable's own path among the files referenced
	[ "$(q "SELECT exe_path FROM prefetch WHERE executable = 'NOTEPAD.EXE'")" = '\VOLUME{01d3096ba3a46863-2ca3d1ae}\WINDOWS\SYSTEM32\NOTEPAD.EXE' ]
}

@test "prefetch: each last run time is one timeline event naming the program" {
	want=$(for f in "$DATA"/{CMD,PING,TASKHOST,NOTEPAD,ONEDRIVE}*.pf; do
		sccainfo "$f" | grep -c 'Last run time.*UTC'; done |
		awk '{s += $1} END {print s}')
	# the temp copy adds CMD.EXE's one run
	[ "$(q "SELECT count(*) FROM events WHERE source = 'PREFETCH'")" -eq $((want + 1)) ]
	[ "$(q "SELECT count(*) FROM prefetch_runs")" -eq $((want + 1)) ]
	# TASKHOST (format 26): 4 of its 8 slots set; sccainfo's first one
	t=$(sccainfo "$DATA/TASKHOST.EXE-3AE259FC.pf" | sed -n 's/.*Last run time: 1[^:]*: *//p')
	[ "$(q "SELECT max(ts) / 1000000 FROM events WHERE source = 'PREFETCH' AND message LIKE 'TASKHOST.EXE ran (run count 4,%'")" -eq "$(date -u -d "${t% UTC}" +%s)" ]
}

@test "prefetch: a version libscca does not read, junk, a cut file and a hostile MAM size are said per file, the rest loaded" {
	[ "$(q "SELECT count(*) FROM prefetch")" -eq 6 ]
	[ "$(q "SELECT message FROM log WHERE component = 'prefetch' AND path LIKE '%AM_DELTA_PATCH%'")" = "compressed prefetch file of format version 31, which libscca does not read" ]
	[ "$(q "SELECT message FROM log WHERE component = 'prefetch' AND path LIKE '%JUNK.EXE%'")" = "not a prefetch file (no SCCA or MAM signature)" ]
	q "SELECT message FROM log WHERE component = 'prefetch' AND path LIKE '%HUGE.EXE%'" | grep -q 'unpacking to 2147483647 bytes, above the limit'
	q "SELECT message FROM log WHERE component = 'prefetch' AND path LIKE '%CUT.EXE%'" | grep -q 'not a prefetch file libscca reads'
	[ "$(q "SELECT count(*) FROM log WHERE component = 'prefetch'")" -eq 4 ]
	[ "$(q "SELECT count(*) FROM log WHERE component = 'prefetch' AND level = 'warning'")" -eq 4 ]
}

@test "prefetch: a program run from a temp folder and one in the IOC lists are findings, the others not" {
	q "SELECT title FROM findings" >"$SCRATCH/f"
	cat "$SCRATCH/f"
	grep -qx 'program run from a temp or user folder: CMD.EXE' "$SCRATCH/f"
	[ "$(q "SELECT count(*) FROM findings WHERE title LIKE 'program run from%'")" -eq 1 ]
	# the IOC hit on the program's path, by its base name
	[ "$(q "SELECT count(*) FROM ioc_hits WHERE record_table = 'prefetch' AND value = 'onedrive.exe'")" -eq 1 ]
	[ "$(q "SELECT count(*) FROM ioc_hits WHERE record_table = 'prefetch'")" -eq 1 ]
	# the files the programs used: as many hits as sccainfo lists
	# SYSMAIN.SDB (plus the temp copy of CMD.EXE's file)
	want=$(for f in "$DATA"/{CMD,PING,TASKHOST,NOTEPAD,ONEDRIVE}*.pf; do
		sccainfo "$f" | grep -i '\\SYSMAIN\.SDB$'; done | wc -l)
	[ "$want" -ge 1 ]
	[ "$(q "SELECT count(*) FROM ioc_hits WHERE record_table = 'prefetch_files' AND value = 'sysmain.sdb'")" -eq $((want + 1)) ]
	grep -qx 'IOC filename sysmain.sdb in prefetch_files CMD.EXE used \\DEVICE\\HARDDISKVOLUME1\\WINDOWS\\APPPATCH\\SYSMAIN.SDB' "$SCRATCH/f"
	grep -qx 'IOC filename onedrive.exe in prefetch ONEDRIVE.EXE' "$SCRATCH/f"
	! grep -qi 'notepad\|ping\|taskhost' "$SCRATCH/f" || false
	# the report's Prefetch section shows the rows behind them
	"$ANALYZE" report --db "$IMG/case.db" -o "$SCRATCH/r.html"
	grep -q 'Programs run (Prefetch)' "$SCRATCH/r.html"
	grep -q 'X1Y\\CMD.EXE' "$SCRATCH/r.html"
}

@test "prefetch: a Windows root without a Prefetch folder is not an error" {
	command -v mkntfs >/dev/null || skip "no mkntfs"
	truncate -s 8M "$SCRATCH/n.raw"
	mkntfs -q -F -f "$SCRATCH/n.raw" >/dev/null 2>&1
	mkdir -p "$SCRATCH/m"
	ntfs-3g "$SCRATCH/n.raw" "$SCRATCH/m" || skip "ntfs-3g cannot mount"
	mkdir -p "$SCRATCH/m/Windows/System32/config"
	fusermount -u "$SCRATCH/m" 2>/dev/null || umount "$SCRATCH/m"
	"$ANALYZE" image -q --db "$SCRATCH/n.db" --no-default-rules \
		"$SCRATCH/n.raw" 2>"$SCRATCH/err" || true
	! grep -q prefetch "$SCRATCH/err" || false
	[ "$(sqlite3 "$SCRATCH/n.db" "SELECT level || ' ' || message FROM log WHERE component = 'prefetch'")" = "info no prefetch folder" ]
	[ "$(sqlite3 "$SCRATCH/n.db" "SELECT count(*) FROM prefetch")" -eq 0 ]
}

# The prefetch rows of a case, as sqlite3 lists them (no ids, no times
# of the .pf files themselves).
pfrows() {
	sqlite3 -batch "$1" "
	select path, executable, prefetch_hash, version, compressed, run_count, last_run, file_count, files, volumes, exe_path, program from prefetch order by path;
	select p.path, r.idx, r.time, r.program from prefetch_runs r join prefetch p on p.id = r.prefetch_id order by 1, 2;
	select p.path, count(*) from prefetch_files f join prefetch p on p.id = f.prefetch_id group by 1 order by 1;
	select level, path, message from log where component = 'prefetch' order by path"
}

@test "prefetch: a KAPE zip of the same Windows root gives the rows image gives; its \$Extend/\$J is read too" {
	command -v zip >/dev/null || skip "no zip"
	k=$SCRATCH/kape/HOST1/C
	mkdir -p "$k/Windows/System32/config" "$k/Windows/Prefetch" "$k/\$Extend"
	# the image's Prefetch files, taken out with TSK (icat)
	dir=$(ifind -n /Windows/Prefetch "$IMG/pf.raw")
	fls "$IMG/pf.raw" "$dir" | while IFS=$'\t' read -r meta name; do
		ino=${meta#* }; ino=${ino%%-*}
		icat "$IMG/pf.raw" "$ino" >"$k/Windows/Prefetch/$name"
	done
	[ "$(ls "$k/Windows/Prefetch" | wc -l)" -eq 10 ]
	printf 'placeholder\n' >"$k/Windows/System32/config/README"
	cp "$DATA/UsnJrnl.raw" "$k/\$Extend/\$J"
	(cd "$SCRATCH/kape" && zip -qr "$SCRATCH/kape.zip" HOST1)
	run "$ANALYZE" ingest --db "$SCRATCH/kape.db" --no-default-rules \
		--ioc "$IMG/filenames.txt" "$SCRATCH/kape.zip"
	echo "$output"
	[[ "$output" == *"windows root at 'HOST1/C/'"* ]]
	pfrows "$IMG/case.db" >"$SCRATCH/img.txt"
	pfrows "$SCRATCH/kape.db" | diff -u "$SCRATCH/img.txt" -
	[ "$(sqlite3 "$SCRATCH/kape.db" "SELECT count(*) FROM prefetch")" -eq 6 ]
	# the same IOC hits and findings as from the image
	q1="SELECT record_table, value, count(*) FROM ioc_hits WHERE record_table LIKE 'prefetch%' GROUP BY 1, 2 ORDER BY 1, 2"
	[ "$(sqlite3 "$SCRATCH/kape.db" "$q1")" = "$(q "$q1")" ]
	q2="SELECT title FROM findings WHERE category IN ('execution', 'ioc') ORDER BY 1"
	[ "$(sqlite3 "$SCRATCH/kape.db" "$q2")" = "$(q "$q2")" ]
	# the copied journal: the sample's entries, struct-parsed
	python3 "$IRKIT_SRC/tests/e2e/usn_oracle.py" parse "$DATA/UsnJrnl.raw" >"$SCRATCH/want"
	sqlite3 "$SCRATCH/kape.db" "SELECT usn, time, name, reason, file_entry, file_seq, parent_entry, parent_seq, major FROM usn_journal ORDER BY usn" |
		diff -u "$SCRATCH/want" -
	[ "$(sqlite3 "$SCRATCH/kape.db" "SELECT DISTINCT volume || ' ' || (path IS NULL) FROM usn_journal")" = '/$Extend/$J 1' ]
}
