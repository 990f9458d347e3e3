/*
 * logs_packages.c - the package_logs collector of the analyzer: what
 * the package managers' logs say was installed, upgraded, removed, one
 * package_event record per package and action (docs/logs.md,
 * "Packages"):
 *   dpkg.log         install, upgrade, remove, purge lines (local time);
 *   apt history.log  each stanza's Install/Upgrade/Remove/Purge/
 *                    Downgrade/Reinstall lists, with its Commandline
 *                    and Requested-By (local time of Start-Date);
 *   yum.log          "Mmm dd hh:mm:ss Installed: name-ver-rel.arch"
 *                    (no year: inferred as for syslog);
 *   dnf.rpm.log      "TIME LEVEL Installed: name-ver-rel.arch";
 *   apt term.log     each "Log started:" block's Unpacking, Setting up,
 *                    Removing, Purging lines (local time of the block);
 *   dnf.log          the transaction's "---> Package ... will be
 *                    installed" lines with the run's Command (UTC);
 *   history.sqlite   dnf's transactions (dnf_history.c).
 */
#include <stdlib.h>
#include <string.h>

#include "logs_common.h"
#include "pkglog_parse.h"
#include "irkit/json.h"
#include "irkit/timeutil.h"
#include "irkit/banned.h"

struct pk_file {
	struct irk_logctx *x;
	const struct irk_logfile *lf;
	struct irk_logread *r;
	const char *line;
	size_t len;
	int64_t prev;
	int fatal;
	char *idbuf;			/* line + "#N": an entry's identity */
	/* apt: the stanza's */
	int64_t start;
	const char *how, *note;
	json_t *command, *who;
	struct irk_tzif_years years;
};

static void
set_span(json_t *rec, const char *key, struct irk_span s)
{
	if (s.p != NULL && s.n > 0)
		irk_json_set_strn(rec, key, s.p, s.n);
}

/* Hand over one package event of the current line (entry i). */
static void
emit(struct pk_file *f, json_t *rec, int64_t t, const char *how,
    const char *note, size_t i)
{
	size_t n = f->len < IRK_LOGREAD_LINE_MAX ? f->len :
	    IRK_LOGREAD_LINE_MAX;
	int k;

	irk_logctx_set_time(f->x, rec, t, how, note);
	memcpy(f->idbuf, f->line, n);
	k = snprintf(f->idbuf + n, 32, "#%zu", i);
	irk_logctx_line_hash(f->x, rec, t, f->idbuf, n + (size_t)(k > 0 ?
	    k : 0));
	if (irk_collect_record(f->x->c, rec) == IRK_FATAL)
		f->fatal = 1;
}

static json_t *
new_event(struct pk_file *f, const char *source, const char *action)
{
	json_t *rec = irk_log_record("package_event", f->lf, f->r);

	irk_json_set_str(rec, "source", source);
	irk_json_set_str(rec, "action", action);
	return rec;
}

static int64_t
local_time(struct pk_file *f, const int v[6], const char **note)
{
	int64_t t = irk_logctx_local(f->x, irk_timegm(v[0], v[1], v[2], v[3],
	    v[4], v[5]), 0, f->prev, note);

	f->prev = t;
	return t;
}

static void
dpkg_line(struct pk_file *f)
{
	struct irk_dpkg_line d;
	const char *note;
	int64_t t;
	int v[6];
	json_t *rec;

	if (!irk_dpkg_line(f->line, f->len, &d))
		return;
	v[0] = d.year, v[1] = d.mon, v[2] = d.mday;
	v[3] = d.hour, v[4] = d.min, v[5] = d.sec;
	rec = new_event(f, "dpkg", d.action);
	set_span(rec, "package", d.pkg);
	set_span(rec, "arch", d.arch);
	/* remove and purge name the version removed first */
	set_span(rec, "version", d.newv.p != NULL ? d.newv : d.oldv);
	if (d.newv.p != NULL)
		set_span(rec, "old_version", d.oldv);
	t = local_time(f, v, &note);
	emit(f, rec, t, "local", note, 0);
}

struct apt_list {
	struct pk_file *f;
	const char *action;
};

