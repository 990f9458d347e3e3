/*
 * users.h - accounts read from the root's own /etc/passwd and
 * /etc/group, never through NSS (the host's resolver may lie, and an
 * image has none).
 */
#ifndef IRKIT_USERS_H
#define IRKIT_USERS_H

#include <stddef.h>
#include <stdint.h>

#include "irkit/fs.h"

struct irk_user {
	char *name;
	uint32_t uid;
	uint32_t gid;
	char *home;
	char *shell;
};

struct irk_users {
	struct irk_user *users;
	size_t nusers;
	struct irk_user *groups;	/* name and gid only */
	size_t ngroups;
};

/* Missing files give an empty list (IRK_WARN); bad lines are skipped. */
int irk_users_load(struct irk_users *u, struct irk_fs *fs,
    struct irk_err *err);
void irk_users_release(struct irk_users *u);
const char *irk_users_name(const struct irk_users *u, uint32_t uid);
const char *irk_users_group(const struct irk_users *u, uint32_t gid);
/* Parse passwd text (for tests and fuzzing). */
int irk_users_parse_passwd(struct irk_users *u, const char *text, size_t len);

#endif
