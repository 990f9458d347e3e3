/*
 * cmd_export.c - irkit-analyze export: the timeline (events) or the
 * files table as timeline files other tools read: Timesketch JSONL/CSV,
 * plaso l2tcsv, TSK bodyfile, CSV, JSONL, TLN (docs/export-report.md).
 *
 * Streams: one SELECT ... ORDER BY ts, id over the events(ts) index the
 * ingest step creates, one row in memory at a time.  The database is
 * opened read-only and never changed.
 */
#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <jansson.h>

#include "irkit/err.h"
#include "irkit/fe.h"
#include "irkit/parse.h"
#include "irkit/timeutil.h"
#include "export.h"
#include "out_util.h"
#include "textout.h"
#include "db_read.h"
#include "irkit/banned.h"

#define TS_FIELD_MAX	32000	/* Timesketch: keep each value under 32 KB */

enum fmt {
	F_TS_JSONL, F_TS_CSV, F_L2TCSV, F_BODYFILE, F_CSV, F_JSONL, F_TLN,
};

static const struct {
	const char *name;
	enum fmt f;
} formats[] = {
	{ "timesketch-jsonl", F_TS_JSONL },
	{ "timesketch-csv", F_TS_CSV },
	{ "l2tcsv", F_L2TCSV },
	{ "bodyfile", F_BODYFILE },
	{ "csv", F_CSV },
	{ "jsonl", F_JSONL },
	{ "tln", F_TLN },
	{ NULL, 0 },
};

/* Column positions of one result row (-1: not in this database). */
struct cols {
	int n;
	int id, ts, ts_desc, macb, source, host, path, message;
	int evidence_id, record_table, record_id;
};

struct export {
	enum fmt fmt;
	struct irk_tz tz;
	FILE *out;
	struct irk_db_rows *st;
	struct cols c;
	struct irk_buf tmp;
	uint64_t rows;
	int safe_csv;		/* --safe-csv: cells never start a formula */
};

/* irkit's "-" for an empty value (Timesketch requires a message). */
static const char no_value[] = "-";

static void
usage(FILE *fp)
{
	fprintf(fp, "usage: irkit-analyze export [--db FILE] --format FMT "
	    "[--from T] [--to T]\n"
	    "           [--host H] [--source S] [--grep TEXT] [--tz ZONE] "
	    "[-o FILE]\n           [--safe-csv]\n\n"
	    "  --db FILE      case database (default case.db)\n"
	    "  --format FMT   timesketch-jsonl timesketch-csv l2tcsv bodyfile "
	    "csv jsonl tln\n"
	    "  --from T       events at or after T (RFC 3339, or a date); a "
	    "time\n                 without a zone is read in --tz\n"
	    "  --to T         events at or before T (not before --from)\n"
	    "  --host H       events of host H only (case ignored)\n"
	    "  --source S     events of source S only (FILE, PROCESS, ...)\n"
	    "  --grep TEXT    message or path contains TEXT (ASCII case "
	    "ignored)\n"
	    "  --tz ZONE      print times in ZONE (UTC, +HH:MM, Europe/Berlin);"
	    " default UTC\n"
	    "  -o FILE        write to FILE ('-' or none: standard output); "
	    "replaced only\n                 when complete (written under a "
	    "temporary name beside it)\n"
	    "  --safe-csv     csv, l2tcsv, timesketch-csv: a text cell "
	    "starting with\n                 = + - @ tab or CR gets a ' "
	    "before it, so a spreadsheet\n                 reads text, not "
	    "a formula (OWASP); default: every\n                 value as "
	    "it is in the case\n\n"
	    "bodyfile exports the files table (one line per file) for TSK's "
	    "mactime;\nthe other formats export the events table in time "
	    "order.\n\n"
	    "Exit status: 0 done (also when the reader of a pipe stops early, "
	    "as with\n'| head'); 1 filters were given and nothing matched "
	    "(as grep: stderr\nlists the hosts and sources the case has); 2 "
	    "usage; 3 database\nunreadable or write failed.\n");
}

static const char *
text(struct export *x, int i, size_t *n)
{
	const char *s;

	if (irk_db_rows_isnull(x->st, i)) {
		*n = 0;
		return NULL;
	}
	s = irk_db_rows_text(x->st, i, n);
	return s;
}

