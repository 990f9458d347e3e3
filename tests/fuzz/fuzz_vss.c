/*
 * fuzz_vss.c - a volume with Volume Shadow Snapshot stores from hostile
 * bytes (analyzer/vss.c): libvshadow over a libbfio handle reading the
 * volume through TSK, each store opened as a TSK image, its first and
 * last blocks read and NTFS looked for in it, as image does.  libvshadow
 * is linked uninstrumented: libFuzzer's coverage is irkit's side only.
 *
 * max_len: 262144
 */
#include <stdint.h>
#include <stdlib.h>

#include "fuzz_util.h"
#include "vss.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
const char *__lsan_default_suppressions(void);

/* libvshadow's own leak of a store block whose header it cannot read
 * (tests/lsan.supp) */
const char *
__lsan_default_suppressions(void)
{
	return "leak:libvshadow_store_block_initialize\n";
}

static void
one_store(struct irk_vss *v, int i)
{
	TSK_IMG_INFO *s;
	TSK_FS_INFO *fsi;
	struct irk_err err;
	int64_t created;
	char buf[16384];

	if ((s = irk_vss_store_img(v, i, &created, &err)) == NULL)
		return;
	(void)tsk_img_read(s, 0, buf, sizeof(buf));
	if (s->size > (TSK_OFF_T)sizeof(buf))
		(void)tsk_img_read(s, s->size - (TSK_OFF_T)sizeof(buf), buf,
		    sizeof(buf));
	if ((fsi = tsk_fs_open_img(s, 0, TSK_FS_TYPE_NTFS_DETECT)) != NULL)
		tsk_fs_close(fsi);
	tsk_error_reset();
	tsk_img_close(s);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char in[1024];
	TSK_IMG_INFO *img;
	struct irk_vss *v = NULL;
	struct irk_err err;

	if (in[0] == '\0')
		fz_path(in, sizeof(in), "volume.raw");
	fz_write(in, data, size);
	if ((img = tsk_img_open_utf8_sing(in, TSK_IMG_TYPE_RAW, 0)) == NULL) {
		tsk_error_reset();
		return 0;
	}
	if (irk_vss_open(&v, img, 0, img->size, &err) == IRK_OK && v != NULL) {
		for (int i = 0; i < irk_vss_count(v); i++)
			one_store(v, i);
		irk_vss_free(v);
	}
	tsk_img_close(img);
	return 0;
}
