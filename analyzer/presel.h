/*
 * presel.h - exact rule pre-selection (docs/scanning.md): the classes of
 * files (header class from the first bytes x size class from the size
 * bounds the rules carry) and, for each class, the rules that cannot
 * match any of its files (rule_guard.h), left out of the rule set that
 * scans them.  Classes that leave out the same rules share one set; a
 * class that leaves out none uses the full set.
 *
 *	irk_presel_init(&p, src, n, 0);		(the good rule files)
 *	c = irk_presel_class(&p, data, len);	(-1: the full set)
 *	irk_presel_text(&p, c, i, &text);	(file i for class c)
 *	irk_presel_key(&p, c);			(what class c leaves out)
 */
#ifndef IRKIT_PRESEL_H
#define IRKIT_PRESEL_H

#include <stddef.h>
#include <stdint.h>

#include "irkit/sha256.h"
#include "rule_guard.h"

#define IRK_PRESEL_BOUNDS	6	/* size classes: at most 7 */

struct irk_presel_src {
	const char *text;
	size_t len;
};

struct irk_presel {
	const struct irk_presel_src *src;
	struct irk_guard_file *files;
	size_t nfiles;
	uint64_t bounds[IRK_PRESEL_BOUNDS];	/* ascending */
	size_t nbounds;
	size_t nclasses;	/* IRK_GUARD_NHDR * (nbounds + 1) */
	int *canon;		/* class -> the first class leaving out the
				 * same rules, or -1: it leaves out none */
	char (*key)[IRK_SHA256_HEX];	/* per class: digest of what it
					 * leaves out */
	size_t *left_out;	/* per class: rules left out */
};

/* src (kept, not copied): the rule files in compile order.  flags:
 * rule_guard.h's.  IRK_OK or IRK_FATAL (out of memory). */
int irk_presel_init(struct irk_presel *p, const struct irk_presel_src *src,
    size_t n, int flags);
void irk_presel_release(struct irk_presel *p);
/* The class scanning content whose first bytes are data and whose size
 * (YARA's filesize) is len: a canonical class, or -1 for the full set. */
int irk_presel_class(const struct irk_presel *p, const unsigned char *data,
    size_t len);
/* File i's text for class c, every rule it leaves out blanked (bytes
 * but newlines turned to spaces: line numbers stay): IRK_OK or
 * IRK_FATAL; *out is malloc'd, len bytes and a NUL after them. */
int irk_presel_text(const struct irk_presel *p, int c, size_t i, char **out);
const char *irk_presel_key(const struct irk_presel *p, int c);

#endif
