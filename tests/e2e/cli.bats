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
	[ "${stderr_lines[0]}" = "irkit-analyze rules: bad -j '0' (1 to 256)" ]
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

# scan_help CMD...: the block of scan options in CMD's --help, from
# -r/--rules to the end of the --hash lines
scan_help() {
	"$ANALYZE" "$@" --help | awk '/^  -r, --rules /{on=1} on && /^  / && !/^  -r, / && !/^      --(no-default-rules|ioc|max-file-size|hash)/ && !/^  -j, / && !/^                        /{exit} on'
}

@test "cli: ingest, image and rules scan list the same scan options, with the same limits and messages" {
	want=$(scan_help ingest)
	echo "$want"
	for o in '-r, --rules PATH' '--no-default-rules' '--ioc FILE' '-j, --jobs N' \
	    '--max-file-size SIZE' '--hash MODE' '1 to 256' '1 to 4G'; do
		[[ "$want" == *"$o"* ]]
	done
	[ "$(scan_help image | grep -v '^ *none: ')" = "$want" ]
	[ "$(scan_help rules scan)" = "$want" ]
	# the same bad values: exit 2, one message of the same shape
	for c in ingest image "rules scan"; do
		p=${c% scan}
		for bad in "-j 0|bad -j '0' (1 to 256)" \
		    "-j 999|bad -j '999' (1 to 256)" \
		    "--jobs 2x|bad -j '2x' (1 to 256)" \
		    "--max-file-size 1Q|bad --max-file-size '1Q' (1 to 4G)" \
		    "--max-file-size 0|bad --max-file-size '0' (1 to 4G)" \
		    "--max-file-size 5G|bad --max-file-size '5G' (1 to 4G)"; do
			run --separate-stderr "$ANALYZE" $c ${bad%%|*} x
			echo "$c ${bad%%|*}: $status: $stderr"
			[ "$status" -eq 2 ]
			[ "$stderr" = "irkit-analyze $p: ${bad#*|}" ]
		done
		run --separate-stderr "$ANALYZE" $c --hash md4 x
		[ "$status" -eq 2 ]
		[[ "$stderr" =~ ^"irkit-analyze $p: bad --hash 'md4' ("(none, )?"sha256 or all)"$ ]]
		# the limits themselves are accepted (the missing input is what fails)
		run --separate-stderr "$ANALYZE" $c -j 256 --max-file-size 4G --hash all \
		    -r "$SCRATCH/none.yar" --ioc "$SCRATCH/none.txt" --no-default-rules
		[ "$status" -eq 2 ]
		[[ "$stderr" == *"irkit-analyze ${c} "*"[-r PATH]..."* ]]
	done
	run --separate-stderr "$ANALYZE" image --db "$SCRATCH/none.db" --hash none "$SCRATCH/x"
	[ "$status" -ne 2 ]
	run --separate-stderr "$ANALYZE" ingest --db "$SCRATCH/none.db" --hash none "$SCRATCH/x"
	[ "$status" -eq 2 ]
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
	# over --max-file-size: scanned from a map, nothing to say about it
	if grep -q 'big' "$SCRATCH/err"; then false; fi
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
	# the flags the build was made with (build.sh asan: MODE=asan)
	mode=dev
	[ -z "${IRK_ASAN:-}" ] || mode=asan
	# up to date with the commit it was built from: nothing compiles
	run make -s MODE=$mode BUILD="$b" IRK_COMMIT="$(sed -n 's/.*IRK_COMMIT "\(.*\)"/\1/p' "$b/gen/irkit_commit.h")" all
	[ "$status" -eq 0 ]
	run make MODE=$mode BUILD="$b" IRK_COMMIT="$(sed -n 's/.*IRK_COMMIT "\(.*\)"/\1/p' "$b/gen/irkit_commit.h")" all
	[[ "$output" != *" -c "* ]]
	# another commit: analyzer/main.c and nothing else compiles, then links
	run make MODE=$mode BUILD="$b" IRK_COMMIT=0123abc all
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(grep -c ' -c ' <<<"$output")" -eq 1 ]
	[[ "$output" == *" -c analyzer/main.c "* ]]
	[ "$("$b/bin/irkit-analyze" -V | head -1 | sed 's/.*(commit \(.*\))/\1/')" = 0123abc ]
}

