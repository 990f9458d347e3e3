/*
 * fs_entry.c - one name of a live host's file-system timeline
 * (collectors/filesystem.c, irkit-collect --with filesystem).  Like a
 * disk image's names it is a files row, origin 'walk', with fls -m's
 * inode and name fields filled in, so export --format bodyfile prints it
 * as fls would and its MACB times are on the timeline as for every file.
 */
#include <stdio.h>
#include <string.h>

#include "record.h"
#include "../db.h"
#include "../db_util.h"
#include "irkit/banned.h"

static const struct irk_record_field fields[] = {
	{ "evidence_id", "INTEGER", IRK_RF_EVIDENCE, { NULL } },
	{ "host_id", "INTEGER", IRK_RF_HOST, { NULL } },
	{ "path", "TEXT", IRK_RF_TEXT, { "path" } },
	{ "size", "INTEGER", IRK_RF_JSON, { "size" } },
	{ "mode", "TEXT", IRK_RF_TEXT, { "mode" } },
	{ "uid", "INTEGER", IRK_RF_JSON, { "uid" } },
	{ "gid", "INTEGER", IRK_RF_JSON, { "gid" } },
	{ "inode", "INTEGER", IRK_RF_JSON, { "inode" } },
	{ "atime", "INTEGER", IRK_RF_TIME, { "atime" } },
	{ "mtime", "INTEGER", IRK_RF_TIME, { "mtime" } },
	{ "ctime", "INTEGER", IRK_RF_TIME, { "ctime" } },
	{ "btime", "INTEGER", IRK_RF_TIME, { "btime" } },
	/* the inode; the path, " -> target" for a link (fls -m's name) */
	{ "meta_addr", "TEXT", IRK_RF_DERIVED, { "inode" } },
	{ "body_name", "TEXT", IRK_RF_DERIVED, { "path", "target" } },
	{ NULL, NULL, 0, { NULL } },
};

/* the MACB times, as for every files row (irk_db_file_events) */
static const struct irk_record_event events[] = {
	{ NULL, NULL, NULL, NULL, NULL },
};

static const char *const identity[] = { "path", NULL };
static const char *const compare[] = { "size", "mode", "uid", "gid",
    "inode", "mtime", "ctime", "btime", NULL };
/* kind is in mode's type bits; dev and nlink are for the reader */
static const char *const not_stored[] = { "type", "kind", "dev", "nlink",
    NULL };

static int
load(struct irk_db *db, json_t *rec, int64_t *id)
{
	struct irk_db_file f;
	const char *target = irk_j_str(rec, "target");
	char inode[32], name[8192 + 8];
	int64_t ino = irk_j_int(rec, "inode", -1);
	int r;

	memset(&f, 0, sizeof(f));
	f.path = irk_j_str(rec, "path");
	if (f.path == NULL)
		return IRK_FAIL;
	f.size = irk_j_int(rec, "size", -1);
	f.mode = irk_j_str(rec, "mode");
	f.uid = irk_j_int(rec, "uid", -1);
	f.gid = irk_j_int(rec, "gid", -1);
	f.inode = ino;
	f.atime = irk_j_time(rec, "atime");
	f.mtime = irk_j_time(rec, "mtime");
	f.ctime = irk_j_time(rec, "ctime");
	f.btime = irk_j_time(rec, "btime");
	f.origin = "walk";
	if (ino >= 0) {
		(void)snprintf(inode, sizeof(inode), "%lld", (long long)ino);
		f.meta_addr = inode;
	}
	/* fls -m writes a link as "name -> target" */
	if (target != NULL && snprintf(name, sizeof(name), "%s -> %s",
	    f.path, target) < (int)sizeof(name))
		f.body_name = name;
	else
		f.body_name = f.path;
	if ((r = irk_db_file_add(db, &f, id)) != IRK_OK)
		return r;
	return irk_db_file_events(db, &f, *id);
}

const struct irk_record_type irk_record_fs_entry = {
	.type = "fs_entry",
	.table = "files",
	.doc = "a name of a live host's file-system timeline (files rows "
	    "with origin 'walk')",
	.fields = fields,
	.events = events,
	.identity = identity,
	.compare = compare,
	.not_stored = not_stored,
	.load = load,
	.diff_rows = "t.origin = 'walk'",
};
