/*
 * out_util.h - messages of the analyzer commands that read a case,
 * printed through the front-end layer (irkit/fe.h): evidence text
 * escaped.
 */
#ifndef IRKIT_OUT_UTIL_H
#define IRKIT_OUT_UTIL_H

#include <stdio.h>

#include "db_read.h"

/*
 * "PREFIX: WHAT in the case: 'a', 'b', ..." on stderr (escaped): up to
 * 20 of the values a filter can name (db_read.h), for a filter that
 * matched nothing; "none" when there are none.
 */
void irk_out_list_values(struct irk_db *db, const char *what,
    enum irk_db_values which);

/* "'PATH' is being loaded ...: run CMD again when it has finished". */
void irk_say_being_loaded(const char *path, const char *cmd);

#endif
