/*
 * scan.c - the scanning engine (see scan.h and docs/scanning.md): rules
 * compiled once and cached, a pool of worker threads each owning a YARA
 * scanner and a libmagic cookie, IOC lists, bounded memory.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <magic.h>
#include <openssl/evp.h>
#include <yara.h>

#include "irkit/buf.h"
#include "irkit/err.h"
#include "irkit/json.h"
#include "irkit/sha256.h"
#include "ioc.h"
#include "presel.h"
#include "scan.h"
#include "irkit/banned.h"

#define RULE_FILE_MAX	(64u << 20)	/* one rule file */
#define IOC_FILE_MAX	(64u << 20)	/* one IOC list */
#define QUEUE_MIN	(64ull << 20)	/* content bytes queued or scanning: */
#define QUEUE_PER_JOB	(32ull << 20)	/* 32 MiB a worker, 64..256 MiB */
#define QUEUE_MAX	(256ull << 20)
#define MAGIC_PREFIX	(64u << 10)	/* bytes libmagic looks at */
#define HASH_CHUNK	(64u << 10)
#define MAX_STRINGS	32		/* per rule and file */
#define MAX_MATCHES	16		/* per string */
#define MATCH_DATA	64		/* bytes of matched data kept */
#define WALK_DEPTH	32
#define DEFAULT_SCORE	70

static const char *const externals[] = {
	"filename", "filepath", "extension", "filetype", "owner", NULL,
};

struct rule_file {
	char *path;
	char *ns;
	char *text;
	size_t len;
	int bad;
};

struct qitem {
	struct irk_scan_item it;	/* first: items are cast both ways */
	struct qitem *next;
	size_t cost;			/* bytes counted against the budget */
	int mapped;			/* it.data is a read-only file map */
};

/* The item's content: unmapped or freed. */
static void
data_release(struct qitem *q)
{
	if (q->it.data != NULL && q->mapped)
		(void)munmap(q->it.data, q->it.len);
	else
		free(q->it.data);
	q->it.data = NULL;
	q->mapped = 0;
}

/* A pre-selection class's rule set */
struct class_set {
	YR_RULES *rules;
	int state;		/* SET_NONE ... */
	uint64_t seen;		/* bytes of the class scanned so far */
};

enum { SET_NONE, SET_BUSY, SET_READY, SET_FULL };

struct worker {
	struct irk_scan *s;
	pthread_t tid;
	int started;
	YR_SCANNER *yr;
	YR_SCANNER **cls;	/* per pre-selection class, made on first use */
	magic_t magic;
	EVP_MD_CTX *md[3];	/* SHA-256, MD5, SHA-1 (reused per file) */
};

struct irk_scan {
	int jobs;
	uint64_t max_size;
	int timeout;
	int hash_all;
	const struct irk_strmap *known;

	int yr_inited;
	YR_RULES *rules;
	unsigned nrules;
	size_t user_files, user_files_ok;	/* from opts->rules */
	char rules_hash[IRK_SHA256_HEX];
	json_t *rule_errors;
	json_t *rule_warnings;
	json_t *rule_files;
	struct irk_iocs iocs;

	/* rule pre-selection (presel.h): one set per class, compiled or
	 * loaded from the cache on first use */
	int presel_on;
	uint64_t presel_min;		/* bytes of a class before its set */
	struct irk_presel presel;
	struct irk_presel_src *psrc;	/* the good files' texts, ns, paths */
	char **pns, **ppath;
	size_t npsrc;
	struct class_set *sets;
	char cache[PATH_MAX];

	pthread_mutex_t mu;
	pthread_cond_t cv_work;		/* queue not empty, or stop */
	pthread_cond_t cv_space;	/* budget freed */
	pthread_cond_t cv_done;		/* an item finished */
	int sync_inited;
	struct qitem *qhead, *qtail;	/* waiting */
	struct qitem *dhead, *dtail;	/* finished, not popped */
	size_t pending;			/* pushed, not yet finished */
	uint64_t bytes;			/* budget in use */
	uint64_t budget;
	int stop;
	int draining;
	struct worker *w;
	int nw;
};

/* ---- small helpers ---- */

static int
read_file(const char *path, size_t max, char **out, size_t *outlen,
    struct irk_err *err)
{
	struct irk_buf b;
	int fd, rc;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		irk_err_set(err, errno, "cannot open '%s'", path);
		return IRK_FAIL;
	}
	irk_buf_init(&b, max);
	rc = irk_buf_read_fd(&b, fd);
	close(fd);
	if (rc != IRK_OK) {
		irk_buf_release(&b);
		irk_err_set(err, errno, rc == IRK_TOOBIG ?
		    "'%s' is larger than %zu bytes" : "cannot read '%s'",
		    path, max);
		return IRK_FAIL;
	}
	if (irk_buf_addch(&b, '\0') != IRK_OK) {
		irk_buf_release(&b);
		irk_err_set(err, 0, "'%s' is too large", path);
		return IRK_FAIL;
	}
	*outlen = b.len - 1;
	*out = irk_buf_detach(&b, NULL);
	if (*out == NULL) {
		irk_err_set(err, ENOMEM, "out of memory");
		return IRK_FAIL;
	}
	return IRK_OK;
}

static int
has_suffix(const char *s, const char *suf)
{
	size_t n = strlen(s), m = strlen(suf);

	return n >= m && strcasecmp(s + n - m, suf) == 0;
}

static int
path_join(char *out, size_t len, const char *a, const char *b)
{
	int n = snprintf(out, len, "%s/%s", a, b);

	return n >= 0 && (size_t)n < len ? 0 : -1;
}

static int
is_dir(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* ---- rule files ---- */

struct rule_list {
	struct rule_file *v;
	size_t n, cap;
};

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
rule_list_add(struct rule_list *l, const char *path)
{
	struct rule_file *rf;

	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i].path, path) == 0)
			return IRK_OK;	/* named twice */
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;

		if ((rf = realloc(l->v, cap * sizeof(*rf))) == NULL)
			return IRK_FAIL;
		l->v = rf;
		l->cap = cap;
	}
	rf = &l->v[l->n];
	memset(rf, 0, sizeof(*rf));
	if ((rf->path = strdup(path)) == NULL)
		return IRK_FAIL;
	l->n++;
	return IRK_OK;
}

/* Every *.yar / *.yara under dir, sorted, recursively; hidden names and
 * links to directories are skipped. */
static int
walk_rules(struct rule_list *l, const char *dir, int depth, struct irk_err *err)
{
	DIR *d;
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, cap = 0;
	int rc = IRK_OK;

	if (depth > WALK_DEPTH)
		return IRK_OK;
	if ((d = opendir(dir)) == NULL) {
		irk_err_set(err, errno, "cannot open directory '%s'", dir);
		return IRK_FAIL;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (n == cap) {
			char **nn;

			cap = cap ? cap * 2 : 32;
			if ((nn = realloc(names, cap * sizeof(*nn))) == NULL) {
				rc = IRK_FAIL;
				break;
			}
			names = nn;
		}
		if ((names[n] = strdup(de->d_name)) == NULL) {
			rc = IRK_FAIL;
			break;
		}
		n++;
	}
	closedir(d);
	if (rc == IRK_OK)
		qsort(names, n, sizeof(*names), cmp_str);
	for (size_t i = 0; i < n && rc == IRK_OK; i++) {
		char p[PATH_MAX];
		struct stat st;

		if (path_join(p, sizeof(p), dir, names[i]) != 0 ||
		    lstat(p, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode))
			rc = walk_rules(l, p, depth + 1, err);
		else if ((S_ISREG(st.st_mode) || (S_ISLNK(st.st_mode) &&
		    !is_dir(p))) && (has_suffix(p, ".yar") ||
		    has_suffix(p, ".yara")))
			rc = rule_list_add(l, p);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	if (rc == IRK_FAIL && err->msg[0] == '\0')
		irk_err_set(err, ENOMEM, "out of memory");
	return rc;
}

/*
 * The bundled yara-rules/ directory: beside the installed binary
 * (<bindir>/../yara-rules, <bindir>/../share/irkit/yara-rules), then the
 * source tree a dev build was made from (IRK_RULES_DIR, set by the
 * Makefile), then <bindir>/../../yara-rules (build/bin/ in a source
 * tree).  0 with out set, or -1.
 */
static int
find_bundled(char *out, size_t len)
{
	char exe[PATH_MAX], *slash;
	ssize_t n;
	static const char *const rel[] = {
		"../yara-rules", "../share/irkit/yara-rules",
		"../../yara-rules", NULL,
	};

	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		if ((slash = strrchr(exe, '/')) != NULL)
			*slash = '\0';
	}
	for (int i = 0; rel[i] != NULL; i++) {
#ifdef IRK_RULES_DIR
		if (i == 2 && snprintf(out, len, "%s", IRK_RULES_DIR) <
		    (int)len && is_dir(out))
			return 0;
#endif
		if (n > 0 && path_join(out, len, exe, rel[i]) == 0 &&
		    is_dir(out))
			return 0;
	}
	return -1;
}

