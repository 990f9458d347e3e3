/*
 * fuzz_win_hives.c - the Windows collectors over a hostile hive: the
 * input is the SYSTEM, SOFTWARE and a user's NTUSER.DAT hive at once
 * (one file, hard-linked) of a Windows root in the fuzzer's folder, and
 * win_services (Select, ControlSet, Services), win_certs (the machine
 * and user certificate stores, their Blob values) and win_tasks (the
 * TaskCache against one task XML file) run on it through their
 * collector entry points, every record serialised and dropped.
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

extern const struct irk_collector irk_collector_win_services;
extern const struct irk_collector irk_collector_win_certs;
extern const struct irk_collector irk_collector_win_tasks;

/* libregf's own leak on a corrupt key (as in fuzz_hive, tests/lsan.supp) */
const char *
__lsan_default_suppressions(void)
{
	return "leak:libregf_key_item_initialize\n";
}

static const char task_xml[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<Task version=\"1.2\" xmlns=\"http://schemas.microsoft.com/windows/"
    "2004/02/mit/task\"><RegistrationInfo><URI>\\Updater</URI>"
    "</RegistrationInfo><Triggers><LogonTrigger><Enabled>true</Enabled>"
    "</LogonTrigger></Triggers><Actions Context=\"Author\"><Exec>"
    "<Command>C:\\ProgramData\\u.exe</Command></Exec></Actions></Task>\n";

static char hive[1024];

/* The Windows root: the hive under its three names, one task file. */
static void
make_root(void)
{
	char p[1024];

	fz_path(hive, sizeof(hive), "win/Windows/System32/config/SYSTEM");
	fz_write(hive, "", 0);
	if (link(hive, fz_path(p, sizeof(p),
	    "win/Windows/System32/config/SOFTWARE")) != 0 ||
	    link(hive, fz_path(p, sizeof(p),
	    "win/Users/bob/NTUSER.DAT")) != 0)
		abort();
	fz_write(fz_path(p, sizeof(p), "win/Windows/System32/Tasks/Updater"),
	    task_xml, sizeof(task_xml) - 1);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct irk_collector *const cols[] = {
		&irk_collector_win_services, &irk_collector_win_certs,
		&irk_collector_win_tasks,
	};
	char root[1024];

	if (hive[0] == '\0')
		make_root();
	fz_write(hive, data, size);
	fz_run_collectors(fz_path(root, sizeof(root), "win"), cols,
	    sizeof(cols) / sizeof(cols[0]));
	return 0;
}
