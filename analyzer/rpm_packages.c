/*
 * rpm_packages.c - the rpm_packages collector (irkit-analyze only: it
 * needs librpm): the files of the installed rpm packages checked as
 * `rpm -V` does, into the package_file records the dpkg collector
 * (collectors/packages.c) makes (docs/integrity.md, docs/FORMAT.md
 * 4.11).
 *
 * The database (rpmdb.sqlite, the BerkeleyDB Packages or ndb's
 * Packages.db of /usr/lib/sysimage/rpm or /var/lib/rpm) is copied out
 * of the root and read with librpm (rpm_db.c; ndb's container with
 * irkit's reader, rpm_ndb.c, its headers with librpm); each file in scope is looked at through
 * c->fs, never outside the root: lstat, then the digest of rpm's
 * algorithm, size, mode, owner, group, link target and mtime compared
 * with the header's, as rpm's rpmfilesVerify does.  Ghost files are not
 * checked, nor files rpm did not install (--excludedocs, netshared).
 *
 * At ingest of a live collection (irkit-collect has no librpm) the files
 * are not in the archive: the database copied there is read the same
 * way, and each file compared with the state the collection recorded of
 * it (file_state records, collectors/rpm_states.c) instead of being read.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <rpm/header.h>
#include <rpm/rpmcrypto.h>
#include <rpm/rpmfi.h>
#include <rpm/rpmpgp.h>
#include <rpm/rpmtag.h>

#include "rpm_db.h"
#include "rpm_facts.h"
#include "irkit/collect.h"
#include "irkit/json.h"
#include "irkit/pkgcheck.h"
#include "irkit/str.h"
#include "irkit/banned.h"

#define FILES_MAX	(20u * 1000 * 1000)	/* files looked at */
#define DIGEST_HEX	(128 + 1)		/* SHA-512 */

struct rk {
	struct irk_pkgcheck ck;
	struct irk_rpmdb_copy cp;
	struct irk_rpm_facts facts;	/* as recorded (live collection) */
	int use_facts;			/* compared with facts, not read */
	uint64_t files, not_checked, no_digest;
	size_t packages, bad_paths, log_errors, log_lines;
	int worst;
};

/*
 * What librpm logs (a damaged database, a header refused) and what the
 * ndb reader refuses, the private copy's folder left out of the paths
 * they name.
 */
static void
on_log(void *arg, int error, const char *msg)
{
	struct rk *k = arg;
	size_t rl = strlen(k->cp.root), o = 0, n;
	char out[600];
	const char *p;

	if (error)
		k->log_errors++;
	if (++k->log_lines > 20)
		return;
	for (; *msg != '\0' && o + 1 < sizeof(out); msg = p) {
		if (rl > 0 && strncmp(msg, k->cp.root, rl) == 0) {
			p = msg + rl;
			continue;
		}
		p = msg + 1;
		out[o++] = *msg;
	}
	for (n = o; n > 0 && out[n - 1] == '\n'; n--)
		;
	out[n] = '\0';
	irk_collect_log(k->ck.c, error ? IRK_LOG_ERROR : IRK_LOG_WARN,
	    k->cp.from, 0, "%s", out);
}

/* A path from the header: absolute, no "..", bounded. */
static int
path_ok(const char *p)
{
	size_t n = strlen(p);

	if (p[0] != '/' || n < 2 || n >= IRK_PKG_PATH_MAX)
		return 0;
	for (const char *s = p; (s = strstr(s, "..")) != NULL; s += 2)
		if (s[-1] == '/' && (s[2] == '/' || s[2] == '\0'))
			return 0;
	return 1;
}

static const char *
algo_name(int algo)
{
	switch (algo) {
	case PGPHASHALGO_MD5:
		return "md5";
	case PGPHASHALGO_SHA1:
		return "sha1";
	case PGPHASHALGO_SHA256:
		return "sha256";
	case PGPHASHALGO_SHA384:
		return "sha384";
	case PGPHASHALGO_SHA512:
		return "sha512";
	case PGPHASHALGO_SHA224:
		return "sha224";
	default:
		return NULL;
	}
}

/* --- one file ------------------------------------------------------------ */

