/*
 * out_util.c - messages of the analyzer commands that read a case
 * (out_util.h).
 */
#include <stdio.h>

#include "irkit/buf.h"
#include "irkit/fe.h"
#include "out_util.h"
#include "irkit/banned.h"

struct values {
	struct irk_buf b;
	int n;
};

static int
add_value(void *arg, const char *v)
{
	struct values *l = arg;

	if (l->n++ == 20) {
		(void)irk_buf_addstr(&l->b, ", ...");
		return 1;
	}
	(void)irk_buf_printf(&l->b, "%s'%s'", l->n > 1 ? ", " : "",
	    v != NULL ? v : "");
	return 0;
}

void
irk_out_list_values(struct irk_db *db, const char *what,
    enum irk_db_values which)
{
	struct values l;

	irk_buf_init(&l.b, 1 << 16);
	l.n = 0;
	(void)irk_db_each_value(db, which, add_value, &l);
	irk_fe_error("%s in the case: %s", what, l.n > 0 ? l.b.data : "none");
	irk_buf_release(&l.b);
}

void
irk_say_being_loaded(const char *path, const char *cmd)
{
	irk_fe_error("'%s' is being loaded (an ingest or image is running): "
	    "run %s again when it has finished", path, cmd);
}
