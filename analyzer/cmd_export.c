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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <jansson.h>
#include <sqlite3.h>

#include "irkit/err.h"
#include "irkit/parse.h"
#include "irkit/timeutil.h"
#include "export.h"
#include "textout.h"
#include "db.h"
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
	sqlite3_stmt *st;
	struct cols c;
	struct irk_buf tmp;
	uint64_t rows;
};

static void
usage(FILE *fp)
{
	fprintf(fp, "usage: irkit-analyze export [--db FILE] --format FMT "
	    "[--from T] [--to T]\n"
	    "           [--host H] [--source S] [--grep TEXT] [--tz ZONE] "
	    "[-o FILE]\n\n"
	    "  --db FILE      case database (default case.db)\n"
	    "  --format FMT   timesketch-jsonl timesketch-csv l2tcsv bodyfile "
	    "csv jsonl tln\n"
	    "  --from T       events at or after T (RFC 3339, or a date)\n"
	    "  --to T         events at or before T\n"
	    "  --host H       events of host H only (exact name)\n"
	    "  --source S     events of source S only (FILE, PROCESS, ...)\n"
	    "  --grep TEXT    message or path contains TEXT (ASCII case "
	    "ignored)\n"
	    "  --tz ZONE      print times in ZONE (UTC, +HH:MM, Europe/Berlin);"
	    " default UTC\n"
	    "  -o FILE        write to FILE ('-' or none: standard output)\n\n"
	    "bodyfile exports the files table (one line per file) for TSK's "
	    "mactime;\nthe other formats export the events table in time "
	    "order.\n");
}

static const char *
text(struct export *x, int i, size_t *n)
{
	const char *s;

	if (i < 0 || sqlite3_column_type(x->st, i) == SQLITE_NULL) {
		*n = 0;
		return NULL;
	}
	s = (const char *)sqlite3_column_text(x->st, i);
	*n = (size_t)sqlite3_column_bytes(x->st, i);
	return s;
}

static int
isnull(struct export *x, int i)
{
	return i < 0 || sqlite3_column_type(x->st, i) == SQLITE_NULL;
}

static int64_t
integer(struct export *x, int i)
{
	return i < 0 ? 0 : sqlite3_column_int64(x->st, i);
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

	if (isnull(x, i))
		return;
	if (sqlite3_column_type(x->st, i) == SQLITE_INTEGER) {
		fprintf(x->out, "%lld", (long long)sqlite3_column_int64(x->st,
		    i));
		return;
	}
	s = text(x, i, &n);
	irk_out_csv(x->out, s, n, max);
}

static void
csv_str(struct export *x, const char *s)
{
	irk_out_csv(x->out, s, s != NULL ? strlen(s) : 0, 0);
}

static json_t *
json_col(struct export *x, int i, size_t max)
{
	const char *s;

	switch (isnull(x, i) ? SQLITE_NULL : sqlite3_column_type(x->st, i)) {
	case SQLITE_NULL:
		return json_null();
	case SQLITE_INTEGER:
		return json_integer(sqlite3_column_int64(x->st, i));
	case SQLITE_FLOAT:
		return json_real(sqlite3_column_double(x->st, i));
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
	return "-";
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
	const char *n = sqlite3_column_name(x->st, i);

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
			csv_str(x, sqlite3_column_name(x->st, i));
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

	csv_str(x, s != NULL && *s != '\0' ? s : "-");
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
	csv_str(x, x->tz.name);
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
	s = message(x, 0);
	irk_out_csv(x->out, s, strlen(s), 120);	/* short */
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
			json_object_set_new(o, sqlite3_column_name(x->st, i),
			    json_col(x, i, 0));
			if (i == x->c.ts)
				json_object_set_new(o, "datetime",
				    json_string(iso));
		}
		return put_json(x, o);
	case F_TS_CSV:
		s = message(x, TS_FIELD_MAX);
		irk_out_csv(x->out, s, strlen(s), 0);
		fprintf(x->out, ",%s,", iso);
		s = cleaned(x, x->c.ts_desc, TS_FIELD_MAX);
		csv_str(x, s != NULL ? s : "-");
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

	c->n = sqlite3_column_count(x->st);
	for (k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
		int *p = (int *)((char *)c + names[k].off);

		*p = -1;
		for (i = 0; i < c->n; i++)
			if (strcmp(sqlite3_column_name(x->st, i),
			    names[k].name) == 0)
				*p = i;
	}
}

