/*
 * collectors.h - the table of collectors built from list.h, shared by
 * irkit-collect and irkit-analyze image.
 */
#ifndef IRKIT_COLLECTORS_H
#define IRKIT_COLLECTORS_H

#include <stddef.h>

#include "irkit/collect.h"

#define COLLECTOR(name) extern const struct irk_collector irk_collector_##name;
#include "list.h"
#undef COLLECTOR

extern const struct irk_collector *const irk_collectors[];
extern const size_t irk_ncollectors;

/* The collector called name, or NULL. */
const struct irk_collector *irk_collector_find(const char *name);

#endif
