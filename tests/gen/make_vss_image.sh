#!/usr/bin/env bash
# make_vss_image.sh OUT WORKDIR [OUT2] - OUT: a disk image (no partition table)
# whose NTFS volume has one volume shadow copy, made by vss_make.py from
# two states of the same NTFS (a Windows root with the hives of
# evtx_hives.sh):
#   the shadow copy (2020-12-13 00:00:00 UTC): Windows/System32/winevt/
#       Logs/Security.evtx whole (tests/data/evtx: 194 records) and
#       System.evtx
#       and Users/Public/evil.exe; its SYSTEM hive has the services
#       KeptSvc, GoneSvc and ChangedSvc (its image path evil.exe)
#   the live volume: Security.evtx holds only its first chunk (104
#       records: the others are gone, as after a log cleared), and
#       System.evtx as it was; evil.exe deleted, GoneSvc deleted from
#       SYSTEM, ChangedSvc's image path svchost.exe (restored), KeptSvc
#       as it was
# WORKDIR keeps old.raw (the copy's state) and new.raw (the live one).
# OUT2 (if given): the same with two copies: vss1 the state above,
# vss2 (a day later) that state with Users/Public/mid.txt added, the
# live volume that one changed as above (mid.txt deleted too); WORKDIR
# keeps mid.raw and new2.raw.
# Exits 0 without OUT when ntfs-3g cannot mount here.
# Needs mkntfs, ntfs-3g, python3, hivexsh.
set -euo pipefail
out=$1 work=$2 out2=${3:-}
here=$(cd "$(dirname "$0")" && pwd)
data=$here/../data/evtx
m=$work/mnt hives=$work/hives
mkdir -p "$work" "$m"
"$here"/evtx_hives.sh "$hives"
# svc [add] NAME IMAGE: a service key's values for hivexsh, under
# ControlSet001 (add: the key made first)
svc() {
	printf 'cd \\ControlSet001\\Services\n'
	[ "$1" = add ] && { shift; printf 'add %s\n' "$1"; }
	printf 'cd %s\n' "$1"
	printf 'setval 3\nType\ndword:0x10\nStart\ndword:0x2\nImagePath\nstring:%s\n' "$2"
}
{
	svc add KeptSvc 'C:\Windows\System32\kept.exe'
	svc add ChangedSvc 'C:\Windows\System32\svchost.exe -k netsvcs'
	printf 'commit\n'
} | hivexsh -w "$hives"/SYSTEM
cp "$hives"/SYSTEM "$hives"/SYSTEM.old
{
	svc add GoneSvc 'C:\Users\Public\evil.exe'
	svc ChangedSvc 'C:\Users\Public\evil.exe -k netsvcs'
	printf 'commit\n'
} | hivexsh -w "$hives"/SYSTEM.old
trap 'fusermount -u "$m" 2>/dev/null || umount "$m" 2>/dev/null || true' EXIT

# 24 MiB, the first 16 MiB NTFS: the VSS structures go after it
truncate -s 24M "$work"/old.raw
mkntfs -q -F -f -L VSS "$work"/old.raw 32768 >/dev/null 2>&1
ntfs-3g "$work"/old.raw "$m" || exit 0
logs=$m/Windows/System32/winevt/Logs
mkdir -p "$m"/Windows/System32/config "$logs"
cp "$hives"/SYSTEM.old "$m"/Windows/System32/config/SYSTEM
cp "$hives"/SOFTWARE "$m"/Windows/System32/config/
cp "$data"/Security.evtx "$data"/System.evtx "$logs"/
mkdir -p "$m"/Users/Public
printf 'MZ not really a program\n' >"$m"/Users/Public/evil.exe
sync
# each unmount waits for ntfs-3g to have written everything
"$here"/ntfs_umount.sh "$m" "$work"/old.raw

python3 "$here"/evtx_cut.py "$data"/Security.evtx "$work"/cleared.evtx 1
# live FROM TO: TO is FROM as the live volume is after the snapshots
live() {
	cp "$work/$1" "$work/$2"
	ntfs-3g "$work/$2" "$m"
	cp "$work"/cleared.evtx "$logs"/Security.evtx
	cp "$hives"/SYSTEM "$m"/Windows/System32/config/SYSTEM
	rm -f "$m"/Users/Public/evil.exe "$m"/Users/Public/mid.txt
	sync
	"$here"/ntfs_umount.sh "$m" "$work/$2"
}
live old.raw new.raw
if [ -n "$out2" ]; then
	cp "$work"/old.raw "$work"/mid.raw
	ntfs-3g "$work"/mid.raw "$m"
	printf 'between the two snapshots\n' >"$m"/Users/Public/mid.txt
	sync
	"$here"/ntfs_umount.sh "$m" "$work"/mid.raw
	live mid.raw new2.raw
fi
trap - EXIT

python3 "$here"/vss_make.py "$work"/old.raw "$work"/new.raw "$out" >/dev/null
[ -z "$out2" ] || python3 "$here"/vss_make.py "$work"/old.raw "$work"/mid.raw \
	"$work"/new2.raw "$out2" >/dev/null
