/*
 * collectors.h - the collector library's public face: the table of
 * collectors built from collectors/list.h, shared by irkit-collect and
 * irkit-analyze image.
 *
 * Each program links the table built for it: irkit-collect's holds the
 * collectors that need only libirkit (processes, services, tasks,
 * certificates); irkit-analyze's adds the Windows ones (analyzer/win_*.c,
 * which need libregf and libxml2), compiled with IRK_WITH_WINREG.  A
 * program picks the entries whose sources (IRK_SRC_*, irkit/collect.h)
 * match what it reads.
 */
#ifndef IRKIT_COLLECTORS_H
#define IRKIT_COLLECTORS_H

#include <stddef.h>

#include "irkit/collect.h"

extern const struct irk_collector *const irk_collectors[];
extern const size_t irk_ncollectors;

/* The collector called name, or NULL. */
const struct irk_collector *irk_collector_find(const char *name);

/*
 * Run, in list order, every collector that reads one of the sources in
 * holds (IRK_SRC_* bits: what the root was found to hold), until the
 * sink fails; never those run on request only (IRK_SRC_ON_REQUEST).
 * Returns the worst of their results (irk_worst).
 */
int irk_collectors_run(struct irk_collect *c, unsigned holds);

#endif
