/*
 * rpm_facts.h - the file states a live collection of an rpm host
 * recorded (file_state records, collectors/rpm_states.c), kept by path
 * for rpm_packages to compare the packages with at ingest
 * (analyzer/rpm_facts.c, docs/integrity.md).
 */
#ifndef IRKIT_RPM_FACTS_H
#define IRKIT_RPM_FACTS_H

#include <stdint.h>

#include "irkit/collect.h"
#include "irkit/strmap.h"

#define IRK_RPM_FACTS_MAX	(2u * 1000 * 1000)	/* states kept */

enum { IRK_WALK_NONE, IRK_WALK_COMPLETE, IRK_WALK_CUT };

/* A file as the collection recorded it. */
struct irk_rpm_fact {
	struct irk_stat st;
	int read;			/* st holds its lstat */
	int walk;			/* a folder walked: IRK_WALK_* */
	const char *user, *group, *target, *sha256, *error;
};

struct irk_rpm_facts {
	struct irk_strmap map;		/* path -> struct irk_rpm_fact */
	uint64_t over;			/* not kept: over the bound */
};

void irk_rpm_facts_init(struct irk_rpm_facts *f);
void irk_rpm_facts_release(struct irk_rpm_facts *f);
/* Keep one state (an irk_file_state_fn; arg: the facts): IRK_OK, or
 * IRK_FATAL out of memory.  Over IRK_RPM_FACTS_MAX: counted in over. */
int irk_rpm_facts_add(void *arg, const struct irk_file_state *fs);
const struct irk_rpm_fact *irk_rpm_facts_get(const struct irk_rpm_facts *f,
    const char *path);
/*
 * path with the links among its folders resolved by the recorded links
 * (a merged /usr: /bin -> usr/bin; "." and ".." never above "/"), its
 * last name not followed, into out: IRK_OK, or IRK_FAIL when too long.
 */
int irk_rpm_facts_canon(const struct irk_rpm_facts *f, const char *path,
    char *out, size_t outsz);
/*
 * A name (canonical) not recorded is missing when the collection looked
 * where it would be: in the recorded scope, under a folder walked to its
 * end (or absent), every state kept.  1 then, else 0 (not checked).
 */
int irk_rpm_facts_covered(const struct irk_rpm_facts *f, const char *real);

#endif