static int
isnull(struct export *x, int i)
{
	return irk_db_rows_isnull(x->st, i);
}

static int64_t
integer(struct export *x, int i)
{
	return irk_db_rows_int(x->st, i);
}

/* Cleaned text of column i into x->tmp (reset first); NULL for NULL. */
static const char *
cleaned(struct export *x, int i, size_t max)
{
	const char *s;
	size_t n;

	irk_buf_reset(&x->tmp);
	if ((s = text(x, i, &n)) == NULL)
		return NULL;
	irk_text_clean(&x->tmp, s, n, max);
	return x->tmp.data != NULL ? x->tmp.data : "";
}

static void
csv_col(struct export *x, int i, size_t max)
{
	const char *s;
	size_t n;
	int type;

	if (isnull(x, i))
		return;
	if ((type = irk_db_rows_type(x->st, i)) == IRK_DBT_INT) {
		fprintf(x->out, "%lld", (long long)irk_db_rows_int(x->st,
		    i));
		return;
	}
	s = text(x, i, &n);	/* a number stays a number (-1.5) */
	irk_out_csv_cell(x->out, s, n, max, x->safe_csv &&
	    type != IRK_DBT_REAL);
}

/* A text cell (neutralised with --safe-csv); irkit's own "-" as is. */
static void
csv_str(struct export *x, const char *s)
{
	if (s == no_value)
		fputs(s, x->out);
	else
		irk_out_csv_cell(x->out, s, s != NULL ? strlen(s) : 0, 0,
		    x->safe_csv);
}

static json_t *
json_col(struct export *x, int i, size_t max)
{
	const char *s;

	switch (isnull(x, i) ? IRK_DBT_NULL : irk_db_rows_type(x->st, i)) {
	case IRK_DBT_NULL:
		return json_null();
	case IRK_DBT_INT:
		return json_integer(irk_db_rows_int(x->st, i));
	case IRK_DBT_REAL:
		return json_real(irk_db_rows_real(x->st, i));
	default:
		s = cleaned(x, i, max);
		return json_stringn(s, x->tmp.len);
	}
}

static int
put_json(struct export *x, json_t *o)
{
	int rc;

	rc = json_dumpf(o, x->out, JSON_COMPACT | JSON_PRESERVE_ORDER);
	putc('\n', x->out);
	json_decref(o);
	return rc == 0 ? 0 : IRK_FAIL;
}

/* The event's message, never empty (Timesketch requires one). */
static const char *
message(struct export *x, size_t max)
{
	const char *s;

	if ((s = cleaned(x, x->c.message, max)) != NULL && *s != '\0')
		return s;
	if ((s = cleaned(x, x->c.path, max)) != NULL && *s != '\0')
		return s;
	if ((s = cleaned(x, x->c.ts_desc, max)) != NULL && *s != '\0')
		return s;
	return no_value;
}

static int
is_core(const struct cols *c, int i)
{
	return i == c->ts || i == c->ts_desc || i == c->message;
}

/* Field name of column i in Timesketch output ("id" is event_id). */
static const char *
ts_name(struct export *x, int i)
{
	const char *n = irk_db_rows_name(x->st, i);

	return strcmp(n, "id") == 0 ? "event_id" : n;
}

static void
header(struct export *x)
{
	int i;

	switch (x->fmt) {
	case F_TS_CSV:
		fputs("message,datetime,timestamp_desc,timestamp", x->out);
		for (i = 0; i < x->c.n; i++)
			if (!is_core(&x->c, i)) {
				putc(',', x->out);
				csv_str(x, ts_name(x, i));
			}
		putc('\n', x->out);
		break;
	case F_CSV:
		for (i = 0; i < x->c.n; i++) {
			if (i > 0)
				putc(',', x->out);
			csv_str(x, irk_db_rows_name(x->st, i));
			if (i == x->c.ts)
				fputs(",datetime", x->out);
		}
		putc('\n', x->out);
		break;
	case F_L2TCSV:
		fputs("date,time,timezone,MACB,source,sourcetype,type,user,"
		    "host,short,desc,version,filename,inode,notes,format,"
		    "extra\n", x->out);
		break;
	default:
		break;
	}
}