static void
apt_pkg(void *arg, const struct irk_apt_pkg *p, size_t i)
{
	struct apt_list *l = arg;
	struct pk_file *f = l->f;
	json_t *rec = new_event(f, "apt", l->action);
	int two = p->v2.p != NULL;

	set_span(rec, "package", p->name);
	set_span(rec, "arch", p->arch);
	set_span(rec, "version", two ? p->v2 : p->v1);
	if (two)
		set_span(rec, "old_version", p->v1);
	if (p->automatic)
		irk_json_set_bool(rec, "automatic", 1);
	if (f->command != NULL)
		json_object_set(rec, "command", f->command);
	if (f->who != NULL)
		json_object_set(rec, "who", f->who);
	if (f->start == IRK_TIME_NONE)
		emit(f, rec, f->lf->st.mtime, "mtime-only", NULL, i);
	else
		emit(f, rec, f->start, f->how, f->note, i);
}

static int
field(const char *line, size_t len, const char *name, struct irk_span *v)
{
	size_t n = strlen(name);

	if (len < n + 1 || memcmp(line, name, n) != 0 || line[n] != ':')
		return 0;
	v->p = line + n + 1;
	v->n = len - n - 1;
	while (v->n > 0 && *v->p == ' ')
		v->p++, v->n--;
	return 1;
}

static void
apt_line(struct pk_file *f)
{
	static const char *const lists[][2] = { { "Install", "install" },
	    { "Upgrade", "upgrade" }, { "Remove", "remove" },
	    { "Purge", "purge" }, { "Downgrade", "downgrade" },
	    { "Reinstall", "reinstall" } };
	struct irk_span v;
	int d[6];

	if (field(f->line, f->len, "Start-Date", &v)) {
		json_decref(f->command);
		json_decref(f->who);
		f->command = f->who = NULL;
		f->start = IRK_TIME_NONE;
		if (irk_apt_date(v.p, v.n, d) == 0) {
			f->how = "local";
			f->start = local_time(f, d, &f->note);
		}
		return;
	}
	if (field(f->line, f->len, "Commandline", &v)) {
		json_decref(f->command);
		f->command = irk_json_strn(v.p, v.n);
		return;
	}
	if (field(f->line, f->len, "Requested-By", &v)) {
		json_decref(f->who);
		f->who = irk_json_strn(v.p, v.n);
		return;
	}
	for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++)
		if (field(f->line, f->len, lists[i][0], &v)) {
			struct apt_list l = { f, lists[i][1] };

			(void)irk_apt_list(v.p, v.n, apt_pkg, &l);
		}
}

static void
rpm_line(struct pk_file *f)
{
	struct irk_syslog s;
	struct irk_span name, version, arch;
	const char *action, *how = "local", *note = NULL;
	int64_t t;
	json_t *rec;

	irk_syslog_parse(f->line, f->len, &s);
	if (s.form == IRK_SYSLOG_NONE)
		return;
	if (s.form == IRK_SYSLOG_TRAD) {
		s.year = irk_tzif_years_next(&f->years, s.mon);
		how = "year-inferred";
	}
	if ((action = irk_rpm_message(s.prog, s.msg, &name, &version,
	    &arch)) == NULL)
		return;
	t = irk_timegm(s.year, s.mon, s.mday, s.hour, s.min, s.sec);
	if (s.has_off) {
		how = "utc";
		t = (t - s.off) * 1000000 + s.usec;
	} else
		t = irk_logctx_local(f->x, t, s.usec, f->prev, &note);
	f->prev = t;
	rec = new_event(f, f->lf->kind == IRK_LOG_YUM &&
	    strcmp(f->lf->source, "yum.log") == 0 ? "yum" : "dnf", action);
	set_span(rec, "package", name);
	set_span(rec, "version", version);
	set_span(rec, "arch", arch);
	emit(f, rec, t, how, note, 0);
}

static void
term_line(struct pk_file *f)
{
	struct irk_term_line t;
	json_t *rec;

	switch (irk_term_line(f->line, f->len, &t)) {
	case IRK_TERM_START:
		f->how = "local";
		f->start = local_time(f, t.date, &f->note);
		return;
	case IRK_TERM_END:
		f->start = IRK_TIME_NONE;
		return;
	case IRK_TERM_PKG:
		break;
	default:
		return;
	}
	rec = new_event(f, "apt-term", t.action);
	set_span(rec, "package", t.pkg);
	set_span(rec, "arch", t.arch);
	set_span(rec, "version", t.version);
	set_span(rec, "old_version", t.old);
	if (f->start == IRK_TIME_NONE)
		emit(f, rec, f->lf->st.mtime, "mtime-only", NULL, 0);
	else
		emit(f, rec, f->start, f->how, f->note, 0);
}

