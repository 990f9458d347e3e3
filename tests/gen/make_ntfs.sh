#!/usr/bin/env bash
# make_ntfs.sh OUT WORKDIR - an NTFS image laid out as a Windows server:
# SYSTEM and SOFTWARE hives (services, TaskCache, certificate store), a
# user's NTUSER.DAT with a certificate, scheduled task XML (UTF-16),
# planted files, one deleted file.  Needs mkntfs, ntfs-3g (FUSE), hivexsh,
# openssl, python3.  Exits non-zero when the volume cannot be mounted.
set -euo pipefail
out=$1 work=$2
here=$(cd "$(dirname "$0")" && pwd)
s=$work/win
mkdir -p "$s"
python3 "$here"/mkhive.py "$s"/SYSTEM
python3 "$here"/mkhive.py "$s"/SOFTWARE
python3 "$here"/mkhive.py "$s"/NTUSER.DAT
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$s"/k1.pem -outform DER \
	-out "$s"/root.der -days 3650 -subj "/CN=Evil Root CA/O=irkit test" >/dev/null 2>&1
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$s"/k2.pem -outform DER \
	-out "$s"/user.der -days 30 -subj "/CN=bob code signing" >/dev/null 2>&1
python3 "$here"/win_hives.py "$s"
hivexsh -w "$s"/SYSTEM <"$s"/system.hsh
hivexsh -w "$s"/SOFTWARE <"$s"/software.hsh
hivexsh -w "$s"/NTUSER.DAT <"$s"/ntuser.hsh
if [ -n "${IRKIT_BAD_HIVE:-}" ]; then
	# garbage over the cells of the first hive bin: the base block is
	# fine, every key below the root is not
	python3 -c '
import sys
p = sys.argv[1]
b = bytearray(open(p, "rb").read())
for i in range(4096 + 200, len(b), 7):
    b[i] = (i * 131) & 0xff
open(p, "wb").write(bytes(b))' "$s"/SYSTEM
fi

truncate -s 32M "$out"
mkntfs -q -F -f -L WINSRV "$out" >/dev/null 2>&1
m=$work/mnt
mkdir -p "$m"
ntfs-3g "$out" "$m" || exit 1
trap 'fusermount -u "$m" 2>/dev/null || umount "$m" 2>/dev/null || true' EXIT
mkdir -p "$m"/Windows/System32/config "$m"/Windows/System32/Tasks/Microsoft/Windows/Defrag \
	"$m"/Users/bob "$m"/ProgramData/svc "$m"/Windows/Temp
cp "$s"/SYSTEM "$s"/SOFTWARE "$m"/Windows/System32/config/
cp "$s"/NTUSER.DAT "$m"/Users/bob/
cp "$s"/Updater.xml "$m"/Windows/System32/Tasks/Updater
cp "$s"/Defrag.xml "$m"/Windows/System32/Tasks/Microsoft/Windows/Defrag/ScheduledDefrag
mkdir -p "$m"/Windows/Prefetch
cp "$here"/../data/prefetch/CMD.EXE-087B4001.pf "$here"/../data/prefetch/NOTEPAD.EXE-D8414F97.pf "$m"/Windows/Prefetch/
printf 'MZ planted service binary\n' >"$m"/ProgramData/svc/evil.exe
printf 'MZ planted dll\n' >"$m"/Windows/System32/evil.dll
printf 'stage two\n' >"$m"/Windows/Temp/stage2.ps1
printf 'alternate stream data\n' >"$m"/ProgramData/svc/evil.exe:hidden 2>/dev/null || true
sync
rm "$m"/Windows/Temp/stage2.ps1
# and wait for ntfs-3g to have written everything (ntfs_umount.sh)
"$here"/ntfs_umount.sh "$m" "$out"
trap - EXIT