struct compile_ctx {
	json_t *errors;
	json_t *warnings;
	const char *bad_file;	/* the file of the last error */
	char bad_buf[PATH_MAX];
};

static void
compiler_cb(int level, const char *file, int line, const YR_RULE *rule,
    const char *msg, void *user)
{
	struct compile_ctx *c = user;
	char buf[PATH_MAX + 1024];

	(void)rule;
	snprintf(buf, sizeof(buf), "%s:%d: %s%s", file ? file : "(rules)",
	    line, level == YARA_ERROR_LEVEL_WARNING ? "warning: " : "",
	    msg ? msg : "");
	if (level == YARA_ERROR_LEVEL_ERROR) {
		json_array_append_new(c->errors, irk_json_str(buf));
		if (file != NULL) {
			snprintf(c->bad_buf, sizeof(c->bad_buf), "%s", file);
			c->bad_file = c->bad_buf;
		}
	} else if (c->warnings != NULL) {
		json_array_append_new(c->warnings, irk_json_str(buf));
	}
}

static int
new_compiler(YR_COMPILER **out, struct compile_ctx *c)
{
	YR_COMPILER *comp;

	if (yr_compiler_create(&comp) != ERROR_SUCCESS)
		return IRK_FAIL;
	for (int i = 0; externals[i] != NULL; i++)
		if (yr_compiler_define_string_variable(comp, externals[i],
		    "") != ERROR_SUCCESS) {
			yr_compiler_destroy(comp);
			return IRK_FAIL;
		}
	yr_compiler_set_callback(comp, compiler_cb, c);
	*out = comp;
	return IRK_OK;
}

/* Add one file's text (from memory, under its own name for messages and
 * relative includes); the number of errors. */
static int
add_rule_file(YR_COMPILER *comp, const struct rule_file *rf)
{
	FILE *fp;
	int n;

	if (rf->len == 0)
		return 0;
	if ((fp = fmemopen(rf->text, rf->len, "r")) == NULL)
		return 1;
	n = yr_compiler_add_file(comp, fp, rf->ns, rf->path);
	fclose(fp);
	return n;
}

/* All good files into one compiler; a file that breaks the whole (a
 * duplicate rule name across files...) is marked bad and we retry. */
static int
compile_good(struct rule_list *l, struct compile_ctx *c, YR_RULES **out)
{
	for (;;) {
		YR_COMPILER *comp;
		json_t *errs = json_array();
		struct compile_ctx cc = { errs, NULL, NULL, "" };
		int nerr = 0, rc;
		size_t i, culprit = l->n;

		if (errs == NULL || new_compiler(&comp, &cc) != IRK_OK) {
			json_decref(errs);
			return IRK_FAIL;
		}
		for (i = 0; i < l->n; i++) {
			if (l->v[i].bad)
				continue;
			if ((nerr = add_rule_file(comp, &l->v[i])) > 0) {
				culprit = i;
				break;
			}
		}
		if (nerr == 0) {
			rc = yr_compiler_get_rules(comp, out) == ERROR_SUCCESS ?
			    IRK_OK : IRK_FAIL;
			yr_compiler_destroy(comp);
			json_decref(errs);
			return rc;
		}
		yr_compiler_destroy(comp);
		/* the file the error is in, if the compiler named it */
		if (cc.bad_file != NULL)
			for (i = 0; i < l->n; i++)
				if (!l->v[i].bad &&
				    strcmp(l->v[i].path, cc.bad_file) == 0)
					culprit = i;
		if (culprit >= l->n) {
			json_decref(errs);
			return IRK_FAIL;
		}
		l->v[culprit].bad = 1;
		json_array_extend(c->errors, errs);
		json_decref(errs);
	}
}

static int
compile_rules(struct rule_list *l, struct compile_ctx *c, YR_RULES **out)
{
	YR_COMPILER *comp;
	int nerr = 0;

	/* fast path: everything compiles together */
	if (new_compiler(&comp, c) != IRK_OK)
		return IRK_FAIL;
	for (size_t i = 0; i < l->n && nerr == 0; i++)
		nerr = add_rule_file(comp, &l->v[i]);
	if (nerr == 0) {
		int rc = yr_compiler_get_rules(comp, out) == ERROR_SUCCESS ?
		    IRK_OK : IRK_FAIL;

		yr_compiler_destroy(comp);
		return rc;
	}
	yr_compiler_destroy(comp);
	json_array_clear(c->errors);
	if (c->warnings != NULL)
		json_array_clear(c->warnings);
	/* each file alone finds the broken ones, with all their errors */
	for (size_t i = 0; i < l->n; i++) {
		if (new_compiler(&comp, c) != IRK_OK)
			return IRK_FAIL;
		if (add_rule_file(comp, &l->v[i]) > 0)
			l->v[i].bad = 1;
		yr_compiler_destroy(comp);
	}
	return compile_good(l, c, out);
}

static void
cache_dir(const struct irk_scan_opts *o, char *out, size_t len)
{
	const char *x = getenv("XDG_CACHE_HOME"), *h = getenv("HOME");

	out[0] = '\0';
	if (o->cache_dir != NULL)
		snprintf(out, len, "%s", o->cache_dir);
	else if (x != NULL && x[0] == '/')
		snprintf(out, len, "%s/irkit", x);
	else if (h != NULL && h[0] == '/')
		snprintf(out, len, "%s/.cache/irkit", h);
}

static int
mkdirs(const char *dir)
{
	char p[PATH_MAX];

	if (snprintf(p, sizeof(p), "%s", dir) >= (int)sizeof(p))
		return -1;
	for (char *s = p + 1; *s != '\0'; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0700) != 0 && errno != EEXIST)
			return -1;
		*s = '/';
	}
	if (mkdir(p, 0700) != 0 && errno != EEXIST)
		return -1;
	return 0;
}

/* A cache file we own and nobody else may write. */
static int
cache_file_ok(const char *p)
{
	struct stat st;

	return lstat(p, &st) == 0 && S_ISREG(st.st_mode) &&
	    st.st_uid == geteuid() && (st.st_mode & 022) == 0;
}

/*
 * The same rule texts under other paths share a cache entry: the file
 * list and the error lines are given the paths of this run (the entry
 * keeps the list it was compiled from, "list", and which of it compiled,
 * "good").
 */
