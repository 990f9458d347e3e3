/* collectors.c - the collector table, expanded from list.h. */
#include <string.h>

#include "collectors.h"
#include "irkit/banned.h"

const struct irk_collector *const irk_collectors[] = {
#define COLLECTOR(name) &irk_collector_##name,
#include "list.h"
#undef COLLECTOR
};

const size_t irk_ncollectors = sizeof(irk_collectors) /
    sizeof(irk_collectors[0]);

const struct irk_collector *
irk_collector_find(const char *name)
{
	for (size_t i = 0; i < irk_ncollectors; i++)
		if (strcmp(irk_collectors[i]->name, name) == 0)
			return irk_collectors[i];
	return NULL;
}
