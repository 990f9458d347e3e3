/*
 * db_dnf.h - dnf's transaction history (/var/lib/dnf/history.sqlite,
 * libdnf's "swdb"), read from its bytes in memory with SQLite, read-only,
 * or from a private copy with its -wal, and never trusted (docs/logs.md, "Packages").  The only SQLite of the
 * analyzer that is evidence, not the case: it lives in the db layer.
 */
#ifndef IRKIT_DB_DNF_H
#define IRKIT_DB_DNF_H

#include <stddef.h>
#include <stdint.h>

#include "span.h"
#include "irkit/err.h"

#define IRK_DNF_ROWS_MAX	1000000	/* package rows read at most */

/* One package of one transaction. */
struct irk_dnf_item {
	int64_t trans;		/* trans.id */
	int64_t item;		/* trans_item.id */
	int64_t begin;		/* trans.dt_begin: seconds since 1970 */
	int64_t uid;		/* trans.user_id */
	const char *action;	/* "install", "upgrade", "downgrade",
				   "remove", "reinstall" */
	struct irk_span cmdline, name, version, arch, old_version;
};

/*
 * Each package a transaction installed, upgraded, downgraded, removed or
 * reinstalled (libdnf's TransactionItemAction 1, 2, 4, 5, 6, 8, 9), in
 * transaction order, fn called on each (its spans valid for the call;
 * fn returns IRK_OK or IRK_FATAL to stop).  buf holds the whole file.
 * Bounded: IRK_DNF_ROWS_MAX rows (*cut set when there were more),
 * strings cut by the query, a budget of SQLite steps.  Returns IRK_OK,
 * IRK_WARN (the reading stopped midway: a damaged page, the budget
 * spent; err says why, the rows before were handed over), IRK_FAIL (not
 * such a database: err says why) or IRK_FATAL (from fn).
 */
int irk_dnf_history_read(const void *buf, size_t len,
    int (*fn)(void *arg, const struct irk_dnf_item *it), void *arg,
    int *cut, struct irk_err *err);

/*
 * The same reading of the database file path, a private copy the
 * caller made with its write-ahead log beside it (path "-wal"), which
 * SQLite applies: the transactions not yet checkpointed are read too.
 * The copy is opened read-write (SQLite may write its "-shm" and
 * checkpoint into it: the caller removes the folder).  *wal_frames: the
 * frames SQLite took from the -wal, 0 when it ignored it (another
 * salt, a bad checksum, not a WAL), -1 when the database is not in WAL
 * mode or it could not tell.
 */
int irk_dnf_history_read_path(const char *path,
    int (*fn)(void *arg, const struct irk_dnf_item *it), void *arg,
    int *cut, int64_t *wal_frames, struct irk_err *err);

#endif