static void
cache_repath(struct irk_scan *s, json_t *j, const struct rule_list *l)
{
	json_t *list = json_object_get(j, "list"), *good = json_object_get(j,
	    "good"), *v, *e;
	size_t i, k;

	if (!json_is_array(list) || !json_is_array(good) ||
	    json_array_size(list) != l->n)
		return;
	json_array_clear(s->rule_files);
	json_array_foreach(good, k, v)
		if (json_is_integer(v) && json_integer_value(v) >= 0 &&
		    (size_t)json_integer_value(v) < l->n)
			json_array_append_new(s->rule_files, irk_json_str(
			    l->v[json_integer_value(v)].path));
	json_array_foreach(s->rule_errors, k, e) {
		const char *t = json_string_value(e);

		json_array_foreach(list, i, v) {
			const char *old = json_string_value(v);
			size_t n = old != NULL ? strlen(old) : 0;
			char *nt = NULL;

			if (t == NULL || n == 0 || strncmp(t, old, n) != 0 ||
			    t[n] != ':')
				continue;
			if (asprintf(&nt, "%s%s", l->v[i].path, t + n) >= 0) {
				json_array_set_new(s->rule_errors, k,
				    irk_json_str(nt));
				free(nt);
			}
			break;
		}
	}
}

static int
cache_load(struct irk_scan *s, const char *dir, const struct rule_list *l)
{
	char rp[PATH_MAX], jp[PATH_MAX];
	json_t *j;
	json_error_t je;

	if (dir[0] == '\0' ||
	    snprintf(rp, sizeof(rp), "%s/rules-%s.yarc", dir, s->rules_hash) >=
	    (int)sizeof(rp) ||
	    snprintf(jp, sizeof(jp), "%s/rules-%s.json", dir, s->rules_hash) >=
	    (int)sizeof(jp) || !cache_file_ok(rp) || !cache_file_ok(jp))
		return -1;
	if ((j = json_load_file(jp, 0, &je)) == NULL)
		return -1;
	if (!json_is_array(json_object_get(j, "errors")) ||
	    !json_is_array(json_object_get(j, "warnings")) ||
	    !json_is_array(json_object_get(j, "files")) ||
	    yr_rules_load(rp, &s->rules) != ERROR_SUCCESS) {
		json_decref(j);
		return -1;
	}
	json_array_extend(s->rule_errors, json_object_get(j, "errors"));
	json_array_extend(s->rule_warnings, json_object_get(j, "warnings"));
	json_array_clear(s->rule_files);
	json_array_extend(s->rule_files, json_object_get(j, "files"));
	cache_repath(s, j, l);
	json_decref(j);
	return 0;
}

/* Compiled rules saved as path, in dir, through a temporary file. */
static int
save_yarc(YR_RULES *rules, const char *dir, const char *path)
{
	char tmp[PATH_MAX];
	int fd;

	if (dir[0] == '\0' || mkdirs(dir) != 0 || snprintf(tmp, sizeof(tmp),
	    "%s/.rules.XXXXXX", dir) >= (int)sizeof(tmp) ||
	    (fd = mkstemp(tmp)) < 0)
		return -1;
	close(fd);
	if (yr_rules_save(rules, tmp) != ERROR_SUCCESS ||
	    rename(tmp, path) != 0) {
		unlink(tmp);
		return -1;
	}
	return 0;
}

static void
cache_save(struct irk_scan *s, const char *dir, const struct rule_list *l)
{
	char rp[PATH_MAX], jp[PATH_MAX], tmp[PATH_MAX];
	json_t *j;
	int fd;

	if (snprintf(rp, sizeof(rp), "%s/rules-%s.yarc", dir, s->rules_hash) >=
	    (int)sizeof(rp) ||
	    snprintf(jp, sizeof(jp), "%s/rules-%s.json", dir, s->rules_hash) >=
	    (int)sizeof(jp) || save_yarc(s->rules, dir, rp) != 0)
		return;
	j = json_pack("{sOsOsOs[]s[]}", "errors", s->rule_errors, "warnings",
	    s->rule_warnings, "files", s->rule_files, "list", "good");
	for (size_t i = 0; j != NULL && i < l->n; i++) {
		json_array_append_new(json_object_get(j, "list"),
		    irk_json_str(l->v[i].path));
		if (!l->v[i].bad)
			json_array_append_new(json_object_get(j, "good"),
			    json_integer((json_int_t)i));
	}
	if (snprintf(tmp, sizeof(tmp), "%s/.rules-%s.XXXXXX", dir,
	    s->rules_hash) >= (int)sizeof(tmp) || j == NULL ||
	    (fd = mkstemp(tmp)) < 0) {
		json_decref(j);
		return;
	}
	if (json_dumpfd(j, fd, JSON_COMPACT) != 0 || fsync(fd) != 0 ||
	    rename(tmp, jp) != 0)
		unlink(tmp);
	close(fd);
	json_decref(j);
}

static void
rule_list_release(struct rule_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].path);
		free(l->v[i].ns);
		free(l->v[i].text);
	}
	free(l->v);
}

/* Namespace: the base name without extension, unique among the files. */
static int
set_namespaces(struct rule_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		const char *b = strrchr(l->v[i].path, '/');
		char ns[256], cand[300];
		char *dot;
		int k = 1;

		b = b != NULL ? b + 1 : l->v[i].path;
		snprintf(ns, sizeof(ns), "%s", b);
		if ((dot = strrchr(ns, '.')) != NULL && dot != ns)
			*dot = '\0';
		snprintf(cand, sizeof(cand), "%s", ns);
		for (size_t j = 0; j < i; j++)
			if (strcmp(l->v[j].ns, cand) == 0) {
				snprintf(cand, sizeof(cand), "%s_%d", ns, ++k);
				j = (size_t)-1;	/* restart */
			}
		if ((l->v[i].ns = strdup(cand)) == NULL)
			return IRK_FAIL;
	}
	return IRK_OK;
}

/* How many of the first n files of l are in the compiled set. */
static size_t
count_compiled(const struct irk_scan *s, const struct rule_list *l, size_t n)
{
	size_t ok = 0, k;
	json_t *v;

	for (size_t i = 0; i < n && i < l->n; i++)
		json_array_foreach(s->rule_files, k, v)
			if (strcmp(json_string_value(v), l->v[i].path) == 0) {
				ok++;
				break;
			}
	return ok;
}

/* The rule files: every --rules file or folder, then the bundled ones. */
static int
list_rule_files(struct irk_scan *s, const struct irk_scan_opts *o,
    struct rule_list *l, struct irk_err *err)
{
	char bundled[PATH_MAX];
	int rc;

	for (size_t i = 0; i < o->nrules; i++) {
		const char *p = o->rules[i];
		struct stat st;

		if (stat(p, &st) != 0) {
			irk_err_set(err, errno, "cannot read rules '%s'", p);
			return IRK_FAIL;
		}
		if (S_ISDIR(st.st_mode))
			rc = walk_rules(l, p, 0, err);
		else
			rc = rule_list_add(l, p);
		if (rc != IRK_OK)
			return rc;
	}
	s->user_files = l->n;
	if (o->default_rules) {
		if (find_bundled(bundled, sizeof(bundled)) != 0) {
			irk_err_set(err, 0, "bundled yara-rules/ not found "
			    "beside the program (pass --rules)");
			return IRK_FAIL;
		}
		if ((rc = walk_rules(l, bundled, 0, err)) != IRK_OK)
			return rc;
	}
	if (set_namespaces(l) != IRK_OK) {
		irk_err_set(err, ENOMEM, "out of memory");
		return IRK_FAIL;
	}
	return IRK_OK;
}

/* s->rule_files: the files of l that could be read. */
static void
set_rule_files(struct irk_scan *s, const struct rule_list *l)
{
	json_array_clear(s->rule_files);
	for (size_t i = 0; i < l->n; i++)
		if (!l->v[i].bad)
			json_array_append_new(s->rule_files,
			    irk_json_str(l->v[i].path));
}

/*
 * Read every rule file of l (one that cannot be read is a rule error)
 * and hash the cache key into s->rules_hash: libyara version,
 * externals, every namespace and text.
 */
static int
read_and_hash_rules(struct irk_scan *s, struct rule_list *l,
    struct irk_err *err)
{
	struct irk_hash h;

