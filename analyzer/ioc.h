/*
 * ioc.h - indicator lists (yara-rules/iocs/README.md): file hashes,
 * domains, IP addresses and file-name globs, one value per line with an
 * optional "# description".  Used by scan.c; exposed for tests.
 *
 *	struct irk_iocs io;
 *	irk_iocs_init(&io);
 *	irk_iocs_parse(&io, text, len, "sha256.txt", irk_ioc_kind_for_file(...),
 *	    &bad);
 *	hits = json_array(); irk_iocs_match_hash(&io, IRK_IOC_SHA256, hex, hits);
 *	irk_iocs_release(&io);
 *
 * A hit is {"kind", "value", "source", "description"}.
 */
#ifndef IRKIT_IOC_H
#define IRKIT_IOC_H

#include <stddef.h>
#include <jansson.h>

#include "irkit/strmap.h"

enum irk_ioc_kind {
	IRK_IOC_AUTO = 0,	/* decide per line (see irk_ioc_classify) */
	IRK_IOC_SHA256,
	IRK_IOC_SHA1,
	IRK_IOC_MD5,
	IRK_IOC_DOMAIN,
	IRK_IOC_IP,
	IRK_IOC_FILENAME,
	IRK_IOC_NKINDS
};

struct irk_ioc_pattern {
	char *glob;		/* lowercase fnmatch pattern */
	int whole_path;		/* contains '/': matched against the path */
	char *source;
	char *description;
};

struct irk_iocs {
	struct irk_strmap map[IRK_IOC_NKINDS];	/* value -> struct irk_ioc_val */
	struct irk_ioc_pattern *pat;
	size_t npat, cappat;
	size_t count;
};

/* From a list's base name: sha256.txt, md5.txt, sha1.txt, domains.txt,
 * ips.txt, filenames.txt (with or without a prefix such as
 * "vendor-sha256.txt"); IRK_IOC_AUTO for any other name. */
int irk_ioc_kind_for_file(const char *path);
/* Kind of one value: 64/40/32 hex digits are hashes, an IPv4/IPv6
 * address is an IP, a value with glob characters, '/', '\\' or a file
 * extension as its last label is a file name, else a dotted name is a
 * domain.  Returns IRK_IOC_AUTO when nothing fits. */
int irk_ioc_classify(const char *v);

void irk_iocs_init(struct irk_iocs *io);
void irk_iocs_release(struct irk_iocs *io);
/* Parse one list; kind IRK_IOC_AUTO classifies each line.  A line may
 * force a kind with a "sha256:", "md5:", "sha1:", "domain:", "ip:" or
 * "filename:" prefix.  Lines whose value does not fit their kind are
 * counted in *bad (may be NULL) and skipped.  0, or IRK_FAIL out of
 * memory. */
int irk_iocs_parse(struct irk_iocs *io, const char *text, size_t len,
    const char *source, int kind, size_t *bad);

/* Append hits to the array hits; return the number appended. */
int irk_iocs_match_hash(const struct irk_iocs *io, int kind, const char *hex,
    json_t *hits);
int irk_iocs_match_name(const struct irk_iocs *io, const char *path,
    json_t *hits);
/* Domains (the value or any subdomain of it) and IP addresses found in
 * free text (command lines, URLs, certificate names). */
int irk_iocs_match_text(const struct irk_iocs *io, const char *text,
    json_t *hits);

#endif
