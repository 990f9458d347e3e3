#!/usr/bin/env bash
# ntfs_umount.sh MOUNTPOINT IMAGE - unmount an ntfs-3g mount and wait
# until the ntfs-3g process serving IMAGE has exited.  fusermount -u
# returns before ntfs-3g has written what it still caches (MFT records)
# to the image: an image read or copied right after may hold garbage for
# the files just written (seen on a loaded machine: a hive read as
# random bytes by a test that passes on a quiet one).
set -u
m=$1 img=$2
fusermount -u "$m" 2>/dev/null || umount "$m" || exit 1
for _ in $(seq 300); do
	pgrep -f -- "ntfs-3g $img" >/dev/null || exit 0
	sleep 0.1
done
echo "ntfs_umount.sh: ntfs-3g still serves $img after 30 s" >&2
exit 1
