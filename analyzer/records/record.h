/*
 * record.h - the record registry: what each record type of an evidence
 * collection is, declared in one place (model: YARA's modules declaring
 * their schema, listed in modules/module_list).
 *
 * Each type lives in analyzer/records/TYPE.c and exports one
 * `const struct irk_record_type irk_record_TYPE`; list.h names them all
 * and builds irk_record_types[].  The declaration says:
 *   - its table and fields: column, SQLite type, how the value is read
 *     from the JSON record and from which keys (the first present wins;
 *     the later ones are aliases kept for old archives);
 *   - the timeline events its times become;
 *   - the columns matched against IOC lists;
 *   - its report section and when a row is flagged;
 *   - its identity key (the fields that say "the same thing" in two
 *     collections) and the fields compared when it is seen twice;
 *   - the JSON keys it does not store in a column of their own (they
 *     stay in the record column);
 *   - child rows (a process's sockets) and small hooks where a value is
 *     computed rather than read.
 * The db layer loads every type with one generic loader (db.c); ingest,
 * the findings and the contract test loop over irk_record_types[].
 * docs/ARCHITECTURE.md, "Adding a record type", is the checklist.
 */
#ifndef IRKIT_RECORD_H
#define IRKIT_RECORD_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

struct irk_db;
struct irk_record_row;

/* How a field's value is read. */
enum irk_rf_how {
	IRK_RF_JSON,		/* as it is: text, number, boolean 1/0,
				 * array or object as JSON text; the
				 * first key present and not null */
	IRK_RF_TEXT,		/* a string (the first key holding one),
				 * else NULL */
	IRK_RF_TIME,		/* RFC 3339 text or integer microseconds,
				 * stored as microseconds */
	IRK_RF_JOIN,		/* an argv array (or a string) joined with
				 * spaces */
	IRK_RF_RECORD,		/* the whole record, JSON text */
	IRK_RF_DERIVED,		/* computed by the type's derive hook
				 * from the keys named */
	IRK_RF_EVIDENCE,	/* the evidence row being loaded */
	IRK_RF_HOST,		/* its host (NULL until the manifest) */
	IRK_RF_PARENT,		/* a child row: the parent record's key;
				 * NULL when loaded alone */
	IRK_RF_PARENT_ID,	/* a child row: the parent row's id */
};

#define IRK_RF_KEYS	3
#define IRK_RECORD_MAX_FIELDS	40

struct irk_record_field {
	const char *column;
	const char *sqltype;		/* INTEGER | TEXT */
	enum irk_rf_how how;
	const char *keys[IRK_RF_KEYS];	/* JSON keys, aliases after */
};

/* One timeline event per row whose time column is set. */
struct irk_record_event {
	const char *time;		/* the column holding the time */
	const char *desc;		/* events.ts_desc */
	const char *macb;		/* or NULL */
	const char *source;		/* events.source */
	const char *path;		/* the column for events.path */
};

/* Rows of another type in an array of this record (loaded after it). */
struct irk_record_child {
	const char *key;
	const struct irk_record_type *type;
};

/* How the report shows a column. */
enum irk_rc_kind {
	IRK_RC_TEXT, IRK_RC_SHORT, IRK_RC_MONO, IRK_RC_TIME, IRK_RC_NUM,
	IRK_RC_FLAG,
};

struct irk_record_report_col {
	const char *title;		/* the column's heading */
	const char *sql;		/* its expression over the row t */
	enum irk_rc_kind kind;
};

/* The report's section for a type: the rows behind a finding, or flagged. */
struct irk_record_report {
	const char *id;			/* the HTML anchor */
	const char *nav;		/* its name in the report's menu */
	const char *title;
	const char *why;		/* "Shown: those WHY, host by host." */
	const char *flag;		/* SQL over t: flagged without a
					 * finding, or NULL */
	const struct irk_record_report_col *cols;	/* title NULL ends */
	/* a finding's linked row: kind, what, detail, time (?1: the id) */
	const char *link;
};

/*
 * A finding rule of a type: sql selects, for the evidence being loaded
 * (?1), the rows that are subjects of a finding, as the columns
 *   id (the row in the type's table), title, reason, ts (or NULL),
 *   path (or NULL)
 * and each row gets score added to its finding.  The rows of all the
 * rules of a type with the same id make one finding (the reasons in
 * rule order, the scores summed, capped at 100).
 */
struct irk_record_finding {
	int score;
	const char *sql;
};

