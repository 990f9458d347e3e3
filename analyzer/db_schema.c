/*
 * db_schema.c - analyzer/schema.sql embedded in the binary, so the
 * program needs no file beside it.  The assembler includes the file as
 * it is (the build runs from the top of the tree; the Makefile makes
 * this object depend on schema.sql).
 */
#include "db_schema.h"
#include "irkit/banned.h"

__asm__(
"	.section .rodata\n"
"	.global irk_schema_sql\n"
"	.type irk_schema_sql, @object\n"
"	.balign 16\n"
"irk_schema_sql:\n"
"	.incbin \"analyzer/schema.sql\"\n"
"	.byte 0\n"
"	.size irk_schema_sql, . - irk_schema_sql\n"
"	.previous\n"
);
