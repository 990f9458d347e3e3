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
	const char *action;	/* "install", "upgrade", "remove", "purge" */
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

#endif