	if (irk_hash_init(&h, 0) != IRK_OK) {
		irk_err_set(err, 0, "cannot hash");
		return IRK_FAIL;
	}
	irk_hash_update(&h, "irkit-rules-2\n" YR_VERSION "\n", strlen(
	    "irkit-rules-2\n" YR_VERSION "\n"));
	for (int i = 0; externals[i] != NULL; i++)
		irk_hash_update(&h, externals[i], strlen(externals[i]) + 1);
	for (size_t i = 0; i < l->n; i++) {
		char lenbuf[32];
		struct irk_err e2;

		if (read_file(l->v[i].path, RULE_FILE_MAX, &l->v[i].text,
		    &l->v[i].len, &e2) != IRK_OK) {
			char msg[sizeof(e2.msg) + 64];

			snprintf(msg, sizeof(msg), "%s:0: %s", l->v[i].path,
			    e2.msg);
			json_array_append_new(s->rule_errors, irk_json_str(msg));
			l->v[i].bad = 1;
			l->v[i].len = 0;
			continue;
		}
		snprintf(lenbuf, sizeof(lenbuf), "\n%zu\n", l->v[i].len);
		irk_hash_update(&h, l->v[i].ns, strlen(l->v[i].ns));
		irk_hash_update(&h, lenbuf, strlen(lenbuf));
		irk_hash_update(&h, l->v[i].text, l->v[i].len);
	}
	irk_hash_final(&h, s->rules_hash, NULL, NULL);
	set_rule_files(s, l);
	return IRK_OK;
}

/* Compile l into s->rules, keeping the read errors found before. */
static int
compile_keeping_errors(struct irk_scan *s, struct rule_list *l,
    struct irk_err *err)
{
	struct compile_ctx c;
	json_t *readerr = json_copy(s->rule_errors);
	size_t i;
	json_t *v;

	memset(&c, 0, sizeof(c));
	c.errors = s->rule_errors;
	c.warnings = s->rule_warnings;
	if (compile_rules(l, &c, &s->rules) != IRK_OK) {
		json_decref(readerr);
		irk_err_set(err, 0, "cannot compile the rules");
		return IRK_FAIL;
	}
	/* the compile may have cleared them: put them back */
	json_array_foreach(readerr, i, v) {
		int seen = 0;
		size_t k;
		json_t *w;

		json_array_foreach(s->rule_errors, k, w)
			if (json_equal(v, w))
				seen = 1;
		if (!seen)
			json_array_insert(s->rule_errors, i, v);
	}
	json_decref(readerr);
	return IRK_OK;
}

/* ---- rule pre-selection (presel.h, docs/scanning.md) ---- */

/* Whether file f of l compiled into the full set. */
static int
compiled_in(const struct irk_scan *s, const struct rule_file *f)
{
	size_t k;
	json_t *v;

	if (f->bad || f->len == 0)
		return 0;
	json_array_foreach(s->rule_files, k, v)
		if (strcmp(json_string_value(v), f->path) == 0)
			return 1;
	return 0;
}

/*
 * The classes of the files that compiled (their texts, namespaces and
 * paths taken from l).  IRK_PRESEL_DEBUG_BREAK in the environment makes
 * the guards wrong on purpose (a top-level `or` read as `and`): the
 * equivalence test must then fail (tests/e2e/presel.bats).
 */
static int
presel_setup(struct irk_scan *s, const struct irk_scan_opts *o,
    struct rule_list *l, const char *dir)
{
	int flags = getenv("IRK_PRESEL_DEBUG_BREAK") != NULL ?
	    IRK_GUARD_BREAK_OR : 0;
	size_t n = 0;

	if (s->rules == NULL)
		return IRK_OK;
	s->psrc = calloc(l->n + 1, sizeof(*s->psrc));
	s->pns = calloc(l->n + 1, sizeof(*s->pns));
	s->ppath = calloc(l->n + 1, sizeof(*s->ppath));
	if (s->psrc == NULL || s->pns == NULL || s->ppath == NULL)
		return IRK_FAIL;
	for (size_t i = 0; i < l->n; i++) {
		if (!compiled_in(s, &l->v[i]))
			continue;
		s->psrc[n].text = l->v[i].text;
		s->psrc[n].len = l->v[i].len;
		s->pns[n] = l->v[i].ns;
		s->ppath[n++] = l->v[i].path;
		l->v[i].text = l->v[i].ns = l->v[i].path = NULL;
	}
	s->npsrc = n;
	if (irk_presel_init(&s->presel, s->psrc, n, flags) != IRK_OK ||
	    (s->sets = calloc(s->presel.nclasses + 1, sizeof(*s->sets))) ==
	    NULL)
		return IRK_FAIL;
	snprintf(s->cache, sizeof(s->cache), "%s", dir);
	s->presel_min = o->presel_min;
	s->presel_on = 1;
	return IRK_OK;
}

/* Class c's set: from the cache (rules-HASH-KEY.yarc), else compiled
 * from the texts with the rules it leaves out blanked; NULL: use the
 * full set (equal results, only slower). */
static YR_RULES *
class_compile(struct irk_scan *s, int c)
{
	struct compile_ctx cc;
	YR_COMPILER *comp;
	YR_RULES *r = NULL;
	char path[PATH_MAX];
	int nerr = 0, cached;

	cached = s->cache[0] != '\0' && snprintf(path, sizeof(path),
	    "%s/rules-%s-%s.yarc", s->cache, s->rules_hash,
	    irk_presel_key(&s->presel, c)) < (int)sizeof(path);
	if (cached && cache_file_ok(path) && yr_rules_load(path, &r) ==
	    ERROR_SUCCESS)
		return r;
	memset(&cc, 0, sizeof(cc));
	if ((cc.errors = json_array()) == NULL ||
	    new_compiler(&comp, &cc) != IRK_OK) {
		json_decref(cc.errors);
		return NULL;
	}
	for (size_t i = 0; i < s->npsrc && nerr == 0; i++) {
		struct rule_file rf = { s->ppath[i], s->pns[i], NULL,
		    s->psrc[i].len, 0 };

		if (irk_presel_text(&s->presel, c, i, &rf.text) != IRK_OK)
			nerr = 1;
		else
			nerr = add_rule_file(comp, &rf);
		free(rf.text);
	}
	if (nerr != 0 || yr_compiler_get_rules(comp, &r) != ERROR_SUCCESS)
		r = NULL;
	yr_compiler_destroy(comp);
	json_decref(cc.errors);
	if (r != NULL && cached)
		(void)save_yarc(r, s->cache, path);
	return r;
}

/*
 * Class c's set, made by the first worker that needs it once the class
 * has seen presel_min bytes (len: this file's); before that, while it is
 * being made, or when it cannot be, NULL: the full set.
 */
static YR_RULES *
class_rules(struct irk_scan *s, int c, size_t len)
{
	struct class_set *cs = &s->sets[c];
	YR_RULES *r;
	int state;

	pthread_mutex_lock(&s->mu);
	cs->seen += len;
	if ((state = cs->state) == SET_NONE && cs->seen < s->presel_min)
		state = SET_FULL;
	else if (state == SET_NONE)
		cs->state = SET_BUSY;
	r = cs->rules;
	pthread_mutex_unlock(&s->mu);
	if (state != SET_NONE)
		return state == SET_READY ? r : NULL;
	r = class_compile(s, c);
	pthread_mutex_lock(&s->mu);
	cs->rules = r;
	cs->state = r != NULL ? SET_READY : SET_FULL;
	pthread_mutex_unlock(&s->mu);
	return r;
}

static int
new_scanner(const struct irk_scan *s, YR_RULES *rules, YR_SCANNER **out)
{
	if (yr_scanner_create(rules, out) != ERROR_SUCCESS)
		return IRK_FATAL;
	yr_scanner_set_flags(*out, SCAN_FLAGS_REPORT_RULES_MATCHING);
	if (s->timeout > 0)
		yr_scanner_set_timeout(*out, s->timeout);
	return IRK_OK;
}

