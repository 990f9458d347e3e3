/*
 * case_sink.c - the collectors' sink into the case (see case_sink.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case_sink.h"
#include "db_states.h"
#include "image.h"
#include "irkit/collectors.h"
#include "irkit/fe.h"
#include "irkit/hostinfo.h"
#include "irkit/timeutil.h"
#include "irkit/banned.h"

/* The case cannot be written: said once, the run stops.  IRK_FAIL. */
static int
sink_failed(struct irk_case_sink *s)
{
	if (!s->db_failed)
		(void)snprintf(s->db_error, sizeof(s->db_error), "%s",
		    irk_db_errmsg(s->db));
	s->db_failed = 1;
	s->problems = 1;
	return IRK_FAIL;
}

static int
sink_record(void *arg, const char *collector, json_t *rec,
    struct irk_err *err)
{
	struct irk_case_sink *s = arg;
	const char *type = json_string_value(json_object_get(rec, "type"));
	int keep;

	(void)collector;
	/*
	 * A collector's "file" record describes a file it would copy; here
	 * that file is a files row already, which the record must not
	 * overwrite.
	 */
	if (type != NULL && strcmp(type, "file") == 0)
		return IRK_OK;
	if (s->keep != NULL && (keep = s->keep(s->keep_arg, rec)) <= 0) {
		if (keep == 0)
			return IRK_OK;
		irk_err_set(err, 0, "database: %s", irk_db_errmsg(s->db));
		return sink_failed(s);
	}
	if (irk_db_record(s->db, rec, NULL, err) != IRK_OK)
		return sink_failed(s);
	s->records++;
	return IRK_OK;
}

static void
sink_log(void *arg, json_t *e)
{
	struct irk_case_sink *s = arg;
	const char *lvl = json_string_value(json_object_get(e, "level"));
	const char *path = json_string_value(json_object_get(e, "path"));
	const char *msg = json_string_value(json_object_get(e, "message"));
	const char *col = json_string_value(json_object_get(e, "collector"));
	char snap[2048];

	/* a shadow copy's path (left as it is when it cannot be) */
	if (s->log_prefix != NULL && path != NULL &&
	    snprintf(snap, sizeof(snap), "%s%s", s->log_prefix, path) <
	    (int)sizeof(snap))
		path = snap;
	(void)irk_db_log(s->db, irk_now_us(), lvl ? lvl : "info",
	    col ? col : "collector", path, msg ? msg : "");
	if (lvl == NULL || strcmp(lvl, "info") == 0)
		return;
	/* said on stderr only: the entry is in the log table already */
	if (s->tty)
		fputs("\r\033[K", stderr);
	if (strcmp(lvl, "error") == 0) {
		irk_fe_error("%s: %s: %s%s%s", s->where, col ? col :
		    "collector", path ? path : "", path ? ": " : "",
		    msg ? msg : "");
		s->problems = 1;
	} else
		irk_fe_warn("%s: %s: %s%s%s", s->where, col ? col :
		    "collector", path ? path : "", path ? ": " : "",
		    msg ? msg : "");
}

static const struct irk_sink_ops case_sink_ops = {
	sink_record, NULL, sink_log, NULL,
};

int
irk_case_collect(struct irk_case_sink *s, struct irk_fs *fs, unsigned holds,
    const struct irk_collector *col, uint64_t max_file_size, char *why,
    size_t whylen)
{
	struct irk_collect_opts copts;
	struct irk_collect c;
	int rc;

	memset(&copts, 0, sizeof(copts));
	copts.max_file_size = max_file_size;
	copts.integrity_full = s->integrity_full;
	copts.now = s->now;
	if (holds == IRK_SRC_COPIED) {
		/* a live rpm host's files, as the collection recorded them */
		copts.file_states = irk_db_file_states;
		copts.file_states_arg = s->db;
	}
	irk_collect_init(&c, fs, &copts, &case_sink_ops, s);
	rc = col != NULL ? irk_collect_run(&c, col) :
	    irk_collectors_run(&c, holds);
	if (c.fatal) {
		(void)irk_err_str(&c.sink_err, why, whylen);
		rc = IRK_FATAL;
	}
	irk_collect_release(&c);
	return rc;
}

int
irk_case_root_host(struct irk_db *db, struct irk_fs *fs, int windows)
{
	json_t *hi, *cols;
	int64_t hid;
	int rc = IRK_FAIL;

	if (windows) {
		char *name = irk_win_computer_name(fs);

		hi = json_pack("{s:s?,s:s}", "hostname", name, "os",
		    "Windows");
		free(name);
	} else
		hi = irk_hostinfo(fs, 0);
	if (hi == NULL)
		return IRK_FAIL;
	if (irk_db_host(db, hi, &hid) == IRK_OK &&
	    (cols = json_pack("{sI}", "host_id", (json_int_t)hid)) != NULL) {
		rc = irk_db_evidence_set(db, irk_db_current_evidence(db), cols);
		json_decref(cols);
	}
	json_decref(hi);
	return rc;
}
