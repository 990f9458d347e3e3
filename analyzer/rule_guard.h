/*
 * rule_guard.h - the guards of YARA rules, read from their source: for
 * each rule, what its condition requires at the top level (conjuncts of
 * `and` only) of a file's first bytes (a header guard: `uint16(0) ==
 * 0x5A4D`, `uint32be(0) == 0x7F454C46`, `uint32(0) != 0x464C457F`, `$mz
 * at 0` with a plain string or hex string, `pe.is_pe`, `elf.type == ...`)
 * and of its size (`filesize < 2MB`, `<=`, the operands either way).
 * A rule whose condition cannot hold for a file of a header class or
 * above a size may be left out of the rule set that scans such files
 * (docs/scanning.md, "Rule pre-selection").  Anything the parser is not
 * sure of keeps the rule in every class: a condition with a top-level
 * `or`, a guard under `not`, inside a `for` or inside a function call, a
 * file it cannot read to the end, a file with an `include`.
 *
 *	struct irk_guard_file g;
 *	irk_guard_parse(text, len, 0, &g);	(one per rule file)
 *	irk_guard_mark_refs(files, n);		(rules referenced: kept)
 *	if (irk_guard_may_match(&g.rules[i], hdr, min_size)) ...
 *	irk_guard_release(&g);
 */
#ifndef IRKIT_RULE_GUARD_H
#define IRKIT_RULE_GUARD_H

#include <stddef.h>
#include <stdint.h>

/* header classes, from a file's first bytes */
enum {
	IRK_GUARD_HDR_MZ,	/* "MZ" */
	IRK_GUARD_HDR_ELF,	/* "\x7fELF" */
	IRK_GUARD_HDR_OTHER,	/* anything else, shorter files too */
	IRK_GUARD_NHDR
};

#define IRK_GUARD_ALL_HDR	((1u << IRK_GUARD_NHDR) - 1)
#define IRK_GUARD_NO_BOUND	UINT64_MAX

/* irk_guard_parse flags */
#define IRK_GUARD_BREAK_OR	0x1	/* tests only: a top-level `or` read as
					 * `and` (a wrong extraction the
					 * equivalence test must catch) */

struct irk_guard_rule {
	size_t start, end;	/* its bytes in the text: modifiers to '}' */
	char *name;
	unsigned hdr_ok;	/* bit h: may match a file of header class h */
	uint64_t max_size;	/* no match above this size; NO_BOUND */
	int global;		/* a global rule */
	int keep;		/* in every set: global, referenced, unsure */
};

struct irk_guard_file {
	struct irk_guard_rule *rules;
	size_t nrules;
	char **refs;		/* identifiers read in conditions */
	size_t nrefs;
	char **prefixes;	/* IDENT* in conditions (rule sets) */
	size_t nprefixes;
	int whole;		/* not understood or has an include: every
				 * rule is kept */
};

/*
 * Parse one rule file's text (len bytes, need not end in NUL).  IRK_OK
 * (the text not understood is not an error: g->whole is set) or
 * IRK_FATAL when out of memory.  Release g in every case.
 */
int irk_guard_parse(const char *text, size_t len, int flags,
    struct irk_guard_file *g);
void irk_guard_release(struct irk_guard_file *g);
/* Mark kept every rule of files[] whose name is read in a condition of
 * any of them (or fits an IDENT* there): IRK_OK or IRK_FATAL. */
int irk_guard_mark_refs(struct irk_guard_file *files, size_t n);
/* The header class of content whose first bytes are p[0..len). */
int irk_guard_hdr_class(const unsigned char *p, size_t len);
/* 0 when r cannot match a file of header class hdr of min_size bytes or
 * more; 1 when it may. */
int irk_guard_may_match(const struct irk_guard_rule *r, int hdr,
    uint64_t min_size);

#endif