/* The scanner for this content: its class's, else the full set's. */
static YR_SCANNER *
pick_scanner(struct worker *w, const struct irk_scan_item *it)
{
	struct irk_scan *s = w->s;
	YR_RULES *r;
	int c;

	if (!s->presel_on || w->cls == NULL ||
	    (c = irk_presel_class(&s->presel, it->data, it->len)) < 0)
		return w->yr;
	if (w->cls[c] == NULL && ((r = class_rules(s, c, it->len)) == NULL ||
	    new_scanner(s, r, &w->cls[c]) != IRK_OK)) {
		w->cls[c] = NULL;
		return w->yr;
	}
	return w->cls[c];
}

static void
presel_release(struct irk_scan *s)
{
	for (size_t c = 0; s->sets != NULL && c < s->presel.nclasses; c++)
		if (s->sets[c].rules != NULL)
			yr_rules_destroy(s->sets[c].rules);
	free(s->sets);
	irk_presel_release(&s->presel);
	for (size_t i = 0; i < s->npsrc; i++) {
		free((char *)s->psrc[i].text);
		free(s->pns[i]);
		free(s->ppath[i]);
	}
	free(s->psrc);
	free(s->pns);
	free(s->ppath);
}

static int
load_rules(struct irk_scan *s, const struct irk_scan_opts *o,
    struct irk_err *err)
{
	struct rule_list l = { NULL, 0, 0 };
	char dir[PATH_MAX];
	int rc;
	YR_RULE *r;

	if ((rc = list_rule_files(s, o, &l, err)) != IRK_OK ||
	    (rc = read_and_hash_rules(s, &l, err)) != IRK_OK)
		goto out;
	cache_dir(o, dir, sizeof(dir));
	if (cache_load(s, dir, &l) != 0) {
		if ((rc = compile_keeping_errors(s, &l, err)) != IRK_OK)
			goto out;
		set_rule_files(s, &l);
		cache_save(s, dir, &l);
	}
	s->nrules = 0;
	yr_rules_foreach(s->rules, r)
		s->nrules++;
	s->user_files_ok = count_compiled(s, &l, s->user_files);
	if (!o->no_preselect && o->jobs > 0 &&
	    (rc = presel_setup(s, o, &l, dir)) != IRK_OK)
		irk_err_set(err, ENOMEM, "out of memory");
out:
	rule_list_release(&l);
	return rc;
}

/* ---- IOC lists ---- */

static int
load_ioc_file(struct irk_scan *s, const char *path, struct irk_err *err)
{
	char *text;
	size_t len, bad = 0;
	const char *base = strrchr(path, '/');
	int rc;

	if (read_file(path, IOC_FILE_MAX, &text, &len, err) != IRK_OK)
		return IRK_FAIL;
	base = base != NULL ? base + 1 : path;
	rc = irk_iocs_parse(&s->iocs, text, len, base,
	    irk_ioc_kind_for_file(path), &bad);
	free(text);
	if (rc != IRK_OK) {
		irk_err_set(err, ENOMEM, "out of memory");
		return IRK_FAIL;
	}
	if (bad > 0) {
		char msg[PATH_MAX + 64];

		snprintf(msg, sizeof(msg), "%s:0: warning: %zu line(s) skipped: "
		    "not a valid indicator", path, bad);
		json_array_append_new(s->rule_warnings, irk_json_str(msg));
	}
	return IRK_OK;
}

static int
load_iocs(struct irk_scan *s, const struct irk_scan_opts *o,
    struct irk_err *err)
{
	char bundled[PATH_MAX], dir[PATH_MAX];

	if (o->default_rules && find_bundled(bundled, sizeof(bundled)) == 0 &&
	    path_join(dir, sizeof(dir), bundled, "iocs") == 0 && is_dir(dir)) {
		DIR *d = opendir(dir);
		struct dirent *de;
		char **names = NULL;
		size_t n = 0;

		while (d != NULL && (de = readdir(d)) != NULL) {
			char **nn;

			if (de->d_name[0] == '.' ||
			    !has_suffix(de->d_name, ".txt"))
				continue;
			if ((nn = realloc(names, (n + 1) * sizeof(*nn))) ==
			    NULL)
				break;
			names = nn;
			if ((names[n] = strdup(de->d_name)) != NULL)
				n++;
		}
		if (d != NULL)
			closedir(d);
		qsort(names, n, sizeof(*names), cmp_str);
		for (size_t i = 0; i < n; i++) {
			char p[PATH_MAX];

			if (path_join(p, sizeof(p), dir, names[i]) == 0 &&
			    load_ioc_file(s, p, err) != IRK_OK) {
				json_array_append_new(s->rule_errors,
				    irk_json_str(err->msg));
				irk_err_clear(err);
			}
		}
		for (size_t i = 0; i < n; i++)
			free(names[i]);
		free(names);
	}
	for (size_t i = 0; i < o->niocs; i++)
		if (load_ioc_file(s, o->iocs[i], err) != IRK_OK)
			return IRK_FAIL;
	return IRK_OK;
}

/* ---- per-item work ---- */

static void
escape_data(const uint8_t *p, size_t n, char *out, size_t outlen)
{
	static const char hexd[] = "0123456789abcdef";
	size_t o = 0;

	for (size_t i = 0; i < n && o + 5 < outlen; i++) {
		uint8_t c = p[i];

		if (c == '\\') {
			out[o++] = '\\';
			out[o++] = '\\';
		} else if (c >= 0x20 && c < 0x7f) {
			out[o++] = (char)c;
		} else {
			out[o++] = '\\';
			out[o++] = 'x';
			out[o++] = hexd[c >> 4];
			out[o++] = hexd[c & 15];
		}
	}
	out[o] = '\0';
}

static json_t *
rule_json(YR_SCAN_CONTEXT *ctx, YR_RULE *rule)
{
	json_t *m = json_object(), *tags = json_array(), *meta = json_object();
	json_t *strs = json_array();
	const char *tag;
	YR_META *mt;
	YR_STRING *st;
	int score = DEFAULT_SCORE, nstr = 0;

	if (m == NULL || tags == NULL || meta == NULL || strs == NULL) {
		json_decref(m);
		json_decref(tags);
		json_decref(meta);
		json_decref(strs);
		return NULL;
	}
	yr_rule_tags_foreach(rule, tag)
		json_array_append_new(tags, irk_json_str(tag));
	yr_rule_metas_foreach(rule, mt) {
		if (mt->type == META_TYPE_INTEGER)
			json_object_set_new(meta, mt->identifier,
			    json_integer(mt->integer));
		else if (mt->type == META_TYPE_BOOLEAN)
			json_object_set_new(meta, mt->identifier,
			    json_boolean(mt->integer));
		else
			json_object_set_new(meta, mt->identifier,
			    irk_json_str(mt->string));
		if (strcmp(mt->identifier, "score") == 0) {
			long v = -1;

			if (mt->type == META_TYPE_INTEGER)
				v = (long)mt->integer;
			else if (mt->type == META_TYPE_STRING &&
			    mt->string != NULL) {
				char *end;

				errno = 0;
				v = strtol(mt->string, &end, 10);
				if (errno != 0 || end == mt->string || *end)
					v = -1;
			}
			if (v >= 0)
				score = v > 100 ? 100 : (int)v;
		}
	}
	yr_rule_strings_foreach(rule, st) {
		const void *p;
		YR_MATCH ma;
		int nm = 0;

		if (nstr >= MAX_STRINGS)
			break;
		/*
		 * As yr_string_matches_foreach, but libyara 4.2's notebook
		 * hands out match records at unaligned addresses: copy each
		 * one out instead of reading it in place.
		 */
		for (p = ctx->matches[st->idx].head; p != NULL && nm < MAX_MATCHES;
		    p = ma.next) {
			json_t *o;
			char esc[MATCH_DATA * 4 + 8];
			size_t dl;

			memcpy(&ma, p, sizeof(ma));
			if (ma.is_private)
				continue;
			dl = ma.data_length > 0 ? (size_t)ma.data_length : 0;
			if (dl > MATCH_DATA)
				dl = MATCH_DATA;
			escape_data(ma.data, dl, esc, sizeof(esc));
			o = json_object();
			irk_json_set_str(o, "id", st->identifier);
			irk_json_set_int(o, "offset", ma.base + ma.offset);
			irk_json_set_int(o, "length", ma.match_length);
			irk_json_set_str(o, "data", esc);
			json_array_append_new(strs, o);
			nm++;
		}
		if (nm > 0)
			nstr++;
	}
	irk_json_set_str(m, "rule", rule->identifier);
	irk_json_set_str(m, "namespace", rule->ns->name);
	json_object_set_new(m, "tags", tags);
	json_object_set_new(m, "meta", meta);
	json_object_set_new(m, "strings", strs);
	irk_json_set_int(m, "score", score);
	return m;
}

