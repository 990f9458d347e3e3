/*
 * image.h - what irkit-analyze image shares between its files: the
 * Windows collectors (win_services.c, win_tasks.c, win_certs.c; entries
 * of collectors/list.h built into irkit-analyze) run on a volume of a
 * disk image through the same struct irk_collect as the Linux
 * collectors, so their records reach the case database the same way.
 */
#ifndef IRKIT_IMAGE_H
#define IRKIT_IMAGE_H

#include <stddef.h>
#include <jansson.h>

#include "irkit/collect.h"

/* Largest registry hive read into memory. */
#define IRK_HIVE_MAX	(512ULL << 20)
/* Largest task XML file. */
#define IRK_TASK_XML_MAX	(4U << 20)

/*
 * Parse one scheduled task XML document (UTF-16 with BOM, or UTF-8) into
 * a "task" record of kind "windows-task": name, command, arguments,
 * user/principal, triggers, registration date, author, description,
 * hidden, enabled.  Returns NULL with err set when it is not task XML.
 * Pure: no I/O.  name is the task's path under Tasks ("\\Microsoft\\X").
 */
json_t *irk_win_task_parse(const unsigned char *data, size_t len,
    const char *name, struct irk_err *err);

/* The computer name in the SYSTEM hive of fs (malloc'd), or NULL. */
char *irk_win_computer_name(struct irk_fs *fs);

/*
 * The DER certificate inside a SystemCertificates "Blob" value: a list
 * of properties {u32 id, u32 reserved, u32 length, data}; property 0x20
 * holds the certificate.  Sets *der and *derlen (pointing into blob) and
 * returns 0, or -1 when the blob is malformed or has no certificate.
 */
int irk_win_cert_blob_der(const unsigned char *blob, size_t len,
    const unsigned char **der, size_t *derlen);

#endif