static const char *
source_long(const char *s)
{
	static const struct {
		const char *s, *l;
	} map[] = {
		{ "FILE", "File stat" }, { "PROCESS", "Process" },
		{ "SERVICE", "Service" }, { "TASK", "Scheduled task" },
		{ "CERT", "Certificate" }, { "KEY", "Private key" },
		{ "YARA", "YARA match" }, { "IOC", "IOC hit" },
		{ "COLLECTION", "Collection" }, { "FINDING", "Finding" },
		{ NULL, NULL },
	};

	for (int i = 0; s != NULL && map[i].s != NULL; i++)
		if (strcmp(map[i].s, s) == 0)
			return map[i].l;
	return s != NULL ? s : "-";
}

/* A value for l2tcsv: the text, or "-" when empty. */
static void
l2t_col(struct export *x, int i, size_t max)
{
	const char *s = cleaned(x, i, max);

	csv_str(x, s != NULL && *s != '\0' ? s : no_value);
}

static int
row_l2tcsv(struct export *x)
{
	struct tm tm;
	long frac;
	int off;
	const char *s;
	char *src;
	size_t n;

	irk_tz_tm(&x->tz, integer(x, x->c.ts), &tm, &off, &frac);
	fprintf(x->out, "%02d/%02d/%04d,%02d:%02d:%02d,", tm.tm_mon + 1,
	    tm.tm_mday, tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
	irk_out_csv(x->out, x->tz.name, strlen(x->tz.name), 0);	/* -05:00 */
	putc(',', x->out);
	s = cleaned(x, x->c.macb, 0);
	csv_str(x, s != NULL && *s != '\0' ? s : "....");
	putc(',', x->out);
	l2t_col(x, x->c.source, 0);
	putc(',', x->out);
	s = text(x, x->c.source, &n);
	src = s != NULL ? strndup(s, n) : NULL;
	csv_str(x, source_long(src));
	free(src);
	putc(',', x->out);
	l2t_col(x, x->c.ts_desc, 0);
	fputs(",-,", x->out);
	l2t_col(x, x->c.host, 0);
	putc(',', x->out);
	s = message(x, 0);	/* short: cut at 120 bytes */
	if (s == no_value)
		fputs(s, x->out);
	else
		irk_out_csv_cell(x->out, s, strlen(s), 120, x->safe_csv);
	putc(',', x->out);
	s = message(x, 0);
	csv_str(x, s);				/* desc */
	fputs(",2,", x->out);
	l2t_col(x, x->c.path, 0);
	fputs(",-,-,", x->out);
	irk_buf_reset(&x->tmp);
	(void)irk_buf_addstr(&x->tmp, "irkit");
	if (!isnull(x, x->c.record_table)) {
		s = text(x, x->c.record_table, &n);
		(void)irk_buf_addch(&x->tmp, '/');
		irk_text_clean(&x->tmp, s, n, 200);
	}
	csv_str(x, x->tmp.data);	/* format: irkit/<record table> */
	putc(',', x->out);
	irk_buf_reset(&x->tmp);
	(void)irk_buf_printf(&x->tmp, "event_id: %lld; evidence_id: %lld",
	    (long long)integer(x, x->c.id),
	    (long long)integer(x, x->c.evidence_id));
	if (!isnull(x, x->c.record_table)) {
		s = text(x, x->c.record_table, &n);
		(void)irk_buf_addstr(&x->tmp, "; record: ");
		irk_text_clean(&x->tmp, s, n, 200);
		(void)irk_buf_printf(&x->tmp, "/%lld",
		    (long long)integer(x, x->c.record_id));
	}
	csv_str(x, x->tmp.data);
	putc('\n', x->out);
	return 0;
}

static int
row_tln(struct export *x)
{
	const char *s;

	fprintf(x->out, "%lld|", (long long)irk_us_to_s(integer(x,
	    x->c.ts)));
	if ((s = cleaned(x, x->c.source, 0)) != NULL)
		irk_out_pipe(x->out, s, x->tmp.len);
	putc('|', x->out);
	if ((s = cleaned(x, x->c.host, 0)) != NULL)
		irk_out_pipe(x->out, s, x->tmp.len);
	fputs("||", x->out);	/* no user column in the timeline */
	if ((s = cleaned(x, x->c.macb, 0)) != NULL && *s != '\0') {
		fputs("[", x->out);
		irk_out_pipe(x->out, s, x->tmp.len);
		fputs("] ", x->out);
	}
	if ((s = cleaned(x, x->c.ts_desc, 0)) != NULL) {
		irk_out_pipe(x->out, s, x->tmp.len);
		fputs(": ", x->out);
	}
	s = message(x, 0);
	irk_out_pipe(x->out, s, strlen(s));
	putc('\n', x->out);
	return 0;
}

static int
row(struct export *x)
{
	char iso[IRK_TZ_ISO_LEN];
	json_t *o;
	const char *s;
	int i;

	irk_tz_iso(&x->tz, integer(x, x->c.ts), iso);
	switch (x->fmt) {
	case F_TS_JSONL:
		if ((o = json_object()) == NULL)
			return IRK_FATAL;
		s = message(x, TS_FIELD_MAX);
		json_object_set_new(o, "message", json_stringn(s, strlen(s)));
		json_object_set_new(o, "datetime", json_string(iso));
		s = cleaned(x, x->c.ts_desc, TS_FIELD_MAX);
		json_object_set_new(o, "timestamp_desc",
		    json_string(s != NULL ? s : "-"));
		json_object_set_new(o, "timestamp",
		    json_integer(integer(x, x->c.ts)));
		for (i = 0; i < x->c.n; i++)
			if (!is_core(&x->c, i))
				json_object_set_new(o, ts_name(x, i),
				    json_col(x, i, TS_FIELD_MAX));
		return put_json(x, o);
	case F_JSONL:
		if ((o = json_object()) == NULL)
			return IRK_FATAL;
		for (i = 0; i < x->c.n; i++) {
			json_object_set_new(o, irk_db_rows_name(x->st, i),
			    json_col(x, i, 0));
			if (i == x->c.ts)
				json_object_set_new(o, "datetime",
				    json_string(iso));
		}
		return put_json(x, o);
	case F_TS_CSV:
		csv_str(x, message(x, TS_FIELD_MAX));
		fprintf(x->out, ",%s,", iso);
		s = cleaned(x, x->c.ts_desc, TS_FIELD_MAX);
		csv_str(x, s != NULL ? s : no_value);
		fprintf(x->out, ",%lld", (long long)integer(x, x->c.ts));
		for (i = 0; i < x->c.n; i++)
			if (!is_core(&x->c, i)) {
				putc(',', x->out);
				csv_col(x, i, TS_FIELD_MAX);
			}
		putc('\n', x->out);
		return 0;
	case F_CSV:
		for (i = 0; i < x->c.n; i++) {
			if (i > 0)
				putc(',', x->out);
			csv_col(x, i, 0);
			if (i == x->c.ts)
				fprintf(x->out, ",%s", iso);
		}
		putc('\n', x->out);
		return 0;
	case F_L2TCSV:
		return row_l2tcsv(x);
	case F_TLN:
		return row_tln(x);
	default:
		return IRK_FATAL;
	}
}

static void
find_cols(struct export *x)
{
	struct cols *c = &x->c;
	static const struct {
		const char *name;
		size_t off;
	} names[] = {
		{ "id", offsetof(struct cols, id) },
		{ "ts", offsetof(struct cols, ts) },
		{ "ts_desc", offsetof(struct cols, ts_desc) },
		{ "macb", offsetof(struct cols, macb) },
		{ "source", offsetof(struct cols, source) },
		{ "host", offsetof(struct cols, host) },
		{ "path", offsetof(struct cols, path) },
		{ "message", offsetof(struct cols, message) },
		{ "evidence_id", offsetof(struct cols, evidence_id) },
		{ "record_table", offsetof(struct cols, record_table) },
		{ "record_id", offsetof(struct cols, record_id) },
	};
	size_t k;
	int i;

	c->n = irk_db_rows_ncols(x->st);
	for (k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
		int *p = (int *)((char *)c + names[k].off);

		*p = -1;
		for (i = 0; i < c->n; i++)
			if (strcmp(irk_db_rows_name(x->st, i),
			    names[k].name) == 0)
				*p = i;
	}
}

int
irk_export_open_db(const char *path, struct irk_db **out)
{
	struct irk_err err;

	irk_err_clear(&err);
	if (irk_db_open_reader(out, path, &err) != IRK_OK) {
		irk_fe_error("%s", err.msg);
		return IRK_FATAL;
	}
	return 0;
}

/*
 * A name beside path no other file has (created O_EXCL, with the mode a
 * new output gets); the descriptor, or -1 (errno).
 */
static int
open_temp(const char *path, char **tmp)
{
	int fd = -1;

	for (unsigned int i = 0; fd < 0 && i < 100; i++) {
		if (asprintf(tmp, "%s.%ld.%u.tmp", path, (long)getpid(),
		    i) < 0) {
			*tmp = NULL;
			errno = ENOMEM;
			return -1;
		}
		fd = open(*tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
		    O_CLOEXEC, 0644);
		if (fd < 0) {
			int e = errno;

			free(*tmp);
			*tmp = NULL;
			errno = e;
			if (e != EEXIST)
				return -1;
		}
	}
	return fd;
}

int
irk_export_open_out(struct irk_outfile *o, const char *path)
{
	struct stat st;
	int fd;

	memset(o, 0, sizeof(*o));
	o->path = path != NULL ? path : "-";
	if (strcmp(o->path, "-") == 0) {
		o->fp = stdout;
		return 0;
	}
	/*
	 * A regular file (or none yet) is written under a temporary name
	 * and renamed over it when complete; a device or FIFO is not a
	 * file to replace: written in place.  Never through a link.
	 */
	if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode))
		fd = open(path, O_WRONLY | O_TRUNC | O_NOFOLLOW | O_CLOEXEC);
	else
		fd = open_temp(path, &o->tmp);
	if (fd < 0 || (o->fp = fdopen(fd, "w")) == NULL) {
		irk_fe_error("cannot write '%s': %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		if (o->tmp != NULL)
			(void)unlink(o->tmp);
		free(o->tmp);
		o->tmp = NULL;
		return IRK_FATAL;
	}
	return 0;
}

