#!/usr/bin/env bats
bats_require_minimum_version 1.5.0
# irkit-analyze's command line: -V against the library packages and git,
# `help CMD`, one message prefix and exit code for usage errors across
# commands, and evidence names escaped on the terminal (rules scan).

load helpers

setup() {
	setup_scratch
}

teardown() {
	teardown_scratch
}

# The commands the top-level usage lists.
commands() {
	"$ANALYZE" --help | awk '/^  [a-z]+ / { print $1 }'
}

# upstream_version PKG: a Debian package's version without epoch and
# Debian revision (1:5.44-3 -> 5.44, 3.40.1-2+deb12u2 -> 3.40.1)
upstream_version() {
	dpkg-query -W -f '${Version}' "$1" | sed -e 's/^[0-9]*://' -e 's/-[^-]*$//' \
	    -e 's/+dfsg.*//'
}

@test "cli: -V names the commit and the versions of libyara, libmagic, libtsk, libarchive, SQLite" {
	run "$ANALYZE" -V
	echo "$output"
	[ "$status" -eq 0 ]
	if git -C "$IRKIT_SRC" rev-parse --short HEAD >/dev/null 2>&1 && [ -e "$IRKIT_SRC/.git" ]; then
		commit=$(git -C "$IRKIT_SRC" rev-parse --short HEAD)
	else
		commit=unknown
	fi
	[[ "${lines[0]}" =~ ^irkit-analyze\ [0-9.]+\ \(commit\ $commit\)$ ]]
	[[ "$output" == *$'\n'"libyara $(yara --version)"$'\n'* ]]
	[[ "$output" == *$'\n'"SQLite $(sqlite3 --version | cut -d' ' -f1)"$'\n'* ]]
	command -v dpkg-query >/dev/null || skip "no dpkg-query"
	[[ "$output" == *$'\n'"libyara $(upstream_version libyara-dev)"$'\n'* ]]
	[[ "$output" == *$'\n'"libmagic $(upstream_version libmagic-dev)"$'\n'* ]]
	[[ "$output" == *$'\n'"libtsk $(upstream_version libtsk-dev)"$'\n'* ]]
	[[ "$output" == *$'\n'"libarchive $(upstream_version libarchive-dev)"$'\n'* ]]
	[[ "$output" == *$'\n'"SQLite $(upstream_version libsqlite3-dev)"$'\n'* ]]
	[[ "$output" == *$'\n'"jansson $(upstream_version libjansson-dev)"$'\n'* ]]
	[[ "$output" == *$'\n'"OpenSSL $(upstream_version libssl-dev | sed 's/~.*//')"* ]]
	run "$ANALYZE" --version
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "irkit-analyze $(sed -n 's/.*IRK_VERSION "\(.*\)"/\1/p' "$IRKIT_SRC/include/irkit/version.h") (commit $commit)" ]
}

@test "cli: 'help CMD' is 'CMD --help' for every command; an unknown one is a usage error" {
	n=0
	for c in $(commands); do
		run --separate-stderr "$ANALYZE" "$c" --help
		[ "$status" -eq 0 ]
		want=$output
		[[ "$want" == *"usage: irkit-analyze $c"* ]]
		run --separate-stderr "$ANALYZE" help "$c"
		[ "$status" -eq 0 ]
		[ "$output" = "$want" ]
		[ -z "$stderr" ]
		n=$((n + 1))
	done
	[ "$n" -ge 7 ]
	run --separate-stderr "$ANALYZE" help
	[ "$status" -eq 0 ]
	[[ "$output" == "usage: irkit-analyze COMMAND"* ]]
	run --separate-stderr "$ANALYZE" help nosuchcommand
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[[ "$stderr" == "irkit-analyze: unknown command 'nosuchcommand'"* ]]
	run --separate-stderr "$ANALYZE" nosuchcommand
	[ "$status" -eq 2 ]
	[[ "$stderr" == "irkit-analyze: unknown command 'nosuchcommand'"* ]]
	run --separate-stderr "$ANALYZE"
	[ "$status" -eq 2 ]
}

@test "cli: usage errors exit 2 with 'irkit-analyze CMD: ' for every command" {
	for c in $(commands); do
		sub=
		[ "$c" = rules ] && sub=check
		run --separate-stderr "$ANALYZE" $c $sub --no-such-option
		echo "$c: $status: $stderr"
		[ "$status" -eq 2 ]
		[[ "${stderr_lines[0]}" == "irkit-analyze $c: unrecognized option '--no-such-option'" ]]
	done
	run --separate-stderr "$ANALYZE" rules scan --no-such-option x
	[ "$status" -eq 2 ]
	[[ "${stderr_lines[0]}" == "irkit-analyze rules: unrecognized option '--no-such-option'" ]]
	run --separate-stderr "$ANALYZE" rules scan -j 0 x
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "irkit-analyze rules: bad -j '0'" ]
	run --separate-stderr "$ANALYZE" verify
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "irkit-analyze verify: no evidence named" ]
	run --separate-stderr "$ANALYZE" export --format nope
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "irkit-analyze export: unknown format 'nope'" ]
	run --separate-stderr "$ANALYZE" export --format csv --db "$SCRATCH/none.db"
	[ "$status" -eq 3 ]
	[[ "${stderr_lines[0]}" == "irkit-analyze export: cannot read '$SCRATCH/none.db'"* ]]
	run --separate-stderr "$ANALYZE" report --db "$SCRATCH/none.db"
	[ "$status" -eq 3 ]
	[[ "${stderr_lines[0]}" == "irkit-analyze report: cannot read '$SCRATCH/none.db'"* ]]
}

