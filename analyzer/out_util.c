/*
 * out_util.c - messages of the analyzer commands that read a case
 * (out_util.h).
 */
#include <stdio.h>
#include <sqlite3.h>

#include "irkit/buf.h"
#include "irkit/fe.h"
#include "out_util.h"
#include "irkit/banned.h"

void
irk_out_list_values(sqlite3 *db, const char *what, const char *sql)
{
	sqlite3_stmt *st = NULL;
	struct irk_buf b;
	int n = 0;

	irk_buf_init(&b, 1 << 16);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK)
		while (sqlite3_step(st) == SQLITE_ROW) {
			const char *v;

			v = (const char *)sqlite3_column_text(st, 0);
			if (n++ == 20) {
				(void)irk_buf_addstr(&b, ", ...");
				break;
			}
			(void)irk_buf_printf(&b, "%s'%s'", n > 1 ? ", " : "",
			    v != NULL ? v : "");
		}
	sqlite3_finalize(st);
	irk_fe_error("%s in the case: %s", what, n > 0 ? b.data : "none");
	irk_buf_release(&b);
}

void
irk_say_being_loaded(const char *path, const char *cmd)
{
	irk_fe_error("'%s' is being loaded (an ingest or image is running): "
	    "run %s again when it has finished", path, cmd);
}
