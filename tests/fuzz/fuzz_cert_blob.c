/* fuzz_cert_blob.c - SystemCertificates Blob property list (win_certs.c). */
#include <stddef.h>
#include <stdint.h>

#include "image.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const unsigned char *der;
	size_t len;
	volatile unsigned char sink = 0;

	if (irk_win_cert_blob_der(data, size, &der, &len) == 0) {
		/* the result must lie inside the input */
		if (der < data || len > size || (size_t)(der - data) > size - len)
			__builtin_trap();
		sink ^= der[0];
		sink ^= der[len - 1];
	}
	(void)sink;
	return 0;
}
