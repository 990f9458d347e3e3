#!/usr/bin/env python3
"""Corpus and rules for the rule pre-selection equivalence test.

Usage: presel_corpus.py CORPUS RULES

CORPUS gets files of every header class and every size class:
  gen/KIND_SIZE  KIND a header (a minimal PE, MZ alone, the ELF header
                 of /usr/bin/true, \\x7fELF alone, a zip local header,
                 a script, "M", "\\x7fEL"), SIZE each side of every size
                 bound of the rules (sparse files), the marker PRESEL_MARK
                 inside;
  real/          copies of /usr/bin ELF files (marker appended), any PE
                 a package ships (grub EFI images, wine DLLs), scripts;
  arch/          a zip (stored), a tar and a tar.gz of some of them.
RULES gets guard_*.yar: every header guard form the pre-selection reads,
times every size guard form, each rule `HEADER and SIZE and $m`;
tricky.yar: guards it must not read (inside `or`, under `not`, in a
`for`, in comments and strings), a private rule referenced by another;
global.yar: a global rule with a size guard.  The matches of a rule are
then exactly the marked files its guards admit, so a rule left out of a
class wrongly shows.  Standard library only.
"""
import glob
import io
import os
import shutil
import struct
import sys
import tarfile
import zipfile

MARK = b"PRESEL_MARK"

HEADERS = [
    "", "uint16(0) == 0x5A4D", "0x5A4D == uint16(0)",
    "uint16be(0) == 0x4D5A", "uint8(0) == 0x4D and uint8(1) == 0x5A",
    "uint8(0) == 0x4D", "uint32(0) == 0x464C457F",
    "uint32be(0) == 0x7F454C46", "uint32(0) != 0x464C457F",
    "uint16(0) != 0x5A4D", "$mz at 0", "$mzh at 0", "$elfh at 0",
    "pe.is_pe", "elf.type == elf.ET_DYN", "elf.type == 3",
    "uint32(0) == 0x04034B50", "uint16(2) == 0x464C",
]
SIZES = [
    "", "filesize < 1KB", "filesize <= 4096", "65536 > filesize",
    "filesize < 1MB", "2MB >= filesize", "filesize < 3MB",
]
BOUNDS = [1023, 4096, 65535, 1048575, 2097152, 3145727]

TRICKY = {
    "or_top": "uint16(0) == 0x5A4D or $m",
    "or_nested": "(uint16(0) == 0x5A4D or filesize < 1KB) and $m",
    "or_size": "filesize < 1KB or $m",
    "not_guard": "not uint16(0) == 0x5A4D and $m",
    "not_group": "not (uint32(0) == 0x464C457F and filesize < 4096) and $m",
    "for_guard": "for any i in (0..0) : (uint16(i) == 0x5A4D) and $m",
    "comment_string": "uint32(0) == 0x464C457F /* or */ and // or x\n"
                      "    $m and \"x or y\" contains \"or\"",
    "not_private": "$m and not p_mz",
    "private_or": "p_mz or $m and filesize < 1KB",
}


def pe_header():
    dos = bytearray(64)
    dos[0:2] = b"MZ"
    struct.pack_into("<I", dos, 0x3C, 0x40)
    nt = b"PE\0\0" + struct.pack("<HHIIIHH", 0x14C, 1, 0, 0, 0, 0xE0, 0x102)
    opt = bytearray(0xE0)
    struct.pack_into("<H", opt, 0, 0x10B)
    return bytes(dos) + nt + bytes(opt) + bytes(40)


def elf_header():
    with open("/usr/bin/true", "rb") as f:
        return f.read(64)


def kinds():
    return {
        "pe": pe_header(), "mz": b"MZ", "elf": elf_header(),
        "elfbad": b"\x7fELF", "zip": b"PK\x03\x04",
        "script": b"#!/bin/sh\necho presel\n", "m": b"M", "elp": b"\x7fEL",
    }