/* Tell when the plan sorts instead of walking the events(ts) index. */
static void
check_plan(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st = NULL;
	struct irk_buf q;
	int sorts = 0;

	irk_buf_init(&q, 1 << 16);
	(void)irk_buf_printf(&q, "EXPLAIN QUERY PLAN %s", sql);
	if (sqlite3_prepare_v2(db, q.data, -1, &st, NULL) == SQLITE_OK) {
		while (sqlite3_step(st) == SQLITE_ROW) {
			const char *d = (const char *)sqlite3_column_text(st,
			    3);

			if (d != NULL && strstr(d, "TEMP B-TREE") != NULL)
				sorts = 1;
		}
	}
	sqlite3_finalize(st);
	irk_buf_release(&q);
	if (sorts)
		fprintf(stderr, "irkit-analyze export: no index on "
		    "events(ts): sorting in temporary files (slower; "
		    "'irkit-analyze ingest' creates the index)\n");
}

int
irk_export_open_db(const char *path, sqlite3 **out)
{
	sqlite3 *db = NULL;

	if (access(path, R_OK) != 0) {
		fprintf(stderr, "irkit-analyze: cannot read '%s': %s\n", path,
		    strerror(errno));
		return IRK_FATAL;
	}
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK) {
		fprintf(stderr, "irkit-analyze: cannot open '%s': %s\n", path,
		    db != NULL ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		return IRK_FATAL;
	}
	sqlite3_busy_timeout(db, 5000);
	*out = db;
	return 0;
}

FILE *
irk_export_open_out(const char *path)
{
	FILE *fp;
	int fd;

	if (path == NULL || strcmp(path, "-") == 0)
		return stdout;
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
	    0644);
	if (fd < 0 || (fp = fdopen(fd, "w")) == NULL) {
		fprintf(stderr, "irkit-analyze: cannot write '%s': %s\n", path,
		    strerror(errno));
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	return fp;
}

int
irk_export_close_out(FILE *fp, const char *path)
{
	int bad;

	bad = fflush(fp) != 0 || ferror(fp);
	if (fp != stdout)
		bad |= fclose(fp) != 0;
	if (bad) {
		fprintf(stderr, "irkit-analyze: writing '%s' failed: %s\n",
		    path != NULL ? path : "-", strerror(errno));
		return IRK_FATAL;
	}
	return 0;
}

struct filter {
	int64_t from, to;
	int has_from, has_to;
	const char *host, *source, *grep;
};

/* WHERE clause for events; "+col" keeps the planner on the ts index. */
static void
events_sql(struct irk_buf *q, const struct filter *f)
{
	(void)irk_buf_addstr(q, "SELECT * FROM events WHERE 1");
	if (f->has_from)
		(void)irk_buf_addstr(q, " AND ts >= :from");
	if (f->has_to)
		(void)irk_buf_addstr(q, " AND ts <= :to");
	if (f->host != NULL)
		(void)irk_buf_addstr(q, " AND +host = :host");
	if (f->source != NULL)
		(void)irk_buf_addstr(q, " AND +source = :source COLLATE "
		    "NOCASE");
	if (f->grep != NULL)
		(void)irk_buf_addstr(q, " AND (instr(lower(coalesce(message,"
		    "'')), lower(:grep)) > 0 OR instr(lower(coalesce(path,"
		    "'')), lower(:grep)) > 0)");
	(void)irk_buf_addstr(q, " ORDER BY ts, id");
}

/*
 * bodyfile: the files table.  --host by the files' host, --grep on the
 * path, --from/--to keep a file when any of its times is in range.
 */
static void
files_sql(struct irk_buf *q, const struct filter *f)
{
	(void)irk_buf_addstr(q, "SELECT f.* FROM files f LEFT JOIN hosts h "
	    "ON h.id = f.host_id WHERE 1");
	if (f->host != NULL)
		(void)irk_buf_addstr(q, " AND h.hostname = :host");
	if (f->grep != NULL)
		(void)irk_buf_addstr(q, " AND instr(lower(f.path), "
		    "lower(:grep)) > 0");
	if (f->has_from || f->has_to) {
		const char *t[] = { "atime", "mtime", "ctime", "btime" };

		(void)irk_buf_addstr(q, " AND (0");
		for (int i = 0; i < 4; i++) {
			(void)irk_buf_printf(q, " OR (f.%s IS NOT NULL", t[i]);
			if (f->has_from)
				(void)irk_buf_printf(q, " AND f.%s >= :from",
				    t[i]);
			if (f->has_to)
				(void)irk_buf_printf(q, " AND f.%s <= :to",
				    t[i]);
			(void)irk_buf_addch(q, ')');
		}
		(void)irk_buf_addch(q, ')');
	}
	(void)irk_buf_addstr(q, " ORDER BY f.id");
}

