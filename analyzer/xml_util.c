/* xml_util.c - helpers over libxml2 trees (xml_util.h). */
#include <string.h>

#include "xml_util.h"
#include "irkit/banned.h"

int
irk_xml_is(const xmlNode *n, const char *name)
{
	return n != NULL && n->type == XML_ELEMENT_NODE &&
	    strcmp((const char *)n->name, name) == 0;
}

const xmlNode *
irk_xml_child(const xmlNode *n, const char *name)
{
	for (n = n != NULL ? n->children : NULL; n != NULL; n = n->next)
		if (irk_xml_is(n, name))
			return n;
	return NULL;
}
