#!/usr/bin/env bash
# ingest.sh [RAW_MB] [NRULES] - irkit-analyze ingest -j 2 against the yara
# CLI on the same files and the same rules.
#
# Builds a .tar.zst of real binaries (/usr/lib/x86_64-linux-gnu, /usr/bin,
# /usr/lib: regular files, first RAW_MB megabytes, default 900, which
# zstd makes ~300 MB), a public-style rule set (the bundled yara-rules/
# plus NRULES generated string and hex rules, default 3000), compiles it
# with yarac, and times:
#   ours:  irkit-analyze ingest -j 2 --no-default-rules --rules SET ARCHIVE
#          (streams the archive: decompress, hash, magic, YARA, SQLite)
#   yara:  yara -C -r -p 2 SET.yarc DIR on the same files extracted by tar
#          (files already in the page cache)
# and prints the wall ratio, the peak RSS of ours, and whether the
# (rule, file) pairs are identical.  Compiling the rules is outside both
# timings (ours compiles once into its cache before the timed run).
set -euo pipefail
cd "$(dirname "$0")/../.."
make -s -j2 >/dev/null
raw_mb=${1:-900}
nrules=${2:-3000}
W=${BENCH_DIR:-$(mktemp -d /tmp/irk-bench.XXXXXX)}
export XDG_CACHE_HOME="$W/cache"
ANALYZE=$PWD/build/bin/irkit-analyze
mkdir -p "$W"
echo "workdir $W"

if [ ! -f "$W/bin.tar.zst" ]; then
	rm -rf "$W/src"
	mkdir -p "$W/src"
	python3 - "$W/src" "$raw_mb" <<'PY'
import os, shutil, sys
dst, cap = sys.argv[1], int(sys.argv[2]) << 20
seen, total = set(), 0
for root in ("/usr/bin", "/usr/sbin", "/usr/lib/x86_64-linux-gnu", "/usr/libexec", "/usr/lib"):
	for d, dirs, files in os.walk(root):
		dirs.sort()
		for f in sorted(files):
			p = os.path.join(d, f)
			try:
				st = os.lstat(p)
			except OSError:
				continue
			if not os.path.isfile(p) or os.path.islink(p) or (st.st_dev, st.st_ino) in seen:
				continue
			if st.st_size == 0 or st.st_size > (64 << 20):
				continue
			seen.add((st.st_dev, st.st_ino))
			out = os.path.join(dst, p.lstrip("/"))
			os.makedirs(os.path.dirname(out), exist_ok=True)
			try:
				shutil.copy2(p, out)
			except OSError:
				continue
			total += st.st_size
			if total >= cap:
				print(f"{len(seen)} files, {total >> 20} MiB")
				sys.exit(0)
print(f"{len(seen)} files, {total >> 20} MiB")
PY
	tar -C "$W" --zstd -cf "$W/bin.tar.zst" src
	rm -rf "$W/src"
fi
ls -l "$W/bin.tar.zst" | awk '{printf "archive: %.0f MB compressed\n", $5 / 1e6}'

# public-style rules: thousands of text/hex string rules, a few that hit
python3 - "$W/gen.yar" "$nrules" <<'PY'
import random, sys
out, n = sys.argv[1], int(sys.argv[2])
rnd = random.Random(1)
words = ["invoke", "payload", "beacon", "stager", "inject", "shell", "dropper",
         "keylog", "exfil", "persist", "loader", "implant", "tunnel", "agent",
         "crypt", "wiper", "miner", "backdoor", "rootkit", "spray"]
hits = ["GLIBC_2.34", "__cxa_finalize", "GCC: (Debian", "libpthread", "zlib",
        "OpenSSL", "sqlite_master", "Copyright (C) 20", "/etc/passwd", "Usage: %s"]
with open(out, "w") as f:
	for i in range(n):
		a = rnd.choice(words) + "_" + "".join(rnd.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(8))
		b = "".join(rnd.choice("0123456789ABCDEF") for _ in range(16))
		hb = " ".join(b[j:j + 2] for j in range(0, 16, 2))
		c = rnd.choice(words).upper() + str(rnd.randint(1000, 99999))
		f.write(f'rule gen_{i} : generated\n{{\n\tmeta:\n\t\tdescription = "generated rule {i}"\n\t\tscore = {rnd.randint(40, 90)}\n')
		f.write(f'\tstrings:\n\t\t$a = "{a}" ascii wide\n\t\t$b = {{ {hb} }}\n\t\t$c = "{c}" nocase\n')
		if i % 100 == 0:
			f.write(f'\t\t$h = "{hits[(i // 100) % len(hits)]}"\n\tcondition:\n\t\tuint32(0) == 0x464c457f and ($h or any of ($a, $b, $c))\n}}\n\n')
		else:
			f.write('\tcondition:\n\t\tany of them\n}\n\n')
