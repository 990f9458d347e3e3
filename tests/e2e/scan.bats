#!/usr/bin/env bats
#
# The scanning engine (analyzer/scan.c) through `irkit-analyze rules`:
# check, compile and scan, against Debian's yara CLI as the oracle.
# Fixtures: tests/gen/yara_fixtures.py and small files made here, all in
# a temporary directory.
load helpers

setup_file() {
	W="$(mktemp -d "${BATS_TMPDIR:-/tmp}/irk-scan.XXXXXX")"
	export W
	export XDG_CACHE_HOME="$W/cache"
	python3 "$IRKIT_SRC/tests/gen/yara_fixtures.py" "$W/fx" >/dev/null
}

teardown_file() {
	rm -rf "$W"
}

@test "rules check: the bundled yara-rules/ compile without error" {
	run "$ANALYZE" rules check "$IRKIT_SRC/yara-rules"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *" 0 errors"* ]]
	# no argument: the bundled rules are found by themselves
	run "$ANALYZE" rules check
	[ "$status" -eq 0 ]
}

# The closing line of `rules check` without PATH, from another folder and
# with no IRKIT_SRC: which bundled rules the binary found by itself.
bundled_line() {
	(cd / && env -u IRKIT_SRC IRKIT_SRC=${1-} "$2" rules check 2>&1 >/dev/null) |
	    sed -n 's/^.*: \([0-9]* rules from [0-9]* files\).*/\1/p'
}

@test "rules check: the bundled rules are found beside the binary or in the source tree, not through IRKIT_SRC" {
	src=$(bundled_line "" "$ANALYZE")
	run "$ANALYZE" rules check "$IRKIT_SRC/yara-rules"
	[[ "$output" == *"$src"* ]]
	[ -n "$src" ]
	# an IRKIT_SRC with other rules in the environment changes nothing
	mkdir -p "$W/other/yara-rules" "$W/inst/bin" "$W/inst/yara-rules" "$W/bare/bin"
	printf 'rule a { condition: true }\nrule b { condition: false }\n' > "$W/other/yara-rules/x.yar"
	[ "$(bundled_line "$W/other" "$ANALYZE")" = "$src" ]
	# a copy elsewhere with nothing beside it: the dev build's source tree
	cp "$ANALYZE" "$W/bare/bin/"
	[ "$(bundled_line "$W/other" "$W/bare/bin/irkit-analyze")" = "$src" ]
	# installed: <bindir>/../yara-rules comes first
	cp "$ANALYZE" "$W/inst/bin/"
	printf 'rule only { condition: true }\n' > "$W/inst/yara-rules/i.yar"
	[ "$(bundled_line "$W/other" "$W/inst/bin/irkit-analyze")" = "1 rules from 1 files" ]
}

@test "rules check: a broken file is named with its line, the others still load" {
	mkdir -p "$W/broken/sub"
	printf 'rule good_one { strings: $a = "good-marker" condition: $a }\n' \
		> "$W/broken/good.yar"
	printf 'rule ok_two { condition: true }\n\nrule bad {\n  condition:\n    nosuchthing\n}\n' \
		> "$W/broken/sub/bad.yara"
	printf 'not a rule at all' > "$W/broken/ignored.txt"
	run "$ANALYZE" rules check "$W/broken"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"$W/broken/sub/bad.yara:5: "*"nosuchthing"* ]]
	[[ "$output" == *"1 rules from 1 files, 1 errors"* ]]
	# the yara CLI agrees on the line
	run yara "$W/broken/sub/bad.yara" /dev/null
	[[ "$output" == *"bad.yara(5)"* ]]
	# scanning still runs the good file
	echo "xx good-marker xx" > "$W/target"
	run "$ANALYZE" rules scan --no-default-rules -r "$W/broken" "$W/target"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"good_one $W/target"* ]]
}

