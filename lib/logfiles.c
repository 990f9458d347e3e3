/*
 * logfiles.c - which files of a root are the text logs irkit copies and
 * parses: NAME, NAME.N, NAME.N.gz (.xz, .bz2, .zst), NAME-DATE(.gz) of
 * each source of the table below, and every file of /var/log/cron/;
 * and dnf's history.sqlite with its write-ahead log history.sqlite-wal
 * (copied with the logs, read as a database).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "irkit/logfiles.h"
#include "irkit/banned.h"

struct source {
	const char *dir;
	const char *name;	/* NULL: every file of dir */
	enum irk_log_kind kind;
};

static const struct source sources[] = {
	{ "/var/log", "auth.log", IRK_LOG_SYSLOG },
	{ "/var/log", "secure", IRK_LOG_SYSLOG },
	{ "/var/log", "syslog", IRK_LOG_SYSLOG },
	{ "/var/log", "messages", IRK_LOG_SYSLOG },
	{ "/var/log", "kern.log", IRK_LOG_SYSLOG },
	{ "/var/log", "cron", IRK_LOG_SYSLOG },
	{ "/var/log", "cron.log", IRK_LOG_SYSLOG },
	{ "/var/log/cron", NULL, IRK_LOG_SYSLOG },
	{ "/var/log/audit", "audit.log", IRK_LOG_AUDIT },
	{ "/var/log", "dpkg.log", IRK_LOG_DPKG },
	{ "/var/log/apt", "history.log", IRK_LOG_APT_HISTORY },
	{ "/var/log/apt", "term.log", IRK_LOG_APT_TERM },
	{ "/var/log", "yum.log", IRK_LOG_YUM },
	{ "/var/log", "dnf.rpm.log", IRK_LOG_YUM },
	{ "/var/log", "dnf.log", IRK_LOG_DNF },
	{ "/var/lib/dnf", "history.sqlite", IRK_LOG_DNF_HISTORY },
	{ "/var/lib/dnf", "history.sqlite-wal", IRK_LOG_DNF_WAL },
};

static const char *const suffixes[] = {
	"", ".gz", ".xz", ".bz2", ".zst", ".lz4", NULL
};

/* The rotation name has a compression suffix (or none) after pos. */
static int
only_suffix(const char *s)
{
	for (size_t i = 0; suffixes[i] != NULL; i++)
		if (strcmp(s, suffixes[i]) == 0)
			return 1;
	return 0;
}

/*
 * Whether name is base or one of its rotations; *rot the rotation
 * number (0 the live file, -1 a dated one).
 */
static int
is_rotation(const char *name, const char *base, int *rot)
{
	size_t n = strlen(base);
	const char *p = name + n;

	if (strncmp(name, base, n) != 0)
		return 0;
	*rot = 0;
	if (only_suffix(p))
		return 1;
	if (*p == '.' && p[1] >= '0' && p[1] <= '9') {
		long v = 0;

		for (p++; *p >= '0' && *p <= '9' && v < 100000; p++)
			v = v * 10 + (*p - '0');
		*rot = (int)v;
		return only_suffix(p);
	}
	if (*p == '-' && p[1] >= '0' && p[1] <= '9') {
		for (p++; (*p >= '0' && *p <= '9'); p++)
			;
		*rot = -1;
		return only_suffix(p);
	}
	return 0;
}

static int
newest_first(const void *a, const void *b)
{
	const struct irk_logfile *x = a, *y = b;
	int c = strcmp(x->source, y->source);

	if (c != 0)
		return 0;
	if (x->st.mtime != y->st.mtime)
		return x->st.mtime > y->st.mtime ? -1 : 1;
	if (x->rotation != y->rotation)
		return x->rotation < y->rotation ? -1 : 1;
	return strcmp(x->path, y->path);
}

/*
 * Room for one more entry in *v (grown by doubling, up to
 * IRK_LOGFILES_MAX): 1, or 0 when full or out of memory.
 */
static int
room(struct irk_logfile **v, size_t *cap, size_t n)
{
	struct irk_logfile *nv;
	size_t ncap;

	if (n < *cap)
		return 1;
	if (*cap >= IRK_LOGFILES_MAX)
		return 0;
	ncap = *cap == 0 ? 32 : *cap * 2;
	if (ncap > IRK_LOGFILES_MAX)
		ncap = IRK_LOGFILES_MAX;
	if ((nv = realloc(*v, ncap * sizeof(*nv))) == NULL)
		return 0;
	*v = nv;
	*cap = ncap;
	return 1;
}

/* Add the matching regular files of one source. */
static void
list_source(struct irk_fs *fs, const struct source *s,
    struct irk_logfile **v, size_t *cap, size_t *n)
{
	struct irk_dir *d;
	struct irk_dirent e;
	struct irk_err err;
	size_t first = *n;

	if (fs->ops->opendir(fs, s->dir, &d, &err) != IRK_OK)
		return;
	while (room(v, cap, *n) && fs->ops->readdir(d, &e) == 1) {
		struct irk_logfile *f = &(*v)[*n];
		int rot = 0;

		if (s->name != NULL && !is_rotation(e.name, s->name, &rot))
			continue;
		memset(f, 0, sizeof(*f));
		if (irk_path_join(f->path, sizeof(f->path), s->dir, e.name) !=
		    IRK_OK || irk_fs_dirstat(fs, d, e.name, f->path, &f->st,
		    &err) != IRK_OK || !S_ISREG(f->st.mode))
			continue;
		f->source = s->name != NULL ? s->name : "cron";
		f->kind = s->kind;
		f->rotation = rot;
		(*n)++;
	}
	fs->ops->closedir(d);
	if (*n > first)
		qsort(*v + first, *n - first, sizeof(**v), newest_first);
}

size_t
irk_logfiles_list(struct irk_fs *fs, struct irk_logfile **out)
{
	struct irk_logfile *v = NULL;
	size_t n = 0, cap = 0;

	/* never NULL, as callers free it: grown as files are found (a
	 * calloc of the whole bound cost 2.4 MB of zeroed pages a call) */
	if (!room(&v, &cap, 0)) {
		*out = NULL;
		return 0;
	}
	for (size_t i = 0; i < sizeof(sources) / sizeof(sources[0]); i++)
		list_source(fs, &sources[i], &v, &cap, &n);
	*out = v;
	return n;
}

const char *
irk_log_compression(const unsigned char *p, size_t len)
{
	if (len >= 2 && p[0] == 0x1f && p[1] == 0x8b)
		return "gzip";
	if (len >= 6 && memcmp(p, "\xfd" "7zXZ\0", 6) == 0)
		return "xz";
	if (len >= 3 && memcmp(p, "BZh", 3) == 0)
		return "bzip2";
	if (len >= 4 && memcmp(p, "\x28\xb5\x2f\xfd", 4) == 0)
		return "zstd";
	if (len >= 4 && memcmp(p, "\x04\x22\x4d\x18", 4) == 0)
		return "lz4";
	return NULL;
}
