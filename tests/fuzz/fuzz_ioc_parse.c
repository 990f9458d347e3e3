/* fuzz_ioc_parse.c - the IOC list parser and matchers on arbitrary bytes. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ioc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct irk_iocs io;
	json_t *hits;
	char *text;
	int kind = size > 0 ? data[0] % IRK_IOC_NKINDS : 0;

	irk_iocs_init(&io);
	irk_iocs_parse(&io, (const char *)data, size, "fuzz.txt", kind, NULL);
	/* the input as a path and a command line against what it loaded */
	if ((text = malloc(size + 1)) != NULL) {
		memcpy(text, data, size);
		text[size] = '\0';
		hits = json_array();
		irk_iocs_match_name(&io, text, hits);
		irk_iocs_match_text(&io, text, hits);
		irk_iocs_match_hash(&io, IRK_IOC_SHA256, text, hits);
		json_decref(hits);
		free(text);
	}
	irk_iocs_release(&io);
	return 0;
}
