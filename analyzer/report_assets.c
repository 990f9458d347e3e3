/*
 * report_assets.c - the report's template and style, built into the
 * binary so irkit-analyze needs no files beside it.  The assembler reads
 * them at build time (paths relative to the top of the tree, where make
 * runs; the Makefile rebuilds this object when reports/ changes).
 */
#include "report.h"
#include "irkit/banned.h"

__asm__(
    "	.section .rodata\n"
    "	.global irk_report_template\n"
    "	.type irk_report_template, @object\n"
    "irk_report_template:\n"
    "	.incbin \"reports/report.html.in\"\n"
    "	.byte 0\n"
    "	.size irk_report_template, . - irk_report_template\n"
    "	.global irk_report_css\n"
    "	.type irk_report_css, @object\n"
    "irk_report_css:\n"
    "	.incbin \"reports/report.css\"\n"
    "	.byte 0\n"
    "	.size irk_report_css, . - irk_report_css\n"
    "	.previous\n");
