/*
 * collectors.c - the collector table, expanded from list.h.  Built twice
 * by the Makefile: as is for irkit-collect, and with IRK_WITH_WINREG for
 * irkit-analyze (then the Windows entries are in).
 */
#include <string.h>

#include "irkit/collectors.h"
#include "irkit/banned.h"

#ifdef IRK_WITH_WINREG
#define COLLECTOR_WINREG(name)	COLLECTOR(name)
#define COLLECTOR_ANALYZER(name)	COLLECTOR(name)
#else
#define COLLECTOR_WINREG(name)
#define COLLECTOR_ANALYZER(name)
#endif

#define COLLECTOR(name) extern const struct irk_collector irk_collector_##name;
#include "list.h"
#undef COLLECTOR

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

int
irk_collectors_run(struct irk_collect *c, unsigned holds)
{
	int worst = IRK_OK;

	for (size_t i = 0; i < irk_ncollectors && !c->fatal; i++)
		if ((irk_collectors[i]->sources & holds) &&
		    !(irk_collectors[i]->sources & IRK_SRC_ON_REQUEST))
			worst = irk_worst(worst,
			    irk_collect_run(c, irk_collectors[i]));
	return worst;
}