struct irk_record_type {
	const char *type;		/* the record's "type"; NULL: other */
	const char *table;
	const char *doc;		/* one line: what a row is */
	const struct irk_record_field *fields;	/* column NULL ends */
	const struct irk_record_event *events;	/* time NULL ends */
	/* the columns matched against IOC lists: a path or program name
	 * (file-name IOCs) and a text (domains, IPs), or NULL */
	const char *ioc_name, *ioc_text;
	/* an IOC finding on a row: what names it (SQL over the row) and
	 * the column dating it (or NULL) */
	const char *ioc_label, *ioc_time;
	/* a column holding a hex digest matched against the hash lists
	 * (SHA-256, SHA-1 or MD5 by its length), or NULL */
	const char *ioc_hash;
	/* the identity key, and the fields compared when the same thing
	 * is in two collections (NULL ends) */
	const char *const *identity;
	const char *const *compare;
	/* JSON keys the collectors write that have no column (kept in the
	 * record column, or nowhere when the type has none) */
	const char *const *not_stored;
	const struct irk_record_child *children;	/* key NULL ends */
	/* the report's section (NULL: none) */
	const struct irk_record_report *report;
	/* when a row is flagged (a finding, the report), in words */
	const char *flagged;
	/* the findings category of its rules, and the rules (sql NULL
	 * ends; NULL: none) */
	const char *category;
	const struct irk_record_finding *findings;
	/* the triage summary's label, or NULL when not counted there */
	const char *count_label;
	/* irkit-analyze diff (db_diff.c): the rows compared (SQL over the
	 * row t; NULL: all of an evidence's rows), and those whose coming
	 * or going is the life of a running host, not a change (NULL:
	 * none) */
	const char *diff_rows;
	const char *diff_volatile;
	/* irkit-analyze baseline: the score of a finding for a row added
	 * or changed since its host's baseline (0: none), and which rows
	 * count (SQL over the row t; NULL: all compared) */
	int baseline_score;
	const char *baseline_rows;
	/* hooks (NULL: none) */
	int (*accept)(const json_t *rec);	/* 0: not loaded alone */
	int (*derive)(struct irk_record_row *row);	/* DERIVED fields */
	void (*message)(const struct irk_record_row *row, char *buf,
	    size_t len);			/* the events' message */
	/* a type that is not a row of its own (a collected file completes
	 * its member's files row): loads it instead of the insert */
	int (*load)(struct irk_db *db, json_t *rec, int64_t *id);
	/* 1: a record whose identity equals a stored row's (of any
	 * evidence; no field NULL) is not stored again, nor its events
	 * (the same event log record read through two paths or two
	 * collections) */
	int once;
};

/* The values of one row, read from a record by its declaration. */
struct irk_record_value {
	const json_t *json;		/* JSON, RECORD, PARENT */
	const char *text;		/* TEXT, JOIN, DERIVED */
	char *owned;			/* text, when allocated */
	int64_t num;			/* TIME; ids */
};

struct irk_record_row {
	const struct irk_record_type *type;
	const json_t *rec;
	const json_t *parent;		/* child rows: the parent record */
	int64_t parent_id;
	struct irk_record_value v[IRK_RECORD_MAX_FIELDS];
};

/* The registry, in list.h's order; NULL ends. */
extern const struct irk_record_type *const irk_record_types[];
/* The type of records without a table of their own ("records"). */
extern const struct irk_record_type irk_record_other;

/* The type named, irk_record_other when none is (or name is NULL). */
const struct irk_record_type *irk_record_find(const char *name);
/* The type whose table is table, or NULL. */
const struct irk_record_type *irk_record_by_table(const char *table);
/* The index of column in the type's fields, or -1. */
int irk_record_column(const struct irk_record_type *t, const char *column);

/*
 * Read rec into row by t's declaration (parent, parent_id: a child row,
 * else NULL and 0).  -1 when out of memory; row is to be released with
 * irk_record_row_free either way.
 */
int irk_record_row_fill(struct irk_record_row *row,
    const struct irk_record_type *t, const json_t *rec, const json_t *parent,
    int64_t parent_id);
void irk_record_row_free(struct irk_record_row *row);
/* A column's value as text (TEXT, JOIN, DERIVED; a JSON string), NULL. */
const char *irk_record_text(const struct irk_record_row *row,
    const char *column);
/* A TIME column's value, IRK_TIME_NONE when unset. */
int64_t irk_record_time(const struct irk_record_row *row,
    const char *column);
/* For derive hooks: set a DERIVED column (owned: freed with the row). */
void irk_record_set(struct irk_record_row *row, const char *column,
    const char *text, char *owned);

#endif
