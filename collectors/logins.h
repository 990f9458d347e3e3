/*
 * logins.h - the parts of the logins collector (collectors/logins.c)
 * in other files.
 */
#ifndef IRKIT_LOGINS_H
#define IRKIT_LOGINS_H

#include "irkit/collect.h"

/*
 * The login records of wtmpdb and lastlog2 (logins_db.c), when present:
 * IRK_OK, IRK_WARN, IRK_FAIL or IRK_FATAL.
 */
int irk_logins_databases(struct irk_collect *c);

#endif
