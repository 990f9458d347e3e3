/*
 * db_vss.h - what a volume shadow copy's rows are compared with before
 * they are stored (vss_rows.c): the rows of the evidence being loaded.
 * A snapshot adds only what differs from the live volume and from the
 * snapshots loaded before it (docs/windows-events.md).
 */
#ifndef IRKIT_DB_VSS_H
#define IRKIT_DB_VSS_H

#include <jansson.h>

#include "db.h"

struct irk_db_seen;

/* The lookups on db (borrowed: it outlives *out).  IRK_OK or IRK_FATAL. */
int irk_db_seen_open(struct irk_db *db, struct irk_db_seen **out,
    struct irk_err *err);
/*
 * 1 when the current evidence holds a files row with f's path, volume,
 * inode, meta_addr, size, times and deleted flag; 0 when not; IRK_FATAL.
 */
int irk_db_seen_file(struct irk_db_seen *s, const struct irk_db_file *f);
/*
 * 1 when the current evidence holds a row of rec's record type with the
 * same identity key and compared fields (records/record.h; NULL equals
 * NULL); 0 when not or when the type declares none; IRK_FATAL.
 */
int irk_db_seen_record(struct irk_db_seen *s, const json_t *rec);
void irk_db_seen_free(struct irk_db_seen *s);

#endif
