/*
 * db_windows.h - the reads of the report's Windows section
 * (report_windows.c; db layer: db_windows.c): the event-log records of
 * each host summed up.  The host of a record is its host row's name,
 * else the log's Computer.
 */
#ifndef IRKIT_DB_WINDOWS_H
#define IRKIT_DB_WINDOWS_H

#include <stdint.h>

#include "db_read.h"

/* The hosts with event-log records: host, records, logs (files). */
int irk_db_windows_hosts(struct irk_db *db, struct irk_db_rows **out,
    struct irk_err *err);

/*
 * One table of a host, at most cap rows; *total: all its rows.
 *   LOGONS    source (address, else workstation, else "local"), logon
 *             type, "logon" or "failed", accounts, count, first, last
 *             (Security 4624, 4625; the most frequent first)
 *   SERVICES  time, name, image, account, event (7045, 4697)
 *   TASKS     time, task, change, by, event (4698-4702, 106/140/141)
 *   CLEARED   time, log, by, event (1102, 104)
 */
enum irk_db_wtable {
	IRK_WT_LOGONS, IRK_WT_SERVICES, IRK_WT_TASKS, IRK_WT_CLEARED
};
int irk_db_windows_table(struct irk_db *db, enum irk_db_wtable which,
    const char *host, int cap, int64_t *total, struct irk_db_rows **out,
    struct irk_err *err);

#endif