/* What was found of one file. */
struct seen {
	char real[IRK_PKG_PATH_MAX];	/* its canonical path */
	struct irk_stat lst, st;
	struct irk_err err;
	int lr;				/* lstat: IRK_OK or not */
	unsigned vfy;			/* RPMVERIFY_* that differ */
	unsigned failed;		/* RPMVERIFY_* that could not be read */
	char digest[DIGEST_HEX];	/* of the file read, "" when none */
	char *want_digest;		/* the header's, hex (freed) */
	int algo;
	const struct irk_rpm_fact *fact;	/* as recorded, or NULL (read) */
};

static void
digest_update(void *arg, const void *data, size_t len)
{
	rpmDigestUpdate(arg, data, len);
}

/* Why a recorded file has no digest or state. */
static void
fact_error(const struct irk_rpm_fact *f, struct irk_err *err)
{
	irk_err_set(err, EIO, "%s", f->error != NULL ? f->error :
	    "not read when collected");
}

/* The file's digest of rpm's algorithm into s->digest. */
static int
file_digest(struct rk *k, struct seen *s)
{
	DIGEST_CTX ctx;
	void *hex = NULL;
	size_t len = 0;
	int r;

	if (s->fact != NULL) {
		if (s->fact->sha256 == NULL ||
		    strlen(s->fact->sha256) >= sizeof(s->digest)) {
			fact_error(s->fact, &s->err);
			return IRK_FAIL;
		}
		memcpy(s->digest, s->fact->sha256, strlen(s->fact->sha256) +
		    1);
		return IRK_OK;
	}
	if ((ctx = rpmDigestInit(s->algo, RPMDIGEST_NONE)) == NULL) {
		irk_err_set(&s->err, 0, "digest algorithm %d unknown", s->algo);
		return IRK_FAIL;
	}
	r = irk_pkgcheck_read(&k->ck, s->real, digest_update, ctx, &s->st,
	    &s->err);
	rpmDigestFinal(ctx, r == IRK_OK ? &hex : NULL, &len, 1);
	/* len counts the hex digits and their NUL: the string is measured */
	if (r == IRK_OK && hex != NULL && (len = strlen(hex)) <
	    sizeof(s->digest))
		memcpy(s->digest, hex, len + 1);
	free(hex);
	return r == IRK_OK && s->digest[0] != '\0' ? IRK_OK : IRK_FAIL;
}

/* The name of an owner as rpm says it: root for 0, else the root's
 * accounts (as the collection named them). */
static const char *
owner_name(struct rk *k, const struct seen *s, uint32_t id, int group)
{
	const struct irk_users *u;

	if (id == 0)
		return "root";
	if (s->fact != NULL)
		return group ? s->fact->group : s->fact->user;
	if ((u = irk_collect_users(k->ck.c)) == NULL)
		return NULL;
	return group ? irk_users_group(u, id) : irk_users_name(u, id);
}

static int
names_differ(const char *a, const char *b)
{
	return a != NULL && b != NULL ? strcmp(a, b) != 0 : a != b;
}

/* A link's target (as recorded, or read), or NULL. */
static const char *
link_target(struct rk *k, const struct seen *s)
{
	struct irk_err err;

	if (s->fact != NULL)
		return s->fact->target;
	irk_buf_reset(&k->ck.tmp);
	if (k->ck.c->fs->ops->readlink(k->ck.c->fs, s->real, &k->ck.tmp,
	    &err) != IRK_OK)
		return NULL;
	return k->ck.tmp.data;
}

/* The link's target and rpm's check of it (L). */
static void
verify_link(struct rk *k, rpmfi fi, struct seen *s)
{
	const char *want = rpmfiFLink(fi), *got = link_target(k, s);

	if (got == NULL) {
		s->failed |= RPMVERIFY_LINKTO;
		s->vfy |= RPMVERIFY_LINKTO;
	} else if (want == NULL || strcmp(want, got) != 0) {
		s->vfy |= RPMVERIFY_LINKTO;
	}
}