int
irk_export_finish_out(struct irk_outfile *o, int complete)
{
	int rc = irk_export_close_out(o->fp, o->path);

	if (o->tmp == NULL)
		return rc;
	if (rc == 0 && complete && rename(o->tmp, o->path) != 0) {
		irk_fe_error("cannot write '%s': %s", o->path,
		    strerror(errno));
		rc = IRK_FATAL;
	}
	if (rc != 0 || !complete)
		(void)unlink(o->tmp);
	free(o->tmp);
	o->tmp = NULL;
	return rc;
}

/*
 * Non-zero when fp is a pipe or socket whose reader has gone (`| head`):
 * Linux flags a pipe without readers POLLERR, a closed socket POLLHUP.
 * Asked of the descriptor, so it does not depend on a saved errno.
 */
static int
reader_gone(FILE *fp)
{
	struct pollfd p = { .fd = fileno(fp), .events = POLLOUT };

	return poll(&p, 1, 0) == 1 && (p.revents & (POLLERR | POLLHUP)) != 0;
}

int
irk_export_close_out(FILE *fp, const char *path)
{
	int bad, gone, e;

	errno = 0;
	bad = fflush(fp) != 0 || ferror(fp);
	e = errno;
	gone = bad && reader_gone(fp);
	if (fp != stdout)
		bad |= fclose(fp) != 0;
	if (gone)
		return IRK_WARN;
	if (bad) {
		irk_fe_error("writing '%s' failed: %s", path != NULL ? path :
		    "-", strerror(e != 0 ? e : EIO));
		return IRK_FATAL;
	}
	return 0;
}

