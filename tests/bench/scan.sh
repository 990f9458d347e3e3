#!/usr/bin/env bash
# scan.sh - the scanning engine alone against the yara CLI.
#
# Builds a corpus of ~MB (default 300) of real binaries copied from
# /usr/lib and /usr/bin (regular files, each below 64 MiB) and a
# public-style rule set (tests/bench/gen_rules.py, default 3000 rules),
# then times, best of RUNS (default 3):
#   yara -C -r -p 2 compiled corpus              (rules compiled by yarac)
#   irkit-analyze rules scan -j 2 -r rules corpus (hashes + libmagic + IOCs
#                                                  + YARA; rules from cache)
# and the same scan with --no-preselect (every file against every rule:
# what rule pre-selection saves), checks that all report the same
# (rule, file) pairs, and prints the
# wall-time and CPU-time (user + sys) ratios and the peak RSS.  Then, the issue's figure: `ingest -j 2`
# of the corpus as a .tar.zst into a fresh case database against the same
# yara command, matches compared through sqlite3.
# Environment: MB, NRULES, RUNS, JOBS, STYLE (gen_rules.py's: public,
# the default, or atoms).
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
ANALYZE=${IRKIT_BUILD:-$top/build}/bin/irkit-analyze
MB=${MB:-300}
NRULES=${NRULES:-3000}
RUNS=${RUNS:-3}
JOBS=${JOBS:-2}
W=$(mktemp -d "${TMPDIR:-/tmp}/irk-bench-scan.XXXXXX")
trap 'rm -rf "$W"' EXIT
export XDG_CACHE_HOME="$W/cache"

echo "== scan bench: ${MB} MB corpus, $NRULES rules (${STYLE:-public}), -j $JOBS / -p $JOBS"
python3 - "$W/corpus" "$MB" <<'PY'
import os, shutil, sys
out, mb = sys.argv[1], int(sys.argv[2])
os.makedirs(out)
total, n = 0, 0
for root in ("/usr/lib/x86_64-linux-gnu", "/usr/bin", "/usr/sbin", "/usr/lib"):
    for d, dirs, files in os.walk(root):
        dirs.sort()
        for f in sorted(files):
            p = os.path.join(d, f)
            try:
                st = os.lstat(p)
            except OSError:
                continue
            if not os.path.isfile(p) or os.path.islink(p) or st.st_size == 0 or st.st_size >= 64 << 20:
                continue
            n += 1
            shutil.copyfile(p, os.path.join(out, "%06d_%s" % (n, f)))
            total += st.st_size
            if total >= mb << 20:
                print("corpus: %d files, %d bytes" % (n, total))
                sys.exit(0)
print("corpus: %d files, %d bytes" % (n, total))
PY
python3 "$top/tests/bench/gen_rules.py" "$W/rules" "$NRULES" "${STYLE:-public}"
yarac "$W"/rules/*.yar "$W/rules.yarc"
# warm the page cache and irkit's compiled-rules cache
cat "$W"/corpus/* > /dev/null
"$ANALYZE" rules scan --no-default-rules -r "$W/rules" -j "$JOBS" "$W/corpus" > /dev/null

# run NAME OUT CMD...: append "wall cpu rss" of one run to $W/NAME.t
run() {
	local name=$1 out=$2
	shift 2
	/usr/bin/time -f '%e %U %S %M' -o "$W/t" "$@" > "$out" 2> "$W/$name.err" ||
		{ cat "$W/$name.err" >&2; }
	awk '{ printf "%.2f %.2f %d\n", $1, $2 + $3, $4 }' "$W/t" >> "$W/$name.t"
}
# report NAME LABEL: best wall, best CPU, max RSS over the runs
report() {
	awk -v label="$2" '
	NR == 1 || $1 < w { w = $1 } NR == 1 || $2 < c { c = $2 } $3 > r { r = $3 }
	{ all = all " " $1 }
	END { printf "%-22s wall %6.2f s (runs:%s)  CPU %6.2f s  peak RSS %d KiB\n", label, w, all, c, r }' "$W/$1.t"
}
best() { awk 'NR == 1 || $'"$2"' < b { b = $'"$2"' } END { print b }' "$W/$1.t"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }

for i in $(seq "$RUNS"); do
	run yara "$W/yara.out" yara -C -r -p "$JOBS" "$W/rules.yarc" "$W/corpus"
	run irk "$W/irk.out" "$ANALYZE" rules scan --no-default-rules -r "$W/rules" \
		-j "$JOBS" "$W/corpus"
	run irkfull "$W/irkfull.out" "$ANALYZE" rules scan --no-default-rules \
		--no-preselect -r "$W/rules" -j "$JOBS" "$W/corpus"
done
sort "$W/yara.out" > "$W/y.sorted"
{ grep -v '^ioc:' "$W/irk.out" || true; } | sort > "$W/i.sorted"
{ grep -v '^ioc:' "$W/irkfull.out" || true; } | sort > "$W/f.sorted"
ok=1
if ! diff -q "$W/i.sorted" "$W/f.sorted" > /dev/null; then
	echo "pre-selected and full scans DIFFER"
	ok=0
fi
if diff -q "$W/y.sorted" "$W/i.sorted" > /dev/null; then
	same="identical ($(wc -l < "$W/y.sorted") matches)"
else
	same="DIFFERENT"
	ok=0
	diff "$W/y.sorted" "$W/i.sorted" | head -20
fi
report yara "yara -C -r -p $JOBS"
report irk "irkit rules scan -j $JOBS"
report irkfull "  --no-preselect"
echo "ratio --no-preselect/yara: wall $(ratio "$(best irkfull 1)" "$(best yara 1)"), CPU $(ratio "$(best irkfull 2)" "$(best yara 2)")"
echo "ratio engine/yara: wall $(ratio "$(best irk 1)" "$(best yara 1)"), CPU $(ratio "$(best irk 2)" "$(best yara 2)"); matches: $same"

# ingest of a .tar.zst (libarchive + zstd + SQLite on top of the engine)
if "$ANALYZE" ingest --help > /dev/null 2>&1; then
	tar -C "$W/corpus" -cf - . | zstd -q -T0 -o "$W/corpus.tar.zst"
	for i in $(seq "$RUNS"); do
		rm -f "$W/case.db"*
		run ingest /dev/null "$ANALYZE" ingest --db "$W/case.db" --no-default-rules \
			--rules "$W/rules" -j "$JOBS" "$W/corpus.tar.zst"
	done
	sqlite3 "$W/case.db" "SELECT y.rule, f.path FROM yara_matches y JOIN files f ON f.id = y.file_id" |
		awk -F'|' '{ n = split($2, a, "/"); print $1 " " a[n] }' | sort > "$W/g.sorted"
	awk '{ n = split($2, a, "/"); print $1 " " a[n] }' "$W/y.sorted" | sort > "$W/y.base"
	if diff -q "$W/y.base" "$W/g.sorted" > /dev/null; then
		gsame="identical ($(wc -l < "$W/g.sorted") matches)"
	else
		gsame="DIFFERENT"
		ok=0
		diff "$W/y.base" "$W/g.sorted" | head -20
	fi
	report ingest "irkit ingest -j $JOBS"
	echo "ratio ingest/yara: wall $(ratio "$(best ingest 1)" "$(best yara 1)"), CPU $(ratio "$(best ingest 2)" "$(best yara 2)"); matches: $gsame"
fi
echo "(load average: $(cut -d' ' -f1-3 /proc/loadavg); on a busy machine compare the CPU ratios)"
[ "$ok" = 1 ]