@test "build: -Wformat-truncation, -Wformat-nonliteral and -Wmissing-format-attribute are errors in the dev build" {
	command -v make >/dev/null && command -v cc >/dev/null || skip "no make or cc"
	cd "$IRKIT_SRC"
	printf 'show-cflags:\n\t@echo '"'"'$(CFLAGS)'"'"'\n' > "$SCRATCH/show.mk"
	cflags=$(make -s -f Makefile -f "$SCRATCH/show.mk" show-cflags)
	[[ "$cflags" == *-Werror* ]]
	[[ "$cflags" != *-Wno-format* ]]
	# a path cut by snprintf with the result unchecked, then checked
	cat > "$SCRATCH/cut.c" <<'C'
#include <stdio.h>
#include <string.h>
struct rec { char path[64]; };
int name_of(char *out, const struct rec *r);
int
name_of(char *out, const struct rec *r)
{
	char b[8];

#ifdef CHECKED
	if (snprintf(b, sizeof(b), "%s", r->path) >= (int)sizeof(b))
		return -1;
#else
	snprintf(b, sizeof(b), "%s", r->path);
#endif
	memcpy(out, b, sizeof(b));
	return 0;
}
C
	run cc $cflags -c "$SCRATCH/cut.c" -o "$SCRATCH/cut.o"
	echo "$output"
	[ "$status" -ne 0 ]
	[[ "$output" == *"-Werror=format-truncation"* ]]
	cc $cflags -DCHECKED -c "$SCRATCH/cut.c" -o "$SCRATCH/cut.o"
	# a format passed on that is not a literal; a variadic helper without
	# a format attribute; then the helper with one
	cat > "$SCRATCH/fmt.c" <<'C'
#include <stdarg.h>
#include <stdio.h>
#ifdef FIXED
int say(char *out, const char *fmt, const char *a);
int
say(char *out, const char *fmt, const char *a)
{
	return snprintf(out, 8, fmt, a);
}
#else
#ifdef ATTR
__attribute__((format(printf, 2, 3)))
#endif
int say(char *out, const char *fmt, ...);
int
say(char *out, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(out, 8, fmt, ap);
	va_end(ap);
	return n;
}
#endif
C
	run cc $cflags -DFIXED -c "$SCRATCH/fmt.c" -o "$SCRATCH/fmt.o"
	echo "$output"
	[ "$status" -ne 0 ]
	[[ "$output" == *"-Werror=format-nonliteral"* ]]
	run cc $cflags -c "$SCRATCH/fmt.c" -o "$SCRATCH/fmt.o"
	echo "$output"
	[ "$status" -ne 0 ]
	[[ "$output" == *"format attribute"* ]]
	cc $cflags -DATTR -c "$SCRATCH/fmt.c" -o "$SCRATCH/fmt.o"
}

# unused_exports: "SYMBOL OBJECT" for every function or variable the
# libraries export that no other object of the programs uses and no test
# (tests/unit, tests/fuzz) names
unused_exports() {
	local f
	for f in "$IRKIT_BUILD"/lib/*.a "$IRKIT_BUILD"/obj/analyzer/main.o \
	    "$IRKIT_BUILD"/obj/collectors/main.o; do
		nm -A "$f"
	done 2>/dev/null | awk 'NF >= 2 {
		t = $(NF - 1); n = split($1, p, ":"); o = p[n - 1]
		if (t ~ /^[TDBR]$/) def[$NF] = o
		else if (t == "U") use[$NF] = use[$NF] " " o
	} END {
		for (s in def) {
			k = split(use[s], u, " "); c = 0
			for (i = 1; i <= k; i++)
				if (u[i] != def[s])
					c++
			# the symbols of the sanitizers (build.sh asan)
			if (c == 0 && s != "main" && s !~ /^__(odr_asan|asan|ubsan)/)
				print s, def[s]
		}
	}' | while read -r sym obj; do
		grep -qw -- "$sym" "$IRKIT_SRC"/tests/unit/*.c "$IRKIT_SRC"/tests/fuzz/*.c ||
			echo "$sym $obj"
	done | sort
}

@test "build: no library function is exported that nothing else uses" {
	command -v nm >/dev/null || skip "no nm"
	run unused_exports
	echo "$output"
	[ "$status" -eq 0 ]
	# every export is used by another object, a unit test or a fuzz harness
	[ -z "$output" ]
}
