#!/usr/bin/env bats
#
# Rule pre-selection (analyzer/rule_guard.c, analyzer/presel.c): a file is
# scanned with the rule set of its class (header x size), which leaves out
# the rules whose guards rule the class out.  The equivalence test: on a
# corpus of every header and size class (tests/e2e/presel_corpus.py: a
# minimal PE, MZ, ELF headers and real ELF files, zip, tar, tar.gz,
# scripts, files each side of every size bound, sparse) the matches of
# the pre-selected scan equal the full scan's (--no-preselect) and the
# yara CLI's, for a rule set of every guard form and for the bundled
# rules; and a deliberately wrong guard extraction is caught.
load helpers

setup_file() {
	W="$(mktemp -d "${BATS_TMPDIR:-/tmp}/irk-presel.XXXXXX")"
	export W
	python3 "$IRKIT_SRC/tests/e2e/presel_corpus.py" "$W/c" "$W/r" >/dev/null
	python3 "$IRKIT_SRC/tests/gen/yara_fixtures.py" "$W/c/fx" >/dev/null
}

teardown_file() {
	rm -rf "$W"
}

# yara_args DIR: NAMESPACE:FILE for each rule file of DIR (irkit gives
# each file its own namespace: a global rule governs its own file only)
yara_args() {
	for f in "$1"/*.yar; do
		printf '%s:%s\n' "$(basename "$f" .yar)" "$f"
	done
}

# json_hits: `rules scan --json` on stdin to "RULE PATH ID@OFFSET" lines
# (and "RULE PATH" for a rule matched by its condition alone)
json_hits() {
	python3 -c '
import json, sys
for line in sys.stdin:
    o = json.loads(line)
    for m in o["matches"]:
        print(m["rule"], o["path"])
        for s in m["strings"]:
            print(m["rule"], o["path"], "%s@%d" % (s["id"], s["offset"]))
' | sort
}

# yara_hits: `yara -s` on stdin to the same lines
yara_hits() {
	python3 -c '
import sys
rule = path = None
for line in sys.stdin:
    line = line.rstrip("\n")
    if line.startswith("0x"):
        off, sid, _ = line.split(":", 2)
        print(rule, path, "%s@%d" % (sid, int(off, 16)))
    else:
        rule, path = line.split(" ", 1)
        print(rule, path)
' | sort
}

# scan CACHE ARGS...: rules scan --json of the corpus, lines sorted
scan() {
	local cache=$1
	shift
	XDG_CACHE_HOME="$cache" "$ANALYZE" rules scan --json -j 2 "$@" "$W/c" |
		sort
}

@test "pre-selection: every guard form, every class: matches and strings equal the full scan's and the yara CLI's" {
	scan "$W/cache" --preselect-min 0 --no-default-rules -r "$W/r" > "$W/pre.json"
	# the classes were used: their sets are in the cache
	n=$(ls "$W/cache/irkit" | grep -c '^rules-[0-9a-f]*-[0-9a-f]*\.yarc$')
	echo "class sets: $n"
	[ "$n" -ge 6 ]
	scan "$W/cache-full" --no-default-rules --no-preselect -r "$W/r" > "$W/full.json"
	[ "$(ls "$W/cache-full/irkit" | grep -c '^rules-.*-.*\.yarc$')" -eq 0 ]
	# everything equal: rules, strings, offsets, hashes, types
	diff "$W/full.json" "$W/pre.json"
	# again, the class sets from the cache
	scan "$W/cache" --preselect-min 0 --no-default-rules -r "$W/r" > "$W/pre2.json"
	diff "$W/full.json" "$W/pre2.json"
	# the yara CLI: the same (rule, file) pairs and string offsets
	json_hits < "$W/pre.json" > "$W/ours"
	yara -s -r $(yara_args "$W/r") "$W/c" | yara_hits > "$W/oracle"
	diff "$W/oracle" "$W/ours"
	# every guarded rule matched somewhere, and missed somewhere
	[ "$(cut -d' ' -f1 "$W/ours" | sort -u | wc -l)" -ge 130 ]
	[ "$(grep -c '^g_01_4 ' "$W/ours")" -lt "$(grep -c '^g_00_4 ' "$W/ours")" ]
}

@test "pre-selection: the bundled rules on PE, ELF, scripts, archives: equal to the full scan and the yara CLI" {
	scan "$W/cache-b" --preselect-min 0 > "$W/bpre.json"
	scan "$W/cache-bf" --no-preselect > "$W/bfull.json"
	diff "$W/bfull.json" "$W/bpre.json"
	json_hits < "$W/bpre.json" | awk 'NF == 2' > "$W/bours"
	yara -r $(yara_args "$IRKIT_SRC/yara-rules") "$W/c" | sort > "$W/boracle"
	[ "$(wc -l < "$W/boracle")" -ge 10 ]
	diff "$W/boracle" "$W/bours"
	[ "$(ls "$W/cache-b/irkit" | grep -c '^rules-.*-.*\.yarc$')" -ge 3 ]
}

@test "pre-selection: a wrong guard extraction (a guard under 'or' taken) is caught by the equivalence test" {
	[ -s "$W/full.json" ] || skip "needs the first test"
	IRK_PRESEL_DEBUG_BREAK=1 scan "$W/cache-broken" --preselect-min 0 \
		--no-default-rules -r "$W/r" > "$W/broken.json"
	run diff "$W/full.json" "$W/broken.json"
	[ "$status" -ne 0 ]
	json_hits < "$W/broken.json" > "$W/broken"
	# t_or_top (`uint16(0) == 0x5A4D or $m`) lost its non-MZ files
	[ "$(grep -c '^t_or_top ' "$W/broken")" -lt \
	  "$(grep -c '^t_or_top ' "$W/ours")" ]
}

@test "pre-selection: ingest of a .tar.zst stores the same matches with and without it" {
	tar -C "$W/c" -S -cf - . | zstd -q -o "$W/c.tar.zst"
	cd "$W"
	XDG_CACHE_HOME="$W/cache" run "$ANALYZE" ingest -q --db pre.db -j 2 \
		--preselect-min 0 --no-default-rules -r "$W/r" "$W/c.tar.zst"
	[ "$status" -eq 0 ]
	XDG_CACHE_HOME="$W/cache-i" run "$ANALYZE" ingest -q --db full.db -j 2 \
		--no-default-rules --no-preselect -r "$W/r" "$W/c.tar.zst"
	[ "$status" -eq 0 ]
	q="SELECT y.rule || ' ' || f.path || ' ' || y.strings FROM yara_matches y JOIN files f ON f.id = y.file_id"
	sqlite3 pre.db "$q" | sort > pre.txt
	sqlite3 full.db "$q" | sort > full.txt
	[ "$(wc -l < full.txt)" -ge 3000 ]
	diff full.txt pre.txt
	# the scan cache key is the full set's hash either way
	[ "$(sqlite3 pre.db 'SELECT DISTINCT rules_hash FROM scan_cache')" = \
	  "$(sqlite3 full.db 'SELECT DISTINCT rules_hash FROM scan_cache')" ]
}

@test "pre-selection: a class gets its set once its files total --preselect-min (16M by default)" {
	[ -s "$W/full.json" ] || skip "needs the first test"
	# by default: only the classes of the 1-3 MB files reach 16 MB
	scan "$W/cache-min" --no-default-rules -r "$W/r" > "$W/min.json"
	diff "$W/full.json" "$W/min.json"
	n16=$(ls "$W/cache-min/irkit" | grep -c '^rules-.*-.*\.yarc$' || true)
	n0=$(ls "$W/cache/irkit" | grep -c '^rules-.*-.*\.yarc$')
	echo "class sets: $n16 (16M), $n0 (0)"
	[ "$n16" -lt "$n0" ]
	# a threshold above the corpus: none
	scan "$W/cache-none" --preselect-min 4G --no-default-rules -r "$W/r" > "$W/none.json"
	diff "$W/full.json" "$W/none.json"
	[ "$(ls "$W/cache-none/irkit" | grep -c '^rules-.*-.*\.yarc$' || true)" -eq 0 ]
	run "$ANALYZE" rules scan --preselect-min 5Q "$W/c/real"
	[ "$status" -eq 2 ]
	[[ "$output" == *"bad --preselect-min '5Q' (0 to 4G)"* ]]
}

@test "pre-selection: --no-preselect and --preselect-min are scan options of ingest, image and rules scan" {
	for cmd in ingest image "rules scan"; do
		run $ANALYZE $cmd --help
		[[ "$output" == *"--no-preselect"* ]]
		[[ "$output" == *"--preselect-min SIZE"* ]]
	done
}
