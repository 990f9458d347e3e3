/* db_states.c - the file_state rows read back at ingest (db_states.h). */
#include <stdlib.h>
#include <string.h>

#include "db_priv.h"
#include "db_states.h"
#include "irkit/banned.h"

static const char *
col_text(sqlite3_stmt *s, int i)
{
	return (const char *)sqlite3_column_text(s, i);
}

/* The row of s as a file state. */
static void
row_state(sqlite3_stmt *s, struct irk_file_state *f)
{
	const char *mode = col_text(s, 1);

	memset(f, 0, sizeof(*f));
	f->path = col_text(s, 0);
	f->st.mode = mode != NULL ? (uint32_t)strtoul(mode, NULL, 8) : 0;
	f->st.uid = (uint32_t)sqlite3_column_int64(s, 2);
	f->st.gid = (uint32_t)sqlite3_column_int64(s, 3);
	f->user = col_text(s, 4);
	f->group = col_text(s, 5);
	f->st.size = (uint64_t)sqlite3_column_int64(s, 6);
	f->st.mtime = sqlite3_column_type(s, 7) == SQLITE_NULL ?
	    IRK_TIME_NONE : sqlite3_column_int64(s, 7);
	f->target = col_text(s, 8);
	f->sha256 = col_text(s, 9);
	f->error = col_text(s, 10);
	f->walk = col_text(s, 11);
}

int
irk_db_file_states(void *arg, irk_file_state_fn fn, void *fnarg)
{
	struct irk_db *db = arg;
	struct irk_file_state f;
	sqlite3_stmt *s;
	int r = IRK_OK, rc = SQLITE_DONE;

	if (sqlite3_prepare_v2(db->h, "SELECT path, mode, uid, gid, "
	    "user_name, group_name, size, mtime, target, sha256, error, walk "
	    "FROM file_states WHERE evidence_id = ?1 AND path IS NOT NULL "
	    "ORDER BY id", -1, &s, NULL) != SQLITE_OK)
		return IRK_FATAL;
	(void)sqlite3_bind_int64(s, 1, db->evidence_id);
	while (r == IRK_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		row_state(s, &f);
		r = fn(fnarg, &f);
	}
	if (r == IRK_OK && rc != SQLITE_DONE)
		r = IRK_FATAL;
	sqlite3_finalize(s);
	return r;
}
