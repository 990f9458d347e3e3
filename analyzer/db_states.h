/*
 * db_states.h - the file_state rows of the evidence being loaded, read
 * back for the collectors that run at ingest (db_states.c; the rpm check
 * of a live rpm host, docs/integrity.md).
 */
#ifndef IRKIT_DB_STATES_H
#define IRKIT_DB_STATES_H

#include "irkit/collect.h"

/*
 * Each file_state row of the evidence being loaded into the case db
 * (arg, a struct irk_db) handed to fn, in the order they were stored:
 * IRK_OK, IRK_FATAL (the query failed), or what fn returned when not
 * IRK_OK.  An irk_collect_opts file_states hook.
 */
int irk_db_file_states(void *arg, irk_file_state_fn fn, void *fnarg);

#endif