/* The regular file's content (5, S, T). */
static void
verify_content(struct rk *k, rpmfi fi, unsigned flags, struct seen *s)
{
	/* recorded: SHA-256 only (an rpm before 4.14 used MD5) */
	if ((flags & RPMVERIFY_FILEDIGEST) && s->fact != NULL &&
	    s->algo != PGPHASHALGO_SHA256) {
		flags &= ~RPMVERIFY_FILEDIGEST;
		k->no_digest++;
	}
	if ((flags & RPMVERIFY_FILEDIGEST) && s->want_digest != NULL &&
	    s->want_digest[0] != '\0') {
		if (file_digest(k, s) != IRK_OK) {
			s->failed |= RPMVERIFY_FILEDIGEST;
			s->vfy |= RPMVERIFY_FILEDIGEST;
		} else if (strcmp(s->digest, s->want_digest) != 0) {
			s->vfy |= RPMVERIFY_FILEDIGEST;
		}
	}
	if ((flags & RPMVERIFY_FILESIZE) &&
	    s->lst.size != (uint64_t)rpmfiFSize(fi))
		s->vfy |= RPMVERIFY_FILESIZE;
	if ((flags & RPMVERIFY_MTIME) &&
	    s->lst.mtime / 1000000 != (int64_t)rpmfiFMtime(fi))
		s->vfy |= RPMVERIFY_MTIME;
}

/* rpmfilesVerify: what differs, by the file's type as found. */
static void
verify_file(struct rk *k, rpmfi fi, struct seen *s)
{
	unsigned flags = rpmfiVFlags(fi);
	uint32_t want_mode = rpmfiFMode(fi);

	if (S_ISLNK(s->lst.mode))
		flags &= ~RPMVERIFY_MODE;
	else
		flags &= ~RPMVERIFY_LINKTO;
	if (!S_ISREG(s->lst.mode))
		flags &= ~(RPMVERIFY_FILEDIGEST | RPMVERIFY_FILESIZE |
		    RPMVERIFY_MTIME | RPMVERIFY_CAPS);
	if (flags & RPMVERIFY_LINKTO)
		verify_link(k, fi, s);
	if (S_ISREG(s->lst.mode))
		verify_content(k, fi, flags, s);
	if ((flags & RPMVERIFY_MODE) && (s->lst.mode & 0177777) !=
	    (want_mode & 0177777))
		s->vfy |= RPMVERIFY_MODE;
	if ((flags & RPMVERIFY_USER) && names_differ(owner_name(k, s,
	    s->lst.uid, 0), rpmfiFUser(fi)))
		s->vfy |= RPMVERIFY_USER;
	if ((flags & RPMVERIFY_GROUP) && names_differ(owner_name(k, s,
	    s->lst.gid, 1), rpmfiFGroup(fi)))
		s->vfy |= RPMVERIFY_GROUP;
}

/* rpm -V's letters: SM5DLUGTP, "." when the same, "?" when not read. */
static void
verify_letters(const struct seen *s, char out[10])
{
	static const struct {
		unsigned bit;
		char c;
	} l[] = {
		{ RPMVERIFY_FILESIZE, 'S' }, { RPMVERIFY_MODE, 'M' },
		{ RPMVERIFY_FILEDIGEST, '5' }, { RPMVERIFY_RDEV, 'D' },
		{ RPMVERIFY_LINKTO, 'L' }, { RPMVERIFY_USER, 'U' },
		{ RPMVERIFY_GROUP, 'G' }, { RPMVERIFY_MTIME, 'T' },
		{ RPMVERIFY_CAPS, 'P' },
	};

	for (int i = 0; i < 9; i++)
		out[i] = (s->failed & l[i].bit) ? '?' :
		    (s->vfy & l[i].bit) ? l[i].c : '.';
	out[9] = '\0';
}

/* The status: a change is content, mode, owner or link (not mtime). */
static const char *
file_status(const struct seen *s, uint32_t want_mode, int conffile)
{
	const unsigned change = RPMVERIFY_FILESIZE | RPMVERIFY_MODE |
	    RPMVERIFY_FILEDIGEST | RPMVERIFY_LINKTO | RPMVERIFY_USER |
	    RPMVERIFY_GROUP;

	if (s->lr != IRK_OK)
		return s->err.errnum == ENOENT || s->err.errnum == ENOTDIR ?
		    "missing" : "unreadable";
	if (S_ISLNK(s->lst.mode) && !S_ISLNK(want_mode))
		return "replaced-by-link";
	if (s->failed)
		return "unreadable";
	if (s->vfy & change)
		return conffile ? "conffile-changed" : "changed";
	return "ok";
}

