/*
 * vss_rows.h - the rows of a volume's shadow copies (files of the walk,
 * records of the collectors) before they are stored: a row equal to one
 * of the live volume or of a shadow copy loaded before is dropped, the
 * others get the copy's prefix "vssN@TIME:" in the path that says where
 * they come from (docs/windows-events.md, "Volume shadow copies").
 */
#ifndef IRKIT_VSS_ROWS_H
#define IRKIT_VSS_ROWS_H

#include <stdint.h>
#include <jansson.h>

#include "db.h"
#include "db_vss.h"
#include "vss.h"
#include "irkit/buf.h"

struct irk_vss_rows {
	struct irk_db_seen *seen;
	char *prefix[IRK_VSS_MAX_STORES];
	int n;			/* stores begun: the current is prefix[n - 1] */
	struct irk_buf path, body, probe;
	/* of the current store: rows kept, rows dropped as seen */
	uint64_t files, same_files, records, same_records;
};

int irk_vss_rows_open(struct irk_vss_rows **out, struct irk_db *db,
    struct irk_err *err);
/* The next store's rows, prefixed prefix (copied).  IRK_OK, IRK_FATAL. */
int irk_vss_rows_store(struct irk_vss_rows *r, const char *prefix);
/*
 * A files row of the current store's walk: 1 when it is to be stored
 * (f->path and f->body_name then point at the prefixed names, valid
 * until the next call), 0 when seen already, IRK_FATAL.
 */
int irk_vss_rows_file(struct irk_vss_rows *r, struct irk_db_file *f);
/*
 * A collector's record of the current store (arg: the irk_vss_rows):
 * 1 when it is to be stored (its origin path prefixed: "hive", else
 * "source_path" and "fragment_path", else "path"), 0 when seen already,
 * IRK_FATAL.
 */
int irk_vss_rows_record(void *arg, json_t *rec);
void irk_vss_rows_free(struct irk_vss_rows *r);

#endif