static int
yara_cb(YR_SCAN_CONTEXT *ctx, int msg, void *data, void *user)
{
	struct irk_scan_item *it = user;

	if (msg == CALLBACK_MSG_RULE_MATCHING) {
		YR_RULE *rule = data;
		json_t *m;

		if (RULE_IS_PRIVATE(rule))
			return CALLBACK_CONTINUE;
		if (it->matches == NULL)
			it->matches = json_array();
		if ((m = rule_json(ctx, rule)) != NULL && it->matches != NULL)
			json_array_append_new(it->matches, m);
		else
			json_decref(m);
	}
	return CALLBACK_CONTINUE;
}

static void
set_error(struct irk_scan_item *it, const char *what, int code)
{
	char buf[128];

	if (it->error != NULL)
		return;
	snprintf(buf, sizeof(buf), "%s (error %d)", what, code);
	it->error = strdup(buf);
}

static void
set_externals(YR_SCANNER *yr, struct irk_scan_item *it)
{
	const char *path = it->path != NULL ? it->path : "";
	const char *slash = strrchr(path, '/'), *base, *dot;
	char dir[PATH_MAX], ext[64];
	size_t n;

	base = slash != NULL ? slash + 1 : path;
	if (slash == NULL)
		dir[0] = '\0';
	else {
		n = (size_t)(slash - path);
		if (n >= sizeof(dir))
			n = sizeof(dir) - 1;
		memcpy(dir, path, n);
		dir[n] = '\0';
		if (n == 0)
			snprintf(dir, sizeof(dir), "/");
	}
	ext[0] = '\0';
	dot = strrchr(base, '.');
	if (dot != NULL && dot != base && strlen(dot) < sizeof(ext)) {
		for (n = 0; dot[n] != '\0'; n++)
			ext[n] = (char)(dot[n] >= 'A' && dot[n] <= 'Z' ?
			    dot[n] - 'A' + 'a' : dot[n]);
		ext[n] = '\0';
	}
	yr_scanner_define_string_variable(yr, "filename", base);
	yr_scanner_define_string_variable(yr, "filepath", dir);
	yr_scanner_define_string_variable(yr, "extension", ext);
	yr_scanner_define_string_variable(yr, "filetype",
	    it->filetype != NULL ? it->filetype : "");
	yr_scanner_define_string_variable(yr, "owner",
	    it->owner != NULL ? it->owner : "");
}

/*
 * libmagic's MIME type of an ELF file follows from the description it
 * gives in the same pass (both come from the magic entry for e_type; on a
 * buffer its ELF reader, which needs a descriptor, does not run), so ELF
 * content costs one libmagic call instead of two.  Anything else, or an
 * ELF description not listed, gets the second call.  tests/e2e/scan.bats
 * checks both against `file -e elf` on the same prefix.
 */
static const char *
elf_mime(const char *desc)
{
	static const struct {
		const char *kind, *mime;
	} kinds[] = {
		{ "pie executable", "application/x-pie-executable" },
		{ "executable", "application/x-executable" },
		{ "shared object", "application/x-sharedlib" },
		{ "relocatable", "application/x-object" },
		{ "core file", "application/x-coredump" },
	};
	const char *p;

	/* "ELF 64-bit LSB shared object, x86-64, ..." */
	if (strncmp(desc, "ELF ", 4) != 0 || (p = strchr(desc + 4, ' ')) ==
	    NULL || (strncmp(p, " LSB ", 5) != 0 &&
	    strncmp(p, " MSB ", 5) != 0))
		return NULL;
	p += 5;
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		size_t n = strlen(kinds[i].kind);

		if (strncmp(p, kinds[i].kind, n) == 0 && p[n] == ',')
			return kinds[i].mime;
	}
	return NULL;
}

static void
do_magic(struct worker *w, struct irk_scan_item *it)
{
	size_t n = it->len < MAGIC_PREFIX ? it->len : MAGIC_PREFIX;
	const char *r, *mime;

	if (w->magic == NULL)
		return;
	if (n == 0) {
		it->mime = strdup(it->size > 0 ? "application/octet-stream" :
		    "application/x-empty");
		it->magic = strdup(it->size > 0 ? "data" : "empty");
		return;
	}
	magic_setflags(w->magic, MAGIC_NONE | MAGIC_NO_CHECK_COMPRESS);
	if ((r = magic_buffer(w->magic, it->data, n)) == NULL) {
		set_error(it, "libmagic failed", magic_errno(w->magic));
		return;
	}
	it->magic = strdup(r);
	if (it->magic != NULL && (mime = elf_mime(it->magic)) != NULL) {
		it->mime = strdup(mime);
		return;
	}
	magic_setflags(w->magic, MAGIC_MIME_TYPE | MAGIC_NO_CHECK_COMPRESS);
	if ((r = magic_buffer(w->magic, it->data, n)) != NULL)
		it->mime = strdup(r);
	else
		set_error(it, "libmagic failed", magic_errno(w->magic));
}

static const EVP_MD *
md_of(int i)
{
	return i == 0 ? EVP_sha256() : i == 1 ? EVP_md5() : EVP_sha1();
}

/* SHA-256 and the digests in want (1 << 1 MD5, 1 << 2 SHA-1) in one pass
 * over the data, in chunks that stay in the cache between the digests. */
static int
hash_data(struct worker *w, struct irk_scan_item *it, unsigned want)
{
	char *out[3] = { it->sha256, it->md5, it->sha1 };
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen;

	want |= 1;
	for (int i = 0; i < 3; i++)
		if ((want & (1u << i)) && (w->md[i] == NULL ||
		    EVP_DigestInit_ex(w->md[i], md_of(i), NULL) != 1))
			return -1;
	for (size_t off = 0; off < it->len; off += HASH_CHUNK) {
		size_t len = it->len - off < HASH_CHUNK ? it->len - off :
		    HASH_CHUNK;

		for (int i = 0; i < 3; i++)
			if ((want & (1u << i)) && EVP_DigestUpdate(w->md[i],
			    it->data + off, len) != 1)
				return -1;
	}
	for (int i = 0; i < 3; i++) {
		if (!(want & (1u << i)))
			continue;
		if (EVP_DigestFinal_ex(w->md[i], md, &mdlen) != 1)
			return -1;
		irk_hex(md, mdlen, out[i]);
	}
	return 0;
}

/* MD5 and SHA-1 cost more than SHA-256 (MD5 ~0.7 GB/s against ~1.7 GB/s
 * with SHA-NI): each is computed when asked for or when an IOC list has
 * such values. */
static unsigned
digests_wanted(const struct irk_scan *s)
{
	unsigned want = 0;

	if (s->hash_all || s->iocs.map[IRK_IOC_MD5].count > 0)
		want |= 1u << 1;
	if (s->hash_all || s->iocs.map[IRK_IOC_SHA1].count > 0)
		want |= 1u << 2;
	return want;
}

