/*
 * findings_cross.h - the findings that depend on more than one evidence
 * (findings_cross.c, docs/cross-host.md).
 */
#ifndef IRKIT_FINDINGS_CROSS_H
#define IRKIT_FINDINGS_CROSS_H

#include "irkit/err.h"

struct irk_db;

/*
 * Compute the cross-host findings over the whole case (a writer, after
 * a load or a merge): the same scored content on several hosts, the
 * same scored service, task, autorun or authorized key on several
 * hosts, logins from one host of the case to another.  They replace
 * the last computation's (never duplicated), all or nothing.  IRK_OK,
 * or IRK_FATAL with err (the case is left as it was).
 */
int irk_findings_cross(struct irk_db *db, struct irk_err *err);

#endif
