/*
 * dpkg_parse.h - pure parsers for the dpkg database the packages
 * collector reads: the status file's stanzas (Package, Status, Version,
 * Architecture, Multi-Arch, Conffiles), Conffiles lines, .md5sums lines
 * and the paths they name.  No I/O: bytes in, structures out, so they
 * are unit tested and fuzzed directly (tests/fuzz/fuzz_dpkg.c).
 *
 * Everything is bounded: a line longer than IRK_DPKG_LINE_MAX is counted
 * and skipped, names and versions longer than their fields make the
 * stanza bad, a path with a ".." component is refused.
 */
#ifndef IRKIT_DPKG_PARSE_H
#define IRKIT_DPKG_PARSE_H

#include <stddef.h>

#define IRK_DPKG_LINE_MAX	65536	/* longer lines are skipped */
#define IRK_DPKG_PATH_MAX	4096
#define IRK_DPKG_NAME_MAX	128
#define IRK_DPKG_ARCH_MAX	32
#define IRK_DPKG_VERSION_MAX	256
#define IRK_DPKG_MD5_HEX	33

/* One stanza of the status file. */
struct irk_dpkg_pkg {
	char name[IRK_DPKG_NAME_MAX];
	char arch[IRK_DPKG_ARCH_MAX];
	char version[IRK_DPKG_VERSION_MAX];
	int installed;		/* Status "<want> ok installed" */
	int multiarch_same;	/* Multi-Arch: same (info files pkg:arch) */
	int bad;		/* a name, arch or version not valid */
	/* the Conffiles field's lines, as in the file (irk_dpkg_conffile) */
	const char *conffiles;
	size_t conffiles_len;
};

struct irk_dpkg_stats {
	size_t stanzas;
	size_t long_lines;	/* over IRK_DPKG_LINE_MAX, skipped */
};

/*
 * Call fn for each stanza of a status file (data, len).  fn returns 0 to
 * go on, non-zero to stop (that value is returned); 0 at the end.
 */
typedef int (*irk_dpkg_pkg_fn)(void *arg, const struct irk_dpkg_pkg *p);
int irk_dpkg_status_parse(const char *data, size_t len, irk_dpkg_pkg_fn fn,
    void *arg, struct irk_dpkg_stats *st);

struct irk_dpkg_file {
	char path[IRK_DPKG_PATH_MAX];	/* "/etc/x", normalised */
	char md5[IRK_DPKG_MD5_HEX];	/* lowercase hex, "" when none */
	int obsolete;			/* conffile: obsolete or
					   remove-on-upgrade */
};

/* Results of the line parsers. */
enum { IRK_DPKG_OK, IRK_DPKG_SKIP, IRK_DPKG_BAD };

/*
 * The next line of a Conffiles field at *pos (advanced): " PATH HASH
 * [obsolete]".  IRK_DPKG_OK with f set, IRK_DPKG_SKIP (a blank line, a
 * hash that is not an MD5 such as "newconffile"), IRK_DPKG_BAD (a bad
 * path or line); -1 at the end.
 */
int irk_dpkg_conffile_next(const char *s, size_t len, size_t *pos,
    struct irk_dpkg_file *f);

/* A .md5sums line "MD5  path" (path relative to the root). */
int irk_dpkg_md5sums_line(const char *line, size_t len,
    struct irk_dpkg_file *f);

/*
 * A path as dpkg writes it (absolute in .list, Conffiles and diversions,
 * relative in .md5sums) as "/a/b" in out: "." and empty components
 * dropped; IRK_DPKG_BAD for "..", a NUL byte, the root alone or a path
 * longer than IRK_DPKG_PATH_MAX.
 */
int irk_dpkg_path(const char *s, size_t len, char out[IRK_DPKG_PATH_MAX]);

/* Is s (len) a valid package name / architecture? */
int irk_dpkg_name_ok(const char *s, size_t len);
int irk_dpkg_arch_ok(const char *s, size_t len);

#endif
