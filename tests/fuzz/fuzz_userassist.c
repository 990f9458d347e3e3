/*
 * fuzz_userassist.c - a UserAssist Count value (win_art.c): the value's
 * bytes through irk_userassist_parse, its name (the same bytes as
 * UTF-16LE, as libregf would give it) through irk_win_utf16 and
 * irk_rot13.
 *
 * max_len: 4096
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "win_art.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct irk_userassist ua;
	char name[1024];

	if (irk_userassist_parse(data, size, &ua) == 0 &&
	    (ua.count < 0 || ua.format == NULL))
		__builtin_trap();
	irk_win_utf16(data, size, name, sizeof(name));
	if (memchr(name, '\0', sizeof(name)) == NULL)
		__builtin_trap();
	irk_rot13(name);
	return 0;
}
