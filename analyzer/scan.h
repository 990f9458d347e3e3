/*
 * scan.h - content scanning: hashes, libmagic type, YARA, IOC lists, on a
 * pool of -j N worker threads.  Rules are compiled once (cached on disk
 * by the hash of their text) and shared; each worker has its own YARA
 * scanner and libmagic cookie.
 *
 * The caller (ingest, image) reads content and pushes items; workers
 * fill the results; the caller pops finished items and stores them.
 *
 *	irk_scan_open(&s, &opts, &err);
 *	for each file: it = irk_scan_item_new(...); irk_scan_push(s, it);
 *	    while ((it = irk_scan_pop(s, 0))) { store; irk_scan_item_free(it); }
 *	irk_scan_drain(s); ...pop the rest...; irk_scan_close(s);
 *
 * Memory is bounded: push blocks while the items queued or being scanned
 * hold more than a budget of content bytes (32 MiB a worker, at least 64
 * and at most 256 MiB; one item alone may exceed it), and a worker frees an item's data as soon as
 * it is scanned (item->data is NULL when popped; len keeps the length).
 * Items must come from irk_scan_item_new().
 *
 * An item whose content is not in memory (data NULL, e.g. above
 * max_size) is recorded skipped "too large" when size > max_size; its
 * digests are whatever the caller filled in before pushing (stream-hash
 * it and fill sha256/md5/sha1: hash IOCs are then still checked).
 *
 * opts.jobs == 0 opens the rules only (no workers): `rules check` and
 * `rules compile` use that.
 *
 * Rule pre-selection (presel.h): a worker scans each file with the rule
 * set of its class (header and size), which leaves out the rules that
 * cannot match it; the results are those of the full set.
 */
#ifndef IRKIT_SCAN_H
#define IRKIT_SCAN_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

#include "irkit/err.h"
#include "irkit/sha256.h"
#include "irkit/strmap.h"

struct irk_scan;

struct irk_scan_opts {
	const char *const *rules;	/* --rules files or folders */
	size_t nrules;
	int default_rules;		/* also load the bundled yara-rules/ */
	const char *const *iocs;	/* --ioc files */
	size_t niocs;
	int jobs;			/* worker threads, >= 1 */
	uint64_t max_size;		/* files above: skipped "too large" */
	int timeout;			/* seconds per file for YARA */
	const struct irk_strmap *known;	/* sha256 scanned already: no YARA;
					 * read by the workers: do not change
					 * it while the scan is open */
	const char *cache_dir;		/* compiled rules cache, or NULL */
	int hash_all;			/* MD5 and SHA-1 of every file too;
					 * else only when an IOC list has
					 * such hashes (SHA-256 always) */
	int no_preselect;		/* every file scanned with the full
					 * set (docs/scanning.md, "Rule
					 * pre-selection") */
	uint64_t presel_min;		/* a class gets its own set once its
					 * files total this many bytes */
};

struct irk_scan_item {
	/* in: owned by the item */
	int64_t file_id;		/* the caller's files row */
	char *path;			/* as on the source (for externals) */
	unsigned char *data;		/* content (NULL if too large) */
	size_t len;
	uint64_t size;			/* real size, may exceed len */
	const char *owner;		/* for the "owner" external */
	void *user;			/* caller's own */
	int cut_short;			/* the content stops before the file's
					 * end (damage): what there is is
					 * scanned, but its digests are not the
					 * file's (left empty), nor is an empty
					 * read's type; skipped "unreadable" */
	/* out */
	char sha256[IRK_SHA256_HEX];
	char md5[33];
	char sha1[41];			/* "" when no IOC list has SHA-1 */
	char *mime;
	char *magic;
	char *filetype;			/* EXE, ELF, ZIP, SCRIPT, ... */
	json_t *matches;		/* array of {rule, namespace, tags, meta, strings, score} */
	json_t *iocs;			/* array of {kind, value, source, description} */
	int cached;			/* content known: YARA not run */
	size_t cached_matches;		/* set by irk_db_scan_result: earlier
					 * matches linked from the scan cache */
	const char *skipped;		/* "too large", "timeout", "unreadable",
					 * or NULL */
	char *error;			/* YARA or magic error text */
};

int irk_scan_open(struct irk_scan **out, const struct irk_scan_opts *opts,
    struct irk_err *err);
/* Hash of the compiled rule set (the scan cache key). */
const char *irk_scan_rules_hash(const struct irk_scan *s);
/* Rule files that did not compile: "file:line: message" lines. */
const json_t *irk_scan_rule_errors(const struct irk_scan *s);

struct irk_scan_item *irk_scan_item_new(const char *path, unsigned char *data,
    size_t len, uint64_t size);
void irk_scan_item_free(struct irk_scan_item *it);
/*
 * An item whose content is a read-only memory map of fd's first size
 * bytes (a file on a host or folder input): scanned whole whatever
 * --max-file-size says, never copied; the map is released as soon as the
 * item is scanned.  NULL with err set when it cannot be mapped (the
 * caller falls back to stream hashing, "too large").  fd may be closed
 * after the call.
 */
struct irk_scan_item *irk_scan_item_map(const char *path, int fd,
    uint64_t size, struct irk_err *err);

/* Queue an item (stolen); blocks while the queue is full. */
int irk_scan_push(struct irk_scan *s, struct irk_scan_item *it);
/* A finished item or NULL; wait=1 blocks until one is ready or none left. */
struct irk_scan_item *irk_scan_pop(struct irk_scan *s, int wait);
/* No more pushes: workers finish the queue. */
void irk_scan_drain(struct irk_scan *s);
void irk_scan_close(struct irk_scan *s);

/* IOC checks that need no content: a name or a domain/ip in a record. */
json_t *irk_scan_ioc_name(const struct irk_scan *s, const char *path);
json_t *irk_scan_ioc_text(const struct irk_scan *s, const char *text);
/* A hex digest (SHA-256, SHA-1 or MD5 by its length, any case). */
json_t *irk_scan_ioc_hash(const struct irk_scan *s, const char *hex);

/*
 * 0 when rule files were named (opts.rules) and not one of them
 * compiled: a loader stops there (the rules the user asked for would
 * silently not run); 1 otherwise.
 */
int irk_scan_user_rules_usable(const struct irk_scan *s);
/* Warnings of the rule compiler, "file:line: message" lines. */
const json_t *irk_scan_rule_warnings(const struct irk_scan *s);
/* Rule files compiled in (array of paths), and the number of rules. */
const json_t *irk_scan_rule_files(const struct irk_scan *s);
unsigned irk_scan_rule_count(const struct irk_scan *s);
uint64_t irk_scan_max_size(const struct irk_scan *s);
/* Save the compiled rules (loadable by `yara -C`). */
int irk_scan_save_rules(const struct irk_scan *s, const char *path,
    struct irk_err *err);
/* Short upper-case kind of content from its first bytes: EXE, ELF,
 * MACHO, ZIP, PDF, SCRIPT, ... (docs/scanning.md lists them); a static
 * string, never NULL. */
const char *irk_scan_filetype(const unsigned char *p, size_t len);

#define IRK_SCAN_DEFAULT_MAX_SIZE	(64ULL << 20)
#define IRK_SCAN_DEFAULT_TIMEOUT	60
#define IRK_SCAN_DEFAULT_PRESEL_MIN	(16ULL << 20)

#endif
