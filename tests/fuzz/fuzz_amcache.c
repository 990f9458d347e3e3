/*
 * fuzz_amcache.c - the Windows artifact collectors over a hostile hive:
 * the input is Amcache.hve, SYSTEM, SOFTWARE and a user's NTUSER.DAT at
 * once (one file, hard-linked), and also that user's PSReadLine history,
 * of a Windows root in the fuzzer's folder; win_amcache (the Amcache
 * walk: hive bytes to records), win_shimcache, win_bam, win_autorun,
 * win_userassist and win_psreadline run on it through their collector
 * entry points, every record serialised and dropped.
 *
 * max_len: 1048576
 */
#include <stdint.h>
#include <stdlib.h>

#include "irkit/collect.h"
#include "irkit/fs.h"
#include "fuzz_sink.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
const char *__lsan_default_suppressions(void);

extern const struct irk_collector irk_collector_win_amcache;
extern const struct irk_collector irk_collector_win_shimcache;
extern const struct irk_collector irk_collector_win_bam;
extern const struct irk_collector irk_collector_win_autorun;
extern const struct irk_collector irk_collector_win_userassist;
extern const struct irk_collector irk_collector_win_psreadline;

/* libregf's own leak on a corrupt key (as in fuzz_hive, tests/lsan.supp) */
const char *
__lsan_default_suppressions(void)
{
	return "leak:libregf_key_item_initialize\n";
}

static char hive[1024];

/* The Windows root: the input under every name it is read by. */
static void
make_root(void)
{
	static const char *const names[] = {
		"win/Windows/System32/config/SYSTEM",
		"win/Windows/System32/config/SOFTWARE",
		"win/Users/bob/NTUSER.DAT",
		"win/Users/bob/AppData/Roaming/Microsoft/Windows/PowerShell/"
		    "PSReadLine/ConsoleHost_history.txt",
	};
	char p[1024];

	fz_path(hive, sizeof(hive), "win/Windows/AppCompat/Programs/"
	    "Amcache.hve");
	fz_write(hive, "", 0);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (link(hive, fz_path(p, sizeof(p), names[i])) != 0)
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct irk_collector *const cols[] = {
		&irk_collector_win_amcache, &irk_collector_win_shimcache,
		&irk_collector_win_bam, &irk_collector_win_autorun,
		&irk_collector_win_userassist, &irk_collector_win_psreadline,
	};
	char root[1024];

	if (hive[0] == '\0')
		make_root();
	fz_write(hive, data, size);
	fz_run_collectors(fz_path(root, sizeof(root), "win"), cols,
	    sizeof(cols) / sizeof(cols[0]));
	return 0;
}