static void
process(struct worker *w, struct irk_scan_item *it)
{
	struct irk_scan *s = w->s;
	int too_large = !((struct qitem *)it)->mapped &&
	    (it->size > s->max_size || it->len > s->max_size);
	int known = 0;
	YR_SCANNER *yr;

	if (it->data != NULL && it->cut_short) {
		/* part of a file: scanned, but no digest or empty type
		 * that would pass for the file's */
		if (it->len > 0) {
			free(it->filetype);
			it->filetype = strdup(irk_scan_filetype(it->data,
			    it->len));
			do_magic(w, it);
		}
	} else if (it->data != NULL) {
		if (hash_data(w, it, digests_wanted(s)) != 0)
			set_error(it, "cannot hash", 0);
		free(it->filetype);
		it->filetype = strdup(irk_scan_filetype(it->data, it->len));
		known = w->yr != NULL && !too_large && s->known != NULL &&
		    it->sha256[0] != '\0' &&
		    irk_strmap_has(s->known, it->sha256);
		/* content scanned before: its type is in the case already
		 * (irk_db_scan_result copies it) */
		if (!known)
			do_magic(w, it);
	}
	if (too_large)
		it->skipped = "too large";
	else if (it->cut_short)
		it->skipped = "unreadable";
	/* IOCs */
	if (s->iocs.count > 0) {
		json_t *hits = json_array();

		if (hits != NULL) {
			irk_iocs_match_hash(&s->iocs, IRK_IOC_SHA256,
			    it->sha256, hits);
			irk_iocs_match_hash(&s->iocs, IRK_IOC_SHA1, it->sha1,
			    hits);
			irk_iocs_match_hash(&s->iocs, IRK_IOC_MD5, it->md5,
			    hits);
			irk_iocs_match_name(&s->iocs, it->path, hits);
			if (json_array_size(hits) > 0) {
				json_decref(it->iocs);
				it->iocs = hits;
			} else {
				json_decref(hits);
			}
		}
	}
	/* YARA */
	if (it->data == NULL || too_large || w->yr == NULL)
		return;
	if (known) {
		it->cached = 1;
		return;
	}
	yr = pick_scanner(w, it);
	yr_scanner_set_callback(yr, yara_cb, it);
	set_externals(yr, it);
	{
		int rc = yr_scanner_scan_mem(yr, it->data, it->len);

		if (rc == ERROR_SCAN_TIMEOUT)
			it->skipped = "timeout";
		else if (rc != ERROR_SUCCESS)
			set_error(it, "yara scan failed", rc);
	}
	if (it->matches == NULL)
		it->matches = json_array();
}

/* ---- the pool ---- */

static void *
worker_main(void *arg)
{
	struct worker *w = arg;
	struct irk_scan *s = w->s;

	pthread_mutex_lock(&s->mu);
	for (;;) {
		struct qitem *q;

		while (s->qhead == NULL && !s->stop)
			pthread_cond_wait(&s->cv_work, &s->mu);
		if (s->stop)
			break;
		q = s->qhead;
		s->qhead = q->next;
		if (s->qhead == NULL)
			s->qtail = NULL;
		q->next = NULL;
		pthread_mutex_unlock(&s->mu);

		process(w, &q->it);
		data_release(q);

		pthread_mutex_lock(&s->mu);
		s->bytes -= q->cost;
		s->pending--;
		if (s->dtail != NULL)
			s->dtail->next = q;
		else
			s->dhead = q;
		s->dtail = q;
		pthread_cond_broadcast(&s->cv_space);
		pthread_cond_broadcast(&s->cv_done);
	}
	pthread_mutex_unlock(&s->mu);
	return NULL;
}

static int
worker_init(struct worker *w, struct irk_scan *s, struct irk_err *err)
{
	w->s = s;
	for (int i = 0; i < 3; i++)
		if ((w->md[i] = EVP_MD_CTX_new()) == NULL) {
			irk_err_set(err, ENOMEM, "out of memory");
			return IRK_FATAL;
		}
	if (s->rules != NULL && new_scanner(s, s->rules, &w->yr) != IRK_OK) {
		irk_err_set(err, ENOMEM, "cannot create a yara scanner");
		return IRK_FATAL;
	}
	if (s->presel_on && (w->cls = calloc(s->presel.nclasses + 1,
	    sizeof(*w->cls))) == NULL) {
		irk_err_set(err, ENOMEM, "out of memory");
		return IRK_FATAL;
	}
	if ((w->magic = magic_open(MAGIC_MIME_TYPE |
	    MAGIC_NO_CHECK_COMPRESS)) == NULL ||
	    magic_load(w->magic, NULL) != 0) {
		irk_err_set(err, 0, "cannot load the libmagic database: %s",
		    w->magic != NULL && magic_error(w->magic) != NULL ?
		    magic_error(w->magic) : "out of memory");
		return IRK_FATAL;
	}
	return IRK_OK;
}

int
irk_scan_open(struct irk_scan **out, const struct irk_scan_opts *opts,
    struct irk_err *err)
{
	struct irk_scan *s;
	int rc = IRK_FATAL;

	*out = NULL;
	if ((s = calloc(1, sizeof(*s))) == NULL) {
		irk_err_set(err, ENOMEM, "out of memory");
		return IRK_FATAL;
	}
	s->jobs = opts->jobs < 0 ? 1 : opts->jobs > 256 ? 256 : opts->jobs;
	s->max_size = opts->max_size ? opts->max_size :
	    IRK_SCAN_DEFAULT_MAX_SIZE;
	s->timeout = opts->timeout > 0 ? opts->timeout :
	    IRK_SCAN_DEFAULT_TIMEOUT;
	s->known = opts->known;
	s->hash_all = opts->hash_all;
	s->budget = QUEUE_PER_JOB * (uint64_t)(s->jobs > 0 ? s->jobs : 1);
	if (s->budget < QUEUE_MIN)
		s->budget = QUEUE_MIN;
	if (s->budget > QUEUE_MAX)
		s->budget = QUEUE_MAX;
	irk_iocs_init(&s->iocs);
	s->rule_errors = json_array();
	s->rule_warnings = json_array();
	s->rule_files = json_array();
	if (s->rule_errors == NULL || s->rule_warnings == NULL ||
	    s->rule_files == NULL) {
		irk_err_set(err, ENOMEM, "out of memory");
		goto out;
	}
	if (yr_initialize() != ERROR_SUCCESS) {
		irk_err_set(err, 0, "cannot initialise libyara");
		goto out;
	}
	s->yr_inited = 1;
	if (opts->nrules > 0 || opts->default_rules) {
		if (load_rules(s, opts, err) != IRK_OK)
			goto out;
	}
	if (load_iocs(s, opts, err) != IRK_OK)
		goto out;
	if (pthread_mutex_init(&s->mu, NULL) != 0 ||
	    pthread_cond_init(&s->cv_work, NULL) != 0 ||
	    pthread_cond_init(&s->cv_space, NULL) != 0 ||
	    pthread_cond_init(&s->cv_done, NULL) != 0) {
		irk_err_set(err, errno, "cannot create locks");
		goto out;
	}
	s->sync_inited = 1;
	if (s->jobs > 0) {
		if ((s->w = calloc((size_t)s->jobs, sizeof(*s->w))) == NULL) {
			irk_err_set(err, ENOMEM, "out of memory");
			goto out;
		}
		for (int i = 0; i < s->jobs; i++) {
			s->nw++;
			if (worker_init(&s->w[i], s, err) != IRK_OK)
				goto out;
		}
		for (int i = 0; i < s->jobs; i++) {
			int e = pthread_create(&s->w[i].tid, NULL, worker_main,
			    &s->w[i]);

			if (e != 0) {
				irk_err_set(err, e, "cannot start a worker");
				goto out;
			}
			s->w[i].started = 1;
		}
	}
	*out = s;
	s = NULL;
	rc = IRK_OK;
out:
	irk_scan_close(s);
	return rc;
}

const char *
irk_scan_rules_hash(const struct irk_scan *s)
{
	return s->rules_hash;
}

