#!/usr/bin/env bash
# make_evtx_images.sh OUT WORKDIR - disk images holding the event logs of
# tests/data/evtx (real logs from plaso's test data, cut to whole chunks
# by evtx_cut.py):
#   ntfs.raw   NTFS laid out as a Windows host: SYSTEM and SOFTWARE hives
#              (hivexsh), Windows/System32/winevt/Logs/{System,Security}.evtx
#              (ntfs-3g FUSE; absent when it cannot mount)
#   moved.raw  FAT, no Windows root: the Security log exported and renamed
#              to /export/sec.bin (found by its signature)
#   hostile.raw  FAT Windows root whose logs folder holds the System log
#              truncated, with a chunk whose checksum fails, garbage after
#              a good header, the good Security log, and the System log
#              as Archive-System.dat
#   recovered.raw  NTFS Windows root whose Security.evtx has its last 10
#              records in the free space of its last chunk (evtx_cut.py
#              free:10, also left as WORKDIR/rec/Security.evtx): records
#              libevtx recovers (absent when ntfs-3g cannot mount)
# Needs hivexsh, mtools, dosfstools, ntfs-3g, python3.
set -euo pipefail
out=$1 work=$2
here=$(cd "$(dirname "$0")" && pwd)
data=$here/../data/evtx
mkdir -p "$out"
h=$work/hives
"$here"/evtx_hives.sh "$h"
export MTOOLS_SKIP_CHECK=1

# moved.raw: an exported log where no one looks for logs
truncate -s 4M "$out"/moved.raw
mkfs.vfat -n MOVED "$out"/moved.raw >/dev/null
mmd -i "$out"/moved.raw ::/export
mcopy -i "$out"/moved.raw "$data"/Security.evtx ::/export/sec.bin

# hostile.raw: broken logs beside a good one
truncate -s 8M "$out"/hostile.raw
mkfs.vfat -n HOSTILE "$out"/hostile.raw >/dev/null
mmd -i "$out"/hostile.raw ::/Windows ::/Windows/System32 \
	::/Windows/System32/config ::/Windows/System32/winevt \
	::/Windows/System32/winevt/Logs
mcopy -i "$out"/hostile.raw "$h"/SYSTEM "$h"/SOFTWARE ::/Windows/System32/config/
for m in truncate badsum garbage; do
	python3 "$here"/evtx_cut.py "$data"/System.evtx "$work"/$m.evtx 0 $m
	mcopy -i "$out"/hostile.raw "$work"/$m.evtx ::/Windows/System32/winevt/Logs/
done
mcopy -i "$out"/hostile.raw "$data"/Security.evtx ::/Windows/System32/winevt/Logs/
# an EVTX file in the folder without the .evtx name: found by its signature
mcopy -i "$out"/hostile.raw "$data"/System.evtx ::/Windows/System32/winevt/Logs/Archive-System.dat

# An NTFS image $1 laid out as a Windows host, the logs $2... in its logs
# folder; 1 when ntfs-3g cannot mount here.
ntfs_windows() {
	local img=$1
	shift
	m=$work/mnt
	truncate -s 16M "$img"
	mkntfs -q -F -f -L EVTX "$img" >/dev/null 2>&1
	mkdir -p "$m"
	if ! ntfs-3g "$img" "$m"; then
		rm -f "$img"
		return 1
	fi
	trap 'fusermount -u "$m" 2>/dev/null || umount "$m" 2>/dev/null || true' EXIT
	mkdir -p "$m"/Windows/System32/config "$m"/Windows/System32/winevt/Logs
	cp "$h"/SYSTEM "$h"/SOFTWARE "$m"/Windows/System32/config/
	cp "$@" "$m"/Windows/System32/winevt/Logs/
	sync
	"$here"/ntfs_umount.sh "$m" "$img"
	trap - EXIT
}

# ntfs.raw: the logs where Windows keeps them
ntfs_windows "$out"/ntfs.raw "$data"/System.evtx "$data"/Security.evtx || exit 0

# recovered.raw: records in a chunk's free space
mkdir -p "$work"/rec
python3 "$here"/evtx_cut.py "$data"/Security.evtx "$work"/rec/Security.evtx 0 free:10
ntfs_windows "$out"/recovered.raw "$work"/rec/Security.evtx
