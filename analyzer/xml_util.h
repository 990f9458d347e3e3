/*
 * xml_util.h - small helpers over libxml2 trees shared by the parsers of
 * Windows XML (win_tasks.c: task files; evtx_xml.c: event records).
 */
#ifndef IRKIT_XML_UTIL_H
#define IRKIT_XML_UTIL_H

#include <libxml/tree.h>

/* 1 when n is an element named name (NULL n: 0). */
int irk_xml_is(const xmlNode *n, const char *name);
/* n's first child element named name, or NULL (NULL n: NULL). */
const xmlNode *irk_xml_child(const xmlNode *n, const char *name);

#endif