@test "cli: rules scan escapes hostile file names on stdout and stderr, --json keeps them" {
	d=$SCRATCH/d
	mkdir "$d"
	for n in $'a\e]0;pwned\a' $'b\e[31m' $'c\x9b' $'d\xff' $'e\xc2\x9b'; do
		echo IRKITMARK > "$d/$n"
	done
	head -c 5000 /dev/zero > "$d/"$'big\e[2J'
	ln -s /nonexistent "$SCRATCH/"$'dangle\e[5m'
	printf 'rule mark { strings: $a = "IRKITMARK" condition: $a }\n' > "$SCRATCH/r.yar"
	"$ANALYZE" rules scan --no-default-rules -r "$SCRATCH/r.yar" --max-file-size 1000 \
	    "$d" "$SCRATCH/"$'dangle\e[5m' > "$SCRATCH/out" 2> "$SCRATCH/err" || [ $? -eq 1 ]
	cat "$SCRATCH/out" "$SCRATCH/err"
	no_raw_controls "$SCRATCH/out"
	no_raw_controls "$SCRATCH/err"
	sort "$SCRATCH/out" > "$SCRATCH/out.sorted"
	cat > "$SCRATCH/want" <<-EOF
	mark $d/a\\x1b]0;pwned\\x07
	mark $d/b\\x1b[31m
	mark $d/c\\x9b
	mark $d/d\\xff
	mark $d/e\\xc2\\x9b
	EOF
	diff "$SCRATCH/want" "$SCRATCH/out.sorted"
	grep -qxF "irkit-analyze rules: '$d/big\\x1b[2J' skipped: too large" "$SCRATCH/err"
	grep -qxF "irkit-analyze rules: cannot read '$SCRATCH/dangle\\x1b[5m': No such file or directory" "$SCRATCH/err"
	# --json is for programs: the names come back exactly (bytes that are
	# not UTF-8 as the text \xNN), and only ASCII is written
	"$ANALYZE" rules scan --json --no-default-rules -r "$SCRATCH/r.yar" "$d" > "$SCRATCH/json"
	no_raw_controls "$SCRATCH/json"
	python3 - "$SCRATCH/json" "$d" <<-'PY'
	import json, os, sys
	lines = open(sys.argv[1], "rb").read().splitlines()
	assert all(max(l) < 0x80 for l in lines)
	got = {json.loads(l)["path"] for l in lines}
	d = sys.argv[2]
	want = set()
	for n in os.listdir(d.encode()):
	    try:
	        want.add(os.path.join(d, n.decode("utf-8")))
	    except UnicodeDecodeError:
	        want.add(os.path.join(d, "".join(chr(b) if b < 0x80 else "\\x%02x" % b for b in n)))
	assert got == want, (got, want)
	PY
}

@test "cli: a new commit rebuilds main.c only, and -V names it" {
	command -v make >/dev/null || skip "no make"
	b=$SCRATCH/build
	mkdir "$b"
	cp -a "$IRKIT_BUILD/obj" "$IRKIT_BUILD/lib" "$IRKIT_BUILD/bin" "$IRKIT_BUILD/gen" "$b/"
	cd "$IRKIT_SRC"
	# up to date with the commit it was built from: nothing compiles
	run make -s BUILD="$b" IRK_COMMIT="$(sed -n 's/.*IRK_COMMIT "\(.*\)"/\1/p' "$b/gen/irkit_commit.h")" all
	[ "$status" -eq 0 ]
	run make BUILD="$b" IRK_COMMIT="$(sed -n 's/.*IRK_COMMIT "\(.*\)"/\1/p' "$b/gen/irkit_commit.h")" all
	[[ "$output" != *" -c "* ]]
	# another commit: analyzer/main.c and nothing else compiles, then links
	run make BUILD="$b" IRK_COMMIT=0123abc all
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(grep -c ' -c ' <<<"$output")" -eq 1 ]
	[[ "$output" == *" -c analyzer/main.c "* ]]
	[ "$("$b/bin/irkit-analyze" -V | head -1 | sed 's/.*(commit \(.*\))/\1/')" = 0123abc ]
}
