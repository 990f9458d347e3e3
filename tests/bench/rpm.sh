#!/usr/bin/env bash
# rpm.sh [FILES] - the check of a live rpm root: `irkit-collect --root R
# --only packages` (the database copied, the file states recorded) then
# `irkit-analyze ingest` (librpm compares them), timed against
# `rpm --root R -Va` on the same root.  R is built here: one package made
# with rpmbuild holding FILES executables (default 2000), a quarter as
# many libraries and a tenth as many %config files, 32 KiB each,
# installed with `rpm --root R -i`, then one binary replaced; both must
# name it.  Prints irkit's time (collect + ingest), rpm's, and the ratio.
# Run under nice when others build.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
bin=${IRKIT_BUILD:-$top/build}/bin
n=${1:-2000}
command -v rpmbuild > /dev/null || { echo "rpm.sh: needs rpmbuild (package rpm)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp"/top/{SPECS,SOURCES,BUILD,RPMS,SRPMS,BUILDROOT}
cat > "$tmp/top/SPECS/big.spec" <<SPEC
Name: big
Version: 1
Release: 1
Summary: many files
License: MIT
BuildArch: noarch
%description
rpm.sh's package
%install
b=%{buildroot}
mkdir -p \$b/usr/bin \$b/usr/lib64 \$b/etc/big
for i in \$(seq $n); do head -c 32768 /dev/urandom > \$b/usr/bin/big\$i; done
for i in \$(seq $((n / 4))); do head -c 32768 /dev/urandom > \$b/usr/lib64/libbig\$i.so.1; done
for i in \$(seq $((n / 10))); do head -c 32768 /dev/urandom > \$b/etc/big/c\$i.conf; done
chmod 755 \$b/usr/bin/*
%files
/usr/bin/*
/usr/lib64/*
%config /etc/big/*
SPEC
rpmbuild --quiet --define "_topdir $tmp/top" -bb "$tmp/top/SPECS/big.spec" > /dev/null 2>&1
R=$tmp/root
mkdir -p "$R/etc"
printf 'root:x:0:0:root:/root:/bin/sh\n' > "$R/etc/passwd"
printf 'root:x:0:\n' > "$R/etc/group"
rpm --root "$R" --dbpath /var/lib/rpm -i --nodeps --ignorearch "$tmp"/top/RPMS/noarch/big-*.rpm 2> /dev/null
echo evil > "$R/usr/bin/big1"
echo "bench: live rpm root, $n + $((n / 4)) + $((n / 10)) files, $(nproc) cpus, load $(cut -d' ' -f1 /proc/loadavg)"
now() { date +%s.%N; }
# warm the page cache for both
cat "$R"/usr/bin/* "$R"/usr/lib64/* > /dev/null
t0=$(now)
rpm --root "$R" --dbpath /var/lib/rpm -Va --nodeps > "$tmp/rpm.txt" 2>&1 || true
t1=$(now)
"$bin/irkit-collect" -q -o "$tmp/c.tar.zst" --root "$R" --only packages
t2=$(now)
"$bin/irkit-analyze" ingest -q --db "$tmp/case.db" "$tmp/c.tar.zst"
t3=$(now)
grep -q ' /usr/bin/big1$' "$tmp/rpm.txt"
flagged=$(sqlite3 "$tmp/case.db" "SELECT group_concat(path) FROM package_files WHERE status <> 'ok'")
[ "$flagged" = /usr/bin/big1 ] || { echo "rpm.sh: irkit flagged '$flagged'" >&2; exit 1; }
awk -v a="$t0" -v b="$t1" -v c="$t2" -v d="$t3" 'BEGIN {
	rpm = b - a; col = c - b; ing = d - c
	printf "  irkit  %.2f s (collect %.2f s, ingest %.2f s)\n", col + ing, col, ing
	printf "  rpm -Va %.2f s\n", rpm
	printf "  ratio (rpm / irkit) %.2f\n", rpm / (col + ing)
}'
