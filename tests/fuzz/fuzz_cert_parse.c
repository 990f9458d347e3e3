/* fuzz_cert_parse.c - the certificate/key recogniser and its parsers. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "irkit/cert_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct irk_cert_scan s;
	struct irk_err err;
	json_t *r;

	(void)irk_cert_sniff(data, size < 512 ? size : 512, size);
	irk_cert_scan_buf(data, size, "/fuzz", &s);
	irk_cert_scan_release(&s);
	if ((r = irk_cert_record_from_der(data, size, NULL, 0, &err)) != NULL)
		json_decref(r);
	r = json_object();
	(void)irk_cert_openssh_key(data, size, r, &err);
	json_decref(r);
	return 0;
}