static int
emit(struct rk *k, Header h, rpmfi fi, const char *path, struct seen *s)
{
	int conffile = (rpmfiFFlags(fi) & RPMFILE_CONFIG) != 0;
	const char *status = file_status(s, rpmfiFMode(fi), conffile);
	char *evr = headerGetAsString(h, RPMTAG_EVR), letters[10];
	json_t *rec;

	rec = irk_pkgcheck_record(&k->ck, headerGetString(h, RPMTAG_NAME),
	    evr, headerGetString(h, RPMTAG_ARCH), path);
	free(evr);
	if (rec == NULL)
		return IRK_FATAL;
	irk_json_set_str(rec, "status", status);
	irk_json_set_bool(rec, "conffile", conffile);
	irk_json_set_str(rec, "digest_algo", algo_name(s->algo));
	irk_json_set_str(rec, "digest_expected", s->want_digest != NULL &&
	    s->want_digest[0] ? s->want_digest : NULL);
	irk_json_set_str(rec, "digest_actual", s->digest[0] ? s->digest :
	    NULL);
	if (s->lr == IRK_OK) {
		verify_letters(s, letters);
		irk_json_set_str(rec, "verify", letters);
		irk_json_set_int(rec, "size", (int64_t)s->lst.size);
		irk_json_set_time(rec, "mtime", s->lst.mtime);
	}
	if (s->lr == IRK_OK && S_ISLNK(s->lst.mode))
		irk_json_set_str(rec, "link_target", link_target(k, s));
	if (strcmp(status, "unreadable") == 0) {
		k->ck.unreadable++;
		irk_json_set_str(rec, "error", s->err.msg[0] ? s->err.msg :
		    "not read");
	}
	if (strcmp(status, "ok") != 0)
		k->ck.flagged++;
	return irk_collect_record(k->ck.c, rec) == IRK_FATAL ? IRK_FATAL :
	    IRK_OK;
}

/* --- the states a live collection recorded --------------------------- */

/* What the collection recorded of path into s: 0 when not checked. */
static int
fact_look(struct rk *k, const char *path, struct seen *s)
{
	if (irk_rpm_facts_canon(&k->facts, path, s->real, sizeof(s->real)) !=
	    IRK_OK)
		return 0;
	s->fact = irk_rpm_facts_get(&k->facts, s->real);
	if (s->fact == NULL) {
		if (!irk_rpm_facts_covered(&k->facts, s->real))
			return 0;
		s->lr = IRK_FAIL;
		irk_err_set(&s->err, ENOENT, "not there when collected");
	} else if (!s->fact->read) {
		s->lr = IRK_FAIL;
		fact_error(s->fact, &s->err);
		s->fact = NULL;
	} else {
		s->lr = IRK_OK;
		s->lst = s->fact->st;
	}
	return 1;
}

/* path (as the header lists it) is owned. */
static int
own(struct rk *k, const char *path)
{
	char real[IRK_PKG_PATH_MAX];

	if (!k->use_facts)
		return irk_pkgcheck_own(&k->ck, path);
	if (irk_rpm_facts_canon(&k->facts, path, real, sizeof(real)) != IRK_OK)
		return IRK_OK;
	return irk_pkgcheck_own_real(&k->ck, real);
}

/* The executables the collection recorded in system folders that no
 * package owns. */
static int
facts_unowned(struct rk *k)
{
	const struct irk_rpm_fact *f;
	const char *path;
	size_t i = 0;
	void *v;
	int kind, r = IRK_OK;

	while (r == IRK_OK && irk_strmap_next(&k->facts.map, &i, &path, &v)) {
		f = v;
		kind = irk_pkg_system_kind(path);
		if (kind == 0 || !f->read || !S_ISREG(f->st.mode) ||
		    (kind == 2 ? !irk_has_suffix(path, ".so") :
		    !(f->st.mode & 0111)) || irk_strmap_has(&k->ck.owned, path))
			continue;
		r = irk_pkgcheck_not_owned(&k->ck, path, f->sha256 ? &f->st :
		    NULL, f->sha256, f->error);
	}
	return r;
}