static int64_t
secs(struct irk_db_rows *st, int i)
{
	int64_t s;

	if (irk_db_rows_isnull(st, i))
		return 0;
	s = irk_us_to_s(irk_db_rows_int(st, i));
	return s > 0 ? s : 0;	/* mactime: 0 is "unknown" */
}

static int64_t
num(struct irk_db_rows *st, int i)
{
	if (irk_db_rows_isnull(st, i))
		return 0;
	return irk_db_rows_int(st, i);
}

/* "0755" / "0100755" / "-rwxr-xr-x" into TSK's "r/rrwxr-xr-x". */
static void
mode_string(const char *m, char out[16])
{
	static const char tc[] = "?pc?d?b?r?l?s???";
	uint64_t v;
	char t;
	int i;

	if (m == NULL || *m == '\0') {
		(void)snprintf(out, 16, "-/----------");
		return;
	}
	/* disk images already hold fls's own form, "r/rrw-r--r--" */
	if (strlen(m) == 12 && m[1] == '/') {
		(void)snprintf(out, 16, "%s", m);
		return;
	}
	if (strlen(m) == 10 && strchr("-dlcbps", m[0]) != NULL) {
		t = m[0] == '-' ? 'r' : m[0];
		(void)snprintf(out, 16, "%c/%c%s", t, t, m + 1);
		return;
	}
	if (irk_parse_u64(m, 8, 0177777, &v) != 0) {
		(void)snprintf(out, 16, "-/----------");
		return;
	}
	t = (v & 0170000) ? tc[(v >> 12) & 017] : '-';
	out[0] = t;
	out[1] = '/';
	out[2] = t;
	for (i = 0; i < 9; i++)
		out[3 + i] = (v & (0400 >> i)) ? "rwxrwxrwx"[i] : '-';
	if (v & 04000)
		out[5] = (v & 0100) ? 's' : 'S';
	if (v & 02000)
		out[8] = (v & 010) ? 's' : 'S';
	if (v & 01000)
		out[11] = (v & 01) ? 't' : 'T';
	out[12] = '\0';
}