static void
bind(sqlite3_stmt *st, const struct filter *f)
{
	int i;

	if ((i = sqlite3_bind_parameter_index(st, ":from")) > 0)
		sqlite3_bind_int64(st, i, f->from);
	if ((i = sqlite3_bind_parameter_index(st, ":to")) > 0)
		sqlite3_bind_int64(st, i, f->to);
	if ((i = sqlite3_bind_parameter_index(st, ":host")) > 0)
		sqlite3_bind_text(st, i, f->host, -1, SQLITE_STATIC);
	if ((i = sqlite3_bind_parameter_index(st, ":source")) > 0)
		sqlite3_bind_text(st, i, f->source, -1, SQLITE_STATIC);
	if ((i = sqlite3_bind_parameter_index(st, ":grep")) > 0)
		sqlite3_bind_text(st, i, f->grep, -1, SQLITE_STATIC);
}

static int
colidx(sqlite3_stmt *st, const char *name)
{
	for (int i = 0; i < sqlite3_column_count(st); i++)
		if (strcmp(sqlite3_column_name(st, i), name) == 0)
			return i;
	return -1;
}

static int64_t
secs(sqlite3_stmt *st, int i)
{
	int64_t s;

	if (i < 0 || sqlite3_column_type(st, i) == SQLITE_NULL)
		return 0;
	s = irk_us_to_s(sqlite3_column_int64(st, i));
	return s > 0 ? s : 0;	/* mactime: 0 is "unknown" */
}