/* Check one file of the header h, when in scope. */
static int
check_file(struct rk *k, Header h, rpmfi fi, const char *path)
{
	rpmfileAttrs fl = rpmfiFFlags(fi);
	rpmfileState state = rpmfiFState(fi);
	struct seen s;
	int r;

	if ((fl & RPMFILE_GHOST) || (state != RPMFILE_STATE_NORMAL &&
	    state != RPMFILE_STATE_MISSING))
		return IRK_OK;
	if (!k->ck.full && !irk_pkg_in_scope(path, (fl & RPMFILE_CONFIG) != 0))
		return IRK_OK;
	memset(&s, 0, sizeof(s));
	if (k->use_facts) {
		if (!fact_look(k, path, &s)) {
			k->not_checked++;
			return IRK_OK;
		}
	} else if (irk_pkgcheck_canon(&k->ck, path, s.real, sizeof(s.real)) !=
	    IRK_OK) {
		return IRK_OK;
	} else {
		s.lr = k->ck.c->fs->ops->stat(k->ck.c->fs, s.real, 0, &s.lst,
		    &s.err);
	}
	/* missing: rpm -V does not name a %config(missingok) file */
	if (s.lr != IRK_OK && (fl & RPMFILE_MISSINGOK) &&
	    s.err.errnum == ENOENT)
		return IRK_OK;
	k->ck.checked++;
	s.want_digest = rpmfiFDigestHex(fi, &s.algo);
	if (s.lr == IRK_OK)
		verify_file(k, fi, &s);
	r = emit(k, h, fi, path, &s);
	free(s.want_digest);
	return r;
}

/* One package: its files owned, those in scope checked. */
static int
on_header(void *arg, Header h)
{
	struct rk *k = arg;
	rpmfi fi;
	int r = IRK_OK;

	if (k->ck.c->fatal)
		return IRK_FATAL;
	if (k->files > FILES_MAX)
		return IRK_OK;		/* said once, at the end */
	k->packages++;
	fi = rpmfiNew(NULL, h, RPMTAG_BASENAMES, RPMFI_FLAGS_VERIFY);
	if (fi == NULL)
		return IRK_OK;
	fi = rpmfiInit(fi, 0);
	while (r == IRK_OK && rpmfiNext(fi) >= 0) {
		const char *path = rpmfiFN(fi);

		if (++k->files > FILES_MAX)
			break;
		if (path == NULL || !path_ok(path)) {
			k->bad_paths++;
			continue;
		}
		if (own(k, path) == IRK_FAIL)
			r = IRK_FATAL;
		else
			r = check_file(k, h, fi, path);
	}
	rpmfiFree(fi);
	return r;
}

/* --- the collector ------------------------------------------------------- */

static void
say_counts(struct rk *k)
{
	struct irk_collect *c = k->ck.c;

	if (k->bad_paths > 0)
		irk_collect_log(c, IRK_LOG_WARN, k->cp.from, 0, "%zu file "
		    "path(s) not absolute, with \"..\" or too long: skipped",
		    k->bad_paths);
	if (k->files > FILES_MAX)
		irk_collect_log(c, IRK_LOG_WARN, k->cp.from, 0, "more than %u "
		    "packaged files: the rest not checked", FILES_MAX);
	if (k->ck.unreadable > 0)
		irk_collect_log(c, IRK_LOG_WARN, NULL, 0, "%zu file(s) could "
		    "not be read (status 'unreadable')", k->ck.unreadable);
	if (k->no_digest > 0)
		irk_collect_log(c, IRK_LOG_WARN, k->cp.from, 0, "%" PRIu64
		    " file(s) of packages with MD5 digests (rpm before 4.14): "
		    "compared but for the digest (the collection recorded "
		    "SHA-256)", k->no_digest);
	if (k->not_checked > 0)
		irk_collect_log(c, IRK_LOG_INFO, k->cp.from, 0, "%" PRIu64
		    " file(s) out of what the collection recorded: not checked",
		    k->not_checked);
	irk_collect_log(c, IRK_LOG_INFO, k->cp.from, 0, "rpm: %zu package(s),"
	    " %" PRIu64 " file(s) checked (%s), %" PRIu64 " byte(s) read, %"
	    PRIu64 " not ok%s", k->packages, k->ck.checked, k->ck.full ?
	    "full" : "default scope", k->ck.bytes, k->ck.flagged,
	    k->use_facts ? " (against the file states the collection "
	    "recorded)" : "");
	if (k->bad_paths > 0 || k->files > FILES_MAX || k->ck.unreadable > 0 ||
	    k->no_digest > 0)
		k->worst = irk_worst(k->worst, IRK_WARN);
	if (k->log_errors > 0)
		k->worst = irk_worst(k->worst, IRK_FAIL);
}

/* Open the copy and check its packages; then the unowned executables
 * (not where dpkg also keeps a database: its collector lists them). */
