/*
 * export.h - helpers export and report share: open the case database
 * read-only, open the output file (or standard output).  Both print
 * their own message on failure (they are used only by subcommands).
 */
#ifndef IRKIT_EXPORT_H
#define IRKIT_EXPORT_H

#include <stdio.h>
#include <sqlite3.h>

/* Read-only open; 0 or IRK_FATAL. */
int irk_export_open_db(const char *path, sqlite3 **out);
/* NULL or "-": stdout.  Else created/truncated, never through a link. */
FILE *irk_export_open_out(const char *path);
/*
 * Flush and close (not stdout); 0, IRK_WARN when fp is a pipe whose
 * reader has gone (`| head`: not an error, nothing printed), or
 * IRK_FATAL on another write error (printed).
 */
int irk_export_close_out(FILE *fp, const char *path);

/* The subcommands (commands.h). */
int irk_cmd_export(int argc, char **argv);
int irk_cmd_report(int argc, char **argv);

#endif
