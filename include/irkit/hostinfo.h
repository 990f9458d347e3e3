/*
 * hostinfo.h - facts about the host a collection comes from, read from
 * its own files (never by running a program).
 */
#ifndef IRKIT_HOSTINFO_H
#define IRKIT_HOSTINFO_H

#include <jansson.h>

#include "irkit/fs.h"

/*
 * hostname, machine_id, boot_id, os_release {ID, VERSION_ID,
 * PRETTY_NAME...}, kernel, arch, boot_time, timezone.  Missing facts are
 * null.  live: also ask the running kernel (uname) for what the files
 * lack.
 */
json_t *irk_hostinfo(struct irk_fs *fs, int live);

#endif
