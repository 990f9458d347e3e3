/*
 * pkglog_parse.h - lines of the package managers' logs: dpkg.log, apt's
 * history.log lists, yum.log and dnf.rpm.log messages (docs/logs.md,
 * "Packages").  Pure: spans into the line.
 */
#ifndef IRKIT_PKGLOG_PARSE_H
#define IRKIT_PKGLOG_PARSE_H

#include <stddef.h>

#include "syslog_parse.h"

/* "2024-01-02 03:04:05 install pkg:arch old new" */
struct irk_dpkg_line {
	int year, mon, mday, hour, min, sec;
	const char *action;	/* "install", "upgrade", "remove", "purge",
				   "downgrade" (an upgrade to an earlier
				   version, debver.h) */
	struct irk_span pkg, arch, oldv, newv;
};

/* 1 for a package action line, 0 for any other line. */
int irk_dpkg_line(const char *line, size_t len, struct irk_dpkg_line *d);

/* One package of an apt history list: "name:arch (v1[, v2|automatic])" */
struct irk_apt_pkg {
	struct irk_span name, arch, v1, v2;
	int automatic;
};

/* Each package of a list (the text after "Install: "); the count. */
size_t irk_apt_list(const char *s, size_t n,
    void (*fn)(void *arg, const struct irk_apt_pkg *p, size_t i), void *arg);

/* "YYYY-MM-DD  HH:MM:SS" (apt's Start-Date); 0 or -1. */
int irk_apt_date(const char *s, size_t n, int f[6]);

/*
 * A yum/dnf message ("Installed: name-1.2-3.el8.x86_64"): the action
 * ("install", "upgrade", "remove", "reinstall", "downgrade"; NULL when
 * the message is none of them) and the package split as name, version
 * (version-release), arch.
 */
const char *irk_rpm_message(struct irk_span prog, struct irk_span msg,
    struct irk_span *name, struct irk_span *version, struct irk_span *arch);

/* A line of apt's term.log (docs/logs.md, "Packages"). */
enum irk_term_kind {
	IRK_TERM_OTHER,		/* dpkg's other output */
	IRK_TERM_START,		/* "Log started: DATE": date set */
	IRK_TERM_END,		/* "Log ended: DATE" */
	IRK_TERM_PKG,		/* a package line: action and package */
};

struct irk_term_line {
	int date[6];		/* year, month, day, hour, minute, second */
	const char *action;	/* "install", "upgrade", "reinstall",
				   "downgrade" (over a later version,
				   debver.h), "configure", "remove",
				   "purge" */
	struct irk_span pkg, arch, version, old;
};

/*
 * "Unpacking P (V) over (OLD) ...", "Unpacking P (V) ...", "Setting up
 * P (V) ...", "Removing P (V) ...", "Purging configuration files for
 * P (V) ...", and the block's "Log started:"/"Log ended:" lines.
 */
enum irk_term_kind irk_term_line(const char *line, size_t len,
    struct irk_term_line *t);

/*
 * A dnf.log message (after its time and level) naming a package of the
 * transaction dnf resolved: "---> Package NAME.ARCH [E:]V-R will be
 * installed|an upgrade|erased|a downgrade|reinstalled".  Returns the
 * action ("install", "upgrade", "remove", "downgrade", "reinstall") or
 * NULL (the old side, "will be upgraded", and every other message).
 */
const char *irk_dnf_package(struct irk_span msg, struct irk_span *name,
    struct irk_span *arch, struct irk_span *version);

#endif