static int
export_bodyfile(struct irk_db *db, const struct irk_db_filter *f, FILE *out,
    uint64_t *rows)
{
	struct irk_db_rows *st = NULL;
	struct irk_err err;
	struct irk_buf b;
	int rc = 0, s, md5, path, inode, meta, mode, uid, gid, size, body;
	size_t n;
	int at, mt, ct, bt, del;
	char ms[16];

	irk_buf_init(&b, 1 << 24);
	if (irk_db_files_open(db, f, &st, &err) != IRK_OK) {
		irk_fe_error("%s", err.msg);
		rc = IRK_FATAL;
		goto out;
	}
	md5 = irk_db_rows_index(st, "md5");
	path = irk_db_rows_index(st, "path");
	inode = irk_db_rows_index(st, "inode");
	meta = irk_db_rows_index(st, "meta_addr");	/* images: "12-128-1" */
	body = irk_db_rows_index(st, "body_name");	/* images: fls's name field */
	mode = irk_db_rows_index(st, "mode");
	uid = irk_db_rows_index(st, "uid");
	gid = irk_db_rows_index(st, "gid");
	size = irk_db_rows_index(st, "size");
	at = irk_db_rows_index(st, "atime");
	mt = irk_db_rows_index(st, "mtime");
	ct = irk_db_rows_index(st, "ctime");
	bt = irk_db_rows_index(st, "btime");
	del = irk_db_rows_index(st, "deleted");
	while ((s = irk_db_rows_next(st)) == 1) {
		const char *v;

		v = irk_db_rows_text(st, md5, NULL);
		fputs(v != NULL && *v != '\0' ? v : "0", out);
		putc('|', out);
		irk_buf_reset(&b);
		if ((v = irk_db_rows_text(st, body, &n)) != NULL)
			/* as fls -m prints it: links, deleted-realloc, $FILE_NAME */
			irk_text_clean(&b, v, n, 0);
		else {
			if ((v = irk_db_rows_text(st, path, &n)) != NULL)
				irk_text_clean(&b, v, n, 0);
			if (num(st, del) != 0)
				(void)irk_buf_addstr(&b, " (deleted)");
		}
		irk_out_pipe(out, b.data != NULL ? b.data : "", b.len);
		putc('|', out);
		v = irk_db_rows_text(st, meta, NULL);
		if (v != NULL && *v != '\0')
			irk_out_pipe(out, v, strlen(v));
		else
			fprintf(out, "%lld", (long long)num(st, inode));
		mode_string(irk_db_rows_text(st, mode, NULL), ms);
		fprintf(out, "|%s|%lld|%lld|%lld|%lld|%lld|%lld|%lld\n", ms,
		    (long long)(num(st, uid) < 0 ? 0 : num(st, uid)),
		    (long long)(num(st, gid) < 0 ? 0 : num(st, gid)),
		    (long long)(num(st, size) < 0 ? 0 : num(st, size)),
		    (long long)secs(st, at), (long long)secs(st, mt),
		    (long long)secs(st, ct), (long long)secs(st, bt));
		(*rows)++;
		if (ferror(out)) {
			/* irk_export_close_out tells why */
			rc = IRK_FATAL;
			goto out;
		}
	}
	if (s != 0) {
		irk_fe_error("%s", irk_db_errmsg(db));
		rc = IRK_FATAL;
	}
out:
	irk_db_rows_close(st);
	irk_buf_release(&b);
	return rc;
}

