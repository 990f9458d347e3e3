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