@test "rules compile: yara -C loads the output and matches as yara on the sources" {
	run "$ANALYZE" rules compile -o "$W/c.yarc" "$IRKIT_SRC/yara-rules"
	echo "$output"
	[ "$status" -eq 0 ]
	yara -C -r "$W/c.yarc" "$W/fx" | sort > "$W/compiled.txt"
	yara -r "$IRKIT_SRC"/yara-rules/*.yar "$W/fx" | sort > "$W/source.txt"
	[ -s "$W/source.txt" ]
	diff "$W/compiled.txt" "$W/source.txt"
}

@test "rules scan: the same (rule, file) pairs as the yara CLI, -j 1 and -j 2" {
	yara -r -p 2 "$IRKIT_SRC"/yara-rules/*.yar "$W/fx" | sort > "$W/oracle.txt"
	[ -s "$W/oracle.txt" ]
	for j in 1 2; do
		"$ANALYZE" rules scan -j $j "$W/fx" | grep -v '^ioc:' | sort > "$W/ours.txt"
		diff "$W/ours.txt" "$W/oracle.txt"
	done
	# every negative fixture stays clean
	! grep -q "/negative/" "$W/ours.txt" || false
}

@test "externals: filename, filepath, extension, filetype select exactly the intended files" {
	d="$W/ext"
	mkdir -p "$d/www" "$d/bin"
	printf '<?php echo 1; ?>\n' > "$d/www/a.php"
	printf '<?php echo 2; ?>\n' > "$d/www/B.PHP"
	printf '<?php echo 3; ?>\n' > "$d/www/c.txt"
	printf 'MZ\x90\x00rest of a fake header\n' > "$d/bin/tool.dat"
	printf '\x7fELF\x02\x01\x01 fake\n' > "$d/bin/svchost.exe"
	printf 'plain\n' > "$d/bin/svchost.exe.txt"
	cat > "$W/ext.yar" <<'R'
rule php_by_extension { condition: extension == ".php" }
rule exe_by_magic { condition: filetype == "EXE" }
rule elf_named_svchost { condition: filetype == "ELF" and filename matches /^svchost\.exe$/is }
rule in_www { condition: filepath matches /\/www$/ and not (extension == ".php") }
rule owner_empty { condition: owner == "" and filename == "tool.dat" }
R
	run "$ANALYZE" rules scan --no-default-rules -r "$W/ext.yar" "$d"
	echo "$output"
	[ "$status" -eq 0 ]
	printf '%s\n' "$output" | sort > "$W/ext-ours.txt"
	sort > "$W/ext-want.txt" <<E
elf_named_svchost $d/bin/svchost.exe
exe_by_magic $d/bin/tool.dat
in_www $d/www/c.txt
owner_empty $d/bin/tool.dat
php_by_extension $d/www/B.PHP
php_by_extension $d/www/a.php
E
	diff "$W/ext-ours.txt" "$W/ext-want.txt"
	# oracle: yara with the same externals given by hand for one file
	run yara -d filename=B.PHP -d filepath="$d/www" -d extension=.php \
		-d filetype=SCRIPT -d owner= "$W/ext.yar" "$d/www/B.PHP"
	[ "$output" = "php_by_extension $d/www/B.PHP" ]
}

@test "IOC lists: hashes, file-name globs; files over the cap are scanned from a map and hashed" {
	d="$W/ioc"
	mkdir -p "$d/Windows/SysWOW64"
	printf 'payload-one\n' > "$d/one.bin"
	printf 'x\n' > "$d/Windows/SysWOW64/NetSetupSvc.dll"
	head -c 4096 /dev/zero > "$d/big.bin"
	s1=$(sha256sum "$d/one.bin" | cut -c1-64)
	m1=$(md5sum "$d/big.bin" | cut -c1-32)
	printf '# mine\n%s # one\n%s # the big one\nevil.example\n' "$s1" "$m1" > "$W/mine.txt"
	run "$ANALYZE" rules scan --max-file-size 1000 --ioc "$W/mine.txt" "$d"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"ioc:sha256:$s1 $d/one.bin"* ]]
	[[ "$output" == *"ioc:md5:$m1 $d/big.bin"* ]]
	[[ "$output" == *"ioc:filename:*/syswow64/netsetupsvc.dll $d/Windows/SysWOW64/NetSetupSvc.dll"* ]]
	# over --max-file-size on the host: mapped, not copied, not skipped
	[[ "$output" != *"skipped"* ]]
	run "$ANALYZE" rules scan --json --max-file-size 1000 "$d/big.bin"
	[[ "$output" != *'"skipped"'* ]]
	[[ "$output" == *"\"sha256\":\"$(sha256sum "$d/big.bin" | cut -c1-64)\""* ]]
}