static int
check_db(struct rk *k)
{
	struct irk_collect *c = k->ck.c;
	struct irk_stat st;
	struct irk_err err;
	int r;

	r = irk_rpmdb_each(&k->cp, on_header, on_log, k, &err);
	if (r == IRK_FAIL) {
		irk_collect_log_err(c, IRK_LOG_ERROR, k->cp.from, &err);
		return IRK_FAIL;
	}
	if (r == IRK_WARN)
		irk_collect_log(c, IRK_LOG_WARN, k->cp.from, 0, "more than %u "
		    "packages: the rest not read", IRK_RPMDB_PACKAGES_MAX);
	if (r == IRK_FATAL)
		return IRK_FATAL;
	k->worst = irk_worst(k->worst, r);
	if (k->use_facts ? irk_rpm_facts_get(&k->facts,
	    "/var/lib/dpkg/status") != NULL :
	    c->fs->ops->stat(c->fs, "/var/lib/dpkg/status", 1, &st, &err) ==
	    IRK_OK)
		return IRK_OK;
	return k->use_facts ? facts_unowned(k) : irk_pkgcheck_unowned(&k->ck);
}

/* The states the collection recorded: IRK_OK, or IRK_WARN / IRK_FAIL
 * (logged) when there are none to compare with. */
static int
load_facts(struct rk *k)
{
	struct irk_collect *c = k->ck.c;
	int r;

	r = c->opts->file_states(c->opts->file_states_arg, irk_rpm_facts_add,
	    &k->facts);
	if (r != IRK_OK) {
		irk_collect_log(c, IRK_LOG_ERROR, k->cp.from, 0, "the file "
		    "states recorded with the rpm database cannot be read");
		return IRK_FAIL;
	}
	if (k->facts.over > 0) {
		irk_collect_log(c, IRK_LOG_WARN, k->cp.from, 0, "more than %u "
		    "file states recorded: %" PRIu64 " not read, and a file "
		    "not among those read is not checked", IRK_RPM_FACTS_MAX,
		    k->facts.over);
		k->worst = irk_worst(k->worst, IRK_WARN);
	}
	if (k->facts.map.count == 0) {
		irk_collect_log(c, IRK_LOG_WARN, k->cp.from, 0, "an rpm "
		    "database copied without the state of its files: they "
		    "are not checked");
		return IRK_WARN;
	}
	return IRK_OK;
}

/* No database read: none (said but at ingest), or not copied. */
static int
no_db(struct rk *k, const struct irk_err *err)
{
	struct irk_collect *c = k->ck.c;

	if (err->errnum == ENOENT) {
		if (!k->use_facts)
			irk_collect_log(c, IRK_LOG_INFO, NULL, 0, "no rpm "
			    "database here");
		return IRK_OK;
	}
	irk_collect_log_err(c, IRK_LOG_ERROR, k->cp.from[0] ? k->cp.from :
	    NULL, err);
	return IRK_FAIL;
}

static int
collect_rpm(struct irk_collect *c)
{
	struct irk_err err;
	struct rk k;
	int r;

	memset(&k, 0, sizeof(k));
	k.ck.c = c;
	k.use_facts = c->opts != NULL && c->opts->file_states != NULL;
	if (irk_rpmdb_copy(c->fs, &k.cp, &err) != IRK_OK)
		return no_db(&k, &err);
	if (irk_pkgcheck_init(&k.ck, c, "rpm") != IRK_OK) {
		irk_rpmdb_copy_remove(&k.cp);
		return IRK_FATAL;
	}
	irk_rpm_facts_init(&k.facts);
	r = k.use_facts ? load_facts(&k) : IRK_OK;
	if (r == IRK_OK)
		r = check_db(&k);
	if (r != IRK_FAIL && r != IRK_WARN)
		say_counts(&k);
	irk_rpmdb_copy_remove(&k.cp);
	irk_rpm_facts_release(&k.facts);
	irk_pkgcheck_release(&k.ck);
	if (r == IRK_FATAL || c->fatal)
		return IRK_FATAL;
	return irk_worst(k.worst, r);
}

const struct irk_collector irk_collector_rpm_packages = {
	"rpm_packages", "package files checked against the rpm database",
	IRK_SRC_LINUX_ROOT | IRK_SRC_COPIED, collect_rpm,
};
