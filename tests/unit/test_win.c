/* test_win.c - Windows task XML parser and certificate blob reader. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>

#include "image.h"

static const char task_xml[] =
    "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n"
    "<Task version=\"1.2\" xmlns=\"http://schemas.microsoft.com/windows/2004/02/mit/task\">\n"
    "<RegistrationInfo><Date>2021-03-04T05:06:07</Date>"
    "<Author>DOM\\admin</Author></RegistrationInfo>\n"
    "<Triggers><LogonTrigger><Enabled>true</Enabled></LogonTrigger>"
    "<TimeTrigger><StartBoundary>2021-03-05T00:00:00</StartBoundary>"
    "<Repetition><Interval>PT5M</Interval></Repetition></TimeTrigger></Triggers>\n"
    "<Principals><Principal id=\"a\"><GroupId>S-1-5-32-545</GroupId></Principal></Principals>\n"
    "<Settings><Hidden>true</Hidden><Enabled>false</Enabled></Settings>\n"
    "<Actions><Exec><Command>  cmd.exe </Command><Arguments>/c whoami</Arguments></Exec>"
    "<Exec><Command>second.exe</Command></Exec></Actions></Task>\n";

/* task_xml as UTF-16LE with a byte order mark, as Windows writes it */
static unsigned char *
utf16(const char *s, size_t *len)
{
	size_t n = strlen(s);
	unsigned char *b = malloc(2 + 2 * n);

	b[0] = 0xff;
	b[1] = 0xfe;
	for (size_t i = 0; i < n; i++) {
		b[2 + 2 * i] = (unsigned char)s[i];
		b[3 + 2 * i] = 0;
	}
	*len = 2 + 2 * n;
	return b;
}

static const char *
str(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static void
test_task_utf16(void **state)
{
	struct irk_err err;
	size_t len;
	unsigned char *b = utf16(task_xml, &len);
	json_t *r;

	(void)state;
	r = irk_win_task_parse(b, len, "\\T", &err);
	assert_non_null(r);
	assert_string_equal(str(r, "type"), "task");
	assert_string_equal(str(r, "kind"), "windows-task");
	assert_string_equal(str(r, "name"), "\\T");
	/* the first Exec action, trimmed, with its arguments */
	assert_string_equal(str(r, "command"), "cmd.exe /c whoami");
	assert_string_equal(str(r, "user"), "S-1-5-32-545");
	assert_string_equal(str(r, "registration_date"), "2021-03-04T05:06:07");
	assert_true(json_is_true(json_object_get(r, "hidden")));
	assert_true(json_is_false(json_object_get(r, "enabled")));
	assert_int_equal(json_array_size(json_object_get(r, "triggers")), 2);
	assert_int_equal(json_array_size(json_object_get(r, "actions")), 2);
	assert_string_equal(str(r, "schedule"),
	    "LogonTrigger; TimeTrigger every PT5M from 2021-03-05T00:00:00");
	json_decref(r);
	free(b);
}

static void
test_task_bad(void **state)
{
	struct irk_err err;
	static const char notxml[] = "not <xml";
	static const char other[] = "<?xml version=\"1.0\"?><Other/>";
	static const char entity[] = "<?xml version=\"1.0\"?><!DOCTYPE Task "
	    "[<!ENTITY x SYSTEM \"file:///etc/passwd\">]><Task><Actions><Exec>"
	    "<Command>&x;</Command></Exec></Actions></Task>";
	json_t *r;

	(void)state;
	assert_null(irk_win_task_parse((const unsigned char *)notxml,
	    strlen(notxml), "\\a", &err));
	assert_non_null(strstr(err.msg, "not XML"));
	assert_null(irk_win_task_parse((const unsigned char *)other,
	    strlen(other), "\\b", &err));
	assert_non_null(strstr(err.msg, "not a task"));
	assert_null(irk_win_task_parse((const unsigned char *)"", 0, "\\c",
	    &err));
	/* external entities are never loaded */
	r = irk_win_task_parse((const unsigned char *)entity, strlen(entity),
	    "\\d", &err);
	if (r != NULL) {
		const char *c = str(r, "command");

		assert_true(c == NULL || strstr(c, "root:") == NULL);
		json_decref(r);
	}
}

static void
put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

static void
test_cert_blob(void **state)
{
	unsigned char b[64];
	const unsigned char *der;
	size_t len;

	(void)state;
	memset(b, 0, sizeof(b));
	/* property 3 (4 bytes), then 0x20 (5 bytes of "DER") */
	put32(b, 3);
	put32(b + 4, 1);
	put32(b + 8, 4);
	put32(b + 16, 0x20);
	put32(b + 20, 1);
	put32(b + 24, 5);
	memcpy(b + 28, "\x30\x03\x02\x01\x01", 5);
	assert_int_equal(irk_win_cert_blob_der(b, 33, &der, &len), 0);
	assert_ptr_equal(der, b + 28);
	assert_int_equal(len, 5);
	/* truncated certificate property */
	assert_int_equal(irk_win_cert_blob_der(b, 32, &der, &len), -1);
	/* a length that runs past the end */
	put32(b + 8, 0xfffffff0);
	assert_int_equal(irk_win_cert_blob_der(b, 33, &der, &len), -1);
	/* no certificate property at all */
	assert_int_equal(irk_win_cert_blob_der(b, 11, &der, &len), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_task_utf16),
		cmocka_unit_test(test_task_bad),
		cmocka_unit_test(test_cert_blob),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