PY
mkdir -p "$W/rules"
cp yara-rules/*.yar "$W/rules/"
cp "$W/gen.yar" "$W/rules/zz_generated.yar"
yarac "$W"/rules/*.yar "$W/rules.yarc"
echo "rules: $(grep -c '^rule ' "$W"/rules/*.yar | awk -F: '{s+=$2} END {print s}')"

# warm our compiled-rules cache, with the rule sets of the pre-selection
# classes this archive needs (yarac's compile is not timed either)
rm -f "$W/warm.db"*
"$ANALYZE" ingest -q --db "$W/warm.db" -j 2 --no-default-rules \
	--rules "$W/rules" "$W/bin.tar.zst" 2>/dev/null || true

# ours
rm -f "$W/case.db"*
/usr/bin/time -v -o "$W/ours.time" "$ANALYZE" ingest --db "$W/case.db" -j 2 \
	--no-default-rules --rules "$W/rules" "$W/bin.tar.zst"
ours_s=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$W/ours.time")
ours_rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$W/ours.time")
# ours without rule pre-selection (every file against every rule)
rm -f "$W/full.db"*
/usr/bin/time -f '%e %U %S' -o "$W/full.time" "$ANALYZE" ingest -q \
	--db "$W/full.db" -j 2 --no-preselect --no-default-rules \
	--rules "$W/rules" "$W/bin.tar.zst"

# yara on the same files, extracted by tar
rm -rf "$W/x" && mkdir -p "$W/x"
tar -C "$W/x" --zstd -xf "$W/bin.tar.zst"
cat $(find "$W/x" -type f) > /dev/null 2>&1 || true	# page cache
(cd "$W/x" && /usr/bin/time -v -o "$W/yara.time" yara -C -r -p 2 "$W/rules.yarc" src > "$W/yara.out" 2> "$W/yara.err") || true
yara_s=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$W/yara.time")
yara_rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$W/yara.time")

# the work yara does not do, alone: the same ingest with no rules at all
# (decompression, SHA-256, libmagic, SQLite), and zstd by itself
rm -f "$W/norules.db"*
/usr/bin/time -f '%e %U %S' -o "$W/norules.time" "$ANALYZE" ingest \
	--db "$W/norules.db" -j 2 --no-default-rules "$W/bin.tar.zst" 2>/dev/null
/usr/bin/time -f '%e %U %S' -o "$W/zstd.time" zstd -dc "$W/bin.tar.zst" >/dev/null
cpu() { awk '{print $2 + $3}' "$1"; }
cpu_of() { awk -F': ' '/User time/ {u=$2} /System time/ {s=$2} END {print u + s}' "$1"; }

sort "$W/yara.out" > "$W/yara.sorted"
sqlite3 "$W/case.db" "SELECT rule || ' ' || path FROM v_yara_hits" | sort > "$W/ours.sorted"
if diff -q "$W/ours.sorted" "$W/yara.sorted" >/dev/null; then same=yes; else same=no; fi
echo "matches: ours $(wc -l < "$W/ours.sorted"), yara $(wc -l < "$W/yara.sorted"), identical: $same"
echo "wall: ours ${ours_s}s, yara ${yara_s}s, ratio $(python3 -c "print(round($ours_s / $yara_s, 3))")"
echo "peak RSS: ours $((ours_rss / 1024)) MiB, yara $((yara_rss / 1024)) MiB"
echo "ours --no-preselect: wall $(awk '{print $1}' "$W/full.time")s, cpu $(awk '{print $2 + $3}' "$W/full.time")s"
ours_cpu=$(cpu_of "$W/ours.time"); yara_cpu=$(cpu_of "$W/yara.time")
extra_cpu=$(cpu "$W/norules.time"); zstd_cpu=$(cpu "$W/zstd.time")
python3 - "$ours_cpu" "$yara_cpu" "$extra_cpu" "$zstd_cpu" "$(nproc)" <<'PY'
import sys
ours, yara, extra, zstd, ncpu = map(float, sys.argv[1:])
print(f"cpu: ours {ours:.2f}s, yara {yara:.2f}s, ratio {ours / yara:.3f}")
print(f"work yara does not do (ingest with no rules): {extra:.2f}s cpu, "
      f"of which zstd -dc alone {zstd:.2f}s")
# yara keeps every core busy: on {ncpu} cores the extra CPU can only add
print(f"on {int(ncpu)} cores yara keeps busy: (yara + extra) / yara = "
      f"{(yara + extra) / yara:.3f} (estimate); decompression alone, "
      f"a hard floor: {(yara + zstd) / yara:.3f}")
PY
[ -n "${KEEP:-}" ] || rm -rf "$W/x"
