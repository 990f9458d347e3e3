#!/usr/bin/env python3
"""Generate a large public-style YARA rule set for benchmarks.

Usage: gen_rules.py OUTDIR [NRULES] [STYLE]

Writes NRULES (default 3000) rules over 30 files in OUTDIR, shaped like
public sets such as signature-base: text strings (ascii, wide, nocase,
fullword), hex strings with jumps and wildcards, a few regular
expressions, header checks (uint16(0) == 0x5a4d, uint32(0) == 0x464c457f),
filesize bounds and "N of them" conditions.  A fraction of rules look for
strings common in Linux binaries so the benchmark has matches to compare.
STYLE "atoms": rules whose strings are short pieces of what ordinary
Linux binaries hold (symbol names, x86-64 instruction bytes), half of them
behind a PE header check, so YARA's atoms hit often (as signature-base's
PE rules do on a Linux tree): what rule pre-selection saves.
Deterministic (fixed seed); standard library only.
"""
import os
import random
import sys

WORDS = ("agent beacon loader inject payload stage config update service "
         "shell proxy tunnel crypt decode encode token session socket "
         "handler install persist keylog screen upload download remote "
         "spawn thread module plugin report collect gather steal dump "
         "memory process registry network client server command control "
         "backdoor dropper implant miner wallet ransom vault").split()

# Strings found in ordinary Linux binaries and libraries.
COMMON = ["GLIBC_2.2.5", "libc.so.6", "__libc_start_main", "GCC: (Debian",
          "/lib64/ld-linux-x86-64.so.2", "__cxa_finalize", "_ITM_registerTMCloneTable",
          "pthread_create", "OPENSSL_", "Usage: %s", "--help", "Copyright (C)",
          "strerror", "getopt_long", "malloc", "GNU C", ".note.gnu.build-id",
          "sigaction", "setlocale", "textdomain"]


def ident(r, n):
    return "".join(r.choice("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
                   for _ in range(n))


def text_string(r):
    k = r.random()
    if k < 0.4:
        s = r.choice(WORDS).capitalize() + r.choice(WORDS).capitalize() + ident(r, r.randint(2, 6))
    elif k < 0.7:
        s = "%s_%s_%s" % (r.choice(WORDS), r.choice(WORDS), ident(r, 4))
    elif k < 0.85:
        s = "http://%s.%s%d.com/%s.php" % (ident(r, 6).lower(), r.choice(WORDS),
                                            r.randint(10, 99), r.choice(WORDS))
    else:
        s = "C:\\\\Users\\\\Public\\\\%s.exe" % ident(r, 8)
    mods = r.choice(["ascii", "ascii wide", "wide", "fullword ascii", "ascii nocase"])
    return '"%s" %s' % (s, mods)


def hex_string(r):
    parts = []
    for _ in range(r.randint(2, 4)):
        parts.append(" ".join("%02X" % r.randint(0, 255) for _ in range(r.randint(4, 8))))
    out = parts[0]
    for p in parts[1:]:
        out += " " + r.choice(["??", "?? ??", "[1-4]", "[2]", "?? ?? ??"]) + " " + p
    return "{ %s }" % out


def regex_string(r):
    w = r.choice(WORDS)
    return "/%s[0-9]{2,4}\\.(exe|dll|dat)/ nocase" % (w + ident(r, 3).lower())


def rule(r, i):
    name = "BENCH_%s_%s_%04d" % (r.choice(["APT", "MAL", "HKTL", "SUSP", "WEBSHELL"]),
                                  r.choice(WORDS).capitalize(), i)
    strs = []
    common = r.random() < 0.03
    for j in range(r.randint(2, 8)):
        k = r.random()
        if k < 0.6:
            strs.append(("$s%d" % j, text_string(r)))
        elif k < 0.92:
            strs.append(("$x%d" % j, hex_string(r)))
        else:
            strs.append(("$r%d" % j, regex_string(r)))
    if common:
        for j, c in enumerate(r.sample(COMMON, 3)):
            strs.append(("$c%d" % j, '"%s" ascii' % c))
    hdr = r.choice(["uint16(0) == 0x5a4d and ", "uint32(0) == 0x464c457f and ", "", ""])
    size = r.choice(["filesize < 2MB and ", "filesize < 500KB and ", "", "filesize < 20MB and "])
    if common:
        cond = "(uint32(0) == 0x464c457f and all of ($c*)) or 5 of them"
    else:
        cond = hdr + size + r.choice(["2 of them", "any of them", "3 of them",
                                      "(1 of ($x*) or 2 of them)" if any(
                                          s[0].startswith("$x") for s in strs) else "any of them"])
    lines = ["rule %s {" % name, "  meta:",
             '    description = "benchmark rule %d"' % i,
             '    author = "irkit bench"',
             "    score = %d" % r.choice([40, 60, 70, 75, 80, 90]),
             "  strings:"]
    lines += ["    %s = %s" % s for s in strs]
    lines += ["  condition:", "    " + cond, "}", ""]
    return "\n".join(lines)


def atoms_rule(r, i):
    strs = []
    for j in range(r.randint(2, 5)):
        k = r.random()
        if k < 0.4:
            strs.append('"%s%s" ascii wide' % (r.choice(COMMON), r.choice(["", "_x", "Q"])))
        elif k < 0.7:
            strs.append('"%s" nocase' % r.choice(COMMON)[:6])
        else:
            strs.append("{ 48 8B %02X ?? 48 %02X }" % (r.randint(0, 255), r.randint(0, 255)))
    hdr = "uint16(0) == 0x5a4d and " if i % 2 == 0 else ""
    size = r.choice(["filesize < 500KB and ", "", "filesize < 2MB and "])
    lines = ["rule BENCH_ATOMS_%04d {" % i, "  strings:"]
    lines += ["    $s%d = %s" % (j, s) for j, s in enumerate(strs)]
    lines += ["  condition:", "    %s%s%d of them" % (hdr, size, len(strs)), "}", ""]
    return "\n".join(lines)


def main(argv):
    if len(argv) < 2:
        sys.stderr.write(__doc__)
        return 2
    out = argv[1]
    n = int(argv[2]) if len(argv) > 2 else 3000
    style = argv[3] if len(argv) > 3 else "public"
    os.makedirs(out, exist_ok=True)
    r = random.Random(20201213)
    per = (n + 29) // 30
    i = 0
    for f in range(30):
        with open(os.path.join(out, "bench_%02d.yar" % f), "w") as fp:
            for _ in range(per):
                if i >= n:
                    break
                fp.write((atoms_rule(r, i) if style == "atoms" else rule(r, i)) + "\n")
                i += 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
