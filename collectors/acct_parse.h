/*
 * acct_parse.h - parsers of the account files (/etc/passwd, shadow,
 * group, gshadow) for the accounts collector and its fuzz harness.
 *
 * Each parser reads one line (no newline) and returns a JSON object of
 * its fields, or NULL when the line is not one of its kind (wrong
 * number of fields, no name, an id that is not a number).  No password
 * hash is ever put in an object: only its scheme and state.
 */
#ifndef IRKIT_ACCT_PARSE_H
#define IRKIT_ACCT_PARSE_H

#include <stddef.h>
#include <jansson.h>

/* name:password:uid:gid:gecos:home:shell as an "account" record. */
json_t *irk_passwd_line(const char *line, size_t len);
/* name:password:last:min:max:warn:inactive:expire:reserved: the
 * shadow fields ("user", "password", "password_scheme", "locked",
 * "last_change_days", "last_change", ... "expire"). */
json_t *irk_shadow_line(const char *line, size_t len);
/* name:password:gid:members as a "group" record. */
json_t *irk_group_line(const char *line, size_t len);
/* name:password:admins:members: the gshadow fields. */
json_t *irk_gshadow_line(const char *line, size_t len);

#endif