@test "IOC lists: the loader DLL paths (Microsoft's, signature-base's) match under Windows\\ in any case, and not in other folders" {
	d="$W/msb"
	# the paths as Windows spells them (Microsoft's blog, January 2021;
	# signature-base's filename-iocs.txt; Symantec's SUNBURST blog)
	while read -r p; do
		mkdir -p "$d/$(dirname "$p")"
		printf 'x\n' >"$d/$p"
		# near misses: the same name in System32, the folder elsewhere
		mkdir -p "$d/Windows/System32" "$d/Users/bob/$(dirname "$p")"
		printf 'x\n' >"$d/Windows/System32/$(basename "$p")"
		printf 'x\n' >"$d/Users/bob/$p.bak"
	done <<'EOF2'
Windows/ELAMBKUP/WdBoot.dll
Windows/Registration/crmlog.dll
Windows/SKB/LangModel.dll
Windows/AppPatch/AcWin.dll
Windows/PrintDialog/appxsig.dll
Windows/Microsoft.NET/Framework64/sbscmp30.dll
Windows/Panther/MainQueueOnline.dll
Windows/assembly/GAC_64/MSBuild/3.5.0.0__b03f5f7f11d50a3a/msbuild.dll
Windows/LiveKernelReports/KerRep.dll
Windows/ms/sms/sms.dll
Windows/AUInstallAgent/auagent.dll
Windows/apppatch/apppatch64/sysmain.dll
Windows/Vss/Writers/Application/AppXML.dll
Windows/PCHEALTH/health.dll
Windows/Cursors/cursrv.dll
Windows/CbsTemp/cbst.dll
Windows/AppReadiness/Appapi.dll
Windows/AppReadiness/AppRead.dll
Windows/PrintDialog/PrintDial.dll
Windows/ShellExperiences/MtUvc.dll
Windows/DigitalLocker/lock.dll
Windows/Migration/WTR/ctl.dll
Windows/Speech_OneCore/Engines/TTS/en-US/enUS.Name.dll
Windows/SoftwareDistribution/DataStore/DataStr.dll
Windows/RemotePackages/RemoteApps/RemPack.dll
Windows/ShellComponents/TaskFlow.dll
Windows/DesktopTileResources/resources.dll
EOF2
	[ "$(grep -c 'Cobalt Strike loader DLL path' "$IRKIT_SRC/yara-rules/iocs/filenames.txt")" -eq 26 ]
	printf 'rule irk_none { condition: false }\n' >"$W/none.yar"
	run "$ANALYZE" rules scan --no-default-rules -r "$W/none.yar" \
		--ioc "$IRKIT_SRC/yara-rules/iocs/filenames.txt" "$d"
	echo "$output"
	[ "$(grep -c '^ioc:filename:\*/windows/' <<<"$output")" -eq 27 ]
	! grep -q "System32\|/Users/bob" <<<"$(grep '^ioc:' <<<"$output")" || false
}

@test "hashes, mime and matched strings in --json agree with sha256sum, md5sum, sha1sum, file" {
	f="$W/fx/positive/cmd.jsp"
	[ -e "$f" ]
	run "$ANALYZE" rules scan --json --hash all "$f"
	[ "$status" -eq 0 ]
	line="$output"
	[[ "$line" == *"\"sha256\":\"$(sha256sum "$f" | cut -c1-64)\""* ]]
	[[ "$line" == *"\"md5\":\"$(md5sum "$f" | cut -c1-32)\""* ]]
	[[ "$line" == *"\"sha1\":\"$(sha1sum "$f" | cut -c1-40)\""* ]]
	[[ "$line" == *"\"mime\":\"$(file -b --mime-type "$f")\""* ]]
	# no IOC list with MD5/SHA-1 values: no such digests, unless asked
	run "$ANALYZE" rules scan --json --no-default-rules "$f"
	[[ "$output" != *'"md5"'* ]]
	[[ "$output" == *"\"sha256\":\"$(sha256sum "$f" | cut -c1-64)\""* ]]
	run "$ANALYZE" rules scan --json --no-default-rules --hash all "$f"
	[[ "$output" == *"\"md5\":\"$(md5sum "$f" | cut -c1-32)\""* ]]
	[[ "$output" == *"\"sha1\":\"$(sha1sum "$f" | cut -c1-40)\""* ]]
	run "$ANALYZE" rules scan --hash md5 "$f"
	[ "$status" -eq 2 ]
	# the bundled lists have SHA-1 values and no MD5 ones
	run "$ANALYZE" rules scan --json "$f"
	[[ "$output" != *'"md5"'* ]]
	[[ "$output" == *"\"sha1\":\"$(sha1sum "$f" | cut -c1-40)\""* ]]
	line="$output"
	# string offsets as yara -s reports them (yara prints 0xOFFSET:$id: data)
	yara -s "$IRKIT_SRC"/yara-rules/webshells.yar "$f" | sed -n 's/^0x\([0-9a-f]*\):\(\$[a-z0-9_]*\):.*/\1 \2/p' | sort -u > "$W/s-yara.txt"
	printf '%s\n' "$line" | python3 -c '
import json, sys
o = json.loads(sys.stdin.read())
for m in o["matches"]:
    for s in m["strings"]:
        print("%x %s" % (s["offset"], s["id"]))' | sort -u > "$W/s-ours.txt"
	[ -s "$W/s-yara.txt" ]
	diff "$W/s-ours.txt" "$W/s-yara.txt"
}

