#!/usr/bin/env bash
# gen_seeds.sh OUTDIR WORKDIR - the seeds too large for the repository,
# made at run time from real tools into OUTDIR/<harness>/ (kept between
# runs): an empty NTFS volume of the smallest size mkntfs makes (2 MiB)
# for fuzz_image.  A tool that is missing leaves its seed out.
set -euo pipefail
out=$1 work=$2
mkdir -p "$out/fuzz_image"
if [ ! -e "$out/fuzz_image/ntfs.raw" ] && command -v mkntfs >/dev/null; then
	truncate -s 2M "$work/ntfs.raw"
	mkntfs -q -F -f -L WIN "$work/ntfs.raw" >/dev/null 2>&1 &&
		mv "$work/ntfs.raw" "$out/fuzz_image/ntfs.raw"
fi
rm -f "$work/ntfs.raw"
# fuzz_journal: journals systemd-journal-remote writes from the fixtures
# of journal.bats, cut after their last object (3.6 MiB: the data hash
# table journal-remote sizes for a large file comes first)
mkdir -p "$out/fuzz_journal"
if [ ! -e "$out/fuzz_journal/basic" ] &&
    [ -x /lib/systemd/systemd-journal-remote ]; then
	for k in basic back late; do
		python3 tests/e2e/journal_make.py "$k" |
			/lib/systemd/systemd-journal-remote -o "$work/$k.journal" - \
			>/dev/null 2>&1 || continue
		python3 -c '
import struct, sys
b = open(sys.argv[1], "rb").read()
t = struct.unpack_from("<Q", b, 136)[0]
end = (t + struct.unpack_from("<Q", b, t + 8)[0] + 7) & ~7
open(sys.argv[2], "wb").write(b[:end])' "$work/$k.journal" "$out/fuzz_journal/$k"
		rm -f "$work/$k.journal"
	done
fi