const json_t *
irk_scan_rule_errors(const struct irk_scan *s)
{
	return s->rule_errors;
}

const json_t *
irk_scan_rule_warnings(const struct irk_scan *s)
{
	return s->rule_warnings;
}

const json_t *
irk_scan_rule_files(const struct irk_scan *s)
{
	return s->rule_files;
}

int
irk_scan_user_rules_usable(const struct irk_scan *s)
{
	return s->user_files == 0 || s->user_files_ok > 0;
}

unsigned
irk_scan_rule_count(const struct irk_scan *s)
{
	return s->nrules;
}

uint64_t
irk_scan_max_size(const struct irk_scan *s)
{
	return s->max_size;
}

int
irk_scan_save_rules(const struct irk_scan *s, const char *path,
    struct irk_err *err)
{
	int rc;

	if (s->rules == NULL) {
		irk_err_set(err, 0, "no rules compiled");
		return IRK_FAIL;
	}
	if ((rc = yr_rules_save(s->rules, path)) != ERROR_SUCCESS) {
		irk_err_set(err, errno, "cannot save rules to '%s' (yara "
		    "error %d)", path, rc);
		return IRK_FAIL;
	}
	return IRK_OK;
}

struct irk_scan_item *
irk_scan_item_new(const char *path, unsigned char *data, size_t len,
    uint64_t size)
{
	struct qitem *q = calloc(1, sizeof(*q));

	if (q == NULL)
		return NULL;
	if (path != NULL && (q->it.path = strdup(path)) == NULL) {
		free(q);
		return NULL;
	}
	q->it.data = data;
	q->it.len = data != NULL ? len : 0;
	q->it.size = size;
	return &q->it;
}

struct irk_scan_item *
irk_scan_item_map(const char *path, int fd, uint64_t size, struct irk_err *err)
{
	struct irk_scan_item *it;
	void *p;

	if (size == 0 || size > SIZE_MAX) {
		irk_err_set(err, EFBIG, "cannot map '%s'", path);
		return NULL;
	}
	p = mmap(NULL, (size_t)size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED) {
		irk_err_set(err, errno, "cannot map '%s'", path);
		return NULL;
	}
	(void)madvise(p, (size_t)size, MADV_SEQUENTIAL);
	if ((it = irk_scan_item_new(path, p, (size_t)size, size)) == NULL) {
		(void)munmap(p, (size_t)size);
		irk_err_set(err, ENOMEM, "cannot map '%s'", path);
		return NULL;
	}
	((struct qitem *)it)->mapped = 1;
	return it;
}

void
irk_scan_item_free(struct irk_scan_item *it)
{
	if (it == NULL)
		return;
	free(it->path);
	data_release((struct qitem *)it);
	free(it->mime);
	free(it->magic);
	free(it->filetype);
	json_decref(it->matches);
	json_decref(it->iocs);
	free(it->error);
	free((struct qitem *)it);
}

int
irk_scan_push(struct irk_scan *s, struct irk_scan_item *it)
{
	struct qitem *q = (struct qitem *)it;

	if (s->jobs == 0 || s->nw == 0) {
		irk_scan_item_free(it);
		return IRK_FAIL;
	}
	/* a map's pages are the page cache's: not copies held in memory */
	q->cost = it->data != NULL && !q->mapped ? it->len : 0;
	q->next = NULL;
	pthread_mutex_lock(&s->mu);
	while (s->bytes > 0 && s->bytes + q->cost > s->budget && !s->stop)
		pthread_cond_wait(&s->cv_space, &s->mu);
	s->bytes += q->cost;
	s->pending++;
	if (s->qtail != NULL)
		s->qtail->next = q;
	else
		s->qhead = q;
	s->qtail = q;
	pthread_cond_signal(&s->cv_work);
	pthread_mutex_unlock(&s->mu);
	return IRK_OK;
}

struct irk_scan_item *
irk_scan_pop(struct irk_scan *s, int wait)
{
	struct qitem *q = NULL;

	if (s == NULL || !s->sync_inited)
		return NULL;
	pthread_mutex_lock(&s->mu);
	while (s->dhead == NULL && wait && s->pending > 0 && !s->stop)
		pthread_cond_wait(&s->cv_done, &s->mu);
	if ((q = s->dhead) != NULL) {
		s->dhead = q->next;
		if (s->dhead == NULL)
			s->dtail = NULL;
		q->next = NULL;
	}
	pthread_mutex_unlock(&s->mu);
	return q != NULL ? &q->it : NULL;
}

void
irk_scan_drain(struct irk_scan *s)
{
	if (s == NULL || !s->sync_inited)
		return;
	pthread_mutex_lock(&s->mu);
	s->draining = 1;
	pthread_cond_broadcast(&s->cv_work);
	pthread_mutex_unlock(&s->mu);
}

static void
free_list(struct qitem *q)
{
	while (q != NULL) {
		struct qitem *n = q->next;

		irk_scan_item_free(&q->it);
		q = n;
	}
}

void
irk_scan_close(struct irk_scan *s)
{
	if (s == NULL)
		return;
	if (s->sync_inited) {
		pthread_mutex_lock(&s->mu);
		s->stop = 1;
		pthread_cond_broadcast(&s->cv_work);
		pthread_cond_broadcast(&s->cv_space);
		pthread_cond_broadcast(&s->cv_done);
		pthread_mutex_unlock(&s->mu);
	}
	for (int i = 0; i < s->nw; i++) {
		if (s->w[i].started)
			pthread_join(s->w[i].tid, NULL);
		if (s->w[i].yr != NULL)
			yr_scanner_destroy(s->w[i].yr);
		for (size_t c = 0; s->w[i].cls != NULL &&
		    c < s->presel.nclasses; c++)
			if (s->w[i].cls[c] != NULL)
				yr_scanner_destroy(s->w[i].cls[c]);
		free(s->w[i].cls);
		if (s->w[i].magic != NULL)
			magic_close(s->w[i].magic);
		for (int k = 0; k < 3; k++)
			EVP_MD_CTX_free(s->w[i].md[k]);
	}
	free(s->w);
	free_list(s->qhead);
	free_list(s->dhead);
	if (s->sync_inited) {
		pthread_mutex_destroy(&s->mu);
		pthread_cond_destroy(&s->cv_work);
		pthread_cond_destroy(&s->cv_space);
		pthread_cond_destroy(&s->cv_done);
	}
	presel_release(s);
	if (s->rules != NULL)
		yr_rules_destroy(s->rules);
	if (s->yr_inited)
		yr_finalize();
	irk_iocs_release(&s->iocs);
	json_decref(s->rule_errors);
	json_decref(s->rule_warnings);
	json_decref(s->rule_files);
	free(s);
}

json_t *
irk_scan_ioc_name(const struct irk_scan *s, const char *path)
{
	json_t *hits = json_array();

	if (hits != NULL && s != NULL)
		irk_iocs_match_name(&s->iocs, path, hits);
	return hits;
}

json_t *
irk_scan_ioc_hash(const struct irk_scan *s, const char *hex)
{
	json_t *hits = json_array();
	char low[65];
	size_t n = strlen(hex);
	int kind = n == 64 ? IRK_IOC_SHA256 : n == 40 ? IRK_IOC_SHA1 :
	    n == 32 ? IRK_IOC_MD5 : IRK_IOC_AUTO;

	if (hits == NULL || s == NULL || kind == IRK_IOC_AUTO)
		return hits;
	for (size_t i = 0; i <= n; i++)
		low[i] = (char)tolower((unsigned char)hex[i]);
	irk_iocs_match_hash(&s->iocs, kind, low, hits);
	return hits;
}

json_t *
irk_scan_ioc_text(const struct irk_scan *s, const char *text)
{
	json_t *hits = json_array();

	if (hits != NULL && s != NULL)
		irk_iocs_match_text(&s->iocs, text, hits);
	return hits;
}
