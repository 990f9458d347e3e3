/*
 * evtx_read.c - one EVTX file in memory through libevtx, its records as
 * "win_event" records (see evtx.h).  The XML of a record is parsed in
 * evtx_xml.c.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libbfio.h>
#include <libevtx.h>

#include "evtx.h"
#include "irkit/json.h"
#include "irkit/timeutil.h"
#include "irkit/banned.h"

#define FILETIME_1970	116444736000000000ULL	/* 1601 to 1970, 100 ns */

void
irk_evtx_limits_default(struct irk_evtx_limits *lim)
{
	lim->max_records = 10000000;
	lim->max_us = 600 * 1000000LL;
	lim->max_xml = IRK_EVTX_XML_MAX;
}

int
irk_evtx_is_evtx(const void *data, size_t len)
{
	return len >= 8 && memcmp(data, IRK_EVTX_MAGIC, 8) == 0;
}

/* libevtx's reason, its first line (the outermost cause). */
static void
evtx_reason(libevtx_error_t *e, char *out, size_t len)
{
	out[0] = '\0';
	if (e == NULL)
		return;
	libevtx_error_sprint(e, out, len);
	libevtx_error_free(&e);
	out[strcspn(out, "\n")] = '\0';
}

/* A string of the record through one of libevtx's size/get pairs. */
typedef int (*str_size_fn)(libevtx_record_t *, size_t *, libevtx_error_t **);
typedef int (*str_get_fn)(libevtx_record_t *, uint8_t *, size_t,
    libevtx_error_t **);

static void
set_api_str(json_t *rec, const char *key, libevtx_record_t *r,
    str_size_fn size_fn, str_get_fn get_fn)
{
	size_t n = 0;
	uint8_t *s;

	if (size_fn(r, &n, NULL) != 1 || n == 0 || n > 65536)
		return;
	if ((s = malloc(n)) == NULL)
		return;
	if (get_fn(r, s, n, NULL) == 1) {
		s[n - 1] = '\0';
		irk_json_set_str(rec, key, (const char *)s);
	}
	free(s);
}

/* The fields libevtx reads itself: the record without its XML. */
static json_t *
api_record(libevtx_record_t *r, const char *path, int recovered)
{
	json_t *rec = irk_record_new("win_event");
	uint64_t id = 0, ft = 0;
	uint32_t eid = 0;
	uint8_t level = 0;

	if (rec == NULL)
		return NULL;
	irk_json_set_str(rec, "path", path);
	if (libevtx_record_get_identifier(r, &id, NULL) == 1)
		irk_json_set_int(rec, "record_id", (int64_t)(id & INT64_MAX));
	if (libevtx_record_get_event_identifier(r, &eid, NULL) == 1)
		irk_json_set_int(rec, "event_id", eid & 0xffff);
	if (libevtx_record_get_event_level(r, &level, NULL) == 1)
		irk_json_set_int(rec, "level", level);
	if (libevtx_record_get_written_time(r, &ft, NULL) == 1 &&
	    ft >= FILETIME_1970 && ft < FILETIME_1970 + 10000000ULL *
	    86400 * 365 * 400)
		irk_json_set_int(rec, "ts", (int64_t)((ft - FILETIME_1970) /
		    10));
	set_api_str(rec, "provider", r,
	    libevtx_record_get_utf8_source_name_size,
	    libevtx_record_get_utf8_source_name);
	set_api_str(rec, "computer", r,
	    libevtx_record_get_utf8_computer_name_size,
	    libevtx_record_get_utf8_computer_name);
	set_api_str(rec, "user_sid", r,
	    libevtx_record_get_utf8_user_security_identifier_size,
	    libevtx_record_get_utf8_user_security_identifier);
	irk_json_set_bool(rec, "recovered", recovered);
	return rec;
}

/* The record's XML over the fields libevtx read: 0, or -1 unreadable. */
static int
add_xml(json_t *rec, libevtx_record_t *r, size_t max)
{
	size_t n = 0;
	uint8_t *xml;
	int ok = -1;

	if (libevtx_record_get_utf8_xml_string_size(r, &n, NULL) != 1 ||
	    n < 2 || n > max)
		return -1;
	if ((xml = malloc(n)) == NULL)
		return -1;
	if (libevtx_record_get_utf8_xml_string(r, xml, n, NULL) == 1) {
		xml[n - 1] = '\0';
		ok = irk_evtx_xml((const char *)xml, strlen((char *)xml), rec);
	}
	free(xml);
	return ok;
}

struct evtx_run {
	libevtx_file_t *file;
	const char *path;
	const struct irk_evtx_limits *lim;
	irk_evtx_fn fn;
	void *arg;
	struct irk_evtx_stats *st;
	int64_t t0;
};