static int64_t
num(sqlite3_stmt *st, int i)
{
	if (i < 0 || sqlite3_column_type(st, i) == SQLITE_NULL)
		return 0;
	return sqlite3_column_int64(st, i);
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
export_bodyfile(sqlite3 *db, const struct filter *f, FILE *out,
    uint64_t *rows)
{
	sqlite3_stmt *st = NULL;
	struct irk_buf q, b;
	int rc = 0, s, md5, path, inode, meta, mode, uid, gid, size, body;
	int at, mt, ct, bt, del;
	char ms[16];

	irk_buf_init(&q, 1 << 16);
	irk_buf_init(&b, 1 << 24);
	files_sql(&q, f);
	if (sqlite3_prepare_v2(db, q.data, -1, &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "irkit-analyze export: %s\n",
		    sqlite3_errmsg(db));
		rc = IRK_FATAL;
		goto out;
	}
	bind(st, f);
	md5 = colidx(st, "md5");
	path = colidx(st, "path");
	inode = colidx(st, "inode");
	meta = colidx(st, "meta_addr");	/* images: "12-128-1" */
	body = colidx(st, "body_name");	/* images: fls's name field */
	mode = colidx(st, "mode");
	uid = colidx(st, "uid");
	gid = colidx(st, "gid");
	size = colidx(st, "size");
	at = colidx(st, "atime");
	mt = colidx(st, "mtime");
	ct = colidx(st, "ctime");
	bt = colidx(st, "btime");
	del = colidx(st, "deleted");
	while ((s = sqlite3_step(st)) == SQLITE_ROW) {
		const char *v;

		v = md5 >= 0 ? (const char *)sqlite3_column_text(st, md5) :
		    NULL;
		fputs(v != NULL && *v != '\0' ? v : "0", out);
		putc('|', out);
		irk_buf_reset(&b);
		if (body >= 0 && (v = (const char *)sqlite3_column_text(st,
		    body)) != NULL)
			/* as fls -m prints it: links, deleted-realloc, $FILE_NAME */
			irk_text_clean(&b, v, (size_t)sqlite3_column_bytes(st,
			    body), 0);
		else {
			if ((v = (const char *)sqlite3_column_text(st, path)) !=
			    NULL)
				irk_text_clean(&b, v,
				    (size_t)sqlite3_column_bytes(st, path), 0);
			if (num(st, del) != 0)
				(void)irk_buf_addstr(&b, " (deleted)");
		}
		irk_out_pipe(out, b.data != NULL ? b.data : "", b.len);
		putc('|', out);
		v = meta >= 0 ? (const char *)sqlite3_column_text(st, meta) :
		    NULL;
		if (v != NULL && *v != '\0')
			irk_out_pipe(out, v, strlen(v));
		else
			fprintf(out, "%lld", (long long)num(st, inode));
		mode_string(mode >= 0 ? (const char *)sqlite3_column_text(st,
		    mode) : NULL, ms);
		fprintf(out, "|%s|%lld|%lld|%lld|%lld|%lld|%lld|%lld\n", ms,
		    (long long)(num(st, uid) < 0 ? 0 : num(st, uid)),
		    (long long)(num(st, gid) < 0 ? 0 : num(st, gid)),
		    (long long)(num(st, size) < 0 ? 0 : num(st, size)),
		    (long long)secs(st, at), (long long)secs(st, mt),
		    (long long)secs(st, ct), (long long)secs(st, bt));
		(*rows)++;
	}
	if (s != SQLITE_DONE) {
		fprintf(stderr, "irkit-analyze export: %s\n",
		    sqlite3_errmsg(db));
		rc = IRK_FATAL;
	}
out:
	sqlite3_finalize(st);
	irk_buf_release(&q);
	irk_buf_release(&b);
	return rc;
}

static int
export_events(sqlite3 *db, const struct filter *f, struct export *x)
{
	struct irk_buf q;
	int rc = 0, s;

	irk_buf_init(&q, 1 << 16);
	events_sql(&q, f);
	if (sqlite3_prepare_v2(db, q.data, -1, &x->st, NULL) != SQLITE_OK) {
		fprintf(stderr, "irkit-analyze export: %s\n",
		    sqlite3_errmsg(db));
		rc = IRK_FATAL;
		goto out;
	}
	check_plan(db, q.data);
	bind(x->st, f);
	find_cols(x);
	if (x->c.ts < 0) {
		fprintf(stderr, "irkit-analyze export: events has no ts "
		    "column\n");
		rc = IRK_FATAL;
		goto out;
	}
	header(x);
	while ((s = sqlite3_step(x->st)) == SQLITE_ROW) {
		if ((rc = row(x)) != 0)
			goto out;
		x->rows++;
		if (ferror(x->out)) {
			rc = IRK_FATAL;
			goto out;
		}
	}
	if (s != SQLITE_DONE) {
		fprintf(stderr, "irkit-analyze export: %s\n",
		    sqlite3_errmsg(db));
		rc = IRK_FATAL;
	}
out:
	sqlite3_finalize(x->st);
	x->st = NULL;
	irk_buf_release(&q);
	return rc;
}

int
irk_cmd_export(int argc, char **argv)
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
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct export x;
	struct filter f;
	struct irk_err err;
	const char *dbpath = "case.db", *fmt = NULL, *outpath = NULL;
	const char *tz = NULL;
	sqlite3 *db = NULL;
	int c, i, rc = 0;

	memset(&x, 0, sizeof(x));
	memset(&f, 0, sizeof(f));
	optind = 1;
	while ((c = getopt_long(argc, argv, "d:f:o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			dbpath = optarg;
			break;
		case 'f':
			fmt = optarg;
			break;
		case 'F':
		case 'T':
			if (irk_time_parse(optarg, c == 'F' ? &f.from :
			    &f.to) != 0) {
				fprintf(stderr, "irkit-analyze export: bad "
				    "time '%s' (RFC 3339, e.g. "
				    "2026-11-21T22:00:00Z)\n", optarg);
				return 2;
			}
			if (c == 'F')
				f.has_from = 1;
			else
				f.has_to = 1;
			break;
		case 'H':
			f.host = optarg;
			break;
		case 'S':
			f.source = optarg;
			break;
		case 'g':
			f.grep = optarg;
			break;
		case 'z':
			tz = optarg;
			break;
		case 'o':
			outpath = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc || fmt == NULL) {
		if (fmt == NULL)
			fprintf(stderr, "irkit-analyze export: --format is "
			    "required\n");
		usage(stderr);
		return 2;
	}
	for (i = 0; formats[i].name != NULL; i++)
		if (strcmp(formats[i].name, fmt) == 0)
			break;
	if (formats[i].name == NULL) {
		fprintf(stderr, "irkit-analyze export: unknown format '%s'\n",
		    fmt);
		usage(stderr);
		return 2;
	}
	x.fmt = formats[i].f;
	if (irk_tz_init(&x.tz, tz, &err) != 0) {
		fprintf(stderr, "irkit-analyze export: %s\n", err.msg);
		return 2;
	}
	if (irk_db_say_loading(dbpath, "export") != 0)
		return 1;
	if (irk_export_open_db(dbpath, &db) != 0)
		return 3;
	if ((x.out = irk_export_open_out(outpath)) == NULL) {
		sqlite3_close(db);
		return 3;
	}
	setvbuf(x.out, NULL, _IOFBF, 1 << 16);
	irk_buf_init(&x.tmp, 64 << 20);
	if (x.fmt == F_BODYFILE)
		rc = export_bodyfile(db, &f, x.out, &x.rows);
	else
		rc = export_events(db, &f, &x);
	if (irk_export_close_out(x.out, outpath) != 0)
		rc = IRK_FATAL;
	irk_buf_release(&x.tmp);
	sqlite3_close(db);
	if (rc != 0)
		return 3;
	fprintf(stderr, "irkit-analyze export: %llu %s written (%s)\n",
	    (unsigned long long)x.rows, x.fmt == F_BODYFILE ? "files" :
	    "events", fmt);
	return 0;
}
