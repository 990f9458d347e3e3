/*
 * fuzz_image.c - a disk image from hostile bytes through irkit-analyze
 * image --no-scan into a fresh case in the fuzzer's tmpfs folder: the
 * volume system and file system detection (ext4, FAT, NTFS, partition
 * tables), the TSK walk with its body names (fls -m style, every
 * attribute, links), the timeline rows, and the collectors on every
 * root through fs_image.c (Linux and Windows: services, tasks, certs).
 *
 * max_len: 2097152
 */
#include <stdint.h>
#include <stdlib.h>

#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int irk_cmd_image(int argc, char **argv);
const char *__lsan_default_suppressions(void);

/*
 * The libraries' own leaks (tests/lsan.supp): libregf's on a corrupt
 * key (as in fuzz_hive), libtsk's ewf_open on a file libewf refuses and
 * libewf's chunk buffers of a corrupt chunk (as in fuzz_media_hash).
 */
const char *
__lsan_default_suppressions(void)
{
	return "leak:libregf_key_item_initialize\n"
	    "leak:libewf_handle_initialize\nleak:libewf_glob\n"
	    "leak:libewf_chunk_data_initialize\n";
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char in[1024], db[1024];
	char *argv[] = { "image", "--db", db, "--no-scan", "-q", in, NULL };

	if (in[0] == '\0') {
		fz_path(in, sizeof(in), "disk.raw");
		fz_path(db, sizeof(db), "case.db");
	}
	fz_write(in, data, size);
	fz_unlink_db(db);
	if (irk_cmd_image(6, argv) == 3)
		/* fatal is for the case, never for what the image holds */
		abort();
	return 0;
}