@test "ELF content gets its MIME type from the description pass: equal to file --mime-type" {
	e="$W/elf"
	mkdir -p "$e"
	printf 'int main(void) { return 0; }\n' > "$e/t.c"
	gcc -c "$e/t.c" -o "$e/t.o"
	gcc -no-pie "$e/t.c" -o "$e/nopie"
	gcc -pie -fPIE "$e/t.c" -o "$e/pie"
	gcc -shared -fPIC "$e/t.c" -o "$e/lib.so"
	cp /bin/ls "$e/ls"
	head -c 100 /bin/ls > "$e/truncated"
	printf '\177ELF\002\001\001' > "$e/header-only"
	run "$ANALYZE" rules scan --json "$e"
	[ "$status" -eq 0 ]
	printf '%s\n' "$output" | python3 -c '
import json, sys
for l in sys.stdin:
    l = l.strip()
    if l.startswith("{"):
        o = json.loads(l)
        print(o["path"], o["mime"], "|", o["magic"])' | sort > "$W/elf-ours.txt"
	# libmagic on a buffer has no descriptor for its ELF reader: the
	# same as file with the elf test off (-e elf), on the same prefix
	for f in "$e"/*; do
		[ "$f" = "$e/t.c" ] && continue
		printf '%s %s | %s\n' "$f" "$(head -c 65536 "$f" | file -b -e elf --mime-type -)" "$(head -c 65536 "$f" | file -b -e elf -)"
	done | sort > "$W/elf-want.txt"
	cat "$W/elf-want.txt"
	[ "$(grep -c 'x-executable\|x-sharedlib\|x-object' "$W/elf-want.txt")" -ge 4 ]
	grep -v '/t.c ' "$W/elf-ours.txt" | diff - "$W/elf-want.txt"
}

@test "per-file timeout: a pathological rule is cut off and reported" {
	head -c 200000 /dev/urandom > "$W/slow.bin"
	printf 'rule slow { condition: for all i in (0..filesize-1) : ( for all j in (0..filesize-1) : ( uint8(i) != 0x100 ) ) }\n' > "$W/slow.yar"
	SECONDS=0
	run "$ANALYZE" rules scan --no-default-rules -r "$W/slow.yar" --timeout 1 --json "$W/slow.bin"
	[ "$status" -eq 1 ]
	[[ "$output" == *'"skipped":"timeout"'* ]]
	[ "$SECONDS" -lt 10 ]
}

@test "compiled rules are cached by content; a changed rule recompiles" {
	c="$W/cache2"
	mkdir -p "$W/rc"
	printf 'rule r1 { condition: true }\n' > "$W/rc/r.yar"
	XDG_CACHE_HOME="$c" run "$ANALYZE" rules check "$W/rc"
	h1=$(printf '%s\n' "$output" | sed -n 's/.*hash \([0-9a-f]*\)$/\1/p')
	[ -e "$c/irkit/rules-$h1.yarc" ]
	yara -C "$c/irkit/rules-$h1.yarc" /dev/null
	printf 'rule r1 { condition: false }\n' > "$W/rc/r.yar"
	XDG_CACHE_HOME="$c" run "$ANALYZE" rules check "$W/rc"
	h2=$(printf '%s\n' "$output" | sed -n 's/.*hash \([0-9a-f]*\)$/\1/p')
	[ "$h1" != "$h2" ]
	[ -e "$c/irkit/rules-$h2.yarc" ]
}

@test "usage errors exit 2" {
	run "$ANALYZE" rules
	[ "$status" -eq 2 ]
	run "$ANALYZE" rules frob
	[ "$status" -eq 2 ]
	run "$ANALYZE" rules scan -j 0 /dev/null
	[ "$status" -eq 2 ]
}
