#!/usr/bin/env bash
# packages.sh [ROOT] - the package-file check of this host (or of ROOT)
# against dpkg's own: `irkit-collect --only packages` (default scope, then
# --integrity full) timed against `dpkg --verify` and `debsums -s` (when
# installed), wall and CPU time from GNU time, and the files each names.
# The check of the result: every file `dpkg --verify` names that lies in
# irkit's default scope is flagged by irkit, and irkit flags nothing else
# (not-owned executables are listed apart: dpkg has no such check).  Not
# a timed test: the host changes.  Run under nice when others build.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
collect=${IRKIT_BUILD:-$top/build}/bin/irkit-collect
root=${1:-/}
[ -x /usr/bin/time ] || { echo "packages.sh: needs GNU time (package time)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "bench: package files of $root, $(nproc) cpus, load $(cut -d' ' -f1 /proc/loadavg)"

# timed NAME CMD...: run, keep stdout+stderr in $tmp/NAME.out, time in $tmp/NAME.t
timed() {
	local name=$1
	shift
	/usr/bin/time -f '%e %U %S' -o "$tmp/$name.t.all" "$@" > "$tmp/$name.out" 2>&1 || true
	# GNU time writes "Command exited with non-zero status N" first
	tail -1 "$tmp/$name.t.all" > "$tmp/$name.t"
	read -r wall usr sys < "$tmp/$name.t"
	printf '  %-22s %7.2f s wall %7.2f s cpu\n' "$name" "$wall" \
		"$(awk -v u="$usr" -v s="$sys" 'BEGIN { print u + s }')"
}
wall() { cut -d' ' -f1 "$tmp/$1.t"; }

rootopt=()
[ "$root" != / ] && rootopt=(--root "$root")
# the page cache warm for all: dpkg reads every file first
dpkgroot=()
[ "$root" != / ] && dpkgroot=(--root="$root")
timed dpkg-verify dpkg "${dpkgroot[@]}" --verify
timed irkit-default "$collect" -q -o "$tmp/d.tar.zst" "${rootopt[@]}" --only packages
timed irkit-full "$collect" -q -o "$tmp/f.tar.zst" "${rootopt[@]}" --only packages --integrity full
if command -v debsums > /dev/null; then
	timed debsums-s debsums "${dpkgroot[@]}" -s
else
	echo "  debsums: not installed (Debian package debsums): skipped"
fi
for a in d f; do
	tar --zstd -xOf "$tmp/$a.tar.zst" --wildcards '*/records/packages.jsonl' > "$tmp/$a.jsonl"
	tar --zstd -xOf "$tmp/$a.tar.zst" --wildcards '*/log.jsonl' |
		grep -o '"[0-9]* package(s), [^"]*"' || true
done
python3 - "$tmp" "$(wall dpkg-verify)" "$(wall irkit-default)" "$(wall irkit-full)" \
	"$( [ -e "$tmp/debsums-s.t" ] && wall debsums-s || echo 0)" <<'PY'
import json, re, sys
tmp, dv, idf, ifu, ds = sys.argv[1], *map(float, sys.argv[2:])
def in_scope(p, conf):
    # the collector's default scope (collectors/packages.c in_scope)
    base = p.rsplit("/", 1)[-1]
    ext = lambda e: any(base[i + len(e):i + len(e) + 1] in ("", ".")
                        for i in range(len(base)) if base.startswith(e, i))
    if conf:
        return p.startswith("/etc/")
    if p.startswith(("/usr/bin/", "/usr/sbin/", "/bin/", "/sbin/")) or \
       "/systemd/system/" in p or ext(".ko"):
        return True
    if p.startswith(("/lib", "/usr/lib")) and ext(".so"):
        return True
    return "/security/" in p and p.endswith(".so")
named = {}
for line in open(f"{tmp}/dpkg-verify.out"):
    m = re.match(r"^(\S+)\s+(c?)\s*(/.*)$", line.rstrip("\n"))
    if m:
        named[m.group(3)] = m.group(2) == "c"
recs = [json.loads(l) for l in open(f"{tmp}/d.jsonl")]
flag = {r["path"] for r in recs if r["status"] not in ("ok", "not-owned")}
unowned = sorted(r["path"] for r in recs if r["status"] == "not-owned")
want = {p for p, c in named.items() if in_scope(p, c)}
print(f"dpkg --verify names {len(named)} file(s), {len(want)} in the default scope")
print(f"irkit default: {len(recs)} record(s), {len(flag)} flagged, {len(unowned)} not-owned")
print(f"  named by dpkg, in scope, not flagged: {sorted(want - flag) or 'none'}")
print(f"  flagged, not named by dpkg: {sorted(flag - set(named)) or 'none'}")
print(f"  not-owned executables: {unowned or 'none'}")
full = [json.loads(l) for l in open(f"{tmp}/f.jsonl")]
ffl = {r["path"] for r in full if r["status"] not in ("ok", "not-owned")}
print(f"irkit full: {len(full)} record(s); dpkg names not flagged: {len(set(named) - ffl)}, "
      f"flagged not named: {len(ffl - set(named))}")
print(f"ratios (wall): dpkg --verify / irkit default {dv / max(idf, .01):.1f}x, "
      f"dpkg --verify / irkit full {dv / max(ifu, .01):.1f}x" +
      (f", debsums -s / irkit default {ds / max(idf, .01):.1f}x, "
       f"debsums -s / irkit full {ds / max(ifu, .01):.1f}x" if ds else ""))
PY
