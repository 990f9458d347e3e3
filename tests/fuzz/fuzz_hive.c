/*
 * fuzz_hive.c - registry hives from hostile bytes: libregf through
 * win_reg.c, every key and the values the Windows collectors read.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "image.h"
#include "win_reg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
const char *__lsan_default_suppressions(void);

/*
 * libregf 20201007 leaks its key item when libregf_key_initialize fails
 * on a corrupt key (inside the library, not reachable from here).
 */
const char *
__lsan_default_suppressions(void)
{
	return "leak:libregf_key_item_initialize\n";
}

static void
walk(libregf_key_t *k, int depth, int *budget)
{
	char name[256];
	uint32_t dw;
	size_t len;
	char *s;
	unsigned char *b;
	int n;

	if (depth > 8 || --*budget < 0)
		return;
	irk_reg_key_name(k, name, sizeof(name));
	(void)irk_reg_key_time(k);
	free(irk_reg_str(k, "ImagePath"));
	free(irk_reg_str(k, "Path"));
	(void)irk_reg_dword(k, "Start", &dw);
	if ((b = irk_reg_bin(k, "Blob", 1 << 20, &len)) != NULL) {
		const unsigned char *der;
		size_t dl;

		(void)irk_win_cert_blob_der(b, len, &der, &dl);
		free(b);
	}
	if ((s = irk_reg_str(k, "Id")) != NULL)
		free(s);
	n = irk_reg_nsubkeys(k);
	for (int i = 0; i < n && i < 64; i++) {
		libregf_key_t *c = irk_reg_subkey_at(k, i);

		if (c != NULL) {
			walk(c, depth + 1, budget);
			libregf_key_free(&c, NULL);
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct irk_hive h;
	struct irk_err err;
	libregf_key_t *root;
	int budget = 2000;

	if (irk_hive_open_mem(&h, data, size, &err) != IRK_OK)
		return 0;
	if ((root = irk_hive_key(&h, "\\")) != NULL) {
		walk(root, 0, &budget);
		libregf_key_free(&root, NULL);
	}
	irk_hive_close(&h);
	return 0;
}