static int
span_is(struct irk_span s, const char *lit)
{
	return s.p != NULL && s.n == strlen(lit) && memcmp(s.p, lit, s.n) == 0;
}

static void
dnf_line(struct pk_file *f)
{
	struct irk_syslog s;
	struct irk_span name, arch, version;
	const char *action;
	json_t *rec;
	int64_t t;

	irk_syslog_parse(f->line, f->len, &s);
	if (s.form != IRK_SYSLOG_RFC3339 || !s.has_off)
		return;
	if (span_is(s.prog, "Command")) {
		json_decref(f->command);
		f->command = irk_json_strn(s.msg.p, s.msg.n);
		return;
	}
	if (s.msg.n >= 12 && memcmp(s.msg.p, "DNF version:", 12) == 0) {
		json_decref(f->command);
		f->command = NULL;
		return;
	}
	if (s.prog.p != NULL || (action = irk_dnf_package(s.msg, &name, &arch,
	    &version)) == NULL)
		return;
	t = (irk_timegm(s.year, s.mon, s.mday, s.hour, s.min, s.sec) -
	    s.off) * 1000000 + s.usec;
	rec = new_event(f, "dnf-log", action);
	set_span(rec, "package", name);
	set_span(rec, "arch", arch);
	set_span(rec, "version", version);
	if (f->command != NULL)
		json_object_set(rec, "command", f->command);
	emit(f, rec, t, "utc", NULL, 0);
}

/* How a kind of package log is read. */
struct pk_kind {
	void (*line)(struct pk_file *f);
	int years;		/* traditional times: a first pass */
	/* a file not read by lines (history.sqlite) */
	int (*file)(struct irk_logctx *x, const struct irk_logfile *lf);
};

static const struct pk_kind dpkg_kind = { dpkg_line, 0, NULL };
static const struct pk_kind apt_kind = { apt_line, 0, NULL };
static const struct pk_kind rpm_kind = { rpm_line, 1, NULL };
static const struct pk_kind term_kind = { term_line, 0, NULL };
static const struct pk_kind dnf_kind = { dnf_line, 0, NULL };
static const struct pk_kind history_kind = { NULL, 0,
    irk_dnf_history_file };

static int
package_file(struct irk_logctx *x, const struct irk_logfile *lf,
    struct irk_logread *r, void *arg)
{
	const struct pk_kind *kind = arg;
	struct pk_file f;
	int cut;

	if (kind->file != NULL)
		return kind->file(x, lf);
	memset(&f, 0, sizeof(f));
	f.x = x;
	f.lf = lf;
	f.r = r;
	f.prev = f.start = IRK_TIME_NONE;
	if ((f.idbuf = malloc(IRK_LOGREAD_LINE_MAX + 32)) == NULL)
		return IRK_FAIL;
	if (kind->years && irk_logs_years(x, lf, r, &f.years) != IRK_OK) {
		free(f.idbuf);
		return IRK_WARN;
	}
	while (!f.fatal && irk_logread_line(r, &f.line, &f.len, &cut) == 1)
		kind->line(&f);
	json_decref(f.command);
	json_decref(f.who);
	free(f.idbuf);
	return f.fatal ? IRK_FATAL : IRK_OK;
}

static int
collect_package_logs(struct irk_collect *c)
{
	static const enum irk_log_kind kinds[] = { IRK_LOG_DPKG,
	    IRK_LOG_APT_HISTORY, IRK_LOG_YUM, IRK_LOG_APT_TERM, IRK_LOG_DNF,
	    IRK_LOG_DNF_HISTORY };
	void *const args[] = { (void *)&dpkg_kind, (void *)&apt_kind,
	    (void *)&rpm_kind, (void *)&term_kind, (void *)&dnf_kind,
	    (void *)&history_kind };

	return irk_logs_collect(c, kinds, 6, package_file, args);
}

const struct irk_collector irk_collector_package_logs = {
	"package_logs", "package manager logs parsed (dpkg, apt history, "
	"yum, dnf: installs, upgrades, removals)",
	IRK_SRC_LINUX_ROOT | IRK_SRC_COPIED, collect_package_logs,
};
