#!/usr/bin/env bash
# rules.sh - the cost of the bundled detection content (yara-rules/).
#
# Times `yara -C -r -p JOBS` (rules compiled by yarac) over two targets:
#   history  a generated shell history of HIST_MB MB (default 20) of
#            ordinary commands (git, make, ls, curl -o, ssh, ...)
#   usr      a tree of small files, default /usr/share (TREE)
# with four rule sets:
#   empty    one rule that never matches and has no strings
#   pe       the same rule importing the pe module (the cost of parsing
#            every file as a PE)
#   words    60 random words of 8 lower-case letters that never occur:
#            what any rule set of that many text strings costs (the
#            floor of text rules: YARA's automaton leaves its root state
#            at every letter that starts an atom)
#   bundled  every yara-rules/*.yar
# and prints best-of-RUNS (default 3) CPU time (user + sys) and wall
# time, and the ratios bundled/empty and bundled/pe.  The target of
# issue 18: the bundled rules cost no more than the pe module alone
# (CPU ratio bundled/pe <= 1).  CPU time on 20 MB is a few clock ticks,
# so when valgrind is installed the instructions each set executes on
# the first INSTR_MB (default 4) MB of the history are printed too:
# those do not depend on the machine's load.  Run under nice on a
# shared machine.  Environment: HIST_MB, TREE, RUNS, JOBS, INSTR_MB.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
HIST_MB=${HIST_MB:-20}
TREE=${TREE:-/usr/share}
RUNS=${RUNS:-3}
JOBS=${JOBS:-2}
W=$(mktemp -d "${TMPDIR:-/tmp}/irk-bench-rules.XXXXXX")
trap 'rm -rf "$W"' EXIT

python3 - "$W/history" "$HIST_MB" <<'PY'
import random, sys
out, mb = sys.argv[1], int(sys.argv[2])
rnd = random.Random(18)
words = ["src", "build", "tests", "docs", "lib", "include", "main.c", "x.py",
         "README.md", "Makefile", "notes.txt", "/var/log/syslog", "/etc/hosts"]
cmds = [
    "ls -la {w}", "cd {w}", "git status", "git diff {w}", "git log --oneline | head",
    "make -j2", "vim {w}", "grep -rn TODO {w} | sort | uniq -c", "cat {w} | less",
    "ssh admin@host{n}.example.org", "scp {w} backup{n}:/srv/", "sudo systemctl restart nginx",
    "curl -fsSL https://example.org/api/v{n}/status -o status.json",
    "wget -q https://mirror.example.org/pool/pkg{n}.deb", "ps aux | grep python",
    "echo $PATH | tr : '\\n'", "tail -f /var/log/syslog | grep -i error",
    "docker run --rm -it debian:bookworm sh", "python3 -m venv .venv",
    "find . -name '*.o' -delete", "tar -xzf release-{n}.tar.gz", "history | tail -{n}",
    "nc -zv db{n}.example.org 5432", "bash ./configure --prefix=/usr/local",
    "export LD_LIBRARY_PATH=/opt/lib{n}", "sh -c 'echo done'", "exec bash -l",
]
size, lines = mb << 20, []
n = 0
with open(out, "w") as f:
    while n < size:
        line = rnd.choice(cmds).format(w=rnd.choice(words), n=rnd.randint(1, 999)) + "\n"
        f.write(line)
        n += len(line)
PY
printf 'rule irk_bench_empty { condition: false }\n' > "$W/empty.yar"
printf 'import "pe"\nrule irk_bench_pe { condition: pe.number_of_sections == 12345 }\n' > "$W/pe.yar"
yarac "$W/empty.yar" "$W/empty.yarc"
yarac "$W/pe.yar" "$W/pe.yarc"
python3 - "$W/words.yar" <<'PY'
import random, sys
rnd = random.Random(60)
with open(sys.argv[1], "w") as f:
    f.write("rule irk_bench_words {\n strings:\n")
    for i in range(60):
        w = "".join(rnd.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(8))
        f.write('  $w%d = "%s"\n' % (i, w))
    f.write(" condition: any of them\n}\n")
PY
yarac "$W/words.yar" "$W/words.yarc"
yarac "$top"/yara-rules/*.yar "$W/bundled.yarc"
# warm the page cache
cat "$W/history" > /dev/null
find "$TREE" -type f -size -64M -print0 2>/dev/null | xargs -0 cat > /dev/null 2>&1 || true
echo "== rules bench: history $(du -m "$W/history" | cut -f1) MB, tree $TREE" \
	"($(find "$TREE" -type f 2>/dev/null | wc -l) files), -p $JOBS, best of $RUNS"

# run SET TARGET: append "wall cpu" of one yara run to $W/SET.TARGET.t
run() {
	local f=$2
	[ "$2" = history ] && f=$W/history
	[ "$2" = usr ] && f=$TREE
	/usr/bin/time -f '%e %U %S' -o "$W/t" yara -C -r -p "$JOBS" "$W/$1.yarc" "$f" \
		> "$W/$1.$2.out" 2>/dev/null || true
	awk '{ printf "%.2f %.2f\n", $1, $2 + $3 }' "$W/t" >> "$W/$1.$2.t"
}
best() { awk 'NR == 1 || $'"$2"' < b { b = $'"$2"' } END { print b }' "$W/$1.t"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b <= 0) b = 0.01; printf "%.2f", a / b }'; }

for target in history usr; do
	for i in $(seq "$RUNS"); do
		for set in empty pe words bundled; do
			run "$set" "$target"
		done
	done
	for set in empty pe words bundled; do
		printf '%-8s %-8s CPU %7.2f s  wall %7.2f s  matches %d\n' "$target" "$set" \
			"$(best "$set.$target" 2)" "$(best "$set.$target" 1)" \
			"$(wc -l < "$W/$set.$target.out")"
	done
	echo "$target ratio CPU bundled/empty $(ratio "$(best "bundled.$target" 2)" "$(best "empty.$target" 2)")," \
		"bundled/pe $(ratio "$(best "bundled.$target" 2)" "$(best "pe.$target" 2)")," \
		"pe/empty $(ratio "$(best "pe.$target" 2)" "$(best "empty.$target" 2)")"
done
# instructions: yara's instructions on the first INSTR_MB MB of the
# history, less those on an empty file (loading the rules)
if command -v valgrind >/dev/null; then
	head -c "$(( ${INSTR_MB:-4} << 20 ))" "$W/history" > "$W/hist.part"
	: > "$W/zero"
	ir() {
		valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null \
			yara -C -p 1 "$W/$1.yarc" "$2" 2>&1 >/dev/null |
			awk '/I[ ]+refs/ { gsub(",", "", $4); print $4 }'
	}
	for set in empty pe words bundled; do
		echo "$(( $(ir "$set" "$W/hist.part") - $(ir "$set" "$W/zero") ))" > "$W/$set.ir"
		printf 'history  %-8s instructions per byte %6.2f\n' "$set" \
			"$(awk -v n="$(cat "$W/$set.ir")" -v b="$(wc -c < "$W/hist.part")" 'BEGIN { print n / b }')"
	done
	echo "history instructions bundled/empty $(ratio "$(cat "$W/bundled.ir")" "$(cat "$W/empty.ir")")," \
		"bundled/pe $(ratio "$(cat "$W/bundled.ir")" "$(cat "$W/pe.ir")")," \
		"words/pe $(ratio "$(cat "$W/words.ir")" "$(cat "$W/pe.ir")")"
fi
echo "(load average: $(cut -d' ' -f1-3 /proc/loadavg); compare CPU, not wall, and instructions)"
