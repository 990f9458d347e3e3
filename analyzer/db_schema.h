/*
 * db_schema.h - the text of analyzer/schema.sql, NUL-terminated.
 */
#ifndef IRKIT_DB_SCHEMA_H
#define IRKIT_DB_SCHEMA_H

extern const char irk_schema_sql[];

#endif