def write_sized(path, head, size):
    """head, then MARK at 0x1000 (or at the end when smaller), sparse."""
    with open(path, "wb") as f:
        f.write(head[:size])
        off = 0x1000 if size >= 0x1000 + len(MARK) else size - len(MARK)
        if off >= len(head):
            f.seek(off)
            f.write(MARK)
        f.truncate(size)


def corpus(out):
    gen, real, arch = (os.path.join(out, d) for d in ("gen", "real", "arch"))
    for d in (gen, real, arch):
        os.makedirs(d)
    sizes = sorted({64} | {b + d for b in BOUNDS for d in (0, 1)})
    for name, head in kinds().items():
        for size in sizes:
            write_sized(os.path.join(gen, "%s_%d" % (name, size)), head, size)
    with open(os.path.join(gen, "empty"), "wb"):
        pass
    with open(os.path.join(gen, "one"), "wb") as f:
        f.write(b"M")
    for b in ("true", "ls", "bash", "tar", "gzip", "sh"):
        p = shutil.which(b)
        if p is None:
            continue
        with open(p, "rb") as f:
            data = f.read()
        with open(os.path.join(real, b), "wb") as f:
            f.write(data + MARK)
    pes = []
    for pat in ("/usr/lib/grub/*/*.efi", "/usr/lib/shim/*.efi",
                "/usr/lib/*/wine/*/*.dll", "/usr/lib/*/wine/*.dll"):
        pes += sorted(glob.glob(pat))
    for p in pes[:4]:
        shutil.copyfile(p, os.path.join(real, "pkg_" + os.path.basename(p)))
    with open(os.path.join(real, "run.sh"), "wb") as f:
        f.write(b"#!/bin/sh\n# " + MARK + b"\nexec true\n")
    with open(os.path.join(real, "page.php"), "wb") as f:
        f.write(b"<?php echo '" + MARK + b"'; ?>\n")
    members = [os.path.join(real, n) for n in ("run.sh", "page.php", "true")
               if os.path.exists(os.path.join(real, n))]
    with zipfile.ZipFile(os.path.join(arch, "a.zip"), "w", zipfile.ZIP_STORED) as z:
        for m in members:
            z.write(m, os.path.basename(m))
    for mode, name in (("w", "a.tar"), ("w:gz", "a.tar.gz")):
        with tarfile.open(os.path.join(arch, name), mode) as t:
            for m in members:
                t.add(m, os.path.basename(m))


def rule(name, cond, private=False):
    strs = {"$m": '"PRESEL_MARK"', "$mz": '"MZ"', "$mzh": "{ 4D 5A }",
            "$elfh": "{ 7F 45 4C 46 }"}
    used = ["    %s = %s\n" % (k, v) for k, v in strs.items()
            if k + " " in cond + " "]
    return ("%srule %s {\n%s  condition:\n    %s\n}\n" % (
        "private " if private else "", name,
        "  strings:\n" + "".join(used) if used else "", cond))


def rules(out):
    os.makedirs(out)
    for h in range(len(HEADERS)):
        with open(os.path.join(out, "guard_%02d.yar" % h), "w") as f:
            f.write('import "pe"\nimport "elf"\n\n')
            for s in range(len(SIZES)):
                parts = [p for p in (HEADERS[h], SIZES[s]) if p] + ["$m"]
                f.write(rule("g_%02d_%d" % (h, s), " and ".join(parts)) + "\n")
    with open(os.path.join(out, "tricky.yar"), "w") as f:
        f.write(rule("p_mz", "uint16(0) == 0x5A4D", private=True) + "\n")
        for name, cond in TRICKY.items():
            f.write(rule("t_" + name, cond) + "\n")
    with open(os.path.join(out, "global.yar"), "w") as f:
        f.write("global rule g_small {\n  condition:\n    filesize < 1MB\n}\n\n")
        f.write(rule("in_global", "$m") + "\n")
        f.write(rule("in_global_elf", "uint32(0) == 0x464C457F and $m") + "\n")


def main(argv):
    if len(argv) != 3:
        sys.stderr.write(__doc__)
        return 2
    corpus(argv[1])
    rules(argv[2])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