static int
export_events(struct irk_db *db, const struct irk_db_filter *f,
    struct export *x)
{
	struct irk_err err;
	int rc = 0, s, sorts = 0;

	if (irk_db_events_open(db, f, &x->st, &sorts, &err) != IRK_OK) {
		irk_fe_error("%s", err.msg);
		rc = IRK_FATAL;
		goto out;
	}
	if (sorts)
		irk_fe_warn("no index on events(ts): sorting in temporary "
		    "files (slower; 'irkit-analyze ingest' creates the "
		    "index)");
	find_cols(x);
	if (x->c.ts < 0) {
		irk_fe_error("events has no ts column");
		rc = IRK_FATAL;
		goto out;
	}
	header(x);
	while ((s = irk_db_rows_next(x->st)) == 1) {
		if ((rc = row(x)) != 0)
			goto out;
		x->rows++;
		if (ferror(x->out)) {
			rc = IRK_FATAL;
			goto out;
		}
	}
	if (s != 0) {
		irk_fe_error("%s", irk_db_errmsg(db));
		rc = IRK_FATAL;
	}
out:
	irk_db_rows_close(x->st);
	x->st = NULL;
	return rc;
}

/* Filters matched nothing: say so and what the case has. */
static void
say_nothing_matched(struct irk_db *db, int bodyfile)
{
	char t0[IRK_TIME_LEN], t1[IRK_TIME_LEN];
	int64_t first, last;

	irk_fe_error("no %s match the filters", bodyfile ? "files" : "events");
	if (bodyfile) {
		irk_out_list_values(db, "hosts", IRK_DBV_FILE_HOSTS);
		return;
	}
	irk_out_list_values(db, "hosts", IRK_DBV_EVENT_HOSTS);
	irk_out_list_values(db, "sources", IRK_DBV_EVENT_SOURCES);
	if (irk_db_event_span(db, &first, &last) == 1)
		irk_fe_error("events from %s to %s",
		    irk_time_fmt(first, t0), irk_time_fmt(last, t1));
}

struct export_args {
	const char *dbpath, *fmt, *outpath, *tz, *from, *to;
	struct irk_db_filter f;
	int safe_csv;
};

