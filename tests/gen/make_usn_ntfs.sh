#!/usr/bin/env bash
# make_usn_ntfs.sh OUTDIR - NTFS images for tests/e2e/usn.bats:
#   sample.raw  the plaso $J sample (tests/data/prefetch/UsnJrnl.raw)
#               planted as $Extend/$UsnJrnl:$J (ntfscp)
#   usn.raw     files made through ntfs-3g and a $J written by
#               usn_oracle.py naming them: V2 and V3 entries whose parent
#               is /Users/bob (resolved), one with a stale sequence
#               number, one under a deleted folder, a V4 range record,
#               junk and padding; and executables whose
#               $STANDARD_INFORMATION times were set back: stomp.dll
#               (system.ntfs_times, whole seconds), early.exe and
#               notes.txt (SI created/modified patched in the MFT record
#               to 2015, before their $FILE_NAME times)
#   none.raw    NTFS without a journal
#   refs        "bob_entry bob_seq evil_entry evil_seq gone_entry"
# Needs mkntfs, ntfs-3g (FUSE), ntfscp, TSK (ifind, istat), python3.
set -euo pipefail
out=$1
here=$(cd "$(dirname "$0")" && pwd)
orc=$here/../e2e/usn_oracle.py
m=$out/mnt
mkdir -p "$m"
trap 'fusermount -u "$m" 2>/dev/null || umount "$m" 2>/dev/null || true' EXIT
for i in sample usn none; do
	truncate -s 16M "$out/$i.raw"
	mkntfs -q -F -f "$out/$i.raw" >/dev/null 2>&1
done
ntfscp -f -N '$J' "$out/sample.raw" "$here/../data/prefetch/UsnJrnl.raw" \
	'/$Extend/$UsnJrnl' >/dev/null

ntfs-3g "$out/usn.raw" "$m"
mkdir -p "$m/Users/bob" "$m/Gone" "$m/Windows/System32"
printf 'MZ evil\n' >"$m/Users/bob/evil.exe"
printf 'MZ plain\n' >"$m/Users/bob/plain.dll"
printf 'MZ stomped\n' >"$m/Users/bob/stomp.dll"
printf 'MZ early\n' >"$m/Windows/System32/early.exe"
printf 'notes\n' >"$m/Users/bob/notes.txt"
python3 - "$m/Users/bob/stomp.dll" <<'PY'
import os, struct, sys
t = 1262304000 * 10000000 + 116444736000000000   # 2010-01-01, .0000000
os.setxattr(sys.argv[1], "system.ntfs_times", struct.pack("<QQQQ", t, t, t, t))
PY
"$here"/ntfs_umount.sh "$m" "$out/usn.raw"
gone=$(ifind -n /Gone "$out/usn.raw")
ntfs-3g "$out/usn.raw" "$m"
rmdir "$m/Gone"
"$here"/ntfs_umount.sh "$m" "$out/usn.raw"

# SI created and modified of early.exe and notes.txt set back in their
# MFT records (the $FILE_NAME times stay)
for f in /Windows/System32/early.exe /Users/bob/notes.txt; do
	python3 - "$out/usn.raw" "$(ifind -n "$f" "$out/usn.raw")" <<'PY'
import struct, sys
img, entry = sys.argv[1], int(sys.argv[2])
b = bytearray(open(img, "rb").read())
bps, spc = struct.unpack_from("<HB", b, 0x0b)
mft = struct.unpack_from("<Q", b, 0x30)[0] * bps * spc
c = struct.unpack_from("<b", b, 0x40)[0]
rs = 2 ** -c if c < 0 else c * bps * spc
r = mft + entry * rs
assert b[r:r + 4] == b"FILE"
a = r + struct.unpack_from("<H", b, r + 0x14)[0]
while struct.unpack_from("<I", b, a)[0] != 0x10:
    a += struct.unpack_from("<I", b, a + 4)[0]
v = a + struct.unpack_from("<H", b, a + 0x14)[0]
t = 1433162096 * 10000000 + 1234567 + 116444736000000000  # 2015-06-01 12:34:56.1234567
struct.pack_into("<QQ", b, v, t, t)
open(img, "wb").write(bytes(b))
PY
done

bob=$(ifind -n /Users/bob "$out/usn.raw")
bobseq=$(istat "$out/usn.raw" "$bob" | sed -n 's/^Entry: *[0-9]* *Sequence: *//p')
evil=$(ifind -n /Users/bob/evil.exe "$out/usn.raw")
evilseq=$(istat "$out/usn.raw" "$evil" | sed -n 's/^Entry: *[0-9]* *Sequence: *//p')
echo "$bob $bobseq $evil $evilseq $gone" >"$out/refs"
python3 "$orc" make "$out/J" \
	"v2:evil.exe:$evil:$evilseq:$bob:$bobseq:0x100" \
	"v2:evil.exe:$evil:$evilseq:$bob:$bobseq:0x80000102" \
	v4 junk zeros:4096 \
	"v3:evil.exe:$evil:$evilseq:$bob:$bobseq:0x8800" \
	"v2:stale.txt:$evil:$evilseq:$bob:$((bobseq + 1)):0x200" \
	"v2:lost.txt:300:1:$gone:1:0x80000200" \
	"v2:renamed.exe:$evil:$evilseq:$bob:$bobseq:0x2000"
ntfscp -f -N '$J' "$out/usn.raw" "$out/J" '/$Extend/$UsnJrnl' >/dev/null
trap - EXIT