/* The n records of one list (recovered or not): 0, or IRK_FATAL. */
static int
read_list(struct evtx_run *x, int n, int recovered)
{
	for (int i = 0; i < n; i++) {
		libevtx_record_t *r = NULL;
		json_t *rec;
		int got;

		if (x->st->records >= x->lim->max_records ||
		    irk_now_us() - x->t0 > x->lim->max_us) {
			x->st->stopped = 1;
			return 0;
		}
		got = recovered ?
		    libevtx_file_get_recovered_record_by_index(x->file, i, &r,
		    NULL) :
		    libevtx_file_get_record_by_index(x->file, i, &r, NULL);
		if (got != 1 || r == NULL) {
			x->st->unreadable++;
			continue;
		}
		rec = api_record(r, x->path, recovered);
		if (rec != NULL && add_xml(rec, r, x->lim->max_xml) != 0)
			x->st->unreadable++;
		libevtx_record_free(&r, NULL);
		if (rec == NULL)
			return IRK_FATAL;
		x->st->records++;
		if (recovered)
			x->st->recovered++;
		if (x->fn(x->arg, rec) != 0)
			return IRK_FATAL;
	}
	return 0;
}

static int
open_mem(libbfio_handle_t **io, libevtx_file_t **file, const void *data,
    size_t len, char *why, size_t whylen)
{
	libevtx_error_t *e = NULL;

	why[0] = '\0';
	if (libbfio_memory_range_initialize(io, NULL) != 1 ||
	    libbfio_memory_range_set(*io, (uint8_t *)data, len, NULL) != 1) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	if (libevtx_file_initialize(file, NULL) != 1) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	if (libevtx_file_open_file_io_handle(*file, *io, LIBEVTX_OPEN_READ,
	    &e) != 1) {
		evtx_reason(e, why, whylen);
		return -1;
	}
	return 0;
}

/* What went wrong with a file read, in words; IRK_OK when nothing. */
static int
grade(const struct irk_evtx_stats *st, const struct irk_evtx_limits *lim,
    struct irk_err *err)
{
	char b[256] = "";
	size_t k = 0;

	if (st->corrupted)
		k += (size_t)snprintf(b, sizeof(b), "corrupted (libevtx: a "
		    "chunk or the header does not check)");
	if (st->unreadable > 0 && k < sizeof(b))
		k += (size_t)snprintf(b + k, sizeof(b) - k, "%s%" PRIu64
		    " records unreadable", k ? "; " : "", st->unreadable);
	if (st->stopped && k < sizeof(b))
		(void)snprintf(b + k, sizeof(b) - k, "%sstopped after %" PRIu64
		    " records (at most %" PRIu64 " records, %" PRId64 " s)",
		    k ? "; " : "", st->records, lim->max_records,
		    lim->max_us / 1000000);
	if (b[0] == '\0')
		return IRK_OK;
	irk_err_set(err, EINVAL, "%s", b);
	return IRK_WARN;
}

int
irk_evtx_read(const void *data, size_t len, const char *path,
    const struct irk_evtx_limits *lim, irk_evtx_fn fn, void *arg,
    struct irk_evtx_stats *st, struct irk_err *err)
{
	struct evtx_run x = { NULL, path, lim, fn, arg, st, irk_now_us() };
	libbfio_handle_t *io = NULL;
	int n = 0, nrec = 0, r = IRK_OK;
	char why[200];

	memset(st, 0, sizeof(*st));
	if (!irk_evtx_is_evtx(data, len)) {
		irk_err_set(err, EINVAL, "not an EVTX file (no ElfFile "
		    "signature)");
		return IRK_FAIL;
	}
	if (open_mem(&io, &x.file, data, len, why, sizeof(why)) != 0) {
		irk_err_set(err, EINVAL, "libevtx cannot open it%s%s",
		    why[0] ? ": " : "", why);
		r = IRK_FAIL;
		goto out;
	}
	st->corrupted = libevtx_file_is_corrupted(x.file, NULL) == 1;
	if (libevtx_file_get_number_of_records(x.file, &n, NULL) == 1)
		r = read_list(&x, n, 0);
	if (r == 0 &&
	    libevtx_file_get_number_of_recovered_records(x.file, &nrec,
	    NULL) == 1)
		r = read_list(&x, nrec, 1);
	if (r == IRK_FATAL)
		irk_err_set(err, ENOMEM, "stopped: the records could not be "
		    "stored");
	else
		r = grade(st, lim, err);
	libevtx_file_close(x.file, NULL);
out:
	libevtx_file_free(&x.file, NULL);
	libbfio_handle_free(&io, NULL);
	return r;
}
