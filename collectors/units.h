/*
 * units.h - the systemd unit loader, over struct irk_fs, shared by the
 * services collector (services.c) and the timers part of the tasks
 * collector (timers.c).
 *
 * It does what systemd's lookup-paths.c, load-fragment.c and
 * dropin.c do at boot, from files only: walk the search path of a
 * scope in priority order (the first directory holding a name wins),
 * tell real units from aliases (links to another name), linked units
 * and masks (links to /dev/null, empty files), reach template instances
 * through their foo@bar.service links, gather the drop-ins of every
 * name of a unit (<name>.d/, <template>.d/, prefix "foo-.service.d/"
 * and type "service.d/" directories; same file name: first directory
 * wins; applied sorted by file name) and the *.wants/ *.requires/
 * links that enable it.  Problems are logged on the collector and the
 * loader goes on.
 */
#ifndef IRKIT_UNITS_H
#define IRKIT_UNITS_H

#include "irkit/collect.h"
#include "unitfile.h"

/* Where a search-path directory sits, for "enablement". */
enum irk_unit_dir_class {
	IRK_UDIR_CONFIG,	/* /etc, ~/.config: the administrator's */
	IRK_UDIR_RUNTIME,	/* /run: gone at reboot */
	IRK_UDIR_TRANSIENT,	/* /run/systemd/transient */
	IRK_UDIR_GENERATOR,	/* /run/systemd/generator* */
	IRK_UDIR_VENDOR,	/* /usr, /lib: the packages' */
};

struct irk_unit_dir {
	char *path;
	int cls;		/* enum irk_unit_dir_class */
	int home;		/* 1: in the owner's home (or /run/user/UID) */
	int missing;		/* absent or not a directory: not searched */
};

struct irk_unit {
	char *name;		/* foo.service, foo@bar.service, foo@.service */
	char *unit_path;	/* the search-path entry it was found as */
	char *fragment;		/* the file read (links resolved), or NULL */
	int dir;		/* index of the search dir of unit_path, -1 */
	int masked;
	int is_template;
	int is_instance;
	char *error;		/* why it could not be loaded, or NULL */
	struct irk_strv aliases;	/* other names linked to it */
	struct irk_strv dropins;	/* applied, in order */
	struct irk_strv wanted_by;	/* units whose .wants/ link to it */
	struct irk_strv required_by;	/* units whose .requires/ link to it */
	struct irk_strv links;		/* paths of those links */
	int link_class;			/* best dir class of links, -1 none */
	int alias_class;		/* best dir class of aliases, -1 */
	int indirect;			/* a template with instance links */
	struct irk_strv instances;	/* ...those instances' names */
	int outside;			/* fragment outside the search path */
	int in_home;			/* something of it is in the home */
	struct irk_unitfile uf;		/* fragment and drop-ins, in order */
	struct irk_unit_spec spec;	/* specifier context (borrowed) */
};

struct irk_units {
	int user_scope;
	const struct irk_user *owner;	/* user scope of one account */
	struct irk_unit_dir *dirs;
	size_t ndirs;
	struct irk_unit *v;
	size_t n;
	/* strings the specifier contexts point at */
	char uid[16], gid[16], runtime_dir[64];
	char *hostname, *machine_id, *boot_id;
	const char *group;
};

/* The unit called name, or NULL (aliases are searched too). */
const struct irk_unit *irk_units_find(const struct irk_units *u,
    const char *name);

/*
 * The effective commands of a unit's list setting (e.g. "Service",
 * "ExecStart"): every assignment since the last empty one, split and
 * with specifiers expanded.  Lines that do not parse are logged and
 * skipped.  programs (may be NULL) receives each command's program,
 * paths its other arguments that are absolute paths.  Returns a JSON
 * array of argv arrays (never NULL); if lines is not NULL it receives
 * the lines as written.
 */
json_t *irk_unit_exec_json(struct irk_collect *c, const struct irk_unit *un,
    const char *section, const char *key, json_t **lines,
    struct irk_strv *programs, struct irk_strv *paths);

/* Specifier-expanded value of a single setting, or NULL; caller frees. */
char *irk_unit_get_expanded(const struct irk_unit *un, const char *section,
    const char *key);

/*
 * Load the units of each scope (the system's, the global user scope,
 * then each account of homes, see irk_units_homes) and call fn(arg, u,
 * un) for each unit whose name keep accepts; of an account's scope only
 * units with something in its home (the others are the global user
 * pass's).  Returns the worst (irk_worst) of the loads (IRK_WARN: part
 * of a search path unreadable; IRK_FAIL: a scope not loaded) and of fn,
 * stopping at IRK_FATAL.
 */
int irk_units_each(struct irk_collect *c, const struct irk_user *const *homes,
    size_t nh, int (*keep)(const char *name),
    int (*fn)(void *arg, const struct irk_units *u,
    const struct irk_unit *un), void *arg);

/* The home directories of the accounts, deduplicated (for irk_units_each). */
int irk_units_homes(struct irk_collect *c, const struct irk_user ***out,
    size_t *n);

/* The scope's "enablement" word (see docs/services-tasks.md). */
const char *irk_unit_enablement(const struct irk_units *u,
    const struct irk_unit *un);

#endif
