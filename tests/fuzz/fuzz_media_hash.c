/*
 * fuzz_media_hash.c - an E01 (EWF) from hostile bytes: the acquisition
 * hashes it stores (irk_ewf_stored_hashes, libewf's header and hash
 * sections), then, when The Sleuth Kit opens it as an image, its media
 * hashed on media_hash.c's two threads (SHA-256 and MD5) to the end.
 *
 * max_len: 1048576
 */
#include <stdint.h>
#include <stdlib.h>

#include "media_hash.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
const char *__lsan_default_suppressions(void);

/*
 * The libraries' own leaks (tests/lsan.supp): libtsk 4.11's ewf_open
 * loses libewf's handle and its globbed names when libewf refuses the
 * file (TSK's own `valgrind img_stat -i ewf` on such a file loses the
 * same 208 + 8 bytes); libewf 20140813 loses the chunk buffers it read
 * from a corrupt chunk (its own `valgrind ewfverify` loses them too).
 */
const char *
__lsan_default_suppressions(void)
{
	return "leak:libewf_handle_initialize\nleak:libewf_glob\n"
	    "leak:libewf_chunk_data_initialize\n";
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[1024];
	TSK_TCHAR *names[1];
	TSK_IMG_INFO fake, *img;
	struct irk_mhash *h;
	struct irk_err err;
	char md5[33], sha1[41], sha256[IRK_SHA256_HEX];

	if (path[0] == '\0')
		fz_path(path, sizeof(path), "disk.E01");
	fz_write(path, data, size);
	/* the stored hashes read by libewf alone, whatever TSK thinks */
	memset(&fake, 0, sizeof(fake));
	names[0] = path;
	fake.images = names;
	fake.num_img = 1;
	(void)irk_ewf_stored_hashes(&fake, md5, sha1, &err);
	img = tsk_img_open_sing(path, TSK_IMG_TYPE_EWF_EWF, 0);
	if (img == NULL) {
		tsk_error_reset();
		return 0;
	}
	(void)irk_ewf_stored_hashes(img, md5, sha1, &err);
	if (img->size <= (64 << 20) &&
	    irk_mhash_start(&h, img, size % 2, size % 3 != 0, &err) == IRK_OK) {
		(void)irk_mhash_wait(h, IRK_MHASH_ALL, -1);
		(void)irk_mhash_result(h, sha256, md5, &err);
		irk_mhash_free(h);
	}
	tsk_img_close(img);
	tsk_error_reset();
	return 0;
}
