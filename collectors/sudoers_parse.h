/*
 * sudoers_parse.h - one logical line of sudoers(5) (continuation lines
 * joined by the caller), for the sudoers collector and its fuzz harness.
 */
#ifndef IRKIT_SUDOERS_PARSE_H
#define IRKIT_SUDOERS_PARSE_H

#include <stddef.h>
#include <jansson.h>

/* The longest logical line read. */
#define IRK_SUDOERS_LINE_MAX	(64u << 10)

/*
 * The line as an object with its "kind":
 *   "blank"	   empty or a comment;
 *   "defaults"	   binding ("Defaults", "Defaults:alice"...), settings;
 *   "alias"	   aliases: [{alias_type, name, members}];
 *   "rule"	   users, hosts, commands: [{runas_users, runas_groups,
 *		   tags, command}] (a command's Runas and tags are those
 *		   written before it on the line; each tag once, in
 *		   the order last written);
 *   "include"	   path, dir (0, or 1 for @includedir / #includedir).
 * NULL when the line is none of these.
 */
json_t *irk_sudoers_line(const char *line, size_t len);

#endif