/* -1: go on; else the exit status (help, usage). */
static int
parse_args(int argc, char **argv, struct export_args *a)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "format", required_argument, NULL, 'f' },
		{ "from", required_argument, NULL, 'F' },
		{ "to", required_argument, NULL, 'T' },
		{ "host", required_argument, NULL, 'H' },
		{ "source", required_argument, NULL, 'S' },
		{ "grep", required_argument, NULL, 'g' },
		{ "tz", required_argument, NULL, 'z' },
		{ "output", required_argument, NULL, 'o' },
		{ "safe-csv", no_argument, NULL, 'C' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(a, 0, sizeof(*a));
	a->dbpath = "case.db";
	optind = 1;
	while ((c = getopt_long(argc, argv, "d:f:o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			a->dbpath = optarg;
			break;
		case 'f':
			a->fmt = optarg;
			break;
		case 'F':
			a->from = optarg;
			break;
		case 'T':
			a->to = optarg;
			break;
		case 'H':
			a->f.host = optarg;
			break;
		case 'S':
			a->f.source = optarg;
			break;
		case 'g':
			a->f.grep = optarg;
			break;
		case 'z':
			a->tz = optarg;
			break;
		case 'o':
			a->outpath = optarg;
			break;
		case 'C':
			a->safe_csv = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc || a->fmt == NULL) {
		if (a->fmt == NULL)
			irk_fe_error("--format is required");
		else
			irk_fe_error("unexpected argument '%s'", argv[optind]);
		usage(stderr);
		return 2;
	}
	return -1;
}

/* --from and --to, read in tz when they name no zone; 0 or 2 (usage). */
static int
parse_range(const struct irk_tz *tz, struct export_args *a)
{
	const char *t[2] = { a->from, a->to };
	int64_t *v[2] = { &a->f.from, &a->f.to };
	int *has[2] = { &a->f.has_from, &a->f.has_to };

	for (int i = 0; i < 2; i++) {
		if (t[i] == NULL)
			continue;
		if (irk_tz_parse(tz, t[i], v[i]) != 0) {
			irk_fe_error("bad time '%s' (RFC 3339, e.g. "
			    "2026-11-21T22:00:00Z, or a date)", t[i]);
			return 2;
		}
		*has[i] = 1;
	}
	if (a->f.has_from && a->f.has_to && a->f.from > a->f.to) {
		irk_fe_error("--from '%s' is later than --to '%s'", a->from,
		    a->to);
		return 2;
	}
	return 0;
}

int
irk_cmd_export(int argc, char **argv)
{
	struct export x;
	struct export_args a;
	struct irk_outfile out;
	struct irk_err err;
	struct irk_db *db = NULL;
	int i, rc, crc;

	memset(&x, 0, sizeof(x));
	if ((rc = parse_args(argc, argv, &a)) >= 0)
		return rc;
	for (i = 0; formats[i].name != NULL; i++)
		if (strcmp(formats[i].name, a.fmt) == 0)
			break;
	if (formats[i].name == NULL) {
		irk_fe_error("unknown format '%s'", a.fmt);
		usage(stderr);
		return 2;
	}
	x.fmt = formats[i].f;
	x.safe_csv = a.safe_csv;
	if (a.safe_csv && x.fmt != F_CSV && x.fmt != F_L2TCSV &&
	    x.fmt != F_TS_CSV) {
		irk_fe_error("--safe-csv is for csv, l2tcsv and "
		    "timesketch-csv, not '%s'", a.fmt);
		return 2;
	}
	if (irk_tz_init(&x.tz, a.tz, &err) != 0) {
		irk_fe_error("%s", err.msg);
		return 2;
	}
	if (parse_range(&x.tz, &a) != 0)
		return 2;
	if (irk_db_being_loaded(a.dbpath)) {
		irk_say_being_loaded(a.dbpath, "export");
		return 1;
	}
	if (irk_export_open_db(a.dbpath, &db) != 0)
		return 3;
	if (irk_export_open_out(&out, a.outpath) != 0) {
		irk_db_close(db);
		return 3;
	}
	x.out = out.fp;
	setvbuf(x.out, NULL, _IOFBF, 1 << 16);
	irk_buf_init(&x.tmp, 64 << 20);
	if (x.fmt == F_BODYFILE)
		rc = export_bodyfile(db, &a.f, x.out, &x.rows);
	else
		rc = export_events(db, &a.f, &x);
	crc = irk_export_finish_out(&out, rc == 0);
	irk_buf_release(&x.tmp);
	if (crc == IRK_WARN) {	/* `| head`: the reader has enough */
		irk_db_close(db);
		return 0;
	}
	if (rc != 0 || crc != 0) {
		irk_db_close(db);
		return 3;
	}
	irk_fe_error("%llu %s written (%s)", (unsigned long long)x.rows,
	    x.fmt == F_BODYFILE ? "files" : "events", a.fmt);
	rc = 0;
	if (x.rows == 0 && (a.f.has_from || a.f.has_to || a.f.host != NULL ||
	    a.f.source != NULL || a.f.grep != NULL)) {
		say_nothing_matched(db, x.fmt == F_BODYFILE);
		rc = 1;
	}
	irk_db_close(db);
	return rc;
}
