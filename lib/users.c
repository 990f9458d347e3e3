/* users.c - accounts from the root's own passwd/group (see irkit/users.h). */
#include <stdlib.h>
#include <string.h>

#include "irkit/parse.h"
#include "irkit/users.h"
#include "irkit/banned.h"

#define PASSWD_MAX (8u << 20)

/* Split line into at most n ':'-fields; returns the count. */
static size_t
fields(char *line, char **f, size_t n)
{
	size_t i = 0;

	f[i++] = line;
	for (char *p = line; *p && i < n; p++) {
		if (*p == ':') {
			*p = '\0';
			f[i++] = p + 1;
		}
	}
	return i;
}

static int
parse(struct irk_user **list, size_t *count, const char *text, size_t len,
    int is_group)
{
	char *copy, *line, *next;

	if ((copy = malloc(len + 1)) == NULL)
		return IRK_FAIL;
	memcpy(copy, text, len);
	copy[len] = '\0';
	for (line = copy; line != NULL && *line; line = next) {
		char *f[7];
		uint64_t id, gid = 0;
		struct irk_user *u, *nl;
		size_t nf;

		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if (line[0] == '#' || line[0] == '\0' || strlen(line) > 4096)
			continue;
		nf = fields(line, f, 7);
		if (nf < (is_group ? 3u : 7u) || f[0][0] == '\0')
			continue;
		if (irk_parse_u64(f[2], 10, UINT32_MAX, &id) != 0)
			continue;
		if (!is_group && irk_parse_u64(f[3], 10, UINT32_MAX, &gid) != 0)
			continue;
		if ((nl = realloc(*list, (*count + 1) * sizeof(**list))) == NULL)
			break;
		*list = nl;
		u = &nl[(*count)++];
		memset(u, 0, sizeof(*u));
		u->name = strdup(f[0]);
		u->uid = (uint32_t)id;
		u->gid = is_group ? (uint32_t)id : (uint32_t)gid;
		u->home = is_group ? NULL : strdup(f[5]);
		u->shell = is_group ? NULL : strdup(f[6]);
	}
	free(copy);
	return IRK_OK;
}

int
irk_users_parse_passwd(struct irk_users *u, const char *text, size_t len)
{
	return parse(&u->users, &u->nusers, text, len, 0);
}

int
irk_users_load(struct irk_users *u, struct irk_fs *fs, struct irk_err *err)
{
	struct irk_buf b;
	int r = IRK_OK;

	memset(u, 0, sizeof(*u));
	irk_buf_init(&b, PASSWD_MAX);
	if (irk_fs_read_file(fs, "/etc/passwd", &b, NULL, err) == IRK_OK)
		(void)parse(&u->users, &u->nusers, b.data, b.len, 0);
	else
		r = IRK_WARN;
	irk_buf_reset(&b);
	if (irk_fs_read_file(fs, "/etc/group", &b, NULL, NULL) == IRK_OK)
		(void)parse(&u->groups, &u->ngroups, b.data, b.len, 1);
	irk_buf_release(&b);
	return r;
}

static void
free_list(struct irk_user *l, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(l[i].name);
		free(l[i].home);
		free(l[i].shell);
	}
	free(l);
}

void
irk_users_release(struct irk_users *u)
{
	free_list(u->users, u->nusers);
	free_list(u->groups, u->ngroups);
	memset(u, 0, sizeof(*u));
}

const char *
irk_users_name(const struct irk_users *u, uint32_t uid)
{
	for (size_t i = 0; i < u->nusers; i++)
		if (u->users[i].uid == uid)
			return u->users[i].name;
	return NULL;
}

const char *
irk_users_group(const struct irk_users *u, uint32_t gid)
{
	for (size_t i = 0; i < u->ngroups; i++)
		if (u->groups[i].gid == gid)
			return u->groups[i].name;
	return NULL;
}

