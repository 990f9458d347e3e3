#!/usr/bin/env bash
# make_images.sh OUTDIR - build the disk images the image tests use, at
# test time (nothing binary is committed).  Needs e2fsprogs, mtools,
# dosfstools, ntfs-3g (FUSE mount, skipped when it fails), fdisk
# (sfdisk), ewf-tools, openssl, python3 and hivexsh (libhivex-bin).
#
#   linux.raw     bare ext4 built from a small Linux root (mke2fs -d),
#                 then two files deleted with debugfs
#   fat.raw       FAT16 made with mformat/mcopy, one file deleted
#   ntfs.raw      NTFS laid out as a Windows server (SYSTEM and SOFTWARE
#                 hives, task XML, planted files), one file deleted
#                 (only when ntfs-3g can mount; else absent)
#   disk.raw      DOS partition table: ext4 (the Linux root) + FAT
#   gpt.raw       GPT: the Linux root
#   split.raw.00[1-n]  disk.raw split in pieces
#   disk.E01      disk.raw acquired with ewfacquire
#   root/         the Linux root the ext4 volume was made from
#   corrupt/      random bytes, a truncated image, a zeroed superblock
set -euo pipefail
out=${1:?usage: make_images.sh OUTDIR}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
out=$(cd "$out" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/irkit-img.XXXXXX")
trap 'rm -rf "$work"' EXIT
export SOURCE_DATE_EPOCH=1700000000
T0="2023-11-14 22:13:20"

# --- a small Linux root ---------------------------------------------
r=$work/root
mkdir -p "$r"/etc/systemd/system/multi-user.target.wants "$r"/etc/cron.d \
	"$r"/etc/ssl/certs "$r"/usr/bin "$r"/usr/lib "$r"/var/spool/cron/crontabs \
	"$r"/home/alice "$r"/tmp "$r"/opt/app
printf 'webhost01\n' >"$r"/etc/hostname
printf 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\n' \
	>"$r"/etc/os-release
printf '0123456789abcdef0123456789abcdef\n' >"$r"/etc/machine-id
printf 'root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/bash\n' \
	>"$r"/etc/passwd
printf 'root:x:0:\nalice:x:1000:\n' >"$r"/etc/group
cat >"$r"/etc/systemd/system/updater.service <<'UNIT'
[Unit]
Description=System updater

[Service]
Type=simple
ExecStart=/usr/bin/updater --daemon
User=root

[Install]
WantedBy=multi-user.target
UNIT
ln -s /etc/systemd/system/updater.service \
	"$r"/etc/systemd/system/multi-user.target.wants/updater.service
printf '#!/bin/sh\nwhile :; do sleep 60; done\n' >"$r"/usr/bin/updater
chmod 755 "$r"/usr/bin/updater
printf 'SHELL=/bin/sh\n*/5 * * * * root /usr/bin/updater --once\n' >"$r"/etc/crontab
printf '17 3 * * * root /opt/app/backup.sh\n' >"$r"/etc/cron.d/backup
printf '#!/bin/sh\ntar czf /tmp/b.tgz /etc\n' >"$r"/opt/app/backup.sh
printf '@reboot /tmp/.x/run\n' >"$r"/var/spool/cron/crontabs/alice
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$work"/key.pem \
	-out "$r"/etc/ssl/certs/irkit-test.pem -days 30 \
	-subj "/CN=irkit image test" >/dev/null 2>&1
printf 'secret notes\n' >"$r"/home/alice/notes.txt
printf 'to be deleted, still readable\n' >"$r"/tmp/dropper.sh
printf 'another deleted file\n' >"$r"/home/alice/gone.txt
ln -s ../usr/bin/updater "$r"/opt/app/updater-link
head -c 300000 /dev/urandom >"$r"/usr/lib/libblob.so
find "$r" -exec touch -h -d "$T0" {} +
cp -a "$r" "$out"/root

# ext4, bare
mke2fs -q -F -t ext4 -d "$r" -L linuxroot "$out"/linux.raw 16M >/dev/null 2>&1
debugfs -w -R "rm /tmp/dropper.sh" "$out"/linux.raw >/dev/null 2>&1
debugfs -w -R "rm /home/alice/gone.txt" "$out"/linux.raw >/dev/null 2>&1

# --- FAT ----------------------------------------------------------------
f=$work/fat
mkdir -p "$f"/DOCS
printf 'hello fat\n' >"$f"/DOCS/README.TXT
printf 'delete me\n' >"$f"/DEL.TXT
printf 'keep\n' >"$f"/KEEP.TXT
truncate -s 20M "$out"/fat.raw
mkfs.fat -F 16 -n FATVOL "$out"/fat.raw >/dev/null
MTOOLS_SKIP_CHECK=1 mcopy -s -m -i "$out"/fat.raw "$f"/DOCS "$f"/DEL.TXT "$f"/KEEP.TXT ::/
MTOOLS_SKIP_CHECK=1 mdel -i "$out"/fat.raw ::/DEL.TXT

# --- partitioned disks -------------------------------------------------
truncate -s 60M "$out"/disk.raw
printf 'label: dos\nstart=2048, size=32768, type=83\nstart=36864, size=40960, type=6\n' |
	sfdisk -q "$out"/disk.raw >/dev/null
dd if="$out"/linux.raw of="$out"/disk.raw bs=512 seek=2048 conv=notrunc status=none
dd if="$out"/fat.raw of="$out"/disk.raw bs=512 seek=36864 conv=notrunc status=none
truncate -s 24M "$out"/gpt.raw
printf 'label: gpt\nstart=2048, size=32768, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4\n' |
	sfdisk -q "$out"/gpt.raw >/dev/null
dd if="$out"/linux.raw of="$out"/gpt.raw bs=512 seek=2048 conv=notrunc status=none

# split raw and E01 of disk.raw
split -b 16M -d -a 3 --numeric-suffixes=1 "$out"/disk.raw "$out"/split.raw.
ewfacquire -u -q -t "$out"/disk -f encase6 -c deflate:fast -S 20MiB "$out"/disk.raw >/dev/null 2>&1 ||
	ewfacquire -u -t "$out"/disk -f encase6 "$out"/disk.raw >/dev/null 2>&1

mkdir -p "$out"/corrupt
# --- NTFS: a Windows server -------------------------------------------
if [ -z "${IRKIT_NO_NTFS:-}" ]; then
	"$here"/make_ntfs.sh "$out"/ntfs.raw "$work" || rm -f "$out"/ntfs.raw
	mkdir -p "$work"/bad
	IRKIT_BAD_HIVE=1 "$here"/make_ntfs.sh "$out"/corrupt/badhive.raw "$work"/bad ||
		rm -f "$out"/corrupt/badhive.raw
fi

# --- corrupt input -----------------------------------------------------
mkdir -p "$out"/corrupt
head -c 3000000 /dev/urandom >"$out"/corrupt/random.raw
head -c 1000000 "$out"/linux.raw >"$out"/corrupt/truncated.raw
cp "$out"/linux.raw "$out"/corrupt/nosuper.raw
dd if=/dev/zero of="$out"/corrupt/nosuper.raw bs=1024 seek=1 count=1 conv=notrunc status=none
