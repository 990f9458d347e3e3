/*
 * registry.c - the list of record types (list.h) and reading a record
 * into the values of its row by its declaration (record.h).
 */
#include <stdlib.h>
#include <string.h>

#include "record.h"
#include "../db_util.h"
#include "irkit/fs.h"
#include "irkit/timeutil.h"
#include "irkit/banned.h"

#define RECORD(name) extern const struct irk_record_type irk_record_##name;
#include "list.h"
#undef RECORD

const struct irk_record_type *const irk_record_types[] = {
#define RECORD(name) &irk_record_##name,
#include "list.h"
#undef RECORD
	&irk_record_other,
	NULL,
};

const struct irk_record_type *
irk_record_find(const char *name)
{
	if (name == NULL)
		return &irk_record_other;
	for (size_t i = 0; irk_record_types[i] != NULL; i++)
		if (irk_record_types[i]->type != NULL &&
		    strcmp(irk_record_types[i]->type, name) == 0)
			return irk_record_types[i];
	return &irk_record_other;
}

const struct irk_record_type *
irk_record_by_table(const char *table)
{
	for (size_t i = 0; table != NULL && irk_record_types[i] != NULL; i++)
		if (strcmp(irk_record_types[i]->table, table) == 0)
			return irk_record_types[i];
	return NULL;
}

int
irk_record_column(const struct irk_record_type *t, const char *column)
{
	for (int i = 0; t->fields[i].column != NULL; i++)
		if (strcmp(t->fields[i].column, column) == 0)
			return i;
	return -1;
}

/* The first of the keys present and not null. */
static const json_t *
first_value(const json_t *rec, const struct irk_record_field *f)
{
	for (int k = 0; k < IRK_RF_KEYS && f->keys[k] != NULL; k++) {
		const json_t *v = json_object_get(rec, f->keys[k]);

		if (v != NULL && !json_is_null(v))
			return v;
	}
	return NULL;
}

/* The first of the keys holding a string. */
static const char *
first_text(const json_t *rec, const struct irk_record_field *f)
{
	for (int k = 0; k < IRK_RF_KEYS && f->keys[k] != NULL; k++) {
		const char *s = irk_j_str(rec, f->keys[k]);

		if (s != NULL)
			return s;
	}
	return NULL;
}

/* The first of the keys holding a time. */
static int64_t
first_time(const json_t *rec, const struct irk_record_field *f)
{
	for (int k = 0; k < IRK_RF_KEYS && f->keys[k] != NULL; k++) {
		int64_t t = irk_j_time(rec, f->keys[k]);

		if (t != IRK_TIME_NONE)
			return t;
	}
	return IRK_TIME_NONE;
}

static int
fill_one(struct irk_record_row *row, const struct irk_record_field *f,
    struct irk_record_value *v)
{
	const json_t *j;

	switch (f->how) {
	case IRK_RF_JSON:
		v->json = first_value(row->rec, f);
		break;
	case IRK_RF_TEXT:
		v->text = first_text(row->rec, f);
		break;
	case IRK_RF_TIME:
		v->num = first_time(row->rec, f);
		break;
	case IRK_RF_JOIN:
		j = first_value(row->rec, f);
		if (j != NULL && (json_is_string(j) || (json_is_array(j) &&
		    json_array_size(j) > 0))) {
			if ((v->owned = irk_j_join(j)) == NULL)
				return -1;
			v->text = v->owned;
		}
		break;
	case IRK_RF_RECORD:
		v->json = row->rec;
		break;
	case IRK_RF_PARENT:
		v->json = row->parent != NULL ? first_value(row->parent, f) :
		    NULL;
		break;
	case IRK_RF_PARENT_ID:
		v->num = row->parent_id;
		break;
	case IRK_RF_DERIVED:
	case IRK_RF_EVIDENCE:
	case IRK_RF_HOST:
		break;
	}
	return 0;
}

int
irk_record_row_fill(struct irk_record_row *row,
    const struct irk_record_type *t, const json_t *rec, const json_t *parent,
    int64_t parent_id)
{
	memset(row, 0, sizeof(*row));
	row->type = t;
	row->rec = rec;
	row->parent = parent;
	row->parent_id = parent_id;
	for (int i = 0; t->fields[i].column != NULL &&
	    i < IRK_RECORD_MAX_FIELDS; i++)
		if (fill_one(row, &t->fields[i], &row->v[i]) != 0)
			return -1;
	if (t->derive != NULL && t->derive(row) != 0)
		return -1;
	return 0;
}

void
irk_record_row_free(struct irk_record_row *row)
{
	for (int i = 0; i < IRK_RECORD_MAX_FIELDS; i++) {
		free(row->v[i].owned);
		row->v[i].owned = NULL;
	}
}

const char *
irk_record_text(const struct irk_record_row *row, const char *column)
{
	int i = irk_record_column(row->type, column);

	if (i < 0)
		return NULL;
	if (row->v[i].text != NULL)
		return row->v[i].text;
	return json_is_string(row->v[i].json) ?
	    json_string_value(row->v[i].json) : NULL;
}

int64_t
irk_record_time(const struct irk_record_row *row, const char *column)
{
	int i = irk_record_column(row->type, column);

	if (i < 0 || row->type->fields[i].how != IRK_RF_TIME)
		return IRK_TIME_NONE;
	return row->v[i].num;
}

void
irk_record_set(struct irk_record_row *row, const char *column,
    const char *text, char *owned)
{
	int i = irk_record_column(row->type, column);

	if (i < 0) {
		free(owned);
		return;
	}
	free(row->v[i].owned);
	row->v[i].owned = owned;
	row->v[i].text = owned != NULL ? owned : text;
}
